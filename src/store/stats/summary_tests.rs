//! The statistics of a set of matches are the same whether each match is
//! counted from its details or from its summary, and a match with both
//! counts once (from its details): the property behind "statistics whole
//! in seconds" (ARCHITECTURE.md, "Summaries"). Several seeds of generated
//! matches, each saved four ways.

use super::*;
use crate::source::{HistoryEntry, MatchDetails, MatchSummary, PlayerDetails};
use crate::store::filter;

const ACCOUNT: u32 = 77;
const NOW: i64 = 1_773_144_000;

/// One generated match: its phase-1 entry, its details and the summary
/// OpenDota's history would list for the same match.
struct Generated {
    entry: HistoryEntry,
    details: MatchDetails,
    summary: MatchSummary,
}

fn generate(seed: u64, count: i64) -> Vec<Generated> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..count)
        .map(|n| {
            let match_id = 8_000_000 + n;
            let start_time = NOW - (count - n) * 30_000 + rng.i64(0..3);
            let slot = [0, 1, 2, 3, 4, 128, 129, 130, 131, 132][rng.usize(0..10)];
            let lobby = [0, 7, 1][rng.usize(0..3)];
            let mode = if rng.u8(0..5) == 0 { 23 } else { 22 };
            let radiant_win = rng.bool();
            let duration = rng.i64(900..4_000);
            let players: Vec<PlayerDetails> = [0, 1, 2, 3, 4, 128, 129, 130, 131, 132]
                .iter()
                .enumerate()
                .map(|(i, &s)| PlayerDetails {
                    player_slot: s,
                    account_id: if s == slot {
                        Some(i64::from(ACCOUNT))
                    } else if rng.u8(0..6) == 0 {
                        // Anonymous: in no one's teammates.
                        None
                    } else {
                        // Few enough that players meet again; distinct in a match.
                        Some(1_000 + 10 * rng.i64(0..4) + i as i64)
                    },
                    hero_id: Some(rng.i64(1..30)),
                    kills: Some(rng.i64(0..25)),
                    deaths: Some(rng.i64(0..15)),
                    assists: Some(rng.i64(0..30)),
                    last_hits: Some(rng.i64(0..500)),
                    gold_per_min: Some(rng.i64(200..900)),
                    xp_per_min: Some(rng.i64(200..1_000)),
                    hero_damage: Some(rng.i64(1_000..60_000)),
                    ..PlayerDetails::default()
                })
                .collect();
            let me = players.iter().find(|p| p.player_slot == slot).unwrap();
            let heroes: serde_json::Map<String, serde_json::Value> = players
                .iter()
                .map(|p| {
                    let mut slot = serde_json::json!({ "hero_id": p.hero_id });
                    if let Some(a) = p.account_id {
                        slot["account_id"] = a.into();
                    }
                    (p.player_slot.to_string(), slot)
                })
                .collect();
            let summary = MatchSummary {
                match_id,
                player_slot: Some(slot),
                radiant_win: Some(radiant_win),
                start_time: Some(start_time),
                duration: Some(duration),
                game_mode: Some(mode),
                lobby_type: Some(lobby),
                hero_id: me.hero_id,
                kills: me.kills,
                deaths: me.deaths,
                assists: me.assists,
                gold_per_min: me.gold_per_min,
                xp_per_min: me.xp_per_min,
                last_hits: me.last_hits,
                hero_damage: me.hero_damage,
                heroes: Some(serde_json::Value::Object(heroes).to_string()),
                ..MatchSummary::default()
            };
            Generated {
                entry: HistoryEntry {
                    match_id,
                    match_seq_num: Some(match_id),
                    start_time: Some(start_time),
                    lobby_type: Some(lobby),
                    player_slot: Some(slot),
                    hero_id: me.hero_id,
                },
                details: MatchDetails {
                    match_id,
                    match_seq_num: Some(match_id),
                    start_time: Some(start_time),
                    duration: Some(duration),
                    game_mode: Some(mode),
                    lobby_type: Some(lobby),
                    radiant_win: Some(radiant_win),
                    radiant_score: Some(0),
                    dire_score: Some(0),
                    players,
                    raw_json: "{}".into(),
                },
                summary,
            }
        })
        .collect()
}

/// How each match of a store is saved.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Way {
    Details,
    Summaries,
    /// Summary first, then details: the details win.
    Both,
    /// Every other match one way, the rest the other.
    Mixed,
}

fn store_of(dir: &tempfile::TempDir, games: &[Generated], way: Way) -> Store {
    let mut store = Store::open(&dir.path().join(format!("{way:?}.db"))).unwrap();
    let entries: Vec<HistoryEntry> = games.iter().map(|g| g.entry.clone()).collect();
    let summaries: Vec<MatchSummary> = games
        .iter()
        .enumerate()
        .filter(|(i, _)| match way {
            Way::Details => false,
            Way::Summaries | Way::Both => true,
            Way::Mixed => i % 2 == 0,
        })
        .map(|(_, g)| g.summary.clone())
        .collect();
    store
        .save_stubs_and_summaries(ACCOUNT, &entries, "opendota", &summaries)
        .unwrap();
    for (i, g) in games.iter().enumerate() {
        let details = match way {
            Way::Details | Way::Both => true,
            Way::Summaries => false,
            Way::Mixed => i % 2 == 1,
        };
        if details {
            store.save_details(&g.details).unwrap();
        }
    }
    store
}

