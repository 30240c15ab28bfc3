//! Resolving the settings a sync needs from flags, environment and the config file.

use std::path::PathBuf;

use super::Failure;
use crate::cli::SourceArgs;
use crate::config::{self, FileConfig};
use crate::source::{SourceConfig, SourceKind};

/// Everything a sync needs, resolved.
/// The highest `--rate` accepted: far above what any API allows, low enough
/// that the pacer can still space requests (1.01 / R seconds apart).
pub const MAX_RATE: f64 = 100_000.0;

pub struct Resolved {
    pub file: FileConfig,
    pub config_path: Option<PathBuf>,
    pub db: PathBuf,
    pub source: SourceConfig,
    pub rate: f64,
    pub account: Option<String>,
}

pub fn resolve(
    db_flag: Option<PathBuf>,
    account_flag: Option<String>,
    args: &SourceArgs,
) -> Result<Resolved, Failure> {
    let config_path = config::config_path();
    let file = config::load_file(config_path.as_deref())?;
    let db = config::db_path(db_flag.as_deref(), &file)?;
    let kind = args.source.or(file.source).unwrap_or(SourceKind::Steam);
    let rate = args
        .rate
        .or(file.rate)
        .unwrap_or_else(|| kind.default_rate());
    if !(rate.is_finite() && rate > 0.0 && rate <= MAX_RATE) {
        return Err(Failure::usage(format!(
            "--rate must be a number of requests per second above 0 and at most {MAX_RATE}, not {rate}"
        )));
    }
    if let Some(base) = &args.api_base
        && !(base.starts_with("http://") || base.starts_with("https://"))
    {
        return Err(Failure::usage(format!(
            "--api-base must be an http:// or https:// URL, not {base:?}"
        )));
    }
    let key = config::api_key(kind, &file);
    let source = SourceConfig::new(kind, args.api_base.clone(), key);
    let account = account_flag.or_else(|| file.account.clone());
    Ok(Resolved {
        file,
        config_path,
        db,
        source,
        rate,
        account,
    })
}

/// Remembers the account in a new config file (mode 0600) so that the
/// terminal UI opens on it next time. An existing file is left as it is.
pub fn remember_account(resolved: &Resolved, account: &str) {
    let Some(path) = &resolved.config_path else {
        return;
    };
    if path.exists() || resolved.file.account.is_some() {
        return;
    }
    let config = FileConfig {
        account: Some(account.to_string()),
        ..FileConfig::default()
    };
    if let Err(error) = config::save_file(path, &config) {
        tracing::warn!(%error, "could not remember the account");
    }
}
