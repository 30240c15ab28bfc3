//! Every reader of API bodies. This file holds the match-details readers:
//! typed, lenient structs read straight from the body text, deciding every
//! outcome themselves (a match, a per-match API error, a malformed body) as
//! the typed [`FetchError`]. Beside it: OpenDota's history (`history`),
//! Steam's history pages and vanity lookups (`steam`), player names
//! (`names`), STRATZ's GraphQL answers (`stratz`), any body as a JSON
//! `Value` (`json`) and the compactor of `raw_json` (`compact`).
//! `source::parse`, `source::names`, `source` (the compactor) and
//! `source::http` (`parse_json_body`) re-export them.
//!
//! Building a `serde_json::Value` per response (a map allocation per object,
//! a string per key) was most of phase 2's client-side cost, so nothing is
//! built here but the model. The lenient rule (a field that is not what we
//! expect is absent) lives in [`lenient`]; the JSON structure each endpoint
//! sends is declared below with [`lenient_object!`].
//!
//! A new per-player field touches, in order:
//! 1. `source/model/mod.rs`: the `PlayerDetails` field (`Default` fills it
//!    everywhere else, builders included).
//! 2. here: the player struct of `lenient_object!` and `into_details`;
//!    `wire/fast.rs`: the `P` key enum and its key `match` (the fast path);
//!    `wire/stratz.rs`: STRATZ's camelCase player struct and its mapping,
//!    and `source/stratz.rs`: the field in the GraphQL query.
//! 3. `store/schema.rs`: a new migration adding the `match_players` column;
//!    `store/write.rs`: the `INSERT` of players; `store/read.rs`: the
//!    `PlayerRow` query.
//! 4. If the tracked player's own summary carries it too:
//!    `source/model/summary.rs` (`MatchSummary`), `wire/history.rs`,
//!    OpenDota's `project=` list in `source/opendota.rs`, and
//!    `store/summaries.rs` with its `match_summaries` column.
//! 5. If exported or shown: `store/export_rows.rs` and `commands/export.rs`;
//!    `tui/view/details.rs`.
//! 6. The simulator, so tests see it: `sim/match_gen.rs` (`PlayerSketch`),
//!    `sim/match_json.rs` (Valve's and OpenDota's shapes) and
//!    `sim/stratz_json.rs`.
//! 7. Tests: the fixture expectations in `tests/it/fixtures_parse.rs` and
//!    the readers' own tests (`wire/tests.rs`, `wire/stratz_tests.rs`).

pub mod compact;
mod fast;
mod history;
#[cfg(test)]
mod hostile_tests;
pub(crate) mod json;
mod lenient;
mod names;
mod steam;
pub(crate) mod stratz;
#[cfg(test)]
mod tests;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::FetchError;
use super::model::{ANONYMOUS_ACCOUNT_ID, MatchDetails, PlayerDetails};
use compact::{compact_json, nests_deeper_than};
use json::parse_json_body;
use lenient::{Field, FirstOfList, lenient_object};

pub use history::{opendota_history_body, opendota_history_rows, opendota_history_stream};
pub use names::{opendota_player, steam_summaries};
pub use steam::{steam_history_page, steam_vanity_reply};

/// Steam's `result.status` for success.
pub(super) const STEAM_STATUS_OK: i64 = 1;

/// A `GetMatchDetails` body: `{"result": {match}}`, or a 200 that carries an
/// error (`{"result":{"error":"Match ID not found"}}`, or a non-1 `status`).
pub fn steam_details_body(body: &[u8], asked: i64) -> Result<MatchDetails, FetchError> {
    read_body(body, asked, fast::details, steam_details_text)
}

/// A `GetMatchHistoryBySequenceNum` body asked for one match at its sequence
/// number. The endpoint returns whatever match has that number (or the next
/// one), so the ID is checked against `asked`.
pub fn steam_sequence_body(body: &[u8], asked: i64) -> Result<MatchDetails, FetchError> {
    read_body(body, asked, fast::sequence, steam_sequence_text)
}

