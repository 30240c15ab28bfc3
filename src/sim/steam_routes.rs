//! The Steam Web API endpoints: GetMatchHistory, GetMatchDetails,
//! GetMatchHistoryBySequenceNum and ResolveVanityURL.

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::detail::{self, DetailBodies};
use super::faults::DetailOutcome;
use super::match_gen::MatchRecord;
use super::match_json;
use super::respond::{self, Api, Reply};
use super::routes::Query;
use super::state::SimState;

/// SteamID64 of account 0; a SteamID64 is this plus the 32-bit account ID.
const STEAM_ID64_BASE: u64 = 76_561_197_960_265_728;
/// GetMatchHistory reaches only the most recent matches.
/// Most matches one page (or one sequence call) returns.
const PAGE_MAX: usize = 100;

/// The key from `key=` or the `x-webapi-key` header, if it is acceptable.
pub(crate) fn key_accepted(state: &SimState, query: &Query, headers: &HeaderMap) -> bool {
    let from_header = headers
        .get("x-webapi-key")
        .and_then(|value| value.to_str().ok());
    let key = query
        .get("key")
        .map(String::as_str)
        .or(from_header)
        .map(str::trim)
        .unwrap_or("");
    match &state.required_key {
        Some(required) => key == required,
        None => !key.is_empty(),
    }
}

fn number<T: std::str::FromStr>(query: &Query, name: &str) -> Option<T> {
    query.get(name).and_then(|value| value.trim().parse().ok())
}

fn page_size(query: &Query) -> usize {
    number::<usize>(query, "matches_requested")
        .filter(|n| *n > 0)
        .unwrap_or(PAGE_MAX)
        .min(PAGE_MAX)
}

fn ok(value: &Value) -> Reply {
    Reply::new(respond::json(StatusCode::OK, value), "ok")
}

pub(crate) fn match_history(state: &SimState, query: &Query) -> Reply {
    let empty = json!({"result": {"status": 1, "num_results": 0, "total_results": 0, "results_remaining": 0, "matches": []}});
    // 32-bit account IDs and SteamID64s are both accepted.
    let account_id = number::<u64>(query, "account_id")
        .map(|id| {
            if id >= STEAM_ID64_BASE {
                id - STEAM_ID64_BASE
            } else {
                id
            }
        })
        .and_then(|id| u32::try_from(id).ok());
    let Some(account) = account_id.and_then(|id| state.dataset.account(id)) else {
        return ok(&empty);
    };
    if account.private {
        let body = json!({"result": {"status": 15, "statusDetail": "Cannot get match history for a user that hasn't allowed it"}});
        return Reply::new(respond::json(StatusCode::OK, &body), "private");
    }
    let reachable = &account.match_ids[..account.match_ids.len().min(state.history_cap)];
    // start_at_match_id is inclusive; newest first means IDs descend.
    let start = match number::<i64>(query, "start_at_match_id").filter(|id| *id > 0) {
        Some(start_at) => reachable.partition_point(|id| *id > start_at),
        None => 0,
    };
    let end = (start + page_size(query)).min(reachable.len());
    let matches: Vec<Value> = reachable[start..end]
        .iter()
        .filter_map(|id| state.dataset.sketch(*id))
        .map(|sketch| match_json::steam_history_entry(&sketch))
        .collect();
    let body = json!({"result": {
        "status": 1,
        "num_results": matches.len(),
        "total_results": reachable.len(),
        "results_remaining": reachable.len() - end,
        "matches": matches,
    }});
    ok(&body)
}

pub(crate) fn match_details(state: &SimState, query: &Query) -> Reply {
    if !state.get_match_details_works {
        // What Valve has answered for every match since May 2024.
        return Reply::new(
            respond::json(StatusCode::INTERNAL_SERVER_ERROR, &json!({})),
            "500",
        );
    }
    let match_id = number::<i64>(query, "match_id");
    let (outcome, timeout) = state.detail_outcome(match_id);
    let body = |id: i64| {
        let text = state.bodies.get(&state.dataset, Api::Steam, id)?;
        Some(format!("{{\"result\":{text}}}"))
    };
    let found = match_id.and_then(body);
    // Another match's body is only built when the outcome needs it.
    let other = matches!(outcome, DetailOutcome::WrongMatch)
        .then(|| {
            match_id
                .and_then(|id| state.dataset.neighbour_of(id))
                .and_then(body)
        })
        .flatten();
    detail::reply(
        outcome,
        DetailBodies {
            api: Api::Steam,
            found,
            other,
            malformed: json!({"result": {"match_id": "unavailable", "players": "none"}}),
            timeout,
        },
    )
}

pub(crate) fn history_by_sequence(state: &SimState, query: &Query) -> Reply {
    let start_seq = number::<i64>(query, "start_at_match_seq_num").unwrap_or(0);
    let from = state.dataset.records_from_seq(start_seq);
    // Since February 2026 Valve's endpoint leaves out Immortal Draft matches:
    // asked for one, it answers with the next match.
    let records: Vec<&MatchRecord> = from
        .iter()
        .filter(|record| !(state.sequence_skips_immortal_draft && record.immortal_draft))
        .take(page_size(query))
        .collect();
    let Some(first) = records.first() else {
        // Past the newest match: Valve answers an empty page.
        return ok(&json!({"result": {"status": 1, "matches": []}}));
    };
    // The asked match's script (or draw) decides, even when it is left out.
    let asked = from
        .first()
        .map_or(first.match_id, |record| record.match_id);
    let (outcome, timeout) = state.detail_outcome(Some(asked));
    let page = |ids: &mut dyn Iterator<Item = i64>| {
        let matches: Vec<std::sync::Arc<str>> = ids
            .filter_map(|id| state.bodies.get(&state.dataset, Api::Steam, id))
            .collect();
        format!(
            "{{\"result\":{{\"status\":1,\"matches\":[{}]}}}}",
            matches.join(",")
        )
    };
    let found = Some(page(&mut records.iter().map(|record| record.match_id)));
    let other = matches!(outcome, DetailOutcome::WrongMatch)
        .then(|| {
            state
                .dataset
                .neighbour_of(first.match_id)
                .map(|id| page(&mut std::iter::once(id)))
        })
        .flatten();
    detail::reply(
        outcome,
        DetailBodies {
            api: Api::Steam,
            found,
            other,
            malformed: json!({"result": {"status": 1, "matches": {"match_id": "unavailable"}}}),
            timeout,
        },
    )
}

pub(crate) fn resolve_vanity(state: &SimState, query: &Query) -> Reply {
    let name = query.get("vanityurl").map(|name| name.trim()).unwrap_or("");
    match state.dataset.account_for_vanity(name) {
        Some(account) if !name.is_empty() => {
            let steam_id = STEAM_ID64_BASE + u64::from(account.account_id);
            ok(&json!({"response": {"steamid": steam_id.to_string(), "success": 1}}))
        }
        _ => Reply::new(
            respond::json(
                StatusCode::OK,
                &json!({"response": {"success": 42, "message": "No match"}}),
            ),
            "not_found",
        ),
    }
}
