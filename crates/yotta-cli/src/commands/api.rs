//! `yotta api METHOD PATH [--data JSON|@FILE] [--paginate]`: a raw request with the key, for
//! what the other commands do not cover, printing the API's envelope as it came.
//!
//! The routes and their parameters come from the generated operation table
//! (`yotta_api::operations::ALL`): a known route's unknown query parameter is refused by name,
//! and `--paginate` knows which routes page and how (a `pageNumber` parameter: task lists; the
//! `searchAfterTime`/`searchAfterOffset` cursor: worker logs). The request goes through the
//! facade's own transport, so the same rules hold as for every other command: the base URL and
//! key are checked by the facade (https unless loopback), redirects are followed only within the
//! API's origin (the key never goes elsewhere), and bodies larger than `--max-body-bytes` are
//! refused.

use crate::args::{ApiArgs, ApiKey, ApiMethod, Cli};
use crate::exit::{CliResult, Failure};
use crate::input::Document;
use crate::output::escape;
use crate::progress::eprintln_line;
use crate::settings::Settings;
use serde_json::Value;
use std::borrow::Cow;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};
use yotta::transport::{HttpRequest, HttpResponse, ReqwestTransport, Transport};
use yotta_api::operation::{Method, Operation, ParamIn};
use yotta_api::operations::ALL;

/// The business code of success.
const OK: i64 = 10000;

/// Pages in a row that claim more log lines but carry none before `--paginate` gives up (as the
/// facade's log stream does).
const MAX_EMPTY_PAGES: u32 = 10;

pub async fn run(settings: &Settings, cli: &Cli, args: &ApiArgs) -> CliResult {
    // The facade's client checks the base URL and the key (and fails without a key).
    let client = settings.client(cli)?;
    let method = method(args.method);
    let mut target = Target::parse(&args.path)?;
    let operation = find_operation(method, &target.path);
    if let Some(operation) = operation {
        check_query(operation, &target)?;
    }
    let body = match &args.data {
        Some(_) if matches!(method, Method::Get | Method::Delete) => {
            return Err(Failure::Usage(format!("--data: a {method} request carries no body")));
        }
        Some(data) => Some(body(data)?),
        None => None,
    };
    let paging = match (args.paginate, operation) {
        (false, _) => None,
        (true, Some(operation)) => Some(paging(operation).ok_or_else(|| not_paged(method, &target.path))?),
        (true, None) => return Err(not_paged(method, &target.path)),
    };
    let sender = Sender {
        transport: ReqwestTransport::new()?,
        base: client.base_url().to_string(),
        key: settings.key.clone(),
        timeout: cli.request_timeout,
        max_body_bytes: cli.max_body_bytes,
        debug: cli.debug,
        method,
        body,
    };
    let Some(paging) = paging else {
        let envelope = sender.send(&target).await?;
        let mut out = std::io::stdout().lock();
        crate::output::write_json(&mut out, &envelope.value)?;
        writeln!(out)?;
        out.flush()?;
        return envelope.verdict;
    };

    // One envelope per line, printed as it arrives: constant memory, however many pages.
    let mut empty_pages = 0;
    let mut previous_first: Option<Value> = None;
    loop {
        let envelope = sender.send(&target).await?;
        let mut out = std::io::stdout().lock();
        crate::output::write_json_line(&mut out, &envelope.value)?;
        writeln!(out)?;
        out.flush()?;
        drop(out);
        envelope.verdict?;
        let data = &envelope.value["data"];
        let misbehaving = |rule: &str| Failure::Raw {
            message: format!("{method} {}: --paginate stopped: {rule}", target.display()),
            unauthorized: false,
        };
        match paging {
            Paging::PageNumber => {
                let asked = target
                    .get("pageNumber")
                    .and_then(|n| n.parse::<i64>().ok())
                    .unwrap_or(1);
                let items = data["items"].as_array().map_or(&[][..], Vec::as_slice);
                let page = data["page"].as_i64().unwrap_or(asked);
                let pages = data["pages"].as_i64().unwrap_or(page);
                if page != asked {
                    return Err(misbehaving(&format!("page {asked} was answered as page {page}")));
                }
                let first = items.first().cloned();
                if first.is_some() && first == previous_first {
                    return Err(misbehaving(&format!("page {asked} repeats the previous page")));
                }
                if items.is_empty() || page >= pages {
                    return Ok(());
                }
                previous_first = first;
                target.set("pageNumber", &(asked + 1).to_string());
            }
            Paging::Cursor => {
                if data["hasMore"].as_bool() != Some(true) {
                    return Ok(());
                }
                let time = scalar(&data["nextSearchAfterTime"]);
                let offset = scalar(&data["nextSearchAfterOffset"]);
                let (Some(time), Some(offset)) = (time, offset) else {
                    return Err(misbehaving(
                        "the API reported more log lines but no cursor to continue from",
                    ));
                };
                if target.get("searchAfterTime") == Some(time.as_str())
                    && target.get("searchAfterOffset") == Some(offset.as_str())
                {
                    return Err(misbehaving(
                        "the log cursor did not advance (the API sent the same page again)",
                    ));
                }
                let empty = data["logs"].as_array().is_none_or(Vec::is_empty);
                empty_pages = if empty { empty_pages + 1 } else { 0 };
                if empty_pages >= MAX_EMPTY_PAGES {
                    return Err(misbehaving(&format!(
                        "the API reported more log lines but sent none {MAX_EMPTY_PAGES} times in a row"
                    )));
                }
                target.set("searchAfterTime", &time);
                target.set("searchAfterOffset", &offset);
            }
        }
    }
}

