//! The one HTTP client type both sources use: base URL, where the key goes,
//! the pacer that admits every request, and the shared error rules of
//! [`super::http`]. The Steam and OpenDota clients add only their endpoints
//! and how to read their answers.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;

use super::http::{self, BodyLimit, BodyStream, Reply};
use super::pacer::Pacer;
use super::{ApiKey, FetchError, SourceConfig};

/// OpenDota's own counts of what is left of its windows.
const REMAINING_MINUTE: &str = "x-rate-limit-remaining-minute";
const REMAINING_DAY: &str = "x-rate-limit-remaining-day";

/// Where a source wants its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPlacement {
    /// In the query string under this name (Steam's `key=`).
    Query(&'static str),
    /// `Authorization: Bearer <key>` (OpenDota): out of every URL.
    Bearer,
}

pub struct ApiClient {
    http: reqwest::Client,
    base: String,
    /// `None` sends no key: the CLI insists on one where the real API needs
    /// it; the simulator accepts requests without.
    key: Option<ApiKey>,
    placement: KeyPlacement,
    pacer: Pacer,
    /// Pace by the API's `X-Rate-Limit-Remaining-*` headers (OpenDota).
    follows_rate_headers: bool,
    /// The API said its daily calls are spent: nothing more is sent.
    out_of_calls: AtomicBool,
}

impl ApiClient {
    /// The API's host (with its port when the base names one), for lines
    /// that say which API failed: never the path, query or user part.
    pub fn host(&self) -> Option<String> {
        let url = reqwest::Url::parse(&self.base).ok()?;
        let host = url.host_str()?;
        Some(match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        })
    }

    pub fn new(config: &SourceConfig, placement: KeyPlacement) -> Result<ApiClient, FetchError> {
        Ok(ApiClient {
            http: http::build_client(config)?,
            base: config.api_base.trim_end_matches('/').to_string(),
            key: config.key.clone(),
            placement,
            pacer: Pacer::new(f64::INFINITY),
            follows_rate_headers: false,
            out_of_calls: AtomicBool::new(false),
        })
    }

    /// Paces by `X-Rate-Limit-Remaining-Minute` and `-Day` where the API
    /// sends them: a spent minute holds requests to the next clock minute
    /// (OpenDota's window is a fixed clock minute), a spent day ends the
    /// source's run before it earns a 429.
    pub fn following_rate_headers(mut self) -> ApiClient {
        self.follows_rate_headers = true;
        self
    }

    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    /// A fresh run: the rate, and whatever the API said of its day forgotten.
    pub fn reset(&self, rate: f64) {
        self.pacer.reset(rate);
        self.out_of_calls.store(false, Ordering::Relaxed);
    }

    fn observe(&self, headers: &HeaderMap) {
        if !self.follows_rate_headers {
            return;
        }
        let remaining = |name: &str| http::remaining(headers, name);
        if remaining(REMAINING_DAY).is_some_and(|left| left <= 0) {
            self.out_of_calls.store(true, Ordering::Relaxed);
        }
        if remaining(REMAINING_MINUTE).is_some_and(|left| left <= 0) {
            self.pacer.hold_until(Instant::now() + until_next_minute());
        }
    }

    /// One GET of `{base}/{path}` with `params`: its 2xx body as bytes,
    /// for the caller to read ([`Reply::json_or`], or a typed reader).
    /// `endpoint` names the call in logs, because the URL may hold the key.
    /// `also`: a stricter pacer the endpoint must pass too (Steam's
    /// sequence endpoint), after the source's own.
    pub async fn get(
        &self,
        also: Option<&Pacer>,
        endpoint: &str,
        path: &str,
        params: &[(&str, String)],
        limit: BodyLimit,
    ) -> Result<Reply, FetchError> {
        let request = self
            .admitted_request(reqwest::Method::GET, also, path, params)
            .await?;
        http::call(endpoint, request, limit, &|h| self.observe(h)).await
    }

    /// One POST of the JSON `body` to `{base}/{path}` (STRATZ's GraphQL),
    /// under the same rules as [`Self::get`]. `observe` sees every
    /// answer's headers too: the caller reads its API's own ones there.
    pub async fn post_json(
        &self,
        endpoint: &str,
        path: &str,
        body: Vec<u8>,
        limit: BodyLimit,
        observe: &(dyn Fn(&HeaderMap) + Sync),
    ) -> Result<Reply, FetchError> {
        let request = self
            .admitted_request(reqwest::Method::POST, None, path, &[])
            .await?
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        http::call(endpoint, request, limit, &|headers| {
            self.observe(headers);
            observe(headers);
        })
        .await
    }

    /// [`Self::get`] with a 2xx body handed over as it streams in, for a
    /// body too large to hold whole (OpenDota's history). `timeout`
    /// replaces the client's for this request, body included: a body read
    /// at the pace its rows are saved takes longer than one held whole.
    pub async fn get_streamed(
        &self,
        endpoint: &str,
        path: &str,
        params: &[(&str, String)],
        limit: BodyLimit,
        timeout: Duration,
    ) -> Result<Reply<BodyStream>, FetchError> {
        let request = self
            .admitted_request(reqwest::Method::GET, None, path, params)
            .await?
            .timeout(timeout);
        http::call_streamed(endpoint, request, limit, &|h| self.observe(h)).await
    }

    /// Whether requests carry a key (Steam's player summaries need one).
    pub fn has_key(&self) -> bool {
        self.key.is_some()
    }

    /// Server text that is data, not an error (player names), cleaned as
    /// error text is ([`http::clean_server_text`]).
    pub fn clean_text(&self, text: &str) -> String {
        http::clean_server_text(text, self.key.as_ref())
    }

    /// Every error leaves a source through here: server text cleaned, the
    /// key redacted ([`http::clean_error`]).
    pub fn clean<T>(&self, result: Result<T, FetchError>) -> Result<T, FetchError> {
        http::clean_error(result, self.key.as_ref())
    }

    /// `work`'s outcome with any error cleaned ([`Self::clean`]): every
    /// source method that returns an answer wraps its requests and reads in
    /// this, so no error leaves a source uncleaned.
    pub async fn cleaned<T>(
        &self,
        work: impl std::future::Future<Output = Result<T, FetchError>>,
    ) -> Result<T, FetchError> {
        self.clean(work.await)
    }

    /// The request, once the pacer admits it; `NotSent` when the gate closed.
    async fn admitted_request(
        &self,
        method: reqwest::Method,
        also: Option<&Pacer>,
        path: &str,
        params: &[(&str, String)],
    ) -> Result<reqwest::RequestBuilder, FetchError> {
        if self.out_of_calls.load(Ordering::Relaxed) {
            return Err(FetchError::RateLimited {
                retry_after: None,
                daily: true,
            });
        }
        if let Some(stricter) = also
            && !stricter.admit().await
        {
            return Err(FetchError::NotSent);
        }
        if !self.pacer.admit().await {
            return Err(FetchError::NotSent);
        }
        let mut request = self.http.request(method, format!("{}/{path}", self.base));
        match (&self.key, self.placement) {
            (Some(key), KeyPlacement::Query(name)) => {
                request = request.query(&[(name, key.expose())]);
            }
            (Some(key), KeyPlacement::Bearer) => request = request.bearer_auth(key.expose()),
            (None, _) => {}
        }
        Ok(request.query(params))
    }
}

/// Time to the next UTC clock minute, plus a little for clock skew.
fn until_next_minute() -> Duration {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let into_minute = now.as_millis() % 60_000;
    Duration::from_millis((60_000 - into_minute) as u64 + 250)
}
