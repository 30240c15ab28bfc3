//! `dota-sync demo` (the TUI against the in-process simulator) and
//! `dota-sync simulate` (the simulator alone).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::failure::{EXIT_OK, Failure};
use crate::cli::SimulateArgs;
use crate::sim::{FaultPlan, SimConfig, SimServer, SimulateOptions};
use crate::source::{AnySource, ApiKey, SourceConfig, SourceKind};
use crate::store::Store;
use crate::sync::{SyncOptions, controller};
use crate::tui::{self, TuiContext};

/// Requests per second in the demo, per source: ~1,500 matches in about a
/// minute between them (the simulator's demo limits are 5/s for Steam's
/// sequence endpoint, 1,200 a minute for OpenDota and 2/s for STRATZ; a
/// little under each).
const DEMO_STEAM_RATE: f64 = 4.5;
const DEMO_OPENDOTA_RATE: f64 = 18.0;
const DEMO_STRATZ_RATE: f64 = 1.8;
const DEMO_MATCHES: usize = 1_500;

pub async fn run(db: Option<PathBuf>) -> Result<u8, Failure> {
    let temp;
    let db_path = match db {
        Some(path) => {
            super::settings::require_db_dir(&path)?;
            path
        }
        None => {
            temp = tempfile::Builder::new()
                .prefix("dota-sync-demo-")
                .tempdir()
                .map_err(|e| Failure::fatal(format!("cannot create a temporary directory: {e}")))?;
            temp.path().join("demo.db")
        }
    };
    // Today's APIs, scaled to a one-minute sync from every source: Steam's
    // newest 500 (Immortal Draft left out of its sequence endpoint),
    // STRATZ's pages of whole matches with the simulator's demo token, and
    // OpenDota's whole history under its per-minute limit.
    let config = SimConfig {
        seed: 7,
        accounts: 2,
        matches_per_account: DEMO_MATCHES,
        faults: FaultPlan::preset("demo").unwrap_or_default(),
        required_key: None,
        get_match_details_works: false,
        ..SimConfig::default()
    };
    let sim = SimServer::start(config)
        .await
        .map_err(|e| Failure::fatal(format!("cannot start the simulator: {e}")))?;
    let account_id = sim.dataset().accounts()[0].account_id;
    let store = Store::open(&db_path)?;
    let mut sources = Vec::new();
    for kind in [SourceKind::Steam, SourceKind::Stratz, SourceKind::OpenDota] {
        let key = match kind {
            SourceKind::Stratz => crate::sim::STRATZ_DEMO_TOKEN,
            _ => "demo",
        };
        let config = SourceConfig::new(kind, Some(sim.base_url()), ApiKey::new(key));
        sources.push(AnySource::new(&config).map_err(super::account::fetch_failure)?);
    }
    let mut options = SyncOptions::new(account_id, DEMO_STEAM_RATE);
    options.source_rates = vec![
        (SourceKind::Steam, DEMO_STEAM_RATE),
        (SourceKind::Stratz, DEMO_STRATZ_RATE),
        (SourceKind::OpenDota, DEMO_OPENDOTA_RATE),
    ];
    let handle = controller::spawn(
        Arc::new(sources),
        Arc::new(Mutex::new(store)),
        options,
        None,
    );
    let context = TuiContext {
        db_path: db_path.clone(),
        account_id: Some(account_id),
        source: Some(SourceKind::Steam),
        label: Some("demo".into()),
        commands: handle.commands,
        progress: handle.progress,
        events: handle.events,
        read_only: false,
        autostart: true,
    };
    let result = tui::run(context).await;
    handle.task.abort();
    sim.shutdown().await;
    result.map_err(|e| Failure::fatal(format!("terminal UI failed: {e}")))?;
    Ok(EXIT_OK)
}

pub async fn simulate(args: SimulateArgs) -> Result<u8, Failure> {
    let options = SimulateOptions {
        port: args.port,
        accounts: args.accounts,
        matches: args.matches,
        faults: args.faults,
        seed: args.seed,
        key: None,
    };
    crate::sim::run_standalone(options)
        .await
        .map_err(Failure::usage)?;
    Ok(EXIT_OK)
}
