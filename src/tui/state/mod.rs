//! What the UI knows and decides: the app state, the match list window,
//! scroll positions, and the loader that answers slow queries off the UI task.

pub mod app;
pub mod hero_mode;
pub mod hero_sort;
pub mod loader;
pub mod match_list;
pub mod peer_sort;
pub mod recent;
pub mod scroll;
pub mod short_list;
