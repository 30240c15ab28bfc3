//! One sync at a time per database file (README, "The database").
//!
//! The lock is an OS file lock (`flock(2)`, through `std::fs::File::try_lock`)
//! on a small file beside the database, `<db>.lock`. The kernel drops it when
//! its holder exits, however it exits, so a lock left by a killed process is
//! taken over by the next sync without any guessing about PIDs (which the OS
//! reuses). The holder writes its PID and start time into the file so that a
//! refused sync, or a TUI, can say who is running.
//!
//! Why a separate file and not the database itself: SQLite locks the database
//! with POSIX record locks, and closing *any* descriptor of a file drops every
//! such lock the process holds on it. Opening and closing the database file
//! here could silently unlock SQLite.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Local, SecondsFormat, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

/// A prober (`SyncLock::holder`) holds a shared lock for a few microseconds;
/// an acquirer that meets one tries again for this long before giving up.
const ACQUIRE_PATIENCE: Duration = Duration::from_millis(200);
/// The holder writes its details just after locking; a reader that sees the
/// lock taken but the details not yet written waits this long for them.
const DETAILS_PATIENCE: Duration = Duration::from_millis(200);
const RETRY_EVERY: Duration = Duration::from_millis(5);

/// Who holds the sync lock of a database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// The holding process; compare with `std::process::id()` to tell
    /// another process from this one. 0: held, but the details could not be
    /// read (a lock file not written by dota-sync).
    pub pid: u32,
    /// When it took the lock.
    pub since: DateTime<Utc>,
}

impl Holder {
    /// `PID 4242, since 09:12:03` (local time).
    pub fn describe(&self) -> String {
        if self.pid == 0 {
            return "PID unknown".into();
        }
        let since = self.since.with_timezone(&Local).format("%H:%M:%S");
        format!("PID {}, since {since}", self.pid)
    }

    fn encode(&self) -> String {
        // One short line, written with a single write: readers never see half.
        format!(
            "{{\"pid\":{},\"since\":\"{}\"}}\n",
            self.pid,
            self.since.to_rfc3339_opts(SecondsFormat::Secs, true)
        )
    }
}

/// Why a sync may not start.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process is syncing this database.
    #[error("another sync is running on {} ({}); wait for it or stop it", .db.display(), .holder.describe())]
    Held { db: PathBuf, holder: Holder },
    /// The lock file could not be written for want of space.
    #[error("{} is on a full disk (cannot write its sync lock); free some space and run again: what was fetched is saved", .db.display())]
    DiskFull { db: PathBuf },
    #[error("cannot use the sync lock {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The right to sync one database, held until dropped.
#[derive(Debug)]
pub struct SyncLock {
    /// Keeps the OS lock: closing the file releases it.
    _file: File,
    path: PathBuf,
    holder: Holder,
}

impl SyncLock {
    /// Takes the sync lock of `db`, or says who holds it. Never blocks for
    /// long: a held lock is an immediate `LockError::Held`.
    pub fn acquire(db: &Path) -> Result<SyncLock, LockError> {
        let path = lock_path(db);
        let io = |source: std::io::Error| {
            if source.kind() == std::io::ErrorKind::StorageFull {
                return LockError::DiskFull {
                    db: db.to_path_buf(),
                };
            }
            LockError::Io {
                path: path.clone(),
                source,
            }
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let deadline = std::time::Instant::now() + ACQUIRE_PATIENCE;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(RETRY_EVERY);
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(LockError::Held {
                        db: db.to_path_buf(),
                        holder: read_details(&mut file),
                    });
                }
                Err(TryLockError::Error(source)) => return Err(io(source)),
            }
        }
        let holder = Holder {
            pid: std::process::id(),
            // Whole seconds, as written to the file.
            since: Utc::now().trunc_subsecs(0),
        };
        // Truncate first so that a reader sees either nothing (and waits) or
        // the whole line, never a dead holder's details mixed with ours.
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(holder.encode().as_bytes()).map_err(io)?;
        Ok(SyncLock {
            _file: file,
            path,
            holder,
        })
    }

    /// Who holds the sync lock of `db` right now; None if nobody does (or
    /// the lock file cannot be opened at all). Cheap: one open and one
    /// non-blocking lock attempt, so a TUI may ask every second.
    pub fn holder(db: &Path) -> Option<Holder> {
        let mut file = File::open(lock_path(db)).ok()?;
        match file.try_lock_shared() {
            // Free: our shared lock goes with the file when it closes.
            Ok(()) => None,
            Err(TryLockError::WouldBlock) => Some(read_details(&mut file)),
            Err(TryLockError::Error(_)) => None,
        }
    }

    /// This process's details as written into the lock file.
    pub fn holder_details(&self) -> &Holder {
        &self.holder
    }

    /// The lock file: `<db>.lock` beside the database.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// `/dir/sync.db` -> `/dir/sync.db.lock`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// The holder's details, waiting briefly if it has locked but not yet
