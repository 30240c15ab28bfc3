//! Every real API response in `tests/fixtures/` parses with its parser, and
//! the values that matter come out right. Match bodies are read as the
//! clients read them, from the bytes as sent. See `tests/fixtures/SOURCES.md`.

use std::path::{Path, PathBuf};

use dota_sync::source::is_compact;
use dota_sync::source::parse;
use dota_sync::source::{FetchError, HistoryCursor, MatchDetails};
use serde_json::Value;

const STEAM_DETAILS_TRIMMED: &str =
    "bohdaq-steam-webapi-rust-sdk__get_match_details__1461414523.json";
const STEAM_HISTORY_CAPPED: &str =
    "bohdaq-steam-webapi-rust-sdk__get_match_history__76561197960361544.json";
const OPENDOTA_MATCH: &str = "odota-core__json__3254426673_output.json";
const STEAM_DETAILS_2015: &str = "odota-core__json__details_api.json";
const STEAM_HISTORY_FULL: &str = "odota-core__json__history_api.json";
const STEAM_SEQUENCE: &str = "odota-core__json__sequence_api.json";
const OPENDOTA_HISTORY: &str =
    "odota-web__testcafe__players_101695162_matches_sort-kills_limit-20.json";
const OPENDOTA_HISTORY_PROJECTED: &str =
    "odota-web__testcafe__players_101695162_matches_significant-0_project.json";
const OPENDOTA_PLAYER_CACHE: &str = "odota-core__json__7490235544_playercache_api_0.json";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join(name)).unwrap()
}

fn load(name: &str) -> Value {
    serde_json::from_slice(&bytes(name)).unwrap()
}

/// `raw_json` holds every field and value of the match as sent, without the
/// whitespace outside strings.
fn raw_equals(details: &MatchDetails, original: &Value) {
    let back: Value = serde_json::from_str(&details.raw_json).unwrap();
    assert_eq!(&back, original, "raw_json of match {}", details.match_id);
    assert!(
        is_compact(&details.raw_json),
        "raw_json of match {}",
        details.match_id
    );
}

#[test]
fn every_fixture_has_a_parser_and_parses() {
    let mut seen = 0;
    for entry in std::fs::read_dir(fixtures_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if !name.ends_with(".json") {
            continue;
        }
        seen += 1;
        let body = load(&name);
        let parsed: Result<(), FetchError> = match name.as_str() {
            STEAM_DETAILS_TRIMMED | STEAM_DETAILS_2015 => {
                let id = body["result"]["match_id"].as_i64().unwrap();
                parse::steam_details_body(&bytes(&name), id).map(drop)
            }
            STEAM_SEQUENCE => {
                let id = body["result"]["matches"][0]["match_id"].as_i64().unwrap();
                parse::steam_sequence_body(&bytes(&name), id).map(drop)
            }
            STEAM_HISTORY_CAPPED => parse::steam_history_page(&body, 95_816).map(drop),
            STEAM_HISTORY_FULL => parse::steam_history_page(&body, 88_367_253).map(drop),
            OPENDOTA_MATCH => parse::opendota_details_body(&bytes(&name), 3_254_426_673).map(drop),
            OPENDOTA_HISTORY | OPENDOTA_HISTORY_PROJECTED => {
                parse::opendota_history_body(&bytes(&name)).map(drop)
            }
            // One row of the history, as a list of one.
            OPENDOTA_PLAYER_CACHE => {
                let text = String::from_utf8(bytes(&name)).unwrap();
                parse::opendota_history_body(format!("[{text}]").as_bytes()).map(drop)
            }
            other => panic!("fixture {other} has no parser in this test; add one"),
        };
        assert_eq!(parsed, Ok(()), "{name}");
    }
    assert_eq!(seen, 9, "fixture count changed");
}

#[test]
fn trimmed_old_match_fetched_later() {
    let body = load(STEAM_DETAILS_TRIMMED);
    let details = parse::steam_details_body(&bytes(STEAM_DETAILS_TRIMMED), 1_461_414_523).unwrap();
    assert_eq!(details.match_seq_num, Some(1_310_985_420));
    assert_eq!(details.radiant_win, Some(false));
    assert_eq!(details.radiant_score, Some(0));
    assert_eq!(details.players.len(), 10);
    // Trimmed: no damage figures, but the 2022 fields are there.
    assert!(details.players.iter().all(|p| p.hero_damage.is_none()));
    assert!(details.players.iter().all(|p| p.tower_damage.is_none()));
    let first = &details.players[0];
    assert_eq!(first.account_id, Some(172_120_682));
    assert_eq!(first.net_worth, Some(10_772));
    assert_eq!(
        first.items,
        [
            Some(61),
            Some(185),
            Some(113),
            Some(174),
            Some(212),
            Some(63)
        ]
    );
    assert_eq!(first.backpack, [Some(0), Some(0), Some(0)]);
    // Slot 4 is anonymous (4294967295).
    let anonymous = details.players.iter().find(|p| p.player_slot == 4).unwrap();
    assert_eq!(anonymous.account_id, None);
    assert_eq!(anonymous.hero_id, Some(72));
    raw_equals(&details, &body["result"]);
}

