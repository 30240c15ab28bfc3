//! The fast path for match details: typed, lenient serde structs read
//! straight from the body text, with the match object's text kept verbatim
//! through [`RawValue`].
//!
//! Building a `serde_json::Value` per response (a map allocation per object,
//! a string per key) was most of phase 2's client-side cost. Here the body is
//! read without building anything but the model.
//!
//! This path only ever answers for the healthy case. Whenever it meets
//! something else (an error body, a missing `match_id`, `players` that is not
//! a list, a player without a slot, a duplicated key...) it answers `None`
//! and the caller falls back to the `Value` readers in [`super::parse`], so
//! every unusual body is judged by exactly the same code as before.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::model::{ANONYMOUS_ACCOUNT_ID, MatchDetails, PlayerDetails};

/// Steam's `result.status` for success.
const STEAM_STATUS_OK: i64 = 1;

/// The body as text, if it is JSON that `serde_json::Value` would accept.
///
/// Skipping over the fields we do not read is laxer than building a `Value`
/// (no check of `\u` surrogates, of numbers beyond f64, of nesting depth), so
/// the whole body is first walked once with the same checks, allocating
/// nothing. A body that fails them goes to the `Value` path, which reports
/// the error exactly as before.
pub fn json_text(body: &[u8]) -> Option<&str> {
    // UTF-8 first: it is checked far faster over the whole body at once than
    // string by string, which reading from `&str` then skips.
    let text = std::str::from_utf8(body).ok()?;
    serde_json::from_str::<Checked>(text).ok()?;
    Some(text)
}

/// A `GetMatchDetails` body whose `result` is a healthy match.
pub fn steam_details(text: &str) -> Option<MatchDetails> {
    let result = from_text::<ResultEnvelope>(text)?.result?;
    let wire = from_text::<MatchWire>(result.get())?;
    if wire.reports_failure() {
        return None;
    }
    wire.into_details(result.get())
}

/// A `GetMatchHistoryBySequenceNum` body with a healthy first match.
pub fn steam_sequence(text: &str) -> Option<MatchDetails> {
    let listing = from_text::<SequenceEnvelope>(text)?.result?.0;
    if listing.reports_failure() {
        return None;
    }
    let ListHead::First(Some(first)) = listing.matches else {
        return None;
    };
    from_text::<MatchWire>(first.get())?.into_details(first.get())
}

/// An OpenDota `/matches/{id}` body: the match object itself.
pub fn opendota_match(text: &str) -> Option<MatchDetails> {
    // `text` is known to be one JSON value, so the match's own text is the
    // body without the whitespace around it: what a `RawValue` would hold,
    // without a pass over a body that can be large.
    let object = text.trim_matches(is_json_whitespace);
    from_text::<MatchWire>(object)?.into_details(object)
}

/// Whitespace as JSON defines it (and serde_json skips).
fn is_json_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\n' | '\t' | '\r')
}

/// Reads a JSON object (never an array, which serde would otherwise accept
/// for a struct, field by field in order).
fn from_text<'a, T: Deserialize<'a>>(text: &'a str) -> Option<T> {
    serde_json::from_str::<ObjectOnly<T>>(text)
        .ok()
        .map(|object| object.0)
}

/// `{"result": ...}`, the wrapper of every Steam IDOTA2Match body.
#[derive(serde::Deserialize)]
struct ResultEnvelope<'a> {
    #[serde(borrow)]
    result: Option<&'a RawValue>,
}

/// `{"result": ...}` around `GetMatchHistoryBySequenceNum`'s listing, read in
/// the same pass as the listing.
#[derive(serde::Deserialize)]
struct SequenceEnvelope<'a> {
    #[serde(borrow)]
    result: Option<ObjectOnly<SequenceResult<'a>>>,
}

/// `GetMatchHistoryBySequenceNum`'s `result`: a status and a list of matches,
/// of which only the first is read.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct SequenceResult<'a> {
    #[serde(deserialize_with = "is_text")]
    error: bool,
    #[serde(deserialize_with = "lenient_i64")]
    status: Option<i64>,
    #[serde(borrow, deserialize_with = "list_head")]
    matches: ListHead<'a>,
}

impl SequenceResult<'_> {
    fn reports_failure(&self) -> bool {
        self.error || self.status.is_some_and(|status| status != STEAM_STATUS_OK)
    }
}

