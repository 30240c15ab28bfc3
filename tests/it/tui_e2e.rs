//! End to end: the real `dota-sync demo` in a pseudo-terminal, read through
//! a vt100 parser, driven by keys like a person would.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Screen {
    parser: vt100::Parser,
    bytes: mpsc::Receiver<Vec<u8>>,
}

impl Screen {
    fn pump(&mut self) {
        while let Ok(chunk) = self.bytes.try_recv() {
            self.parser.process(&chunk);
        }
    }

    fn text(&mut self) -> String {
        self.pump();
        self.parser.screen().contents()
    }

    /// Waits until the screen shows `needle`; panics with the screen if not.
    fn wait_for(&mut self, needle: &str, timeout: Duration) -> String {
        self.wait_until(needle, timeout, |text| text.contains(needle))
    }

    fn wait_until(&mut self, what: &str, timeout: Duration, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if done(&text) {
                return text;
            }
            assert!(start.elapsed() < timeout, "no {what} on screen:\n{text}");
            thread::sleep(Duration::from_millis(50));
        }
    }
}

/// `Fetching match details: n/N` with n > 0 and N the demo's ~1,500 (the
/// union of Steam's newest 500 and what OpenDota lists).
fn fetched_some(text: &str) -> bool {
    let Some((_, rest)) = text.split_once("Fetching match details: ") else {
        return false;
    };
    let Some((done, total)) = rest.split_once('/') else {
        return false;
    };
    let total: String = total.chars().take_while(char::is_ascii_digit).collect();
    done.parse::<u32>().is_ok_and(|n| n > 0) && total.parse::<u32>().is_ok_and(|n| n > 1400)
}

/// `Collecting match IDs: N/N`: paging done, the total known.
fn collected_all(text: &str) -> bool {
    let Some((_, rest)) = text.split_once("Collecting match IDs: ") else {
        return false;
    };
    let Some((seen, total)) = rest.split_once('/') else {
        return false;
    };
    let total: String = total.chars().take_while(char::is_ascii_digit).collect();
    seen == total && total.parse::<u32>().is_ok_and(|n| n > 1400)
}

struct Demo {
    dir: tempfile::TempDir,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    screen: Screen,
    writer: Box<dyn Write + Send>,
    // Kept open so the child's terminal stays alive until the test ends.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

/// `dota-sync demo` in a 110x30 pseudo-terminal, its output drained on a thread.
fn spawn_demo() -> Demo {
    spawn_demo_sized(110, 30)
}

/// `dota-sync demo` in a `cols` x `rows` pseudo-terminal.
fn spawn_demo_sized(cols: u16, rows: u16) -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dota-sync"));
    cmd.arg("demo");
    cmd.arg("--db");
    cmd.arg(dir.path().join("demo.db"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("DOTA_SYNC_CONFIG", dir.path().join("config.toml"));
    cmd.env("DOTA_SYNC_LOG", dir.path().join("demo.log"));
    cmd.cwd(dir.path());
    let child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);

    let rx = drain(&*pair.master);
    let writer = pair.master.take_writer().unwrap();
    let screen = Screen {
        parser: vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0),
        bytes: rx,
    };
    Demo {
        dir,
        child,
        screen,
        writer,
        _master: pair.master,
    }
}

impl Demo {
    fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).unwrap();
        self.writer.flush().unwrap();
        thread::sleep(Duration::from_millis(300));
    }

    /// Waits for the exit, then checks the terminal was handed back intact.
    fn assert_clean_exit(&mut self) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "did not quit:\n{}",
                self.screen.text()
            );
            thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "exit status {status:?}");
        thread::sleep(Duration::from_millis(200));
        self.screen.pump();
        let after = self.screen.parser.screen();
        assert!(!after.alternate_screen(), "alternate screen left");
        assert!(!after.hide_cursor(), "cursor left hidden");
        assert_eq!(
            after.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse capture left on"
        );
    }
}

/// The product's promise on the first screen (ARCHITECTURE.md, "Progress
/// wording"): at the smallest size, with no key pressed, both phases and
/// stubs reading `No data available yet`, while details arrive.
#[test]
fn demo_at_80x24_shows_both_phases_and_stubs_without_a_keypress() {
    let mut demo = spawn_demo_sized(80, 24);
    let text = demo.screen.wait_until(
        "phase 2 under way beside stubs",
        Duration::from_secs(60),
        |text| {
            fetched_some(text)
                && text.contains("Collecting match IDs")
                && text.contains("No data available yet")
        },
    );
    // Rows with details beside the stubs: the promise being kept.
    assert!(text.contains("Matches "), "{text}");
    // Still so a few seconds later: the rows follow the details arriving.
    thread::sleep(Duration::from_secs(3));
    let later = demo
        .screen
        .wait_until("stubs", Duration::from_secs(5), |text| {
            fetched_some(text) && text.contains("No data available yet")
        });
    assert_ne!(text, later, "the screen moves with the sync");
    demo.press(b"q");
    demo.assert_clean_exit();
}

