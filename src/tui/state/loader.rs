//! Slow queries off the UI task: the one path by which the UI gets data that
//! reads every match of the account (counts, statistics, the short lists:
//! tens to hundreds of milliseconds at 100k matches). A worker thread with its
//! own read-only connection answers them; the UI draws whatever it has.
//! Tests and benches use the same worker and wait for its answers
//! (`App::settle`), so what they check is what users run.

use std::path::Path;
use std::sync::mpsc as std_mpsc;
use std::thread;

use tokio::sync::mpsc;

use crate::store::stats::{
    HeroMatchup, HeroStats, Overview, PeerStats, RecordRow, Statistics, StatsCache, WhenStats, Zone,
};
use crate::store::{Counts, ErrorRow, MatchFilter, Store, StoreError};
use crate::tui::format::sanitize;

/// What the worker can be asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlowQuery {
    Counts,
    Errors,
    Overview { filter: MatchFilter, now: i64 },
    Heroes(MatchFilter),
    Teammates(MatchFilter),
    Records(MatchFilter),
    When { filter: MatchFilter, zone: Zone },
    HeroMatchups(MatchFilter),
}

/// Which answer a query gets: a newer query of the same kind replaces an
/// older one still waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryKind {
    Counts,
    Errors,
    Overview,
    Heroes,
    Teammates,
    Records,
    When,
    HeroMatchups,
}

impl SlowQuery {
    pub fn kind(&self) -> QueryKind {
        match self {
            SlowQuery::Counts => QueryKind::Counts,
            SlowQuery::Errors => QueryKind::Errors,
            SlowQuery::Overview { .. } => QueryKind::Overview,
            SlowQuery::Heroes(_) => QueryKind::Heroes,
            SlowQuery::Teammates(_) => QueryKind::Teammates,
            SlowQuery::Records(_) => QueryKind::Records,
            SlowQuery::When { .. } => QueryKind::When,
            SlowQuery::HeroMatchups(_) => QueryKind::HeroMatchups,
        }
    }
}

/// What it answers.
#[derive(Debug, Clone, PartialEq)]
pub enum SlowAnswer {
    Counts(Counts),
    Errors(Vec<ErrorRow>),
    Overview(Box<Overview>),
    Heroes(Vec<HeroStats>),
    Teammates(Vec<PeerStats>),
    Records(Vec<RecordRow>),
    When(Box<WhenStats>),
    HeroMatchups(Vec<HeroMatchup>),
    /// One line, safe to show.
    Failed(String),
}

/// An answer and the request it answers.
#[derive(Debug, Clone, PartialEq)]
pub struct SlowResult {
    pub kind: QueryKind,
    /// The request's number (`Loader::request` returned it).
    pub seq: u64,
    pub answer: SlowAnswer,
}

/// The UI's handle on the worker; dropping it ends the thread.
pub struct Loader {
    requests: std_mpsc::Sender<(u64, SlowQuery)>,
    next_seq: u64,
}

impl Loader {
    /// Starts the worker on its own connection; answers arrive on the
    /// returned receiver (the event loop selects on it).
    pub fn spawn(
        db_path: &Path,
        account_id: u32,
        list_limit: usize,
    ) -> Result<(Loader, mpsc::UnboundedReceiver<SlowResult>), StoreError> {
        let store = Store::open_read_only(db_path)?;
        let (requests, inbox) = std_mpsc::channel();
        let (answers, results) = mpsc::unbounded_channel();
        thread::Builder::new()
            .name("tui-loader".into())
            .spawn(move || serve(store, account_id, list_limit, inbox, answers))
            .map_err(|source| StoreError::Io {
                path: db_path.to_path_buf(),
                source,
            })?;
        Ok((
            Loader {
                requests,
                next_seq: 0,
            },
            results,
        ))
    }

    /// Queues `query`; returns its number, which its answer carries.
    pub fn request(&mut self, query: SlowQuery) -> u64 {
        self.next_seq += 1;
        // The worker only stops when this handle is dropped.
        let _ = self.requests.send((self.next_seq, query));
        self.next_seq
    }
}

