//! Endpoint operations of both versions. Each handler is a thin version-specific wrapper; the
//! behaviour is shared because both versions drive one backend.

use axum::extract::{RawQuery, State as Ax};
use axum::http::HeaderMap;
use bytes::Bytes;

use super::common::{OnePath, id};
use super::fields::{Obj, json_object};
use super::{spec_input, wire};
use crate::app::App;
use crate::http::envelope::{ApiError, ApiResult, ok, ok_void};
use crate::http::query::Query;
use crate::state::Version::{self, V1, V2};
use crate::state::{State, UpdateMode};

fn detail_of(st: &mut State, id: u64, now: u64, version: Version) -> ApiResult {
    // Settle (and answer 24001/14000) first, then render from a shared borrow of the whole state.
    st.endpoint(id, now, version)?;
    let ep = st.endpoints.get(&id).ok_or_else(|| State::not_found(version))?;
    Ok(ok(wire::endpoint(st, ep, now, version)))
}

async fn create(version: Version, app: App, headers: HeaderMap, body: Bytes) -> ApiResult {
    let map = json_object(&headers, &body)?;
    let (spec, credential_field) = spec_input::create(version, Obj::root(&map))?;
    let now = app.now();
    let mut st = app.lock();
    st.check_credential_reference(spec.credential_id, credential_field)?;
    let id = st.create(spec, now)?;
    app.touch();
    detail_of(&mut st, id, now, version)
}

async fn list(version: Version, app: App, raw: Option<String>) -> ApiResult {
    let statuses = Query::parse(raw.as_deref()).list("statusList");
    let now = app.now();
    let st = app.lock();
    let items: Vec<_> = st
        .endpoints
        .values()
        .rev()
        .filter(|ep| statuses.is_empty() || statuses.iter().any(|s| s.eq_ignore_ascii_case(ep.status(now).as_str())))
        .map(|ep| wire::endpoint(&st, ep, now, version))
        .collect();
    Ok(ok(items))
}

async fn detail(version: Version, app: App, path: OnePath) -> ApiResult {
    let id = id(path)?;
    let now = app.now();
    detail_of(&mut app.lock(), id, now, version)
}

async fn update(version: Version, app: App, path: OnePath, headers: HeaderMap, body: Bytes) -> ApiResult {
    let id = id(path)?;
    let map = json_object(&headers, &body)?;
    let bound = spec_input::update(version, Obj::root(&map))?;
    let now = app.now();
    let mut st = app.lock();
    let current = st.endpoint(id, now, version)?.spec.clone();
    // A credential the endpoint already has stays valid even if it was deleted meanwhile
    // (deletion is refused while in use); a new one must exist.
    if bound.credential() != current.credential_id {
        st.check_credential_reference(bound.credential(), bound.credential_field())?;
    }
    let mode = if version == V1 {
        UpdateMode::StoppedOnly
    } else {
        UpdateMode::Live
    };
    st.update(id, bound.apply(Some(&current)), mode, now, version)?;
    app.touch();
    detail_of(&mut st, id, now, version)
}

#[derive(Clone, Copy)]
enum Action {
    Start,
    Stop,
    Delete,
}

async fn action(version: Version, app: App, path: OnePath, action: Action) -> ApiResult {
    let id = id(path)?;
    let now = app.now();
    let mut st = app.lock();
    match action {
        Action::Start => st.start(id, now, version)?,
        Action::Stop => st.stop(id, now, version)?,
        Action::Delete => st.delete(id, now, version)?,
    }
    app.touch();
    Ok(ok_void())
}

async fn scale(version: Version, app: App, id: u64, workers: i64) -> ApiResult {
    let now = app.now();
    app.lock().scale(id, workers, now, version)?;
    app.touch();
    Ok(ok_void())
}

