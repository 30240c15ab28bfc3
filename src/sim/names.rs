//! Player names, both APIs: Steam's `ISteamUser/GetPlayerSummaries/v2`
//! (up to 100 SteamID64s a call; accounts it does not know are absent) and
//! OpenDota's `/players/{id}` (`profile.personaname`; `profile` null for an
//! account it does not know). Names are a pure function of the account ID:
//! about one account in eight has none, about one in ten a non-ASCII one,
//! and the dataset's own accounts always have one. The fault plan's `names`
//! script can make these endpoints fail or turn hostile.

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};

use super::detail::{self, DetailBodies};
use super::faults::{DetailOutcome, NamesOutcome};
use super::respond::{self, Api, Reply};
use super::rng::mix;
use super::routes::Query;
use super::state::SimState;
use crate::steam_id::{account_id_from_steam_id64, steam_id64_from_account_id};

/// Most SteamIDs one GetPlayerSummaries call answers for.
const SUMMARIES_MAX: usize = 100;

const ADJECTIVES: &[&str] = &[
    "Silent", "Angry", "Lucky", "Lazy", "Swift", "Frozen", "Toxic", "Humble", "Broken", "Golden",
    "Sleepy", "Mad", "Tiny", "Ancient", "Salty", "Feral",
];
const NOUNS: &[&str] = &[
    "Carry", "Pudge", "Support", "Rubick", "Roshan", "Courier", "Ward", "Invoker", "Techies",
    "Mango", "Tango", "Creep", "Tower", "Meepo", "Sniper", "Jungler",
];
const NON_ASCII: &[&str] = &[
    "Дмитрий",
    "小明",
    "José María",
    "Łukasz",
    "김민수",
    "ミク",
    "Søren",
    "Ñandú",
    "Παύλος",
];

/// The name an account goes by, if it has one.
pub(crate) fn persona_name(state: &SimState, account_id: u32) -> Option<String> {
    let h = mix(u64::from(account_id), 0x006e_616d_6573);
    let own = state.dataset.account(account_id).is_some();
    if !own && h.is_multiple_of(8) {
        return None;
    }
    let pick = |list: &[&'static str], shift: u32| list[((h >> shift) as usize) % list.len()];
    let number = (h >> 40) % 100;
    let name = match (h >> 4) % 10 {
        0 => format!("{} {number}", pick(NON_ASCII, 8)),
        1 | 2 => format!("xX{}Xx", pick(NOUNS, 16)),
        3 | 4 => format!(
            "{}_{}{number}",
            pick(ADJECTIVES, 8).to_lowercase(),
            pick(NOUNS, 16).to_lowercase()
        ),
        5 => format!("{} {number}", pick(NOUNS, 16)),
        _ => format!("{}{}", pick(ADJECTIVES, 8), pick(NOUNS, 16)),
    };
    Some(name)
}

/// A name no client should store as sent.
fn hostile_name(account_id: u32, key: &str) -> String {
    format!(
        "\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[31mEvil{account_id}\u{202e}\u{9b}1m\r\nINFO forged line {key}"
    )
}

/// Answers `outcome` with `healthy` as the body of a success.
fn answer(
    state: &SimState,
    api: Api,
    outcome: DetailOutcome,
    healthy: &Value,
    malformed: Value,
) -> Reply {
    detail::reply(
        outcome,
        DetailBodies {
            api,
            found: Some(healthy.to_string()),
            other: None,
            malformed,
            timeout: state.timeout(),
        },
    )
}

pub(crate) fn player_summaries(state: &SimState, query: &Query) -> Reply {
    let asked: Vec<u32> = query
        .get("steamids")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
        .filter_map(|id| id.trim().parse::<u64>().ok())
        .filter_map(account_id_from_steam_id64)
        .take(SUMMARIES_MAX)
        .collect();
    let outcome = state.names.next();
    let key = query.get("key").map(String::as_str).unwrap_or("");
    let players: Vec<Value> = asked
        .iter()
        .filter_map(|&account_id| {
            let name = match outcome {
                NamesOutcome::Hostile => hostile_name(account_id, key),
                NamesOutcome::Plain(_) => persona_name(state, account_id)?,
            };
            let steam_id = steam_id64_from_account_id(account_id).to_string();
            Some(json!({
                "steamid": steam_id,
                "communityvisibilitystate": 3,
                "profilestate": 1,
                "personaname": name,
                "profileurl": format!("https://steamcommunity.com/profiles/{steam_id}/"),
            }))
        })
        .collect();
    let body = json!({"response": {"players": players}});
    let outcome = match outcome {
        NamesOutcome::Hostile => {
            return Reply::new(respond::json(StatusCode::OK, &body), "hostile");
        }
        NamesOutcome::Plain(outcome) => outcome,
    };
    answer(
        state,
        Api::Steam,
        outcome,
        &body,
        json!({"response": {"players": "none"}}),
    )
}

/// OpenDota's key: `?api_key=` or `Authorization: Bearer`.
fn opendota_key<'a>(query: &'a Query, headers: &'a HeaderMap) -> &'a str {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().strip_prefix("Bearer "))
        .or(query.get("api_key").map(String::as_str))
        .unwrap_or("")
}

pub(crate) fn opendota_player(
    state: &SimState,
    account_id: &str,
    query: &Query,
    headers: &HeaderMap,
) -> Reply {
    let Ok(account_id) = account_id.trim().parse::<u32>() else {
        return Reply::new(
            respond::opendota_error(StatusCode::BAD_REQUEST, "invalid account id"),
            "400",
        );
    };
    let outcome = state.names.next();
    let name = match outcome {
        NamesOutcome::Hostile => Some(hostile_name(account_id, opendota_key(query, headers))),
        NamesOutcome::Plain(_) => persona_name(state, account_id),
    };
    let profile = name.map(|name| {
        json!({
            "account_id": account_id,
            "personaname": name,
            "name": null,
            "plus": false,
            "cheese": 0,
            "steamid": steam_id64_from_account_id(account_id).to_string(),
        })
    });
    let body = json!({"profile": profile, "rank_tier": null, "leaderboard_rank": null});
    match outcome {
        NamesOutcome::Hostile => Reply::new(respond::json(StatusCode::OK, &body), "hostile"),
        NamesOutcome::Plain(outcome) => answer(
            state,
            Api::OpenDota,
            outcome,
            &body,
            json!(["not", "a", "profile"]),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::fault_state::NamesScript;

    #[test]
    fn script_words() {
        assert_eq!(NamesOutcome::parse("hostile"), Ok(NamesOutcome::Hostile));
        assert_eq!(
            NamesOutcome::parse("500"),
            Ok(NamesOutcome::Plain(DetailOutcome::Status(500)))
        );
        assert!(NamesOutcome::parse("explode").is_err());
        let script = NamesScript::new(&["500".into(), "ok".into()]);
        assert_eq!(
            script.next(),
            NamesOutcome::Plain(DetailOutcome::Status(500))
        );
        assert_eq!(script.next(), NamesOutcome::Plain(DetailOutcome::Ok));
        assert_eq!(script.next(), NamesOutcome::Plain(DetailOutcome::Ok));
        assert_eq!(
            NamesScript::new(&[]).next(),
            NamesOutcome::Plain(DetailOutcome::Ok)
        );
    }
}
