//! Which API a source talks to ([`SourceKind`], with each real API's
//! address and tolerated rate), its key ([`ApiKey`], never shown) and
//! everything a client is built from ([`SourceConfig`]).

use std::fmt;
use std::time::Duration;

/// Which API a sync talks to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Steam,
    #[value(name = "opendota")]
    #[serde(rename = "opendota")]
    OpenDota,
    Stratz,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Steam => "steam",
            SourceKind::OpenDota => "opendota",
            SourceKind::Stratz => "stratz",
        }
    }

    /// The public base URL of the real API (each client's `DEFAULT_BASE`).
    pub const fn default_base(self) -> &'static str {
        match self {
            SourceKind::Steam => "https://api.steampowered.com",
            SourceKind::OpenDota => "https://api.opendota.com/api",
            SourceKind::Stratz => "https://api.stratz.com",
        }
    }

    /// Requests per second that the real API tolerates (ARCHITECTURE.md, "Sources and limits").
    pub const fn default_rate(self, keyed: bool) -> f64 {
        match self {
            // About 5 a second per IP; stay under it.
            SourceKind::Steam => 4.0,
            // 60 a minute without a key, 300 with one.
            SourceKind::OpenDota if keyed => 4.5,
            SourceKind::OpenDota => 1.0,
            // At the start of a run; its rate headers hold it back from
            // there (a default token allows about 20/s, 250/min, 2,000/h).
            SourceKind::Stratz => 5.0,
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An API key. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(value: impl Into<String>) -> Option<ApiKey> {
        let value = value.into().trim().to_string();
        (!value.is_empty()).then_some(ApiKey(value))
    }

    /// The secret itself; only the HTTP layer calls this.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Everything needed to build a client.
#[derive(Debug, Clone)]
pub struct SourceConfig {
    pub kind: SourceKind,
    /// Base URL; the simulator's address in tests and the demo.
    pub api_base: String,
    pub key: Option<ApiKey>,
    pub connect_timeout: Duration,
    /// Whole-request timeout, body included.
    pub timeout: Duration,
}

impl SourceConfig {
    pub fn new(kind: SourceKind, api_base: Option<String>, key: Option<ApiKey>) -> SourceConfig {
        let api_base = api_base.unwrap_or_else(|| kind.default_base().to_string());
        SourceConfig {
            kind,
            api_base: api_base.trim_end_matches('/').to_string(),
            key,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
        }
    }
}