#[test]
fn demo_runs_in_a_terminal_and_quits_cleanly() {
    let mut demo = spawn_demo();
    // Phase 2 under way: `Fetching match details: n/N`.
    let text = demo
        .screen
        .wait_until("phase 2 progress", Duration::from_secs(60), fetched_some);
    assert!(text.contains("demo"), "{text}");
    assert!(collected_all(&text), "{text}");
    assert!(
        demo.screen.parser.screen().alternate_screen(),
        "the TUI uses the alternate screen"
    );

    // It opens on the overview; Tab then visits every other tab in order.
    demo.screen.wait_for("Record", Duration::from_secs(10));
    for (key, marker) in [
        (&b"\t"[..], "Match ID"),
        (b"\t", "Games"),
        (b"\t", "Against"),
        (b"\t", "Most kills"),
        (b"\t", "Attempts"),
        (b"\t", "When do I win"),
        (b"\t", "Last 20"),
    ] {
        demo.press(key);
        demo.screen.wait_for(marker, Duration::from_secs(10));
    }
    // And each by its number.
    for (key, marker) in [(b"3", "Games"), (b"5", "Most kills"), (b"4", "Against")] {
        demo.press(key);
        demo.screen.wait_for(marker, Duration::from_secs(10));
    }
    demo.press(b"?");
    let help = demo.screen.wait_for("Keys", Duration::from_secs(10));
    assert!(help.contains("Retry the selected match"), "{help}");
    demo.press(b"\x1b");
    // Esc read alone, not with the next key as Alt-2: wait until the help
    // has closed (under load the two bytes could arrive in one read).
    demo.screen
        .wait_until("the help closed", Duration::from_secs(10), |text| {
            !text.contains(" Help ")
        });
    demo.press(b"2");
    demo.screen.wait_for("Match ID", Duration::from_secs(10));
    demo.press(b"r");
    demo.press(b"q");
    demo.assert_clean_exit();

    // What the demo synced is in the database it was given.
    let conn = rusqlite::Connection::open(demo.dir.path().join("demo.db")).unwrap();
    let detailed: i64 = conn
        .query_row(
            "SELECT count(*) FROM matches WHERE has_details = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(detailed > 0);
}

#[test]
fn sigterm_quits_cleanly_and_restores_the_terminal() {
    let mut demo = spawn_demo();
    demo.screen
        .wait_until("phase 2 progress", Duration::from_secs(60), fetched_some);
    let pid = demo.child.process_id().expect("a running child");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    demo.assert_clean_exit();
    let conn = rusqlite::Connection::open(demo.dir.path().join("demo.db")).unwrap();
    let status: String = conn
        .query_row(
            "SELECT status FROM sync_jobs ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "stopped", "the engine stopped cleanly, not killed");
}

/// The terminal's output, read on a thread so that the child can never
/// block on a full pipe.
fn drain(master: &dyn portable_pty::MasterPty) -> mpsc::Receiver<Vec<u8>> {
    let mut reader = master.try_clone_reader().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    rx
}

/// The state letter of a process (`T`: stopped), from `/proc/PID/stat`.
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name's closing parenthesis: " S ..."
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// Issue 10: Ctrl-Z suspends and `fg` resumes. Under an interactive shell
/// (job control needs one: a session leader's SIGTSTP is discarded), the
/// demo hands the terminal back and stops; `fg` sends SIGCONT and the
/// screen is drawn again.
#[test]
fn ctrl_z_suspends_and_fg_resumes_with_the_screen_redrawn() {
    if !std::path::Path::new("/proc/self/stat").exists() {
        return; // reads the process state from procfs
    }
    let dir = tempfile::tempdir().unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 110,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new("bash");
    cmd.args(["--norc", "--noprofile", "-i"]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("PS1", "shell$ ");
    cmd.env("DOTA_SYNC_CONFIG", dir.path().join("config.toml"));
    cmd.env("DOTA_SYNC_LOG", dir.path().join("demo.log"));
    cmd.cwd(dir.path());
    let Ok(mut shell) = pair.slave.spawn_command(cmd) else {
        return; // no bash here
    };
    drop(pair.slave);
    let rx = drain(&*pair.master);
    let mut writer = pair.master.take_writer().unwrap();
    let mut screen = Screen {
        parser: vt100::Parser::new(30.try_into().unwrap(), 110.try_into().unwrap(), 0),
        bytes: rx,
    };
    let mut type_in = |text: &str| {
        writer.write_all(text.as_bytes()).unwrap();
        writer.flush().unwrap();
    };
    screen.wait_for("shell$", Duration::from_secs(10));
    type_in(&format!(
        "'{}' demo --db '{}'\r",
        env!("CARGO_BIN_EXE_dota-sync"),
        dir.path().join("demo.db").display()
    ));
    screen.wait_for("Record", Duration::from_secs(30));
    assert!(screen.parser.screen().alternate_screen());
    let shell_pid = shell.process_id().unwrap();
    let children =
        std::fs::read_to_string(format!("/proc/{shell_pid}/task/{shell_pid}/children")).unwrap();
    let demo_pid: u32 = children.split_whitespace().next().unwrap().parse().unwrap();

    type_in("\x1a");
    let text = screen.wait_until("the shell's job notice", Duration::from_secs(10), |t| {
        t.contains("Stopped")
    });
    assert!(!screen.parser.screen().alternate_screen(), "{text}");
    assert!(!screen.parser.screen().hide_cursor(), "cursor left hidden");
    let start = Instant::now();
    while process_state(demo_pid) != Some('T') {
        assert!(start.elapsed() < Duration::from_secs(5), "not stopped");
        thread::sleep(Duration::from_millis(50));
    }

    type_in("fg\r");
    let start = Instant::now();
    while !screen.parser.screen().alternate_screen() {
        screen.pump();
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{}",
            screen.text()
        );
        thread::sleep(Duration::from_millis(50));
    }
    // Drawn again in full, not only what changed since the stop.
    screen.wait_for("Record", Duration::from_secs(10));
    screen.wait_for("1 Overview", Duration::from_secs(10));
    assert_ne!(process_state(demo_pid), Some('T'));

    type_in("q");
    let start = Instant::now();
    while process_state(demo_pid).is_some_and(|s| s != 'Z') {
        assert!(start.elapsed() < Duration::from_secs(15), "did not quit");
        thread::sleep(Duration::from_millis(50));
    }
    type_in("exit\r");
    let start = Instant::now();
    while shell.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "shell did not exit"
        );
        thread::sleep(Duration::from_millis(50));
    }
    drop(pair.master);
}

