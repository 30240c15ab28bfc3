//! `dota-sync demo` (the TUI against the in-process simulator) and
//! `dota-sync simulate` (the simulator alone).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::{EXIT_OK, Failure};
use crate::cli::SimulateArgs;
use crate::sim::{FaultPlan, SimConfig, SimServer, SimulateOptions};
use crate::source::{AnySource, ApiKey, SourceConfig, SourceKind};
use crate::store::Store;
use crate::sync::{SyncOptions, controller};
use crate::tui::{self, TuiContext};

/// Requests per second in the demo if its plan sets no sequence limit.
const DEMO_RATE: f64 = 30.0;
/// Steam lists the newest 500; OpenDota all 1,500.
const DEMO_MATCHES: usize = 1_500;

pub async fn run(db: Option<PathBuf>) -> Result<u8, Failure> {
    let temp;
    let db_path = match db {
        Some(path) => path,
        None => {
            temp = tempfile::Builder::new()
                .prefix("dota-sync-demo-")
                .tempdir()
                .map_err(|e| Failure::fatal(format!("cannot create a temporary directory: {e}")))?;
            temp.path().join("demo.db")
        }
    };
    let faults = FaultPlan::preset("demo").unwrap_or_default();
    // Steam's pace is the sequence endpoint's: asking faster only earns 429s.
    let steam_rate = faults
        .sequence_bucket
        .as_ref()
        .map_or(DEMO_RATE, |bucket| bucket.per_second);
    let config = SimConfig {
        seed: 7,
        accounts: 2,
        matches_per_account: DEMO_MATCHES,
        faults,
        ..SimConfig::default()
    };
    let sim = SimServer::start(config)
        .await
        .map_err(|e| Failure::fatal(format!("cannot start the simulator: {e}")))?;
    let account_id = sim.dataset().accounts()[0].account_id;
    let store = Store::open(&db_path)?;
    let source_config =
        SourceConfig::new(SourceKind::Steam, Some(sim.base_url()), ApiKey::new("demo"));
    let source = AnySource::new(&source_config).map_err(super::account::fetch_failure)?;
    let options = SyncOptions::new(account_id, steam_rate);
    let handle = controller::spawn(Arc::new(source), Arc::new(Mutex::new(store)), options, None);
    let context = TuiContext {
        db_path: db_path.clone(),
        account_id: Some(account_id),
        source: Some(SourceKind::Steam),
        label: Some("demo".into()),
        commands: handle.commands,
        progress: handle.progress,
        events: handle.events,
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
