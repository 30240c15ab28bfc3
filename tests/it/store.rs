//! The store on real SQLite files in temp dirs.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::builders::{history_entry, match_details, ten_players};
use dota_sync::source::is_compact;
use dota_sync::source::model::{HistoryEntry, MatchDetails, PlayerDetails};
use dota_sync::store::stats::{Statistics, StatsCache};
use dota_sync::store::{
    Applied, ListFilter, MAX_ATTEMPTS, Pending, RowOutcome, Store, StoreError, WindowAnchor,
};

fn entry(match_id: i64, start_time: i64, slot: i64, hero: i64) -> HistoryEntry {
    history_entry(match_id, match_id * 10, start_time, slot, hero)
}

/// A match where accounts 1..=5 are Radiant (slots 0-4) and 11..=15 Dire.
fn details(match_id: i64, start_time: i64, radiant_win: bool) -> MatchDetails {
    let players = ten_players(|i, _| PlayerDetails {
        account_id: Some(if i < 5 { 1 + i } else { 11 + i - 5 }),
        hero_id: Some(10 + i),
        kills: Some(i),
        deaths: Some(1),
        assists: Some(2),
        ..PlayerDetails::default()
    });
    MatchDetails {
        raw_json: format!("{{\"match_id\":{match_id}}}"),
        ..match_details(match_id, match_id * 10, start_time, radiant_win, players)
    }
}

fn file_bytes(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap()
}

#[test]
fn refuses_a_file_that_is_not_sqlite_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    fs::write(&path, b"these are my notes, not a database\n".repeat(100)).unwrap();
    let before = file_bytes(&path);
    let error = Store::open(&path).err().expect("must refuse");
    assert!(
        matches!(error, StoreError::NotADatabase { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("notes.db") && !message.contains('\n'),
        "{message}"
    );
    assert_eq!(file_bytes(&path), before);
    assert!(!dir.path().join("notes.db-wal").exists());
}

#[test]
fn refuses_a_corrupt_database_with_a_valid_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corrupt.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xAB, 4096));
    fs::write(&path, &bytes).unwrap();
    let error = Store::open(&path).err().expect("must refuse");
    assert!(
        matches!(error, StoreError::NotADatabase { .. }),
        "{error:?}"
    );
    assert_eq!(file_bytes(&path), bytes);
}

#[test]
fn refuses_a_newer_schema_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE matches(match_id INTEGER PRIMARY KEY); PRAGMA user_version = 99;",
        )
        .unwrap();
    }
    let before = file_bytes(&path);
    let error = Store::open(&path).err().expect("must refuse");
    assert!(
        matches!(error, StoreError::NewerSchema { found: 99, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("future.db"));
    assert_eq!(file_bytes(&path), before);
    let error = Store::open_read_only(&path)
        .err()
        .expect("readers refuse too");
    assert!(matches!(error, StoreError::NewerSchema { .. }));
}

#[test]
fn refuses_a_read_only_file_and_a_read_only_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.db");
    Store::open(&path)
        .unwrap()
        .save_stubs(1, &[entry(5, 100, 0, 1)])
        .unwrap();
    // Checkpointed and closed: only the main file remains.
    let before = file_bytes(&path);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let error = Store::open(&path).err().expect("must refuse");
    assert!(matches!(error, StoreError::ReadOnly { .. }), "{error:?}");
    assert!(error.to_string().contains("ro.db"));
    assert_eq!(file_bytes(&path), before);

    let ro_dir = dir.path().join("locked");
    fs::create_dir(&ro_dir).unwrap();
    fs::set_permissions(&ro_dir, fs::Permissions::from_mode(0o555)).unwrap();
    let error = Store::open(&ro_dir.join("new.db"))
        .err()
        .expect("must refuse");
    assert!(matches!(error, StoreError::ReadOnly { .. }), "{error:?}");
    assert!(!ro_dir.join("new.db").exists());
    fs::set_permissions(&ro_dir, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn stubs_are_idempotent_and_linked_per_account() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let page = [
        entry(3, 300, 0, 1),
        entry(2, 200, 1, 2),
        entry(1, 100, 130, 3),
    ];
    assert_eq!(store.save_stubs(7, &page).unwrap(), 3);
    assert_eq!(store.save_stubs(7, &page).unwrap(), 0);
    assert_eq!(store.save_stubs(8, &page[..1]).unwrap(), 1);
    let counts = store.counts(None).unwrap();
    assert_eq!((counts.matches, counts.stubs, counts.detailed), (3, 3, 0));
    assert_eq!(store.counts(Some(8)).unwrap().matches, 1);
    let pending: Vec<i64> = store
        .pending(7, Pending::Due)
        .unwrap()
        .iter()
        .map(|m| m.match_id)
        .collect();
    assert_eq!(pending, vec![3, 2, 1], "newest first");
    assert_eq!(
        store.pending(7, Pending::Due).unwrap()[0].match_seq_num,
        Some(30)
    );
}

#[test]
fn details_fill_the_row_and_count_teammates_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    store.save_stubs(1, &[entry(10, 1000, 0, 10)]).unwrap();
    store.save_details(&details(10, 1000, true)).unwrap();
    store.save_details(&details(10, 1000, true)).unwrap();
    let counts = store.counts(Some(1)).unwrap();
    assert_eq!((counts.detailed, counts.stubs), (1, 0));
    let mates = store.teammates(1, 10).unwrap();
    assert_eq!(mates.len(), 4, "four Radiant teammates, no opponents");
    assert!(
        mates
            .iter()
            .all(|m| m.games == 1 && m.wins == 1 && m.last_played == Some(1000))
    );
    let view = store.match_view(10).unwrap().unwrap();
    assert_eq!(view.players.len(), 10);
    assert_eq!(view.has_details, Some(true));

    // A second tracked account linked after the details counts for itself.
    store.save_stubs(12, &[entry(10, 1000, 129, 16)]).unwrap();
    let mates = store.teammates(12, 10).unwrap();
    assert_eq!(mates.len(), 4);
    assert!(mates.iter().all(|m| m.games == 1 && m.wins == 0));
    store.save_stubs(12, &[entry(10, 1000, 129, 16)]).unwrap();
    assert!(
        store
            .teammates(12, 10)
            .unwrap()
            .iter()
            .all(|m| m.games == 1)
    );
}

