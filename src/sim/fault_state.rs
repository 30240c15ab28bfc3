//! The running state of a fault plan: the seeded RNG, the token buckets, the
//! request counts for the quotas and how far each script has got.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::dataset::Dataset;
use super::faults::{DetailOutcome, FaultPlan, NamesOutcome, OpenDotaLimits, TokenBucket};

/// Which of the limits beyond the global ones a request falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lane {
    /// GetMatchHistoryBySequenceNum: its own, stricter bucket.
    SteamSequence,
    SteamOther,
    /// `keyed`: the request carries an OpenDota key.
    OpenDota {
        keyed: bool,
    },
}

/// What OpenDota's rate-limit headers say after a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Remaining {
    pub minute: u32,
    /// None with a key: OpenDota sends no daily header then.
    pub day: Option<u32>,
}

/// The verdict on one request: refused or not, and OpenDota's headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Admission {
    pub refusal: Option<Refusal>,
    pub remaining: Option<Remaining>,
}

/// Why a request is refused before its endpoint sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Inside a `down` window: 503.
    Down,
    /// Past the daily quota.
    Daily,
    /// The token bucket is empty.
    RateLimited,
}

struct Bucket {
    config: TokenBucket,
    tokens: f64,
    refilled_at: Instant,
}

impl Bucket {
    fn new(config: &TokenBucket, now: Instant) -> Bucket {
        Bucket {
            config: config.clone(),
            tokens: f64::from(config.burst),
            refilled_at: now,
        }
    }

    /// Takes a token if there is one.
    fn take(&mut self, now: Instant) -> bool {
        let elapsed = now
            .saturating_duration_since(self.refilled_at)
            .as_secs_f64();
        self.tokens =
            (self.tokens + elapsed * self.config.per_second).min(f64::from(self.config.burst));
        self.refilled_at = self.refilled_at.max(now);
        if self.tokens < 1.0 {
            return false;
        }
        self.tokens -= 1.0;
        true
    }
}

/// OpenDota's counters: calls in the current window and in the current UTC day.
struct OpenDotaQuota {
    limits: OpenDotaLimits,
    window: u64,
    in_window: u32,
    day: u64,
    in_day: u32,
}

const DAY_MS: u64 = 86_400_000;

impl OpenDotaQuota {
    fn new(limits: &OpenDotaLimits) -> OpenDotaQuota {
        OpenDotaQuota {
            limits: limits.clone(),
            window: 0,
            in_window: 0,
            day: 0,
            in_day: 0,
        }
    }

    /// Counts a call at `wall_ms` (since the Unix epoch) unless a limit
    /// refuses it; says what remains either way.
    fn admit(&mut self, wall_ms: u64, keyed: bool) -> (Option<Refusal>, Remaining) {
        // Fixed windows: the count starts over at each boundary, however
        // many calls came just before it.
        let window = wall_ms / self.limits.window_ms;
        if window != self.window {
            (self.window, self.in_window) = (window, 0);
        }
        let day = wall_ms / DAY_MS;
        if day != self.day {
            (self.day, self.in_day) = (day, 0);
        }
        let per_minute = if keyed {
            self.limits.per_minute_with_key
        } else {
            self.limits.per_minute
        };
        let refusal = if !keyed && self.in_day >= self.limits.per_day {
            Some(Refusal::Daily)
        } else if self.in_window >= per_minute {
            Some(Refusal::RateLimited)
        } else {
            self.in_window += 1;
            if !keyed {
                self.in_day += 1;
            }
            None
        };
        let remaining = Remaining {
            minute: per_minute.saturating_sub(self.in_window),
            day: (!keyed).then(|| self.limits.per_day.saturating_sub(self.in_day)),
        };
        (refusal, remaining)
    }
}

struct Script {
    outcomes: Vec<DetailOutcome>,
    next: usize,
}

pub(crate) struct FaultState {
    plan: FaultPlan,
    rng: fastrand::Rng,
    scripts: BTreeMap<i64, Script>,
    bucket: Option<Bucket>,
    steam_bucket: Option<Bucket>,
    sequence_bucket: Option<Bucket>,
    opendota: Option<OpenDotaQuota>,
    requests_seen: u64,
    started: Instant,
    /// The wall clock at `started`, in ms since the Unix epoch: OpenDota's
    /// windows follow the clock, not the server's age.
    started_wall_ms: u64,
}

