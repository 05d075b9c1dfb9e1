//! Every example response in the v2 guide decodes through the facade, with the values the
//! guide shows (ids exact, `webhook: null`, `error: null`, numbers and strings as documented).

use serde_json::Value;
use yotta::decode::decode_response;
use yotta::{ApiVersion, Operation};

/// The guide's fenced blocks that are response envelopes (they have a `code`).
fn guide_responses() -> Vec<Value> {
    // The published examples are indented with U+00A0 (no-break space), which JSON does not
    // allow as whitespace: as a user pasting them would, read them with plain spaces.
    let guide = include_str!("../../../../openapi/v2-guide-serverless.md").replace('\u{a0}', " ");
    let mut responses = Vec::new();
    let mut block: Option<String> = None;
    for line in guide.lines() {
        match (&mut block, line.trim_start().starts_with("```")) {
            (None, true) => block = Some(String::new()),
            (Some(text), true) => {
                if let Ok(value) = serde_json::from_str::<Value>(text)
                    && value.get("code").is_some()
                {
                    responses.push(value);
                }
                block = None;
            }
            (Some(text), false) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, false) => {}
        }
    }
    responses
}

fn which_operation(response: &Value) -> Operation {
    let data = &response["data"];
    if data.get("logs").is_some() {
        Operation::WorkerLogs
    } else if data.get("items").is_some() {
        Operation::ListTasks
    } else if data.get("processing").is_some() {
        Operation::TaskCount
    } else if data.get("input").is_some() {
        Operation::GetTask
    } else if data.get("id").is_some() {
        Operation::CreateEndpoint
    } else if data.get("taskId").is_some() {
        Operation::SubmitTask
    } else {
        panic!("unrecognised guide example: {response}")
    }
}

#[test]
fn every_guide_response_decodes() {
    let responses = guide_responses();
    let mut seen: Vec<Operation> = responses.iter().map(which_operation).collect();
    seen.sort_by_key(|o| o.name());
    assert_eq!(
        seen,
        [
            Operation::CreateEndpoint,
            Operation::GetTask,
            Operation::ListTasks,
            Operation::SubmitTask,
            Operation::TaskCount,
            Operation::WorkerLogs
        ],
        "the guide's six example responses"
    );
    for response in &responses {
        let body = serde_json::to_vec(response).unwrap();
        let operation = which_operation(response);
        let decoded = decode_response(operation, ApiVersion::V2, &body)
            .unwrap_or_else(|e| panic!("{operation} example did not decode: {e}"));
        match operation {
            Operation::CreateEndpoint => {
                assert_eq!(decoded["id"], "378888638324150969");
                assert_eq!(decoded["status"], "RUNNING");
                assert_eq!(decoded["cost"], 1.5);
                assert_eq!(decoded["webhook"], Value::Null);
                assert_eq!(decoded["serviceMode"], "QUEUE");
            }
            Operation::GetTask => {
                assert_eq!(decoded["taskId"], "my_task_001");
                assert_eq!(decoded["endpointId"], "456");
                assert_eq!(decoded["output"]["response"], "Hi there!");
                assert_eq!(decoded["headers"]["Authorization"], "Bearer token123");
                assert_eq!(decoded["error"], Value::Null);
                assert_eq!(decoded["deliveredAt"], 1705306260000i64);
            }
            Operation::ListTasks => {
                assert_eq!(decoded["total"], 42);
                assert_eq!(decoded["pages"], 5);
                assert_eq!(decoded["items"][0]["deliveryStatus"], "SUCCESS");
            }
            Operation::TaskCount => assert_eq!(decoded["processing"], 10),
            Operation::WorkerLogs => {
                assert_eq!(decoded["hasMore"], true);
                assert_eq!(
                    decoded["next"],
                    serde_json::json!({"time": "1705306215123", "offset": 12400})
                );
                assert_eq!(decoded["logs"][0]["offset"], 12345);
            }
            Operation::SubmitTask => assert_eq!(decoded, "my_task_001"),
            _ => unreachable!(),
        }
    }
}

#[test]
fn the_create_example_also_decodes_as_a_v1_detail() {
    // The same backend answers v1 with the same shape (id as a string there too).
    let create = guide_responses()
        .into_iter()
        .find(|r| which_operation(r) == Operation::CreateEndpoint)
        .unwrap();
    let decoded = decode_response(
        Operation::GetEndpoint,
        ApiVersion::V1,
        &serde_json::to_vec(&create).unwrap(),
    )
    .unwrap();
    assert_eq!(decoded["id"], "378888638324150969");
}
