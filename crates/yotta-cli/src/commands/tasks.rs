//! `yotta tasks ...` (tasks of QUEUE-mode endpoints; always served by API v2).

use super::wait_options;
use crate::args::{OutputFormat, TaskSource, TasksCommand, WaitArgs};
use crate::exit::{CliResult, Failure};
use crate::input::{Document, parse_json_arg};
use crate::output::{ItemStyle, ItemWriter, Printer, StreamTable, escape};
use crate::progress::Progress;
use crate::views;
use futures::{Stream, StreamExt};
use serde::Serialize;
use std::pin::pin;
use std::time::Duration;
use yotta::{Client, Task, TaskId, TaskListQuery, TaskSpec, TaskStatus};

pub async fn run(client: &Client, printer: Printer, command: &TasksCommand) -> CliResult {
    let tasks = client.tasks();
    match command {
        TasksCommand::Submit(args) => {
            let spec = task_spec(&args.task)?;
            let task_id = tasks.submit(&args.id, &spec).await?;
            if args.wait {
                let wait = WaitArgs {
                    timeout: args.timeout,
                    interval: Duration::from_secs(1),
                };
                finished(printer, wait_for(client, &args.id, task_id.as_str(), &wait).await?)?;
            } else {
                printer.print(&Submitted { task_id: &task_id }, |_| format!("{task_id}\n"))?;
            }
        }
        TasksCommand::Run(args) => run_task(client, printer, &args.id, &task_spec(&args.task)?, &args.wait).await?,
        TasksCommand::Get { id, task } => show(printer, &tasks.get(id, task.as_str()).await?)?,
        TasksCommand::List {
            id,
            status,
            page,
            page_size,
            all,
        } => {
            if *all {
                print_all(printer, tasks.stream(id, status.clone())).await?;
            } else {
                let query = TaskListQuery {
                    status: status.clone(),
                    page_number: *page,
                    page_size: *page_size,
                };
                let page = tasks.page(id, &query).await?;
                printer.print(&page, |width| views::task_page(&page, width))?;
            }
        }
        TasksCommand::Count { id } => {
            let count = tasks.count(id).await?;
            printer.print(&count, |width| views::task_count(&count, width))?;
        }
        TasksCommand::Wait { id, task, wait } => finished(printer, wait_for(client, id, task, wait).await?)?,
    }
    Ok(())
}

/// What `tasks submit` prints without `--wait`: `{"taskId": "..."}` (a bare id in a table).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Submitted<'a> {
    task_id: &'a TaskId,
}

/// The task spec from `-f FILE`, or from `--input`, `--port` and `--uri`, with `--task-id` and
/// `--webhook` applied.
fn task_spec(source: &TaskSource) -> CliResult<TaskSpec> {
    let mut spec = match (&source.file, &source.input, source.port, &source.uri) {
        (Some(file), ..) => Document::read(file)?.parse::<TaskSpec>()?,
        (None, Some(input), Some(port), Some(uri)) => TaskSpec::new(parse_json_arg("--input", input)?, port, uri),
        // clap already requires -f, or --input with --port and --uri.
        _ => return Err(Failure::Usage("give -f FILE, or --input, --port and --uri".to_string())),
    };
    if let Some(task_id) = &source.task_id {
        spec.task_id = Some(task_id.as_str().into());
    }
    if let Some(webhook) = &source.webhook {
        spec.webhook = Some(webhook.clone());
    }
    Ok(spec)
}

/// `tasks run`: the facade's submit-and-wait; prints the output, or, when the task FAILED, the
/// task itself (its error included) before failing with exit 3.
async fn run_task(client: &Client, printer: Printer, endpoint: &str, spec: &TaskSpec, wait: &WaitArgs) -> CliResult {
    let mut progress = Progress::new();
    let mut last: Option<Task> = None;
    let result = client
        .tasks()
        .run_with(endpoint, spec, wait_options(wait), |task| {
            progress.state(&format!("running task {}", task.task_id), task.status.as_str());
            last = Some(task.clone());
        })
        .await;
    drop(progress);
    match result {
        Ok(output) => {
            printer.print(&output, |_| {
                // The output is JSON whatever the format; pretty, and escaped for the terminal.
                let text = serde_json::to_string_pretty(&output).unwrap_or_default();
                text.lines().map(|line| escape(line) + "\n").collect()
            })?;
            Ok(())
        }
        Err(error @ yotta::Error::TaskFailed { .. }) => {
            if let Some(task) = &last {
                show(printer, task)?;
            }
            Err(error.into())
        }
        Err(error) => Err(error.into()),
    }
}

/// Prints a finished task; one that FAILED is also a failure (exit 3), after it is printed.
fn finished(printer: Printer, task: Task) -> CliResult {
    show(printer, &task)?;
    if task.status == TaskStatus::Failed {
        return Err(Failure::Sdk(yotta::Error::TaskFailed {
            endpoint_id: task.endpoint_id.map(|id| id.to_string()).unwrap_or_default(),
            task_id: task.task_id.to_string(),
            reason: task.error,
        }));
    }
    Ok(())
}

async fn wait_for(client: &Client, id: &str, task: &str, wait: &WaitArgs) -> yotta::Result<Task> {
    let mut progress = Progress::new();
    let what = format!("waiting for task {task}");
    client
        .tasks()
        .wait_with(id, task, wait_options(wait), |t| {
            progress.state(&what, t.status.as_str())
        })
        .await
}

fn show(printer: Printer, task: &Task) -> std::io::Result<()> {
    printer.print(task, |width| views::task(task, width))
}

/// Rows per batch of `tasks list --all` in a table (the facade's page size).
const TABLE_BATCH: usize = 100;

/// `tasks list --all`: every task printed as it arrives, one page in memory at a time, however
/// many pages the server claims. Tasks already printed stay a valid JSON array when a later
/// page fails.
async fn print_all(printer: Printer, tasks: impl Stream<Item = yotta::Result<Task>>) -> CliResult {
    let mut tasks = pin!(tasks);
    let failure = match printer.format {
        OutputFormat::Json => {
            let mut writer = ItemWriter::new(std::io::stdout(), ItemStyle::JsonArray);
            let failure = loop {
                match tasks.next().await {
                    Some(Ok(task)) => writer.item(&task, |_| String::new())?,
                    Some(Err(error)) => break Some(error),
                    None => break None,
                }
            };
            if failure.is_none() || writer.written() > 0 {
                writer.finish()?;
            }
            failure
        }
        OutputFormat::Table => {
            let mut table = StreamTable::new(std::io::stdout(), &views::TASK_HEADERS, TABLE_BATCH);
            let failure = loop {
                match tasks.next().await {
                    Some(Ok(task)) => table.row(views::task_row(&task))?,
                    Some(Err(error)) => break Some(error),
                    None => break None,
                }
            };
            table.finish()?;
            failure
        }
    };
    match failure {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}
