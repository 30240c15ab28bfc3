//! The rows `dota-sync export --what matches` writes: one per match of the
//! account, with the tracked player's line (found by the phase-1 slot, so an
//! anonymous player still has one) and the match's own fields. A match
//! without details comes out with its summary's fields where it has one
//! (ARCHITECTURE.md, "Summaries"), else with what phase 1 knows; details
//! always win, and [`RowFrom`] says which it was. The filter judges each row by
//! the fields it exports. Streamed, so 100k matches never sit in memory at
//! once.

use rusqlite::types::Value;

use super::filter::MatchFilter;
use super::read::consecutive;
use super::{Store, StoreError};

/// Where an exported row's line comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RowFrom {
    /// The match's details.
    Details,
    /// No details: the summary the history call brought.
    Summary,
    /// Neither: what phase 1 knows.
    #[default]
    Stub,
}

impl RowFrom {
    /// The `from` column: `details`, `summary` or `stub`.
    pub fn as_str(self) -> &'static str {
        match self {
            RowFrom::Details => "details",
            RowFrom::Summary => "summary",
            RowFrom::Stub => "stub",
        }
    }
}

/// One exported match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportMatch {
    pub match_id: i64,
    pub from: RowFrom,
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
        let condition = filter.sql_over(&mut values, "e", "e");
        // The player's line from the details where they are saved, else
        // from the summary; the match's fields likewise.
        let line = |column: &str| {
            format!(
                "CASE WHEN m.has_details IS 1 THEN mp.{column} ELSE ms.{column} END AS {column}"
            )
        };
        let game = |column: &str| {
            format!("CASE WHEN m.has_details IS 1 THEN m.{column} ELSE ms.{column} END AS {column}")
        };
        let lines = [
            "kills",
            "deaths",
            "assists",
            "last_hits",
            "denies",
            "gold_per_min",
            "xp_per_min",
            "hero_damage",
            "tower_damage",
            "hero_healing",
            "level",
        ]
        .map(line)
        .join(", ");
        let items = ["item_0", "item_1", "item_2", "item_3", "item_4", "item_5"]
            .map(line)
            .join(", ");
        let sql = format!(
            "SELECT e.* FROM (
                 SELECT am.match_id, am.start_time, m.has_details,
                        CASE WHEN m.has_details IS 1 THEN 'details'
                             WHEN ms.match_id IS NOT NULL THEN 'summary'
                             ELSE 'stub' END AS origin,
                        CASE WHEN m.has_details IS 1 THEN coalesce(mp.hero_id, am.hero_id)
                             ELSE coalesce(ms.hero_id, am.hero_id) END AS hero_id,
                        coalesce(am.player_slot, ms.player_slot) AS player_slot,
                        {}, {}, {},
                        CASE WHEN m.has_details IS 1 THEN m.lobby_type
                             ELSE coalesce(ms.lobby_type, m.lobby_type) END AS lobby_type,
                        {lines}, mp.net_worth, {items},
                        mp.backpack_0, mp.backpack_1, mp.backpack_2, {}
                   FROM account_matches am
                   JOIN matches m ON m.match_id = am.match_id
                   LEFT JOIN match_players mp
                          ON mp.match_id = am.match_id AND mp.player_slot = am.player_slot
                   LEFT JOIN match_summaries ms
                          ON ms.account_id = am.account_id AND ms.match_id = am.match_id
                  WHERE am.account_id = ?
             ) e
             WHERE 1{condition}
             ORDER BY e.start_time DESC, e.match_id DESC",
            game("radiant_win"),
            game("duration"),
            game("game_mode"),
            line("item_neutral"),
        );
        let fail = |e| E::from(StoreError::sqlite(self.path(), e));
        let mut stmt = self.conn.prepare(&sql).map_err(fail)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(values.iter()))
            .map_err(fail)?;
        while let Some(r) = rows.next().map_err(fail)? {
            let row = (|| -> rusqlite::Result<ExportMatch> {
                let from = match r.get_ref(3)?.as_str()? {
                    "details" => RowFrom::Details,
                    "summary" => RowFrom::Summary,
                    _ => RowFrom::Stub,
                };
                Ok(ExportMatch {
                    match_id: r.get(0)?,
                    from,
                    start_time: r.get(1)?,
                    has_details: r.get(2)?,
                    hero_id: r.get(4)?,
                    player_slot: r.get(5)?,
                    radiant_win: r.get(6)?,
                    duration: r.get(7)?,
                    game_mode: r.get(8)?,
                    lobby_type: r.get(9)?,
                    kills: r.get(10)?,
                    deaths: r.get(11)?,
                    assists: r.get(12)?,
                    last_hits: r.get(13)?,
                    denies: r.get(14)?,
                    gold_per_min: r.get(15)?,
                    xp_per_min: r.get(16)?,
                    hero_damage: r.get(17)?,
                    tower_damage: r.get(18)?,
                    hero_healing: r.get(19)?,
                    level: r.get(20)?,
                    net_worth: r.get(21)?,
                    items: consecutive(r, 22)?,
                    backpack: consecutive(r, 28)?,
                    item_neutral: r.get(31)?,
                })
            })()
            .map_err(fail)?;
            each(row)?;
        }
        Ok(())
    }
}
