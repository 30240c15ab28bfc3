//! Statistics of one account's detailed matches, computed in the store
//! layer: the Overview, Heroes, Teammates and Records views and `export`
//! read these and only draw or print them.
//!
//! Every statistic starts from the same set of games: the account's rows of
//! `account_games` (its matches with a known winner, one row per match with
//! the tracked player's line from the details, else from the summary, see
//! `games.rs`), narrowed by a [`MatchFilter`]. Each answer says how many of
//! its games came from summaries (`from_summaries`).

use std::collections::{BTreeMap, HashMap};

use rusqlite::types::{Type, Value};

use super::filter::{MatchFilter, RANKED_LOBBIES, TURBO_MODE};
use super::{Store, StoreError};
use crate::source::model::is_radiant_slot;

/// How many games the W/L strip shows.
pub const STRIP_GAMES: usize = 20;
/// The rolling win rate's window, in games.
pub const ROLLING_GAMES: i64 = 20;
/// At most this many points of the rolling win rate are returned.
pub const ROLLING_POINTS: i64 = 200;
/// A year of weeks: the heatmap's span when the screen gives each week a
/// column (longer histories put several weeks in a column).
pub const ACTIVITY_DAYS: i64 = 53 * 7;

const DAY: i64 = 86_400;

/// Games won out of games played.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Record {
    pub games: u64,
    pub wins: u64,
}

impl Record {
    pub fn losses(&self) -> u64 {
        self.games - self.wins
    }

    /// Percent, `None` without games.
    pub fn win_rate(&self) -> Option<f64> {
        (self.games > 0).then(|| 100.0 * self.wins as f64 / self.games as f64)
    }
}

/// One line of a split: a lobby group, a game mode or a side.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Split {
    pub label: String,
    #[serde(flatten)]
    pub record: Record,
}

/// The tracked player's averages per game.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Averages {
    pub kills: f64,
    pub deaths: f64,
    pub assists: f64,
    pub gold_per_min: f64,
    pub xp_per_min: f64,
    /// Seconds.
    pub duration: f64,
}

/// Wins or losses in a row, newest game first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Streak {
    pub won: bool,
    pub games: u64,
}

/// Everything the Overview tab shows.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Overview {
    pub record: Record,
    pub streak: Option<Streak>,
    /// The last `STRIP_GAMES` results, newest first.
    pub recent: Vec<bool>,
    pub averages: Averages,
    /// Ranked, Normal, Turbo, Other (only those with games).
    pub by_lobby: Vec<Split>,
    /// Game modes, most played first.
    pub by_mode: Vec<Split>,
    /// Radiant, Dire.
    pub by_side: Vec<Split>,
    /// (start time, win rate in percent of the `rolling_window` games
    /// ending there), oldest first, at most `ROLLING_POINTS`.
    pub rolling: Vec<(i64, f64)>,
    /// Games each rolling point sums up: `ROLLING_GAMES`, or more when the
    /// history is so long that points would otherwise skip games (each
    /// point then covers exactly the games since the one before).
    pub rolling_window: u64,
    /// The same window's mean of K/D/A ratio, GPM and XPM at the same
    /// points (games without the value left out of a mean).
    pub trends: Vec<Trend>,
    /// (day as Unix time of its midnight, games) for every day with games
    /// up to `now`'s day (the whole history), oldest first.
    pub activity: Vec<(i64, u64)>,
    /// Games of `record` counted from their summary (no details yet).
    pub from_summaries: u64,
}

/// A hero met in the account's games: on the tracked player's team
/// (`with`) or on the other (`against`), and the tracked player's record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct HeroMatchup {
    pub hero_id: i64,
    pub with: Record,
    pub against: Record,
}

/// What a trend line shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub enum TrendMetric {
    #[default]
    WinRate,
    /// (kills + assists) / deaths, deaths counted as at least one.
    Kda,
    GoldPerMin,
    XpPerMin,
}

impl TrendMetric {
    pub const ALL: [TrendMetric; 4] = [
        TrendMetric::WinRate,
        TrendMetric::Kda,
        TrendMetric::GoldPerMin,
        TrendMetric::XpPerMin,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TrendMetric::WinRate => "Win rate",
            TrendMetric::Kda => "K/D/A ratio",
            TrendMetric::GoldPerMin => "GPM",
            TrendMetric::XpPerMin => "XPM",
        }
    }
}

