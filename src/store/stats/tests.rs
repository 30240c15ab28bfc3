//! The statistics checked against a recomputation in plain Rust over the
//! same generated matches: if the SQL and the loops disagree, one is wrong.

use std::collections::BTreeMap;

use super::*;
use crate::builders::{TEN_SLOTS, history_entry, match_details, ten_players};
use crate::source::{HistoryEntry, MatchDetails, PlayerDetails};
use crate::store::filter::{GameResult, LobbyFilter, Side};

const ACCOUNT: u32 = 77;
const OTHER_TRACKED: i64 = 5_001;
const NOW: i64 = 1_773_144_000;

/// One generated game as the recomputation sees it.
#[derive(Debug, Clone)]
struct Game {
    match_id: i64,
    start_time: i64,
    slot: i64,
    hero: i64,
    won: bool,
    lobby: i64,
    mode: i64,
    duration: i64,
    me: PlayerDetails,
    others: Vec<PlayerDetails>,
}

fn generate(dir: &tempfile::TempDir) -> (Store, Vec<Game>) {
    let path = dir.path().join("stats.db");
    let mut store = Store::open(&path).unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    let mut games = Vec::new();
    let mut entries = Vec::new();
    let mut details = Vec::new();
    for n in 0..600_i64 {
        let match_id = 9_000_000 + n;
        // Some games share a start time, to exercise the tie-breaks.
        let start_time = NOW - (600 - n) * 20_000 + if n % 50 == 0 { 0 } else { n % 7 };
        let slot = if rng.bool() {
            rng.i64(0..5)
        } else {
            128 + rng.i64(0..5)
        };
        let hero = rng.i64(1..15);
        let lobby = [0, 7, 7, 1][rng.usize(0..4)];
        let mode = if rng.u8(0..5) == 0 { 23 } else { 22 };
        entries.push(HistoryEntry {
            lobby_type: Some(lobby),
            ..history_entry(match_id, match_id, start_time, slot, hero)
        });
        // One in six stays a stub; one in twenty fails.
        if n % 6 == 5 || n % 20 == 3 {
            continue;
        }
        let radiant_win = rng.bool();
        let anonymous = n % 9 == 0;
        let players: Vec<PlayerDetails> = TEN_SLOTS
            .iter()
            .map(|&s| {
                let account_id = if s == slot {
                    Some(if anonymous {
                        4_294_967_295
                    } else {
                        i64::from(ACCOUNT)
                    })
                } else if rng.u8(0..10) == 0 {
                    None
                } else if rng.u8(0..20) == 0 {
                    Some(OTHER_TRACKED)
                } else {
                    Some(1_000 + rng.i64(0..25))
                };
                PlayerDetails {
                    player_slot: s,
                    account_id,
                    hero_id: Some(if s == slot { hero } else { rng.i64(20..120) }),
                    kills: Some(rng.i64(0..25)),
                    deaths: Some(rng.i64(0..15)),
                    assists: Some(rng.i64(0..30)),
                    last_hits: Some(rng.i64(0..500)),
                    gold_per_min: Some(rng.i64(200..900)),
                    xp_per_min: Some(rng.i64(200..1_000)),
                    hero_damage: Some(rng.i64(1_000..60_000)),
                    ..PlayerDetails::default()
                }
            })
            .collect();
        // Distinct accounts per match, as in real games.
        let mut seen = std::collections::HashSet::new();
        let players: Vec<PlayerDetails> = players
            .into_iter()
            .map(|mut p| {
                if let Some(a) = p.account_id
                    && !seen.insert(a)
                {
                    p.account_id = None;
                }
                p
            })
            .collect();
        let duration = rng.i64(900..4_000);
        let me = players
            .iter()
            .find(|p| p.player_slot == slot)
            .unwrap()
            .clone();
        let others = players
            .iter()
            .filter(|p| p.player_slot != slot)
            .cloned()
            .collect();
        games.push(Game {
            match_id,
            start_time,
            slot,
            hero,
            won: radiant_win == (slot < 128),
            lobby,
            mode,
            duration,
            me,
            others,
        });
        details.push(MatchDetails {
            duration: Some(duration),
            game_mode: Some(mode),
            lobby_type: Some(lobby),
            radiant_score: Some(0),
            dire_score: Some(0),
            ..match_details(match_id, match_id, start_time, radiant_win, players)
        });
    }
    store.save_stubs(ACCOUNT, &entries).unwrap();
    // A second tracked account, so "tracked" marks can be checked.
    store
        .save_stubs(
            OTHER_TRACKED as u32,
            &[HistoryEntry {
                match_seq_num: None,
                lobby_type: None,
                ..history_entry(1, 0, 1, 0, 1)
            }],
        )
        .unwrap();
    for d in &details {
        store.save_details(d).unwrap();
    }
    for n in (0..600).filter(|n| n % 20 == 3) {
        store.record_failure(9_000_000 + n, "HTTP 404").unwrap();
    }
    (store, games)
}