async fn workers(version: Version, app: App, path: OnePath, raw: Option<String>) -> ApiResult {
    let id = id(path)?;
    let statuses = Query::parse(raw.as_deref()).list("statusList");
    let now = app.now();
    let mut st = app.lock();
    st.endpoint(id, now, version)?;
    let st = &*st;
    let ep = st.endpoints.get(&id).ok_or_else(|| State::not_found(version))?;
    let items: Vec<_> = ep
        .workers
        .iter()
        .filter(|w| statuses.is_empty() || statuses.iter().any(|s| w.status(now).matches(s)))
        .map(|w| wire::worker(st, w, now))
        .collect();
    Ok(ok(items))
}

pub async fn v1_create(Ax(app): Ax<App>, headers: HeaderMap, body: Bytes) -> ApiResult {
    create(V1, app, headers, body).await
}

pub async fn v2_create(Ax(app): Ax<App>, headers: HeaderMap, body: Bytes) -> ApiResult {
    create(V2, app, headers, body).await
}

pub async fn v1_list(Ax(app): Ax<App>, RawQuery(q): RawQuery) -> ApiResult {
    list(V1, app, q).await
}

pub async fn v2_list(Ax(app): Ax<App>, RawQuery(q): RawQuery) -> ApiResult {
    list(V2, app, q).await
}

pub async fn v1_detail(Ax(app): Ax<App>, path: OnePath) -> ApiResult {
    detail(V1, app, path).await
}

pub async fn v2_detail(Ax(app): Ax<App>, path: OnePath) -> ApiResult {
    detail(V2, app, path).await
}

pub async fn v1_update(Ax(app): Ax<App>, path: OnePath, headers: HeaderMap, body: Bytes) -> ApiResult {
    update(V1, app, path, headers, body).await
}

pub async fn v2_update(Ax(app): Ax<App>, path: OnePath, headers: HeaderMap, body: Bytes) -> ApiResult {
    update(V2, app, path, headers, body).await
}

pub async fn v1_start(Ax(app): Ax<App>, path: OnePath) -> ApiResult {
    action(V1, app, path, Action::Start).await
}

pub async fn v2_start(Ax(app): Ax<App>, path: OnePath) -> ApiResult {
    action(V2, app, path, Action::Start).await
}

pub async fn v1_stop(Ax(app): Ax<App>, path: OnePath) -> ApiResult {
    action(V1, app, path, Action::Stop).await
}

pub async fn v2_stop(Ax(app): Ax<App>, path: OnePath) -> ApiResult {
    action(V2, app, path, Action::Stop).await
}

pub async fn v1_delete(Ax(app): Ax<App>, path: OnePath) -> ApiResult {
    action(V1, app, path, Action::Delete).await
}

pub async fn v2_delete(Ax(app): Ax<App>, path: OnePath) -> ApiResult {
    action(V2, app, path, Action::Delete).await
}

/// v1: `POST .../{id}/workers` with body `{"workers": n}`.
pub async fn v1_scale(Ax(app): Ax<App>, path: OnePath, headers: HeaderMap, body: Bytes) -> ApiResult {
    let id = id(path)?;
    let map = json_object(&headers, &body)?;
    let workers = Obj::root(&map)
        .int32("workers")?
        .ok_or_else(|| ApiError::param("workers: must not be null"))?;
    scale(V1, app, id, i64::from(workers)).await
}

/// v2: `PUT .../{id}/workers?count=n`.
pub async fn v2_scale(Ax(app): Ax<App>, path: OnePath, RawQuery(q): RawQuery) -> ApiResult {
    let id = id(path)?;
    let count = Query::parse(q.as_deref())
        .typed::<i32>("count", "int")?
        .ok_or_else(|| {
            ApiError::bad_request("Required request parameter 'count' for method parameter type Integer is not present")
        })?;
    scale(V2, app, id, i64::from(count)).await
}

pub async fn v1_workers(Ax(app): Ax<App>, path: OnePath, RawQuery(q): RawQuery) -> ApiResult {
    workers(V1, app, path, q).await
}

pub async fn v2_workers(Ax(app): Ax<App>, path: OnePath, RawQuery(q): RawQuery) -> ApiResult {
    workers(V2, app, path, q).await
}