/// One metric's rolling mean over the Overview's window, oldest first.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Trend {
    pub metric: TrendMetric,
    /// (start time, mean of the window ending there).
    pub points: Vec<(i64, f64)>,
}

/// "When do I win?": the record by the hour of the day and by the day of
/// the week the game started, in one time zone.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct WhenStats {
    /// Hour 0 (midnight to 1 am) to 23.
    pub by_hour: [Record; 24],
    /// Monday first.
    pub by_weekday: [Record; 7],
    /// Games without a start time (in no bucket).
    pub undated: u64,
}

/// Which clock the hours of [`WhenStats`] are read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    Utc,
    /// The machine's time zone (each game with the offset of its own day).
    Local,
}

/// One row of the Heroes tab.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct HeroStats {
    pub hero_id: i64,
    #[serde(flatten)]
    pub record: Record,
    pub kills: f64,
    pub deaths: f64,
    pub assists: f64,
    pub gold_per_min: f64,
    pub xp_per_min: f64,
    pub last_played: i64,
    /// Games of `record` counted from their summary (no details yet).
    pub from_summaries: u64,
}

/// One row of the Teammates tab: a player met, with and against.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PeerStats {
    pub account_id: i64,
    /// Games on the tracked player's team, and those won.
    pub with: Record,
    /// Games on the other team, and those the tracked player won.
    pub against: Record,
    pub last_played: i64,
    /// Another account this database tracks.
    pub tracked: bool,
    /// From the player-names cache, when known.
    pub name: Option<String>,
    /// Games of `with` and `against` counted from the tracked player's
    /// summary (its `heroes`), no details yet.
    pub from_summaries: u64,
}

/// What a record is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Kills,
    Deaths,
    Assists,
    GoldPerMin,
    XpPerMin,
    HeroDamage,
    LastHits,
    LongestGame,
    ShortestGame,
}

impl RecordKind {
    pub const ALL: [RecordKind; 9] = [
        RecordKind::Kills,
        RecordKind::Deaths,
        RecordKind::Assists,
        RecordKind::GoldPerMin,
        RecordKind::XpPerMin,
        RecordKind::HeroDamage,
        RecordKind::LastHits,
        RecordKind::LongestGame,
        RecordKind::ShortestGame,
    ];

    pub fn title(self) -> &'static str {
        match self {
            RecordKind::Kills => "Most kills",
            RecordKind::Deaths => "Most deaths",
            RecordKind::Assists => "Most assists",
            RecordKind::GoldPerMin => "Highest GPM",
            RecordKind::XpPerMin => "Highest XPM",
            RecordKind::HeroDamage => "Most hero damage",
            RecordKind::LastHits => "Most last hits",
            RecordKind::LongestGame => "Longest game",
            RecordKind::ShortestGame => "Shortest game",
        }
    }

    /// Whether the smallest value is the record (else the largest).
    fn smallest_wins(self) -> bool {
        self == RecordKind::ShortestGame
    }
}

/// The best (or, for the shortest game, smallest) value and its match.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordRow {
    pub kind: RecordKind,
    pub value: i64,
    pub match_id: i64,
    pub start_time: i64,
    pub hero_id: Option<i64>,
    pub won: bool,
    /// The value is the summary's (the match has no details yet).
    pub from_summary: bool,
}

/// One game of the account's, as the one scan reads it.
#[derive(Debug, Clone)]
struct Game {
    match_id: i64,
    start_time: Option<i64>,
    hero_id: Option<i64>,
    radiant: bool,
    won: bool,
    kills: Option<i64>,
    deaths: Option<i64>,
    assists: Option<i64>,
    gpm: Option<i64>,
    xpm: Option<i64>,
    hero_damage: Option<i64>,
    last_hits: Option<i64>,
    duration: Option<i64>,
    lobby_type: Option<i64>,
    game_mode: Option<i64>,
    from_summary: bool,
}

