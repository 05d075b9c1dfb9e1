//! Keeping secrets out of what the simulator shows: the request log (`/_sim/requests`) and every
//! `Debug` rendering of something that holds a key.
//!
//! The request log exists so tests can assert on the wire form, so it keeps everything that is not
//! a secret verbatim; what is a secret is decided by name, because the simulator cannot know the
//! meaning of arbitrary values. A redacted value is always the fixed [`MARKER`], never a hash or a
//! prefix of the secret (either would help guessing it).

use std::fmt;

use serde_json::Value;

/// What a redacted value is shown as.
pub const MARKER: &str = "***";

/// Lower-cased, without `_`, `-` and `.`, so `webhook_auth_key`, `Webhook-Auth-Key` and
/// `webhookAuthKey` are judged alike.
fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Field and parameter names whose value is a secret: the API's own (`webhookAuthKey`, the
/// vendor connector's `notifyAuthKey`, `X-API-Key`) and the usual credential names. Matched at the
/// end of the normalized name (`clientSecret`, `accessToken`) and not as a substring, so ordinary
/// fields such as `credentialId` or a task input's `maxTokens` stay visible.
const SECRET_SUFFIXES: [&str; 11] = [
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "authkey",
    "accesskey",
    "privatekey",
    "authorization",
    "cookie",
    "credentials",
];

/// Whether a JSON field, query parameter or form field named `name` holds a secret.
pub fn is_secret_field(name: &str) -> bool {
    let name = normalize(name);
    SECRET_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Words that make a free-form name (an environment variable's, a header's) look like a secret.
/// Broader than [`is_secret_field`] because such names are user-chosen (`HF_TOKEN_RO`,
/// `X-Auth-User`): over-redacting a log entry costs little, leaking a token costs a lot.
const SECRET_WORDS: [&str; 11] = [
    "token",
    "secret",
    "password",
    "passwd",
    "pwd",
    "key",
    "auth",
    "credential",
    "cookie",
    "session",
    "private",
];

/// Whether a user-chosen name (environment variable, request header) looks like it holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    let name = normalize(name);
    SECRET_WORDS.iter().any(|w| name.contains(w))
}

/// The value shown for request header `name` in the log: the fixed marker for cookies,
/// credentials and anything named like a secret (`authorization`, `x-api-key`, `x-auth-token`).
pub fn header_value<'a>(name: &str, value: &'a str) -> &'a str {
    if is_secret_name(name) { MARKER } else { value }
}

/// A query string (or form body) with the values of secret-named parameters replaced by the
/// marker; the rest (order, separators, encoding) is kept byte for byte so tests can assert on the
/// wire form. Names are judged after percent-decoding, so `access%5Ftoken` is caught too.
pub fn query(raw: &str) -> String {
    raw.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if is_secret_field(&percent_decode(key)) => format!("{key}={MARKER}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Best-effort `%XX` decoding of a form or query key (invalid escapes are kept as they are).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                // Two hex digits are at most 0xFF: the cast cannot truncate.
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The body shown in the log for a request body `text` sent with `content_type`.
///
/// JSON: secret-named fields, and the values of environment variables, headers and `{key, value}`
/// pairs whose name looks secret, become the marker; the body is re-serialised only when something
/// was masked (so an untouched body keeps its exact bytes). A form body: secret-named fields are
/// masked. Anything else that mentions a secret-looking word is withheld whole, because without
/// a parse there is no telling where the secret ends.
pub fn body(text: &str, content_type: Option<&str>) -> String {
    if text.is_empty() {
        return String::new();
    }
    if let Ok(mut value) = serde_json::from_str::<Value>(text) {
        return if mask_json(&mut value) {
            serde_json::to_string(&value).unwrap_or_else(|_| MARKER.to_owned())
        } else {
            text.to_owned()
        };
    }
    let form = content_type.is_some_and(|ct| {
        ct.split(';')
            .next()
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
    });
    if form {
        return query(text);
    }
    if is_secret_name(text) {
        MARKER.to_owned()
    } else {
        text.to_owned()
    }
}

/// Masks secrets in place; returns whether anything was masked.
fn mask_json(value: &mut Value) -> bool {
    match value {
        Value::Array(items) => items.iter_mut().fold(false, |masked, item| mask_json(item) | masked),
        Value::Object(map) => {
            let mut masked = false;
            // An environment variable or header in `{"key": NAME, "value": V}` form (the API's
            // `envVars`/`environmentVars`): the value is a secret when NAME looks like one.
            let pair_name = map
                .get("key")
                .or_else(|| map.get("name"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            if let Some(name) = pair_name
                && is_secret_name(&name)
                && let Some(v) = map.get_mut("value")
                && !is_marker(v)
            {
                *v = Value::String(MARKER.to_owned());
                masked = true;
            }
            for (key, v) in map.iter_mut() {
                if is_secret_field(key) {
                    if !is_marker(v) {
                        *v = Value::String(MARKER.to_owned());
                        masked = true;
                    }
                } else if is_name_map(key) {
                    masked |= mask_name_map(v);
                } else {
                    masked |= mask_json(v);
                }
            }
            masked
        }
        _ => false,
    }
}

fn is_marker(v: &Value) -> bool {
    v.as_str() == Some(MARKER)
}

/// Fields whose object value maps user-chosen names to values: environment variables in map form
/// and the task's forwarded `headers`.
fn is_name_map(key: &str) -> bool {
    matches!(
        normalize(key).as_str(),
        "envvars" | "environmentvars" | "env" | "headers"
    )
}

fn mask_name_map(value: &mut Value) -> bool {
    match value {
        Value::Object(map) => {
            let mut masked = false;
            for (name, v) in map.iter_mut() {
                if is_secret_name(name) {
                    if !is_marker(v) {
                        *v = Value::String(MARKER.to_owned());
                        masked = true;
                    }
                } else {
                    masked |= mask_json(v);
                }
            }
            masked
        }
        other => mask_json(other),
    }
}

/// `Debug` of an optional secret: `Some("***")` or `None`, never the value.
pub struct OptSecret<'a, T>(pub &'a Option<T>);

impl<T> fmt::Debug for OptSecret<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.debug_tuple("Some").field(&MARKER).finish(),
            None => f.write_str("None"),
        }
    }
}

