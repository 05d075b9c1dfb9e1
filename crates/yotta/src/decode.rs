//! From a successful answer's body to the facade's types: the one path every response takes,
//! after the call's execution has checked its business code. Each operation's method calls the
//! function for its response here; [`decode_response`] dispatches to the same functions without
//! a network, for property tests, fuzzing and replaying a captured response.
//!
//! Each function decodes the envelope its operation's request type names
//! (`Request::Response`); where operations share one (get, create and update), a test checks
//! that every operation's descriptor names the envelope its function decodes, so an upstream
//! change of a response type cannot go unnoticed.

use crate::error::{Error, Result};
use crate::execute::Reply;
use crate::ids::{EndpointId, TaskId};
use crate::model::{Credential, Endpoint, LogPage, Task, TaskCount, TaskPage, Worker};
use crate::operation::{ApiVersion, Call, Operation};
use crate::wire;
use serde::Serialize;
use serde_json::Value;
use yotta_api::operation::Request;
use yotta_api::operations as op;

/// The envelope of `R`'s answer; errors name the field (`data.resources[0].gpuCount`).
fn envelope<R: Request>(call: Call, reply: &Reply) -> Result<R::Response> {
    parse(call, reply)
}

fn parse<T: serde::de::DeserializeOwned>(call: Call, reply: &Reply) -> Result<T> {
    crate::json_path::from_slice(&reply.body).map_err(|e| Error::undecodable(call, reply.status, &reply.body, e))
}

fn required<T>(call: Call, reply: &Reply, data: Option<T>) -> Result<T> {
    data.ok_or_else(|| Error::decode(call, reply.status, "the success response carries no data"))
}

/// A conversion's decode error, with the status of the answer it came from.
fn answered<T>(reply: &Reply, result: Result<T>) -> Result<T> {
    result.map_err(|error| match error {
        Error::Decode {
            call,
            message,
            body_excerpt,
            source,
            ..
        } => Error::Decode {
            call,
            message,
            body_excerpt,
            http_status: reply.status,
            source,
        },
        other => other,
    })
}

/// One endpoint (get, create, update: the same envelope in each version).
pub(crate) fn endpoint(call: Call, reply: &Reply) -> Result<Endpoint> {
    answered(
        reply,
        match call.version {
            ApiVersion::V1 => {
                let data = envelope::<op::V1GetEndpoint>(call, reply)?.data;
                wire::endpoint::from_v1(call, required(call, reply, data)?)
            }
            ApiVersion::V2 => {
                let data = envelope::<op::V2GetEndpoint>(call, reply)?.data;
                wire::endpoint::from_v2(call, required(call, reply, data)?)
            }
        },
    )
}

/// Every endpoint of a list (`data: null` is an empty list).
pub(crate) fn endpoints(call: Call, reply: &Reply) -> Result<Vec<Endpoint>> {
    answered(
        reply,
        match call.version {
            ApiVersion::V1 => envelope::<op::V1ListEndpoints>(call, reply)?
                .data
                .unwrap_or_default()
                .into_iter()
                .map(|e| wire::endpoint::from_v1(call, e))
                .collect(),
            ApiVersion::V2 => envelope::<op::V2ListEndpoints>(call, reply)?
                .data
                .unwrap_or_default()
                .into_iter()
                .map(|e| wire::endpoint::from_v2(call, e))
                .collect(),
        },
    )
}

/// An answer with nothing in it (start, stop, delete, scale): still a well-formed envelope.
pub(crate) fn nothing(call: Call, reply: &Reply) -> Result<()> {
    envelope::<op::V2StartEndpoint>(call, reply).map(drop)
}

pub(crate) fn workers(call: Call, reply: &Reply) -> Result<Vec<Worker>> {
    let data = envelope::<op::V2ListWorkers>(call, reply)?.data;
    answered(
        reply,
        data.unwrap_or_default()
            .into_iter()
            .map(|w| wire::worker::from_wire(call, w))
            .collect(),
    )
}

pub(crate) fn log_page(call: Call, reply: &Reply) -> Result<LogPage> {
    let data = envelope::<op::V2QueryWorkerLogs>(call, reply)?.data;
    answered(reply, wire::log::from_wire(call, required(call, reply, data)?))
}

