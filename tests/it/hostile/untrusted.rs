//! Issue 16 on the real binary: a body nested too deep for SQLite's JSON
//! functions, and histories whose counts lie (ARCHITECTURE.md, "Hostile servers
//! and files").

use std::time::Duration;

use super::binary::{Sandbox, integrity_ok, job_status};
use super::server::{self, Hostile, Reply, steam_history, steam_match, ten_players};
use super::{detailed_count, run_binary};

fn match_id(request: &server::Request) -> i64 {
    request
        .query("match_id")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn start_at(request: &server::Request) -> Option<i64> {
    request
        .query("start_at_match_id")
        .and_then(|v| v.parse().ok())
}

/// Every stored `raw_data` passes `json_valid()`, and the query a user runs
/// over the whole table works.
fn assert_raw_data_queryable(db: &std::path::Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let invalid: i64 = conn
        .query_row(
            "SELECT count(*) FROM matches WHERE raw_data IS NOT NULL AND NOT json_valid(raw_data)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(invalid, 0);
    let wins: i64 = conn
        .query_row(
            "SELECT count(*) FROM matches WHERE json_extract(raw_data, '$.radiant_win')",
            [],
            |r| r.get(0),
        )
        .expect("json_extract over the whole table");
    assert!(wins > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_nested_past_128_levels_is_a_counted_malformed_failure() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let api = Hostile::start(move |request| {
        if request.target.contains("GetMatchHistory/") {
            return Reply::json(200, steam_history(&[41, 42, 43], 0, Some(3)));
        }
        let id = match_id(request);
        let body = steam_match(id, &ten_players());
        if id == 42 {
            // An unknown field the reader skips: once accepted and stored.
            let body = body.replacen("\"duration\"", &format!("\"junk\":{deep},\"duration\""), 1);
            return Reply::json(200, body);
        }
        Reply::json(200, body)
    })
    .await;
    let sandbox = Sandbox::new();
    let run = run_binary(
        &sandbox,
        &api.base,
        &["--rate", "1000"],
        Duration::from_secs(30),
    )
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    let (has_details, retries, error): (Option<i64>, i64, Option<String>) = conn
        .query_row(
            "SELECT has_details, retry_count, fetch_error FROM matches WHERE match_id = 42",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(has_details, Some(0), "the deep body is not stored");
    assert_eq!(retries, 1, "a counted failure");
    assert!(
        error
            .as_deref()
            .is_some_and(|e| e.contains("nested deeper than 128")),
        "{error:?}"
    );
    assert_eq!(detailed_count(&sandbox.db()), 2);
    assert_raw_data_queryable(&sandbox.db());
}

/// Runs a sync against `api` and checks the run ended well with every one
/// of `honest` matches detailed.
async fn assert_every_honest_match_detailed(api: &Hostile, honest: usize) {
    let sandbox = Sandbox::new();
    let run = run_binary(
        &sandbox,
        &api.base,
        &["--rate", "100000"],
        Duration::from_secs(60),
    )
    .await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("cannot be trusted"), "{}", run.stderr);
    assert_eq!(detailed_count(&sandbox.db()), honest as i64);
    assert_eq!(job_status(&sandbox.db()).as_deref(), Some("completed"));
    assert!(integrity_ok(&sandbox.db()));
}

#[tokio::test(flavor = "multi_thread")]
async fn results_remaining_stuck_with_a_total_of_zero_costs_nothing() {
    // 350 honest IDs (1350 down to 1001), then empty pages; every page says
    // 1000 remain of a total of 0.
    let api = Hostile::start(|request| {
        if request.target.contains("GetMatchDetails") {
            return Reply::json(200, steam_match(match_id(request), &ten_players()));
        }
        let top = start_at(request).unwrap_or(1350).min(1350);
        let ids: Vec<i64> = (top - 99..=top).rev().filter(|&id| id > 1000).collect();
        Reply::json(200, steam_history(&ids, 1000, Some(0)))
    })
    .await;
    assert_every_honest_match_detailed(&api, 350).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_that_repeat_half_the_previous_one_cost_nothing() {
    // 450 honest IDs (1450 down to 1001); each page after the first starts
    // 50 above the cursor, so half of it is the previous page again.
    let api = Hostile::start(|request| {
        if request.target.contains("GetMatchDetails") {
            return Reply::json(200, steam_match(match_id(request), &ten_players()));
        }
        let top = start_at(request).map_or(1450, |cursor| (cursor + 50).min(1450));
        let ids: Vec<i64> = (top - 99..=top).rev().filter(|&id| id > 1000).collect();
        let remaining = ids.last().map_or(0, |&low| low - 1001);
        Reply::json(200, steam_history(&ids, remaining, Some(450)))
    })
    .await;
    assert_every_honest_match_detailed(&api, 450).await;
}
