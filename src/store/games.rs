//! `account_games`: one row per tracked account and match with a known
//! winner, holding the tracked player's line and the match fields the
//! statistics read: from the match's details where they are saved, else
//! from its summary (`from_summary` 1). It is derived: every row is what
//! [`SELECT`] or [`FROM_SUMMARY`] computes from `account_matches`,
//! `matches`, `match_players` and `match_summaries`, and the writer
//! refreshes a match's rows in the transaction that changes those tables,
//! so a reader never sees it disagree with them.
//!
//! Why it exists: the Overview, Heroes and Records tabs scan an account's
//! games. Joined at read time, each game is a B-tree descent into `matches`
//! (whose rows are wide, `raw_data` is inline) and one into `match_players`;
//! on 100,000 games that was 200 ms. Kept here, the scan is one range read
//! of a narrow table (ARCHITECTURE.md, "The TUI").

use std::sync::LazyLock;

use rusqlite::{Transaction, params};

/// Migration 5's table. The key puts an account's games side by side.
pub(super) const CREATE: &str = "
CREATE TABLE account_games (
    account_id   INTEGER NOT NULL,
    match_id     INTEGER NOT NULL,
    start_time   INTEGER NOT NULL,
    -- From the details, else from phase 1.
    hero_id      INTEGER,
    player_slot  INTEGER NOT NULL,
    radiant_win  INTEGER NOT NULL,
    kills        INTEGER,
    deaths       INTEGER,
    assists      INTEGER,
    gold_per_min INTEGER,
    xp_per_min   INTEGER,
    hero_damage  INTEGER,
    last_hits    INTEGER,
    duration     INTEGER,
    lobby_type   INTEGER,
    game_mode    INTEGER,
    PRIMARY KEY (account_id, match_id)
) WITHOUT ROWID;
";

/// Migration 7: which of the two a row comes from. Existing rows are all
/// details'; the hook then adds the summaries' ([`backfill_summaries`]).
pub(super) const ADD_FROM_SUMMARY: &str =
    "ALTER TABLE account_games ADD COLUMN from_summary INTEGER NOT NULL DEFAULT 0;";

/// The columns [`SELECT`] fills, named so that the same text works before
/// and after migration 7 (`from_summary` then defaults to 0).
const DETAILS_COLUMNS: &str = "account_id, match_id, start_time, hero_id, player_slot,
    radiant_win, kills, deaths, assists, gold_per_min, xp_per_min, hero_damage, last_hits,
    duration, lobby_type, game_mode";

/// What a row of `account_games` is: the tracked player found by the slot
/// phase 1 recorded, so an anonymous player still counts.
const SELECT: &str = "
SELECT am.account_id, am.match_id, am.start_time, coalesce(mp.hero_id, am.hero_id),
       am.player_slot, m.radiant_win, mp.kills, mp.deaths, mp.assists, mp.gold_per_min,
       mp.xp_per_min, mp.hero_damage, mp.last_hits, m.duration, m.lobby_type, m.game_mode
  FROM account_matches am
  JOIN matches m ON m.match_id = am.match_id
  LEFT JOIN match_players mp ON mp.match_id = am.match_id AND mp.player_slot = am.player_slot
 WHERE m.has_details = 1 AND m.radiant_win IS NOT NULL AND am.player_slot IS NOT NULL";

/// A row from a summary, for a match whose details give none (details
/// always win: the condition is [`SELECT`]'s, negated). The summary's own
/// fields first, phase 1's where it has none; the lobby as phase 1 saved
/// it where OpenDota left it out. Its result must be known.
const FROM_SUMMARY: &str = "
SELECT s.account_id, s.match_id, coalesce(s.start_time, am.start_time),
       coalesce(s.hero_id, am.hero_id), coalesce(s.player_slot, am.player_slot), s.radiant_win,
       s.kills, s.deaths, s.assists, s.gold_per_min, s.xp_per_min, s.hero_damage, s.last_hits,
       s.duration, coalesce(s.lobby_type, m.lobby_type), s.game_mode, 1
  FROM match_summaries s
  JOIN account_matches am ON am.account_id = s.account_id AND am.match_id = s.match_id
  JOIN matches m ON m.match_id = s.match_id
 WHERE s.radiant_win IS NOT NULL AND coalesce(s.player_slot, am.player_slot) IS NOT NULL
   AND NOT (m.has_details IS 1 AND m.radiant_win IS NOT NULL AND am.player_slot IS NOT NULL)";

/// Fills the table from what the database holds (migration 5).
pub(super) fn backfill(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        &format!("INSERT INTO account_games ({DETAILS_COLUMNS}) {SELECT}"),
        [],
    )?;
    Ok(())
}

/// Adds a row for every summary whose match has no details' row
/// (migration 7).
pub(super) fn backfill_summaries(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        &format!("INSERT INTO account_games ({DETAILS_COLUMNS}, from_summary) {FROM_SUMMARY}"),
        [],
    )?;
    Ok(())
}

/// Recomputes `match_id`'s rows, for every account linked to it. Called
/// after any write that can change what [`SELECT`] gives for the match: its
/// details saved, an account linked to it, its phase-1 fields filled in,
/// its summary saved or changed.
pub(super) fn refresh(tx: &Transaction<'_>, match_id: i64) -> rusqlite::Result<()> {
    static INSERT: LazyLock<String> = LazyLock::new(|| {
        format!("INSERT INTO account_games ({DETAILS_COLUMNS}) {SELECT} AND am.match_id = ?1")
    });
    static INSERT_SUMMARY: LazyLock<String> = LazyLock::new(|| {
        format!(
            "INSERT INTO account_games ({DETAILS_COLUMNS}, from_summary) {FROM_SUMMARY}
               AND s.match_id = ?1"
        )
    });
    // Through `account_matches_by_match`, then the key: no index on
    // `account_games.match_id` to keep up.
    tx.prepare_cached(
        "DELETE FROM account_games
          WHERE match_id = ?1
            AND account_id IN (SELECT account_id FROM account_matches WHERE match_id = ?1)",
    )?
    .execute(params![match_id])?;
    tx.prepare_cached(&INSERT)?.execute(params![match_id])?;
    tx.prepare_cached(&INSERT_SUMMARY)?
        .execute(params![match_id])?;
    Ok(())
}
