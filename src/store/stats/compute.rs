//! The statistics as functions of the games, oldest first: no SQLite
//! here, so each is unit-tested on `Game` values built in the test
//! (`compute_tests.rs`); `scan.rs` reads the games.

use std::collections::BTreeMap;

use super::{
    Averages, HeroStats, LobbyGroup, Overview, ROLLING_GAMES, ROLLING_POINTS, Record, RecordKind,
    RecordRow, Split, Streak, Trend, TrendMetric, WhenStats, Zone,
};
use crate::store::filter::{RANKED_LOBBIES, Side, TURBO_MODE};

const DAY: i64 = 86_400;

/// One game of the account's, as the one scan reads it.
#[derive(Debug, Clone, Default)]
pub(super) struct Game {
    pub(super) match_id: i64,
    pub(super) start_time: Option<i64>,
    pub(super) hero_id: Option<i64>,
    pub(super) radiant: bool,
    pub(super) won: bool,
    pub(super) kills: Option<i64>,
    pub(super) deaths: Option<i64>,
    pub(super) assists: Option<i64>,
    pub(super) gpm: Option<i64>,
    pub(super) xpm: Option<i64>,
    pub(super) hero_damage: Option<i64>,
    pub(super) last_hits: Option<i64>,
    pub(super) duration: Option<i64>,
    pub(super) lobby_type: Option<i64>,
    pub(super) game_mode: Option<i64>,
    pub(super) from_summary: bool,
}

impl Game {
    /// The value a record of `kind` compares.
    pub(super) fn value(&self, kind: RecordKind) -> Option<i64> {
        match kind {
            RecordKind::Kills => self.kills,
            RecordKind::Deaths => self.deaths,
            RecordKind::Assists => self.assists,
            RecordKind::GoldPerMin => self.gpm,
            RecordKind::XpPerMin => self.xpm,
            RecordKind::HeroDamage => self.hero_damage,
            RecordKind::LastHits => self.last_hits,
            RecordKind::LongestGame | RecordKind::ShortestGame => self.duration,
        }
    }

    pub(super) fn lobby_group(&self) -> LobbyGroup {
        if self.game_mode == Some(TURBO_MODE) {
            LobbyGroup::Turbo
        } else if self.lobby_type.is_some_and(|l| RANKED_LOBBIES.contains(&l)) {
            LobbyGroup::Ranked
        } else if self.lobby_type == Some(0) {
            LobbyGroup::Normal
        } else {
            LobbyGroup::Other
        }
    }
}

/// The mean of the values present, 0 without any (SQL's `avg`, then 0 for NULL).
#[derive(Debug, Clone, Copy, Default)]
struct Mean {
    sum: i64,
    count: i64,
}

impl Mean {
    fn add(&mut self, value: Option<i64>) {
        if let Some(v) = value {
            self.sum += v;
            self.count += 1;
        }
    }

    fn get(self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum as f64 / self.count as f64
        }
    }
}

pub(super) fn tally(record: &mut Record, won: bool) {
    record.games += 1;
    record.wins += u64::from(won);
}

/// Midnight (UTC) of the day `now` is in.
pub(super) fn day_of(now: i64) -> i64 {
    now.div_euclid(DAY) * DAY
}

