//! Match sources: the `MatchSource` trait, its typed errors, the Steam,
//! OpenDota and STRATZ clients and the normalized model they all produce.

pub mod choice;
pub mod client;
pub mod error;
pub mod http;
pub mod model;
pub mod names;
pub mod opendota;
pub mod pacer;
pub mod parse;
pub mod steam;
pub mod stratz;
pub mod text;
pub mod validate;
mod wire;

use std::fmt;
use std::future::Future;
use std::time::Duration;

pub use error::{FetchError, StratzDrop, TransportKind};
pub use model::{
    HistoryCursor, HistoryEntry, HistoryPage, HistoryRow, MatchDetails, MatchRef, MatchSummary,
    PlayerDetails,
};

/// Where a history read as it streams in hands its rows, a batch at a time
/// ([`MatchSource::history_page_streamed`]).
pub type RowSender = tokio::sync::mpsc::Sender<Vec<HistoryRow>>;

/// A batch call's answer: one outcome per match asked, by match ID.
pub type BatchOutcomes = Vec<(i64, Result<MatchDetails, FetchError>)>;

/// Which API a sync talks to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Steam,
    #[value(name = "opendota")]
    #[serde(rename = "opendota")]
    OpenDota,
    Stratz,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Steam => "steam",
            SourceKind::OpenDota => "opendota",
            SourceKind::Stratz => "stratz",
        }
    }

    /// The public base URL of the real API.
    pub fn default_base(self) -> &'static str {
        match self {
            SourceKind::Steam => steam::DEFAULT_BASE,
            SourceKind::OpenDota => opendota::DEFAULT_BASE,
            SourceKind::Stratz => stratz::DEFAULT_BASE,
        }
    }

    /// Requests per second that the real API tolerates (ARCHITECTURE.md, "Sources and limits").
    pub fn default_rate(self, keyed: bool) -> f64 {
        match self {
            // About 5 a second per IP; stay under it.
            SourceKind::Steam => 4.0,
            // 60 a minute without a key, 300 with one.
            SourceKind::OpenDota if keyed => 4.5,
            SourceKind::OpenDota => 1.0,
            // Its rate headers hold it back from there (ARCHITECTURE.md, "Sources and limits").
            SourceKind::Stratz => stratz::DEFAULT_RATE,
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An API key. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(value: impl Into<String>) -> Option<ApiKey> {
        let value = value.into().trim().to_string();
        (!value.is_empty()).then_some(ApiKey(value))
    }

    /// The secret itself; only the HTTP layer calls this.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Everything needed to build a client.
#[derive(Debug, Clone)]
pub struct SourceConfig {
    pub kind: SourceKind,
    /// Base URL; the simulator's address in tests and the demo.
    pub api_base: String,
    pub key: Option<ApiKey>,
    pub connect_timeout: Duration,
    /// Whole-request timeout, body included.
    pub timeout: Duration,
}

impl SourceConfig {
    pub fn new(kind: SourceKind, api_base: Option<String>, key: Option<ApiKey>) -> SourceConfig {
        let api_base = api_base.unwrap_or_else(|| kind.default_base().to_string());
        SourceConfig {
            kind,
            api_base: api_base.trim_end_matches('/').to_string(),
            key,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
        }
    }
}

/// A source of match history and match details.
pub trait MatchSource: Send + Sync {
    fn kind(&self) -> SourceKind;

    /// The host this source talks to (`api.opendota.com`, `127.0.0.1:8080`),
    /// for lines that say which API failed. `None`: not a network source.
    fn host(&self) -> Option<String> {
        None
    }

    /// Admits every request this source sends (rate limit and pause gate).
    fn pacer(&self) -> &pacer::Pacer;

    /// A fresh run at `rate` requests per second (every pacer the source
    /// has; Steam's sequence endpoint has a stricter one of its own).
    fn reset(&self, rate: f64) {
        self.pacer().reset(rate);
    }

    /// Opens or closes every gate of the source (pause, hold, stop).
    fn set_open(&self, open: bool) {
        self.pacer().set_open(open);
    }

    /// A 429: slow the pacer the limit belongs to. Returns the new rate.
    fn slow_down(&self) -> f64 {
        self.pacer().slow_down()
    }

    /// Whether this source can fetch `wanted` at all (Steam needs a
    /// sequence number once GetMatchDetails is known broken).
    fn can_serve(&self, _wanted: &MatchRef) -> bool {
        true
    }

    /// One page of `account_id`'s history, starting at `cursor` (`None`: the newest).
    fn history_page(
        &self,
        account_id: u32,
        cursor: Option<HistoryCursor>,
    ) -> impl Future<Output = Result<HistoryPage, FetchError>> + Send;

    /// [`Self::history_page`] for a page too large to hold (OpenDota's
    /// whole history, with each match's summary): its rows go to `rows` in
    /// batches as they are read, and the page returned holds only what was
    /// not sent. By default nothing is sent and the page is returned whole.
    /// A failure part-way leaves the rows already sent sent.
    fn history_page_streamed(
        &self,
        account_id: u32,
        cursor: Option<HistoryCursor>,
        rows: &RowSender,
    ) -> impl Future<Output = Result<HistoryPage, FetchError>> + Send {
        let _ = rows;
        self.history_page(account_id, cursor)
    }

    /// The details of one match.
    fn match_details(
        &self,
        wanted: MatchRef,
    ) -> impl Future<Output = Result<MatchDetails, FetchError>> + Send;

    /// Matches one [`Self::match_batch`] call asks for; 1: one a call
    /// through [`Self::match_details`].
    fn batch_size(&self) -> usize {
        1
    }

    /// The details of `wanted` (at most [`Self::batch_size`]) in one call:
    /// an outcome per match, in the order asked. `Err`: the whole call
    /// failed and none was tried.
    fn match_batch(
        &self,
        wanted: &[MatchRef],
    ) -> impl Future<Output = Result<BatchOutcomes, FetchError>> + Send {
        let wanted = wanted.to_vec();
        async move {
            let mut outcomes = Vec::with_capacity(wanted.len());
            for one in wanted {
                outcomes.push((one.match_id, self.match_details(one).await));
            }
            Ok(outcomes)
        }
    }

    /// Accounts one [`Self::player_names`] call can ask about; 0: this
    /// source serves no names (ARCHITECTURE.md, "Sources and limits").
    fn names_per_call(&self) -> usize {
        0
    }

    /// The names of `accounts` (at most [`Self::names_per_call`]): one
    /// entry per account asked, its name `None` when the API knows none.
    /// Names are sanitised, key-redacted and cut ([`names::clean_name`]).
    fn player_names(
        &self,
        accounts: &[u32],
    ) -> impl Future<Output = Result<Vec<names::PlayerName>, FetchError>> + Send {
        let _ = accounts;
        async { Ok(Vec::new()) }
    }
}

/// A source chosen at run time.
pub enum AnySource {
    Steam(steam::SteamClient),
    OpenDota(opendota::OpenDotaClient),
    Stratz(stratz::StratzClient),
}

impl AnySource {
    pub fn new(config: &SourceConfig) -> Result<AnySource, FetchError> {
        Ok(match config.kind {
            SourceKind::Steam => AnySource::Steam(steam::SteamClient::new(config)?),
            SourceKind::OpenDota => AnySource::OpenDota(opendota::OpenDotaClient::new(config)?),
            SourceKind::Stratz => AnySource::Stratz(stratz::StratzClient::new(config)?),
        })
    }
}

impl MatchSource for AnySource {
    fn kind(&self) -> SourceKind {
        match self {
            AnySource::Steam(s) => s.kind(),
            AnySource::OpenDota(s) => s.kind(),
            AnySource::Stratz(s) => s.kind(),
        }
    }

    fn host(&self) -> Option<String> {
        match self {
            AnySource::Steam(s) => s.host(),
            AnySource::OpenDota(s) => s.host(),
            AnySource::Stratz(s) => s.host(),
        }
    }

    fn pacer(&self) -> &pacer::Pacer {
        match self {
            AnySource::Steam(s) => s.pacer(),
            AnySource::OpenDota(s) => s.pacer(),
            AnySource::Stratz(s) => s.pacer(),
        }
    }

    fn reset(&self, rate: f64) {
        match self {
            AnySource::Steam(s) => s.reset(rate),
            AnySource::OpenDota(s) => s.reset(rate),
            AnySource::Stratz(s) => s.reset(rate),
        }
    }

    fn set_open(&self, open: bool) {
        match self {
            AnySource::Steam(s) => s.set_open(open),
            AnySource::OpenDota(s) => s.set_open(open),
            AnySource::Stratz(s) => s.set_open(open),
        }
    }

    fn can_serve(&self, wanted: &MatchRef) -> bool {
        match self {
            AnySource::Steam(s) => s.can_serve(wanted),
            AnySource::OpenDota(s) => s.can_serve(wanted),
            AnySource::Stratz(s) => s.can_serve(wanted),
        }
    }

    fn slow_down(&self) -> f64 {
        match self {
            AnySource::Steam(s) => s.slow_down(),
            AnySource::OpenDota(s) => s.slow_down(),
            AnySource::Stratz(s) => s.slow_down(),
        }
    }

    async fn history_page(
        &self,
        account_id: u32,
        cursor: Option<HistoryCursor>,
    ) -> Result<HistoryPage, FetchError> {
        match self {
            AnySource::Steam(s) => s.history_page(account_id, cursor).await,
            AnySource::OpenDota(s) => s.history_page(account_id, cursor).await,
            AnySource::Stratz(s) => s.history_page(account_id, cursor).await,
        }
    }

    async fn history_page_streamed(
        &self,
        account_id: u32,
        cursor: Option<HistoryCursor>,
        rows: &RowSender,
    ) -> Result<HistoryPage, FetchError> {
        match self {
            AnySource::Steam(s) => s.history_page_streamed(account_id, cursor, rows).await,
            AnySource::OpenDota(s) => s.history_page_streamed(account_id, cursor, rows).await,
            AnySource::Stratz(s) => s.history_page_streamed(account_id, cursor, rows).await,
        }
    }

    async fn match_details(&self, wanted: MatchRef) -> Result<MatchDetails, FetchError> {
        match self {
            AnySource::Steam(s) => s.match_details(wanted).await,
            AnySource::OpenDota(s) => s.match_details(wanted).await,
            AnySource::Stratz(s) => s.match_details(wanted).await,
        }
    }

    fn batch_size(&self) -> usize {
        match self {
            AnySource::Steam(s) => s.batch_size(),
            AnySource::OpenDota(s) => s.batch_size(),
            AnySource::Stratz(s) => s.batch_size(),
        }
    }

    async fn match_batch(&self, wanted: &[MatchRef]) -> Result<BatchOutcomes, FetchError> {
        match self {
            AnySource::Steam(s) => s.match_batch(wanted).await,
            AnySource::OpenDota(s) => s.match_batch(wanted).await,
            AnySource::Stratz(s) => s.match_batch(wanted).await,
        }
    }

    fn names_per_call(&self) -> usize {
        match self {
            AnySource::Steam(s) => s.names_per_call(),
            AnySource::OpenDota(s) => s.names_per_call(),
            AnySource::Stratz(s) => s.names_per_call(),
        }
    }

    async fn player_names(&self, accounts: &[u32]) -> Result<Vec<names::PlayerName>, FetchError> {
        match self {
            AnySource::Steam(s) => s.player_names(accounts).await,
            AnySource::OpenDota(s) => s.player_names(accounts).await,
            AnySource::Stratz(s) => s.player_names(accounts).await,
        }
    }
}
