//! The player-names cache (`player_names`, migration V4): which accounts
//! are due a lookup, saving what a lookup found, and reading names back for
//! the views (ARCHITECTURE.md, "Sources and limits").

use std::collections::HashMap;

use rusqlite::params;

use super::{Store, StoreError};

/// A name is looked up again once it is this old (a day, in seconds).
pub const NAME_MAX_AGE_SECS: i64 = 24 * 60 * 60;

/// What one lookup found for one account. `name: None` records "looked up,
/// no name known", so the account is not asked about again for a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRecord {
    pub account_id: u32,
    pub name: Option<String>,
}

impl Store {
    /// The accounts whose name is missing or older than a day at `now`
    /// (unix seconds), at most `limit`: the tracked account first, then
    /// everyone it played with or against, most games together first.
    pub fn names_due(
        &self,
        account_id: u32,
        now: i64,
        limit: usize,
    ) -> Result<Vec<u32>, StoreError> {
        let stale_before = now.saturating_sub(NAME_MAX_AGE_SECS);
        // The tracked account counts as playing every game, so it sorts
        // first; match_players holds both teams (players_encountered only
        // teammates).
        self.rows(
            "WITH met(account_id, games) AS (
                 SELECT ?1, 1 << 62
                 UNION ALL
                 SELECT p.account_id, count(*)
                   FROM account_matches am
                   JOIN match_players p ON p.match_id = am.match_id
                  WHERE am.account_id = ?1 AND p.account_id IS NOT NULL
                    AND p.account_id != ?1
                  GROUP BY p.account_id)
             SELECT met.account_id FROM met
               LEFT JOIN player_names n ON n.account_id = met.account_id
              WHERE n.account_id IS NULL OR n.fetched_at < ?2
              ORDER BY met.games DESC, met.account_id
              LIMIT ?3",
            params![account_id, stale_before, limit as i64],
            |r| r.get::<_, u32>(0),
        )
    }

    /// Saves one lookup's results, all in one transaction, as found by
    /// `source` at `now` (unix seconds). A later lookup replaces an
    /// earlier one, a missing name included.
    pub fn save_names(
        &mut self,
        records: &[NameRecord],
        source: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let fail = |e| StoreError::sqlite(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        {
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO player_names (account_id, name, source, fetched_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(account_id) DO UPDATE SET
                        name = excluded.name, source = excluded.source,
                        fetched_at = excluded.fetched_at",
                )
                .map_err(fail)?;
            for record in records {
                upsert
                    .execute(params![record.account_id, record.name, source, now])
                    .map_err(fail)?;
            }
        }
        tx.commit().map_err(fail)
    }

    /// The known names of `accounts` (those without one are absent).
    pub fn names_of(&self, accounts: &[u32]) -> Result<HashMap<u32, String>, StoreError> {
        let mut names = HashMap::with_capacity(accounts.len());
        // SQLite allows 32,766 parameters; stay far below.
        for chunk in accounts.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let rows = self.rows(
                &format!(
                    "SELECT account_id, name FROM player_names
                      WHERE name IS NOT NULL AND account_id IN ({marks})"
                ),
                rusqlite::params_from_iter(chunk.iter()),
                |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)),
            )?;
            names.extend(rows);
        }
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: u32 = 1000;
    const NOW: i64 = 1_800_000_000;

    /// A store where `ME` played `games[i]` matches with account `others[i]`
    /// (one player per other account per match, on either side).
    fn store_with(games: &[(u32, usize)]) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("n.db")).unwrap();
        let conn = store.connection();
        let mut match_id = 1;
        for &(other, count) in games {
            for _ in 0..count {
                conn.execute(
                    "INSERT INTO matches (match_id, has_details) VALUES (?1, 1)",
                    [match_id],
                )
                .unwrap();
                conn.execute(
                    "INSERT INTO account_matches (account_id, match_id, player_slot) VALUES (?1, ?2, 0)",
                    params![ME, match_id],
                )
                .unwrap();
                for (slot, account) in [(0, Some(ME)), (128, Some(other)), (1, None)] {
                    conn.execute(
                        "INSERT INTO match_players (match_id, player_slot, account_id) VALUES (?1, ?2, ?3)",
                        params![match_id, slot, account],
                    )
                    .unwrap();
                }
                match_id += 1;
            }
        }
        (dir, store)
    }

    fn record(account_id: u32, name: Option<&str>) -> NameRecord {
        NameRecord {
            account_id,
            name: name.map(str::to_string),
        }
    }

    #[test]
    fn due_is_the_tracked_account_then_most_games_first() {
        let (_dir, store) = store_with(&[(7, 1), (5, 3), (9, 2), (6, 2)]);
        assert_eq!(store.names_due(ME, NOW, 10).unwrap(), [ME, 5, 6, 9, 7]);
        assert_eq!(store.names_due(ME, NOW, 2).unwrap(), [ME, 5]);
        // Another account's games are not this account's.
        assert_eq!(store.names_due(42, NOW, 10).unwrap(), [42]);
    }

    #[test]
    fn fresh_names_are_not_due_and_a_day_old_ones_are() {
        let (_dir, mut store) = store_with(&[(5, 3), (9, 2), (6, 1)]);
        store
            .save_names(&[record(ME, Some("me")), record(5, None)], "steam", NOW)
            .unwrap();
        store
            .save_names(
                &[record(9, Some("old"))],
                "opendota",
                NOW - NAME_MAX_AGE_SECS - 1,
            )
            .unwrap();
        // "No name known" is an answer too: 5 is not asked again today.
        assert_eq!(store.names_due(ME, NOW, 10).unwrap(), [9, 6]);
        assert_eq!(
            store
                .names_due(ME, NOW + NAME_MAX_AGE_SECS + 1, 10)
                .unwrap(),
            [ME, 5, 9, 6]
        );
    }

    #[test]
    fn a_new_lookup_replaces_the_old_one() {
        let (_dir, mut store) = store_with(&[(5, 1)]);
        store
            .save_names(&[record(5, Some("first"))], "opendota", NOW - 10)
            .unwrap();
        store
            .save_names(&[record(5, Some("second")), record(6, None)], "steam", NOW)
            .unwrap();
        let row: (String, String, i64) = store
            .connection()
            .query_row(
                "SELECT name, source, fetched_at FROM player_names WHERE account_id = 5",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(row, ("second".to_string(), "steam".to_string(), NOW));
        let names = store.names_of(&[5, 6, 77]).unwrap();
        assert_eq!(names, HashMap::from([(5, "second".to_string())]));
    }

    #[test]
    fn names_of_reads_past_one_statement_of_parameters() {
        let (_dir, mut store) = store_with(&[]);
        let records: Vec<_> = (1..=1200)
            .map(|id| record(id, Some(&format!("p{id}"))))
            .collect();
        store.save_names(&records, "steam", NOW).unwrap();
        let wanted: Vec<u32> = (1..=1300).collect();
        let names = store.names_of(&wanted).unwrap();
        assert_eq!(names.len(), 1200);
        assert_eq!(names[&1200], "p1200");
        assert!(store.names_of(&[]).unwrap().is_empty());
    }
}
