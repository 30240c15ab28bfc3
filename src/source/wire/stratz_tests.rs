//! STRATZ's answers by example (each shape ARCHITECTURE.md names) and as a
//! property: whatever the body, a typed error or matches whose `raw_json`
//! SQLite's `json_valid()` accepts.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::source::StratzDrop;
use crate::source::wire::compact::is_compact;

fn player(slot: i64, account: Value) -> Value {
    json!({
        "steamAccountId": account, "playerSlot": slot, "isRadiant": slot < 128,
        "heroId": 10 + slot % 100, "kills": 3, "deaths": 4, "assists": 5,
        "numLastHits": 120, "numDenies": 7, "goldPerMinute": 450, "experiencePerMinute": 500,
        "heroDamage": 12000, "towerDamage": 900, "heroHealing": 0, "level": 22,
        "networth": 15000, "item0Id": 1, "item1Id": 2, "item2Id": null, "item3Id": 4,
        "item4Id": 5, "item5Id": 6, "backpack0Id": 7, "backpack1Id": null, "backpack2Id": 9,
        "neutral0Id": 300, "leaverStatus": "NONE", "partyId": null, "position": "POSITION_1"
    })
}

fn a_match(id: i64) -> Value {
    let players: Vec<Value> = [0, 1, 2, 3, 4, 128, 129, 130, 131, 132]
        .into_iter()
        .map(|slot| match slot {
            0 => player(slot, json!(77)),
            1 => player(slot, json!(null)),
            2 => player(slot, json!(4_294_967_295_i64)),
            _ => player(slot, json!(1000 + slot)),
        })
        .collect();
    json!({
        "id": id, "sequenceNum": id * 10, "startDateTime": 1_700_000_000 + id,
        "durationSeconds": 2400, "didRadiantWin": true, "gameMode": "ALL_PICK_RANKED",
        "lobbyType": "RANKED", "players": players
    })
}

fn page(matches: Vec<Value>) -> Vec<u8> {
    let body = json!({"data": {"player": {"matchCount": 1234, "matches": matches}}});
    // Pretty-printed, so that compaction shows.
    serde_json::to_vec_pretty(&body).unwrap()
}

#[test]
fn history_page_gives_stubs_and_whole_details() {
    let page = history_body(&page(vec![a_match(9), a_match(8)]), 77).unwrap();
    assert_eq!(page.match_count, Some(1234));
    assert_eq!(page.listed, 2);
    assert_eq!(
        page.entries[0],
        HistoryEntry {
            match_id: 9,
            match_seq_num: Some(90),
            start_time: Some(1_700_000_009),
            lobby_type: Some(7),
            player_slot: Some(0),
            hero_id: Some(10),
        }
    );
    let details = &page.details[0];
    assert_eq!(details.match_id, 9);
    assert_eq!(details.match_seq_num, Some(90));
    assert_eq!(details.game_mode, Some(22));
    assert_eq!(details.lobby_type, Some(7));
    assert_eq!(details.radiant_win, Some(true));
    assert_eq!(details.duration, Some(2400));
    assert_eq!(details.players.len(), 10);
    // Anonymous as NULL, whether sent as null or as Valve's 4294967295.
    assert_eq!(details.players[1].account_id, None);
    assert_eq!(details.players[2].account_id, None);
    assert_eq!(details.players[5].player_slot, 128);
    assert_eq!(details.players[0].last_hits, Some(120));
    assert_eq!(details.players[0].net_worth, Some(15000));
    assert_eq!(
        details.players[0].items,
        [Some(1), Some(2), None, Some(4), Some(5), Some(6)]
    );
    assert_eq!(details.players[0].backpack, [Some(7), None, Some(9)]);
    assert_eq!(details.players[0].item_neutral, Some(300));
    // The object as sent, compact, enum names included.
    assert!(is_compact(&details.raw_json));
    let raw: Value = serde_json::from_str(&details.raw_json).unwrap();
    assert_eq!(raw, a_match(9));
    assert!(
        details
            .raw_json
            .contains("\"gameMode\":\"ALL_PICK_RANKED\"")
    );
}

#[test]
fn private_player_and_empty_history() {
    let body = br#"{"data":{"player":null}}"#;
    assert_eq!(
        history_body(body, 77),
        Err(FetchError::StratzUnavailable {
            reason: StratzDrop::NoProfile
        })
    );
    let failed = br#"{"data":{"player":null},"errors":[{"message":"timeout","path":["player"]}]}"#;
    assert_eq!(
        history_body(failed, 77),
        Err(FetchError::GraphQl {
            message: "timeout".into()
        })
    );
    let empty = history_body(&page(vec![]), 77).unwrap();
    assert_eq!((empty.listed, empty.entries.len()), (0, 0));
}

