//! Runs syncs on behalf of an interactive observer (the TUI): it turns
//! `SyncCommand`s into runs, one at a time, and keeps the pause switch.

use std::sync::Arc;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::engine;
use super::follow;
use super::options::{Channels, SyncMode, SyncOptions, Urgent};
use super::progress::{Progress, SyncCommand, SyncEvent, SyncState};
use super::run::{SharedStore, sleep_until};
use crate::source::MatchSource;
use crate::store::{LockError, SyncLock};

/// The observer's side of a controller.
pub struct ControllerHandle {
    pub commands: mpsc::UnboundedSender<SyncCommand>,
    pub progress: watch::Receiver<Progress>,
    pub events: mpsc::UnboundedReceiver<SyncEvent>,
    pub task: JoinHandle<()>,
}

/// Starts the controller task, whose runs draw from every source of
/// `source` at once. `base` gives the account, rate and limits of
/// every run; its mode is replaced per command. `refusal`: why no sync can
/// run at all (no key); every request for one then shows it instead.
pub fn spawn<S: MatchSource + 'static>(
    source: Arc<Vec<S>>,
    store: SharedStore,
    base: SyncOptions,
    refusal: Option<String>,
) -> ControllerHandle {
    let (command_tx, command_rx) = mpsc::unbounded_channel();
    let (progress_tx, progress_rx) = watch::channel(Progress {
        account_id: base.account_id,
        source: source.first().map(|s| s.kind()),
        ..Progress::default()
    });
    let (event_tx, event_rx) = mpsc::unbounded_channel();
    let task = tokio::spawn(control_loop(
        source,
        store,
        base,
        refusal,
        command_rx,
        progress_tx,
        event_tx,
    ));
    ControllerHandle {
        commands: command_tx,
        progress: progress_rx,
        events: event_rx,
        task,
    }
}

struct Running {
    cancel: CancellationToken,
    task: JoinHandle<()>,
}

