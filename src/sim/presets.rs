//! Built-in fault plans, named on the command line (`--faults demo`).
//!
//! - `none`: no faults; the data as today's APIs serve it (Immortal Draft
//!   left out of the sequence endpoint, a few matches missing on OpenDota).
//! - `ideal`: no faults and every match on every endpoint.
//! - `today`: `none` plus today's real limits: Steam at 5 calls a second,
//!   its sequence endpoint at one per 5 s, OpenDota at 60 a minute and
//!   3,000 a day.
//! - `demo`: today's limits scaled so that the demo's 1,500 matches sync in
//!   about a minute from every source, plus a little trouble to show;
//!   STRATZ takes only its demo token, at modest limits, and lacks some
//!   matches so that the others still have work in phase 2.
//! - `flaky`, `outage`, `ratelimit`: one kind of trouble each.

use std::path::Path;

use super::faults::{DownWindow, FaultPlan, OpenDotaLimits, StratzLimits, StratzPlan, TokenBucket};
use super::stratz_routes::STRATZ_DEMO_TOKEN;

pub(crate) const PRESET_NAMES: [&str; 7] = [
    "none",
    "ideal",
    "today",
    "demo",
    "flaky",
    "outage",
    "ratelimit",
];

/// The demo's sequence endpoint: 25 times Valve's pace.
pub(crate) const DEMO_SEQUENCE_PER_SECOND: f64 = 5.0;
/// The demo's OpenDota: 20 a second, counted in clock minutes like the real one.
pub(crate) const DEMO_OPENDOTA_PER_MINUTE: u32 = 1_200;

/// The demo's STRATZ: a tenth of a default token's calls a second.
pub(crate) const DEMO_STRATZ_PER_SECOND: u32 = 2;

pub(crate) fn preset(name: &str) -> Option<FaultPlan> {
    let plan = match name {
        "none" => FaultPlan::default(),
        "ideal" => ideal(),
        "today" => today(),
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

/// Every match on every endpoint: for runs that must fetch everything from
/// one source.
pub(crate) fn ideal() -> FaultPlan {
    FaultPlan {
        sequence_skips_immortal_draft: false,
        opendota_lacks: 0.0,
        ..FaultPlan::default()
    }
}

/// The real APIs' limits as published (README, "The simulator").
fn today() -> FaultPlan {
    FaultPlan {
        steam_bucket: Some(TokenBucket {
            per_second: 5.0,
            burst: 5,
        }),
        sequence_bucket: Some(TokenBucket {
            per_second: 0.2,
            burst: 1,
        }),
        opendota_limits: Some(OpenDotaLimits::default()),
        ..FaultPlan::default()
    }
}

/// Enough trouble to show every state of the UI, little enough to finish:
/// a few 5xx, two 429s, two matches that never resolve, a few that succeed
/// on the second try; today's limits scaled to a one-minute demo (Steam's
/// sequence endpoint the slower source, OpenDota's headers counting down).
fn demo() -> FaultPlan {
    let mut plan = FaultPlan {
        seed: 42,
        server_error: 0.03,
        latency_ms: Some([20, 120]),
        sequence_bucket: Some(TokenBucket {
            per_second: DEMO_SEQUENCE_PER_SECOND,
            burst: DEMO_SEQUENCE_PER_SECOND as u32,
        }),
        opendota_limits: Some(OpenDotaLimits {
            per_minute: DEMO_OPENDOTA_PER_MINUTE,
            per_minute_with_key: DEMO_OPENDOTA_PER_MINUTE * 5,
            ..OpenDotaLimits::default()
        }),
        stratz: StratzPlan {
            token: Some(STRATZ_DEMO_TOKEN.to_string()),
            lacks: 0.4,
            limits: Some(StratzLimits {
                per_second: DEMO_STRATZ_PER_SECOND,
                per_minute: 60,
                per_hour: 600,
                per_day: 3_000,
            }),
            ..StratzPlan::default()
        },
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

impl FaultPlan {
    /// A built-in plan: "none", "ideal", "today", "demo", "flaky", "outage"
    /// or "ratelimit" (see `presets`).
    pub fn preset(name: &str) -> Option<FaultPlan> {
        preset(name)
    }

    /// A preset name, or else the path of a plan file.
    pub fn parse_arg(arg: &str) -> Result<FaultPlan, String> {
        if let Some(plan) = FaultPlan::preset(arg) {
            return Ok(plan);
        }
        let path = Path::new(arg);
        if !path.exists() {
            return Err(format!(
                "no fault preset or file named {arg:?} (presets: {})",
                PRESET_NAMES.join(", ")
            ));
        }
        FaultPlan::from_file(path)
    }
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
        assert_eq!(PRESET_NAMES.len(), 7);
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

    #[test]
    fn today_has_the_published_limits_and_demo_scales_them() {
        let today = preset("today").unwrap();
        assert_eq!(
            today.sequence_bucket,
            Some(TokenBucket {
                per_second: 0.2,
                burst: 1
            })
        );
        assert_eq!(today.steam_bucket.as_ref().map(|b| b.per_second), Some(5.0));
        let limits = today.opendota_limits.unwrap();
        assert_eq!((limits.per_minute, limits.per_day), (60, 3_000));
        assert_eq!(limits.window_ms, 60_000);
        assert!(today.sequence_skips_immortal_draft && today.opendota_lacks > 0.0);

        // 1,500 matches at the sum of both sources' rates: about a minute.
        let demo = preset("demo").unwrap();
        let steam = demo.sequence_bucket.unwrap().per_second;
        let opendota = f64::from(demo.opendota_limits.unwrap().per_minute) / 60.0;
        let seconds = 1_500.0 / (steam + opendota);
        assert!((50.0..=75.0).contains(&seconds), "{seconds} s");

        let ideal = preset("ideal").unwrap();
        assert!(!ideal.sequence_skips_immortal_draft);
        assert_eq!(ideal.opendota_lacks, 0.0);
    }
}
