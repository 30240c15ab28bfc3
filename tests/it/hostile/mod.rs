//! dota-sync against deliberately hostile and broken servers on 127.0.0.1
//! (issue: "Hostile and broken servers"). Every scenario is bounded in
//! time; runs of the real binary are measured for wall time and peak RSS,
//! and every byte the servers received is checked for the key.

mod binary;
mod fuzz;
mod server;
mod untrusted;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use binary::{KEY, Run, Sandbox, integrity_ok, job_status, stub_count};
use dota_sync::source::{AnySource, ApiKey, SourceConfig, SourceKind};
use dota_sync::store::Store;
use dota_sync::sync::breaker::BreakerPolicy;
use dota_sync::sync::{self, Channels, RunOutcome, SyncOptions, SyncState};
use server::{ACCOUNT, Body, Hostile, Reply, steam_history, steam_match, ten_players};

/// Peak RSS allowed for any run of the binary against a hostile server.
/// A healthy sync of a few matches peaks near 20 MB.
const RSS_CAP_MB: f64 = 120.0;

/// `sync` of [`ACCOUNT`] from Steam at `base`, on a blocking thread so the
/// server keeps serving meanwhile.
async fn run_binary(sandbox: &Sandbox, base: &str, extra: &[&str], deadline: Duration) -> Run {
    let sandbox = sandbox.clone();
    let base = base.to_string();
    let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        sandbox.sync(&base, &extra, deadline)
    })
    .await
    .unwrap()
}

/// Any command, on a blocking thread.
async fn run_command(sandbox: &Sandbox, args: &[&str], deadline: Duration) -> Run {
    let cmd = sandbox.command(args);
    tokio::task::spawn_blocking(move || binary::run(cmd, deadline))
        .await
        .unwrap()
}

/// A Steam that serves `ids` on one history page and details by `details`.
fn steam(
    ids: Vec<i64>,
    details: impl Fn(&server::Request, i64) -> Reply + Send + Sync + 'static,
) -> impl Fn(&server::Request) -> Reply + Send + Sync + 'static {
    move |request| {
        if request.target.contains("GetMatchHistory/") {
            Reply::json(200, steam_history(&ids, 0, Some(ids.len() as i64)))
        } else if request.target.contains("GetMatchDetails") {
            let id = request
                .query("match_id")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            details(request, id)
        } else if let Some(seq) = request.query("start_at_match_seq_num") {
            // Only reached once GetMatchDetails has answered 5xx.
            details(request, seq.parse::<i64>().unwrap_or(0) / 10)
        } else {
            Reply::json(404, "{}")
        }
    }
}

fn assert_key_never_sent_elsewhere(server: &Hostile) {
    let received = String::from_utf8_lossy(&server.received()).to_ascii_lowercase();
    assert!(
        !received.contains("referer"),
        "a Referer was sent: {received}"
    );
}

fn assert_key_absent(sandbox: &Sandbox, run: &Run) {
    run.assert_no_key();
    let bytes = sandbox.all_bytes();
    assert!(
        !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
        "the key was written to a file"
    );
}

fn fetch_errors(db: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT fetch_error FROM matches WHERE fetch_error IS NOT NULL")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

// 1. Redirects -------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn redirects_are_refused_and_the_key_reaches_no_other_host() {
    let elsewhere = Hostile::start(|_| Reply::json(200, steam_history(&[5, 4], 0, Some(2)))).await;
    for (status, on_details) in [(301, false), (302, false), (307, true), (308, true)] {
        let to = elsewhere.base.clone();
        let api = Hostile::start(move |request| {
            let is_history = request.target.contains("GetMatchHistory/");
            if is_history && on_details {
                return Reply::json(200, steam_history(&[9], 0, Some(1)));
            }
            // Echo the whole target, key included, as a hostile server would.
            Reply::json(status, "").header("location", &format!("{to}{}", request.target))
        })
        .await;
        let sandbox = Sandbox::new();
        let run = run_binary(&sandbox, &api.base, &[], Duration::from_secs(20)).await;
        run.assert_one_line(1, "redirected");
        assert!(
            run.stderr.contains("127.0.0.1"),
            "names the host: {}",
            run.stderr
        );
        assert_key_absent(&sandbox, &run);
        assert_key_never_sent_elsewhere(&api);
        assert_eq!(elsewhere.connections(), 0, "HTTP {status}: followed");
        assert!(run.elapsed < Duration::from_secs(10), "{:?}", run.elapsed);
    }
}