#[test]
fn a_broken_match_stays_a_stub_and_a_null_counts_as_listed() {
    let mut no_players = a_match(7);
    no_players.as_object_mut().unwrap().remove("players");
    let mut bad_slot = a_match(6);
    bad_slot["players"][3]["playerSlot"] = json!("three");
    let body = page(vec![
        a_match(9),
        Value::Null,
        no_players,
        bad_slot,
        json!({"x": 1}),
    ]);
    let page = history_body(&body, 77).unwrap();
    assert_eq!(page.listed, 5);
    let ids: Vec<i64> = page.entries.iter().map(|e| e.match_id).collect();
    assert_eq!(ids, [9, 7, 6]);
    let detailed: Vec<i64> = page.details.iter().map(|d| d.match_id).collect();
    assert_eq!(detailed, [9]);
}

#[test]
fn an_error_naming_a_listed_match_keeps_it_a_stub() {
    let body = json!({
        "data": {"player": {"matches": [a_match(9), a_match(8)]}},
        "errors": [{"message": "boom", "path": ["player", "matches", 1, "players"]}]
    });
    let page = history_body(&serde_json::to_vec(&body).unwrap(), 77).unwrap();
    assert_eq!(page.entries.len(), 2);
    assert_eq!(page.details.len(), 1);
    assert_eq!(page.details[0].match_id, 9);
}

#[test]
fn errors_without_data_fail_the_call_as_an_outage() {
    for body in [
        json!({"errors": [{"message": "Internal server error"}]}),
        json!({"data": null, "errors": [{"message": "Internal server error"}]}),
    ] {
        let body = serde_json::to_vec(&body).unwrap();
        let error = history_body(&body, 77).unwrap_err();
        assert_eq!(
            error,
            FetchError::GraphQl {
                message: "Internal server error".into()
            }
        );
        assert!(error.is_outage());
        assert!(matches!(
            batch_body(&body, &[1]),
            Err(FetchError::GraphQl { .. })
        ));
        assert!(matches!(
            match_body(&body, 1),
            Err(FetchError::GraphQl { .. })
        ));
    }
    assert!(matches!(
        history_body(b"{}", 77),
        Err(FetchError::Malformed { .. })
    ));
}

#[test]
fn batch_outcomes_follow_the_asked_order() {
    let body = json!({
        "data": {"matches": [a_match(3), null, a_match(1), null]},
        "errors": [{"message": "match 4 is not parsed", "path": ["matches", 3]}]
    });
    let Ok(BatchAnswer::Matches(outcomes)) =
        batch_body(&serde_json::to_vec(&body).unwrap(), &[3, 2, 1, 4])
    else {
        panic!("expected matches");
    };
    let ids: Vec<i64> = outcomes.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, [3, 2, 1, 4]);
    assert_eq!(outcomes[0].1.as_ref().unwrap().match_id, 3);
    assert_eq!(
        outcomes[1].1,
        Err(FetchError::MatchApi {
            message: LACKED.into()
        })
    );
    assert_eq!(outcomes[2].1.as_ref().unwrap().match_id, 1);
    assert_eq!(
        outcomes[3].1,
        Err(FetchError::MatchApi {
            message: "match 4 is not parsed".into()
        })
    );
}

#[test]
fn a_shorter_batch_answer_leaves_the_missing_ids_failed() {
    let body = json!({"data": {"matches": [a_match(5), a_match(99)]}});
    let Ok(BatchAnswer::Matches(outcomes)) =
        batch_body(&serde_json::to_vec(&body).unwrap(), &[6, 5, 4])
    else {
        panic!("expected matches");
    };
    assert!(outcomes[0].1.is_err());
    assert!(outcomes[1].1.is_ok());
    assert!(outcomes[2].1.is_err());
}

#[test]
fn a_token_refused_batches_is_told_to_ask_one_at_a_time() {
    for body in [
        json!({"data": {"matches": null}, "errors": [{"message": "User is not an admin", "path": ["matches"]}]}),
        json!({"errors": [{"message": "You are not authorized to access this"}]}),
    ] {
        assert!(matches!(
            batch_body(&serde_json::to_vec(&body).unwrap(), &[1, 2]),
            Ok(BatchAnswer::Refused { .. })
        ));
    }
}