/// Everything the views and `export --what heroes|teammates` show, with
/// the "from summaries" counts set apart.
#[derive(Debug, PartialEq)]
struct Views {
    overview: Overview,
    heroes: Vec<HeroStats>,
    records: Vec<RecordRow>,
    when: WhenStats,
    peers: Vec<PeerStats>,
    matchups: Vec<HeroMatchup>,
}

/// The views of `store`, and how many games came from summaries by each
/// count (Overview, the scan, Heroes summed, Records marked, Teammates summed).
fn views_of(store: &Store, filter: &MatchFilter) -> (Views, [u64; 5]) {
    let cache = StatsCache::default();
    let statistics = Statistics::new(store, &cache);
    let mut overview = statistics.overview(ACCOUNT, filter, NOW).unwrap();
    let mut heroes = statistics.hero_stats(ACCOUNT, filter).unwrap();
    let mut records = statistics.records(ACCOUNT, filter).unwrap();
    let mut peers = statistics.peer_stats(ACCOUNT, filter, 1_000).unwrap();
    let counts = [
        overview.from_summaries,
        statistics.games_from_summaries(ACCOUNT, filter).unwrap(),
        heroes.iter().map(|h| h.from_summaries).sum(),
        records.iter().filter(|r| r.from_summary).count() as u64,
        peers.iter().map(|p| p.from_summaries).sum(),
    ];
    overview.from_summaries = 0;
    heroes.iter_mut().for_each(|h| h.from_summaries = 0);
    records.iter_mut().for_each(|r| r.from_summary = false);
    peers.iter_mut().for_each(|p| p.from_summaries = 0);
    let views = Views {
        overview,
        heroes,
        records,
        when: statistics.when_stats(ACCOUNT, filter, Zone::Utc).unwrap(),
        peers,
        matchups: statistics.hero_matchups(ACCOUNT, filter, 1_000).unwrap(),
    };
    (views, counts)
}

#[test]
fn statistics_are_the_same_from_summaries_as_from_details() {
    for seed in [1, 2, 3, 4, 5] {
        let games = generate(seed, 60 + 37 * seed as i64);
        let dir = tempfile::tempdir().unwrap();
        let filters = [
            MatchFilter::default(),
            MatchFilter {
                side: Some(filter::Side::Dire),
                ..MatchFilter::default()
            },
            MatchFilter {
                result: Some(filter::GameResult::Win),
                lobby: Some(filter::LobbyFilter::Ranked),
                ..MatchFilter::default()
            },
        ];
        let stores = [Way::Details, Way::Summaries, Way::Both, Way::Mixed]
            .map(|way| (way, store_of(&dir, &games, way)));
        for filter in &filters {
            let (expected, none) = views_of(&stores[0].1, filter);
            assert_eq!(none, [0; 5], "seed {seed}: details only");
            // Every game of the filter is counted, whichever way it was saved.
            let total = expected.overview.record.games;
            assert!(total > 0 || !filter.is_empty(), "seed {seed}: no games");
            for (way, store) in &stores[1..] {
                let (views, counts) = views_of(store, filter);
                assert_eq!(views, expected, "seed {seed}, {way:?}, {filter:?}");
                match way {
                    Way::Summaries => {
                        assert_eq!(counts[..3], [total; 3], "seed {seed}: all from summaries");
                        assert_eq!(counts[3], expected.records.len() as u64);
                        let met: u64 = expected
                            .peers
                            .iter()
                            .map(|p| p.with.games + p.against.games)
                            .sum();
                        assert_eq!(counts[4], met);
                    }
                    // A match with both counts once, from its details.
                    Way::Both => assert_eq!(counts, [0; 5], "seed {seed}: details win"),
                    _ => {
                        assert!(counts[0] > 0 && counts[0] < total.max(2), "{counts:?}");
                        assert_eq!(counts[..3], [counts[0]; 3]);
                    }
                }
            }
        }
    }
}

#[test]
fn a_summary_without_a_result_or_with_bad_heroes_loses_no_game() {
    let mut games = generate(9, 4);
    games[0].summary.radiant_win = None;
    games[1].summary.heroes = Some("[1,2]".into());
    games[2].summary.heroes = Some(r#"{"x":{"account_id":5},"0":7}"#.into());
    let dir = tempfile::tempdir().unwrap();
    let store = store_of(&dir, &games, Way::Summaries);
    let cache = StatsCache::default();
    let statistics = Statistics::new(&store, &cache);
    let filter = MatchFilter::default();
    // The match without a result is not counted; the others are.
    assert_eq!(
        statistics.games_from_summaries(ACCOUNT, &filter).unwrap(),
        3
    );
    // Only the last match's players are readable.
    let peers = statistics.peer_stats(ACCOUNT, &filter, 100).unwrap();
    let expected = games[3]
        .details
        .players
        .iter()
        .filter(|p| p.account_id.is_some_and(|a| a != i64::from(ACCOUNT)))
        .count();
    assert_eq!(peers.len(), expected);
}
