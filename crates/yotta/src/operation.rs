//! The facade's operations, the API version that served them, and the routing between the
//! facade and the generated client's per-version operations.

use std::fmt;
use yotta_api::operation::{Operation as Descriptor, Retry};

/// Which version of the Yotta API a client talks to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ApiVersion {
    /// `/openapi/v1/elastic/deploy/...`
    V1,
    /// `/v2/serverless/...` (the default).
    #[default]
    V2,
}

impl ApiVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V2 => "v2",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ApiVersion {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "v1" | "1" => Ok(ApiVersion::V1),
            "v2" | "2" => Ok(ApiVersion::V2),
            other => Err(format!("unknown API version {other:?} (expected v1 or v2)")),
        }
    }
}

/// One facade operation. Names match the JavaScript methods (`deleteEndpoint`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    ListEndpoints,
    GetEndpoint,
    CreateEndpoint,
    UpdateEndpoint,
    StartEndpoint,
    StopEndpoint,
    DeleteEndpoint,
    ScaleWorkers,
    ListWorkers,
    WorkerLogs,
    SubmitTask,
    GetTask,
    ListTasks,
    TaskCount,
    ListCredentials,
    GetCredential,
    CreateCredential,
    UpdateCredential,
    DeleteCredential,
}

/// Whether repeating a call can change the outcome: decides which failures are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idempotency {
    /// Safe to repeat after any transient failure (reads, set-to-value writes, deletes,
    /// task submissions with a fixed task id).
    Idempotent,
    /// Repeated only when the request certainly was not processed (connection never made,
    /// HTTP 429, business code 24000): creation, start, stop.
    NotIdempotent,
}

impl Operation {
    pub const ALL: [Operation; 19] = [
        Operation::ListEndpoints,
        Operation::GetEndpoint,
        Operation::CreateEndpoint,
        Operation::UpdateEndpoint,
        Operation::StartEndpoint,
        Operation::StopEndpoint,
        Operation::DeleteEndpoint,
        Operation::ScaleWorkers,
        Operation::ListWorkers,
        Operation::WorkerLogs,
        Operation::SubmitTask,
        Operation::GetTask,
        Operation::ListTasks,
        Operation::TaskCount,
        Operation::ListCredentials,
        Operation::GetCredential,
        Operation::CreateCredential,
        Operation::UpdateCredential,
        Operation::DeleteCredential,
    ];

    /// camelCase name, as in JavaScript and in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Operation::ListEndpoints => "listEndpoints",
            Operation::GetEndpoint => "getEndpoint",
            Operation::CreateEndpoint => "createEndpoint",
            Operation::UpdateEndpoint => "updateEndpoint",
            Operation::StartEndpoint => "startEndpoint",
            Operation::StopEndpoint => "stopEndpoint",
            Operation::DeleteEndpoint => "deleteEndpoint",
            Operation::ScaleWorkers => "scaleWorkers",
            Operation::ListWorkers => "listWorkers",
            Operation::WorkerLogs => "workerLogs",
            Operation::SubmitTask => "submitTask",
            Operation::GetTask => "getTask",
            Operation::ListTasks => "listTasks",
            Operation::TaskCount => "taskCount",
            Operation::ListCredentials => "listCredentials",
            Operation::GetCredential => "getCredential",
            Operation::CreateCredential => "createCredential",
            Operation::UpdateCredential => "updateCredential",
            Operation::DeleteCredential => "deleteCredential",
        }
    }

    /// The version that serves this operation for a client configured with `configured`: the
    /// same, except credential updates, which only v2 documents; one backend serves both
    /// versions (the same credentials, with the same ids), so a v1 client sends them to v2.
    pub fn served_by(self, configured: ApiVersion) -> ApiVersion {
        match self {
            Operation::UpdateCredential => ApiVersion::V2,
            _ => configured,
        }
    }

    /// The generated descriptor of the operation that serves this one for a client configured
    /// with `version`: the facade's one table from its operations to the spec's, v1 beside v2.
    pub fn descriptor(self, version: ApiVersion) -> &'static Descriptor {
        use yotta_api::operations as op;
        let (v1, v2) = match self {
            Operation::ListEndpoints => (&op::V1_LIST_ENDPOINTS, &op::V2_LIST_ENDPOINTS),
            Operation::GetEndpoint => (&op::V1_GET_ENDPOINT, &op::V2_GET_ENDPOINT),
            Operation::CreateEndpoint => (&op::V1_CREATE_ENDPOINT, &op::V2_CREATE_ENDPOINT),
            Operation::UpdateEndpoint => (&op::V1_UPDATE_ENDPOINT, &op::V2_UPDATE_ENDPOINT),
            Operation::StartEndpoint => (&op::V1_START_ENDPOINT, &op::V2_START_ENDPOINT),
            Operation::StopEndpoint => (&op::V1_STOP_ENDPOINT, &op::V2_STOP_ENDPOINT),
            Operation::DeleteEndpoint => (&op::V1_DELETE_ENDPOINT, &op::V2_DELETE_ENDPOINT),
            Operation::ScaleWorkers => (&op::V1_SCALE_WORKERS, &op::V2_SCALE_WORKERS),
            Operation::ListWorkers => (&op::V1_LIST_WORKERS, &op::V2_LIST_WORKERS),
            Operation::WorkerLogs => (&op::V1_QUERY_WORKER_LOGS, &op::V2_QUERY_WORKER_LOGS),
            Operation::SubmitTask => (&op::V1_SUBMIT_TASK, &op::V2_SUBMIT_TASK),
            Operation::GetTask => (&op::V1_GET_TASK, &op::V2_GET_TASK),
            Operation::ListTasks => (&op::V1_LIST_TASKS, &op::V2_LIST_TASKS),
            Operation::TaskCount => (&op::V1_GET_TASK_COUNT, &op::V2_GET_TASK_COUNT),
            Operation::ListCredentials => (&op::V1_LIST_CREDENTIALS, &op::V2_LIST_CREDENTIALS),
            Operation::GetCredential => (&op::V1_GET_CREDENTIAL, &op::V2_GET_CREDENTIAL),
            Operation::CreateCredential => (&op::V1_CREATE_CREDENTIAL, &op::V2_CREATE_CREDENTIAL),
            // v1 documents no update: served by v2 (see served_by).
            Operation::UpdateCredential => (&op::V2_UPDATE_CREDENTIAL, &op::V2_UPDATE_CREDENTIAL),
            Operation::DeleteCredential => (&op::V1_DELETE_CREDENTIAL, &op::V2_DELETE_CREDENTIAL),
        };
        match self.served_by(version) {
            ApiVersion::V1 => v1,
            ApiVersion::V2 => v2,
        }
    }

    /// The operation id in `openapi/yotta.json` that implements this operation in `version`.
    pub fn wire_operation_id(self, version: ApiVersion) -> &'static str {
        self.descriptor(version).id
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An operation as served: which facade operation, through which API version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Call {
    pub operation: Operation,
    pub version: ApiVersion,
}

