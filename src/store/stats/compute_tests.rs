//! The pure statistics on games built here, no database: each expected
//! value is worked out by hand from the few games of the test.

use super::*;
use crate::store::stats::peers::{PeerTally, Slot, slots_of};

/// 1970-01-05 00:00 UTC, a Monday.
const MONDAY: i64 = 4 * DAY;

fn game(match_id: i64, start: i64, won: bool) -> Game {
    Game {
        match_id,
        start_time: Some(start),
        hero_id: Some(1),
        radiant: true,
        won,
        ..Game::default()
    }
}

#[test]
fn the_overview_counts_streaks_splits_and_means() {
    let mut games = vec![
        Game {
            kills: Some(10),
            lobby_type: Some(7),
            game_mode: Some(22),
            ..game(1, MONDAY, true)
        },
        Game {
            kills: None,
            lobby_type: Some(7),
            game_mode: Some(23),
            radiant: false,
            ..game(2, MONDAY + 3_600, false)
        },
        Game {
            kills: Some(4),
            lobby_type: Some(0),
            game_mode: Some(22),
            from_summary: true,
            ..game(3, MONDAY + DAY, false)
        },
    ];
    // A start time in the future is no day played yet.
    games.push(Game {
        lobby_type: Some(1),
        ..game(4, MONDAY + 10 * DAY, false)
    });
    let o = overview_of(&games, MONDAY + DAY + 60);
    assert_eq!(o.record, Record { games: 4, wins: 1 });
    assert_eq!(o.from_summaries, 1);
    assert_eq!(
        o.streak,
        Some(Streak {
            won: false,
            games: 3
        })
    );
    assert_eq!(o.recent, vec![false, false, false, true]);
    // A game without kills is left out of the mean, as SQL's `avg`.
    assert_eq!(o.averages.kills, 7.0);
    let lobbies: Vec<(LobbyGroup, u64)> =
        o.by_lobby.iter().map(|s| (s.key, s.record.games)).collect();
    // Turbo wins over the ranked lobby it was played in.
    assert_eq!(
        lobbies,
        [
            (LobbyGroup::Ranked, 1),
            (LobbyGroup::Normal, 1),
            (LobbyGroup::Turbo, 1),
            (LobbyGroup::Other, 1)
        ]
    );
    let modes: Vec<(Option<i64>, u64)> =
        o.by_mode.iter().map(|s| (s.key, s.record.games)).collect();
    // Most played first; ties by mode number, unknown first.
    assert_eq!(modes, [(Some(22), 2), (None, 1), (Some(23), 1)]);
    let sides: Vec<(Side, Record)> = o.by_side.iter().map(|s| (s.key, s.record)).collect();
    assert_eq!(
        sides,
        [
            (Side::Radiant, Record { games: 3, wins: 1 }),
            (Side::Dire, Record { games: 1, wins: 0 })
        ]
    );
    assert_eq!(o.activity, [(MONDAY, 2), (MONDAY + DAY, 1)]);
}

#[test]
fn no_games_no_streak() {
    assert_eq!(overview_of(&[], MONDAY), Overview::default());
}

#[test]
fn the_rolling_window_grows_so_no_game_falls_between_points() {
    let games: Vec<Game> = (0..10_000)
        .map(|n| game(n, MONDAY + n * 60, n % 4 == 0))
        .collect();
    let (points, window) = rolling_win_rate(&games);
    // 10,000 games in at most 200 points: a point every 50 games.
    assert_eq!(window, 50);
    assert_eq!(points.len(), 200);
    assert_eq!(points.last().unwrap().0, MONDAY + 9_999 * 60);
    assert!(
        points
            .iter()
            .all(|&(_, rate)| (rate - 26.0).abs() < 1e-9 || (rate - 24.0).abs() < 1e-9)
    );

    let few: Vec<Game> = (0..30).map(|n| game(n, MONDAY + n, n >= 20)).collect();
    let (points, window) = rolling_win_rate(&few);
    assert_eq!(window, ROLLING_GAMES as u64);
    // From the 20th game on: the first window has no win, the last all.
    assert_eq!(points.len(), 11);
    assert_eq!(points[0], (MONDAY + 19, 0.0));
    assert_eq!(points[10], (MONDAY + 29, 50.0));
}

#[test]
fn a_rolling_mean_leaves_out_games_without_the_value() {
    let games: Vec<Game> = (0..4)
        .map(|n| Game {
            gpm: (n != 2).then_some(100 * n),
            ..game(n, MONDAY + n, true)
        })
        .collect();
    let points = rolling_mean(&games, 2, |g| g.gpm.map(|v| v as f64));
    assert_eq!(
        points,
        [(MONDAY + 1, 50.0), (MONDAY + 2, 100.0), (MONDAY + 3, 300.0)]
    );
}