/// written them; PID 0 if they never become readable.
fn read_details(file: &mut File) -> Holder {
    let deadline = std::time::Instant::now() + DETAILS_PATIENCE;
    loop {
        let mut text = String::new();
        let read = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_string(&mut text));
        if read.is_ok()
            && let Ok(holder) = serde_json::from_str::<Holder>(text.trim())
        {
            return holder;
        }
        if std::time::Instant::now() >= deadline {
            return Holder {
                pid: 0,
                since: Utc::now(),
            };
        }
        std::thread::sleep(RETRY_EVERY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sync.db");
        (dir, path)
    }

    #[test]
    fn a_second_acquire_is_refused_naming_the_first() {
        let (_dir, db) = db();
        assert_eq!(SyncLock::holder(&db), None, "no lock file yet");
        let first = SyncLock::acquire(&db).unwrap();
        assert_eq!(first.path(), lock_path(&db));
        let error = SyncLock::acquire(&db).unwrap_err();
        let LockError::Held { holder, .. } = &error else {
            panic!("{error}");
        };
        assert_eq!(holder, first.holder_details());
        let message = error.to_string();
        assert!(
            message.starts_with(&format!("another sync is running on {}", db.display()))
                && message.contains(&format!("(PID {}, since ", std::process::id()))
                && message.ends_with("); wait for it or stop it")
                && !message.contains('\n'),
            "{message}"
        );
        assert_eq!(SyncLock::holder(&db).as_ref(), Some(first.holder_details()));
    }

    #[test]
    fn dropping_the_lock_frees_it() {
        let (_dir, db) = db();
        let first = SyncLock::acquire(&db).unwrap();
        drop(first);
        assert_eq!(SyncLock::holder(&db), None);
        let second = SyncLock::acquire(&db).unwrap();
        assert_eq!(second.holder_details().pid, std::process::id());
    }

    #[test]
    fn stale_details_of_a_dead_holder_do_not_hold_the_lock() {
        let (_dir, db) = db();
        // What a killed process leaves: the file and its details, no OS lock.
        std::fs::write(
            lock_path(&db),
            "{\"pid\":999999,\"since\":\"2020-01-01T00:00:00Z\"}\n",
        )
        .unwrap();
        assert_eq!(SyncLock::holder(&db), None);
        let lock = SyncLock::acquire(&db).unwrap();
        let written = std::fs::read_to_string(lock_path(&db)).unwrap();
        assert_eq!(written, lock.holder_details().encode(), "details replaced");
    }

    #[test]
    fn a_prober_does_not_make_an_acquire_fail() {
        let (_dir, db) = db();
        std::fs::write(lock_path(&db), "").unwrap();
        // A reader holding its shared lock a moment, as `holder` does.
        let prober = File::open(lock_path(&db)).unwrap();
        prober.try_lock_shared().unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            drop(prober);
        });
        assert!(SyncLock::acquire(&db).is_ok());
        release.join().unwrap();
    }

    #[test]
    fn a_lock_without_readable_details_is_still_held() {
        let (_dir, db) = db();
        std::fs::write(lock_path(&db), "not ours").unwrap();
        let foreign = File::open(lock_path(&db)).unwrap();
        foreign.try_lock().unwrap();
        let holder = SyncLock::holder(&db).expect("held");
        assert_eq!(holder.describe(), "PID unknown");
        let error = SyncLock::acquire(&db).unwrap_err();
        assert!(error.to_string().contains("(PID unknown)"), "{error}");
    }

    #[test]
    fn an_unwritable_place_is_an_io_error_naming_the_lock_file() {
        let error = SyncLock::acquire(Path::new("/proc/no-such-dir/sync.db")).unwrap_err();
        assert!(matches!(error, LockError::Io { .. }), "{error}");
        assert!(error.to_string().contains("sync.db.lock"), "{error}");
    }
}
