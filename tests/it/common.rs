//! Shared helpers for the integration tests: a simulator, clients pointed at
//! it, and a deterministic dump of a database for comparisons.
#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dota_sync::sim::{FaultPlan, SimConfig, SimServer};
use dota_sync::source::{AnySource, ApiKey, SourceConfig, SourceKind};
use dota_sync::store::Store;
use dota_sync::sync::breaker::BreakerPolicy;
use dota_sync::sync::{self, Channels, Summary, SyncOptions};

pub const KEY: &str = "SECRETKEY123456";

/// A world where every match is on every endpoint: single-source tests
/// expect to fetch everything. Two-source tests turn the gaps back on.
pub fn config(accounts: usize, matches: usize, mut faults: FaultPlan) -> SimConfig {
    faults.sequence_skips_immortal_draft = false;
    faults.opendota_lacks = 0.0;
    SimConfig {
        seed: 11,
        accounts,
        matches_per_account: matches,
        faults,
        ..SimConfig::default()
    }
}

/// A database path in a fresh temporary directory (kept while the dir lives).
pub fn db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    (dir, path)
}

pub async fn start(config: SimConfig) -> SimServer {
    SimServer::start(config).await.expect("simulator starts")
}

pub fn source_config(sim: &SimServer, kind: SourceKind) -> SourceConfig {
    let mut config = SourceConfig::new(kind, Some(sim.base_url()), ApiKey::new(KEY));
    config.timeout = Duration::from_secs(2);
    config.connect_timeout = Duration::from_secs(2);
    config
}

pub fn steam(sim: &SimServer) -> AnySource {
    AnySource::new(&source_config(sim, SourceKind::Steam)).unwrap()
}

pub fn opendota(sim: &SimServer) -> AnySource {
    AnySource::new(&source_config(sim, SourceKind::OpenDota)).unwrap()
}

/// Fast runs: no pacing to speak of, a breaker that gives up in a second.
pub fn options(account_id: u32) -> SyncOptions {
    let mut options = SyncOptions::new(account_id, 2_000.0);
    options.breaker = BreakerPolicy {
        threshold: 5,
        first_wait: Duration::from_millis(50),
        max_wait: Duration::from_millis(200),
        give_up_after: Duration::from_millis(600),
    };
    options
}

pub async fn run(db: &Path, source: &AnySource, options: &SyncOptions) -> Summary {
    let store = Arc::new(Mutex::new(Store::open(db).unwrap()));
    let (channels, _progress) = Channels::detached();
    sync::run(std::slice::from_ref(source), &store, options, &channels)
        .await
        .unwrap()
}

/// Every table's content that a run must reproduce, in a fixed order,
/// without the timestamps of attempts.
pub fn dump(db: &Path) -> String {
    dump_with(db, "raw_data")
}

/// [`dump`] without the match's raw body: with two sources, which of them
/// served a match (and so the shape of its raw JSON) depends on timing,
/// while everything read from it must not.
pub fn dump_but_raw(db: &Path) -> String {
    dump_with(db, "NULL")
}

fn dump_with(db: &Path, raw: &str) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let matches = format!(
        "SELECT match_id, match_seq_num, has_details, retry_count, fetch_error, start_time, duration,
                game_mode, lobby_type, radiant_win, {raw}, radiant_score, dire_score
           FROM matches ORDER BY match_id"
    );
    let queries = [
        matches.as_str(),
        "SELECT * FROM account_matches ORDER BY account_id, match_id",
        "SELECT * FROM match_players ORDER BY match_id, player_slot",
        "SELECT * FROM players_encountered ORDER BY account_id, other_account_id",
        "SELECT * FROM account_games ORDER BY account_id, match_id",
        "SELECT * FROM match_lineups ORDER BY match_id",
        "SELECT * FROM match_summaries ORDER BY account_id, match_id",
    ];
    dump_queries(&conn, &queries)
}

/// Every row of each query, one line a row, `--` after each query: a text
/// two databases can be compared by.
pub fn dump_queries(conn: &rusqlite::Connection, queries: &[&str]) -> String {
    let mut out = String::new();
    for sql in queries {
        let mut stmt = conn.prepare(sql).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                let value: rusqlite::types::Value = row.get(i).unwrap();
                out.push_str(&format!("{value:?}|"));
            }
            out.push('\n');
        }
        out.push_str("--\n");
    }
    out
}

/// The teammate counters as recomputed from scratch from the players and
/// links; must always equal `players_encountered`.
pub fn recomputed_teammates(db: &Path) -> Vec<(i64, i64, i64, i64, Option<i64>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "WITH me AS (
                 SELECT am.account_id, am.match_id,
                        coalesce((SELECT player_slot FROM match_players p
                                   WHERE p.match_id = am.match_id AND p.account_id = am.account_id),
                                 am.player_slot) AS slot
                   FROM account_matches am JOIN matches m ON m.match_id = am.match_id
                  WHERE m.has_details = 1)
             SELECT me.account_id, p.account_id, count(*),
                    sum(CASE WHEN m.radiant_win = (me.slot < 128) THEN 1 ELSE 0 END),
                    max(m.start_time)
               FROM me JOIN match_players p ON p.match_id = me.match_id
               JOIN matches m ON m.match_id = me.match_id
              WHERE p.account_id IS NOT NULL AND p.account_id != me.account_id
                AND (p.player_slot < 128) = (me.slot < 128) AND p.player_slot != me.slot
              GROUP BY me.account_id, p.account_id
              ORDER BY me.account_id, p.account_id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

pub fn stored_teammates(db: &Path) -> Vec<(i64, i64, i64, i64, Option<i64>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT account_id, other_account_id, games, wins, last_played
               FROM players_encountered ORDER BY account_id, other_account_id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// `(has_details, retry_count, fetch_error)` of one match.
pub fn row_state(db: &Path, match_id: i64) -> (Option<i64>, i64, Option<String>) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT has_details, retry_count, fetch_error FROM matches WHERE match_id = ?1",
        [match_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap()
}

pub fn requests(sim: &SimServer, endpoint: &str) -> u64 {
    sim.stats()
        .by_endpoint
        .get(endpoint)
        .map(|outcomes| outcomes.values().sum())
        .unwrap_or(0)
}

pub fn script(pairs: &[(String, &[&str])]) -> FaultPlan {
    let mut plan = FaultPlan::default();
    for (key, words) in pairs {
        plan.scripts
            .insert(key.clone(), words.iter().map(|w| w.to_string()).collect());
    }
    plan
}

pub type RowState = (Option<i64>, i64, Option<String>);

/// A temporary home for runs of the real binary: database, config and log
/// apart from the user's.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("sync.db")
    }

    pub fn log(&self) -> std::path::PathBuf {
        self.dir.path().join("dota-sync.log")
    }

    pub fn command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dota-sync"));
        cmd.args(args)
            .env("DOTA_SYNC_DB", self.db())
            .env("DOTA_SYNC_CONFIG", self.dir.path().join("config.toml"))
            .env("DOTA_SYNC_LOG", self.log())
            .env("STEAM_API_KEY", KEY)
            .env_remove("OPENDOTA_API_KEY")
            .env_remove("STRATZ_API_TOKEN")
            .env_remove("RUST_BACKTRACE")
            .stdin(std::process::Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> std::process::Output {
        self.command(args).output().unwrap()
    }
}
