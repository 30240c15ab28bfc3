//! The one filter every view and `export` share: date range, hero, lobby,
//! game mode, result, side, a player met in the match, and a match ID prefix.
//!
//! A filter turns into a SQL condition over `account_matches am` joined to
//! `matches m`, with its values bound as parameters (never spliced into the
//! text). Only the parts that are set appear in the SQL, so an empty filter
//! costs nothing. Parsing user words ("am", "ranked", "2026-01-31") lives
//! here too, so the TUI's `/` line and `export`'s flags read them the same way.

use chrono::{NaiveDate, TimeZone, Utc};
use rusqlite::types::Value;

use crate::assets;

/// Which matches count. `Default` keeps every match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MatchFilter {
    /// Start time at or after (Unix seconds).
    pub since: Option<i64>,
    /// Start time before (Unix seconds, exclusive).
    pub until: Option<i64>,
    /// The tracked player's hero is one of these.
    pub heroes: Option<Vec<i64>>,
    pub lobby: Option<LobbyFilter>,
    pub modes: Option<Vec<i64>>,
    pub result: Option<GameResult>,
    pub side: Option<Side>,
    /// Another player (32-bit account ID) was on the tracked player's team
    /// (`with:`; the Teammates tab's "with").
    pub with_player: Option<i64>,
    /// Another player was on the other team (`against:`).
    pub against_player: Option<i64>,
    /// Another player was in the match, on either team (`export --with`,
    /// as it always was: scripts rely on it).
    pub met_player: Option<i64>,
    /// Digits the match ID starts with.
    pub match_id_prefix: Option<String>,
}

/// `--lobby`: the three groups players talk about, or raw lobby types.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LobbyFilter {
    /// Lobby types 5, 6, 7 (ranked team, solo, and today's ranked).
    Ranked,
    /// Unranked matchmaking (lobby 0), Turbo excluded.
    Normal,
    /// Game mode 23, whatever the lobby.
    Turbo,
    Types(Vec<i64>),
}

/// A game as the player saw it (`win:`/`loss:`, `export --result`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GameResult {
    Win,
    Loss,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Radiant,
    Dire,
}

/// A word the filter could not read: one line saying what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

/// The lobby types matchmaking calls ranked.
pub const RANKED_LOBBIES: [i64; 3] = [5, 6, 7];
pub const TURBO_MODE: i64 = 23;

/// The short names players type, as in the community's usual shorthand.
const HERO_ALIASES: &[(&str, &str)] = &[
    ("am", "Anti-Mage"),
    ("aa", "Ancient Apparition"),
    ("bb", "Bristleback"),
    ("bh", "Bounty Hunter"),
    ("bs", "Bloodseeker"),
    ("cm", "Crystal Maiden"),
    ("ck", "Chaos Knight"),
    ("dk", "Dragon Knight"),
    ("dp", "Death Prophet"),
    ("ds", "Dark Seer"),
    ("es", "Earthshaker"),
    ("ee", "Ember Spirit"),
    ("ench", "Enchantress"),
    ("gyro", "Gyrocopter"),
    ("kotl", "Keeper of the Light"),
    ("lc", "Legion Commander"),
    ("ld", "Lone Druid"),
    ("lich", "Lich"),
    ("ls", "Lifestealer"),
    ("nyx", "Nyx Assassin"),
    ("od", "Outworld Destroyer"),
    ("og", "Ogre Magi"),
    ("pa", "Phantom Assassin"),
    ("pl", "Phantom Lancer"),
    ("qop", "Queen of Pain"),
    ("sb", "Spirit Breaker"),
    ("sd", "Shadow Demon"),
    ("sf", "Shadow Fiend"),
    ("sk", "Sand King"),
    ("ss", "Shadow Shaman"),
    ("sv", "Sven"),
    ("ta", "Templar Assassin"),
    ("tb", "Terrorblade"),
    ("ts", "Techies"),
    ("ww", "Winter Wyvern"),
    ("wd", "Witch Doctor"),
    ("wk", "Wraith King"),
    ("wr", "Windranger"),
    ("void", "Faceless Void"),
    ("veno", "Venomancer"),
    ("np", "Nature's Prophet"),
    ("furion", "Nature's Prophet"),
    ("tinker", "Tinker"),
    ("ember", "Ember Spirit"),
    ("storm", "Storm Spirit"),
    ("void spirit", "Void Spirit"),
];

