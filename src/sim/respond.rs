//! Building HTTP answers the way each real API words them: Steam's errors
//! are HTML pages, OpenDota's are small JSON objects, and the broken answers
//! (truncated, reset) are broken in the ways clients meet in the wild.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// Which API's habits an answer follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Api {
    Steam,
    OpenDota,
}

/// 200 (or `status`) with a JSON body.
pub(crate) fn json(status: StatusCode, value: &Value) -> Response {
    json_text(status, value.to_string())
}

/// 200 (or `status`) with JSON that is already text.
pub(crate) fn json_text(status: StatusCode, text: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        text,
    )
        .into_response()
}

/// An HTML error page like the ones Valve's front end serves.
pub(crate) fn html_error(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    let code = status.as_u16();
    let body = format!(
        "<html><head><title>{code} {reason}</title></head><body><h1>{reason}</h1></body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html")], body).into_response()
}

/// Steam's answer to a missing or wrong key.
pub(crate) fn forbidden() -> Response {
    let body = "<html><head><title>Forbidden</title></head><body><h1>Forbidden</h1>\
                Access is denied. Retrying will not help. Please verify your <pre>key=</pre> parameter.\
                </body></html>";
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/html")],
        body,
    )
        .into_response()
}

/// OpenDota's `{"error": "..."}` with `status`.
pub(crate) fn opendota_error(status: StatusCode, message: &str) -> Response {
    json(status, &serde_json::json!({ "error": message }))
}

/// 429 for the rate limit, worded by `api`, with `Retry-After` when given.
pub(crate) fn rate_limited(api: Api, retry_after: Option<u64>) -> Response {
    let mut response = match api {
        Api::Steam => html_error(StatusCode::TOO_MANY_REQUESTS),
        Api::OpenDota => {
            opendota_error(StatusCode::TOO_MANY_REQUESTS, "minute rate limit exceeded")
        }
    };
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// 429 for a spent daily quota.
pub(crate) fn daily_limit(api: Api) -> Response {
    match api {
        Api::Steam => html_error(StatusCode::TOO_MANY_REQUESTS),
        Api::OpenDota => opendota_error(StatusCode::TOO_MANY_REQUESTS, "daily api limit exceeded"),
    }
}

/// A well-formed HTTP 200 whose JSON stops half-way.
pub(crate) fn truncated(text: &str) -> Response {
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    json_text(StatusCode::OK, text[..cut].to_string())
}

/// A 200 whose body breaks off: the connection drops after the first half.
pub(crate) fn reset(text: &str) -> Response {
    let text = text.as_bytes();
    let half = Bytes::from(text[..text.len() / 2].to_vec());
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(half),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated connection reset",
        )),
    ];
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    let mut response = Response::new(body);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// An answer plus what `SimStats` should count it as.
pub(crate) struct Reply {
    pub response: Response,
    pub outcome: String,
    /// Hold the answer back this long (a simulated timeout).
    pub hang: Option<std::time::Duration>,
}

impl Reply {
    pub(crate) fn new(response: Response, outcome: impl Into<String>) -> Reply {
        Reply {
            response,
            outcome: outcome.into(),
            hang: None,
        }
    }
}
