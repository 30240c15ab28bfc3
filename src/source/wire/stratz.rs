//! STRATZ's GraphQL answers (ARCHITECTURE.md, "Sources and limits"), read by the same lenient
//! rule as every other body ([`super::lenient`]): a history page
//! (`data.player.matches`), a batch (`data.matches`, `null` where STRATZ
//! lacks a match) and one match (`data.match`), each possibly beside a
//! GraphQL `errors` list.
//!
//! Every match object is kept as sent, compacted, for `raw_data`, with its
//! enum names (`gameMode`, `lobbyType`) as sent; the model gets Valve's
//! numeric IDs. A body nested deeper than [`MAX_DEPTH`] is malformed before
//! anything is read, so whatever is kept passes SQLite's `json_valid()`.

use serde::de::{IgnoredAny, MapAccess, SeqAccess};
use serde_json::value::RawValue;

use super::compact::compact_json;
use super::lenient::{Field, FromJson, lenient_object};
use super::{malformed, match_api, read, utf8};
use crate::source::FetchError;
use crate::source::model::{ANONYMOUS_ACCOUNT_ID, HistoryEntry, MatchDetails, PlayerDetails};

/// Deeper nesting than this is a malformed body (ARCHITECTURE.md,
/// "Hostile servers and files"). serde_json's own limit does not reach
/// the values it skips or keeps as raw text, so it is checked here.
pub const MAX_DEPTH: usize = 128;

/// One history page as STRATZ listed it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StratzHistoryPage {
    /// `player.matchCount`, when sent.
    pub match_count: Option<i64>,
    /// How many elements the page held, unreadable ones included: a page
    /// holding fewer than asked is the last one.
    pub listed: usize,
    /// A stub's worth of each listed match with a readable ID.
    pub entries: Vec<HistoryEntry>,
    /// Each listed match that came whole, as its details.
    pub details: Vec<MatchDetails>,
}

/// The answer to `matches(ids:)` or `match(id:)`.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchAnswer {
    /// One outcome per asked ID, in the order asked.
    Matches(Vec<(i64, Result<MatchDetails, FetchError>)>),
    /// The token may not ask `matches(ids:)` (`not an admin`): ask
    /// `match(id:)` instead, one a call.
    Refused { message: String },
}

/// The failure of a match STRATZ answered `null` for without saying why.
const LACKED: &str = "STRATZ does not have this match";

/// A `player(steamAccountId:) { matchCount matches(...) }` answer for
/// `account_id`. `"player": null` is a private or unknown profile.
pub fn history_body(body: &[u8], account_id: u32) -> Result<StratzHistoryPage, FetchError> {
    let text = checked_text(body)?;
    let envelope = read_envelope(text, body)?;
    let data = data_or_error(&envelope)?;
    let player = match &data.player {
        Field::Is(player) => player,
        // `null` beside an error naming `player` is a failed call, not a
        // private profile.
        Field::Null => {
            return Err(match envelope.error_at(&["player"], usize::MAX) {
                Some(message) => FetchError::GraphQl {
                    message: message.to_string(),
                },
                None => FetchError::StratzUnavailable {
                    reason: crate::source::error::StratzDrop::NoProfile,
                },
            });
        }
        _ => return Err(malformed("no `player` in the answer")),
    };
    let listed: &[&RawValue] = match &player.matches {
        Field::Is(RawList(listed)) => listed,
        Field::Absent | Field::Null => &[],
        Field::Other => return Err(malformed("`matches` is not a list")),
    };
    // Matches an error names (`["player", "matches", 3, ...]`) are not whole.
    let broken = envelope.error_indices(&["player", "matches"]);
    let mut page = StratzHistoryPage {
        match_count: player.matchCount.get(),
        listed: listed.len(),
        ..StratzHistoryPage::default()
    };
    for (index, raw) in listed.iter().enumerate() {
        let Some(wire) = read_match(raw, body) else {
            continue;
        };
        let Some(match_id) = wire.id.get() else {
            continue;
        };
        page.entries.push(wire.entry(match_id, account_id));
        if broken.contains(&index) {
            continue;
        }
        if let Ok(details) = wire.into_details(compact_json(raw.get())) {
            page.details.push(details);
        }
    }
    Ok(page)
}