impl MatchFilter {
    pub fn is_empty(&self) -> bool {
        *self == MatchFilter::default()
    }

    /// Whether the condition reads `matches m` (not only `account_matches am`).
    pub fn needs_matches(&self) -> bool {
        self.lobby.is_some()
            || self.modes.is_some()
            || self.result.is_some()
            || self.with_player.is_some()
            || self.against_player.is_some()
            || self.met_player.is_some()
    }

    /// The condition as `AND ...` clauses over `am` and `m`, pushing one value
    /// per `?` in order. Empty when the filter keeps everything.
    ///
    /// A stub's result is its summary's, if it has one: the list's
    /// win/loss filter reads `account_games`, which holds the details'
    /// result, else the summary's (`games.rs`).
    pub fn sql(&self, values: &mut Vec<Value>) -> String {
        self.sql_with(values, "am", "m", true)
    }

    /// [`MatchFilter::sql`] with other names for `account_matches` (`am`)
    /// and `matches` (`m`): any table with their columns (`start_time`,
    /// `hero_id`, `player_slot`, `match_id`; `lobby_type`, `game_mode`,
    /// `radiant_win`) will do, `account_games` for both.
    pub(super) fn sql_over(&self, values: &mut Vec<Value>, am: &str, m: &str) -> String {
        self.sql_with(values, am, m, false)
    }