/// Newest first, as the views list them.
fn newest_first(games: &[Game]) -> Vec<&Game> {
    let mut sorted: Vec<&Game> = games.iter().collect();
    sorted.sort_by_key(|g| std::cmp::Reverse((g.start_time, g.match_id)));
    sorted
}

fn record_of<'a>(games: impl Iterator<Item = &'a Game>) -> Record {
    let mut record = Record::default();
    for g in games {
        record.games += 1;
        record.wins += u64::from(g.won);
    }
    record
}

fn mean(values: impl Iterator<Item = i64>) -> f64 {
    let values: Vec<i64> = values.collect();
    values.iter().sum::<i64>() as f64 / values.len() as f64
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn check_overview(statistics: &Statistics<'_>, games: &[Game], filter: &MatchFilter) {
    let overview = statistics.overview(ACCOUNT, filter, NOW).unwrap();
    let sorted = newest_first(games);
    assert_eq!(overview.record, record_of(games.iter()), "{filter:?}");
    let recent: Vec<bool> = sorted
        .iter()
        .take(ROLLING_GAMES as usize)
        .map(|g| g.won)
        .collect();
    assert_eq!(overview.recent, recent);
    let streak = sorted.iter().take_while(|g| g.won == sorted[0].won).count() as u64;
    assert_eq!(
        overview.streak,
        Some(Streak {
            won: sorted[0].won,
            games: streak
        })
    );
    let a = overview.averages;
    assert!(close(
        a.kills,
        mean(games.iter().map(|g| g.me.kills.unwrap()))
    ));
    assert!(close(
        a.deaths,
        mean(games.iter().map(|g| g.me.deaths.unwrap()))
    ));
    assert!(close(
        a.gold_per_min,
        mean(games.iter().map(|g| g.me.gold_per_min.unwrap()))
    ));
    assert!(close(a.duration, mean(games.iter().map(|g| g.duration))));

    let sides: Vec<(Side, Record)> = overview.by_side.iter().map(|s| (s.key, s.record)).collect();
    let mut expected = Vec::new();
    for (side, radiant) in [(Side::Radiant, true), (Side::Dire, false)] {
        let r = record_of(games.iter().filter(|g| (g.slot < 128) == radiant));
        if r.games > 0 {
            expected.push((side, r));
        }
    }
    assert_eq!(sides, expected);

    let mut lobbies: BTreeMap<LobbyGroup, Record> = BTreeMap::new();
    for g in games {
        let label = if g.mode == 23 {
            LobbyGroup::Turbo
        } else if [5, 6, 7].contains(&g.lobby) {
            LobbyGroup::Ranked
        } else if g.lobby == 0 {
            LobbyGroup::Normal
        } else {
            LobbyGroup::Other
        };
        let r = lobbies.entry(label).or_default();
        r.games += 1;
        r.wins += u64::from(g.won);
    }
    let got: BTreeMap<LobbyGroup, Record> = overview
        .by_lobby
        .iter()
        .map(|s| (s.key, s.record))
        .collect();
    assert_eq!(got, lobbies);

    // The last rolling point is the win rate of the newest games of its
    // window: 20, or more when points would otherwise skip games.
    let step = ((sorted.len() as i64 + ROLLING_POINTS - 1) / ROLLING_POINTS).max(1);
    assert_eq!(overview.rolling_window as i64, ROLLING_GAMES.max(step));
    let last20 = &sorted[..sorted.len().min(overview.rolling_window as usize)];
    let rate = 100.0 * last20.iter().filter(|g| g.won).count() as f64 / last20.len() as f64;
    let (at, got) = *overview.rolling.last().unwrap();
    assert_eq!(at, sorted[0].start_time);
    assert!(close(got, rate), "{got} vs {rate}");
    assert!(overview.rolling.len() as i64 <= ROLLING_POINTS);

    // Every day of the history (issue 18: a year back from today left older
    // histories blank).
    let mut days: BTreeMap<i64, u64> = BTreeMap::new();
    for g in games
        .iter()
        .filter(|g| g.start_time < NOW.div_euclid(86_400) * 86_400 + 86_400)
    {
        *days
            .entry(g.start_time.div_euclid(86_400) * 86_400)
            .or_default() += 1;
    }
    assert_eq!(overview.activity, days.into_iter().collect::<Vec<_>>());
}

#[test]
fn overview_agrees_with_a_recomputation() {
    let dir = tempfile::tempdir().unwrap();
    let (store, games) = generate(&dir);
    let cache = StatsCache::default();
    let statistics = Statistics::new(&store, &cache);
    check_overview(&statistics, &games, &MatchFilter::default());
    let dire_wins = MatchFilter {
        side: Some(Side::Dire),
        result: Some(GameResult::Win),
        ..MatchFilter::default()
    };
    let subset: Vec<Game> = games
        .iter()
        .filter(|g| g.slot >= 128 && g.won)
        .cloned()
        .collect();
    check_overview(&statistics, &subset, &dire_wins);
    let ranked_recent = MatchFilter {
        lobby: Some(LobbyFilter::Ranked),
        since: Some(NOW - 200 * 86_400),
        heroes: Some(vec![3, 4, 5]),
        ..MatchFilter::default()
    };
    let subset: Vec<Game> = games
        .iter()
        .filter(|g| g.lobby == 7 && g.start_time >= NOW - 200 * 86_400 && (3..=5).contains(&g.hero))
        .cloned()
        .collect();
    check_overview(&statistics, &subset, &ranked_recent);
}

#[test]
fn an_empty_selection_has_no_streak() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = generate(&dir);
    let cache = StatsCache::default();
    let statistics = Statistics::new(&store, &cache);
    let nothing = MatchFilter {
        heroes: Some(vec![]),
        ..MatchFilter::default()
    };
    let overview = statistics.overview(ACCOUNT, &nothing, NOW).unwrap();
    assert_eq!(overview.record, Record::default());
    assert_eq!(overview.streak, None);
    assert!(statistics.hero_stats(ACCOUNT, &nothing).unwrap().is_empty());
    assert!(statistics.records(ACCOUNT, &nothing).unwrap().is_empty());
}

