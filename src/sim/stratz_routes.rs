//! STRATZ's `POST /graphql`, with the contract of ARCHITECTURE.md ("Sources and limits"):
//! the CDN's checks first (a browser check when the plan says so, 403
//! without a `User-Agent`), then 400 without `Content-Type:
//! application/json`, 401 for a missing or wrong token, the rate windows
//! and their `X-RateLimit-Remaining-*` headers, and the three queries the
//! client sends (`player.matches`, `matches(ids:)`, `match(id:)`),
//! answered with only the fields the document selects.
//!
//! The matches are the dataset's, the ones the Steam and OpenDota endpoints
//! serve. STRATZ's faults live in [`StratzPlan`], part of the fault plan.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::faults::StratzPlan;
use super::respond;
use super::state::SimState;
use super::stratz_json::{Selection, parse_document, project, stratz_match};
use super::stratz_state::admit;

/// The token `demo` and the simulator's presets use: a stand-in for the
/// user's own, which the real API needs.
pub const STRATZ_DEMO_TOKEN: &str = "demo-stratz-token";

/// IDs one `matches(ids:)` call may ask.
const MAX_IDS: usize = 10;

/// Requests `matches` may page through at once (`take`).
const MAX_TAKE: u64 = 100;

/// Each window's header, in the order of `StratzLimits`.
const HEADERS: [&str; 4] = [
    "x-ratelimit-remaining-second",
    "x-ratelimit-remaining-minute",
    "x-ratelimit-remaining-hour",
    "x-ratelimit-remaining-day",
];

/// `POST /graphql`.
pub(crate) async fn graphql(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.count_arrival("graphql", "stratz");
    let (response, outcome) = answer(&state, &headers, &body);
    state.count_finished("graphql", &outcome);
    response
}

