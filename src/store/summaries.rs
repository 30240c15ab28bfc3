//! Writes to `match_summaries`: the tracked player's line of each match as
//! a history listed it (ARCHITECTURE.md, "Summaries"). A summary is saved in
//! the transaction that saves its stub and rewritten when a later history
//! brings the row again; details never touch it, and it never touches
//! `matches`, `match_players` or `players_encountered`.

use std::sync::LazyLock;

use rusqlite::{Transaction, params};

use crate::source::MatchSummary;
use crate::source::model::SUMMARY_FIELDS;

/// The columns after the key, in the table's order: the source, then the
/// fields every history row has, then the summary's own.
fn columns() -> impl Iterator<Item = &'static str> {
    ["source", "player_slot", "radiant_win"]
        .into_iter()
        .chain(SUMMARY_FIELDS)
}

/// Inserts a summary, or rewrites it if any column changed: a history
/// brought again as it was leaves its pages alone (no WAL frames for a
/// re-sync of 100,000 unchanged rows).
static UPSERT: LazyLock<String> = LazyLock::new(|| {
    let list = columns().collect::<Vec<_>>().join(", ");
    let values: Vec<String> = (3..columns().count() + 3)
        .map(|i| format!("?{i}"))
        .collect();
    let set: Vec<String> = columns().map(|c| format!("{c} = excluded.{c}")).collect();
    let old: Vec<String> = columns().map(|c| format!("match_summaries.{c}")).collect();
    let new: Vec<String> = columns().map(|c| format!("excluded.{c}")).collect();
    format!(
        "INSERT INTO match_summaries (account_id, match_id, {list})
         VALUES (?1, ?2, {})
         ON CONFLICT(account_id, match_id) DO UPDATE SET {}
          WHERE ({}) IS NOT ({})",
        values.join(", "),
        set.join(", "),
        old.join(", "),
        new.join(", ")
    )
});

/// Saves `summary` as `account_id`'s line of its match, from `source`;
/// whether a row was written (then the match's `account_games` rows may
/// change).
pub(super) fn upsert(
    tx: &Transaction<'_>,
    account_id: u32,
    source: &str,
    s: &MatchSummary,
) -> rusqlite::Result<bool> {
    let written = tx.prepare_cached(&UPSERT)?.execute(params![
        account_id,
        s.match_id,
        source,
        s.player_slot,
        s.radiant_win,
        s.start_time,
        s.duration,
        s.game_mode,
        s.lobby_type,
        s.hero_id,
        s.hero_variant,
        s.kills,
        s.deaths,
        s.assists,
        s.gold_per_min,
        s.xp_per_min,
        s.last_hits,
        s.denies,
        s.hero_damage,
        s.tower_damage,
        s.hero_healing,
        s.level,
        s.leaver_status,
        s.party_size,
        s.lane_role,
        s.average_rank,
        s.items[0],
        s.items[1],
        s.items[2],
        s.items[3],
        s.items[4],
        s.items[5],
        s.item_neutral,
        s.heroes,
    ])?;
    Ok(written == 1)
}
