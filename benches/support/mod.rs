//! Shared set-up for the sync benchmarks: a simulator and stub databases.
#![allow(dead_code)]

use std::path::Path;

use dota_sync::sim::{Dataset, FaultPlan, SimConfig, SimServer};
use dota_sync::source::HistoryEntry;
use dota_sync::source::{ApiKey, SourceConfig, SourceKind};
use dota_sync::store::Store;

/// Phase 1's output for one account, built straight from the dataset so a
/// benchmark of phase 2 measures phase 2 only.
pub fn write_stubs(path: &Path, dataset: &Dataset, account_index: usize, count: usize) -> u32 {
    let account = &dataset.accounts()[account_index];
    let entries: Vec<HistoryEntry> = account
        .match_ids
        .iter()
        .take(count)
        .map(|&match_id| {
            let json = dataset.match_json(match_id).expect("dataset match");
            HistoryEntry {
                match_id,
                match_seq_num: json["match_seq_num"].as_i64(),
                start_time: json["start_time"].as_i64(),
                lobby_type: json["lobby_type"].as_i64(),
                player_slot: None,
                hero_id: None,
            }
        })
        .collect();
    let mut store = Store::open(path).expect("bench database");
    for page in entries.chunks(100) {
        store.save_stubs(account.account_id, page).expect("stubs");
    }
    account.account_id
}

/// A simulator whose first account has `matches` matches, all listed.
pub fn start_sim(
    runtime: &tokio::runtime::Runtime,
    matches: usize,
    mut faults: FaultPlan,
) -> SimServer {
    // Every match on every endpoint: the benches measure fetching all of them.
    faults.sequence_skips_immortal_draft = false;
    faults.opendota_lacks = 0.0;
    runtime
        .block_on(SimServer::start(SimConfig {
            accounts: 2,
            matches_per_account: matches,
            history_cap: matches,
            faults,
            ..SimConfig::default()
        }))
        .expect("the simulator starts")
}

/// The Steam client's settings, pointed at the simulator.
pub fn opendota_config(sim: &SimServer) -> SourceConfig {
    SourceConfig::new(
        SourceKind::OpenDota,
        Some(sim.base_url()),
        ApiKey::new("bench"),
    )
}

pub fn steam_config(sim: &SimServer) -> SourceConfig {
    SourceConfig::new(
        SourceKind::Steam,
        Some(sim.base_url()),
        ApiKey::new("bench"),
    )
}
