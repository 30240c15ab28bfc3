//! The schema, as an ordered list of migrations tracked by `PRAGMA user_version`.
//!
//! The table and column names are a public contract (ARCHITECTURE.md, "Schema"):
//! users query the file with `sqlite3`. Later migrations may only add, or
//! rewrite values without changing what they mean (V2).

use rusqlite::{Transaction, params};
use rusqlite_migration::{HookResult, M, Migrations};

use super::{games, lineups};
use crate::source::{compact_json, is_compact};

const V1: &str = "
CREATE TABLE matches (
    match_id           INTEGER PRIMARY KEY,
    match_seq_num      INTEGER NULL,
    has_details        INTEGER NULL,          -- NULL stub, 1 details saved, 0 last fetch failed
    retry_count        INTEGER NOT NULL DEFAULT 0,
    last_fetch_attempt TEXT NULL,             -- RFC 3339, UTC
    fetch_error        TEXT NULL,
    start_time         INTEGER,
    duration           INTEGER,
    game_mode          INTEGER,
    lobby_type         INTEGER,
    radiant_win        INTEGER,
    raw_data           TEXT,
    radiant_score      INTEGER,
    dire_score         INTEGER,
    fetched_at         TEXT NULL
);
CREATE INDEX matches_by_state ON matches(has_details, retry_count);

CREATE TABLE account_matches (
    account_id  INTEGER NOT NULL,
    match_id    INTEGER NOT NULL REFERENCES matches(match_id),
    player_slot INTEGER,
    hero_id     INTEGER,
    -- Copied from matches.start_time so an account's list is one index scan.
    start_time  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, match_id)
) WITHOUT ROWID;
CREATE INDEX account_matches_newest ON account_matches(account_id, start_time DESC, match_id DESC);
CREATE INDEX account_matches_by_match ON account_matches(match_id);

CREATE TABLE match_players (
    match_id     INTEGER NOT NULL REFERENCES matches(match_id),
    player_slot  INTEGER NOT NULL,
    account_id   INTEGER NULL,
    hero_id      INTEGER,
    kills        INTEGER,
    deaths       INTEGER,
    assists      INTEGER,
    last_hits    INTEGER,
    denies       INTEGER,
    gold_per_min INTEGER,
    xp_per_min   INTEGER,
    hero_damage  INTEGER,
    tower_damage INTEGER,
    hero_healing INTEGER,
    level        INTEGER,
    net_worth    INTEGER,
    item_0 INTEGER, item_1 INTEGER, item_2 INTEGER, item_3 INTEGER, item_4 INTEGER, item_5 INTEGER,
    backpack_0 INTEGER, backpack_1 INTEGER, backpack_2 INTEGER,
    item_neutral INTEGER,
    PRIMARY KEY (match_id, player_slot)
) WITHOUT ROWID;
CREATE INDEX match_players_by_account ON match_players(account_id);

CREATE TABLE players_encountered (
    account_id       INTEGER NOT NULL,
    other_account_id INTEGER NOT NULL,
    games            INTEGER NOT NULL DEFAULT 0,
    wins             INTEGER NOT NULL DEFAULT 0,
    last_played      INTEGER,
    PRIMARY KEY (account_id, other_account_id)
) WITHOUT ROWID;

CREATE TABLE sync_jobs (
    id                INTEGER PRIMARY KEY,
    account_id        INTEGER NOT NULL,
    started_at        TEXT NOT NULL,
    finished_at       TEXT NULL,
    phase             TEXT NOT NULL,
    status            TEXT NOT NULL,        -- running, completed, failed, interrupted, stopped
    total_matches     INTEGER NOT NULL DEFAULT 0,
    processed_matches INTEGER NOT NULL DEFAULT 0,
    new_matches       INTEGER NOT NULL DEFAULT 0,
    failed_matches    INTEGER NOT NULL DEFAULT 0,
    source            TEXT NULL,
    message           TEXT NULL
);
CREATE INDEX sync_jobs_by_account ON sync_jobs(account_id, id);
";

/// V2: nothing stored twice that nothing reads.
/// - `raw_data` without the whitespace outside strings (ARCHITECTURE.md, "Schema"). Rows
///   written before kept the API's text as sent, which Valve pretty-prints.
///   `raw_data_compaction` holds where the next batch starts, so that a
///   migration killed half-way resumes there; it is created only if missing
///   for that reason.
/// - `match_players_by_account` copied every player's account ID into an
///   index no query uses (teammates come from `players_encountered`), and
///   its random inserts were half of the pages each detail save rewrote.
const V2: &str = "
DROP INDEX IF EXISTS match_players_by_account;
CREATE TABLE IF NOT EXISTS raw_data_compaction (next_match_id INTEGER NOT NULL);
INSERT INTO raw_data_compaction (next_match_id)
    SELECT -9223372036854775808 WHERE NOT EXISTS (SELECT 1 FROM raw_data_compaction);
";

