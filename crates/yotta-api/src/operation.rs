//! What the generated operation table ([`crate::operations`]) is made of, and how a request
//! becomes the method, path, query, headers and body an HTTP client sends.
//!
//! Encoding is deliberately free of any HTTP library: the facade sends the result with reqwest
//! natively and with `fetch` in browsers, and both see the same bytes.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::{self, Display, Write as _};

/// The API version an operation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    /// `/openapi/v1/...`
    V1,
    /// `/v2/...`
    V2,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1 => "v1",
            Version::V2 => "v2",
        }
    }
}

/// An HTTP method the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamIn {
    /// Replaces `{name}` in the path template.
    Path,
    /// A `name=value` pair of the query string.
    Query,
    /// A request header (the v1 task API's `X-Endpoint-ID`).
    Header,
}

/// A documented parameter of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub location: ParamIn,
    pub required: bool,
    /// An array sent as one `name=value` pair per item.
    pub repeated: bool,
}

/// Whether an operation may be repeated after an ambiguous failure (`x-retry` in
/// `openapi/yotta.json`, set by `retry_safety` in `xtask/src/spec/normalize.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Repeating it leaves the same state (reads, set-to-value writes, deletes).
    Safe,
    /// Repeated only when the request certainly was not processed (creation, start, stop).
    IfNotProcessed,
}

/// A business code the docs list for an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BusinessCode {
    /// The envelope's `code`.
    pub code: i32,
    /// The docs' description of the code for this operation.
    pub description: &'static str,
}

/// The rate limits the docs state for an operation (`x-rate-limit` in `openapi/yotta.json`), which
/// a client's token bucket and the simulator both read. QPS figures are requests per second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests per second for one endpoint (one value of [`RateLimit::endpoint_param`]).
    pub per_endpoint_qps: Option<u32>,
    /// The most tasks one endpoint may hold ("1000 Total Tasks" on task creation).
    pub per_endpoint_total: Option<u32>,
    /// Requests per second of this operation across all endpoints.
    pub global_qps: Option<u32>,
    /// The parameter (a header) whose value the per-endpoint limits count against.
    pub endpoint_param: &'static str,
    /// The page and section stating the limits.
    pub source: &'static str,
}

/// One operation of one API version, as the docs define it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId` in `openapi/yotta.json`, e.g. `v1_listEndpoints`.
    pub id: &'static str,
    pub version: Version,
    pub method: Method,
    /// The path template, e.g. `/v2/serverless/{id}/tasks/{taskId}`.
    pub path: &'static str,
    pub params: &'static [Param],
    /// The request body's schema, if the operation takes one.
    pub body: Option<&'static str>,
    /// The schema of the HTTP 200 response (an envelope `{code, message, data}`).
    pub response: &'static str,
    pub business_codes: &'static [BusinessCode],
    pub retry: Retry,
    /// The documented rate limits, if any.
    pub rate_limit: Option<RateLimit>,
}

/// A request of one operation: its parameters and body, typed as the spec defines them.
pub trait Request {
    /// The envelope an HTTP 200 answer decodes into.
    type Response: DeserializeOwned;
    /// The operation this request belongs to.
    const OPERATION: &'static Operation;

    /// Writes the parameters and body into `out` (generated per operation).
    fn write(&self, out: &mut Encoder) -> Result<(), EncodeError>;

    /// The method, path with query, headers and body to send.
    fn encode(&self) -> Result<Encoded, EncodeError> {
        let mut out = Encoder::new(Self::OPERATION);
        self.write(&mut out)?;
        out.finish()
    }
}

/// A request ready to send, relative to the API's base URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    pub method: Method,
    /// The path with every parameter filled in and percent-encoded, then `?query` if any.
    pub path_and_query: String,
    /// Header parameters (name as documented, value), in the descriptor's order. The API key and
    /// content headers are the sender's business.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body, if the operation takes one.
    pub body: Option<Vec<u8>>,
}

