//! dota-sync: copy a Dota 2 player's match history into SQLite and browse it.
//!
//! The library holds everything; `main.rs` only parses the command line and
//! dispatches. Data flows one way: source -> sync engine -> store, with
//! progress events to the TUI or the headless printer.

pub mod assets;
pub mod cli;
pub mod commands;
pub mod config;
pub mod logging;
pub mod sim;
pub mod source;
pub mod steam_id;
pub mod store;
pub mod sync;
pub mod tui;

// The unit tests build models with the same builders as `tests/it` and the
// benches, so a new model field is filled in one place. The builders name
// the crate `dota_sync`, as an outside user does.
#[cfg(test)]
extern crate self as dota_sync;
#[cfg(test)]
#[path = "../tests/support/builders.rs"]
mod builders;
