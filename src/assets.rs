//! Hero, item, game-mode and lobby-type names from the `dotaconstants` package.
//!
//! The JSON files in `assets/` are embedded at compile time and parsed once on
//! first use, so the app works offline and a lookup is a map access. Unknown IDs
//! (a hero newer than the assets, say) get a readable placeholder instead of an
//! error: a name is decoration, never a reason to fail.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One embedded `{"id": "name"}` table, parsed.
struct NameTable {
    names: BTreeMap<i64, String>,
    ids: Vec<i64>,
}

impl NameTable {
    fn parse(what: &str, text: &str) -> NameTable {
        // The assets are part of the build, so a parse failure is a bug in the
        // repository rather than bad input: an empty table keeps the app usable
        // (placeholders everywhere) and the unit tests catch the bug.
        let raw: BTreeMap<String, String> = serde_json::from_str(text).unwrap_or_else(|error| {
            tracing::error!("embedded assets/{what} is not valid: {error}");
            BTreeMap::new()
        });
        let names: BTreeMap<i64, String> = raw
            .into_iter()
            .filter_map(|(id, name)| id.parse::<i64>().ok().map(|id| (id, name)))
            .collect();
        let ids = names.keys().copied().collect();
        NameTable { names, ids }
    }

    fn name(&'static self, id: i64, placeholder: &str) -> Cow<'static, str> {
        match self.names.get(&id) {
            Some(name) => Cow::Borrowed(name.as_str()),
            None => Cow::Owned(format!("{placeholder} #{id}")),
        }
    }
}

static HEROES: LazyLock<NameTable> =
    LazyLock::new(|| NameTable::parse("heroes.json", include_str!("../assets/heroes.json")));
static ITEMS: LazyLock<NameTable> =
    LazyLock::new(|| NameTable::parse("items.json", include_str!("../assets/items.json")));
static GAME_MODES: LazyLock<NameTable> = LazyLock::new(|| {
    NameTable::parse("game_modes.json", include_str!("../assets/game_modes.json"))
});
static LOBBY_TYPES: LazyLock<NameTable> = LazyLock::new(|| {
    NameTable::parse(
        "lobby_types.json",
        include_str!("../assets/lobby_types.json"),
    )
});
static PURCHASABLE_ITEMS: LazyLock<Vec<i64>> = LazyLock::new(|| {
    let mut ids: Vec<i64> =
        serde_json::from_str(include_str!("../assets/purchasable_items.json")).unwrap_or_default();
    ids.sort_unstable();
    ids.dedup();
    ids
});

/// The hero's display name ("Anti-Mage"); unknown: "Hero #N".
pub fn hero_name(id: i64) -> Cow<'static, str> {
    HEROES.name(id, "Hero")
}

/// The item's display name ("Blink Dagger"); 0 is an empty slot and reads "";
/// unknown: "Item #N".
pub fn item_name(id: i64) -> Cow<'static, str> {
    if id == 0 {
        return Cow::Borrowed("");
    }
    ITEMS.name(id, "Item")
}

/// The game mode's name ("All Pick"); unknown: "Mode #N".
pub fn game_mode_name(id: i64) -> Cow<'static, str> {
    GAME_MODES.name(id, "Mode")
}

/// The lobby type's name ("Ranked"); unknown: "Lobby #N".
pub fn lobby_type_name(id: i64) -> Cow<'static, str> {
    LOBBY_TYPES.name(id, "Lobby")
}

/// Every known hero ID, sorted.
pub fn hero_ids() -> &'static [i64] {
    &HEROES.ids
}

/// IDs of items a player can buy in a shop (priced, not recipes), sorted.
pub fn item_ids() -> &'static [i64] {
    &PURCHASABLE_ITEMS
}

/// Heroes whose name contains `query`, ignoring case, in ID order. An empty
/// query matches every hero.
pub fn heroes_matching(query: &str) -> Vec<i64> {
    let needle = query.trim().to_lowercase();
    HEROES
        .names
        .iter()
        .filter(|(_, name)| name.to_lowercase().contains(&needle))
        .map(|(id, _)| *id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_heroes_have_their_names() {
        assert_eq!(hero_name(1), "Anti-Mage");
        assert_eq!(hero_name(14), "Pudge");
    }

    #[test]
    fn unknown_ids_get_placeholders() {
        assert_eq!(hero_name(100_000), "Hero #100000");
        assert_eq!(item_name(-3), "Item #-3");
        assert_eq!(game_mode_name(999), "Mode #999");
        assert_eq!(lobby_type_name(999), "Lobby #999");
    }

    #[test]
    fn empty_item_slot_is_blank() {
        assert_eq!(item_name(0), "");
        assert_eq!(item_name(1), "Blink Dagger");
    }

    #[test]
    fn modes_and_lobbies_read_like_words() {
        assert_eq!(game_mode_name(1), "All Pick");
        assert_eq!(game_mode_name(22), "All Draft");
        assert_eq!(game_mode_name(23), "Turbo");
        assert_eq!(lobby_type_name(7), "Ranked");
        assert_eq!(lobby_type_name(4), "Coop Bots");
        assert_eq!(lobby_type_name(0), "Normal");
    }

    #[test]
    fn hero_ids_are_sorted_and_plentiful() {
        let ids = hero_ids();
        assert!(ids.len() > 100, "only {} heroes", ids.len());
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(ids.iter().all(|id| !hero_name(*id).starts_with("Hero #")));
    }

    #[test]
    fn item_ids_are_sorted_named_shop_items() {
        let ids = item_ids();
        assert!(ids.len() > 100, "only {} items", ids.len());
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(!ids.contains(&0));
        assert!(ids.iter().all(|id| !item_name(*id).starts_with("Item #")));
        // Blink Dagger and Black King Bar are bought in every game.
        assert!(ids.contains(&1) && ids.contains(&116));
    }

    #[test]
    fn hero_search_ignores_case() {
        assert_eq!(heroes_matching("pudge"), vec![14]);
        let anti = heroes_matching("ANTI");
        assert!(anti.contains(&1));
        assert!(heroes_matching("zzzz-no-such-hero").is_empty());
        assert_eq!(heroes_matching("").len(), hero_ids().len());
    }
}
