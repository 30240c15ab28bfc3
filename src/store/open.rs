//! Opening the database, and the refusals that must leave the file
//! byte-identical: not SQLite, a newer schema, read-only.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::checkpoint;
use super::schema;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

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

/// Refuses files that are not SQLite before SQLite touches them: SQLite
/// would happily turn an empty path into a database, and a garbage file must
/// stay byte-identical.
fn check_header(path: &Path) -> Result<bool, StoreError> {
    use std::io::Read;
    check_file_type(path)?;
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(StoreError::ReadOnly {
                path: path.to_path_buf(),
            });
        }
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(source) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
    }
    // An empty file is what SQLite itself creates before the first write.
    if read == 0 {
        return Ok(true);
    }
    if read < header.len() || &header != SQLITE_MAGIC {
        return Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    Ok(true)
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
    let exists = check_header(path)?;
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
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| StoreError::sqlite(path, e))?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| StoreError::sqlite(path, e))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| StoreError::sqlite(path, e))?;
    checkpoint::install(&conn);
    conn.pragma_update(None, "cache_size", WRITER_CACHE_KIB)
        .map_err(|e| StoreError::sqlite(path, e))?;
    schema::migrations()
        .to_latest(&mut conn)
        .map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::sqlite(path, err),
            other => StoreError::Migration {
                path: path.to_path_buf(),
                reason: other.to_string(),
            },
        })?;
    Ok(conn)
}

/// The page cache of a read-only connection, in KiB (negative: SQLite's unit).
const READER_CACHE_KIB: i64 = -32 * 1024;

pub(super) fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    if !check_header(path)? {
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
    conn.busy_timeout(Duration::from_secs(10))
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
