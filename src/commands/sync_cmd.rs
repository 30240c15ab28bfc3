//! `dota-sync sync` and `dota-sync retry`: headless runs of the engine.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::account::{fetch_failure, resolve_account};
use super::failure::{EXIT_FATAL, EXIT_INTERRUPTED, EXIT_OK, Failure};
use super::settings::{Resolved, remember_account, resolve};
use super::{out, report};
use crate::cli::{RetryArgs, SourceArgs, SyncArgs};
use crate::source::AnySource;
use crate::store::{Store, SyncLock};
use crate::sync::{self, Channels, RunOutcome, SharedStore, Summary, SyncMode, SyncOptions};

pub async fn run_sync(db: Option<PathBuf>, args: SyncArgs) -> Result<u8, Failure> {
    let run = HeadlessRun {
        mode: SyncMode::Full,
        new_only: args.new_only,
        json: args.json,
        watch: args.watch.map(|w| w.0),
    };
    execute(db, args.account, &args.source, run).await
}

pub async fn run_retry(db: Option<PathBuf>, args: RetryArgs) -> Result<u8, Failure> {
    let run = HeadlessRun {
        mode: SyncMode::Retry { all: args.all },
        new_only: false,
        json: args.json,
        watch: None,
    };
    execute(db, args.account, &args.source, run).await
}

/// What the command line asked of a headless run.
struct HeadlessRun {
    mode: SyncMode,
    new_only: bool,
    json: bool,
    /// `--watch`: sync again this long after each pass, `--new-only`.
    watch: Option<Duration>,
}

async fn execute(
    db: Option<PathBuf>,
    account: Option<String>,
    source_args: &SourceArgs,
    run: HeadlessRun,
) -> Result<u8, Failure> {
    let resolved = resolve(db, account, source_args)?;
    let Some(account_text) = resolved.account.clone() else {
        return Err(Failure::usage(
            "no account given; pass --account ID (a SteamID64, account ID or profile URL)",
        ));
    };
    require_key(&resolved)?;
    let account_id = resolve_account(&account_text, &resolved.steam).await?;
    let store = Store::open(&resolved.db)?;
    // Held until this function returns: one sync per database (README, "The database").
    let _sync_lock = SyncLock::acquire(&resolved.db).map_err(|e| Failure::fatal(e.to_string()))?;
    remember_account(&resolved, &account_id.to_string());
    let sources = resolved
        .sources
        .iter()
        .map(AnySource::new)
        .collect::<Result<Vec<_>, _>>()
        .map_err(fetch_failure)?;

    let mut options = resolved.sync_options(account_id);
    options.mode = run.mode;
    options.new_only = run.new_only;
    let cancel = CancellationToken::new();
    let signals = tokio::spawn(stop_on_signal(cancel.clone()));
    let store = Arc::new(Mutex::new(store));
    let mut pass = 1u64;
    let code = loop {
        let summary = one_pass(&sources, &store, &options, &cancel).await?;
        let code = finish(&summary, run.json)?;
        let Some(interval) = run.watch else {
            break code;
        };
        if code != EXIT_OK {
            break code;
        }
        out::err_line(&format!(
            "watching: pass {pass} done; next pass in {} (Ctrl-C to stop)",
            crate::sync::progress::wait_text(interval)
        ));
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = cancel.cancelled() => break EXIT_INTERRUPTED,
        }
        options.new_only = true;
        pass += 1;
    };
    signals.abort();
    Ok(code)
}

/// One run of the engine with the headless printer.
async fn one_pass(
    sources: &[AnySource],
    store: &SharedStore,
    options: &SyncOptions,
    cancel: &CancellationToken,
) -> Result<Summary, Failure> {
    let (progress_tx, progress_rx) = watch::channel(Default::default());
    let (_pause_tx, paused) = watch::channel(false);
    let channels = Channels {
        progress: progress_tx,
        events: None,
        cancel: cancel.clone(),
        paused,
        urgent: Default::default(),
    };
    let printer = tokio::spawn(report::print_progress(progress_rx));
    let result = sync::run(sources, store, options, &channels).await;
    drop(channels);
    let _ = printer.await;
    result.map_err(|e| Failure::fatal(e.to_string()))
}

/// Steam needs a key; say where to put one before anything else happens.
fn require_key(resolved: &Resolved) -> Result<(), Failure> {
    if resolved.steam_named && resolved.steam.key.is_none() {
        return Err(Failure::usage(
            "the Steam source needs an API key: set STEAM_API_KEY (or steam_api_key in the config file), or use --source opendota",
        ));
    }
    Ok(())
}

fn finish(summary: &Summary, json: bool) -> Result<u8, Failure> {
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
            report::print_summary(summary);
            Ok(EXIT_OK)
        }
        RunOutcome::DailyLimit { resets_at } => {
            report::print_summary(summary);
            out::err_line(&format!(
                "daily API limit reached: {} matches are still stubs; it resets at {} (run again then)",
                summary.stubs_left,
                resets_at.format("%Y-%m-%d %H:%M UTC")
            ));
            Ok(EXIT_OK)
        }
        RunOutcome::Stopped => {
            report::print_summary(summary);
            out::err_line("stopped: what finished is saved; run the same command to continue");
            Ok(EXIT_INTERRUPTED)
        }
        RunOutcome::ApiDown => Err(Failure {
            message: sync::api_down_message(summary.stubs_left, &summary.down),
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
