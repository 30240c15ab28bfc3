//! The OpenDota API client. Its history endpoint returns a player's whole
//! history in one call, so there is no paging and no cap; it has no sequence
//! numbers. The key is optional and travels in `Authorization: Bearer`.

use serde_json::Value;

use super::client::{ApiClient, KeyPlacement};
use super::http::{self, BodyLimit, Reply};
use super::names::{self, PlayerName};
use super::pacer::Pacer;
use super::{
    FetchError, HistoryCursor, HistoryPage, MatchDetails, MatchRef, MatchSource, SourceConfig,
    SourceKind, parse,
};

pub const DEFAULT_BASE: &str = "https://api.opendota.com/api";

pub struct OpenDotaClient {
    api: ApiClient,
}

impl OpenDotaClient {
    pub fn new(config: &SourceConfig) -> Result<OpenDotaClient, FetchError> {
        Ok(OpenDotaClient {
            // The header keeps the key out of every URL (and so out of any
            // log or proxy that records URLs).
            api: ApiClient::new(config, KeyPlacement::Bearer)?.following_rate_headers(),
        })
    }
}

/// OpenDota explains its 4xx in `{"error": "..."}`; keep that text.
fn unexpected_status(status: u16, body: Option<Value>) -> FetchError {
    let detail = body
        .as_ref()
        .and_then(|body| body.get("error"))
        .and_then(Value::as_str);
    let message = match detail {
        Some(detail) => format!("{}: {detail}", http::status_text(status)),
        None => http::status_text(status),
    };
    FetchError::MatchApi { message }
}

impl MatchSource for OpenDotaClient {
    fn kind(&self) -> SourceKind {
        SourceKind::OpenDota
    }

    fn pacer(&self) -> &Pacer {
        self.api.pacer()
    }

    fn reset(&self, rate: f64) {
        self.api.reset(rate);
    }

    async fn history_page(
        &self,
        account_id: u32,
        cursor: Option<HistoryCursor>,
    ) -> Result<HistoryPage, FetchError> {
        let outcome = self.history_page_unscrubbed(account_id, cursor).await;
        self.api.clean(outcome)
    }

    async fn match_details(&self, wanted: MatchRef) -> Result<MatchDetails, FetchError> {
        let outcome = self.match_details_unscrubbed(wanted).await;
        self.api.clean(outcome)
    }

    /// `/players/{id}` names one account a call.
    fn names_per_call(&self) -> usize {
        1
    }

    async fn player_names(&self, accounts: &[u32]) -> Result<Vec<PlayerName>, FetchError> {
        let mut found = Vec::with_capacity(accounts.len());
        for &account_id in accounts {
            let outcome = self.player_name_unscrubbed(account_id).await;
            found.push(PlayerName {
                account_id,
                name: self.api.clean(outcome)?,
            });
        }
        Ok(found)
    }
}

/// The requests behind the trait methods, whose callers scrub the key from
/// any error text the API sent back.
impl OpenDotaClient {
    async fn history_page_unscrubbed(
        &self,
        account_id: u32,
        cursor: Option<HistoryCursor>,
    ) -> Result<HistoryPage, FetchError> {
        // The first page is the whole history, so any later page is empty.
        if cursor.is_some() {
            return Ok(HistoryPage::default());
        }
        let body = self
            .api
            .get_body(
                None,
                "players/matches",
                &format!("players/{account_id}/matches"),
                // Without this, OpenDota leaves out "insignificant" games
                // (turbo, unranked event modes...).
                &[("significant", "0".to_string())],
                BodyLimit::FullHistory,
            )
            .await?
            .body_or(unexpected_status)?;
        let entries = parse::opendota_history_body(&body)?;
        // OpenDota answers `[]` for a profile it treats as private (or does
        // not know): that is not "no matches".
        if entries.is_empty() {
            return Err(FetchError::NoHistory);
        }
        Ok(HistoryPage {
            entries,
            next: None,
            capped: false,
            total: None,
            whole: Vec::new(),
        })
    }

    /// An account OpenDota does not know (or an ID it refuses) answers
    /// 404 (400) or a null profile: each is "no name".
    async fn player_name_unscrubbed(&self, account_id: u32) -> Result<Option<String>, FetchError> {
        let reply = self
            .api
            .get_json(
                "players",
                &format!("players/{account_id}"),
                &[],
                BodyLimit::Small,
            )
            .await?;
        let body = match reply {
            Reply::Status {
                status: 400 | 404, ..
            } => return Ok(None),
            reply => reply.json_or(unexpected_status)?,
        };
        let raw = names::opendota_player(body)?;
        Ok(raw.and_then(|raw| names::clean_name(self.api.clean_text(&raw))))
    }

