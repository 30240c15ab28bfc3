//! `dota-sync status`: what the database holds.

use std::path::PathBuf;

use serde::Serialize;

use super::failure::{EXIT_OK, Failure};
use crate::cli::{SourceArgs, StatusArgs};
use crate::store::{Counts, Store, SyncJob};

#[derive(Serialize)]
struct StatusReport {
    db: String,
    account_id: Option<u32>,
    #[serde(flatten)]
    counts: Counts,
    last_sync: Option<SyncJob>,
}

pub async fn run(db: Option<PathBuf>, args: StatusArgs) -> Result<u8, Failure> {
    let resolved = super::settings::resolve(db, args.account.clone(), &SourceArgs::default())?;
    // Without --account, the configured account (as the TUI opens on);
    // `--account all` (or no account anywhere) counts the whole database.
    let account_id = match resolved.account.as_deref() {
        None | Some("all") => None,
        Some(text) => Some(offline_account(text)?),
    };
    let store = Store::open_read_only(&resolved.db)?;
    let report = StatusReport {
        db: resolved.db.display().to_string(),
        account_id,
        counts: store.counts(account_id)?,
        last_sync: store.last_job(account_id)?,
    };
    // Written in one go, and a closed pipe (`status | head -3`) is the
    // reader's choice: `println!` would panic there.
    super::out::out_line(&render(&report, args.json)?);
    Ok(EXIT_OK)
}

fn render(report: &StatusReport, json: bool) -> Result<String, Failure> {
    if json {
        return serde_json::to_string_pretty(report)
            .map_err(|e| Failure::fatal(format!("cannot encode status: {e}")));
    }
    let c = report.counts;
    let mut lines = vec![format!("database:  {}", report.db)];
    if let Some(id) = report.account_id {
        lines.push(format!("account:   {id}"));
    }
    lines.push(format!("matches:   {}", c.matches));
    lines.push(format!("detailed:  {}", c.detailed));
    lines.push(format!("stubs:     {}", c.stubs));
    lines.push(format!("failed:    {} (will be retried)", c.failed));
    lines.push(format!("given up:  {} (dota-sync retry --all)", c.given_up));
    lines.push(match &report.last_sync {
        Some(job) => format!(
            "last sync: {} {} ({}), {} processed, {} new, {} failed",
            job.started_at,
            job.status,
            job.source.as_deref().unwrap_or("?"),
            job.processed_matches,
            job.new_matches,
            job.failed_matches
        ),
        None => "last sync: never".to_string(),
    });
    Ok(lines.join("\n"))
}

/// An account given on the command line, for commands that only read the
/// database: every ID form that needs no network lookup.
pub(super) fn offline_account(text: &str) -> Result<u32, Failure> {
    match crate::steam_id::parse_account(text) {
        Ok(crate::steam_id::AccountInput::AccountId(id)) => Ok(id),
        Ok(crate::steam_id::AccountInput::Vanity(name)) => Err(Failure::usage(format!(
            "this command reads the database only and cannot look up the profile name {name:?}; \
             use the numeric account ID or a steamcommunity.com/profiles/ URL"
        ))),
        Err(error) => Err(Failure::usage(error.to_string())),
    }
}
