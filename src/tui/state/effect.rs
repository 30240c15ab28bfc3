//! What only the event loop can do for the UI (it owns the terminal).

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open this address in the browser, or show it when nothing opens it.
    OpenUrl(String),
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Give the terminal back to the shell until resumed (Ctrl-Z).
    Suspend,
}

/// Where OpenDota shows a match.
pub fn opendota_match_url(match_id: i64) -> String {
    format!("https://www.opendota.com/matches/{match_id}")
}
