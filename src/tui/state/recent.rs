//! The Overview's newest matches: the product's promise on the first screen
//! (ARCHITECTURE.md, "Progress wording"). While a sync runs, the rows follow where
//! phase 2 is at work (it fetches newest first), so the matches just filled
//! in and the stubs still reading `No data available yet` are both on
//! screen; otherwise they are simply the newest matches.
//!
//! A few small queries by key, never a scan of the list: the frontier is
//! looked for from the last one found, since phase 2 only moves it older.

use crate::store::{ListFilter, MatchListRow, Store, StoreError, WindowAnchor, WindowKey};

/// Rows shown above the frontier: the last matches whose details came in.
const ABOVE_FRONTIER: u64 = 2;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recent {
    /// Newest first.
    pub rows: Vec<MatchListRow>,
    /// The position of the first row in the (filtered) list, 0 = newest.
    pub first: u64,
    /// Rows in the (filtered) list.
    pub total: u64,
    /// The rows follow phase 2's frontier (a sync is running).
    pub following: bool,
    /// Rows the Overview gives them (from the last screen size).
    pub page: u16,
    /// The newest never-tried stub last found; where the next search starts.
    frontier: Option<WindowKey>,
}

impl Recent {
    /// Re-reads `rows` rows. `follow`: a sync runs, show its frontier.
    /// `from_top`: the list changed shape (new matches, another filter), so
    /// the frontier is searched for from the newest row again.
    pub fn load(
        &mut self,
        store: &Store,
        account_id: u32,
        filter: &ListFilter,
        rows: u16,
        follow: bool,
        from_top: bool,
    ) -> Result<(), StoreError> {
        let rows = u64::from(rows);
        // Rows filled in place (a fetch) change neither the total nor the
        // list's order: the count is read only when the shape changed.
        if from_top || self.following != follow || self.rows.is_empty() {
            self.total = store.match_count(account_id, filter)?;
        }
        self.following = follow;
        if from_top || !follow {
            self.frontier = None;
        }
        let frontier = if follow {
            store.fetch_frontier(account_id, filter, self.frontier)?
        } else {
            None
        };
        self.frontier = frontier;
        let Some(key) = frontier.filter(|_| rows > 0) else {
            self.first = 0;
            self.rows =
                store.match_window(account_id, filter, WindowAnchor::Newest, rows as usize)?;
            return Ok(());
        };
        let position = store.match_position(account_id, filter, key)?;
        // The frontier a couple of rows down, unless it is near the top;
        // near the end, the rows that fill the screen.
        let above = ABOVE_FRONTIER.min(rows.saturating_sub(1));
        let mut first = position.saturating_sub(above);
        first = first.min(self.total.saturating_sub(rows));
        let newer = position - first;
        let mut window = if newer > 0 {
            store.match_window(
                account_id,
                filter,
                WindowAnchor::NewerThan(key),
                newer as usize,
            )?
        } else {
            Vec::new()
        };
        let older = store.match_window(
            account_id,
            filter,
            WindowAnchor::AtOrOlder(key),
            (rows - newer) as usize,
        )?;
        self.first = position - window.len() as u64;
        window.extend(older);
        self.rows = window;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::HistoryEntry;

    const ACCOUNT: u32 = 42;

    /// 30 stubs, match `i` started at `1000 + i` (30 is the newest); the
    /// newest ten "tried" (an attempt stamped), as phase 2 leaves them.
    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("r.db")).unwrap();
        let entries: Vec<HistoryEntry> = (1..=30)
            .map(|i| HistoryEntry {
                match_id: i,
                match_seq_num: Some(i),
                start_time: Some(1000 + i),
                lobby_type: Some(0),
                player_slot: Some(0),
                hero_id: Some(1),
            })
            .collect();
        store.save_stubs(ACCOUNT, &entries).unwrap();
        store
            .connection()
            .execute(
                "UPDATE matches SET last_fetch_attempt = '2026-01-01T00:00:00Z' WHERE match_id > 20",
                [],
            )
            .unwrap();
        (dir, store)
    }

    #[test]
    fn a_running_sync_shows_its_frontier_two_rows_down() {
        let (_dir, store) = store();
        let filter = ListFilter::none();
        let mut recent = Recent::default();
        recent
            .load(&store, ACCOUNT, &filter, 5, true, true)
            .unwrap();
        let ids: Vec<i64> = recent.rows.iter().map(|r| r.match_id).collect();
        // 20 is the newest never tried, at position 10: rows 8..13.
        assert_eq!(ids, [22, 21, 20, 19, 18]);
        assert_eq!((recent.first, recent.total), (8, 30));
        // Idle: the newest.
        recent
            .load(&store, ACCOUNT, &filter, 5, false, false)
            .unwrap();
        assert_eq!(recent.rows[0].match_id, 30);
        assert_eq!(recent.first, 0);
        // Near the end the rows fill the screen rather than stop short.
        store
            .connection()
            .execute(
                "UPDATE matches SET last_fetch_attempt = '2026-01-01T00:00:00Z' WHERE match_id > 1",
                [],
            )
            .unwrap();
        recent
            .load(&store, ACCOUNT, &filter, 5, true, true)
            .unwrap();
        let ids: Vec<i64> = recent.rows.iter().map(|r| r.match_id).collect();
        assert_eq!(ids, [5, 4, 3, 2, 1]);
        assert_eq!(recent.first, 25);
    }
}
