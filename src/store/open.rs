//! Opening the database, and the refusals that must leave the file
//! byte-identical: not SQLite, a newer schema, read-only.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::checkpoint;
use super::schema;

/// Why the database cannot be used. Each message is one line naming the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{} is not a dota-sync database (not SQLite, or corrupt); move it away or pass another --db", .path.display())]
    NotADatabase { path: PathBuf },
    #[error("{} was written by a newer dota-sync (schema {found}, this build knows {supported}); upgrade dota-sync", .path.display())]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{} is read-only; dota-sync needs to write there (fix its permissions or pass another --db)", .path.display())]
    ReadOnly { path: PathBuf },
    #[error("{} is {what}, not a regular file; pass a file path to --db", .path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    #[error("{} is a symbolic link to {}, which does not exist; create it or pass another --db", .path.display(), .target.display())]
    DanglingLink { path: PathBuf, target: PathBuf },
    #[error("{} does not exist yet; run a sync first", .path.display())]
    Missing { path: PathBuf },
    /// SQLite's `SQLITE_FULL`: what was committed before stays, and the next
    /// run resumes from it.
    #[error("{} is on a full disk (database or disk is full); free some space and run again: what was fetched is saved", .path.display())]
    DiskFull { path: PathBuf },
    #[error("database error in {}: {source}", .path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot migrate {}: {reason}", .path.display())]
    Migration { path: PathBuf, reason: String },
    #[error("cannot use {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    pub(crate) fn sqlite(path: &Path, source: rusqlite::Error) -> StoreError {
        if is_not_a_database(&source) {
            return StoreError::NotADatabase {
                path: path.to_path_buf(),
            };
        }
        if is_read_only(&source) {
            return StoreError::ReadOnly {
                path: path.to_path_buf(),
            };
        }
        if source.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            return StoreError::DiskFull {
                path: path.to_path_buf(),
            };
        }
        StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        }
    }
}

fn is_not_a_database(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

fn is_read_only(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::CannotOpen)
    )
}

/// SQLite's smallest page, so the smallest database that is not empty.
const MIN_PAGE_SIZE: u64 = 512;

/// Whether the database file exists, refusing what cannot be one, by
/// `stat` alone. It never opens the file: closing *any* descriptor of a
/// file drops every POSIX lock the process holds on it, SQLite's among them
/// (SQLite, "How To Corrupt Your Database Files", 2.2). A process whose
/// connection lost its lock lets another client (`sqlite3`, a browser)
/// checkpoint and delete the WAL under it, and every later write goes to an
/// unlinked file. Whether an existing file is SQLite at all is asked of
/// SQLite itself (`connect`), which reads the header without writing: a
/// garbage file stays byte-identical.
fn check_path(path: &Path) -> Result<bool, StoreError> {
    check_file_type(path)?;
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        }),
        // No SQLite database is 1 to 511 bytes long (a page is at least
        // 512); SQLite itself would take a short run of zeros for an empty
        // database and write one over it.
        Ok(meta) if meta.len() > 0 && meta.len() < MIN_PAGE_SIZE => Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        }),
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
        }),
        Err(source) => Err(StoreError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Refuses what is not a regular file before opening it: opening a FIFO
/// blocks until a writer comes, and SQLite on `/dev/null` would create
/// `/dev/null-journal` beside it. A dangling symlink is named as such.
fn check_file_type(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::FileTypeExt;
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Ok(target) = fs::read_link(path) {
                return Err(StoreError::DanglingLink {
                    path: path.to_path_buf(),
                    target,
                });
            }
            return Ok(());
        }
        // Permission problems are reported by the open that follows.
        Err(_) => return Ok(()),
    };
    let kind = meta.file_type();
    let what = if kind.is_file() || kind.is_dir() {
        return Ok(());
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    };
    Err(StoreError::NotAFile {
        path: path.to_path_buf(),
        what,
    })
}