/// An OpenDota `/matches/{id}` body: the match object itself, in Valve's
/// field names (plus computed extras kept in `raw_json`). A body with an
/// `error` and no `match_id` is OpenDota's per-match failure.
pub fn opendota_details_body(body: &[u8], asked: i64) -> Result<MatchDetails, FetchError> {
    read_body(body, asked, fast::opendota, opendota_text)
}

/// One pass that checks, compacts and reads the usual body ([`fast`]); what
/// it does not take exactly is compacted and read by serde (`slow`), which
/// decides every other outcome and words every error.
type FastReader = fn(&str) -> Option<(MatchWire, String)>;
type SlowReader = fn(&str, &[u8]) -> Result<MatchDetails, FetchError>;

fn read_body(
    body: &[u8],
    asked: i64,
    fast: FastReader,
    slow: SlowReader,
) -> Result<MatchDetails, FetchError> {
    let text = utf8(body)?;
    let details = match fast(text) {
        Some((wire, raw_json)) => wire.into_details(raw_json)?,
        None => slow(text, body)?,
    };
    super::validate::expect_match(asked, details)
}

/// The endpoints' readers, fast and slow, for tests that hold one to the other.
#[cfg(test)]
const READERS: [(&str, FastReader, SlowReader); 3] = [
    ("details", fast::details, steam_details_text),
    ("sequence", fast::sequence, steam_sequence_text),
    ("opendota", fast::opendota, opendota_text),
];

/// The serde readers read the compact text: it is smaller to walk, and the
/// match's text in it is `raw_json` as it is. Each measures the body's
/// nesting first: serde skips what it does not keep without a bound (the
/// fast reader gives up past its own, lower, one).
fn steam_details_text(text: &str, body: &[u8]) -> Result<MatchDetails, FetchError> {
    check_nesting(text)?;
    let text = compact_json(text);
    let result = match read::<Field<DetailsEnvelope>>(&text, body)? {
        Field::Is(DetailsEnvelope {
            result: Some(result),
        }) if is_object(result) => result.get(),
        _ => return Err(malformed("no `result` object")),
    };
    let wire = read_match(result, body)?;
    if let Some(error) = steam_failure(&wire.error, &wire.status, &wire.statusDetail) {
        return Err(error);
    }
    wire.into_details(result.to_string())
}

fn steam_sequence_text(text: &str, body: &[u8]) -> Result<MatchDetails, FetchError> {
    check_nesting(text)?;
    let text = compact_json(text);
    let Field::Is(SequenceEnvelope {
        result: Field::Is(result),
    }) = read::<Field<SequenceEnvelope>>(&text, body)?
    else {
        return Err(malformed("no `result` object"));
    };
    if let Some(error) = steam_failure(&result.error, &result.status, &result.statusDetail) {
        return Err(error);
    }
    let first = match result.matches {
        Field::Is(FirstOfList(first)) => first,
        Field::Absent | Field::Null => None,
        Field::Other => return Err(malformed("`matches` is not a list")),
    };
    let first = first.ok_or_else(|| match_api("Match ID not found"))?.get();
    read_match(first, body)?.into_details(first.to_string())
}

fn opendota_text(text: &str, body: &[u8]) -> Result<MatchDetails, FetchError> {
    check_nesting(text)?;
    let text = compact_json(text);
    let wire = read_match(&text, body)?;
    if wire.match_id == Field::Absent
        && let Field::Is(message) = &wire.error
    {
        return Err(match_api(message));
    }
    wire.into_details(text)
}

lenient_object! {
    /// `{"result": ...}`, the wrapper of every Steam IDOTA2Match body.
    struct DetailsEnvelope<'de> {
        result: Option<&'de RawValue>,
    }
}

lenient_object! {
    /// `{"result": ...}` around `GetMatchHistoryBySequenceNum`'s listing,
    /// read in the same pass as the listing.
    struct SequenceEnvelope<'de> {
        result: Field<SequenceResult<'de>>,
    }
}

