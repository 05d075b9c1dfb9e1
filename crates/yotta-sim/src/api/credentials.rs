//! Registry credential routes of both versions over one store: v1 `/openapi/v1/credentials/...`
//! (create, list, get, delete) and v2 `/v2/container-registry-auths` (the same plus a partial
//! update). No response carries the secret.

use axum::extract::Path;
use axum::extract::State as Ax;
use axum::extract::rejection::PathRejection;
use axum::http::HeaderMap;
use bytes::Bytes;
use serde::Serialize;

use super::common::{OnePath, id};
use super::fields::{Obj, Violations, json_object, name_ok};
use crate::app::App;
use crate::http::envelope::{ApiError, ApiResult, RECORD_NOT_EXIST, ok, ok_void};
use crate::state::Version;
use crate::state::credentials::{Credential, CredentialInput};
use crate::state::timefmt::iso_ms;

/// The registry types the v2 guide lists for `type`.
pub const REGISTRY_TYPES: [&str; 5] = ["DOCKER_HUB", "GCR", "ECR", "ACR", "PRIVATE"];
/// v2 name limit (the v2 credentials reference: 1-20 chars, starting with a letter).
const V2_NAME_MAX: usize = 20;
/// v2 username and password limit (the same reference).
const V2_FIELD_MAX: usize = 255;

/// A credential as either version renders it: v1 `id` a JSON string (its page types the id as a
/// string), v2 a JSON number (the v2 guide's example); never the secret.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialWire {
    id: super::wire::WireId,
    name: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    created_at: String,
}

fn wire(credential: &Credential, version: Version) -> CredentialWire {
    CredentialWire {
        id: match version {
            Version::V1 => super::wire::WireId::Text(credential.id),
            Version::V2 => super::wire::WireId::Number(credential.id),
        },
        name: credential.name.clone(),
        kind: credential.kind.clone(),
        created_at: iso_ms(credential.created_at),
    }
}

/// v1 path ids are strings: anything that is not a credential id names no credential.
fn v1_id(path: Result<Path<String>, PathRejection>) -> Result<u64, ApiError> {
    let Path(raw) = path.map_err(|e| ApiError::bad_request(e.body_text()))?;
    raw.trim()
        .parse()
        .map_err(|_| ApiError::business(RECORD_NOT_EXIST, format!("Record not exist: no credential {raw:?}")))
}

/// Binds a v1 create (`name`, `username`, `token`, all required and non-empty; the v1 page states
/// no other limit).
fn bind_v1(body: Obj<'_>) -> Result<CredentialInput, ApiError> {
    let (name, username, token) = (body.string("name")?, body.string("username")?, body.string("token")?);
    let mut v = Violations::default();
    for (value, field) in [(name, "name"), (username, "username"), (token, "token")] {
        let value = v.require(value, field);
        v.length(value, field, 1, None);
    }
    v.into_result()?;
    Ok(CredentialInput {
        name: name.map(str::to_owned),
        kind: None,
        username: username.map(str::to_owned),
        secret: token.map(str::to_owned),
    })
}

/// Binds a v2 create (`creating`: name, username and password required) or partial update.
fn bind_v2(body: Obj<'_>, creating: bool) -> Result<CredentialInput, ApiError> {
    let name = body.string("name")?;
    let kind = if creating { body.string("type")? } else { None };
    let username = body.string("username")?;
    let password = body.string("password")?;
    let mut v = Violations::default();
    if creating {
        v.require(name, "name");
        v.require(username, "username");
        v.require(password, "password");
    }
    if let Some(name) = name {
        v.check(
            name_ok(name, V2_NAME_MAX),
            "name",
            format_args!("must match \"^(?=[A-Za-z])[A-Za-z0-9@._-]{{1,{V2_NAME_MAX}}}$\""),
        );
    }
    v.length(username, "username", 1, Some(V2_FIELD_MAX));
    v.length(password, "password", 1, Some(V2_FIELD_MAX));
    if let Some(kind) = kind {
        v.check(
            REGISTRY_TYPES.contains(&kind),
            "type",
            format_args!("must be one of {}", REGISTRY_TYPES.join(", ")),
        );
    }
    v.into_result()?;
    Ok(CredentialInput {
        name: name.map(str::to_owned),
        kind: kind.map(str::to_owned),
        username: username.map(str::to_owned),
        secret: password.map(str::to_owned),
    })
}

fn created(app: &App, input: CredentialInput, version: Version) -> ApiResult {
    let now = app.now();
    let mut st = app.lock();
    let id = st.create_credential(input, now);
    app.touch();
    Ok(ok(wire(st.credential(id)?, version)))
}

fn list(app: &App, version: Version) -> ApiResult {
    let st = app.lock();
    // Newest first, like the endpoint lists.
    let items: Vec<CredentialWire> = st.credentials.values().rev().map(|c| wire(c, version)).collect();
    Ok(ok(items))
}

fn delete(app: &App, id: u64) -> ApiResult {
    app.lock().delete_credential(id)?;
    app.touch();
    Ok(ok_void())
}

pub async fn v1_create(Ax(app): Ax<App>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let map = json_object(&headers, &body)?;
    let input = bind_v1(Obj::root(&map))?;
    created(&app, input, Version::V1)
}

pub async fn v1_list(Ax(app): Ax<App>) -> ApiResult {
    list(&app, Version::V1)
}

pub async fn v1_get(Ax(app): Ax<App>, path: Result<Path<String>, PathRejection>) -> ApiResult {
    let id = v1_id(path)?;
    Ok(ok(wire(app.lock().credential(id)?, Version::V1)))
}

pub async fn v1_delete(Ax(app): Ax<App>, path: Result<Path<String>, PathRejection>) -> ApiResult {
    let id = v1_id(path)?;
    delete(&app, id)
}

pub async fn v2_create(Ax(app): Ax<App>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let map = json_object(&headers, &body)?;
    let input = bind_v2(Obj::root(&map), true)?;
    created(&app, input, Version::V2)
}

pub async fn v2_list(Ax(app): Ax<App>) -> ApiResult {
    list(&app, Version::V2)
}

pub async fn v2_get(Ax(app): Ax<App>, path: OnePath) -> ApiResult {
    let id = id(path)?;
    Ok(ok(wire(app.lock().credential(id)?, Version::V2)))
}

pub async fn v2_update(Ax(app): Ax<App>, path: OnePath, headers: HeaderMap, body: Bytes) -> ApiResult {
    let id = id(path)?;
    let map = json_object(&headers, &body)?;
    let input = bind_v2(Obj::root(&map), false)?;
    let now = app.now();
    let mut st = app.lock();
    st.update_credential(id, input, now)?;
    app.touch();
    Ok(ok(wire(st.credential(id)?, Version::V2)))
}

pub async fn v2_delete(Ax(app): Ax<App>, path: OnePath) -> ApiResult {
    let id = id(path)?;
    delete(&app, id)
}
