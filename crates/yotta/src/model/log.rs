//! Worker logs: one page, the cursor to the next, and what to ask for.

use super::enums::Direction;
use serde::{Deserialize, Serialize};

/// One log line.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogLine {
    /// As sent by the API (ISO 8601, e.g. `2024-01-15T10:30:15.123Z`).
    pub timestamp: String,
    pub log: String,
    pub offset: i64,
}

/// Where the next page starts: the API's `searchAfterTime` / `searchAfterOffset` tokens.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogCursor {
    pub time: String,
    pub offset: i64,
}

/// One page of log lines.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogPage {
    pub logs: Vec<LogLine>,
    pub has_more: bool,
    /// Pass as [`LogQuery::after`] to get the following page (in the same direction).
    pub next: Option<LogCursor>,
}

/// A time bound: epoch milliseconds or an ISO 8601 text, as the API accepts both.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LogTime {
    EpochMillis(i64),
    Text(String),
}

impl LogTime {
    pub(crate) fn to_query(&self) -> String {
        match self {
            LogTime::EpochMillis(ms) => ms.to_string(),
            LogTime::Text(text) => text.clone(),
        }
    }
}

impl From<i64> for LogTime {
    fn from(ms: i64) -> Self {
        LogTime::EpochMillis(ms)
    }
}

impl From<&str> for LogTime {
    fn from(text: &str) -> Self {
        LogTime::Text(text.to_string())
    }
}

impl From<String> for LogTime {
    fn from(text: String) -> Self {
        LogTime::Text(text)
    }
}

/// What to read from a worker's log.
///
/// ```
/// use yotta::{Direction, LogQuery};
/// let query = LogQuery::default().keyword("error").page_size(500).direction(Direction::Backward);
/// assert_eq!(query.page_size, Some(500));
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogQuery {
    /// Lines per page, 1 to 1000 (the API's default is 100).
    #[serde(default)]
    pub page_size: Option<i64>,
    #[serde(default)]
    pub keyword: Option<String>,
    #[serde(default)]
    pub start_time: Option<LogTime>,
    #[serde(default)]
    pub end_time: Option<LogTime>,
    #[serde(default)]
    pub direction: Direction,
    /// Continue after this cursor (from a previous page's `next`).
    #[serde(default)]
    pub after: Option<LogCursor>,
}

impl LogQuery {
    pub fn page_size(mut self, lines: i64) -> Self {
        self.page_size = Some(lines);
        self
    }

    pub fn keyword(mut self, keyword: impl Into<String>) -> Self {
        self.keyword = Some(keyword.into());
        self
    }

    pub fn since(mut self, time: impl Into<LogTime>) -> Self {
        self.start_time = Some(time.into());
        self
    }

    pub fn until(mut self, time: impl Into<LogTime>) -> Self {
        self.end_time = Some(time.into());
        self
    }

    pub fn direction(mut self, direction: Direction) -> Self {
        self.direction = direction;
        self
    }

    pub fn after(mut self, cursor: LogCursor) -> Self {
        self.after = Some(cursor);
        self
    }
}
