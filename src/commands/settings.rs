//! Resolving the settings a sync needs from flags, environment and the config file.

use std::path::PathBuf;

use super::failure::Failure;
use crate::cli::SourceArgs;
use crate::config::{self, FileConfig, RateValue};
use crate::source::choice::{RateSpec, SourceChoice};
use crate::source::{SourceConfig, SourceKind};

/// The highest `--rate` accepted: far above what any API allows, low enough
/// that the pacer can still space requests (1.01 / R seconds apart).
pub const MAX_RATE: f64 = 100_000.0;

/// Everything a sync needs, resolved.
pub struct Resolved {
    pub file: FileConfig,
    pub config_path: Option<PathBuf>,
    pub db: PathBuf,
    /// The run's sources, in the order they page and are listed.
    pub sources: Vec<SourceConfig>,
    /// The rate of each of them (same order).
    pub rates: Vec<(SourceKind, f64)>,
    /// Steam's settings even when Steam is not a source of the run: profile
    /// names (`steamcommunity.com/id/...`) resolve through it.
    pub steam: SourceConfig,
    /// The user named Steam (flag or config file): a missing key is an error.
    pub steam_named: bool,
    pub account: Option<String>,
}

impl Resolved {
    /// The first source's kind, for displays that name one.
    pub fn primary(&self) -> SourceKind {
        self.sources[0].kind
    }

    /// Options for a run of `account_id` from these sources.
    pub fn sync_options(&self, account_id: u32) -> crate::sync::SyncOptions {
        let mut options =
            crate::sync::SyncOptions::new(account_id, self.rates.first().map_or(1.0, |r| r.1));
        options.source_rates = self.rates.clone();
        options
    }
}

/// `--source stratz` without a token: what to do, in one line.
pub const STRATZ_TOKEN_MISSING: &str = "STRATZ needs your own API token: get one free at stratz.com/api and set STRATZ_API_TOKEN (or stratz_token in the config file)";

fn check_base(flag: &str, base: &Option<String>) -> Result<(), Failure> {
    match base {
        Some(base) if !(base.starts_with("http://") || base.starts_with("https://")) => {
            Err(Failure::usage(format!(
                "{flag} must be an http:// or https:// URL, not {base:?}"
            )))
        }
        _ => Ok(()),
    }
}

/// A database path whose directory does not exist is a typo, not a request
/// to create directories: one line says which part is missing.
pub fn require_db_dir(db: &std::path::Path) -> Result<(), Failure> {
    let dir = match db.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => return Ok(()),
    };
    if db.exists() || dir.is_dir() {
        return Ok(());
    }
    Err(Failure::usage(format!(
        "{}: the directory {} does not exist; create it, or check the --db path",
        db.display(),
        dir.display()
    )))
}

pub fn resolve(
    db_flag: Option<PathBuf>,
    account_flag: Option<String>,
    args: &SourceArgs,
) -> Result<Resolved, Failure> {
    let config_path = config::config_path();
    let file = config::load_file(config_path.as_deref())?;
    // A path the user chose (flag, environment, config file) must be in a
    // directory that exists: a mistyped one is refused, not created. Only
    // the platform's data directory is made on first use.
    let db_chosen = db_flag.is_some()
        || std::env::var_os("DOTA_SYNC_DB").is_some_and(|p| !p.is_empty())
        || file.db.is_some();
    let db = config::db_path(db_flag.as_deref(), &file)?;
    if db_chosen {
        require_db_dir(&db)?;
    }
    let choice = match (&args.source, &file.source) {
        (Some(choice), _) => choice.clone(),
        (None, Some(text)) => text
            .parse::<SourceChoice>()
            .map_err(|e| Failure::usage(format!("config file: source: {e}")))?,
        (None, None) => SourceChoice::Auto,
    };
    let rate_spec = match (&args.rate, &file.rate) {
        (Some(spec), _) => spec.clone(),
        (None, Some(RateValue::Number(rate))) => RateSpec {
            all: Some(*rate),
            per_source: Vec::new(),
        },
        (None, Some(RateValue::Text(text))) => text
            .parse::<RateSpec>()
            .map_err(|e| Failure::usage(format!("config file: rate: {e}")))?,
        (None, None) => RateSpec::default(),
    };
    if let Some(rate) = rate_spec
        .values()
        .find(|rate| !(rate.is_finite() && *rate > 0.0 && *rate <= MAX_RATE))
    {
        return Err(Failure::usage(format!(
            "--rate must be a number of requests per second above 0 and at most {MAX_RATE}, not {rate}"
        )));
    }
    let api_base = args.api_base.clone().or_else(|| file.api_base.clone());
    let base_for = |kind: SourceKind| match kind {
        SourceKind::Steam => args
            .steam_api_base
            .clone()
            .or_else(|| file.steam_api_base.clone())
            .or_else(|| api_base.clone()),
        SourceKind::OpenDota => args
            .opendota_api_base
            .clone()
            .or_else(|| file.opendota_api_base.clone())
            .or_else(|| api_base.clone()),
        SourceKind::Stratz => args
            .stratz_api_base
            .clone()
            .or_else(|| file.stratz_api_base.clone())
            .or_else(|| api_base.clone()),
    };
    check_base("--api-base", &api_base)?;
    check_base("--steam-api-base", &base_for(SourceKind::Steam))?;
    check_base("--opendota-api-base", &base_for(SourceKind::OpenDota))?;
    check_base("--stratz-api-base", &base_for(SourceKind::Stratz))?;

    let steam = SourceConfig::new(
        SourceKind::Steam,
        base_for(SourceKind::Steam),
        config::api_key(SourceKind::Steam, &file),
    );
    let stratz_token = config::api_key(SourceKind::Stratz, &file);
    if choice.names_stratz() && stratz_token.is_none() {
        return Err(Failure::usage(STRATZ_TOKEN_MISSING));
    }
    let kinds = choice.resolve(steam.key.is_some(), stratz_token.is_some());
    let sources: Vec<SourceConfig> = kinds
        .iter()
        .map(|&kind| SourceConfig::new(kind, base_for(kind), config::api_key(kind, &file)))
        .collect();
    let rates = sources
        .iter()
        .map(|source| {
            let rate = rate_spec
                .for_kind(source.kind)
                .unwrap_or_else(|| source.kind.default_rate(source.key.is_some()));
            (source.kind, rate)
        })
        .collect();
    let account = account_flag.or_else(|| file.account.clone());
    Ok(Resolved {
        file,
        config_path,
        db,
        sources,
        rates,
        steam,
        steam_named: choice.names_steam(),
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
