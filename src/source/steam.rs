//! The Steam Web API client (`IDOTA2Match_570`, `ISteamUser`).
//!
//! Match details come from `GetMatchDetails` while it works. It has answered
//! HTTP 500 for every match since May 2024, so the client probes it once and,
//! when the probe meets a server error, switches for good to
//! `GetMatchHistoryBySequenceNum`, which returns the same match object when
//! asked for one match at that match's sequence number.

use std::sync::atomic::{AtomicU8, Ordering};

use serde_json::Value;

use super::client::{ApiClient, KeyPlacement};
use super::http::{self, BodyLimit};
use super::names::{self, PlayerName};
use super::pacer::Pacer;
use super::{
    FetchError, HistoryCursor, HistoryPage, MatchDetails, MatchRef, MatchSource, SourceConfig,
    SourceKind, parse,
};

pub const DEFAULT_BASE: &str = SourceKind::Steam.default_base();

/// Matches per `GetMatchHistory` page: the most Steam returns.
const HISTORY_PAGE_SIZE: &str = "100";

/// What the client knows about `GetMatchDetails`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailsProbe {
    /// Not asked yet (or every attempt failed before reaching the API).
    Unknown,
    /// It answered: keep using it.
    Works,
    /// It answered with a server error: use the sequence endpoint.
    Broken,
}

impl DetailsProbe {
    fn to_u8(self) -> u8 {
        match self {
            DetailsProbe::Unknown => 0,
            DetailsProbe::Works => 1,
            DetailsProbe::Broken => 2,
        }
    }

    fn from_u8(value: u8) -> DetailsProbe {
        match value {
            1 => DetailsProbe::Works,
            2 => DetailsProbe::Broken,
            _ => DetailsProbe::Unknown,
        }
    }
}

pub struct SteamClient {
    api: ApiClient,
    /// A [`DetailsProbe`], shared by the concurrent fetches of one run.
    details_probe: AtomicU8,
    /// Held while GetMatchDetails is being probed, so concurrent fetches
    /// wait for one verdict instead of each spending a request on it.
    probe_lock: tokio::sync::Mutex<()>,
    /// `GetMatchHistoryBySequenceNum` wants far fewer calls than the rest
    /// of Steam (about one per 5 s on the real API): its own pacer, which
    /// also slows by itself on its 429s.
    sequence_pacer: Pacer,
    /// Talking to the real Steam (not a simulator): its known limits apply.
    real_api: bool,
    /// The latest 429 came from the sequence endpoint.
    sequence_limited: std::sync::atomic::AtomicBool,
}

/// The real sequence endpoint's pace, requests per second.
const REAL_SEQUENCE_RATE: f64 = 0.2;

