//! Who may talk to the simulator: its own origin only, wherever a request could reach a key.
//!
//! In proxy mode the simulator adds the real `YOTTA_API_KEY` to what it forwards, and with
//! `--inject-key` it treats keyless calls as authenticated. A browser sends requests to
//! `127.0.0.1` on behalf of any page the user visits, so without these checks any website could
//! list, create and delete the user's endpoints:
//!
//! - a foreign `Origin` (a page elsewhere calling `fetch`) or `Sec-Fetch-Site: cross-site`/
//!   `same-site` (a page elsewhere, e.g. a form POST or an `<img>`, which need not send `Origin`)
//!   is refused unless the origin was granted with `--allow-origin`;
//! - a `Host` that is not a loopback name with the bound port is refused, which defeats DNS
//!   rebinding (`evil.example` re-pointed at 127.0.0.1 makes the browser treat the simulator as
//!   same-origin with the attacker's page, but its requests still say `Host: evil.example`).
//!
//! Refusals are 403 envelopes, decided before the request log, faults, the proxy or any handler
//! run: nothing is forwarded, no key is injected, no state changes. The admin routes (`/_sim`)
//! are checked in every mode, because they can reset state and read the request log.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::api::ops;
use crate::app::App;
use crate::http::envelope::json_response;

/// A web origin, `scheme://host[:port]`, normalised: lower-case, default port filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    /// IPv6 literals keep their brackets, as in URLs.
    host: String,
    port: u16,
}

impl Origin {
    /// Parses an origin as browsers send it (`http://localhost:5173`), or as a user types one
    /// (`https://Dash.Example/` with a trailing slash). Paths, queries, user names and `null`
    /// are refused: an origin names a site, nothing more.
    pub fn parse(text: &str) -> Result<Self, String> {
        let expected = "expected SCHEME://HOST[:PORT], e.g. http://localhost:5173";
        let uri: http::Uri = text.trim().parse().map_err(|_| expected.to_owned())?;
        let scheme = uri.scheme_str().map(str::to_ascii_lowercase).ok_or(expected)?;
        let authority = uri.authority().ok_or(expected)?;
        if authority.as_str().contains('@') {
            return Err("an origin has no user name or password".to_owned());
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err("an origin has no path or query".to_owned());
        }
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return Err("the scheme must be http or https".to_owned()),
        };
        let (host, port) = host_and_port(authority).ok_or("the port must be a number from 0 to 65535")?;
        if host.is_empty() {
            return Err(expected.to_owned());
        }
        Ok(Self {
            scheme,
            host: host.to_ascii_lowercase(),
            port: port.unwrap_or(default_port),
        })
    }

    fn default_port(&self) -> u16 {
        if self.scheme == "https" { 443 } else { 80 }
    }
}

/// The form browsers send in `Origin` (default port left out), which CORS grants must echo.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)?;
        if self.port != self.default_port() {
            write!(f, ":{}", self.port)?;
        }
        Ok(())
    }
}

/// The host and the port of `authority`; `None` when the text after the last `:` is not a
/// port (`x:99999`, `x:`), which `Authority::port_u16` would report as "no port".
fn host_and_port(authority: &http::uri::Authority) -> Option<(&str, Option<u16>)> {
    let host = authority.host();
    let port = authority.port();
    let len = host.len() + port.as_ref().map_or(0, |p| 1 + p.as_str().len());
    (len == authority.as_str().len()).then(|| (host, port.map(|p| p.as_u16())))
}

