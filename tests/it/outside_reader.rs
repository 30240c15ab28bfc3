//! Issue 16, item 0: another program reading the database (sqlite3, DB
//! Browser, Datasette) at any moment loses nothing. Such a client opens,
//! queries and closes the file; on close, if it sees no other process's
//! lock, it checkpoints and deletes the WAL. If dota-sync ever opens and
//! closes the database file outside SQLite, the kernel drops every POSIX
//! lock the process holds on it, the other client deletes the WAL under it,
//! and what dota-sync writes after that goes to an unlinked file.
//!
//! Each test runs the real binary against the simulator while a thread of
//! this process plays the outside client (a rusqlite connection per query,
//! like `sqlite3 file 'SELECT ...'`) and another watches `/proc/<pid>/fd`
//! for a deleted `-wal` or `-shm`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use dota_sync::sim::FaultPlan;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use crate::common::{KEY, config, start};

const MATCHES: usize = 240;
/// Requests a second: the sync takes a few seconds, so the outside client
/// opens and closes the file many times while it runs.
const RATE: &str = "80";

/// The outside client: python3's sqlite3 module where there is one (the
/// SQLite build that issue 16 was reproduced with, which deletes the WAL of
/// a file nobody else seems to hold), else a rusqlite connection per query.
/// Newer SQLite builds are more careful on close, so the fd check alone
/// would depend on the client; the lock check below does not.
const PY_CLIENT: &str = r#"
import os, sqlite3, sys, time
db = sys.argv[1]
while True:
    if os.path.exists(db):
        c = sqlite3.connect(db)
        try:
            c.execute("SELECT count(*) FROM matches").fetchone()
        except sqlite3.Error:
            pass
        c.close()
        print("q", flush=True)
    time.sleep(0.02)
"#;

/// The outside client and the watcher, until stopped.
struct Outside {
    stop: Arc<AtomicBool>,
    /// Set while the watched process must hold its lock on the database.
    steady: Arc<AtomicBool>,
    /// What the watcher saw go wrong: a deleted `-wal`/`-shm` held, or no
    /// POSIX lock on the database while its connections were open.
    problems: mpsc::Receiver<String>,
    queries: Arc<AtomicU32>,
    python: Option<std::process::Child>,
    threads: Vec<thread::JoinHandle<()>>,
}

impl Outside {
    fn start(db: &Path, pid: Arc<AtomicU32>) -> Outside {
        let stop = Arc::new(AtomicBool::new(false));
        let steady = Arc::new(AtomicBool::new(false));
        let queries = Arc::new(AtomicU32::new(0));
        let (tx, problems) = mpsc::channel();
        let mut threads = Vec::new();
        let python = Command::new("python3")
            .args(["-c", PY_CLIENT])
            .arg(db)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok();
        match &python {
            Some(_) => {}
            None => {
                let (stop, queries, db) = (stop.clone(), queries.clone(), db.to_path_buf());
                threads.push(thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        if db.exists()
                            && let Ok(conn) = rusqlite::Connection::open(&db)
                        {
                            // Errors (busy, no table yet) are what any
                            // client may meet; the open and close matter.
                            let _ = conn.query_row("SELECT count(*) FROM matches", [], |r| {
                                r.get::<_, i64>(0)
                            });
                            drop(conn);
                            queries.fetch_add(1, Ordering::Relaxed);
                        }
                        thread::sleep(Duration::from_millis(20));
                    }
                }));
            }
        }
        let mut python = python;
        if let Some(child) = python.as_mut() {
            let out = child.stdout.take().unwrap();
            let queries = queries.clone();
            threads.push(thread::spawn(move || {
                use std::io::BufRead;
                for _ in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                    queries.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        {
            let (stop, steady, db) = (stop.clone(), steady.clone(), db.to_path_buf());
            threads.push(thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let pid = pid.load(Ordering::Relaxed);
                    if pid != 0 {
                        for target in deleted_wal_or_shm(pid) {
                            let _ = tx.send(format!("held deleted {target}"));
                        }
                        // A lost lock stays lost (the bug this watches for);
                        // three samples in a row rule out a read of
                        // /proc/locks that raced a change to the list.
                        if steady.load(Ordering::Relaxed)
                            && (0..3).all(|_| {
                                let missing = !holds_lock_on(pid, &db);
                                thread::sleep(Duration::from_millis(3));
                                missing
                            })
                        {
                            let _ = tx.send("no lock on the database".to_string());
                        }
                    }
                    thread::sleep(Duration::from_millis(10));
                }
            }));
        }
        Outside {
            stop,
            steady,
            problems,
            queries,
            python,
            threads,
        }
    }

    /// Stops the client and the watcher; panics on anything it saw.
    fn finish(mut self) -> u32 {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(mut python) = self.python.take() {
            let _ = python.kill();
            let _ = python.wait();
        }
        for t in self.threads {
            t.join().unwrap();
        }
        let mut problems: Vec<String> = self.problems.try_iter().collect();
        problems.dedup();
        assert!(
            problems.is_empty(),
            "the process lost its hold on the database: {:?}",
            &problems[..problems.len().min(4)]
        );
        self.queries.load(Ordering::Relaxed)
    }
}

