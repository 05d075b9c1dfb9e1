//! Decoding a response body without a network: the exact path a call's response takes
//! (generated envelope type, business code, conversion to the facade's type), for every
//! operation and version. Used by property tests and fuzzing, and handy for replaying a
//! captured response.

use crate::error::{Error, Result, excerpt};
use crate::operation::{ApiVersion, Call, Operation};
use crate::wire::envelope::Envelope;
use crate::{codes, wire};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use yotta_api::types;

fn envelope<E: Envelope + DeserializeOwned>(call: Call, body: &[u8]) -> Result<Option<E::Data>> {
    let envelope: E = serde_json::from_slice(body).map_err(|e| Error::Decode {
        call,
        message: e.to_string(),
        body_excerpt: excerpt(body),
    })?;
    match envelope.code() {
        Some(codes::SUCCESS) => Ok(envelope.into_data()),
        Some(code) => Err(Error::Api {
            call,
            code,
            kind: codes::kind_of(code),
            message: envelope.message().unwrap_or_default().to_string(),
            http_status: 200,
        }),
        None => Err(Error::Decode {
            call,
            message: "no code".into(),
            body_excerpt: excerpt(body),
        }),
    }
}

fn required<T>(call: Call, data: Option<T>) -> Result<T> {
    data.ok_or_else(|| Error::Decode {
        call,
        message: "no data".into(),
        body_excerpt: String::new(),
    })
}

fn json<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("facade types always serialise")
}

/// Decodes `body` as the HTTP 200 response of `operation` served by `version`, returning the
/// facade's result as JSON (what `yotta -o json` and JavaScript would see).
pub fn decode_response(operation: Operation, version: ApiVersion, body: &[u8]) -> Result<Value> {
    use ApiVersion::{V1, V2};
    use Operation as O;
    let call = Call::new(operation, version);
    Ok(match (operation, call.version) {
        (O::ListEndpoints, V1) => {
            let list = envelope::<types::ResultListOpenapiElasticDetailResponse>(call, body)?.unwrap_or_default();
            json(
                list.into_iter()
                    .map(|e| wire::endpoint::from_v1(call, e))
                    .collect::<Result<Vec<_>>>()?,
            )
        }
        (O::ListEndpoints, V2) => {
            let list = envelope::<types::ResultListElasticV2Response>(call, body)?.unwrap_or_default();
            json(
                list.into_iter()
                    .map(|e| wire::endpoint::from_v2(call, e))
                    .collect::<Result<Vec<_>>>()?,
            )
        }
        (O::GetEndpoint | O::CreateEndpoint | O::UpdateEndpoint, V1) => {
            let data = envelope::<types::ResultOpenapiElasticDetailResponse>(call, body)?;
            json(wire::endpoint::from_v1(call, required(call, data)?)?)
        }
        (O::GetEndpoint | O::CreateEndpoint | O::UpdateEndpoint, V2) => {
            let data = envelope::<types::ResultElasticV2Response>(call, body)?;
            json(wire::endpoint::from_v2(call, required(call, data)?)?)
        }
        (O::StartEndpoint | O::StopEndpoint | O::DeleteEndpoint | O::ScaleWorkers, _) => {
            envelope::<types::ResultVoid>(call, body)?;
            Value::Null
        }
        (O::ListWorkers, _) => {
            let list = envelope::<types::ResultListOpenapiElasticWorkerResponse>(call, body)?.unwrap_or_default();
            json(
                list.into_iter()
                    .map(|w| wire::worker::from_wire(call, w))
                    .collect::<Result<Vec<_>>>()?,
            )
        }
        (O::WorkerLogs, _) => {
            let data = envelope::<types::ResultOpenapiLogResponse>(call, body)?;
            json(wire::log::from_wire(call, required(call, data)?)?)
        }
        (O::SubmitTask, _) => {
            let data = envelope::<types::ResultElasticV2SubmitTaskResponse>(call, body)?;
            json(data.and_then(|d| d.task_id))
        }
        (O::GetTask, _) => {
            let data = envelope::<types::ResultElasticV2TaskDetailResponse>(call, body)?;
            json(wire::task::from_detail(call, required(call, data)?)?)
        }
        (O::ListTasks, _) => {
            let data = envelope::<types::ResultV2PageResponseElasticV2TaskResponse>(call, body)?;
            json(wire::task::page_from_wire(call, required(call, data)?)?)
        }
        (O::TaskCount, _) => {
            let data = required(call, envelope::<types::ResultElasticV2TaskCountResponse>(call, body)?)?;
            json(crate::TaskCount {
                processing: data.processing.unwrap_or_default().into(),
            })
        }
    })
}