/// Builds an [`Encoded`] request from an operation's path template.
#[derive(Debug)]
pub struct Encoder {
    operation: &'static Operation,
    path: String,
    query: String,
    headers: Vec<(&'static str, String)>,
    /// The first header value that cannot be sent, reported by [`Encoder::finish`].
    bad_header: Option<String>,
    body: Option<Vec<u8>>,
}

impl Encoder {
    pub fn new(operation: &'static Operation) -> Self {
        Self {
            operation,
            path: operation.path.to_string(),
            query: String::new(),
            headers: Vec::new(),
            bad_header: None,
            body: None,
        }
    }

    /// Adds the header `name: value`. A value HTTP cannot carry (a control character such as a
    /// line break, or one outside ASCII) makes [`Encoder::finish`] fail, naming the header.
    pub fn header(&mut self, name: &'static str, value: &dyn Display) {
        let value = value.to_string();
        let unsendable = value
            .bytes()
            .find(|b| !(b.is_ascii_graphic() || *b == b' ' || *b == b'\t'));
        match unsendable {
            Some(byte) if self.bad_header.is_none() => {
                self.bad_header = Some(format!(
                    "header {name}: the value contains byte 0x{byte:02X}; only visible ASCII, spaces and tabs can be sent"
                ));
            }
            Some(_) => {}
            None => self.headers.push((name, value)),
        }
    }

    /// Fills `{name}` in the path with `value`, percent-encoded.
    pub fn path(&mut self, name: &str, value: &dyn Display) {
        let placeholder = format!("{{{name}}}");
        let mut encoded = String::new();
        percent_encode(&value.to_string(), &mut encoded);
        self.path = self.path.replacen(&placeholder, &encoded, 1);
    }

    /// Adds `name=value` to the query, percent-encoded.
    pub fn query(&mut self, name: &str, value: &dyn Display) {
        self.query.push(if self.query.is_empty() { '?' } else { '&' });
        percent_encode(name, &mut self.query);
        self.query.push('=');
        percent_encode(&value.to_string(), &mut self.query);
    }

    /// Sets the JSON body.
    pub fn json<T: Serialize>(&mut self, body: &T) -> Result<(), EncodeError> {
        self.body = Some(serde_json::to_vec(body).map_err(|e| EncodeError {
            operation: self.operation.id,
            message: e.to_string(),
        })?);
        Ok(())
    }

    pub fn finish(self) -> Result<Encoded, EncodeError> {
        if let Some(message) = self.bad_header {
            return Err(EncodeError {
                operation: self.operation.id,
                message,
            });
        }
        // A template parameter left unfilled is a bug in the generated request type.
        if let Some(start) = self.path.find('{') {
            return Err(EncodeError {
                operation: self.operation.id,
                message: format!("path parameter {} was not set", &self.path[start..]),
            });
        }
        Ok(Encoded {
            method: self.operation.method,
            path_and_query: self.path + &self.query,
            headers: self.headers,
            body: self.body,
        })
    }
}

/// A request that could not be encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError {
    pub operation: &'static str,
    pub message: String,
}

impl Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.message)
    }
}

impl std::error::Error for EncodeError {}

