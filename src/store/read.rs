//! Queries behind the views and `status`. Lists are windowed by key
//! (start time, match id), never by a large OFFSET, so 100k rows cost the
//! same as 100: the row and key types and the list's SQL are here, the
//! windows themselves (in any order) in `list_order.rs`.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};

use super::filter::MatchFilter;
use super::write::MAX_ATTEMPTS;
use super::{Store, StoreError};
use crate::source::model::{PlayerDetails, is_radiant_slot};

/// How many of an account's (or all) matches are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub matches: u64,
    pub detailed: u64,
    pub stubs: u64,
    /// Failed, with attempts left.
    pub failed: u64,
    /// Failed `MAX_ATTEMPTS` times: left alone until retried by hand.
    pub given_up: u64,
    /// Stubs an API error left (5xx, no answer): counted among `stubs` too.
    /// Not in `status --json`, whose fields are a public contract.
    #[serde(skip)]
    pub api_errors: u64,
}

/// A position in an account's match list (newest first, or in another
/// [`ListOrder`](super::ListOrder): then `value` is the row's value of the sorted column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WindowKey {
    pub start_time: i64,
    pub match_id: i64,
    /// 0 in the time orders.
    pub value: i64,
}

/// Where a window of the match list starts. Named for the default order
/// (newest first); in another order "newer" means earlier in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowAnchor {
    /// The newest rows (the list's first).
    Newest,
    /// The oldest rows (its last; still returned in list order).
    Oldest,
    /// Rows older than the key, the key excluded.
    OlderThan(WindowKey),
    /// Rows newer than the key, the key excluded (returned in list order).
    NewerThan(WindowKey),
    /// The key itself and older rows.
    AtOrOlder(WindowKey),
}

/// The match list's filter: the one every view shares.
pub type ListFilter = MatchFilter;

impl MatchFilter {
    pub fn none() -> MatchFilter {
        MatchFilter::default()
    }

    /// The match list's first filter: a match ID prefix when `text` is all
    /// digits, else the tracked hero is one of `hero_ids`.
    pub fn new(text: &str, hero_ids: Vec<i64>) -> MatchFilter {
        let text = text.trim();
        if text.is_empty() {
            MatchFilter::none()
        } else if text.chars().all(|c| c.is_ascii_digit()) {
            MatchFilter {
                match_id_prefix: Some(text.to_string()),
                ..MatchFilter::default()
            }
        } else {
            MatchFilter {
                heroes: Some(hero_ids),
                ..MatchFilter::default()
            }
        }
    }

    /// `FROM` for counting the list: `matches` is joined only when needed.
    pub(super) fn count_from(&self) -> &'static str {
        if self.needs_matches() {
            "FROM account_matches am JOIN matches m ON m.match_id = am.match_id"
        } else {
            "FROM account_matches am"
        }
    }
}

/// One row of the match list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchListRow {
    pub match_id: i64,
    /// 0 when unknown.
    pub start_time: i64,
    /// The tracked player's hero and slot (from phase 1, or the details).
    pub hero_id: Option<i64>,
    pub player_slot: Option<i64>,
    /// `None` stub, `Some(true)` detailed, `Some(false)` last fetch failed.
    pub has_details: Option<bool>,
    pub retry_count: i64,
    pub fetch_error: Option<String>,
    /// When details were last asked for (`matches.last_fetch_attempt`).
    pub last_fetch_attempt: Option<String>,
    pub duration: Option<i64>,
    pub game_mode: Option<i64>,
    pub lobby_type: Option<i64>,
    pub radiant_win: Option<bool>,
    pub kills: Option<i64>,
    pub deaths: Option<i64>,
    pub assists: Option<i64>,
    /// The tracked player's GPM and inventory (wide screens show them).
    pub gold_per_min: Option<i64>,
    pub items: [Option<i64>; 6],
    /// A match without details: what its summary knows, if it has one.
    pub summary: Option<SummaryLine>,
    /// Its value in the list's order (0 in the time orders): part of its key.
    pub order_value: i64,
}

/// What the list shows of a stub's summary (ARCHITECTURE.md, "Summaries").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SummaryLine {
    /// Whether the tracked player won; `None` when the summary has no result.
    pub won: Option<bool>,
    pub kills: Option<i64>,
    pub deaths: Option<i64>,
    pub assists: Option<i64>,
}

