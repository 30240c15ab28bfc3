//! The hostile scenarios' server is the shared canned one
//! (`tests/support/canned_server.rs`); here are the Steam answers they
//! build with it.

pub use crate::canned_server::{Body, CannedServer as Hostile, Reply, Request};

/// A Steam history page of `ids` for `account_id` (slot 0, hero 1).
pub fn steam_history(ids: &[i64], remaining: i64, total: Option<i64>) -> String {
    let matches: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                r#"{{"match_id":{id},"match_seq_num":{},"start_time":{},"lobby_type":0,
                    "players":[{{"account_id":{ACCOUNT},"player_slot":0,"hero_id":1}}]}}"#,
                id * 10,
                1_700_000_000 + id
            )
        })
        .collect();
    let total = total.map_or(String::new(), |t| format!(r#""total_results":{t},"#));
    format!(
        r#"{{"result":{{"status":1,"num_results":{},{total}"results_remaining":{remaining},"matches":[{}]}}}}"#,
        ids.len(),
        matches.join(",")
    )
}

/// A Steam GetMatchDetails answer for `id`, with `players` as given.
pub fn steam_match(id: i64, players: &str) -> String {
    format!(
        r#"{{"result":{{"match_id":{id},"match_seq_num":{},"start_time":{},"duration":2000,
            "game_mode":22,"lobby_type":0,"radiant_win":true,"players":[{players}]}}}}"#,
        id * 10,
        1_700_000_000 + id
    )
}

/// Ten ordinary players, the tracked account in slot 0.
pub fn ten_players() -> String {
    let mut players = Vec::new();
    for i in 0..10 {
        let slot = if i < 5 { i } else { 128 + i - 5 };
        let account = if i == 0 { ACCOUNT } else { 1000 + i };
        players.push(format!(
            r#"{{"account_id":{account},"player_slot":{slot},"hero_id":{}}}"#,
            i + 1
        ));
    }
    players.join(",")
}

/// The account every hostile scenario syncs.
pub const ACCOUNT: i64 = 4242;
