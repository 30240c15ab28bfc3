//! The normalized match model both sources are parsed into.
//!
//! Every field the APIs send is optional somewhere (bots, old trimmed matches,
//! anonymous players), so nearly everything is an `Option`. The raw JSON of a
//! match is kept, compacted, so that no field the model does not name is lost.

mod summary;

pub use summary::{HistoryRow, MAX_HEROES_TEXT, MatchSummary, SUMMARY_FIELDS};

/// The account ID Valve reports for a player who hides their profile.
pub const ANONYMOUS_ACCOUNT_ID: i64 = 4_294_967_295;

/// One match as phase 1 sees it: an entry of the player's match history.
/// `Default` so that a new field does not break every literal in the tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryEntry {
    pub match_id: i64,
    pub match_seq_num: Option<i64>,
    pub start_time: Option<i64>,
    pub lobby_type: Option<i64>,
    /// The tracked player's slot: the only link when details show them anonymous.
    pub player_slot: Option<i64>,
    pub hero_id: Option<i64>,
}

/// Where the next history page starts. Opaque to the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryCursor {
    /// Steam's inclusive `start_at_match_id`.
    StartAtMatchId(i64),
    /// STRATZ's `skip`: how many matches, newest first, to pass over.
    Skip(usize),
}

/// One page of a player's match history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    /// Where the next page starts; `None` when the history is exhausted.
    pub next: Option<HistoryCursor>,
    /// The source reported more history than it will page through
    /// (Steam's 500-most-recent cap).
    pub capped: bool,
    /// How many matches the source says the history holds (Steam's
    /// `total_results`): bounds how many pages phase 1 will ask for.
    pub total: Option<u64>,
    /// Matches that came whole with the page (STRATZ lists all ten players'
    /// lines): phase 1 saves them as details, with no per-match call.
    pub whole: Vec<MatchDetails>,
}

/// What phase 2 needs to fetch one match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchRef {
    pub match_id: i64,
    pub match_seq_num: Option<i64>,
}

/// A match with its details, normalized from either source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchDetails {
    pub match_id: i64,
    pub match_seq_num: Option<i64>,
    pub start_time: Option<i64>,
    pub duration: Option<i64>,
    pub game_mode: Option<i64>,
    pub lobby_type: Option<i64>,
    pub radiant_win: Option<bool>,
    pub radiant_score: Option<i64>,
    pub dire_score: Option<i64>,
    pub players: Vec<PlayerDetails>,
    /// The match object as the API sent it, every field and value intact,
    /// without the whitespace outside strings (`source::compact_json`).
    pub raw_json: String,
}

/// One player's line of a match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlayerDetails {
    pub player_slot: i64,
    /// `None` for bots and anonymous players.
    pub account_id: Option<i64>,
    pub hero_id: Option<i64>,
    pub kills: Option<i64>,
    pub deaths: Option<i64>,
    pub assists: Option<i64>,
    pub last_hits: Option<i64>,
    pub denies: Option<i64>,
    pub gold_per_min: Option<i64>,
    pub xp_per_min: Option<i64>,
    pub hero_damage: Option<i64>,
    pub tower_damage: Option<i64>,
    pub hero_healing: Option<i64>,
    pub level: Option<i64>,
    pub net_worth: Option<i64>,
    pub items: [Option<i64>; 6],
    pub backpack: [Option<i64>; 3],
    pub item_neutral: Option<i64>,
}

impl PlayerDetails {
    /// Slots 0-127 are Radiant, 128-255 Dire (Valve's encoding).
    pub fn is_radiant(&self) -> bool {
        is_radiant_slot(self.player_slot)
    }
}

/// Slots 0-127 are Radiant, 128-255 Dire (Valve's encoding).
pub fn is_radiant_slot(slot: i64) -> bool {
    slot < 128
}