#[test]
fn hero_stats_agree_with_a_recomputation() {
    let dir = tempfile::tempdir().unwrap();
    let (store, games) = generate(&dir);
    let cache = StatsCache::default();
    let statistics = Statistics::new(&store, &cache);
    let stats = statistics
        .hero_stats(ACCOUNT, &MatchFilter::default())
        .unwrap();
    let mut by_hero: BTreeMap<i64, Vec<&Game>> = BTreeMap::new();
    for g in &games {
        by_hero.entry(g.hero).or_default().push(g);
    }
    assert_eq!(stats.len(), by_hero.len());
    for s in &stats {
        let mine = &by_hero[&s.hero_id];
        assert_eq!(s.record, record_of(mine.iter().copied()));
        assert!(close(
            s.kills,
            mean(mine.iter().map(|g| g.me.kills.unwrap()))
        ));
        assert!(close(
            s.assists,
            mean(mine.iter().map(|g| g.me.assists.unwrap()))
        ));
        assert!(close(
            s.xp_per_min,
            mean(mine.iter().map(|g| g.me.xp_per_min.unwrap()))
        ));
        assert_eq!(
            s.last_played,
            mine.iter().map(|g| g.start_time).max().unwrap()
        );
    }
    // Most played first.
    assert!(
        stats
            .windows(2)
            .all(|w| w[0].record.games >= w[1].record.games)
    );
}

