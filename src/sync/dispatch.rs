//! Phase 2's decisions, apart from its I/O: which match each source sends
//! next, and what one answer does to the row, the queue and the source
//! (ARCHITECTURE.md, "Retry rules", "Phase 1 and phase 2"). Pure: the loop in
//! `fetch.rs` feeds it answers and the time, and carries out its effects.
//!
//! - One queue, newest first, shared by every source; a source takes the
//!   first match it has not tried and can serve, so matches go out in
//!   queue order.
//! - A match is tried at most once per source per run. One that a source
//!   cannot serve goes back in its place for the next source; its row
//!   changes once, when no live source is left to try it: saved if any
//!   source saved it, counted only if every source that could serve it
//!   failed for a reason of the match's own, otherwise "the API is down".
//! - Each source has its own breaker; one that stays down or runs out of
//!   daily calls drops out and the others finish the run.
//! - A source that serves several matches a call (STRATZ) takes a batch:
//!   one call in flight, each match in it answered as if fetched alone; a
//!   failure of the whole call feeds the breaker once. STRATZ that is
//!   unavailable (a browser check, a rejected token) drops out with one
//!   line; alone, that ends the run.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use super::breaker::{Breaker, BreakerPolicy, Verdict};
use crate::source::{BatchOutcomes, FetchError, MatchDetails, MatchRef};

/// How long to hold off after a 429 that names no Retry-After.
pub(crate) const RATE_LIMIT_PAUSE: Duration = Duration::from_secs(2);

/// Where one source stands in the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    Live,
    /// Its breaker gave up.
    Down,
    /// Its daily calls are spent.
    OutOfCalls,
}

/// Why a live source is holding off, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hold {
    pub until: Instant,
    pub rate_limited: bool,
}

/// A match on its way through the run.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub wanted: MatchRef,
    /// Queue position: lower is sent first (newest first; urgent ones below 0).
    order: i64,
    /// Bit `i`: source `i` has tried it.
    tried: u32,
    /// The latest failure of the match's own, if any. Boxed, as `outage`:
    /// the queue holds every pending match of the run, and few fail.
    failure: Option<Box<FetchError>>,
    /// The latest "API down" failure, if any.
    outage: Option<Box<FetchError>>,
}

/// What happens to a match's row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RowChange {
    /// Details saved, from the source at this index.
    Save(Box<MatchDetails>, usize),
    /// A failure of the match's own, from every source that could serve it.
    Counted(FetchError),
    /// Not the match's fault (a source down, or one that could not try it):
    /// only `fetch_error` and `last_fetch_attempt` change.
    NotCounted(FetchError),
}

/// What one answer asks of the loop.
#[derive(Debug, Default)]
pub(crate) struct Effects {
    pub rows: Vec<(MatchRef, RowChange)>,
    pub notices: Vec<String>,
    /// The whole run ends (a fatal error).
    pub fatal: Option<FetchError>,
    /// The source should halve its rate (a 429).
    pub slow_down: bool,
}

struct Slot {
    standing: Standing,
    breaker: Breaker,
    hold: Option<Hold>,
    in_flight: usize,
    /// Nothing in the queue for this source, as of the last look; cleared
    /// whenever a match is put back, so a source does not rescan in vain.
    exhausted: bool,
    /// Why the source last failed as a whole (outage or 429), cleared by
    /// an answer: what the "API appears down" line names for it.
    last_outage: Option<FetchError>,
}

pub(crate) struct Dispatch {
    queue: VecDeque<Task>,
    slots: Vec<Slot>,
    next_urgent: i64,
    /// Matches being fetched now, by any source.
    in_flight_ids: HashSet<i64>,
}

impl Dispatch {
    pub fn new(queue: Vec<MatchRef>, sources: usize, policy: BreakerPolicy) -> Dispatch {
        assert!(sources <= 32, "at most 32 sources");
        Dispatch {
            queue: queue
                .into_iter()
                .enumerate()
                .map(|(i, wanted)| Task {
                    wanted,
                    order: i as i64,
                    tried: 0,
                    failure: None,
                    outage: None,
                })
                .collect(),
            slots: (0..sources)
                .map(|_| Slot {
                    standing: Standing::Live,
                    breaker: Breaker::new(policy),
                    hold: None,
                    in_flight: 0,
                    exhausted: false,
                    last_outage: None,
                })
                .collect(),
            next_urgent: -1,
            in_flight_ids: HashSet::new(),
        }
    }

