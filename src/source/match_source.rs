//! The one trait every source implements, [`MatchSource`]: history pages,
//! one match or a batch of them, player names, and the pacer and gates the
//! sync drives it by.

use std::future::Future;

use super::api::SourceKind;
use super::error::FetchError;
use super::model::{HistoryCursor, HistoryPage, HistoryRow, MatchDetails, MatchRef};
use super::names;
use super::pacer;

/// Where a history read as it streams in hands its rows, a batch at a time
/// ([`MatchSource::history_page_streamed`]).
pub type RowSender = tokio::sync::mpsc::Sender<Vec<HistoryRow>>;

/// A batch call's answer: one outcome per match asked, by match ID.
pub type BatchOutcomes = Vec<(i64, Result<MatchDetails, FetchError>)>;

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
