//! `dota-sync` with no command: the terminal UI on the configured account.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::failure::{EXIT_OK, Failure};
use super::settings::resolve;
use crate::cli::SourceArgs;
use crate::source::AnySource;
use crate::source::SourceKind;
use crate::steam_id::{AccountInput, parse_account};
use crate::store::{Store, StoreError};
use crate::sync::controller;
use crate::tui::{self, TuiContext};

pub async fn run(
    db: Option<PathBuf>,
    account: Option<String>,
    args: SourceArgs,
) -> Result<u8, Failure> {
    let resolved = resolve(db, account, &args)?;
    // Browsing is offline: only a numeric account (what `sync` remembers) is accepted here.
    let account_id = match resolved.account.as_deref().map(parse_account) {
        None => None,
        Some(Ok(AccountInput::AccountId(id))) => Some(id),
        Some(Ok(AccountInput::Vanity(name))) => {
            return Err(Failure::usage(format!(
                "the UI needs a numeric account, not the profile name {name:?}; run dota-sync sync --account {name:?} once to resolve it"
            )));
        }
        Some(Err(error)) => return Err(Failure::usage(error.to_string())),
    };
    // A database that cannot be written is still browsed, as `status` and
    // `export` read it; only syncing is off.
    let store = match Store::open(&resolved.db) {
        Ok(store) => store,
        Err(StoreError::ReadOnly { .. }) => {
            return browse_read_only(resolved.db.clone(), account_id, resolved.primary()).await;
        }
        Err(error) => return Err(error.into()),
    };
    let sources = resolved
        .sources
        .iter()
        .map(AnySource::new)
        .collect::<Result<Vec<_>, _>>()
        .map_err(super::account::fetch_failure)?;
    let kind = resolved.primary();
    let mut options = resolved.sync_options(account_id.unwrap_or(0));
    // `auto_sync` (config file): sync on opening, then new matches every so often.
    options.resync_every = match &resolved.file.auto_sync {
        Some(auto) => auto.interval()?,
        None => None,
    };
    let autostart = options.resync_every.is_some();
    // Browsing needs no key; syncing from Steam does.
    let refusal = (resolved.steam_named && resolved.steam.key.is_none()).then(|| {
        "no Steam API key: set STEAM_API_KEY (or steam_api_key in the config file), or run with --source opendota".to_string()
    });
    let handle = controller::spawn(
        Arc::new(sources),
        Arc::new(Mutex::new(store)),
        options,
        refusal,
    );
    let context = TuiContext {
        db_path: resolved.db.clone(),
        account_id,
        source: Some(kind),
        label: None,
        commands: handle.commands,
        progress: handle.progress,
        events: handle.events,
        autostart,
        read_only: false,
    };
    tui::run(context)
        .await
        .map_err(|e| Failure::fatal(format!("terminal UI failed: {e}")))?;
    handle.task.abort();
    Ok(EXIT_OK)
}

/// The UI over a database it cannot write: no engine, so the command
/// channel has no receiver and the UI says so when asked to sync.
async fn browse_read_only(
    db_path: PathBuf,
    account_id: Option<u32>,
    kind: SourceKind,
) -> Result<u8, Failure> {
    // An older file must be migrated before it can be read; that needs a
    // write, so say so plainly rather than fail on a missing table.
    Store::open_read_only(&db_path)?;
    let (commands, _) = tokio::sync::mpsc::unbounded_channel();
    let (_progress_tx, progress) = tokio::sync::watch::channel(crate::sync::Progress::default());
    let (_events_tx, events) = tokio::sync::mpsc::unbounded_channel();
    let context = TuiContext {
        db_path,
        account_id,
        source: Some(kind),
        label: Some("read-only".into()),
        commands,
        progress,
        events,
        autostart: false,
        read_only: true,
    };
    tui::run(context)
        .await
        .map_err(|e| Failure::fatal(format!("terminal UI failed: {e}")))?;
    Ok(EXIT_OK)
}
