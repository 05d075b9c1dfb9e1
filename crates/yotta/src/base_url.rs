//! The API's base URL: checked once when a client is built.
//!
//! A small parser of its own rather than the `url` crate: the browser package would otherwise
//! link `url` and its IDNA tables (tens of kilobytes) to check one string. It accepts what a base
//! URL can be (`http`/`https`, a host, an optional port and path) and refuses the rest (user
//! names, queries, fragments) with a reason.

use crate::error::{Error, Result};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A checked base URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    /// Without a trailing `/`: paths from the operation table are appended to it.
    pub text: String,
    pub https: bool,
    /// Lowercase; an IPv6 address without brackets.
    pub host: String,
}

impl BaseUrl {
    pub fn parse(input: &str) -> Result<Self> {
        let text = input.trim().trim_end_matches('/').to_string();
        let invalid = |rule: &str| Error::validation("baseUrl", format!("{rule}: {input:?}"));
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| invalid("is not a valid URL (expected http://host or https://host)"))?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(Error::validation("baseUrl", "must be an http:// or https:// URL")),
        };
        if rest.contains(['?', '#']) {
            return Err(invalid("must not have a query or fragment"));
        }
        let authority = rest.split('/').next().unwrap_or_default();
        if authority.contains('@') {
            return Err(invalid("must not carry a user name or password"));
        }
        let (host, port) = match authority.strip_prefix('[') {
            Some(bracketed) => {
                let (address, after) = bracketed
                    .split_once(']')
                    .ok_or_else(|| invalid("has an unclosed '['"))?;
                address
                    .parse::<Ipv6Addr>()
                    .map_err(|_| invalid("has an invalid IPv6 address"))?;
                (address.to_string(), after.strip_prefix(':'))
            }
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host.to_string(), Some(port)),
                None => (authority.to_string(), None),
            },
        };
        if let Some(port) = port
            && port.parse::<u16>().is_err()
        {
            return Err(invalid("has an invalid port"));
        }
        let valid_name = !host.is_empty()
            && host
                .split('.')
                .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        if !(valid_name || host.parse::<Ipv6Addr>().is_ok()) {
            return Err(invalid("has no valid host"));
        }
        if rest.contains(char::is_whitespace) {
            return Err(invalid("must not contain spaces"));
        }
        Ok(Self {
            host: host.to_ascii_lowercase(),
            https,
            text,
        })
    }

    /// `localhost`, `*.localhost`, 127.0.0.0/8 or `::1`: traffic that never leaves the machine.
    pub fn is_loopback(&self) -> bool {
        let host = self.host.as_str();
        host == "localhost"
            || host.ends_with(".localhost")
            || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
            || host.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
    }
}

/// The origin (`scheme://host:port`, lowercase, default port explicit) of an absolute http(s)
/// URL.
pub(crate) fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let has_port = match authority.rfind(':') {
        Some(colon) => !authority[colon..].contains(']'),
        None => false,
    };
    Some(if has_port {
        format!("{scheme}://{authority}")
    } else {
        format!("{scheme}://{authority}:{default_port}")
    })
}

/// Where a redirect from `from` to `location` leads, if it stays in `from`'s origin.
pub(crate) fn same_origin_target(from: &str, location: &str) -> Option<String> {
    let location = location.trim();
    let base = origin(from)?;
    let target = if location.contains("://") {
        location.to_string()
    } else if let Some(rest) = location.strip_prefix("//") {
        format!("{}://{rest}", from.split_once("://")?.0)
    } else if location.starts_with('/') {
        // Origin-relative: keep the scheme and authority as `from` wrote them.
        let (scheme, rest) = from.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next()?;
        format!("{scheme}://{authority}{location}")
    } else {
        return None;
    };
    (origin(&target)? == base).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_base_urls_and_normalises_them() {
        let url = BaseUrl::parse(" https://API.yottalabs.ai/ ").unwrap();
        assert_eq!(
            (url.text.as_str(), url.https, url.host.as_str()),
            ("https://API.yottalabs.ai", true, "api.yottalabs.ai")
        );
        let url = BaseUrl::parse("http://127.0.0.1:8787/proxy/").unwrap();
        assert_eq!(url.text, "http://127.0.0.1:8787/proxy");
        assert!(url.is_loopback());
        let url = BaseUrl::parse("http://[::1]:80").unwrap();
        assert_eq!(url.host, "::1");
        assert!(url.is_loopback());
        assert!(BaseUrl::parse("http://localhost:9").unwrap().is_loopback());
        assert!(BaseUrl::parse("http://app.localhost").unwrap().is_loopback());
        assert!(!BaseUrl::parse("http://127.example.com").unwrap().is_loopback());
        assert!(!BaseUrl::parse("http://10.0.0.1").unwrap().is_loopback());
    }

    #[test]
    fn redirects_stay_in_their_origin_or_are_not_followed() {
        let from = "http://127.0.0.1:8080/v2/serverless";
        assert_eq!(
            same_origin_target(from, "/v2/other").as_deref(),
            Some("http://127.0.0.1:8080/v2/other")
        );
        assert_eq!(
            same_origin_target(from, "http://127.0.0.1:8080/x").as_deref(),
            Some("http://127.0.0.1:8080/x")
        );
        assert_eq!(same_origin_target(from, "http://127.0.0.1:8081/x"), None);
        assert_eq!(same_origin_target(from, "https://127.0.0.1:8080/x"), None);
        assert_eq!(same_origin_target(from, "//evil.example/x"), None);
        assert_eq!(same_origin_target(from, "relative/path"), None);
        assert_eq!(
            same_origin_target("https://api.yottalabs.ai/a", "https://API.yottalabs.ai:443/b").as_deref(),
            Some("https://API.yottalabs.ai:443/b")
        );
        assert_eq!(origin("http://[::1]/x").as_deref(), Some("http://[::1]:80"));
    }

    #[test]
    fn refuses_what_a_base_url_cannot_be() {
        for bad in [
            "not a url",
            "ftp://x",
            "http://",
            "http://user:pw@host",
            "http://host:99999",
            "http://host:port",
            "http://[::1",
            "http://[zz]",
            "https://host/?q=1",
            "https://host/#x",
            "https://ho st",
            "https://a..b",
        ] {
            let error = BaseUrl::parse(bad).unwrap_err();
            assert_eq!(error.field(), Some("baseUrl"), "{bad}");
        }
    }
}
