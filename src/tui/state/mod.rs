//! What the UI knows and decides: the app state and the sub-states it
//! routes to, the match list window, the list trait, scroll positions, and
//! the loader that answers slow queries off the UI task.

pub mod app;
mod app_access;
pub mod details_pane;
pub mod effect;
pub mod filter_line;
pub mod help;
pub mod hero_mode;
pub mod hero_sort;
pub mod list_state;
pub mod lists;
pub mod loader;
pub mod match_list;
pub mod peer_sort;
pub mod recent;
mod refresh;
pub mod scroll;
pub mod settings;
pub mod short_list;
pub mod slow_reads;
pub mod sync_panel;
pub mod tab_labels;