#[test]
fn anonymous_tracked_player_is_found_by_phase_one_slot() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    store.save_stubs(99, &[entry(20, 2000, 2, 12)]).unwrap();
    let mut d = details(20, 2000, false);
    d.players[2].account_id = Some(4_294_967_295);
    store.save_details(&d).unwrap();
    let view = store.match_view(20).unwrap().unwrap();
    assert_eq!(view.players[2].account_id, None, "anonymous stored as NULL");
    let mates = store.teammates(99, 10).unwrap();
    assert_eq!(mates.len(), 4);
    assert!(mates.iter().all(|m| m.wins == 0));
}

#[test]
fn failures_count_attempts_give_up_and_never_undo_details() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    store
        .save_stubs(1, &[entry(30, 3000, 0, 1), entry(31, 3100, 0, 1)])
        .unwrap();
    for attempt in 1..=MAX_ATTEMPTS {
        let record = store.record_failure(30, "HTTP 500").unwrap().unwrap();
        assert_eq!(record.attempts, attempt);
        assert_eq!(record.given_up, attempt == MAX_ATTEMPTS);
    }
    let counts = store.counts(Some(1)).unwrap();
    assert_eq!((counts.given_up, counts.failed, counts.stubs), (1, 0, 1));
    assert_eq!(
        store.pending(1, Pending::Due).unwrap().len(),
        1,
        "given up is skipped"
    );
    assert_eq!(
        store
            .pending(1, Pending::Failed { given_up: true })
            .unwrap()
            .len(),
        1,
        "--all includes it"
    );
    assert_eq!(
        store.errors(1, 10).unwrap()[0].fetch_error.as_deref(),
        Some("HTTP 500")
    );
    // A stub an API error left is a failure a retry takes (issue 18); a
    // stub never tried is not.
    store.record_outage(31, "HTTP 503 (server error)").unwrap();
    let retry: Vec<i64> = store
        .pending(1, Pending::Failed { given_up: false })
        .unwrap()
        .iter()
        .map(|m| m.match_id)
        .collect();
    assert_eq!(retry, [31]);
    assert_eq!(store.reset_attempts(1, None).unwrap(), 1);
    assert_eq!(store.counts(Some(1)).unwrap().failed, 1);

    store.save_details(&details(31, 3100, true)).unwrap();
    assert_eq!(store.record_failure(31, "late").unwrap(), None);
    assert_eq!(store.counts(Some(1)).unwrap().detailed, 1);
}

