//! STRATZ's side of the simulated world: a match in STRATZ's field names
//! (the same match the Steam and OpenDota endpoints serve), and the small
//! part of GraphQL the simulator needs to answer only what was asked: a
//! query document's selection sets, with their arguments read against the
//! request's variables.

use serde_json::{Map, Value, json};

use super::match_gen::{Identity, MatchSketch, PlayerSketch};
use crate::source::stratz::{game_mode_name, lobby_type_name};

/// The match object with every field this simulator knows, before the
/// query picks its fields.
pub(crate) fn stratz_match(sketch: &MatchSketch) -> Value {
    let players: Vec<Value> = sketch
        .players
        .iter()
        .map(|player| stratz_player(sketch, player))
        .collect();
    json!({
        "id": sketch.match_id,
        "sequenceNum": sketch.match_seq_num,
        "startDateTime": sketch.start_time,
        "durationSeconds": sketch.duration,
        "didRadiantWin": sketch.radiant_win,
        "gameMode": game_mode_name(sketch.game_mode),
        "lobbyType": lobby_type_name(sketch.lobby_type),
        "players": players,
    })
}

fn stratz_player(sketch: &MatchSketch, player: &PlayerSketch) -> Value {
    // STRATZ shows no account for bots and players who hide their data.
    let account = match player.identity {
        Identity::Public(id) => Some(id),
        _ => None,
    };
    // Old matches come back trimmed from Valve; STRATZ has nulls there.
    let full = |value: i64| (!sketch.trimmed()).then_some(value);
    let position = (player.team_slot() < 5).then(|| format!("POSITION_{}", player.team_slot() + 1));
    json!({
        "steamAccountId": account,
        "playerSlot": player.player_slot,
        "isRadiant": player.is_radiant(),
        "heroId": player.hero_id,
        "kills": player.kills,
        "deaths": player.deaths,
        "assists": player.assists,
        "numLastHits": player.last_hits,
        "numDenies": player.denies,
        "goldPerMinute": player.gold_per_min,
        "experiencePerMinute": player.xp_per_min,
        "heroDamage": full(player.hero_damage),
        "towerDamage": full(player.tower_damage),
        "heroHealing": full(player.hero_healing),
        "level": player.level,
        "networth": player.net_worth,
        "item0Id": player.items[0],
        "item1Id": player.items[1],
        "item2Id": player.items[2],
        "item3Id": player.items[3],
        "item4Id": player.items[4],
        "item5Id": player.items[5],
        "backpack0Id": player.backpack[0],
        "backpack1Id": player.backpack[1],
        "backpack2Id": player.backpack[2],
        "neutral0Id": player.item_neutral,
        "leaverStatus": leaver_status_name(player.leaver_status),
        "partyId": Value::Null,
        "position": position,
    })
}

/// STRATZ's `LeaverStatusEnum` names for Valve's `leaver_status`.
fn leaver_status_name(status: i64) -> &'static str {
    match status {
        0 => "NONE",
        1 => "DISCONNECTED",
        2 => "DISCONNECTED_TOO_LONG",
        3 => "ABANDONED",
        4 => "AFK",
        5 => "NEVER_CONNECTED",
        _ => "NEVER_CONNECTED_TOO_LONG",
    }
}

/// One field of a selection set: `alias: name(args) { children }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Selection {
    pub name: String,
    /// The key in the answer: the alias, or the name.
    pub key: String,
    pub args: Vec<(String, Arg)>,
    pub children: Vec<Selection>,
}

/// An argument's value as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    Variable(String),
    Int(i64),
    Str(String),
    Object(Vec<(String, Arg)>),
    List(Vec<Arg>),
    /// An enum value, `true`, `null`...: nothing the simulator reads.
    Word(String),
}

impl Arg {
    /// The value, variables replaced by the request's.
    pub(crate) fn resolve(&self, variables: &Value) -> Value {
        match self {
            Arg::Variable(name) => variables.get(name).cloned().unwrap_or(Value::Null),
            Arg::Int(value) => json!(value),
            Arg::Str(value) => json!(value),
            Arg::Word(word) => json!(word),
            Arg::List(items) => items.iter().map(|item| item.resolve(variables)).collect(),
            Arg::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(name, arg)| (name.clone(), arg.resolve(variables)))
                    .collect(),
            ),
        }
    }
}

