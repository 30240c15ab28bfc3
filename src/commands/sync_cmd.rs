//! `dota-sync sync` and `dota-sync retry`: headless runs of the engine.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::account::{fetch_failure, resolve_account};
use super::settings::{Resolved, remember_account, resolve};
use super::{EXIT_FATAL, EXIT_INTERRUPTED, EXIT_OK, Failure, out, report};
use crate::cli::{RetryArgs, SourceArgs, SyncArgs};
use crate::source::{AnySource, SourceKind};
use crate::store::{Store, SyncLock};
use crate::sync::{self, Channels, RunOutcome, Summary, SyncMode, SyncOptions};

pub async fn run_sync(db: Option<PathBuf>, args: SyncArgs) -> Result<u8, Failure> {
    let mode = SyncMode::Full;
    execute(
        db,
        args.account,
        &args.source,
        mode,
        args.new_only,
        args.json,
    )
    .await
}

pub async fn run_retry(db: Option<PathBuf>, args: RetryArgs) -> Result<u8, Failure> {
    let mode = SyncMode::Retry { all: args.all };
    execute(db, args.account, &args.source, mode, false, args.json).await
}

async fn execute(
    db: Option<PathBuf>,
    account: Option<String>,
    source_args: &SourceArgs,
    mode: SyncMode,
    new_only: bool,
    json: bool,
) -> Result<u8, Failure> {
    let resolved = resolve(db, account, source_args)?;
    let Some(account_text) = resolved.account.clone() else {
        return Err(Failure::usage(
            "no account given; pass --account ID (a SteamID64, account ID or profile URL)",
        ));
    };
    require_key(&resolved)?;
    let account_id = resolve_account(&account_text, &resolved.source).await?;
    let store = Store::open(&resolved.db)?;
    // Held until this function returns: one sync per database (README, "The database").
    let _sync_lock = SyncLock::acquire(&resolved.db).map_err(|e| Failure::fatal(e.to_string()))?;
    remember_account(&resolved, &account_id.to_string());
    let source = AnySource::new(&resolved.source).map_err(fetch_failure)?;

    let mut options = SyncOptions::new(account_id, resolved.rate);
    options.mode = mode;
    options.new_only = new_only;
    let (progress_tx, progress_rx) = watch::channel(Default::default());
    let (_pause_tx, paused) = watch::channel(false);
    let cancel = CancellationToken::new();
    let channels = Channels {
        progress: progress_tx,
        events: None,
        cancel: cancel.clone(),
        paused,
        urgent: Default::default(),
    };
    let signals = tokio::spawn(stop_on_signal(cancel.clone()));
    let printer = tokio::spawn(report::print_progress(progress_rx));
    let store = Arc::new(Mutex::new(store));
    let result = sync::run(&source, &store, &options, &channels).await;
    signals.abort();
    drop(channels);
    let _ = printer.await;
    let summary = result.map_err(|e| Failure::fatal(e.to_string()))?;
    finish(&summary, json, resolved.source.kind)
}

/// Steam needs a key; say where to put one before anything else happens.
fn require_key(resolved: &Resolved) -> Result<(), Failure> {
    if resolved.source.kind == SourceKind::Steam && resolved.source.key.is_none() {
        return Err(Failure::usage(
            "the Steam source needs an API key: set STEAM_API_KEY (or steam_api_key in the config file), or use --source opendota",
        ));
    }
    Ok(())
}

fn finish(summary: &Summary, json: bool, kind: SourceKind) -> Result<u8, Failure> {
    if json {
        match serde_json::to_string(summary) {
            Ok(text) => {
                out::out_line(&text);
            }
            Err(error) => {
                return Err(Failure::fatal(format!(
                    "cannot encode the summary: {error}"
                )));
            }
        }
    }
    match &summary.outcome {
        RunOutcome::Completed => {
            report::print_summary(summary, kind);
            Ok(EXIT_OK)
        }
        RunOutcome::DailyLimit { resets_at } => {
            report::print_summary(summary, kind);
            out::err_line(&format!(
                "daily API limit reached: {} matches are still stubs; it resets at {} (run again then)",
                summary.stubs_left,
                resets_at.format("%Y-%m-%d %H:%M UTC")
            ));
            Ok(EXIT_OK)
        }
        RunOutcome::Stopped => {
            report::print_summary(summary, kind);
            out::err_line("stopped: what finished is saved; run the same command to continue");
            Ok(EXIT_INTERRUPTED)
        }
        RunOutcome::ApiDown => Err(Failure {
            message: sync::api_down_message(summary.stubs_left),
            code: EXIT_FATAL,
        }),
        RunOutcome::Fatal { message } => Err(Failure::fatal(message.clone())),
    }
}

/// SIGINT or SIGTERM: stop taking work; a second one exits at once.
async fn stop_on_signal(cancel: CancellationToken) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut int), Ok(mut term)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return;
    };
    for _ in 0..2 {
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
        if cancel.is_cancelled() {
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
        cancel.cancel();
    }
}
