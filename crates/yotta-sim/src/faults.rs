//! Injected faults for client reliability tests: what they are, how they are written, and which
//! request they hit. The HTTP side (sleeping, rewriting or dropping responses) is in `http::inject`.
//!
//! Spec syntax (the `--fault` flag; `POST /_sim/faults` also takes it as `{"spec": "..."}`):
//! `KIND[,key=value...]`, e.g. `error,status=502,method=GET,path=/v2/serverless/{id},rate=0.5,count=3`.

use std::str::FromStr;
use std::time::Duration;

use axum::http::Method;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::api::ops;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// Delay the response by `delayMs` (default 1000), then answer normally.
    Latency,
    /// HTTP `status` (default 503, 500..=599) with an HTML body, as a gateway would send.
    #[serde(alias = "5xx")]
    Error,
    /// HTTP 429 with `Retry-After: retryAfter` seconds (default 1).
    #[serde(alias = "429")]
    RateLimit,
    /// Close the connection without sending any response byte.
    Drop,
    /// Run the operation, then send only the first half of the JSON body.
    Truncate,
    /// Run the operation, then send its JSON body with a syntax error (a trailing comma).
    Malformed,
}

/// One fault rule. Unset `method`/`path`/`op` match every API route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    pub kind: FaultKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// A path template such as `/v2/serverless/{id}/tasks`, or a prefix ending in `*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// An operationId from `openapi/yotta.json` (e.g. `v2_submitTask`), instead of method + path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<String>,
    /// Probability (0..=1) that a matching request is hit.
    #[serde(default = "one")]
    pub rate: f64,
    /// Stop after this many hits; unlimited when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

fn one() -> f64 {
    1.0
}

impl FaultSpec {
    pub fn new(kind: FaultKind) -> Self {
        Self {
            kind,
            method: None,
            path: None,
            op: None,
            rate: 1.0,
            count: None,
            status: None,
            delay_ms: None,
            retry_after: None,
        }
    }

    /// Checks ranges and resolves `op`; every error names the offending key.
    pub fn validate(mut self) -> Result<Self, String> {
        if !(0.0..=1.0).contains(&self.rate) {
            return Err(format!("rate must be between 0 and 1, got {}", self.rate));
        }
        if let Some(status) = self.status
            && !(500..=599).contains(&status)
        {
            return Err(format!("status must be a 5xx code, got {status}"));
        }
        if let Some(op_id) = &self.op {
            let op = ops::by_id(op_id).ok_or_else(|| format!("op: unknown operationId {op_id:?}"))?;
            self.method = Some(op.method.as_str().to_owned());
            self.path = Some(op.path.to_owned());
        }
        if let Some(m) = &mut self.method {
            m.make_ascii_uppercase();
        }
        Ok(self)
    }

    fn matches(&self, method: &Method, template: &str) -> bool {
        let method_ok = self.method.as_deref().is_none_or(|m| m == "*" || m == method.as_str());
        let path_ok = self.path.as_deref().is_none_or(|p| match p.strip_suffix('*') {
            Some(prefix) => template.starts_with(prefix),
            None => p == template,
        });
        method_ok && path_ok
    }
}

impl FromStr for FaultSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut parts = s.split(',').map(str::trim).filter(|p| !p.is_empty());
        let kind_text = parts.next().ok_or("empty fault spec")?;
        let kind: FaultKind = serde_json::from_value(serde_json::Value::String(kind_text.to_ascii_lowercase()))
            .map_err(|_| {
                format!("unknown fault kind {kind_text:?} (latency, error, rate-limit, drop, truncate, malformed)")
            })?;
        let mut spec = FaultSpec::new(kind);
        for part in parts {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("expected key=value, got {part:?}"))?;
            let bad = |what: &str| format!("{key}: {what}, got {value:?}");
            match key {
                "method" => spec.method = Some(value.to_owned()),
                "path" => spec.path = Some(value.to_owned()),
                "op" => spec.op = Some(value.to_owned()),
                "rate" => spec.rate = value.parse().map_err(|_| bad("expected a number"))?,
                "count" => spec.count = Some(value.parse().map_err(|_| bad("expected an integer"))?),
                "status" => spec.status = Some(value.parse().map_err(|_| bad("expected an HTTP status"))?),
                "delay" => {
                    let d = humantime::parse_duration(value).map_err(|_| bad("expected a duration like 250ms"))?;
                    spec.delay_ms = Some(d.as_millis().min(u128::from(u64::MAX)) as u64);
                }
                "retry-after" | "retryAfter" => {
                    spec.retry_after = Some(value.parse().map_err(|_| bad("expected whole seconds"))?)
                }
                _ => return Err(format!("unknown key {key:?}")),
            }
        }
        spec.validate()
    }
}

/// What to do to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAction {
    Error(u16),
    RateLimit(u64),
    Drop,
    Truncate,
    Malformed,
}

#[derive(Debug, Default)]
pub struct Decision {
    pub delay: Duration,
    pub action: Option<FaultAction>,
    /// Names of the faults that fired, for the request log.
    pub fired: Vec<FaultKind>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveFault {
    pub id: u64,
    #[serde(flatten)]
    pub spec: FaultSpec,
    pub hits: u64,
}

/// The live fault rules, consulted once per API request.
#[derive(Debug)]
pub struct Faults {
    rules: Vec<ActiveFault>,
    next_id: u64,
    rng: StdRng,
}

impl Faults {
    pub fn new(seed: u64, initial: impl IntoIterator<Item = FaultSpec>) -> Self {
        let mut faults = Self {
            rules: Vec::new(),
            next_id: 1,
            rng: StdRng::seed_from_u64(seed),
        };
        for spec in initial {
            faults.add(spec);
        }
        faults
    }

