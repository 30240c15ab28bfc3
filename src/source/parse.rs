//! Pure functions from API JSON to the normalized model.
//!
//! The APIs are loose: every field may be missing (bots, old trimmed matches),
//! numbers may not fit the type one expects (team logos are full u64 values),
//! `radiant_win` is a bool or 0/1, and some errors arrive as HTTP 200 bodies.
//! So nothing here is deserialized into strict structs: each field is read on
//! its own and a field we cannot read becomes `None`. Only what makes a match
//! unusable (no `match_id`, `players` not a list) is an error.
//!
//! Match details, the hot path of phase 2, are read from the body bytes
//! (`*_body`): first by the lenient typed structs of [`super::wire`], which
//! keep the match object's text verbatim, and only when those decline, by the
//! `Value` readers below. So the `Value` readers still decide every error.

use serde_json::{Map, Value};

use super::FetchError;
use super::http::parse_json_body;
use super::model::{
    ANONYMOUS_ACCOUNT_ID, HistoryCursor, HistoryEntry, HistoryPage, MatchDetails, PlayerDetails,
};
use super::wire;
use crate::steam_id::account_id_from_steam_id64;

/// Steam's `result.status` for "this player's match history is private".
const STEAM_STATUS_PRIVATE: i64 = 15;
/// Steam's `result.status` for success.
const STEAM_STATUS_OK: i64 = 1;
/// `GetMatchHistory` reaches only this many recent matches without filters.
const STEAM_HISTORY_CAP: i64 = 500;
/// `ResolveVanityURL`'s `success` when no profile has that name.
const VANITY_NO_MATCH: i64 = 42;

/// A Steam match object: `GetMatchDetails`' `result`, or one element of
/// `GetMatchHistoryBySequenceNum`'s `matches`.
pub fn steam_match(value: &Value) -> Result<MatchDetails, FetchError> {
    match_object(value)
}

/// An OpenDota `/matches/{id}` body. Its top level and player lines use
/// Valve's field names (plus computed extras we leave in `raw_json`);
/// anonymous players have `account_id: null`.
pub fn opendota_match(value: &Value) -> Result<MatchDetails, FetchError> {
    match_object(value)
}

/// A `GetMatchDetails` body: `{"result": {match}}`, or a 200 that carries an
/// error (`{"result":{"error":"Match ID not found"}}`, or a non-1 `status`).
pub fn steam_details_reply(value: &Value, asked: i64) -> Result<MatchDetails, FetchError> {
    let result = steam_result(value)?;
    if let Some(error) = steam_match_error(result) {
        return Err(error);
    }
    expect_match(steam_match(&value["result"])?, asked)
}

/// A `GetMatchHistoryBySequenceNum` body asked for one match at its sequence
/// number. The endpoint returns whatever match has that number (or the next
/// one), so the ID is checked against `asked`.
pub fn steam_sequence_reply(value: &Value, asked: i64) -> Result<MatchDetails, FetchError> {
    let result = steam_result(value)?;
    if let Some(error) = steam_match_error(result) {
        return Err(error);
    }
    let first = match result.get("matches") {
        Some(Value::Array(matches)) => matches.first(),
        None | Some(Value::Null) => None,
        Some(_) => return Err(malformed("`matches` is not a list")),
    };
    let first = first.ok_or_else(|| match_api("Match ID not found"))?;
    expect_match(steam_match(first)?, asked)
}

/// An OpenDota `/matches/{id}` body, checked against the ID asked for. A body
/// with an `error` and no match is OpenDota's per-match failure.
pub fn opendota_details_reply(value: &Value, asked: i64) -> Result<MatchDetails, FetchError> {
    let error_instead_of_match = value
        .as_object()
        .filter(|object| object.get("match_id").is_none())
        .and_then(|object| object.get("error"))
        .and_then(Value::as_str);
    if let Some(message) = error_instead_of_match {
        return Err(match_api(message));
    }
    expect_match(opendota_match(value)?, asked)
}

/// A `GetMatchDetails` body as bytes: [`steam_details_reply`], without
/// building a `Value` when the body is a healthy match.
pub fn steam_details_body(body: &[u8], asked: i64) -> Result<MatchDetails, FetchError> {
    fast_or_value(body, asked, wire::steam_details, steam_details_reply)
}

