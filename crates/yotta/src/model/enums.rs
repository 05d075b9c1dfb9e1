//! Status and mode values. Each is open: a value the docs do not list (a future status) is
//! kept as `Other(text)` rather than failing the response it arrived in.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value the docs do not list, kept as sent.
            Other(String),
        }

        impl $name {
            /// The documented values, in the docs' order.
            pub const KNOWN: &'static [&'static str] = &[$($text),+];

            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(text) => text,
                }
            }

            /// Parses a value, ignoring ASCII case (so `running` from a command line works).
            pub fn parse(text: &str) -> Self {
                $(if text.eq_ignore_ascii_case($text) { return $name::$variant; })+
                $name::Other(text.to_string())
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self::parse(text)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(Self::parse(text))
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                // Open: the documented values, or any other string the API may add.
                schemars::json_schema!({"anyOf": [{"enum": Self::KNOWN}, {"type": "string"}]})
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
                Ok(Self::parse(&text))
            }
        }
    };
}

open_enum! {
    /// An endpoint's lifecycle state.
    EndpointStatus {
        Initializing => "INITIALIZING",
        Running => "RUNNING",
        Stopping => "STOPPING",
        Stopped => "STOPPED",
        Failed => "FAILED",
        /// Listed by the API guides overview; the serverless pages do not mention it.
        Terminated => "TERMINATED",
    }
}

open_enum! {
    /// A worker's lifecycle state (note the docs' `INITIALIZE`, not `INITIALIZING`).
    WorkerStatus {
        Initialize => "INITIALIZE",
        Running => "RUNNING",
        Terminating => "TERMINATING",
        Terminated => "TERMINATED",
        Failed => "FAILED",
    }
}

open_enum! {
    /// How an endpoint serves requests.
    ServiceMode {
        /// HTTP requests through a load balancer (needs `expose`).
        Alb => "ALB",
        /// Tasks submitted to the queue and processed asynchronously.
        Queue => "QUEUE",
        /// Neither HTTP nor queue.
        Custom => "CUSTOM",
    }
}

open_enum! {
    /// A task's state.
    TaskStatus {
        Processing => "PROCESSING",
        /// The result was delivered to the webhook.
        Delivered => "DELIVERED",
        Success => "SUCCESS",
        Failed => "FAILED",
    }
}

open_enum! {
    /// The kind of a container registry (the v2 credential guide's `type`).
    RegistryType {
        DockerHub => "DOCKER_HUB",
        Gcr => "GCR",
        Ecr => "ECR",
        Acr => "ACR",
        Private => "PRIVATE",
    }
}

open_enum! {
    /// The state of a task's webhook delivery.
    DeliveryStatus {
        Init => "INIT",
        Success => "SUCCESS",
        Failed => "FAILED",
        MaxRetriesExceeded => "MAX_RETRIES_EXCEEDED",
    }
}

impl EndpointStatus {
    /// Whether the endpoint is on its way somewhere (a waiter keeps polling).
    pub fn is_transitional(&self) -> bool {
        matches!(self, EndpointStatus::Initializing | EndpointStatus::Stopping)
    }
}

impl TaskStatus {
    /// Whether the task will not change state any more.
    pub fn is_terminal(&self) -> bool {
        matches!(self, TaskStatus::Success | TaskStatus::Failed | TaskStatus::Delivered)
    }
}

/// Which way to page through logs.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// Oldest first, towards newer lines (the API's default).
    #[default]
    Forward,
    /// Newest first, towards older lines.
    Backward,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Forward => "Forward",
            Direction::Backward => "Backward",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_kept() {
        let status: EndpointStatus = serde_json::from_str("\"DELETED\"").unwrap();
        assert_eq!(status, EndpointStatus::Other("DELETED".into()));
        assert_eq!(serde_json::to_string(&status).unwrap(), "\"DELETED\"");
        assert!(!status.is_known());
    }

    #[test]
    fn known_values_parse_in_any_case_and_print_as_documented() {
        assert_eq!(EndpointStatus::parse("running"), EndpointStatus::Running);
        assert_eq!(WorkerStatus::parse("INITIALIZE").to_string(), "INITIALIZE");
        assert_eq!(
            DeliveryStatus::parse("max_retries_exceeded"),
            DeliveryStatus::MaxRetriesExceeded
        );
        assert_eq!(ServiceMode::KNOWN, ["ALB", "QUEUE", "CUSTOM"]);
    }
}
