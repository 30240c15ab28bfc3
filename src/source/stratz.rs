//! The STRATZ client (ARCHITECTURE.md, "Sources and limits"): GraphQL over `POST
//! {base}/graphql` with the user's own token in `Authorization: Bearer`,
//! under the one HTTP client type ([`ApiClient`]): its pacer, caps, no
//! redirects, and every error cleaned with the token redacted.
//!
//! STRATZ answers a history page of 100 matches with all ten players'
//! lines, and up to 10 matches by ID a call. Its own failures: the CDN's
//! browser check (403 with `cf-mitigated: challenge`, never answered) and a
//! rejected token drop STRATZ for the run ([`StratzDrop`]); its
//! `X-RateLimit-Remaining-*` headers hold the pacer before a 429 is earned.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use serde_json::json;

pub use super::wire::stratz::{
    BatchAnswer, MAX_DEPTH, StratzHistoryPage, game_mode_id, game_mode_name, lobby_type_id,
    lobby_type_name,
};

use super::client::{ApiClient, KeyPlacement};
use super::error::StratzDrop;
use super::http::{self, BodyLimit};
use super::pacer::Pacer;
use super::wire::stratz as wire;
use super::{
    ApiKey, BatchOutcomes, FetchError, HistoryCursor, HistoryPage, MatchDetails, MatchRef,
    MatchSource, SourceConfig, SourceKind,
};

pub const DEFAULT_BASE: &str = SourceKind::Stratz.default_base();

/// The credit STRATZ asks for wherever its data shows.
pub const CREDIT: &str = "Data provided by STRATZ";

/// Requests a second at the start of a run ([`SourceKind::default_rate`]).
pub const DEFAULT_RATE: f64 = SourceKind::Stratz.default_rate(true);

/// Matches a history page asks for (`take`).
pub const PAGE_SIZE: usize = 100;

/// IDs one `matches(ids:)` call asks for at most.
pub const BATCH_SIZE: usize = 10;

/// The fields asked per match and per player (ARCHITECTURE.md, "Sources and limits").
pub const MATCH_FIELDS: &str = "id sequenceNum startDateTime durationSeconds didRadiantWin \
gameMode lobbyType players { steamAccountId playerSlot isRadiant heroId kills deaths assists \
numLastHits numDenies goldPerMinute experiencePerMinute heroDamage towerDamage heroHealing \
level networth item0Id item1Id item2Id item3Id item4Id item5Id backpack0Id backpack1Id \
backpack2Id neutral0Id leaverStatus partyId position }";

/// Phase 1's document; its variables are `steamAccountId`, `take`, `skip`.
pub fn history_query() -> String {
    format!(
        "query ($steamAccountId: Long!, $take: Int!, $skip: Int!) {{ player(steamAccountId: \
         $steamAccountId) {{ matchCount matches(request: {{take: $take, skip: $skip}}) {{ \
         {MATCH_FIELDS} }} }} }}"
    )
}

/// Phase 2's document; its variable is `ids`.
pub fn batch_query() -> String {
    format!("query ($ids: [Long]!) {{ matches(ids: $ids) {{ {MATCH_FIELDS} }} }}")
}

/// The fallback for tokens refused `matches(ids:)`; its variable is `id`.
pub fn match_query() -> String {
    format!("query ($id: Long!) {{ match(id: $id) {{ {MATCH_FIELDS} }} }}")
}

/// What is left of each of STRATZ's windows, as its headers say.
const REMAINING_SECOND: &str = "x-ratelimit-remaining-second";
const REMAINING_MINUTE: &str = "x-ratelimit-remaining-minute";
const REMAINING_HOUR: &str = "x-ratelimit-remaining-hour";
const REMAINING_DAY: &str = "x-ratelimit-remaining-day";

/// The CDN's mark on its browser-check page.
const CF_MITIGATED: &str = "cf-mitigated";

