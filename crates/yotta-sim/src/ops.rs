//! The table of API operations: 10 from the v1 reference, 12 from the v2 reference and the two
//! v2 guide routes (workers list, worker logs), named by their `operationId` in `openapi/yotta.json`.
//!
//! Routing, proxy mode and fault matching (`op=...`) all read this one table.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op {
    pub id: &'static str,
    pub method: &'static str,
    /// The path template, spelled as in the spec and as axum's `MatchedPath` reports it.
    pub path: &'static str,
}

macro_rules! ops {
    ($($id:literal $method:literal $path:literal;)*) => { &[$(Op { id: $id, method: $method, path: $path }),*] };
}

pub const OPS: &[Op] = ops! {
    "v1_endpointCreate" "POST" "/openapi/v1/elastic/deploy/create";
    "v1_endpointList" "GET" "/openapi/v1/elastic/deploy/list";
    "v1_endpointDetail" "GET" "/openapi/v1/elastic/deploy/{id}";
    "v1_endpointDelete" "DELETE" "/openapi/v1/elastic/deploy/{id}";
    "v1_endpointUpdate" "POST" "/openapi/v1/elastic/deploy/{id}/update";
    "v1_endpointStart" "POST" "/openapi/v1/elastic/deploy/{id}/start";
    "v1_endpointStop" "POST" "/openapi/v1/elastic/deploy/{id}/stop";
    "v1_endpointScale" "POST" "/openapi/v1/elastic/deploy/{id}/workers";
    "v1_endpointWorkers" "GET" "/openapi/v1/elastic/deploy/{id}/workers";
    "v1_queryWorkerLogs" "GET" "/openapi/v1/elastic/deploy/{id}/workers/{workerId}/logs";
    "v2_createEndpoint" "POST" "/v2/serverless";
    "v2_listEndpoints" "GET" "/v2/serverless";
    "v2_getEndpoint" "GET" "/v2/serverless/{id}";
    "v2_updateEndpoint" "PATCH" "/v2/serverless/{id}";
    "v2_deleteEndpoint" "DELETE" "/v2/serverless/{id}";
    "v2_startEndpoint" "POST" "/v2/serverless/{id}/start";
    "v2_stopEndpoint" "POST" "/v2/serverless/{id}/stop";
    "v2_scaleWorkers" "PUT" "/v2/serverless/{id}/workers";
    "v2_listWorkers" "GET" "/v2/serverless/{id}/workers";
    "v2_queryWorkerLogs" "GET" "/v2/serverless/{id}/workers/{workerId}/logs";
    "v2_submitTask" "POST" "/v2/serverless/{id}/tasks";
    "v2_listTasks" "GET" "/v2/serverless/{id}/tasks";
    "v2_getTaskCount" "GET" "/v2/serverless/{id}/tasks/count";
    "v2_getTask" "GET" "/v2/serverless/{id}/tasks/{taskId}";
};

pub fn by_id(id: &str) -> Option<&'static Op> {
    OPS.iter().find(|op| op.id.eq_ignore_ascii_case(id))
}

/// Whether `path` (a concrete request path) belongs to the API rather than to the console or admin.
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/openapi/") || path.starts_with("/v2/serverless")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_24_distinct_operations() {
        assert_eq!(OPS.len(), 24);
        for (i, a) in OPS.iter().enumerate() {
            assert!(
                OPS[i + 1..]
                    .iter()
                    .all(|b| a.id != b.id && (a.method, a.path) != (b.method, b.path))
            );
        }
        assert_eq!(
            by_id("v1_endpointCreate").map(|o| o.path),
            Some("/openapi/v1/elastic/deploy/create")
        );
    }
}