/// Percent-encodes everything but RFC 3986's unreserved characters, which is right for a path
/// segment and for a query name or value alike.
pub fn percent_encode(text: &str, out: &mut String) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static GET_LOGS: Operation = Operation {
        id: "v2_queryWorkerLogs",
        version: Version::V2,
        method: Method::Get,
        path: "/v2/serverless/{id}/workers/{workerId}/logs",
        params: &[],
        body: None,
        response: "ResultOpenapiLogResponse",
        business_codes: &[],
        retry: Retry::Safe,
        rate_limit: None,
    };

    #[test]
    fn headers_are_carried_and_unsendable_values_refused() {
        let mut out = Encoder::new(&GET_LOGS);
        out.path("id", &1);
        out.path("workerId", &2);
        out.header("X-Endpoint-ID", &"378888638324150969");
        let encoded = out.finish().unwrap();
        assert_eq!(encoded.headers, [("X-Endpoint-ID", "378888638324150969".to_string())]);
        for bad in ["1\r\nX-Injected: yes", "caf\u{e9}", "a\0b"] {
            let mut out = Encoder::new(&GET_LOGS);
            out.path("id", &1);
            out.path("workerId", &2);
            out.header("X-Endpoint-ID", &bad);
            let error = out.finish().unwrap_err().to_string();
            assert!(error.contains("header X-Endpoint-ID"), "{error}");
        }
    }

    #[test]
    fn parameters_are_filled_in_and_percent_encoded() {
        let mut out = Encoder::new(&GET_LOGS);
        out.path("id", &378_888_638_324_150_969_i64);
        out.path("workerId", &"pod a/b");
        out.query("keyword", &"error & warn=1");
        out.query("statusList", &"RUNNING");
        out.query("statusList", &"STOPPED");
        let encoded = out.finish().unwrap();
        assert_eq!(encoded.method, Method::Get);
        assert_eq!(
            encoded.path_and_query,
            "/v2/serverless/378888638324150969/workers/pod%20a%2Fb/logs?keyword=error%20%26%20warn%3D1&statusList=RUNNING&statusList=STOPPED"
        );
        assert_eq!(encoded.body, None);
    }

    #[test]
    fn a_missing_path_parameter_is_an_error() {
        let mut out = Encoder::new(&GET_LOGS);
        out.path("id", &1);
        let error = out.finish().unwrap_err();
        assert!(error.to_string().contains("{workerId}"), "{error}");
    }

    #[test]
    fn unicode_is_encoded_as_utf8_bytes() {
        let mut out = String::new();
        percent_encode("é~", &mut out);
        assert_eq!(out, "%C3%A9~");
    }
}

/// The generated table against the spec it was generated from: a descriptor for every
/// operation of `openapi/yotta.json` and an operation for every descriptor, agreeing on
/// everything the facade and the simulator read.
#[cfg(test)]
mod table_tests {
    use super::*;
    use crate::operations::ALL;
    use serde_json::Value;

    fn spec() -> Value {
        serde_json::from_str(include_str!("../../../openapi/yotta.json")).unwrap()
    }

    fn schema_name(schema: Option<&Value>) -> Option<&str> {
        schema?["$ref"].as_str()?.strip_prefix("#/components/schemas/")
    }

