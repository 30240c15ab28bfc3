//! The fault plan: what can go wrong, how often, and when.
//!
//! A plan is plain data (TOML or JSON, every field optional). Probabilities
//! apply to *detail* requests (GetMatchDetails, the sequence endpoint,
//! OpenDota's `/matches/{id}`); latency, the token bucket, the daily quota and
//! the down windows apply to every request. Scripts pin the outcomes of given
//! matches, one outcome per detail request, the last one repeating forever.
//!
//! The plan also says how far the server follows today's real APIs
//! (README, "The simulator"): by default the sequence endpoint leaves out Immortal
//! Draft matches and OpenDota lacks a few matches; the sequence endpoint's own
//! stricter rate and OpenDota's per-minute and daily limits are off by default
//! (tests run fast) and on in the `today` and `demo` presets.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::dataset::Dataset;

/// What a plan can make the server do. See the module comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultPlan {
    /// Seeds the random faults, so that a run can be replayed.
    pub seed: u64,
    /// 500/502/503 with an HTML body.
    pub server_error: f64,
    /// 429 without `Retry-After`.
    pub rate_limited: f64,
    /// 429 with `Retry-After: 1`.
    pub rate_limited_retry_after: f64,
    /// Hang for `timeout_ms`, then answer 504.
    pub timeout: f64,
    pub timeout_ms: u64,
    /// Start a 200 answer and drop the connection half-way through the body.
    pub reset: f64,
    /// A valid 200 answer whose JSON stops half-way.
    pub truncated: f64,
    /// A 200 answer with JSON of the wrong shape.
    pub malformed: f64,
    /// The sequence endpoint (or the details) answers with another match.
    pub wrong_match: f64,
    /// `[min, max]`: every request waits a uniform time in this range first.
    pub latency_ms: Option<[u64; 2]>,
    pub token_bucket: Option<TokenBucket>,
    /// After this many requests every request answers 429 "daily api limit exceeded".
    pub daily_quota: Option<u64>,
    /// Windows, relative to server start, in which every request answers 503.
    pub down: Vec<DownWindow>,
    /// DetailOutcome lists per match. A key is a match ID, or `account<N>:<K>`: the
    /// K-th newest match (0-based) of `accounts()[N]`, resolved at start.
    pub scripts: BTreeMap<String, Vec<String>>,
    /// GetMatchHistoryBySequenceNum leaves out every Immortal Draft match and
    /// answers the next match instead, as Valve's has since February 2026.
    pub sequence_skips_immortal_draft: bool,
    /// Share of matches OpenDota does not have: missing from its player
    /// histories, 404 on `/matches/{id}`. Never an Immortal Draft match, so
    /// that by default every listed match has a source that can serve it.
    pub opendota_lacks: f64,
    /// Every Steam endpoint's limit (Valve's allows about 5 a second per IP);
    /// requests beyond it answer 429.
    pub steam_bucket: Option<TokenBucket>,
    /// The sequence endpoint's own, stricter limit on top (Valve's wants
    /// about one call per 5 s); requests beyond it answer 429.
    pub sequence_bucket: Option<TokenBucket>,
    /// OpenDota's limits and rate-limit headers.
    pub opendota_limits: Option<OpenDotaLimits>,
    /// Outcomes of successive player-name requests (GetPlayerSummaries,
    /// OpenDota's `/players/{id}`), the last one repeating: any script
    /// word, or `hostile` (names laced with escape sequences, bidi
    /// controls, line breaks and the request's own key). Empty: all `ok`.
    pub names: Vec<String>,
    /// STRATZ's own faults and limits (`stratz_routes`).
    pub stratz: StratzPlan,
}

/// OpenDota's limits: a fixed window (a clock minute) and, without a key, a
/// daily quota that resets at 00:00 UTC. Every OpenDota answer then carries
/// `X-Rate-Limit-Remaining-Minute`, and without a key
/// `X-Rate-Limit-Remaining-Day`. A key is `?api_key=` or `Authorization: Bearer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpenDotaLimits {
    /// Calls per window without a key.
    pub per_minute: u32,
    /// Calls per window with a key.
    pub per_minute_with_key: u32,
    /// Calls per UTC day without a key (with one, calls are billed instead).
    pub per_day: u32,
    /// The window's length; 60,000 is a clock minute. Windows are aligned to
    /// the wall clock (multiples of this since the Unix epoch).
    pub window_ms: u64,
}

