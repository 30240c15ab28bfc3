//! The command line (public contract: README.md, "Commands"; ARCHITECTURE.md).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::source::choice::{RateSpec, SourceChoice};

#[derive(Debug, Parser)]
#[command(
    name = "dota-sync",
    version,
    about = "Copy a Dota 2 player's match history into SQLite and browse it",
    after_help = "With no command, opens the terminal UI on the configured account."
)]
pub struct Cli {
    /// Database file (default: the platform data directory; env DOTA_SYNC_DB)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Account to show in the terminal UI (default: the config file's `account`)
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,

    #[command(flatten)]
    pub source: SourceArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the terminal UI against the built-in simulator (offline, no key)
    Demo,
    /// Headless two-phase sync: collect match IDs, then fetch details
    Sync(SyncArgs),
    /// Retry matches whose details failed (backfill)
    Retry(RetryArgs),
    /// Counts of matches, details, stubs, failures and the last sync
    Status(StatusArgs),
    /// Write matches, heroes or teammates as CSV, JSON or JSON lines
    Export(ExportArgs),
    /// Print shell completions: dota-sync completions bash > ~/.local/share/bash-completion/completions/dota-sync
    Completions(CompletionsArgs),
    /// Run the simulated Steam/OpenDota API on 127.0.0.1
    Simulate(SimulateArgs),
}

/// Where matches come from.
#[derive(Debug, Clone, Args, Default)]
pub struct SourceArgs {
    /// auto (Steam when STEAM_API_KEY is set, STRATZ when STRATZ_API_TOKEN is set, and OpenDota), steam, opendota, stratz or a list such as steam,opendota
    #[arg(long, value_name = "SOURCES")]
    pub source: Option<SourceChoice>,
    /// Base URL of every chosen source (default: the public APIs)
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    /// Base URL of Steam alone
    #[arg(long, value_name = "URL")]
    pub steam_api_base: Option<String>,
    /// Base URL of OpenDota alone
    #[arg(long, value_name = "URL")]
    pub opendota_api_base: Option<String>,
    /// Base URL of STRATZ alone
    #[arg(long, value_name = "URL")]
    pub stratz_api_base: Option<String>,
    /// At most R requests in any one-second window per source, or steam=R1,opendota=R2
    #[arg(long, value_name = "R")]
    pub rate: Option<RateSpec>,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// SteamID64, account ID, [U:1:N], STEAM_0:Y:Z, or a steamcommunity.com profile URL
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Stop collecting IDs at the first page with nothing new
    #[arg(long)]
    pub new_only: bool,
    /// Print one JSON summary object on stdout (with --watch, one line per pass)
    #[arg(long)]
    pub json: bool,
    /// After the sync, wait INTERVAL (default 10m; e.g. 90s, 5m, 1h) and sync
    /// new matches again, until Ctrl-C
    #[arg(long, value_name = "INTERVAL", num_args = 0..=1, default_missing_value = "10m")]
    pub watch: Option<WatchInterval>,
}

/// `--watch`'s interval: `90`, `90s`, `5m`, `1h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchInterval(pub std::time::Duration);

impl std::str::FromStr for WatchInterval {
    type Err = String;

    fn from_str(text: &str) -> Result<WatchInterval, String> {
        let text = text.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let n: u64 = number
            .parse()
            .map_err(|_| format!("--watch wants an interval like 90s, 10m or 1h, not {text:?}"))?;
        let seconds = match unit {
            "" | "s" => n,
            "m" => n * 60,
            "h" => n * 3600,
            _ => {
                return Err(format!(
                    "--watch wants an interval like 90s, 10m or 1h, not {text:?}"
                ));
            }
        };
        if seconds == 0 || seconds > 7 * 24 * 3600 {
            return Err("--watch wants an interval between 1 s and 7 days".into());
        }
        Ok(WatchInterval(std::time::Duration::from_secs(seconds)))
    }
}

#[derive(Debug, Args)]
pub struct RetryArgs {
    /// Account to retry: SteamID64, account ID, [U:1:N], STEAM_0:Y:Z, or a profile URL
    /// (default: the config file's `account`)
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// Also retry matches that were given up
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Print one JSON summary object on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Count only this account's matches (default: the config file's `account`;
    /// `all` counts every match in the database)
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// Print JSON on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Account to export (default: the config file's `account`)
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// What to write: one row per match, per hero, or per player met
    #[arg(long, value_enum, default_value_t = ExportWhat::Matches)]
    pub what: ExportWhat,
    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Write to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Only matches started on or after DATE (YYYY-MM-DD, UTC; or 30d, 12w, 1y ago)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only matches started on or before DATE (that day included)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only matches on this hero: a name or a short name (am, sf, wr, pa, ...)
    #[arg(long, value_name = "NAME")]
    pub hero: Option<String>,
    /// Only this lobby: ranked, normal, turbo, or a lobby type (practice, battle cup, ...)
    #[arg(long, value_name = "NAME")]
    pub lobby: Option<String>,
    /// Only this game mode: all pick, all draft, turbo, captains mode, or ap, cm, ad, ...
    #[arg(long, value_name = "NAME")]
    pub mode: Option<String>,
    /// Only wins or only losses
    #[arg(long, value_enum)]
    pub result: Option<ResultArg>,
    /// Only games on this side
    #[arg(long, value_enum)]
    pub side: Option<SideArg>,
    /// Only matches with this player (a 32-bit account ID or any ID form above)
    #[arg(long, value_name = "ID")]
    pub with: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportWhat {
    Matches,
    Heroes,
    Teammates,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultArg {
    Win,
    Loss,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SideArg {
    Radiant,
    Dire,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Port on 127.0.0.1 (0: any free port)
    #[arg(long, default_value_t = 8765)]
    pub port: u16,
    /// Public accounts to simulate
    #[arg(long, default_value_t = 3)]
    pub accounts: usize,
    /// Matches per account
    #[arg(long, default_value_t = 600)]
    pub matches: usize,
    /// Fault preset (none, ideal, today, demo, flaky, outage, ratelimit) or a TOML/JSON file
    #[arg(long, value_name = "FILE|PRESET")]
    pub faults: Option<String>,
    /// Seed of the dataset and the faults
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// Renders a clap error as the one line a usage error must be (ARCHITECTURE.md).
pub fn one_line_usage_error(error: &clap::Error) -> String {
    let text = error.to_string();
    let mut parts = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if !line.is_empty() {
            parts.push(line);
        }
    }
    let joined = parts.join(" ");
    let joined = joined.strip_prefix("error: ").unwrap_or(&joined);
    format!("dota-sync: {joined} (see dota-sync --help)")
}