    /// Takes `source` out of a run before anything is handed out (phase 1
    /// already dropped it).
    pub fn set_down(&mut self, source: usize) {
        self.slots[source].standing = Standing::Down;
    }

    /// Why `source` last failed as a whole, if it has not answered since.
    pub fn last_outage(&self, source: usize) -> Option<&FetchError> {
        self.slots[source].last_outage.as_ref()
    }

    pub fn standing(&self, source: usize) -> Standing {
        self.slots[source].standing
    }

    pub fn hold(&self, source: usize) -> Option<Hold> {
        self.slots[source].hold
    }

    pub fn in_flight(&self, source: usize) -> usize {
        self.slots[source].in_flight
    }

    /// Matches queued or in flight.
    #[cfg(test)]
    pub fn is_idle(&self) -> bool {
        self.queue.is_empty() && self.slots.iter().all(|s| s.in_flight == 0)
    }

    /// No source can send any more.
    pub fn all_out(&self) -> bool {
        self.slots.iter().all(|s| s.standing != Standing::Live)
    }

    /// Ends holds that are over; the earliest hold still in force.
    pub fn expire_holds(&mut self, now: Instant) -> Option<Instant> {
        let mut earliest: Option<Instant> = None;
        for slot in &mut self.slots {
            if slot.hold.is_some_and(|h| now >= h.until) {
                slot.hold = None;
            }
            if let Some(hold) = slot.hold {
                earliest = Some(earliest.map_or(hold.until, |e| e.min(hold.until)));
            }
        }
        earliest
    }

    /// The next match for `source` to send: the first in the queue that it
    /// has not tried and `can_serve` allows.
    pub fn take_for(
        &mut self,
        source: usize,
        can_serve: impl Fn(&MatchRef) -> bool,
    ) -> Option<Task> {
        let slot = &self.slots[source];
        if slot.standing != Standing::Live || slot.exhausted {
            return None;
        }
        let bit = 1 << source;
        let at = self
            .queue
            .iter()
            .position(|t| t.tried & bit == 0 && can_serve(&t.wanted));
        let Some(at) = at else {
            self.slots[source].exhausted = true;
            return None;
        };
        self.slots[source].in_flight += 1;
        let task = self.queue.remove(at)?;
        self.in_flight_ids.insert(task.wanted.match_id);
        Some(task)
    }

    /// Up to `max` matches for `source` to send in one call, queue order
    /// (newest first), each one it has not tried and `can_serve` allows.
    /// One call in flight, however many matches it carries.
    pub fn take_batch_for(
        &mut self,
        source: usize,
        max: usize,
        can_serve: impl Fn(&MatchRef) -> bool,
    ) -> Vec<Task> {
        let slot = &self.slots[source];
        if slot.standing != Standing::Live || slot.exhausted || max == 0 {
            return Vec::new();
        }
        let bit = 1 << source;
        let mut taken = Vec::new();
        let mut at = 0;
        while at < self.queue.len() && taken.len() < max {
            let task = &self.queue[at];
            if task.tried & bit == 0 && can_serve(&task.wanted) {
                taken.extend(self.queue.remove(at));
            } else {
                at += 1;
            }
        }
        if taken.is_empty() {
            self.slots[source].exhausted = true;
            return taken;
        }
        self.slots[source].in_flight += 1;
        self.in_flight_ids
            .extend(taken.iter().map(|task| task.wanted.match_id));
        taken
    }

    /// Settles every match still queued when the run ends: a match some
    /// source failed gets the "not counted" row, one nobody tried keeps its
    /// row as it was.
    pub fn settle_rest(
        &mut self,
        can_serve: &dyn Fn(usize, &MatchRef) -> bool,
    ) -> Vec<(MatchRef, RowChange)> {
        // `settle` already leaves uncounted a failure that a source which
        // could still try the match never got to.
        let queue = std::mem::take(&mut self.queue);
        queue
            .iter()
            .filter_map(|task| Some((task.wanted, self.settle(task, can_serve)?)))
            .collect()
    }

