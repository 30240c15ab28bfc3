//! What each CLI command does. `main` parses and calls `run`; every failure
//! a user can see becomes one line on stderr and an exit code.

mod account;
mod completions;
mod demo;
mod export;
pub mod out;
mod report;
mod settings;
mod status;
mod sync_cmd;
mod tui_cmd;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Exit codes (README.md, "Commands").
pub const EXIT_OK: u8 = 0;
pub const EXIT_FATAL: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_INTERRUPTED: u8 = 130;

/// A failure a user sees: one line and an exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    pub fn fatal(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: EXIT_FATAL,
        }
    }

    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: EXIT_USAGE,
        }
    }
}

impl From<crate::store::StoreError> for Failure {
    fn from(error: crate::store::StoreError) -> Failure {
        Failure::fatal(error.to_string())
    }
}

impl From<crate::config::ConfigError> for Failure {
    fn from(error: crate::config::ConfigError) -> Failure {
        Failure::usage(error.to_string())
    }
}

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
            out::err_line(&format!("dota-sync: {}", one_line(&failure.message)));
            ExitCode::from(failure.code)
        }
    }
}

/// Folds any stray newline so an error is always exactly one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
