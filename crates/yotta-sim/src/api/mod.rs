//! The API routes of both versions, built from the operation table in [`crate::api::ops`].

mod common;
mod credentials;
mod endpoints;
pub mod fields;
mod logs;
pub mod ops;
mod spec_input;
mod tasks;
mod v1_tasks;
pub mod wire;

use axum::Router;
use axum::routing::{MethodRouter, on};

use crate::app::App;
use ops::Op;

/// The handler of an operation, on the operation's method.
fn handler(op: &Op) -> Option<MethodRouter<App>> {
    use endpoints as e;
    let m = ops::method_filter(op);
    Some(match op.id {
        "v1_createEndpoint" => on(m, e::v1_create),
        "v1_listEndpoints" => on(m, e::v1_list),
        "v1_getEndpoint" => on(m, e::v1_detail),
        "v1_deleteEndpoint" => on(m, e::v1_delete),
        "v1_updateEndpoint" => on(m, e::v1_update),
        "v1_startEndpoint" => on(m, e::v1_start),
        "v1_stopEndpoint" => on(m, e::v1_stop),
        "v1_scaleWorkers" => on(m, e::v1_scale),
        "v1_listWorkers" => on(m, e::v1_workers),
        "v1_queryWorkerLogs" => on(m, logs::v1_logs),
        "v2_createEndpoint" => on(m, e::v2_create),
        "v2_listEndpoints" => on(m, e::v2_list),
        "v2_getEndpoint" => on(m, e::v2_detail),
        "v2_updateEndpoint" => on(m, e::v2_update),
        "v2_deleteEndpoint" => on(m, e::v2_delete),
        "v2_startEndpoint" => on(m, e::v2_start),
        "v2_stopEndpoint" => on(m, e::v2_stop),
        "v2_scaleWorkers" => on(m, e::v2_scale),
        "v2_listWorkers" => on(m, e::v2_workers),
        "v2_queryWorkerLogs" => on(m, logs::v2_logs),
        "v2_submitTask" => on(m, tasks::submit),
        "v2_listTasks" => on(m, tasks::list),
        "v2_getTaskCount" => on(m, tasks::count),
        "v2_getTask" => on(m, tasks::get),
        "v1_createCredential" => on(m, credentials::v1_create),
        "v1_listCredentials" => on(m, credentials::v1_list),
        "v1_getCredential" => on(m, credentials::v1_get),
        "v1_deleteCredential" => on(m, credentials::v1_delete),
        "v2_createCredential" => on(m, credentials::v2_create),
        "v2_listCredentials" => on(m, credentials::v2_list),
        "v2_getCredential" => on(m, credentials::v2_get),
        "v2_updateCredential" => on(m, credentials::v2_update),
        "v2_deleteCredential" => on(m, credentials::v2_delete),
        "v1_submitTask" => on(m, v1_tasks::create),
        "v1_getTask" => on(m, v1_tasks::get),
        "v1_listTasks" => on(m, v1_tasks::list),
        "v1_getTaskCount" => on(m, v1_tasks::count),
        // The table and this match are checked against each other by a unit test.
        _ => return None,
    })
}

/// Every documented operation, served from the simulated state.
pub fn simulated() -> Router<App> {
    ops::all()
        .filter_map(|op| Some((op.path, handler(op)?)))
        .fold(Router::new(), |router, (path, h)| router.route(path, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_handler() {
        let missing: Vec<&str> = ops::all().filter(|op| handler(op).is_none()).map(|op| op.id).collect();
        assert!(missing.is_empty(), "{missing:?}");
        // Building the router panics on overlapping routes, which this catches.
        let _ = simulated();
    }
}