/// Write permission by mode bits, not by `access(2)`: root passes `access`
/// on a 0444 file, yet the user asked for it to stay read-only.
fn is_writable(path: &Path) -> bool {
    match fs::metadata(path) {
        Ok(meta) => !meta.permissions().readonly() && meta.permissions().mode() & 0o222 != 0,
        Err(_) => false,
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The writer's page cache, in KiB (negative: SQLite's unit). Half SQLite's
/// default: what a write touches is each B-tree's spine and the leaves being
/// filled (the sync writes newest first, so in key order), and the rest
/// stays in the OS's cache. It was 2 MB of a sync's ~15 MB peak RSS.
const WRITER_CACHE_KIB: i64 = -1024;

pub(super) fn open_writer(path: &Path) -> Result<Connection, StoreError> {
    let exists = check_path(path)?;
    let dir = parent_dir(path);
    if !exists && !dir.exists() {
        fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    }
    // WAL needs to create `-wal` and `-shm` beside the file.
    if (exists && !is_writable(path)) || !is_writable(&dir) {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let (mut conn, _version) = connect(path, flags)?;
    set_wal(&conn, path)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| StoreError::sqlite(path, e))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| StoreError::sqlite(path, e))?;
    checkpoint::install(&conn);
    conn.pragma_update(None, "cache_size", WRITER_CACHE_KIB)
        .map_err(|e| StoreError::sqlite(path, e))?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

/// How long a connection waits for another's lock (`busy_timeout`), and for
/// another process's switch to WAL.
const BUSY_WAIT: Duration = Duration::from_secs(10);

/// `journal_mode = WAL`, waiting for another process that holds the file
/// (creating it, or switching it too). SQLite does not call the busy
/// handler for this switch: it answers "database is locked" at once.
fn set_wal(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let deadline = std::time::Instant::now() + BUSY_WAIT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Ok(()) => return Ok(()),
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => return Err(StoreError::sqlite(path, e)),
        }
    }
}

/// Brings the schema to this build's, safe against another process opening
/// the same file at any moment (a cron sync and the TUI started together on
/// a fresh file). Each migration transaction begins `IMMEDIATE`, so it holds
/// the write lock from its first statement and a second process waits for
/// it (`busy_timeout`) instead of interleaving. rusqlite_migration reads the
/// version before taking that lock, so the waiter may then replay what the
/// first one just did (`table matches already exists`); its transaction
/// rolls back whole, and if the version moved meanwhile it starts over from
/// the new one. An error with the version unmoved is a real failure. The
/// version can move at most once per migration, which bounds the loop.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let migrations = schema::migrations();
    conn.set_transaction_behavior(TransactionBehavior::Immediate);
    let result = loop {
        let before = schema_version(conn, path)?;
        match migrations.to_latest(conn) {
            Ok(()) => break Ok(()),
            Err(error) => {
                let after = schema_version(conn, path)?;
                if after != before {
                    tracing::debug!(before, after, "another process migrated meanwhile: {error}");
                    continue;
                }
                break Err(match error {
                    rusqlite_migration::Error::RusqliteError { err, .. } => {
                        StoreError::sqlite(path, err)
                    }
                    other => StoreError::Migration {
                        path: path.to_path_buf(),
                        reason: other.to_string(),
                    },
                });
            }
        }
    };
    conn.set_transaction_behavior(TransactionBehavior::Deferred);
    result
}

/// The page cache of a read-only connection, in KiB (negative: SQLite's unit).
const READER_CACHE_KIB: i64 = -32 * 1024;

pub(super) fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    if !check_path(path)? {
        return Err(StoreError::Missing {
            path: path.to_path_buf(),
        });
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let (mut conn, version) = connect(path, flags)?;
    if version == 0 {
        // SQLite, but no dota-sync schema yet (a sync was killed before
        // its first commit, or the file is another program's): a reader
        // must not create one.
        return Err(StoreError::Missing {
            path: path.to_path_buf(),
        });
    }
    if version < schema::latest_version() {
        // A file an older dota-sync wrote: a reader cannot migrate it, so a
        // writer does, once, and the reader starts over on the result.
        // Someone who upgraded and opens the TUI or `status` first expects
        // it to work, not to be told to sync.
        drop(conn);
        drop(open_writer(path)?);
        conn = connect(path, flags)?.0;
    }
    // The TUI's statistics scan every game of an account; with SQLite's
    // default 2 MB page cache each scan reads its pages from the kernel
    // again. The cache fills only as pages are read, and is dropped when
    // another process writes.
    conn.pragma_update(None, "cache_size", READER_CACHE_KIB)
        .map_err(|e| StoreError::sqlite(path, e))?;
    Ok(conn)
}

/// Opens a connection and reads the schema version before anything is
/// written: a newer or corrupt file must stay untouched.
fn connect(path: &Path, flags: OpenFlags) -> Result<(Connection, i64), StoreError> {
    let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::sqlite(path, e))?;
    conn.busy_timeout(BUSY_WAIT)
        .map_err(|e| StoreError::sqlite(path, e))?;
    let version = schema_version(&conn, path)?;
    if version > schema::latest_version() {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: schema::latest_version(),
        });
    }
    Ok((conn, version))
}

