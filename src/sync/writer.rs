//! Phase 2's writes on a thread of their own, so that requests stay in
//! flight while a batch commits. Finished matches are written in batches:
//! whatever has arrived by the time the writer is free, bounded by count and
//! by a short wait, so rows still appear within a fraction of a second.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc as std_mpsc};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::dispatch::RowChange;
use super::run::SharedStore;
use crate::source::{FetchError, MatchRef, SourceKind};
use crate::store::{RowOutcome, StoreError, checkpoint};

/// Most rows in one trip to the database.
const MAX_BATCH: usize = 256;
/// How long a batch waits for company after its first row.
const BATCH_WINDOW: Duration = Duration::from_millis(25);

/// One thing to write.
pub(crate) enum Write {
    Row {
        wanted: MatchRef,
        change: RowChange,
    },
    /// The run's `sync_jobs` row.
    Job {
        job_id: i64,
        total: u64,
        processed: u64,
        new: u64,
        failed: u64,
    },
}

/// What a row write did.
#[derive(Debug)]
pub(crate) enum Written {
    Saved {
        match_id: i64,
        source: usize,
    },
    Failed {
        match_id: i64,
        error: FetchError,
        /// Counted against the match (not "the API is down").
        counted: bool,
        attempts: i64,
        given_up: bool,
    },
}

