//! Logs go to a file, never to the terminal (the TUI owns it).

use std::fs::OpenOptions;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Starts logging to `DOTA_SYNC_LOG` or the data directory's `dota-sync.log`.
/// Without a writable place, logs are dropped: they are never worth failing for.
pub fn init() {
    let Some(path) = crate::config::log_path() else {
        return;
    };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let Ok(file) = OpenOptions::new().create(true).append(true).open(&path) else {
        return;
    };
    let filter =
        EnvFilter::try_from_env("DOTA_SYNC_LOG_LEVEL").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
}
