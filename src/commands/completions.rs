//! `dota-sync completions SHELL`: the completion script, from the clap
//! definitions themselves so it always knows every command and option.

use clap::CommandFactory;

use super::{EXIT_OK, Failure};
use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: &CompletionsArgs) -> Result<u8, Failure> {
    let mut command = Cli::command();
    clap_complete::generate(
        args.shell,
        &mut command,
        "dota-sync",
        &mut std::io::stdout(),
    );
    Ok(EXIT_OK)
}
