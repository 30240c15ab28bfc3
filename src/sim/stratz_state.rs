//! What the simulated STRATZ remembers between calls: its plan, the calls
//! so far and each rate window's count (second, minute, hour, day), and
//! which matches it lacks. `stratz_routes.rs` answers; this only counts.

use std::sync::Mutex;

use super::faults::{StratzLimits, StratzPlan};
use super::rng::mix;

/// The windows' lengths in seconds, in the order of [`StratzLimits`].
const WINDOWS: [u64; 4] = [1, 60, 3_600, 86_400];

/// The running state: calls so far, and each window's count.
pub(crate) struct StratzState {
    plan: StratzPlan,
    seed: u64,
    counts: Mutex<Counts>,
}

#[derive(Default)]
struct Counts {
    calls: u64,
    /// (window index, calls in it) per window length.
    windows: [(u64, u32); 4],
}

impl StratzState {
    pub(crate) fn new(plan: StratzPlan, seed: u64) -> StratzState {
        StratzState {
            plan,
            seed,
            counts: Mutex::new(Counts::default()),
        }
    }

    pub(super) fn plan(&self) -> &StratzPlan {
        &self.plan
    }

    /// Counts a call past the gates: its number in the run, from 1.
    pub(super) fn next_call(&self) -> u64 {
        let mut counts = self.counts();
        counts.calls += 1;
        counts.calls
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether STRATZ lacks `match_id` (the same matches for a seed and share).
    pub(super) fn lacks(&self, match_id: i64) -> bool {
        const SALT: u64 = 0x57_4a72;
        let share = self.plan.lacks;
        share > 0.0 && {
            let hash = mix(self.seed ^ SALT, match_id as u64);
            ((hash >> 11) as f64 / (1u64 << 53) as f64) < share
        }
    }
}

/// Counts the call against every window, or refuses it: the seconds until
/// the spent window ends. Either way, what is left of each window.
pub(super) fn admit(
    state: &StratzState,
    limits: &StratzLimits,
    now_ms: u64,
) -> (Option<u64>, [u32; 4]) {
    let caps = [
        limits.per_second,
        limits.per_minute,
        limits.per_hour,
        limits.per_day,
    ];
    let mut counts = state.counts();
    let now = now_ms / 1_000;
    for (slot, window) in counts.windows.iter_mut().zip(WINDOWS) {
        if slot.0 != now / window {
            *slot = (now / window, 0);
        }
    }
    let spent = (0..4).find(|&i| counts.windows[i].1 >= caps[i]);
    if let Some(i) = spent {
        let window_ms = WINDOWS[i] * 1_000;
        let wait = (window_ms - now_ms % window_ms).div_ceil(1_000);
        let left = std::array::from_fn(|j| caps[j].saturating_sub(counts.windows[j].1));
        return (Some(wait.max(1)), left);
    }
    for slot in counts.windows.iter_mut() {
        slot.1 += 1;
    }
    let left = std::array::from_fn(|j| caps[j].saturating_sub(counts.windows[j].1));
    (None, left)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(limits: StratzLimits) -> StratzState {
        StratzState::new(
            StratzPlan {
                limits: Some(limits.clone()),
                ..StratzPlan::default()
            },
            1,
        )
    }

    #[test]
    fn windows_refuse_past_their_cap_and_say_when_they_end() {
        let limits = StratzLimits {
            per_second: 2,
            per_minute: 3,
            per_hour: 100,
            per_day: 100,
        };
        let state = state(limits.clone());
        // 10.2 s into a minute.
        let at = 60_000 * 1_000 + 10_200;
        assert_eq!(admit(&state, &limits, at), (None, [1, 2, 99, 99]));
        assert_eq!(admit(&state, &limits, at + 1), (None, [0, 1, 98, 98]));
        assert_eq!(admit(&state, &limits, at + 2).0, Some(1));
        // The next second: the minute still has one call.
        assert_eq!(admit(&state, &limits, at + 1_000), (None, [1, 0, 97, 97]));
        assert_eq!(admit(&state, &limits, at + 1_100).0, Some(49));
    }

    #[test]
    fn lacked_matches_follow_the_share() {
        let none = StratzState::new(StratzPlan::default(), 7);
        assert!((0..1_000).all(|id| !none.lacks(id)));
        let some = StratzState::new(
            StratzPlan {
                lacks: 0.1,
                ..StratzPlan::default()
            },
            7,
        );
        let lacked = (0..10_000).filter(|id| some.lacks(*id)).count();
        assert!((800..1_200).contains(&lacked), "{lacked}");
    }
}
