//! PLACEHOLDER for the hero, item, game-mode and lobby-type names.
//!
//! The real module (embedded `dotaconstants` data) is written elsewhere and
//! replaces this file on merge; the signatures here are the agreed contract,
//! so the TUI can be built and tested against them meanwhile.

use std::borrow::Cow;

/// A hero's display name.
pub fn hero_name(id: i64) -> Cow<'static, str> {
    Cow::Owned(format!("Hero #{id}"))
}

/// An item's display name; empty for 0 (an empty slot).
pub fn item_name(id: i64) -> Cow<'static, str> {
    if id == 0 {
        Cow::Borrowed("")
    } else {
        Cow::Owned(format!("Item #{id}"))
    }
}

/// A game mode's display name.
pub fn game_mode_name(id: i64) -> Cow<'static, str> {
    Cow::Owned(format!("Mode #{id}"))
}

/// A lobby type's display name.
pub fn lobby_type_name(id: i64) -> Cow<'static, str> {
    Cow::Owned(format!("Lobby #{id}"))
}

/// Every known hero ID.
pub fn hero_ids() -> &'static [i64] {
    &HERO_IDS
}

/// Placeholder IDs 1..=150, enough for tests that filter by name.
static HERO_IDS: [i64; 150] = {
    let mut ids = [0i64; 150];
    let mut i = 0;
    while i < ids.len() {
        ids[i] = i as i64 + 1;
        i += 1;
    }
    ids
};

/// Heroes whose name contains `query` (case-insensitive).
pub fn heroes_matching(query: &str) -> Vec<i64> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    hero_ids()
        .iter()
        .copied()
        .filter(|&id| hero_name(id).to_lowercase().contains(&query))
        .collect()
}
