//! Worker logs, v1 and v2: keyword, time range, page size and search-after tokens both ways.

use axum::extract::{RawQuery, State as Ax};

use super::common::{TwoPaths, id_and, long};
use super::fields::Violations;
use super::wire;
use crate::app::App;
use crate::http::envelope::{ApiError, ApiResult, ok};
use crate::http::query::Query;
use crate::state::Version::{self, V1, V2};
use crate::state::log_query::LogQuery;
use crate::state::logs::RenderCtx;
use crate::state::timefmt::parse_time;

fn bind(q: &Query) -> Result<LogQuery, ApiError> {
    let page_size = q.typed::<i32>("pageSize", "int")?.unwrap_or(100);
    let after_offset = q.typed::<i64>("searchAfterOffset", "long")?;
    let mut v = Violations::default();
    v.range(Some(i64::from(page_size)), "pageSize", Some(1), Some(1000));
    let mut time = |key: &str| {
        let raw = q.get(key)?;
        let parsed = parse_time(raw);
        v.check(
            parsed.is_some(),
            key,
            "must be epoch milliseconds or an ISO 8601 date-time",
        );
        parsed
    };
    let (start, end, after_time) = (time("startTime"), time("endTime"), time("searchAfterTime"));
    let backward = match q.get("direction") {
        None => false,
        Some(d) if d.eq_ignore_ascii_case("forward") => false,
        Some(d) if d.eq_ignore_ascii_case("backward") => true,
        Some(_) => {
            v.add("direction", "must be Forward or Backward");
            false
        }
    };
    v.into_result()?;
    Ok(LogQuery {
        page_size: usize::try_from(page_size).unwrap_or(100),
        keyword: q.get("keyword").map(str::to_owned),
        start,
        end,
        after_time,
        after_offset,
        backward,
    })
}

async fn logs(version: Version, app: App, path: TwoPaths, raw: Option<String>) -> ApiResult {
    let (id, worker_raw) = id_and(path)?;
    // v1 types workerId as int64 (a bad value is a 400); the v2 guide leaves it a string.
    let worker_id = match version {
        V1 => Some(long(&worker_raw, "workerId")?),
        V2 => worker_raw.trim().parse::<u64>().ok(),
    };
    let q = Query::parse(raw.as_deref());
    let query = bind(&q)?;
    let now = app.now();
    let mut st = app.lock();
    let seed = st.cfg.seed;
    let ep = &*st.endpoint(id, now, version)?;
    let worker = worker_id.and_then(|w| ep.worker(w)).ok_or_else(|| {
        ApiError::param(format!(
            "workerId: worker {worker_raw} does not belong to endpoint {id}"
        ))
    })?;
    let ctx = RenderCtx {
        worker_id: worker.id,
        seed,
        tasks: &ep.tasks,
    };
    let page = worker.log.query(&query, &ctx);
    let echo = (
        query.after_time.map(|t| t.to_string()),
        query.after_offset.map(|o| o.to_string()),
    );
    Ok(ok(wire::log_page(page, echo)))
}

pub async fn v1_logs(Ax(app): Ax<App>, path: TwoPaths, RawQuery(q): RawQuery) -> ApiResult {
    logs(V1, app, path, q).await
}

pub async fn v2_logs(Ax(app): Ax<App>, path: TwoPaths, RawQuery(q): RawQuery) -> ApiResult {
    logs(V2, app, path, q).await
}