    /// Puts matches asked for now at the very front (the TUI's `r`), or
    /// moves them there if queued. Returns how many were not queued yet.
    pub fn push_urgent(&mut self, wanted: MatchRef) -> bool {
        if self.in_flight_ids.contains(&wanted.match_id) {
            return false;
        }
        let queued = self
            .queue
            .iter()
            .position(|t| t.wanted.match_id == wanted.match_id);
        if let Some(at) = queued {
            self.queue.remove(at);
        }
        let order = self.next_urgent;
        self.next_urgent -= 1;
        self.queue.push_front(Task {
            wanted,
            order,
            tried: 0,
            failure: None,
            outage: None,
        });
        self.slots.iter_mut().for_each(|s| s.exhausted = false);
        queued.is_none()
    }

    fn requeue(&mut self, task: Task) {
        let at = self
            .queue
            .partition_point(|queued| queued.order < task.order);
        self.queue.insert(at, task);
        self.slots.iter_mut().for_each(|s| s.exhausted = false);
    }

    /// Whether a live source other than the ones that tried it could still
    /// try `task`.
    fn someone_left(&self, task: &Task, can_serve: &dyn Fn(usize, &MatchRef) -> bool) -> bool {
        (0..self.slots.len()).any(|i| {
            self.slots[i].standing == Standing::Live
                && task.tried & (1 << i) == 0
                && can_serve(i, &task.wanted)
        })
    }

    /// Whether a source that could serve `task` never tried it (it dropped
    /// out first): then its failures elsewhere do not count.
    fn untried_capable(&self, task: &Task, can_serve: &dyn Fn(usize, &MatchRef) -> bool) -> bool {
        (0..self.slots.len()).any(|i| task.tried & (1 << i) == 0 && can_serve(i, &task.wanted))
    }

    /// The row change of a task no live source will try any more.
    fn settle(
        &self,
        task: &Task,
        can_serve: &dyn Fn(usize, &MatchRef) -> bool,
    ) -> Option<RowChange> {
        match (&task.failure, &task.outage) {
            (None, Some(outage)) => Some(RowChange::NotCounted(outage.as_ref().clone())),
            (Some(failure), outage) => {
                if outage.is_some() || self.untried_capable(task, can_serve) {
                    Some(RowChange::NotCounted(failure.as_ref().clone()))
                } else {
                    Some(RowChange::Counted(failure.as_ref().clone()))
                }
            }
            // Tried by nobody: the row stays as it was.
            (None, None) => None,
        }
    }

    /// After a failure of `task`: back in the queue for another source, or
    /// settled now.
    fn pass_on(
        &mut self,
        task: Task,
        can_serve: &dyn Fn(usize, &MatchRef) -> bool,
        effects: &mut Effects,
    ) {
        if self.someone_left(&task, can_serve) {
            self.requeue(task);
        } else if let Some(change) = self.settle(&task, can_serve) {
            effects.rows.push((task.wanted, change));
        }
    }

    /// Drops `source` from the run and settles what only it could still try.
    fn drop_source(
        &mut self,
        source: usize,
        standing: Standing,
        can_serve: &dyn Fn(usize, &MatchRef) -> bool,
        effects: &mut Effects,
    ) {
        self.slots[source].standing = standing;
        self.slots[source].hold = None;
        let queue = std::mem::take(&mut self.queue);
        for task in queue {
            if self.someone_left(&task, can_serve) {
                self.queue.push_back(task);
            } else if let Some(change) = self.settle(&task, can_serve) {
                effects.rows.push((task.wanted, change));
            }
        }
    }

    /// What `source`'s answer about `task` does. `can_serve(i, m)`: whether
    /// source `i` can fetch `m` at all.
    pub fn on_answer(
        &mut self,
        source: usize,
        task: Task,
        result: Result<MatchDetails, FetchError>,
        now: Instant,
        can_serve: &dyn Fn(usize, &MatchRef) -> bool,
    ) -> Effects {
        let mut effects = Effects::default();
        self.slots[source].in_flight -= 1;
        self.in_flight_ids.remove(&task.wanted.match_id);
        self.answer(source, task, result, now, can_serve, &mut effects);
        effects
    }

