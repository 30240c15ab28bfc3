//! Runs the real binary with a deadline and measures what it used: exit
//! code, output, wall time and peak RSS. The peak is `VmHWM` from
//! `/proc/<pid>/status`, polled: a high-water mark, so a late read still
//! sees an earlier peak. (`wait4`'s `ru_maxrss` would not do: a child
//! spawned with vfork starts out charged with the test process's own RSS.)

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

pub const KEY: &str = "HOSTILEKEY0123456789";

pub struct Run {
    /// `None`: killed by a signal (or by the deadline).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    pub max_rss_mb: f64,
    pub timed_out: bool,
}

impl Run {
    /// The one line a fatal error or bad input must print.
    pub fn assert_one_line(&self, code: i32, needle: &str) {
        assert!(
            !self.timed_out,
            "still running at the deadline: {}",
            self.stderr
        );
        assert_eq!(self.code, Some(code), "stderr: {}", self.stderr);
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        let last = lines.last().copied().unwrap_or_default();
        assert!(
            last.starts_with("dota-sync: ") && last.contains(needle),
            "wanted one line with {needle:?}, got: {}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert!(!self.stderr.contains("Backtrace"), "{}", self.stderr);
    }

    pub fn assert_no_key(&self) {
        assert!(!self.stdout.contains(KEY), "key on stdout: {}", self.stdout);
        assert!(!self.stderr.contains(KEY), "key on stderr: {}", self.stderr);
    }

    /// No byte a terminal would act on: ESC, BEL, CSI (C1), CR outside CRLF.
    pub fn assert_no_control_bytes(&self) {
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            let bad: Vec<char> = text
                .chars()
                .filter(|c| c.is_control() && *c != '\n')
                .collect();
            assert!(
                bad.is_empty(),
                "{name} holds control characters {bad:?}: {text:?}"
            );
        }
    }
}

/// A temporary home for one run: database, config and log apart. Clones
/// share the directory, which goes when the last one is dropped.
#[derive(Clone)]
pub struct Sandbox {
    pub dir: Arc<tempfile::TempDir>,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: Arc::new(tempfile::tempdir().unwrap()),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("sync.db")
    }

    pub fn log(&self) -> PathBuf {
        self.dir.path().join("dota-sync.log")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dota-sync"));
        cmd.args(args)
            .env("DOTA_SYNC_DB", self.db())
            .env("DOTA_SYNC_CONFIG", self.dir.path().join("config.toml"))
            .env("DOTA_SYNC_LOG", self.log())
            .env("DOTA_SYNC_LOG_LEVEL", "debug")
            .env("STEAM_API_KEY", KEY)
            .env_remove("OPENDOTA_API_KEY")
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::null());
        cmd
    }

    /// `sync --account ACCOUNT --source steam --api-base BASE` plus `extra`.
    pub fn sync(&self, base: &str, extra: &[&str], deadline: Duration) -> Run {
        let account = super::server::ACCOUNT.to_string();
        let mut args = vec!["sync", "--account", &account, "--source", "steam"];
        args.extend(["--api-base", base]);
        args.extend(extra);
        run(self.command(&args), deadline)
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(self.log()).unwrap_or_default()
    }

    /// Every byte of every file the run left in the sandbox.
    pub fn all_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        collect_bytes(self.dir.path(), &mut bytes);
        bytes
    }
}

fn collect_bytes(dir: &Path, out: &mut Vec<u8>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_bytes(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.extend(bytes);
        }
    }
}

/// Runs `cmd` to its end or `deadline` (then kills it), measuring it.
pub fn run(cmd: Command, deadline: Duration) -> Run {
    run_with(cmd, deadline, |_| {})
}

/// [`run`], calling `meanwhile(pid)` on another thread once it has started.
pub fn run_with(
    mut cmd: Command,
    deadline: Duration,
    meanwhile: impl FnOnce(libc::pid_t) + Send + 'static,
) -> Run {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("the binary starts");
    let pid = child.id() as libc::pid_t;
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    std::thread::spawn(move || meanwhile(pid));
    let peak_kb = Arc::new(AtomicU64::new(0));
    let exited = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak_kb, exited) = (Arc::clone(&peak_kb), Arc::clone(&exited));
        std::thread::spawn(move || {
            while !exited.load(Ordering::SeqCst) {
                if let Some(kb) = vm_hwm_kb(pid) {
                    peak_kb.fetch_max(kb, Ordering::SeqCst);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut status = 0;
        // `WNOWAIT` leaves it a zombie until the sampler has stopped, so
        // the PID cannot be reused under the sampler's feet.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: `pid` is our child; `info` is a valid out-pointer.
        unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        let _ = done_tx.send(());
        let _ = &mut status;
    });
    let timed_out = match done_rx.recv_timeout(deadline) {
        Ok(()) => false,
        Err(_) => {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            let _ = done_rx.recv();
            true
        }
    };
    exited.store(true, Ordering::SeqCst);
    sampler.join().unwrap();
    let mut status = 0;
    // SAFETY: reaping our own exited child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    let max_rss_kb = peak_kb.load(Ordering::SeqCst);
    let elapsed = start.elapsed();
    drop(child);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Run {
        code,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        elapsed,
        max_rss_mb: max_rss_kb as f64 / 1024.0,
        timed_out,
    }
}

/// The process's peak resident set so far, in KB.
fn vm_hwm_kb(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// The status of the latest `sync_jobs` row.
pub fn job_status(db: &Path) -> Option<String> {
    let conn = rusqlite::Connection::open(db).ok()?;
    conn.query_row(
        "SELECT status FROM sync_jobs ORDER BY id DESC LIMIT 1",
        [],
        |r| r.get(0),
    )
    .ok()
}

pub fn stub_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM matches", [], |r| r.get(0))
        .unwrap()
}

pub fn integrity_ok(db: &Path) -> bool {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
        .map(|s| s == "ok")
        .unwrap_or(false)
}