/// A `matches(ids: $ids)` answer: one outcome per ID of `asked`.
pub fn batch_body(body: &[u8], asked: &[i64]) -> Result<BatchAnswer, FetchError> {
    let text = checked_text(body)?;
    let envelope = read_envelope(text, body)?;
    let data = match data_or_error(&envelope) {
        Ok(data) => data,
        Err(error) => return refusal(&envelope).unwrap_or(Err(error)),
    };
    let listed = match &data.matches {
        Field::Is(RawList(listed)) => listed,
        Field::Null | Field::Absent => {
            if let Some(refused) = refusal(&envelope) {
                return refused;
            }
            return Err(envelope
                .call_error()
                .unwrap_or_else(|| malformed("no `matches` list")));
        }
        Field::Other => return Err(malformed("`matches` is not a list")),
    };
    let mut outcomes: Vec<Option<Result<MatchDetails, FetchError>>> = vec![None; asked.len()];
    let mut settle = |match_id: i64, outcome: Result<MatchDetails, FetchError>| {
        if let Some(at) = asked.iter().position(|&id| id == match_id)
            && outcomes[at].is_none()
        {
            outcomes[at] = Some(outcome);
        }
    };
    // Errors name a match by its place in the answer; a `null` has no ID,
    // so its place is its ID's place in the question.
    let positional = listed.len() == asked.len();
    for (index, raw) in listed.iter().enumerate() {
        let named = envelope.error_at(&["matches"], index);
        let wire = read_match(raw, body);
        let id = wire
            .as_ref()
            .and_then(|wire| wire.id.get())
            .or_else(|| positional.then(|| asked[index]));
        let Some(match_id) = id else { continue };
        let outcome = match (named, wire) {
            (Some(message), _) => Err(match_api(message)),
            (None, None) if raw.get() == "null" => Err(match_api(LACKED)),
            (None, None) => Err(malformed("match is not an object")),
            (None, Some(wire)) => wire.into_details(compact_json(raw.get())),
        };
        settle(match_id, outcome);
    }
    Ok(BatchAnswer::Matches(
        asked
            .iter()
            .zip(outcomes)
            .map(|(&id, outcome)| (id, outcome.unwrap_or_else(|| Err(match_api(LACKED)))))
            .collect(),
    ))
}

/// A `match(id: $id)` answer for `asked`.
pub fn match_body(body: &[u8], asked: i64) -> Result<MatchDetails, FetchError> {
    let text = checked_text(body)?;
    let envelope = read_envelope(text, body)?;
    let data = data_or_error(&envelope)?;
    let raw = match data.one {
        Some(raw) if raw.get() != "null" => raw,
        _ => {
            let message = envelope.error_at(&["match"], usize::MAX);
            return Err(match_api(message.unwrap_or(LACKED)));
        }
    };
    let wire = read_match(raw, body).ok_or_else(|| malformed("match is not an object"))?;
    let details = wire.into_details(compact_json(raw.get()))?;
    crate::source::validate::expect_match(asked, details)
}

/// The body as text, refused when nested past [`MAX_DEPTH`].
fn checked_text(body: &[u8]) -> Result<&str, FetchError> {
    let text = utf8(body)?;
    if nesting_exceeds(text.as_bytes(), MAX_DEPTH) {
        return Err(malformed(&format!(
            "JSON nested deeper than {MAX_DEPTH} levels"
        )));
    }
    Ok(text)
}

/// Whether brackets outside strings open deeper than `max` levels.
pub fn nesting_exceeds(bytes: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

fn read_envelope<'a>(text: &'a str, body: &[u8]) -> Result<Envelope<'a>, FetchError> {
    read::<Field<Envelope<'a>>>(text, body)?
        .value()
        .ok_or_else(|| malformed("answer is not an object"))
}

/// `data`, or the call's failure: `errors` without `data` is the "API is
/// down" row; neither is a malformed body.
fn data_or_error<'e, 'a>(envelope: &'e Envelope<'a>) -> Result<&'e DataWire<'a>, FetchError> {
    match &envelope.data {
        Field::Is(data) => Ok(data),
        _ => Err(envelope
            .call_error()
            .unwrap_or_else(|| malformed("no `data` in the answer"))),
    }
}

/// The batch was refused for this token: fall back to one match a call.
fn refusal(envelope: &Envelope<'_>) -> Option<Result<BatchAnswer, FetchError>> {
    let message = envelope.messages().find(|message| is_refusal(message))?;
    Some(Ok(BatchAnswer::Refused {
        message: message.to_string(),
    }))
}

/// STRATZ's wording for a query this token may not make.
fn is_refusal(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    ["admin", "not authorized", "permission"]
        .iter()
        .any(|word| message.contains(word))
}

/// A match object, or `None` for `null` and anything not an object.
fn read_match(raw: &RawValue, body: &[u8]) -> Option<MatchWire> {
    read::<Field<MatchWire>>(raw.get(), body).ok()?.value()
}

