//! Pure functions from the API bodies to the normalized model. Every
//! body's reader lives under `source::wire` (Steam's history pages and
//! vanity lookups in `wire/steam.rs`, match details in `wire/mod.rs`, OpenDota's
//! history in `wire/history.rs`); they are re-exported here so that this
//! path keeps working.

pub use super::wire::{
    opendota_details_body, opendota_history_body, opendota_history_rows, opendota_history_stream,
    steam_details_body, steam_history_page, steam_sequence_body, steam_vanity_reply,
};