fn answer(state: &SimState, headers: &HeaderMap, body: &[u8]) -> (Response, String) {
    let stratz = &state.stratz;
    let plan = stratz.plan();
    if plan.challenge {
        return (challenge(), "challenge".into());
    }
    let has_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.trim().is_empty());
    if !has_agent {
        return (respond::html_error(StatusCode::FORBIDDEN), "403".into());
    }
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !json_body {
        return (
            graphql_error(
                StatusCode::BAD_REQUEST,
                "Content-Type must be application/json",
            ),
            "400".into(),
        );
    }
    if plan.reject_token || !token_accepted(plan, headers) {
        let mut response = respond::html_error(StatusCode::UNAUTHORIZED);
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
        return (response, "401".into());
    }
    let remaining = match &plan.limits {
        Some(limits) => {
            let (refused, left) = admit(stratz, limits, wall_ms());
            if let Some(wait) = refused {
                let mut response =
                    graphql_error(StatusCode::TOO_MANY_REQUESTS, "Too many requests");
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(wait));
                rate_headers(&mut response, left);
                return (response, "429".into());
            }
            Some(left)
        }
        None => None,
    };
    let call = stratz.next_call();
    let (mut response, outcome) = if call <= u64::from(plan.failed_calls) {
        (
            respond::json(
                StatusCode::OK,
                &json!({"errors": [{"message": "Internal server error", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}),
            ),
            "errors".to_string(),
        )
    } else {
        match execute(state, body) {
            Ok((value, outcome)) => (respond::json(StatusCode::OK, &value), outcome),
            Err(message) => (
                graphql_error(StatusCode::BAD_REQUEST, &message),
                "400".into(),
            ),
        }
    };
    if let Some(left) = remaining {
        rate_headers(&mut response, left);
    }
    (response, outcome)
}

/// The CDN's browser check: an HTML page behind 403 and its header.
fn challenge() -> Response {
    let body = "<!DOCTYPE html><html><head><title>Just a moment...</title></head>\
                <body>Enable JavaScript and cookies to continue</body></html>";
    (
        StatusCode::FORBIDDEN,
        [
            (header::CONTENT_TYPE, "text/html; charset=UTF-8"),
            (header::HeaderName::from_static("cf-mitigated"), "challenge"),
        ],
        body,
    )
        .into_response()
}

fn token_accepted(plan: &StratzPlan, headers: &HeaderMap) -> bool {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty());
    match (token, &plan.token) {
        (Some(token), Some(wanted)) => token == wanted,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

fn graphql_error(status: StatusCode, message: &str) -> Response {
    respond::json(status, &json!({"errors": [{"message": message}]}))
}

fn rate_headers(response: &mut Response, left: [u32; 4]) {
    for (name, left) in HEADERS.into_iter().zip(left) {
        response.headers_mut().insert(name, HeaderValue::from(left));
    }
}

fn wall_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Runs the request's query: the answer and its label in `SimStats`, or a
/// request error (400).
fn execute(state: &SimState, body: &[u8]) -> Result<(Value, String), String> {
    let request: Value =
        serde_json::from_slice(body).map_err(|_| "The request body is not JSON.".to_string())?;
    let query = request
        .get("query")
        .and_then(Value::as_str)
        .ok_or("The request has no `query`.")?;
    let variables = request.get("variables").cloned().unwrap_or(Value::Null);
    let roots = parse_document(query)?;
    let [root] = roots.as_slice() else {
        return Err("The simulator answers one root field a query.".into());
    };
    check_match_fields(state, root)?;
    let mut errors = Vec::new();
    let (data, outcome) = match root.name.as_str() {
        "player" => player(state, root, &variables, &mut errors)?,
        "matches" => by_ids(state, root, &variables, &mut errors)?,
        "match" => one(state, root, &variables, &mut errors)?,
        other => {
            return Err(format!(
                "The field `{other}` does not exist on the type `DotaQuery`."
            ));
        }
    };
    let mut answer = json!({"data": {root.key.clone(): data}});
    if !errors.is_empty() {
        answer["errors"] = Value::Array(errors);
    }
    Ok((answer, outcome.to_string()))
}

/// Checks the match fields a document asks against a match of the
/// dataset: GraphQL validates a document before running it, so a wrong
/// field fails even where no match is found.
fn check_match_fields(state: &SimState, root: &Selection) -> Result<(), String> {
    let fields = match root.name.as_str() {
        "player" => match root.children.iter().find(|field| field.name == "matches") {
            Some(matches) => &matches.children,
            None => return Ok(()),
        },
        _ => &root.children,
    };
    let any = state
        .dataset
        .accounts()
        .iter()
        .find_map(|a| a.match_ids.first());
    match any.and_then(|id| state.dataset.sketch(*id)) {
        Some(sketch) => project(&stratz_match(&sketch), fields, "MatchType").map(|_| ()),
        None => Ok(()),
    }
}

/// A match cut to `fields`, `None` when STRATZ lacks it.
fn match_value(
    state: &SimState,
    match_id: i64,
    fields: &[Selection],
) -> Result<Option<Value>, String> {
    if state.stratz.lacks(match_id) {
        return Ok(None);
    }
    let Some(sketch) = state.dataset.sketch(match_id) else {
        return Ok(None);
    };
    project(&stratz_match(&sketch), fields, "MatchType").map(Some)
}

fn named_error(message: String, path: Value) -> Value {
    json!({"message": message, "path": path})
}

fn player(
    state: &SimState,
    root: &Selection,
    variables: &Value,
    errors: &mut Vec<Value>,
) -> Result<(Value, &'static str), String> {
    let account = root
        .arg("steamAccountId", variables)
        .as_u64()
        .and_then(|id| u32::try_from(id).ok())
        .and_then(|id| state.dataset.account(id))
        .filter(|account| !account.private && !state.stratz.plan().private_player);
    let Some(account) = account else {
        return Ok((Value::Null, "player_null"));
    };
    let listed: Vec<i64> = account
        .match_ids
        .iter()
        .copied()
        .filter(|id| !state.stratz.lacks(*id))
        .collect();
    let mut out = serde_json::Map::new();
    for field in &root.children {
        let value = match field.name.as_str() {
            "matchCount" => json!(listed.len()),
            "steamAccountId" => json!(account.account_id),
            "matches" => {
                let request = field.arg("request", variables);
                let take = request["take"].as_u64().unwrap_or(MAX_TAKE).min(MAX_TAKE) as usize;
                let skip = request["skip"].as_u64().unwrap_or(0) as usize;
                let mut page = Vec::new();
                for (index, id) in listed.iter().skip(skip).take(take).enumerate() {
                    let mut value =
                        match_value(state, *id, &field.children)?.unwrap_or(Value::Null);
                    if state.stratz.plan().error_matches.contains(id)
                        && value.get("players").is_some()
                    {
                        value["players"] = Value::Null;
                        errors.push(named_error(
                            format!("Match {id} could not be loaded"),
                            json!([root.key, field.key, index, "players"]),
                        ));
                    }
                    page.push(value);
                }
                Value::Array(page)
            }
            other => {
                return Err(format!(
                    "The field `{other}` does not exist on the type `PlayerType`."
                ));
            }
        };
        out.insert(field.key.clone(), value);
    }
    Ok((Value::Object(out), "ok"))
}

fn by_ids(
    state: &SimState,
    root: &Selection,
    variables: &Value,
    errors: &mut Vec<Value>,
) -> Result<(Value, &'static str), String> {
    if state.stratz.plan().refuse_batches {
        errors.push(named_error(
            "User is not an admin".into(),
            json!([root.key]),
        ));
        return Ok((Value::Null, "refused"));
    }
    let ids = root.arg("ids", variables);
    let ids: Vec<Option<i64>> = ids
        .as_array()
        .ok_or("`ids` must be a list of match IDs.")?
        .iter()
        .map(Value::as_i64)
        .collect();
    if ids.len() > MAX_IDS {
        return Err(format!("`ids` may hold at most {MAX_IDS} match IDs."));
    }
    let mut out = Vec::with_capacity(ids.len());
    for (index, id) in ids.into_iter().enumerate() {
        let value = match id {
            Some(id) if state.stratz.plan().error_matches.contains(&id) => {
                errors.push(named_error(
                    format!("Match {id} could not be loaded"),
                    json!([root.key, index]),
                ));
                None
            }
            Some(id) => match_value(state, id, &root.children)?,
            None => None,
        };
        out.push(value.unwrap_or(Value::Null));
    }
    Ok((Value::Array(out), "ok"))
}

fn one(
    state: &SimState,
    root: &Selection,
    variables: &Value,
    errors: &mut Vec<Value>,
) -> Result<(Value, &'static str), String> {
    let Some(id) = root.arg("id", variables).as_i64() else {
        return Err("`id` must be a match ID.".into());
    };
    if state.stratz.plan().error_matches.contains(&id) {
        errors.push(named_error(
            format!("Match {id} could not be loaded"),
            json!([root.key]),
        ));
        return Ok((Value::Null, "errors"));
    }
    Ok(match match_value(state, id, &root.children)? {
        Some(value) => (value, "ok"),
        None => (Value::Null, "not_found"),
    })
}