fn serve(
    store: Store,
    account_id: u32,
    list_limit: usize,
    inbox: std_mpsc::Receiver<(u64, SlowQuery)>,
    answers: mpsc::UnboundedSender<SlowResult>,
) {
    // Kept for the thread's life: switching back to a tab reuses its answer.
    let cache = StatsCache::default();
    let stats = Statistics::new(&store, &cache);
    while let Ok(first) = inbox.recv() {
        // Requests that piled up while the last query ran: only the newest
        // of each kind is answered (a newer filter replaces an older one).
        let mut pending: Vec<(u64, SlowQuery)> = vec![first];
        for (seq, query) in inbox.try_iter() {
            pending.retain(|(_, q)| q.kind() != query.kind());
            pending.push((seq, query));
        }
        for (seq, query) in pending {
            let kind = query.kind();
            let answer = run_query(&store, &stats, account_id, list_limit, query)
                .unwrap_or_else(|e| SlowAnswer::Failed(sanitize(&e.to_string())));
            if answers.send(SlowResult { kind, seq, answer }).is_err() {
                return;
            }
        }
    }
}

fn run_query(
    store: &Store,
    stats: &Statistics<'_>,
    account_id: u32,
    list_limit: usize,
    query: SlowQuery,
) -> Result<SlowAnswer, StoreError> {
    Ok(match query {
        SlowQuery::Counts => SlowAnswer::Counts(store.counts(Some(account_id))?),
        SlowQuery::Errors => SlowAnswer::Errors(store.errors(account_id, list_limit)?),
        SlowQuery::Overview { filter, now } => {
            SlowAnswer::Overview(Box::new(stats.overview(account_id, &filter, now)?))
        }
        SlowQuery::Heroes(filter) => SlowAnswer::Heroes(stats.hero_stats(account_id, &filter)?),
        SlowQuery::Teammates(filter) => {
            SlowAnswer::Teammates(stats.peer_stats(account_id, &filter, list_limit)?)
        }
        SlowQuery::Records(filter) => SlowAnswer::Records(stats.records(account_id, &filter)?),
        SlowQuery::HeroMatchups(filter) => {
            SlowAnswer::HeroMatchups(stats.hero_matchups(account_id, &filter, list_limit)?)
        }
        SlowQuery::When { filter, zone } => {
            SlowAnswer::When(Box::new(stats.when_stats(account_id, &filter, zone)?))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::HistoryEntry;

    #[tokio::test]
    async fn answers_each_query_from_its_own_connection() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        let mut store = Store::open(&path).unwrap();
        let entries: Vec<HistoryEntry> = (1..=5)
            .map(|i| HistoryEntry {
                match_id: i,
                match_seq_num: None,
                start_time: Some(i),
                lobby_type: None,
                player_slot: Some(0),
                hero_id: Some(1),
            })
            .collect();
        store.save_stubs(9, &entries).unwrap();
        store.record_failure(3, "boom").unwrap();

        let (mut loader, mut results) = Loader::spawn(&path, 9, 100).unwrap();
        loader.request(SlowQuery::Counts);
        loader.request(SlowQuery::Errors);
        let last = loader.request(SlowQuery::Teammates(MatchFilter::default()));
        let mut answers = Vec::new();
        for _ in 0..3 {
            answers.push(results.recv().await.unwrap());
        }
        assert!(answers.iter().any(|a| matches!(&a.answer,
            SlowAnswer::Counts(c) if c.matches == 5 && c.stubs == 4 && c.failed == 1)));
        assert!(answers.iter().any(|a| matches!(&a.answer,
            SlowAnswer::Errors(rows) if rows.len() == 1 && rows[0].match_id == 3)));
        assert!(answers.iter().any(|a| a.seq == last
            && a.kind == QueryKind::Teammates
            && a.answer == SlowAnswer::Teammates(Vec::new())));
        drop(loader);
        assert_eq!(
            results.recv().await,
            None,
            "the worker ends with its handle"
        );
    }
}
