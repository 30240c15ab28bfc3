//! The Overview's newest matches: the product's promise on the first screen
//! (DESIGN.md, progress wording). While a sync runs, the rows follow where
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
        self.following = follow;
        self.total = store.match_count(account_id, filter)?;
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