    /// What the answer to a batch call does: each match's outcome as if it
    /// had been fetched alone (one the answer left out is that match's
    /// failure); a failed call feeds the breaker once, through its first
    /// match, and then puts back or passes on the others as that error
    /// would have each of them.
    pub fn on_batch_answer(
        &mut self,
        source: usize,
        tasks: Vec<Task>,
        result: Result<BatchOutcomes, FetchError>,
        now: Instant,
        can_serve: &dyn Fn(usize, &MatchRef) -> bool,
    ) -> Effects {
        let mut effects = Effects::default();
        self.slots[source].in_flight -= 1;
        for task in &tasks {
            self.in_flight_ids.remove(&task.wanted.match_id);
        }
        match result {
            Ok(mut outcomes) => {
                for task in tasks {
                    let outcome = outcomes
                        .iter()
                        .position(|(id, _)| *id == task.wanted.match_id)
                        .map(|at| outcomes.swap_remove(at).1)
                        .unwrap_or_else(|| {
                            Err(FetchError::MatchApi {
                                message: "the answer left this match out".into(),
                            })
                        });
                    self.answer(source, task, outcome, now, can_serve, &mut effects);
                }
            }
            Err(error) => {
                let mut tasks = tasks.into_iter();
                if let Some(first) = tasks.next() {
                    self.answer(
                        source,
                        first,
                        Err(error.clone()),
                        now,
                        can_serve,
                        &mut effects,
                    );
                }
                let bit = 1 << source;
                for mut task in tasks {
                    match &error {
                        FetchError::NotSent
                        | FetchError::RateLimited { .. }
                        | FetchError::StratzUnavailable { .. } => self.requeue(task),
                        error if error.is_fatal() => self.requeue(task),
                        error if error.is_outage() => {
                            task.tried |= bit;
                            task.outage = Some(Box::new(error.clone()));
                            self.pass_on(task, can_serve, &mut effects);
                        }
                        error => {
                            task.tried |= bit;
                            task.failure = Some(Box::new(error.clone()));
                            self.pass_on(task, can_serve, &mut effects);
                        }
                    }
                }
            }
        }
        effects
    }

    /// One match's outcome from `source`, its in-flight count already given back.
    fn answer(
        &mut self,
        source: usize,
        mut task: Task,
        result: Result<MatchDetails, FetchError>,
        now: Instant,
        can_serve: &dyn Fn(usize, &MatchRef) -> bool,
        effects: &mut Effects,
    ) {
        let error = match result {
            Ok(details) => {
                self.slots[source].last_outage = None;
                self.slots[source].breaker.record_success();
                effects
                    .rows
                    .push((task.wanted, RowChange::Save(Box::new(details), source)));
                return;
            }
            Err(error) => error,
        };
        if error.is_outage() || matches!(error, FetchError::RateLimited { daily: false, .. }) {
            self.slots[source].last_outage = Some(error.clone());
        }
        match &error {
            FetchError::NotSent => self.requeue(task),
            FetchError::StratzUnavailable { .. } => {
                // Not the match's fault: whoever is left may serve it.
                self.requeue(task);
                if self.slots[source].standing == Standing::Live {
                    self.drop_source(source, Standing::Down, can_serve, effects);
                    if self.all_out() {
                        effects.fatal = Some(error.clone());
                    } else {
                        effects.notices.push(error.to_string());
                    }
                }
            }
            FetchError::RateLimited { daily: true, .. } => {
                self.requeue(task);
                // Out of calls, not down: the down line does not name it.
                self.slots[source].last_outage = None;
                if self.slots[source].standing == Standing::Live {
                    effects
                        .notices
                        .push("daily API limit reached: this source stops until 00:00 UTC".into());
                    self.drop_source(source, Standing::OutOfCalls, can_serve, effects);
                }
            }
            FetchError::RateLimited { retry_after, .. } => {
                self.requeue(task);
                effects.slow_down = true;
                // A source that answers nothing but 429 is as good as down:
                // its breaker's clock ends its part of the run the same way.
                let mut wait = retry_after.unwrap_or(RATE_LIMIT_PAUSE);
                match self.slots[source].breaker.record_outage(now) {
                    Verdict::Continue => {}
                    Verdict::Wait(backoff) => wait = wait.max(backoff),
                    Verdict::GiveUp => {
                        effects.notices.push(
                            "still rate limited after the breaker's wait: this source stops".into(),
                        );
                        self.drop_source(source, Standing::Down, can_serve, effects);
                        return;
                    }
                }
                self.hold_source(source, now, wait, true);
                effects.notices.push(format!(
                    "rate limited: waiting {}",
                    super::progress::wait_text(wait)
                ));
            }
            error if error.is_fatal() => {
                self.requeue(task);
                effects.fatal = Some(error.clone());
            }
            error if error.is_outage() => {
                task.tried |= 1 << source;
                task.outage = Some(Box::new(error.clone()));
                let verdict = self.slots[source].breaker.record_outage(now);
                self.pass_on(task, can_serve, effects);
                match verdict {
                    Verdict::Continue => {}
                    Verdict::Wait(wait) => {
                        self.hold_source(source, now, wait, false);
                        effects.notices.push(format!(
                            "API unreachable: pausing {}",
                            super::progress::wait_text(wait)
                        ));
                    }
                    Verdict::GiveUp => {
                        self.drop_source(source, Standing::Down, can_serve, effects);
                    }
                }
            }
            error => {
                // The API answered about this match: it is up.
                self.slots[source].last_outage = None;
                self.slots[source].breaker.record_success();
                task.tried |= 1 << source;
                task.failure = Some(Box::new(error.clone()));
                self.pass_on(task, can_serve, effects);
            }
        }
    }