/// A `GetMatchHistoryBySequenceNum` body as bytes: [`steam_sequence_reply`],
/// without building a `Value` when the first match is healthy.
pub fn steam_sequence_body(body: &[u8], asked: i64) -> Result<MatchDetails, FetchError> {
    fast_or_value(body, asked, wire::steam_sequence, steam_sequence_reply)
}

/// An OpenDota `/matches/{id}` body as bytes: [`opendota_details_reply`],
/// without building a `Value` when the body is a healthy match.
pub fn opendota_details_body(body: &[u8], asked: i64) -> Result<MatchDetails, FetchError> {
    fast_or_value(body, asked, wire::opendota_match, opendota_details_reply)
}

/// The typed reader's match when it has one; otherwise the body is parsed
/// into a `Value` (HTML and broken JSON are reported there, as for every
/// other endpoint) and `by_value` decides.
fn fast_or_value(
    body: &[u8],
    asked: i64,
    fast: fn(&str) -> Option<MatchDetails>,
    by_value: fn(&Value, i64) -> Result<MatchDetails, FetchError>,
) -> Result<MatchDetails, FetchError> {
    match wire::json_text(body).and_then(fast) {
        Some(details) => expect_match(details, asked),
        None => by_value(&parse_json_body(body)?, asked),
    }
}

/// One `GetMatchHistory` page for `account_id`.
pub fn steam_history_page(value: &Value, account_id: u32) -> Result<HistoryPage, FetchError> {
    let result = steam_result(value)?;
    match int(result, "status") {
        Some(STEAM_STATUS_PRIVATE) => return Err(FetchError::PrivateProfile),
        Some(status) if status != STEAM_STATUS_OK => {
            return Err(steam_status_error(result, status));
        }
        _ => {}
    }
    let matches = match result.get("matches") {
        Some(Value::Array(matches)) => matches.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => return Err(malformed("`matches` is not a list")),
    };
    let entries: Vec<HistoryEntry> = matches
        .iter()
        .filter_map(|entry| steam_history_entry(entry, account_id))
        .collect();

    let exhausted = entries.is_empty() || int(result, "results_remaining") == Some(0);
    // `start_at_match_id` is inclusive: start one below the oldest seen.
    let next = if exhausted {
        None
    } else {
        entries
            .iter()
            .map(|entry| entry.match_id)
            .min()
            .filter(|&oldest| oldest > 1)
            .map(|oldest| HistoryCursor::StartAtMatchId(oldest - 1))
    };
    // Steam reports min(total, 500): exactly 500 means the rest is out of reach.
    let capped = int(result, "total_results").is_some_and(|total| total == STEAM_HISTORY_CAP);
    Ok(HistoryPage {
        entries,
        next,
        capped,
        total: int(result, "total_results").and_then(|total| u64::try_from(total).ok()),
    })
}

/// OpenDota's `/players/{id}/matches` rows: the whole history at once. Rows
/// here are the tracked player's, so their slot and hero are the player's.
pub fn opendota_history(value: &Value) -> Result<Vec<HistoryEntry>, FetchError> {
    let rows = match value {
        Value::Array(rows) => rows,
        Value::Object(object) => {
            if let Some(message) = object.get("error").and_then(Value::as_str) {
                return Err(match_api(message));
            }
            return Err(malformed("match history is not a list"));
        }
        _ => return Err(malformed("match history is not a list")),
    };
    Ok(rows
        .iter()
        .filter_map(|row| {
            let row = row.as_object()?;
            let Some(match_id) = int(row, "match_id") else {
                tracing::warn!("skipping an OpenDota history row without a match_id");
                return None;
            };
            Some(HistoryEntry {
                match_id,
                match_seq_num: int(row, "match_seq_num"),
                start_time: int(row, "start_time"),
                lobby_type: int(row, "lobby_type"),
                player_slot: int(row, "player_slot"),
                hero_id: int(row, "hero_id"),
            })
        })
        .collect())
}

