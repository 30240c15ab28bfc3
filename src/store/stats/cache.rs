//! The last answers, kept while neither the question nor the database has
//! changed: switching tabs then costs a frame, not a scan. A
//! [`Statistics`] reads through one [`StatsCache`].

use std::cell::{Ref, RefCell};

use super::compute::{day_of, heroes_of, overview_of, records_of, when_of};
use super::{HeroMatchup, HeroStats, Overview, PeerStats, RecordRow, Statistics, WhenStats, Zone};
use crate::store::StoreError;
use crate::store::filter::MatchFilter;

/// The last scan's statistics and the last Teammates answer.
#[derive(Default)]
pub struct StatsCache {
    scan: RefCell<Option<ScanStats>>,
    peers: RefCell<Option<PeersAnswer>>,
}

/// What a cached answer must still match: another connection's commits
/// bump `data_version`, this one's own count in `total_changes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DbState {
    data_version: i64,
    total_changes: u64,
}

/// A Teammates answer and the question and database state it answers.
pub(super) struct PeersAnswer {
    account_id: u32,
    filter: MatchFilter,
    limit: usize,
    state: DbState,
    pub(super) peers: Vec<PeerStats>,
    pub(super) matchups: Vec<HeroMatchup>,
}

/// What one scan of the games gives the Overview, Heroes, Records and When
/// tabs.
pub(super) struct ScanStats {
    account_id: u32,
    filter: MatchFilter,
    state: DbState,
    /// The `now` the Overview was computed for (only its day matters).
    now: Option<i64>,
    pub(super) overview: Option<Overview>,
    pub(super) heroes: Vec<HeroStats>,
    pub(super) records: Vec<RecordRow>,
    /// By zone, for the scan's games.
    pub(super) when_utc: WhenStats,
    pub(super) when_local: WhenStats,
    /// Games of the scan counted from their summary.
    pub(super) from_summaries: u64,
}

impl Statistics<'_> {
    /// The scan's statistics, from the cache while neither the database nor
    /// the question has changed. `now` is the Overview's; without it an
    /// earlier one is reused, or the Overview left out.
    pub(super) fn summary(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        now: Option<i64>,
    ) -> Result<Ref<'_, ScanStats>, StoreError> {
        let state = self.db_state()?;
        let fresh = |cached: &Option<ScanStats>| {
            cached.as_ref().is_some_and(|c| {
                c.account_id == account_id
                    && &c.filter == filter
                    && c.state == state
                    && now.is_none_or(|now| c.now.map(day_of) == Some(day_of(now)))
            })
        };
        let cache = &self.cache.scan;
        if !fresh(&cache.borrow()) {
            let earlier_now = cache.borrow().as_ref().and_then(|c| c.now);
            let games = self.store.games(account_id, filter)?;
            let now = now.or(earlier_now);
            let summary = ScanStats {
                account_id,
                filter: filter.clone(),
                state,
                now,
                overview: now.map(|now| overview_of(&games, now)),
                heroes: heroes_of(&games),
                from_summaries: games.iter().filter(|g| g.from_summary).count() as u64,
                records: records_of(&games),
                when_utc: when_of(&games, Zone::Utc),
                when_local: when_of(&games, Zone::Local),
            };
            *cache.borrow_mut() = Some(summary);
        }
        Ok(Ref::map(cache.borrow(), |c| {
            c.as_ref().expect("the summary was just stored")
        }))
    }

    /// `take` of the Teammates answer, from the cache on the same terms as
    /// the summary's.
    pub(super) fn peers_answer<T>(
        &self,
        account_id: u32,
        filter: &MatchFilter,
        limit: usize,
        take: impl Fn(&PeersAnswer) -> T,
    ) -> Result<T, StoreError> {
        let state = self.db_state()?;
        let cache = &self.cache.peers;
        if let Some(cached) = cache.borrow().as_ref()
            && cached.account_id == account_id
            && &cached.filter == filter
            && cached.limit == limit
            && cached.state == state
        {
            return Ok(take(cached));
        }
        let (peers, matchups) = self.store.tally_peers(account_id, filter, limit)?;
        let answer = PeersAnswer {
            account_id,
            filter: filter.clone(),
            limit,
            state,
            peers,
            matchups,
        };
        let result = take(&answer);
        *cache.borrow_mut() = Some(answer);
        Ok(result)
    }

    fn db_state(&self) -> Result<DbState, StoreError> {
        Ok(DbState {
            data_version: self.store.data_version()?,
            total_changes: self.store.conn.total_changes(),
        })
    }
}
