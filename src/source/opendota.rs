//! The OpenDota API client. Its history endpoint returns a player's whole
//! history in one call, so there is no paging and no cap; it has no sequence
//! numbers. The key is optional and travels in `Authorization: Bearer`.
//!
//! The history call also asks for the player's own line of every match
//! (`project=`), each row's *summary* (ARCHITECTURE.md, "Summaries"): about
//! 1 KB a match, so the body is read as it streams in, on a thread of its
//! own, and its rows handed on in batches while the rest arrives.

use std::time::Duration;

use serde_json::Value;
use tokio::sync::mpsc;

use super::client::{ApiClient, KeyPlacement};
use super::http::{self, BodyLimit, Reply};
use super::model::SUMMARY_FIELDS;
use super::names::{self, PlayerName};
use super::pacer::Pacer;
use super::{
    FetchError, HistoryCursor, HistoryPage, MatchDetails, MatchRef, MatchSource, RowSender,
    SourceConfig, SourceKind, parse,
};

pub const DEFAULT_BASE: &str = SourceKind::OpenDota.default_base();

/// The history's fields beyond the three OpenDota always sends (`match_id`,
/// `player_slot`, `radiant_win`), one `project=` each: what a summary holds.
pub const HISTORY_FIELDS: [&str; 29] = SUMMARY_FIELDS;

/// Rows handed on at once: one transaction of phase 1 (about 1 MB).
const ROWS_PER_BATCH: usize = 1_000;

/// Chunks of the body read ahead of the reader thread.
const CHUNKS_AHEAD: usize = 16;

/// The history call's whole time, body included, in the client's timeouts
/// (30 s by default, so 3 minutes): its body is read at the pace its rows
/// are saved, and 100 MB take a while on a slow link. Every other request
/// keeps the client's timeout.
const HISTORY_TIMEOUTS: u32 = 6;

/// The history call's query: every game (without `significant=0` OpenDota
/// leaves out turbo and other "insignificant" modes) and the summary's
/// fields, one `project=` each (repeated, as OpenDota reads them).
fn history_params() -> Vec<(&'static str, String)> {
    let mut params = vec![("significant", "0".to_string())];
    params.extend(
        HISTORY_FIELDS
            .iter()
            .map(|field| ("project", field.to_string())),
    );
    params
}

pub struct OpenDotaClient {
    api: ApiClient,
    /// The history call's timeout ([`HISTORY_TIMEOUTS`]).
    history_timeout: Duration,
}

