//! The integration tests, one binary: the crate is built and linked once
//! for all of them (each used to be its own test binary). One module per
//! area; `common` holds what they share.

#[path = "../support/builders.rs"]
mod builders;
#[path = "../support/canned_server.rs"]
mod canned_server;
mod common;

mod cli;
mod disk_full;
mod engine;
mod export_cli;
mod fixtures_parse;
mod fresh_race;
mod hostile;
mod key_redaction;
mod lock;
mod names;
mod outside_reader;
mod sim;
mod sources;
mod store;
mod stratz;
mod stratz_sync;
mod summaries;
mod summaries_stats;
mod tui_e2e;
mod tui_views;
