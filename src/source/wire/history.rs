//! OpenDota's `/players/{id}/matches`: the account's whole history in one
//! list, each row the tracked player's line of one match. With the summary
//! fields projected it is about 1 KB a match (100 MB for 100,000 matches),
//! so it is read as it streams in ([`opendota_history_stream`]): each row
//! becomes its [`HistoryRow`] as soon as its text has arrived and is handed
//! on; neither the body nor a list of rows is ever held whole.
//!
//! The rule is the lenient one of every body ([`super::lenient`]): a row
//! that is not an object is skipped, an object without a `match_id` is
//! skipped and counted, a field of another type is absent. An object in
//! place of the list is OpenDota's error.

use std::fmt;
use std::io::{self, BufReader, Read};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::super::FetchError;
use super::super::model::{HistoryEntry, HistoryRow, MAX_HEROES_TEXT, MatchSummary};
use super::compact::{compact_json, nests_deeper_than};
use super::json::json_error_reason;
use super::lenient::{Field, FromJson, lenient_object};
use super::{MAX_NESTING, check_nesting, malformed, match_api, unreadable, utf8};

/// The history read whole from `body` (tests, fuzzing): the entries only.
pub fn opendota_history_body(body: &[u8]) -> Result<Vec<HistoryEntry>, FetchError> {
    Ok(opendota_history_rows(body)?
        .into_iter()
        .map(|row| row.entry)
        .collect())
}

/// The history read whole from `body`, each row with its summary.
pub fn opendota_history_rows(body: &[u8]) -> Result<Vec<HistoryRow>, FetchError> {
    let text = utf8(body)?;
    check_nesting(text)?;
    let mut rows = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let read = HistorySeed {
        sink: &mut |row| rows.push(row),
    }
    .deserialize(&mut deserializer)
    .and_then(|end| deserializer.end().map(|()| end))
    .map_err(|_| unreadable(body))?;
    finish(read)?;
    Ok(rows)
}

/// Reads the history from `chunks` (the body as it arrives) and hands each
/// row to `sink` as soon as it is read. Answers how many rows were handed
/// on. A chunk that is an error ends the read with that error; so does a
/// body that is not UTF-8, an HTML page, or JSON that breaks off.
///
/// Blocking: the caller runs it on a thread of its own, fed by the task
/// that reads the response.
pub fn opendota_history_stream<C: AsRef<[u8]>>(
    chunks: impl Iterator<Item = Result<C, FetchError>>,
    mut sink: impl FnMut(HistoryRow),
) -> Result<usize, FetchError> {
    let mut body = ChunkReader::new(chunks);
    let mut rows = 0;
    let read = {
        // serde_json reads a byte at a time; a buffer makes each a copy.
        let mut deserializer =
            serde_json::Deserializer::from_reader(BufReader::with_capacity(64 << 10, &mut body));
        HistorySeed {
            sink: &mut |row| {
                rows += 1;
                sink(row);
            },
        }
        .deserialize(&mut deserializer)
        .and_then(|end| deserializer.end().map(|()| end))
    };
    match read {
        Ok(end) => finish(end).map(|()| rows),
        // The chunks' own failure (the transport, UTF-8, HTML) says it best.
        Err(error) => Err(body
            .failure
            .take()
            .unwrap_or_else(|| FetchError::Malformed {
                reason: json_error_reason(&error),
            })),
    }
}

/// What the top level of the body was.
enum HistoryEnd {
    /// The list: how many objects in it had no `match_id`.
    Rows { skipped: usize },
    /// An object instead of the list.
    Object(HistoryErrorWire),
    /// Anything else.
    Other,
}

fn finish(end: HistoryEnd) -> Result<(), FetchError> {
    match end {
        HistoryEnd::Rows { skipped } => {
            if skipped > 0 {
                tracing::warn!(skipped, "skipping OpenDota history rows without a match_id");
            }
            Ok(())
        }
        HistoryEnd::Object(HistoryErrorWire {
            error: Field::Is(message),
        }) => Err(match_api(&message)),
        _ => Err(malformed("match history is not a list")),
    }
}

/// Reads the top level, handing each row to `sink` as it is read.
struct HistorySeed<'s, F: FnMut(HistoryRow)> {
    sink: &'s mut F,
}