impl Call {
    pub fn new(operation: Operation, configured: ApiVersion) -> Self {
        Self {
            operation,
            version: operation.served_by(configured),
        }
    }

    /// The generated descriptor of the operation this call sends.
    pub fn descriptor(self) -> &'static Descriptor {
        self.operation.descriptor(self.version)
    }

    pub fn wire_operation_id(self) -> &'static str {
        self.descriptor().id
    }

    /// Whether the call may be repeated after an ambiguous failure (from the operation table).
    pub fn idempotency(self) -> Idempotency {
        match self.descriptor().retry {
            Retry::Safe => Idempotency::Idempotent,
            Retry::IfNotProcessed => Idempotency::NotIdempotent,
        }
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.operation, self.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_descriptor_is_reachable_and_serves_its_version() {
        let mut routed = Vec::new();
        for operation in Operation::ALL {
            for version in [ApiVersion::V1, ApiVersion::V2] {
                let call = Call::new(operation, version);
                assert_eq!(call.descriptor().version.as_str(), call.version.as_str(), "{call}");
                routed.push(call.wire_operation_id());
            }
        }
        routed.sort();
        routed.dedup();
        let mut table: Vec<&str> = yotta_api::operations::ALL.iter().map(|d| d.id).collect();
        table.sort();
        assert_eq!(
            routed, table,
            "every operation of the table is reachable through the facade"
        );
    }

    #[test]
    fn creation_start_stop_and_submission_wait_for_certainty_before_a_retry() {
        for operation in Operation::ALL {
            for version in [ApiVersion::V1, ApiVersion::V2] {
                // v2 task submission is made safe by the facade itself (a lookup before a
                // resend); v1's is idempotent on userTaskId (its page says so).
                let expected = match (operation, version) {
                    (Operation::CreateEndpoint | Operation::StartEndpoint | Operation::StopEndpoint, _)
                    | (Operation::SubmitTask, ApiVersion::V2)
                    | (Operation::CreateCredential, _) => Idempotency::NotIdempotent,
                    _ => Idempotency::Idempotent,
                };
                assert_eq!(
                    Call::new(operation, version).idempotency(),
                    expected,
                    "{operation} {version}"
                );
            }
        }
    }

    #[test]
    fn each_version_serves_its_own_calls_but_credential_updates() {
        assert_eq!(Call::new(Operation::SubmitTask, ApiVersion::V1).version, ApiVersion::V1);
        assert_eq!(
            Call::new(Operation::SubmitTask, ApiVersion::V1).wire_operation_id(),
            "v1_submitTask"
        );
        assert_eq!(
            Call::new(Operation::UpdateCredential, ApiVersion::V1).version,
            ApiVersion::V2
        );
    }
}
