//! Printing that survives a closed pipe. `dota-sync sync ... 2>&1 | head -3`
//! closes stderr under us; `eprintln!` would then panic mid-sync and leave
//! the job row `running`. These write a line, report whether it went out,
//! and never panic: the sync goes on, silently.

use std::io::Write;

/// Writes one line to stderr; `false` if it could not be written.
pub fn err_line(line: &str) -> bool {
    let mut stderr = std::io::stderr().lock();
    writeln!(stderr, "{line}")
        .and_then(|()| stderr.flush())
        .is_ok()
}

/// Writes one line to stdout; `false` if it could not be written.
pub fn out_line(line: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .is_ok()
}
