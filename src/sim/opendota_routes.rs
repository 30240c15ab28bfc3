//! The OpenDota endpoints: a player's whole history, and one match.

use std::collections::HashMap;

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::json;

use super::detail::{self, DetailBodies};
use super::faults::DetailOutcome;
use super::match_json;
use super::respond::{self, Api, Reply};
use super::state::SimState;

/// Whether the request carries an OpenDota key: `?api_key=` or
/// `Authorization: Bearer <key>`.
pub(crate) fn has_key(query: &HashMap<String, String>, headers: &HeaderMap) -> bool {
    let in_query = query
        .get("api_key")
        .is_some_and(|key| !key.trim().is_empty());
    let in_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().strip_prefix("Bearer "))
        .is_some_and(|key| !key.trim().is_empty());
    in_query || in_header
}

/// `/players/{account_id}/matches`: the whole history OpenDota has, in one
/// array, newest first. Private and unknown accounts get `[]`, as OpenDota
/// gives them. `project=` (repeated, one field each) chooses the row's
/// `player_caches` columns as OpenDota does (see
/// [`match_json::opendota_history_projected`]); without one, the default
/// columns. `raw_query`: the query string as sent, for its repeated keys.
pub(crate) fn player_matches(state: &SimState, account_id: &str, raw_query: Option<&str>) -> Reply {
    let account = account_id
        .trim()
        .parse::<u32>()
        .ok()
        .and_then(|id| state.dataset.account(id));
    let empty = || respond::json(StatusCode::OK, &json!([]));
    let Some(account) = account else {
        return Reply::new(empty(), "not_found");
    };
    if account.private {
        return Reply::new(empty(), "private");
    }
    let project = projected(raw_query);
    // Each row is written as it is built: a 100,000-match history is about
    // 100 MB of text, and a list of `Value`s of it would be several times that.
    let mut body = String::from("[");
    let rows = account
        .match_ids
        .iter()
        .filter(|id| !state.opendota_lacks(**id))
        .filter_map(|id| state.dataset.sketch(*id))
        .filter_map(|sketch| {
            if project.is_empty() {
                match_json::opendota_history_row(&sketch, account.account_id)
            } else {
                match_json::opendota_history_projected(&sketch, account.account_id, &project)
            }
        });
    for (index, row) in rows.enumerate() {
        if index > 0 {
            body.push(',');
        }
        body.push_str(&row.to_string());
    }
    body.push(']');
    Reply::new(respond::json_text(StatusCode::OK, body), "ok")
}

/// The values of every `project=` in the query, in order.
fn projected(raw_query: Option<&str>) -> Vec<&str> {
    raw_query
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.strip_prefix("project="))
        .filter(|field| !field.is_empty())
        .collect()
}

/// `/matches/{match_id}`.
pub(crate) fn match_by_id(state: &SimState, match_id: &str) -> Reply {
    let Ok(match_id) = match_id.trim().parse::<i64>() else {
        return detail::not_found(Api::OpenDota);
    };
    if state.opendota_lacks(match_id) {
        return detail::not_found(Api::OpenDota);
    }
    let (outcome, timeout) = state.detail_outcome(Some(match_id));
    let body = |id: i64| {
        state
            .bodies
            .get(&state.dataset, Api::OpenDota, id)
            .map(|text| text.to_string())
    };
    let found = body(match_id);
    // Another match's body is only built when the outcome needs it.
    let other = matches!(outcome, DetailOutcome::WrongMatch)
        .then(|| state.dataset.neighbour_of(match_id).and_then(body))
        .flatten();
    detail::reply(
        outcome,
        DetailBodies {
            api: Api::OpenDota,
            found,
            other,
            malformed: json!({"match_id": "unavailable", "players": "none"}),
            timeout,
        },
    )
}