fn method(method: ApiMethod) -> Method {
    match method {
        ApiMethod::Get => Method::Get,
        ApiMethod::Post => Method::Post,
        ApiMethod::Put => Method::Put,
        ApiMethod::Patch => Method::Patch,
        ApiMethod::Delete => Method::Delete,
    }
}

/// A cursor value as the next query wants it: a string as is, a number as written.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn not_paged(method: Method, path: &str) -> Failure {
    let paged: Vec<String> = ALL
        .iter()
        .filter(|op| paging(op).is_some())
        .map(|op| format!("{} {}", op.method, op.path))
        .collect();
    Failure::Usage(format!(
        "--paginate: {method} {path} does not page; these routes do: {}",
        paged.join(", ")
    ))
}

/// How a route pages, from its documented parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Paging {
    /// `pageNumber`, with `page`/`pages`/`items` in the answer (task lists).
    PageNumber,
    /// `searchAfterTime` + `searchAfterOffset`, with `hasMore` and the next cursor in the answer
    /// (worker logs).
    Cursor,
}

fn paging(operation: &Operation) -> Option<Paging> {
    let has = |name: &str| {
        operation
            .params
            .iter()
            .any(|p| p.name == name && p.location == ParamIn::Query)
    };
    if has("pageNumber") {
        Some(Paging::PageNumber)
    } else if has("searchAfterTime") && has("searchAfterOffset") {
        Some(Paging::Cursor)
    } else {
        None
    }
}

/// The operation serving `method path`: templates match segment by segment (`{id}` matches any
/// segment), and the one with the most literal segments wins (`tasks/count` over
/// `tasks/{taskId}`).
fn find_operation(method: Method, path: &str) -> Option<&'static Operation> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    ALL.iter()
        .copied()
        .filter(|op| op.method == method)
        .filter_map(|op| {
            let template: Vec<&str> = op.path.split('/').collect();
            if template.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (want, got) in template.iter().zip(&segments) {
                if want.starts_with('{') {
                    if got.is_empty() {
                        return None;
                    }
                } else if want == got {
                    literal += 1;
                } else {
                    return None;
                }
            }
            Some((literal, op))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, op)| op)
}

/// A known route's query may only hold its documented parameters: a misspelt one (`pagesize`)
/// would otherwise be ignored by the API without a word.
fn check_query(operation: &Operation, target: &Target) -> CliResult {
    let known: Vec<&str> = operation
        .params
        .iter()
        .filter(|p| p.location == ParamIn::Query)
        .map(|p| p.name)
        .collect();
    for (name, _) in &target.query {
        if !known.contains(&name.as_str()) {
            let expected = if known.is_empty() {
                "it takes none".to_string()
            } else {
                format!("expected one of {}", known.join(", "))
            };
            return Err(Failure::Usage(format!(
                "invalid PATH: unknown query parameter `{name}` for {} {}: {expected}",
                operation.method, operation.path
            )));
        }
    }
    Ok(())
}

