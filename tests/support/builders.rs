//! Match and player builders shared by the unit tests in `src/`, the
//! integration tests (`tests/it`) and the benches: one file, included by
//! each with `#[path]` (`src/lib.rs` under `#[cfg(test)]`), so that a
//! new field of the model is filled in one place. Each builder fills what
//! a test rarely cares about with fixed, ordinary values; a test that does
//! care overrides them with struct update syntax
//! (`MatchDetails { duration: Some(60), ..match_details(..) }`).
#![allow(dead_code)]

use dota_sync::source::{HistoryEntry, MatchDetails, PlayerDetails};

/// The slots of a full match, in Valve's encoding: Radiant 0-4, Dire 128-132.
pub const TEN_SLOTS: [i64; 10] = [0, 1, 2, 3, 4, 128, 129, 130, 131, 132];

/// Phase 1's entry for one match of the tracked player: ranked matchmaking
/// (lobby type 7), their slot and hero.
pub fn history_entry(
    match_id: i64,
    match_seq_num: i64,
    start_time: i64,
    slot: i64,
    hero_id: i64,
) -> HistoryEntry {
    HistoryEntry {
        match_id,
        match_seq_num: Some(match_seq_num),
        start_time: Some(start_time),
        lobby_type: Some(7),
        player_slot: Some(slot),
        hero_id: Some(hero_id),
    }
}

/// Ten players, one in each of [`TEN_SLOTS`]: `player(index, slot)` builds
/// each (index 0-9); its `player_slot` is set to `slot` whatever it says.
pub fn ten_players(mut player: impl FnMut(i64, i64) -> PlayerDetails) -> Vec<PlayerDetails> {
    TEN_SLOTS
        .iter()
        .enumerate()
        .map(|(index, &slot)| PlayerDetails {
            player_slot: slot,
            ..player(index as i64, slot)
        })
        .collect()
}

/// A detailed match with these players: ranked All Pick (lobby type 7,
/// game mode 22), 40 minutes, 30-20 on kills, `raw_json` an empty object.
pub fn match_details(
    match_id: i64,
    match_seq_num: i64,
    start_time: i64,
    radiant_win: bool,
    players: Vec<PlayerDetails>,
) -> MatchDetails {
    MatchDetails {
        match_id,
        match_seq_num: Some(match_seq_num),
        start_time: Some(start_time),
        duration: Some(2_400),
        game_mode: Some(22),
        lobby_type: Some(7),
        radiant_win: Some(radiant_win),
        radiant_score: Some(30),
        dire_score: Some(20),
        players,
        raw_json: "{}".into(),
    }
}
