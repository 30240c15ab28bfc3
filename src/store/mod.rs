//! The SQLite store: opening (with refusals that leave the file untouched),
//! migrations, writes by the engine and reads by the views.
//!
//! rusqlite is synchronous. The engine owns one writer `Store` on a blocking
//! thread; each reader (TUI, status) opens its own read-only `Store`.

pub mod checkpoint;
mod export_rows;
pub mod filter;
mod games;
mod jobs;
mod lineups;
mod list_order;
mod lock;
mod names;
mod open;
mod read;
mod schema;
pub mod stats;
mod summaries;
mod watch;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use export_rows::{ExportMatch, RowFrom as ExportFrom};
pub use filter::MatchFilter;
pub use jobs::{JobStatus, SyncJob};
pub use list_order::ListOrder;
pub use lock::{Holder, LockError, SyncLock, lock_path};
pub use names::{NAME_MAX_AGE_SECS, NameRecord};
pub use open::StoreError;
pub use read::{
    Counts, ErrorRow, ListFilter, MatchListRow, MatchView, PlayerRow, SummaryLine, TeammateRow,
    WindowAnchor, WindowKey,
};
pub use watch::ChangeWatch;
pub use write::{Applied, FailureRecord, MAX_ATTEMPTS, Pending, RowOutcome};

/// A connection to the dota-sync database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) and migrates the database for writing.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = open::open_writer(path)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing database for reading only (TUI, status).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let conn = open::open_reader(path)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A SQLite failure on this store's file, as the one-line error naming it.
    fn sqlite_error(&self, e: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.path, e)
    }

    /// Runs a cached query and collects its rows; any failure names the file.
    fn rows<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let collect = || -> rusqlite::Result<Vec<T>> {
            self.conn
                .prepare_cached(sql)?
                .query_map(params, map)?
                .collect()
        };
        collect().map_err(|e| StoreError::sqlite(&self.path, e))
    }

    /// The raw connection, for tests and `sqlite3`-style checks.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// The current time as stored in TEXT columns (RFC 3339, UTC, seconds).
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
