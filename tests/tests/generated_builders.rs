//! Compile-only: every generated builder, called the way the facade calls it. A change in a
//! builder's shape (renamed parameter, new required field) breaks this build.

#![allow(dead_code, unused_must_use, clippy::let_underscore_future)]

use yotta_api::prelude::*;
use yotta_api::types::*;

async fn every_builder(c: &Client) {
    let resources = vec![OpenapiElasticResource {
        region: "us-east-1".try_into().unwrap(),
        gpu_type: "NVIDIA_RTX_4090_24G".try_into().unwrap(),
        gpu_count: 1,
    }];
    c.v1_endpoint_create()
        .body(OpenapiElasticCreateRequest::builder())
        .send();
    c.v1_endpoint_list().status_list(vec!["RUNNING".to_string()]).send();
    c.v1_endpoint_detail().id(1).send();
    c.v1_endpoint_update()
        .id(1)
        .body(OpenapiElasticUpdateRequest::builder())
        .send();
    c.v1_endpoint_start().id(1).send();
    c.v1_endpoint_stop().id(1).send();
    c.v1_endpoint_delete().id(1).send();
    c.v1_endpoint_scale()
        .id(1)
        .body(OpenapiElasticWorkerScaleRequest { workers: 2 })
        .send();
    c.v1_endpoint_workers()
        .id(1)
        .status_list(vec!["RUNNING".to_string()])
        .send();
    c.v1_query_worker_logs()
        .id(1)
        .worker_id(2)
        .page_size(100)
        .keyword("x")
        .start_time("0")
        .end_time("1")
        .search_after_time("1")
        .search_after_offset(2)
        .direction("Backward")
        .send();

    c.v2_create_endpoint()
        .body(ElasticV2CreateRequest::builder().resources(resources.clone()))
        .send();
    c.v2_list_endpoints().status_list(vec!["RUNNING".to_string()]).send();
    c.v2_get_endpoint().id(1).send();
    c.v2_update_endpoint()
        .id(1)
        .body(ElasticV2UpdateRequest::builder().resources(resources))
        .send();
    c.v2_start_endpoint().id(1).send();
    c.v2_stop_endpoint().id(1).send();
    c.v2_delete_endpoint().id(1).send();
    c.v2_scale_workers().id(1).count(3).send();
    c.v2_list_workers()
        .id(1)
        .status_list(vec!["RUNNING".to_string()])
        .send();
    c.v2_query_worker_logs()
        .id(1)
        .worker_id("w")
        .page_size(100)
        .keyword("x")
        .start_time("0")
        .end_time("1")
        .search_after_time("1")
        .search_after_offset(2)
        .direction("Forward")
        .send();
    c.v2_submit_task()
        .id(1)
        .body(ElasticV2SubmitTaskRequest::builder().input(serde_json::json!({})))
        .send();
    c.v2_get_task().id(1).task_id("t").send();
    c.v2_list_tasks()
        .id(1)
        .status("SUCCESS")
        .page_number(1)
        .page_size(10)
        .send();
    c.v2_get_task_count().id(1).send();
}

#[test]
fn every_builder_compiles() {
    // The body above is type-checked, never run: it would need a server for every call.
    let _ = every_builder;
}
