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

/// `Fetching match details: n/1500` with n > 0.
fn fetched_some(text: &str) -> bool {
    let Some((_, rest)) = text.split_once("Fetching match details: ") else {
        return false;
    };
    let Some((done, total)) = rest.split_once('/') else {
        return false;
    };
    done.parse::<u32>().is_ok_and(|n| n > 0) && total.starts_with("1500")
}

#[test]
fn demo_runs_in_a_terminal_and_quits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 30,
            cols: 110,
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
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);

    // Drain the terminal on a thread so the child can never block on a full pipe.
    let mut reader = pair.master.try_clone_reader().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut writer = pair.master.take_writer().unwrap();
    let mut screen = Screen {
        parser: vt100::Parser::new(30.try_into().unwrap(), 110.try_into().unwrap(), 0),
        bytes: rx,
    };
    let mut press = |keys: &[u8]| {
        writer.write_all(keys).unwrap();
        writer.flush().unwrap();
        thread::sleep(Duration::from_millis(300));
    };

    // Phase 2 under way: `Fetching match details: n/1500`.
    let text = screen.wait_until("phase 2 progress", Duration::from_secs(60), fetched_some);
    assert!(text.contains("demo"), "{text}");
    assert!(text.contains("Collecting match IDs: 1500/1500"), "{text}");
    assert!(
        screen.parser.screen().alternate_screen(),
        "the TUI uses the alternate screen"
    );

    press(b"\t");
    screen.wait_for("Attempts", Duration::from_secs(5));
    press(b"?");
    let help = screen.wait_for("Keys", Duration::from_secs(5));
    assert!(help.contains("Retry the selected match"), "{help}");
    press(b"\x1b");
    thread::sleep(Duration::from_millis(200));
    press(b"1");
    screen.wait_for("Match ID", Duration::from_secs(5));
    press(b"r");
    press(b"q");

    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "did not quit:\n{}",
            screen.text()
        );
        thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    thread::sleep(Duration::from_millis(200));
    screen.pump();
    let after = screen.parser.screen();
    assert!(!after.alternate_screen(), "alternate screen left");
    assert!(!after.hide_cursor(), "cursor left hidden");
    assert_eq!(
        after.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse capture left on"
    );

    // What the demo synced is in the database it was given.
    let conn = rusqlite::Connection::open(dir.path().join("demo.db")).unwrap();
    let detailed: i64 = conn
        .query_row(
            "SELECT count(*) FROM matches WHERE has_details = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(detailed > 0);
}
