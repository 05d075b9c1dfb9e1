//! The `{code, message, data}` envelope every response body is wrapped in.

use yotta_api::types;

/// A generated envelope type: access to its business code, message and payload.
pub trait Envelope {
    type Data;
    fn code(&self) -> Option<i32>;
    fn message(&self) -> Option<&str>;
    fn into_data(self) -> Option<Self::Data>;
}

macro_rules! envelopes {
    ($($envelope:ident => $data:ty,)+) => {$(
        impl Envelope for types::$envelope {
            type Data = $data;
            fn code(&self) -> Option<i32> {
                self.code
            }
            fn message(&self) -> Option<&str> {
                self.message.as_deref()
            }
            fn into_data(self) -> Option<$data> {
                self.data
            }
        }
    )+};
}

envelopes! {
    ResultElasticV2Response => types::ElasticV2Response,
    ResultElasticV2SubmitTaskResponse => types::ElasticV2SubmitTaskResponse,
    ResultElasticV2TaskCountResponse => types::ElasticV2TaskCountResponse,
    ResultElasticV2TaskDetailResponse => types::ElasticV2TaskDetailResponse,
    ResultListElasticV2Response => Vec<types::ElasticV2Response>,
    ResultListOpenapiElasticDetailResponse => Vec<types::OpenapiElasticDetailResponse>,
    ResultListOpenapiElasticWorkerResponse => Vec<types::OpenapiElasticWorkerResponse>,
    ResultOpenapiElasticDetailResponse => types::OpenapiElasticDetailResponse,
    ResultOpenapiLogResponse => types::OpenapiLogResponse,
    ResultV2PageResponseElasticV2TaskResponse => types::V2PageResponseElasticV2TaskResponse,
    ResultVoid => serde_json::Value,
}

/// An envelope from a body progenitor did not decode (an error status): just code and message.
#[derive(Debug, serde::Deserialize)]
pub struct RawEnvelope {
    pub code: Option<i32>,
    pub message: Option<String>,
}