#[test]
fn records_agree_with_a_recomputation() {
    let dir = tempfile::tempdir().unwrap();
    let (store, games) = generate(&dir);
    let cache = StatsCache::default();
    let statistics = Statistics::new(&store, &cache);
    let records = statistics
        .records(ACCOUNT, &MatchFilter::default())
        .unwrap();
    assert_eq!(records.len(), RecordKind::ALL.len());
    for r in &records {
        let value = |g: &Game| -> i64 {
            match r.kind {
                RecordKind::Kills => g.me.kills.unwrap(),
                RecordKind::Deaths => g.me.deaths.unwrap(),
                RecordKind::Assists => g.me.assists.unwrap(),
                RecordKind::GoldPerMin => g.me.gold_per_min.unwrap(),
                RecordKind::XpPerMin => g.me.xp_per_min.unwrap(),
                RecordKind::HeroDamage => g.me.hero_damage.unwrap(),
                RecordKind::LastHits => g.me.last_hits.unwrap(),
                RecordKind::LongestGame | RecordKind::ShortestGame => g.duration,
            }
        };
        // Ties go to the earliest game.
        let mut ordered: Vec<&Game> = games.iter().collect();
        ordered.sort_by_key(|g| (g.start_time, g.match_id));
        let best = if r.kind == RecordKind::ShortestGame {
            ordered.iter().min_by_key(|g| value(g)).unwrap()
        } else {
            // max_by_key keeps the last maximum: reverse to get the first.
            ordered.iter().rev().max_by_key(|g| value(g)).unwrap()
        };
        assert_eq!(r.value, value(best), "{:?}", r.kind);
        assert_eq!(r.match_id, best.match_id, "{:?}", r.kind);
        assert_eq!(r.won, best.won);
    }
}

#[test]
fn peers_agree_with_a_recomputation() {
    let dir = tempfile::tempdir().unwrap();
    let (store, games) = generate(&dir);
    let cache = StatsCache::default();
    let statistics = Statistics::new(&store, &cache);
    let peers = statistics
        .peer_stats(ACCOUNT, &MatchFilter::default(), 1_000)
        .unwrap();
    let mut expected: BTreeMap<i64, (Record, Record, i64)> = BTreeMap::new();
    for g in &games {
        for o in &g.others {
            let Some(id) = o.account_id else { continue };
            let entry = expected.entry(id).or_default();
            let side = if (o.player_slot < 128) == (g.slot < 128) {
                &mut entry.0
            } else {
                &mut entry.1
            };
            side.games += 1;
            side.wins += u64::from(g.won);
            entry.2 = entry.2.max(g.start_time);
        }
    }
    assert_eq!(peers.len(), expected.len());
    for p in &peers {
        let (with, against, last) = expected[&p.account_id];
        assert_eq!((p.with, p.against, p.last_played), (with, against, last));
        assert_eq!(p.tracked, p.account_id == OTHER_TRACKED);
    }
    assert!(peers.windows(2).all(|w| w[0].with.games >= w[1].with.games));

    // Games with one player: the filter every view shares.
    let mate = peers[0].account_id;
    let with_mate = MatchFilter {
        with_player: Some(mate),
        ..MatchFilter::default()
    };
    // `with:` is the same team, `against:` the other (issue 18: Teammates,
    // Enter listed both, 123 with + 104 against = 227).
    let overview = statistics.overview(ACCOUNT, &with_mate, NOW).unwrap();
    let (with, against, _) = expected[&mate];
    assert!(
        with.games > 0 && against.games > 0,
        "a mate met on both sides"
    );
    assert_eq!(overview.record, with);
    assert_eq!(store.match_count(ACCOUNT, &with_mate).unwrap(), with.games);
    let against_mate = MatchFilter {
        against_player: Some(mate),
        ..MatchFilter::default()
    };
    let overview = statistics.overview(ACCOUNT, &against_mate, NOW).unwrap();
    assert_eq!(overview.record, against);
}

