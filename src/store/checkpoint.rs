//! When the write-ahead log is copied back into the database file.
//!
//! SQLite checkpoints inside the commit that takes the WAL past 1,000 pages
//! (`wal_autocheckpoint`), so one commit in every hundred-odd matches also
//! copies ~4 MB into the file and syncs it: ~15 ms in which that commit's
//! rows wait and phase 2's backlog fills. Phase 2's writer has a better
//! moment, the batch window in which it waits for rows anyway
//! (`sync/writer.rs`). A thread that [defers](defer_on_this_thread) its
//! checkpoints has its commits only note how big the WAL is, and checkpoints
//! when [`due`] says so; every other thread keeps SQLite's rule.
//!
//! The rule lives in a WAL hook (which replaces `wal_autocheckpoint`), and
//! the deferral is the committing thread's: SQLite calls the hook on that
//! thread, inside the commit, and the hook is a plain function.

use std::cell::Cell;
use std::marker::PhantomData;

use rusqlite::Connection;
use rusqlite::hooks::Wal;

/// SQLite's own `wal_autocheckpoint`, in pages: the WAL size past which a
/// checkpoint is due.
pub(super) const DUE_PAGES: i32 = 1000;

/// While deferred, a commit still checkpoints past this: the deferring
/// thread is not keeping up, and an endless WAL would slow every reader.
const BACKSTOP_PAGES: i32 = 16 * DUE_PAGES;

thread_local! {
    /// `Some(pages)` while this thread defers: the WAL's size after its
    /// last commit (0 once it has checkpointed).
    static DEFERRED: Cell<Option<i32>> = const { Cell::new(None) };
}

/// Puts the rule on a writer connection.
pub(super) fn install(conn: &Connection) {
    conn.wal_hook(Some(after_commit));
}

fn after_commit(wal: &Wal, pages: std::ffi::c_int) -> rusqlite::Result<()> {
    let deferred = DEFERRED.with(|d| {
        let deferred = d.get().is_some();
        if deferred {
            d.set(Some(pages));
        }
        deferred
    });
    let limit = if deferred { BACKSTOP_PAGES } else { DUE_PAGES };
    if pages >= limit {
        // As SQLite's own hook: the commit has happened, and a checkpoint a
        // reader holds back is retried at the next one.
        let _ = wal.checkpoint();
    }
    Ok(())
}

/// While this lives, commits on this thread leave checkpoints to the
/// thread ([`due`], then `Store::checkpoint`).
#[must_use]
pub struct Deferral {
    /// The deferral belongs to the thread that made it.
    _on_this_thread: PhantomData<*const ()>,
}

pub fn defer_on_this_thread() -> Deferral {
    DEFERRED.with(|d| d.set(Some(0)));
    Deferral {
        _on_this_thread: PhantomData,
    }
}

impl Drop for Deferral {
    fn drop(&mut self) {
        DEFERRED.with(|d| d.set(None));
    }
}

/// Whether this thread defers and its commits have grown the WAL past the
/// size at which SQLite would have checkpointed.
pub fn due() -> bool {
    DEFERRED.with(|d| d.get().is_some_and(|pages| pages >= DUE_PAGES))
}

/// After a checkpoint: nothing is due until the next commit says so.
pub(super) fn checkpointed() {
    DEFERRED.with(|d| {
        if d.get().is_some() {
            d.set(Some(0));
        }
    });
}