    #[test]
    fn every_operation_has_one_descriptor_and_every_descriptor_one_operation() {
        let spec = spec();
        let mut documented = Vec::new();
        for (path, item) in spec["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let id = op["operationId"].as_str().unwrap();
                documented.push(id);
                let matching: Vec<&&Operation> = ALL.iter().filter(|d| d.id == id).collect();
                assert_eq!(matching.len(), 1, "{id} has {} descriptors", matching.len());
                let descriptor = matching[0];
                assert_eq!(descriptor.path, path, "{id}");
                assert_eq!(descriptor.method.as_str(), method.to_ascii_uppercase(), "{id}");
                assert_eq!(descriptor.version.as_str(), &id[..2], "{id}");
                let params: Vec<(&str, &str, bool)> = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        (
                            p["name"].as_str().unwrap(),
                            p["in"].as_str().unwrap(),
                            p["required"] == true,
                        )
                    })
                    .collect();
                let described: Vec<(&str, &str, bool)> = descriptor
                    .params
                    .iter()
                    .map(|p| {
                        let location = match p.location {
                            ParamIn::Path => "path",
                            ParamIn::Query => "query",
                            ParamIn::Header => "header",
                        };
                        (p.name, location, p.required)
                    })
                    .collect();
                assert_eq!(described, params, "{id}");
                let limit = &op["x-rate-limit"];
                match descriptor.rate_limit {
                    None => assert!(limit.is_null(), "{id}"),
                    Some(rate) => {
                        let figure = |n: Option<u32>| n.map_or(Value::Null, Value::from);
                        assert_eq!(figure(rate.per_endpoint_qps), limit["perEndpointQps"], "{id}");
                        assert_eq!(figure(rate.per_endpoint_total), limit["perEndpointTotal"], "{id}");
                        assert_eq!(figure(rate.global_qps), limit["globalQps"], "{id}");
                        assert_eq!(rate.endpoint_param, limit["endpointParam"], "{id}");
                        assert!(
                            descriptor
                                .params
                                .iter()
                                .any(|p| p.name == rate.endpoint_param && p.location == ParamIn::Header),
                            "{id}: the limit counts per a header the operation sends"
                        );
                    }
                }
                assert_eq!(
                    descriptor.body,
                    schema_name(op.pointer("/requestBody/content/application~1json/schema")),
                    "{id}"
                );
                assert_eq!(
                    Some(descriptor.response),
                    schema_name(op.pointer("/responses/200/content/application~1json/schema")),
                    "{id}"
                );
                // Compared as sets: without serde_json's preserve_order the spec's keys come back
                // in text order ("429" after "10000"), while the table lists codes numerically.
                let mut codes: Vec<i32> = op["x-business-codes"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(code, _)| code.parse().unwrap())
                    .collect();
                codes.sort_unstable();
                let described: Vec<i32> = descriptor.business_codes.iter().map(|c| c.code).collect();
                assert!(described.is_sorted(), "{id}: codes in numeric order");
                assert_eq!(described, codes, "{id}");
                let retry = match descriptor.retry {
                    Retry::Safe => "safe",
                    Retry::IfNotProcessed => "ifNotProcessed",
                };
                assert_eq!(op["x-retry"], retry, "{id}");
            }
        }
        for descriptor in ALL {
            assert!(
                documented.contains(&descriptor.id),
                "{} is not in openapi/yotta.json",
                descriptor.id
            );
        }
    }

    #[test]
    fn requests_encode_against_their_descriptor() {
        use crate::operations::{V1ListEndpoints, V2GetTask, V2ScaleWorkers};
        let list = V1ListEndpoints {
            status_list: Some(vec!["RUNNING".into(), "STOPPED".into()]),
        };
        assert_eq!(
            list.encode().unwrap().path_and_query,
            "/openapi/v1/elastic/deploy/list?statusList=RUNNING&statusList=STOPPED"
        );
        assert_eq!(
            V1ListEndpoints::default().encode().unwrap().path_and_query,
            "/openapi/v1/elastic/deploy/list"
        );
        let task = V2GetTask {
            id: 378_888_638_324_150_969,
            task_id: "task_1".into(),
        };
        assert_eq!(
            task.encode().unwrap().path_and_query,
            "/v2/serverless/378888638324150969/tasks/task_1"
        );
        let scale = V2ScaleWorkers { id: 7, count: 3 }.encode().unwrap();
        assert_eq!(
            (scale.method, scale.path_and_query.as_str()),
            (Method::Put, "/v2/serverless/7/workers?count=3")
        );
        assert_eq!(scale.body, None);
    }

    #[test]
    fn header_parameters_are_sent_as_headers() {
        use crate::operations::{V1_SUBMIT_TASK, V1GetTask, V1ListTasks};
        let get = V1GetTask {
            x_endpoint_id: "378888638324150969".into(),
            user_task_id: "task_1".into(),
        }
        .encode()
        .unwrap();
        assert_eq!(get.path_and_query, "/openapi/v1/skywalker/tasks/task_1");
        assert_eq!(get.headers, [("X-Endpoint-ID", "378888638324150969".to_string())]);
        let list = V1ListTasks {
            x_endpoint_id: "7".into(),
            status: Some(2),
            page: None,
            page_size: Some(5),
        }
        .encode()
        .unwrap();
        assert_eq!(list.path_and_query, "/openapi/v1/skywalker/tasks?status=2&pageSize=5");
        assert_eq!(list.headers, [("X-Endpoint-ID", "7".to_string())]);
        let limit = V1_SUBMIT_TASK.rate_limit.expect("task creation is rate limited");
        assert_eq!(
            (limit.per_endpoint_qps, limit.per_endpoint_total, limit.global_qps),
            (Some(40), Some(1000), Some(200))
        );
    }
}