#[test]
fn the_match_list_counts_with_every_filter() {
    let dir = tempfile::tempdir().unwrap();
    let (store, games) = generate(&dir);
    let turbo_losses = MatchFilter {
        lobby: Some(LobbyFilter::Turbo),
        result: Some(GameResult::Loss),
        ..MatchFilter::default()
    };
    let expected = games.iter().filter(|g| g.mode == 23 && !g.won).count() as u64;
    assert_eq!(store.match_count(ACCOUNT, &turbo_losses).unwrap(), expected);
    let rows = store
        .match_window(
            ACCOUNT,
            &turbo_losses,
            crate::store::WindowAnchor::Newest,
            1_000,
        )
        .unwrap();
    assert_eq!(rows.len() as u64, expected);
    assert!(rows.iter().all(|r| r.won() == Some(false)));
    // Side and date filters keep stubs too: phase 1 knows both.
    let radiant = MatchFilter {
        side: Some(Side::Radiant),
        ..MatchFilter::default()
    };
    let all = store.match_count(ACCOUNT, &MatchFilter::default()).unwrap();
    let dire = MatchFilter {
        side: Some(Side::Dire),
        ..MatchFilter::default()
    };
    assert_eq!(
        store.match_count(ACCOUNT, &radiant).unwrap() + store.match_count(ACCOUNT, &dire).unwrap(),
        all
    );
}

/// A stub of `ACCOUNT`'s made a detailed win, through `store`.
fn detail_a_stub(store: &mut Store, games: &[Game]) {
    detail_a_stub_with(store, games, |_| None);
}

/// [`detail_a_stub`], the player of index `i` having `account(i)`.
fn detail_a_stub_with(store: &mut Store, games: &[Game], account: impl Fn(i64) -> Option<i64>) {
    let stub = (0..600_i64)
        .find(|n| n % 6 == 5)
        .map(|n| 9_000_000 + n)
        .unwrap();
    assert!(
        games.iter().all(|g| g.match_id != stub),
        "a stub, not a game"
    );
    store
        .save_details(&MatchDetails {
            duration: Some(1_000),
            radiant_score: Some(0),
            dire_score: Some(0),
            ..match_details(
                stub,
                stub,
                NOW - 10,
                true,
                ten_players(|i, _| PlayerDetails {
                    account_id: account(i),
                    hero_id: Some(100 + i),
                    kills: Some(99),
                    ..PlayerDetails::default()
                }),
            )
        })
        .unwrap();
}

#[test]
fn cached_statistics_follow_this_connections_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, games) = generate(&dir);
    // The cache outlives each reader: a reader borrows the store between writes.
    let cache = StatsCache::default();
    let all = MatchFilter::default();
    let before = Statistics::new(&store, &cache)
        .overview(ACCOUNT, &all, NOW)
        .unwrap();
    assert_eq!(
        Statistics::new(&store, &cache)
            .overview(ACCOUNT, &all, NOW)
            .unwrap(),
        before,
        "cached"
    );
    detail_a_stub(&mut store, &games);
    let after = Statistics::new(&store, &cache)
        .overview(ACCOUNT, &all, NOW)
        .unwrap();
    assert_eq!(after.record.games, before.record.games + 1);
    let records = Statistics::new(&store, &cache)
        .records(ACCOUNT, &all)
        .unwrap();
    let kills = records
        .iter()
        .find(|r| r.kind == RecordKind::Kills)
        .unwrap();
    assert_eq!(kills.value, 99, "{records:?}");
}

#[test]
fn cached_statistics_follow_another_connections_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut writer, games) = generate(&dir);
    let reader = Store::open_read_only(writer.path()).unwrap();
    let cache = StatsCache::default();
    let statistics = Statistics::new(&reader, &cache);
    let all = MatchFilter::default();
    let heroes = statistics.hero_stats(ACCOUNT, &all).unwrap();
    let games_before: u64 = heroes.iter().map(|h| h.record.games).sum();
    detail_a_stub(&mut writer, &games);
    let heroes = statistics.hero_stats(ACCOUNT, &all).unwrap();
    assert_eq!(
        heroes.iter().map(|h| h.record.games).sum::<u64>(),
        games_before + 1
    );
}