/// A `ResolveVanityURL` body: the account ID, or `None` when no profile has
/// that custom URL.
pub fn steam_vanity_reply(value: &Value) -> Result<Option<u32>, FetchError> {
    let response = value
        .get("response")
        .and_then(Value::as_object)
        .ok_or_else(|| malformed("no `response` object"))?;
    match int(response, "success") {
        Some(STEAM_STATUS_OK) => {
            let steam_id = response
                .get("steamid")
                .and_then(|id| match id {
                    Value::String(text) => text.trim().parse::<u64>().ok(),
                    other => other.as_u64(),
                })
                .ok_or_else(|| malformed("`steamid` is missing or not a number"))?;
            account_id_from_steam_id64(steam_id)
                .map(Some)
                .ok_or_else(|| malformed("`steamid` is not an individual account"))
        }
        Some(VANITY_NO_MATCH) => Ok(None),
        other => {
            let message = response
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| match other {
                    Some(code) => format!("could not resolve the profile name (success {code})"),
                    None => "could not resolve the profile name".to_string(),
                });
            Err(FetchError::MatchApi { message })
        }
    }
}

/// The shared reader of a match object in Valve's field names.
fn match_object(value: &Value) -> Result<MatchDetails, FetchError> {
    let object = value
        .as_object()
        .ok_or_else(|| malformed("match is not an object"))?;
    let match_id = int(object, "match_id").ok_or_else(|| malformed("match has no match_id"))?;
    let players = match object.get("players") {
        Some(Value::Array(players)) => players.iter().map(player).collect::<Result<Vec<_>, _>>()?,
        // Every field is optional; a match without a player list still has
        // an ID and a result worth keeping.
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return Err(malformed("`players` is not a list")),
    };
    // serde_json keeps u64 and i64 exactly, so logos survive the round trip.
    // (The `*_body` readers keep the API's own text instead.)
    let raw_json = serde_json::to_string(value)
        .map_err(|_| malformed("match could not be serialized back"))?;
    Ok(MatchDetails {
        match_id,
        match_seq_num: int(object, "match_seq_num"),
        start_time: int(object, "start_time"),
        duration: int(object, "duration"),
        game_mode: int(object, "game_mode"),
        lobby_type: int(object, "lobby_type"),
        radiant_win: flag(object, "radiant_win"),
        radiant_score: int(object, "radiant_score"),
        dire_score: int(object, "dire_score"),
        players,
        raw_json,
    })
}

fn player(value: &Value) -> Result<PlayerDetails, FetchError> {
    let object = value
        .as_object()
        .ok_or_else(|| malformed("a player is not an object"))?;
    Ok(PlayerDetails {
        player_slot: player_slot(object)?,
        account_id: account_id(object),
        hero_id: int(object, "hero_id"),
        kills: int(object, "kills"),
        deaths: int(object, "deaths"),
        assists: int(object, "assists"),
        last_hits: int(object, "last_hits"),
        denies: int(object, "denies"),
        gold_per_min: int(object, "gold_per_min"),
        xp_per_min: int(object, "xp_per_min"),
        hero_damage: int(object, "hero_damage"),
        tower_damage: int(object, "tower_damage"),
        hero_healing: int(object, "hero_healing"),
        level: int(object, "level"),
        net_worth: int(object, "net_worth"),
        items: std::array::from_fn(|i| int(object, &format!("item_{i}"))),
        backpack: std::array::from_fn(|i| int(object, &format!("backpack_{i}"))),
        item_neutral: int(object, "item_neutral"),
    })
}

/// The slot is the key of a player's line, so a player without one is an
/// error. Newer responses also carry `team_number`/`team_slot`, from which
/// Valve's slot encoding (Dire = 128 + n) can be rebuilt.
fn player_slot(object: &Map<String, Value>) -> Result<i64, FetchError> {
    if let Some(slot) = int(object, "player_slot") {
        return Ok(slot);
    }
    match (int(object, "team_number"), int(object, "team_slot")) {
        (Some(team @ 0..=1), Some(slot @ 0..=127)) => Ok(team * 128 + slot),
        _ => Err(malformed("a player has no player_slot")),
    }
}

/// `None` for bots (no `account_id`), anonymous players (4294967295 from
/// Steam, `null` from OpenDota) and anything that is not a number.
fn account_id(object: &Map<String, Value>) -> Option<i64> {
    int(object, "account_id").filter(|&id| id != ANONYMOUS_ACCOUNT_ID)
}