/// A STRATZ source `config` with STRATZ's own base when none is given.
pub fn config(api_base: Option<String>, token: ApiKey) -> SourceConfig {
    SourceConfig::new(SourceKind::Stratz, api_base, Some(token))
}

pub struct StratzClient {
    api: ApiClient,
    /// `-Day: 0` was seen: nothing more is sent until the next run.
    out_of_calls: AtomicBool,
    /// This token was refused `matches(ids:)`: ask `match(id:)` this run.
    one_at_a_time: AtomicBool,
}

/// What the headers of one answer said beyond the shared rules.
#[derive(Debug, Default, Clone, Copy)]
struct Marks {
    challenge: bool,
    authenticate: bool,
}

impl StratzClient {
    /// `config.key` is the token; without one the client sends none (the
    /// CLI insists on one; only a test would leave it out).
    pub fn new(config: &SourceConfig) -> Result<StratzClient, FetchError> {
        let api = ApiClient::new(config, KeyPlacement::Bearer)?;
        api.pacer().reset(DEFAULT_RATE);
        Ok(StratzClient {
            api,
            out_of_calls: AtomicBool::new(false),
            one_at_a_time: AtomicBool::new(false),
        })
    }

    pub fn pacer(&self) -> &Pacer {
        self.api.pacer()
    }

    /// A fresh run at `rate`: what STRATZ said of its day and of this
    /// token's batches forgotten.
    pub fn reset(&self, rate: f64) {
        self.api.reset(rate);
        self.out_of_calls.store(false, Ordering::Relaxed);
        self.one_at_a_time.store(false, Ordering::Relaxed);
    }

    /// Whether this run asks one match a call (the token was refused batches).
    pub fn one_at_a_time(&self) -> bool {
        self.one_at_a_time.load(Ordering::Relaxed)
    }

    /// The page of `account_id`'s history that starts `skip` matches in.
    /// A first page with no match at all is a private or unknown profile,
    /// as `"player": null` is.
    pub async fn page_at(
        &self,
        account_id: u32,
        skip: usize,
    ) -> Result<StratzHistoryPage, FetchError> {
        let variables = json!({"steamAccountId": account_id, "take": PAGE_SIZE, "skip": skip});
        let outcome = match self
            .post("player.matches", history_query(), variables)
            .await
        {
            Ok(body) => wire::history_body(&body, account_id),
            Err(error) => Err(error),
        };
        let outcome = outcome.and_then(|page| {
            if skip == 0 && page.listed == 0 {
                Err(FetchError::StratzUnavailable {
                    reason: StratzDrop::NoProfile,
                })
            } else {
                Ok(page)
            }
        });
        self.api.clean(outcome)
    }

    /// The matches of `ids` (at most [`BATCH_SIZE`]; more is a caller's
    /// bug and only the first ones are asked): one outcome per ID, in
    /// order. `Err` is a failure of the whole call (none of them tried).
    pub async fn matches(&self, ids: &[i64]) -> Result<BatchOutcomes, FetchError> {
        let ids = &ids[..ids.len().min(BATCH_SIZE)];
        if !self.one_at_a_time() {
            let outcome = match self
                .post("matches", batch_query(), json!({"ids": ids}))
                .await
            {
                Ok(body) => wire::batch_body(&body, ids),
                Err(error) => Err(error),
            };
            match self.api.clean(outcome)? {
                BatchAnswer::Matches(outcomes) => {
                    return Ok(outcomes
                        .into_iter()
                        .map(|(id, outcome)| (id, self.api.clean(outcome)))
                        .collect());
                }
                BatchAnswer::Refused { .. } => {
                    tracing::info!(
                        "STRATZ refused matches(ids:) for this token; asking one a call"
                    );
                    self.one_at_a_time.store(true, Ordering::Relaxed);
                }
            }
        }
        let mut outcomes = Vec::with_capacity(ids.len());
        for &id in ids {
            let outcome = self.one_match(id).await;
            if outcome.as_ref().is_err_and(|error| !is_per_match(error)) {
                return outcome.map(|_| Vec::new());
            }
            outcomes.push((id, outcome));
        }
        Ok(outcomes)
    }

