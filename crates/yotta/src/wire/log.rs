//! Log pages on the wire.

use super::missing;
use crate::error::Result;
use crate::model::{LogCursor, LogLine, LogPage};
use crate::operation::Call;
use yotta_api::types;

pub fn from_wire(call: Call, wire: types::OpenapiLogResponse) -> Result<LogPage> {
    let mut logs = Vec::with_capacity(wire.logs.as_ref().map_or(0, Vec::len));
    for line in wire.logs.into_iter().flatten() {
        let (Some(timestamp), Some(log), Some(offset)) = (line.timestamp, line.log, line.offset) else {
            return Err(missing(call, "log line timestamp, text or offset"));
        };
        logs.push(LogLine { timestamp, log, offset });
    }
    let next = match (wire.next_search_after_time, wire.next_search_after_offset) {
        (Some(time), Some(offset)) => Some(LogCursor {
            time,
            offset: offset.get(),
        }),
        // A page without tokens still says where it ended: continue after its last line.
        _ => logs.last().map(|last| LogCursor {
            time: last.timestamp.clone(),
            offset: last.offset,
        }),
    };
    Ok(LogPage {
        logs,
        has_more: wire.has_more.unwrap_or(false),
        next,
    })
}