    async fn match_details_unscrubbed(&self, wanted: MatchRef) -> Result<MatchDetails, FetchError> {
        let body = self
            .api
            .get_body(
                None,
                "matches",
                &format!("matches/{}", wanted.match_id),
                &[],
                BodyLimit::Match,
            )
            .await?
            .body_or(|status, body| match status {
                404 => FetchError::MatchApi {
                    message: "match not found".into(),
                },
                _ => unexpected_status(status, body),
            })?;
        parse::opendota_details_body(&body, wanted.match_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::ApiKey;
    use crate::source::http::test_server::TestServer;

    fn client(server: &TestServer, key: Option<&str>) -> OpenDotaClient {
        let key = key.and_then(ApiKey::new);
        let config = SourceConfig::new(SourceKind::OpenDota, Some(server.base.clone()), key);
        OpenDotaClient::new(&config).unwrap()
    }

    #[tokio::test]
    async fn whole_history_in_one_call() {
        let server = TestServer::start(|_| {
            (
                200,
                r#"[{"match_id": 3, "player_slot": 128, "hero_id": 7, "start_time": 5},
                    {"match_id": 2, "player_slot": 1, "hero_id": 8, "start_time": 4}]"#
                    .into(),
            )
        })
        .await;
        let opendota = client(&server, Some("ODKEY"));
        let page = opendota.history_page(77, None).await.unwrap();
        assert_eq!(page.entries.len(), 2);
        assert_eq!(page.entries[0].player_slot, Some(128));
        assert_eq!(page.next, None);
        assert!(!page.capped);
        assert_eq!(server.requests(), ["/players/77/matches?significant=0"]);
        let head = server.heads().pop().unwrap().to_ascii_lowercase();
        assert!(head.contains("authorization: bearer odkey"), "{head}");
        // A cursor can only come from a misuse: the history is already whole.
        let later = opendota
            .history_page(77, Some(HistoryCursor::StartAtMatchId(1)))
            .await
            .unwrap();
        assert!(later.entries.is_empty());
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn match_details_and_not_found() {
        let server = TestServer::start(|target| {
            if target == "/matches/10" {
                (
                    200,
                    r#"{"match_id": 10, "players": [{"player_slot": 0, "account_id": null}]}"#
                        .into(),
                )
            } else {
                (404, r#"{"error":"Not Found"}"#.into())
            }
        })
        .await;
        let opendota = client(&server, None);
        let wanted = |match_id| MatchRef {
            match_id,
            match_seq_num: None,
        };
        let details = opendota.match_details(wanted(10)).await.unwrap();
        assert_eq!(details.players[0].account_id, None);
        assert_eq!(
            opendota.match_details(wanted(11)).await,
            Err(FetchError::MatchApi {
                message: "match not found".into()
            })
        );
    }

    #[tokio::test]
    async fn daily_limit_is_fatal_and_minute_limit_is_not() {
        let server = TestServer::start(|target| {
            if target.contains("players") {
                (429, r#"{"error":"daily api limit exceeded"}"#.into())
            } else {
                (429, r#"{"error":"minute rate limit exceeded"}"#.into())
            }
        })
        .await;
        let opendota = client(&server, None);
        let daily = opendota.history_page(1, None).await.unwrap_err();
        assert!(daily.is_fatal(), "{daily:?}");
        let minute = opendota
            .match_details(MatchRef {
                match_id: 1,
                match_seq_num: None,
            })
            .await
            .unwrap_err();
        assert_eq!(
            minute,
            FetchError::RateLimited {
                retry_after: None,
                daily: false
            }
        );
    }

    #[tokio::test]
    async fn bad_request_keeps_opendota_reason() {
        let server = TestServer::start(|_| (400, r#"{"error":"invalid account_id"}"#.into())).await;
        let opendota = client(&server, None);
        assert_eq!(
            opendota.history_page(1, None).await,
            Err(FetchError::MatchApi {
                message: "HTTP 400 Bad Request: invalid account_id".into()
            })
        );
    }

    #[tokio::test]
    async fn player_names_one_call_each_unknown_ones_none() {
        let server = TestServer::start(|target| match target {
            "/players/5" => (
                200,
                r#"{"profile": {"account_id": 5, "personaname": "\u001b[2JFive\u202e ODKEY"}}"#
                    .into(),
            ),
            "/players/6" => (200, r#"{"profile": null}"#.into()),
            _ => (404, r#"{"error":"Not Found"}"#.into()),
        })
        .await;
        let opendota = client(&server, Some("ODKEY"));
        assert_eq!(opendota.names_per_call(), 1);
        let found = opendota.player_names(&[5, 6, 7]).await.unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|p| (p.account_id, p.name.as_deref()))
            .collect();
        assert_eq!(
            names,
            [(5, Some("[2JFive <redacted>")), (6, None), (7, None)]
        );
        assert_eq!(
            server.requests(),
            ["/players/5", "/players/6", "/players/7"]
        );
    }

    #[tokio::test]
    async fn player_names_stop_on_a_server_error() {
        let server = TestServer::start(|_| (500, "{}".into())).await;
        let opendota = client(&server, None);
        assert_eq!(
            opendota.player_names(&[5, 6]).await,
            Err(FetchError::Server { status: 500 })
        );
        assert_eq!(server.requests().len(), 1);
    }
}