async fn control_loop<S: MatchSource + 'static>(
    source: Arc<Vec<S>>,
    store: SharedStore,
    base: SyncOptions,
    refusal: Option<String>,
    mut commands: mpsc::UnboundedReceiver<SyncCommand>,
    progress: watch::Sender<Progress>,
    events: mpsc::UnboundedSender<SyncEvent>,
) {
    let (pause_tx, pause_rx) = watch::channel(false);
    let db = store
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .path()
        .to_path_buf();
    let urgent = Arc::new(Urgent::default());
    let mut running: Option<Running> = None;
    // Work asked for while a run was going: started when it ends.
    let mut queued: Vec<SyncMode> = Vec::new();
    let mut stopping = false;
    // `auto_sync`: when the next pass starts; whether the queued run is one.
    let mut next_auto: Option<tokio::time::Instant> = None;
    let mut auto_pass = false;
    let mut following = false;
    // While idle, look for another process's sync to follow.
    let mut look = tokio::time::interval(std::time::Duration::from_secs(1));
    // Every run, and every followed run, gets fresh channels to the observer.
    let new_channels = || Channels {
        progress: progress.clone(),
        events: Some(events.clone()),
        cancel: CancellationToken::new(),
        paused: pause_rx.clone(),
        urgent: urgent.clone(),
    };
    look.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        let idle = running.is_none();
        let run_done = async {
            match running.as_mut() {
                Some(run) => {
                    let _ = (&mut run.task).await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            command = commands.recv() => {
                let Some(command) = command else { break };
                match command {
                    SyncCommand::Start => queue_mode(&mut queued, SyncMode::Full),
                    // A running phase 2 takes it next; otherwise it gets a run of its own.
                    SyncCommand::RetryMatch(id) if running.is_some() => urgent.push(id),
                    SyncCommand::RetryMatch(id) => {
                        match queued.iter_mut().find_map(|m| match m { SyncMode::Matches(ids) => Some(ids), _ => None }) {
                            Some(ids) => { if !ids.contains(&id) { ids.push(id) } }
                            None => queued.push(SyncMode::Matches(vec![id])),
                        }
                    }
                    SyncCommand::RetryAllFailed => queue_mode(&mut queued, SyncMode::Retry { all: true }),
                    SyncCommand::TogglePause => {
                        pause_tx.send_modify(|p| *p = !*p);
                        let paused = *pause_tx.borrow();
                        if running.is_none() {
                            progress.send_modify(|p| if paused { p.state = SyncState::Paused } else if p.state == SyncState::Paused { p.state = SyncState::Idle });
                        }
                    }
                    SyncCommand::Stop => {
                        stopping = true;
                        queued.clear();
                        match &running {
                            Some(run) => run.cancel.cancel(),
                            None => progress.send_modify(|p| if !p.state.is_running() { p.state = SyncState::Stopped }),
                        }
                    }
                }
            }
            _ = sleep_until(next_auto), if next_auto.is_some() && idle => {
                next_auto = None;
                auto_pass = true;
                queue_mode(&mut queued, SyncMode::Full);
            }
            _ = look.tick(), if idle && !stopping && queued.is_empty() => {
                // Another process started syncing this database: show its
                // progress (readers see its writes within a second).
                if let Some(holder) = SyncLock::holder(&db).filter(|h| h.pid != std::process::id()) {
                    running = Some(follow_run(&db, holder, &store, base.account_id, new_channels()));
                    following = true;
                    continue;
                }
            }
            _ = run_done => {
                running = None;
                // A followed run was not ours: it does not start our clock.
                if let Some(every) = base.resync_every
                    && !stopping
                    && !std::mem::take(&mut following)
                {
                    next_auto = Some(tokio::time::Instant::now() + every);
                }
                // Asked for too late for the run that just ended.
                let left = urgent.take();
                if !left.is_empty() {
                    queued.push(SyncMode::Matches(left));
                }
            }
        }
        if let Some(reason) = refusal.as_ref().filter(|_| !queued.is_empty()) {
            queued.clear();
            progress.send_modify(|p| p.state = SyncState::Failed(reason.clone()));
            let _ = events.send(SyncEvent::Notice(reason.clone()));
        }
        if running.is_none() && !stopping && !queued.is_empty() {
            let mode = queued.remove(0);
            let channels = new_channels();
            let cancel = channels.cancel.clone();
            // One sync per database: while another process holds the lock,
            // follow its run instead of starting one.
            let lock = match SyncLock::acquire(&db) {
                Ok(lock) => lock,
                Err(LockError::Held { holder, .. }) => {
                    queued.clear();
                    running = Some(follow_run(&db, holder, &store, base.account_id, channels));
                    following = true;
                    continue;
                }
                Err(error) => {
                    queued.clear();
                    let message = error.to_string();
                    progress.send_modify(|p| p.state = SyncState::Failed(message.clone()));
                    let _ = events.send(SyncEvent::Notice(message));
                    continue;
                }
            };
            let options = SyncOptions {
                mode,
                // An `auto_sync` pass looks for new matches only.
                new_only: base.new_only || std::mem::take(&mut auto_pass),
                ..base.clone()
            };
            let (source, store) = (source.clone(), store.clone());
            let task = tokio::spawn(async move {
                let _lock = lock;
                if let Err(error) =
                    engine::run(source.as_slice(), &store, &options, &channels).await
                {
                    let message = error.to_string();
                    channels.update(|p| p.state = SyncState::Failed(message.clone()));
                    channels.emit(SyncEvent::Notice(message));
                }
            });
            running = Some(Running { cancel, task });
        }
        if stopping && running.is_none() {
            progress.send_modify(|p| {
                if p.state.is_running() {
                    p.state = SyncState::Stopped
                }
            });
        }
    }
    if let Some(run) = running {
        run.cancel.cancel();
        let _ = run.task.await;
    }
}

fn queue_mode(queued: &mut Vec<SyncMode>, mode: SyncMode) {
    if !queued.contains(&mode) {
        queued.push(mode);
    }
}

/// Follows the run another process holds `db`'s lock for, as a `Running`
/// the control loop waits on and can cancel like its own.
fn follow_run(
    db: &std::path::Path,
    holder: crate::store::Holder,
    store: &SharedStore,
    account_id: u32,
    channels: Channels,
) -> Running {
    let cancel = channels.cancel.clone();
    let task = tokio::spawn(follow::follow(
        db.to_path_buf(),
        holder,
        store.clone(),
        account_id,
        channels,
    ));
    Running { cancel, task }
}