impl Game {
    /// The value a record of `kind` compares.
    fn value(&self, kind: RecordKind) -> Option<i64> {
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

    fn lobby_group(&self) -> LobbyGroup {
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

/// The Overview's lobby split, in the order it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum LobbyGroup {
    Ranked,
    Normal,
    Turbo,
    Other,
}

impl LobbyGroup {
    fn label(self) -> &'static str {
        match self {
            LobbyGroup::Ranked => "Ranked",
            LobbyGroup::Normal => "Normal",
            LobbyGroup::Turbo => "Turbo",
            LobbyGroup::Other => "Other",
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

fn tally(record: &mut Record, won: bool) {
    record.games += 1;
    record.wins += u64::from(won);
}

impl Store {
    /// The filtered games, oldest first (ties by match ID). One scan serves
    /// a whole view: every statistic of the Overview, Heroes and Records tabs
    /// is then a loop over these rows, because a dozen SQL passes over the
    /// same join cost several times the scan itself (ARCHITECTURE.md, "TUI
    /// statistics").
    fn games(&self, account_id: u32, filter: &MatchFilter) -> Result<Vec<Game>, StoreError> {
        let mut values = vec![Value::Integer(i64::from(account_id))];
        let condition = filter.sql_over(&mut values, "ag", "ag");
        // The columns as stored, read without rusqlite's per-call type
        // checks: this loop is most of a first load's time, and every
        // column is an INTEGER or NULL by construction (`games.rs`).
        let int = |r: &rusqlite::Row<'_>, i: usize| {
            r.get_ref_unwrap(i).as_i64_or_null().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(i, Type::Integer, Box::new(e))
            })
        };
        let mut games = self.rows(
            &format!(
                "SELECT match_id, start_time, hero_id, player_slot, radiant_win, kills, deaths,
                        assists, gold_per_min, xp_per_min, hero_damage, last_hits, duration,
                        lobby_type, game_mode, from_summary
                   FROM account_games ag
                  WHERE ag.account_id = ?{condition}"
            ),
            rusqlite::params_from_iter(values.iter()),
            |r| {
                let radiant = is_radiant_slot(int(r, 3)?.unwrap_or_default());
                Ok(Game {
                    match_id: int(r, 0)?.unwrap_or_default(),
                    start_time: int(r, 1)?,
                    hero_id: int(r, 2)?,
                    radiant,
                    won: int(r, 4)?.map(|w| w != 0) == Some(radiant),
                    kills: int(r, 5)?,
                    deaths: int(r, 6)?,
                    assists: int(r, 7)?,
                    gpm: int(r, 8)?,
                    xpm: int(r, 9)?,
                    hero_damage: int(r, 10)?,
                    last_hits: int(r, 11)?,
                    duration: int(r, 12)?,
                    lobby_type: int(r, 13)?,
                    game_mode: int(r, 14)?,
                    from_summary: int(r, 15)? == Some(1),
                })
            },
        )?;
        // Read in key order (one range of `account_games`), sorted here.
        games.sort_unstable_by_key(|g| (g.start_time, g.match_id));
        Ok(games)
    }

    /// The Overview tab's numbers; `now` ends the activity heatmap.
    pub fn overview(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        now: i64,
    ) -> Result<Overview, StoreError> {
        let summary = self.summary(account_id, filter, Some(now))?;
        Ok(summary.overview.clone().unwrap_or_default())
    }

    /// Per hero: games, wins, averages and when last played, most played first.
    pub fn hero_stats(
        &self,
        account_id: u32,
        filter: &MatchFilter,
    ) -> Result<Vec<HeroStats>, StoreError> {
        Ok(self.summary(account_id, filter, None)?.heroes.clone())
    }

    /// The best game for each [`RecordKind`] (ties: the earliest).
    pub fn records(
        &self,
        account_id: u32,
        filter: &MatchFilter,
    ) -> Result<Vec<RecordRow>, StoreError> {
        Ok(self.summary(account_id, filter, None)?.records.clone())
    }

    /// How many of the filtered games are counted from their summary (no
    /// details yet): the note the Overview, Heroes, Records and When views
    /// show. The same scan as theirs, so the same cache.
    pub fn games_from_summaries(
        &self,
        account_id: u32,
        filter: &MatchFilter,
    ) -> Result<u64, StoreError> {
        Ok(self.summary(account_id, filter, None)?.from_summaries)
    }

    /// Win rate by hour of day and day of week, on `zone`'s clock.
    pub fn when_stats(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        zone: Zone,
    ) -> Result<WhenStats, StoreError> {
        let summary = self.summary(account_id, filter, None)?;
        Ok(match zone {
            Zone::Utc => summary.when_utc.clone(),
            Zone::Local => summary.when_local.clone(),
        })
    }

    /// The three views' statistics of one scan, from the cache while neither
    /// the database nor the question has changed. `now` is the Overview's;
    /// without it an earlier one is reused, or the Overview left out.
    fn summary(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        now: Option<i64>,
    ) -> Result<std::cell::Ref<'_, ScanStats>, StoreError> {
        let state = self.cache_state()?;
        let fresh = |cached: &Option<ScanStats>| {
            cached.as_ref().is_some_and(|c| {
                c.account_id == account_id
                    && &c.filter == filter
                    && c.state == state
                    && now.is_none_or(|now| c.now.map(day_of) == Some(day_of(now)))
            })
        };
        if !fresh(&self.stats_cache.0.borrow()) {
            let earlier_now = self.stats_cache.0.borrow().as_ref().and_then(|c| c.now);
            let games = self.games(account_id, filter)?;
            let now = now.or(earlier_now);
            let summary = ScanStats {
                account_id,
                filter: filter.clone(),
                state,
                now,
                overview: now.map(|now| overview_of(&games, now)),
                heroes: heroes_of(&games),
                from_summaries: games.iter().filter(|g| g.from_summary).count() as u64,
                records: records_of(&games),
                when_utc: when_of(&games, Zone::Utc),
                when_local: when_of(&games, Zone::Local),
            };
            *self.stats_cache.0.borrow_mut() = Some(summary);
        }
        Ok(std::cell::Ref::map(self.stats_cache.0.borrow(), |c| {
            c.as_ref().expect("the summary was just stored")
        }))
    }

