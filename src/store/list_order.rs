//! The match list's orders (the Matches tab's `c`): newest first, oldest
//! first, or by a column of the tracked player's game, best first.
//!
//! Every order is a key, (value, start time, match ID), so windows are read
//! by key as in the default order, never by a large OFFSET. The column is
//! `account_games`' (the details', else the summary's; a duration also
//! from `matches`); a match without one (a stub) has the value -1, below
//! any real value, so it comes last. A column order reads in two steps: the window's IDs from
//! the narrow tables, then their rows; sorting the wide join itself took
//! three times as long on 100,000 matches.

use std::collections::HashMap;

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::read::{LIST_COLUMNS, LIST_FROM, ListFilter, list_row};
use super::{MatchListRow, Store, StoreError, WindowAnchor, WindowKey};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ListOrder {
    #[default]
    Newest,
    Oldest,
    /// Longest first.
    Duration,
    /// (kills + assists) / deaths, deaths counted as at least one.
    Kda,
    GoldPerMin,
}

/// `account_games` beside each row of the list, for the column orders.
const GAMES_JOIN: &str = "LEFT JOIN account_games ag
    ON ag.account_id = am.account_id AND ag.match_id = am.match_id";

impl ListOrder {
    pub const ALL: [ListOrder; 5] = [
        ListOrder::Newest,
        ListOrder::Oldest,
        ListOrder::Duration,
        ListOrder::Kda,
        ListOrder::GoldPerMin,
    ];

    pub fn next(self) -> ListOrder {
        let i = ListOrder::ALL.iter().position(|&o| o == self).unwrap_or(0);
        ListOrder::ALL[(i + 1) % ListOrder::ALL.len()]
    }

    /// Ordered by a column of the game rather than by time alone.
    pub fn by_column(self) -> bool {
        !matches!(self, ListOrder::Newest | ListOrder::Oldest)
    }

    /// The first row is the greatest key.
    fn descending(self) -> bool {
        self != ListOrder::Oldest
    }

    /// The value before time in the key: never NULL. K/D/A in thousandths,
    /// so the key stays integers (compared exactly, both sides of a window).
    fn value_sql(self) -> &'static str {
        match self {
            ListOrder::Newest | ListOrder::Oldest => "0",
            // A match with details but no line of the player's still has
            // its duration on screen; looked up only for such a row
            // (`coalesce` stops at the first value), as joining the wide
            // `matches` for every row tripled the cost of this order.
            ListOrder::Duration => {
                "coalesce(ag.duration,
                          (SELECT d.duration FROM matches d WHERE d.match_id = am.match_id), -1)"
            }
            ListOrder::Kda => "coalesce((ag.kills + ag.assists) * 1000 / max(ag.deaths, 1), -1)",
            ListOrder::GoldPerMin => "coalesce(ag.gold_per_min, -1)",
        }
    }

    /// The key as SQL, and its values for `key`.
    fn key_sql(self, key: WindowKey, values: &mut Vec<Value>) -> String {
        if self.by_column() {
            values.push(Value::Integer(key.value));
        }
        values.push(Value::Integer(key.start_time));
        values.push(Value::Integer(key.match_id));
        if self.by_column() {
            format!("({}, am.start_time, am.match_id)", self.value_sql())
        } else {
            "(am.start_time, am.match_id)".into()
        }
    }

    /// The comparison that keeps rows after (`later`) or before a key in
    /// list order, `or_equal` the key itself too.
    fn comparison(self, later: bool, or_equal: bool) -> &'static str {
        match (later == self.descending(), or_equal) {
            (true, false) => "<",
            (true, true) => "<=",
            (false, false) => ">",
            (false, true) => ">=",
        }
    }

    fn joins(self) -> &'static str {
        if self.by_column() { GAMES_JOIN } else { "" }
    }
}

impl Store {
    /// Up to `limit` rows of the account's match list from `anchor`, newest first.
    pub fn match_window(
        &self,
        account_id: u32,
        filter: &ListFilter,
        anchor: WindowAnchor,
        limit: usize,
    ) -> Result<Vec<MatchListRow>, StoreError> {
        self.match_window_in(account_id, filter, ListOrder::Newest, anchor, limit)
    }

    /// How many rows of the list come before `key` (its 0-based position).
    pub fn match_position(
        &self,
        account_id: u32,
        filter: &ListFilter,
        key: WindowKey,
    ) -> Result<u64, StoreError> {
        self.match_position_in(account_id, filter, ListOrder::Newest, key)
    }

