//! What the App is told once, at start: the database, the account, the
//! clock and the paths the screens name.

use std::path::PathBuf;

use crate::source::SourceKind;
use crate::tui::format::Clock;

/// What the App is told once, at start.
#[derive(Debug, Clone)]
pub struct AppSettings {
    pub db_path: PathBuf,
    /// `None`: the first-run screen.
    pub account_id: Option<u32>,
    pub source: Option<SourceKind>,
    /// Shown in the header, e.g. "demo".
    pub label: Option<String>,
    pub clock: Clock,
    /// Shortens the database path to `~/...` in the header.
    pub home: Option<PathBuf>,
    /// Where the config file is (the first-run screen names it).
    pub config_path: Option<PathBuf>,
}
