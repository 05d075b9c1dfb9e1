//! Values between JavaScript and the facade.
//!
//! Into Rust: JavaScript values become `serde_json::Value` here, then the facade's types, with
//! the path of a bad field in the error (`spec.resources[0].gpuCount: invalid type ...`).
//! serde-wasm-bindgen is not used for this: it reads only the fields a type declares, so a
//! misspelt option (`gpuCounts`) would be silently ignored instead of refused. `BigInt`s become
//! exact integers; a JavaScript number used as an id beyond 2^53 has already lost digits and is
//! refused by the id types rather than sent.
//! Out of Rust: through `serde_json::Value`, converting integers beyond 2^53 (possible inside task
//! input/output) to `BigInt` instead of rounding them; ids are strings already.

use crate::error::invalid;
use js_sys::{Array, BigInt, Object, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Largest integer a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Reads a JavaScript value as `T`; `what` names the argument in errors. Errors read like the
/// SDK's own validation: the field within the argument (`workers`, `resources[0].gpuCount`)
/// and the rule it breaks (`is required`, `must be a whole number`).
pub fn from_js<T: DeserializeOwned>(what: &str, value: JsValue) -> Result<T, JsValue> {
    let json = js_to_json(&value, what)?;
    serde_path_to_error::deserialize(json).map_err(|error| {
        let path = error.path().to_string();
        let (field, rule) = explain(
            if path == "." { None } else { Some(path.as_str()) },
            &error.inner().to_string(),
        );
        invalid(field.as_deref().unwrap_or(what), &rule)
    })
}

/// Serde's message about `path` as (field, rule) in the SDK's words.
fn explain(path: Option<&str>, message: &str) -> (Option<String>, String) {
    let join = |name: &str| Some(path.map_or_else(|| name.to_string(), |p| format!("{p}.{name}")));
    let quoted = |text: &str| text.split('`').nth(1).map(str::to_string);
    if let Some(name) = message.strip_prefix("missing field ").and_then(quoted) {
        return (join(&name), "is required".into());
    }
    if let Some(name) = message.strip_prefix("unknown field ").and_then(quoted) {
        let expected = message
            .split_once(", expected ")
            .map(|(_, e)| e.replace('`', ""))
            .unwrap_or_default();
        // The path already ends at an unknown key (serde_path_to_error records it).
        let field = match path {
            Some(p) if p == name || p.ends_with(&format!(".{name}")) => Some(p.to_string()),
            _ => join(&name),
        };
        return (field, format!("is not a known field (expected {expected})"));
    }
    let field = path.map(str::to_string);
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((got, expected)) = message.strip_prefix(prefix).and_then(|m| m.split_once(", expected ")) {
            return (field, format!("must be {} (got {got})", expected_words(expected)));
        }
    }
    (field, message.to_string())
}

fn expected_words(expected: &str) -> String {
    match expected {
        "i64" | "i32" | "u32" | "u64" | "u16" | "usize" => "a whole number".into(),
        "f64" | "f32" => "a number".into(),
        "a string" | "a borrowed string" => "a string".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list".into(),
        other if other.starts_with("struct ") || other.starts_with("a map") => "an object".into(),
        other => other.to_string(),
    }
}

/// Reads an optional argument: `undefined` and `null` give `T::default()`.
pub fn from_js_or_default<T: DeserializeOwned + Default>(what: &str, value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(what, value)
    }
}

/// A JavaScript value as JSON, as `JSON.stringify` would see it, but with exact `BigInt`s.
/// `path` names the value in errors.
pub fn js_to_json(value: &JsValue, path: &str) -> Result<Value, JsValue> {
    if value.is_null() || value.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(flag) = value.as_bool() {
        return Ok(Value::Bool(flag));
    }
    if let Some(text) = value.as_string() {
        return Ok(Value::String(text));
    }
    if let Some(number) = value.as_f64() {
        if !number.is_finite() {
            return Err(invalid(path, "must be a finite number"));
        }
        // Integers JavaScript holds exactly stay integers; anything else is a double.
        if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER {
            return Ok(Value::Number(Number::from(number as i64)));
        }
        return Ok(Number::from_f64(number).map(Value::Number).unwrap_or(Value::Null));
    }
    if value.is_bigint() {
        let text: String = BigInt::from(value.clone())
            .to_string(10)
            .map(String::from)
            .unwrap_or_default();
        let number = text
            .parse::<i64>()
            .map(Number::from)
            .or_else(|_| text.parse::<u64>().map(Number::from));
        return number
            .map(Value::Number)
            .map_err(|_| invalid(path, "is a BigInt beyond 64 bits"));
    }
    if Array::is_array(value) {
        let items = Array::from(value);
        let mut list = Vec::with_capacity(items.length() as usize);
        for (index, item) in items.iter().enumerate() {
            list.push(js_to_json(&item, &format!("{path}[{index}]"))?);
        }
        return Ok(Value::Array(list));
    }
    if value.is_function() || value.is_symbol() {
        return Err(invalid(path, "must be plain data (not a function or symbol)"));
    }
    if let Some(object) = value.dyn_ref::<Object>() {
        let mut map = Map::new();
        for entry in Object::entries(object).iter() {
            let pair = Array::from(&entry);
            let key = pair.get(0).as_string().unwrap_or_default();
            let item = pair.get(1);
            // As JSON.stringify does, an undefined property is an absent one.
            if !item.is_undefined() {
                let item = js_to_json(&item, &format!("{path}.{key}"))?;
                map.insert(key, item);
            }
        }
        return Ok(Value::Object(map));
    }
    Err(invalid(path, "is not a JSON value"))
}

