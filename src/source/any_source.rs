//! [`AnySource`]: a source chosen at run time (`--source`), one enum over
//! the three clients, each call passed to the client it holds.

use super::api::{SourceConfig, SourceKind};
use super::error::FetchError;
use super::match_source::{BatchOutcomes, MatchSource, RowSender};
use super::model::{HistoryCursor, HistoryPage, MatchDetails, MatchRef};
use super::{names, opendota, pacer, steam, stratz};

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