impl MatchListRow {
    pub fn key(&self) -> WindowKey {
        WindowKey {
            start_time: self.start_time,
            match_id: self.match_id,
            value: self.order_value,
        }
    }

    /// Whether the tracked player won; `None` when unknown.
    pub fn won(&self) -> Option<bool> {
        Some(self.radiant_win? == is_radiant_slot(self.player_slot?))
    }

    pub fn given_up(&self) -> bool {
        self.has_details == Some(false) && self.retry_count >= MAX_ATTEMPTS
    }
}

pub(super) const LIST_COLUMNS: &str = "am.match_id, am.start_time,
    coalesce(mp.hero_id, am.hero_id, ms.hero_id),
    am.player_slot, m.has_details, m.retry_count, m.fetch_error, m.duration, m.game_mode,
    m.lobby_type, m.radiant_win, mp.kills, mp.deaths, mp.assists, mp.gold_per_min,
    mp.item_0, mp.item_1, mp.item_2, mp.item_3, mp.item_4, mp.item_5, m.last_fetch_attempt,
    ms.match_id IS NOT NULL, ms.radiant_win = (coalesce(ms.player_slot, am.player_slot) < 128),
    ms.kills, ms.deaths, ms.assists";

/// The summary only for a match without details: details always win.
pub(super) const LIST_FROM: &str = "FROM account_matches am
    JOIN matches m ON m.match_id = am.match_id
    LEFT JOIN match_players mp ON mp.match_id = am.match_id AND mp.player_slot = am.player_slot
    LEFT JOIN match_summaries ms
           ON ms.account_id = am.account_id AND ms.match_id = am.match_id
          AND m.has_details IS NOT 1";

pub(super) fn list_row(r: &Row<'_>) -> rusqlite::Result<MatchListRow> {
    Ok(MatchListRow {
        match_id: r.get(0)?,
        start_time: r.get(1)?,
        hero_id: r.get(2)?,
        player_slot: r.get(3)?,
        has_details: r.get(4)?,
        retry_count: r.get(5)?,
        fetch_error: r.get(6)?,
        duration: r.get(7)?,
        game_mode: r.get(8)?,
        lobby_type: r.get(9)?,
        radiant_win: r.get(10)?,
        kills: r.get(11)?,
        deaths: r.get(12)?,
        assists: r.get(13)?,
        gold_per_min: r.get(14)?,
        items: consecutive(r, 15)?,
        last_fetch_attempt: r.get(21)?,
        summary: if r.get(22)? {
            Some(SummaryLine {
                won: r.get(23)?,
                kills: r.get(24)?,
                deaths: r.get(25)?,
                assists: r.get(26)?,
            })
        } else {
            None
        },
        order_value: r.get(27)?,
    })
}

/// `N` nullable integer columns from `first` on (a player's item slots).
pub(super) fn consecutive<const N: usize>(
    r: &Row<'_>,
    first: usize,
) -> rusqlite::Result<[Option<i64>; N]> {
    let mut values = [None; N];
    for (offset, value) in values.iter_mut().enumerate() {
        *value = r.get(first + offset)?;
    }
    Ok(values)
}

/// A match with everything the details view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchView {
    pub match_id: i64,
    pub match_seq_num: Option<i64>,
    pub has_details: Option<bool>,
    pub retry_count: i64,
    pub last_fetch_attempt: Option<String>,
    pub fetch_error: Option<String>,
    pub start_time: Option<i64>,
    pub duration: Option<i64>,
    pub game_mode: Option<i64>,
    pub lobby_type: Option<i64>,
    pub radiant_win: Option<bool>,
    pub radiant_score: Option<i64>,
    pub dire_score: Option<i64>,
    /// Which source supplied the details (`steam`, `opendota`, `stratz`).
    pub details_source: Option<String>,
    /// Radiant first, by slot.
    pub players: Vec<PlayerRow>,
}

/// One player line of the details view: the model the sources produce.
pub type PlayerRow = PlayerDetails;

/// A failed or given-up match, or a stub an API error left, for the
/// errors view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    pub match_id: i64,
    pub start_time: Option<i64>,
    pub fetch_error: Option<String>,
    pub retry_count: i64,
    pub last_fetch_attempt: Option<String>,
    /// Still a stub: the API failed (5xx, no answer), nothing was counted,
    /// and the next sync asks again.
    pub api_error: bool,
}

