//! `account_games`: one row per tracked account and detailed match with a
//! known winner, holding the tracked player's line and the match fields the
//! statistics read. It is derived: every row is what [`SELECT`] computes
//! from `account_matches`, `matches` and `match_players`, and the writer
//! refreshes a match's rows in the transaction that changes those tables,
//! so a reader never sees it disagree with them.
//!
//! Why it exists: the Overview, Heroes and Records tabs scan an account's
//! games. Joined at read time, each game is a B-tree descent into `matches`
//! (whose rows are wide, `raw_data` is inline) and one into `match_players`;
//! on 100,000 games that was 200 ms. Kept here, the scan is one range read
//! of a narrow table (ARCHITECTURE.md, "TUI statistics").

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

/// Fills the table from what the database holds (migration 5).
pub(super) fn backfill(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(&format!("INSERT INTO account_games {SELECT}"), [])?;
    Ok(())
}

/// Recomputes `match_id`'s rows, for every account linked to it. Called
/// after any write that can change what [`SELECT`] gives for the match: its
/// details saved, an account linked to it, its phase-1 fields filled in.
pub(super) fn refresh(tx: &Transaction<'_>, match_id: i64) -> rusqlite::Result<()> {
    static INSERT: LazyLock<String> =
        LazyLock::new(|| format!("INSERT INTO account_games {SELECT} AND am.match_id = ?1"));
    // Through `account_matches_by_match`, then the key: no index on
    // `account_games.match_id` to keep up.
    tx.prepare_cached(
        "DELETE FROM account_games
          WHERE match_id = ?1
            AND account_id IN (SELECT account_id FROM account_matches WHERE match_id = ?1)",
    )?
    .execute(params![match_id])?;
    tx.prepare_cached(&INSERT)?.execute(params![match_id])?;
    Ok(())
}
