//! `dota-sync` with no command: the terminal UI on the configured account.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::settings::resolve;
use super::{EXIT_OK, Failure};
use crate::cli::SourceArgs;
use crate::source::AnySource;
use crate::steam_id::{AccountInput, parse_account};
use crate::store::Store;
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
    let store = Store::open(&resolved.db)?;
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
    };
    tui::run(context)
        .await
        .map_err(|e| Failure::fatal(format!("terminal UI failed: {e}")))?;
    handle.task.abort();
    Ok(EXIT_OK)
}
