//! Worker logs: one page, a stream through every page, and a follow mode.

use crate::client::Client;
use crate::decode;
use crate::error::Result;
use crate::ids::{EndpointId, WorkerId, as_int64};
use crate::model::{LogLine, LogPage, LogQuery};
use crate::operation::{ApiVersion, Operation};
use crate::runtime::sleep;
use crate::validate;
use futures::{Stream, TryStreamExt, stream};
use std::time::Duration;
use yotta_api::operations as op;

/// Log operations of a [`Client`] (`client.logs()`).
#[derive(Clone, Copy, Debug)]
pub struct Logs<'a> {
    pub(crate) client: &'a Client,
}

impl Logs<'_> {
    /// One page of a worker's log.
    pub async fn page(
        &self,
        endpoint: impl Into<EndpointId>,
        worker: impl Into<WorkerId>,
        query: &LogQuery,
    ) -> Result<LogPage> {
        fetch_page(self.client, &endpoint.into(), &worker.into(), query).await
    }

    /// Every line matching `query`, page after page in `query.direction`, until the log has
    /// no more. Holds one page in memory at a time.
    pub fn stream(
        &self,
        endpoint: impl Into<EndpointId>,
        worker: impl Into<WorkerId>,
        query: LogQuery,
    ) -> impl Stream<Item = Result<LogLine>> + 'static {
        lines(self.client.clone(), endpoint.into(), worker.into(), query, None)
    }

    /// Like [`Self::stream`], but at the end of the log keeps polling every `interval` for new
    /// lines, forever (drop the stream to stop). Use with [`crate::Direction::Forward`].
    pub fn follow(
        &self,
        endpoint: impl Into<EndpointId>,
        worker: impl Into<WorkerId>,
        query: LogQuery,
        interval: Duration,
    ) -> impl Stream<Item = Result<LogLine>> + 'static {
        lines(
            self.client.clone(),
            endpoint.into(),
            worker.into(),
            query,
            Some(interval),
        )
    }
}

async fn fetch_page(client: &Client, endpoint: &EndpointId, worker: &WorkerId, query: &LogQuery) -> Result<LogPage> {
    validate::log_query(query)?;
    let id = as_int64("id", endpoint.as_str())?;
    // validate::log_query has bounded the page size to 1..=1000.
    let page_size = query.page_size.map(|size| size as i32);
    let keyword = query.keyword.clone();
    let start_time = query.start_time.as_ref().map(|t| t.to_query());
    let end_time = query.end_time.as_ref().map(|t| t.to_query());
    let search_after_time = query.after.as_ref().map(|c| c.time.clone());
    let search_after_offset = query.after.as_ref().map(|c| c.offset);
    let direction = Some(query.direction.as_str().to_string());
    let call = client.call_for(Operation::WorkerLogs);
    let body = match call.version {
        ApiVersion::V1 => {
            let request = op::V1QueryWorkerLogs {
                id,
                worker_id: as_int64("workerId", worker.as_str())?,
                page_size,
                keyword,
                start_time,
                end_time,
                search_after_time,
                search_after_offset,
                direction,
            };
            client.send(call, &request).await?
        }
        ApiVersion::V2 => {
            let request = op::V2QueryWorkerLogs {
                id,
                worker_id: worker.as_str().to_string(),
                page_size,
                keyword,
                start_time,
                end_time,
                search_after_time,
                search_after_offset,
                direction,
            };
            client.send(call, &request).await?
        }
    };
    decode::log_page(call, &body)
}

/// Where a log stream is: the query for its next page, or finished.
enum Position {
    Next(LogQuery),
    Done,
}

/// A stream's state between pages.
struct Progress {
    position: Position,
    /// Whether to pause before the next poll (follow mode, after a page with nothing new).
    pause: bool,
    /// Pages in a row that claimed more lines but carried none.
    empty_pages: u32,
}

/// A server that keeps answering "more" with empty pages is not paged through forever.
const MAX_EMPTY_PAGES: u32 = 10;

fn lines(
    client: Client,
    endpoint: EndpointId,
    worker: WorkerId,
    query: LogQuery,
    follow: Option<Duration>,
) -> impl Stream<Item = Result<LogLine>> + 'static {
    let start = Progress {
        position: Position::Next(query),
        pause: false,
        empty_pages: 0,
    };
    let pages = stream::try_unfold(start, move |progress| {
        let client = client.clone();
        let endpoint = endpoint.clone();
        let worker = worker.clone();
        async move {
            let Position::Next(mut query) = progress.position else {
                return Ok(None);
            };
            if progress.pause
                && let Some(interval) = follow
            {
                sleep(interval).await;
            }
            let page = fetch_page(&client, &endpoint, &worker, &query).await?;
            let call = client.call_for(Operation::WorkerLogs);
            let mut empty_pages = 0;
            if page.has_more {
                // A page that claims more must say where the rest starts, somewhere new.
                match &page.next {
                    None => {
                        return Err(misbehaving(
                            call,
                            "the API reported more log lines but no cursor to continue from",
                        ));
                    }
                    Some(next) if query.after.as_ref() == Some(next) => {
                        return Err(misbehaving(
                            call,
                            "the log cursor did not advance (the API sent the same page again)",
                        ));
                    }
                    Some(_) => {}
                }
                if page.logs.is_empty() {
                    empty_pages = progress.empty_pages + 1;
                    if empty_pages >= MAX_EMPTY_PAGES {
                        return Err(misbehaving(
                            call,
                            &format!("the API reported more log lines but sent none {MAX_EMPTY_PAGES} times in a row"),
                        ));
                    }
                }
            }
            let pause = !page.has_more || page.logs.is_empty();
            if let Some(next) = page.next {
                query.after = Some(next);
            }
            let position = match (page.has_more, follow) {
                (false, None) => Position::Done,
                _ => Position::Next(query),
            };
            let next = Progress {
                position,
                pause,
                empty_pages,
            };
            Ok(Some((page.logs, next)))
        }
    });
    pages
        .map_ok(|logs| stream::iter(logs.into_iter().map(Ok)))
        .try_flatten()
}

/// A stream stopped because the API's paging cannot be followed.
fn misbehaving(call: crate::operation::Call, message: &str) -> crate::Error {
    crate::Error::decode(call, 200, message)
}