impl Default for OpenDotaLimits {
    /// OpenDota's published free-tier limits.
    fn default() -> OpenDotaLimits {
        OpenDotaLimits {
            per_minute: 60,
            per_minute_with_key: 300,
            per_day: 3_000,
            window_ms: 60_000,
        }
    }
}

/// What the simulated STRATZ does beyond the contract. Every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StratzPlan {
    /// The one token accepted; `None`: any non-empty token.
    pub token: Option<String>,
    /// Every request meets the CDN's browser check (403, `cf-mitigated: challenge`).
    pub challenge: bool,
    /// Every token is refused (401 with `WWW-Authenticate`).
    pub reject_token: bool,
    /// Every player's profile is private: `"player": null`.
    pub private_player: bool,
    /// The first N calls answer HTTP 200 with `errors` and no `data`.
    pub failed_calls: u32,
    /// `matches(ids:)` is refused for the token (`not an admin`), as some
    /// tokens are reported to be; `match(id:)` still answers.
    pub refuse_batches: bool,
    /// Matches whose answer carries a GraphQL error naming them: `null` in
    /// `matches(ids:)` and `match(id:)`, `players: null` in a history page.
    pub error_matches: Vec<i64>,
    /// Share of matches STRATZ does not have: left out of histories and
    /// `null` when asked by ID.
    pub lacks: f64,
    /// The windows of a token; `None`: no limit and no rate headers.
    pub limits: Option<StratzLimits>,
}

/// A token's calls per window: a second, a minute, an hour, a UTC day,
/// each aligned to the wall clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StratzLimits {
    pub per_second: u32,
    pub per_minute: u32,
    pub per_hour: u32,
    pub per_day: u32,
}

impl Default for StratzLimits {
    /// A default token's published limits.
    fn default() -> StratzLimits {
        StratzLimits {
            per_second: 20,
            per_minute: 250,
            per_hour: 2_000,
            per_day: 10_000,
        }
    }
}

impl Default for FaultPlan {
    fn default() -> FaultPlan {
        FaultPlan {
            seed: 0,
            server_error: 0.0,
            rate_limited: 0.0,
            rate_limited_retry_after: 0.0,
            timeout: 0.0,
            timeout_ms: 30_000,
            reset: 0.0,
            truncated: 0.0,
            malformed: 0.0,
            wrong_match: 0.0,
            latency_ms: None,
            token_bucket: None,
            daily_quota: None,
            down: Vec::new(),
            scripts: BTreeMap::new(),
            sequence_skips_immortal_draft: true,
            opendota_lacks: DEFAULT_OPENDOTA_LACKS,
            steam_bucket: None,
            sequence_bucket: None,
            opendota_limits: None,
            names: Vec::new(),
            stratz: StratzPlan::default(),
        }
    }
}

/// About one match in fifty is missing from OpenDota by default.
pub(crate) const DEFAULT_OPENDOTA_LACKS: f64 = 0.02;

/// Requests beyond `burst` plus `per_second` a second answer 429.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenBucket {
    pub per_second: f64,
    pub burst: u32,
}

/// `[start_ms, end_ms)` after server start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DownWindow {
    pub start_ms: u64,
    pub end_ms: u64,
}

/// One scripted or drawn answer to a detail request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DetailOutcome {
    Ok,
    /// Any other HTTP status, with an HTML body.
    Status(u16),
    RateLimited {
        retry_after: Option<u64>,
    },
    Daily,
    Timeout,
    Reset,
    Truncated,
    Malformed,
    WrongMatch,
    NotFound,
    /// Steam's 200 `{"result":{"status":2,...}}`.
    Status2,
}

impl DetailOutcome {
    /// Parses a script word: `ok`, a 3-digit status, `429:N`, `daily`, ...
    pub(crate) fn parse(word: &str) -> Result<DetailOutcome, String> {
        let word = word.trim();
        let outcome = match word.to_ascii_lowercase().as_str() {
            "ok" | "200" => DetailOutcome::Ok,
            "429" => DetailOutcome::RateLimited { retry_after: None },
            "daily" => DetailOutcome::Daily,
            "timeout" => DetailOutcome::Timeout,
            "reset" => DetailOutcome::Reset,
            "truncated" => DetailOutcome::Truncated,
            "malformed" => DetailOutcome::Malformed,
            "wrong_match" => DetailOutcome::WrongMatch,
            "not_found" => DetailOutcome::NotFound,
            "status2" => DetailOutcome::Status2,
            other => {
                if let Some(seconds) = other.strip_prefix("429:") {
                    let seconds = seconds
                        .parse::<u64>()
                        .map_err(|_| format!("bad Retry-After in script outcome {word:?}"))?;
                    DetailOutcome::RateLimited {
                        retry_after: Some(seconds),
                    }
                } else {
                    match other.parse::<u16>() {
                        Ok(status) if (100..=599).contains(&status) && other.len() == 3 => {
                            DetailOutcome::Status(status)
                        }
                        _ => return Err(format!("unknown script outcome {word:?}")),
                    }
                }
            }
        };
        Ok(outcome)
    }