impl Selection {
    /// Argument `name`, resolved.
    pub(crate) fn arg(&self, name: &str, variables: &Value) -> Value {
        self.args
            .iter()
            .find(|(arg, _)| arg == name)
            .map_or(Value::Null, |(_, value)| value.resolve(variables))
    }
}

/// The root selection set of the document's first operation.
pub(crate) fn parse_document(text: &str) -> Result<Vec<Selection>, String> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, at: 0 };
    if parser.peek_is("query") {
        parser.at += 1;
        if parser.peek().is_some_and(is_name) {
            parser.at += 1;
        }
    }
    if parser.peek_is("(") {
        parser.skip_balanced("(", ")")?;
    }
    let selections = parser.selection_set()?;
    Ok(selections)
}

/// `full` cut down to what `selections` ask; an unknown field, or a leaf
/// asked without its fields, is GraphQL's validation error.
pub(crate) fn project(full: &Value, selections: &[Selection], on: &str) -> Result<Value, String> {
    let Value::Object(object) = full else {
        return Ok(full.clone());
    };
    let mut out = Map::new();
    for selection in selections {
        let value = object.get(&selection.name).ok_or_else(|| {
            format!(
                "The field `{}` does not exist on the type `{on}`.",
                selection.name
            )
        })?;
        let picked = match (value, selection.children.is_empty()) {
            (Value::Array(items), false) => Value::Array(
                items
                    .iter()
                    .map(|item| project(item, &selection.children, &selection.name))
                    .collect::<Result<_, _>>()?,
            ),
            (Value::Object(_), false) => project(value, &selection.children, &selection.name)?,
            (Value::Object(_) | Value::Array(_), true) => {
                return Err(format!(
                    "`{}` of type `{on}` must have a selection of subfields.",
                    selection.name
                ));
            }
            (Value::Null, _) => Value::Null,
            (_, false) => {
                return Err(format!(
                    "`{}` of type `{on}` has no subfields.",
                    selection.name
                ));
            }
            (scalar, true) => scalar.clone(),
        };
        out.insert(selection.key.clone(), picked);
    }
    Ok(Value::Object(out))
}

fn is_name(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
}

