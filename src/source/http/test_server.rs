//! The clients' unit tests' view of the one canned server
//! (`tests/support/canned_server.rs`, shared with `tests/it`): each request
//! target gets a status and a JSON body, and the targets and heads received
//! are kept in order.

#[path = "../../../tests/support/canned_server.rs"]
mod canned_server;

use canned_server::{CannedServer, Reply};

pub(crate) struct TestServer {
    pub base: String,
    server: CannedServer,
}

impl TestServer {
    /// Starts a server whose answer to a request target (`/path?query`)
    /// is `respond(target)`.
    pub(crate) async fn start(
        respond: impl Fn(&str) -> (u16, String) + Send + Sync + 'static,
    ) -> TestServer {
        let server = CannedServer::start(move |request| {
            let (status, body) = respond(&request.target);
            Reply::json(status, body).header("connection", "close")
        })
        .await;
        TestServer {
            base: server.base.clone(),
            server,
        }
    }

    /// The request targets received so far, in order.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.server
            .requests()
            .into_iter()
            .map(|request| request.target)
            .collect()
    }

    /// The raw request heads (request line and headers) so far.
    pub(crate) fn heads(&self) -> Vec<String> {
        self.server
            .requests()
            .into_iter()
            .map(|request| request.head)
            .collect()
    }
}
