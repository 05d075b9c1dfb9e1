//! `yotta tasks ...` (tasks of QUEUE-mode endpoints; always served by API v2).

use super::wait_options;
use crate::args::{SubmitArgs, TasksCommand, WaitArgs};
use crate::exit::{CliResult, Failure};
use crate::input::{Document, parse_json_arg};
use crate::output::Printer;
use crate::progress::Progress;
use crate::views;
use futures::TryStreamExt;
use serde::Serialize;
use std::time::Duration;
use yotta::{Client, Task, TaskId, TaskListQuery, TaskSpec};

pub async fn run(client: &Client, printer: Printer, command: &TasksCommand) -> CliResult {
    let tasks = client.tasks();
    match command {
        TasksCommand::Submit(args) => submit(client, printer, args).await?,
        TasksCommand::Get { id, task } => show(printer, &tasks.get(id, task.as_str()).await?)?,
        TasksCommand::List {
            id,
            status,
            page,
            page_size,
            all,
        } => {
            if *all {
                let list: Vec<Task> = tasks.stream(id, status.clone()).try_collect().await?;
                printer.print(&list, || views::task_list(&list))?;
            } else {
                let query = TaskListQuery {
                    status: status.clone(),
                    page_number: *page,
                    page_size: *page_size,
                };
                let page = tasks.page(id, &query).await?;
                printer.print(&page, || views::task_page(&page))?;
            }
        }
        TasksCommand::Count { id } => {
            let count = tasks.count(id).await?;
            printer.print(&count, || views::task_count(&count))?;
        }
        TasksCommand::Wait { id, task, wait } => show(printer, &wait_for(client, id, task, wait).await?)?,
    }
    Ok(())
}

/// What `tasks submit` prints without `--wait`: `{"taskId": "..."}` (a bare id in a table).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Submitted<'a> {
    task_id: &'a TaskId,
}

async fn submit(client: &Client, printer: Printer, args: &SubmitArgs) -> CliResult {
    let mut spec = match (&args.file, &args.input, args.port, &args.uri) {
        (Some(file), ..) => Document::read(file)?.parse::<TaskSpec>()?,
        (None, Some(input), Some(port), Some(uri)) => TaskSpec::new(parse_json_arg("--input", input)?, port, uri),
        // clap already requires -f, or --input with --port and --uri.
        _ => return Err(Failure::Usage("give -f FILE, or --input, --port and --uri".to_string())),
    };
    if let Some(task_id) = &args.task_id {
        spec.task_id = Some(task_id.as_str().into());
    }
    if let Some(webhook) = &args.webhook {
        spec.webhook = Some(webhook.clone());
    }
    let task_id = client.tasks().submit(&args.id, &spec).await?;
    if args.wait {
        let wait = WaitArgs {
            timeout: args.timeout,
            interval: Duration::from_secs(1),
        };
        show(printer, &wait_for(client, &args.id, task_id.as_str(), &wait).await?)?;
    } else {
        printer.print(&Submitted { task_id: &task_id }, || format!("{task_id}\n"))?;
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
    printer.print(task, || views::task(task))
}
