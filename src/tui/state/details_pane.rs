//! The details overlay: the match it shows (read whole from the store,
//! names included) and how far its team tables are scrolled sideways.

use std::collections::HashMap;

use crate::store::{MatchView, Store, StoreError};

/// The match the details overlay shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    pub match_id: i64,
    /// `None`: the match is not in the database (should not happen).
    pub view: Option<MatchView>,
    /// The tracked player's slot from phase 1: the only link when the
    /// details show them anonymous.
    pub tracked_slot: Option<i64>,
    /// The cached names of the match's players (and the tracked account).
    pub names: HashMap<i64, String>,
}

/// Columns of a details team table that can scroll away (all but the
/// hero's): the offset stops at the last one.
pub const DETAILS_COLUMNS: u16 = 10;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DetailsPane {
    /// `None`: closed.
    pub shown: Option<Details>,
    /// How many columns after the hero's are scrolled away (kept from
    /// match to match, so `j`/`k` compare like with like).
    pub column: u16,
}

impl DetailsPane {
    pub fn is_open(&self) -> bool {
        self.shown.is_some()
    }

    pub fn match_id(&self) -> Option<i64> {
        self.shown.as_ref().map(|d| d.match_id)
    }

    pub fn close(&mut self) {
        self.shown = None;
    }

    /// `→`/`←`: one column further right or left, within the table.
    pub fn scroll_columns(&mut self, right: bool) {
        self.column = if right {
            (self.column + 1).min(DETAILS_COLUMNS - 1)
        } else {
            self.column.saturating_sub(1)
        };
    }

    /// Shows `match_id` (re-read when it is the one shown).
    pub fn load(
        &mut self,
        store: &Store,
        account: Option<u32>,
        match_id: i64,
    ) -> Result<(), StoreError> {
        let view = store.match_view(match_id)?;
        let tracked_slot = match account {
            Some(account) => store.tracked_slot(account, match_id)?,
            None => None,
        };
        let accounts: Vec<u32> = view
            .iter()
            .flat_map(|v| v.players.iter().filter_map(|p| p.account_id))
            .chain(account.map(i64::from))
            .filter_map(|id| u32::try_from(id).ok())
            .collect();
        let names = store
            .names_of(&accounts)?
            .into_iter()
            .map(|(id, name)| (i64::from(id), name))
            .collect();
        self.shown = Some(Details {
            match_id,
            view,
            tracked_slot,
            names,
        });
        Ok(())
    }
}