    fn sql_with(
        &self,
        values: &mut Vec<Value>,
        am: &str,
        m: &str,
        result_from_games: bool,
    ) -> String {
        let mut sql = String::new();
        // Writing to a String cannot fail.
        let mut add = |clause: std::fmt::Arguments<'_>| {
            let _ = std::fmt::Write::write_fmt(&mut sql, clause);
        };
        if let Some(since) = self.since {
            add(format_args!(" AND {am}.start_time >= ?"));
            values.push(Value::Integer(since));
        }
        if let Some(until) = self.until {
            add(format_args!(" AND {am}.start_time < ?"));
            values.push(Value::Integer(until));
        }
        if let Some(heroes) = &self.heroes {
            add(format_args!(
                " AND {am}.hero_id IN (SELECT value FROM json_each(?))"
            ));
            values.push(json_list(heroes));
        }
        match &self.lobby {
            None => {}
            Some(LobbyFilter::Ranked) => add(format_args!(" AND {m}.lobby_type IN (5, 6, 7)")),
            Some(LobbyFilter::Normal) => add(format_args!(
                " AND {m}.lobby_type = 0 AND {m}.game_mode IS NOT 23"
            )),
            Some(LobbyFilter::Turbo) => add(format_args!(" AND {m}.game_mode = 23")),
            Some(LobbyFilter::Types(types)) => {
                add(format_args!(
                    " AND {m}.lobby_type IN (SELECT value FROM json_each(?))"
                ));
                values.push(json_list(types));
            }
        }
        if let Some(modes) = &self.modes {
            add(format_args!(
                " AND {m}.game_mode IN (SELECT value FROM json_each(?))"
            ));
            values.push(json_list(modes));
        }
        match self.side {
            None => {}
            Some(Side::Radiant) => add(format_args!(" AND {am}.player_slot < 128")),
            Some(Side::Dire) => add(format_args!(" AND {am}.player_slot >= 128")),
        }
        match self.result {
            None => {}
            Some(outcome) if result_from_games => {
                let won = if outcome == GameResult::Win {
                    "<"
                } else {
                    ">="
                };
                add(format_args!(
                    " AND EXISTS (SELECT 1 FROM account_games rg
                                   WHERE rg.account_id = {am}.account_id
                                     AND rg.match_id = {am}.match_id
                                     AND rg.radiant_win = (rg.player_slot {won} 128))"
                ));
            }
            Some(GameResult::Win) => add(format_args!(
                " AND {m}.radiant_win = ({am}.player_slot < 128)"
            )),
            Some(GameResult::Loss) => add(format_args!(
                " AND {m}.radiant_win = ({am}.player_slot >= 128)"
            )),
        }
        // Same team: both slots below 128 (Radiant) or both 128 and above.
        // The details' players, or a summary's `heroes` (a match without
        // details); any tracked account's summary of the match lists the
        // same ten, so it is found through `account_matches_by_match`.
        let in_heroes = |condition: &str| {
            format!(
                " OR EXISTS (SELECT 1 FROM account_matches wa
                               JOIN match_summaries ws
                                 ON ws.account_id = wa.account_id AND ws.match_id = wa.match_id,
                                    json_each(CASE WHEN json_valid(ws.heroes)
                                                   THEN ws.heroes ELSE '{{}}' END) wj
                              WHERE wa.match_id = {am}.match_id
                                AND json_extract(wj.value, '$.account_id') = ?{condition})"
            )
        };
        for (player, same) in [(self.with_player, "="), (self.against_player, "<>")] {
            let Some(player) = player else { continue };
            let summary = in_heroes(&format!(
                " AND (CAST(wj.key AS INTEGER) >= 128) {same} ({am}.player_slot >= 128)"
            ));
            add(format_args!(
                " AND (EXISTS (SELECT 1 FROM match_players wp
                                WHERE wp.match_id = {am}.match_id AND wp.account_id = ?
                                  AND (wp.player_slot >= 128) {same} ({am}.player_slot >= 128))
                       {summary})"
            ));
            values.push(Value::Integer(player));
            values.push(Value::Integer(player));
        }
        if let Some(player) = self.met_player {
            let summary = in_heroes("");
            add(format_args!(
                " AND (EXISTS (SELECT 1 FROM match_players wp
                                WHERE wp.match_id = {am}.match_id AND wp.account_id = ?)
                       {summary})"
            ));
            values.push(Value::Integer(player));
            values.push(Value::Integer(player));
        }
        if let Some(prefix) = &self.match_id_prefix {
            add(format_args!(" AND CAST({am}.match_id AS TEXT) LIKE ?"));
            values.push(Value::Text(format!("{prefix}%")));
        }
        sql
    }

    /// A short description for the header: `hero Anti-Mage · ranked · wins`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(since) = self.since {
            parts.push(format!("since {}", day_text(since)));
        }
        if let Some(until) = self.until {
            // `until` is exclusive; people name the last day they want.
            parts.push(format!("until {}", day_text(until - 1)));
        }
        if let Some(heroes) = &self.heroes {
            let names: Vec<String> = heroes
                .iter()
                .take(3)
                .map(|&id| assets::hero_name(id).into_owned())
                .collect();
            let more = heroes.len().saturating_sub(3);
            let mut text = format!("hero {}", names.join("/"));
            if more > 0 {
                text.push_str(&format!(" +{more}"));
            }
            if heroes.is_empty() {
                text = "hero (none)".into();
            }
            parts.push(text);
        }
        if let Some(lobby) = &self.lobby {
            parts.push(match lobby {
                LobbyFilter::Ranked => "ranked".into(),
                LobbyFilter::Normal => "normal".into(),
                LobbyFilter::Turbo => "turbo".into(),
                LobbyFilter::Types(types) => types
                    .iter()
                    .map(|&t| assets::lobby_type_name(t).into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
            });
        }
        if let Some(modes) = &self.modes {
            let names: Vec<String> = modes
                .iter()
                .map(|&m| assets::game_mode_name(m).into_owned())
                .collect();
            parts.push(names.join("/"));
        }
        if let Some(result) = self.result {
            parts.push(match result {
                GameResult::Win => "wins".into(),
                GameResult::Loss => "losses".into(),
            });
        }
        if let Some(side) = self.side {
            parts.push(match side {
                Side::Radiant => "Radiant".into(),
                Side::Dire => "Dire".into(),
            });
        }
        if let Some(player) = self.with_player {
            parts.push(format!("with {player}"));
        }
        if let Some(player) = self.against_player {
            parts.push(format!("against {player}"));
        }
        if let Some(player) = self.met_player {
            parts.push(format!("met {player}"));
        }
        if let Some(prefix) = &self.match_id_prefix {
            parts.push(format!("ID {prefix}…"));
        }
        parts.join(" · ")
    }
}