impl FaultState {
    pub(crate) fn new(plan: FaultPlan, dataset: &Dataset, started: Instant) -> FaultState {
        let started_wall_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as u64);
        FaultState::starting_at_wall(plan, dataset, started, started_wall_ms)
    }

    /// As `new`, with the wall clock at `started` given (for tests).
    pub(crate) fn starting_at_wall(
        plan: FaultPlan,
        dataset: &Dataset,
        started: Instant,
        started_wall_ms: u64,
    ) -> FaultState {
        let scripts: BTreeMap<i64, Script> = plan
            .resolve_scripts(dataset)
            .into_iter()
            .map(|(match_id, outcomes)| (match_id, Script { outcomes, next: 0 }))
            .collect();
        FaultState {
            rng: fastrand::Rng::with_seed(plan.seed),
            bucket: plan.token_bucket.as_ref().map(|b| Bucket::new(b, started)),
            steam_bucket: plan.steam_bucket.as_ref().map(|b| Bucket::new(b, started)),
            sequence_bucket: plan
                .sequence_bucket
                .as_ref()
                .map(|b| Bucket::new(b, started)),
            opendota: plan.opendota_limits.as_ref().map(OpenDotaQuota::new),
            plan,
            scripts,
            requests_seen: 0,
            started,
            started_wall_ms,
        }
    }

    /// How long this request waits before anything else happens.
    pub(crate) fn latency(&mut self) -> Option<Duration> {
        let [min, max] = self.plan.latency_ms?;
        Some(Duration::from_millis(self.rng.u64(min..=max)))
    }

    /// Applies the down windows, the daily quota and the token bucket, in
    /// that order, to a request arriving at `now` (any lane).
    #[cfg(test)]
    pub(crate) fn admit(&mut self, now: Instant) -> Result<(), Refusal> {
        match self.admit_on(now, Lane::SteamOther).refusal {
            Some(refusal) => Err(refusal),
            None => Ok(()),
        }
    }

    /// `admit`, then the limits of the request's lane: Steam's bucket and
    /// the sequence endpoint's, or OpenDota's daily and per-minute counts. A
    /// refused request does not count against the lane's limits.
    pub(crate) fn admit_on(&mut self, now: Instant, lane: Lane) -> Admission {
        let since_start = now.saturating_duration_since(self.started);
        let since_start_ms = since_start.as_millis() as u64;
        let refused = |refusal| Admission {
            refusal: Some(refusal),
            remaining: None,
        };
        if self
            .plan
            .down
            .iter()
            .any(|window| (window.start_ms..window.end_ms).contains(&since_start_ms))
        {
            return refused(Refusal::Down);
        }
        self.requests_seen += 1;
        if let Some(quota) = self.plan.daily_quota
            && self.requests_seen > quota
        {
            return refused(Refusal::Daily);
        }
        if let Some(bucket) = self.bucket.as_mut()
            && !bucket.take(now)
        {
            return refused(Refusal::RateLimited);
        }
        let admitted = Admission {
            refusal: None,
            remaining: None,
        };
        if matches!(lane, Lane::SteamSequence | Lane::SteamOther)
            && let Some(bucket) = self.steam_bucket.as_mut()
            && !bucket.take(now)
        {
            return refused(Refusal::RateLimited);
        }
        match lane {
            Lane::SteamSequence => match self.sequence_bucket.as_mut() {
                Some(bucket) => {
                    if bucket.take(now) {
                        admitted
                    } else {
                        refused(Refusal::RateLimited)
                    }
                }
                None => admitted,
            },
            Lane::SteamOther => admitted,
            Lane::OpenDota { keyed } => match self.opendota.as_mut() {
                Some(quota) => {
                    let (refusal, remaining) =
                        quota.admit(self.started_wall_ms + since_start_ms, keyed);
                    Admission {
                        refusal,
                        remaining: Some(remaining),
                    }
                }
                None => admitted,
            },
        }
    }

    /// The outcome of a detail request for `match_id`: its script if it has
    /// one, else a draw against the plan's probabilities.
    pub(crate) fn detail_outcome(&mut self, match_id: Option<i64>) -> DetailOutcome {
        if let Some(script) = match_id.and_then(|id| self.scripts.get_mut(&id)) {
            let index = script.next.min(script.outcomes.len() - 1);
            script.next = script.next.saturating_add(1);
            return script.outcomes[index];
        }
        let plan = &self.plan;
        let roll = self.rng.f64();
        let server_error = [500, 502, 503][self.rng.usize(..3)];
        let ladder = [
            (plan.server_error, DetailOutcome::Status(server_error)),
            (
                plan.rate_limited,
                DetailOutcome::RateLimited { retry_after: None },
            ),
            (
                plan.rate_limited_retry_after,
                DetailOutcome::RateLimited {
                    retry_after: Some(1),
                },
            ),
            (plan.timeout, DetailOutcome::Timeout),
            (plan.reset, DetailOutcome::Reset),
            (plan.truncated, DetailOutcome::Truncated),
            (plan.malformed, DetailOutcome::Malformed),
            (plan.wrong_match, DetailOutcome::WrongMatch),
        ];
        let mut threshold = 0.0;
        for (probability, outcome) in ladder {
            threshold += probability;
            if roll < threshold {
                return outcome;
            }
        }
        DetailOutcome::Ok
    }

    pub(crate) fn timeout(&self) -> Duration {
        Duration::from_millis(self.plan.timeout_ms)
    }
}