/// The task id the API says it queued, if it says one (the caller knows the id it sent).
pub(crate) fn submitted(call: Call, reply: &Reply) -> Result<Option<TaskId>> {
    Ok(match call.version {
        ApiVersion::V1 => envelope::<op::V1SubmitTask>(call, reply)?
            .data
            .and_then(|d| d.user_task_id),
        ApiVersion::V2 => envelope::<op::V2SubmitTask>(call, reply)?.data.and_then(|d| d.task_id),
    }
    .map(TaskId::from))
}

/// One task; v1 answers do not name the endpoint, so the caller passes the one it asked about.
pub(crate) fn task(call: Call, reply: &Reply, endpoint: Option<&EndpointId>) -> Result<Task> {
    answered(
        reply,
        match call.version {
            ApiVersion::V1 => {
                let data = envelope::<op::V1GetTask>(call, reply)?.data;
                wire::task::from_v1(call, endpoint, required(call, reply, data)?)
            }
            ApiVersion::V2 => {
                let data = envelope::<op::V2GetTask>(call, reply)?.data;
                wire::task::from_detail(call, required(call, reply, data)?)
            }
        },
    )
}

pub(crate) fn task_page(call: Call, reply: &Reply, endpoint: Option<&EndpointId>) -> Result<TaskPage> {
    answered(
        reply,
        match call.version {
            ApiVersion::V1 => {
                let data = envelope::<op::V1ListTasks>(call, reply)?.data;
                wire::task::v1_page_from_wire(call, endpoint, required(call, reply, data)?)
            }
            ApiVersion::V2 => {
                let data = envelope::<op::V2ListTasks>(call, reply)?.data;
                wire::task::page_from_wire(call, required(call, reply, data)?)
            }
        },
    )
}

pub(crate) fn task_count(call: Call, reply: &Reply) -> Result<TaskCount> {
    let processing = match call.version {
        ApiVersion::V1 => required(call, reply, envelope::<op::V1GetTaskCount>(call, reply)?.data)?
            .processing_count
            .unwrap_or_default(),
        ApiVersion::V2 => required(call, reply, envelope::<op::V2GetTaskCount>(call, reply)?.data)?
            .processing
            .unwrap_or_default()
            .into(),
    };
    Ok(TaskCount { processing })
}

/// One credential (get, create, update).
pub(crate) fn credential(call: Call, reply: &Reply) -> Result<Credential> {
    answered(
        reply,
        match call.version {
            ApiVersion::V1 => {
                let data = envelope::<op::V1GetCredential>(call, reply)?.data;
                wire::credential::from_v1(call, required(call, reply, data)?)
            }
            ApiVersion::V2 => {
                let data = envelope::<op::V2GetCredential>(call, reply)?.data;
                wire::credential::from_v2(call, required(call, reply, data)?)
            }
        },
    )
}

/// Every credential of a list (`data: null` is an empty list).
pub(crate) fn credentials(call: Call, reply: &Reply) -> Result<Vec<Credential>> {
    answered(
        reply,
        match call.version {
            ApiVersion::V1 => envelope::<op::V1ListCredentials>(call, reply)?
                .data
                .unwrap_or_default()
                .into_iter()
                .map(|c| wire::credential::from_v1(call, c))
                .collect(),
            ApiVersion::V2 => envelope::<op::V2ListCredentials>(call, reply)?
                .data
                .unwrap_or_default()
                .into_iter()
                .map(|c| wire::credential::from_v2(call, c))
                .collect(),
        },
    )
}

fn json<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("facade types always serialise")
}