/// An id argument: a string, or a safe integer.
pub fn id_from_js(what: &str, value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if let Some(number) = value.as_f64() {
        if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER {
            return Ok((number as i64).to_string());
        }
        return Err(invalid(
            what,
            "numbers above 2^53 lose digits in JavaScript: pass ids as strings",
        ));
    }
    if value.is_bigint() {
        return value
            .as_string()
            .or_else(|| BigInt::from(value.clone()).to_string(10).ok().map(String::from))
            .ok_or_else(|| invalid(what, "must be a string"));
    }
    Err(invalid(what, "must be a string"))
}

/// Any facade result as a plain JavaScript value.
pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    match serde_json::to_value(value) {
        Ok(json) => json_to_js(&json),
        // Facade types always serialise; keep the failure visible rather than returning undefined.
        Err(error) => JsValue::from(js_sys::Error::new(&format!("could not convert a result: {error}"))),
    }
}

pub fn json_to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => number_to_js(n),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(json_to_js).collect::<Array>().into(),
        Value::Object(map) => {
            let object = Object::new();
            for (key, item) in map {
                // Setting a property on a fresh plain object cannot fail.
                let _ = Reflect::set(&object, &JsValue::from_str(key), &json_to_js(item));
            }
            object.into()
        }
    }
}

fn number_to_js(number: &serde_json::Number) -> JsValue {
    let unsafe_integer =
        |text: String| JsValue::from(BigInt::new(&JsValue::from_str(&text)).unwrap_or(BigInt::from(0)));
    if let Some(i) = number.as_i64() {
        return if (i as f64).abs() <= MAX_SAFE_INTEGER {
            JsValue::from_f64(i as f64)
        } else {
            unsafe_integer(i.to_string())
        };
    }
    if let Some(u) = number.as_u64() {
        return if u as f64 <= MAX_SAFE_INTEGER {
            JsValue::from_f64(u as f64)
        } else {
            unsafe_integer(u.to_string())
        };
    }
    JsValue::from_f64(number.as_f64().unwrap_or(f64::NAN))
}

/// A copy of an options object without the keys that are not data (`signal`, callbacks), so
/// the rest can be read strictly (unknown keys are errors naming the key).
pub fn data_fields(options: &JsValue, skip: &[&str]) -> JsValue {
    if !options.is_object() {
        return options.clone();
    }
    let copy = Object::new();
    for entry in Object::entries(&Object::from(options.clone())).iter() {
        let pair = Array::from(&entry);
        let key = pair.get(0);
        if key.as_string().is_some_and(|k| skip.contains(&k.as_str())) {
            continue;
        }
        let _ = Reflect::set(&copy, &key, &pair.get(1));
    }
    copy.into()
}

/// A property of an options object, if present and not undefined.
pub fn property(options: &JsValue, key: &str) -> Option<JsValue> {
    if !options.is_object() {
        return None;
    }
    Reflect::get(options, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

#[cfg(test)]
mod tests {
    use super::explain;

    #[test]
    fn serde_messages_read_like_the_sdks_validation() {
        assert_eq!(
            explain(None, "missing field `workers`"),
            (Some("workers".into()), "is required".into())
        );
        assert_eq!(
            explain(Some("resources[0]"), "missing field `gpuCount`"),
            (Some("resources[0].gpuCount".into()), "is required".into())
        );
        assert_eq!(
            explain(Some("workers"), "invalid type: null, expected i64"),
            (Some("workers".into()), "must be a whole number (got null)".into())
        );
        let (field, rule) = explain(
            Some("resources[0].gpuCounts"),
            "unknown field `gpuCounts`, expected `region`, `gpuType` or `gpuCount`",
        );
        assert_eq!(field.as_deref(), Some("resources[0].gpuCounts"));
        assert_eq!(rule, "is not a known field (expected region, gpuType or gpuCount)");
    }
}
