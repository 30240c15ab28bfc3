//! dota-sync: copy a Dota 2 player's match history into SQLite and browse it.
//!
//! The library holds everything; `main.rs` only parses the command line and
//! dispatches. Data flows one way: source -> sync engine -> store, with
//! progress events to the TUI or the headless printer.

pub mod assets;
pub mod source;
pub mod store;
pub mod sync;
pub mod tui;
