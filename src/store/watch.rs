//! "Did another process write?" for readers, by `PRAGMA data_version`.
//!
//! SQLite bumps a connection's `data_version` whenever *another* connection
//! (in this process or any other) commits to the file; the connection's own
//! commits do not count. Asking costs no I/O beyond the WAL index, so a TUI
//! can ask a few times a second and reload only when something changed
//! (readers must see another process's writes within a second).

use super::{Store, StoreError};

impl Store {
    /// This connection's `PRAGMA data_version`: equal values mean no other
    /// connection committed in between.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn
            .pragma_query_value(None, "data_version", |row| row.get(0))
            .map_err(|e| StoreError::sqlite(&self.path, e))
    }
}

/// Remembers a connection's last `data_version`. Always ask with the same
/// `Store`: the number means nothing across connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeWatch {
    last: i64,
}

impl ChangeWatch {
    /// Starts watching from now: what `store` sees at this moment is "seen".
    pub fn new(store: &Store) -> Result<ChangeWatch, StoreError> {
        Ok(ChangeWatch {
            last: store.data_version()?,
        })
    }

    /// True once for each batch of commits by other connections since the
    /// last call (or since `new`).
    pub fn changed(&mut self, store: &Store) -> Result<bool, StoreError> {
        let now = store.data_version()?;
        let changed = now != self.last;
        self.last = now;
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_connections_commit_is_seen_once_and_own_reads_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let writer = Store::open(&path).unwrap();
        let reader = Store::open_read_only(&path).unwrap();
        let mut watch = ChangeWatch::new(&reader).unwrap();
        assert!(!watch.changed(&reader).unwrap(), "nothing written yet");

        writer
            .connection()
            .execute("INSERT INTO matches (match_id) VALUES (1)", [])
            .unwrap();
        assert!(watch.changed(&reader).unwrap());
        assert!(!watch.changed(&reader).unwrap(), "reported once");

        // The writer's own commits do not change what it sees of itself.
        let mut own = ChangeWatch::new(&writer).unwrap();
        writer
            .connection()
            .execute("INSERT INTO matches (match_id) VALUES (2)", [])
            .unwrap();
        assert!(!own.changed(&writer).unwrap());
        assert!(watch.changed(&reader).unwrap());
    }
}