fn json_list(ids: &[i64]) -> Value {
    Value::Text(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
}

fn day_text(t: i64) -> String {
    Utc.timestamp_opt(t, 0)
        .single()
        .map_or_else(|| t.to_string(), |d| d.format("%Y-%m-%d").to_string())
}

/// A day (`2026-01-31`, UTC) as the Unix time of its midnight; or `30d` /
/// `12w` / `1y`: that long before `now`.
pub fn parse_day(text: &str, now: i64) -> Result<i64, FilterError> {
    let text = text.trim();
    if let Some(ago) = parse_ago(text) {
        return Ok(now - ago);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp())
        .ok_or_else(|| {
            FilterError(format!(
                "cannot read the date {text:?}: use YYYY-MM-DD (UTC) or a span such as 30d, 12w, 1y"
            ))
        })
}

/// The end of a date range: the named day is included.
pub fn parse_until(text: &str, now: i64) -> Result<i64, FilterError> {
    let start = parse_day(text, now)?;
    Ok(if parse_ago(text.trim()).is_some() {
        start
    } else {
        start + 86_400
    })
}

fn parse_ago(text: &str) -> Option<i64> {
    let unit = match text.chars().last()? {
        'd' => 86_400,
        'w' => 7 * 86_400,
        'y' => 365 * 86_400,
        _ => return None,
    };
    let count: i64 = text[..text.len() - 1].parse().ok()?;
    Some(count * unit)
}

/// Heroes by short name (`am`, `sf`), full name (ignoring case and
/// punctuation), or part of a name (`storm` matches Storm Spirit).
pub fn parse_hero(text: &str) -> Result<Vec<i64>, FilterError> {
    let wanted = text.trim().to_lowercase();
    let by_name = |name: &str| -> Vec<i64> {
        let key = letters(name);
        assets::hero_ids()
            .iter()
            .copied()
            .filter(|&id| letters(&assets::hero_name(id)) == key)
            .collect()
    };
    if let Some((_, full)) = HERO_ALIASES.iter().find(|(alias, _)| *alias == wanted) {
        let ids = by_name(full);
        if !ids.is_empty() {
            return Ok(ids);
        }
    }
    let exact = by_name(&wanted);
    if !exact.is_empty() {
        return Ok(exact);
    }
    let partial = assets::heroes_matching(&wanted);
    if partial.is_empty() || wanted.is_empty() {
        return Err(FilterError(format!(
            "no hero called {:?}: use a hero's name or a short name such as am, sf, wr, pa",
            text.trim()
        )));
    }
    Ok(partial)
}

/// Lowercase letters and digits only: "Nature's Prophet" == "natures prophet".
fn letters(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `ranked`, `normal`, `turbo`, or a lobby type's name (`battle cup`).
pub fn parse_lobby(text: &str) -> Result<LobbyFilter, FilterError> {
    let key = letters(text);
    match key.as_str() {
        "ranked" => return Ok(LobbyFilter::Ranked),
        "normal" | "unranked" => return Ok(LobbyFilter::Normal),
        "turbo" => return Ok(LobbyFilter::Turbo),
        _ => {}
    }
    let types: Vec<i64> = (0..=20)
        .filter(|&id| {
            let name = assets::lobby_type_name(id);
            !name.starts_with("Lobby #") && letters(&name).contains(&key)
        })
        .collect();
    if types.is_empty() || key.is_empty() {
        return Err(FilterError(format!(
            "no lobby called {:?}: use ranked, normal, turbo, or a lobby type such as practice or battle cup",
            text.trim()
        )));
    }
    Ok(LobbyFilter::Types(types))
}

/// A game mode by name (`all pick`, `turbo`) or short name (`ap`, `cm`, `ad`).
pub fn parse_mode(text: &str) -> Result<Vec<i64>, FilterError> {
    let key = letters(text);
    let alias = match key.as_str() {
        "ap" => Some(1),
        "cm" => Some(2),
        "rd" => Some(3),
        "sd" => Some(4),
        "ar" => Some(5),
        "cd" => Some(16),
        "ad" => Some(18),
        "ardm" => Some(20),
        "alldraft" => Some(22),
        _ => None,
    };
    if let Some(id) = alias {
        return Ok(vec![id]);
    }
    let modes: Vec<i64> = (0..=40)
        .filter(|&id| {
            let name = assets::game_mode_name(id);
            !name.starts_with("Mode #") && letters(&name).contains(&key)
        })
        .collect();
    if modes.is_empty() || key.is_empty() {
        return Err(FilterError(format!(
            "no game mode called {:?}: use a name such as all pick, turbo, or ap, cm, ad",
            text.trim()
        )));
    }
    Ok(modes)
}

pub fn parse_outcome(text: &str) -> Result<GameResult, FilterError> {
    match letters(text).as_str() {
        "win" | "wins" | "won" | "w" => Ok(GameResult::Win),
        "loss" | "losses" | "lost" | "lose" | "l" => Ok(GameResult::Loss),
        _ => Err(FilterError(format!(
            "cannot read the result {:?}: use win or loss",
            text.trim()
        ))),
    }
}

pub fn parse_side(text: &str) -> Result<Side, FilterError> {
    match letters(text).as_str() {
        "radiant" | "r" => Ok(Side::Radiant),
        "dire" | "d" => Ok(Side::Dire),
        _ => Err(FilterError(format!(
            "cannot read the side {:?}: use radiant or dire",
            text.trim()
        ))),
    }
}

/// The TUI's `/` line: words such as `hero:am lobby:ranked since:30d win dire
/// with:12345`. A bare number is a match ID prefix; other bare words name a
/// hero (`shadow fiend`), as before the other filters existed.
pub fn parse_query(text: &str, now: i64) -> Result<MatchFilter, FilterError> {
    let mut filter = MatchFilter::default();
    let mut hero_words = Vec::new();
    for word in text.split_whitespace() {
        if let Some((key, value)) = word.split_once(':') {
            if value.is_empty() {
                // Still being typed: `hero:` waits for its value.
                continue;
            }
            match key.to_lowercase().as_str() {
                "hero" | "h" => filter.heroes = Some(parse_hero(&value.replace('_', " "))?),
                "lobby" | "l" => filter.lobby = Some(parse_lobby(&value.replace('_', " "))?),
                "mode" | "m" => filter.modes = Some(parse_mode(&value.replace('_', " "))?),
                "since" | "from" => filter.since = Some(parse_day(value, now)?),
                "until" | "to" => filter.until = Some(parse_until(value, now)?),
                "result" => filter.result = Some(parse_outcome(value)?),
                "side" => filter.side = Some(parse_side(value)?),
                "with" => {
                    filter.with_player = Some(value.parse().map_err(|_| {
                        FilterError(format!("with: needs an account ID, not {value:?}"))
                    })?)
                }
                "against" | "vs" => {
                    filter.against_player = Some(value.parse().map_err(|_| {
                        FilterError(format!("against: needs an account ID, not {value:?}"))
                    })?)
                }
                _ => {
                    return Err(FilterError(format!(
                        "unknown filter {key:?}: use hero:, lobby:, mode:, since:, until:, result:, side:, with:, against:"
                    )));
                }
            }
            continue;
        }
        let lower = word.to_lowercase();
        match lower.as_str() {
            "win" | "wins" | "won" => filter.result = Some(GameResult::Win),
            "loss" | "losses" | "lost" => filter.result = Some(GameResult::Loss),
            "radiant" => filter.side = Some(Side::Radiant),
            "dire" => filter.side = Some(Side::Dire),
            "ranked" => filter.lobby = Some(LobbyFilter::Ranked),
            "turbo" => filter.lobby = Some(LobbyFilter::Turbo),
            _ if word.chars().all(|c| c.is_ascii_digit()) => {
                filter.match_id_prefix = Some(word.to_string())
            }
            _ => hero_words.push(word),
        }
    }
    if !hero_words.is_empty() {
        let words = hero_words.join(" ");
        // While typing, a part of a name that matches nothing shows nothing.
        filter.heroes = Some(parse_hero(&words).unwrap_or_default());
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_773_144_000;

    #[test]
    fn short_hero_names_resolve() {
        assert_eq!(parse_hero("am").unwrap(), vec![1]);
        assert_eq!(parse_hero("SF").unwrap(), vec![11]);
        assert_eq!(parse_hero("natures prophet").unwrap(), vec![53]);
        assert_eq!(parse_hero("Pudge").unwrap(), vec![14]);
        assert!(parse_hero("zzz").unwrap_err().0.contains("no hero"));
    }

    #[test]
    fn dates_and_spans() {
        assert_eq!(parse_day("2026-03-10", NOW).unwrap(), 1_773_100_800);
        assert_eq!(parse_until("2026-03-10", NOW).unwrap(), 1_773_187_200);
        assert_eq!(parse_day("30d", NOW).unwrap(), NOW - 30 * 86_400);
        assert!(parse_day("March", NOW).is_err());
    }

    #[test]
    fn lobbies_modes_results_sides() {
        assert_eq!(parse_lobby("Ranked").unwrap(), LobbyFilter::Ranked);
        assert_eq!(parse_lobby("turbo").unwrap(), LobbyFilter::Turbo);
        assert_eq!(
            parse_lobby("battle cup").unwrap(),
            LobbyFilter::Types(vec![9])
        );
        assert!(parse_lobby("nope").is_err());
        assert_eq!(parse_mode("ap").unwrap(), vec![1]);
        assert_eq!(parse_mode("turbo").unwrap(), vec![23]);
        assert_eq!(parse_outcome("loss").unwrap(), GameResult::Loss);
        assert_eq!(parse_side("Dire").unwrap(), Side::Dire);
    }

    #[test]
    fn the_query_line_reads_words_and_keys() {
        let f = parse_query("hero:am ranked win dire since:2026-01-01 with:42", NOW).unwrap();
        assert_eq!(f.heroes, Some(vec![1]));
        assert_eq!(f.lobby, Some(LobbyFilter::Ranked));
        assert_eq!(f.result, Some(GameResult::Win));
        assert_eq!(f.side, Some(Side::Dire));
        assert_eq!(f.with_player, Some(42));
        assert!(f.since.is_some());
        let f = parse_query("shadow fiend", NOW).unwrap();
        assert_eq!(f.heroes, Some(vec![11]));
        let f = parse_query("800", NOW).unwrap();
        assert_eq!(f.match_id_prefix.as_deref(), Some("800"));
        assert!(parse_query("colour:red", NOW).is_err());
        assert!(parse_query("", NOW).unwrap().is_empty());
    }

    #[test]
    fn an_empty_filter_adds_no_sql() {
        let mut values = Vec::new();
        assert_eq!(MatchFilter::default().sql(&mut values), "");
        assert!(values.is_empty());
        let f = MatchFilter {
            since: Some(1),
            heroes: Some(vec![1, 2]),
            ..MatchFilter::default()
        };
        let sql = f.sql(&mut values);
        assert_eq!(sql.matches('?').count(), values.len());
    }
}
