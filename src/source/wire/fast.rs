//! One pass over a match body as sent, for the bodies every sync reads by the
//! thousand: it checks the JSON, keeps the match object's text without its
//! whitespace, and fills the same [`MatchWire`] the serde reader fills, all at
//! once (docs/performance.md, "Phase 2's hot path").
//!
//! It is a shortcut, never a second rule: it takes only what it can read
//! exactly as the serde reader would, and gives up (`None`) on anything else
//! (an escape in a key, a duplicated key we keep, a kept field that is a
//! float or a string, an error or a non-1 status, nesting past
//! [`MAX_DEPTH`], any byte that is not JSON). The caller then reads the body
//! the slow way, which decides the outcome and words every error. So the
//! JSON it accepts is a subset of what serde_json accepts, and on that
//! subset it answers what the serde reader answers (a property test in
//! `tests.rs` holds it to that).

use super::lenient::{Field, FromJson};
use super::{MatchWire, PlayerWire};

/// Deeper nesting is left to serde_json (whose own limit, on kept values, is
/// 128); real bodies nest four or five levels.
const MAX_DEPTH: u32 = 64;

/// `GetMatchHistoryBySequenceNum`: `{"result":{"status":1,"matches":[{match},..]}}`.
/// The first match and its compact text.
pub(super) fn sequence(text: &str) -> Option<(MatchWire, String)> {
    let mut scan = Scan::new(text);
    let mut found = None;
    let mut seen_result = false;
    scan.object(|scan, key| {
        if key != b"result" {
            return scan.skip_value();
        }
        if std::mem::replace(&mut seen_result, true) || scan.peek()? != b'{' {
            return None;
        }
        let (mut status, mut matches) = (false, false);
        scan.object(|scan, key| match key {
            b"status" => {
                // `Some(1)` or absent: a failure is the slow reader's to word.
                if std::mem::replace(&mut status, true) || scan.field::<i64>()? != Field::Is(1) {
                    return None;
                }
                Some(())
            }
            b"matches" => {
                if std::mem::replace(&mut matches, true) || scan.peek()? != b'[' {
                    return None;
                }
                let mut first = true;
                scan.array(|scan| {
                    if !std::mem::replace(&mut first, false) {
                        return scan.skip_value();
                    }
                    found = Some(scan.captured_match()?);
                    Some(())
                })
            }
            b"error" | b"statusDetail" => None,
            _ => scan.skip_value(),
        })
    })?;
    scan.end()?;
    found
}

/// `GetMatchDetails`: `{"result":{match}}`.
pub(super) fn details(text: &str) -> Option<(MatchWire, String)> {
    let mut scan = Scan::new(text);
    let mut found = None;
    scan.object(|scan, key| {
        if key != b"result" {
            return scan.skip_value();
        }
        if found.is_some() {
            return None;
        }
        found = Some(scan.captured_match()?);
        Some(())
    })?;
    scan.end()?;
    found
}

/// OpenDota's `/matches/{id}`: the match object itself.
pub(super) fn opendota(text: &str) -> Option<(MatchWire, String)> {
    let mut scan = Scan::new(text);
    scan.ws();
    let found = scan.captured_match()?;
    scan.end()?;
    Some(found)
}

struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: u32,
    /// The compact text of the value being captured, and where its current
    /// run (the bytes since the last whitespace) starts; `None` outside it.
    out: String,
    run: Option<usize>,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Scan<'a> {
        Scan {
            text,
            bytes: text.as_bytes(),
            at: 0,
            depth: 0,
            out: String::new(),
            run: None,
        }
    }

    /// Skips whitespace; inside the captured value, the run before it is
    /// kept and the whitespace is not. Whitespace in valid JSON only ever
    /// lies between tokens, so this is exactly what `compact_json` keeps.
    #[inline(always)]
    fn ws(&mut self) {
        if self.bytes.get(self.at).is_some_and(|&byte| is_ws(byte)) {
            self.skip_ws();
        }
    }

    #[inline(never)]
    fn skip_ws(&mut self) {
        let bytes = self.bytes;
        let start = self.at;
        // A line break, then the indentation: eight bytes at a time, the
        // first that is not a space found from the word's lowest set bit.
        let mut at = start + 1;
        while let Some(word) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            let not_spaces = word ^ u64::from_le_bytes(*b"        ");
            if not_spaces != 0 {
                at += not_spaces.trailing_zeros() as usize / 8;
                break;
            }
            at += 8;
        }
        while bytes.get(at).is_some_and(|&byte| is_ws(byte)) {
            at += 1;
        }
        self.at = at;
        if let Some(run) = self.run {
            self.out.push_str(&self.text[run..start]);
            self.run = Some(at);
        }
    }

    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes.get(self.at).copied()
    }

    /// Only whitespace may follow the body's value.
    fn end(&mut self) -> Option<()> {
        self.ws();
        (self.at == self.bytes.len()).then_some(())
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// A match object, read into a [`MatchWire`], and its text without
    /// whitespace.
    fn captured_match(&mut self) -> Option<(MatchWire, String)> {
        if self.peek()? != b'{' || self.run.is_some() {
            return None;
        }
        let start = self.at;
        self.out = String::with_capacity(self.bytes.len() - start);
        self.run = Some(start);
        let wire = self.match_object()?;
        let run = self.run.take()?;
        self.out.push_str(&self.text[run..self.at]);
        // Sized for the body as sent; a match waiting for the writer should
        // not hold its whitespace's worth of empty buffer (shrinking in
        // place moves nothing).
        self.out.shrink_to_fit();
        Some((wire, std::mem::take(&mut self.out)))
    }

    fn match_object(&mut self) -> Option<MatchWire> {
        let mut wire = MatchWire::default();
        let mut seen = Seen::default();
        self.object(|scan, key| {
            match key {
                b"match_id" => wire.match_id = scan.kept(&mut seen, 0)?,
                b"match_seq_num" => wire.match_seq_num = scan.kept(&mut seen, 1)?,
                b"start_time" => wire.start_time = scan.kept(&mut seen, 2)?,
                b"duration" => wire.duration = scan.kept(&mut seen, 3)?,
                b"game_mode" => wire.game_mode = scan.kept(&mut seen, 4)?,
                b"lobby_type" => wire.lobby_type = scan.kept(&mut seen, 5)?,
                b"radiant_win" => wire.radiant_win = scan.kept(&mut seen, 6)?,
                b"radiant_score" => wire.radiant_score = scan.kept(&mut seen, 7)?,
                b"dire_score" => wire.dire_score = scan.kept(&mut seen, 8)?,
                b"players" => {
                    seen.first(9)?;
                    wire.players = scan.players()?;
                }
                // What a source reports instead of a match: the slow
                // reader's to decide and word.
                b"error" | b"status" | b"statusDetail" => return None,
                _ => scan.skip_value()?,
            }
            Some(())
        })?;
        Some(wire)
    }

    fn players(&mut self) -> Option<Field<Vec<Field<PlayerWire>>>> {
        match self.peek()? {
            b'[' => {}
            b'n' => {
                self.literal(b"null")?;
                return Some(Field::Null);
            }
            _ => return None,
        }
        let mut players = Vec::with_capacity(10);
        self.array(|scan| {
            players.push(Field::Is(scan.player()?));
            Some(())
        })?;
        Some(Field::Is(players))
    }

    fn player(&mut self) -> Option<PlayerWire> {
        if self.peek()? != b'{' {
            return None;
        }
        let mut values: [Field<i64>; PLAYER_FIELDS] = Default::default();
        let mut seen = Seen::default();
        self.object(|scan, key| match player_field(key) {
            Some(index) => {
                values[index] = scan.kept(&mut seen, index as u32)?;
                Some(())
            }
            None => scan.skip_value(),
        })?;
        Some(player_wire(values))
    }

    /// A kept field's value, read as `Field<T>` reads it, the first time its
    /// key (number `index`) is seen.
    fn kept<T: FromJson<'a>>(&mut self, seen: &mut Seen, index: u32) -> Option<Field<T>> {
        seen.first(index)?;
        self.field()
    }

    /// A scalar read leniently: `null`, a boolean, or a whole number that
    /// fits i64 for certain (18 digits at most, not `-0`, which serde_json
    /// reads as a float); a list or an object is `Other`, as for a scalar
    /// type. Any other number, and every string, is left to serde_json.
    fn field<T: FromJson<'a>>(&mut self) -> Option<Field<T>> {
        match self.peek()? {
            b'n' => self.literal(b"null").map(|()| Field::Null),
            b't' => self
                .literal(b"true")
                .map(|()| Field::from_option(T::from_bool(true))),
            b'f' => self
                .literal(b"false")
                .map(|()| Field::from_option(T::from_bool(false))),
            b'[' | b'{' => self.skip_value().map(|()| Field::Other),
            b'-' | b'0'..=b'9' => self
                .integer()
                .map(|value| Field::from_option(T::from_i64(value))),
            _ => None,
        }
    }

    fn integer(&mut self) -> Option<i64> {
        let negative = self.bytes[self.at] == b'-';
        let start = self.at + usize::from(negative);
        let mut end = start;
        while self.bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        let digits = &self.bytes[start..end];
        let leading_zero = digits.len() > 1 && digits[0] == b'0';
        let fraction = self
            .bytes
            .get(end)
            .is_some_and(|&byte| matches!(byte, b'.' | b'e' | b'E'));
        if digits.is_empty() || digits.len() > 18 || leading_zero || fraction {
            return None;
        }
        let value = digits
            .iter()
            .fold(0i64, |value, &digit| value * 10 + i64::from(digit - b'0'));
        if negative && value == 0 {
            return None;
        }
        self.at = end;
        Some(if negative { -value } else { value })
    }

    /// `{ "key": value, ... }`, calling `entry` with each key (its bytes,
    /// unescaped: serde_json reads the keys of the objects we read, so one
    /// with an escape is left to it) once the scan stands before its value.
    fn object(&mut self, entry: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.members(Self::key, entry)
    }

    /// An object we do not read: its keys are strings serde_json skips.
    fn skip_object(&mut self) -> Option<()> {
        let key = |scan: &mut Self| {
            if scan.peek()? != b'"' {
                return None;
            }
            scan.skip_string().map(|()| &b""[..])
        };
        self.members(key, |scan, _| scan.skip_value())
    }

    fn members(
        &mut self,
        mut key: impl FnMut(&mut Self) -> Option<&'a [u8]>,
        mut entry: impl FnMut(&mut Self, &'a [u8]) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        self.enter()?;
        if self.peek()? == b'}' {
            self.at += 1;
            self.depth -= 1;
            return Some(());
        }
        loop {
            let key = key(self)?;
            self.eat(b':')?;
            entry(self, key)?;
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    self.depth -= 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// `[ value, ... ]`, calling `element` before each value.
    fn array(&mut self, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.enter()?;
        if self.peek()? == b']' {
            self.at += 1;
            self.depth -= 1;
            return Some(());
        }
        loop {
            element(self)?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    self.depth -= 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn key(&mut self) -> Option<&'a [u8]> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at + 1;
        let mut at = start;
        loop {
            match *self.bytes.get(at)? {
                b'"' => break,
                byte if STRING_STOP[byte as usize] => return None,
                _ => at += 1,
            }
        }
        self.at = at + 1;
        Some(&self.bytes[start..at])
    }

    /// Any JSON value, checked as serde_json checks a value it skips.
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'{' => self.skip_object(),
            b'[' => self.array(Self::skip_value),
            b'"' => self.skip_string(),
            b'n' => self.literal(b"null"),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'-' | b'0'..=b'9' => self.skip_number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.bytes[self.at..].starts_with(word).then(|| {
            self.at += word.len();
        })
    }

    /// A string's contents: no control bytes; escapes as serde_json's
    /// `ignore_escape` takes them (any four hex digits after `\u`).
    fn skip_string(&mut self) -> Option<()> {
        let mut at = self.at + 1;
        loop {
            let byte = *self.bytes.get(at)?;
            at += 1;
            if !STRING_STOP[byte as usize] {
                continue;
            }
            match byte {
                b'"' => break,
                b'\\' => match *self.bytes.get(at)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => at += 1,
                    b'u' => {
                        let hex = self.bytes.get(at + 1..at + 5)?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return None;
                        }
                        at += 5;
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
        self.at = at;
        Some(())
    }

    /// A number as serde_json's `ignore_integer` checks it: no leading
    /// zeros, digits after `.` and after an exponent.
    fn skip_number(&mut self) -> Option<()> {
        let bytes = self.bytes;
        let mut at = self.at + usize::from(bytes[self.at] == b'-');
        let digits = |mut at: usize| {
            let start = at;
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            (at > start).then_some(at)
        };
        match bytes.get(at)? {
            b'0' => at += 1,
            b'1'..=b'9' => at = digits(at)?,
            _ => return None,
        }
        if bytes.get(at) == Some(&b'.') {
            at = digits(at + 1)?;
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            at = digits(at)?;
        }
        self.at = at;
        Some(())
    }
}

/// [`PlayerWire`]'s fields, all numbers, listed once: their indices into a
/// player's values ([`P`], which [`player_field`] answers) and the struct
/// built from those values.
macro_rules! player_fields {
    ($($field:ident),* $(,)?) => {
        /// Each field's index into a player's values.
        #[allow(non_camel_case_types)]
        enum P { $($field,)* }

        const PLAYER_FIELDS: usize = [$(P::$field),*].len();

        fn player_wire(values: [Field<i64>; PLAYER_FIELDS]) -> PlayerWire {
            let [$($field),*] = values;
            PlayerWire { $($field),* }
        }
    };
}

player_fields!(
    player_slot,
    team_number,
    team_slot,
    account_id,
    hero_id,
    kills,
    deaths,
    assists,
    last_hits,
    denies,
    gold_per_min,
    xp_per_min,
    hero_damage,
    tower_damage,
    hero_healing,
    level,
    net_worth,
    item_0,
    item_1,
    item_2,
    item_3,
    item_4,
    item_5,
    backpack_0,
    backpack_1,
    backpack_2,
    item_neutral,
);

/// The index of a player's field in [`Scan::player`]'s order, told by its
/// first byte before any text is compared: ten players of thirty-odd keys
/// each make this the most asked question of a body.
fn player_field(key: &[u8]) -> Option<usize> {
    Some(match *key.first()? {
        b'a' if key == b"account_id" => P::account_id as usize,
        b'a' if key == b"assists" => P::assists as usize,
        b'b' => match key {
            b"backpack_0" => P::backpack_0 as usize,
            b"backpack_1" => P::backpack_1 as usize,
            b"backpack_2" => P::backpack_2 as usize,
            _ => return None,
        },
        b'd' if key == b"deaths" => P::deaths as usize,
        b'd' if key == b"denies" => P::denies as usize,
        b'g' if key == b"gold_per_min" => P::gold_per_min as usize,
        b'h' => match key {
            b"hero_id" => P::hero_id as usize,
            b"hero_damage" => P::hero_damage as usize,
            b"hero_healing" => P::hero_healing as usize,
            _ => return None,
        },
        b'i' => match key {
            // `item_0` to `item_5` follow one another in the list.
            [b'i', b't', b'e', b'm', b'_', digit @ b'0'..=b'5'] => {
                P::item_0 as usize + usize::from(digit - b'0')
            }
            b"item_neutral" => P::item_neutral as usize,
            _ => return None,
        },
        b'k' if key == b"kills" => P::kills as usize,
        b'l' if key == b"last_hits" => P::last_hits as usize,
        b'l' if key == b"level" => P::level as usize,
        b'n' if key == b"net_worth" => P::net_worth as usize,
        b'p' if key == b"player_slot" => P::player_slot as usize,
        b't' => match key {
            b"team_number" => P::team_number as usize,
            b"team_slot" => P::team_slot as usize,
            b"tower_damage" => P::tower_damage as usize,
            _ => return None,
        },
        b'x' if key == b"xp_per_min" => P::xp_per_min as usize,
        _ => return None,
    })
}

fn is_ws(byte: u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\t' | b'\r')
}

/// Which kept keys an object has shown: a second one is left to serde_json
/// (which keeps the last).
#[derive(Default)]
struct Seen(u32);

impl Seen {
    fn first(&mut self, index: u32) -> Option<()> {
        let bit = 1 << index;
        let first = self.0 & bit == 0;
        self.0 |= bit;
        first.then_some(())
    }
}

/// The bytes that end a plain run inside a string: the quote, the escape,
/// and the control bytes JSON forbids there.
static STRING_STOP: [bool; 256] = {
    let mut stop = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        stop[byte] = true;
        byte += 1;
    }
    stop[b'"' as usize] = true;
    stop[b'\\' as usize] = true;
    stop
};