impl<'de, F: FnMut(HistoryRow)> DeserializeSeed<'de> for HistorySeed<'_, F> {
    type Value = HistoryEnd;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<HistoryEnd, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, F: FnMut(HistoryRow)> Visitor<'de> for HistorySeed<'_, F> {
    type Value = HistoryEnd;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of matches")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<HistoryEnd, A::Error> {
        let mut skipped = 0;
        while let Some(row) = seq.next_element::<Field<HistoryRowWire>>()? {
            let Some(row) = row.value() else { continue };
            match row.into_row() {
                Some(row) => (self.sink)(row),
                None => skipped += 1,
            }
        }
        Ok(HistoryEnd::Rows { skipped })
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<HistoryEnd, A::Error> {
        Ok(HistoryErrorWire::from_map(map)?.map_or(HistoryEnd::Other, HistoryEnd::Object))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<HistoryEnd, E> {
        Ok(HistoryEnd::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<HistoryEnd, E> {
        Ok(HistoryEnd::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<HistoryEnd, E> {
        Ok(HistoryEnd::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<HistoryEnd, E> {
        Ok(HistoryEnd::Other)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<HistoryEnd, E> {
        Ok(HistoryEnd::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<HistoryEnd, E> {
        Ok(HistoryEnd::Other)
    }
}

lenient_object! {
    /// One row of OpenDota's history: the match and the player's line, in
    /// the fields the history call projects (ARCHITECTURE.md, "Summaries").
    struct HistoryRowWire {
        match_id: Field<i64>,
        match_seq_num: Field<i64>,
        player_slot: Field<i64>,
        radiant_win: Field<bool>,
        start_time: Field<i64>,
        duration: Field<i64>,
        game_mode: Field<i64>,
        lobby_type: Field<i64>,
        hero_id: Field<i64>,
        hero_variant: Field<i64>,
        kills: Field<i64>,
        deaths: Field<i64>,
        assists: Field<i64>,
        gold_per_min: Field<i64>,
        xp_per_min: Field<i64>,
        last_hits: Field<i64>,
        denies: Field<i64>,
        hero_damage: Field<i64>,
        tower_damage: Field<i64>,
        hero_healing: Field<i64>,
        level: Field<i64>,
        leaver_status: Field<i64>,
        party_size: Field<i64>,
        lane_role: Field<i64>,
        average_rank: Field<i64>,
        item_0: Field<i64>,
        item_1: Field<i64>,
        item_2: Field<i64>,
        item_3: Field<i64>,
        item_4: Field<i64>,
        item_5: Field<i64>,
        item_neutral: Field<i64>,
        // Owned: a body read from a stream cannot lend its text.
        heroes: Option<Box<RawValue>>,
    }
}

lenient_object! {
    /// What OpenDota sends instead of a history: `{"error": "..."}`.
    struct HistoryErrorWire {
        error: Field<String>,
    }
}

impl HistoryRowWire {
    /// The row's entry and summary; `None` without a `match_id`.
    fn into_row(self) -> Option<HistoryRow> {
        let match_id = self.match_id.get()?;
        // A slot outside Valve's byte is no slot.
        let player_slot = self
            .player_slot
            .get()
            .filter(|slot| (0..=255).contains(slot));
        let entry = HistoryEntry {
            match_id,
            match_seq_num: self.match_seq_num.get(),
            start_time: self.start_time.get(),
            lobby_type: self.lobby_type.get(),
            player_slot,
            hero_id: self.hero_id.get(),
        };
        let heroes = self
            .heroes
            .map(|raw| compact_json(raw.get()))
            // Stored as sent: it must stay readable by SQLite's JSON
            // functions, which refuse deep nesting (ARCHITECTURE.md, "Hostile
            // servers and files").
            .filter(|text| {
                text.starts_with('{')
                    && text.len() <= MAX_HEROES_TEXT
                    && !nests_deeper_than(text, MAX_NESTING)
            });
        let summary = MatchSummary {
            match_id,
            player_slot,
            radiant_win: self.radiant_win.get(),
            start_time: self.start_time.get(),
            duration: self.duration.get(),
            game_mode: self.game_mode.get(),
            lobby_type: self.lobby_type.get(),
            hero_id: self.hero_id.get(),
            hero_variant: self.hero_variant.get(),
            kills: self.kills.get(),
            deaths: self.deaths.get(),
            assists: self.assists.get(),
            gold_per_min: self.gold_per_min.get(),
            xp_per_min: self.xp_per_min.get(),
            last_hits: self.last_hits.get(),
            denies: self.denies.get(),
            hero_damage: self.hero_damage.get(),
            tower_damage: self.tower_damage.get(),
            hero_healing: self.hero_healing.get(),
            level: self.level.get(),
            leaver_status: self.leaver_status.get(),
            party_size: self.party_size.get(),
            lane_role: self.lane_role.get(),
            average_rank: self.average_rank.get(),
            items: [
                self.item_0.get(),
                self.item_1.get(),
                self.item_2.get(),
                self.item_3.get(),
                self.item_4.get(),
                self.item_5.get(),
            ],
            item_neutral: self.item_neutral.get(),
            heroes,
        };
        Some(HistoryRow {
            entry,
            summary: Some(summary),
        })
    }
}

/// The body's chunks as a byte stream for serde_json, checked as they pass
/// as the whole body is checked elsewhere: UTF-8 (a character may straddle
/// two chunks) and not an HTML page. What went wrong is kept in `failure`,
/// for serde_json only sees an I/O error.
struct ChunkReader<I> {
    chunks: I,
    /// The checked text of the current chunk not yet read.
    current: Vec<u8>,
    at: usize,
    /// The start of a character cut off at the end of the last chunk.
    carry: Vec<u8>,
    /// The first byte that is not whitespace has been seen.
    started: bool,
    failure: Option<FetchError>,
}

impl<C: AsRef<[u8]>, I: Iterator<Item = Result<C, FetchError>>> ChunkReader<I> {
    fn new(chunks: I) -> ChunkReader<I> {
        ChunkReader {
            chunks,
            current: Vec::new(),
            at: 0,
            carry: Vec::new(),
            started: false,
            failure: None,
        }
    }

    /// The next chunk's text into `current`; `false` at the end of the body.
    fn next_chunk(&mut self) -> io::Result<bool> {
        let chunk = match self.chunks.next() {
            Some(Ok(chunk)) => chunk,
            Some(Err(error)) => return Err(self.fail(error)),
            None if self.carry.is_empty() => return Ok(false),
            None => return Err(self.fail(not_utf8())),
        };
        let mut text = std::mem::take(&mut self.carry);
        text.extend_from_slice(chunk.as_ref());
        match std::str::from_utf8(&text) {
            Ok(_) => {}
            // Only the last character is cut off: it ends in the next chunk.
            Err(error) if error.error_len().is_none() => {
                self.carry = text.split_off(error.valid_up_to());
            }
            Err(_) => return Err(self.fail(not_utf8())),
        }
        if !self.started
            && let Some(&first) = text.iter().find(|byte| !byte.is_ascii_whitespace())
        {
            self.started = true;
            if first == b'<' {
                return Err(self.fail(malformed("expected JSON, got an HTML page")));
            }
        }
        self.current = text;
        self.at = 0;
        Ok(true)
    }

    fn fail(&mut self, error: FetchError) -> io::Error {
        self.failure = Some(error);
        io::Error::other("the body could not be read")
    }
}

fn not_utf8() -> FetchError {
    malformed("the body is not UTF-8 text")
}

impl<C: AsRef<[u8]>, I: Iterator<Item = Result<C, FetchError>>> Read for ChunkReader<I> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.failure.is_some() {
            return Err(io::Error::other("the body could not be read"));
        }
        while self.at == self.current.len() {
            if !self.next_chunk()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.current.len() - self.at);
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stream(body: &[u8], cuts: &[usize]) -> Result<Vec<HistoryRow>, FetchError> {
        let mut at = 0;
        let mut chunks = Vec::new();
        for &cut in cuts {
            let cut = cut.min(body.len()).max(at);
            chunks.push(Ok(body[at..cut].to_vec()));
            at = cut;
        }
        chunks.push(Ok(body[at..].to_vec()));
        let mut rows = Vec::new();
        let count = opendota_history_stream(chunks.into_iter(), |row| rows.push(row))?;
        assert_eq!(count, rows.len());
        Ok(rows)
    }

    const PLAYERCACHE: &str =
        include_str!("../../../tests/fixtures/odota-core__json__7490235544_playercache_api_0.json");

    #[test]
    fn a_projected_row_is_its_summary() {
        let body = format!("[{PLAYERCACHE}]");
        let rows = stream(body.as_bytes(), &[7, 100, 101, 102]).unwrap();
        assert_eq!(rows.len(), 1);
        let summary = rows[0].summary.as_ref().unwrap();
        assert_eq!(summary.match_id, 7490235544);
        assert_eq!(summary.player_slot, Some(0));
        assert_eq!(summary.radiant_win, Some(true));
        assert_eq!(
            (summary.kills, summary.deaths, summary.assists),
            (Some(10), Some(1), Some(10))
        );
        assert_eq!(summary.gold_per_min, Some(737));
        assert_eq!(summary.item_neutral, Some(309));
        assert_eq!(summary.items[5], Some(112));
        assert_eq!(summary.lane_role, None);
        let heroes = summary.heroes.as_deref().unwrap();
        assert!(heroes.starts_with(r#"{"0":{"account_id":124801257,"hero_id":54},"1":"#));
        assert!(!heroes.contains([' ', '\n']));
        assert_eq!(rows[0].entry.hero_id, Some(54));
        assert_eq!(opendota_history_rows(body.as_bytes()).unwrap(), rows);
    }

    #[test]
    fn heroes_nested_past_the_limit_are_absent() {
        let deep = format!(r#"{{"0":{}1{}}}"#, "[".repeat(300), "]".repeat(300));
        assert!(deep.len() <= MAX_HEROES_TEXT);
        let body = format!(r#"[{{"match_id":1,"heroes":{deep}}}]"#);
        let mut rows = Vec::new();
        opendota_history_stream(
            std::iter::once(Ok::<_, FetchError>(body.as_bytes())),
            |row| rows.push(row),
        )
        .unwrap();
        assert_eq!(rows[0].summary.as_ref().unwrap().heroes, None);
    }

    #[test]
    fn heroes_that_are_not_a_slot_map_are_absent() {
        let long = format!(r#"{{"0":"{}"}}"#, "x".repeat(MAX_HEROES_TEXT));
        for heroes in ["null", "[1,2]", "\"0\"", "5", long.as_str()] {
            let body = format!(r#"[{{"match_id":1,"heroes":{heroes}}}]"#);
            let rows = stream(body.as_bytes(), &[3]).unwrap();
            assert_eq!(rows[0].summary.as_ref().unwrap().heroes, None, "{heroes}");
        }
    }

    #[test]
    fn a_slot_outside_the_byte_is_no_slot() {
        let rows = stream(br#"[{"match_id":1,"player_slot":300}]"#, &[]).unwrap();
        assert_eq!(rows[0].entry.player_slot, None);
    }

    #[test]
    fn what_breaks_the_stream_is_named() {
        let failure = |body: &[u8]| stream(body, &[1, 2, 3]).unwrap_err();
        assert_eq!(
            failure(b"  <html>oops</html>"),
            malformed("expected JSON, got an HTML page")
        );
        assert_eq!(failure(b"[{\"match_id\": 1},"), {
            FetchError::Malformed {
                reason: "JSON body ends early at line 1 column 17".into(),
            }
        });
        assert_eq!(failure(b"[\"\xff\"]"), not_utf8());
        // A character cut off by the end of the body.
        assert_eq!(failure(b"[\"\xc3"), not_utf8());
        assert_eq!(failure(br#"{"error":"bad id"}"#), match_api("bad id"));
        // The transport's own error wins over the JSON it broke off.
        let chunks = vec![
            Ok(b"[{\"match_id\":1},".to_vec()),
            Err(FetchError::Transport {
                kind: crate::source::TransportKind::Timeout,
            }),
        ];
        let mut rows = 0;
        let error = opendota_history_stream(chunks.into_iter(), |_| rows += 1).unwrap_err();
        assert_eq!(
            error,
            FetchError::Transport {
                kind: crate::source::TransportKind::Timeout
            }
        );
        assert_eq!(rows, 1, "the row read before the break was handed on");
    }

    proptest! {
        /// Cut anywhere (inside a character, a key, a number), the stream
        /// reads what the whole body reads.
        #[test]
        fn the_stream_reads_what_the_whole_body_reads(
            rows in prop::collection::vec((1i64..1_000_000, prop::option::of(0i64..256), any::<bool>()), 0..8),
            cuts in prop::collection::vec(0usize..400, 0..6),
            tail in prop::sample::select(vec!["", " ", "]", ",", "x", "\u{e9}"]),
        ) {
            let rows: Vec<String> = rows
                .iter()
                .map(|(id, slot, win)| {
                    let slot = slot.map_or("null".to_string(), |s| s.to_string());
                    format!(r#"{{"match_id":{id},"player_slot":{slot},"radiant_win":{win},"name":"\u00e9é","heroes":{{"0":{{"hero_id":1}}}}}}"#)
                })
                .collect();
            let mut body = format!("[\n{}\n]", rows.join(",\n"));
            body.push_str(tail);
            let mut cuts = cuts;
            cuts.sort_unstable();
            let whole = opendota_history_rows(body.as_bytes());
            let streamed = stream(body.as_bytes(), &cuts);
            prop_assert_eq!(whole.is_ok(), streamed.is_ok(), "{}", body);
            if let (Ok(whole), Ok(streamed)) = (whole, streamed) {
                prop_assert_eq!(whole, streamed);
            }
        }
    }
}
