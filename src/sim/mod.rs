//! The built-in simulator of the Steam Web API (Dota 2) and OpenDota, used
//! by `demo`, `simulate` and the tests.
//!
//! One axum server on 127.0.0.1 serves both APIs with the real paths and
//! shapes (see `tests/fixtures/`). By default it behaves like the real APIs
//! today: GetMatchDetails' 500, GetMatchHistory's 500-match cap while
//! OpenDota lists the whole history, Immortal Draft matches left out of the
//! sequence endpoint, a few matches OpenDota lacks. A `FaultPlan` adds the
//! real limits (the sequence endpoint's stricter rate, OpenDota's minute and
//! daily quotas and their headers) and the trouble real servers cause (5xx,
//! 429, timeouts, dropped connections, broken JSON, outages), reproducibly
//! from a seed.
//!
//! Modules: `server` (start/stop, the request pipeline), `state` (what
//! every request shares), `routes` (path -> endpoint), `steam_routes` and
//! `opendota_routes` (the endpoints), `detail`
//! (faulty answers to detail requests), `respond` (answer bodies), `dataset`,
//! `match_gen` and `match_json` (the simulated matches), `names` (player
//! names, both APIs), `faults`,
//! `fault_state` and `presets` (fault plans), `stratz_routes` and
//! `stratz_json` (STRATZ's `POST /graphql`), `stats`, `standalone`
//! (`dota-sync simulate`).

mod body_cache;
mod dataset;
mod detail;
mod fault_state;
mod faults;
mod match_gen;
mod match_json;
mod names;
mod opendota_routes;
mod presets;
mod respond;
mod rng;
mod routes;
mod server;
mod standalone;
mod state;
mod stats;
mod steam_routes;
mod stratz_json;
mod stratz_routes;
mod stratz_state;

pub use dataset::{Dataset, SimAccount};
pub use faults::{DownWindow, FaultPlan, OpenDotaLimits, StratzLimits, StratzPlan, TokenBucket};
#[cfg(test)]
pub(crate) use match_json::valve_indented;
pub use server::{SimConfig, SimServer};
pub use standalone::{SimulateOptions, run_standalone};
pub use stats::{ApiStats, SimStats};
pub use stratz_routes::STRATZ_DEMO_TOKEN;
