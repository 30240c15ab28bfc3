//! Statistics of one account's detailed matches, computed by SQL: the
//! Overview, Heroes, Teammates and Records views and `export` read these and
//! only draw or print them.
//!
//! Every query starts from the same set of games, `g`: the account's matches
//! with details and a known winner, narrowed by a [`MatchFilter`], one row
//! per match with the tracked player's line (found by the slot phase 1
//! recorded, so an anonymous player still counts).

use rusqlite::types::Value;

use super::filter::{MatchFilter, RANKED_LOBBIES, TURBO_MODE};
use super::{Store, StoreError};

/// How many games the W/L strip shows.
pub const STRIP_GAMES: usize = 20;
/// The rolling win rate's window, in games.
pub const ROLLING_GAMES: i64 = 20;
/// At most this many points of the rolling win rate are returned.
pub const ROLLING_POINTS: i64 = 200;
/// How far back the activity heatmap reaches.
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
    /// (start time, win rate in percent of the `ROLLING_GAMES` games ending
    /// there), oldest first, at most `ROLLING_POINTS`.
    pub rolling: Vec<(i64, f64)>,
    /// (day as Unix time of its midnight, games) for days with games in the
    /// `ACTIVITY_DAYS` up to `now`, oldest first.
    pub activity: Vec<(i64, u64)>,
}

/// One row of the Heroes tab.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
}

/// One row of the Teammates tab: a player met, with and against.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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

    /// The column of `g` and whether the smallest value is the record.
    fn column(self) -> (&'static str, bool) {
        match self {
            RecordKind::Kills => ("kills", false),
            RecordKind::Deaths => ("deaths", false),
            RecordKind::Assists => ("assists", false),
            RecordKind::GoldPerMin => ("gpm", false),
            RecordKind::XpPerMin => ("xpm", false),
            RecordKind::HeroDamage => ("hero_damage", false),
            RecordKind::LastHits => ("last_hits", false),
            RecordKind::LongestGame => ("duration", false),
            RecordKind::ShortestGame => ("duration", true),
        }
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
}

/// The games every statistic reads (see the module comment). `?` values:
/// the account, then the filter's.
fn games_cte(account_id: u32, filter: &MatchFilter, values: &mut Vec<Value>) -> String {
    values.push(Value::Integer(i64::from(account_id)));
    let condition = filter.sql(values);
    format!(
        "WITH g AS (
           SELECT am.match_id AS match_id, am.start_time AS start_time,
                  coalesce(mp.hero_id, am.hero_id) AS hero_id, am.player_slot AS slot,
                  (am.player_slot < 128) AS radiant,
                  (m.radiant_win = (am.player_slot < 128)) AS won,
                  mp.kills AS kills, mp.deaths AS deaths, mp.assists AS assists,
                  mp.gold_per_min AS gpm, mp.xp_per_min AS xpm, mp.hero_damage AS hero_damage,
                  mp.last_hits AS last_hits, m.duration AS duration,
                  m.lobby_type AS lobby_type, m.game_mode AS game_mode
             FROM account_matches am
             JOIN matches m ON m.match_id = am.match_id
             LEFT JOIN match_players mp
                    ON mp.match_id = am.match_id AND mp.player_slot = am.player_slot
            WHERE am.account_id = ? AND m.has_details = 1 AND m.radiant_win IS NOT NULL
              AND am.player_slot IS NOT NULL{condition})"
    )
}

fn record(r: &rusqlite::Row<'_>, games: usize, wins: usize) -> rusqlite::Result<Record> {
    Ok(Record {
        games: r.get::<_, i64>(games)? as u64,
        wins: r.get::<_, Option<i64>>(wins)?.unwrap_or(0) as u64,
    })
}

