//! Built-in fault plans, named on the command line (`--faults demo`).

use super::faults::{DownWindow, FaultPlan, TokenBucket};

pub(crate) const PRESET_NAMES: [&str; 5] = ["none", "demo", "flaky", "outage", "ratelimit"];

pub(crate) fn preset(name: &str) -> Option<FaultPlan> {
    let plan = match name {
        "none" => FaultPlan::default(),
        "demo" => demo(),
        "flaky" => FaultPlan {
            seed: 7,
            server_error: 0.10,
            timeout: 0.03,
            // Short enough that a demo does not stall, long enough to trip a client timeout.
            timeout_ms: 3_000,
            reset: 0.02,
            malformed: 0.02,
            ..FaultPlan::default()
        },
        "outage" => FaultPlan {
            down: vec![DownWindow {
                start_ms: 2_000,
                end_ms: 40_000,
            }],
            ..FaultPlan::default()
        },
        "ratelimit" => FaultPlan {
            token_bucket: Some(TokenBucket {
                per_second: 5.0,
                burst: 5,
            }),
            ..FaultPlan::default()
        },
        _ => return None,
    };
    Some(plan)
}

/// Enough trouble to show every state of the UI, little enough to finish:
/// a few 5xx, two 429s, two matches that never resolve, a few that succeed
/// on the second try.
fn demo() -> FaultPlan {
    let mut plan = FaultPlan {
        seed: 42,
        server_error: 0.03,
        latency_ms: Some([20, 120]),
        ..FaultPlan::default()
    };
    let scripted: [(&str, &[&str]); 8] = [
        ("account0:7", &["not_found"]),
        ("account0:301", &["not_found"]),
        ("account0:40", &["429", "ok"]),
        ("account0:120", &["429:1", "ok"]),
        ("account0:2", &["500", "ok"]),
        ("account0:15", &["500", "ok"]),
        ("account0:60", &["503", "ok"]),
        ("account0:200", &["500", "ok"]),
    ];
    for (key, words) in scripted {
        plan.scripts.insert(
            key.to_string(),
            words.iter().map(|w| w.to_string()).collect(),
        );
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_valid() {
        for name in PRESET_NAMES {
            let plan = preset(name).unwrap_or_else(|| panic!("{name} missing"));
            assert_eq!(plan.validate(), Ok(()), "{name}");
        }
        assert!(preset("nonsense").is_none());
        assert_eq!(preset("none"), Some(FaultPlan::default()));
    }

    #[test]
    fn demo_scripts_two_matches_that_never_resolve() {
        let plan = preset("demo").unwrap();
        let never = plan
            .scripts
            .values()
            .filter(|words| words.as_slice() == ["not_found"])
            .count();
        assert_eq!(never, 2);
    }
}
