//! Slow queries off the UI task. The counts and the errors and teammates
//! lists read every match of the account (tens of milliseconds at 100k
//! matches, more on a cold cache); run inline they would freeze the screen
//! each time a sync refreshes them. A worker thread with its own read-only
//! connection answers them instead, and the UI draws whatever it has.

use std::path::Path;
use std::sync::mpsc as std_mpsc;
use std::thread;

use tokio::sync::mpsc;

use crate::store::{Counts, ErrorRow, Store, StoreError, TeammateRow};
use crate::tui::format::sanitize;

/// What the worker can be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlowQuery {
    Counts,
    Errors,
    Teammates,
}

/// What it answers.
#[derive(Debug, Clone, PartialEq)]
pub enum SlowResult {
    Counts(Counts),
    Errors(Vec<ErrorRow>),
    Teammates(Vec<TeammateRow>),
    /// One line, safe to show.
    Failed(String),
}

/// The UI's handle on the worker; dropping it ends the thread.
pub struct Loader {
    requests: std_mpsc::Sender<SlowQuery>,
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
        Ok((Loader { requests }, results))
    }

    pub fn request(&self, query: SlowQuery) {
        // The worker only stops when this handle is dropped.
        let _ = self.requests.send(query);
    }
}

fn serve(
    store: Store,
    account_id: u32,
    list_limit: usize,
    inbox: std_mpsc::Receiver<SlowQuery>,
    answers: mpsc::UnboundedSender<SlowResult>,
) {
    while let Ok(first) = inbox.recv() {
        // Requests that piled up while the last query ran are answered once.
        let mut pending = vec![first];
        for query in inbox.try_iter() {
            if !pending.contains(&query) {
                pending.push(query);
            }
        }
        for query in pending {
            let answer = run_query(&store, account_id, list_limit, query)
                .unwrap_or_else(|e| SlowResult::Failed(sanitize(&e.to_string())));
            if answers.send(answer).is_err() {
                return;
            }
        }
    }
}

fn run_query(
    store: &Store,
    account_id: u32,
    list_limit: usize,
    query: SlowQuery,
) -> Result<SlowResult, StoreError> {
    Ok(match query {
        SlowQuery::Counts => SlowResult::Counts(store.counts(Some(account_id))?),
        SlowQuery::Errors => SlowResult::Errors(store.errors(account_id, list_limit)?),
        SlowQuery::Teammates => SlowResult::Teammates(store.teammates(account_id, list_limit)?),
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

        let (loader, mut results) = Loader::spawn(&path, 9, 100).unwrap();
        loader.request(SlowQuery::Counts);
        loader.request(SlowQuery::Errors);
        loader.request(SlowQuery::Teammates);
        let mut answers = Vec::new();
        for _ in 0..3 {
            answers.push(results.recv().await.unwrap());
        }
        assert!(answers.iter().any(|a| matches!(a,
            SlowResult::Counts(c) if c.matches == 5 && c.stubs == 4 && c.failed == 1)));
        assert!(answers.iter().any(|a| matches!(a,
            SlowResult::Errors(rows) if rows.len() == 1 && rows[0].match_id == 3)));
        assert!(answers.contains(&SlowResult::Teammates(Vec::new())));
        drop(loader);
        assert_eq!(
            results.recv().await,
            None,
            "the worker ends with its handle"
        );
    }
}