    /// Every player met in the filtered games, with and against, most games
    /// together first. Bots and anonymous players (no account) are left out.
    ///
    /// Tallied here, not by SQL's `GROUP BY`: on 100,000 games the join has
    /// 900,000 rows, and SQLite sorts them all to group them (1.3 s), where
    /// a hash map of the few thousand players met takes a pass. Names and
    /// "tracked" are looked up for the rows returned only.
    pub fn peer_stats(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        limit: usize,
    ) -> Result<Vec<PeerStats>, StoreError> {
        self.peers_answer(account_id, filter, limit, |a| a.peers.clone())
    }

    /// Every hero met in the filtered games, with and against the tracked
    /// player, most games first: the same pass as [`Store::peer_stats`]
    /// (and its cache, for the same `limit`).
    pub fn hero_matchups(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        limit: usize,
    ) -> Result<Vec<HeroMatchup>, StoreError> {
        self.peers_answer(account_id, filter, limit, |a| a.matchups.clone())
    }

    fn peers_answer<T>(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        limit: usize,
        take: impl Fn(&PeersAnswer) -> T,
    ) -> Result<T, StoreError> {
        // As the summary: kept until a commit, so that coming back to the
        // tab costs a frame, not the pass.
        let state = self.cache_state()?;
        if let Some(cached) = self.stats_cache.1.borrow().as_ref()
            && cached.account_id == account_id
            && &cached.filter == filter
            && cached.limit == limit
            && cached.state == state
        {
            return Ok(take(cached));
        }
        let (peers, matchups) = self.tally_peers(account_id, filter, limit)?;
        let answer = PeersAnswer {
            account_id,
            filter: filter.clone(),
            limit,
            state,
            peers,
            matchups,
        };
        let result = take(&answer);
        *self.stats_cache.1.borrow_mut() = Some(answer);
        Ok(result)
    }

    /// What a cached answer must still match: another connection's commits
    /// bump `data_version`, this one's own count in `total_changes`.
    fn cache_state(&self) -> Result<(i64, u64), StoreError> {
        Ok((self.data_version()?, self.conn.total_changes()))
    }

