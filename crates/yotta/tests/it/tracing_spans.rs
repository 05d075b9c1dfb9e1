//! Each facade call runs in a `yotta.call` tracing span carrying its operation, API version,
//! attempt number, business code and duration.

use crate::sim::{client, simulator};
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use yotta::ApiVersion;
use yotta_sim::{FaultKind, FaultSpec};

/// A span's fields as (name, value) pairs.
type SpanFields = Vec<(String, String)>;

/// The fields of every closed `yotta.call` span.
#[derive(Clone, Default)]
struct Calls(Arc<Mutex<Vec<SpanFields>>>);

struct Fields(SpanFields);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.retain(|(name, _)| name != field.name());
        self.0.push((
            field.name().to_string(),
            format!("{value:?}").trim_matches('"').to_string(),
        ));
    }
}

impl<S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>> Layer<S> for Calls {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields(Vec::new());
        attrs.record(&mut fields);
        ctx.span(id).unwrap().extensions_mut().insert(fields);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let span = ctx.span(id).unwrap();
        let mut extensions = span.extensions_mut();
        values.record(extensions.get_mut::<Fields>().unwrap());
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let span = ctx.span(&id).unwrap();
        if span.name() == "yotta.call" {
            let fields = span.extensions_mut().remove::<Fields>().unwrap();
            self.0.lock().unwrap().push(fields.0);
        }
    }
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn every_call_has_a_span_with_operation_version_attempt_code_and_duration() {
    let calls = Calls::default();
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(calls.clone()));
    let sim = simulator().await;
    let yotta = client(&sim, ApiVersion::V1);

    sim.add_fault(FaultSpec {
        method: Some("GET".into()),
        count: Some(1),
        ..FaultSpec::new(FaultKind::Error)
    });
    yotta.endpoints().list(&[]).await.unwrap();
    let error = yotta.endpoints().get("123").await.unwrap_err();
    assert_eq!(error.code(), Some(24001));

    let recorded = calls.0.lock().unwrap().clone();
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    let list = &recorded[0];
    assert_eq!(field(list, "operation"), Some("listEndpoints"));
    assert_eq!(field(list, "version"), Some("v1"));
    assert_eq!(field(list, "wire_operation"), Some("v1_listEndpoints"));
    assert_eq!(field(list, "attempt"), Some("2"), "one retry after the injected 503");
    assert_eq!(field(list, "code"), Some("10000"));
    assert!(field(list, "duration_ms").is_some_and(|d| d.parse::<u64>().is_ok()));
    let get = &recorded[1];
    assert_eq!(field(get, "operation"), Some("getEndpoint"));
    assert_eq!(field(get, "code"), Some("24001"));
    assert_eq!(field(get, "http_status"), Some("200"));
}