/// The Overview of `games` (oldest first); `now` ends the activity heatmap.
pub(super) fn overview_of(games: &[Game], now: i64) -> Overview {
    let mut overview = Overview::default();
    let Some(newest) = games.last() else {
        return overview;
    };
    let (mut kills, mut deaths, mut assists) = (Mean::default(), Mean::default(), Mean::default());
    let (mut gpm, mut xpm, mut duration) = (Mean::default(), Mean::default(), Mean::default());
    let mut by_lobby: BTreeMap<LobbyGroup, Record> = BTreeMap::new();
    let mut by_mode: BTreeMap<Option<i64>, Record> = BTreeMap::new();
    let (mut radiant, mut dire) = (Record::default(), Record::default());
    let today = day_of(now);
    let mut activity: BTreeMap<i64, u64> = BTreeMap::new();
    for game in games {
        tally(&mut overview.record, game.won);
        overview.from_summaries += u64::from(game.from_summary);
        kills.add(game.kills);
        deaths.add(game.deaths);
        assists.add(game.assists);
        gpm.add(game.gpm);
        xpm.add(game.xpm);
        duration.add(game.duration);
        tally(by_lobby.entry(game.lobby_group()).or_default(), game.won);
        tally(by_mode.entry(game.game_mode).or_default(), game.won);
        tally(
            if game.radiant {
                &mut radiant
            } else {
                &mut dire
            },
            game.won,
        );
        // A start time in the future (a skewed clock) is no day played yet.
        if let Some(start) = game.start_time
            && start < today + DAY
        {
            *activity.entry(start.div_euclid(DAY) * DAY).or_default() += 1;
        }
    }
    overview.averages = Averages {
        kills: kills.get(),
        deaths: deaths.get(),
        assists: assists.get(),
        gold_per_min: gpm.get(),
        xp_per_min: xpm.get(),
        duration: duration.get(),
    };
    overview.recent = games
        .iter()
        .rev()
        .take(ROLLING_GAMES as usize)
        .map(|g| g.won)
        .collect();
    let streak = games
        .iter()
        .rev()
        .take_while(|g| g.won == newest.won)
        .count();
    overview.streak = Some(Streak {
        won: newest.won,
        games: streak as u64,
    });
    overview.by_lobby = by_lobby
        .into_iter()
        .map(|(key, record)| Split { key, record })
        .collect();
    let mut modes: Vec<(Option<i64>, Record)> = by_mode.into_iter().collect();
    // Most played first; ties by mode number, as the keys already are.
    modes.sort_by_key(|(_, record)| std::cmp::Reverse(record.games));
    overview.by_mode = modes
        .into_iter()
        .map(|(key, record)| Split { key, record })
        .collect();
    overview.by_side = [(Side::Radiant, radiant), (Side::Dire, dire)]
        .into_iter()
        .filter(|(_, record)| record.games > 0)
        .map(|(key, record)| Split { key, record })
        .collect();
    (overview.rolling, overview.rolling_window) = rolling_win_rate(games);
    let window = overview.rolling_window as usize;
    overview.trends = TrendMetric::ALL[1..]
        .iter()
        .map(|&metric| Trend {
            metric,
            points: rolling_mean(games, window, |g| match metric {
                TrendMetric::Kda => Some((g.kills? + g.assists?) as f64 / g.deaths?.max(1) as f64),
                TrendMetric::GoldPerMin => g.gpm.map(|v| v as f64),
                TrendMetric::XpPerMin => g.xpm.map(|v| v as f64),
                TrendMetric::WinRate => Some(if g.won { 100.0 } else { 0.0 }),
            }),
        })
        .collect();
    overview.activity = activity.into_iter().collect();
    overview
}

/// The win rate of the games ending at each game, sampled so that at most
/// `ROLLING_POINTS` remain and the newest game is always one; and the
/// window, in games. The window is `ROLLING_GAMES`, or the step between two
/// points when that is longer, so that no game falls between two points.
pub(super) fn rolling_win_rate(games: &[Game]) -> (Vec<(i64, f64)>, u64) {
    let total = games.len() as i64;
    let step = ((total + ROLLING_POINTS - 1) / ROLLING_POINTS).max(1);
    let size = ROLLING_GAMES.max(step);
    let first = size.min(total);
    let mut wins_in_window = 0_i64;
    let mut points = Vec::new();
    for (index, game) in games.iter().enumerate() {
        wins_in_window += i64::from(game.won);
        let n = index as i64 + 1;
        if n > size {
            wins_in_window -= i64::from(games[index - size as usize].won);
        }
        if n >= first && (total - n) % step == 0 {
            let window = n.min(size);
            points.push((
                game.start_time.unwrap_or_default(),
                100.0 * (wins_in_window as f64 / window as f64),
            ));
        }
    }
    (points, size as u64)
}