    /// One match by `match(id:)`.
    pub async fn one_match(&self, match_id: i64) -> Result<MatchDetails, FetchError> {
        let outcome = match self
            .post("match", match_query(), json!({"id": match_id}))
            .await
        {
            Ok(body) => wire::match_body(&body, match_id),
            Err(error) => Err(error),
        };
        self.api.clean(outcome)
    }

    /// One GraphQL call; the 2xx body, or the typed failure.
    async fn post(
        &self,
        endpoint: &str,
        query: String,
        variables: serde_json::Value,
    ) -> Result<Vec<u8>, FetchError> {
        if self.out_of_calls.load(Ordering::Relaxed) {
            return Err(FetchError::RateLimited {
                retry_after: None,
                daily: true,
            });
        }
        let body =
            serde_json::to_vec(&json!({"query": query, "variables": variables})).map_err(|_| {
                FetchError::Malformed {
                    reason: "could not build the request".into(),
                }
            })?;
        let marks = Mutex::new(Marks::default());
        let reply = self
            .api
            .post_json(
                endpoint,
                "graphql",
                body,
                BodyLimit::HistoryPage,
                &|headers| {
                    self.observe(headers);
                    if let Ok(mut marks) = marks.lock() {
                        *marks = marks_of(headers);
                    }
                },
            )
            .await;
        let marks = marks.into_inner().unwrap_or_default();
        match reply {
            Ok(reply) => reply.body_or(|status, _| FetchError::MatchApi {
                message: http::status_text(status),
            }),
            Err(FetchError::Unauthorized { status }) => Err(FetchError::StratzUnavailable {
                reason: drop_reason(status, marks),
            }),
            Err(error) => Err(error),
        }
    }

    /// Holds the pacer to the end of any window STRATZ says is spent.
    fn observe(&self, headers: &HeaderMap) {
        let remaining = |name: &str| http::remaining(headers, name);
        if remaining(REMAINING_DAY).is_some_and(|left| left <= 0) {
            self.out_of_calls.store(true, Ordering::Relaxed);
        }
        let spent = [
            (REMAINING_HOUR, 3_600),
            (REMAINING_MINUTE, 60),
            (REMAINING_SECOND, 1),
        ]
        .into_iter()
        .find(|(name, _)| remaining(name).is_some_and(|left| left <= 0));
        if let Some((_, window)) = spent {
            self.api
                .pacer()
                .hold_until(Instant::now() + until_next(window));
        }
    }
}

impl MatchSource for StratzClient {
    fn kind(&self) -> SourceKind {
        SourceKind::Stratz
    }

    fn host(&self) -> Option<String> {
        self.api.host()
    }

    fn pacer(&self) -> &Pacer {
        self.api.pacer()
    }

    fn reset(&self, rate: f64) {
        StratzClient::reset(self, rate);
    }

    /// Pages by `skip`; a full page means another may follow. Each match
    /// that came whole rides along for phase 1 to save as its details.
    async fn history_page(
        &self,
        account_id: u32,
        cursor: Option<HistoryCursor>,
    ) -> Result<HistoryPage, FetchError> {
        let skip = match cursor {
            Some(HistoryCursor::Skip(skip)) => skip,
            // Another source's cursor means nothing here: start at the top.
            _ => 0,
        };
        let page = self.page_at(account_id, skip).await?;
        Ok(HistoryPage {
            next: (page.listed >= PAGE_SIZE).then_some(HistoryCursor::Skip(skip + page.listed)),
            capped: false,
            total: page.match_count.and_then(|count| u64::try_from(count).ok()),
            entries: page.entries,
            whole: page.details,
        })
    }

    async fn match_details(&self, wanted: MatchRef) -> Result<MatchDetails, FetchError> {
        self.one_match(wanted.match_id).await
    }

