//! Every body reader over hostile input (issue 16): arbitrary bytes, text
//! near JSON, and the sources' real bodies with deep nesting put anywhere.
//! The outcome is always a typed error or a value, and whatever of a body
//! is stored (a match's `raw_data`) passes SQLite's own `json_valid()`, so
//! that `json_extract` over the table keeps working. Nesting past
//! [`MAX_NESTING`] anywhere, kept or skipped, is a malformed body.

use std::cell::RefCell;

use proptest::prelude::*;

use super::super::FetchError;
use super::super::model::MatchDetails;
use super::super::{names, parse};
use super::json::parse_json_body;
use super::{
    MAX_NESTING, opendota_details_body, opendota_history_body, steam_details_body,
    steam_sequence_body,
};

type MatchReader = fn(&[u8], i64) -> Result<MatchDetails, FetchError>;

const MATCH_READERS: [(&str, MatchReader); 3] = [
    ("details", steam_details_body),
    ("sequence", steam_sequence_body),
    ("opendota", opendota_details_body),
];

thread_local! {
    /// The SQLite the app stores with, asked as a user's query would.
    static SQLITE: RefCell<rusqlite::Connection> =
        RefCell::new(rusqlite::Connection::open_in_memory().unwrap());
}

fn json_valid(text: &str) -> bool {
    SQLITE.with(|conn| {
        conn.borrow()
            .query_row("SELECT json_valid(?1)", [text], |r| r.get::<_, bool>(0))
            .unwrap()
    })
}

/// A match reader's outcome, held to the rule.
fn check_match(name: &str, body: &[u8]) -> Result<(), TestCaseError> {
    let (_, reader) = MATCH_READERS.iter().find(|(n, _)| *n == name).unwrap();
    for asked in [42, 7] {
        if let Ok(details) = reader(body, asked) {
            prop_assert!(
                json_valid(&details.raw_json),
                "{name}: stored text SQLite refuses: {:.200}",
                details.raw_json
            );
        }
    }
    Ok(())
}

/// Both readers of each match endpoint on their own (the public readers
/// try the fast one, then the serde one): whatever either would store
/// passes `json_valid()`.
fn check_both_readers(body: &[u8]) -> Result<(), TestCaseError> {
    let Ok(text) = std::str::from_utf8(body) else {
        return Ok(());
    };
    for (name, fast, slow) in super::READERS {
        if let Some((_, raw_json)) = fast(text) {
            prop_assert!(json_valid(&raw_json), "{} fast: {:.200}", name, raw_json);
        }
        if let Ok(details) = slow(text, body) {
            prop_assert!(
                json_valid(&details.raw_json),
                "{} serde: {:.200}",
                name,
                details.raw_json
            );
        }
    }
    Ok(())
}

/// Every reader on `body`: a typed error or a value, never a panic, and a
/// stored text SQLite accepts.
fn check_all(body: &[u8]) -> Result<(), TestCaseError> {
    for (name, _) in MATCH_READERS {
        check_match(name, body)?;
    }
    check_both_readers(body)?;
    let _ = opendota_history_body(body);
    // The small bodies go through one `Value` (serde_json's own depth
    // bound); their readers take it from there.
    if let Ok(value) = parse_json_body(body) {
        let _ = parse::steam_history_page(&value, 42);
        let _ = parse::steam_vanity_reply(&value);
        if let Ok(found) = names::steam_summaries(value.clone(), &[42]) {
            for (_, name) in found {
                let _ = names::clean_name(name);
            }
        }
        if let Ok(Some(name)) = names::opendota_player(value) {
            let _ = names::clean_name(name);
        }
    }
    Ok(())
}

/// A match object that every reader takes, wrapped per endpoint.
const MATCH: &str = r#"{"match_id":42,"radiant_win":true,"players":[{"player_slot":0,"account_id":5,"hero_id":1}]}"#;