impl Store {
    /// The Overview tab's numbers; `now` ends the activity heatmap.
    pub fn overview(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        now: i64,
    ) -> Result<Overview, StoreError> {
        let mut overview = Overview::default();
        let mut filter_values = Vec::new();
        let games = games_cte(account_id, filter, &mut filter_values);
        // The overview asks a dozen questions of the same games: the join is
        // done once, into a temporary table on this connection (the database
        // file itself stays read-only), and every question reads that.
        self.conn
            .execute_batch("DROP TABLE IF EXISTS temp.overview_games")
            .and_then(|()| {
                self.conn.execute(
                    &format!("CREATE TEMP TABLE overview_games AS {games} SELECT * FROM g"),
                    rusqlite::params_from_iter(filter_values.iter()),
                )
            })
            .map_err(|e| StoreError::sqlite(self.path(), e))?;
        let values: Vec<Value> = Vec::new();
        let cte = "WITH g AS (SELECT * FROM temp.overview_games)".to_string();

        let totals = self.rows(
            &format!(
                "{cte} SELECT count(*), sum(won), avg(kills), avg(deaths), avg(assists),
                              avg(gpm), avg(xpm), avg(duration) FROM g"
            ),
            rusqlite::params_from_iter(values.iter()),
            |r| {
                Ok((
                    record(r, 0, 1)?,
                    Averages {
                        kills: r.get::<_, Option<f64>>(2)?.unwrap_or(0.0),
                        deaths: r.get::<_, Option<f64>>(3)?.unwrap_or(0.0),
                        assists: r.get::<_, Option<f64>>(4)?.unwrap_or(0.0),
                        gold_per_min: r.get::<_, Option<f64>>(5)?.unwrap_or(0.0),
                        xp_per_min: r.get::<_, Option<f64>>(6)?.unwrap_or(0.0),
                        duration: r.get::<_, Option<f64>>(7)?.unwrap_or(0.0),
                    },
                ))
            },
        )?;
        if let Some((record, averages)) = totals.into_iter().next() {
            overview.record = record;
            overview.averages = averages;
        }
        if overview.record.games == 0 {
            return Ok(overview);
        }

        overview.recent = self.rows(
            &format!("{cte} SELECT won FROM g ORDER BY start_time DESC, match_id DESC LIMIT ?"),
            rusqlite::params_from_iter(
                values
                    .iter()
                    .cloned()
                    .chain([Value::Integer(STRIP_GAMES as i64)]),
            ),
            |r| r.get::<_, bool>(0),
        )?;
        if let Some(&latest) = overview.recent.first() {
            overview.streak = Some(Streak {
                won: latest,
                games: self.streak_length(&cte, &values, latest)?,
            });
        }

        let lobby_group = format!(
            "CASE WHEN game_mode = {TURBO_MODE} THEN 'Turbo'
                  WHEN lobby_type IN ({}) THEN 'Ranked'
                  WHEN lobby_type = 0 THEN 'Normal' ELSE 'Other' END",
            RANKED_LOBBIES.map(|l| l.to_string()).join(", ")
        );
        let split =
            |group: &str, order: &str| -> Result<Vec<(Option<String>, Record)>, StoreError> {
                self.rows(
                    &format!(
                        "{cte} SELECT {group} AS label, count(*), sum(won) FROM g
                     GROUP BY label ORDER BY {order}"
                    ),
                    rusqlite::params_from_iter(values.iter()),
                    |r| {
                        let label = match r.get_ref(0)? {
                            rusqlite::types::ValueRef::Null => None,
                            rusqlite::types::ValueRef::Integer(i) => Some(i.to_string()),
                            rusqlite::types::ValueRef::Text(t) => {
                                Some(String::from_utf8_lossy(t).into_owned())
                            }
                            _ => None,
                        };
                        Ok((label, record(r, 1, 2)?))
                    },
                )
            };
        let lobby_order = "CASE label WHEN 'Ranked' THEN 0 WHEN 'Normal' THEN 1
                                      WHEN 'Turbo' THEN 2 ELSE 3 END";
        overview.by_lobby = split(&lobby_group, lobby_order)?
            .into_iter()
            .map(|(label, record)| Split {
                label: label.unwrap_or_default(),
                record,
            })
            .collect();
        overview.by_mode = split("game_mode", "count(*) DESC, label")?
            .into_iter()
            .map(|(label, record)| Split {
                label: label.and_then(|l| l.parse::<i64>().ok()).map_or_else(
                    || "Unknown".into(),
                    |m| crate::assets::game_mode_name(m).into(),
                ),
                record,
            })
            .collect();
        overview.by_side = split(
            "CASE WHEN radiant THEN 'Radiant' ELSE 'Dire' END",
            "label DESC",
        )?
        .into_iter()
        .map(|(label, record)| Split {
            label: label.unwrap_or_default(),
            record,
        })
        .collect();

        let games = overview.record.games as i64;
        let step = (games + ROLLING_POINTS - 1) / ROLLING_POINTS;
        let first = ROLLING_GAMES.min(games);
        overview.rolling = self.rows(
            &format!(
                "{cte} SELECT start_time, rate FROM (
                    SELECT start_time,
                           100.0 * avg(won) OVER (ORDER BY start_time, match_id
                                   ROWS BETWEEN {} PRECEDING AND CURRENT ROW) AS rate,
                           row_number() OVER (ORDER BY start_time, match_id) AS n
                      FROM g)
                  WHERE n >= ? AND (? - n) % ? = 0 ORDER BY n",
                ROLLING_GAMES - 1
            ),
            rusqlite::params_from_iter(values.iter().cloned().chain([
                Value::Integer(first),
                Value::Integer(games),
                Value::Integer(step.max(1)),
            ])),
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?)),
        )?;

        let today = now.div_euclid(DAY) * DAY;
        let from = today - (ACTIVITY_DAYS - 1) * DAY;
        overview.activity = self.rows(
            &format!(
                "{cte} SELECT (start_time / {DAY}) * {DAY} AS day, count(*) FROM g
                  WHERE start_time >= ? AND start_time < ? GROUP BY day ORDER BY day"
            ),
            rusqlite::params_from_iter(
                values
                    .iter()
                    .cloned()
                    .chain([Value::Integer(from), Value::Integer(today + DAY)]),
            ),
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u64)),
        )?;
        let _ = self
            .conn
            .execute_batch("DROP TABLE IF EXISTS temp.overview_games");
        Ok(overview)
    }

    /// Games in a row with the newest game's result.
    fn streak_length(&self, cte: &str, values: &[Value], latest: bool) -> Result<u64, StoreError> {
        // The newest game with the other result bounds the streak; without
        // one, every game is in it.
        let counted = self.rows(
            &format!(
                "{cte}, breaker AS (
                    SELECT start_time, match_id FROM g WHERE won != ?
                     ORDER BY start_time DESC, match_id DESC LIMIT 1)
                 SELECT CASE WHEN EXISTS (SELECT 1 FROM breaker)
                   THEN (SELECT count(*) FROM g, breaker b
                          WHERE (g.start_time, g.match_id) > (b.start_time, b.match_id))
                   ELSE (SELECT count(*) FROM g) END"
            ),
            rusqlite::params_from_iter(values.iter().cloned().chain([Value::from(latest)])),
            |r| r.get::<_, i64>(0),
        )?;
        Ok(counted.first().copied().unwrap_or(0) as u64)
    }

    /// Per hero: games, wins, averages and when last played, most played first.
    pub fn hero_stats(
        &self,
        account_id: u32,
        filter: &MatchFilter,
    ) -> Result<Vec<HeroStats>, StoreError> {
        let mut values = Vec::new();
        let cte = games_cte(account_id, filter, &mut values);
        self.rows(
            &format!(
                "{cte} SELECT hero_id, count(*), sum(won), avg(kills), avg(deaths), avg(assists),
                              avg(gpm), avg(xpm), max(start_time)
                         FROM g WHERE hero_id IS NOT NULL
                        GROUP BY hero_id ORDER BY count(*) DESC, hero_id"
            ),
            rusqlite::params_from_iter(values.iter()),
            |r| {
                Ok(HeroStats {
                    hero_id: r.get(0)?,
                    record: record(r, 1, 2)?,
                    kills: r.get::<_, Option<f64>>(3)?.unwrap_or(0.0),
                    deaths: r.get::<_, Option<f64>>(4)?.unwrap_or(0.0),
                    assists: r.get::<_, Option<f64>>(5)?.unwrap_or(0.0),
                    gold_per_min: r.get::<_, Option<f64>>(6)?.unwrap_or(0.0),
                    xp_per_min: r.get::<_, Option<f64>>(7)?.unwrap_or(0.0),
                    last_played: r.get(8)?,
                })
            },
        )
    }

    /// Every player met in the filtered games, with and against, most games
    /// together first. Bots and anonymous players (no account) are left out.
    pub fn peer_stats(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        limit: usize,
    ) -> Result<Vec<PeerStats>, StoreError> {
        let mut values = Vec::new();
        let cte = games_cte(account_id, filter, &mut values);
        values.push(Value::Integer(i64::from(account_id)));
        values.push(Value::Integer(limit as i64));
        let names = self.has_names_table()?;
        let name_column = if names {
            "(SELECT n.name FROM player_names n WHERE n.account_id = o.account_id)"
        } else {
            "NULL"
        };
        self.rows(
            &format!(
                "{cte} SELECT o.account_id,
                        sum((o.player_slot < 128) = g.radiant),
                        sum(((o.player_slot < 128) = g.radiant) AND g.won),
                        sum((o.player_slot < 128) != g.radiant),
                        sum(((o.player_slot < 128) != g.radiant) AND g.won),
                        max(g.start_time),
                        o.account_id IN (SELECT account_id FROM account_matches),
                        {name_column}
                   FROM g JOIN match_players o ON o.match_id = g.match_id
                  WHERE o.player_slot != g.slot AND o.account_id IS NOT NULL AND o.account_id != ?
                  GROUP BY o.account_id
                  ORDER BY 2 DESC, 4 DESC, 6 DESC, o.account_id LIMIT ?"
            ),
            rusqlite::params_from_iter(values.iter()),
            |r| {
                Ok(PeerStats {
                    account_id: r.get(0)?,
                    with: record(r, 1, 2)?,
                    against: record(r, 3, 4)?,
                    last_played: r.get(5)?,
                    tracked: r.get(6)?,
                    name: r.get(7)?,
                })
            },
        )
    }

    /// The best game for each [`RecordKind`] (ties: the earliest).
    pub fn records(
        &self,
        account_id: u32,
        filter: &MatchFilter,
    ) -> Result<Vec<RecordRow>, StoreError> {
        let mut values = Vec::new();
        let cte = games_cte(account_id, filter, &mut values);
        let mut out = Vec::new();
        for kind in RecordKind::ALL {
            let (column, smallest) = kind.column();
            let order = if smallest { "ASC" } else { "DESC" };
            let rows = self.rows(
                &format!(
                    "{cte} SELECT {column}, match_id, start_time, hero_id, won FROM g
                      WHERE {column} IS NOT NULL
                      ORDER BY {column} {order}, start_time, match_id LIMIT 1"
                ),
                rusqlite::params_from_iter(values.iter()),
                |r| {
                    Ok(RecordRow {
                        kind,
                        value: r.get(0)?,
                        match_id: r.get(1)?,
                        start_time: r.get(2)?,
                        hero_id: r.get(3)?,
                        won: r.get(4)?,
                    })
                },
            )?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// Whether the player-names cache exists (a newer schema adds it).
    fn has_names_table(&self) -> Result<bool, StoreError> {
        let found = self.rows(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'player_names'",
            [],
            |_| Ok(()),
        )?;
        Ok(!found.is_empty())
    }
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