    /// Adds a rule. Specs built in code skip [`FaultSpec::validate`], so the method is normalised
    /// and `op` resolved here too, and `decide` tolerates out-of-range values.
    pub fn add(&mut self, mut spec: FaultSpec) -> ActiveFault {
        if let Some(op) = spec.op.as_deref().and_then(ops::by_id) {
            spec.method = Some(op.method.as_str().to_owned());
            spec.path = Some(op.path.to_owned());
        }
        if let Some(m) = &mut spec.method {
            m.make_ascii_uppercase();
        }
        let rule = ActiveFault {
            id: self.next_id,
            spec,
            hits: 0,
        };
        self.next_id += 1;
        self.rules.push(rule.clone());
        rule
    }

    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        before != self.rules.len()
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    pub fn list(&self) -> Vec<ActiveFault> {
        self.rules.clone()
    }

    /// Latency rules add up; the first other rule that fires decides the action.
    pub fn decide(&mut self, method: &Method, template: &str) -> Decision {
        let mut decision = Decision::default();
        for rule in &mut self.rules {
            if !rule.spec.matches(method, template) || rule.spec.count.is_some_and(|c| rule.hits >= c) {
                continue;
            }
            let is_latency = rule.spec.kind == FaultKind::Latency;
            // random_bool panics outside 0..=1; NaN counts as "never".
            let rate = if rule.spec.rate.is_nan() {
                0.0
            } else {
                rule.spec.rate.clamp(0.0, 1.0)
            };
            if (!is_latency && decision.action.is_some()) || !self.rng.random_bool(rate) {
                continue;
            }
            rule.hits += 1;
            decision.fired.push(rule.spec.kind);
            let spec = &rule.spec;
            match spec.kind {
                FaultKind::Latency => {
                    let delay = Duration::from_millis(spec.delay_ms.unwrap_or(1000));
                    decision.delay = decision.delay.saturating_add(delay);
                }
                FaultKind::Error => decision.action = Some(FaultAction::Error(spec.status.unwrap_or(503))),
                FaultKind::RateLimit => decision.action = Some(FaultAction::RateLimit(spec.retry_after.unwrap_or(1))),
                FaultKind::Drop => decision.action = Some(FaultAction::Drop),
                FaultKind::Truncate => decision.action = Some(FaultAction::Truncate),
                FaultKind::Malformed => decision.action = Some(FaultAction::Malformed),
            }
        }
        self.rules.retain(|r| r.spec.count.is_none_or(|c| r.hits < c));
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_syntax() {
        let spec: FaultSpec = "error,status=502,method=get,path=/v2/serverless/{id},rate=0.5,count=3"
            .parse()
            .unwrap();
        assert_eq!(spec.kind, FaultKind::Error);
        assert_eq!((spec.status, spec.count, spec.rate), (Some(502), Some(3), 0.5));
        assert_eq!(spec.method.as_deref(), Some("GET"));
        let spec: FaultSpec = "latency,delay=250ms".parse().unwrap();
        assert_eq!(spec.delay_ms, Some(250));
        let spec: FaultSpec = "429,retry-after=7,op=v2_submitTask".parse().unwrap();
        assert_eq!((spec.kind, spec.retry_after), (FaultKind::RateLimit, Some(7)));
        assert_eq!(spec.path.as_deref(), Some("/v2/serverless/{id}/tasks"));
    }

    #[test]
    fn rejects_bad_specs() {
        for bad in [
            "",
            "explode",
            "error,status=404",
            "drop,rate=2",
            "drop,rate=x",
            "drop,op=nope",
            "drop,zzz=1",
        ] {
            assert!(bad.parse::<FaultSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_expire_and_routes_filter() {
        let mut faults = Faults::new(1, ["drop,path=/v2/*,count=2".parse().unwrap()]);
        let get = Method::GET;
        assert_eq!(faults.decide(&get, "/openapi/v1/elastic/deploy/list").action, None);
        assert_eq!(faults.decide(&get, "/v2/serverless").action, Some(FaultAction::Drop));
        assert_eq!(faults.decide(&get, "/v2/serverless").action, Some(FaultAction::Drop));
        assert_eq!(faults.decide(&get, "/v2/serverless").action, None);
        assert!(faults.list().is_empty());
    }

    #[test]
    fn specs_built_in_code_are_normalised_and_cannot_panic() {
        let mut wild = FaultSpec::new(FaultKind::Latency);
        wild.rate = f64::NAN;
        let mut huge = FaultSpec::new(FaultKind::Latency);
        huge.delay_ms = Some(u64::MAX);
        huge.rate = 7.0;
        let mut lower = FaultSpec::new(FaultKind::Drop);
        lower.method = Some("get".into());
        lower.op = Some("v2_listEndpoints".into());
        let mut faults = Faults::new(3, [wild, huge.clone(), huge, lower]);
        let d = faults.decide(&Method::GET, "/v2/serverless");
        assert_eq!(d.delay, Duration::from_millis(u64::MAX).saturating_mul(2));
        assert_eq!(d.action, Some(FaultAction::Drop));
        assert_eq!(d.fired.len(), 3, "NaN never fires");
    }

    #[test]
    fn latency_adds_up_and_rate_zero_never_fires() {
        let mut faults = Faults::new(
            1,
            ["latency,delay=10ms", "latency,delay=5ms", "error,rate=0"].map(|s| s.parse::<FaultSpec>().unwrap()),
        );
        let d = faults.decide(&Method::POST, "/v2/serverless");
        assert_eq!((d.delay, d.action), (Duration::from_millis(15), None));
    }
}