    fn tally_peers(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        limit: usize,
    ) -> Result<(Vec<PeerStats>, Vec<HeroMatchup>), StoreError> {
        let mut values = vec![Value::Integer(i64::from(account_id))];
        let condition = filter.sql_over(&mut values, "ag", "ag");
        // Anonymous players too: their heroes count, their accounts do not.
        let details_sql = format!(
            "SELECT ag.player_slot, ag.radiant_win, ag.start_time, o.player_slot, o.account_id,
                    o.hero_id
               FROM account_games ag JOIN match_players o ON o.match_id = ag.match_id
              WHERE ag.account_id = ?{condition}
                AND ag.from_summary = 0 AND o.player_slot != ag.player_slot"
        );
        // A game without details: the other nine from its summary's `heroes`.
        let summaries_sql = format!(
            "SELECT ag.player_slot, ag.radiant_win, ag.start_time, s.heroes
               FROM account_games ag
               JOIN match_summaries s ON s.account_id = ag.account_id AND s.match_id = ag.match_id
              WHERE ag.account_id = ?{condition} AND ag.from_summary = 1"
        );
        let me = i64::from(account_id);
        let mut met: HashMap<i64, PeerStats> = HashMap::new();
        let mut heroes: HashMap<i64, HeroMatchup> = HashMap::new();
        // One other player of one game: my slot, the winner, when, theirs.
        let mut tally_one =
            |mine: Slot, other: Slot, radiant_win: bool, start_time: i64, summary| {
                let radiant = is_radiant_slot(mine.slot);
                let won = radiant_win == radiant;
                // Same team: both slots below 128 (Radiant) or both 128 and above.
                let same_team = is_radiant_slot(other.slot) == radiant;
                if let Some(hero) = other.hero_id {
                    let matchup = heroes.entry(hero).or_insert_with(|| HeroMatchup {
                        hero_id: hero,
                        ..HeroMatchup::default()
                    });
                    tally(
                        if same_team {
                            &mut matchup.with
                        } else {
                            &mut matchup.against
                        },
                        won,
                    );
                }
                let Some(other) = other.account_id else {
                    return;
                };
                if other == me {
                    return;
                }
                let peer = met.entry(other).or_insert_with(|| PeerStats {
                    account_id: other,
                    last_played: start_time,
                    ..PeerStats::default()
                });
                let side = if same_team {
                    &mut peer.with
                } else {
                    &mut peer.against
                };
                tally(side, won);
                peer.from_summaries += u64::from(summary);
                peer.last_played = peer.last_played.max(start_time);
            };
        let mut tally_rows = || -> rusqlite::Result<()> {
            let mut stmt = self.conn.prepare_cached(&details_sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
            while let Some(r) = rows.next()? {
                let int = |i: usize| r.get_ref_unwrap(i).as_i64_or_null().ok().flatten();
                let mine = Slot::mine(int(0).unwrap_or_default());
                let other = Slot {
                    slot: int(3).unwrap_or_default(),
                    account_id: int(4),
                    hero_id: int(5),
                };
                let radiant_win = int(1).unwrap_or_default() != 0;
                tally_one(mine, other, radiant_win, int(2).unwrap_or_default(), false);
            }
            drop(rows);
            let mut stmt = self.conn.prepare_cached(&summaries_sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
            while let Some(r) = rows.next()? {
                let int = |i: usize| r.get_ref_unwrap(i).as_i64_or_null().ok().flatten();
                let mine = Slot::mine(int(0).unwrap_or_default());
                let radiant_win = int(1).unwrap_or_default() != 0;
                let start_time = int(2).unwrap_or_default();
                let text = r.get_ref_unwrap(3).as_str_or_null().ok().flatten();
                for other in slots_of(text.unwrap_or_default()) {
                    if other.slot != mine.slot {
                        tally_one(mine, other, radiant_win, start_time, true);
                    }
                }
            }
            Ok(())
        };
        tally_rows().map_err(|e| self.sqlite_error(e))?;
        let mut peers: Vec<PeerStats> = met.into_values().collect();
        peers.sort_unstable_by(|a, b| {
            (b.with.games, b.against.games, b.last_played, a.account_id).cmp(&(
                a.with.games,
                a.against.games,
                a.last_played,
                b.account_id,
            ))
        });
        peers.truncate(limit);
        let ids: Vec<u32> = peers
            .iter()
            .filter_map(|p| u32::try_from(p.account_id).ok())
            .collect();
        let mut names = self.names_of(&ids)?;
        let mut tracked = || -> rusqlite::Result<()> {
            let mut tracked = self.conn.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM account_matches WHERE account_id = ?1)",
            )?;
            for peer in &mut peers {
                peer.tracked = tracked.query_row([peer.account_id], |r| r.get(0))?;
                peer.name = u32::try_from(peer.account_id)
                    .ok()
                    .and_then(|id| names.remove(&id));
            }
            Ok(())
        };
        tracked().map_err(|e| self.sqlite_error(e))?;
        let mut matchups: Vec<HeroMatchup> = heroes.into_values().collect();
        matchups.sort_unstable_by_key(|m| {
            (std::cmp::Reverse(m.with.games + m.against.games), m.hero_id)
        });
        Ok((peers, matchups))
    }
}