fn schema_version(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    // Reading user_version parses the header and schema: this is where a
    // corrupt file is detected.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(|e| StoreError::sqlite(path, e))?;
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| StoreError::sqlite(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// Whether this process holds a POSIX lock on `path` (`/proc/locks`).
    fn holds_lock(path: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        let ino = fs::metadata(path).unwrap().ino().to_string();
        let pid = std::process::id().to_string();
        // One read() of the whole table: procfs builds each read from the
        // list as it is then, and other tests lock and unlock meanwhile.
        let mut buf = vec![0u8; 1 << 20];
        let n = std::io::Read::read(&mut fs::File::open("/proc/locks").unwrap(), &mut buf).unwrap();
        String::from_utf8_lossy(&buf[..n])
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .any(|f| {
                f.get(1) == Some(&"POSIX")
                    && f.get(4) == Some(&pid.as_str())
                    && f.get(5).and_then(|d| d.rsplit(':').next()) == Some(ino.as_str())
            })
    }

    /// Issue 16: a second connection's open must not drop the first's lock
    /// (it did when the header was read with `std::fs::File`).
    #[test]
    fn opening_more_connections_keeps_the_process_lock_on_the_file() {
        if !Path::new("/proc/locks").exists() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks.db");
        let writer = Store::open(&path).unwrap();
        writer.data_version().unwrap();
        assert!(holds_lock(&path), "WAL mode keeps a shared lock");
        let reader = Store::open_read_only(&path).unwrap();
        let second = Store::open(&path).unwrap();
        assert!(holds_lock(&path), "an open dropped the process's lock");
        drop((reader, second));
        assert!(holds_lock(&path));
    }

    /// Short garbage (shorter than SQLite's 16-byte magic) is refused by
    /// SQLite's own check, and left as it was.
    #[test]
    fn short_garbage_is_not_a_database_and_stays_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let zeros = [0u8; 511];
        for bytes in [&b"hi"[..], b"SQLite format", b"\0", &zeros] {
            let path = dir.path().join("short.db");
            fs::write(&path, bytes).unwrap();
            for error in [Store::open(&path).err(), Store::open_read_only(&path).err()] {
                let error = error.unwrap_or_else(|| panic!("{bytes:?} accepted"));
                assert!(
                    matches!(error, StoreError::NotADatabase { .. }),
                    "{bytes:?}: {error:?}"
                );
            }
            assert_eq!(fs::read(&path).unwrap(), bytes);
            assert!(!dir.path().join("short.db-wal").exists());
        }
    }
}

#[cfg(test)]
mod race_tests {
    use super::*;
    use crate::store::Store;

    /// Opens `path` from `n` threads at once (each its own connection, as
    /// separate processes would be): every open must succeed.
    fn open_at_once(path: &Path, n: usize) {
        let barrier = std::sync::Barrier::new(n);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..n)
                .map(|_| {
                    scope.spawn(|| {
                        barrier.wait();
                        Store::open(path).map(|_| ())
                    })
                })
                .collect();
            for handle in handles {
                if let Err(error) = handle.join().unwrap() {
                    panic!("an open failed: {error}");
                }
            }
        });
    }

    #[test]
    fn opens_racing_on_a_fresh_file_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        for trial in 0..20 {
            let path = dir.path().join(format!("fresh-{trial}.db"));
            open_at_once(&path, 3);
            let conn = Connection::open(&path).unwrap();
            assert_eq!(
                schema_version(&conn, &path).unwrap(),
                schema::latest_version()
            );
        }
    }

    /// An old file whose upgrade commits part-way (V2 compacts `raw_data` a
    /// batch at a time): a second opener may come in between its batches.
    #[test]
    fn opens_racing_on_an_old_schema_all_succeed_and_upgrade_once() {
        let dir = tempfile::tempdir().unwrap();
        for trial in 0..4 {
            let path = dir.path().join(format!("old-{trial}.db"));
            {
                let mut conn = Connection::open(&path).unwrap();
                conn.pragma_update(None, "journal_mode", "WAL").unwrap();
                schema::migrations().to_version(&mut conn, 1).unwrap();
                let tx = conn.transaction().unwrap();
                for id in 1..=1_200i64 {
                    tx.execute(
                        "INSERT INTO matches (match_id, has_details, raw_data) VALUES (?1, 1, ?2)",
                        rusqlite::params![id, format!("{{\n  \"match_id\": {id}\n}}")],
                    )
                    .unwrap();
                }
                tx.commit().unwrap();
            }
            open_at_once(&path, 3);
            let conn = Connection::open(&path).unwrap();
            assert_eq!(
                schema_version(&conn, &path).unwrap(),
                schema::latest_version()
            );
            let pretty: i64 = conn
                .query_row(
                    "SELECT count(*) FROM matches WHERE raw_data LIKE '%' || char(10) || '%'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(pretty, 0, "every row compacted");
            let rows: i64 = conn
                .query_row("SELECT count(*) FROM matches", [], |r| r.get(0))
                .unwrap();
            assert_eq!(rows, 1_200);
        }
    }
}
