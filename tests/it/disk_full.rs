//! Issue 16, item 4: a sync that fills the disk says what to do in one line,
//! shows the true count it saved, and the next run (with space again)
//! resumes from it. The disk is a 1 MB tmpfs, grown afterwards with a
//! remount; where mounting is not allowed (not root, no CAP_SYS_ADMIN), the
//! test says so and does nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use dota_sync::sim::FaultPlan;

use crate::common::{KEY, config, start};

const MATCHES: usize = 300;

/// A tmpfs mounted on a fresh directory, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(Tmpfs { dir })
    }

    fn resize(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(self.dir.path())
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn sync(db: &Path, home: &Path, base: &str, account: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dota-sync"))
        .args(["sync", "--account", account, "--source", "steam"])
        .args(["--api-base", base, "--rate", "1000", "--db"])
        .arg(db)
        .env("DOTA_SYNC_CONFIG", home.join("config.toml"))
        .env("DOTA_SYNC_LOG", home.join("dota-sync.log"))
        .env("STEAM_API_KEY", KEY)
        .env_remove("OPENDOTA_API_KEY")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn detailed(db: &PathBuf) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row(
        "SELECT count(*) FROM matches WHERE has_details = 1",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// `n` of the last `Fetching match details: n/N` line.
fn last_shown_count(stderr: &str) -> Option<i64> {
    let line = stderr
        .lines()
        .rfind(|l| l.starts_with("Fetching match details: "))?;
    let rest = line.strip_prefix("Fetching match details: ")?;
    rest.split('/').next()?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_says_what_to_do_shows_the_true_count_and_resumes() {
    let Some(disk) = Tmpfs::mount("1m") else {
        eprintln!("cannot mount a tmpfs here: the full-disk test did not run");
        return;
    };
    let sim = start(config(1, MATCHES, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id.to_string();
    let base = sim.base_url();
    let home = tempfile::tempdir().unwrap();
    let db = disk.path().join("full.db");

    let (db2, home2, base2, account2) = (
        db.clone(),
        home.path().to_path_buf(),
        base.clone(),
        account.clone(),
    );
    let out = tokio::task::spawn_blocking(move || sync(&db2, &home2, &base2, &account2))
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("dota-sync: "))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].contains("free some space and run again: what was fetched is saved"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let saved = detailed(&db);
    assert!(
        saved > 0 && saved < MATCHES as i64,
        "the disk filled mid-run: {saved}"
    );
    assert_eq!(
        last_shown_count(&stderr),
        Some(saved),
        "the count shown is what was saved: {stderr}"
    );

    // Still full: the next run says the same, and loses nothing.
    let (db, home, base, account, out) = tokio::task::spawn_blocking(move || {
        let out = sync(&db, home.path(), &base, &account);
        (db, home, base, account, out)
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("dota-sync: ")
            && last.contains("free some space and run again: what was fetched is saved"),
        "{stderr}"
    );
    assert!(detailed(&db) >= saved);

    // Space again: the next run resumes and finishes.
    disk.resize("64m");
    let (out, db, _home) = tokio::task::spawn_blocking(move || {
        let out = sync(&db, home.path(), &base, &account);
        (out, db, home)
    })
    .await
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(detailed(&db), MATCHES as i64);
}

/// The sync lock file is the first thing a run writes on an existing
/// database: a full disk there gets the same line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_at_the_sync_lock_gets_the_same_line() {
    let Some(disk) = Tmpfs::mount("1m") else {
        eprintln!("cannot mount a tmpfs here: the full-disk test did not run");
        return;
    };
    let sim = start(config(1, 5, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id.to_string();
    let base = sim.base_url();
    let home = tempfile::tempdir().unwrap();
    let db = disk.path().join("lock.db");
    let out = tokio::task::spawn_blocking(move || {
        let first = sync(&db, home.path(), &base, &account);
        assert_eq!(
            first.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&first.stderr)
        );
        let saved = detailed(&db);
        std::fs::remove_file(disk.path().join("lock.db.lock")).unwrap();
        // Fill what is left.
        let mut filler = std::fs::File::create(disk.path().join("filler")).unwrap();
        let block = vec![0u8; 4096];
        while std::io::Write::write_all(&mut filler, &block).is_ok() {}
        drop(filler);
        let out = sync(&db, home.path(), &base, &account);
        assert_eq!(detailed(&db), saved, "nothing lost");
        (out, disk)
    })
    .await
    .unwrap()
    .0;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("free some space and run again: what was fetched is saved"),
        "{stderr}"
    );
}
