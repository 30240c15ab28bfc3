//! Following another process's sync: when the database's sync lock is held
//! by someone else, the TUI does not start its own run (two would exceed the
//! API's rate together, and each would close the other's job row); it shows
//! that run's progress, read from its `sync_jobs` row, until the lock is free.

use std::path::PathBuf;
use std::time::Duration;

use super::options::Channels;
use super::progress::{SyncEvent, SyncState};
use super::run::{SharedStore, with_store};
use crate::store::{ChangeWatch, Holder, SyncLock};

/// How often the other run's row is read: readers see its writes within this.
const POLL: Duration = Duration::from_millis(500);

/// Publishes the progress of the sync `holder` runs on `db` until it ends
/// (or `channels.cancel`). `account_id`: the account whose row to follow.
pub(crate) async fn follow(
    db: PathBuf,
    holder: Holder,
    store: SharedStore,
    account_id: u32,
    channels: Channels,
) {
    let cancel = channels.cancel.clone();
    channels.emit(SyncEvent::Notice(format!(
        "another dota-sync ({}) is syncing this database: following its progress",
        holder.describe()
    )));
    let mut watch = with_store(&store, |s| ChangeWatch::new(s)).await.ok();
    // Phase 2 as seen from here: from when this process first saw it.
    let mut fetch_seen: Option<std::time::Instant> = None;
    loop {
        let job = with_store(&store, move |s| s.last_job(Some(account_id)))
            .await
            .ok()
            .flatten();
        if let Some(job) = job.filter(|job| job.status == "running") {
            let collecting = job.phase == "collect";
            let total = job.total_matches.max(0) as u64;
            channels.update(|p| {
                p.account_id = account_id;
                p.state = if collecting {
                    SyncState::Collecting
                } else {
                    SyncState::Fetching
                };
                p.collect.collected = total;
                p.collect.new = job.new_matches.max(0) as u64;
                p.collect.done = !collecting;
                p.fetch_started = !collecting;
                p.fetch.total = total;
                p.fetch.processed = job.processed_matches.max(0) as u64;
                p.fetch.failed = job.failed_matches.max(0) as u64;
                p.fetch.succeeded = p.fetch.processed.saturating_sub(p.fetch.failed);
                if !collecting {
                    let since = *fetch_seen.get_or_insert_with(std::time::Instant::now);
                    p.fetch.elapsed = since.elapsed();
                }
            });
        }
        // The other run wrote: have the views read the new rows.
        if let Some(mut current) = watch {
            let (changed, current) = with_store(&store, move |s| {
                let changed = current.changed(s)?;
                Ok((changed, current))
            })
            .await
            .unwrap_or((false, current));
            watch = Some(current);
            if changed {
                channels.emit(SyncEvent::StubsSaved { count: 0, new: 0 });
            }
        }
        if SyncLock::holder(&db).is_none_or(|h| h.pid == std::process::id()) {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = cancel.cancelled() => return,
        }
    }
    channels.update(|p| p.state = SyncState::Done);
    channels.emit(SyncEvent::StubsSaved { count: 0, new: 0 });
    channels.emit(SyncEvent::Notice("the other sync has ended".into()));
}