lenient_object! {
    /// `GetMatchHistoryBySequenceNum`'s `result`: a status and a list of
    /// matches, of which only the first is kept (as text).
    struct SequenceResult<'de> {
        error: Field<String>,
        status: Field<i64>,
        statusDetail: Field<String>,
        matches: Field<FirstOfList<'de>>,
    }
}

lenient_object! {
    /// A match object in Valve's field names. `error`, `status` and
    /// `statusDetail` are where `GetMatchDetails` and OpenDota report a
    /// failure instead of a match.
    struct MatchWire {
        match_id: Field<i64>,
        match_seq_num: Field<i64>,
        start_time: Field<i64>,
        duration: Field<i64>,
        game_mode: Field<i64>,
        lobby_type: Field<i64>,
        radiant_win: Field<bool>,
        radiant_score: Field<i64>,
        dire_score: Field<i64>,
        players: Field<Vec<Field<PlayerWire>>>,
        error: Field<String>,
        status: Field<i64>,
        statusDetail: Field<String>,
    }
}

lenient_object! {
    /// One player's line in Valve's field names.
    struct PlayerWire {
        player_slot: Field<i64>,
        team_number: Field<i64>,
        team_slot: Field<i64>,
        account_id: Field<i64>,
        hero_id: Field<i64>,
        kills: Field<i64>,
        deaths: Field<i64>,
        assists: Field<i64>,
        last_hits: Field<i64>,
        denies: Field<i64>,
        gold_per_min: Field<i64>,
        xp_per_min: Field<i64>,
        hero_damage: Field<i64>,
        tower_damage: Field<i64>,
        hero_healing: Field<i64>,
        level: Field<i64>,
        net_worth: Field<i64>,
        item_0: Field<i64>,
        item_1: Field<i64>,
        item_2: Field<i64>,
        item_3: Field<i64>,
        item_4: Field<i64>,
        item_5: Field<i64>,
        backpack_0: Field<i64>,
        backpack_1: Field<i64>,
        backpack_2: Field<i64>,
        item_neutral: Field<i64>,
    }
}

impl MatchWire {
    /// The model, with `raw_json` (this match object's compacted text). A
    /// match without a usable ID or player list is malformed; every other
    /// field is optional.
    fn into_details(self, raw_json: String) -> Result<MatchDetails, FetchError> {
        let match_id = self
            .match_id
            .value()
            .ok_or_else(|| malformed("match has no match_id"))?;
        let players = match self.players {
            Field::Is(players) => players
                .into_iter()
                .map(|player| match player {
                    Field::Is(player) => player.into_details(),
                    _ => Err(malformed("a player is not an object")),
                })
                .collect::<Result<Vec<_>, _>>()?,
            // A match without a player list still has an ID and a result
            // worth keeping.
            Field::Absent | Field::Null => Vec::new(),
            Field::Other => return Err(malformed("`players` is not a list")),
        };
        Ok(MatchDetails {
            match_id,
            match_seq_num: self.match_seq_num.get(),
            start_time: self.start_time.get(),
            duration: self.duration.get(),
            game_mode: self.game_mode.get(),
            lobby_type: self.lobby_type.get(),
            radiant_win: self.radiant_win.get(),
            radiant_score: self.radiant_score.get(),
            dire_score: self.dire_score.get(),
            players,
            raw_json,
        })
    }
}

impl PlayerWire {
    /// The slot is the key of a player's line, so a player without one is
    /// malformed.
    fn into_details(self) -> Result<PlayerDetails, FetchError> {
        Ok(PlayerDetails {
            player_slot: self.slot()?,
            // Bots have none; anonymous players are 4294967295 (Steam) or
            // `null` (OpenDota).
            account_id: self
                .account_id
                .get()
                .filter(|&id| id != ANONYMOUS_ACCOUNT_ID),
            hero_id: self.hero_id.get(),
            kills: self.kills.get(),
            deaths: self.deaths.get(),
            assists: self.assists.get(),
            last_hits: self.last_hits.get(),
            denies: self.denies.get(),
            gold_per_min: self.gold_per_min.get(),
            xp_per_min: self.xp_per_min.get(),
            hero_damage: self.hero_damage.get(),
            tower_damage: self.tower_damage.get(),
            hero_healing: self.hero_healing.get(),
            level: self.level.get(),
            net_worth: self.net_worth.get(),
            items: [
                self.item_0.get(),
                self.item_1.get(),
                self.item_2.get(),
                self.item_3.get(),
                self.item_4.get(),
                self.item_5.get(),
            ],
            backpack: [
                self.backpack_0.get(),
                self.backpack_1.get(),
                self.backpack_2.get(),
            ],
            item_neutral: self.item_neutral.get(),
        })
    }

