use anyhow::Result;
use clap::{Parser, Subcommand};
use xtask::files::Mode;

/// Build tasks for the Yotta SDK workspace.
#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate openapi/{v1,v2,yotta}.json and the generated client from the vendored pages.
    Codegen {
        /// Rewrite nothing; fail with a diff when a committed artefact is stale.
        #[arg(long)]
        check: bool,
    },
    /// Print the public Rust API of a workspace crate (what tests/ snapshots).
    PublicApi {
        /// The package, e.g. `yotta`.
        package: String,
    },
    /// Build the npm package into web/dist (wasm32 build, wasm-bindgen, wasm-opt, npm pack) and
    /// check its gzip size against web/size-budget.json.
    Wasm {
        /// Skip wasm-opt (faster; the size budget is then not checked).
        #[arg(long)]
        skip_opt: bool,
        /// Also write the optimised module with its name section kept to this path (for twiggy).
        #[arg(long)]
        named_copy: Option<std::path::PathBuf>,
    },
    /// Serve the web console and the API (simulated, or proxied with --upstream) on one origin.
    Console(xtask::console::ConsoleArgs),
    /// Run every check CI runs: format, codegen --check, clippy, wasm build, all tests.
    Test,
    /// Benchmarks against the alternatives (size, browser, native, logs, simulator, codegen);
    /// prints a markdown table and writes docs/benchmarks.md. Runs `yotta-bench run` (release
    /// build in target/bench); further arguments go to it (`--quick`, `--only native,size`).
    Bench {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Download the current documentation pages (openapi/pages.json) into openapi/.
    FetchDocs {
        /// Fetch from this origin instead of the docs site (a mirror, or a test server).
        #[arg(long)]
        origin: Option<String>,
    },
}

fn main() -> Result<()> {
    let root = xtask::workspace_root();
    match Cli::parse().task {
        Task::Codegen { check } => xtask::codegen::run(&root, if check { Mode::Check } else { Mode::Write }),
        Task::Test => xtask::test_all::run_all(&root),
        Task::Console(args) => xtask::console::run(
            &root,
            &xtask::console::Options {
                addr: args.addr,
                upstream: args.upstream,
                skip_build: args.skip_build,
                stage_only: args.stage_only,
                simulator_args: args.simulator_args,
            },
        ),
        Task::Bench { args } => xtask::bench(&root, &args),
        Task::Wasm { skip_opt, named_copy } => xtask::wasm::run(&root, &xtask::wasm::Options { skip_opt, named_copy }),
        Task::PublicApi { package } => {
            print!("{}", xtask::public_api::render_crate(&root, &package)?);
            Ok(())
        }
        Task::FetchDocs { origin } => {
            let changed = xtask::fetch_docs::run(&root.join("openapi"), origin.as_deref())?;
            if changed.is_empty() {
                eprintln!("fetch-docs: every page is unchanged");
            } else {
                eprintln!(
                    "fetch-docs: updated {}; now run `cargo xtask codegen` and review the diff",
                    changed.join(", ")
                );
            }
            Ok(())
        }
    }
}
