//! Server-supplied text made safe to print, log and store.
//!
//! An API's error message (`statusDetail`, OpenDota's `error`) can hold
//! anything: `ESC ] 0 ; title BEL` retitles the terminal, `ESC [ 2 J` clears
//! it, a CR/LF forges a log line, a bidi override reorders what is shown.
//! [`sanitize`] keeps printable text only and bounds its length.

/// Characters kept at most; API messages are a short sentence.
const MAX_CHARS: usize = 300;

/// `text` with every control character (C0, DEL, C1: hence every escape
/// sequence's introducer) and bidi control removed, whitespace runs folded
/// to one space, and at most [`MAX_CHARS`] characters (`…` marks a cut).
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_CHARS));
    let mut count = 0;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if c.is_control() || is_bidi_control(c) {
            continue;
        }
        if count >= MAX_CHARS {
            out.push('…');
            return out;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        out.push(c);
        count += 1;
    }
    out
}

/// Unicode's explicit direction controls (embeddings, overrides, isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_lose_their_introducer() {
        let title = "bad\u{1b}]0;pwned\u{7}match";
        assert_eq!(sanitize(title), "bad]0;pwnedmatch");
        assert_eq!(sanitize("\u{1b}[2Jcleared"), "[2Jcleared");
        // C1 controls (a lone CSI, 0x9b) are controls too.
        assert_eq!(sanitize("a\u{9b}31mb"), "a31mb");
        assert!(!sanitize("x\u{7f}y\u{0}z").chars().any(char::is_control));
    }

    #[test]
    fn line_breaks_cannot_forge_lines() {
        assert_eq!(
            sanitize("Match ID not found\r\n2026-01-01 INFO forged"),
            "Match ID not found 2026-01-01 INFO forged"
        );
        assert_eq!(sanitize("  padded\t\ttext  "), "padded text");
    }

    #[test]
    fn bidi_overrides_go_and_plain_text_stays() {
        assert_eq!(sanitize("abc\u{202E}fed"), "abcfed");
        assert_eq!(
            sanitize("Error retrieving match data."),
            "Error retrieving match data."
        );
        assert_eq!(sanitize("café ✓ 日本"), "café ✓ 日本");
    }

    #[test]
    fn long_text_is_cut() {
        let long = "x".repeat(10_000);
        let cut = sanitize(&long);
        assert_eq!(cut.chars().count(), MAX_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}