#[test]
fn the_overview_follows_the_day_and_the_filter() {
    let dir = tempfile::tempdir().unwrap();
    let (store, games) = generate(&dir);
    let cache = StatsCache::default();
    let statistics = Statistics::new(&store, &cache);
    let all = MatchFilter::default();
    // Heroes first: the scan has no Overview yet.
    statistics.hero_stats(ACCOUNT, &all).unwrap();
    let today = statistics.overview(ACCOUNT, &all, NOW).unwrap();
    let later = statistics
        .overview(ACCOUNT, &all, NOW + 400 * 86_400)
        .unwrap();
    assert!(!today.activity.is_empty());
    assert_eq!(
        later.activity, today.activity,
        "a year on, the same history"
    );
    let wins = MatchFilter {
        result: Some(GameResult::Win),
        ..MatchFilter::default()
    };
    let won = statistics.overview(ACCOUNT, &wins, NOW).unwrap();
    assert_eq!(
        won.record.games,
        games.iter().filter(|g| g.won).count() as u64
    );
}

#[test]
fn cached_teammates_follow_writes_the_filter_and_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (mut writer, games) = generate(&dir);
    let reader = Store::open_read_only(writer.path()).unwrap();
    let cache = StatsCache::default();
    let statistics = Statistics::new(&reader, &cache);
    let all = MatchFilter::default();
    let met =
        |peers: &[PeerStats]| -> u64 { peers.iter().map(|p| p.with.games + p.against.games).sum() };
    let before = statistics.peer_stats(ACCOUNT, &all, 1_000).unwrap();
    assert_eq!(
        statistics.peer_stats(ACCOUNT, &all, 1_000).unwrap(),
        before,
        "cached"
    );
    assert_eq!(
        statistics.peer_stats(ACCOUNT, &all, 1).unwrap().len(),
        1,
        "another limit"
    );
    let wins = MatchFilter {
        result: Some(GameResult::Win),
        ..MatchFilter::default()
    };
    assert!(met(&statistics.peer_stats(ACCOUNT, &wins, 1_000).unwrap()) < met(&before));
    // Nine accounts beside the tracked player's slot.
    detail_a_stub_with(&mut writer, &games, |i| Some(700_000 + i));
    let after = statistics.peer_stats(ACCOUNT, &all, 1_000).unwrap();
    assert_eq!(met(&after), met(&before) + 9);
}

