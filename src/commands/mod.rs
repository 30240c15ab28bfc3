//! What each CLI command does. `main` parses and calls `run`, which
//! dispatches to one module per command; every failure a user can see
//! becomes one line on stderr and an exit code (`failure.rs`).

mod account;
mod completions;
mod demo;
mod export;
mod failure;
pub mod out;
mod report;
mod settings;
mod status;
mod sync_cmd;
mod tui_cmd;

use std::process::ExitCode;

pub use failure::{EXIT_FATAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, Failure};

use crate::cli::{Cli, Command};

/// Runs the parsed command line to an exit code.
pub async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        None => tui_cmd::run(cli.db, cli.account, cli.source).await,
        Some(Command::Demo) => demo::run(cli.db).await,
        Some(Command::Sync(args)) => sync_cmd::run_sync(cli.db, args).await,
        Some(Command::Retry(args)) => sync_cmd::run_retry(cli.db, args).await,
        Some(Command::Status(args)) => status::run(cli.db, args).await,
        Some(Command::Export(args)) => export::run(cli.db, args),
        Some(Command::Completions(args)) => completions::run(&args),
        Some(Command::Simulate(args)) => demo::simulate(args).await,
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            out::err_line(&failure.line());
            ExitCode::from(failure.code)
        }
    }
}
