//! Endpoint methods of `YottaClient`.

use crate::client::{YottaClient, endpoint_id};
use crate::convert::{self, data_fields, from_js, from_js_or_default, property};
use crate::wait::wait_options;
use js_sys::{Function, Promise};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use yotta::{EndpointSpec, EndpointStatus, EndpointUpdate};

/// One value or several (`{ status: 'RUNNING' }` or `{ status: ['RUNNING', 'STOPPED'] }`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    pub(crate) fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatusFilter<T> {
    pub status: Option<OneOrMany<T>>,
}

// Derived Default would require `T: Default`; an absent filter needs no value of T.
impl<T> Default for StatusFilter<T> {
    fn default() -> Self {
        Self { status: None }
    }
}

#[wasm_bindgen]
impl YottaClient {
    #[wasm_bindgen(js_name = listEndpoints, unchecked_return_type = "Promise<Endpoint[]>")]
    pub fn list_endpoints(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "StatusFilter<EndpointStatus> & CallOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        self.promise("listEndpoints", options, |client, options| {
            let filter: StatusFilter<EndpointStatus> =
                from_js_or_default("options", data_fields(options, &["signal"]))?;
            let statuses = filter.status.map(OneOrMany::into_vec).unwrap_or_default();
            Ok(async move { client.endpoints().list(&statuses).await })
        })
    }

    #[wasm_bindgen(js_name = getEndpoint, unchecked_return_type = "Promise<Endpoint>")]
    pub fn get_endpoint(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("getEndpoint", options, |client, _| {
            let id = endpoint_id(&id)?;
            Ok(async move { client.endpoints().get(id).await })
        })
    }

    #[wasm_bindgen(js_name = createEndpoint, unchecked_return_type = "Promise<Endpoint>")]
    pub fn create_endpoint(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EndpointSpec")] spec: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("createEndpoint", options, |client, _| {
            let spec: EndpointSpec = from_js("spec", spec)?;
            Ok(async move { client.endpoints().create(&spec).await })
        })
    }

    #[wasm_bindgen(js_name = updateEndpoint, unchecked_return_type = "Promise<Endpoint>")]
    pub fn update_endpoint(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EndpointUpdate")] update: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("updateEndpoint", options, |client, _| {
            let id = endpoint_id(&id)?;
            let update: EndpointUpdate = from_js("update", update)?;
            Ok(async move { client.endpoints().update(id, &update).await })
        })
    }

    #[wasm_bindgen(js_name = startEndpoint, unchecked_return_type = "Promise<void>")]
    pub fn start_endpoint(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("startEndpoint", options, |client, _| {
            let id = endpoint_id(&id)?;
            Ok(async move { client.endpoints().start(id).await })
        })
    }

    #[wasm_bindgen(js_name = stopEndpoint, unchecked_return_type = "Promise<void>")]
    pub fn stop_endpoint(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("stopEndpoint", options, |client, _| {
            let id = endpoint_id(&id)?;
            Ok(async move { client.endpoints().stop(id).await })
        })
    }

    #[wasm_bindgen(js_name = deleteEndpoint, unchecked_return_type = "Promise<void>")]
    pub fn delete_endpoint(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("deleteEndpoint", options, |client, _| {
            let id = endpoint_id(&id)?;
            Ok(async move { client.endpoints().delete(id).await })
        })
    }

    #[wasm_bindgen(js_name = scaleWorkers, unchecked_return_type = "Promise<void>")]
    pub fn scale_workers(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] count: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.promise("scaleWorkers", options, |client, _| {
            let id = endpoint_id(&id)?;
            let count: i64 = from_js("count", count)?;
            Ok(async move { client.endpoints().scale(id, count).await })
        })
    }

    /// Resolves with the endpoint once it has `status`; rejects (kind `unavailable`) if it
    /// enters FAILED first, or (kind `timeout`) at the deadline.
    #[wasm_bindgen(js_name = waitForStatus, unchecked_return_type = "Promise<Endpoint>")]
    pub fn wait_for_status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EndpointStatus")] status: JsValue,
        #[wasm_bindgen(
            unchecked_optional_param_type = "WaitOptions & { onProgress?: (endpoint: Endpoint) => void } & CallOptions"
        )]
        options: Option<JsValue>,
    ) -> Promise {
        self.promise("waitForStatus", options, |client, options| {
            let id = endpoint_id(&id)?;
            let status: EndpointStatus = from_js("status", status)?;
            let wait = wait_options(options)?;
            let progress = property(options, "onProgress").and_then(|f| f.dyn_into::<Function>().ok());
            Ok(async move {
                client
                    .endpoints()
                    .wait_for_status_with(id, status, wait, |endpoint| {
                        if let Some(progress) = &progress {
                            let _ = progress.call1(&JsValue::NULL, &convert::to_js(endpoint));
                        }
                    })
                    .await
            })
        })
    }
}
