//! Turns the outcome chosen for a detail request into the answer, for both
//! APIs: the healthy body, or one of the ways a real server fails.

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::Value;

use super::faults::DetailOutcome;
use super::respond::{self, Api, Reply};

/// Everything a detail endpoint could answer for one request.
pub(crate) struct DetailBodies {
    pub api: Api,
    /// The healthy body (JSON text); None: the match does not exist.
    pub found: Option<String>,
    /// The body naming another match, for `wrong_match`.
    pub other: Option<String>,
    /// A 200 body of the wrong shape.
    pub malformed: Value,
    pub timeout: Duration,
}

pub(crate) fn reply(outcome: DetailOutcome, bodies: DetailBodies) -> Reply {
    let api = bodies.api;
    match outcome {
        DetailOutcome::Ok => match bodies.found {
            Some(body) => Reply::new(respond::json_text(StatusCode::OK, body), "ok"),
            None => not_found(api),
        },
        DetailOutcome::NotFound => not_found(api),
        DetailOutcome::Status(status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Reply::new(respond::html_error(status), outcome.label())
        }
        DetailOutcome::RateLimited { retry_after } => {
            Reply::new(respond::rate_limited(api, retry_after), outcome.label())
        }
        DetailOutcome::Daily => Reply::new(respond::daily_limit(api), outcome.label()),
        DetailOutcome::Timeout => Reply {
            response: respond::html_error(StatusCode::GATEWAY_TIMEOUT),
            outcome: outcome.label(),
            hang: Some(bodies.timeout),
        },
        DetailOutcome::Reset => {
            let body = bodies.found.unwrap_or_else(|| "{}".to_string());
            Reply::new(respond::reset(&body), outcome.label())
        }
        DetailOutcome::Truncated => {
            let body = bodies
                .found
                .unwrap_or_else(|| r#"{"result": {}}"#.to_string());
            Reply::new(respond::truncated(&body), outcome.label())
        }
        DetailOutcome::Malformed => Reply::new(
            respond::json(StatusCode::OK, &bodies.malformed),
            outcome.label(),
        ),
        DetailOutcome::WrongMatch => match bodies.other.or(bodies.found) {
            Some(body) => Reply::new(respond::json_text(StatusCode::OK, body), outcome.label()),
            None => not_found(api),
        },
        DetailOutcome::Status2 => match api {
            Api::Steam => Reply::new(
                respond::json(
                    StatusCode::OK,
                    &serde_json::json!({"result": {"status": 2, "statusDetail": "Error retrieving match data."}}),
                ),
                outcome.label(),
            ),
            // OpenDota has no such answer; its nearest is a plain server error.
            Api::OpenDota => Reply::new(
                respond::html_error(StatusCode::INTERNAL_SERVER_ERROR),
                outcome.label(),
            ),
        },
    }
}

/// Steam says so with HTTP 200; OpenDota with 404.
pub(crate) fn not_found(api: Api) -> Reply {
    let response = match api {
        Api::Steam => respond::json(
            StatusCode::OK,
            &serde_json::json!({"result": {"error": "Match ID not found"}}),
        ),
        Api::OpenDota => respond::opendota_error(StatusCode::NOT_FOUND, "Not Found"),
    };
    Reply::new(response, "not_found")
}