#[test]
fn windows_page_by_key_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let entries: Vec<_> = (1..=50).map(|i| entry(i, i * 100, 0, i % 5 + 1)).collect();
    store.save_stubs(1, &entries).unwrap();
    let none = ListFilter::none();
    let first = store
        .match_window(1, &none, WindowAnchor::Newest, 10)
        .unwrap();
    assert_eq!(
        first.iter().map(|r| r.match_id).collect::<Vec<_>>(),
        (41..=50).rev().collect::<Vec<_>>()
    );
    let next = store
        .match_window(1, &none, WindowAnchor::OlderThan(first[9].key()), 10)
        .unwrap();
    assert_eq!(next[0].match_id, 40);
    let back = store
        .match_window(1, &none, WindowAnchor::NewerThan(next[0].key()), 3)
        .unwrap();
    assert_eq!(
        back.iter().map(|r| r.match_id).collect::<Vec<_>>(),
        vec![43, 42, 41]
    );
    let last = store
        .match_window(1, &none, WindowAnchor::Oldest, 3)
        .unwrap();
    assert_eq!(
        last.iter().map(|r| r.match_id).collect::<Vec<_>>(),
        vec![3, 2, 1]
    );
    assert_eq!(store.match_position(1, &none, next[0].key()).unwrap(), 10);
    assert_eq!(store.match_count(1, &none).unwrap(), 50);

    let by_hero = ListFilter::new("some hero", vec![2]);
    assert_eq!(store.match_count(1, &by_hero).unwrap(), 10);
    let by_id = ListFilter::new("4", vec![]);
    let ids: Vec<i64> = store
        .match_window(1, &by_id, WindowAnchor::Newest, 50)
        .unwrap()
        .iter()
        .map(|r| r.match_id)
        .collect();
    assert_eq!(ids, vec![49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 4]);
}

#[test]
fn interrupted_jobs_are_closed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut store = Store::open(&path).unwrap();
    let first = store.start_job(1, "steam", "collect").unwrap();
    drop(store);
    let mut store = Store::open(&path).unwrap();
    let second = store.start_job(1, "steam", "collect").unwrap();
    let status: String = store
        .connection()
        .query_row("SELECT status FROM sync_jobs WHERE id = ?1", [first], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "interrupted");
    assert_eq!(store.last_job(Some(1)).unwrap().unwrap().id, second);
}

#[test]
fn a_batch_applies_every_outcome_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let stubs: Vec<_> = (40..45).map(|id| entry(id, id * 100, 0, 1)).collect();
    store.save_stubs(1, &stubs).unwrap();
    store.save_details(&details(44, 4400, true)).unwrap();
    let saved = [details(40, 4000, true), details(41, 4100, false)];
    let applied = store
        .apply_batch(&[
            RowOutcome::Saved(&saved[0]),
            RowOutcome::Failed {
                match_id: 42,
                reason: "HTTP 404",
            },
            RowOutcome::Saved(&saved[1]),
            RowOutcome::Failed {
                match_id: 44,
                reason: "late",
            },
            // Fetched twice in one batch: counted once.
            RowOutcome::Saved(&saved[0]),
        ])
        .unwrap();
    assert_eq!(applied[0], Applied::Saved);
    let failed = applied[1].failure().unwrap();
    assert_eq!((failed.attempts, failed.given_up), (1, false));
    assert_eq!(applied[2], Applied::Saved);
    assert_eq!(
        applied[3],
        Applied::Failed(None),
        "details are never undone"
    );
    assert_eq!(applied[4], Applied::Saved);
    let counts = store.counts(Some(1)).unwrap();
    assert_eq!((counts.detailed, counts.failed, counts.stubs), (3, 1, 1));
    // Account 1 is in Radiant slot 0 of all three detailed matches: 40 and
    // 44 won, 41 lost.
    let mates = store.teammates(1, 10).unwrap();
    assert_eq!(mates.len(), 4);
    assert!(
        mates.iter().all(|m| (m.games, m.wins) == (3, 2)),
        "{mates:?}"
    );
    let teammate_rows: i64 = store
        .connection()
        .query_row("SELECT sum(games) FROM players_encountered", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(teammate_rows, 12);
}

#[test]
fn saved_raw_data_is_the_text_given() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let mut d = details(50, 5000, true);
    d.raw_json = r#"{"match_id":50,"radiant_logo":18446744073709551615,"gold":1.50e3}"#.into();
    store.apply_batch(&[RowOutcome::Saved(&d)]).unwrap();
    let raw: String = store
        .connection()
        .query_row(
            "SELECT raw_data FROM matches WHERE match_id = 50",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(raw, d.raw_json);
}