    fn hold_source(&mut self, source: usize, now: Instant, wait: Duration, rate_limited: bool) {
        // Saturating: no server value can overflow an instant here.
        let until = now
            .checked_add(wait)
            .unwrap_or_else(|| now + Duration::from_secs(24 * 60 * 60));
        let slot = &mut self.slots[source];
        if slot.hold.is_none_or(|h| h.until < until) {
            slot.hold = Some(Hold {
                until,
                rate_limited,
            });
        }
    }
}

/// Requests a source keeps in flight: enough that latency does not waste
/// its rate, few enough that a slow source does not sit on matches a
/// faster one could send now.
pub(super) fn in_flight_cap(rate: f64, max: usize) -> usize {
    if !rate.is_finite() {
        return max.max(1);
    }
    ((rate.ceil() as usize) + 1).clamp(1, max.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builders::match_details;
    use crate::source::TransportKind;

    fn policy() -> BreakerPolicy {
        BreakerPolicy {
            threshold: 2,
            first_wait: Duration::from_millis(10),
            max_wait: Duration::from_millis(20),
            give_up_after: Duration::from_millis(50),
        }
    }

    fn queue(ids: &[i64]) -> Vec<MatchRef> {
        ids.iter()
            .map(|&match_id| MatchRef {
                match_id,
                match_seq_num: Some(match_id * 10),
            })
            .collect()
    }

    fn everyone(_: usize, _: &MatchRef) -> bool {
        true
    }

    fn not_found() -> FetchError {
        FetchError::MatchApi {
            message: "Match ID not found".into(),
        }
    }

    const STEAM: usize = 0;
    const OPENDOTA: usize = 1;

    #[test]
    fn sources_take_matches_in_queue_order() {
        let mut d = Dispatch::new(queue(&[9, 8, 7]), 2, policy());
        assert_eq!(d.take_for(STEAM, |_| true).unwrap().wanted.match_id, 9);
        assert_eq!(d.take_for(OPENDOTA, |_| true).unwrap().wanted.match_id, 8);
        // Steam cannot serve 7 (no sequence number, say): OpenDota gets it.
        assert!(d.take_for(STEAM, |m| m.match_id != 7).is_none());
        assert_eq!(d.take_for(OPENDOTA, |_| true).unwrap().wanted.match_id, 7);
    }

    #[test]
    fn a_match_one_source_fails_goes_to_the_other_and_is_saved_uncounted() {
        let now = Instant::now();
        let mut d = Dispatch::new(queue(&[5, 4]), 2, policy());
        let task = d.take_for(STEAM, |_| true).unwrap();
        let wrong = FetchError::WrongMatch { asked: 5, got: 6 };
        let effects = d.on_answer(STEAM, task, Err(wrong), now, &everyone);
        assert!(
            effects.rows.is_empty(),
            "not settled while OpenDota may try"
        );
        // Back in its place, ahead of 4, but not for Steam again.
        assert_eq!(d.take_for(STEAM, |_| true).unwrap().wanted.match_id, 4);
        let task = d.take_for(OPENDOTA, |_| true).unwrap();
        assert_eq!(task.wanted.match_id, 5);
        let effects = d.on_answer(
            OPENDOTA,
            task,
            Ok(match_details(5, 50, 0, true, Vec::new())),
            now,
            &everyone,
        );
        assert!(matches!(effects.rows[0].1, RowChange::Save(_, OPENDOTA)));
    }

    #[test]
    fn a_match_neither_source_has_counts_once() {
        let now = Instant::now();
        let mut d = Dispatch::new(queue(&[5]), 2, policy());
        let task = d.take_for(STEAM, |_| true).unwrap();
        assert!(
            d.on_answer(STEAM, task, Err(not_found()), now, &everyone)
                .rows
                .is_empty()
        );
        let task = d.take_for(OPENDOTA, |_| true).unwrap();
        let effects = d.on_answer(OPENDOTA, task, Err(not_found()), now, &everyone);
        assert_eq!(
            effects.rows,
            vec![(queue(&[5])[0], RowChange::Counted(not_found()))]
        );
        assert!(d.is_idle());
    }

    #[test]
    fn an_outage_anywhere_means_not_counted() {
        let now = Instant::now();
        let mut d = Dispatch::new(queue(&[5]), 2, policy());
        let down = FetchError::Server { status: 500 };
        let task = d.take_for(STEAM, |_| true).unwrap();
        assert!(
            d.on_answer(STEAM, task, Err(down.clone()), now, &everyone)
                .rows
                .is_empty()
        );
        let task = d.take_for(OPENDOTA, |_| true).unwrap();
        let effects = d.on_answer(OPENDOTA, task, Err(not_found()), now, &everyone);
        assert_eq!(effects.rows[0].1, RowChange::NotCounted(not_found()));

        // One source alone: a 5xx is the "API down" row at once.
        let mut d = Dispatch::new(queue(&[5]), 1, policy());
        let task = d.take_for(STEAM, |_| true).unwrap();
        let effects = d.on_answer(STEAM, task, Err(down.clone()), now, &everyone);
        assert_eq!(effects.rows[0].1, RowChange::NotCounted(down));
    }

    #[test]
    fn a_source_s_last_outage_is_kept_until_it_answers() {
        let now = Instant::now();
        let mut d = Dispatch::new(queue(&[5, 4, 3]), 2, policy());
        let refused = FetchError::Transport {
            kind: TransportKind::Refused,
        };
        let task = d.take_for(STEAM, |_| true).unwrap();
        d.on_answer(STEAM, task, Err(refused.clone()), now, &everyone);
        assert_eq!(d.last_outage(STEAM), Some(&refused));
        assert_eq!(d.last_outage(OPENDOTA), None);
        // An answer about the match, even a failure, says the API is up.
        let task = d.take_for(OPENDOTA, |_| true).unwrap();
        d.on_answer(OPENDOTA, task, Err(not_found()), now, &everyone);
        assert_eq!(d.last_outage(OPENDOTA), None);
        let task = d.take_for(STEAM, |_| true).unwrap();
        let id = task.wanted.match_id;
        d.on_answer(
            STEAM,
            task,
            Ok(match_details(id, id, 0, true, Vec::new())),
            now,
            &everyone,
        );
        assert_eq!(d.last_outage(STEAM), None);
    }

    #[test]
    fn a_429_puts_the_match_back_and_holds_only_that_source() {
        let now = Instant::now();
        let mut d = Dispatch::new(queue(&[5]), 2, policy());
        let task = d.take_for(STEAM, |_| true).unwrap();
        let limited = FetchError::RateLimited {
            retry_after: Some(Duration::from_secs(3)),
            daily: false,
        };
        let effects = d.on_answer(STEAM, task, Err(limited), now, &everyone);
        assert!(effects.slow_down && effects.rows.is_empty());
        assert!(d.hold(STEAM).is_some_and(|h| h.rate_limited));
        assert!(d.hold(OPENDOTA).is_none());
        // Not tried by Steam: it may have it again after the hold.
        assert_eq!(d.take_for(STEAM, |_| true).unwrap().wanted.match_id, 5);
    }

    #[test]
    fn a_source_out_of_calls_drops_out_and_the_other_finishes() {
        let now = Instant::now();
        let mut d = Dispatch::new(queue(&[5, 4]), 2, policy());
        let task = d.take_for(OPENDOTA, |_| true).unwrap();
        let daily = FetchError::RateLimited {
            retry_after: None,
            daily: true,
        };
        let effects = d.on_answer(OPENDOTA, task, Err(daily), now, &everyone);
        assert!(effects.fatal.is_none() && effects.rows.is_empty());
        assert_eq!(d.standing(OPENDOTA), Standing::OutOfCalls);
        assert!(d.take_for(OPENDOTA, |_| true).is_none());
        assert_eq!(d.take_for(STEAM, |_| true).unwrap().wanted.match_id, 5);
        assert!(!d.all_out());
    }

    #[test]
    fn a_failure_a_dropped_source_could_have_fixed_is_not_counted() {
        let now = Instant::now();
        let mut d = Dispatch::new(queue(&[5]), 2, policy());
        let task = d.take_for(STEAM, |_| true).unwrap();
        // OpenDota goes down on another match meanwhile...
        let mut d2 = d;
        d2.slots[OPENDOTA].standing = Standing::Down;
        let effects = d2.on_answer(STEAM, task, Err(not_found()), now, &everyone);
        assert_eq!(effects.rows[0].1, RowChange::NotCounted(not_found()));
    }

    #[test]
    fn a_breaker_that_gives_up_settles_what_only_it_could_try() {
        let start = Instant::now();
        let mut d = Dispatch::new(queue(&[5, 4, 3]), 1, policy());
        let down = FetchError::Transport {
            kind: TransportKind::Timeout,
        };
        let mut now = start;
        let mut rows = 0;
        while d.standing(STEAM) == Standing::Live {
            now += Duration::from_millis(30);
            d.expire_holds(now);
            let Some(task) = d.take_for(STEAM, |_| true) else {
                break;
            };
            rows += d
                .on_answer(STEAM, task, Err(down.clone()), now, &everyone)
                .rows
                .len();
        }
        assert!(d.all_out() || d.is_idle());
        assert_eq!(rows, 3, "every match got the API-down row once");
    }

    #[test]
    fn urgent_matches_jump_the_queue() {
        let mut d = Dispatch::new(queue(&[9, 8]), 1, policy());
        assert!(!d.push_urgent(queue(&[8])[0]));
        assert!(d.push_urgent(queue(&[1])[0]));
        let order: Vec<i64> = std::iter::from_fn(|| d.take_for(STEAM, |_| true))
            .map(|t| t.wanted.match_id)
            .collect();
        assert_eq!(order, [1, 8, 9]);
    }

    const STRATZ: usize = 1;

    fn ids(tasks: &[Task]) -> Vec<i64> {
        tasks.iter().map(|t| t.wanted.match_id).collect()
    }

    #[test]
    fn a_batch_takes_the_newest_untried_matches_as_one_call() {
        let now = Instant::now();
        let mut d = Dispatch::new(queue(&[9, 8, 7, 6, 5]), 2, policy());
        let task = d.take_for(STEAM, |_| true).unwrap();
        d.on_answer(STEAM, task, Err(not_found()), now, &everyone);
        // 9 failed on Steam and went back to the front: STRATZ gets it first.
        let batch = d.take_batch_for(STRATZ, 3, |m| m.match_id != 8);
        assert_eq!(ids(&batch), [9, 7, 6]);
        assert_eq!(d.in_flight(STRATZ), 1, "one call, however many matches");
        // Steam never gets 9 again; 8 is free for it.
        assert_eq!(ids(&d.take_batch_for(STEAM, 10, |_| true)), [8, 5]);
        assert!(d.take_batch_for(STRATZ, 3, |_| true).is_empty());
    }

    #[test]
    fn each_match_of_a_batch_is_answered_as_if_alone() {
        let now = Instant::now();
        let mut d = Dispatch::new(queue(&[9, 8, 7]), 2, policy());
        let batch = d.take_batch_for(STRATZ, 10, |_| true);
        let lacked = FetchError::MatchApi {
            message: "STRATZ does not have this match".into(),
        };
        // 7 is left out of the answer altogether.
        let answer = vec![
            (9, Ok(match_details(9, 90, 0, true, Vec::new()))),
            (8, Err(lacked)),
        ];
        let effects = d.on_batch_answer(STRATZ, batch, Ok(answer), now, &everyone);
        assert_eq!(effects.rows.len(), 1);
        assert!(matches!(effects.rows[0].1, RowChange::Save(_, STRATZ)));
        assert_eq!(d.in_flight(STRATZ), 0);
        // 8 and 7 go on to Steam, in order, and count once Steam fails too.
        let task = d.take_for(STEAM, |_| true).unwrap();
        assert_eq!(task.wanted.match_id, 8);
        let effects = d.on_answer(STEAM, task, Err(not_found()), now, &everyone);
        assert!(matches!(effects.rows[0].1, RowChange::Counted(_)));
        assert_eq!(d.take_for(STEAM, |_| true).unwrap().wanted.match_id, 7);
    }

    #[test]
    fn a_failed_batch_call_feeds_the_breaker_once_and_passes_each_match_on() {
        let now = Instant::now();
        let mut d = Dispatch::new(queue(&[9, 8, 7]), 2, policy());
        let batch = d.take_batch_for(STRATZ, 10, |_| true);
        let down = FetchError::GraphQl {
            message: "internal error".into(),
        };
        let effects = d.on_batch_answer(STRATZ, batch, Err(down.clone()), now, &everyone);
        // The breaker's threshold is 2: one call is one outage, no hold yet.
        assert!(d.hold(STRATZ).is_none(), "{:?}", effects.notices);
        assert!(effects.rows.is_empty(), "Steam may still try them");
        let order: Vec<i64> = std::iter::from_fn(|| d.take_for(STEAM, |_| true))
            .map(|t| t.wanted.match_id)
            .collect();
        assert_eq!(order, [9, 8, 7]);

        // Alone, each match gets the "API down" row, uncounted.
        let mut d = Dispatch::new(queue(&[9, 8]), 1, policy());
        let batch = d.take_batch_for(0, 10, |_| true);
        let effects = d.on_batch_answer(0, batch, Err(down.clone()), now, &everyone);
        assert_eq!(effects.rows.len(), 2);
        assert!(
            effects
                .rows
                .iter()
                .all(|(_, change)| *change == RowChange::NotCounted(down.clone()))
        );
    }

    #[test]
    fn stratz_unavailable_drops_it_with_one_line_or_ends_a_run_it_had_alone() {
        use crate::source::StratzDrop;
        let now = Instant::now();
        let challenge = FetchError::StratzUnavailable {
            reason: StratzDrop::Challenge,
        };
        let mut d = Dispatch::new(queue(&[9, 8, 7]), 2, policy());
        let batch = d.take_batch_for(STRATZ, 2, |_| true);
        let effects = d.on_batch_answer(STRATZ, batch, Err(challenge.clone()), now, &everyone);
        assert_eq!(effects.notices.len(), 1, "{:?}", effects.notices);
        assert!(effects.fatal.is_none() && effects.rows.is_empty());
        assert_eq!(d.standing(STRATZ), Standing::Down);
        // Nothing lost: Steam gets every match, in order.
        let order: Vec<i64> = std::iter::from_fn(|| d.take_for(STEAM, |_| true))
            .map(|t| t.wanted.match_id)
            .collect();
        assert_eq!(order, [9, 8, 7]);

        let mut d = Dispatch::new(queue(&[9, 8]), 1, policy());
        let batch = d.take_batch_for(0, 10, |_| true);
        let effects = d.on_batch_answer(0, batch, Err(challenge.clone()), now, &everyone);
        assert_eq!(effects.fatal, Some(challenge));
        assert!(effects.notices.is_empty() && effects.rows.is_empty());
        assert!(
            d.settle_rest(&everyone).is_empty(),
            "untried rows stay as they were"
        );
    }
}