/// `--data`: JSON text, or `@FILE` (`@-`: stdin), checked to be JSON before it is sent.
fn body(data: &str) -> CliResult<Vec<u8>> {
    let (name, text) = match data.strip_prefix('@') {
        Some(file) => {
            let document = Document::read(Path::new(file))?;
            (document.name, document.text)
        }
        None => ("--data".to_string(), data.to_string()),
    };
    serde_json::from_str::<Value>(&text).map_err(|e| Failure::Usage(format!("{name} is not valid JSON: {e}")))?;
    Ok(text.into_bytes())
}

/// A path and its query, as `name=value` pairs kept as written (already URL-encoded).
struct Target {
    path: String,
    query: Vec<(String, String)>,
}

impl Target {
    fn parse(text: &str) -> CliResult<Self> {
        let invalid = |rule: &str| Failure::Usage(format!("invalid PATH: {rule} (got {text:?})"));
        if !text.starts_with('/') || text.starts_with("//") {
            return Err(invalid(
                "must be a path like /v2/serverless: the scheme and host come from the base URL",
            ));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) || text.contains('#') {
            return Err(invalid("must not contain spaces, control characters or '#'"));
        }
        let (path, query) = text.split_once('?').unwrap_or((text, ""));
        let query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (name.to_string(), value.to_string())
            })
            .collect();
        Ok(Self {
            path: path.to_string(),
            query,
        })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Sets `name` to `value` (URL-encoded here), replacing any value it had.
    fn set(&mut self, name: &str, value: &str) {
        let mut encoded = String::new();
        yotta_api::operation::percent_encode(value, &mut encoded);
        let value = encoded;
        match self.query.iter_mut().find(|(n, _)| n == name) {
            Some(pair) => pair.1 = value,
            None => self.query.push((name.to_string(), value)),
        }
    }

    fn display(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let pairs: Vec<String> = self.query.iter().map(|(n, v)| format!("{n}={v}")).collect();
        format!("{}?{}", self.path, pairs.join("&"))
    }
}

/// Sends one request per call, through the facade's transport.
struct Sender {
    transport: ReqwestTransport,
    base: String,
    key: Option<ApiKey>,
    timeout: Duration,
    max_body_bytes: usize,
    debug: bool,
    method: Method,
    body: Option<Vec<u8>>,
}

/// An answer: the JSON to print, and whether it is a success.
struct Envelope {
    value: Value,
    verdict: CliResult,
}

impl Sender {
    async fn send(&self, target: &Target) -> CliResult<Envelope> {
        let shown = target.display();
        let mut headers: Vec<(Cow<'static, str>, String)> = vec![(Cow::Borrowed("accept"), "application/json".into())];
        if let Some(key) = &self.key {
            headers.push((Cow::Borrowed("x-api-key"), key.expose().to_string()));
        }
        if self.body.is_some() {
            headers.push((Cow::Borrowed("content-type"), "application/json".into()));
        }
        let request = HttpRequest {
            method: self.method,
            url: format!("{}{shown}", self.base),
            headers,
            body: self.body.clone(),
            max_body_bytes: self.max_body_bytes,
        };
        let failed = |message: String| Failure::Raw {
            message: format!("{} {shown}: {message}", self.method),
            unauthorized: false,
        };
        let started = Instant::now();
        let outcome = tokio::time::timeout(self.timeout, self.transport.send(&request)).await;
        let response: Result<HttpResponse, String> = match outcome {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(error)) => Err(error.to_string()),
            Err(_) => Err(format!(
                "no response within {}",
                humantime::format_duration(self.timeout)
            )),
        };
        if self.debug {
            let status = match &response {
                Ok(response) => response.status.to_string(),
                Err(_) => "no response".to_string(),
            };
            let mut line = format!(
                "debug: {} {shown} -> {status} (attempt 1, {} ms)",
                self.method,
                started.elapsed().as_millis()
            );
            if let Err(error) = &response {
                line.push_str(&format!(": {error}"));
            }
            eprintln_line(&escape(&line));
        }
        let response = response.map_err(failed)?;
        let status = response.status;
        let unauthorized = matches!(status, 401 | 403);
        let value: Value = match serde_json::from_slice(&response.body) {
            Ok(value) => value,
            Err(error) => {
                let what = if response.body.is_empty() {
                    "an empty body".to_string()
                } else {
                    format!("not JSON ({error}): {}", summary(&response.body))
                };
                let redirect = if (300..400).contains(&status) {
                    " (a redirect to another origin, or too many, is not followed)"
                } else {
                    ""
                };
                return Err(Failure::Raw {
                    message: format!("{} {shown}: HTTP {status}{redirect}: {what}", self.method),
                    unauthorized,
                });
            }
        };
        let code = value.get("code").and_then(Value::as_i64);
        let verdict = if !(200..300).contains(&status) {
            Err(Failure::Raw {
                message: format!("{} {shown}: HTTP {status}{}", self.method, describe(&value)),
                unauthorized,
            })
        } else if let Some(code) = code.filter(|c| *c != OK) {
            let kind = i32::try_from(code).map_or(yotta::ErrorKind::Unknown, yotta::business_code_kind);
            Err(Failure::Raw {
                message: format!("{} {shown}: code {code} ({kind}){}", self.method, describe(&value)),
                unauthorized: kind == yotta::ErrorKind::Unauthorized,
            })
        } else {
            Ok(())
        };
        Ok(Envelope { value, verdict })
    }
}

