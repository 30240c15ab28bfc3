//! Player names as the APIs send them: Steam's `GetPlayerSummaries` (up to
//! 100 SteamID64s a call) and OpenDota's `/players/{id}`. Names are server
//! text like any other: every one leaves through [`clean_name`]
//! (ARCHITECTURE.md, "Sources and limits").

pub use super::wire::{opendota_player, steam_summaries};

/// Accounts one `GetPlayerSummaries` call may name: the most Steam takes.
pub const STEAM_NAMES_PER_CALL: usize = 100;

/// Characters kept of a name; Steam's own limit is 32, so a longer one is
/// a server sending something else.
pub const MAX_NAME_CHARS: usize = 64;

/// What a lookup found for one account asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayerName {
    pub account_id: u32,
    /// `None`: the API knows no name (an unknown or private account).
    pub name: Option<String>,
}

/// A name made safe to store and show: `clean` is the server's text
/// already sanitised and redacted (`ApiClient::clean_text`); here it is cut
/// to [`MAX_NAME_CHARS`] (`…` marks a cut). Nothing left: no name.
pub fn clean_name(clean: String) -> Option<String> {
    if clean.is_empty() {
        return None;
    }
    if clean.chars().count() <= MAX_NAME_CHARS {
        return Some(clean);
    }
    let mut cut: String = clean.chars().take(MAX_NAME_CHARS - 1).collect();
    cut.push('…');
    Some(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_and_empty_ones_are_none() {
        assert_eq!(clean_name("Five".into()).as_deref(), Some("Five"));
        assert_eq!(clean_name(String::new()), None);
        let exact = "é".repeat(MAX_NAME_CHARS);
        assert_eq!(clean_name(exact.clone()), Some(exact));
        let cut = clean_name("日".repeat(500)).unwrap();
        assert_eq!(cut.chars().count(), MAX_NAME_CHARS);
        assert!(cut.ends_with('…'));
    }
}
