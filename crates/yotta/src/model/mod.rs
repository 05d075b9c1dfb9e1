//! The facade's vocabulary: the same types whichever API version served a call, in the docs'
//! camelCase when serialised (which is what JavaScript and `yotta -o json` see).

mod credential;
mod endpoint;
mod enums;
mod log;
mod task;
mod worker;

pub use credential::{Credential, CredentialSpec, CredentialUpdate};
pub use endpoint::{Endpoint, EndpointPatch, EndpointSpec, EndpointUpdate, EnvVar, Expose, Resource, ResourceInfo};
pub use enums::{DeliveryStatus, Direction, EndpointStatus, RegistryType, ServiceMode, TaskStatus, WorkerStatus};
pub use log::{LogCursor, LogLine, LogPage, LogQuery, LogTime};
pub use task::{Task, TaskCount, TaskListQuery, TaskPage, TaskSpec};
pub use worker::Worker;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A decimal amount in US dollars (cost, price). The API sends these as numbers or as numeric
/// strings; the exact decimal text received is kept ([`Amount::as_str`]) next to its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Amount {
    text: String,
    value: f64,
}

impl Amount {
    pub fn as_f64(&self) -> f64 {
        self.value
    }

    /// The amount exactly as the API sent it.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Amount {
    /// From the generated client's tolerant number (kept out of the public API).
    pub(crate) fn from_wire(number: yotta_api::flexible::FlexibleNumber) -> Self {
        Self {
            text: number.as_str().to_string(),
            value: number.as_f64(),
        }
    }
}

impl From<f64> for Amount {
    fn from(value: f64) -> Self {
        Self {
            text: value.to_string(),
            value,
        }
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "number", "description": "US dollars."})
    }
}

/// Serialised as a JSON number: what dashboards and `jq` expect of an amount.
impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.value)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yotta_api::flexible::FlexibleNumber::deserialize(deserializer).map(Amount::from_wire)
    }
}