/// "When do I win": every hour and weekday agrees with SQLite's own
/// calendar (`strftime`) over the account's detailed matches, and the
/// buckets hold every game once.
#[test]
fn when_stats_agree_with_sql() {
    let dir = tempfile::tempdir().unwrap();
    let (store, games) = generate(&dir);
    let cache = StatsCache::default();
    let statistics = Statistics::new(&store, &cache);
    let all = MatchFilter::default();
    let when = statistics.when_stats(ACCOUNT, &all, Zone::Utc).unwrap();
    let sql = |part: &str| -> BTreeMap<i64, Record> {
        let mut stmt = store
            .connection()
            .prepare(&format!(
                "SELECT CAST(strftime('{part}', m.start_time, 'unixepoch') AS INTEGER), count(*),
                        sum(m.radiant_win = (am.player_slot < 128))
                   FROM account_matches am JOIN matches m ON m.match_id = am.match_id
                  WHERE am.account_id = ?1 AND m.has_details = 1 AND m.radiant_win IS NOT NULL
                  GROUP BY 1"
            ))
            .unwrap();
        stmt.query_map([ACCOUNT], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Record {
                    games: r.get::<_, i64>(1)? as u64,
                    wins: r.get::<_, i64>(2)? as u64,
                },
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let hours = sql("%H");
    for (hour, record) in when.by_hour.iter().enumerate() {
        let expected = hours.get(&(hour as i64)).copied().unwrap_or_default();
        assert_eq!(*record, expected, "hour {hour}");
    }
    // strftime's %w counts from Sunday (0); ours from Monday.
    let days = sql("%w");
    for (day, record) in when.by_weekday.iter().enumerate() {
        let sunday_first = (day as i64 + 1) % 7;
        let expected = days.get(&sunday_first).copied().unwrap_or_default();
        assert_eq!(*record, expected, "weekday {day}");
    }
    let total: u64 = when.by_hour.iter().map(|r| r.games).sum();
    assert_eq!(total, games.len() as u64);
    assert_eq!(when.by_weekday.iter().map(|r| r.games).sum::<u64>(), total);
    // Local time buckets the same games (whatever the machine's zone).
    let local = statistics.when_stats(ACCOUNT, &all, Zone::Local).unwrap();
    assert_eq!(local.by_hour.iter().map(|r| r.games).sum::<u64>(), total);
}

/// Heroes with and against: every hero of the other nine players of each
/// game, on the tracked player's team or the other, against a
/// recomputation; and the peers of the same pass unchanged by it.
#[test]
fn hero_matchups_agree_with_a_recomputation() {
    let dir = tempfile::tempdir().unwrap();
    let (store, games) = generate(&dir);
    let cache = StatsCache::default();
    let statistics = Statistics::new(&store, &cache);
    let all = MatchFilter::default();
    let mut expected: BTreeMap<i64, (Record, Record)> = BTreeMap::new();
    for g in &games {
        for o in &g.others {
            let Some(hero) = o.hero_id else { continue };
            let entry = expected.entry(hero).or_default();
            let side = if (o.player_slot >= 128) == (g.slot >= 128) {
                &mut entry.0
            } else {
                &mut entry.1
            };
            side.games += 1;
            side.wins += u64::from(g.won);
        }
    }
    let got = statistics.hero_matchups(ACCOUNT, &all, 100).unwrap();
    assert_eq!(got.len(), expected.len());
    for m in &got {
        assert_eq!(
            (m.with, m.against),
            expected[&m.hero_id],
            "hero {}",
            m.hero_id
        );
    }
    let total = |m: &HeroMatchup| m.with.games + m.against.games;
    assert!(got.windows(2).all(|w| total(&w[0]) >= total(&w[1])));
    // Nine other players a game.
    let sum: u64 = got.iter().map(total).sum();
    assert_eq!(
        sum,
        games
            .iter()
            .map(|g| g.others.iter().filter(|o| o.hero_id.is_some()).count() as u64)
            .sum::<u64>()
    );
}

/// Trends: each metric's last point is the mean of the newest window of
/// games, as recomputed here, at the win rate's points.
#[test]
fn trends_end_at_the_mean_of_the_newest_window() {
    let dir = tempfile::tempdir().unwrap();
    let (store, games) = generate(&dir);
    let cache = StatsCache::default();
    let statistics = Statistics::new(&store, &cache);
    let overview = statistics
        .overview(ACCOUNT, &MatchFilter::default(), NOW)
        .unwrap();
    let mut newest: Vec<&Game> = games.iter().collect();
    newest.sort_by_key(|g| std::cmp::Reverse((g.start_time, g.match_id)));
    let window = &newest[..overview.rolling_window as usize];
    let mean = |f: &dyn Fn(&Game) -> Option<f64>| {
        let values: Vec<f64> = window.iter().filter_map(|g| f(g)).collect();
        values.iter().sum::<f64>() / values.len() as f64
    };
    assert_eq!(overview.trends.len(), 3);
    for trend in &overview.trends {
        let expected = match trend.metric {
            TrendMetric::GoldPerMin => mean(&|g| g.me.gold_per_min.map(|v| v as f64)),
            TrendMetric::XpPerMin => mean(&|g| g.me.xp_per_min.map(|v| v as f64)),
            TrendMetric::Kda => {
                mean(&|g| Some((g.me.kills? + g.me.assists?) as f64 / g.me.deaths?.max(1) as f64))
            }
            TrendMetric::WinRate => unreachable!("the win rate is `rolling`"),
        };
        let (at, got) = *trend.points.last().unwrap();
        assert_eq!(at, newest[0].start_time);
        assert!(
            close(got, expected),
            "{:?}: {got} vs {expected}",
            trend.metric
        );
        assert_eq!(
            trend.points.len(),
            overview.rolling.len(),
            "{:?}",
            trend.metric
        );
    }
}
