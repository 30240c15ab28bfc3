//! Steam's small, rare bodies: history pages and vanity lookups, read
//! through `serde_json::Value`.
//!
//! The APIs are loose: every field may be missing, numbers may not fit the
//! type one expects and some errors arrive as HTTP 200 bodies. So each field
//! is read on its own and a field we cannot read becomes `None`.

use serde_json::{Map, Value};

use super::{STEAM_STATUS_OK, malformed, steam_status_error};
use crate::source::FetchError;
use crate::source::model::{HistoryCursor, HistoryEntry, HistoryPage};
use crate::steam_id::account_id_from_steam_id64;

/// Steam's `result.status` for "this player's match history is private".
const STEAM_STATUS_PRIVATE: i64 = 15;
/// `GetMatchHistory` reaches only this many recent matches without filters.
const STEAM_HISTORY_CAP: i64 = 500;
/// `ResolveVanityURL`'s `success` when no profile has that name.
const VANITY_NO_MATCH: i64 = 42;

/// One `GetMatchHistory` page for `account_id`.
pub fn steam_history_page(value: &Value, account_id: u32) -> Result<HistoryPage, FetchError> {
    let result = steam_result(value)?;
    match int(result, "status") {
        Some(STEAM_STATUS_PRIVATE) => return Err(FetchError::PrivateProfile),
        Some(status) if status != STEAM_STATUS_OK => {
            return Err(steam_status_error(
                status,
                result.get("statusDetail").and_then(Value::as_str),
            ));
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
        whole: Vec::new(),
    })
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

/// The `result` object every Steam IDOTA2Match body is wrapped in.
fn steam_result(value: &Value) -> Result<&Map<String, Value>, FetchError> {
    value
        .get("result")
        .and_then(Value::as_object)
        .ok_or_else(|| malformed("no `result` object"))
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

/// A whole number that fits i64; anything else (missing, null, text,
/// fractions, u64 beyond i64) is `None`.
fn int(object: &Map<String, Value>, key: &str) -> Option<i64> {
    object.get(key).and_then(Value::as_i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::wire::opendota_history_body;
    use serde_json::json;

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
        let rows = br#"[
            {"match_id": 11, "player_slot": 131, "hero_id": 5, "start_time": 9, "lobby_type": 0,
             "players": [{"account_id": 1}], "version": null},
            {"player_slot": 1},
            "junk",
            {"match_id": "12", "hero_id": 1.5},
            {"match_id": 13, "hero_id": 1.5, "start_time": "soon", "match_id": 14}
        ]"#;
        let entries = opendota_history_body(rows).unwrap();
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!(entries[0].match_id, 11);
        assert_eq!(entries[0].player_slot, Some(131));
        assert_eq!(entries[0].hero_id, Some(5));
        assert_eq!(entries[0].match_seq_num, None);
        // Another type is absent; of a duplicated key the last counts.
        assert_eq!(entries[1].match_id, 14);
        assert_eq!((entries[1].hero_id, entries[1].start_time), (None, None));
        assert_eq!(opendota_history_body(b"[]"), Ok(vec![]));
        assert_eq!(
            opendota_history_body(br#"{"error": "invalid account id"}"#),
            Err(FetchError::MatchApi {
                message: "invalid account id".into()
            })
        );
        for not_a_list in [&b"3"[..], b"{}", b"null", br#"{"error": 5}"#] {
            assert!(
                matches!(
                    opendota_history_body(not_a_list),
                    Err(FetchError::Malformed { .. })
                ),
                "{}",
                String::from_utf8_lossy(not_a_list)
            );
        }
        assert_eq!(
            opendota_history_body(b"[{\"match_id\": 1},"),
            Err(FetchError::Malformed {
                reason: "JSON body ends early at line 1 column 17".into()
            })
        );
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
