//! A body read as JSON (`serde_json::Value`), for the small answers that
//! need no typed reader (vanity lookups, player names, history pages), and
//! the one wording of why a body is not JSON. Reasons never quote the body:
//! it could be anything, and an HTML error page may echo the request URL.

use crate::source::error::FetchError;

/// Reads a success body as JSON: an HTML page or broken JSON is
/// `Malformed`, with a reason that quotes nothing of the body.
pub fn parse_json_body(body: &[u8]) -> Result<serde_json::Value, FetchError> {
    if looks_like_html(body) {
        return Err(FetchError::Malformed {
            reason: "expected JSON, got an HTML page".into(),
        });
    }
    serde_json::from_slice(body).map_err(|err| FetchError::Malformed {
        reason: json_error_reason(&err),
    })
}

fn looks_like_html(body: &[u8]) -> bool {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    body[start..].first() == Some(&b'<')
}

/// serde's category and position, without any text it might have quoted.
pub(crate) fn json_error_reason(err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match err.classify() {
        Category::Eof => "JSON body ends early",
        Category::Syntax => "invalid JSON",
        Category::Data => "unexpected JSON data",
        Category::Io => "could not read the JSON body",
    };
    format!("{what} at line {} column {}", err.line(), err.column())
}
