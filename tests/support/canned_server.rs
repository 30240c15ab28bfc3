//! The one canned HTTP/1.1 server the tests use, on 127.0.0.1: each
//! request is answered by a script, which can answer plainly, redirect,
//! stall, say nothing, cut a body short, or send endless or compressed-bomb
//! bodies, absurd headers or escape sequences. Every byte received is kept,
//! so a test can prove the key never reached it. Shared like the builders:
//! `tests/it` includes it with `#[path]`, and so does the library's
//! `source::http::test_server` for the clients' unit tests.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    /// Position among all requests this server received, from 0.
    pub index: usize,
    /// `/path?query`.
    pub target: String,
    /// The request line and headers, as received.
    pub head: String,
    pub at: Instant,
}

impl Request {
    pub fn query(&self, name: &str) -> Option<String> {
        let query = self.target.split_once('?')?.1;
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .map(str::to_string)
    }
}

/// How the body is sent.
pub enum Body {
    /// With a correct Content-Length.
    Fixed(Vec<u8>),
    /// Chunked, without a length.
    Chunked(Vec<u8>),
    /// Chunked, 64 KB at a time, until the client hangs up (or 60 s pass).
    Endless,
    /// A `content-length` of `promised` bytes, then only these, then the
    /// connection is closed.
    CutOff { promised: usize, sent: Vec<u8> },
    /// Nothing at all, not even the status line: the connection stays open
    /// and quiet until the client gives up (or 60 s pass).
    Silence,
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::Fixed(body.into().into_bytes()),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn with_body(mut self, body: Body) -> Reply {
        self.body = body;
        self
    }
}

type Script = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct CannedServer {
    pub base: String,
    requests: Arc<Mutex<Vec<Request>>>,
    /// Every byte received, on every connection, in arrival order.
    received: Arc<Mutex<Vec<u8>>>,
    connections: Arc<AtomicUsize>,
}

impl CannedServer {
    /// Starts a server whose answer to each request is `script(request)`.
    pub async fn start(script: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> CannedServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = CannedServer {
            base,
            requests: Arc::default(),
            received: Arc::default(),
            connections: Arc::default(),
        };
        let script: Arc<Script> = Arc::new(script);
        let (requests, received, connections) = (
            Arc::clone(&server.requests),
            Arc::clone(&server.received),
            Arc::clone(&server.connections),
        );
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                connections.fetch_add(1, Ordering::SeqCst);
                let (script, requests, received) = (
                    Arc::clone(&script),
                    Arc::clone(&requests),
                    Arc::clone(&received),
                );
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(
                        Duration::from_secs(60),
                        serve(socket, script, requests, received),
                    )
                    .await;
                });
            }
        });
        server
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    pub fn received(&self) -> Vec<u8> {
        self.received.lock().unwrap().clone()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The most requests whose arrival fell in any one-second window.
    pub fn peak_per_second(&self) -> usize {
        let times: Vec<Instant> = self.requests().iter().map(|r| r.at).collect();
        let mut best = 0;
        for (i, start) in times.iter().enumerate() {
            let n = times[i..]
                .iter()
                .take_while(|t| t.duration_since(*start) < Duration::from_secs(1))
                .count();
            best = best.max(n);
        }
        best
    }
}

/// Serves requests on one connection until either side closes it.
async fn serve(
    mut socket: TcpStream,
    script: Arc<Script>,
    requests: Arc<Mutex<Vec<Request>>>,
    received: Arc<Mutex<Vec<u8>>>,
) {
    loop {
        let Some(head) = read_head(&mut socket, &received).await else {
            return;
        };
        let target = head
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string();
        let request = {
            let mut all = requests.lock().unwrap();
            let request = Request {
                index: all.len(),
                target,
                head,
                at: Instant::now(),
            };
            all.push(request.clone());
            request
        };
        let reply = script(&request);
        if write_reply(&mut socket, reply).await.is_err() {
            return;
        }
    }
}

async fn read_head(socket: &mut TcpStream, received: &Mutex<Vec<u8>>) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    // Byte by byte: the head is small, and no byte of a next request is lost.
    while !head.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await {
            Ok(0) | Err(_) => return None,
            Ok(_) => {
                head.push(byte[0]);
                received.lock().unwrap().push(byte[0]);
            }
        }
        if head.len() > 64 << 10 {
            return None;
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

async fn write_reply(socket: &mut TcpStream, reply: Reply) -> std::io::Result<()> {
    if let Body::Silence = reply.body {
        tokio::time::sleep(Duration::from_secs(60)).await;
        return Err(std::io::ErrorKind::TimedOut.into());
    }
    let mut head = format!("HTTP/1.1 {} Hostile\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match &reply.body {
        Body::Fixed(bytes) => head.push_str(&format!("content-length: {}\r\n\r\n", bytes.len())),
        Body::Chunked(_) | Body::Endless => head.push_str("transfer-encoding: chunked\r\n\r\n"),
        Body::CutOff { promised, .. } => {
            head.push_str(&format!("content-length: {promised}\r\n\r\n"))
        }
        Body::Silence => {}
    }
    socket.write_all(head.as_bytes()).await?;
    match reply.body {
        Body::Fixed(bytes) => socket.write_all(&bytes).await?,
        Body::Chunked(bytes) => {
            for chunk in bytes.chunks(64 << 10) {
                socket
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .await?;
                socket.write_all(chunk).await?;
                socket.write_all(b"\r\n").await?;
            }
            socket.write_all(b"0\r\n\r\n").await?;
        }
        Body::CutOff { sent, .. } => {
            socket.write_all(&sent).await?;
            socket.shutdown().await?;
            return Err(std::io::ErrorKind::ConnectionAborted.into());
        }
        Body::Silence => {}
        Body::Endless => {
            let chunk = vec![b' '; 64 << 10];
            loop {
                socket
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .await?;
                socket.write_all(&chunk).await?;
                socket.write_all(b"\r\n").await?;
            }
        }
    }
    socket.flush().await
}
