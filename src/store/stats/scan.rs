//! The SQL of the statistics: the one scan of an account's games that the
//! Overview, Heroes, Records and When tabs share, and the Teammates pass
//! over the other players of those games.

use rusqlite::types::{Type, Value};

use super::compute::Game;
use super::peers::{PeerTally, Slot, slots_of};
use super::{HeroMatchup, PeerStats};
use crate::source::model::is_radiant_slot;
use crate::store::filter::MatchFilter;
use crate::store::lineups;
use crate::store::{Store, StoreError};

impl Store {
    /// The filtered games, oldest first (ties by match ID). One scan serves
    /// a whole view: every statistic of the Overview, Heroes and Records tabs
    /// is then a loop over these rows, because a dozen SQL passes over the
    /// same join cost several times the scan itself (docs/performance.md,
    /// "The statistics tabs").
    pub(super) fn games(
        &self,
        account_id: u32,
        filter: &MatchFilter,
    ) -> Result<Vec<Game>, StoreError> {
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

    /// The Teammates pass: every other player of the filtered games into a
    /// [`PeerTally`], then names and "tracked" for the `limit` rows kept.
    pub(super) fn tally_peers(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        limit: usize,
    ) -> Result<(Vec<PeerStats>, Vec<HeroMatchup>), StoreError> {
        let mut values = vec![Value::Integer(i64::from(account_id))];
        let condition = filter.sql_over(&mut values, "ag", "ag");
        // One row per game, its players packed (`store/lineups.rs`): the
        // join with `match_players` stepped ten rows a game, and that
        // stepping was most of the pass.
        let details_sql = format!(
            "SELECT ag.player_slot, ag.radiant_win, ag.start_time, l.players
               FROM account_games ag JOIN match_lineups l ON l.match_id = ag.match_id
              WHERE ag.account_id = ?{condition} AND ag.from_summary = 0"
        );
        // A game without details: the other nine from its summary's `heroes`.
        let summaries_sql = format!(
            "SELECT ag.player_slot, ag.radiant_win, ag.start_time, s.heroes
               FROM account_games ag
               JOIN match_summaries s ON s.account_id = ag.account_id AND s.match_id = ag.match_id
              WHERE ag.account_id = ?{condition} AND ag.from_summary = 1"
        );
        let mut tally = PeerTally::new(i64::from(account_id));
        // Each game of `sql`: my slot, the winner, when, then the other
        // players, from the lineup (details) or the summary's `heroes`.
        let mut tally_games = |sql: &str, from_summary: bool| -> rusqlite::Result<()> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
            while let Some(r) = rows.next()? {
                let int = |i: usize| r.get_ref_unwrap(i).as_i64_or_null().ok().flatten();
                let mine = int(0).unwrap_or_default();
                let radiant_win = int(1).unwrap_or_default() != 0;
                let start_time = int(2).unwrap_or_default();
                // Bytes: a lineup is ASCII, no need to check it is UTF-8.
                let text = r.get_ref_unwrap(3).as_bytes_or_null().ok().flatten();
                let text = text.unwrap_or_default();
                let mut add = |other: Slot| {
                    if other.slot != mine {
                        tally.add(mine, other, radiant_win, start_time, from_summary);
                    }
                };
                if from_summary {
                    slots_of(std::str::from_utf8(text).unwrap_or_default())
                        .into_iter()
                        .for_each(&mut add);
                } else {
                    lineups::players(text).for_each(&mut add);
                }
            }
            Ok(())
        };
        tally_games(&details_sql, false)
            .and_then(|()| tally_games(&summaries_sql, true))
            .map_err(|e| self.sqlite_error(e))?;
        let (mut peers, matchups) = tally.finish(limit);
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
        Ok((peers, matchups))
    }
}
