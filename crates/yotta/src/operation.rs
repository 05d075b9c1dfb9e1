//! The facade's operations, the API version that served them, and the routing between the
//! facade and the generated client's per-version operations.

use std::fmt;

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
    pub const ALL: [Operation; 14] = [
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
        }
    }

    /// The version that serves this operation for a client configured with `configured`.
    /// Tasks exist only in v2 (one backend serves both versions, with the same endpoint ids),
    /// so a v1 client sends them to v2.
    pub fn served_by(self, configured: ApiVersion) -> ApiVersion {
        match self {
            Operation::SubmitTask | Operation::GetTask | Operation::ListTasks | Operation::TaskCount => ApiVersion::V2,
            _ => configured,
        }
    }

    /// The operation id in `openapi/yotta.json` that implements this operation in `version`.
    pub fn wire_operation_id(self, version: ApiVersion) -> &'static str {
        use ApiVersion::*;
        match (self, self.served_by(version)) {
            (Operation::ListEndpoints, V1) => "v1_endpointList",
            (Operation::ListEndpoints, V2) => "v2_listEndpoints",
            (Operation::GetEndpoint, V1) => "v1_endpointDetail",
            (Operation::GetEndpoint, V2) => "v2_getEndpoint",
            (Operation::CreateEndpoint, V1) => "v1_endpointCreate",
            (Operation::CreateEndpoint, V2) => "v2_createEndpoint",
            (Operation::UpdateEndpoint, V1) => "v1_endpointUpdate",
            (Operation::UpdateEndpoint, V2) => "v2_updateEndpoint",
            (Operation::StartEndpoint, V1) => "v1_endpointStart",
            (Operation::StartEndpoint, V2) => "v2_startEndpoint",
            (Operation::StopEndpoint, V1) => "v1_endpointStop",
            (Operation::StopEndpoint, V2) => "v2_stopEndpoint",
            (Operation::DeleteEndpoint, V1) => "v1_endpointDelete",
            (Operation::DeleteEndpoint, V2) => "v2_deleteEndpoint",
            (Operation::ScaleWorkers, V1) => "v1_endpointScale",
            (Operation::ScaleWorkers, V2) => "v2_scaleWorkers",
            (Operation::ListWorkers, V1) => "v1_endpointWorkers",
            (Operation::ListWorkers, V2) => "v2_listWorkers",
            (Operation::WorkerLogs, V1) => "v1_queryWorkerLogs",
            (Operation::WorkerLogs, V2) => "v2_queryWorkerLogs",
            (Operation::SubmitTask, _) => "v2_submitTask",
            (Operation::GetTask, _) => "v2_getTask",
            (Operation::ListTasks, _) => "v2_listTasks",
            (Operation::TaskCount, _) => "v2_getTaskCount",
        }
    }

    pub fn idempotency(self) -> Idempotency {
        match self {
            Operation::CreateEndpoint | Operation::StartEndpoint | Operation::StopEndpoint => {
                Idempotency::NotIdempotent
            }
            _ => Idempotency::Idempotent,
        }
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

    pub fn wire_operation_id(self) -> &'static str {
        self.operation.wire_operation_id(self.version)
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
    fn every_route_names_an_operation_of_the_spec() {
        let spec: serde_json::Value = serde_json::from_str(include_str!("../../../openapi/yotta.json")).unwrap();
        let mut documented = Vec::new();
        for item in spec["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                documented.push(op["operationId"].as_str().unwrap().to_string());
            }
        }
        let mut routed = Vec::new();
        for operation in Operation::ALL {
            for version in [ApiVersion::V1, ApiVersion::V2] {
                let id = operation.wire_operation_id(version);
                assert!(documented.iter().any(|d| d == id), "{id} is not in openapi/yotta.json");
                routed.push(id.to_string());
            }
        }
        routed.sort();
        routed.dedup();
        documented.sort();
        assert_eq!(
            routed, documented,
            "every documented operation is reachable through the facade"
        );
    }

    #[test]
    fn tasks_always_go_to_v2() {
        assert_eq!(Call::new(Operation::SubmitTask, ApiVersion::V1).version, ApiVersion::V2);
        assert_eq!(
            Call::new(Operation::GetEndpoint, ApiVersion::V1).version,
            ApiVersion::V1
        );
    }
}
