//! The HTTP layer every client shares: building the reqwest client, sending
//! a request and turning whatever comes back into one [`Reply`] (a 2xx's
//! body, or a status left to the caller) or a typed [`FetchError`]. Bodies
//! are read as data by `wire/` ([`Reply::json_or`] for a `Value`).
//!
//! Requests carry the API key in their query string, and every
//! `reqwest::Error` carries the request URL. So no `reqwest::Error` leaves this
//! module: each one is reduced to a [`TransportKind`] here, and logs name the
//! endpoint, never the URL.
//!
//! The decisions about statuses live in pure functions ([`classify`],
//! [`retry_after`]) so they can be tested without a server.
//!
//! Servers are untrusted (ARCHITECTURE.md, "Hostile servers and files"): no redirect is
//! followed and no `Referer` sent, so the key in the query string goes to
//! the configured host only; every body is read as a stream under a cap on
//! its decoded size ([`BodyLimit`]); a `Retry-After` is capped.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::api::{ApiKey, SourceConfig};
use super::error::{FetchError, TransportKind};

/// The one reading of a body as JSON lives with the other body readers;
/// named here too, where `tests/it`'s fuzzing finds it.
pub use super::wire::json::parse_json_body;

/// Sent with every request so API operators can tell who is calling.
const USER_AGENT: &str = concat!("dota-sync/", env!("CARGO_PKG_VERSION"));

/// What a request produced once the shared rules have run: one type for
/// every endpoint, whatever its body is read into.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply<B = Vec<u8>> {
    /// A 2xx body, not yet read as anything (it may not even be JSON): the
    /// bytes, or from [`call_streamed`] the body still streaming in.
    Body(B),
    /// A status the shared rules do not decide (404, 400, ...): the caller
    /// classifies it per endpoint. `body` is the JSON body if there was one
    /// (OpenDota sends `{"error": ...}`; Steam sends HTML, so `None`).
    Status {
        status: u16,
        body: Option<serde_json::Value>,
    },
}

impl<B> Reply<B> {
    /// The body of a 2xx, or `otherwise(status, body)` for any other status.
    pub fn body_or(
        self,
        otherwise: impl FnOnce(u16, Option<serde_json::Value>) -> FetchError,
    ) -> Result<B, FetchError> {
        match self {
            Reply::Body(body) => Ok(body),
            Reply::Status { status, body } => Err(otherwise(status, body)),
        }
    }
}

impl Reply {
    /// The body of a 2xx read as JSON ([`parse_json_body`]), or
    /// `otherwise(status, body)` for any other status.
    pub fn json_or(
        self,
        otherwise: impl FnOnce(u16, Option<serde_json::Value>) -> FetchError,
    ) -> Result<serde_json::Value, FetchError> {
        parse_json_body(&self.body_or(otherwise)?)
    }
}

/// A client with the configured timeouts, gzip and our User-Agent.
pub fn build_client(config: &SourceConfig) -> Result<reqwest::Client, FetchError> {
    reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .gzip(true)
        .user_agent(USER_AGENT)
        // A redirect would carry `?key=` to another origin, with the URL as
        // `Referer`: an API that redirects gets an error instead.
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .build()
        // Building fails only when the TLS backend cannot start; the error
        // holds no URL, but it is reduced like every other one.
        .map_err(|_| FetchError::Transport {
            kind: TransportKind::Other,
        })
}

/// Sends `request` (a GET, or STRATZ's POST) and classifies the answer.
/// `endpoint` names the API call in logs, because the URL may hold the key.
pub async fn call(
    endpoint: &str,
    request: reqwest::RequestBuilder,
    limit: BodyLimit,
    observe: &(dyn Fn(&HeaderMap) + Sync),
) -> Result<Reply, FetchError> {
    let (status, headers, body) = fetch(endpoint, request, limit, observe).await?;
    let reply = classify(status, &headers, body, SystemTime::now());
    match &reply {
        Ok(Reply::Body(_)) => tracing::debug!(endpoint, status, "ok"),
        Ok(Reply::Status { .. }) => tracing::debug!(endpoint, status, "status for the caller"),
        Err(error) => tracing::debug!(endpoint, status, error = %error, "failed"),
    }
    reply
}

