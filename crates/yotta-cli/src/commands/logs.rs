//! `yotta logs ID WORKER ...`: one pass through the log, or following it.
//!
//! Lines are printed as they arrive (one page in memory at a time). `--limit` ends the command
//! after that many lines, also when following; Ctrl-C ends it cleanly (the JSON array is closed).

use crate::args::{LogsArgs, OutputFormat};
use crate::exit::CliResult;
use crate::output::{ItemStyle, ItemWriter, Printer, escape};
use crate::progress::eprintln_line;
use crate::views;
use futures::{Stream, StreamExt};
use std::io::IsTerminal;
use std::pin::pin;
use yotta::{Client, Direction, LogLine, LogQuery, MAX_LOG_PAGE_SIZE};

pub async fn run(client: &Client, printer: Printer, args: &LogsArgs) -> CliResult {
    let limit = args.limit.unwrap_or(u64::MAX);
    let query = LogQuery {
        // A limit smaller than a page needs only one call.
        page_size: Some(limit.min(MAX_LOG_PAGE_SIZE as u64) as i64),
        keyword: args.keyword.clone(),
        start_time: args.since.clone(),
        end_time: args.until.clone(),
        direction: if args.backward {
            Direction::Backward
        } else {
            Direction::Forward
        },
        after: None,
    };
    let style = match (printer.format, args.follow) {
        (OutputFormat::Json, false) => ItemStyle::JsonArray,
        (OutputFormat::Json, true) => ItemStyle::JsonLines,
        (OutputFormat::Table, _) => ItemStyle::Text,
    };
    let logs = client.logs();
    if args.follow {
        // A note, not a spinner: the log lines themselves share the terminal.
        if std::io::stderr().is_terminal() {
            eprintln_line(&format!(
                "following the log of worker {} of endpoint {} (Ctrl-C to stop)",
                escape(&args.worker),
                escape(&args.id)
            ));
        }
        let lines = logs.follow(&args.id, &args.worker, query, args.interval);
        print(lines, limit, style).await
    } else {
        print(logs.stream(&args.id, &args.worker, query), limit, style).await
    }
}

async fn print(lines: impl Stream<Item = yotta::Result<LogLine>>, limit: u64, style: ItemStyle) -> CliResult {
    let mut lines = pin!(lines.take(usize::try_from(limit).unwrap_or(usize::MAX)));
    let mut writer = ItemWriter::new(std::io::stdout(), style);
    let mut interrupted = pin!(tokio::signal::ctrl_c());
    let failure = loop {
        let next = tokio::select! {
            next = lines.next() => next,
            _ = &mut interrupted => None,
        };
        match next {
            Some(Ok(line)) => writer.item(&line, views::log_line)?,
            Some(Err(error)) => break Some(error),
            None => break None,
        }
    };
    // Lines already printed stay a valid JSON value even when a later page failed.
    if failure.is_none() || writer.written() > 0 {
        writer.finish()?;
    }
    match failure {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}