    /// The label counted in `SimStats`.
    pub(crate) fn label(self) -> String {
        match self {
            DetailOutcome::Ok => "ok".into(),
            DetailOutcome::Status(status) => status.to_string(),
            DetailOutcome::RateLimited { .. } => "429".into(),
            DetailOutcome::Daily => "daily".into(),
            DetailOutcome::Timeout => "timeout".into(),
            DetailOutcome::Reset => "reset".into(),
            DetailOutcome::Truncated => "truncated".into(),
            DetailOutcome::Malformed => "malformed".into(),
            DetailOutcome::WrongMatch => "wrong_match".into(),
            DetailOutcome::NotFound => "not_found".into(),
            DetailOutcome::Status2 => "status2".into(),
        }
    }
}

/// One word of the `names` script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamesOutcome {
    /// Names laced with escape sequences, controls and the request's key.
    Hostile,
    /// What the word means for any detail request.
    Plain(DetailOutcome),
}

impl NamesOutcome {
    pub(crate) fn parse(word: &str) -> Result<NamesOutcome, String> {
        if word.trim().eq_ignore_ascii_case("hostile") {
            return Ok(NamesOutcome::Hostile);
        }
        DetailOutcome::parse(word).map(NamesOutcome::Plain)
    }
}

/// Which match a script key names, before the dataset is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScriptTarget {
    Match(i64),
    NthOfAccount { account: usize, nth: usize },
}

fn parse_script_key(key: &str) -> Result<ScriptTarget, String> {
    let key = key.trim();
    if let Ok(match_id) = key.parse::<i64>() {
        return Ok(ScriptTarget::Match(match_id));
    }
    let parsed = key.strip_prefix("account").and_then(|rest| {
        let (account, nth) = rest.split_once(':')?;
        Some((account.parse::<usize>().ok()?, nth.parse::<usize>().ok()?))
    });
    match parsed {
        Some((account, nth)) => Ok(ScriptTarget::NthOfAccount { account, nth }),
        None => Err(format!(
            "bad script key {key:?}: use a match ID or account<N>:<K>"
        )),
    }
}

