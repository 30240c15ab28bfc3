//! `cargo bench --bench paced`: the rate-limited scenario, measured once
//! (a criterion sample of a 50 s run would take most of an hour).
//! 1,000 matches at `--rate 20` with 100 ms of simulated latency: the bound
//! is requests / rate = 50 s; the run must finish within 5% of it, and the
//! simulator must never see more than 20 requests in one second nor answer 429.

#[path = "support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use dota_sync::sim::{FaultPlan, TokenBucket};
use dota_sync::source::AnySource;
use dota_sync::store::Store;
use dota_sync::sync::{self, Channels, SyncMode, SyncOptions};

const MATCHES: usize = 1_000;
const RATE: f64 = 20.0;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing to run.
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let faults = FaultPlan {
        latency_ms: Some([100, 100]),
        token_bucket: Some(TokenBucket {
            per_second: RATE,
            burst: RATE as u32,
        }),
        ..FaultPlan::default()
    };
    let sim = support::start_sim(&runtime, MATCHES, faults);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paced.db");
    let account_id = support::write_stubs(&path, &sim.dataset(), 0, MATCHES);
    let config = support::steam_config(&sim);
    let source = AnySource::new(&config).unwrap();
    let store = Arc::new(Mutex::new(Store::open(&path).unwrap()));
    let mut options = SyncOptions::new(account_id, RATE);
    options.mode = SyncMode::DetailsOnly;
    let (channels, _progress) = Channels::detached();

    let started = Instant::now();
    let summary = runtime
        .block_on(sync::run(std::slice::from_ref(&source), &store, &options, &channels))
        .unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let stats = sim.stats();
    let requests = stats.total as f64;
    let bound = requests / RATE;
    let rate_limited: u64 = stats
        .by_endpoint
        .values()
        .filter_map(|outcomes| outcomes.get("429"))
        .sum();
    println!("paced/rate_20_latency_100ms");
    println!("  matches fetched      {}", summary.details_fetched);
    println!("  requests             {requests}");
    println!("  elapsed              {elapsed:.2} s");
    println!("  bound (requests/R)   {bound:.2} s");
    println!(
        "  over the bound       {:+.2}%",
        (elapsed / bound - 1.0) * 100.0
    );
    println!("  peak requests in 1 s {}", stats.peak_per_second);
    println!("  429 answers          {rate_limited}");
    assert_eq!(summary.details_fetched, MATCHES as u64);
    assert!(stats.peak_per_second <= RATE as u64, "rate exceeded");
    assert_eq!(rate_limited, 0, "the simulator had to refuse requests");
}