impl OpenDotaClient {
    pub fn new(config: &SourceConfig) -> Result<OpenDotaClient, FetchError> {
        Ok(OpenDotaClient {
            // The header keeps the key out of every URL (and so out of any
            // log or proxy that records URLs).
            api: ApiClient::new(config, KeyPlacement::Bearer)?.following_rate_headers(),
            history_timeout: config.timeout * HISTORY_TIMEOUTS,
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

    fn host(&self) -> Option<String> {
        self.api.host()
    }

    fn pacer(&self) -> &Pacer {
        self.api.pacer()
    }

    fn reset(&self, rate: f64) {
        self.api.reset(rate);
    }

    /// The whole history as one page of entries (the summaries dropped):
    /// for callers that do not save summaries.
    async fn history_page(
        &self,
        account_id: u32,
        cursor: Option<HistoryCursor>,
    ) -> Result<HistoryPage, FetchError> {
        let (rows, mut received) = mpsc::channel(2);
        let read = async {
            let rows = rows;
            self.history_page_streamed(account_id, cursor, &rows).await
        };
        let gather = async {
            let mut entries = Vec::new();
            while let Some(batch) = received.recv().await {
                entries.extend(batch.into_iter().map(|row: super::HistoryRow| row.entry));
            }
            entries
        };
        let (page, entries) = tokio::join!(read, gather);
        Ok(HistoryPage { entries, ..page? })
    }

    /// The whole history, its rows sent to `rows` as they are read.
    async fn history_page_streamed(
        &self,
        account_id: u32,
        cursor: Option<HistoryCursor>,
        rows: &RowSender,
    ) -> Result<HistoryPage, FetchError> {
        self.api
            .cleaned(async {
                // The first page is the whole history, so any later page is empty.
                if cursor.is_some() {
                    return Ok(HistoryPage::default());
                }
                let reply = self
                    .api
                    .get_streamed(
                        "players/matches",
                        &format!("players/{account_id}/matches"),
                        &history_params(),
                        BodyLimit::FullHistory,
                        self.history_timeout,
                    )
                    .await?;
                let mut body = match reply {
                    Reply::Body(body) => body,
                    Reply::Status { status, body } => {
                        return Err(unexpected_status(status, body));
                    }
                };
                let (chunks, mut chunks_in) =
                    mpsc::channel::<Result<Vec<u8>, FetchError>>(CHUNKS_AHEAD);
                let rows = rows.clone();
                // The reader is synchronous (serde_json over a byte stream), so it
                // gets a thread; the body is fed to it as it arrives, and the rows it
                // sends wait for the saves: a slow save slows the read, and memory
                // stays a few batches whatever the history's length.
                let reader = tokio::task::spawn_blocking(move || {
                    let mut batch = Vec::with_capacity(ROWS_PER_BATCH);
                    let body = std::iter::from_fn(|| chunks_in.blocking_recv());
                    let read = parse::opendota_history_stream(body, |row| {
                        batch.push(row);
                        if batch.len() == ROWS_PER_BATCH {
                            // A receiver gone has stopped listening: nothing to do.
                            let _ = rows.blocking_send(std::mem::take(&mut batch));
                        }
                    });
                    if !batch.is_empty() {
                        let _ = rows.blocking_send(batch);
                    }
                    read
                });
                loop {
                    let mut chunk = Vec::new();
                    let next = match body.next_into(&mut chunk).await {
                        Ok(true) => Ok(chunk),
                        Ok(false) => break,
                        Err(error) => Err(error),
                    };
                    let failed = next.is_err();
                    // The reader stops at the first thing it cannot read; then the
                    // rest of the body is not wanted.
                    if chunks.send(next).await.is_err() || failed {
                        break;
                    }
                }
                drop(chunks);
                let read = reader
                    .await
                    .unwrap_or_else(|join| std::panic::resume_unwind(join.into_panic()))?;
                // OpenDota answers `[]` for a profile it treats as private (or does
                // not know): that is not "no matches".
                if read == 0 {
                    return Err(FetchError::NoHistory);
                }
                Ok(HistoryPage {
                    entries: Vec::new(),
                    next: None,
                    capped: false,
                    total: None,
                    whole: Vec::new(),
                })
            })
            .await
    }

    async fn match_details(&self, wanted: MatchRef) -> Result<MatchDetails, FetchError> {
        self.api
            .cleaned(async {
                let body = self
                    .api
                    .get(
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
            })
            .await
    }

    /// `/players/{id}` names one account a call.
    fn names_per_call(&self) -> usize {
        1
    }

    async fn player_names(&self, accounts: &[u32]) -> Result<Vec<PlayerName>, FetchError> {
        self.api
            .cleaned(async {
                let mut found = Vec::with_capacity(accounts.len());
                for &account_id in accounts {
                    found.push(PlayerName {
                        account_id,
                        name: self.player_name(account_id).await?,
                    });
                }
                Ok(found)
            })
            .await
    }
}

/// A request one trait method makes many times; its errors are cleaned
/// where that method returns ([`ApiClient::cleaned`]).
impl OpenDotaClient {
    /// An account OpenDota does not know (or an ID it refuses) answers
    /// 404 (400) or a null profile: each is "no name".
    async fn player_name(&self, account_id: u32) -> Result<Option<String>, FetchError> {
        let reply = self
            .api
            .get(
                None,
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
        let mut expected = "/players/77/matches?significant=0".to_string();
        for field in HISTORY_FIELDS {
            expected.push_str(&format!("&project={field}"));
        }
        assert_eq!(server.requests(), [expected]);
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