/// `: <message>` of an envelope, when it has one.
fn describe(value: &Value) -> String {
    match value.get("message").and_then(Value::as_str) {
        Some(message) if !message.is_empty() => format!(": {message}"),
        _ => String::new(),
    }
}

/// One line saying what a body is (the facade's description, from its first 4 KiB).
fn summary(body: &[u8]) -> String {
    yotta::transport::body_summary(&String::from_utf8_lossy(&body[..body.len().min(4096)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_found_in_the_operation_table() {
        let op = find_operation(Method::Get, "/v2/serverless/123/tasks/count").unwrap();
        assert_eq!(op.id, "v2_getTaskCount");
        let op = find_operation(Method::Get, "/v2/serverless/123/tasks/t_1").unwrap();
        assert_eq!(op.id, "v2_getTask");
        assert_eq!(paging(op), None);
        let op = find_operation(Method::Get, "/v2/serverless/123/tasks").unwrap();
        assert_eq!(paging(op), Some(Paging::PageNumber));
        let op = find_operation(Method::Get, "/openapi/v1/elastic/deploy/1/workers/2/logs").unwrap();
        assert_eq!(paging(op), Some(Paging::Cursor));
        assert!(find_operation(Method::Get, "/v2/unknown").is_none());
        assert!(find_operation(Method::Put, "/v2/serverless/1/tasks").is_none());
        assert_eq!(
            find_operation(Method::Get, "/v2/serverless/").unwrap().id,
            "v2_listEndpoints"
        );
    }

    #[test]
    fn paths_and_queries() {
        let mut target = Target::parse("/v2/serverless/1/tasks?pageSize=5&status=SUCCESS").unwrap();
        assert_eq!(target.get("pageSize"), Some("5"));
        target.set("pageNumber", "2");
        target.set("pageSize", "a b:+");
        assert_eq!(
            target.display(),
            "/v2/serverless/1/tasks?pageSize=a%20b%3A%2B&status=SUCCESS&pageNumber=2"
        );
        for bad in [
            "v2/serverless",
            "https://evil.example/v2",
            "//evil.example/v2",
            "/v2 x",
            "/v2#f",
        ] {
            let Err(Failure::Usage(message)) = Target::parse(bad) else {
                panic!("{bad}")
            };
            assert!(message.starts_with("invalid PATH: "), "{message}");
        }
        let op = find_operation(Method::Get, "/v2/serverless/1/tasks").unwrap();
        let typo = Target::parse("/v2/serverless/1/tasks?pagesize=5").unwrap();
        let Err(Failure::Usage(message)) = check_query(op, &typo) else {
            panic!()
        };
        assert!(message.contains("unknown query parameter `pagesize`"), "{message}");
        assert!(message.contains("pageNumber, pageSize"), "{message}");
    }

    #[test]
    fn bodies_summarise() {
        assert_eq!(
            summary(b"<html><head><title>502 Bad Gateway</title></head></html>"),
            "502 Bad Gateway (HTML page)"
        );
        assert_eq!(summary(b"plain\nsecond"), "plain");
        assert!(summary("x".repeat(500).as_bytes()).ends_with('…'));
        assert!(body("{not json").is_err());
        assert_eq!(body(r#"{"a":1}"#).unwrap(), br#"{"a":1}"#);
    }
}
