//! `cargo bench --bench sync`: phase-2 ingest against the in-process
//! simulator (no latency, no rate limit; Steam bodies indented like Valve's),
//! reading one real match body, and phase-1 stub ingest.

#[path = "../tests/support/builders.rs"]
mod builders;
#[path = "support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dota_sync::source::{AnySource, HistoryEntry, parse};
use dota_sync::store::Store;
use dota_sync::sync::{self, Channels, SyncMode, SyncOptions};

const DETAIL_MATCHES: usize = 1_000;
const STUB_IDS: i64 = 20_000;

fn phase_two_ingest(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let sim = support::start_sim(&runtime, DETAIL_MATCHES, Default::default());
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.db");
    let account_id = support::write_stubs(&template, &sim.dataset(), 0, DETAIL_MATCHES);
    let config = support::steam_config(&sim);

    let mut group = c.benchmark_group("phase2");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(DETAIL_MATCHES as u64));
    group.bench_function("detailed_matches", |b| {
        let mut run = 0;
        b.iter_batched(
            || {
                run += 1;
                let path = dir.path().join(format!("run-{run}.db"));
                std::fs::copy(&template, &path).unwrap();
                path
            },
            |path| {
                let source = AnySource::new(&config).unwrap();
                let store = Arc::new(Mutex::new(Store::open(&path).unwrap()));
                let mut options = SyncOptions::new(account_id, f64::INFINITY);
                options.mode = SyncMode::DetailsOnly;
                options.max_in_flight = 16;
                let (channels, _progress) = Channels::detached();
                let summary = runtime
                    .block_on(sync::run(
                        std::slice::from_ref(&source),
                        &store,
                        &options,
                        &channels,
                    ))
                    .unwrap();
                assert_eq!(summary.details_fetched, DETAIL_MATCHES as u64);
                // Closing is the sync's (its last checkpoint); removing the
                // copy is the bench's, done once the time is taken.
                drop(store);
                RemovedWhenDropped(path)
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

/// A run's database copy, removed outside the measured time (criterion
/// drops a routine's output after timing it).
struct RemovedWhenDropped(std::path::PathBuf);

impl Drop for RemovedWhenDropped {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        let _ = std::fs::remove_file(self.0.with_extension("db-wal"));
        let _ = std::fs::remove_file(self.0.with_extension("db-shm"));
    }
}

/// The one reader on real bodies as sent: the newest full Steam match (the
/// sequence endpoint, pretty-printed) and an OpenDota match.
fn read_match_bodies(c: &mut Criterion) {
    let fixture = |name: &str| {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
        )
        .unwrap()
    };
    let sequence = fixture("odota-core__json__sequence_api.json");
    let opendota = fixture("odota-core__json__3254426673_output.json");
    let mut group = c.benchmark_group("read");
    group.throughput(Throughput::Elements(1));
    group.bench_function("steam_sequence_body", |b| {
        b.iter(|| parse::steam_sequence_body(&sequence, 8_591_933_650).unwrap())
    });
    group.bench_function("opendota_details_body", |b| {
        b.iter(|| parse::opendota_details_body(&opendota, 3_254_426_673).unwrap())
    });
    group.finish();
}

fn phase_one_stub_ingest(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let entries: Vec<HistoryEntry> = (0..STUB_IDS)
        .map(|i| {
            builders::history_entry(
                8_000_000_000 - i,
                7_000_000_000 - i,
                1_700_000_000 - i * 1800,
                i % 10,
                i % 120 + 1,
            )
        })
        .collect();
    let mut group = c.benchmark_group("phase1");
    group.sample_size(10);
    group.throughput(Throughput::Elements(STUB_IDS as u64));
    group.bench_function("stub_ids", |b| {
        let mut run = 0;
        b.iter_batched(
            || {
                run += 1;
                Store::open(&dir.path().join(format!("stubs-{run}.db"))).unwrap()
            },
            |mut store| {
                for page in entries.chunks(100) {
                    store.save_stubs(1, page).unwrap();
                }
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(
    benches,
    phase_two_ingest,
    read_match_bodies,
    phase_one_stub_ingest
);
criterion_main!(benches);