/// Issue 18, item 7: a database that cannot be written opens for browsing
/// (as `status` and `export` read it), says it is read-only, and `s` says
/// why it cannot sync instead of doing nothing.
#[test]
fn a_read_only_database_is_browsed_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let db = data.join("ro.db");
    {
        let mut store = dota_sync::store::Store::open(&db).unwrap();
        store
            .save_stubs(
                4242,
                &[crate::builders::history_entry(
                    7_000_000_001,
                    7_000_001_001,
                    1_700_000_000,
                    1,
                    5,
                )],
            )
            .unwrap();
        store.checkpoint().unwrap();
    }
    for leftover in ["ro.db-wal", "ro.db-shm"] {
        let _ = std::fs::remove_file(data.join(leftover));
    }
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();

    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dota-sync"));
    cmd.args([
        "--db",
        db.to_str().unwrap(),
        "--account",
        "4242",
        "--source",
        "opendota",
    ]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("DOTA_SYNC_CONFIG", dir.path().join("config.toml"));
    cmd.env("DOTA_SYNC_LOG", dir.path().join("tui.log"));
    cmd.cwd(dir.path());
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut screen = Screen {
        parser: vt100::Parser::new(24.try_into().unwrap(), 80.try_into().unwrap(), 0),
        bytes: drain(&*pair.master),
    };
    let mut writer = pair.master.take_writer().unwrap();
    let text = screen.wait_for("7000000001", Duration::from_secs(10));
    assert!(text.contains("Read-only database: browsing only"), "{text}");
    // Another notice first, so that `s` visibly brings the reason back.
    writer.write_all(b"2y").unwrap();
    writer.flush().unwrap();
    screen.wait_for("Copied match ID", Duration::from_secs(5));
    writer.write_all(b"s").unwrap();
    writer.flush().unwrap();
    let text = screen.wait_for("a sync needs write access", Duration::from_secs(5));
    assert!(text.contains("Read-only database: browsing only"), "{text}");
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "did not quit");
        thread::sleep(Duration::from_millis(50));
    };
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(status.success(), "{status:?}");
}