fn wrap(endpoint: &str, object: &str) -> String {
    match endpoint {
        "details" => format!(r#"{{"result":{object}}}"#),
        "sequence" => format!(r#"{{"result":{{"status":1,"matches":[{object}]}}}}"#),
        _ => object.to_string(),
    }
}

/// `depth` levels of arrays and objects (chosen by `shape`'s bits) around
/// `inner`.
fn nest(depth: usize, shape: u64, inner: &str) -> String {
    let mut open = String::new();
    let mut close = String::new();
    for level in 0..depth {
        if shape.rotate_left(level as u32) & 1 == 0 {
            open.push('[');
            close.insert(0, ']');
        } else {
            open.push_str("{\"k\":");
            close.insert(0, '}');
        }
    }
    format!("{open}{inner}{close}")
}

/// How deep the body's own structure is where a value can be put: `site`
/// picks an unknown top-level field, a player's unknown field, or (Steam)
/// a field of the envelope beside the match.
fn with_nested(endpoint: &str, site: usize, nested: &str) -> (String, usize) {
    let envelope = match endpoint {
        "details" => 1,
        "sequence" => 3,
        _ => 0,
    };
    let in_match = MATCH.replacen(
        "{\"match_id\"",
        &format!("{{\"deep\":{nested},\"match_id\""),
        1,
    );
    let in_player = MATCH.replacen(
        "{\"player_slot\"",
        &format!("{{\"deep\":{nested},\"player_slot\""),
        1,
    );
    match (site, endpoint) {
        (0, _) => (wrap(endpoint, &in_match), envelope + 1),
        (1, _) => (wrap(endpoint, &in_player), envelope + 3),
        (_, "opendota") => (wrap(endpoint, &in_match), 1),
        _ => (
            wrap(endpoint, MATCH).replacen(
                "{\"result\"",
                &format!("{{\"deep\":{nested},\"result\""),
                1,
            ),
            1,
        ),
    }
}

#[test]
fn the_deep_body_of_issue_16_is_malformed_and_shallower_ones_are_kept() {
    for (endpoint, reader) in MATCH_READERS {
        for site in 0..3 {
            // Deep enough to pass the bound only with the body's own levels.
            let (_, outer) = with_nested(endpoint, site, "");
            let fits = MAX_NESTING - outer;
            let (body, _) = with_nested(endpoint, site, &nest(fits, 0x5a5a, "1"));
            let details = reader(body.as_bytes(), 42)
                .unwrap_or_else(|e| panic!("{endpoint} site {site} at the bound: {e:?}"));
            assert!(json_valid(&details.raw_json), "{endpoint} site {site}");
            for depth in [fits + 1, 100_000] {
                let (body, _) = with_nested(endpoint, site, &nest(depth, 0, "1"));
                let got = reader(body.as_bytes(), 42);
                assert!(
                    matches!(&got, Err(FetchError::Malformed { reason }) if reason.contains("128")),
                    "{endpoint} site {site} depth {depth}: {got:?}"
                );
            }
        }
    }
    let history = format!(r#"[{{"match_id":1,"deep":{}}}]"#, nest(200, 0, "1"));
    assert!(matches!(
        opendota_history_body(history.as_bytes()),
        Err(FetchError::Malformed { .. })
    ));
    let history = format!(r#"[{{"match_id":1,"deep":{}}}]"#, nest(100, 0, "1"));
    assert_eq!(opendota_history_body(history.as_bytes()).unwrap().len(), 1);
}

#[test]
fn what_sqlite_takes_in_an_unread_field_is_kept() {
    // A lone surrogate escape and a number past f64: SQLite's JSON accepts
    // both, so they stay what the server sent.
    let object = r#"{"match_id":42,"chat":"\ud800","gold":1e400,"players":[]}"#;
    for (endpoint, reader) in MATCH_READERS {
        let details = reader(wrap(endpoint, object).as_bytes(), 42).unwrap();
        assert_eq!(details.raw_json, object, "{endpoint}");
        assert!(json_valid(&details.raw_json));
    }
}

/// Bytes a JSON body is made of, with the odd ones a hostile server adds.
fn near_json() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        r#"[\[\]{}",:0-9a-z\\ \t\n.eE+-]{0,40}|(\{"match_id":42,"players":\[\{"player_slot":[0-9],"x":[\[\]{}",:0-9a-z\\ .-]{0,24}\}\]\})"#,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_give_an_error_or_a_valid_value(body in proptest::collection::vec(any::<u8>(), 0..300)) {
        check_all(&body)?;
    }

    #[test]
    fn text_near_json_gives_an_error_or_a_valid_value(text in near_json(), endpoint in 0usize..4) {
        let body = match endpoint {
            3 => text,
            e => wrap(MATCH_READERS[e].0, &text),
        };
        check_all(body.as_bytes())?;
    }

    #[test]
    fn nesting_anywhere_is_bounded(
        endpoint in 0usize..3,
        site in 0usize..3,
        depth in 1usize..400,
        shape in any::<u64>(),
        inner in prop_oneof![Just("1"), Just("\"[[{\""), Just("[]"), Just("{}")],
    ) {
        let (name, reader) = MATCH_READERS[endpoint];
        let (body, outer) = with_nested(name, site, &nest(depth, shape, inner));
        check_all(body.as_bytes())?;
        let extra = usize::from(inner == "[]" || inner == "{}");
        let deepest = outer + depth + extra;
        match reader(body.as_bytes(), 42) {
            Ok(details) => {
                prop_assert!(deepest <= MAX_NESTING, "kept at depth {}", deepest);
                prop_assert!(json_valid(&details.raw_json));
            }
            Err(FetchError::Malformed { .. }) => prop_assert!(deepest > MAX_NESTING, "refused at depth {}", deepest),
            Err(other) => prop_assert!(false, "{:?}", other),
        }
        // The serde reader on its own holds the bound too.
        let (_, _, slow) = super::READERS[endpoint];
        if slow(&body, body.as_bytes()).is_ok() {
            prop_assert!(deepest <= MAX_NESTING, "serde kept depth {}", deepest);
        }
        let history = format!("[{{\"match_id\":1,\"deep\":{}}}]", nest(depth, shape, inner));
        let deepest = 2 + depth + extra;
        match opendota_history_body(history.as_bytes()) {
            Ok(entries) => prop_assert!(deepest <= MAX_NESTING && entries.len() == 1),
            Err(FetchError::Malformed { .. }) => prop_assert!(deepest > MAX_NESTING),
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }
}