    /// `player_slot`, or Valve's encoding (Dire = 128 + n) rebuilt from the
    /// newer `team_number`/`team_slot`.
    fn slot(&self) -> Result<i64, FetchError> {
        if let Some(slot) = self.player_slot.get() {
            return Ok(slot);
        }
        match (self.team_number.get(), self.team_slot.get()) {
            (Some(team @ 0..=1), Some(slot @ 0..=127)) => Ok(team * 128 + slot),
            _ => Err(malformed("a player has no player_slot")),
        }
    }
}

/// The per-match failures Steam answers with HTTP 200: an `error` text, or a
/// `status` other than 1 with its `statusDetail`.
fn steam_failure(
    error: &Field<String>,
    status: &Field<i64>,
    detail: &Field<String>,
) -> Option<FetchError> {
    if let Some(message) = error.as_ref() {
        return Some(match_api(message));
    }
    let status = status.get().filter(|&status| status != STEAM_STATUS_OK)?;
    Some(steam_status_error(
        status,
        detail.as_ref().map(String::as_str),
    ))
}

/// A non-1 Steam `status`, told by its `statusDetail` when there is one.
pub(super) fn steam_status_error(status: i64, detail: Option<&str>) -> FetchError {
    FetchError::MatchApi {
        message: detail.map_or_else(|| format!("status {status}"), str::to_string),
    }
}

/// A match object (`match is not an object` otherwise).
fn read_match(text: &str, body: &[u8]) -> Result<MatchWire, FetchError> {
    read::<Field<MatchWire>>(text, body)?
        .value()
        .ok_or_else(|| malformed("match is not an object"))
}

/// The deepest nesting a body may have anywhere, kept or skipped (ARCHITECTURE.md,
/// "Hostile servers and files"): serde_json's own bound on what it keeps.
/// Real bodies nest four or five levels.
pub(super) const MAX_NESTING: usize = 128;

/// A body nested past [`MAX_NESTING`] is malformed: what is stored of it must
/// pass SQLite's `json_valid()`, and serde skips unknown values unbounded.
pub(super) fn check_nesting(text: &str) -> Result<(), FetchError> {
    if nests_deeper_than(text, MAX_NESTING) {
        return Err(malformed("nested deeper than 128 levels"));
    }
    Ok(())
}

/// The body as text. UTF-8 is checked far faster over the whole body at
/// once than string by string, which reading from `&str` then skips.
fn utf8(body: &[u8]) -> Result<&str, FetchError> {
    std::str::from_utf8(body).map_err(|_| unreadable(body))
}

/// `text` (the body or a part of it) as `T`.
fn read<'a, T: Deserialize<'a>>(text: &'a str, body: &[u8]) -> Result<T, FetchError> {
    serde_json::from_str(text).map_err(|_| unreadable(body))
}

/// Why a body could not be read, worded as for every other endpoint (an HTML
/// page, or where the JSON breaks): only ever on this failure path.
fn unreadable(body: &[u8]) -> FetchError {
    match parse_json_body(body) {
        Err(error) => error,
        Ok(_) => malformed("the match could not be read"),
    }
}

/// A `RawValue`'s text has no whitespace around it.
fn is_object(value: &RawValue) -> bool {
    value.get().starts_with('{')
}

pub(super) fn malformed(reason: &str) -> FetchError {
    FetchError::Malformed {
        reason: reason.to_string(),
    }
}

pub(super) fn match_api(message: &str) -> FetchError {
    FetchError::MatchApi {
        message: message.to_string(),
    }
}
