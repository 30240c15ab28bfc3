//! Serialized match bodies, built once per match. A real API's JSON costs the
//! client nothing to produce; caching keeps the in-process simulator's CPU
//! out of what benchmarks and the demo measure.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::dataset::Dataset;
use super::match_json::valve_indented;
use super::respond::Api;

/// Bodies kept at most; the cache starts over when full (a few hundred MB at worst).
const MAX_ENTRIES: usize = 20_000;

#[derive(Default)]
pub(crate) struct BodyCache {
    entries: Mutex<HashMap<(Api, i64), Arc<str>>>,
}

impl BodyCache {
    /// The match object in `api`'s shape, as JSON text.
    pub(crate) fn get(&self, dataset: &Dataset, api: Api, match_id: i64) -> Option<Arc<str>> {
        if let Some(text) = self.lock().get(&(api, match_id)) {
            return Some(Arc::clone(text));
        }
        // Valve indents its bodies; OpenDota sends them compact.
        let text: Arc<str> = match api {
            Api::Steam => Arc::from(valve_indented(&dataset.match_json(match_id)?)),
            Api::OpenDota => Arc::from(dataset.opendota_match_json(match_id)?.to_string()),
        };
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert((api, match_id), Arc::clone(&text));
        Some(text)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Api, i64), Arc<str>>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