lenient_object! {
    /// `{"data": ..., "errors": [...]}`.
    struct Envelope<'de> {
        data: Field<DataWire<'de>>,
        errors: Field<Vec<Field<ErrorWire>>>,
    }
}

impl Envelope<'_> {
    fn messages(&self) -> impl Iterator<Item = &str> {
        self.errors
            .as_ref()
            .into_iter()
            .flatten()
            .filter_map(|error| error.as_ref()?.message.as_ref().map(String::as_str))
    }

    /// The first error's message as the failure of the whole call.
    fn call_error(&self) -> Option<FetchError> {
        let message = self
            .messages()
            .next()
            .unwrap_or("GraphQL errors without a message");
        self.errors.as_ref().map(|_| FetchError::GraphQl {
            message: message.to_string(),
        })
    }

    /// Indices `i` of errors whose path starts `prefix, i`.
    fn error_indices(&self, prefix: &[&str]) -> Vec<usize> {
        self.paths()
            .filter_map(|(path, _)| index_after(&path, prefix))
            .collect()
    }

    /// The message of an error whose path is `prefix, index` (or `prefix`
    /// itself, for `index` `usize::MAX`).
    fn error_at(&self, prefix: &[&str], index: usize) -> Option<&str> {
        self.paths().find_map(|(path, message)| {
            let hit = if index == usize::MAX {
                path.len() >= prefix.len() && starts_with(&path, prefix)
            } else {
                index_after(&path, prefix) == Some(index)
            };
            hit.then_some(message.unwrap_or("error"))
        })
    }

    /// Each error's path (a part of another kind as `Other`) and message.
    fn paths(&self) -> impl Iterator<Item = (Vec<PathPart>, Option<&str>)> {
        self.errors
            .as_ref()
            .into_iter()
            .flatten()
            .filter_map(|error| {
                let error = error.as_ref()?;
                let path = error
                    .path
                    .as_ref()?
                    .iter()
                    .map(|part| part.as_ref().cloned().unwrap_or(PathPart::Other))
                    .collect();
                Some((path, error.message.as_ref().map(String::as_str)))
            })
    }
}

fn starts_with(path: &[PathPart], prefix: &[&str]) -> bool {
    prefix
        .iter()
        .zip(path)
        .all(|(want, part)| matches!(part, PathPart::Key(key) if key == want))
}

fn index_after(path: &[PathPart], prefix: &[&str]) -> Option<usize> {
    if !starts_with(path, prefix) {
        return None;
    }
    match path.get(prefix.len()) {
        Some(PathPart::Index(index)) => Some(*index),
        _ => None,
    }
}

/// `data`: whichever of the three queries was asked.
#[derive(Default)]
struct DataWire<'de> {
    player: Field<PlayerWire<'de>>,
    matches: Field<RawList<'de>>,
    /// `match`, a Rust keyword, hence read by hand below.
    one: Option<&'de RawValue>,
}

impl<'de> FromJson<'de> for DataWire<'de> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut data = DataWire::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "player" => data.player = map.next_value()?,
                "matches" => data.matches = map.next_value()?,
                "match" => data.one = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(data))
    }
}

lenient_object! {
    /// `player { matchCount matches(...) }`.
    struct PlayerWire<'de> {
        matchCount: Field<i64>,
        matches: Field<RawList<'de>>,
    }
}

lenient_object! {
    /// One GraphQL error: its message and where it points.
    struct ErrorWire {
        message: Field<String>,
        path: Field<Vec<Field<PathPart>>>,
    }
}

/// One step of an error's `path`: a field name or a list index.
#[derive(Debug, Clone, PartialEq)]
enum PathPart {
    Key(String),
    Index(usize),
    Other,
}

impl FromJson<'_> for PathPart {
    fn from_i64(value: i64) -> Option<Self> {
        Some(usize::try_from(value).map_or(PathPart::Other, PathPart::Index))
    }
    fn from_str(value: &str) -> Option<Self> {
        Some(PathPart::Key(value.to_string()))
    }
}

/// A list kept element by element as text (`null` included), each read on
/// its own so that one bad match spoils only itself.
#[derive(Default)]
struct RawList<'de>(Vec<&'de RawValue>);

impl<'de> FromJson<'de> for RawList<'de> {
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(100).min(1_000));
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            items.push(item);
        }
        Ok(Some(RawList(items)))
    }
}

/// An enum value as its name (`ALL_PICK_RANKED`) or, leniently, the number.
#[derive(Debug, Clone, PartialEq)]
enum NameOrId {
    Name(String),
    Id(i64),
}

