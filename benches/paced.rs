//! `cargo bench --bench paced`: the rate-limited scenarios, measured once
//! (a criterion sample of a 50 s run would take most of an hour).
//! - 1,000 matches at `--rate 20` with 100 ms of simulated latency: the
//!   bound is requests / rate = 50 s; the run must finish within 5% of it,
//!   and the simulator must never see more than 20 requests in one second
//!   nor answer 429.
//! - Two sources at once: Steam at 2/s and OpenDota at 3/s, 100 ms latency,
//!   500 matches: the bound is 500 / 5 = 100 s; within 5% of it, each source
//!   within its own rate, no 429.
//! - STRATZ alone, a 5,000-match first sync at a default token's limits
//!   (20/s, 250/min, 2,000/h, 10,000/day) and 100 ms latency: 50 pages of
//!   whole matches and the short one that ends paging. Pages go one after
//!   another at STRATZ's start rate (5/s), so the bound is calls / 5 s
//!   (the limits alone would allow calls / 20 s); no 429, every match
//!   detailed.
//!
//! `cargo bench --bench paced -- stratz` runs only the rows whose name
//! holds `stratz`.

#[path = "support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use dota_sync::sim::{FaultPlan, OpenDotaLimits, StratzLimits, StratzPlan, TokenBucket};
use dota_sync::source::{AnySource, ApiKey, SourceConfig, SourceKind, stratz};
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
    // A name after `--` (not a flag) picks the rows that hold it.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    if wanted("rate_20_latency_100ms") {
        one_source(&runtime);
    }
    if wanted("two_sources") {
        two_sources(&runtime);
    }
    if wanted("stratz_5000_default_token") {
        stratz_history(&runtime);
    }
}

const STRATZ_MATCHES: usize = 5_000;

fn stratz_history(runtime: &tokio::runtime::Runtime) {
    let limits = StratzLimits::default();
    let faults = FaultPlan {
        latency_ms: Some([100, 100]),
        stratz: StratzPlan {
            limits: Some(limits.clone()),
            ..StratzPlan::default()
        },
        ..FaultPlan::default()
    };
    let sim = support::start_sim(runtime, STRATZ_MATCHES, faults);
    let account_id = sim.dataset().accounts()[0].account_id;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paced-stratz.db");
    let config = SourceConfig::new(
        SourceKind::Stratz,
        Some(sim.base_url()),
        ApiKey::new("bench-token"),
    );
    let source = AnySource::new(&config).unwrap();
    let store = Arc::new(Mutex::new(Store::open(&path).unwrap()));
    let mut options = SyncOptions::new(account_id, stratz::DEFAULT_RATE);
    options.source_rates = vec![(SourceKind::Stratz, stratz::DEFAULT_RATE)];
    let (channels, _progress) = Channels::detached();

    let started = Instant::now();
    let summary = runtime
        .block_on(sync::run(
            std::slice::from_ref(&source),
            &store,
            &options,
            &channels,
        ))
        .unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let stats = sim.stats();
    let calls = stats.by_api["stratz"].requests as f64;
    let bound = calls / stratz::DEFAULT_RATE;
    let limits_bound = calls / f64::from(limits.per_second);
    let rate_limited: u64 = stats
        .by_endpoint
        .values()
        .filter_map(|outcomes| outcomes.get("429"))
        .sum();
    println!("paced/stratz_5000_default_token_latency_100ms");
    println!("  matches detailed     {}", summary.details_fetched);
    println!("  calls                {calls}");
    println!("  elapsed              {elapsed:.2} s");
    println!("  bound (calls/5 s)    {bound:.2} s");
    println!("  limits' bound (/20)  {limits_bound:.2} s");
    println!(
        "  over the bound       {:+.2}%",
        (elapsed / bound - 1.0) * 100.0
    );
    println!(
        "  peak requests in 1 s {}",
        stats.by_api["stratz"].peak_per_second
    );
    println!("  429 answers          {rate_limited}");
    assert_eq!(summary.details_fetched, STRATZ_MATCHES as u64);
    assert!(calls <= 60.0, "{calls} calls");
    assert_eq!(rate_limited, 0, "the simulator had to refuse requests");
    assert!(
        stats.by_api["stratz"].peak_per_second <= u64::from(limits.per_second),
        "the per-second window was exceeded"
    );
    assert!(
        elapsed <= bound * 1.05,
        "{elapsed:.1} s is more than 5% over {bound:.1} s"
    );
}