/// Turns a current database back into a schema-1 one holding Valve-indented
/// `raw_data`, as a build before compaction left it; `resume_at`: as if a
/// compaction had been killed before reaching that match.
fn make_schema_1_with_indented_rows(path: &Path, rows: i64, resume_at: Option<i64>) {
    let store = Store::open(path).unwrap();
    let conn = store.connection();
    for id in 1..=rows {
        let raw = format!(
            "{{\n  \"match_id\":{id},\n  \"name\":\"a  b\",\n  \"players\":[\n    {{\n      \"player_slot\":0\n    }}\n  ]\n,\n  \"radiant_logo\":18446744073709551615\n}}"
        );
        conn.execute(
            "INSERT INTO matches (match_id, has_details, raw_data) VALUES (?1, 1, ?2)",
            rusqlite::params![id, raw],
        )
        .unwrap();
    }
    if let Some(next) = resume_at {
        conn.execute_batch(&format!(
            "CREATE TABLE raw_data_compaction (next_match_id INTEGER NOT NULL);
             INSERT INTO raw_data_compaction VALUES ({next});"
        ))
        .unwrap();
    }
    // Schema 1's index of players by account, which V2 drops; no column V3
    // adds, no table V4 or V5 adds.
    conn.execute_batch(
        "CREATE INDEX match_players_by_account ON match_players(account_id);
         ALTER TABLE matches DROP COLUMN details_source;
         DROP TABLE player_names;
         DROP TABLE account_games;",
    )
    .unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
}

fn raw_rows(store: &Store) -> Vec<(i64, String)> {
    store
        .connection()
        .prepare("SELECT match_id, raw_data FROM matches ORDER BY match_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn schema_version_and_leftovers(store: &Store) -> (i64, i64) {
    let conn = store.connection();
    let version = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let leftovers = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master
              WHERE name IN ('raw_data_compaction', 'match_players_by_account')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    (version, leftovers)
}

#[test]
fn opening_an_old_database_compacts_its_raw_data_in_batches() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    // More rows than one batch holds.
    make_schema_1_with_indented_rows(&path, 1_234, None);
    let store = Store::open(&path).unwrap();
    assert_eq!(schema_version_and_leftovers(&store), (8, 0));
    let rows = raw_rows(&store);
    assert_eq!(rows.len(), 1_234);
    for (id, raw) in rows {
        assert_eq!(
            raw,
            format!(
                r#"{{"match_id":{id},"name":"a  b","players":[{{"player_slot":0}}],"radiant_logo":18446744073709551615}}"#
            )
        );
    }
}

#[test]
fn a_compaction_cut_short_resumes_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("half.db");
    make_schema_1_with_indented_rows(&path, 800, Some(600));
    let store = Store::open(&path).unwrap();
    assert_eq!(schema_version_and_leftovers(&store), (8, 0));
    for (id, raw) in raw_rows(&store) {
        // Rows below the mark were done by the run that was cut short (here
        // left indented to show they are not read again).
        assert_eq!(is_compact(&raw), id >= 600, "match {id}");
    }
}