/// `localhost`, `*.localhost` (browsers resolve both to loopback without asking DNS), any
/// 127.0.0.0/8 address and `::1` (bracketed or not). Case-insensitive.
pub fn is_loopback_name(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    if let Ok(v4) = host.parse::<Ipv4Addr>() {
        return v4.is_loopback();
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(&host);
    bare.parse::<Ipv6Addr>().is_ok_and(|v6| v6.is_loopback())
}

/// What the guard enforces, fixed once the port is bound (`--addr 127.0.0.1:0` picks it then).
#[derive(Debug, Clone)]
pub struct OriginPolicy {
    /// Proxy or inject-key mode: API routes are guarded too, not only `/_sim`.
    injects_key: bool,
    /// The bound port, part of the own origin and of every accepted `Host`.
    port: u16,
    /// Bound beyond loopback (which needs `--allow-remote` when a key is injected): clients use
    /// names the simulator cannot know, so `Host` is not checked and `http://<Host>` counts as
    /// the own origin.
    remote: bool,
    /// `--allow-origin`: accepted whatever `Sec-Fetch-Site` says, and granted by CORS.
    allowed: Vec<Origin>,
}

impl OriginPolicy {
    pub fn new(injects_key: bool, bound: SocketAddr, allowed: Vec<Origin>) -> Self {
        Self {
            injects_key,
            port: bound.port(),
            remote: !bound.ip().is_loopback(),
            allowed,
        }
    }

    /// The `--allow-origin` origins in the form browsers send, for the CORS layer.
    pub fn allowed_origins(&self) -> impl Iterator<Item = String> + '_ {
        self.allowed.iter().map(Origin::to_string)
    }

    /// `host[:port]` is a loopback name with the bound port (port 80 when none is given).
    fn host_ok(&self, authority: &str) -> bool {
        let Ok(authority) = authority.parse::<http::uri::Authority>() else {
            return false;
        };
        host_and_port(&authority).is_some_and(|(host, port)| port.unwrap_or(80) == self.port && is_loopback_name(host))
    }

    /// The checks of the module documentation; `Err` carries the refusal's message.
    pub fn check(&self, method: &Method, uri: &http::Uri, headers: &HeaderMap) -> Result<(), String> {
        let path = uri.path();
        let admin = path == "/_sim" || path.starts_with("/_sim/");
        if !self.injects_key && !admin {
            // A plain simulator's API holds no secret and serves dashboards on any origin.
            return Ok(());
        }
        let hosts: Vec<&str> = headers
            .get_all(header::HOST)
            .iter()
            .map(|v| v.to_str().unwrap_or("\u{0}"))
            .collect();
        if !self.remote {
            // An absolute-form request line (`GET http://evil/ HTTP/1.1`) names the host too.
            let named: Vec<&str> = uri
                .authority()
                .map(|a| a.as_str())
                .into_iter()
                .chain(hosts.iter().copied())
                .collect();
            if named.is_empty() {
                return Err("Forbidden: no Host header".to_owned());
            }
            if let Some(bad) = named.iter().find(|h| !self.host_ok(h)) {
                return Err(format!(
                    "Forbidden: Host {bad:?} is not a loopback name with port {} (requests through \
                     other names, as in DNS rebinding, are refused)",
                    self.port
                ));
            }
        }
        // Static files (the console's page and scripts) hold nothing secret and must open from a
        // link on another site, which browsers send as `Sec-Fetch-Site: cross-site`.
        if !admin && !ops::is_api_path(path) && matches!(*method, Method::GET | Method::HEAD) {
            return Ok(());
        }
        let mut origins = headers.get_all(header::ORIGIN).iter();
        let origin = match (origins.next(), origins.next()) {
            (None, _) => None,
            (Some(one), None) => Some(one.to_str().unwrap_or("null")),
            (Some(_), Some(_)) => return Err("Forbidden: more than one Origin header".to_owned()),
        };
        if let Some(text) = origin {
            let parsed = Origin::parse(text).ok();
            if parsed.as_ref().is_some_and(|o| self.allowed.contains(o)) {
                return Ok(());
            }
            if !parsed.as_ref().is_some_and(|o| self.is_own(o, hosts.first().copied())) {
                return Err(format!(
                    "Forbidden: Origin {text:?} is not this server's own (http://127.0.0.1:{}); \
                     start it with --allow-origin to grant another origin",
                    self.port
                ));
            }
        }
        let site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        if let Some(site @ ("cross-site" | "same-site")) = site.as_deref() {
            return Err(format!(
                "Forbidden: Sec-Fetch-Site {site:?}: only this server's own pages may call it"
            ));
        }
        Ok(())
    }

    /// `http://<loopback name>:<bound port>`, or `http://<Host>` when bound beyond loopback.
    fn is_own(&self, origin: &Origin, host: Option<&str>) -> bool {
        if origin.scheme != "http" {
            return false;
        }
        if origin.port == self.port && is_loopback_name(&origin.host) {
            return true;
        }
        self.remote
            && host
                .and_then(|h| Origin::parse(&format!("http://{h}")).ok())
                .is_some_and(|h| &h == origin)
    }
}