/// A match object in Valve's field names. `error` and `status` are only
/// meaningful in `GetMatchDetails`' `result`, which is both the match and
/// the place Steam reports a failure.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct MatchWire {
    #[serde(deserialize_with = "lenient_i64")]
    match_id: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    match_seq_num: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    start_time: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    duration: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    game_mode: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    lobby_type: Option<i64>,
    #[serde(deserialize_with = "lenient_flag")]
    radiant_win: Option<bool>,
    #[serde(deserialize_with = "lenient_i64")]
    radiant_score: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    dire_score: Option<i64>,
    /// `None` when absent or `null`; anything but a list of objects fails the
    /// fast path.
    players: Option<Vec<ObjectOnly<PlayerWire>>>,
    #[serde(deserialize_with = "is_text")]
    error: bool,
    #[serde(deserialize_with = "lenient_i64")]
    status: Option<i64>,
}

impl MatchWire {
    fn reports_failure(&self) -> bool {
        self.error || self.status.is_some_and(|status| status != STEAM_STATUS_OK)
    }

    /// The model, with `raw` (this match object's text) as `raw_json`.
    fn into_details(self, raw: &str) -> Option<MatchDetails> {
        let players = self
            .players
            .unwrap_or_default()
            .into_iter()
            .map(|player| player.0.into_details())
            .collect::<Option<Vec<_>>>()?;
        Some(MatchDetails {
            match_id: self.match_id?,
            match_seq_num: self.match_seq_num,
            start_time: self.start_time,
            duration: self.duration,
            game_mode: self.game_mode,
            lobby_type: self.lobby_type,
            radiant_win: self.radiant_win,
            radiant_score: self.radiant_score,
            dire_score: self.dire_score,
            players,
            raw_json: raw.to_string(),
        })
    }
}

/// One player's line in Valve's field names.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PlayerWire {
    #[serde(deserialize_with = "lenient_i64")]
    player_slot: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    team_number: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    team_slot: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    account_id: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    hero_id: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    kills: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    deaths: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    assists: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    last_hits: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    denies: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    gold_per_min: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    xp_per_min: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    hero_damage: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    tower_damage: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    hero_healing: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    level: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    net_worth: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    item_0: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    item_1: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    item_2: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    item_3: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    item_4: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    item_5: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    backpack_0: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    backpack_1: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    backpack_2: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    item_neutral: Option<i64>,
}

impl PlayerWire {
    /// `None` when the player has no slot (the `Value` path names the error).
    fn into_details(self) -> Option<PlayerDetails> {
        Some(PlayerDetails {
            player_slot: self.slot()?,
            account_id: self.account_id.filter(|&id| id != ANONYMOUS_ACCOUNT_ID),
            hero_id: self.hero_id,
            kills: self.kills,
            deaths: self.deaths,
            assists: self.assists,
            last_hits: self.last_hits,
            denies: self.denies,
            gold_per_min: self.gold_per_min,
            xp_per_min: self.xp_per_min,
            hero_damage: self.hero_damage,
            tower_damage: self.tower_damage,
            hero_healing: self.hero_healing,
            level: self.level,
            net_worth: self.net_worth,
            items: [
                self.item_0,
                self.item_1,
                self.item_2,
                self.item_3,
                self.item_4,
                self.item_5,
            ],
            backpack: [self.backpack_0, self.backpack_1, self.backpack_2],
            item_neutral: self.item_neutral,
        })
    }

    /// `player_slot`, or Valve's encoding (Dire = 128 + n) rebuilt from the
    /// newer `team_number`/`team_slot`.
    fn slot(&self) -> Option<i64> {
        if self.player_slot.is_some() {
            return self.player_slot;
        }
        match (self.team_number, self.team_slot) {
            (Some(team @ 0..=1), Some(slot @ 0..=127)) => Some(team * 128 + slot),
            _ => None,
        }
    }
}

/// A whole number that fits i64; anything else (null, text, fractions, bools,
/// lists, objects, u64 beyond i64) is `None` rather than an error, as
/// `Value::as_i64` would have it.
pub fn lenient_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    struct LenientI64;
    impl<'de> Visitor<'de> for LenientI64 {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
            Ok(Some(value))
        }
        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
            Ok(i64::try_from(value).ok())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            skip_seq(seq).map(|()| None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            skip_map(map).map(|()| None)
        }
    }
    deserializer.deserialize_any(LenientI64)
}

/// `radiant_win`: `true`/`false` in newer bodies, 1/0 in older ones;
/// anything else is `None`.
fn lenient_flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    struct LenientFlag;
    impl<'de> Visitor<'de> for LenientFlag {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
            Ok(Some(value))
        }
        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
            Ok(match value {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            })
        }
        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
            Ok(match value {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            })
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            skip_seq(seq).map(|()| None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            skip_map(map).map(|()| None)
        }
    }
    deserializer.deserialize_any(LenientFlag)
}

