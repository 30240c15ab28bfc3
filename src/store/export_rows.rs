//! The rows `dota-sync export --what matches` writes: one per match of the
//! account, with the tracked player's line (found by the phase-1 slot, so an
//! anonymous player still has one) and the match's own fields. Stubs come
//! out with what phase 1 knows and empty details. Streamed, so 100k matches
//! never sit in memory at once.

use rusqlite::types::Value;

use super::filter::MatchFilter;
use super::read::consecutive;
use super::{Store, StoreError};

/// One exported match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportMatch {
    pub match_id: i64,
    pub start_time: i64,
    pub has_details: Option<bool>,
    pub hero_id: Option<i64>,
    pub player_slot: Option<i64>,
    pub radiant_win: Option<bool>,
    pub duration: Option<i64>,
    pub game_mode: Option<i64>,
    pub lobby_type: Option<i64>,
    pub kills: Option<i64>,
    pub deaths: Option<i64>,
    pub assists: Option<i64>,
    pub last_hits: Option<i64>,
    pub denies: Option<i64>,
    pub gold_per_min: Option<i64>,
    pub xp_per_min: Option<i64>,
    pub hero_damage: Option<i64>,
    pub tower_damage: Option<i64>,
    pub hero_healing: Option<i64>,
    pub level: Option<i64>,
    pub net_worth: Option<i64>,
    pub items: [Option<i64>; 6],
    pub backpack: [Option<i64>; 3],
    pub item_neutral: Option<i64>,
}

impl ExportMatch {
    /// Whether the tracked player won; `None` when unknown.
    pub fn won(&self) -> Option<bool> {
        Some(self.radiant_win? == (self.player_slot? < 128))
    }
}

impl Store {
    /// Calls `each` for every match of the account the filter keeps, newest
    /// first; stops at the first error `each` returns.
    pub fn export_matches<E: From<StoreError>>(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        mut each: impl FnMut(ExportMatch) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut values = vec![Value::Integer(i64::from(account_id))];
        let condition = filter.sql(&mut values);
        let sql = format!(
            "SELECT am.match_id, am.start_time, m.has_details, coalesce(mp.hero_id, am.hero_id),
                    am.player_slot, m.radiant_win, m.duration, m.game_mode, m.lobby_type,
                    mp.kills, mp.deaths, mp.assists, mp.last_hits, mp.denies, mp.gold_per_min,
                    mp.xp_per_min, mp.hero_damage, mp.tower_damage, mp.hero_healing, mp.level,
                    mp.net_worth, mp.item_0, mp.item_1, mp.item_2, mp.item_3, mp.item_4,
                    mp.item_5, mp.backpack_0, mp.backpack_1, mp.backpack_2, mp.item_neutral
               FROM account_matches am
               JOIN matches m ON m.match_id = am.match_id
               LEFT JOIN match_players mp
                      ON mp.match_id = am.match_id AND mp.player_slot = am.player_slot
              WHERE am.account_id = ?{condition}
              ORDER BY am.start_time DESC, am.match_id DESC"
        );
        let fail = |e| E::from(StoreError::sqlite(self.path(), e));
        let mut stmt = self.conn.prepare(&sql).map_err(fail)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(values.iter()))
            .map_err(fail)?;
        while let Some(r) = rows.next().map_err(fail)? {
            let row = (|| -> rusqlite::Result<ExportMatch> {
                Ok(ExportMatch {
                    match_id: r.get(0)?,
                    start_time: r.get(1)?,
                    has_details: r.get(2)?,
                    hero_id: r.get(3)?,
                    player_slot: r.get(4)?,
                    radiant_win: r.get(5)?,
                    duration: r.get(6)?,
                    game_mode: r.get(7)?,
                    lobby_type: r.get(8)?,
                    kills: r.get(9)?,
                    deaths: r.get(10)?,
                    assists: r.get(11)?,
                    last_hits: r.get(12)?,
                    denies: r.get(13)?,
                    gold_per_min: r.get(14)?,
                    xp_per_min: r.get(15)?,
                    hero_damage: r.get(16)?,
                    tower_damage: r.get(17)?,
                    hero_healing: r.get(18)?,
                    level: r.get(19)?,
                    net_worth: r.get(20)?,
                    items: consecutive(r, 21)?,
                    backpack: consecutive(r, 27)?,
                    item_neutral: r.get(30)?,
                })
            })()
            .map_err(fail)?;
            each(row)?;
        }
        Ok(())
    }
}
