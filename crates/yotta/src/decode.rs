//! From a successful answer's body to the facade's types: the one path every response takes,
//! after [`crate::call`] has checked its business code. Each operation's method calls the
//! function for its response here; [`decode_response`] dispatches to the same functions without
//! a network, for property tests, fuzzing and replaying a captured response.
//!
//! The request types name the envelope they expect (`Request::Response`); the functions decode
//! exactly that type, and a test checks that every operation's descriptor names the envelope its
//! function decodes, so an upstream change of a response type cannot go unnoticed.

use crate::error::{Error, Result, excerpt};
use crate::ids::TaskId;
use crate::model::{Endpoint, LogPage, Task, TaskCount, TaskPage, Worker};
use crate::operation::{ApiVersion, Call, Operation};
use crate::wire;
use serde::Serialize;
use serde_json::Value;
use yotta_api::operation::Request;
use yotta_api::operations as op;
use yotta_api::types;

/// The envelope of `R`'s answer; errors name the field (`data.resources[0].gpuCount`).
fn envelope<R: Request>(call: Call, body: &[u8]) -> Result<R::Response> {
    parse(call, body)
}

fn parse<T: serde::de::DeserializeOwned>(call: Call, body: &[u8]) -> Result<T> {
    crate::json_path::from_slice(body).map_err(|e| Error::Decode {
        call,
        message: e.to_string(),
        body_excerpt: excerpt(body),
    })
}

fn required<T>(call: Call, data: Option<T>) -> Result<T> {
    data.ok_or_else(|| Error::Decode {
        call,
        message: "the success response carries no data".into(),
        body_excerpt: String::new(),
    })
}

/// One endpoint (get, create, update), from `V1` or `V2`'s answer by the call's version.
pub(crate) fn endpoint<V1, V2>(call: Call, body: &[u8]) -> Result<Endpoint>
where
    V1: Request<Response = types::ResultOpenapiElasticDetailResponse>,
    V2: Request<Response = types::ResultElasticV2Response>,
{
    match call.version {
        ApiVersion::V1 => wire::endpoint::from_v1(call, required(call, envelope::<V1>(call, body)?.data)?),
        ApiVersion::V2 => wire::endpoint::from_v2(call, required(call, envelope::<V2>(call, body)?.data)?),
    }
}

/// Every endpoint of a list (`data: null` is an empty list).
pub(crate) fn endpoints(call: Call, body: &[u8]) -> Result<Vec<Endpoint>> {
    match call.version {
        ApiVersion::V1 => envelope::<op::V1ListEndpoints>(call, body)?
            .data
            .unwrap_or_default()
            .into_iter()
            .map(|e| wire::endpoint::from_v1(call, e))
            .collect(),
        ApiVersion::V2 => envelope::<op::V2ListEndpoints>(call, body)?
            .data
            .unwrap_or_default()
            .into_iter()
            .map(|e| wire::endpoint::from_v2(call, e))
            .collect(),
    }
}

/// An answer with nothing in it (start, stop, delete, scale): still a well-formed envelope.
pub(crate) fn nothing(call: Call, body: &[u8]) -> Result<()> {
    parse::<types::ResultVoid>(call, body).map(drop)
}

pub(crate) fn workers(call: Call, body: &[u8]) -> Result<Vec<Worker>> {
    parse::<types::ResultListOpenapiElasticWorkerResponse>(call, body)?
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|w| wire::worker::from_wire(call, w))
        .collect()
}

pub(crate) fn log_page(call: Call, body: &[u8]) -> Result<LogPage> {
    wire::log::from_wire(
        call,
        required(call, parse::<types::ResultOpenapiLogResponse>(call, body)?.data)?,
    )
}

/// The task id the API says it queued, if it says one (the caller knows the id it sent).
pub(crate) fn submitted(call: Call, body: &[u8]) -> Result<Option<TaskId>> {
    Ok(envelope::<op::V2SubmitTask>(call, body)?
        .data
        .and_then(|d| d.task_id)
        .map(TaskId::from))
}

pub(crate) fn task(call: Call, body: &[u8]) -> Result<Task> {
    wire::task::from_detail(call, required(call, envelope::<op::V2GetTask>(call, body)?.data)?)
}

pub(crate) fn task_page(call: Call, body: &[u8]) -> Result<TaskPage> {
    wire::task::page_from_wire(call, required(call, envelope::<op::V2ListTasks>(call, body)?.data)?)
}

pub(crate) fn task_count(call: Call, body: &[u8]) -> Result<TaskCount> {
    let data = required(call, envelope::<op::V2GetTaskCount>(call, body)?.data)?;
    Ok(TaskCount {
        processing: data.processing.unwrap_or_default().into(),
    })
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
    let body = &crate::call::interpret(call, answer)?;
    Ok(match operation {
        O::ListEndpoints => json(endpoints(call, body)?),
        O::GetEndpoint => json(endpoint::<op::V1GetEndpoint, op::V2GetEndpoint>(call, body)?),
        O::CreateEndpoint => json(endpoint::<op::V1CreateEndpoint, op::V2CreateEndpoint>(call, body)?),
        O::UpdateEndpoint => json(endpoint::<op::V1UpdateEndpoint, op::V2UpdateEndpoint>(call, body)?),
        O::StartEndpoint | O::StopEndpoint | O::DeleteEndpoint | O::ScaleWorkers => {
            nothing(call, body)?;
            Value::Null
        }
        O::ListWorkers => json(workers(call, body)?),
        O::WorkerLogs => json(log_page(call, body)?),
        O::SubmitTask => json(submitted(call, body)?),
        O::GetTask => json(task(call, body)?),
        O::ListTasks => json(task_page(call, body)?),
        O::TaskCount => json(task_count(call, body)?),
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
                    (Operation::SubmitTask, _) => "ResultElasticV2SubmitTaskResponse",
                    (Operation::GetTask, _) => "ResultElasticV2TaskDetailResponse",
                    (Operation::ListTasks, _) => "ResultV2PageResponseElasticV2TaskResponse",
                    (Operation::TaskCount, _) => "ResultElasticV2TaskCountResponse",
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