/// The most a body may hold once decoded, by what the answer is. A real
/// answer is far below each; a hostile or broken server meets the cap while
/// the body streams in, so memory stays bounded whatever it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLimit {
    /// One match's details: tens of KB (Valve's indented bodies up to ~150 KB).
    Match,
    /// A Steam history page: 100 entries of 10 players.
    HistoryPage,
    /// OpenDota's whole history in one list, each match's summary in it:
    /// about 1 KB a match, so 100,000 matches fit with room to spare. It is
    /// read as it streams in, never held whole ([`call_streamed`]).
    FullHistory,
    /// Vanity lookups, player summaries, error bodies.
    Small,
}

impl BodyLimit {
    pub const fn bytes(self) -> usize {
        match self {
            BodyLimit::Match => 4 << 20,
            BodyLimit::HistoryPage => 8 << 20,
            BodyLimit::FullHistory => 128 << 20,
            BodyLimit::Small => 256 << 10,
        }
    }

    fn describe(self) -> String {
        let bytes = self.bytes();
        if bytes >= 1 << 20 {
            format!("{} MB", bytes >> 20)
        } else {
            format!("{} KB", bytes >> 10)
        }
    }
}

/// The error for a body past its cap.
fn too_large(limit: BodyLimit) -> FetchError {
    FetchError::Malformed {
        reason: format!("response body larger than {}", limit.describe()),
    }
}

/// Sends `request` and reads the status, headers and body (at most `limit`
/// decoded bytes; only [`BodyLimit::Small`] for a non-2xx status).
/// `observe` sees the headers of every answer (rate-limit counts).
async fn fetch(
    endpoint: &str,
    request: reqwest::RequestBuilder,
    limit: BodyLimit,
    observe: &(dyn Fn(&HeaderMap) + Sync),
) -> Result<(u16, HeaderMap, Vec<u8>), FetchError> {
    let (status, headers, stream) = send(endpoint, request, limit, observe).await?;
    let Some(mut stream) = stream else {
        return Ok((status, headers, Vec::new()));
    };
    // Sized once from the announced length (already under the cap), so a
    // body is not copied again each time the buffer grows; the cap
    // still holds whatever actually arrives.
    let mut body = Vec::with_capacity(stream.announced);
    while stream.next_into(&mut body).await? {}
    Ok((status, headers, body))
}

/// Sends `request`: the status, the headers and, when the body is to be
/// read, the body as it streams in. A redirect is refused; a body
/// announced past its cap is refused before a byte of it is read.
async fn send(
    endpoint: &str,
    request: reqwest::RequestBuilder,
    limit: BodyLimit,
    observe: &(dyn Fn(&HeaderMap) + Sync),
) -> Result<(u16, HeaderMap, Option<BodyStream>), FetchError> {
    tracing::debug!(endpoint, "request");
    let response = request.send().await.map_err(|err| {
        let error = transport_error(&err);
        tracing::debug!(endpoint, error = %error, "request failed");
        error
    })?;
    let status = response.status().as_u16();
    observe(response.headers());
    if (300..400).contains(&status) {
        let error = redirected(status, response.headers());
        tracing::debug!(endpoint, status, error = %error, "redirect refused");
        return Err(error);
    }
    let headers = response.headers().clone();
    // The status alone decides 401/403/5xx: their bodies are not read at
    // all, so an endless error page costs nothing.
    if !status_needs_body(status) {
        return Ok((status, headers, None));
    }
    let limit = if is_success(status) {
        limit
    } else {
        BodyLimit::Small
    };
    let length = response.content_length();
    if length.is_some_and(|length| length > limit.bytes() as u64) {
        return Err(too_large(limit));
    }
    let stream = BodyStream {
        response,
        limit,
        read: 0,
        announced: length.map_or(0, |length| length as usize),
    };
    Ok((status, headers, Some(stream)))
}

/// A body being read as it arrives, never past its cap.
pub struct BodyStream {
    response: reqwest::Response,
    limit: BodyLimit,
    /// Decoded bytes read so far.
    read: usize,
    /// `Content-Length`, if the server sent one (under the cap).
    announced: usize,
}

