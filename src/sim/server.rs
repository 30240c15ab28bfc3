//! The HTTP server: one axum fallback handler that routes by path, applies
//! the fault plan and counts every request.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::body_cache::BodyCache;
use super::dataset::Dataset;
use super::fault_state::{FaultState, Lane, Refusal, Remaining};
use super::faults::FaultPlan;
use super::respond::{self, Reply};
use super::routes::{Route, route};
use super::state::{SimState, lock};
use super::stats::{SimStats, StatsRecorder};
use super::{opendota_routes, steam_routes};

/// How the simulator behaves. `Default` is a healthy server that, like
/// Valve's today, answers GetMatchDetails with 500.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    pub seed: u64,
    /// Ordinary public accounts (at least 2); one private account comes on top.
    pub accounts: usize,
    pub matches_per_account: usize,
    pub faults: FaultPlan,
    /// Some(k): Steam requests must carry exactly k; None: any non-empty key.
    pub required_key: Option<String>,
    /// false (default): GetMatchDetails answers 500 `{}` like the real API today.
    pub get_match_details_works: bool,
    /// How many of an account's most recent matches GetMatchHistory reaches:
    /// 500 like Valve's. The demo raises it so its 1,500 matches all sync.
    pub history_cap: usize,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            seed: 42,
            accounts: 3,
            matches_per_account: 600,
            faults: FaultPlan::default(),
            required_key: None,
            get_match_details_works: false,
            history_cap: 500,
        }
    }
}

