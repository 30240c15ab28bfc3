//! How a command fails: the exit codes (README.md, "Commands") and the one
//! line a user sees. Every command returns `Result<u8, Failure>`; `run` in
//! `mod.rs` prints the line and exits with the code.

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

    /// The line printed for it: any stray newline folded, so an error is
    /// always exactly one line.
    pub fn line(&self) -> String {
        let folded = self
            .message
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        format!("dota-sync: {folded}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_of_several_lines_prints_as_one() {
        let failure = Failure::fatal("cannot open db\n  locked by pid 7\n\n");
        assert_eq!(failure.line(), "dota-sync: cannot open db locked by pid 7");
        assert_eq!(failure.code, EXIT_FATAL);
        assert_eq!(Failure::usage("bad").code, EXIT_USAGE);
    }
}
