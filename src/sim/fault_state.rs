//! The running state of a fault plan: the seeded RNG, the token bucket, the
//! request count for the daily quota and how far each script has got.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::dataset::Dataset;
use super::faults::{FaultPlan, Outcome};

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
    tokens: f64,
    refilled_at: Instant,
}

struct Script {
    outcomes: Vec<Outcome>,
    next: usize,
}

pub(crate) struct FaultState {
    plan: FaultPlan,
    rng: fastrand::Rng,
    scripts: BTreeMap<i64, Script>,
    bucket: Option<Bucket>,
    requests_seen: u64,
    started: Instant,
}

impl FaultState {
    pub(crate) fn new(plan: FaultPlan, dataset: &Dataset, started: Instant) -> FaultState {
        let scripts = plan
            .resolve_scripts(dataset)
            .into_iter()
            .map(|(match_id, outcomes)| (match_id, Script { outcomes, next: 0 }))
            .collect();
        let bucket = plan.token_bucket.as_ref().map(|bucket| Bucket {
            tokens: f64::from(bucket.burst),
            refilled_at: started,
        });
        FaultState {
            rng: fastrand::Rng::with_seed(plan.seed),
            plan,
            scripts,
            bucket,
            requests_seen: 0,
            started,
        }
    }

    /// How long this request waits before anything else happens.
    pub(crate) fn latency(&mut self) -> Option<Duration> {
        let [min, max] = self.plan.latency_ms?;
        Some(Duration::from_millis(self.rng.u64(min..=max)))
    }

    /// Applies the down windows, the daily quota and the token bucket, in
    /// that order, to a request arriving at `now`.
    pub(crate) fn admit(&mut self, now: Instant) -> Result<(), Refusal> {
        let since_start = now.saturating_duration_since(self.started).as_millis() as u64;
        if self
            .plan
            .down
            .iter()
            .any(|window| (window.start_ms..window.end_ms).contains(&since_start))
        {
            return Err(Refusal::Down);
        }
        self.requests_seen += 1;
        if let Some(quota) = self.plan.daily_quota
            && self.requests_seen > quota
        {
            return Err(Refusal::Daily);
        }
        if let (Some(bucket), Some(config)) =
            (self.bucket.as_mut(), self.plan.token_bucket.as_ref())
        {
            let elapsed = now
                .saturating_duration_since(bucket.refilled_at)
                .as_secs_f64();
            bucket.tokens =
                (bucket.tokens + elapsed * config.per_second).min(f64::from(config.burst));
            bucket.refilled_at = bucket.refilled_at.max(now);
            if bucket.tokens < 1.0 {
                return Err(Refusal::RateLimited);
            }
            bucket.tokens -= 1.0;
        }
        Ok(())
    }

    /// The outcome of a detail request for `match_id`: its script if it has
    /// one, else a draw against the plan's probabilities.
    pub(crate) fn detail_outcome(&mut self, match_id: Option<i64>) -> Outcome {
        if let Some(script) = match_id.and_then(|id| self.scripts.get_mut(&id)) {
            let index = script.next.min(script.outcomes.len() - 1);
            script.next = script.next.saturating_add(1);
            return script.outcomes[index];
        }
        let plan = &self.plan;
        let roll = self.rng.f64();
        let server_error = [500, 502, 503][self.rng.usize(..3)];
        let ladder = [
            (plan.server_error, Outcome::Status(server_error)),
            (
                plan.rate_limited,
                Outcome::RateLimited { retry_after: None },
            ),
            (
                plan.rate_limited_retry_after,
                Outcome::RateLimited {
                    retry_after: Some(1),
                },
            ),
            (plan.timeout, Outcome::Timeout),
            (plan.reset, Outcome::Reset),
            (plan.truncated, Outcome::Truncated),
            (plan.malformed, Outcome::Malformed),
            (plan.wrong_match, Outcome::WrongMatch),
        ];
        let mut threshold = 0.0;
        for (probability, outcome) in ladder {
            threshold += probability;
            if roll < threshold {
                return outcome;
            }
        }
        Outcome::Ok
    }

    pub(crate) fn timeout(&self) -> Duration {
        Duration::from_millis(self.plan.timeout_ms)
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
        assert_eq!(faults.detail_outcome(Some(5)), Outcome::Status(500));
        assert_eq!(faults.detail_outcome(Some(5)), Outcome::Ok);
        assert_eq!(faults.detail_outcome(Some(5)), Outcome::Ok);
        assert_eq!(faults.detail_outcome(Some(6)), Outcome::Ok);
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
            .filter(|o| matches!(o, Outcome::Status(_)))
            .count();
        assert!((400..600).contains(&errors), "{errors} errors of 1000");
    }
}
