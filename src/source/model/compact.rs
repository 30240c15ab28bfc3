//! The compactor lives with the other body readers, in `wire/compact.rs`;
//! re-exported here so that `model::compact_json` and the rest keep working.

pub use crate::source::wire::compact::{compact_json, is_compact, nests_deeper_than};
