//! What keys mean: actions (intent) and the keymap (data) that maps keys to them.

pub mod action;
pub mod keymap;