#[test]
fn details_from_2015() {
    let body = load(STEAM_DETAILS_2015);
    let details = parse::steam_details_body(&bytes(STEAM_DETAILS_2015), 1_781_962_623).unwrap();
    assert_eq!(details.match_seq_num, Some(1_584_699_503));
    assert_eq!(details.radiant_win, Some(true));
    assert_eq!(details.radiant_score, None, "2015 shape has no score");
    assert_eq!(details.players.len(), 10);
    assert_eq!(details.players[0].hero_damage, Some(12_234));
    assert_eq!(details.players[0].net_worth, None);
    assert_eq!(details.players[0].backpack, [None, None, None]);
    let anonymous: Vec<i64> = details
        .players
        .iter()
        .filter(|p| p.account_id.is_none())
        .map(|p| p.player_slot)
        .collect();
    assert_eq!(anonymous, [1, 131, 132]);
    raw_equals(&details, &body["result"]);
}

#[test]
fn newest_match_from_the_sequence_endpoint() {
    let body = load(STEAM_SEQUENCE);
    let details = parse::steam_sequence_body(&bytes(STEAM_SEQUENCE), 8_591_933_650).unwrap();
    assert_eq!(details.match_seq_num, Some(7_215_564_751));
    assert_eq!(details.radiant_win, Some(true));
    assert_eq!(details.players.len(), 10);
    let first = &details.players[0];
    assert_eq!(first.account_id, Some(177_062_248));
    assert_eq!(first.hero_id, Some(108));
    assert_eq!(first.hero_damage, Some(17_701));
    assert_eq!(first.item_neutral, Some(71));
    assert_eq!(first.backpack[0], Some(34));
    // Team logos are unsigned 64-bit; raw_json keeps them digit for digit.
    assert!(details.raw_json.contains("2041868205277029400"));
    raw_equals(&details, &body["result"]["matches"][0]);

    assert_eq!(
        parse::steam_sequence_body(&bytes(STEAM_SEQUENCE), 8_591_933_651),
        Err(FetchError::WrongMatch {
            asked: 8_591_933_651,
            got: 8_591_933_650
        })
    );
}

#[test]
fn logos_beyond_i64_do_not_break_parsing() {
    // The fixture's logos went through a JS round trip; real ones use all 64 bits.
    let mut body = load(STEAM_SEQUENCE);
    body["result"]["matches"][0]["radiant_logo"] = Value::from(u64::MAX);
    let text = serde_json::to_string_pretty(&body).unwrap();
    let details = parse::steam_sequence_body(text.as_bytes(), 8_591_933_650).unwrap();
    assert!(details.raw_json.contains("18446744073709551615"));
    raw_equals(&details, &body["result"]["matches"][0]);
}

#[test]
fn opendota_match_object() {
    let body = load(OPENDOTA_MATCH);
    let details = parse::opendota_details_body(&bytes(OPENDOTA_MATCH), 3_254_426_673).unwrap();
    assert_eq!(details.match_seq_num, Some(2_843_189_211));
    assert_eq!(details.radiant_win, Some(false));
    assert_eq!(details.duration, Some(1888));
    assert_eq!(details.game_mode, Some(2));
    assert_eq!(details.lobby_type, Some(1));
    assert_eq!(details.players.len(), 10);
    assert_eq!(details.players[0].account_id, Some(87_382_579));
    assert_eq!(details.players[0].hero_damage, Some(6_815));
    assert_eq!(details.players[9].player_slot, 132);
    raw_equals(&details, &body);
}

#[test]
fn steam_history_page_capped_at_500() {
    let body = load(STEAM_HISTORY_CAPPED);
    let page = parse::steam_history_page(&body, 95_816).unwrap();
    assert_eq!(page.entries.len(), 1);
    let entry = &page.entries[0];
    assert_eq!(entry.match_id, 5_066_503_471);
    assert_eq!(entry.match_seq_num, Some(4_250_346_899));
    assert_eq!(entry.start_time, Some(1_570_905_295));
    assert_eq!(entry.lobby_type, Some(0));
    assert_eq!(entry.player_slot, Some(129));
    assert_eq!(entry.hero_id, Some(8));
    assert!(page.capped, "total_results is 500");
    assert_eq!(
        page.next,
        Some(HistoryCursor::StartAtMatchId(5_066_503_470))
    );
}