impl BodyStream {
    /// Appends the next chunk to `out`; `false` once the body has ended.
    pub async fn next_into(&mut self, out: &mut Vec<u8>) -> Result<bool, FetchError> {
        match self.response.chunk().await {
            Ok(Some(chunk)) => {
                self.read += chunk.len();
                if self.read > self.limit.bytes() {
                    tracing::debug!("body over its cap");
                    return Err(too_large(self.limit));
                }
                out.extend_from_slice(&chunk);
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(err) => {
                let error = transport_error(&err);
                tracing::debug!(error = %error, "reading the body failed");
                Err(error)
            }
        }
    }
}

/// [`call`] for a body too large to hold (OpenDota's whole history): a
/// 2xx is handed over as it streams in, under `limit`; every other status
/// is decided by the same rules, from its body read whole.
pub async fn call_streamed(
    endpoint: &str,
    request: reqwest::RequestBuilder,
    limit: BodyLimit,
    observe: &(dyn Fn(&HeaderMap) + Sync),
) -> Result<Reply<BodyStream>, FetchError> {
    let (status, headers, stream) = send(endpoint, request, limit, observe).await?;
    match stream {
        Some(stream) if is_success(status) => {
            tracing::debug!(endpoint, status, "ok (body to stream)");
            Ok(Reply::Body(stream))
        }
        stream => {
            let mut body = Vec::new();
            if let Some(mut stream) = stream {
                while stream.next_into(&mut body).await? {}
            }
            unanswered(status, &headers, &body, SystemTime::now())
                .inspect_err(|error| tracing::debug!(endpoint, status, error = %error, "failed"))
        }
    }
}

/// A 3xx: the error names where it pointed (the host only: the rest of a
/// `Location` may echo the query string, key included).
fn redirected(status: u16, headers: &HeaderMap) -> FetchError {
    let host = headers
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|location| reqwest::Url::parse(location).ok())
        .and_then(|url| url.host_str().map(str::to_string))
        .unwrap_or_else(|| "the same server".to_string());
    FetchError::Redirected { status, host }
}

/// Server text made safe to show and to store: sanitised
/// ([`super::text::sanitize`]) and the key redacted, in case the server
/// echoed the request back.
pub fn clean_server_text(text: &str, key: Option<&ApiKey>) -> String {
    let text = super::text::sanitize(text);
    match key {
        Some(key) => text.replace(key.expose(), "<redacted>"),
        None => text,
    }
}

/// Cleans every text an API sent back before the error leaves the client
/// (`statusDetail`, OpenDota's `error`, a redirect's host): control
/// characters and escape sequences go, so nothing a server says can drive
/// the terminal or forge a log line, and the key is redacted in case the
/// server echoed the request. This is the one place server text enters.
pub fn clean_error<T>(
    result: Result<T, FetchError>,
    key: Option<&ApiKey>,
) -> Result<T, FetchError> {
    let clean = |text: &str| clean_server_text(text, key);
    result.map_err(|error| match error {
        FetchError::MatchApi { message } => FetchError::MatchApi {
            message: clean(&message),
        },
        FetchError::Malformed { reason } => FetchError::Malformed {
            reason: clean(&reason),
        },
        FetchError::GraphQl { message } => FetchError::GraphQl {
            message: clean(&message),
        },
        FetchError::Redirected { status, host } => FetchError::Redirected {
            status,
            host: clean(&host),
        },
        other => other,
    })
}

/// Reduces a reqwest error to its kind. The error's text is dropped on
/// purpose: it names the URL, and the URL holds the key.
fn transport_error(err: &reqwest::Error) -> FetchError {
    let kind = if err.is_timeout() {
        TransportKind::Timeout
    } else {
        finer_kind(err).unwrap_or(if err.is_connect() {
            TransportKind::Connect
        } else {
            TransportKind::Other
        })
    };
    FetchError::Transport { kind }
}

/// The cause under a reqwest error, from the errors it wraps: an
/// `io::Error`'s kind where there is one, else the connector's own words
/// (hyper's connector says `dns error`; rustls' errors name TLS, the
/// certificate or a corrupt message). Only the inner errors are read, and
/// only to pick a kind: the outermost one's text names the URL.
fn finer_kind(err: &reqwest::Error) -> Option<TransportKind> {
    let mut worded = None;
    let mut next = std::error::Error::source(err);
    // Bounded: a chain is a handful of errors deep.
    for _ in 0..16 {
        let inner = next?;
        if let Some(kind) = io_kind(inner) {
            return Some(kind);
        }
        worded = worded.or_else(|| worded_kind(&inner.to_string()));
        // An `io::Error`'s `source()` skips the error it wraps (rustls'
        // among them): step into that one instead.
        next = match inner.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|e| e as &(dyn std::error::Error + 'static)),
            None => inner.source(),
        };
        if next.is_none() {
            break;
        }
    }
    worded
}