pub(crate) struct Writer {
    tx: Option<std_mpsc::Sender<Write>>,
    /// Rows sent and not yet written: the loop stops sending requests while
    /// this is high, so a fast API cannot pile bodies up in memory.
    backlog: Arc<AtomicUsize>,
    max_backlog: usize,
    /// Rows one batch takes at most.
    batch_limit: usize,
    pub done: mpsc::UnboundedReceiver<Result<Vec<Written>, StoreError>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Writer {
    /// `kinds[i]`: the name recorded as `details_source` for source `i`.
    /// `max_backlog`: rows waiting past which [`Self::is_behind`] says so.
    pub fn start(store: SharedStore, kinds: Vec<SourceKind>, max_backlog: usize) -> Writer {
        Writer::with_window(store, kinds, max_backlog, BATCH_WINDOW)
    }

    fn with_window(
        store: SharedStore,
        kinds: Vec<SourceKind>,
        max_backlog: usize,
        window: Duration,
    ) -> Writer {
        let (tx, rx) = std_mpsc::channel::<Write>();
        let (done_tx, done) = mpsc::unbounded_channel();
        let backlog = Arc::new(AtomicUsize::new(0));
        let written = Arc::clone(&backlog);
        // Half the backlog's bound: a batch that waited for more rows than
        // the loop may send would sit out its whole window with the loop
        // stalled, and the other half keeps requests going while it commits.
        let batch_limit = (max_backlog / 2).clamp(1, MAX_BATCH);
        let thread = std::thread::Builder::new()
            .name("dota-sync-writer".into())
            .spawn(move || {
                let _deferral = checkpoint::defer_on_this_thread();
                while let Some(batch) =
                    next_batch(&rx, batch_limit, window, || checkpoint_if_due(&store))
                {
                    let result = batch.and_then(|batch| {
                        let rows = batch
                            .iter()
                            .filter(|w| matches!(w, Write::Row { .. }))
                            .count();
                        let result = write_batch(&store, &kinds, batch);
                        written.fetch_sub(rows, Ordering::SeqCst);
                        result
                    });
                    let failed = result.is_err();
                    if done_tx.send(result).is_err() || failed {
                        return;
                    }
                }
            })
            .expect("the writer thread starts");
        Writer {
            tx: Some(tx),
            backlog,
            max_backlog: max_backlog.max(1),
            batch_limit,
            done,
            thread: Some(thread),
        }
    }

    pub fn send(&self, write: Write) {
        let Some(tx) = &self.tx else {
            return;
        };
        let is_row = matches!(write, Write::Row { .. });
        let waiting = if is_row {
            self.backlog.fetch_add(1, Ordering::SeqCst) + 1
        } else {
            0
        };
        let _ = tx.send(write);
        // A full batch waits (once it is in the channel): the writer must
        // not sleep out its window while the loop may soon be held back by
        // it. Once per batch, not per row.
        if waiting == self.batch_limit
            && let Some(thread) = &self.thread
        {
            thread.thread().unpark();
        }
    }

    /// Whether so many rows wait to be written that no more should be fetched.
    pub fn is_behind(&self) -> bool {
        self.backlog.load(Ordering::SeqCst) >= self.max_backlog
    }

    /// Writes what is queued, then stops; every result has been sent to
    /// `done` when this returns.
    pub async fn finish(&mut self) {
        self.tx = None;
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

/// The first write that comes, and whatever follows within the window.
///
/// The writer sleeps through the window rather than waiting on the channel:
/// a receiver blocked on the channel is woken by every send, one futex
/// wake-up and context switch per match, while a sleeping one is woken once
/// per batch: by [`Writer::send`] when a full batch waits, so that a writer
/// the loop is waiting on never sleeps, and by [`Writer::finish`], so that
/// the last batch does not sit out the window.
///
/// `idle` runs once the window has begun: work for the time the writer
/// would otherwise sleep.
fn next_batch(
    rx: &std_mpsc::Receiver<Write>,
    limit: usize,
    window: Duration,
    idle: impl FnOnce() -> Result<(), StoreError>,
) -> Option<Result<Vec<Write>, StoreError>> {
    let first = rx.recv().ok()?;
    let deadline = Instant::now() + window;
    if let Err(error) = idle() {
        return Some(Err(error));
    }
    let mut batch = vec![first];
    loop {
        while batch.len() < limit {
            match rx.try_recv() {
                Ok(write) => batch.push(write),
                Err(std_mpsc::TryRecvError::Empty) => break,
                Err(std_mpsc::TryRecvError::Disconnected) => return Some(Ok(batch)),
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if batch.len() >= limit || left.is_zero() {
            return Some(Ok(batch));
        }
        std::thread::park_timeout(left);
    }
}

/// The checkpoint this thread's commits have deferred, if one is due.
fn checkpoint_if_due(store: &SharedStore) -> Result<(), StoreError> {
    if !checkpoint::due() {
        return Ok(());
    }
    store.lock().unwrap_or_else(|p| p.into_inner()).checkpoint()
}

fn write_batch(
    store: &SharedStore,
    kinds: &[SourceKind],
    batch: Vec<Write>,
) -> Result<Vec<Written>, StoreError> {
    let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
    let mut rows = Vec::with_capacity(batch.len());
    let mut job = None;
    for write in batch {
        match write {
            Write::Row { wanted, change } => rows.push((wanted, change)),
            // Only the latest counts matter.
            Write::Job { .. } => job = Some(write),
        }
    }
    let reasons: Vec<String> = rows
        .iter()
        .map(|(_, change)| match change {
            RowChange::Counted(e) | RowChange::NotCounted(e) => e.short(),
            RowChange::Save(..) => String::new(),
        })
        .collect();
    // Every row of the batch in one transaction, each match whole.
    let outcomes: Vec<RowOutcome<'_>> = rows
        .iter()
        .zip(&reasons)
        .map(|((wanted, change), reason)| match change {
            RowChange::Save(details, source) => {
                RowOutcome::SavedFrom(details, kinds[*source].as_str())
            }
            RowChange::Counted(_) => RowOutcome::Failed {
                match_id: wanted.match_id,
                reason,
            },
            RowChange::NotCounted(_) => RowOutcome::NotCounted {
                match_id: wanted.match_id,
                reason,
            },
        })
        .collect();
    let applied = store.apply_batch(&outcomes)?;
    drop(outcomes);
    let written = rows
        .into_iter()
        .zip(applied)
        .map(|((wanted, change), applied)| {
            let match_id = wanted.match_id;
            let record = applied.failure();
            let (attempts, given_up) = record.map_or((0, false), |r| (r.attempts, r.given_up));
            match change {
                RowChange::Save(_, source) => Written::Saved { match_id, source },
                RowChange::Counted(error) => Written::Failed {
                    match_id,
                    error,
                    counted: true,
                    attempts,
                    given_up,
                },
                RowChange::NotCounted(error) => Written::Failed {
                    match_id,
                    error,
                    counted: false,
                    attempts,
                    given_up: false,
                },
            }
        })
        .collect();
    if let Some(Write::Job {
        job_id,
        total,
        processed,
        new,
        failed,
    }) = job
    {
        store.update_job(job_id, "fetch", total, processed, new, failed)?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::store::Store;

    fn failed_row(match_id: i64) -> Write {
        Write::Row {
            wanted: MatchRef {
                match_id,
                match_seq_num: None,
            },
            change: RowChange::NotCounted(FetchError::Server { status: 503 }),
        }
    }

    #[test]
    fn a_full_batch_is_written_without_waiting_out_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Mutex::new(Store::open(&dir.path().join("w.db")).unwrap()));
        // A window far longer than the test may take: only the wake-up on a
        // full batch can end it early. Batches of 4 (half the bound).
        let mut writer =
            Writer::with_window(store, vec![SourceKind::Steam], 8, Duration::from_secs(600));
        writer.send(failed_row(1));
        // The writer has its first row and sleeps through its window.
        std::thread::sleep(Duration::from_millis(200));
        for id in 2..=4 {
            writer.send(failed_row(id));
        }
        let (done_tx, done_rx) = std_mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let _ = done_tx.send(writer.done.blocking_recv());
            writer
        });
        let written = done_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the full batch was written before its window ended")
            .expect("a result")
            .expect("the batch was written");
        assert_eq!(written.len(), 4, "the four rows went in one batch");
        drop(waiter.join().unwrap());
    }
}