/// `Debug` of a list of secrets: as many markers as there are values, so the count still shows.
pub struct SecretList<'a, T>(pub &'a [T]);

impl<T> fmt::Debug for SecretList<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter().map(|_| MARKER)).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_names_are_judged_by_their_ending() {
        for secret in [
            "webhookAuthKey",
            "notifyAuthKey",
            "webhook_auth_key",
            "password",
            "token",
            "accessToken",
            "apiKey",
            "X-API-Key",
            "clientSecret",
            "Authorization",
        ] {
            assert!(is_secret_field(secret), "{secret}");
        }
        for plain in ["credentialId", "maxTokens", "taskId", "name", "key", "value", "webhook"] {
            assert!(!is_secret_field(plain), "{plain}");
        }
    }

    #[test]
    fn json_bodies_lose_their_secrets_and_keep_everything_else() {
        let body = json!({
            "name": "ep",
            "credentialId": 123,
            "webhookAuthKey": "wh-secret",
            "envVars": [{ "key": "MODEL", "value": "llama" }, { "key": "HF_TOKEN", "value": "hf-secret" }],
            "environmentVars": { "DB_PASSWORD": "pw-secret", "REGION": "eu" },
            "headers": { "Authorization": "Bearer h-secret", "Accept": "text/plain" },
            "input": { "nested": [{ "password": "p-secret" }], "maxTokens": 16 },
            "notifyAuthKey": 42
        });
        let shown = body_of(&body.to_string());
        let text = shown.to_string();
        for secret in ["wh-secret", "hf-secret", "pw-secret", "h-secret", "p-secret", "42"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        assert_eq!(shown["webhookAuthKey"], MARKER);
        assert_eq!(shown["notifyAuthKey"], MARKER);
        assert_eq!(shown["envVars"][0], json!({ "key": "MODEL", "value": "llama" }));
        assert_eq!(shown["envVars"][1], json!({ "key": "HF_TOKEN", "value": MARKER }));
        assert_eq!(shown["environmentVars"]["REGION"], "eu");
        assert_eq!(shown["headers"]["Accept"], "text/plain");
        assert_eq!(shown["input"]["maxTokens"], 16);
        assert_eq!(shown["credentialId"], 123);
    }

    fn body_of(text: &str) -> Value {
        serde_json::from_str(&body(text, Some("application/json"))).unwrap()
    }

    #[test]
    fn untouched_bodies_keep_their_exact_bytes() {
        let text = "{ \"workers\" : 3,\n \"b\": 1, \"a\": 2 }";
        assert_eq!(body(text, None), text);
        assert_eq!(body("", None), "");
    }

    #[test]
    fn forms_queries_and_unparseable_bodies() {
        assert_eq!(
            body(
                "user=a&password=hunter2&x=1",
                Some("application/x-www-form-urlencoded; charset=utf-8")
            ),
            "user=a&password=***&x=1"
        );
        assert_eq!(
            query("statusList=RUNNING&statusList=STOPPED"),
            "statusList=RUNNING&statusList=STOPPED"
        );
        assert_eq!(
            query("apiKey=k&page=1&access%5Ftoken=t"),
            "apiKey=***&page=1&access%5Ftoken=***"
        );
        assert_eq!(
            query("a&=&&b=%zz"),
            "a&=&&b=%zz",
            "odd query strings pass through unharmed"
        );
        // Broken JSON that names a secret is withheld whole; other text is kept.
        assert_eq!(body("{\"webhookAuthKey\": \"s3cret\",", None), MARKER);
        assert_eq!(body("{\"workers\": ", None), "{\"workers\": ");
    }

    #[test]
    fn headers_named_like_credentials_are_masked() {
        for name in [
            "cookie",
            "authorization",
            "proxy-authorization",
            "x-api-key",
            "x-auth-token",
        ] {
            assert_eq!(header_value(name, "v"), MARKER, "{name}");
        }
        for name in ["content-type", "accept", "user-agent", "keep-alive", "host"] {
            assert_eq!(header_value(name, "v"), "v", "{name}");
        }
    }

    #[test]
    fn debug_helpers_show_no_value() {
        let some = Some("k-secret".to_owned());
        assert_eq!(format!("{:?}", OptSecret(&some)), "Some(\"***\")");
        assert_eq!(format!("{:?}", OptSecret::<String>(&None)), "None");
        assert_eq!(
            format!("{:?}", SecretList(&["a-secret", "b-secret"])),
            "[\"***\", \"***\"]"
        );
    }
}