/// The `result` object every Steam IDOTA2Match body is wrapped in.
fn steam_result(value: &Value) -> Result<&Map<String, Value>, FetchError> {
    value
        .get("result")
        .and_then(Value::as_object)
        .ok_or_else(|| malformed("no `result` object"))
}

/// The per-match failures Steam answers with HTTP 200: an `error` text, or a
/// `status` other than 1 with its `statusDetail`.
fn steam_match_error(result: &Map<String, Value>) -> Option<FetchError> {
    if let Some(message) = result.get("error").and_then(Value::as_str) {
        return Some(match_api(message));
    }
    int(result, "status")
        .filter(|&status| status != STEAM_STATUS_OK)
        .map(|status| steam_status_error(result, status))
}

fn steam_status_error(result: &Map<String, Value>, status: i64) -> FetchError {
    let message = result
        .get("statusDetail")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("status {status}"));
    FetchError::MatchApi { message }
}

fn steam_history_entry(entry: &Value, account_id: u32) -> Option<HistoryEntry> {
    let entry = entry.as_object()?;
    let Some(match_id) = int(entry, "match_id") else {
        tracing::warn!("skipping a Steam history entry without a match_id");
        return None;
    };
    let tracked = entry
        .get("players")
        .and_then(Value::as_array)
        .and_then(|players| {
            players
                .iter()
                .filter_map(Value::as_object)
                .find(|player| int(player, "account_id") == Some(i64::from(account_id)))
        });
    Some(HistoryEntry {
        match_id,
        match_seq_num: int(entry, "match_seq_num"),
        start_time: int(entry, "start_time"),
        lobby_type: int(entry, "lobby_type"),
        player_slot: tracked.and_then(|player| int(player, "player_slot")),
        hero_id: tracked.and_then(|player| int(player, "hero_id")),
    })
}

fn expect_match(details: MatchDetails, asked: i64) -> Result<MatchDetails, FetchError> {
    if details.match_id == asked {
        Ok(details)
    } else {
        Err(FetchError::WrongMatch {
            asked,
            got: details.match_id,
        })
    }
}

/// A whole number that fits i64; anything else (missing, null, text,
/// fractions, u64 beyond i64) is `None`.
fn int(object: &Map<String, Value>, key: &str) -> Option<i64> {
    object.get(key).and_then(Value::as_i64)
}

/// `radiant_win` is `true`/`false` in newer bodies and 1/0 in older ones.
fn flag(object: &Map<String, Value>, key: &str) -> Option<bool> {
    match object.get(key)? {
        Value::Bool(value) => Some(*value),
        Value::Number(number) => match number.as_i64()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        },
        _ => None,
    }
}

fn malformed(reason: &str) -> FetchError {
    FetchError::Malformed {
        reason: reason.to_string(),
    }
}