#[test]
fn one_match_by_id() {
    let body = serde_json::to_vec(&json!({"data": {"match": a_match(5)}})).unwrap();
    assert_eq!(match_body(&body, 5).unwrap().match_id, 5);
    assert_eq!(
        match_body(&body, 6),
        Err(FetchError::WrongMatch { asked: 6, got: 5 })
    );
    let null = br#"{"data":{"match":null},"errors":[{"message":"not found","path":["match"]}]}"#;
    assert_eq!(
        match_body(null, 5),
        Err(FetchError::MatchApi {
            message: "not found".into()
        })
    );
    assert_eq!(
        match_body(br#"{"data":{"match":null}}"#, 5),
        Err(FetchError::MatchApi {
            message: LACKED.into()
        })
    );
}

#[test]
fn enum_names_map_to_valve_ids() {
    let cases = [
        ("ALL_PICK", 1),
        ("CAPTAINS_MODE", 2),
        ("ABILITY_DRAFT", 18),
        ("ALL_PICK_RANKED", 22),
        ("TURBO", 23),
        ("MUTATION", 24),
    ];
    for (name, id) in cases {
        assert_eq!(game_mode_id(name), Some(id), "{name}");
        assert_eq!(game_mode_name(id), Some(name));
    }
    assert_eq!(game_mode_id("UNKNOWN"), None);
    let lobbies = [
        ("UNRANKED", 0),
        ("PRACTICE", 1),
        ("RANKED", 7),
        ("BATTLE_CUP", 9),
    ];
    for (name, id) in lobbies {
        assert_eq!(lobby_type_id(name), Some(id), "{name}");
        assert_eq!(lobby_type_name(id), Some(name));
    }
    assert_eq!(lobby_type_id("DIRE_TIDE"), None);
    // Every name the assets know by ID round-trips.
    for id in 0..25 {
        let name = game_mode_name(id).unwrap();
        assert_eq!(game_mode_id(name), Some(id));
    }
}

#[test]
fn numeric_enums_and_lobby_numbered_slots_are_read() {
    let mut object = a_match(4);
    object["gameMode"] = json!(23);
    object["lobbyType"] = json!(0);
    for (index, player) in object["players"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        player["playerSlot"] = json!(index);
    }
    let details = history_body(&page(vec![object]), 77)
        .unwrap()
        .details
        .remove(0);
    assert_eq!((details.game_mode, details.lobby_type), (Some(23), Some(0)));
    let slots: Vec<i64> = details.players.iter().map(|p| p.player_slot).collect();
    assert_eq!(slots, [0, 1, 2, 3, 4, 128, 129, 130, 131, 132]);
}

#[test]
fn nesting_past_the_limit_is_malformed() {
    let deep = |levels: usize| {
        let mut object = a_match(9);
        let nested = format!("{}{}", "[".repeat(levels), "]".repeat(levels));
        object["extra"] = serde_json::from_str(&nested).unwrap_or(Value::Null);
        let text =
            serde_json::to_string(&json!({"data": {"player": {"matches": [object]}}})).unwrap();
        // serde_json refuses to build the deepest `Value`s, so splice by text.
        text.replace("\"extra\":null", &format!("\"extra\":{nested}"))
    };
    assert!(history_body(deep(100).as_bytes(), 77).is_ok());
    let error = history_body(deep(200).as_bytes(), 77).unwrap_err();
    assert_eq!(
        error,
        FetchError::Malformed {
            reason: "JSON nested deeper than 128 levels".into()
        }
    );
    // Brackets inside strings are text, not nesting.
    assert!(!nesting_exceeds(
        format!("\"{}\"", "[".repeat(500)).as_bytes(),
        128
    ));
    assert!(nesting_exceeds("[".repeat(129).as_bytes(), 128));
}

fn json_valid(text: &str) -> bool {
    let db = rusqlite::Connection::open_in_memory().unwrap();
    db.query_row("SELECT json_valid(?1)", [text], |row| row.get::<_, bool>(0))
        .unwrap()
}

/// Any JSON value, nesting included.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::hash_map("[a-zA-Z]{1,12}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Bodies a hostile server might send: a page whose match has fields
/// replaced by anything, extra keys at any depth, text spliced in.
fn hostile_body() -> impl Strategy<Value = Vec<u8>> {
    let field = prop::sample::select(vec![
        "id",
        "gameMode",
        "lobbyType",
        "players",
        "sequenceNum",
        "extra",
    ]);
    (
        field,
        any_json(),
        0usize..1_500,
        any::<Vec<u8>>(),
        0usize..4,
    )
        .prop_map(|(field, value, depth, junk, how)| {
            let mut object = a_match(9);
            object[field] = value;
            let text =
                serde_json::to_string(&json!({"data": {"player": {"matches": [object]}}})).unwrap();
            match how {
                0 => text.into_bytes(),
                1 => {
                    let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
                    text.replacen("\"id\":9", &format!("\"id\":9,\"deep\":{nested}"), 1)
                        .into_bytes()
                }
                2 => {
                    let mut bytes = text.into_bytes();
                    let at = junk.len().min(bytes.len());
                    bytes.splice(at..at, junk);
                    bytes
                }
                _ => junk,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_body_is_a_typed_error_or_storable(body in hostile_body()) {
        match history_body(&body, 77) {
            Ok(page) => {
                for details in &page.details {
                    prop_assert!(json_valid(&details.raw_json), "{}", details.raw_json);
                    prop_assert!(is_compact(&details.raw_json));
                }
            }
            Err(error) => prop_assert!(matches!(
                error,
                FetchError::Malformed { .. }
                    | FetchError::GraphQl { .. }
                    | FetchError::StratzUnavailable { .. }
            ), "{error:?}"),
        }
        if let Ok(BatchAnswer::Matches(outcomes)) = batch_body(&body, &[9]) {
            for (_, outcome) in outcomes {
                if let Ok(details) = outcome {
                    prop_assert!(json_valid(&details.raw_json));
                }
            }
        }
    }
}
