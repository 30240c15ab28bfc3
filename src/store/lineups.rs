//! `match_lineups`: every detailed match's players in one short text, so
//! that the Teammates pass reads one row per game instead of ten.
//!
//! Derived from `match_players` alone, and rewritten in the transaction
//! that rewrites a match's players (`write.rs`, after the details' insert),
//! so a kill at any point leaves it exact. Why it exists: on 100,000 games
//! the join of the games with their nine other players was 900,000 rows,
//! and stepping them through SQLite and rusqlite was most of a 300 ms first
//! load of the tab; a lineup per game is 100,000 rows (docs/performance.md).
//!
//! `players` is `slot,account,hero` per player, `;` between players, an
//! empty field for NULL: `0,10007,2;1,,13;128,10072,57`.

use rusqlite::{Transaction, params};

/// Migration 8's table; a rowid table keyed by the match. `IF NOT
/// EXISTS`: a file whose version was set back (tests of older files do)
/// keeps it, and [`backfill`] rewrites it whole.
pub(super) const CREATE: &str = "
CREATE TABLE IF NOT EXISTS match_lineups (
    match_id INTEGER PRIMARY KEY,
    players  TEXT NOT NULL
);
";

/// The lineup of every match with players, in key order.
const SELECT: &str = "
SELECT match_id,
       group_concat(player_slot || ',' || coalesce(account_id, '') || ',' || coalesce(hero_id, ''),
                    ';')
  FROM match_players";

/// Fills the table from the players already saved (migration 8).
pub(super) fn backfill(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM match_lineups", [])?;
    tx.execute(
        &format!("INSERT INTO match_lineups (match_id, players) {SELECT} GROUP BY match_id"),
        [],
    )?;
    Ok(())
}

/// Rewrites `match_id`'s lineup from its players (none: no lineup).
pub(super) fn refresh(tx: &Transaction<'_>, match_id: i64) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM match_lineups WHERE match_id = ?1")?
        .execute(params![match_id])?;
    tx.prepare_cached(&format!(
        "INSERT INTO match_lineups (match_id, players) {SELECT} WHERE match_id = ?1
          GROUP BY match_id"
    ))?
    .execute(params![match_id])?;
    Ok(())
}

/// One player of a lineup.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineupPlayer {
    pub slot: i64,
    pub account_id: Option<i64>,
    pub hero_id: Option<i64>,
}

/// The players of a `players` text, read byte by byte: it is read once
/// per game on every first load of the Teammates tab, where `str::split`
/// and `parse` took a quarter of the pass. A player whose slot is
/// unreadable is left out (the text is written only by [`SELECT`], so never
/// in practice); an unreadable account or hero is `None`.
pub fn players(text: &[u8]) -> impl Iterator<Item = LineupPlayer> + '_ {
    text.split(|&b| b == b';').filter_map(|player| {
        let mut fields = player.splitn(3, |&b| b == b',');
        let slot = fields.next().and_then(int)?;
        Some(LineupPlayer {
            slot,
            account_id: fields.next().and_then(int),
            hero_id: fields.next().and_then(int),
        })
    })
}

/// A decimal integer, `None` if empty, not a number or out of range.
fn int(field: &[u8]) -> Option<i64> {
    let (negative, digits) = match field {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, field),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    Some(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builders::{history_entry, match_details, ten_players};
    use crate::source::PlayerDetails;
    use crate::store::Store;
    use crate::store::stats::{Statistics, StatsCache};

    /// Every lineup, its players sorted, by match.
    fn stored(store: &Store) -> Vec<(i64, Vec<LineupPlayer>)> {
        let conn = store.connection();
        let mut stmt = conn
            .prepare("SELECT match_id, players FROM match_lineups ORDER BY match_id")
            .unwrap();
        stmt.query_map([], |r| {
            let mut read: Vec<LineupPlayer> = players(r.get::<_, String>(1)?.as_bytes()).collect();
            read.sort_by_key(|p| p.slot);
            Ok((r.get(0)?, read))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    /// The same, recomputed from `match_players` without the table's SQL.
    fn derived(store: &Store) -> Vec<(i64, Vec<LineupPlayer>)> {
        let conn = store.connection();
        let mut stmt = conn
            .prepare(
                "SELECT match_id, player_slot, account_id, hero_id FROM match_players
                  ORDER BY match_id, player_slot",
            )
            .unwrap();
        let rows: Vec<(i64, LineupPlayer)> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    LineupPlayer {
                        slot: r.get(1)?,
                        account_id: r.get(2)?,
                        hero_id: r.get(3)?,
                    },
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut out: Vec<(i64, Vec<LineupPlayer>)> = Vec::new();
        for (match_id, player) in rows {
            match out.last_mut() {
                Some((id, players)) if *id == match_id => players.push(player),
                _ => out.push((match_id, vec![player])),
            }
        }
        out
    }

    #[test]
    fn lineups_follow_the_players_saved_and_an_older_file_gains_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lineups.db");
        let mut store = Store::open(&path).unwrap();
        let entries: Vec<_> = (1..=3)
            .map(|n| history_entry(n, n, 1_000 * n, 0, 5))
            .collect();
        store.save_stubs(7, &entries).unwrap();
        let details = |n: i64, shift: i64| {
            let players = ten_players(|i, _| PlayerDetails {
                // An anonymous player and a hero not known yet, among others.
                account_id: (i != 3).then_some(100 + i + shift),
                hero_id: (i != 5).then_some(i + 1),
                ..PlayerDetails::default()
            });
            match_details(n, n, 1_000 * n, true, players)
        };
        store.save_details(&details(1, 0)).unwrap();
        store.save_details(&details(2, 0)).unwrap();
        assert_eq!(stored(&store).len(), 2, "a stub has no lineup");
        assert_eq!(stored(&store), derived(&store));
        // Details fetched again, with other players: the lineup follows.
        let mut again = details(1, 50);
        again.players.truncate(6);
        store.save_details(&again).unwrap();
        assert_eq!(stored(&store)[0].1.len(), 6);
        assert_eq!(stored(&store), derived(&store));
        let before = stored(&store);
        let cache = StatsCache::default();
        let peers = Statistics::new(&store, &cache)
            .peer_stats(7, &Default::default(), 100)
            .unwrap();
        assert!(!peers.is_empty());

        // A file from before migration 8.
        store
            .connection()
            .execute_batch("DROP TABLE match_lineups; PRAGMA user_version = 7;")
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(stored(&store), before);
        assert_eq!(
            Statistics::new(&store, &StatsCache::default())
                .peer_stats(7, &Default::default(), 100)
                .unwrap(),
            peers
        );
    }

    #[test]
    fn a_lineup_reads_back_with_its_nulls() {
        let read: Vec<LineupPlayer> =
            players(b"0,10007,2;1,,13;128,10072,;x,1,1;2,1a,-3;3,99999999999999999999,1").collect();
        assert_eq!(
            read,
            [
                LineupPlayer {
                    slot: 0,
                    account_id: Some(10_007),
                    hero_id: Some(2)
                },
                LineupPlayer {
                    slot: 1,
                    account_id: None,
                    hero_id: Some(13)
                },
                LineupPlayer {
                    slot: 128,
                    account_id: Some(10_072),
                    hero_id: None
                },
                LineupPlayer {
                    slot: 2,
                    account_id: None,
                    hero_id: Some(-3)
                },
                LineupPlayer {
                    slot: 3,
                    account_id: None,
                    hero_id: Some(1)
                },
            ]
        );
        assert_eq!(players(b"").count(), 0);
    }
}
