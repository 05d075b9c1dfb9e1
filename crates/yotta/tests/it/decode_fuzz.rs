//! Arbitrary JSON (and arbitrary bytes) fed to every response decoder: an error is fine, a
//! panic never is. Realistic bodies with random subtrees replaced reach the deep conversions.

use proptest::prelude::*;
use serde_json::{Value, json};
use yotta::decode::decode_response;
use yotta::{ApiVersion, Operation};

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("JSON has no NaN/inf", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-zA-Z0-9 _.:-]{0,12}".prop_map(Value::String),
        prop_oneof![Just("10000"), Just("-1"), Just("1.5e3"), Just("378888638324150969")]
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Field names the decoders look for, plus noise.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "code",
            "message",
            "data",
            "id",
            "name",
            "status",
            "cost",
            "uptime",
            "logs",
            "hasMore",
            "nextSearchAfterOffset",
            "nextSearchAfterTime",
            "offset",
            "timestamp",
            "log",
            "items",
            "page",
            "pages",
            "total",
            "size",
            "taskId",
            "endpointId",
            "processing",
            "resources",
            "expose",
            "port",
            "environmentVars",
            "key",
            "value",
            "credentialId",
            "input",
            "output",
            "headers",
            "webhookUrl",
        ])
        .prop_map(String::from),
        "[a-z]{1,8}",
    ]
}

/// Realistic success bodies for each kind of response.
fn realistic() -> Vec<Value> {
    let endpoint = json!({"id": 378888638324150969u64, "name": "a", "status": "RUNNING", "cost": "1.5",
        "resources": [{"region": "r", "gpuType": "g", "gpuCount": 1}], "expose": {"port": 80, "protocol": "http"},
        "environmentVars": [{"key": "K", "value": "V"}], "credentialId": 5, "webhookUrl": "http://x"});
    let task =
        json!({"taskId": "t", "endpointId": 1, "status": "SUCCESS", "input": {}, "output": [1], "headers": {"a": "b"}});
    vec![
        json!({"code": 10000, "message": "success", "data": endpoint}),
        json!({"code": 10000, "data": [endpoint]}),
        json!({"code": 10000, "data": [{"id": "7", "status": "RUNNING", "uptime": "1000", "cost": 0.5}]}),
        json!({"code": 10000, "data": {"logs": [{"timestamp": "t", "log": "l", "offset": 1}], "hasMore": true,
            "nextSearchAfterTime": "1", "nextSearchAfterOffset": "2"}}),
        json!({"code": 10000, "data": task}),
        json!({"code": 10000, "data": {"items": [task], "page": 1, "size": 10, "total": 1, "pages": 1}}),
        json!({"code": 10000, "data": {"processing": 3}}),
        json!({"code": 24002, "message": "no", "data": null}),
    ]
}

/// Replaces the node at a random path of `base` with `replacement`.
fn mutate(base: Value, path: &[usize], replacement: Value) -> Value {
    let Some((step, rest)) = path.split_first() else {
        return replacement;
    };
    match base {
        Value::Object(mut map) if !map.is_empty() => {
            let key = map.keys().nth(step % map.len()).unwrap().clone();
            let child = map.remove(&key).unwrap();
            map.insert(key, mutate(child, rest, replacement));
            Value::Object(map)
        }
        Value::Array(mut items) if !items.is_empty() => {
            let index = step % items.len();
            let child = std::mem::take(&mut items[index]);
            items[index] = mutate(child, rest, replacement);
            Value::Array(items)
        }
        _ => replacement,
    }
}

fn decode_everywhere(body: &[u8]) {
    for operation in Operation::ALL {
        for version in [ApiVersion::V1, ApiVersion::V2] {
            let _ = decode_response(operation, version, body);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json()) {
        decode_everywhere(&serde_json::to_vec(&value).unwrap());
        decode_everywhere(&serde_json::to_vec(&json!({"code": 10000, "data": value})).unwrap());
    }

    #[test]
    fn mutated_realistic_bodies_never_panic(
        which in 0usize..8,
        path in prop::collection::vec(any::<usize>(), 0..5),
        replacement in arbitrary_json(),
    ) {
        let body = mutate(realistic()[which].clone(), &path, replacement);
        decode_everywhere(&serde_json::to_vec(&body).unwrap());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        decode_everywhere(&bytes);
    }
}

#[test]
fn realistic_bodies_decode() {
    let bodies = realistic();
    let decoded = decode_response(
        Operation::GetEndpoint,
        ApiVersion::V2,
        &serde_json::to_vec(&bodies[0]).unwrap(),
    )
    .unwrap();
    assert_eq!(decoded["id"], "378888638324150969", "ids above 2^53 survive exactly");
    let error = decode_response(
        Operation::DeleteEndpoint,
        ApiVersion::V1,
        &serde_json::to_vec(&bodies[7]).unwrap(),
    )
    .unwrap_err();
    assert_eq!(error.code(), Some(24002));
}