/// `account_games` as the tables it is derived from say it must be, computed
/// here independently of the store's own query: per tracked account, its
/// detailed matches with a winner and a phase-1 slot, with the line of the
/// player in that slot.
fn derived_games(conn: &rusqlite::Connection) -> Vec<Vec<rusqlite::types::Value>> {
    let mut out = Vec::new();
    let ints = |sql: &str, params: &[i64]| -> Vec<Vec<Option<i64>>> {
        let mut stmt = conn.prepare(sql).unwrap();
        let columns = stmt.column_count();
        stmt.query_map(rusqlite::params_from_iter(params), |r| {
            (0..columns).map(|i| r.get(i)).collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let links = ints(
        "SELECT account_id, match_id, start_time, player_slot, hero_id FROM account_matches ORDER BY 1, 2",
        &[],
    );
    for link in links {
        let [
            Some(account),
            Some(match_id),
            Some(start_time),
            slot,
            phase1_hero,
        ] = link[..]
        else {
            panic!("a link without its key: {link:?}");
        };
        let Some(slot) = slot else { continue };
        let row = ints(
            "SELECT has_details, radiant_win, duration, lobby_type, game_mode FROM matches WHERE match_id = ?1",
            &[match_id],
        );
        let [Some(1), Some(radiant_win), duration, lobby, mode] = row[0][..] else {
            continue;
        };
        let line: Vec<Option<i64>> = conn
            .query_row(
                "SELECT hero_id, kills, deaths, assists, gold_per_min, xp_per_min, hero_damage, last_hits
                   FROM match_players WHERE match_id = ?1 AND player_slot = ?2",
                [match_id, slot],
                |r| (0..8).map(|i| r.get(i)).collect(),
            )
            .unwrap_or_else(|_| vec![None; 8]);
        use rusqlite::types::Value;
        let int = |v: Option<i64>| v.map_or(Value::Null, Value::Integer);
        let mut row = vec![
            Value::Integer(account),
            Value::Integer(match_id),
            Value::Integer(start_time),
            int(line[0].or(phase1_hero)),
            Value::Integer(slot),
            Value::Integer(radiant_win),
        ];
        row.extend(line[1..].iter().map(|&v| int(v)));
        // `from_summary`: these matches have no summaries.
        row.extend([int(duration), int(lobby), int(mode), Value::Integer(0)]);
        out.push(row);
    }
    out
}

fn stored_games(conn: &rusqlite::Connection) -> Vec<Vec<rusqlite::types::Value>> {
    let mut stmt = conn
        .prepare("SELECT * FROM account_games ORDER BY account_id, match_id")
        .unwrap();
    let columns = stmt.column_count();
    stmt.query_map([], |r| (0..columns).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[track_caller]
fn assert_games_derived(store: &Store, step: &str) {
    let conn = store.connection();
    assert_eq!(stored_games(conn), derived_games(conn), "after {step}");
}

#[test]
fn account_games_follow_every_write_that_changes_what_they_derive_from() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("games.db")).unwrap();
    // Account 1 (Radiant slot 0) lists three matches (the third without a
    // lobby type); two get details.
    let mut no_lobby_yet = entry(102, 3_000, 0, 10);
    no_lobby_yet.lobby_type = None;
    store
        .save_stubs(
            1,
            &[
                entry(100, 1_000, 0, 10),
                entry(101, 2_000, 0, 10),
                no_lobby_yet,
            ],
        )
        .unwrap();
    assert_games_derived(&store, "stubs");
    assert_eq!(
        stored_games(store.connection()).len(),
        0,
        "stubs are no games"
    );
    store.save_details(&details(100, 1_000, true)).unwrap();
    store.save_details(&details(101, 2_000, false)).unwrap();
    assert_games_derived(&store, "details");
    assert_eq!(stored_games(store.connection()).len(), 2);

    // Account 12 (Dire slot 129) is linked to a match already detailed.
    store.save_stubs(12, &[entry(101, 2_000, 129, 16)]).unwrap();
    assert_games_derived(&store, "a second account linked to a detailed match");
    assert_eq!(stored_games(store.connection()).len(), 3);

    // Details fetched again: other numbers, then no winner at all.
    let mut again = details(100, 1_000, false);
    again.players[0].kills = Some(42);
    again.duration = Some(999);
    store.save_details(&again).unwrap();
    assert_games_derived(&store, "details saved again");
    let mut undecided = details(101, 2_000, false);
    undecided.radiant_win = None;
    store.save_details(&undecided).unwrap();
    assert_games_derived(&store, "a match that lost its winner");
    assert_eq!(stored_games(store.connection()).len(), 1);

    // Details without a lobby type, filled in by a later history page.
    let mut no_lobby = details(102, 3_000, true);
    no_lobby.lobby_type = None;
    store.save_details(&no_lobby).unwrap();
    assert_games_derived(&store, "details without a lobby");
    let mut page = entry(102, 3_000, 0, 10);
    page.lobby_type = Some(0);
    store.save_stubs(1, &[page]).unwrap();
    assert_games_derived(&store, "the lobby filled in by phase 1");
    let lobby: Option<i64> = store
        .connection()
        .query_row(
            "SELECT lobby_type FROM account_games WHERE match_id = 102",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(lobby, Some(0));

    // A failure never takes a game away.
    store.record_failure(100, "timed out").unwrap();
    assert_games_derived(&store, "a failure on a detailed match");
}

#[test]
fn an_older_database_gains_its_account_games_even_when_a_reader_opens_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    {
        let mut store = Store::open(&path).unwrap();
        store
            .save_stubs(1, &[entry(100, 1_000, 0, 10), entry(101, 2_000, 3, 13)])
            .unwrap();
        store.save_details(&details(100, 1_000, true)).unwrap();
        store.save_details(&details(101, 2_000, false)).unwrap();
        // As schema 4 left it.
        store
            .connection()
            .execute_batch("DROP TABLE account_games; PRAGMA user_version = 4;")
            .unwrap();
    }
    let reader = Store::open_read_only(&path).expect("a reader opens an older file");
    assert_eq!(schema_version_and_leftovers(&reader).0, 8);
    assert_games_derived(&reader, "migration 5");
    assert_eq!(stored_games(reader.connection()).len(), 2);
    let cache = StatsCache::default();
    let heroes = Statistics::new(&reader, &cache)
        .hero_stats(1, &Default::default())
        .unwrap();
    assert_eq!(heroes.iter().map(|h| h.record.games).sum::<u64>(), 2);
}

#[test]
fn a_read_only_older_database_says_so_and_stays_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let store = Store::open(&path).unwrap();
        store
            .connection()
            .execute_batch(
                "DROP TABLE account_games; PRAGMA user_version = 4; PRAGMA journal_mode = DELETE;",
            )
            .unwrap();
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let before = file_bytes(&path);
    let error = Store::open_read_only(&path).err().expect("cannot migrate");
    assert!(matches!(error, StoreError::ReadOnly { .. }), "{error:?}");
    assert!(!error.to_string().contains('\n'));
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn two_lines_in_one_slot_keep_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    store.save_stubs(1, &[entry(10, 1000, 0, 10)]).unwrap();
    let mut match_10 = details(10, 1000, true);
    let mut twin = match_10.players[3].clone();
    twin.hero_id = Some(99);
    match_10.players.push(twin);
    store.save_details(&match_10).unwrap();
    let view = store.match_view(10).unwrap().unwrap();
    assert_eq!(view.players.len(), 10);
    let heroes: Vec<Option<i64>> = view.players.iter().map(|p| p.hero_id).collect();
    assert!(
        heroes.contains(&Some(99)) && !heroes.contains(&Some(13)),
        "{heroes:?}"
    );
}

/// A match whose text is 40 KB, ten WAL pages of its own.
fn bulky_details(match_id: i64) -> MatchDetails {
    MatchDetails {
        raw_json: format!(
            "{{\"match_id\":{match_id},\"pad\":\"{}\"}}",
            "x".repeat(40_000)
        ),
        ..details(match_id, match_id * 100, true)
    }
}

/// Saves matches `ids` one commit each: 10 pages a commit, so 150 of them
/// take the WAL past SQLite's 1,000-page checkpoint mark.
fn save_bulky(store: &mut Store, ids: std::ops::Range<i64>) {
    let stubs: Vec<_> = ids.clone().map(|id| entry(id, id * 100, 0, 1)).collect();
    store.save_stubs(1, &stubs).unwrap();
    for id in ids {
        store.save_details(&bulky_details(id)).unwrap();
    }
}

fn main_file_len(path: &Path) -> u64 {
    fs::metadata(path).unwrap().len()
}

#[test]
fn commits_checkpoint_as_sqlite_does_unless_their_thread_defers() {
    let dir = tempfile::tempdir().unwrap();
    // SQLite's rule: a commit past 1,000 pages copies the WAL into the file.
    let plain = dir.path().join("plain.db");
    let mut store = Store::open(&plain).unwrap();
    save_bulky(&mut store, 1..151);
    assert!(!dota_sync::store::checkpoint::due(), "nothing defers here");
    assert!(
        main_file_len(&plain) > 4 << 20,
        "the commits checkpointed: {} bytes in the file",
        main_file_len(&plain)
    );

    // A deferring thread: its commits leave the WAL alone until it says so.
    let deferred = dir.path().join("deferred.db");
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let _deferral = dota_sync::store::checkpoint::defer_on_this_thread();
            let mut store = Store::open(&deferred).unwrap();
            let migrated = main_file_len(&deferred);
            save_bulky(&mut store, 1..151);
            assert!(dota_sync::store::checkpoint::due());
            assert_eq!(main_file_len(&deferred), migrated, "no commit checkpointed");
            // Every row is there for a reader all the same.
            let reader = Store::open_read_only(&deferred).unwrap();
            assert_eq!(reader.counts(Some(1)).unwrap().detailed, 150);
            drop(reader);

            store.checkpoint().unwrap();
            assert!(!dota_sync::store::checkpoint::due());
            assert!(main_file_len(&deferred) > 4 << 20);
            save_bulky(&mut store, 151..153);
            assert!(!dota_sync::store::checkpoint::due(), "20 pages are not due");
        });
    });
    // The deferral ended with its thread's guard; this thread never had one.
    assert!(!dota_sync::store::checkpoint::due());
}