/// Decodes `body` as the HTTP 200 response of `operation` served by `version`, through the
/// functions a live call uses (the envelope's business code, then the operation's decoding),
/// returning the facade's result as JSON (what `yotta -o json` and JavaScript see).
pub fn decode_response(operation: Operation, version: ApiVersion, body: &[u8]) -> Result<Value> {
    use Operation as O;
    let call = Call::new(operation, version);
    let answer = crate::transport::HttpResponse {
        status: 200,
        retry_after: None,
        body: body.to_vec(),
    };
    let reply = &crate::execute::interpret(call, answer)?;
    Ok(match operation {
        O::ListEndpoints => json(endpoints(call, reply)?),
        O::GetEndpoint | O::CreateEndpoint | O::UpdateEndpoint => json(endpoint(call, reply)?),
        O::StartEndpoint | O::StopEndpoint | O::DeleteEndpoint | O::ScaleWorkers => {
            nothing(call, reply)?;
            Value::Null
        }
        O::ListWorkers => json(workers(call, reply)?),
        O::WorkerLogs => json(log_page(call, reply)?),
        O::SubmitTask => json(submitted(call, reply)?),
        O::GetTask => json(task(call, reply, None)?),
        O::ListTasks => json(task_page(call, reply, None)?),
        O::TaskCount => json(task_count(call, reply)?),
        O::ListCredentials => json(credentials(call, reply)?),
        O::GetCredential | O::CreateCredential | O::UpdateCredential => json(credential(call, reply)?),
        O::DeleteCredential => {
            nothing(call, reply)?;
            Value::Null
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The envelope each function above decodes, for every operation and version.
    #[test]
    fn every_operation_answers_the_envelope_its_function_decodes() {
        for operation in Operation::ALL {
            for version in [ApiVersion::V1, ApiVersion::V2] {
                let call = Call::new(operation, version);
                let expected = match (operation, call.version) {
                    (Operation::ListEndpoints, ApiVersion::V1) => "ResultListOpenapiElasticDetailResponse",
                    (Operation::ListEndpoints, ApiVersion::V2) => "ResultListElasticV2Response",
                    (
                        Operation::GetEndpoint | Operation::CreateEndpoint | Operation::UpdateEndpoint,
                        ApiVersion::V1,
                    ) => "ResultOpenapiElasticDetailResponse",
                    (
                        Operation::GetEndpoint | Operation::CreateEndpoint | Operation::UpdateEndpoint,
                        ApiVersion::V2,
                    ) => "ResultElasticV2Response",
                    (
                        Operation::StartEndpoint
                        | Operation::StopEndpoint
                        | Operation::DeleteEndpoint
                        | Operation::ScaleWorkers,
                        _,
                    ) => "ResultVoid",
                    (Operation::ListWorkers, _) => "ResultListOpenapiElasticWorkerResponse",
                    (Operation::WorkerLogs, _) => "ResultOpenapiLogResponse",
                    (Operation::SubmitTask, ApiVersion::V1) => "ResultOpenapiTaskCreateResponse",
                    (Operation::SubmitTask, ApiVersion::V2) => "ResultElasticV2SubmitTaskResponse",
                    (Operation::GetTask, ApiVersion::V1) => "ResultOpenapiTaskDetail",
                    (Operation::GetTask, ApiVersion::V2) => "ResultElasticV2TaskDetailResponse",
                    (Operation::ListTasks, ApiVersion::V1) => "ResultOpenapiTaskPage",
                    (Operation::ListTasks, ApiVersion::V2) => "ResultV2PageResponseElasticV2TaskResponse",
                    (Operation::TaskCount, ApiVersion::V1) => "ResultOpenapiTaskCountResponse",
                    (Operation::TaskCount, ApiVersion::V2) => "ResultElasticV2TaskCountResponse",
                    (Operation::ListCredentials, ApiVersion::V1) => "ResultListOpenapiCredentialDetail",
                    (Operation::ListCredentials, ApiVersion::V2) => "ResultListCredentialV2Response",
                    (
                        Operation::GetCredential | Operation::CreateCredential | Operation::UpdateCredential,
                        ApiVersion::V1,
                    ) => "ResultOpenapiCredentialDetail",
                    (
                        Operation::GetCredential | Operation::CreateCredential | Operation::UpdateCredential,
                        ApiVersion::V2,
                    ) => "ResultCredentialV2Response",
                    (Operation::DeleteCredential, _) => "ResultVoid",
                };
                assert_eq!(call.descriptor().response, expected, "{call}");
            }
        }
    }

    #[test]
    fn decode_errors_name_the_field() {
        let body = br#"{"code":10000,"data":{"id":"1","name":"n","status":"RUNNING","resources":[{"gpuCount":"x"}]}}"#;
        let error = decode_response(Operation::GetEndpoint, ApiVersion::V2, body).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Decode);
        assert!(
            error.to_string().contains("data.resources[0].gpuCount: invalid type"),
            "{error}"
        );
    }
}
