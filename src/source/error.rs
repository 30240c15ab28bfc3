//! The typed error every source returns. Each variant is one row of the retry
//! table (README, "Retry rules"); the engine decides what to do by variant.
//!
//! No variant carries a URL: URLs hold the API key. Messages are built from
//! statuses and reasons only.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The API answered 5xx.
    #[error("server error (HTTP {status})")]
    Server { status: u16 },
    /// The API answered 429.
    #[error("{}", rate_limited_message(*daily, *retry_after))]
    RateLimited {
        retry_after: Option<Duration>,
        /// OpenDota's `daily api limit exceeded`: stop until 00:00 UTC.
        daily: bool,
    },
    /// The request timed out or the connection failed.
    #[error("{}", match kind { TransportKind::Timeout => "request timed out", TransportKind::Connect | TransportKind::Refused | TransportKind::Dns | TransportKind::Tls => "could not connect to the API", TransportKind::Reset | TransportKind::Other => "connection failed" })]
    Transport { kind: TransportKind },
    /// 401/403: the key was rejected or access is blocked.
    #[error("the API rejected the key or blocked access (HTTP {status}); check STEAM_API_KEY")]
    Unauthorized { status: u16 },
    /// Steam's `status: 15`: the player's match history is private.
    #[error(
        "this player's match history is private; they must make it public in Dota 2's privacy settings"
    )]
    PrivateProfile,
    /// OpenDota lists no match at all for the account.
    #[error(
        "OpenDota lists no matches for this account: its match data is private (Dota 2's \"Expose Public Match Data\" setting) or OpenDota does not know it"
    )]
    NoHistory,
    /// The API answered with an error for this match (`Match ID not found`, ...).
    #[error("API error: {message}")]
    MatchApi { message: String },
    /// The sequence endpoint returned a different match than the one asked for.
    #[error("API returned match {got} instead of {asked}")]
    WrongMatch { asked: i64, got: i64 },
    /// Not sent: the run was paused or is stopping. Never recorded on a row.
    #[error("request not sent (sync paused or stopping)")]
    NotSent,
    /// The API answered with a redirect, which is never followed: the key
    /// would travel to another host. `host` is where it pointed.
    #[error(
        "the API redirected (HTTP {status}) to {host}; dota-sync follows no redirects: check the API base URL"
    )]
    Redirected { status: u16, host: String },
    /// The body could not be understood.
    #[error("malformed API response: {reason}")]
    Malformed { reason: String },
    /// A GraphQL answer with `errors` and no `data` (HTTP 200): the call
    /// failed as a whole, the "API is down" row (ARCHITECTURE.md, "Sources and limits").
    #[error("API error: {message}")]
    GraphQl { message: String },
    /// STRATZ cannot be used this run; the other sources go on.
    #[error("{}", reason.message())]
    StratzUnavailable { reason: StratzDrop },
}

/// Why STRATZ drops out of a run (ARCHITECTURE.md, "Sources and limits").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StratzDrop {
    /// 403 with `cf-mitigated: challenge`: the CDN's browser check, which
    /// is never answered.
    Challenge,
    /// 401, or 403 with `WWW-Authenticate`.
    TokenRejected { status: u16 },
    /// Any other 403: the CDN refused the connection.
    Blocked { status: u16 },
    /// `"player": null`: a private or unknown STRATZ profile.
    NoProfile,
}

impl StratzDrop {
    /// The line for a run STRATZ had alone: nothing goes on without it.
    pub fn message_alone(self) -> String {
        self.message()
            .trim_end_matches("; syncing from the other sources")
            .to_string()
    }

    pub fn message(self) -> String {
        match self {
            StratzDrop::Challenge => {
                "STRATZ blocked this connection with a browser check; syncing from the other sources"
                    .to_string()
            }
            StratzDrop::TokenRejected { status } => format!(
                "STRATZ rejected the token (HTTP {status}); check STRATZ_API_TOKEN; syncing from the other sources"
            ),
            StratzDrop::Blocked { status } => format!(
                "STRATZ refused this connection (HTTP {status}); syncing from the other sources"
            ),
            StratzDrop::NoProfile => {
                "STRATZ has no public match history for this account; syncing from the other sources"
                    .to_string()
            }
        }
    }
}

/// What went wrong below HTTP, as far as can be told without the error's
/// text (which holds the URL). `Connect` is a connection that failed for a
/// reason none of the finer kinds names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    Timeout,
    Connect,
    /// Nothing listens at the host's port.
    Refused,
    /// The host name did not resolve.
    Dns,
    /// The connection was reset or closed mid-answer.
    Reset,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    Other,
}

impl TransportKind {
    /// The cause as the "API appears down" line names it.
    pub fn cause(self) -> &'static str {
        match self {
            TransportKind::Timeout => "timed out",
            TransportKind::Connect => "could not connect",
            TransportKind::Refused => "connection refused",
            TransportKind::Dns => "DNS lookup failed",
            TransportKind::Reset => "connection reset",
            TransportKind::Tls => "TLS handshake failed",
            TransportKind::Other => "connection failed",
        }
    }
}

fn rate_limited_message(daily: bool, retry_after: Option<Duration>) -> String {
    match (daily, retry_after) {
        (true, _) => "daily API limit reached (resets at 00:00 UTC)".to_string(),
        (false, Some(wait)) => format!("rate limited (retry after {} s)", wait.as_secs()),
        (false, None) => "rate limited".to_string(),
    }
}

impl FetchError {
    /// Errors that say the API as a whole is unwell (feeds the circuit breaker).
    pub fn is_outage(&self) -> bool {
        matches!(
            self,
            FetchError::Server { .. } | FetchError::Transport { .. } | FetchError::GraphQl { .. }
        )
    }

    /// Errors that end the whole run: nothing more can be fetched with this key
    /// or for this account. STRATZ unavailable ends STRATZ's part, and the
    /// run only when it was the last source (the engine decides).
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            FetchError::Unauthorized { .. }
                | FetchError::PrivateProfile
                | FetchError::NoHistory
                | FetchError::Redirected { .. }
                | FetchError::RateLimited { daily: true, .. }
                | FetchError::StratzUnavailable { .. }
        )
    }

    /// Why a source counts as down, for the "API appears down" line:
    /// the transport's kind or the HTTP status, never server text.
    pub fn down_cause(&self) -> String {
        match self {
            FetchError::Server { status } => format!("HTTP {status}"),
            FetchError::Transport { kind } => kind.cause().to_string(),
            FetchError::GraphQl { .. } => "API error".to_string(),
            FetchError::RateLimited { .. } => "rate limited (HTTP 429)".to_string(),
            other => other.short(),
        }
    }

    /// A short text stored in `matches.fetch_error` and shown in the TUI.
    pub fn short(&self) -> String {
        match self {
            FetchError::Server { status } => format!("HTTP {status}"),
            FetchError::Transport {
                kind: TransportKind::Timeout,
            } => "timeout".into(),
            FetchError::Transport { .. } => "connection failed".into(),
            FetchError::MatchApi { message } => message.clone(),
            FetchError::GraphQl { message } => format!("STRATZ: {message}"),
            FetchError::WrongMatch { got, .. } => format!("wrong match returned ({got})"),
            FetchError::Malformed { reason } => format!("malformed response: {reason}"),
            other => other.to_string(),
        }
    }
}
