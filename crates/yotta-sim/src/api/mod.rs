//! The API routes of both versions, built from the operation table in [`crate::ops`].

mod common;
mod endpoints;
pub mod fields;
mod logs;
mod spec_input;
mod tasks;
pub mod wire;

use axum::Router;
use axum::routing::{MethodRouter, delete, get, patch, post, put};

use crate::app::App;
use crate::ops::OPS;

fn handler(op_id: &str) -> Option<MethodRouter<App>> {
    use endpoints as e;
    Some(match op_id {
        "v1_endpointCreate" => post(e::v1_create),
        "v1_endpointList" => get(e::v1_list),
        "v1_endpointDetail" => get(e::v1_detail),
        "v1_endpointDelete" => delete(e::v1_delete),
        "v1_endpointUpdate" => post(e::v1_update),
        "v1_endpointStart" => post(e::v1_start),
        "v1_endpointStop" => post(e::v1_stop),
        "v1_endpointScale" => post(e::v1_scale),
        "v1_endpointWorkers" => get(e::v1_workers),
        "v1_queryWorkerLogs" => get(logs::v1_logs),
        "v2_createEndpoint" => post(e::v2_create),
        "v2_listEndpoints" => get(e::v2_list),
        "v2_getEndpoint" => get(e::v2_detail),
        "v2_updateEndpoint" => patch(e::v2_update),
        "v2_deleteEndpoint" => delete(e::v2_delete),
        "v2_startEndpoint" => post(e::v2_start),
        "v2_stopEndpoint" => post(e::v2_stop),
        "v2_scaleWorkers" => put(e::v2_scale),
        "v2_listWorkers" => get(e::v2_workers),
        "v2_queryWorkerLogs" => get(logs::v2_logs),
        "v2_submitTask" => post(tasks::submit),
        "v2_listTasks" => get(tasks::list),
        "v2_getTaskCount" => get(tasks::count),
        "v2_getTask" => get(tasks::get),
        // The table and this match are checked against each other by a unit test.
        _ => return None,
    })
}

/// Every documented operation, served from the simulated state.
pub fn simulated() -> Router<App> {
    OPS.iter()
        .filter_map(|op| Some((op.path, handler(op.id)?)))
        .fold(Router::new(), |router, (path, h)| router.route(path, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_handler() {
        let missing: Vec<&str> = OPS
            .iter()
            .filter(|op| handler(op.id).is_none())
            .map(|op| op.id)
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
        // Building the router panics on overlapping routes, which this catches.
        let _ = simulated();
    }
}