fn io_kind(error: &(dyn std::error::Error + 'static)) -> Option<TransportKind> {
    use std::io::ErrorKind;
    match error.downcast_ref::<std::io::Error>()?.kind() {
        ErrorKind::ConnectionRefused => Some(TransportKind::Refused),
        ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::BrokenPipe
        | ErrorKind::UnexpectedEof => Some(TransportKind::Reset),
        ErrorKind::TimedOut => Some(TransportKind::Timeout),
        _ => None,
    }
}

fn worded_kind(text: &str) -> Option<TransportKind> {
    let text = text.to_ascii_lowercase();
    if text.starts_with("dns error") || text.contains("failed to lookup address") {
        Some(TransportKind::Dns)
    } else if ["certificate", "tls", "handshake", "corrupt message"]
        .iter()
        .any(|word| text.contains(word))
    {
        Some(TransportKind::Tls)
    } else if text.contains("connection closed before message completed") {
        Some(TransportKind::Reset)
    } else {
        None
    }
}

/// 2xx bodies are the answer and 429 bodies say which limit was hit; other
/// statuses are decided by the status alone.
fn status_needs_body(status: u16) -> bool {
    (200..300).contains(&status) || status == 429 || !is_decided_by_status(status)
}

fn is_decided_by_status(status: u16) -> bool {
    matches!(status, 401 | 403) || (500..600).contains(&status)
}

/// The shared rules, as a pure function of what the server sent: a 2xx's
/// body is handed on unread, any other status decided by [`unanswered`].
/// `now` turns an HTTP-date `Retry-After` into a wait.
pub fn classify(
    status: u16,
    headers: &HeaderMap,
    body: Vec<u8>,
    now: SystemTime,
) -> Result<Reply, FetchError> {
    if is_success(status) {
        return Ok(Reply::Body(body));
    }
    unanswered(status, headers, &body, now)
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The rules for a status other than 2xx, whatever a 2xx's body would have
/// been read into: the error it means, or the status and its JSON body (if
/// any) for the caller to classify.
fn unanswered<B>(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    now: SystemTime,
) -> Result<Reply<B>, FetchError> {
    match status {
        429 => Err(FetchError::RateLimited {
            retry_after: retry_after(headers, now),
            daily: mentions_daily_limit(body),
        }),
        401 | 403 => Err(FetchError::Unauthorized { status }),
        500..=599 => Err(FetchError::Server { status }),
        _ => Ok(Reply::Status {
            status,
            body: serde_json::from_slice(body).ok(),
        }),
    }
}

/// The longest `Retry-After` honoured; a longer one is held to this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(15 * 60);

/// A `Retry-After` past this is nonsense (`u64::MAX` seconds, the year
/// 9999) and treated as if the header were absent.
const ABSURD_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// How long `Retry-After` asks to wait: delay-seconds or an HTTP-date. A date
/// in the past means "now"; an unreadable or absurd value is ignored; a
/// long one is capped at [`MAX_RETRY_AFTER`].
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = if let Ok(seconds) = value.parse::<u64>() {
        Duration::from_secs(seconds)
    } else {
        // HTTP-dates are RFC 1123 dates in GMT, which RFC 2822 parsing accepts.
        let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
        let at = SystemTime::from(at);
        at.duration_since(now).unwrap_or(Duration::ZERO)
    };
    (wait <= ABSURD_RETRY_AFTER).then(|| wait.min(MAX_RETRY_AFTER))
}

/// OpenDota's daily limit says `daily api limit exceeded`; the per-minute one
/// does not mention `daily`.
fn mentions_daily_limit(body: &[u8]) -> bool {
    String::from_utf8_lossy(body)
        .to_ascii_lowercase()
        .contains("daily")
}

/// A readable name for a status in messages (`404 Not Found`).
pub fn status_text(status: u16) -> String {
    match StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("HTTP {status} {reason}"),
        None => format!("HTTP {status}"),
    }
}