impl ErrorRow {
    pub fn given_up(&self) -> bool {
        !self.api_error && self.retry_count >= MAX_ATTEMPTS
    }
}

/// A player the account has played with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TeammateRow {
    pub other_account_id: i64,
    pub games: i64,
    pub wins: i64,
    pub last_played: Option<i64>,
}

impl Store {
    pub fn counts(&self, account_id: Option<u32>) -> Result<Counts, StoreError> {
        const STATES: &str = "count(*),
                          coalesce(sum(m.has_details IS 1), 0),
                          coalesce(sum(m.has_details IS NULL), 0),
                          coalesce(sum(m.has_details = 0 AND m.retry_count < ?1), 0),
                          coalesce(sum(m.has_details = 0 AND m.retry_count >= ?1), 0),
                          coalesce(sum(m.has_details IS NULL AND m.fetch_error IS NOT NULL), 0)";
        // A join beats `match_id IN (subquery)` by a third on 100k matches.
        let sql = match account_id {
            None => format!("SELECT {STATES} FROM matches m"),
            Some(_) => format!(
                "SELECT {STATES} FROM account_matches am
                   JOIN matches m ON m.match_id = am.match_id WHERE am.account_id = ?2"
            ),
        };
        let row = |r: &Row<'_>| {
            Ok(Counts {
                matches: r.get::<_, i64>(0)? as u64,
                detailed: r.get::<_, i64>(1)? as u64,
                stubs: r.get::<_, i64>(2)? as u64,
                failed: r.get::<_, i64>(3)? as u64,
                given_up: r.get::<_, i64>(4)? as u64,
                api_errors: r.get::<_, i64>(5)? as u64,
            })
        };
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(|e| self.sqlite_error(e))?;
        match account_id {
            None => stmt.query_row(params![MAX_ATTEMPTS], row),
            Some(id) => stmt.query_row(params![MAX_ATTEMPTS, id], row),
        }
        .map_err(|e| self.sqlite_error(e))
    }

    /// The newest match of the (filtered) list still without data whose
    /// details were never asked for, at or older than `from`: where phase 2
    /// (newest first) is at work. Stops at the first such row.
    pub fn fetch_frontier(
        &self,
        account_id: u32,
        filter: &ListFilter,
        from: Option<WindowKey>,
    ) -> Result<Option<WindowKey>, StoreError> {
        let mut values = vec![Value::Integer(i64::from(account_id))];
        let filter_sql = filter.sql(&mut values);
        let condition = match from {
            Some(k) => {
                values.push(Value::Integer(k.start_time));
                values.push(Value::Integer(k.match_id));
                " AND (am.start_time, am.match_id) <= (?, ?)"
            }
            None => "",
        };
        let sql = format!(
            "SELECT am.start_time, am.match_id
               FROM account_matches am JOIN matches m ON m.match_id = am.match_id
              WHERE am.account_id = ?{filter_sql}{condition}
                AND m.has_details IS NULL AND m.last_fetch_attempt IS NULL
              ORDER BY am.start_time DESC, am.match_id DESC LIMIT 1"
        );
        let rows = self.rows(&sql, params_from_iter(values.iter()), |r| {
            Ok(WindowKey {
                start_time: r.get(0)?,
                match_id: r.get(1)?,
                value: 0,
            })
        })?;
        Ok(rows.into_iter().next())
    }

    /// How many rows the (filtered) list has.
    pub fn match_count(&self, account_id: u32, filter: &ListFilter) -> Result<u64, StoreError> {
        let mut values = vec![Value::Integer(i64::from(account_id))];
        let filter_sql = filter.sql(&mut values);
        let sql = format!(
            "SELECT count(*) {} WHERE am.account_id = ?{filter_sql}",
            filter.count_from()
        );
        self.count(&sql, &values)
    }

    pub(super) fn count(&self, sql: &str, values: &[Value]) -> Result<u64, StoreError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| s.query_row(params_from_iter(values.iter()), |r| r.get::<_, i64>(0)))
            .map(|n| n as u64)
            .map_err(|e| self.sqlite_error(e))
    }

    /// Everything about one match, or `None` if it is not stored.
    pub fn match_view(&self, match_id: i64) -> Result<Option<MatchView>, StoreError> {
        let view = self
            .conn
            .query_row(
                "SELECT match_id, match_seq_num, has_details, retry_count, last_fetch_attempt,
                        fetch_error, start_time, duration, game_mode, lobby_type, radiant_win,
                        radiant_score, dire_score, details_source
                   FROM matches WHERE match_id = ?1",
                params![match_id],
                |r| {
                    Ok(MatchView {
                        match_id: r.get(0)?,
                        match_seq_num: r.get(1)?,
                        has_details: r.get(2)?,
                        retry_count: r.get(3)?,
                        last_fetch_attempt: r.get(4)?,
                        fetch_error: r.get(5)?,
                        start_time: r.get(6)?,
                        duration: r.get(7)?,
                        game_mode: r.get(8)?,
                        lobby_type: r.get(9)?,
                        radiant_win: r.get(10)?,
                        radiant_score: r.get(11)?,
                        dire_score: r.get(12)?,
                        details_source: r.get(13)?,
                        players: Vec::new(),
                    })
                },
            )
            .optional()
            .map_err(|e| self.sqlite_error(e))?;
        let Some(mut view) = view else {
            return Ok(None);
        };
        view.players = self.rows(
            "SELECT player_slot, account_id, hero_id, kills, deaths, assists, last_hits, denies,
                    gold_per_min, xp_per_min, hero_damage, tower_damage, hero_healing, level,
                    net_worth, item_0, item_1, item_2, item_3, item_4, item_5,
                    backpack_0, backpack_1, backpack_2, item_neutral
               FROM match_players WHERE match_id = ?1 ORDER BY player_slot",
            params![match_id],
            |r| {
                Ok(PlayerRow {
                    player_slot: r.get(0)?,
                    account_id: r.get(1)?,
                    hero_id: r.get(2)?,
                    kills: r.get(3)?,
                    deaths: r.get(4)?,
                    assists: r.get(5)?,
                    last_hits: r.get(6)?,
                    denies: r.get(7)?,
                    gold_per_min: r.get(8)?,
                    xp_per_min: r.get(9)?,
                    hero_damage: r.get(10)?,
                    tower_damage: r.get(11)?,
                    hero_healing: r.get(12)?,
                    level: r.get(13)?,
                    net_worth: r.get(14)?,
                    items: consecutive(r, 15)?,
                    backpack: consecutive(r, 21)?,
                    item_neutral: r.get(24)?,
                })
            },
        )?;
        Ok(Some(view))
    }

    /// The tracked player's slot in a match, as phase 1 recorded it.
    pub fn tracked_slot(&self, account_id: u32, match_id: i64) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row(
                "SELECT player_slot FROM account_matches WHERE account_id = ?1 AND match_id = ?2",
                params![account_id, match_id],
                |r| r.get(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.sqlite_error(e))
    }

    /// Failed and given-up matches, and stubs an API error left, by reason.
    pub fn errors(&self, account_id: u32, limit: usize) -> Result<Vec<ErrorRow>, StoreError> {
        self.rows(
            "SELECT m.match_id, m.start_time, m.fetch_error, m.retry_count, m.last_fetch_attempt,
                    m.has_details IS NULL
               FROM account_matches am JOIN matches m ON m.match_id = am.match_id
              WHERE am.account_id = ?1
                AND (m.has_details = 0 OR (m.has_details IS NULL AND m.fetch_error IS NOT NULL))
              ORDER BY m.fetch_error, m.match_id DESC LIMIT ?2",
            params![account_id, limit as i64],
            |r| {
                Ok(ErrorRow {
                    match_id: r.get(0)?,
                    start_time: r.get(1)?,
                    fetch_error: r.get(2)?,
                    retry_count: r.get(3)?,
                    last_fetch_attempt: r.get(4)?,
                    api_error: r.get(5)?,
                })
            },
        )
    }

    /// Players met on the account's team, most games first.
    pub fn teammates(&self, account_id: u32, limit: usize) -> Result<Vec<TeammateRow>, StoreError> {
        self.rows(
            "SELECT other_account_id, games, wins, last_played FROM players_encountered
              WHERE account_id = ?1
              ORDER BY games DESC, last_played DESC, other_account_id LIMIT ?2",
            params![account_id, limit as i64],
            |r| {
                Ok(TeammateRow {
                    other_account_id: r.get(0)?,
                    games: r.get(1)?,
                    wins: r.get(2)?,
                    last_played: r.get(3)?,
                })
            },
        )
    }
}
