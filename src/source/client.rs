//! The one HTTP client type both sources use: base URL, where the key goes,
//! the pacer that admits every request, and the shared error rules of
//! [`super::http`]. The Steam and OpenDota clients add only their endpoints
//! and how to read their answers.

use super::http::{self, BodyLimit, BodyReply, Reply};
use super::pacer::Pacer;
use super::{ApiKey, FetchError, SourceConfig};

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
}

impl ApiClient {
    pub fn new(config: &SourceConfig, placement: KeyPlacement) -> Result<ApiClient, FetchError> {
        Ok(ApiClient {
            http: http::build_client(config)?,
            base: config.api_base.trim_end_matches('/').to_string(),
            key: config.key.clone(),
            placement,
            pacer: Pacer::new(f64::INFINITY),
        })
    }

    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    /// One GET of `{base}/{path}` with `params`, its 2xx body parsed as JSON.
    /// `endpoint` names the call in logs, because the URL may hold the key.
    pub async fn get_json(
        &self,
        endpoint: &str,
        path: &str,
        params: &[(&str, String)],
        limit: BodyLimit,
    ) -> Result<Reply, FetchError> {
        let request = self.admitted_request(path, params).await?;
        http::get_json(endpoint, request, limit).await
    }

    /// [`Self::get_json`] with a 2xx body left as bytes, for the detail
    /// endpoints, which read their bodies without building a `Value`.
    pub async fn get_body(
        &self,
        endpoint: &str,
        path: &str,
        params: &[(&str, String)],
        limit: BodyLimit,
    ) -> Result<BodyReply, FetchError> {
        let request = self.admitted_request(path, params).await?;
        http::get_body(endpoint, request, limit).await
    }

    /// Every error leaves a source through here: server text cleaned, the
    /// key redacted ([`http::clean_error`]).
    pub fn clean<T>(&self, result: Result<T, FetchError>) -> Result<T, FetchError> {
        http::clean_error(result, self.key.as_ref())
    }

    /// The GET, once the pacer admits it; `NotSent` when the gate closed.
    async fn admitted_request(
        &self,
        path: &str,
        params: &[(&str, String)],
    ) -> Result<reqwest::RequestBuilder, FetchError> {
        if !self.pacer.admit().await {
            return Err(FetchError::NotSent);
        }
        let mut request = self.http.get(format!("{}/{path}", self.base));
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