fn match_api(message: &str) -> FetchError {
    FetchError::MatchApi {
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal_match(extra: Value) -> Value {
        let mut base = json!({
            "match_id": 42,
            "players": [
                {"account_id": 7, "player_slot": 0, "hero_id": 1},
                {"account_id": 4294967295u64, "player_slot": 128, "hero_id": 2},
                {"player_slot": 129, "hero_id": 3}
            ]
        });
        if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
            base.extend(extra.clone());
        }
        base
    }

    #[test]
    fn anonymous_and_bot_players_have_no_account() {
        let details = steam_match(&minimal_match(json!({}))).unwrap();
        let accounts: Vec<_> = details.players.iter().map(|p| p.account_id).collect();
        assert_eq!(accounts, [Some(7), None, None]);
        assert_eq!(details.players[2].player_slot, 129);
    }

    #[test]
    fn opendota_null_account_is_anonymous() {
        let body = json!({"match_id": 5, "players": [{"account_id": null, "player_slot": 3}]});
        let details = opendota_match(&body).unwrap();
        assert_eq!(details.players[0].account_id, None);
    }

    #[test]
    fn radiant_win_as_bool_or_number() {
        for (value, expected) in [
            (json!(true), Some(true)),
            (json!(false), Some(false)),
            (json!(1), Some(true)),
            (json!(0), Some(false)),
            (json!(2), None),
            (json!("yes"), None),
            (json!(null), None),
        ] {
            let details = steam_match(&minimal_match(json!({"radiant_win": value}))).unwrap();
            assert_eq!(details.radiant_win, expected, "radiant_win {value}");
        }
    }

    #[test]
    fn huge_logos_do_not_fail_and_survive_raw_json() {
        let body = minimal_match(json!({
            "radiant_logo": u64::MAX,
            "dire_logo": 18_446_744_073_709_551_000u64,
        }));
        let details = steam_match(&body).unwrap();
        assert!(details.raw_json.contains("18446744073709551615"));
        let back: Value = serde_json::from_str(&details.raw_json).unwrap();
        assert_eq!(back, body);
    }

    #[test]
    fn unreadable_fields_become_none() {
        let body = json!({
            "match_id": 9,
            "duration": "long",
            "start_time": 1.5,
            "players": [{"player_slot": 1, "kills": "many", "item_0": u64::MAX, "item_3": 50}]
        });
        let details = steam_match(&body).unwrap();
        assert_eq!(details.duration, None);
        assert_eq!(details.start_time, None);
        assert_eq!(details.players[0].kills, None);
        assert_eq!(
            details.players[0].items,
            [None, None, None, Some(50), None, None]
        );
    }

    #[test]
    fn slot_rebuilt_from_team_fields() {
        let body = json!({"match_id": 1, "players": [{"team_number": 1, "team_slot": 2}]});
        assert_eq!(steam_match(&body).unwrap().players[0].player_slot, 130);
        let no_slot = json!({"match_id": 1, "players": [{"hero_id": 2}]});
        assert!(matches!(
            steam_match(&no_slot),
            Err(FetchError::Malformed { .. })
        ));
    }

    #[test]
    fn unusable_matches_are_malformed() {
        for body in [
            json!({"players": []}),
            json!({"match_id": "12", "players": []}),
            json!({"match_id": 12, "players": {}}),
            json!({"match_id": 12, "players": [5]}),
            json!([1, 2]),
        ] {
            assert!(
                matches!(steam_match(&body), Err(FetchError::Malformed { .. })),
                "{body}"
            );
        }
    }

    #[test]
    fn missing_players_is_an_empty_list() {
        let details = steam_match(&json!({"match_id": 3})).unwrap();
        assert!(details.players.is_empty());
    }

    #[test]
    fn details_reply_errors() {
        assert_eq!(
            steam_details_reply(&json!({"result": {"error": "Match ID not found"}}), 1),
            Err(FetchError::MatchApi {
                message: "Match ID not found".into()
            })
        );
        assert_eq!(
            steam_details_reply(
                &json!({"result": {"status": 2, "statusDetail": "Error retrieving match data."}}),
                1
            ),
            Err(FetchError::MatchApi {
                message: "Error retrieving match data.".into()
            })
        );
        assert!(matches!(
            steam_details_reply(&json!({}), 1),
            Err(FetchError::Malformed { .. })
        ));
        assert_eq!(
            steam_details_reply(&json!({"result": minimal_match(json!({}))}), 43),
            Err(FetchError::WrongMatch { asked: 43, got: 42 })
        );
    }

    #[test]
    fn sequence_reply_checks_the_match() {
        let body = json!({"result": {"status": 1, "matches": [minimal_match(json!({}))]}});
        assert_eq!(steam_sequence_reply(&body, 42).unwrap().match_id, 42);
        assert_eq!(
            steam_sequence_reply(&body, 41),
            Err(FetchError::WrongMatch { asked: 41, got: 42 })
        );
        let empty = json!({"result": {"status": 1, "matches": []}});
        assert_eq!(
            steam_sequence_reply(&empty, 41),
            Err(FetchError::MatchApi {
                message: "Match ID not found".into()
            })
        );
        let failed =
            json!({"result": {"status": 2, "statusDetail": "Error retrieving match data."}});
        assert_eq!(
            steam_sequence_reply(&failed, 41),
            Err(FetchError::MatchApi {
                message: "Error retrieving match data.".into()
            })
        );
    }

    #[test]
    fn opendota_details_reply_errors() {
        assert_eq!(
            opendota_details_reply(&json!({"error": "Not Found"}), 1),
            Err(FetchError::MatchApi {
                message: "Not Found".into()
            })
        );
        assert_eq!(
            opendota_details_reply(&minimal_match(json!({})), 7),
            Err(FetchError::WrongMatch { asked: 7, got: 42 })
        );
    }

    fn history(status: i64, remaining: i64, total: i64, ids: &[i64]) -> Value {
        let matches: Vec<Value> = ids
            .iter()
            .map(|&id| {
                json!({
                    "match_id": id,
                    "match_seq_num": id * 10,
                    "start_time": 1000 + id,
                    "lobby_type": 7,
                    "players": [
                        {"account_id": 99, "player_slot": 4, "hero_id": 8},
                        {"account_id": 1234, "player_slot": 130, "hero_id": 74}
                    ]
                })
            })
            .collect();
        json!({"result": {
            "status": status, "num_results": ids.len(), "total_results": total,
            "results_remaining": remaining, "matches": matches
        }})
    }

    #[test]
    fn history_page_keeps_the_tracked_player() {
        let page = steam_history_page(&history(1, 50, 150, &[30, 20, 25]), 1234).unwrap();
        assert_eq!(page.entries.len(), 3);
        assert_eq!(
            page.entries[0],
            HistoryEntry {
                match_id: 30,
                match_seq_num: Some(300),
                start_time: Some(1030),
                lobby_type: Some(7),
                player_slot: Some(130),
                hero_id: Some(74),
            }
        );
        // Inclusive cursor: one below the smallest ID on the page.
        assert_eq!(page.next, Some(HistoryCursor::StartAtMatchId(19)));
        assert!(!page.capped);
    }

    #[test]
    fn history_page_end_and_cap() {
        let last = steam_history_page(&history(1, 0, 500, &[5]), 1234).unwrap();
        assert_eq!(last.next, None);
        assert!(last.capped);
        let empty = steam_history_page(&history(1, 10, 10, &[]), 1234).unwrap();
        assert_eq!(empty.next, None);
        assert!(empty.entries.is_empty());
        let untracked = steam_history_page(&history(1, 0, 1, &[5]), 777).unwrap();
        assert_eq!(untracked.entries[0].player_slot, None);
        assert_eq!(untracked.entries[0].hero_id, None);
    }

    #[test]
    fn history_page_statuses() {
        let private = json!({"result": {"status": 15, "statusDetail": "Cannot get match history for a user that hasn't allowed it"}});
        assert_eq!(
            steam_history_page(&private, 1),
            Err(FetchError::PrivateProfile)
        );
        let other = json!({"result": {"status": 8, "statusDetail": "Invalid account"}});
        assert_eq!(
            steam_history_page(&other, 1),
            Err(FetchError::MatchApi {
                message: "Invalid account".into()
            })
        );
    }

    #[test]
    fn opendota_history_rows() {
        let rows = json!([
            {"match_id": 11, "player_slot": 131, "hero_id": 5, "start_time": 9, "lobby_type": 0},
            {"player_slot": 1},
            "junk"
        ]);
        let entries = opendota_history(&rows).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].match_id, 11);
        assert_eq!(entries[0].player_slot, Some(131));
        assert_eq!(entries[0].match_seq_num, None);
        assert_eq!(
            opendota_history(&json!({"error": "invalid account id"})),
            Err(FetchError::MatchApi {
                message: "invalid account id".into()
            })
        );
        assert!(matches!(
            opendota_history(&json!(3)),
            Err(FetchError::Malformed { .. })
        ));
    }

    #[test]
    fn vanity_replies() {
        let found = json!({"response": {"steamid": "76561197960361544", "success": 1}});
        assert_eq!(steam_vanity_reply(&found), Ok(Some(95_816)));
        let missing = json!({"response": {"success": 42, "message": "No match"}});
        assert_eq!(steam_vanity_reply(&missing), Ok(None));
        let odd = json!({"response": {"success": 1, "steamid": "12"}});
        assert!(matches!(
            steam_vanity_reply(&odd),
            Err(FetchError::Malformed { .. })
        ));
        let failed = json!({"response": {"success": 2}});
        assert!(matches!(
            steam_vanity_reply(&failed),
            Err(FetchError::MatchApi { .. })
        ));
    }
}
