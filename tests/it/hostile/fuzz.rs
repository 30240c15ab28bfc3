//! The body readers against arbitrary bytes: whatever a server sends, they
//! return a value or a typed error, never panic (and never echo the body).

use dota_sync::source::http::parse_json_body;
use dota_sync::source::{parse, validate};
use proptest::prelude::*;

/// Bytes that look like JSON often enough to get past the first brace.
fn jsonish() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(&b"{"[..]),
        Just(&b"}"[..]),
        Just(&b"["[..]),
        Just(&b"]"[..]),
        Just(&b","[..]),
        Just(&b":"[..]),
        Just(&b"\"result\""[..]),
        Just(&b"\"matches\""[..]),
        Just(&b"\"players\""[..]),
        Just(&b"\"match_id\""[..]),
        Just(&b"\"player_slot\""[..]),
        Just(&b"\"account_id\""[..]),
        Just(&b"\"status\""[..]),
        Just(&b"\"error\""[..]),
        Just(&b"\"results_remaining\""[..]),
        Just(&b"-1"[..]),
        Just(&b"18446744073709551615"[..]),
        Just(&b"1e400"[..]),
        Just(&b"null"[..]),
        Just(&b"\"\\u001b]0;x\\u0007\""[..]),
        Just(&b"\"\\ud800\""[..]),
        Just(&b"\xff\xfe"[..]),
    ];
    prop::collection::vec(token, 0..64).prop_map(|tokens| tokens.concat())
}

fn bodies() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![prop::collection::vec(any::<u8>(), 0..512), jsonish()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn match_body_readers_never_panic(body in bodies(), asked in any::<i64>()) {
        let results = [
            parse::steam_details_body(&body, asked),
            parse::steam_sequence_body(&body, asked),
            parse::opendota_details_body(&body, asked),
        ];
        for details in results.into_iter().flatten() {
            let _ = validate::checked_details(details);
        }
    }

    #[test]
    fn history_readers_never_panic(body in bodies(), account in any::<u32>()) {
        let _ = parse::opendota_history_body(&body);
        if let Ok(value) = parse_json_body(&body) {
            let _ = parse::steam_history_page(&value, account);
            let _ = parse::steam_vanity_reply(&value);
        }
    }
}