/// Names, numbers, strings (kept with their quotes) and punctuators;
/// commas and `#` comments are whitespace, as GraphQL has them.
fn tokenize(text: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        if c.is_whitespace() || c == ',' {
            at += 1;
        } else if c == '#' {
            while at < chars.len() && chars[at] != '\n' {
                at += 1;
            }
        } else if "{}()[]:!$=@".contains(c) {
            tokens.push(c.to_string());
            at += 1;
        } else if c == '"' {
            let start = at;
            at += 1;
            while at < chars.len() && chars[at] != '"' {
                at += if chars[at] == '\\' { 2 } else { 1 };
            }
            if at >= chars.len() {
                return Err("Unterminated string in the query.".into());
            }
            at += 1;
            tokens.push(chars[start..at].iter().collect());
        } else if c == '_' || c == '-' || c.is_ascii_alphanumeric() {
            let start = at;
            while at < chars.len()
                && (chars[at] == '_'
                    || chars[at] == '-'
                    || chars[at] == '.'
                    || chars[at].is_ascii_alphanumeric())
            {
                at += 1;
            }
            tokens.push(chars[start..at].iter().collect());
        } else {
            return Err(format!("Unexpected character `{c}` in the query."));
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<String>,
    at: usize,
}

/// Selection sets deeper than this are refused (a query is a few levels).
const MAX_SELECTION_DEPTH: usize = 16;

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn peek_is(&self, token: &str) -> bool {
        self.peek() == Some(token)
    }

    fn next(&mut self) -> Result<String, String> {
        let token = self
            .tokens
            .get(self.at)
            .cloned()
            .ok_or("The query ends early.")?;
        self.at += 1;
        Ok(token)
    }

    fn name(&mut self) -> Result<String, String> {
        let name = self.next()?;
        if is_name(&name) {
            Ok(name)
        } else {
            Err(format!("Expected a field name, found `{name}`."))
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        let got = self.next()?;
        if got == token {
            Ok(())
        } else {
            Err(format!("Expected `{token}`, found `{got}`."))
        }
    }

    fn skip_balanced(&mut self, open: &str, close: &str) -> Result<(), String> {
        let mut depth = 0usize;
        loop {
            let token = self.next()?;
            if token == open {
                depth += 1;
            } else if token == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(());
                }
            }
        }
    }

    fn selection_set(&mut self) -> Result<Vec<Selection>, String> {
        self.selection_set_at(0)
    }

    fn selection_set_at(&mut self, depth: usize) -> Result<Vec<Selection>, String> {
        if depth > MAX_SELECTION_DEPTH {
            return Err("The query is nested too deeply.".into());
        }
        self.expect("{")?;
        let mut selections = Vec::new();
        while !self.peek_is("}") {
            let key = self.name()?;
            // `alias: name`: the answer's key is the alias.
            let name = if self.peek_is(":") {
                self.at += 1;
                self.name()?
            } else {
                key.clone()
            };
            let args = if self.peek_is("(") {
                self.at += 1;
                self.fields_until(")", depth)?
            } else {
                Vec::new()
            };
            let children = if self.peek_is("{") {
                self.selection_set_at(depth + 1)?
            } else {
                Vec::new()
            };
            selections.push(Selection {
                name,
                key,
                args,
                children,
            });
        }
        self.at += 1;
        Ok(selections)
    }

    /// `name: value` pairs up to `close` (which is consumed).
    fn fields_until(&mut self, close: &str, depth: usize) -> Result<Vec<(String, Arg)>, String> {
        let mut fields = Vec::new();
        while !self.peek_is(close) {
            let name = self.next()?;
            self.expect(":")?;
            fields.push((name, self.value(depth + 1)?));
        }
        self.at += 1;
        Ok(fields)
    }

    fn value(&mut self, depth: usize) -> Result<Arg, String> {
        if depth > MAX_SELECTION_DEPTH {
            return Err("An argument is nested too deeply.".into());
        }
        let token = self.next()?;
        Ok(match token.as_str() {
            "$" => Arg::Variable(self.next()?),
            "{" => Arg::Object(self.fields_until("}", depth)?),
            "[" => {
                let mut items = Vec::new();
                while !self.peek_is("]") {
                    items.push(self.value(depth + 1)?);
                }
                self.at += 1;
                Arg::List(items)
            }
            _ if token.starts_with('"') => Arg::Str(token.trim_matches('"').to_string()),
            _ => match token.parse::<i64>() {
                Ok(value) => Arg::Int(value),
                Err(_) => Arg::Word(token),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::stratz::{batch_query, history_query, match_query};

    #[test]
    fn the_clients_documents_parse_with_their_variables() {
        let roots = parse_document(&history_query()).unwrap();
        assert_eq!(roots.len(), 1);
        let player = &roots[0];
        assert_eq!(player.name, "player");
        let variables = json!({"steamAccountId": 5, "take": 100, "skip": 200});
        assert_eq!(player.arg("steamAccountId", &variables), json!(5));
        let matches = player
            .children
            .iter()
            .find(|s| s.name == "matches")
            .unwrap();
        assert_eq!(
            matches.arg("request", &variables),
            json!({"take": 100, "skip": 200})
        );
        let players = matches
            .children
            .iter()
            .find(|s| s.name == "players")
            .unwrap();
        assert_eq!(players.children.len(), 29);

        let roots = parse_document(&batch_query()).unwrap();
        assert_eq!(roots[0].arg("ids", &json!({"ids": [1, 2]})), json!([1, 2]));
        let roots = parse_document(&match_query()).unwrap();
        assert_eq!(roots[0].name, "match");
    }

    #[test]
    fn projection_keeps_only_what_was_asked() {
        let roots = parse_document("{ m: match { id players { heroId } } }").unwrap();
        let full = json!({"id": 1, "gameMode": "TURBO", "players": [{"heroId": 2, "kills": 3}]});
        let picked = project(&full, &roots[0].children, "MatchType").unwrap();
        assert_eq!(picked, json!({"id": 1, "players": [{"heroId": 2}]}));
        assert_eq!(roots[0].key, "m");
        let unknown = parse_document("{ match { nope } }").unwrap();
        assert!(project(&full, &unknown[0].children, "MatchType").is_err());
        let leaf = parse_document("{ match { players } }").unwrap();
        assert!(project(&full, &leaf[0].children, "MatchType").is_err());
    }

    #[test]
    fn broken_documents_are_errors() {
        for text in [
            "",
            "{",
            "query { a(b: ) }",
            "{ a { b } ",
            "\"",
            "{ 1 }",
            "{ a(b: $) }",
        ] {
            assert!(parse_document(text).is_err(), "{text}");
        }
        let deep = format!("{}{}", "{ a ".repeat(40), "}".repeat(40));
        assert!(parse_document(&deep).is_err());
    }
}