/// Whether `pid` holds a POSIX lock on the database file (SQLite in WAL
/// mode keeps a shared lock on it while a connection is open; losing it is
/// what lets another client delete the WAL).
fn holds_lock_on(pid: u32, db: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(ino) = std::fs::metadata(db).map(|m| m.ino()) else {
        return true;
    };
    // One read() of the whole table: procfs builds each read from the list as
    // it is then, so several small reads (read_to_string starts with a
    // 32-byte probe) can skip a line while other processes lock and unlock.
    let locks = {
        use std::io::Read;
        let mut buf = vec![0u8; 1 << 20];
        let n = std::fs::File::open("/proc/locks")
            .and_then(|mut f| f.read(&mut buf))
            .unwrap_or(0);
        String::from_utf8_lossy(&buf[..n]).into_owned()
    };
    locks.lines().any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // `1: POSIX  ADVISORY  READ 12780 fe:00:10027295 1073741826 1073742335`
        let (Some(kind), Some(holder), Some(file)) = (fields.get(1), fields.get(4), fields.get(5))
        else {
            return false;
        };
        *kind == "POSIX"
            && *holder == pid.to_string()
            && file.rsplit(':').next() == Some(&ino.to_string())
    })
}

/// The process's descriptors that point at a deleted `-wal` or `-shm`.
fn deleted_wal_or_shm(pid: u32) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read_link(e.path()).ok())
        .map(|t| t.display().to_string())
        .filter(|t| t.ends_with(" (deleted)") && (t.contains("-wal") || t.contains("-shm")))
        .collect()
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn last_job_status(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT status FROM sync_jobs ORDER BY id DESC LIMIT 1",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

fn env_for(cmd: &mut CommandBuilder, dir: &Path) {
    cmd.env("TERM", "xterm-256color");
    cmd.env("DOTA_SYNC_CONFIG", dir.join("config.toml"));
    cmd.env("DOTA_SYNC_LOG", dir.join("dota-sync.log"));
    cmd.env("STEAM_API_KEY", KEY);
    cmd.env_remove("OPENDOTA_API_KEY");
    cmd.cwd(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outside_reader_during_a_tui_sync_loses_nothing() {
    if !Path::new("/proc/self/fd").exists() {
        return; // the check reads procfs
    }
    let sim = start(config(1, MATCHES, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id.to_string();
    let base = sim.base_url();
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("read.db");

    let pid = Arc::new(AtomicU32::new(0));
    let outside = Outside::start(&db, pid.clone());

    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 110,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dota-sync"));
    let db_arg = db.display().to_string();
    cmd.args([
        "--db",
        &db_arg,
        "--account",
        &account,
        "--source",
        "steam",
        "--api-base",
        &base,
        "--rate",
        RATE,
    ]);
    env_for(&mut cmd, dir.path());
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    pid.store(child.process_id().unwrap(), Ordering::Relaxed);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut writer = pair.master.take_writer().unwrap();
    let mut parser = vt100::Parser::new(30.try_into().unwrap(), 110.try_into().unwrap(), 0);
    let mut screen = |parser: &mut vt100::Parser| {
        while let Ok(chunk) = rx.try_recv() {
            parser.process(&chunk);
        }
        parser.screen().contents()
    };
    let wait_for = |parser: &mut vt100::Parser,
                    screen: &mut dyn FnMut(&mut vt100::Parser) -> String,
                    needle: &str,
                    timeout: Duration| {
        let start = Instant::now();
        loop {
            let text = screen(parser);
            if text.contains(needle) {
                return text;
            }
            assert!(
                start.elapsed() < timeout,
                "no {needle:?} on screen:\n{text}"
            );
            thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for(
        &mut parser,
        &mut screen,
        "Sync idle",
        Duration::from_secs(20),
    );
    // From here until `q` the TUI has its connections open.
    outside.steady.store(true, Ordering::Relaxed);
    // Let the outside client come and go with the TUI's readers open.
    thread::sleep(Duration::from_millis(500));
    writer.write_all(b"s").unwrap();
    writer.flush().unwrap();
    wait_for(
        &mut parser,
        &mut screen,
        "Sync complete",
        Duration::from_secs(90),
    );
    // And after the run, while the TUI still has the file open.
    thread::sleep(Duration::from_millis(500));
    outside.steady.store(false, Ordering::Relaxed);
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "did not quit");
        thread::sleep(Duration::from_millis(50));
    };
    let queries = outside.finish();
    assert!(status.success(), "exit status {status:?}");
    assert!(queries > 20, "the outside client ran only {queries} times");

    assert_eq!(
        count(&db, "SELECT count(*) FROM matches WHERE has_details = 1"),
        MATCHES as i64,
        "every detail of the run is in the file"
    );
    assert_eq!(last_job_status(&db), "completed", "the job row is closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outside_reader_during_a_headless_sync_loses_nothing() {
    if !Path::new("/proc/self/fd").exists() {
        return;
    }
    let sim = start(config(1, MATCHES, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id.to_string();
    let base = sim.base_url();
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("read.db");
    let pid = Arc::new(AtomicU32::new(0));
    let outside = Outside::start(&db, pid.clone());

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dota-sync"));
    cmd.args(["sync", "--json", "--account", &account, "--source", "steam"])
        .args(["--api-base", &base, "--rate", RATE, "--db"])
        .arg(&db)
        .env("DOTA_SYNC_CONFIG", dir.path().join("config.toml"))
        .env("DOTA_SYNC_LOG", dir.path().join("dota-sync.log"))
        .env("STEAM_API_KEY", KEY)
        .env_remove("OPENDOTA_API_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = cmd.spawn().unwrap();
    pid.store(child.id(), Ordering::Relaxed);
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let queries = outside.finish();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(queries > 20, "the outside client ran only {queries} times");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON summary");
    assert_eq!(summary["details_fetched"], MATCHES as i64);
    assert_eq!(
        count(&db, "SELECT count(*) FROM matches WHERE has_details = 1"),
        MATCHES as i64
    );
    assert_eq!(last_job_status(&db), "completed");
}

/// `export --out` naming the database (or its WAL) would truncate the file
/// it reads from: refused in one line, the database untouched.
#[test]
fn export_over_the_database_is_refused_and_the_file_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("keep.db");
    {
        let store = dota_sync::store::Store::open(&db).unwrap();
        store
            .connection()
            .execute("INSERT INTO matches (match_id) VALUES (7)", [])
            .unwrap();
    }
    let wal = dir.path().join("keep.db-wal");
    for out in [&db, &wal] {
        let _holder = dota_sync::store::Store::open(&db).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_dota-sync"))
            .args(["export", "--account", "5", "--db"])
            .arg(&db)
            .arg("--out")
            .arg(out)
            .env("DOTA_SYNC_CONFIG", dir.path().join("config.toml"))
            .env("DOTA_SYNC_LOG", dir.path().join("dota-sync.log"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("is the database itself"), "{stderr}");
    }
    assert_eq!(count(&db, "SELECT count(*) FROM matches"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outside_reader_during_sync_watch_loses_nothing() {
    if !Path::new("/proc/self/fd").exists() {
        return;
    }
    let sim = start(config(1, MATCHES, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id.to_string();
    let base = sim.base_url();
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("watch.db");
    let pid = Arc::new(AtomicU32::new(0));
    let outside = Outside::start(&db, pid.clone());

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dota-sync"));
    cmd.args([
        "sync",
        "--watch",
        "1s",
        "--account",
        &account,
        "--source",
        "steam",
    ])
    .args(["--api-base", &base, "--rate", RATE, "--db"])
    .arg(&db)
    .env("DOTA_SYNC_CONFIG", dir.path().join("config.toml"))
    .env("DOTA_SYNC_LOG", dir.path().join("dota-sync.log"))
    .env("STEAM_API_KEY", KEY)
    .env_remove("OPENDOTA_API_KEY")
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    let child = cmd.spawn().unwrap();
    pid.store(child.id(), Ordering::Relaxed);
    let completed_passes = |db: &Path| -> i64 {
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| {
                c.query_row(
                    "SELECT count(*) FROM sync_jobs WHERE status = 'completed'",
                    [],
                    |r| r.get(0),
                )
            })
            .unwrap_or(0)
    };
    let start_wait = Instant::now();
    while completed_passes(&db) < 1 {
        assert!(
            start_wait.elapsed() < Duration::from_secs(60),
            "no first pass"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Between passes and through the next ones, its connection stays open.
    outside.steady.store(true, Ordering::Relaxed);
    while completed_passes(&db) < 3 {
        assert!(
            start_wait.elapsed() < Duration::from_secs(60),
            "no third pass"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    outside.steady.store(false, Ordering::Relaxed);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let queries = outside.finish();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(queries > 20, "the outside client ran only {queries} times");
    assert_eq!(
        count(&db, "SELECT count(*) FROM matches WHERE has_details = 1"),
        MATCHES as i64
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM sync_jobs WHERE status = 'running'"
        ),
        0,
        "every pass's job row is closed"
    );
}
