//! The API key must never leave a client inside an error, its `Display` or
//! `Debug`, or a log line, whatever the server does. Each scenario is the
//! canned server on 127.0.0.1 answering one way; the canned bodies echo the
//! request target (which holds the key) to prove bodies are not passed on.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use dota_sync::source::opendota::OpenDotaClient;
use dota_sync::source::steam::SteamClient;
use dota_sync::source::{
    ApiKey, FetchError, HistoryCursor, MatchRef, MatchSource, SourceConfig, SourceKind,
    TransportKind,
};
use tokio::net::TcpListener;

use crate::canned_server::{Body, CannedServer, Reply};

const KEY: &str = "SECRETKEY123456";

/// What the server does with each request.
#[derive(Clone, Copy, Debug)]
enum Behaviour {
    Forbidden,
    ServerError,
    RateLimitedWithRetryAfter,
    RateLimitedDaily,
    CutOffBody,
    GarbageJson,
    HtmlPage,
    NotFoundHtml,
    /// 200 JSON whose error texts quote the request, key included.
    JsonErrorEchoingKey,
    NeverAnswers,
}

const ALL_BEHAVIOURS: [Behaviour; 10] = [
    Behaviour::Forbidden,
    Behaviour::ServerError,
    Behaviour::RateLimitedWithRetryAfter,
    Behaviour::RateLimitedDaily,
    Behaviour::CutOffBody,
    Behaviour::GarbageJson,
    Behaviour::HtmlPage,
    Behaviour::NotFoundHtml,
    Behaviour::JsonErrorEchoingKey,
    Behaviour::NeverAnswers,
];

fn response(behaviour: Behaviour, target: &str) -> Reply {
    let full = |status: u16, extra_headers: &[(&str, &str)], body: &str| Reply {
        status,
        headers: extra_headers
            .iter()
            .chain([&("connection", "close")])
            .map(|&(name, value)| (name.to_string(), value.to_string()))
            .collect(),
        body: Body::Fixed(body.as_bytes().to_vec()),
    };
    let html = format!("<!DOCTYPE html><html><body>You asked for {target}</body></html>");
    const HTML: &[(&str, &str)] = &[("content-type", "text/html")];
    const JSON: &[(&str, &str)] = &[("content-type", "application/json")];
    match behaviour {
        Behaviour::Forbidden => full(403, HTML, &html),
        Behaviour::ServerError => full(500, &[], "{}"),
        Behaviour::RateLimitedWithRetryAfter => full(
            429,
            &[("retry-after", "7")],
            &format!("{{\"error\":\"minute rate limit exceeded for {target}\"}}"),
        ),
        Behaviour::RateLimitedDaily => full(
            429,
            &[],
            &format!("{{\"error\":\"daily api limit exceeded for {target}\"}}"),
        ),
        // Promises 5000 bytes, sends a few, then closes.
        Behaviour::CutOffBody => Reply {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::CutOff {
                promised: 5000,
                sent: format!("{{\"result\": {{\"note\": \"{target}").into_bytes(),
            },
        },
        Behaviour::GarbageJson => full(200, JSON, &format!("{{\"result\": {target} oops")),
        Behaviour::HtmlPage => full(200, HTML, &html),
        Behaviour::NotFoundHtml => full(404, HTML, &html),
        Behaviour::JsonErrorEchoingKey => {
            let quoted = serde_json::to_string(target).unwrap();
            let body = format!(
                "{{\"result\":{{\"status\":8,\"statusDetail\":{quoted},\"error\":{quoted}}},\
                 \"response\":{{\"success\":2,\"message\":{quoted}}},\"error\":{quoted}}}"
            );
            full(200, JSON, &body)
        }
        // Holds the connection open without a word until the test ends.
        Behaviour::NeverAnswers => Reply {
            status: 200,
            headers: Vec::new(),
            body: Body::Silence,
        },
    }
}

/// Serves `behaviour` on a fresh port and returns its base URL.
async fn serve(behaviour: Behaviour) -> String {
    CannedServer::start(move |request| response(behaviour, &request.target))
        .await
        .base
}

/// A base URL on which nothing listens.
async fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    base
}

fn config(kind: SourceKind, base: &str) -> SourceConfig {
    let mut config = SourceConfig::new(kind, Some(base.to_string()), ApiKey::new(KEY));
    // Short, so that the silent server costs little.
    config.timeout = Duration::from_millis(400);
    config.connect_timeout = Duration::from_millis(400);
    config
}

fn wanted() -> MatchRef {
    MatchRef {
        match_id: 8_591_933_650,
        match_seq_num: Some(7_215_564_751),
    }
}

/// Every keyed call both clients make, against `base`; each must fail.
async fn every_call_fails(base: &str) -> Vec<(String, FetchError)> {
    let steam = SteamClient::new(&config(SourceKind::Steam, base)).unwrap();
    let opendota = OpenDotaClient::new(&config(SourceKind::OpenDota, base)).unwrap();
    let cursor = Some(HistoryCursor::StartAtMatchId(100));
    let mut errors = Vec::new();
    let mut record = |call: &str, outcome: Result<String, FetchError>| match outcome {
        Ok(unexpected) => panic!("{call} against {base} succeeded: {unexpected}"),
        Err(error) => errors.push((call.to_string(), error)),
    };
    record(
        "steam history",
        steam
            .history_page(95_816, cursor)
            .await
            .map(|p| format!("{p:?}")),
    );
    // Twice: the first call probes GetMatchDetails, the second may take the
    // sequence endpoint.
    for _ in 0..2 {
        record(
            "steam details",
            steam.match_details(wanted()).await.map(|d| d.raw_json),
        );
    }
    record(
        "steam vanity",
        steam
            .resolve_vanity("someone")
            .await
            .map(|v| format!("{v:?}")),
    );
    record(
        "opendota history",
        opendota
            .history_page(95_816, None)
            .await
            .map(|p| format!("{p:?}")),
    );
    record(
        "opendota details",
        opendota.match_details(wanted()).await.map(|d| d.raw_json),
    );
    errors
}

