//! The lists the tabs browse and how each is ordered: the match list (read
//! in windows) and the short lists (heroes, hero matchups, teammates,
//! records, errors). Keys reach the list on screen through [`ListState`],
//! so navigation is the same code for all of them.

use super::hero_mode::HeroMode;
use super::hero_sort::HeroSort;
use super::list_state::ListState;
use super::loader::{SlowAnswer, SlowQuery};
use super::match_list::MatchList;
use super::peer_sort::PeerSort;
use super::short_list::ShortList;
use crate::store::stats::{HeroMatchup, HeroStats, PeerStats, RecordRow};
use crate::store::{ErrorRow, MatchFilter, Store, StoreError};
use crate::tui::input::action::View;

pub struct Lists {
    /// `None` on the first-run screen.
    pub matches: Option<MatchList>,
    pub heroes: ShortList<HeroStats>,
    pub hero_sort: HeroSort,
    /// Heroes played, with, or against (`v`).
    pub hero_mode: HeroMode,
    /// Every hero met, as the loader answered; `matchups` is the mode's list.
    matchup_rows: Vec<HeroMatchup>,
    pub matchups: ShortList<HeroMatchup>,
    /// The matchup lists sorted by win rate (`c`), else by games.
    pub matchups_by_rate: bool,
    pub teammates: ShortList<PeerStats>,
    pub peer_sort: PeerSort,
    pub records: ShortList<RecordRow>,
    pub errors: ShortList<ErrorRow>,
    /// Rows a list shows at once (from the last screen size).
    page: u16,
}

impl Lists {
    pub fn new(account: Option<u32>) -> Lists {
        Lists {
            matches: account.map(MatchList::new),
            heroes: ShortList::default(),
            hero_sort: HeroSort::default(),
            hero_mode: HeroMode::default(),
            matchup_rows: Vec::new(),
            matchups: ShortList::default(),
            matchups_by_rate: false,
            teammates: ShortList::default(),
            peer_sort: PeerSort::default(),
            records: ShortList::default(),
            errors: ShortList::default(),
            page: 10,
        }
    }

    pub fn page(&self) -> u16 {
        self.page
    }

    /// The list `view` shows, if it shows one.
    pub fn current(&mut self, view: View) -> Option<&mut dyn ListState> {
        Some(match view {
            View::Matches => self.matches.as_mut()?,
            View::Heroes if self.hero_mode != HeroMode::Played => &mut self.matchups,
            View::Heroes => &mut self.heroes,
            View::Teammates => &mut self.teammates,
            View::Records => &mut self.records,
            View::Errors => &mut self.errors,
            View::Overview | View::When => return None,
        })
    }

    /// Fits every list to `rows` rows on screen.
    pub fn set_page(&mut self, store: &Store, rows: u16) -> Result<(), StoreError> {
        self.page = rows;
        if let Some(list) = self.matches.as_mut() {
            list.set_page(store, rows)?;
        }
        let short: [&mut dyn ListState; 5] = [
            &mut self.heroes,
            &mut self.matchups,
            &mut self.teammates,
            &mut self.records,
            &mut self.errors,
        ];
        short.into_iter().try_for_each(|l| l.set_page(store, rows))
    }

    /// The match selected in `view` (matches, records, errors).
    pub fn selected_match(&self, view: View) -> Option<i64> {
        match view {
            View::Matches => self.matches.as_ref()?.selected_row().map(|r| r.match_id),
            View::Errors => self.errors.selected().map(|r| r.match_id),
            View::Records => self.records.selected().map(|r| r.match_id),
            View::Overview | View::Heroes | View::Teammates | View::When => None,
        }
    }

    /// The query that reads `view`'s short list.
    pub fn query(&self, view: View, filter: MatchFilter) -> Option<SlowQuery> {
        Some(match view {
            View::Heroes if self.hero_mode != HeroMode::Played => SlowQuery::HeroMatchups(filter),
            View::Heroes => SlowQuery::Heroes(filter),
            View::Teammates => SlowQuery::Teammates(filter),
            View::Records => SlowQuery::Records(filter),
            View::Errors => SlowQuery::Errors,
            View::Matches | View::Overview | View::When => return None,
        })
    }

    /// A short list from the loader, sorted as its tab is.
    pub fn apply(&mut self, answer: SlowAnswer) {
        let page = usize::from(self.page);
        match answer {
            SlowAnswer::Errors(rows) => self.errors.set(rows, page),
            SlowAnswer::Heroes(mut rows) => {
                self.hero_sort.sort(&mut rows);
                self.heroes.set(rows, page);
            }
            SlowAnswer::Teammates(mut rows) => {
                self.peer_sort.sort(&mut rows);
                self.teammates.set(rows, page);
            }
            SlowAnswer::Records(rows) => self.records.set(rows, page),
            SlowAnswer::HeroMatchups(rows) => {
                self.matchup_rows = rows;
                self.refill_matchups();
            }
            _ => {}
        }
    }

    /// `c`: `view`'s list in its next order.
    pub fn cycle_sort(&mut self, view: View, store: &Store) -> Result<(), StoreError> {
        match view {
            View::Matches => {
                if let Some(list) = self.matches.as_mut() {
                    list.set_order(store, list.order().next())?;
                }
            }
            View::Heroes if self.hero_mode != HeroMode::Played => {
                self.matchups_by_rate = !self.matchups_by_rate;
                self.refill_matchups();
            }
            View::Heroes => {
                self.hero_sort = self.hero_sort.next();
                self.hero_sort.sort(&mut self.heroes.rows);
            }
            View::Teammates => {
                self.peer_sort = self.peer_sort.next();
                self.peer_sort.sort(&mut self.teammates.rows);
            }
            View::Overview | View::Records | View::Errors | View::When => {}
        }
        Ok(())
    }

    /// `v`: heroes played, with, against.
    pub fn cycle_hero_mode(&mut self) {
        self.hero_mode = self.hero_mode.next();
        self.refill_matchups();
    }

    /// Enter on a hero or a player: the filter word for their matches;
    /// `Err`: why there is none.
    pub fn drill_word(&self, view: View) -> Result<Option<String>, &'static str> {
        Ok(match view {
            View::Heroes if self.hero_mode != HeroMode::Played => {
                // No filter word names another player's hero: say so.
                return Err("Enter lists the matches of a hero you played: v shows those again");
            }
            View::Heroes => self.heroes.selected().map(|h| {
                // The hero's name, spelled so the filter line reads it back.
                let name = crate::assets::hero_name(h.hero_id).to_lowercase();
                format!("hero:{}", name.replace(' ', "_"))
            }),
            View::Teammates => self
                .teammates
                .selected()
                .map(|p| format!("with:{}", p.account_id)),
            _ => None,
        })
    }

    /// The mode's matchup list from the loader's last answer, the selection
    /// kept at its index.
    fn refill_matchups(&mut self) {
        let rows = self
            .hero_mode
            .rows(&self.matchup_rows, self.matchups_by_rate);
        self.matchups.set(rows, usize::from(self.page));
    }
}