fn one_source(runtime: &tokio::runtime::Runtime) {
    let faults = FaultPlan {
        latency_ms: Some([100, 100]),
        token_bucket: Some(TokenBucket {
            per_second: RATE,
            burst: RATE as u32,
        }),
        ..FaultPlan::default()
    };
    let sim = support::start_sim(runtime, MATCHES, faults);
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
        .block_on(sync::run(
            std::slice::from_ref(&source),
            &store,
            &options,
            &channels,
        ))
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

const TWO_SOURCE_MATCHES: usize = 500;
const STEAM_RATE: f64 = 2.0;
const OPENDOTA_RATE: f64 = 3.0;

fn two_sources(runtime: &tokio::runtime::Runtime) {
    let faults = FaultPlan {
        latency_ms: Some([100, 100]),
        steam_bucket: Some(TokenBucket {
            per_second: STEAM_RATE,
            burst: STEAM_RATE as u32,
        }),
        opendota_limits: Some(OpenDotaLimits {
            per_minute: (OPENDOTA_RATE * 60.0) as u32,
            per_minute_with_key: (OPENDOTA_RATE * 60.0) as u32,
            per_day: 1_000_000,
            window_ms: 60_000,
        }),
        ..FaultPlan::default()
    };
    let sim = support::start_sim(runtime, TWO_SOURCE_MATCHES, faults);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paced2.db");
    let account_id = support::write_stubs(&path, &sim.dataset(), 0, TWO_SOURCE_MATCHES);
    let sources = vec![
        AnySource::new(&support::steam_config(&sim)).unwrap(),
        AnySource::new(&support::opendota_config(&sim)).unwrap(),
    ];
    let store = Arc::new(Mutex::new(Store::open(&path).unwrap()));
    let mut options = SyncOptions::new(account_id, STEAM_RATE);
    options.source_rates = vec![
        (SourceKind::Steam, STEAM_RATE),
        (SourceKind::OpenDota, OPENDOTA_RATE),
    ];
    options.mode = SyncMode::DetailsOnly;
    let (channels, _progress) = Channels::detached();

    let started = Instant::now();
    let summary = runtime
        .block_on(sync::run(&sources, &store, &options, &channels))
        .unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let stats = sim.stats();
    let bound = TWO_SOURCE_MATCHES as f64 / (STEAM_RATE + OPENDOTA_RATE);
    let rate_limited: u64 = stats
        .by_endpoint
        .values()
        .filter_map(|outcomes| outcomes.get("429"))
        .sum();
    let steam = &stats.by_api["steam"];
    let opendota = &stats.by_api["opendota"];
    println!("paced/two_sources_steam_2_opendota_3_latency_100ms");
    println!("  matches fetched      {}", summary.details_fetched);
    println!(
        "  requests             steam {}, opendota {}",
        steam.requests, opendota.requests
    );
    println!("  elapsed              {elapsed:.2} s");
    println!("  bound (matches/sum)  {bound:.2} s");
    println!(
        "  over the bound       {:+.2}%",
        (elapsed / bound - 1.0) * 100.0
    );
    println!(
        "  peak requests in 1 s steam {}, opendota {}",
        steam.peak_per_second, opendota.peak_per_second
    );
    println!("  429 answers          {rate_limited}");
    assert_eq!(summary.details_fetched, TWO_SOURCE_MATCHES as u64);
    assert!(
        steam.peak_per_second <= STEAM_RATE as u64,
        "Steam's rate exceeded"
    );
    assert!(
        opendota.peak_per_second <= OPENDOTA_RATE as u64,
        "OpenDota's rate exceeded"
    );
    assert_eq!(rate_limited, 0, "the simulator had to refuse requests");
    assert!(
        elapsed <= bound * 1.05,
        "{elapsed:.1} s is more than 5% over {bound:.0} s"
    );
}