/// How name requests are answered: the plan's `names` words in order,
/// the last one repeating.
pub(crate) struct NamesScript {
    outcomes: Vec<NamesOutcome>,
    served: AtomicUsize,
}

impl NamesScript {
    pub(crate) fn new(words: &[String]) -> NamesScript {
        NamesScript {
            outcomes: words
                .iter()
                .filter_map(|word| NamesOutcome::parse(word).ok())
                .collect(),
            served: AtomicUsize::new(0),
        }
    }

    pub(crate) fn next(&self) -> NamesOutcome {
        let n = self.served.fetch_add(1, Ordering::Relaxed);
        match self.outcomes.last() {
            None => NamesOutcome::Plain(DetailOutcome::Ok),
            Some(last) => *self.outcomes.get(n).unwrap_or(last),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::faults::{DownWindow, TokenBucket};

    fn state(plan: FaultPlan) -> (FaultState, Instant) {
        let dataset = Dataset::generate(1, 2, 10);
        let started = Instant::now();
        (FaultState::new(plan, &dataset, started), started)
    }

    #[test]
    fn scripts_repeat_their_last_outcome() {
        let mut plan = FaultPlan::default();
        plan.scripts
            .insert("5".into(), vec!["500".into(), "ok".into()]);
        let (mut faults, _) = state(plan);
        assert_eq!(faults.detail_outcome(Some(5)), DetailOutcome::Status(500));
        assert_eq!(faults.detail_outcome(Some(5)), DetailOutcome::Ok);
        assert_eq!(faults.detail_outcome(Some(5)), DetailOutcome::Ok);
        assert_eq!(faults.detail_outcome(Some(6)), DetailOutcome::Ok);
    }

    #[test]
    fn token_bucket_refills_over_time() {
        let plan = FaultPlan {
            token_bucket: Some(TokenBucket {
                per_second: 2.0,
                burst: 2,
            }),
            ..FaultPlan::default()
        };
        let (mut faults, started) = state(plan);
        assert_eq!(faults.admit(started), Ok(()));
        assert_eq!(faults.admit(started), Ok(()));
        assert_eq!(faults.admit(started), Err(Refusal::RateLimited));
        let later = started + Duration::from_millis(600);
        assert_eq!(faults.admit(later), Ok(()));
        assert_eq!(faults.admit(later), Err(Refusal::RateLimited));
    }

    #[test]
    fn quota_and_down_windows() {
        let plan = FaultPlan {
            daily_quota: Some(2),
            down: vec![DownWindow {
                start_ms: 1_000,
                end_ms: 2_000,
            }],
            ..FaultPlan::default()
        };
        let (mut faults, started) = state(plan);
        assert_eq!(
            faults.admit(started + Duration::from_millis(1_500)),
            Err(Refusal::Down)
        );
        assert_eq!(faults.admit(started), Ok(()));
        assert_eq!(faults.admit(started), Ok(()));
        assert_eq!(faults.admit(started), Err(Refusal::Daily));
    }

    #[test]
    fn the_sequence_bucket_limits_only_the_sequence_endpoint() {
        let plan = FaultPlan {
            sequence_bucket: Some(TokenBucket {
                per_second: 0.2,
                burst: 1,
            }),
            ..FaultPlan::default()
        };
        let (mut faults, started) = state(plan);
        let on = |faults: &mut FaultState, ms: u64, lane| {
            faults
                .admit_on(started + Duration::from_millis(ms), lane)
                .refusal
        };
        assert_eq!(on(&mut faults, 0, Lane::SteamSequence), None);
        assert_eq!(
            on(&mut faults, 10, Lane::SteamSequence),
            Some(Refusal::RateLimited)
        );
        assert_eq!(on(&mut faults, 20, Lane::SteamOther), None);
        assert_eq!(on(&mut faults, 30, Lane::OpenDota { keyed: false }), None);
        assert_eq!(
            on(&mut faults, 4_900, Lane::SteamSequence),
            Some(Refusal::RateLimited)
        );
        assert_eq!(on(&mut faults, 5_100, Lane::SteamSequence), None);
    }

    #[test]
    fn the_steam_bucket_covers_every_steam_endpoint_and_only_those() {
        let plan = FaultPlan {
            steam_bucket: Some(TokenBucket {
                per_second: 1.0,
                burst: 2,
            }),
            ..FaultPlan::default()
        };
        let (mut faults, started) = state(plan);
        let mut on = |lane| faults.admit_on(started, lane).refusal;
        assert_eq!(on(Lane::SteamOther), None);
        assert_eq!(on(Lane::SteamSequence), None);
        assert_eq!(on(Lane::SteamSequence), Some(Refusal::RateLimited));
        assert_eq!(on(Lane::SteamOther), Some(Refusal::RateLimited));
        assert_eq!(on(Lane::OpenDota { keyed: false }), None);
    }

    #[test]
    fn opendota_counts_fixed_windows_and_a_day_without_a_key() {
        let plan = FaultPlan {
            opendota_limits: Some(OpenDotaLimits {
                per_minute: 2,
                per_minute_with_key: 3,
                per_day: 5,
                window_ms: 60_000,
            }),
            ..FaultPlan::default()
        };
        let dataset = Dataset::generate(1, 2, 10);
        let started = Instant::now();
        // 20 s before a clock minute ends, 1 h before a UTC day ends.
        let wall = 20_000 * DAY_MS + DAY_MS - 3_600_000 + 40_000;
        let mut faults = FaultState::starting_at_wall(plan, &dataset, started, wall);
        let mut at = |ms: u64, keyed: bool| {
            faults.admit_on(
                started + Duration::from_millis(ms),
                Lane::OpenDota { keyed },
            )
        };
        let free = at(0, false);
        assert_eq!(free.refusal, None);
        assert_eq!(
            free.remaining,
            Some(Remaining {
                minute: 1,
                day: Some(4)
            })
        );
        assert_eq!(at(1, false).refusal, None);
        let limited = at(2, false);
        assert_eq!(limited.refusal, Some(Refusal::RateLimited));
        assert_eq!(limited.remaining.unwrap().minute, 0);
        // A key lifts the minute limit to 3 and sends no daily header.
        let keyed = at(3, true);
        assert_eq!((keyed.refusal, keyed.remaining.unwrap().day), (None, None));
        // The next clock minute starts over, 20 s later, not 60.
        assert_eq!(at(20_000, false).refusal, None);
        assert_eq!(at(20_001, false).refusal, None);
        assert_eq!(at(80_000, false).refusal, None);
        let spent = at(80_001, false);
        assert_eq!(spent.refusal, Some(Refusal::Daily));
        assert_eq!(spent.remaining.unwrap().day, Some(0));
        assert_eq!(
            at(80_002, true).refusal,
            None,
            "a key is billed, not capped"
        );
        // At 00:00 UTC the day starts over.
        assert_eq!(at(3_600_000, false).refusal, None);
    }

    #[test]
    fn random_faults_follow_the_probabilities_and_the_seed() {
        let plan = FaultPlan {
            seed: 3,
            server_error: 0.5,
            ..FaultPlan::default()
        };
        let draw = |plan: FaultPlan| {
            let (mut faults, _) = state(plan);
            (0..1000)
                .map(|_| faults.detail_outcome(None))
                .collect::<Vec<_>>()
        };
        let first = draw(plan.clone());
        assert_eq!(first, draw(plan));
        let errors = first
            .iter()
            .filter(|o| matches!(o, DetailOutcome::Status(_)))
            .count();
        assert!((400..600).contains(&errors), "{errors} errors of 1000");
    }
}