/// A running simulator on 127.0.0.1. Dropping it stops the server.
pub struct SimServer {
    addr: SocketAddr,
    state: Arc<SimState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl SimServer {
    /// Starts on a free port of 127.0.0.1.
    pub async fn start(config: SimConfig) -> std::io::Result<SimServer> {
        SimServer::start_on_port(config, 0).await
    }

    /// Starts on 127.0.0.1:`port` (0: any free port).
    pub async fn start_on_port(config: SimConfig, port: u16) -> std::io::Result<SimServer> {
        config
            .faults
            .validate()
            .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidInput, error))?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        // Generating 100k matches takes a moment; keep it off the async workers.
        let (seed, accounts, matches) = (config.seed, config.accounts, config.matches_per_account);
        let dataset =
            tokio::task::spawn_blocking(move || Dataset::generate(seed, accounts, matches))
                .await
                .map_err(std::io::Error::other)?;
        let dataset = Arc::new(dataset);
        let started = Instant::now();
        let state = Arc::new(SimState {
            sequence_skips_immortal_draft: config.faults.sequence_skips_immortal_draft,
            opendota_lacks: config.faults.opendota_lacks,
            names: super::fault_state::NamesScript::new(&config.faults.names),
            stratz: super::stratz_state::StratzState::new(
                config.faults.stratz.clone(),
                config.faults.seed,
            ),
            faults: Mutex::new(FaultState::new(config.faults, &dataset, started)),
            stats: Mutex::new(StatsRecorder::new(started)),
            dataset,
            bodies: BodyCache::default(),
            required_key: config.required_key,
            get_match_details_works: config.get_match_details_works,
            history_cap: config.history_cap,
        });
        let app = Router::new()
            .route(
                "/graphql",
                axum::routing::post(super::stratz_routes::graphql),
            )
            .fallback(handle)
            .with_state(Arc::clone(&state));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(error) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::warn!("simulator stopped: {error}");
            }
        });
        Ok(SimServer {
            addr,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn dataset(&self) -> Arc<Dataset> {
        Arc::clone(&self.state.dataset)
    }

    /// Whether this server's OpenDota lacks the match (404, and missing
    /// from the player histories).
    pub fn opendota_lacks(&self, match_id: i64) -> bool {
        self.state.opendota_lacks(match_id)
    }

    /// What has been served so far.
    pub fn stats(&self) -> SimStats {
        lock(&self.state.stats).snapshot()
    }

    /// Stops accepting, lets answers in flight finish (for at most a second:
    /// a simulated timeout must not hold up the caller), then stops.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(1), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn handle(State(state): State<Arc<SimState>>, uri: Uri, headers: HeaderMap) -> Response {
    let route = route(uri.path());
    if route == Route::Stats {
        let stats = lock(&state.stats).snapshot();
        let value = serde_json::to_value(stats).unwrap_or_default();
        return respond::json(StatusCode::OK, &value);
    }
    lock(&state.stats).arrived(Instant::now(), route.endpoint_name(), route.api_name());

    let latency = lock(&state.faults).latency();
    if let Some(latency) = latency {
        tokio::time::sleep(latency).await;
    }
    let query: HashMap<String, String> = Query::try_from_uri(&uri)
        .map(|Query(query)| query)
        .unwrap_or_default();
    let lane = lane(&route, &query, &headers);
    let admission = lock(&state.faults).admit_on(Instant::now(), lane);
    let mut reply = match admission.refusal {
        Some(refusal) => refused(&route, refusal),
        None if route.is_steam() && !steam_routes::key_accepted(&state, &query, &headers) => {
            Reply::new(respond::forbidden(), "403")
        }
        None => serve(&state, &route, &query, uri.query(), &headers),
    };
    if let Some(remaining) = admission.remaining {
        rate_limit_headers(&mut reply.response, remaining);
    }

    // Count before hanging: a client that gives up on a timeout may close
    // the connection, and the answer would then never be counted.
    lock(&state.stats).finished(route.endpoint_name(), &reply.outcome);
    if let Some(hang) = reply.hang {
        tokio::time::sleep(hang).await;
    }
    reply.response
}

/// Which lane's limits a request falls under.
fn lane(route: &Route, query: &HashMap<String, String>, headers: &HeaderMap) -> Lane {
    if route.is_opendota() {
        return Lane::OpenDota {
            keyed: opendota_routes::has_key(query, headers),
        };
    }
    match route {
        Route::HistoryBySequence => Lane::SteamSequence,
        _ => Lane::SteamOther,
    }
}

/// OpenDota's `X-Rate-Limit-Remaining-*` headers, on every answer.
fn rate_limit_headers(response: &mut Response, remaining: Remaining) {
    let headers = response.headers_mut();
    headers.insert(
        "x-rate-limit-remaining-minute",
        HeaderValue::from(remaining.minute),
    );
    if let Some(day) = remaining.day {
        headers.insert("x-rate-limit-remaining-day", HeaderValue::from(day));
    }
}

fn refused(route: &Route, refusal: Refusal) -> Reply {
    match refusal {
        Refusal::Down => Reply::new(respond::html_error(StatusCode::SERVICE_UNAVAILABLE), "503"),
        Refusal::Daily => Reply::new(respond::daily_limit(route.api()), "daily"),
        Refusal::RateLimited => Reply::new(respond::rate_limited(route.api(), None), "429"),
    }
}

fn serve(
    state: &SimState,
    route: &Route,
    query: &HashMap<String, String>,
    raw_query: Option<&str>,
    headers: &HeaderMap,
) -> Reply {
    match route {
        Route::MatchHistory => steam_routes::match_history(state, query),
        Route::MatchDetails => steam_routes::match_details(state, query),
        Route::HistoryBySequence => steam_routes::history_by_sequence(state, query),
        Route::ResolveVanity => steam_routes::resolve_vanity(state, query),
        Route::OdPlayerMatches(account_id) => {
            opendota_routes::player_matches(state, account_id, raw_query)
        }
        Route::OdMatch(match_id) => opendota_routes::match_by_id(state, match_id),
        Route::PlayerSummaries => super::names::player_summaries(state, query),
        Route::OdPlayer(account_id) => {
            super::names::opendota_player(state, account_id, query, headers)
        }
        Route::Stats | Route::Unknown => {
            Reply::new(respond::html_error(StatusCode::NOT_FOUND), "404")
        }
    }
}