/// Rows compacted per committed batch: a few MB of old text at most.
const COMPACTION_BATCH: i64 = 500;

/// V3: which source supplied a match's details (`steam`, `opendota`), now
/// that one run draws from several.
const V3: &str = "
ALTER TABLE matches ADD COLUMN details_source TEXT NULL;
";

/// V4: the player-names cache (ARCHITECTURE.md, "Sources and limits"). `name`
/// NULL means "looked up, no name known"; `fetched_at` is unix seconds, so
/// that "older than a day" is one comparison.
const V4: &str = "
CREATE TABLE player_names (
    account_id INTEGER PRIMARY KEY,
    name       TEXT NULL,
    source     TEXT NOT NULL,
    fetched_at INTEGER NOT NULL
);
";

/// V6: `match_summaries`, the tracked player's line of each match as
/// OpenDota's history listed it (ARCHITECTURE.md, "Summaries"). Written in
/// phase 1 with the match's stub, rewritten by a later history, never
/// touched by details. A rowid table: its rows (~500 bytes, `heroes` most
/// of it) are too wide to sit in the key's B-tree. `IF NOT EXISTS`: a
/// file whose version was set back (tests of older files do) keeps it.
const V6: &str = "
CREATE TABLE IF NOT EXISTS match_summaries (
    account_id    INTEGER NOT NULL,
    match_id      INTEGER NOT NULL,
    source        TEXT,
    player_slot   INTEGER,
    radiant_win   INTEGER,
    start_time    INTEGER,
    duration      INTEGER,
    game_mode     INTEGER,
    lobby_type    INTEGER,
    hero_id       INTEGER,
    hero_variant  INTEGER,
    kills         INTEGER,
    deaths        INTEGER,
    assists       INTEGER,
    gold_per_min  INTEGER,
    xp_per_min    INTEGER,
    last_hits     INTEGER,
    denies        INTEGER,
    hero_damage   INTEGER,
    tower_damage  INTEGER,
    hero_healing  INTEGER,
    level         INTEGER,
    leaver_status INTEGER,
    party_size    INTEGER,
    lane_role     INTEGER,
    average_rank  INTEGER,
    item_0 INTEGER, item_1 INTEGER, item_2 INTEGER, item_3 INTEGER, item_4 INTEGER, item_5 INTEGER,
    item_neutral  INTEGER,
    heroes        TEXT,
    PRIMARY KEY (account_id, match_id)
);
";

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up_with_hook(V2, compact_raw_data),
        M::up(V3),
        M::up(V4),
        // V5: `account_games`, derived, filled from what is there
        // (ARCHITECTURE.md, "The TUI").
        M::up_with_hook(games::CREATE, |tx: &Transaction| Ok(games::backfill(tx)?)),
        M::up(V6),
        // V7: `account_games` rows from summaries, for matches without
        // details (ARCHITECTURE.md, "The TUI").
        M::up_with_hook(games::ADD_FROM_SUMMARY, |tx: &Transaction| {
            Ok(games::backfill_summaries(tx)?)
        }),
        // V8: `match_lineups`, derived, filled from the players saved
        // (store/lineups.rs).
        M::up_with_hook(lineups::CREATE, |tx: &Transaction| {
            Ok(lineups::backfill(tx)?)
        }),
    ])
}

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    8
}

/// Compacts every `raw_data`, a batch of rows at a time in match ID order.
///
/// rusqlite_migration runs all pending migrations in one transaction; on a
/// large database that would be one huge WAL transaction, all lost if the
/// process is killed. So each batch is committed, with the progress row, and
/// the rest goes on in a new transaction (the schema version changes only
/// when the last one commits). Rewriting a row changes none of its JSON, so
/// readers may see compacted and uncompacted rows side by side meanwhile.
fn compact_raw_data(tx: &Transaction) -> HookResult {
    loop {
        let start: i64 =
            tx.query_row("SELECT next_match_id FROM raw_data_compaction", [], |row| {
                row.get(0)
            })?;
        let rows: Vec<(i64, String)> = tx
            .prepare(
                "SELECT match_id, raw_data FROM matches
                  WHERE match_id >= ?1 AND raw_data IS NOT NULL
                  ORDER BY match_id LIMIT ?2",
            )?
            .query_map(params![start, COMPACTION_BATCH], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?
            .collect::<Result<_, _>>()?;
        let Some(&(last, _)) = rows.last() else { break };
        let mut update = tx.prepare("UPDATE matches SET raw_data = ?2 WHERE match_id = ?1")?;
        for (match_id, raw) in &rows {
            if !is_compact(raw) {
                update.execute(params![match_id, compact_json(raw)])?;
            }
        }
        drop(update);
        let Some(next) = last.checked_add(1) else {
            break;
        };
        tx.execute("UPDATE raw_data_compaction SET next_match_id = ?1", [next])?;
        tx.execute_batch("COMMIT; BEGIN IMMEDIATE;")?;
    }
    tx.execute_batch("DROP TABLE raw_data_compaction;")?;
    Ok(())
}
