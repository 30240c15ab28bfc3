//! Match sources: the `MatchSource` trait, its typed errors, the Steam,
//! OpenDota and STRATZ clients and the normalized model they all produce.
//! This file only declares the modules and names what they export; nothing
//! below it imports from here but through those names.

mod any_source;
mod api;
pub mod choice;
pub mod client;
pub mod error;
pub mod http;
mod match_source;
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

pub use any_source::AnySource;
pub use api::{ApiKey, SourceConfig, SourceKind};
pub use error::{FetchError, StratzDrop, TransportKind};
pub use match_source::{BatchOutcomes, MatchSource, RowSender};
pub use model::{
    HistoryCursor, HistoryEntry, HistoryPage, HistoryRow, MatchDetails, MatchRef, MatchSummary,
    PlayerDetails,
};
/// The form of every stored `raw_data` (ARCHITECTURE.md, "Schema"), made by
/// the body readers and checked by the store's migration.
pub use wire::compact::{compact_json, is_compact, nests_deeper_than};
