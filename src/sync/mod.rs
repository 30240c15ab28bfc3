//! The two-phase sync engine: phase 1 collects match IDs as stubs, phase 2
//! fetches details under the rate limit, with retries by rule and a circuit
//! breaker. It reports through a `watch` (progress) and an `mpsc` (events)
//! and never touches the terminal.

pub mod progress;

pub use progress::{
    CollectProgress, FetchProgress, Progress, SourceProgress, SourceState, SyncCommand, SyncEvent,
    SyncState,
};

pub mod breaker;
mod collect;
pub mod controller;
mod dispatch;
pub mod engine;
mod fetch;
mod follow;
mod names;
pub mod options;
mod outcome;
pub(crate) mod run;
mod throughput;
mod whole;
mod writer;

pub use engine::run;
pub use options::{Channels, SyncMode, SyncOptions, Urgent};
pub use outcome::{RunOutcome, SourceSummary, Summary, api_down_message, sources_label};
pub use run::{SharedStore, SyncError};