#[test]
fn steam_history_page_last() {
    let body = load(STEAM_HISTORY_FULL);
    let page = parse::steam_history_page(&body, 88_367_253).unwrap();
    let ids: Vec<i64> = page.entries.iter().map(|e| e.match_id).collect();
    assert_eq!(
        ids,
        [
            346_632_222,
            340_377_950,
            338_225_402,
            335_732_391,
            334_159_013,
            122_442_004,
            57_751_374
        ]
    );
    let slots: Vec<Option<i64>> = page.entries.iter().map(|e| e.player_slot).collect();
    let radiant_3 = Some(3);
    let dire_0 = Some(128);
    assert_eq!(
        slots,
        [
            dire_0, radiant_3, dire_0, dire_0, radiant_3, dire_0, radiant_3
        ]
    );
    assert!(page.entries.iter().all(|e| e.hero_id == Some(1)));
    assert_eq!(page.next, None, "results_remaining is 0");
    assert!(!page.capped);
}

#[test]
fn opendota_history_rows() {
    let entries = parse::opendota_history_body(&bytes(OPENDOTA_HISTORY)).unwrap();
    assert_eq!(entries.len(), 20);
    let first = &entries[0];
    assert_eq!(first.match_id, 1_609_407_252);
    assert_eq!(first.player_slot, Some(129));
    assert_eq!(first.hero_id, Some(44));
    assert_eq!(first.start_time, Some(1_436_112_424));
    assert_eq!(first.lobby_type, Some(0));
    assert_eq!(first.match_seq_num, None, "OpenDota rows have no seq num");
}

/// A real whole history (6,905 matches, 3.1 MB), read as it streams in,
/// cut into chunks of every size from a byte to 64 KB: each row is its
/// summary, and the stream reads what the whole body reads.
#[test]
fn a_real_whole_history_reads_as_it_streams_in() {
    let body = bytes(OPENDOTA_HISTORY_PROJECTED);
    let whole = parse::opendota_history_rows(&body).unwrap();
    assert_eq!(whole.len(), 6_905);
    let first = whole[0].summary.as_ref().unwrap();
    assert_eq!(first.match_id, 5_240_751_233);
    assert_eq!(first.player_slot, Some(131));
    assert_eq!(first.radiant_win, Some(true));
    assert_eq!(
        (first.kills, first.deaths, first.assists),
        (Some(1), Some(4), Some(15))
    );
    assert_eq!(first.party_size, Some(10));
    assert_eq!(
        first.items,
        [None, Some(102), Some(232), Some(214), Some(34), Some(94)]
    );
    // Not projected in this capture: absent, never a guess.
    assert_eq!((first.gold_per_min, first.heroes.as_deref()), (None, None));
    for size in [1, 7, 4096, 65_536] {
        let chunks = body
            .chunks(size)
            .map(|chunk| Ok::<_, FetchError>(chunk.to_vec()));
        let mut streamed = Vec::new();
        let count = parse::opendota_history_stream(chunks, |row| streamed.push(row)).unwrap();
        assert_eq!(count, 6_905);
        assert!(streamed == whole, "chunks of {size} bytes");
    }
}

/// The shape of `heroes` in a real `player_caches` row: kept as sent, compact.
#[test]
fn a_real_player_cache_row_keeps_its_heroes() {
    let text = String::from_utf8(bytes(OPENDOTA_PLAYER_CACHE)).unwrap();
    let rows = parse::opendota_history_rows(format!("[{text}]").as_bytes()).unwrap();
    let summary = rows[0].summary.as_ref().unwrap();
    let heroes: Value = serde_json::from_str(summary.heroes.as_deref().unwrap()).unwrap();
    assert_eq!(heroes, load(OPENDOTA_PLAYER_CACHE)["heroes"]);
    assert!(is_compact(summary.heroes.as_deref().unwrap()));
    assert_eq!(summary.hero_damage, Some(28_122));
}

#[test]
fn steam_fixtures_shrink_when_compacted() {
    // Valve pretty-prints: raw_data keeps the match without that whitespace.
    for (name, asked, reader) in [
        (
            STEAM_DETAILS_TRIMMED,
            1_461_414_523,
            parse::steam_details_body as fn(&[u8], i64) -> Result<MatchDetails, FetchError>,
        ),
        (STEAM_DETAILS_2015, 1_781_962_623, parse::steam_details_body),
        (STEAM_SEQUENCE, 8_591_933_650, parse::steam_sequence_body),
    ] {
        let sent = bytes(name);
        let details = reader(&sent, asked).unwrap();
        let ratio = details.raw_json.len() as f64 / sent.len() as f64;
        assert!((0.40..0.90).contains(&ratio), "{name}: {ratio:.2}");
    }
}