impl FaultPlan {
    /// Reads a plan from a TOML file (JSON when the name ends in `.json`).
    /// The error is one line that names the file.
    pub fn from_file(path: &Path) -> Result<FaultPlan, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read fault plan {shown}: {error}"))?;
        let is_json = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
        let plan: FaultPlan = if is_json {
            serde_json::from_str(&text)
                .map_err(|error| format!("fault plan {shown} is not valid: {error}"))?
        } else {
            toml::from_str(&text).map_err(|error| {
                // toml's own Display spans several lines; keep one, with the line number.
                let message = error.message().trim().replace('\n', " ");
                match error.span() {
                    Some(span) => {
                        let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                        format!("fault plan {shown} is not valid (line {line}): {message}")
                    }
                    None => format!("fault plan {shown} is not valid: {message}"),
                }
            })?
        };
        plan.validate()
            .map_err(|error| format!("fault plan {shown} is not valid: {error}"))?;
        Ok(plan)
    }

    /// Checks ranges and script words; the error is one line.
    pub fn validate(&self) -> Result<(), String> {
        let probabilities = [
            ("server_error", self.server_error),
            ("rate_limited", self.rate_limited),
            ("rate_limited_retry_after", self.rate_limited_retry_after),
            ("timeout", self.timeout),
            ("reset", self.reset),
            ("truncated", self.truncated),
            ("malformed", self.malformed),
            ("wrong_match", self.wrong_match),
        ];
        for (name, value) in probabilities {
            if !(0.0..=1.0).contains(&value) {
                return Err(format!(
                    "{name} = {value} is not a probability between 0 and 1"
                ));
            }
        }
        let sum: f64 = probabilities.iter().map(|(_, value)| value).sum();
        if sum > 1.0 + 1e-9 {
            return Err(format!(
                "the fault probabilities add up to {sum}, more than 1"
            ));
        }
        if let Some([min, max]) = self.latency_ms
            && min > max
        {
            return Err(format!("latency_ms = [{min}, {max}]: min is above max"));
        }
        for (name, bucket) in [
            ("token_bucket", &self.token_bucket),
            ("steam_bucket", &self.steam_bucket),
            ("sequence_bucket", &self.sequence_bucket),
        ] {
            if let Some(bucket) = bucket
                && (bucket.per_second.is_nan() || bucket.per_second < 0.0 || bucket.burst == 0)
            {
                return Err(format!("{name} needs per_second >= 0 and burst >= 1"));
            }
        }
        if !(0.0..=1.0).contains(&self.opendota_lacks) {
            return Err(format!(
                "opendota_lacks = {} is not a share between 0 and 1",
                self.opendota_lacks
            ));
        }
        if let Some(limits) = &self.opendota_limits
            && limits.window_ms == 0
        {
            return Err("opendota_limits.window_ms must be at least 1".into());
        }
        for window in &self.down {
            if window.start_ms > window.end_ms {
                return Err(format!(
                    "down window {}..{} ms ends before it starts",
                    window.start_ms, window.end_ms
                ));
            }
        }
        for word in &self.names {
            NamesOutcome::parse(word).map_err(|error| format!("names: {error}"))?;
        }
        for (key, words) in &self.scripts {
            parse_script_key(key)?;
            if words.is_empty() {
                return Err(format!("script for {key} is empty"));
            }
            for word in words {
                DetailOutcome::parse(word).map_err(|error| format!("script for {key}: {error}"))?;
            }
        }
        Ok(())
    }

    /// The scripts, keyed by match ID. Keys naming a match the dataset does
    /// not have (say `account0:900` of a 600-match account) are dropped.
    pub(crate) fn resolve_scripts(&self, dataset: &Dataset) -> BTreeMap<i64, Vec<DetailOutcome>> {
        let mut resolved = BTreeMap::new();
        for (key, words) in &self.scripts {
            let Ok(target) = parse_script_key(key) else {
                tracing::warn!("fault plan: ignoring bad script key {key:?}");
                continue;
            };
            let match_id = match target {
                ScriptTarget::Match(match_id) => Some(match_id),
                ScriptTarget::NthOfAccount { account, nth } => dataset
                    .accounts()
                    .get(account)
                    .and_then(|account| account.match_ids.get(nth))
                    .copied(),
            };
            let outcomes: Vec<DetailOutcome> = words
                .iter()
                .filter_map(|word| DetailOutcome::parse(word).ok())
                .collect();
            match match_id {
                Some(match_id) if !outcomes.is_empty() => {
                    resolved.insert(match_id, outcomes);
                }
                _ => tracing::warn!("fault plan: script {key:?} names no match; ignored"),
            }
        }
        resolved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_words_parse() {
        assert_eq!(DetailOutcome::parse("ok"), Ok(DetailOutcome::Ok));
        assert_eq!(DetailOutcome::parse("502"), Ok(DetailOutcome::Status(502)));
        assert_eq!(
            DetailOutcome::parse("429"),
            Ok(DetailOutcome::RateLimited { retry_after: None })
        );
        assert_eq!(
            DetailOutcome::parse("429:7"),
            Ok(DetailOutcome::RateLimited {
                retry_after: Some(7)
            })
        );
        for word in [
            "daily",
            "timeout",
            "reset",
            "truncated",
            "malformed",
            "wrong_match",
            "not_found",
            "status2",
        ] {
            assert_eq!(
                DetailOutcome::parse(word).map(DetailOutcome::label),
                Ok(word.to_string())
            );
        }
        assert!(DetailOutcome::parse("5000").is_err());
        assert!(DetailOutcome::parse("boom").is_err());
        assert!(DetailOutcome::parse("429:x").is_err());
    }

    #[test]
    fn toml_plan_reads_with_defaults() {
        let plan: FaultPlan = toml::from_str(
            r#"
            seed = 9
            server_error = 0.1
            latency_ms = [5, 10]
            token_bucket = { per_second = 2.0, burst = 3 }
            down = [{ start_ms = 100, end_ms = 200 }]
            [scripts]
            "123" = ["500", "ok"]
            "account0:2" = ["not_found"]
            "#,
        )
        .unwrap();
        assert_eq!(plan.seed, 9);
        assert_eq!(plan.timeout_ms, 30_000);
        assert_eq!(plan.latency_ms, Some([5, 10]));
        assert_eq!(plan.token_bucket.as_ref().map(|b| b.burst), Some(3));
        assert!(plan.validate().is_ok());
    }

    #[test]
    fn todays_behaviour_reads_from_toml_and_defaults_to_on() {
        let default = FaultPlan::default();
        assert!(default.sequence_skips_immortal_draft);
        assert_eq!(default.opendota_lacks, DEFAULT_OPENDOTA_LACKS);
        assert_eq!(
            (default.sequence_bucket, default.opendota_limits),
            (None, None)
        );
        // The example in README's simulator section.
        let plan: FaultPlan = toml::from_str(
            r#"
            sequence_skips_immortal_draft = false
            opendota_lacks = 0.1
            sequence_bucket = { per_second = 0.2, burst = 1 }
            [opendota_limits]
            per_minute = 30
            window_ms = 1000
            "#,
        )
        .unwrap();
        assert!(!plan.sequence_skips_immortal_draft);
        assert_eq!(plan.opendota_lacks, 0.1);
        assert_eq!(plan.sequence_bucket.as_ref().map(|b| b.burst), Some(1));
        let limits = plan.opendota_limits.clone().unwrap();
        assert_eq!(
            (limits.per_minute, limits.per_day, limits.window_ms),
            (30, 3_000, 1_000)
        );
        assert_eq!(plan.validate(), Ok(()));

        let bad = FaultPlan {
            opendota_lacks: 1.5,
            ..FaultPlan::default()
        };
        assert!(bad.validate().unwrap_err().contains("opendota_lacks"));
        let bad = FaultPlan {
            opendota_limits: Some(OpenDotaLimits {
                window_ms: 0,
                ..OpenDotaLimits::default()
            }),
            ..FaultPlan::default()
        };
        assert!(bad.validate().unwrap_err().contains("window_ms"));
        let bad = FaultPlan {
            sequence_bucket: Some(TokenBucket {
                per_second: 1.0,
                burst: 0,
            }),
            ..FaultPlan::default()
        };
        assert!(bad.validate().unwrap_err().contains("sequence_bucket"));
    }

    #[test]
    fn bad_plans_are_refused_in_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.toml");
        std::fs::write(&path, "server_error = 2.0\n").unwrap();
        let error = FaultPlan::from_file(&path).unwrap_err();
        assert!(
            error.contains("server_error") && !error.contains('\n'),
            "{error}"
        );

        std::fs::write(&path, "no_such_field = 1\n").unwrap();
        let error = FaultPlan::from_file(&path).unwrap_err();
        assert!(
            error.contains("no_such_field") && !error.contains('\n'),
            "{error}"
        );

        std::fs::write(&path, "[scripts]\n\"1\" = [\"explode\"]\n").unwrap();
        assert!(FaultPlan::from_file(&path).unwrap_err().contains("explode"));

        let json = dir.path().join("plan.json");
        std::fs::write(
            &json,
            r#"{"reset": 0.5, "scripts": {"account1:0": ["reset", "ok"]}}"#,
        )
        .unwrap();
        assert_eq!(FaultPlan::from_file(&json).unwrap().reset, 0.5);

        assert!(FaultPlan::parse_arg("no-such-preset-or-file").is_err());
        assert!(FaultPlan::parse_arg("flaky").is_ok());
    }

    #[test]
    fn script_keys_resolve_against_the_dataset() {
        let dataset = Dataset::generate(1, 2, 20);
        let mut plan = FaultPlan::default();
        plan.scripts
            .insert("account0:3".into(), vec!["500".into(), "ok".into()]);
        plan.scripts
            .insert("account0:999".into(), vec!["500".into()]);
        plan.scripts.insert("77".into(), vec!["not_found".into()]);
        let scripts = plan.resolve_scripts(&dataset);
        let third = dataset.accounts()[0].match_ids[3];
        assert_eq!(
            scripts.get(&third),
            Some(&vec![DetailOutcome::Status(500), DetailOutcome::Ok])
        );
        assert_eq!(scripts.get(&77), Some(&vec![DetailOutcome::NotFound]));
        assert_eq!(scripts.len(), 2);
    }
}