/// Whether a field is a string (an `error` text); any other value is read
/// and dropped.
fn is_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    struct IsText;
    impl<'de> Visitor<'de> for IsText {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<bool, E> {
            Ok(true)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
            skip_seq(seq).map(|()| false)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
            skip_map(map).map(|()| false)
        }
    }
    deserializer.deserialize_any(IsText)
}

/// What a `matches` field held.
#[derive(Default)]
enum ListHead<'a> {
    /// Absent.
    #[default]
    Missing,
    /// `null`, or anything but a list.
    NotAList,
    /// A list, and its first element's text if it has one.
    First(Option<&'a RawValue>),
}

/// Keeps the first element of a list as text and skips the rest unread.
fn list_head<'de, D: Deserializer<'de>>(deserializer: D) -> Result<ListHead<'de>, D::Error> {
    struct Head;
    impl<'de> Visitor<'de> for Head {
        type Value = ListHead<'de>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let first = seq.next_element::<&'de RawValue>()?;
            skip_seq(seq)?;
            Ok(ListHead::First(first))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            skip_map(map).map(|()| ListHead::NotAList)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(ListHead::NotAList)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(ListHead::NotAList)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(ListHead::NotAList)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(ListHead::NotAList)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(ListHead::NotAList)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(ListHead::NotAList)
        }
    }
    deserializer.deserialize_any(Head)
}

fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// A `T` read only from a JSON object.
struct ObjectOnly<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Object<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }
        deserializer
            .deserialize_map(Object(PhantomData))
            .map(ObjectOnly)
    }
}

/// Any JSON value, checked as strictly as `serde_json::Value` checks it
/// (every string's escapes and UTF-8, every number's range, the nesting
/// limit) and then dropped: `deserialize_any` all the way down.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CheckedVisitor)
    }
}

struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Checked;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_entry::<Checked, Checked>()?.is_some() {}
        Ok(Checked)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::super::FetchError;
    use super::super::http::parse_json_body;
    use super::super::model::MatchDetails;
    use super::super::parse;

    type BodyReader = fn(&[u8], i64) -> Result<MatchDetails, FetchError>;
    type ValueReader = fn(&Value, i64) -> Result<MatchDetails, FetchError>;

    /// Each endpoint's byte reader beside the `Value` reader it must agree with.
    const ENDPOINTS: [(&str, BodyReader, ValueReader); 3] = [
        (
            "details",
            parse::steam_details_body,
            parse::steam_details_reply,
        ),
        (
            "sequence",
            parse::steam_sequence_body,
            parse::steam_sequence_reply,
        ),
        (
            "opendota",
            parse::opendota_details_body,
            parse::opendota_details_reply,
        ),
    ];

    /// `match_object` wrapped as each endpoint sends it.
    fn wrap(endpoint: &str, match_object: &str) -> String {
        match endpoint {
            "details" => format!(r#"{{"result":{match_object}}}"#),
            "sequence" => format!(r#"{{"result":{{"status":1,"matches":[{match_object}]}}}}"#),
            _ => match_object.to_string(),
        }
    }

    /// What the code before the fast path answered for `body`.
    fn by_value(body: &[u8], asked: i64, reader: ValueReader) -> Result<MatchDetails, FetchError> {
        reader(&parse_json_body(body)?, asked)
    }

    /// Equal, except that `raw_json` need only hold the same JSON: the
    /// `Value` path re-serializes it, the fast path keeps the API's text.
    fn assert_agree(
        new: Result<MatchDetails, FetchError>,
        old: Result<MatchDetails, FetchError>,
        context: &str,
    ) {
        match (new, old) {
            (Ok(mut new), Ok(mut old)) => {
                let new_raw: Value = serde_json::from_str(&new.raw_json).unwrap();
                let old_raw: Value = serde_json::from_str(&old.raw_json).unwrap();
                assert_eq!(new_raw, old_raw, "raw_json, {context}");
                new.raw_json.clear();
                old.raw_json.clear();
                assert_eq!(new, old, "{context}");
            }
            (new, old) => assert_eq!(new, old, "{context}"),
        }
    }

    /// The fast path, the `Value` path and the body reader, for one body.
    fn check_all_endpoints(match_object: &str, asked: i64) {
        for (endpoint, body_reader, value_reader) in ENDPOINTS {
            let body = wrap(endpoint, match_object);
            assert_agree(
                body_reader(body.as_bytes(), asked),
                by_value(body.as_bytes(), asked, value_reader),
                &format!("{endpoint}: {body}"),
            );
        }
    }

    fn sequence(match_object: &str) -> Result<MatchDetails, FetchError> {
        let body = wrap("sequence", match_object);
        parse::steam_sequence_body(body.as_bytes(), 42)
    }

    #[test]
    fn numbers_that_are_not_whole_i64_become_none() {
        let details = sequence(
            r#"{"match_id":42,"duration":"1888","start_time":1.5,"game_mode":true,
                "lobby_type":{"id":7},"radiant_score":[1],"dire_score":null,
                "match_seq_num":18446744073709551615,
                "players":[{"player_slot":0,"kills":"12","deaths":3.0,"assists":false,
                            "item_0":18446744073709551615,"item_3":50,"hero_id":-1}]}"#,
        )
        .unwrap();
        assert_eq!(details.duration, None);
        assert_eq!(details.start_time, None);
        assert_eq!(details.game_mode, None);
        assert_eq!(details.lobby_type, None);
        assert_eq!(details.radiant_score, None);
        assert_eq!(details.dire_score, None);
        assert_eq!(details.match_seq_num, None);
        let player = &details.players[0];
        assert_eq!(
            (player.kills, player.deaths, player.assists),
            (None, None, None)
        );
        assert_eq!(player.items, [None, None, None, Some(50), None, None]);
        assert_eq!(player.hero_id, Some(-1));
    }

    #[test]
    fn radiant_win_as_bool_or_number() {
        for (text, expected) in [
            ("true", Some(true)),
            ("false", Some(false)),
            ("1", Some(true)),
            ("0", Some(false)),
            ("2", None),
            ("1.0", None),
            ("\"true\"", None),
            ("null", None),
            ("{}", None),
        ] {
            let object = format!(r#"{{"match_id":42,"radiant_win":{text}}}"#);
            assert_eq!(sequence(&object).unwrap().radiant_win, expected, "{text}");
            check_all_endpoints(&object, 42);
        }
    }

    #[test]
    fn huge_logos_are_kept_digit_for_digit() {
        let object =
            r#"{"match_id":42,"radiant_logo":18446744073709551615,"dire_logo":1e300,"players":[]}"#;
        let details = sequence(object).unwrap();
        assert_eq!(details.raw_json, object);
        check_all_endpoints(object, 42);
    }

    #[test]
    fn anonymous_and_bot_players_have_no_account() {
        let object = r#"{"match_id":42,"players":[
            {"account_id":7,"player_slot":0},
            {"account_id":4294967295,"player_slot":128},
            {"account_id":null,"player_slot":129},
            {"player_slot":130},
            {"account_id":"7","player_slot":131}]}"#;
        let accounts: Vec<_> = sequence(object)
            .unwrap()
            .players
            .iter()
            .map(|player| player.account_id)
            .collect();
        assert_eq!(accounts, [Some(7), None, None, None, None]);
        check_all_endpoints(object, 42);
    }

    #[test]
    fn missing_or_null_players_are_an_empty_list() {
        for object in [r#"{"match_id":42}"#, r#"{"match_id":42,"players":null}"#] {
            assert!(sequence(object).unwrap().players.is_empty(), "{object}");
            check_all_endpoints(object, 42);
        }
    }

    #[test]
    fn slot_rebuilt_from_team_fields() {
        let object = r#"{"match_id":42,"players":[{"team_number":1,"team_slot":2},
                                                  {"player_slot":"3","team_number":0,"team_slot":3}]}"#;
        let slots: Vec<_> = sequence(object)
            .unwrap()
            .players
            .iter()
            .map(|player| player.player_slot)
            .collect();
        assert_eq!(slots, [130, 3]);
        check_all_endpoints(object, 42);
    }

    #[test]
    fn unusable_matches_are_malformed_as_before() {
        for object in [
            r#"{"players":[]}"#,
            r#"{"match_id":"42","players":[]}"#,
            r#"{"match_id":42.0}"#,
            r#"{"match_id":null}"#,
            r#"{"match_id":42,"players":{}}"#,
            r#"{"match_id":42,"players":"none"}"#,
            r#"{"match_id":42,"players":[5]}"#,
            // An array would fill a derived struct field by field.
            r#"{"match_id":42,"players":[[0,7]]}"#,
            r#"{"match_id":42,"players":[{"hero_id":2}]}"#,
            r#"{"match_id":42,"players":[{"team_number":2,"team_slot":1}]}"#,
            r#"[42,1,2,3]"#,
            r#"42"#,
        ] {
            assert!(
                matches!(sequence(object), Err(FetchError::Malformed { .. })),
                "{object}"
            );
            check_all_endpoints(object, 42);
        }
    }

    #[test]
    fn raw_json_is_the_match_text_as_sent() {
        // Steam's own layout: tabs, newlines, keys in its order, escapes.
        let object = "{\n\t\"players\": [\n\t\t{\"player_slot\": 0, \"account_id\": 4294967295}\n\t],\n\t\"match_id\": 42,\n\t\"name\": \"caf\\u00e9 \\\"x\\\"\",\n\t\"radiant_logo\": 18446744073709551615\n}";
        for (endpoint, body_reader, _) in ENDPOINTS {
            let body = match endpoint {
                "details" => format!("{{ \"result\" : {object} }}\n"),
                "sequence" => format!(
                    "{{\"result\": {{\"status\": 1, \"matches\": [ {object} , {{\"match_id\": 43}}]}}}}"
                ),
                _ => format!("\n {object} \r\n"),
            };
            let details = body_reader(body.as_bytes(), 42).unwrap();
            assert_eq!(details.raw_json, object, "{endpoint}");
        }
    }

    #[test]
    fn fixtures_agree_with_the_value_path_and_keep_their_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for (name, endpoint) in [
            (
                "bohdaq-steam-webapi-rust-sdk__get_match_details__1461414523.json",
                "details",
            ),
            ("odota-core__json__details_api.json", "details"),
            ("odota-core__json__sequence_api.json", "sequence"),
            ("odota-core__json__3254426673_output.json", "opendota"),
        ] {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            let (_, body_reader, value_reader) = ENDPOINTS
                .into_iter()
                .find(|(known, _, _)| *known == endpoint)
                .unwrap();
            let value: Value = serde_json::from_str(&text).unwrap();
            let asked = match endpoint {
                "details" => value["result"]["match_id"].as_i64(),
                "sequence" => value["result"]["matches"][0]["match_id"].as_i64(),
                _ => value["match_id"].as_i64(),
            }
            .unwrap();
            let new = body_reader(text.as_bytes(), asked);
            let raw = new.as_ref().unwrap().raw_json.clone();
            assert!(text.contains(&raw), "{name}: raw_json is not the sent text");
            assert!(raw.starts_with('{') && raw.ends_with('}'), "{name}");
            assert_agree(new, value_reader(&value, asked), name);
        }
    }

    #[test]
    fn error_bodies_are_classified_as_before() {
        let bodies: &[&[u8]] = &[
            br#"{"result":{"error":"Match ID not found"}}"#,
            br#"{"result":{"status":2,"statusDetail":"Error retrieving match data."}}"#,
            br#"{"result":{"status":15,"statusDetail":"Cannot get match history"}}"#,
            br#"{"result":{"status":"2","match_id":42,"error":7}}"#,
            br#"{"result":{"status":1,"matches":[]}}"#,
            br#"{"result":{"status":1,"matches":null}}"#,
            br#"{"result":{"status":1,"matches":{}}}"#,
            br#"{"result":{"status":1}}"#,
            br#"{"result":null}"#,
            br#"{"result":[]}"#,
            br#"{"result":5}"#,
            br#"[{"match_id":42}]"#,
            br#"{}"#,
            br#"{"error":"Not Found"}"#,
            br#"{"error":"Not Found","match_id":null}"#,
            br#"{"error":"rate limited","match_id":42}"#,
            br#"<html><body>Service Unavailable</body></html>"#,
            br#"{"result":{"match_id":42,"players":["#,
            br#"{"result":{"match_id":42}} trailing"#,
            b"",
            b"\xff\xfe",
            // Duplicate keys: the Value path keeps the last one.
            br#"{"match_id":1,"match_id":42}"#,
            br#"{"result":{"match_id":1,"match_id":42}}"#,
            br#"{"result":{"status":1,"matches":[{"match_id":42}],"matches":[{"match_id":1}]}}"#,
            // Skipping a field checks less than building a Value does.
            br#"{"match_id":42,"chat":"\ud800"}"#,
            br#"{"result":{"match_id":42,"chat":"\ud800"}}"#,
            br#"{"match_id":42,"gold":1e400}"#,
            b"{\"match_id\":42,\"name\":\"\xff\"}",
        ];
        for body in bodies {
            for (endpoint, body_reader, value_reader) in ENDPOINTS {
                assert_agree(
                    body_reader(body, 42),
                    by_value(body, 42, value_reader),
                    &format!("{endpoint}: {}", String::from_utf8_lossy(body)),
                );
            }
        }
    }

    #[test]
    fn nesting_beyond_the_value_limit_is_malformed_as_before() {
        let deep = format!(
            r#"{{"match_id":42,"deep":{}{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        let result = parse::opendota_details_body(deep.as_bytes(), 42);
        assert!(
            matches!(result, Err(FetchError::Malformed { .. })),
            "{result:?}"
        );
        check_all_endpoints(&deep, 42);
    }

    #[test]
    fn lenient_i64_reads_only_whole_numbers_in_range() {
        #[derive(serde::Deserialize)]
        struct Field {
            #[serde(deserialize_with = "super::lenient_i64")]
            n: Option<i64>,
        }
        for (text, expected) in [
            ("5", Some(5)),
            ("-5", Some(-5)),
            ("9223372036854775807", Some(i64::MAX)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
            ("18446744073709551616", None),
            ("5.0", None),
            ("5e2", None),
            ("\"5\"", None),
            ("true", None),
            ("null", None),
            ("[5]", None),
            (r#"{"n":5}"#, None),
        ] {
            let field: Field = serde_json::from_str(&format!(r#"{{"n":{text}}}"#)).unwrap();
            assert_eq!(field.n, expected, "{text}");
        }
    }

    /// A value of any JSON type, leaning towards numbers near the edges.
    fn odd_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            4 => (-3i64..300).prop_map(Value::from),
            1 => Just(json!(4_294_967_295u64)),
            1 => Just(json!(u64::MAX)),
            1 => Just(json!(i64::MIN)),
            1 => Just(json!(1.5)),
            1 => Just(json!(2.0)),
            1 => Just(json!("7")),
            1 => Just(json!(true)),
            1 => Just(json!(false)),
            1 => Just(Value::Null),
            1 => Just(json!([1, {"a": 2}])),
            1 => Just(json!({"x": [1]})),
        ]
    }

    const MATCH_FIELDS: [&str; 13] = [
        "match_id",
        "match_seq_num",
        "start_time",
        "duration",
        "game_mode",
        "lobby_type",
        "radiant_win",
        "radiant_score",
        "dire_score",
        "radiant_logo",
        "error",
        "status",
        "statusDetail",
    ];
    const PLAYER_FIELDS: [&str; 12] = [
        "player_slot",
        "team_number",
        "team_slot",
        "account_id",
        "hero_id",
        "kills",
        "item_0",
        "item_5",
        "backpack_2",
        "item_neutral",
        "net_worth",
        "ability_upgrades",
    ];

    /// An object holding a random subset of `fields`, each with an odd value.
    fn object_of(fields: &'static [&'static str]) -> impl Strategy<Value = Value> {
        proptest::collection::vec(proptest::option::of(odd_value()), fields.len()).prop_map(
            move |values| {
                let object: serde_json::Map<String, Value> = fields
                    .iter()
                    .zip(values)
                    .filter_map(|(field, value)| Some((field.to_string(), value?)))
                    .collect();
                Value::Object(object)
            },
        )
    }

    fn odd_match() -> impl Strategy<Value = Value> {
        let player = prop_oneof![
            8 => object_of(&PLAYER_FIELDS),
            1 => odd_value(),
        ];
        let players = prop_oneof![
            6 => proptest::collection::vec(player, 0..4).prop_map(Value::Array),
            1 => Just(Value::Null),
            1 => odd_value(),
        ];
        (
            object_of(&MATCH_FIELDS),
            proptest::option::of(players),
            any::<bool>(),
        )
            .prop_map(|(mut object, players, small_id)| {
                if let (Some(players), Some(map)) = (players, object.as_object_mut()) {
                    map.insert("players".into(), players);
                }
                // Often a plain ID, so that most cases reach the players.
                if small_id && let Some(map) = object.as_object_mut() {
                    map.insert("match_id".into(), json!(42));
                }
                object
            })
    }

    proptest! {
        #[test]
        fn byte_readers_agree_with_the_value_readers(
            object in odd_match(),
            pretty in any::<bool>(),
        ) {
            let text = if pretty {
                serde_json::to_string_pretty(&object).unwrap()
            } else {
                object.to_string()
            };
            check_all_endpoints(&text, 42);
        }
    }
}