/// A rate header's count (`X-Rate-Limit-Remaining-Day: 0`, ...), if the
/// answer carries a readable one.
pub(super) fn remaining(headers: &HeaderMap, name: &str) -> Option<i64> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use serde_json::json;

    fn no_headers() -> HeaderMap {
        HeaderMap::new()
    }

    fn with_retry_after(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        headers
    }

    fn at(rfc2822: &str) -> SystemTime {
        SystemTime::from(chrono::DateTime::parse_from_rfc2822(rfc2822).unwrap())
    }

    fn classify_now(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<Reply, FetchError> {
        classify(status, headers, body.to_vec(), SystemTime::now())
    }

    /// A 2xx classified, then read as JSON by its caller.
    fn json_now(body: &[u8]) -> Result<serde_json::Value, FetchError> {
        classify_now(200, &no_headers(), body)?.json_or(|status, _| panic!("status {status}"))
    }

    #[test]
    fn json_success() {
        let value = json_now(br#"{"result":{"status":1}}"#);
        assert_eq!(value, Ok(json!({"result": {"status": 1}})));
    }

    #[test]
    fn html_success_is_malformed_without_the_body() {
        let body = b"\n  <!DOCTYPE html><html>key=SECRET</html>";
        let Err(FetchError::Malformed { reason }) = json_now(body) else {
            panic!("expected Malformed");
        };
        assert!(reason.contains("HTML"), "{reason}");
        assert!(!reason.contains("SECRET"), "{reason}");
    }

    #[test]
    fn broken_json_reports_position_only() {
        let Err(FetchError::Malformed { reason }) = json_now(b"{\"a\": SECRET}") else {
            panic!("expected Malformed");
        };
        assert_eq!(reason, "invalid JSON at line 1 column 7");
    }

    #[test]
    fn truncated_and_empty_json_are_malformed() {
        for body in [&b"{\"result\": {\"matches\": ["[..], b""] {
            let Err(FetchError::Malformed { reason }) = json_now(body) else {
                panic!("expected Malformed for {body:?}");
            };
            assert!(reason.starts_with("JSON body ends early"), "{reason}");
        }
    }

    #[test]
    fn rate_limited_without_retry_after() {
        let reply = classify_now(
            429,
            &no_headers(),
            b"{\"error\":\"minute rate limit exceeded\"}",
        );
        assert_eq!(
            reply,
            Err(FetchError::RateLimited {
                retry_after: None,
                daily: false
            })
        );
    }

    #[test]
    fn rate_limited_daily() {
        let reply = classify_now(
            429,
            &no_headers(),
            b"{\"error\":\"daily api limit exceeded\"}",
        );
        assert_eq!(
            reply,
            Err(FetchError::RateLimited {
                retry_after: None,
                daily: true
            })
        );
    }

    #[test]
    fn rate_limited_with_retry_after_seconds() {
        let reply = classify_now(429, &with_retry_after("17"), b"");
        assert_eq!(
            reply,
            Err(FetchError::RateLimited {
                retry_after: Some(Duration::from_secs(17)),
                daily: false
            })
        );
    }

    #[test]
    fn rate_limited_with_retry_after_date() {
        let headers = with_retry_after("Wed, 21 Oct 2026 07:28:30 GMT");
        let now = at("Wed, 21 Oct 2026 07:28:00 GMT");
        assert_eq!(
            classify(429, &headers, Vec::new(), now),
            Err(FetchError::RateLimited {
                retry_after: Some(Duration::from_secs(30)),
                daily: false
            })
        );
    }

    #[test]
    fn retry_after_edge_cases() {
        let now = at("Wed, 21 Oct 2026 07:28:00 GMT");
        let past = with_retry_after("Wed, 21 Oct 2026 07:00:00 GMT");
        assert_eq!(retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(retry_after(&with_retry_after("soon"), now), None);
        assert_eq!(retry_after(&with_retry_after("-3"), now), None);
        assert_eq!(
            retry_after(&with_retry_after(" 5 "), now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(retry_after(&no_headers(), now), None);
    }

    #[test]
    fn retry_after_is_capped_and_absurd_values_are_ignored() {
        let now = at("Wed, 21 Oct 2026 07:28:00 GMT");
        // The value that used to overflow `Instant + Duration` and panic.
        assert_eq!(
            retry_after(&with_retry_after("18446744073709551615"), now),
            None
        );
        assert_eq!(retry_after(&with_retry_after("999999999"), now), None);
        let year_9999 = with_retry_after("Fri, 31 Dec 9999 23:59:59 GMT");
        assert_eq!(retry_after(&year_9999, now), None);
        assert_eq!(
            retry_after(&with_retry_after("3600"), now),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(
            retry_after(&with_retry_after("0"), now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn unauthorized_statuses() {
        for status in [401, 403] {
            assert_eq!(
                classify_now(status, &no_headers(), b"<html>Forbidden</html>"),
                Err(FetchError::Unauthorized { status })
            );
        }
    }

    #[test]
    fn server_errors() {
        for status in [500, 502, 503, 504] {
            assert_eq!(
                classify_now(status, &no_headers(), b"{}"),
                Err(FetchError::Server { status })
            );
        }
    }

    #[test]
    fn other_statuses_go_to_the_caller() {
        assert_eq!(
            classify_now(404, &no_headers(), b"<html>Not Found</html>"),
            Ok(Reply::Status {
                status: 404,
                body: None
            })
        );
        assert_eq!(
            classify_now(404, &no_headers(), br#"{"error":"Not Found"}"#),
            Ok(Reply::Status {
                status: 404,
                body: Some(json!({"error": "Not Found"}))
            })
        );
    }

    #[test]
    fn classify_keeps_2xx_bytes_and_decides_the_other_statuses() {
        let now = SystemTime::now();
        let html = b"<html>not JSON, left to the caller</html>".to_vec();
        assert_eq!(
            classify(200, &no_headers(), html.clone(), now),
            Ok(Reply::Body(html))
        );
        let cases: [(u16, &[u8], Result<Reply, FetchError>); 5] = [
            (
                429,
                br#"{"error":"daily api limit exceeded"}"#,
                Err(FetchError::RateLimited {
                    retry_after: None,
                    daily: true,
                }),
            ),
            (
                403,
                b"<html>Forbidden</html>",
                Err(FetchError::Unauthorized { status: 403 }),
            ),
            (503, b"{}", Err(FetchError::Server { status: 503 })),
            (
                404,
                br#"{"error":"Not Found"}"#,
                Ok(Reply::Status {
                    status: 404,
                    body: Some(json!({"error": "Not Found"})),
                }),
            ),
            (
                400,
                b"<html>Bad Request</html>",
                Ok(Reply::Status {
                    status: 400,
                    body: None,
                }),
            ),
        ];
        for (status, body, expected) in cases {
            let reply = classify(status, &no_headers(), body.to_vec(), now);
            assert_eq!(reply, expected, "{status}");
        }
    }

    #[test]
    fn json_or_maps_other_statuses() {
        let reply = Reply::Status {
            status: 400,
            body: None,
        };
        let result = reply.json_or(|status, _| FetchError::MatchApi {
            message: status_text(status),
        });
        assert_eq!(
            result,
            Err(FetchError::MatchApi {
                message: "HTTP 400 Bad Request".into()
            })
        );
    }

    #[test]
    fn which_statuses_need_their_body() {
        assert!(status_needs_body(200));
        assert!(status_needs_body(429));
        assert!(status_needs_body(404));
        assert!(!status_needs_body(403));
        assert!(!status_needs_body(500));
    }

    #[test]
    fn clean_error_removes_echoed_keys_and_escapes() {
        let key = ApiKey::new("K3Y").unwrap();
        let echoed: Result<(), _> = Err(FetchError::MatchApi {
            message: "bad key K3Y\u{1b}]0;title\u{7}\r\nforged".into(),
        });
        assert_eq!(
            clean_error(echoed, Some(&key)),
            Err(FetchError::MatchApi {
                message: "bad key <redacted>]0;title forged".into()
            })
        );
        let redirect: Result<(), _> = Err(FetchError::Redirected {
            status: 302,
            host: "K3Y.evil\u{1b}[2J".into(),
        });
        assert_eq!(
            clean_error(redirect, Some(&key)),
            Err(FetchError::Redirected {
                status: 302,
                host: "<redacted>.evil[2J".into()
            })
        );
        let other: Result<(), _> = Err(FetchError::Server { status: 500 });
        assert_eq!(
            clean_error(other, Some(&key)),
            Err(FetchError::Server { status: 500 })
        );
    }

    #[test]
    fn client_builds_with_defaults() {
        let config = SourceConfig::new(crate::source::api::SourceKind::Steam, None, None);
        assert!(build_client(&config).is_ok());
    }
}

/// A canned HTTP/1.1 server on 127.0.0.1 for the clients' unit tests.
#[cfg(test)]
pub(crate) mod test_server;