    /// Up to `limit` rows of the account's match list in `order`, from `anchor`.
    pub fn match_window_in(
        &self,
        account_id: u32,
        filter: &ListFilter,
        order: ListOrder,
        anchor: WindowAnchor,
        limit: usize,
    ) -> Result<Vec<MatchListRow>, StoreError> {
        // `forward`: read in list order; else from the other end, reversed after.
        let (key, forward, later, or_equal) = match anchor {
            WindowAnchor::Newest => (None, true, true, false),
            WindowAnchor::Oldest => (None, false, true, false),
            WindowAnchor::OlderThan(k) => (Some(k), true, true, false),
            WindowAnchor::AtOrOlder(k) => (Some(k), true, true, true),
            WindowAnchor::NewerThan(k) => (Some(k), false, false, false),
        };
        let dir = if forward == order.descending() {
            "DESC"
        } else {
            "ASC"
        };
        let mut values = vec![Value::Integer(i64::from(account_id))];
        let filter_sql = filter.sql(&mut values);
        let condition = match key {
            Some(k) => format!(
                " AND {} {} (?, ?{})",
                order.key_sql(k, &mut values),
                order.comparison(later, or_equal),
                if order.by_column() { ", ?" } else { "" }
            ),
            None => String::new(),
        };
        values.push(Value::Integer(limit as i64));
        let value = order.value_sql();
        let order_by = format!(
            "ORDER BY {}am.start_time {dir}, am.match_id {dir} LIMIT ?",
            if order.by_column() {
                format!("{value} {dir}, ")
            } else {
                String::new()
            }
        );
        let mut rows = if order.by_column() {
            let sql = format!(
                "SELECT am.match_id {} {GAMES_JOIN}
                  WHERE am.account_id = ?{filter_sql}{condition} {order_by}",
                filter.count_from()
            );
            let ids = self.rows(&sql, params_from_iter(values.iter()), |r| r.get(0))?;
            self.list_rows_of(account_id, order, &ids)?
        } else {
            let sql = format!(
                "SELECT {LIST_COLUMNS}, {value} {LIST_FROM}
                  WHERE am.account_id = ?{filter_sql}{condition} {order_by}"
            );
            self.rows(&sql, params_from_iter(values.iter()), list_row)?
        };
        if !forward {
            rows.reverse();
        }
        Ok(rows)
    }

    /// The rows of `ids`, in that order.
    fn list_rows_of(
        &self,
        account_id: u32,
        order: ListOrder,
        ids: &[i64],
    ) -> Result<Vec<MatchListRow>, StoreError> {
        let list = format!(
            "[{}]",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        );
        let sql = format!(
            "SELECT {LIST_COLUMNS}, {} {LIST_FROM} {GAMES_JOIN}
              WHERE am.account_id = ?1 AND am.match_id IN (SELECT value FROM json_each(?2))",
            order.value_sql()
        );
        let values = [Value::Integer(i64::from(account_id)), Value::Text(list)];
        let mut rows = self.rows(&sql, params_from_iter(values.iter()), list_row)?;
        let rank: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        rows.sort_by_key(|r| rank.get(&r.match_id).copied().unwrap_or(usize::MAX));
        Ok(rows)
    }

    /// How many rows of the list in `order` come before `key` (its 0-based
    /// position).
    pub fn match_position_in(
        &self,
        account_id: u32,
        filter: &ListFilter,
        order: ListOrder,
        key: WindowKey,
    ) -> Result<u64, StoreError> {
        let mut values = vec![Value::Integer(i64::from(account_id))];
        let filter_sql = filter.sql(&mut values);
        let tuple = order.key_sql(key, &mut values);
        let sql = format!(
            "SELECT count(*) {} {} WHERE am.account_id = ?{filter_sql}
                AND {tuple} {} (?, ?{})",
            filter.count_from(),
            order.joins(),
            order.comparison(false, false),
            if order.by_column() { ", ?" } else { "" }
        );
        self.count(&sql, &values)
    }

    /// `match_id`'s key in `order`, if the account has it.
    pub fn list_key(
        &self,
        account_id: u32,
        order: ListOrder,
        match_id: i64,
    ) -> Result<Option<WindowKey>, StoreError> {
        let sql = format!(
            "SELECT am.start_time, {} {} {}
              WHERE am.account_id = ?1 AND am.match_id = ?2",
            order.value_sql(),
            ListFilter::none().count_from(),
            order.joins()
        );
        let values = [
            Value::Integer(i64::from(account_id)),
            Value::Integer(match_id),
        ];
        let rows = self.rows(&sql, params_from_iter(values.iter()), |r| {
            Ok(WindowKey {
                start_time: r.get(0)?,
                match_id,
                value: r.get(1)?,
            })
        })?;
        Ok(rows.into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builders::{history_entry, match_details, ten_players};
    use crate::source::{HistoryEntry, MatchDetails, PlayerDetails};

    const ACCOUNT: u32 = 5;
    const N: i64 = 30;

    /// Matches 1..=30 started at 1000 + id, hero id % 3 + 1; every fifth a
    /// stub, the rest detailed with known duration, K/D/A and GPM (with
    /// ties), 29 without a winner.
    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("o.db")).unwrap();
        let entries: Vec<HistoryEntry> = (1..=N)
            .map(|id| history_entry(id, id, 1000 + id, 0, id % 3 + 1))
            .collect();
        store.save_stubs(ACCOUNT, &entries).unwrap();
        for id in (1..=N).filter(|id| id % 5 != 0) {
            let (k, d, a, gpm, duration) = line(id);
            let players = ten_players(|i, slot| PlayerDetails {
                account_id: Some(if slot == 0 {
                    i64::from(ACCOUNT)
                } else {
                    100 + i
                }),
                hero_id: Some(if slot == 0 { id % 3 + 1 } else { 10 + i }),
                kills: (slot == 0).then_some(k),
                deaths: (slot == 0).then_some(d),
                assists: (slot == 0).then_some(a),
                gold_per_min: (slot == 0).then_some(gpm),
                ..PlayerDetails::default()
            });
            let details = MatchDetails {
                duration: Some(duration),
                // Match 29 has no known winner, so no `account_games` row:
                // its duration still counts, its player's columns do not.
                radiant_win: (id != 29).then_some(id % 2 == 0),
                radiant_score: Some(1),
                dire_score: Some(1),
                ..match_details(id, id, 1000 + id, false, players)
            };
            store.save_details(&details).unwrap();
        }
        (dir, store)
    }

