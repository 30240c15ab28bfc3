//! The schema, as an ordered list of migrations tracked by `PRAGMA user_version`.
//!
//! The table and column names are a public contract (ARCHITECTURE.md, "Schema"): users query
//! the file with `sqlite3`. Later migrations may only add.

use rusqlite_migration::{M, Migrations};

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

/// Which source supplied a match's details (`steam`, `opendota`), now that
/// one run draws from several.
const V2_DETAILS_SOURCE: &str = "
ALTER TABLE matches ADD COLUMN details_source TEXT NULL;
";

const MIGRATIONS: &[&str] = &[V1, V2_DETAILS_SOURCE];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
