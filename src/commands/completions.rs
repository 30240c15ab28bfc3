//! `dota-sync completions SHELL`: the completion script, from the clap
//! definitions themselves so it always knows every command and option.

use std::io::Write;

use clap::CommandFactory;

use super::failure::{EXIT_OK, Failure};
use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: &CompletionsArgs) -> Result<u8, Failure> {
    let mut command = Cli::command();
    // Into memory first: `generate` panics when its writer fails, and a
    // closed pipe (`completions bash | head`) is the reader's choice.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "dota-sync", &mut script);
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&script).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::fatal(format!(
            "cannot write the completion script: {e}"
        ))),
        _ => Ok(EXIT_OK),
    }
}
