//! Statistics of one account's detailed matches, computed in the store
//! layer: the Overview, Heroes, Teammates, Records and When views and
//! `export` read these and only draw or print them. The answers are data
//! (numbers and kinds); the TUI words them (`tui/words.rs`).
//!
//! Every statistic starts from the same set of games: the account's rows of
//! `account_games` (its matches with a known winner, one row per match with
//! the tracked player's line from the details, else from the summary, see
//! `games.rs`), narrowed by a [`MatchFilter`]. Each answer says how many of
//! its games came from summaries (`from_summaries`).
//!
//! `scan.rs` reads the rows (SQL), `compute.rs` and `peers.rs` turn them
//! into the answers (no SQLite: unit-tested on `Game` values),
//! `cache.rs` keeps the last answers until the database changes.
//!
//! The views ask a [`Statistics`]: a `Store` and a [`StatsCache`], both
//! borrowed. The cache is the caller's, not the store's: the TUI's loader
//! keeps one for its thread's life, a one-off reader (`export`) a fresh one.

mod cache;
mod compute;
mod peers;
mod scan;

pub use cache::StatsCache;

use super::filter::{MatchFilter, Side};
use super::{Store, StoreError};

/// The rolling win rate's window, in games.
pub const ROLLING_GAMES: i64 = 20;
/// At most this many points of the rolling win rate are returned.
pub const ROLLING_POINTS: i64 = 200;

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

/// One line of a split: the games of a lobby group, a game mode or a side.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<K> {
    pub key: K,
    pub record: Record,
}

/// The Overview's lobby split, in the order it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LobbyGroup {
    /// Lobby types 5, 6, 7, Turbo excluded.
    Ranked,
    /// Lobby 0, Turbo excluded.
    Normal,
    /// Game mode 23, whatever the lobby.
    Turbo,
    Other,
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overview {
    pub record: Record,
    pub streak: Option<Streak>,
    /// The newest results, newest first: the games of the newest rolling
    /// window (at most `ROLLING_GAMES`).
    pub recent: Vec<bool>,
    pub averages: Averages,
    /// Ranked, Normal, Turbo, Other (only those with games).
    pub by_lobby: Vec<Split<LobbyGroup>>,
    /// Game modes (`None`: unknown), most played first.
    pub by_mode: Vec<Split<Option<i64>>>,
    /// Radiant, Dire (only those with games).
    pub by_side: Vec<Split<Side>>,
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
}

/// One metric's rolling mean over the Overview's window, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trend {
    pub metric: TrendMetric,
    /// (start time, mean of the window ending there).
    pub points: Vec<(i64, f64)>,
}

/// "When do I win?": the record by the hour of the day and by the day of
/// the week the game started, in one time zone.
#[derive(Debug, Clone, Default, PartialEq)]
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

/// The statistics of one store's games, answered from `cache` while neither
/// the question nor the database has changed.
pub struct Statistics<'s> {
    store: &'s Store,
    cache: &'s StatsCache,
}

impl<'s> Statistics<'s> {
    /// `cache` must be used with this one store: its answers are checked
    /// against the store's own state (`data_version`, `total_changes`).
    pub fn new(store: &'s Store, cache: &'s StatsCache) -> Statistics<'s> {
        Statistics { store, cache }
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
    /// player, most games first: the same pass as [`Statistics::peer_stats`]
    /// (and its cache, for the same `limit`).
    pub fn hero_matchups(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        limit: usize,
    ) -> Result<Vec<HeroMatchup>, StoreError> {
        self.peers_answer(account_id, filter, limit, |a| a.matchups.clone())
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod summary_tests;
