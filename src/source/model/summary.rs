//! A match's *summary*: the tracked player's own line as OpenDota's history
//! call lists it (ARCHITECTURE.md, "Summaries"). It is what the statistics
//! count until the match's details arrive; it is never details: a stub with
//! a summary is still a stub.

use super::HistoryEntry;

/// A summary's fields beyond the match, the slot and the result, as
/// OpenDota's `player_caches` names them: what the history call projects
/// (one `project=` each) and the columns of `match_summaries` after
/// `source`, `player_slot` and `radiant_win`, in this order.
pub const SUMMARY_FIELDS: [&str; 29] = [
    "start_time",
    "duration",
    "game_mode",
    "lobby_type",
    "hero_id",
    "hero_variant",
    "kills",
    "deaths",
    "assists",
    "gold_per_min",
    "xp_per_min",
    "last_hits",
    "denies",
    "hero_damage",
    "tower_damage",
    "hero_healing",
    "level",
    "leaver_status",
    "party_size",
    "lane_role",
    "average_rank",
    "item_0",
    "item_1",
    "item_2",
    "item_3",
    "item_4",
    "item_5",
    "item_neutral",
    "heroes",
];

/// The longest `heroes` text kept: ten slots of `{"account_id":..,"hero_id":..}`
/// take about 450 bytes; anything far past that is not a slot map.
pub const MAX_HEROES_TEXT: usize = 4096;

/// The player's line of one match, every field as the history sent it
/// (`None`: null, absent or not a whole number). Old matches are trimmed and
/// `party_size`, `lane_role`, `average_rank` are often null.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchSummary {
    pub match_id: i64,
    pub player_slot: Option<i64>,
    pub radiant_win: Option<bool>,
    pub start_time: Option<i64>,
    pub duration: Option<i64>,
    pub game_mode: Option<i64>,
    pub lobby_type: Option<i64>,
    pub hero_id: Option<i64>,
    pub hero_variant: Option<i64>,
    pub kills: Option<i64>,
    pub deaths: Option<i64>,
    pub assists: Option<i64>,
    pub gold_per_min: Option<i64>,
    pub xp_per_min: Option<i64>,
    pub last_hits: Option<i64>,
    pub denies: Option<i64>,
    pub hero_damage: Option<i64>,
    pub tower_damage: Option<i64>,
    pub hero_healing: Option<i64>,
    pub level: Option<i64>,
    pub leaver_status: Option<i64>,
    pub party_size: Option<i64>,
    pub lane_role: Option<i64>,
    pub average_rank: Option<i64>,
    pub items: [Option<i64>; 6],
    pub item_neutral: Option<i64>,
    /// The ten slots as sent, compact: `{"0":{"account_id":1,"hero_id":54},...}`;
    /// an anonymous player has no `account_id`. `None` unless it was an object.
    pub heroes: Option<String>,
}

/// One row of a history as it is read: the entry phase 1 saves as a stub,
/// and the summary the row carried, if the source sends one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub entry: HistoryEntry,
    pub summary: Option<MatchSummary>,
}

impl HistoryRow {
    /// A row without a summary (Steam's history).
    pub fn stub(entry: HistoryEntry) -> HistoryRow {
        HistoryRow {
            entry,
            summary: None,
        }
    }
}
