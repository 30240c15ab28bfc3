//! Issue 16, item 1: two syncs started at once on a database that does not
//! exist yet (a cron job and the TUI on a new machine). One creates the
//! schema while the other waits for it, then the second is refused by the
//! sync lock like on any existing database: never an SQL error.

use std::process::{Command, Output, Stdio};

use dota_sync::sim::FaultPlan;

use crate::common::{KEY, config, start};

const TRIALS: usize = 20;
const MATCHES: usize = 12;

fn sync(db: &std::path::Path, dir: &std::path::Path, base: &str, account: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dota-sync"));
    cmd.args(["sync", "--account", account, "--source", "steam"])
        .args(["--api-base", base, "--rate", "500", "--db"])
        .arg(db)
        .env("DOTA_SYNC_CONFIG", dir.join("config.toml"))
        .env("DOTA_SYNC_LOG", dir.join("dota-sync.log"))
        .env("STEAM_API_KEY", KEY)
        .env_remove("OPENDOTA_API_KEY")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// "synced" or "refused": anything else fails the test with the output.
fn outcome(out: &Output) -> &'static str {
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => "synced",
        Some(1) => {
            let last = stderr.lines().last().unwrap_or_default();
            assert!(
                last.contains("another sync is running") && last.contains("PID"),
                "exit 1 without naming the running sync: {stderr}"
            );
            assert!(!stderr.contains("SQL") && !stderr.contains("database error"));
            "refused"
        }
        other => panic!("exit {other:?}: {stderr}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_syncs_racing_on_a_fresh_file_never_fail_with_an_sql_error() {
    let sim = start(config(1, MATCHES, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id.to_string();
    let base = sim.base_url();
    let mut synced = 0;
    for trial in 0..TRIALS {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(format!("fresh-{trial}.db"));
        let (a, b) = (
            sync(&db, dir.path(), &base, &account).spawn().unwrap(),
            sync(&db, dir.path(), &base, &account).spawn().unwrap(),
        );
        let (a, b) = tokio::task::spawn_blocking(move || {
            (a.wait_with_output().unwrap(), b.wait_with_output().unwrap())
        })
        .await
        .unwrap();
        let outcomes = [outcome(&a), outcome(&b)];
        assert!(outcomes.contains(&"synced"), "trial {trial}: {outcomes:?}");
        synced += outcomes.iter().filter(|o| **o == "synced").count();
        let conn = rusqlite::Connection::open(&db).unwrap();
        let detailed: i64 = conn
            .query_row(
                "SELECT count(*) FROM matches WHERE has_details = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(detailed, MATCHES as i64, "trial {trial}");
    }
    assert!(synced >= TRIALS);
}