    fn batch_size(&self) -> usize {
        BATCH_SIZE
    }

    async fn match_batch(&self, wanted: &[MatchRef]) -> Result<BatchOutcomes, FetchError> {
        let ids: Vec<i64> = wanted.iter().map(|m| m.match_id).collect();
        self.matches(&ids).await
    }
}

fn marks_of(headers: &HeaderMap) -> Marks {
    Marks {
        challenge: headers
            .get(CF_MITIGATED)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("challenge")),
        authenticate: headers.contains_key(reqwest::header::WWW_AUTHENTICATE),
    }
}

/// 401/403 told apart by their headers (ARCHITECTURE.md, "Sources and limits").
fn drop_reason(status: u16, marks: Marks) -> StratzDrop {
    if status == 403 && marks.challenge {
        StratzDrop::Challenge
    } else if status == 401 || marks.authenticate {
        StratzDrop::TokenRejected { status }
    } else {
        StratzDrop::Blocked { status }
    }
}

/// The match's own failure: the other matches of a batch go on.
fn is_per_match(error: &FetchError) -> bool {
    matches!(
        error,
        FetchError::MatchApi { .. } | FetchError::Malformed { .. } | FetchError::WrongMatch { .. }
    )
}

/// Time to the end of the current `window_secs` window of the UTC clock,
/// plus a little for clock skew.
fn until_next(window_secs: u64) -> Duration {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let window = window_secs * 1_000;
    let into = (now.as_millis() % u128::from(window)) as u64;
    Duration::from_millis(window - into + 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn forbidden_answers_are_told_apart() {
        let challenge = marks_of(&headers(&[("cf-mitigated", "challenge")]));
        assert_eq!(drop_reason(403, challenge), StratzDrop::Challenge);
        let bearer = marks_of(&headers(&[("www-authenticate", "Bearer")]));
        assert_eq!(
            drop_reason(403, bearer),
            StratzDrop::TokenRejected { status: 403 }
        );
        assert_eq!(
            drop_reason(401, Marks::default()),
            StratzDrop::TokenRejected { status: 401 }
        );
        assert_eq!(
            drop_reason(403, Marks::default()),
            StratzDrop::Blocked { status: 403 }
        );
    }

    #[test]
    fn documents_use_the_contract_variables() {
        assert!(history_query().contains("$steamAccountId: Long!, $take: Int!, $skip: Int!"));
        assert!(history_query().contains("matches(request: {take: $take, skip: $skip})"));
        assert!(batch_query().starts_with("query ($ids: [Long]!) { matches(ids: $ids) {"));
        assert!(match_query().contains("match(id: $id)"));
    }

    #[tokio::test]
    async fn requests_follow_the_contract_and_redirects_are_refused() {
        use crate::source::http::test_server::TestServer;
        let server = TestServer::start(|_| (302, String::new())).await;
        let token = ApiKey::new("T0KEN-secret").unwrap();
        let client = StratzClient::new(&config(Some(server.base.clone()), token)).unwrap();
        client.reset(1_000.0);
        let error = client.one_match(5).await.unwrap_err();
        assert!(
            matches!(error, FetchError::Redirected { status: 302, .. }),
            "{error:?}"
        );
        assert!(!format!("{error} {error:?}").contains("T0KEN"));
        assert_eq!(server.requests(), ["/graphql"], "one request, not followed");
        let head = server.heads().remove(0).to_ascii_lowercase();
        assert!(head.starts_with("post /graphql "), "{head}");
        assert!(
            head.contains("authorization: bearer t0ken-secret"),
            "{head}"
        );
        assert!(head.contains("content-type: application/json"), "{head}");
        assert!(head.contains("user-agent: dota-sync/"), "{head}");
    }

    #[test]
    fn windows_end_within_their_length() {
        for window in [1, 60, 3_600] {
            let wait = until_next(window);
            assert!(
                wait <= Duration::from_millis(window * 1_000 + 100),
                "{wait:?}"
            );
        }
    }
}
