//! Writes made by the sync engine. Each public method is one transaction:
//! a match update commits whole or not at all. Phase 2 hands its finished
//! matches over in batches ([`Store::apply_batch`]) so that a commit, which
//! rewrites the WAL's copies of every page it touched, is shared by many
//! matches instead of paid by each.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Store, StoreError, games, lineups, now_text, summaries};
use crate::source::model::{ANONYMOUS_ACCOUNT_ID, HistoryEntry, MatchDetails, is_radiant_slot};
use crate::source::{MatchRef, MatchSummary};

/// Attempts after which a failing match is given up (until `retry --all`).
pub const MAX_ATTEMPTS: i64 = 3;

/// Which of an account's matches without details phase 2 is to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// A sync's: stubs, and failures with attempts left.
    Due,
    /// `retry`'s: failures with attempts left; `given_up`: every failure.
    Failed { given_up: bool },
    /// Stubs and every failure, given up or not (the TUI's `r`).
    WithoutDetails,
}

/// What recording a failure did to the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureRecord {
    /// Attempts so far, this one included.
    pub attempts: i64,
    /// The match has used up its attempts.
    pub given_up: bool,
}

/// One finished details fetch, as phase 2 hands it to the store.
#[derive(Debug, Clone, Copy)]
pub enum RowOutcome<'a> {
    /// Details to save: the row, its players and the teammate counters
    /// ([`Store::save_details`]).
    Saved(&'a MatchDetails),
    /// [`RowOutcome::Saved`], noting which source supplied the details
    /// (`matches.details_source`).
    SavedFrom(&'a MatchDetails, &'a str),
    /// A counted failure ([`Store::record_failure`]): `reason` is what
    /// `fetch_error` will say.
    Failed { match_id: i64, reason: &'a str },
    /// A failure not counted against the match (the API was down): only
    /// `fetch_error` and `last_fetch_attempt` change ([`Store::record_outage`]).
    NotCounted { match_id: i64, reason: &'a str },
}

/// What applying one [`RowOutcome`] did to its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Saved,
    /// `None`: the match already had details and was left alone.
    Failed(Option<FailureRecord>),
}

impl Applied {
    /// The failure's record, for a failed outcome that changed its row.
    pub fn failure(self) -> Option<FailureRecord> {
        match self {
            Applied::Failed(record) => record,
            Applied::Saved => None,
        }
    }
}

impl Store {
    /// Applies a batch of phase-2 outcomes in one transaction and answers
    /// what each did, in order. Each match is whole (row, players, teammate
    /// counters) and the batch commits together or not at all, so a kill at
    /// any point leaves every counter exact. The caller bounds the batch
    /// (by count and by time) so that readers still see rows fill in.
    pub fn apply_batch(&mut self, batch: &[RowOutcome<'_>]) -> Result<Vec<Applied>, StoreError> {
        let path = self.path.clone();
        let tx = self.write_tx()?;
        let apply = || -> rusqlite::Result<Vec<Applied>> {
            let now = now_text();
            batch
                .iter()
                .map(|outcome| match *outcome {
                    RowOutcome::Saved(details) => {
                        upsert_details(&tx, details, None, &now).map(|()| Applied::Saved)
                    }
                    RowOutcome::SavedFrom(details, source) => {
                        upsert_details(&tx, details, Some(source), &now).map(|()| Applied::Saved)
                    }
                    RowOutcome::Failed { match_id, reason } => {
                        count_failure(&tx, match_id, reason, &now).map(Applied::Failed)
                    }
                    RowOutcome::NotCounted { match_id, reason } => {
                        note_outage(&tx, match_id, reason, &now).map(Applied::Failed)
                    }
                })
                .collect()
        };
        let applied = apply().map_err(|e| StoreError::sqlite(&path, e))?;
        tx.commit().map_err(|e| StoreError::sqlite(&path, e))?;
        Ok(applied)
    }

    /// Copies the write-ahead log back into the database file now, without
    /// waiting for readers (a passive checkpoint): for a writer that defers
    /// its checkpoints to a moment of its choosing ([`super::checkpoint`]).
    pub fn checkpoint(&mut self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .map_err(|e| self.sqlite_error(e))?;
        super::checkpoint::checkpointed();
        Ok(())
    }

    fn write_tx(&mut self) -> Result<Transaction<'_>, StoreError> {
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| StoreError::sqlite(&path, e))
    }

    /// Saves one history page as stubs and links them to `account_id`.
    /// Returns how many of them were new for this account.
    pub fn save_stubs(
        &mut self,
        account_id: u32,
        entries: &[HistoryEntry],
    ) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let tx = self.write_tx()?;
        let new =
            insert_stubs(&tx, account_id, entries).map_err(|e| StoreError::sqlite(&path, e))?;
        tx.commit().map_err(|e| StoreError::sqlite(&path, e))?;
        Ok(new)
    }

    /// [`Self::save_stubs`], and in the same transaction each of
    /// `summaries` as `account_id`'s line of its match, from `source`
    /// (ARCHITECTURE.md, "Summaries"): a kill at any point leaves no
    /// summary without its stub and no stub of the batch without its
    /// summary. A summary's stub may also be one an earlier batch saved.
    pub fn save_stubs_and_summaries(
        &mut self,
        account_id: u32,
        entries: &[HistoryEntry],
        source: &str,
        summaries: &[MatchSummary],
    ) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let tx = self.write_tx()?;
        let save = || -> rusqlite::Result<usize> {
            let new = insert_stubs(&tx, account_id, entries)?;
            for summary in summaries {
                if summaries::upsert(&tx, account_id, source, summary)? {
                    games::refresh(&tx, summary.match_id)?;
                }
            }
            Ok(new)
        };
        let new = save().map_err(|e| StoreError::sqlite(&path, e))?;
        tx.commit().map_err(|e| StoreError::sqlite(&path, e))?;
        Ok(new)
    }

    /// Saves a match's details: the row, its players and, on the first
    /// transition to `has_details = 1`, the teammate counters of every
    /// tracked account linked to it.
    pub fn save_details(&mut self, details: &MatchDetails) -> Result<(), StoreError> {
        self.apply_batch(&[RowOutcome::Saved(details)]).map(drop)
    }

    /// Saves the matches a history page brought whole (STRATZ's) as their
    /// details from `source`, in one transaction, through the same path as
    /// phase 2's answers. A match already detailed is left as it is, so a
    /// later sync that lists it again rewrites nothing. Returns the IDs saved.
    pub fn save_whole(
        &mut self,
        whole: &[MatchDetails],
        source: &str,
    ) -> Result<Vec<i64>, StoreError> {
        let path = self.path.clone();
        let tx = self.write_tx()?;
        let save = || -> rusqlite::Result<Vec<i64>> {
            let now = now_text();
            let mut saved = Vec::new();
            for details in whole {
                let detailed: Option<i64> = tx
                    .query_row(
                        "SELECT has_details FROM matches WHERE match_id = ?1",
                        [details.match_id],
                        |r| r.get(0),
                    )
                    .optional()?
                    .flatten();
                if detailed == Some(1) {
                    continue;
                }
                upsert_details(&tx, details, Some(source), &now)?;
                saved.push(details.match_id);
            }
            Ok(saved)
        };
        let saved = save().map_err(|e| StoreError::sqlite(&path, e))?;
        tx.commit().map_err(|e| StoreError::sqlite(&path, e))?;
        Ok(saved)
    }

    /// Records a failed attempt. A match that already has details is left
    /// alone: a later failure never takes data away.
    pub fn record_failure(
        &mut self,
        match_id: i64,
        reason: &str,
    ) -> Result<Option<FailureRecord>, StoreError> {
        let applied = self.apply_batch(&[RowOutcome::Failed { match_id, reason }])?;
        Ok(applied.into_iter().next().and_then(Applied::failure))
    }

    /// Records an attempt that met the API down (5xx, no answer): not the
    /// match's fault, so `has_details` and `retry_count` stay as they were
    /// (a stub stays a stub); only what happened and when are noted
    /// (ARCHITECTURE.md, "Retry rules"). A match with details is left alone.
    pub fn record_outage(
        &mut self,
        match_id: i64,
        reason: &str,
    ) -> Result<Option<FailureRecord>, StoreError> {
        let applied = self.apply_batch(&[RowOutcome::NotCounted { match_id, reason }])?;
        Ok(applied.into_iter().next().and_then(Applied::failure))
    }

    /// The account's matches in `set` that phase 2 should fetch, newest
    /// first. A retry (`Pending::Failed`) also takes the stubs an API error
    /// left (5xx, no answer: a stub with a `fetch_error`): they failed too,
    /// and `retry` / `R` are where a user asks for failures again.
    pub fn pending(&self, account_id: u32, set: Pending) -> Result<Vec<MatchRef>, StoreError> {
        let (include_stubs, include_given_up) = match set {
            Pending::Due => (true, false),
            Pending::Failed { given_up } => (false, given_up),
            Pending::WithoutDetails => (true, true),
        };
        self.rows(
            "SELECT m.match_id, m.match_seq_num
               FROM account_matches am JOIN matches m ON m.match_id = am.match_id
              WHERE am.account_id = ?1
                AND ((m.has_details IS NULL AND (?2 OR m.fetch_error IS NOT NULL))
                  OR (m.has_details = 0 AND (m.retry_count < ?3 OR ?4)))
              ORDER BY am.start_time DESC, am.match_id DESC",
            params![account_id, include_stubs, MAX_ATTEMPTS, include_given_up],
            |row| {
                Ok(MatchRef {
                    match_id: row.get(0)?,
                    match_seq_num: row.get(1)?,
                })
            },
        )
    }

    /// Gives one match of the account its attempts back and returns what
    /// phase 2 needs to fetch it; `None` if it is not the account's or is
    /// already detailed.
    pub fn revive(
        &mut self,
        account_id: u32,
        match_id: i64,
    ) -> Result<Option<MatchRef>, StoreError> {
        self.reset_attempts(account_id, Some(match_id))?;
        self.conn
            .query_row(
                "SELECT m.match_id, m.match_seq_num
                   FROM matches m JOIN account_matches am ON am.match_id = m.match_id
                  WHERE am.account_id = ?1 AND m.match_id = ?2 AND m.has_details IS NOT 1",
                params![account_id, match_id],
                |row| {
                    Ok(MatchRef {
                        match_id: row.get(0)?,
                        match_seq_num: row.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sqlite_error(e))
    }

    /// Gives matches back their attempts so the next fetch tries them again.
    /// `match_id`: one match (the TUI's `r`), else all the account's failures.
    pub fn reset_attempts(
        &mut self,
        account_id: u32,
        match_id: Option<i64>,
    ) -> Result<usize, StoreError> {
        let changed = match match_id {
            Some(id) => self.conn.execute(
                "UPDATE matches SET retry_count = 0 WHERE match_id = ?1 AND has_details = 0",
                params![id],
            ),
            None => self.conn.execute(
                "UPDATE matches SET retry_count = 0
                  WHERE has_details = 0
                    AND match_id IN (SELECT match_id FROM account_matches WHERE account_id = ?1)",
                params![account_id],
            ),
        };
        changed.map_err(|e| self.sqlite_error(e))
    }
}

fn insert_stubs(
    tx: &Transaction<'_>,
    account_id: u32,
    entries: &[HistoryEntry],
) -> rusqlite::Result<usize> {
    // Changes a row only when it is new or a field is filled in: then the
    // match's `account_games` rows may change. (`RETURNING has_details`
    // would spare a lookup, but made a stub 60% dearer.)
    let mut insert_match = tx.prepare_cached(
        "INSERT INTO matches (match_id, match_seq_num, start_time, lobby_type)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(match_id) DO UPDATE SET
             match_seq_num = coalesce(matches.match_seq_num, excluded.match_seq_num),
             start_time = coalesce(matches.start_time, excluded.start_time),
             lobby_type = coalesce(matches.lobby_type, excluded.lobby_type)
          WHERE (matches.match_seq_num IS NULL AND excluded.match_seq_num IS NOT NULL)
             OR (matches.start_time IS NULL AND excluded.start_time IS NOT NULL)
             OR (matches.lobby_type IS NULL AND excluded.lobby_type IS NOT NULL)",
    )?;
    let mut link = tx.prepare_cached(
        "INSERT OR IGNORE INTO account_matches (account_id, match_id, player_slot, hero_id, start_time)
         VALUES (?1, ?2, ?3, ?4, coalesce(?5, 0))",
    )?;
    let mut detailed =
        tx.prepare_cached("SELECT has_details IS 1 FROM matches WHERE match_id = ?1")?;
    let mut new = 0;
    for entry in entries {
        let changed = insert_match.execute(params![
            entry.match_id,
            entry.match_seq_num,
            entry.start_time,
            entry.lobby_type
        ])? == 1;
        let linked = link.execute(params![
            account_id,
            entry.match_id,
            entry.player_slot,
            entry.hero_id,
            entry.start_time
        ])? == 1;
        new += usize::from(linked);
        let has_details = (changed || linked)
            && detailed.query_row(params![entry.match_id], |r| r.get::<_, bool>(0))?;
        if has_details {
            if linked {
                // A match another account already had detailed counts for this one too.
                count_teammates(tx, i64::from(account_id), entry.match_id)?;
            }
            games::refresh(tx, entry.match_id)?;
        }
    }
    Ok(new)
}

/// Counts one failed attempt on a row without details.
fn count_failure(
    tx: &Transaction<'_>,
    match_id: i64,
    reason: &str,
    now: &str,
) -> rusqlite::Result<Option<FailureRecord>> {
    let attempts: Option<i64> = tx
        .prepare_cached(
            "UPDATE matches
                SET has_details = 0, retry_count = retry_count + 1,
                    fetch_error = ?2, last_fetch_attempt = ?3
              WHERE match_id = ?1 AND has_details IS NOT 1
          RETURNING retry_count",
        )?
        .query_row(params![match_id, reason, now], |row| row.get(0))
        .optional()?;
    Ok(attempts.map(|attempts| FailureRecord {
        attempts,
        given_up: attempts >= MAX_ATTEMPTS,
    }))
}

/// The "API is down" row: attempts untouched, a stub stays a stub.
fn note_outage(
    tx: &Transaction<'_>,
    match_id: i64,
    reason: &str,
    now: &str,
) -> rusqlite::Result<Option<FailureRecord>> {
    let attempts: Option<i64> = tx
        .prepare_cached(
            "UPDATE matches SET fetch_error = ?2, last_fetch_attempt = ?3
              WHERE match_id = ?1 AND has_details IS NOT 1
          RETURNING retry_count",
        )?
        .query_row(params![match_id, reason, now], |row| row.get(0))
        .optional()?;
    Ok(attempts.map(|attempts| FailureRecord {
        attempts,
        // Not an attempt that counted: it uses up nothing.
        given_up: false,
    }))
}

/// `source`: `details_source` to record; `None` leaves it as it was. It is
/// written by the same statement as the row: SQLite rewrites a whole row,
/// overflow pages of `raw_data` included, on every UPDATE (docs/performance.md,
/// "Phase 2's hot path").
fn upsert_details(
    tx: &Transaction<'_>,
    d: &MatchDetails,
    source: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    let was_detailed: bool = tx
        .prepare_cached("SELECT has_details IS 1 FROM matches WHERE match_id = ?1")?
        .query_row(params![d.match_id], |r| r.get(0))
        .optional()?
        .unwrap_or(false);
    tx.prepare_cached(
        "INSERT INTO matches (match_id, match_seq_num, has_details, last_fetch_attempt, fetch_error,
                              start_time, duration, game_mode, lobby_type, radiant_win, raw_data,
                              radiant_score, dire_score, fetched_at, details_source)
         VALUES (?1, ?2, 1, ?3, NULL, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?3, ?12)
         ON CONFLICT(match_id) DO UPDATE SET
             match_seq_num = coalesce(excluded.match_seq_num, matches.match_seq_num),
             has_details = 1, last_fetch_attempt = excluded.last_fetch_attempt, fetch_error = NULL,
             start_time = coalesce(excluded.start_time, matches.start_time),
             duration = excluded.duration, game_mode = excluded.game_mode,
             lobby_type = coalesce(excluded.lobby_type, matches.lobby_type),
             radiant_win = excluded.radiant_win, raw_data = excluded.raw_data,
             radiant_score = excluded.radiant_score, dire_score = excluded.dire_score,
             fetched_at = excluded.fetched_at,
             details_source = coalesce(excluded.details_source, matches.details_source)",
    )?
    .execute(params![
        d.match_id,
        d.match_seq_num,
        now,
        d.start_time,
        d.duration,
        d.game_mode,
        d.lobby_type,
        d.radiant_win,
        d.raw_json,
        d.radiant_score,
        d.dire_score,
        source
    ])?;
    if let Some(start_time) = d.start_time {
        tx.prepare_cached(
            "UPDATE account_matches SET start_time = ?2 WHERE match_id = ?1 AND start_time = 0",
        )?
        .execute(params![d.match_id, start_time])?;
    }
    tx.prepare_cached("DELETE FROM match_players WHERE match_id = ?1")?
        .execute(params![d.match_id])?;
    // The match has no player rows left, so a plain INSERT cannot meet a
    // conflict: two lines in one slot are settled here instead, the last
    // kept, as `OR REPLACE` kept it. A plain INSERT of one row also spares
    // SQLite a statement journal (docs/performance.md, "Phase 2's hot path").
    let mut insert = tx.prepare_cached(
        "INSERT INTO match_players (
             match_id, player_slot, account_id, hero_id, kills, deaths, assists, last_hits, denies,
             gold_per_min, xp_per_min, hero_damage, tower_damage, hero_healing, level, net_worth,
             item_0, item_1, item_2, item_3, item_4, item_5, backpack_0, backpack_1, backpack_2,
             item_neutral)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                 ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
    )?;
    for (index, p) in d.players.iter().enumerate() {
        let replaced = d.players[index + 1..]
            .iter()
            .any(|later| later.player_slot == p.player_slot);
        if replaced {
            continue;
        }
        let account_id = p.account_id.filter(|&id| id != ANONYMOUS_ACCOUNT_ID);
        insert.execute(params![
            d.match_id,
            p.player_slot,
            account_id,
            p.hero_id,
            p.kills,
            p.deaths,
            p.assists,
            p.last_hits,
            p.denies,
            p.gold_per_min,
            p.xp_per_min,
            p.hero_damage,
            p.tower_damage,
            p.hero_healing,
            p.level,
            p.net_worth,
            p.items[0],
            p.items[1],
            p.items[2],
            p.items[3],
            p.items[4],
            p.items[5],
            p.backpack[0],
            p.backpack[1],
            p.backpack[2],
            p.item_neutral
        ])?;
    }
    lineups::refresh(tx, d.match_id)?;
    games::refresh(tx, d.match_id)?;
    if !was_detailed {
        let tracked: Vec<i64> = tx
            .prepare_cached("SELECT account_id FROM account_matches WHERE match_id = ?1")?
            .query_map(params![d.match_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for account_id in tracked {
            count_teammates(tx, account_id, d.match_id)?;
        }
    }
    Ok(())
}

/// Adds one detailed match to `account_id`'s teammate counters. Called exactly
/// once per (account, match): on the match's first detail save, or when the
/// account is linked to an already-detailed match.
fn count_teammates(tx: &Transaction<'_>, account_id: i64, match_id: i64) -> rusqlite::Result<()> {
    // The tracked player's slot: from the details, or from phase 1 when the
    // details show them anonymous.
    let slot: Option<i64> = tx
        .prepare_cached(
            "SELECT coalesce(
                 (SELECT player_slot FROM match_players WHERE match_id = ?1 AND account_id = ?2),
                 (SELECT player_slot FROM account_matches WHERE match_id = ?1 AND account_id = ?2))",
        )?
        .query_row(params![match_id, account_id], |r| r.get(0))
        .optional()?
        .flatten();
    let Some(slot) = slot else { return Ok(()) };
    let radiant = is_radiant_slot(slot);
    let (radiant_win, start_time): (Option<bool>, Option<i64>) = tx
        .prepare_cached("SELECT radiant_win, start_time FROM matches WHERE match_id = ?1")?
        .query_row(params![match_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let won = radiant_win.map(|w| w == radiant).unwrap_or(false);
    tx.prepare_cached(
        "INSERT INTO players_encountered (account_id, other_account_id, games, wins, last_played)
         SELECT ?1, account_id, 1, ?4, ?5 FROM match_players
          WHERE match_id = ?2 AND account_id IS NOT NULL AND account_id != ?1
            AND (player_slot < 128) = ?3 AND player_slot != ?6
         ON CONFLICT(account_id, other_account_id) DO UPDATE SET
             games = games + 1,
             wins = wins + excluded.wins,
             last_played = max(coalesce(last_played, excluded.last_played),
                               coalesce(excluded.last_played, last_played))",
    )?
    .execute(params![
        account_id,
        match_id,
        radiant,
        i64::from(won),
        start_time,
        slot
    ])?;
    Ok(())
}