impl SteamClient {
    pub fn new(config: &SourceConfig) -> Result<SteamClient, FetchError> {
        Ok(SteamClient {
            api: ApiClient::new(config, KeyPlacement::Query("key"))?,
            details_probe: AtomicU8::new(DetailsProbe::Unknown.to_u8()),
            probe_lock: tokio::sync::Mutex::new(()),
            sequence_pacer: Pacer::new(f64::INFINITY),
            real_api: config.api_base == DEFAULT_BASE,
            sequence_limited: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Which details endpoint the client has settled on.
    pub fn details_probe(&self) -> DetailsProbe {
        DetailsProbe::from_u8(self.details_probe.load(Ordering::Acquire))
    }

    /// The account ID behind a `steamcommunity.com/id/<name>` URL; `None` when
    /// no profile has that name.
    pub async fn resolve_vanity(&self, name: &str) -> Result<Option<u32>, FetchError> {
        let outcome = async {
            let body = self
                .api
                .get(
                    None,
                    "ResolveVanityURL",
                    "ISteamUser/ResolveVanityURL/v1",
                    &[("vanityurl", name.to_string())],
                    BodyLimit::Small,
                )
                .await?
                .json_or(unexpected_status)?;
            parse::steam_vanity_reply(&body)
        };
        self.api.cleaned(outcome).await
    }

    async fn details_by_id(&self, match_id: i64) -> Result<MatchDetails, FetchError> {
        let body = self
            .api
            .get(
                None,
                "GetMatchDetails",
                "IDOTA2Match_570/GetMatchDetails/v1",
                &[("match_id", match_id.to_string())],
                BodyLimit::Match,
            )
            .await?
            .body_or(unexpected_status)?;
        parse::steam_details_body(&body, match_id)
    }

    async fn details_by_seq(&self, wanted: MatchRef, seq: i64) -> Result<MatchDetails, FetchError> {
        let reply = self
            .api
            .get(
                Some(&self.sequence_pacer),
                "GetMatchHistoryBySequenceNum",
                "IDOTA2Match_570/GetMatchHistoryBySequenceNum/v1",
                &[
                    ("start_at_match_seq_num", seq.to_string()),
                    ("matches_requested", "1".to_string()),
                ],
                BodyLimit::Match,
            )
            .await;
        // A 429 here is the sequence endpoint's own, stricter limit: only
        // its pacer should slow down.
        self.sequence_limited.store(
            matches!(reply, Err(FetchError::RateLimited { .. })),
            Ordering::Relaxed,
        );
        let body = reply?.body_or(unexpected_status)?;
        parse::steam_sequence_body(&body, wanted.match_id)
    }

    /// Records what a `GetMatchDetails` call revealed about the endpoint, but
    /// only the first verdict: a later answer never flips it back and forth.
    fn record_probe(&self, outcome: &Result<MatchDetails, FetchError>) {
        let verdict = match outcome {
            Err(FetchError::Server { .. }) => DetailsProbe::Broken,
            // The endpoint answered about this match, well or not.
            Ok(_)
            | Err(FetchError::MatchApi { .. })
            | Err(FetchError::WrongMatch { .. })
            | Err(FetchError::Malformed { .. }) => DetailsProbe::Works,
            // Nothing learned about the endpoint itself: probe again next time.
            Err(_) => return,
        };
        let settled = self.details_probe.compare_exchange(
            DetailsProbe::Unknown.to_u8(),
            verdict.to_u8(),
            Ordering::AcqRel,
            Ordering::Acquire,
        );
        if settled.is_ok() {
            tracing::info!(?verdict, "GetMatchDetails probed");
        }
    }
}

/// Steam's error pages are HTML; the status is all there is to say.
/// A 404 is about the match or the endpoint asked for.
fn unexpected_status(status: u16, _body: Option<Value>) -> FetchError {
    FetchError::MatchApi {
        message: http::status_text(status),
    }
}

impl MatchSource for SteamClient {
    fn kind(&self) -> SourceKind {
        SourceKind::Steam
    }

    fn host(&self) -> Option<String> {
        self.api.host()
    }

    fn pacer(&self) -> &Pacer {
        self.api.pacer()
    }

    fn reset(&self, rate: f64) {
        self.api.reset(rate);
        let sequence_rate = if self.real_api {
            rate.min(REAL_SEQUENCE_RATE)
        } else {
            rate
        };
        self.sequence_pacer.reset(sequence_rate);
    }

    fn set_open(&self, open: bool) {
        self.api.pacer().set_open(open);
        self.sequence_pacer.set_open(open);
    }

    fn can_serve(&self, wanted: &MatchRef) -> bool {
        wanted.match_seq_num.is_some() || self.details_probe() != DetailsProbe::Broken
    }

    fn slow_down(&self) -> f64 {
        if self.sequence_limited.load(Ordering::Relaxed) {
            self.sequence_pacer.slow_down()
        } else {
            self.api.pacer().slow_down()
        }
    }

    async fn history_page(
        &self,
        account_id: u32,
        cursor: Option<HistoryCursor>,
    ) -> Result<HistoryPage, FetchError> {
        self.api
            .cleaned(async {
                let mut params = vec![
                    ("account_id", account_id.to_string()),
                    ("matches_requested", HISTORY_PAGE_SIZE.to_string()),
                ];
                if let Some(HistoryCursor::StartAtMatchId(start)) = cursor {
                    params.push(("start_at_match_id", start.to_string()));
                }
                let body = self
                    .api
                    .get(
                        None,
                        "GetMatchHistory",
                        "IDOTA2Match_570/GetMatchHistory/v1",
                        &params,
                        BodyLimit::HistoryPage,
                    )
                    .await?
                    .json_or(unexpected_status)?;
                parse::steam_history_page(&body, account_id)
            })
            .await
    }

    async fn match_details(&self, wanted: MatchRef) -> Result<MatchDetails, FetchError> {
        self.api
            .cleaned(async {
                // Whoever finds the endpoint unprobed probes it; the others wait here
                // and then use the verdict. The guard lives until this fetch ends.
                let mut _probing = None;
                if self.details_probe() == DetailsProbe::Unknown {
                    let guard = self.probe_lock.lock().await;
                    if self.details_probe() == DetailsProbe::Unknown {
                        _probing = Some(guard);
                    }
                }
                match (self.details_probe(), wanted.match_seq_num) {
                    (DetailsProbe::Broken, Some(seq)) => self.details_by_seq(wanted, seq).await,
                    // Without a sequence number the ID endpoint is the only way.
                    (DetailsProbe::Broken, None) | (DetailsProbe::Works, _) => {
                        self.details_by_id(wanted.match_id).await
                    }
                    (DetailsProbe::Unknown, seq) => {
                        let outcome = self.details_by_id(wanted.match_id).await;
                        self.record_probe(&outcome);
                        match (outcome, seq) {
                            // The probe failed on a server error: this match need not
                            // wait for a retry to try the working endpoint.
                            (Err(FetchError::Server { .. }), Some(seq))
                                if self.details_probe() == DetailsProbe::Broken =>
                            {
                                self.details_by_seq(wanted, seq).await
                            }
                            (outcome, _) => outcome,
                        }
                    }
                }
            })
            .await
    }

    /// GetPlayerSummaries needs a key: without one, no names from Steam.
    fn names_per_call(&self) -> usize {
        if self.api.has_key() {
            names::STEAM_NAMES_PER_CALL
        } else {
            0
        }
    }

    async fn player_names(&self, accounts: &[u32]) -> Result<Vec<PlayerName>, FetchError> {
        self.api
            .cleaned(async {
                let accounts = &accounts[..accounts.len().min(names::STEAM_NAMES_PER_CALL)];
                let steam_ids = accounts
                    .iter()
                    .map(|id| crate::steam_id::steam_id64_from_account_id(*id).to_string())
                    .collect::<Vec<_>>()
                    .join(",");
                let body = self
                    .api
                    .get(
                        None,
                        "GetPlayerSummaries",
                        "ISteamUser/GetPlayerSummaries/v2",
                        &[("steamids", steam_ids)],
                        BodyLimit::Small,
                    )
                    .await?
                    .json_or(unexpected_status)?;
                let found = names::steam_summaries(body, accounts)?;
                Ok(accounts
                    .iter()
                    .map(|&account_id| PlayerName {
                        account_id,
                        name: found
                            .iter()
                            .find(|(id, _)| *id == account_id)
                            .and_then(|(_, raw)| names::clean_name(self.api.clean_text(raw))),
                    })
                    .collect())
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::ApiKey;
    use crate::source::http::test_server::TestServer;
    use serde_json::json;

    const KEY: &str = "TESTKEY";

    fn match_body(match_id: i64) -> Value {
        json!({"match_id": match_id, "match_seq_num": match_id * 10, "radiant_win": true,
               "players": [{"account_id": 5, "player_slot": 0, "hero_id": 1}]})
    }

    fn client(server: &TestServer, key: Option<&str>) -> SteamClient {
        let key = key.and_then(ApiKey::new);
        SteamClient::new(&SourceConfig::new(
            SourceKind::Steam,
            Some(server.base.clone()),
            key,
        ))
        .unwrap()
    }

    fn wanted(match_id: i64, seq: Option<i64>) -> MatchRef {
        MatchRef {
            match_id,
            match_seq_num: seq,
        }
    }

    /// A Steam whose GetMatchDetails 500s, like the real one since 2024.
    async fn steam_with_broken_details() -> TestServer {
        TestServer::start(|target| {
            if target.contains("GetMatchDetails") {
                (500, "{}".into())
            } else if let Some(seq) = query_value(target, "start_at_match_seq_num") {
                let id = seq / 10;
                let body = json!({"result": {"status": 1, "matches": [match_body(id)]}});
                (200, body.to_string())
            } else {
                (404, "<html>Not Found</html>".into())
            }
        })
        .await
    }

    fn query_value(target: &str, name: &str) -> Option<i64> {
        let query = target.split_once('?')?.1;
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .and_then(|value| value.parse().ok())
    }

    fn count(server: &TestServer, endpoint: &str) -> usize {
        server
            .requests()
            .iter()
            .filter(|target| target.contains(endpoint))
            .count()
    }

    #[tokio::test]
    async fn broken_details_probe_switches_to_sequence_endpoint() {
        let server = steam_with_broken_details().await;
        let steam = client(&server, Some(KEY));
        assert_eq!(steam.details_probe(), DetailsProbe::Unknown);

        let first = steam.match_details(wanted(700, Some(7000))).await.unwrap();
        assert_eq!(first.match_id, 700);
        assert_eq!(steam.details_probe(), DetailsProbe::Broken);

        let second = steam.match_details(wanted(800, Some(8000))).await.unwrap();
        assert_eq!(second.match_id, 800);
        assert_eq!(count(&server, "GetMatchDetails"), 1, "probed once");
        assert_eq!(count(&server, "GetMatchHistoryBySequenceNum"), 2);
        let seq_request = server.requests().pop().unwrap();
        assert!(seq_request.contains("matches_requested=1"), "{seq_request}");
        assert!(seq_request.contains("key=TESTKEY"), "{seq_request}");
    }

    #[tokio::test]
    async fn broken_details_without_seq_num_still_asks_by_id() {
        let server = steam_with_broken_details().await;
        let steam = client(&server, Some(KEY));
        steam.match_details(wanted(700, Some(7000))).await.unwrap();
        let outcome = steam.match_details(wanted(900, None)).await;
        assert_eq!(outcome, Err(FetchError::Server { status: 500 }));
        assert_eq!(count(&server, "GetMatchDetails"), 2);
    }

    #[tokio::test]
    async fn working_details_endpoint_is_kept() {
        let server = TestServer::start(|target| {
            if target.contains("GetMatchDetails") {
                let id = query_value(target, "match_id").unwrap_or_default();
                (200, json!({"result": match_body(id)}).to_string())
            } else {
                (500, "{}".into())
            }
        })
        .await;
        let steam = client(&server, Some(KEY));
        for id in [1, 2, 3] {
            let details = steam
                .match_details(wanted(id, Some(id * 10)))
                .await
                .unwrap();
            assert_eq!(details.match_id, id);
        }
        assert_eq!(steam.details_probe(), DetailsProbe::Works);
        assert_eq!(count(&server, "GetMatchHistoryBySequenceNum"), 0);
    }

    #[tokio::test]
    async fn sequence_endpoint_returning_another_match_is_wrong_match() {
        let server = TestServer::start(|target| {
            if target.contains("GetMatchDetails") {
                (500, "{}".into())
            } else {
                let body = json!({"result": {"status": 1, "matches": [match_body(999)]}});
                (200, body.to_string())
            }
        })
        .await;
        let steam = client(&server, Some(KEY));
        assert_eq!(
            steam.match_details(wanted(700, Some(7000))).await,
            Err(FetchError::WrongMatch {
                asked: 700,
                got: 999
            })
        );
    }

    #[tokio::test]
    async fn transport_failure_leaves_the_probe_open() {
        // A 429 says nothing about whether the endpoint works.
        let server = TestServer::start(|_| (429, "{}".into())).await;
        let steam = client(&server, Some(KEY));
        let outcome = steam.match_details(wanted(1, Some(10))).await;
        assert!(matches!(outcome, Err(FetchError::RateLimited { .. })));
        assert_eq!(steam.details_probe(), DetailsProbe::Unknown);
    }

    #[tokio::test]
    async fn history_page_request_and_cursor() {
        let server = TestServer::start(|_| {
            let body = json!({"result": {"status": 1, "total_results": 300,
                "results_remaining": 200, "matches": [
                {"match_id": 50, "match_seq_num": 500, "players": [{"account_id": 9, "player_slot": 131, "hero_id": 3}]},
                {"match_id": 40, "match_seq_num": 400, "players": []}
            ]}});
            (200, body.to_string())
        })
        .await;
        let steam = client(&server, Some(KEY));
        let page = steam
            .history_page(9, Some(HistoryCursor::StartAtMatchId(60)))
            .await
            .unwrap();
        assert_eq!(page.entries.len(), 2);
        assert_eq!(page.entries[0].player_slot, Some(131));
        assert_eq!(page.next, Some(HistoryCursor::StartAtMatchId(39)));
        let target = server.requests().pop().unwrap();
        assert!(
            target.starts_with("/IDOTA2Match_570/GetMatchHistory/v1?key=TESTKEY&"),
            "{target}"
        );
        for part in [
            "account_id=9",
            "matches_requested=100",
            "start_at_match_id=60",
        ] {
            assert!(target.contains(part), "{part} missing from {target}");
        }
    }

    #[tokio::test]
    async fn private_profile() {
        let server = TestServer::start(|_| {
            (
                200,
                r#"{"result":{"status":15,"statusDetail":"private"}}"#.into(),
            )
        })
        .await;
        let steam = client(&server, None);
        assert_eq!(
            steam.history_page(9, None).await,
            Err(FetchError::PrivateProfile)
        );
        let target = server.requests().pop().unwrap();
        assert!(!target.contains("key="), "no key configured: {target}");
        let head = server.heads().pop().unwrap().to_ascii_lowercase();
        let agent = format!("user-agent: dota-sync/{}", env!("CARGO_PKG_VERSION"));
        assert!(head.contains(&agent), "{head}");
        assert!(head.contains("accept-encoding: gzip"), "{head}");
    }

    #[tokio::test]
    async fn not_found_is_a_match_error() {
        let server = TestServer::start(|_| (404, "<html>Not Found</html>".into())).await;
        let steam = client(&server, Some(KEY));
        assert_eq!(
            steam.history_page(9, None).await,
            Err(FetchError::MatchApi {
                message: "HTTP 404 Not Found".into()
            })
        );
    }

    #[tokio::test]
    async fn resolves_vanity_names() {
        let server = TestServer::start(|target| {
            if target.contains("vanityurl=known") {
                (
                    200,
                    r#"{"response":{"steamid":"76561197960361544","success":1}}"#.into(),
                )
            } else {
                (
                    200,
                    r#"{"response":{"success":42,"message":"No match"}}"#.into(),
                )
            }
        })
        .await;
        let steam = client(&server, Some(KEY));
        assert_eq!(steam.resolve_vanity("known").await, Ok(Some(95_816)));
        assert_eq!(steam.resolve_vanity("nobody").await, Ok(None));
        let target = server.requests()[0].clone();
        assert!(
            target.starts_with("/ISteamUser/ResolveVanityURL/v1?key=TESTKEY&vanityurl=known"),
            "{target}"
        );
    }

    #[tokio::test]
    async fn player_summaries_ask_for_steam_ids_and_name_every_account() {
        let server = TestServer::start(|_| {
            let body = json!({"response": {"players": [
                {"steamid": "76561197960265733", "personaname": "Five\u{1b}]0;x\u{7} TESTKEY"},
                {"steamid": "76561197960265734", "personaname": ""}
            ]}});
            (200, body.to_string())
        })
        .await;
        let steam = client(&server, Some(KEY));
        assert_eq!(steam.names_per_call(), 100);
        let found = steam.player_names(&[5, 6, 7]).await.unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|p| (p.account_id, p.name.as_deref()))
            .collect();
        assert_eq!(
            names,
            [(5, Some("Five]0;x <redacted>")), (6, None), (7, None)]
        );
        let target = server.requests().pop().unwrap();
        assert!(
            target.starts_with("/ISteamUser/GetPlayerSummaries/v2?key=TESTKEY&steamids="),
            "{target}"
        );
        assert!(
            target.ends_with("76561197960265733%2C76561197960265734%2C76561197960265735"),
            "{target}"
        );
        // Without a key Steam serves no names.
        assert_eq!(client(&server, None).names_per_call(), 0);
    }
}