#[test]
fn when_buckets_by_utc_hour_and_weekday() {
    let games = vec![
        game(1, MONDAY + 3 * 3_600 + 59, true),
        game(2, MONDAY + 6 * DAY + 23 * 3_600, false),
        Game {
            start_time: None,
            ..game(3, 0, true)
        },
    ];
    let when = when_of(&games, Zone::Utc);
    assert_eq!(when.by_hour[3], Record { games: 1, wins: 1 });
    assert_eq!(when.by_hour[23], Record { games: 1, wins: 0 });
    assert_eq!(when.by_weekday[0], Record { games: 1, wins: 1 });
    assert_eq!(when.by_weekday[6], Record { games: 1, wins: 0 });
    assert_eq!(when.undated, 1);
}

#[test]
fn heroes_most_played_first_with_their_means() {
    let games = vec![
        Game {
            hero_id: Some(5),
            kills: Some(2),
            ..game(1, MONDAY, true)
        },
        Game {
            hero_id: Some(7),
            ..game(2, MONDAY + 1, true)
        },
        Game {
            hero_id: Some(5),
            kills: Some(6),
            from_summary: true,
            ..game(3, MONDAY + 2, false)
        },
        Game {
            hero_id: None,
            ..game(4, MONDAY + 3, false)
        },
    ];
    let heroes = heroes_of(&games);
    let ids: Vec<i64> = heroes.iter().map(|h| h.hero_id).collect();
    assert_eq!(ids, [5, 7]);
    assert_eq!(heroes[0].record, Record { games: 2, wins: 1 });
    assert_eq!(heroes[0].kills, 4.0);
    assert_eq!(heroes[0].last_played, MONDAY + 2);
    assert_eq!(heroes[0].from_summaries, 1);
}

#[test]
fn records_keep_the_earliest_of_a_tie_and_the_shortest_game() {
    let games = vec![
        Game {
            kills: Some(9),
            duration: Some(2_000),
            ..game(1, MONDAY, true)
        },
        Game {
            kills: Some(9),
            duration: Some(1_000),
            ..game(2, MONDAY + 1, false)
        },
        Game {
            kills: Some(3),
            duration: Some(3_000),
            ..game(3, MONDAY + 2, true)
        },
    ];
    let records = records_of(&games);
    let of = |kind| records.iter().find(|r| r.kind == kind).unwrap();
    assert_eq!(
        (of(RecordKind::Kills).match_id, of(RecordKind::Kills).value),
        (1, 9)
    );
    assert_eq!(of(RecordKind::ShortestGame).match_id, 2);
    assert_eq!(of(RecordKind::LongestGame).match_id, 3);
    // No game has the value: no record.
    assert!(records.iter().all(|r| r.kind != RecordKind::HeroDamage));
}

#[test]
fn peers_are_with_or_against_and_never_the_player() {
    let mut tally = PeerTally::new(77);
    let other = |slot, account_id: Option<i64>, hero| Slot {
        slot,
        account_id,
        hero_id: Some(hero),
    };
    // Radiant won, I am slot 0: a mate in slot 1, a foe in 128.
    tally.add(0, other(1, Some(500), 10), true, MONDAY, false);
    tally.add(0, other(128, Some(600), 11), true, MONDAY, false);
    tally.add(0, other(129, None, 10), true, MONDAY, false);
    tally.add(0, other(2, Some(77), 12), true, MONDAY, false);
    // Then I play Dire against 500 and lose, from a summary.
    tally.add(130, other(3, Some(500), 10), true, MONDAY + 9, true);
    let (peers, heroes) = tally.finish(10);
    let ids: Vec<i64> = peers.iter().map(|p| p.account_id).collect();
    assert_eq!(ids, [500, 600]);
    assert_eq!(peers[0].with, Record { games: 1, wins: 1 });
    assert_eq!(peers[0].against, Record { games: 1, wins: 0 });
    assert_eq!(
        (peers[0].last_played, peers[0].from_summaries),
        (MONDAY + 9, 1)
    );
    assert_eq!(peers[1].against, Record { games: 1, wins: 1 });
    // The anonymous player's hero counts; the player's own slot does too
    // here, as the caller passes only the other slots.
    assert_eq!(heroes[0].hero_id, 10);
    assert_eq!(heroes[0].with, Record { games: 1, wins: 1 });
    assert_eq!(heroes[0].against, Record { games: 2, wins: 1 });
    let (peers, _) = {
        let mut t = PeerTally::new(77);
        t.add(0, other(1, Some(1), 1), true, MONDAY, false);
        t.add(0, other(2, Some(2), 1), true, MONDAY, false);
        t.finish(1)
    };
    assert_eq!(peers.len(), 1);
}

#[test]
fn a_summarys_heroes_lose_only_what_is_unreadable() {
    let slots = slots_of(
        r#"{"0":{"account_id":5,"hero_id":7},"x":{},"300":{},"129":3,"130":{"hero_id":2}}"#,
    );
    assert_eq!(
        slots,
        [
            Slot {
                slot: 0,
                account_id: Some(5),
                hero_id: Some(7)
            },
            Slot {
                slot: 130,
                account_id: None,
                hero_id: Some(2)
            }
        ]
    );
    assert!(slots_of("not json").is_empty());
}
