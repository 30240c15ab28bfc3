//! The `dota-sync` binary: parse the command line, build the runtime, dispatch.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use dota_sync::cli::{Cli, one_line_usage_error};

fn main() -> ExitCode {
    let _ = color_eyre::install();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            return match error.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = error.print();
                    ExitCode::SUCCESS
                }
                _ => {
                    dota_sync::commands::out::err_line(&one_line_usage_error(&error));
                    ExitCode::from(dota_sync::commands::EXIT_USAGE)
                }
            };
        }
    };
    dota_sync::logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            dota_sync::commands::out::err_line(&format!(
                "dota-sync: cannot start the async runtime: {error}"
            ));
            return ExitCode::from(dota_sync::commands::EXIT_FATAL);
        }
    };
    runtime.block_on(dota_sync::commands::run(cli))
}