// 2. Escape sequences --------------------------------------------------------

const NASTY: &str =
    r"\u001b]0;pwned\u0007\u001b[2J\r\n2026-01-01T00:00:00Z  INFO forged line\u009b31m";

#[tokio::test(flavor = "multi_thread")]
async fn server_text_reaches_no_terminal_log_or_row_raw() {
    // A per-match error in phase 2 lands in fetch_error and the log.
    let api = Hostile::start(steam(vec![11, 12], |_, id| {
        if id == 11 {
            Reply::json(
                200,
                format!(r#"{{"result":{{"error":"Match ID not found {NASTY}"}}}}"#),
            )
        } else {
            Reply::json(200, steam_match(id, &ten_players()))
        }
    }))
    .await;
    let sandbox = Sandbox::new();
    let run = run_binary(&sandbox, &api.base, &[], Duration::from_secs(20)).await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    run.assert_no_control_bytes();
    let errors = fetch_errors(&sandbox.db());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("Match ID not found"), "{errors:?}");
    assert!(!errors[0].chars().any(char::is_control), "{errors:?}");
    let log = sandbox.log_text();
    assert!(
        !log.contains('\u{1b}') && !log.contains('\u{7}'),
        "raw escapes in the log"
    );
    assert!(
        !log.lines().any(|l| l
            .trim_start()
            .starts_with("2026-01-01T00:00:00Z  INFO forged")),
        "a forged log line"
    );

    // A history error (Steam's statusDetail) and a vanity-lookup message end
    // the run: one clean line on stderr.
    let history = Hostile::start(|_| {
        Reply::json(
            200,
            format!(r#"{{"result":{{"status":2,"statusDetail":"bad {NASTY}"}}}}"#),
        )
    })
    .await;
    let sandbox = Sandbox::new();
    let run = run_binary(&sandbox, &history.base, &[], Duration::from_secs(20)).await;
    run.assert_one_line(1, "bad");
    run.assert_no_control_bytes();

    let vanity = Hostile::start(|_| {
        Reply::json(
            200,
            format!(r#"{{"response":{{"success":8,"message":"no {NASTY}"}}}}"#),
        )
    })
    .await;
    let sandbox = Sandbox::new();
    let args = [
        "sync",
        "--account",
        "https://steamcommunity.com/id/evil",
        "--source",
        "steam",
        "--api-base",
        &vanity.base,
    ];
    let run = run_command(&sandbox, &args, Duration::from_secs(20)).await;
    run.assert_one_line(1, "no");
    run.assert_no_control_bytes();
}

#[tokio::test(flavor = "multi_thread")]
async fn opendota_error_text_is_cleaned() {
    let api =
        Hostile::start(|_| Reply::json(400, format!(r#"{{"error":"invalid {NASTY}"}}"#))).await;
    let sandbox = Sandbox::new();
    let account = ACCOUNT.to_string();
    let args = [
        "sync",
        "--account",
        &account,
        "--source",
        "opendota",
        "--api-base",
        &api.base,
    ];
    let run = run_command(&sandbox, &args, Duration::from_secs(20)).await;
    run.assert_one_line(1, "invalid");
    run.assert_no_control_bytes();
}

// 3 and 4. Retry-After -------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn absurd_retry_after_neither_panics_nor_sleeps_for_decades() {
    let seen = Arc::new(Mutex::new(0usize));
    let api = Hostile::start(move |request| {
        let mut n = seen.lock().unwrap();
        *n += 1;
        let nth = *n;
        if request.target.contains("GetMatchHistory/") {
            if nth == 1 {
                return Reply::json(429, "").header("retry-after", "18446744073709551615");
            }
            return Reply::json(200, steam_history(&[21, 22], 0, Some(2)));
        }
        let id = request
            .query("match_id")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        match nth {
            3 => Reply::json(429, "").header("retry-after", "999999999"),
            4 => Reply::json(429, "").header("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"),
            _ => Reply::json(200, steam_match(id, &ten_players())),
        }
    })
    .await;
    let sandbox = Sandbox::new();
    let run = run_binary(
        &sandbox,
        &api.base,
        &["--rate", "50"],
        Duration::from_secs(40),
    )
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.elapsed < Duration::from_secs(25), "{:?}", run.elapsed);
    assert_eq!(job_status(&sandbox.db()).as_deref(), Some("completed"));
    assert_key_absent(&sandbox, &run);
}

// 5. 429s and the pacer ------------------------------------------------------

fn engine_options(rate: f64, give_up_after: Duration) -> SyncOptions {
    let mut options = SyncOptions::new(ACCOUNT as u32, rate);
    options.breaker = BreakerPolicy {
        threshold: 5,
        first_wait: Duration::from_millis(100),
        max_wait: Duration::from_millis(400),
        give_up_after,
    };
    options
}

fn steam_source(base: &str) -> AnySource {
    let mut config = SourceConfig::new(SourceKind::Steam, Some(base.to_string()), ApiKey::new(KEY));
    config.timeout = Duration::from_secs(5);
    AnySource::new(&config).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_storm_keeps_the_rate_and_ends_like_an_outage() {
    let ids: Vec<i64> = (100..140).collect();
    let api = Hostile::start(steam(ids, |_, _| {
        Reply::json(429, r#"{"error":"slow down"}"#).header("retry-after", "0")
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Mutex::new(Store::open(&dir.path().join("db")).unwrap()));
    let (channels, _rx) = Channels::detached();
    let started = Instant::now();
    let summary = tokio::time::timeout(
        Duration::from_secs(20),
        sync::run(
            &[steam_source(&api.base)],
            &store,
            &engine_options(4.0, Duration::from_secs(3)),
            &channels,
        ),
    )
    .await
    .expect("a 429 loop ends")
    .unwrap();
    assert_eq!(summary.outcome, RunOutcome::ApiDown);
    assert!(started.elapsed() >= Duration::from_secs(3));
    let peak = api.peak_per_second();
    assert!(peak <= 4, "{peak} requests in one second at --rate 4");
    // Nothing counted against the matches: a 429 is not their fault.
    assert!(fetch_errors(&dir.path().join("db")).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_is_prompt_after_a_429_storm() {
    let ids: Vec<i64> = (200..260).collect();
    let api = Hostile::start(steam(ids, |_, _| Reply::json(429, "{}"))).await;
    let sandbox = Sandbox::new();
    let base = api.base.clone();
    let run = tokio::task::spawn_blocking(move || {
        let account = ACCOUNT.to_string();
        let cmd = sandbox.command(&[
            "sync",
            "--account",
            &account,
            "--source",
            "steam",
            "--api-base",
            &base,
            "--rate",
            "8",
        ]);
        binary::run_with(cmd, Duration::from_secs(30), |pid| {
            std::thread::sleep(Duration::from_secs(6));
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        })
    })
    .await
    .unwrap();
    assert_eq!(run.code, Some(130), "{}", run.stderr);
    assert!(
        run.elapsed < Duration::from_secs(8),
        "SIGTERM after 6 s took until {:?}",
        run.elapsed
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_hold_is_labelled_rate_limited_not_api_down() {
    let first = Arc::new(Mutex::new(true));
    let api = Hostile::start(steam(vec![31], move |_, id| {
        if std::mem::replace(&mut *first.lock().unwrap(), false) {
            Reply::json(429, "{}").header("retry-after", "1")
        } else {
            Reply::json(200, steam_match(id, &ten_players()))
        }
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Mutex::new(Store::open(&dir.path().join("db")).unwrap()));
    let (channels, mut rx) = Channels::detached();
    let states = Arc::new(Mutex::new(Vec::new()));
    let watcher = tokio::spawn({
        let states = Arc::clone(&states);
        async move {
            while rx.changed().await.is_ok() {
                let state = rx.borrow_and_update().state.clone();
                states.lock().unwrap().push(state);
            }
        }
    });
    let summary = sync::run(
        &[steam_source(&api.base)],
        &store,
        &engine_options(50.0, Duration::from_secs(5)),
        &channels,
    )
    .await
    .unwrap();
    drop(channels);
    let _ = watcher.await;
    assert_eq!(summary.outcome, RunOutcome::Completed);
    let states = states.lock().unwrap();
    assert!(
        states
            .iter()
            .any(|s| matches!(s, SyncState::RateLimited { .. })),
        "{states:?}"
    );
    assert!(
        !states
            .iter()
            .any(|s| matches!(s, SyncState::ApiDown { .. })),
        "{states:?}"
    );
    let label = SyncState::RateLimited {
        retry_in: Duration::from_secs(75),
    }
    .label();
    assert_eq!(label, "rate limited, resuming in 1 min 15 s");
}

// 6. Bodies ------------------------------------------------------------------

fn gzip_bomb(decoded_mb: usize) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let block = vec![b' '; 1 << 20];
    for _ in 0..decoded_mb {
        encoder.write_all(&block).unwrap();
    }
    encoder.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_are_capped_while_they_stream() {
    let bomb = Arc::new(gzip_bomb(512));
    let ids: Vec<i64> = (300..310).collect();
    let api = Hostile::start(steam(ids, move |_, id| match id % 3 {
        // A gzip bomb: 512 MB once decoded.
        0 => Reply::json(200, "")
            .header("content-encoding", "gzip")
            .with_body(Body::Fixed(bomb.to_vec())),
        // An endless body.
        1 => Reply::json(200, "").with_body(Body::Endless),
        // A huge body without a length, streamed by up to 8 at once.
        _ => Reply::json(200, "").with_body(Body::Chunked(vec![b' '; 100 << 20])),
    }))
    .await;
    let sandbox = Sandbox::new();
    let run = run_binary(
        &sandbox,
        &api.base,
        &["--rate", "1000"],
        Duration::from_secs(60),
    )
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    println!(
        "bombs, endless and huge bodies: peak RSS {:.1} MB, {:.1} s",
        run.max_rss_mb,
        run.elapsed.as_secs_f64()
    );
    assert!(
        run.max_rss_mb < RSS_CAP_MB,
        "peak RSS {:.0} MB",
        run.max_rss_mb
    );
    assert!(run.elapsed < Duration::from_secs(45), "{:?}", run.elapsed);
    let errors = fetch_errors(&sandbox.db());
    assert_eq!(errors.len(), 10, "{errors:?}");
    assert!(
        errors.iter().all(|e| e.contains("larger than 4 MB")),
        "{errors:?}"
    );
    assert!(integrity_ok(&sandbox.db()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_history_bomb_ends_the_run_in_one_line() {
    let bomb = Arc::new(gzip_bomb(256));
    let api = Hostile::start(move |_| {
        Reply::json(200, "")
            .header("content-encoding", "gzip")
            .with_body(Body::Fixed(bomb.to_vec()))
    })
    .await;
    let sandbox = Sandbox::new();
    let run = run_binary(&sandbox, &api.base, &[], Duration::from_secs(30)).await;
    run.assert_one_line(1, "larger than 8 MB");
    assert!(
        run.max_rss_mb < RSS_CAP_MB,
        "peak RSS {:.0} MB",
        run.max_rss_mb
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn absurd_headers_are_a_failed_request_not_a_crash() {
    let first = Arc::new(Mutex::new(true));
    let api = Hostile::start(steam(vec![41, 42], move |_, id| {
        if std::mem::replace(&mut *first.lock().unwrap(), false) {
            let mut reply = Reply::json(200, steam_match(id, &ten_players()));
            for i in 0..500 {
                reply = reply.header(&format!("x-junk-{i}"), &"j".repeat(200));
            }
            reply.header("x-huge", &"h".repeat(1 << 20))
        } else {
            Reply::json(200, steam_match(id, &ten_players()))
        }
    }))
    .await;
    let sandbox = Sandbox::new();
    let run = run_binary(
        &sandbox,
        &api.base,
        &["--rate", "100"],
        Duration::from_secs(30),
    )
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.max_rss_mb < RSS_CAP_MB);
    assert!(!run.stderr.contains("panicked"));
}

// 7. History paging ------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn a_cursor_that_goes_up_ends_phase_one_keeping_what_was_saved() {
    let api = Hostile::start(|request| {
        if !request.target.contains("GetMatchHistory/") {
            return Reply::json(500, "{}");
        }
        // Page 1: 1000..901; every later page jumps back above it.
        let ids: Vec<i64> = if request.query("start_at_match_id").is_none() {
            (901..=1000).rev().collect()
        } else {
            (1901..=2000).rev().collect()
        };
        Reply::json(200, steam_history(&ids, 1000, None))
    })
    .await;
    let sandbox = Sandbox::new();
    let run = run_binary(
        &sandbox,
        &api.base,
        &["--rate", "1000"],
        Duration::from_secs(20),
    )
    .await;
    run.assert_one_line(1, "cursor went from 900 up to 1900");
    assert_eq!(stub_count(&sandbox.db()), 200);
    assert!(integrity_ok(&sandbox.db()));
    assert_eq!(job_status(&sandbox.db()).as_deref(), Some("failed"));
}

#[tokio::test(flavor = "multi_thread")]
async fn endless_history_stops_at_the_total_or_the_ceiling() {
    // With a total: 500 matches, so at most 600 IDs (one page of slack for
    // matches played meanwhile) are listed, then paging ends with a warning
    // and phase 2 fetches what was listed (issue 16: a soft anomaly).
    // Pages of `size` IDs, each just below the cursor, for ever.
    let pages = |total: Option<i64>, size: i64| {
        move |request: &server::Request| {
            if request.target.contains("GetMatchDetails") {
                let id = request.query("match_id").and_then(|v| v.parse().ok());
                return Reply::json(200, steam_match(id.unwrap_or(0), &ten_players()));
            }
            let start: i64 = request
                .query("start_at_match_id")
                .and_then(|v| v.parse().ok())
                .unwrap_or(10_000_000);
            let ids: Vec<i64> = (start - size + 1..=start).rev().collect();
            Reply::json(200, steam_history(&ids, 1, total))
        }
    };
    let api = Hostile::start(pages(Some(500), 100)).await;
    let sandbox = Sandbox::new();
    let run = run_binary(
        &sandbox,
        &api.base,
        &["--rate", "100000"],
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("paging past the 600"), "{warnings:?}");
    assert_eq!(stub_count(&sandbox.db()), 600);
    let pages_asked = api
        .requests()
        .iter()
        .filter(|r| r.target.contains("GetMatchHistory/"))
        .count();
    assert_eq!(pages_asked, 6);
    assert_eq!(detailed_count(&sandbox.db()), 600);

    // Without one: the ceiling of any history (pages of 1,000, more than
    // Steam sends, to get there sooner).
    let api = Hostile::start(pages(None, 1000)).await;
    let sandbox = Sandbox::new();
    let run = run_binary(
        &sandbox,
        &api.base,
        &["--rate", "100000"],
        Duration::from_secs(120),
    )
    .await;
    run.assert_one_line(1, "more than 100000 matches");
    println!(
        "endless history: peak RSS {:.1} MB, {:.1} s",
        run.max_rss_mb,
        run.elapsed.as_secs_f64()
    );
    assert!(stub_count(&sandbox.db()) <= 100_000);
    assert!(
        run.max_rss_mb < RSS_CAP_MB,
        "peak RSS {:.0} MB",
        run.max_rss_mb
    );
    assert!(integrity_ok(&sandbox.db()));
}

// 8. A closed stderr -------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn closed_pipes_stop_the_printing_not_the_sync() {
    let ids: Vec<i64> = (500..530).collect();
    let api = Hostile::start(steam(ids, |request, id| {
        // Slow enough that progress is printed while the pipes are closed.
        std::thread::sleep(Duration::from_millis(if request.index % 5 == 0 {
            200
        } else {
            0
        }));
        Reply::json(200, steam_match(id, &ten_players()))
    }))
    .await;
    let sandbox = Sandbox::new();
    let base = api.base.clone();
    let db = sandbox.db();
    let keep = sandbox.clone();
    let code = tokio::task::spawn_blocking(move || {
        let account = ACCOUNT.to_string();
        let mut cmd = sandbox.command(&[
            "sync",
            "--account",
            &account,
            "--source",
            "steam",
            "--api-base",
            &base,
            "--rate",
            "20",
            "--json",
        ]);
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        // Like `2>&1 | head -3` after head has exited.
        drop(child.stdout.take());
        drop(child.stderr.take());
        child.wait().unwrap().code()
    })
    .await
    .unwrap();
    assert_eq!(code, Some(0));
    assert_eq!(job_status(&db).as_deref(), Some("completed"));
    drop(keep);
}

// 9. The breaker's wait is wall time ------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn the_breaker_waits_its_full_time_with_eight_in_flight() {
    let ids: Vec<i64> = (600..700).collect();
    let api = Hostile::start(steam(ids, |_, _| Reply::json(503, "<html>down</html>"))).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Mutex::new(Store::open(&dir.path().join("db")).unwrap()));
    let (channels, _rx) = Channels::detached();
    let started = Instant::now();
    let summary = sync::run(
        &[steam_source(&api.base)],
        &store,
        &engine_options(1000.0, Duration::from_secs(2)),
        &channels,
    )
    .await
    .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(summary.outcome, RunOutcome::ApiDown);
    assert!(
        elapsed >= Duration::from_secs(2),
        "gave up after {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(6), "{elapsed:?}");
    // The API being down counts against no match.
    let conn = rusqlite::Connection::open(dir.path().join("db")).unwrap();
    let counted: i64 = conn
        .query_row(
            "SELECT count(*) FROM matches WHERE retry_count > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(counted, 0);
}

// 10. The smaller ones ---------------------------------------------------------------

fn sync_with_db(db: &str, extra: &[&str]) -> Run {
    let sandbox = Sandbox::new();
    let account = ACCOUNT.to_string();
    let mut args = vec![
        "--db",
        db,
        "sync",
        "--account",
        &account,
        "--source",
        "opendota",
    ];
    args.extend(["--api-base", "http://127.0.0.1:9"]);
    args.extend(extra);
    binary::run(sandbox.command(&args), Duration::from_secs(15))
}

#[test]
fn special_files_as_the_database_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.db");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let run = sync_with_db(fifo.to_str().unwrap(), &[]);
    run.assert_one_line(1, "is a FIFO, not a regular file");
    assert!(run.elapsed < Duration::from_secs(5));

    let journal_before = std::path::Path::new("/dev/null-journal").exists();
    let run = sync_with_db("/dev/null", &[]);
    run.assert_one_line(1, "is a character device");
    if !journal_before {
        assert!(!std::path::Path::new("/dev/null-journal").exists());
    }

    let link = dir.path().join("link.db");
    std::os::unix::fs::symlink(dir.path().join("missing/target.db"), &link).unwrap();
    let run = sync_with_db(link.to_str().unwrap(), &[]);
    run.assert_one_line(1, "symbolic link");
    assert!(!run.stderr.contains("read-only"), "{}", run.stderr);
}

#[test]
fn a_rate_too_high_to_pace_is_bad_usage() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    for rate in ["1e10", "inf", "0", "-3"] {
        let run = sync_with_db(db.to_str().unwrap(), &[&format!("--rate={rate}")]);
        assert_eq!(run.code, Some(2), "--rate {rate}: {}", run.stderr);
        assert!(run.stderr.contains("--rate"), "{}", run.stderr);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn impossible_ids_slots_and_accounts_are_not_stored() {
    let api = Hostile::start(|request| {
        if request.target.contains("GetMatchHistory/") {
            return Reply::json(200, steam_history(&[-5, 0, 71, 72], 0, Some(4)));
        }
        let id: i64 = request.query("match_id").and_then(|v| v.parse().ok()).unwrap_or(0);
        let players = if id == 71 {
            // Two players in slot 1: one would silently replace the other.
            format!(
                r#"{{"account_id":{ACCOUNT},"player_slot":0}},{{"account_id":7,"player_slot":1}},{{"account_id":8,"player_slot":1}}"#
            )
        } else {
            format!(r#"{{"account_id":{ACCOUNT},"player_slot":0}},{{"account_id":-1,"player_slot":1}}"#)
        };
        Reply::json(200, steam_match(id, &players))
    })
    .await;
    let sandbox = Sandbox::new();
    let run = run_binary(
        &sandbox,
        &api.base,
        &["--rate", "100"],
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    let ids: Vec<i64> = conn
        .prepare("SELECT match_id FROM matches ORDER BY match_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids, [71, 72]);
    let (has_details, error): (Option<i64>, Option<String>) = conn
        .query_row(
            "SELECT has_details, fetch_error FROM matches WHERE match_id = 71",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(has_details, Some(0));
    assert!(error.unwrap().contains("two players share player_slot 1"));
    let teammates: Vec<i64> = conn
        .prepare("SELECT other_account_id FROM players_encountered")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(teammates.is_empty(), "{teammates:?}");
    let minus_one: i64 = conn
        .query_row(
            "SELECT count(*) FROM match_players WHERE account_id < 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(minus_one, 0);
}

// --watch (not hostile, but scripted: the history grows between passes) ----

#[tokio::test(flavor = "multi_thread")]
async fn watch_picks_up_a_match_played_between_passes() {
    let pages = Arc::new(Mutex::new(0usize));
    let api = Hostile::start(move |request| {
        if request.target.contains("GetMatchHistory/") {
            let mut n = pages.lock().unwrap();
            *n += 1;
            // The first pass sees two matches; later ones a third, newer one.
            let ids: &[i64] = if *n == 1 {
                &[801, 800]
            } else {
                &[802, 801, 800]
            };
            return Reply::json(200, steam_history(ids, 0, Some(ids.len() as i64)));
        }
        let id: i64 = request
            .query("match_id")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Reply::json(200, steam_match(id, &ten_players()))
    })
    .await;
    let sandbox = Sandbox::new();
    let account = ACCOUNT.to_string();
    let args = [
        "sync",
        "--account",
        &account,
        "--source",
        "steam",
        "--api-base",
        &api.base,
        "--rate",
        "100",
        "--json",
        "--watch",
        "1s",
    ];
    let cmd = sandbox.command(&args);
    let db = sandbox.db();
    let run = tokio::task::spawn_blocking(move || {
        binary::run_with(cmd, Duration::from_secs(30), move |pid| {
            // Two passes and a bit: then Ctrl-C.
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
                if stub_count(&db) >= 3 && job_count(&db) >= 2 {
                    break;
                }
            }
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid, libc::SIGINT) };
        })
    })
    .await
    .unwrap();
    assert_eq!(run.code, Some(130), "{}", run.stderr);
    let passes: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(passes.len() >= 2, "{}", run.stdout);
    assert_eq!(passes[0]["ids_collected"], 2);
    assert_eq!(passes[1]["new_ids"], 1, "{}", run.stdout);
    assert_eq!(passes[1]["details_fetched"], 1);
    assert!(
        run.stderr.contains("watching: pass 1 done"),
        "{}",
        run.stderr
    );
}

fn detailed_count(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT count(*) FROM matches WHERE has_details = 1",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

fn job_count(db: &std::path::Path) -> i64 {
    rusqlite::Connection::open(db)
        .and_then(|c| {
            c.query_row(
                "SELECT count(*) FROM sync_jobs WHERE status = 'completed'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap_or(0)
}

// 9. OpenDota's whole history, read as it streams in --------------------------

/// `sync --source opendota` against `base`.
async fn run_opendota(sandbox: &Sandbox, base: &str, deadline: Duration) -> Run {
    let account = ACCOUNT.to_string();
    let args = [
        "sync",
        "--account",
        &account,
        "--source",
        "opendota",
        "--api-base",
        base,
        "--rate",
        "100000",
    ];
    run_command(sandbox, &args, deadline).await
}

/// A history body past its cap ends the run in one line while it streams
/// in: memory stays bounded. (A gzip bomb meets the same cap on the
/// decoded bytes, as Steam's history bomb above shows.)
#[tokio::test(flavor = "multi_thread")]
async fn an_endless_opendota_history_is_cut_at_its_cap() {
    let api = Hostile::start(|request| {
        if request.target.contains("/matches?") {
            Reply::json(200, "").with_body(Body::Endless)
        } else {
            Reply::json(404, r#"{"error":"Not Found"}"#)
        }
    })
    .await;
    let sandbox = Sandbox::new();
    let run = run_opendota(&sandbox, &api.base, Duration::from_secs(90)).await;
    run.assert_one_line(1, "larger than 128 MB");
    println!(
        "endless OpenDota history: peak RSS {:.1} MB, {:.1} s",
        run.max_rss_mb,
        run.elapsed.as_secs_f64()
    );
    assert!(
        run.max_rss_mb < RSS_CAP_MB,
        "peak RSS {:.0} MB",
        run.max_rss_mb
    );
    assert!(integrity_ok(&sandbox.db()));
}

/// A history of more rows than any player has: phase 1 stops at the
/// ceiling while the body streams in, keeping whole batches (each stub
/// with its summary), in one line.
#[tokio::test(flavor = "multi_thread")]
async fn an_opendota_history_past_the_ceiling_stops_there() {
    let mut body = String::from("[");
    for id in (1..=120_000i64).rev() {
        if id < 120_000 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"match_id":{id},"player_slot":1,"radiant_win":true,"kills":3,"heroes":{{"1":{{"account_id":4242,"hero_id":5}}}}}}"#
        ));
    }
    body.push(']');
    let body = Arc::new(body.into_bytes());
    let api = Hostile::start(move |request| {
        if request.target.contains("/matches?") {
            Reply::json(200, "").with_body(Body::Chunked(body.to_vec()))
        } else {
            Reply::json(404, r#"{"error":"Not Found"}"#)
        }
    })
    .await;
    let sandbox = Sandbox::new();
    let run = run_opendota(&sandbox, &api.base, Duration::from_secs(120)).await;
    run.assert_one_line(1, "more than 100000 matches");
    assert!(
        run.max_rss_mb < RSS_CAP_MB,
        "peak RSS {:.0} MB",
        run.max_rss_mb
    );
    let db = sandbox.db();
    let stubs = stub_count(&db);
    assert!((90_000..=100_000).contains(&stubs), "{stubs}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let summaries: i64 = conn
        .query_row("SELECT count(*) FROM match_summaries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(summaries, stubs);
    assert!(integrity_ok(&db));
}
