//! The generated client on the wire, against a local server: paths, query encoding, the
//! API-key header, no progenitor `api-version` header, and tolerant decoding.

use yotta_api::prelude::*;
use yotta_testkit::Hostile;

fn client(base_url: &str) -> Client {
    let context = yotta_api::RequestContext::with_api_key("test-key-123").unwrap();
    Client::new_with_client(base_url, reqwest::Client::new(), context)
}

#[tokio::test]
async fn requests_carry_the_key_repeat_status_list_and_skip_api_version() {
    let list = r#"{"code":10000,"message":"success","data":[
        {"id":378888638324150969,"name":"a","status":"DELETED","serviceMode":"HYBRID","cost":"1.25","webhook":null,"environmentVars":null}]}"#;
    let server = Hostile::canned(vec![(200, list.into()), (200, r#"{"code":14000,"data":null}"#.into())]).await;
    let api = client(&server.base_url);

    let page = api
        .v2_list_endpoints()
        .status_list(vec!["RUNNING".into(), "STOPPED".into()])
        .send()
        .await
        .unwrap();
    let endpoint = &page.data.as_ref().unwrap()[0];
    assert_eq!(
        endpoint.id.as_ref().unwrap().as_str(),
        "378888638324150969",
        "id above 2^53 kept exactly"
    );
    assert_eq!(
        endpoint.status.as_deref(),
        Some("DELETED"),
        "unknown status values parse"
    );
    assert_eq!(endpoint.service_mode.as_deref(), Some("HYBRID"));
    assert_eq!(
        endpoint.cost.as_ref().unwrap().as_f64(),
        1.25,
        "v1-guide string amounts parse"
    );

    let missing = api.v2_get_endpoint().id(378888638324150969_i64).send().await.unwrap();
    assert_eq!(missing.code, Some(14000));
    assert!(missing.data.is_none(), "a null data envelope parses");

    let requests = server.seen();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(
        requests[0].target,
        "/v2/serverless?statusList=RUNNING&statusList=STOPPED"
    );
    assert_eq!(requests[1].target, "/v2/serverless/378888638324150969");
    for request in &requests {
        assert_eq!(request.header("x-api-key"), Some("test-key-123"));
        assert_eq!(
            request.header("api-version"),
            None,
            "progenitor's api-version header is removed"
        );
    }
}

#[tokio::test]
async fn v1_bodies_and_null_arrays() {
    let detail = r#"{"code":10000,"message":"success","data":{"id":"378888638324150969","credentialId":"42","cost":0.5,"uptime":"1000"}}"#;
    let workers = r#"{"code":10000,"message":"success","data":[{"id":"7","uptime":"86400000","cost":"0.0004","status":"INITIALIZE"}]}"#;
    let server = Hostile::canned(vec![
        (200, detail.into()),
        (
            200,
            r#"{"code":24001,"message":"Elastic does not exist","data":null}"#.into(),
        ),
        (200, workers.into()),
        (200, r#"{"code":10000,"message":"success","data":null}"#.into()),
    ])
    .await;
    let api = client(&server.base_url);
    let scale = yotta_api::types::OpenapiElasticWorkerScaleRequest { workers: 3 };

    let created = api.v1_get_endpoint().id(1).send().await.unwrap();
    let data = created.data.as_ref().unwrap();
    assert_eq!(data.id.as_ref().unwrap().as_str(), "378888638324150969");
    assert_eq!(data.credential_id.as_ref().unwrap().as_str(), "42");
    let missing = api.v1_list_workers().id(2).send().await.unwrap();
    assert!(missing.data.is_none(), "null list parses as absent");
    let listed = api
        .v1_list_workers()
        .id(2)
        .status_list(vec!["RUNNING".into()])
        .send()
        .await
        .unwrap();
    let worker = &listed.data.as_ref().unwrap()[0];
    assert_eq!(worker.uptime.unwrap().get(), 86_400_000);
    assert_eq!(worker.cost.as_ref().unwrap().as_str(), "0.0004");
    api.v1_scale_workers().id(3).body(scale).send().await.unwrap();

    let requests = server.seen();
    assert_eq!(requests[0].target, "/openapi/v1/elastic/deploy/1");
    assert_eq!(
        requests[2].target,
        "/openapi/v1/elastic/deploy/2/workers?statusList=RUNNING"
    );
    assert_eq!(requests[3].method, "POST");
    assert_eq!(requests[3].target, "/openapi/v1/elastic/deploy/3/workers");
    assert_eq!(requests[3].body, r#"{"workers":3}"#);
}

#[tokio::test]
async fn an_html_error_page_keeps_its_status() {
    let server = Hostile::canned(vec![(502, "<html><body>Bad Gateway</body></html>".into())]).await;
    let error = client(&server.base_url)
        .v2_get_task_count()
        .id(5)
        .send()
        .await
        .unwrap_err();
    match error {
        yotta_api::Error::UnexpectedResponse(response) => {
            assert_eq!(response.status().as_u16(), 502);
            assert!(response.text().await.unwrap().contains("Bad Gateway"));
        }
        other => panic!("expected the raw response, got {other:?}"),
    }
    assert_eq!(server.seen().len(), 1, "an error status is not retried");
}