fn assert_no_key(context: &str, errors: &[(String, FetchError)]) {
    assert!(!errors.is_empty());
    for (call, error) in errors {
        let shown = format!("{error} / {error:?} / {}", error.short());
        assert!(
            !shown.contains(KEY),
            "{context}: {call} leaked the key: {shown}"
        );
    }
}

/// Collects everything logged at any level into a buffer.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The logs of every test in this binary. A global subscriber, because a
/// thread-scoped one misses events when tests on other threads register the
/// same call sites first (tracing caches interest per call site).
fn captured_logs() -> &'static LogBuffer {
    static LOGS: OnceLock<LogBuffer> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = LogBuffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        buffer
    })
}

#[tokio::test]
async fn no_error_or_log_line_carries_the_key() {
    let logs = captured_logs();
    for behaviour in ALL_BEHAVIOURS {
        let base = serve(behaviour).await;
        let errors = every_call_fails(&base).await;
        assert_no_key(&format!("{behaviour:?}"), &errors);
    }
    let errors = every_call_fails(&closed_port().await).await;
    assert_no_key("closed port", &errors);

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("GetMatchHistory"),
        "logs name endpoints: {logs}"
    );
    assert!(!logs.contains(KEY), "a log line leaked the key: {logs}");
}

#[tokio::test]
async fn each_failure_has_the_right_kind() {
    captured_logs();
    let expect = |behaviour: Behaviour| -> fn(&FetchError) -> bool {
        match behaviour {
            Behaviour::Forbidden => |e| matches!(e, FetchError::Unauthorized { status: 403 }),
            Behaviour::ServerError => |e| matches!(e, FetchError::Server { status: 500 }),
            Behaviour::RateLimitedWithRetryAfter => |e| {
                *e == FetchError::RateLimited {
                    retry_after: Some(Duration::from_secs(7)),
                    daily: false,
                }
            },
            Behaviour::RateLimitedDaily => |e| {
                *e == FetchError::RateLimited {
                    retry_after: None,
                    daily: true,
                }
            },
            // Either the body read fails or the JSON ends early: both honest.
            Behaviour::CutOffBody => |e| {
                matches!(
                    e,
                    FetchError::Transport {
                        kind: TransportKind::Other | TransportKind::Reset
                    } | FetchError::Malformed { .. }
                )
            },
            Behaviour::GarbageJson | Behaviour::HtmlPage => {
                |e| matches!(e, FetchError::Malformed { .. })
            }
            Behaviour::NotFoundHtml | Behaviour::JsonErrorEchoingKey => {
                |e| matches!(e, FetchError::MatchApi { .. })
            }
            Behaviour::NeverAnswers => |e| {
                matches!(
                    e,
                    FetchError::Transport {
                        kind: TransportKind::Timeout
                    }
                )
            },
        }
    };
    for behaviour in ALL_BEHAVIOURS {
        let check = expect(behaviour);
        for (call, error) in every_call_fails(&serve(behaviour).await).await {
            assert!(check(&error), "{behaviour:?}: {call} gave {error:?}");
        }
    }
    for (call, error) in every_call_fails(&closed_port().await).await {
        assert_eq!(
            error,
            FetchError::Transport {
                kind: TransportKind::Refused
            },
            "closed port: {call}"
        );
    }
}

/// `https://` to a server that speaks plain HTTP: the handshake fails, and
/// the kind says so (the "API appears down" line names it).
#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_failure() {
    captured_logs();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                // Answer the client's hello, then read until it hangs up:
                // closing with its bytes unread would reset the connection,
                // a different failure than the one under test (this raced).
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let _ = socket
                    .write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n")
                    .await;
                while matches!(socket.read(&mut buf).await, Ok(n) if n > 0) {}
            });
        }
    });
    for (call, error) in every_call_fails(&base).await {
        assert_eq!(
            error,
            FetchError::Transport {
                kind: TransportKind::Tls
            },
            "{call}"
        );
    }
}

#[tokio::test]
async fn echoed_key_is_scrubbed_from_api_messages() {
    captured_logs();
    let errors = every_call_fails(&serve(Behaviour::JsonErrorEchoingKey).await).await;
    for (call, error) in &errors {
        let FetchError::MatchApi { message } = error else {
            panic!("{call}: {error:?}");
        };
        assert!(!message.contains(KEY), "{call}: {message}");
        // Steam's key rides in the query string, so the echo held it and
        // it was redacted; OpenDota's goes in a header, out of every URL.
        if call.starts_with("opendota") {
            assert!(!message.contains("<redacted>"), "{call}: {message}");
        } else {
            assert!(message.contains("<redacted>"), "{call}: {message}");
        }
    }
}

#[test]
fn key_and_config_debug_hide_the_key() {
    let key = ApiKey::new(KEY).unwrap();
    assert!(!format!("{key:?} {key}").contains(KEY));
    for kind in [SourceKind::Steam, SourceKind::OpenDota] {
        let config = SourceConfig::new(kind, None, Some(key.clone()));
        let shown = format!("{config:?}");
        assert!(!shown.contains(KEY), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
}