/// The record of `games` by start hour and weekday on `zone`'s clock.
pub(super) fn when_of(games: &[Game], zone: Zone) -> WhenStats {
    use chrono::{Datelike, TimeZone, Timelike};
    let mut when = WhenStats::default();
    for game in games {
        let Some(start) = game.start_time else {
            when.undated += 1;
            continue;
        };
        let (hour, weekday) = match zone {
            Zone::Utc => (
                start.rem_euclid(DAY) / 3_600,
                // 1970-01-01 was a Thursday (3 days after a Monday).
                (start.div_euclid(DAY) + 3).rem_euclid(7),
            ),
            Zone::Local => match chrono::Local.timestamp_opt(start, 0).single() {
                Some(t) => (
                    i64::from(t.hour()),
                    i64::from(t.weekday().num_days_from_monday()),
                ),
                None => {
                    when.undated += 1;
                    continue;
                }
            },
        };
        tally(&mut when.by_hour[hour as usize], game.won);
        tally(&mut when.by_weekday[weekday as usize], game.won);
    }
    when
}

/// The mean of `value` over the `window` games ending at each game, at the
/// same points as [`rolling_win_rate`] (games without the value are left
/// out of a mean; a window with none gives no point).
pub(super) fn rolling_mean(
    games: &[Game],
    window: usize,
    value: impl Fn(&Game) -> Option<f64>,
) -> Vec<(i64, f64)> {
    let total = games.len() as i64;
    let step = ((total + ROLLING_POINTS - 1) / ROLLING_POINTS).max(1);
    let first = (window as i64).min(total);
    let (mut sum, mut count) = (0.0_f64, 0_u64);
    let mut points = Vec::new();
    for (index, game) in games.iter().enumerate() {
        if let Some(v) = value(game) {
            sum += v;
            count += 1;
        }
        if index >= window
            && let Some(v) = value(&games[index - window])
        {
            sum -= v;
            count -= 1;
        }
        let n = index as i64 + 1;
        if n >= first && (total - n) % step == 0 && count > 0 {
            points.push((game.start_time.unwrap_or_default(), sum / count as f64));
        }
    }
    points
}

/// The Heroes tab of `games`: most played first, ties by hero ID.
pub(super) fn heroes_of(games: &[Game]) -> Vec<HeroStats> {
    #[derive(Default)]
    struct Acc {
        record: Record,
        kills: Mean,
        deaths: Mean,
        assists: Mean,
        gpm: Mean,
        xpm: Mean,
        last_played: Option<i64>,
        from_summaries: u64,
    }
    let mut heroes: BTreeMap<i64, Acc> = BTreeMap::new();
    for game in games {
        let Some(hero) = game.hero_id else { continue };
        let acc = heroes.entry(hero).or_default();
        tally(&mut acc.record, game.won);
        acc.kills.add(game.kills);
        acc.deaths.add(game.deaths);
        acc.assists.add(game.assists);
        acc.gpm.add(game.gpm);
        acc.xpm.add(game.xpm);
        acc.last_played = acc.last_played.max(game.start_time);
        acc.from_summaries += u64::from(game.from_summary);
    }
    let mut stats: Vec<HeroStats> = heroes
        .into_iter()
        .map(|(hero_id, acc)| HeroStats {
            hero_id,
            record: acc.record,
            kills: acc.kills.get(),
            deaths: acc.deaths.get(),
            assists: acc.assists.get(),
            gold_per_min: acc.gpm.get(),
            xp_per_min: acc.xpm.get(),
            last_played: acc.last_played.unwrap_or_default(),
            from_summaries: acc.from_summaries,
        })
        .collect();
    // Stable: ties keep the hero order of the map.
    stats.sort_by_key(|h| std::cmp::Reverse(h.record.games));
    stats
}

/// The best game of `games` (oldest first) for each kind; ties: the earliest.
pub(super) fn records_of(games: &[Game]) -> Vec<RecordRow> {
    RecordKind::ALL
        .into_iter()
        .filter_map(|kind| {
            // The shortest game is the only record that is a smallest value.
            let smallest = kind == RecordKind::ShortestGame;
            let mut best: Option<(i64, &Game)> = None;
            for game in games {
                let Some(value) = game.value(kind) else {
                    continue;
                };
                let better = match best {
                    None => true,
                    Some((held, _)) if smallest => value < held,
                    Some((held, _)) => value > held,
                };
                if better {
                    best = Some((value, game));
                }
            }
            best.map(|(value, game)| RecordRow {
                kind,
                value,
                match_id: game.match_id,
                start_time: game.start_time.unwrap_or_default(),
                hero_id: game.hero_id,
                won: game.won,
                from_summary: game.from_summary,
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "compute_tests.rs"]
mod tests;