/// One player of a game, as the details or a summary's `heroes` list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    slot: i64,
    account_id: Option<i64>,
    hero_id: Option<i64>,
}

impl Slot {
    fn mine(slot: i64) -> Slot {
        Slot {
            slot,
            account_id: None,
            hero_id: None,
        }
    }
}

/// The players of a summary's `heroes`, `{"0":{"account_id":..,"hero_id":..},
/// ...}` as OpenDota sent it (bounded when saved). A key that is no slot, or
/// a value that is no object, is left out: a game is never lost for it, only
/// that player. Not JSON at all: no players.
fn slots_of(heroes: &str) -> Vec<Slot> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(heroes) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(key, player)| {
            let slot = key.parse::<i64>().ok().filter(|s| (0..=255).contains(s))?;
            let player = player.as_object()?;
            let field = |name: &str| player.get(name).and_then(serde_json::Value::as_i64);
            Some(Slot {
                slot,
                account_id: field("account_id"),
                hero_id: field("hero_id"),
            })
        })
        .collect()
}

/// The last scan's statistics; `Store` keeps one.
#[derive(Default)]
pub(super) struct StatsCache(
    std::cell::RefCell<Option<ScanStats>>,
    /// The last Teammates answer, kept on the same terms as the summary.
    std::cell::RefCell<Option<PeersAnswer>>,
);

/// A Teammates answer and the question and database state it answers.
struct PeersAnswer {
    account_id: u32,
    filter: MatchFilter,
    limit: usize,
    state: (i64, u64),
    peers: Vec<PeerStats>,
    matchups: Vec<HeroMatchup>,
}

/// What one scan of the games gives the Overview, Heroes and Records tabs.
struct ScanStats {
    account_id: u32,
    filter: MatchFilter,
    state: (i64, u64),
    /// The `now` the Overview was computed for (only its day matters).
    now: Option<i64>,
    overview: Option<Overview>,
    heroes: Vec<HeroStats>,
    records: Vec<RecordRow>,
    /// By zone: computed on the first question, for the scan's games.
    when_utc: WhenStats,
    when_local: WhenStats,
    /// Games of the scan counted from their summary.
    from_summaries: u64,
}

/// Midnight (UTC) of the day `now` is in.
fn day_of(now: i64) -> i64 {
    now.div_euclid(DAY) * DAY
}

/// The Overview of `games` (oldest first); `now` ends the activity heatmap.
fn overview_of(games: &[Game], now: i64) -> Overview {
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
        .take(STRIP_GAMES)
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
        .map(|(group, record)| Split {
            label: group.label().into(),
            record,
        })
        .collect();
    let mut modes: Vec<(Option<i64>, Record)> = by_mode.into_iter().collect();
    // Most played first; ties by mode number, as the keys already are.
    modes.sort_by_key(|(_, record)| std::cmp::Reverse(record.games));
    overview.by_mode = modes
        .into_iter()
        .map(|(mode, record)| Split {
            label: mode.map_or_else(
                || "Unknown".into(),
                |m| crate::assets::game_mode_name(m).into(),
            ),
            record,
        })
        .collect();
    overview.by_side = [("Radiant", radiant), ("Dire", dire)]
        .into_iter()
        .filter(|(_, record)| record.games > 0)
        .map(|(label, record)| Split {
            label: label.into(),
            record,
        })
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
fn rolling_win_rate(games: &[Game]) -> (Vec<(i64, f64)>, u64) {
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
fn when_of(games: &[Game], zone: Zone) -> WhenStats {
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
fn rolling_mean(
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
fn heroes_of(games: &[Game]) -> Vec<HeroStats> {
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
fn records_of(games: &[Game]) -> Vec<RecordRow> {
    RecordKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let smallest = kind.smallest_wins();
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
#[path = "stats_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "stats_summary_tests.rs"]
mod summary_tests;