impl FromJson<'_> for NameOrId {
    fn from_i64(value: i64) -> Option<Self> {
        Some(NameOrId::Id(value))
    }
    fn from_str(value: &str) -> Option<Self> {
        Some(NameOrId::Name(value.to_string()))
    }
}

impl NameOrId {
    fn id(&self, by_name: fn(&str) -> Option<i64>) -> Option<i64> {
        match self {
            NameOrId::Name(name) => by_name(name),
            NameOrId::Id(id) => Some(*id),
        }
    }
}

/// STRATZ's `GameModeEnumType` names to Valve's `game_mode` (dotaconstants'
/// `game_mode`); `UNKNOWN` and names not listed have no ID.
pub fn game_mode_id(name: &str) -> Option<i64> {
    MODE_NAMES
        .iter()
        .position(|&mode| mode == name)
        .map(|id| id as i64)
}

/// STRATZ's `LobbyTypeEnum` names to Valve's `lobby_type` (dotaconstants'
/// `lobby_type`); names without a Valve counterpart (`DIRE_TIDE`) have none.
pub fn lobby_type_id(name: &str) -> Option<i64> {
    Some(match name {
        "UNRANKED" => 0,
        "PRACTICE" => 1,
        "TOURNAMENT" => 2,
        "TUTORIAL" => 3,
        "COOP_VS_BOTS" => 4,
        "TEAM_MATCH" => 5,
        "SOLO_QUEUE" => 6,
        "RANKED" => 7,
        "SOLO_MID" => 8,
        "BATTLE_CUP" => 9,
        "EVENT" => 12,
        _ => return None,
    })
}

/// The inverse of [`game_mode_id`], for the simulator.
pub fn game_mode_name(id: i64) -> Option<&'static str> {
    usize::try_from(id)
        .ok()
        .and_then(|id| MODE_NAMES.get(id).copied())
}

/// The inverse of [`lobby_type_id`], for the simulator.
pub fn lobby_type_name(id: i64) -> Option<&'static str> {
    LOBBY_NAMES
        .iter()
        .copied()
        .find(|name| lobby_type_id(name) == Some(id))
}

/// `GameModeEnumType` in the order of Valve's IDs, 0 to 24.
const MODE_NAMES: [&str; 25] = [
    "NONE",
    "ALL_PICK",
    "CAPTAINS_MODE",
    "RANDOM_DRAFT",
    "SINGLE_DRAFT",
    "ALL_RANDOM",
    "INTRO",
    "THE_DIRETIDE",
    "REVERSE_CAPTAINS_MODE",
    "THE_GREEVILING",
    "TUTORIAL",
    "MID_ONLY",
    "LEAST_PLAYED",
    "NEW_PLAYER_POOL",
    "COMPENDIUM_MATCHMAKING",
    "CUSTOM",
    "CAPTAINS_DRAFT",
    "BALANCED_DRAFT",
    "ABILITY_DRAFT",
    "EVENT",
    "ALL_RANDOM_DEATH_MATCH",
    "SOLO_MID",
    "ALL_PICK_RANKED",
    "TURBO",
    "MUTATION",
];

/// `LobbyTypeEnum`'s names that have a Valve ID.
const LOBBY_NAMES: [&str; 11] = [
    "UNRANKED",
    "PRACTICE",
    "TOURNAMENT",
    "TUTORIAL",
    "COOP_VS_BOTS",
    "TEAM_MATCH",
    "SOLO_QUEUE",
    "RANKED",
    "SOLO_MID",
    "BATTLE_CUP",
    "EVENT",
];

lenient_object! {
    /// A match object in STRATZ's field names (the fields ARCHITECTURE.md asks).
    struct MatchWire {
        id: Field<i64>,
        sequenceNum: Field<i64>,
        startDateTime: Field<i64>,
        durationSeconds: Field<i64>,
        didRadiantWin: Field<bool>,
        gameMode: Field<NameOrId>,
        lobbyType: Field<NameOrId>,
        players: Field<Vec<Field<PlayerLineWire>>>,
    }
}

lenient_object! {
    /// One player's line in STRATZ's field names.
    struct PlayerLineWire {
        steamAccountId: Field<i64>,
        playerSlot: Field<i64>,
        isRadiant: Field<bool>,
        heroId: Field<i64>,
        kills: Field<i64>,
        deaths: Field<i64>,
        assists: Field<i64>,
        numLastHits: Field<i64>,
        numDenies: Field<i64>,
        goldPerMinute: Field<i64>,
        experiencePerMinute: Field<i64>,
        heroDamage: Field<i64>,
        towerDamage: Field<i64>,
        heroHealing: Field<i64>,
        level: Field<i64>,
        networth: Field<i64>,
        item0Id: Field<i64>,
        item1Id: Field<i64>,
        item2Id: Field<i64>,
        item3Id: Field<i64>,
        item4Id: Field<i64>,
        item5Id: Field<i64>,
        backpack0Id: Field<i64>,
        backpack1Id: Field<i64>,
        backpack2Id: Field<i64>,
        neutral0Id: Field<i64>,
    }
}