    /// The tracked player's kills, deaths, assists, GPM and the duration.
    fn line(id: i64) -> (i64, i64, i64, i64, i64) {
        (
            id % 7,
            id % 4,
            id % 5,
            300 + (id * 13 % 17) * 10,
            1500 + (id * 37 % 11) * 60,
        )
    }

    /// The list in `order` computed here, not in SQL: stubs last, ties newest first.
    fn expected(order: ListOrder, keep: impl Fn(i64) -> bool) -> Vec<i64> {
        let value = |id: i64| {
            let no_line = id == 29 && order != ListOrder::Duration;
            if (id % 5 == 0 || no_line) && order.by_column() {
                return -1;
            }
            let (k, d, a, gpm, duration) = line(id);
            match order {
                ListOrder::Newest | ListOrder::Oldest => 0,
                ListOrder::Duration => duration,
                ListOrder::Kda => (k + a) * 1000 / d.max(1),
                ListOrder::GoldPerMin => gpm,
            }
        };
        let mut ids: Vec<i64> = (1..=N).filter(|&id| keep(id)).collect();
        ids.sort_by_key(|&id| std::cmp::Reverse((value(id), id)));
        if order == ListOrder::Oldest {
            ids.reverse();
        }
        ids
    }

    fn ids(rows: &[MatchListRow]) -> Vec<i64> {
        rows.iter().map(|r| r.match_id).collect()
    }

    #[test]
    fn each_order_lists_every_match_stubs_last() {
        let (_dir, store) = store();
        let none = ListFilter::none();
        for order in ListOrder::ALL {
            let rows = store
                .match_window_in(ACCOUNT, &none, order, WindowAnchor::Newest, 100)
                .unwrap();
            assert_eq!(ids(&rows), expected(order, |_| true), "{order:?}");
            if order == ListOrder::Duration {
                assert!(rows[24..].iter().all(|r| r.has_details.is_none()));
            }
        }
        // The default order is the one the list always had.
        assert_eq!(
            ids(&store
                .match_window(ACCOUNT, &none, WindowAnchor::Newest, 3)
                .unwrap()),
            [30, 29, 28]
        );
    }

    #[test]
    fn windows_by_key_walk_the_same_order_both_ways() {
        let (_dir, store) = store();
        let filter = ListFilter::new("x", vec![2]);
        for order in ListOrder::ALL {
            let want = expected(order, |id| id % 3 + 1 == 2);
            let read = |anchor, limit| {
                store
                    .match_window_in(ACCOUNT, &filter, order, anchor, limit)
                    .unwrap()
            };
            // Forward, three rows at a time, from each window's last key.
            let mut walked = read(WindowAnchor::Newest, 3);
            while let Some(last) = walked.last().map(MatchListRow::key) {
                let next = read(WindowAnchor::OlderThan(last), 3);
                if next.is_empty() {
                    break;
                }
                walked.extend(next);
            }
            assert_eq!(ids(&walked), want, "{order:?}");
            for (i, row) in walked.iter().enumerate() {
                let key = row.key();
                let position = store
                    .match_position_in(ACCOUNT, &filter, order, key)
                    .unwrap();
                assert_eq!(position, i as u64, "{order:?} {}", row.match_id);
                assert_eq!(
                    store.list_key(ACCOUNT, order, row.match_id).unwrap(),
                    Some(key)
                );
                let before = read(WindowAnchor::NewerThan(key), 2);
                assert_eq!(ids(&before), want[i.saturating_sub(2)..i], "{order:?}");
                let from = read(WindowAnchor::AtOrOlder(key), 2);
                assert_eq!(ids(&from), want[i..(i + 2).min(want.len())], "{order:?}");
            }
            let last = read(WindowAnchor::Oldest, 4);
            assert_eq!(ids(&last), want[want.len() - 4..], "{order:?}");
        }
    }
}
