//! One sync at a time (README, "The database"): the real binary, two processes, one
//! database; and a SIGKILLed holder's lock taken over.
#![cfg(unix)]

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use dota_sync::sim::{FaultPlan, SimServer};
use dota_sync::store::{ChangeWatch, Holder, Store, SyncLock};

/// `dota-sync sync` of `account` from OpenDota at `base`, `rate` a second.
fn sync(env: &Env, base: &str, account: u32, rate: u32) -> Command {
    let mut cmd = env.command(&["sync", "--account", &account.to_string()]);
    cmd.args(["--source", "opendota", "--api-base", base])
        .args(["--rate", &rate.to_string()])
        .env_remove("STEAM_API_KEY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// A simulator slow enough that a sync of its 60 matches at 5 a second
/// runs for about 12 s: long enough to meet it while it runs.
async fn slow_sim() -> SimServer {
    let plan = FaultPlan {
        latency_ms: Some([20, 40]),
        ..FaultPlan::preset("ideal").unwrap()
    };
    start(config(2, 60, plan)).await
}

/// Waits until `child` holds the lock of `db`.
async fn wait_for_holder(db: &std::path::Path, child: &mut Child) -> Holder {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(holder) = SyncLock::holder(db) {
            return holder;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the first sync ended before it was seen holding the lock"
        );
        assert!(
            Instant::now() < deadline,
            "the first sync never took the lock"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn output(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

async fn kill_and_reap(mut child: Child) {
    child.kill().unwrap(); // SIGKILL
    tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_second_sync_is_refused_in_one_line_naming_the_first() {
    let sim = slow_sim().await;
    let account = sim.dataset().accounts()[0].account_id;
    let env = Env::new();
    let mut first = sync(&env, &sim.base_url(), account, 5).spawn().unwrap();
    let holder = wait_for_holder(&env.db(), &mut first).await;
    assert_eq!(holder.pid, first.id());

    // The second one points at its own simulator: it must not send a request.
    let other = start(config(2, 10, FaultPlan::default())).await;
    let out = output(sync(&env, &other.base_url(), account, 500)).await;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    let expected = format!(
        "another sync is running on {} (PID {}, since ",
        env.db().display(),
        first.id()
    );
    assert!(err.contains(&expected), "{err:?} lacks {expected:?}");
    assert!(
        err.trim_end().ends_with("); wait for it or stop it"),
        "{err:?}"
    );
    assert!(
        err.contains(&holder.describe()),
        "{err:?} names the start time"
    );
    assert_eq!(other.stats().total, 0, "the refused sync sent nothing");
    assert!(
        first.try_wait().unwrap().is_none(),
        "the first sync runs on undisturbed"
    );
    kill_and_reap(first).await;
}

#[tokio::test]
async fn a_killed_syncs_lock_is_taken_over() {
    let sim = slow_sim().await;
    let account = sim.dataset().accounts()[0].account_id;
    let env = Env::new();
    let mut first = sync(&env, &sim.base_url(), account, 5).spawn().unwrap();
    wait_for_holder(&env.db(), &mut first).await;
    kill_and_reap(first).await;

    // The kernel dropped the lock with its holder; the file's stale details
    // do not hold anyone back.
    assert!(dota_sync::store::lock_path(&env.db()).exists());
    assert_eq!(SyncLock::holder(&env.db()), None);
    let out = output(sync(&env, &sim.base_url(), account, 500)).await;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("another sync"), "{err}");
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let stubs: i64 = conn
        .query_row(
            "SELECT count(*) FROM matches WHERE has_details IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stubs, 0, "the second sync ran to the end");
    assert_eq!(SyncLock::holder(&env.db()), None, "released at exit");
}

#[tokio::test]
async fn a_reader_sees_another_process_write_within_a_second() {
    let sim = slow_sim().await;
    let account = sim.dataset().accounts()[0].account_id;
    let env = Env::new();
    // The reader opens first, as a TUI would, before any sync has run.
    Store::open(&env.db()).unwrap();
    let reader = Store::open_read_only(&env.db()).unwrap();
    let mut watch = ChangeWatch::new(&reader).unwrap();
    assert!(!watch.changed(&reader).unwrap());

    let mut sync = sync(&env, &sim.base_url(), account, 5).spawn().unwrap();
    wait_for_holder(&env.db(), &mut sync).await;
    // Polled twice a second, as a reader would: every poll that reports a
    // change shows more rows than the last, and changes keep coming.
    let count = |store: &Store| -> i64 {
        store
            .connection()
            .query_row(
                "SELECT count(*) FROM matches WHERE has_details = 1",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let mut changes = 0;
    let mut last = count(&reader);
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && changes < 3 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if watch.changed(&reader).unwrap() {
            changes += 1;
            let now = count(&reader);
            assert!(now >= last, "{now} < {last}");
            last = now;
        }
    }
    assert_eq!(changes, 3, "another process's commits were seen");
    assert!(last > 0, "and they were details being saved");
    kill_and_reap(sync).await;
}