impl MatchWire {
    /// The stub's fields, with the tracked player's slot and hero.
    fn entry(&self, match_id: i64, account_id: u32) -> HistoryEntry {
        let tracked = self.players.as_ref().and_then(|players| {
            players
                .iter()
                .filter_map(Field::as_ref)
                .find(|player| player.steamAccountId.get() == Some(i64::from(account_id)))
        });
        HistoryEntry {
            match_id,
            match_seq_num: self.sequenceNum.get(),
            start_time: self.startDateTime.get(),
            lobby_type: self.lobby_type(),
            player_slot: tracked.and_then(|player| player.slot().ok()),
            hero_id: tracked.and_then(|player| player.heroId.get()),
        }
    }

    fn lobby_type(&self) -> Option<i64> {
        self.lobbyType.as_ref()?.id(lobby_type_id)
    }

    /// The model: a match without an ID, or a player without a slot, is
    /// not whole; STRATZ sends no team scores.
    fn into_details(self, raw_json: String) -> Result<MatchDetails, FetchError> {
        let match_id = self.id.get().ok_or_else(|| malformed("match has no id"))?;
        let lobby_type = self.lobby_type();
        let game_mode = self
            .gameMode
            .as_ref()
            .and_then(|mode| mode.id(game_mode_id));
        let players = match self.players {
            Field::Is(players) => players
                .into_iter()
                .map(|player| match player {
                    Field::Is(player) => player.into_details(),
                    _ => Err(malformed("a player is not an object")),
                })
                .collect::<Result<Vec<_>, _>>()?,
            Field::Absent | Field::Null => return Err(malformed("match has no players")),
            Field::Other => return Err(malformed("`players` is not a list")),
        };
        Ok(MatchDetails {
            match_id,
            match_seq_num: self.sequenceNum.get(),
            start_time: self.startDateTime.get(),
            duration: self.durationSeconds.get(),
            game_mode,
            lobby_type,
            radiant_win: self.didRadiantWin.get(),
            radiant_score: None,
            dire_score: None,
            players,
            raw_json,
        })
    }
}

impl PlayerLineWire {
    fn into_details(self) -> Result<PlayerDetails, FetchError> {
        Ok(PlayerDetails {
            player_slot: self.slot()?,
            // Anonymous players come as `null` or Valve's 4294967295.
            account_id: self
                .steamAccountId
                .get()
                .filter(|&id| id != ANONYMOUS_ACCOUNT_ID),
            hero_id: self.heroId.get(),
            kills: self.kills.get(),
            deaths: self.deaths.get(),
            assists: self.assists.get(),
            last_hits: self.numLastHits.get(),
            denies: self.numDenies.get(),
            gold_per_min: self.goldPerMinute.get(),
            xp_per_min: self.experiencePerMinute.get(),
            hero_damage: self.heroDamage.get(),
            tower_damage: self.towerDamage.get(),
            hero_healing: self.heroHealing.get(),
            level: self.level.get(),
            net_worth: self.networth.get(),
            items: [
                self.item0Id.get(),
                self.item1Id.get(),
                self.item2Id.get(),
                self.item3Id.get(),
                self.item4Id.get(),
                self.item5Id.get(),
            ],
            backpack: [
                self.backpack0Id.get(),
                self.backpack1Id.get(),
                self.backpack2Id.get(),
            ],
            item_neutral: self.neutral0Id.get(),
        })
    }

    /// Valve's slot (Dire = 128 + n). A Dire player numbered 0-9 down the
    /// whole lobby, as some STRATZ answers do, is moved to Valve's
    /// numbering by `isRadiant`.
    fn slot(&self) -> Result<i64, FetchError> {
        let slot = self
            .playerSlot
            .get()
            .ok_or_else(|| malformed("a player has no playerSlot"))?;
        Ok(match (slot, self.isRadiant.get()) {
            (0..=4, Some(false)) => 128 + slot,
            (5..=9, Some(false)) => 128 + slot - 5,
            _ => slot,
        })
    }
}

#[cfg(test)]
#[path = "stratz_tests.rs"]
mod tests;