/// Middleware: refuses with 403 what [`OriginPolicy::check`] refuses, before anything else runs.
pub async fn guard(State(app): State<App>, req: Request, next: Next) -> Response {
    match app.origin.check(req.method(), req.uri(), req.headers()) {
        Ok(()) => next.run(req).await,
        Err(message) => {
            tracing::warn!("{} {}: {message}", req.method(), req.uri().path());
            json_response(
                StatusCode::FORBIDDEN,
                &json!({ "code": 403, "message": message, "data": null }),
            )
        }
    }
}

/// Middleware on `/_sim`: a write that carries a body or any `Content-Type` must say
/// `application/json`. HTML forms can only send `application/x-www-form-urlencoded`,
/// `multipart/form-data` or `text/plain` (and always send one), so no cross-site form reaches an
/// admin route even where the origin checks would not stop it (an old browser). Bodiless writes
/// without a type (`fetch(url, { method: 'POST' })`) stay accepted.
pub async fn admin_writes_json(req: Request, next: Next) -> Response {
    let write = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if write && let Err(message) = json_content_type(req.headers()) {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            axum::Json(json!({ "error": message })),
        )
            .into_response();
    }
    next.run(req).await
}

fn json_content_type(headers: &HeaderMap) -> Result<(), String> {
    match headers.get(header::CONTENT_TYPE) {
        Some(value) => {
            let mime = value.to_str().unwrap_or("").split(';').next().unwrap_or("").trim();
            if mime.eq_ignore_ascii_case("application/json") {
                Ok(())
            } else {
                Err(format!(
                    "Content-Type {mime:?}: admin writes take application/json (forms are refused)"
                ))
            }
        }
        None => {
            let has_body = headers.contains_key(header::TRANSFER_ENCODING)
                || headers
                    .get(header::CONTENT_LENGTH)
                    .is_some_and(|len| len.to_str().map_or(true, |l| l.trim() != "0"));
            if has_body {
                Err("Content-Type missing: admin writes with a body take application/json".to_owned())
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(injects_key: bool, allowed: &[&str]) -> OriginPolicy {
        let allowed = allowed.iter().map(|o| Origin::parse(o).unwrap()).collect();
        OriginPolicy::new(injects_key, "127.0.0.1:8787".parse().unwrap(), allowed)
    }

    fn check(p: &OriginPolicy, method: Method, path: &str, headers: &[(&str, &str)]) -> Result<(), String> {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                http::HeaderValue::from_str(value).unwrap(),
            );
        }
        p.check(&method, &path.parse().unwrap(), &map)
    }

    #[test]
    fn origins_parse_normalised_and_refuse_anything_else() {
        let o = Origin::parse("HTTP://LocalHost:5173/").unwrap();
        assert_eq!(o.to_string(), "http://localhost:5173");
        assert_eq!(
            Origin::parse("https://dash.example:443").unwrap().to_string(),
            "https://dash.example"
        );
        assert_eq!(Origin::parse("http://[::1]:8787").unwrap().host, "[::1]");
        for bad in [
            "null",
            "",
            "localhost:5173",
            "ftp://x",
            "http://a/b",
            "http://u:p@x",
            "http://x?q",
            "http://x:99999",
            "http://x:",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn loopback_names() {
        for ok in [
            "localhost",
            "LOCALHOST",
            "app.localhost",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "::1",
        ] {
            assert!(is_loopback_name(ok), "{ok}");
        }
        for bad in [
            "localhost.evil.example",
            "evil.example",
            "128.0.0.1",
            "0.0.0.0",
            "[::2]",
            "localhostx",
            "",
        ] {
            assert!(!is_loopback_name(bad), "{bad}");
        }
    }

    #[test]
    fn a_key_injecting_simulator_serves_only_its_own_origin() {
        let p = policy(true, &["http://localhost:5173"]);
        let api = "/v2/serverless";
        let own = [("host", "127.0.0.1:8787"), ("origin", "http://127.0.0.1:8787")];
        assert!(check(&p, Method::POST, api, &own).is_ok());
        assert!(
            check(&p, Method::GET, api, &[("host", "localhost:8787")]).is_ok(),
            "curl: no Origin"
        );
        assert!(
            check(
                &p,
                Method::GET,
                api,
                &[("host", "[::1]:8787"), ("sec-fetch-site", "same-origin")]
            )
            .is_ok()
        );
        let refused = [
            vec![("host", "127.0.0.1:8787"), ("origin", "https://evil.example")],
            vec![("host", "127.0.0.1:8787"), ("origin", "null")],
            vec![("host", "127.0.0.1:8787"), ("origin", "http://127.0.0.1:9999")],
            vec![("host", "127.0.0.1:8787"), ("origin", "https://127.0.0.1:8787")],
            vec![("host", "127.0.0.1:8787"), ("sec-fetch-site", "cross-site")],
            vec![("host", "127.0.0.1:8787"), ("sec-fetch-site", "same-site")],
            vec![("host", "evil.example:8787"), ("origin", "http://evil.example:8787")],
            vec![("host", "127.0.0.1:9999")],
            vec![("host", "127.0.0.1")],
            vec![("host", "127.0.0.1:8787:8787")],
            vec![("host", "user@127.0.0.1:8787")],
            vec![],
            vec![
                ("host", "127.0.0.1:8787"),
                ("origin", "http://127.0.0.1:8787"),
                ("origin", "http://x"),
            ],
        ];
        for headers in refused {
            assert!(check(&p, Method::GET, api, &headers).is_err(), "{headers:?}");
            assert!(
                check(&p, Method::GET, "/_sim/requests", &headers).is_err(),
                "{headers:?}"
            );
        }
        // The granted origin, even cross-site; its Host must still be loopback.
        let granted = [
            ("host", "127.0.0.1:8787"),
            ("origin", "http://localhost:5173"),
            ("sec-fetch-site", "same-site"),
        ];
        assert!(check(&p, Method::DELETE, api, &granted).is_ok());
        assert!(
            check(
                &p,
                Method::GET,
                api,
                &[("host", "evil.example:8787"), ("origin", "http://localhost:5173")]
            )
            .is_err()
        );
        // Static files: Host checked, navigation from other sites allowed; writes are not static.
        let linked = [("host", "127.0.0.1:8787"), ("sec-fetch-site", "cross-site")];
        assert!(check(&p, Method::GET, "/index.html", &linked).is_ok());
        assert!(check(&p, Method::POST, "/index.html", &linked).is_err());
        assert!(check(&p, Method::GET, "/index.html", &[("host", "evil.example:8787")]).is_err());
    }

    #[test]
    fn a_plain_simulator_guards_only_its_admin_routes() {
        let p = policy(false, &[]);
        let foreign = [("host", "evil.example:8787"), ("origin", "https://evil.example")];
        assert!(check(&p, Method::GET, "/v2/serverless", &foreign).is_ok());
        assert!(check(&p, Method::GET, "/_sim/state", &foreign).is_err());
        assert!(check(&p, Method::GET, "/_sim/state", &[("host", "localhost:8787")]).is_ok());
    }

    #[test]
    fn bound_beyond_loopback_the_host_is_whatever_clients_use() {
        let p = OriginPolicy::new(true, "0.0.0.0:8787".parse().unwrap(), Vec::new());
        let lan = [("host", "sim.lan:8787"), ("origin", "http://sim.lan:8787")];
        assert!(check(&p, Method::POST, "/v2/serverless", &lan).is_ok());
        let foreign = [("host", "sim.lan:8787"), ("origin", "http://other.lan:8787")];
        assert!(check(&p, Method::POST, "/v2/serverless", &foreign).is_err());
    }

    #[test]
    fn admin_writes_need_json_or_no_body() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (n, v) in pairs {
                map.insert(*n, http::HeaderValue::from_static(v));
            }
            map
        };
        assert!(json_content_type(&headers(&[("content-type", "application/json; charset=utf-8")])).is_ok());
        assert!(json_content_type(&headers(&[])).is_ok());
        assert!(json_content_type(&headers(&[("content-length", "0")])).is_ok());
        for bad in [
            &[("content-type", "application/x-www-form-urlencoded")][..],
            &[("content-type", "text/plain")],
            &[("content-type", "multipart/form-data; boundary=x")],
            &[("content-length", "12")],
            &[("transfer-encoding", "chunked")],
        ] {
            let err = json_content_type(&headers(bad)).unwrap_err();
            assert!(err.contains("application/json"), "{err}");
        }
    }
}
