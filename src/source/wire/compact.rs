//! `raw_data` is the API's match object with whitespace outside strings
//! removed (ARCHITECTURE.md, "Schema"). Valve pretty-prints its bodies; the real
//! fixtures shrink to 45-86% of their size.
//!
//! Nothing is parsed and written back: the bytes that are not whitespace are
//! copied as they are, so numbers keep every digit (team logos exceed i64)
//! and strings keep their escapes.

/// `text` (one JSON value) without the whitespace outside its strings.
///
/// Whitespace that separates two parts of what would otherwise read as one
/// token (`1 2`, `tru e`) is kept: it only occurs in text that is not JSON,
/// and compacting must not turn that into JSON.
pub fn compact_json(text: &str) -> String {
    let bytes = text.as_bytes();
    // Copied a run at a time (between whitespace and quotes; a string up to
    // its closing quote), not byte by byte: this pass touches every byte
    // of every body, and per-byte stores with their checks were a quarter
    // of phase 2's instructions (docs/performance.md, "Phase 2's hot path").
    let mut out = Vec::with_capacity(bytes.len());
    let end = bytes.len();
    let mut at = 0;
    while at < end {
        let run = at;
        at += bytes[at..]
            .iter()
            .position(|&byte| CLASS[byte as usize] != PLAIN)
            .unwrap_or(end - at);
        out.extend_from_slice(&bytes[run..at]);
        if at == end {
            break;
        }
        if bytes[at] == b'"' {
            let string = at;
            at = string_end(bytes, at + 1);
            out.extend_from_slice(&bytes[string..at]);
            continue;
        }
        let space = at;
        at += bytes[at..]
            .iter()
            .position(|&byte| CLASS[byte as usize] != SPACE)
            .unwrap_or(end - at);
        let splits_a_token = out.last().is_some_and(|&before| is_token_byte(before))
            && bytes.get(at).is_some_and(|&after| is_token_byte(after));
        if splits_a_token {
            out.extend_from_slice(&bytes[space..at]);
        }
    }
    // Only whole ASCII bytes were left out, so this cannot fail.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// What [`compact_json`] looks for, by byte: whitespace, a quote, or
/// neither.
const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const QUOTE: u8 = 2;
static CLASS: [u8; 256] = {
    let mut class = [PLAIN; 256];
    class[b' ' as usize] = SPACE;
    class[b'\n' as usize] = SPACE;
    class[b'\t' as usize] = SPACE;
    class[b'\r' as usize] = SPACE;
    class[b'"' as usize] = QUOTE;
    class
};

/// A byte of a number or of `true`/`false`/`null`: neither structure
/// (`{}[],:`), nor a quote, nor whitespace.
fn is_token_byte(byte: u8) -> bool {
    !matches!(
        byte,
        b'{' | b'}' | b'[' | b']' | b',' | b':' | b'"' | b' ' | b'\n' | b'\t' | b'\r'
    )
}

/// Whether `text` has whitespace outside its strings.
pub fn is_compact(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => at = string_end(bytes, at + 1),
            byte if is_json_whitespace(byte) => return false,
            _ => at += 1,
        }
    }
    true
}

/// Whether `text` nests arrays and objects more than `limit` deep anywhere,
/// strings aside. A reader that skips what it does not keep (serde's
/// `IgnoredAny`, `RawValue`) has no depth bound of its own, and SQLite's JSON
/// functions refuse a row nested past theirs, for the whole table's queries
/// (issue 16); so a body is measured once before such a reader keeps any of
/// it. Text that is not JSON is measured as far as it goes: the reader
/// judges the rest.
pub fn nests_deeper_than(text: &str, limit: usize) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(found) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| NESTING[b as usize]))
    {
        at += found;
        match bytes[at] {
            b'"' => {
                at = string_end(bytes, at + 1);
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            _ => depth = depth.saturating_sub(1),
        }
        at += 1;
    }
    false
}

/// The bytes [`nests_deeper_than`] stops at: brackets, braces and quotes.
static NESTING: [bool; 256] = {
    let mut stop = [false; 256];
    stop[b'"' as usize] = true;
    stop[b'[' as usize] = true;
    stop[b']' as usize] = true;
    stop[b'{' as usize] = true;
    stop[b'}' as usize] = true;
    stop
};

/// The index just past the closing quote of the string whose contents
/// start at `at` (or the end, for an unterminated string).
fn string_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(found) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'"' || b == b'\\'))
    {
        at += found;
        if bytes[at] == b'"' {
            return at + 1;
        }
        // The escaped byte cannot close the string.
        at += 2;
    }
    bytes.len()
}

/// Whitespace as JSON defines it.
pub fn is_json_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\t' | b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_whitespace_outside_strings_only() {
        let pretty = "{\n\t\"name\": \"Team  Secret\\\" \\\\ \",\r\n \"logo\" : 18446744073709551615 ,\n\t\"x\": [ 1.50, -0, 1e400, \"\\u00e9 \\n\" ] }";
        let compact = compact_json(pretty);
        assert_eq!(
            compact,
            r#"{"name":"Team  Secret\" \\ ","logo":18446744073709551615,"x":[1.50,-0,1e400,"\u00e9 \n"]}"#
        );
        assert!(is_compact(&compact));
        assert!(!is_compact(pretty));
        assert_eq!(compact_json(&compact), compact);
    }

    #[test]
    fn keeps_non_ascii_text() {
        assert_eq!(compact_json("{ \"n\" : \"café ☃\" }"), "{\"n\":\"café ☃\"}");
    }

    #[test]
    fn text_that_is_not_json_stays_not_json() {
        for broken in ["[1 2]", "{\"a\": tru e}", "[null\n\tnull]", "[1 ,2 3]"] {
            let compact = compact_json(broken);
            assert!(
                serde_json::from_str::<serde_json::Value>(&compact).is_err(),
                "{compact}"
            );
        }
        assert_eq!(compact_json("[1 ,2 3]"), "[1,2 3]");
    }

    /// The byte-by-byte version this replaced, kept as the reference.
    fn compact_by_bytes(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            if is_json_whitespace(byte) {
                let run = at;
                while at < bytes.len() && is_json_whitespace(bytes[at]) {
                    at += 1;
                }
                let splits = out.last().is_some_and(|&b| is_token_byte(b))
                    && bytes.get(at).is_some_and(|&b| is_token_byte(b));
                if splits {
                    out.extend_from_slice(&bytes[run..at]);
                }
                continue;
            }
            out.push(byte);
            at += 1;
            if byte == b'"' {
                while at < bytes.len() {
                    let byte = bytes[at];
                    out.push(byte);
                    at += 1;
                    match byte {
                        b'"' => break,
                        b'\\' if at < bytes.len() => {
                            out.push(bytes[at]);
                            at += 1;
                        }
                        _ => {}
                    }
                }
            }
        }
        String::from_utf8(out).unwrap()
    }

    proptest::proptest! {
        #[test]
        fn runs_copy_what_bytes_copied(text in "[ \\t\\r\\n\"\\\\{}\\[\\],:a-z0-9.é☃-]{0,64}") {
            proptest::prop_assert_eq!(compact_json(&text), compact_by_bytes(&text));
        }
    }

    #[test]
    fn the_real_fixtures_compact_as_byte_by_byte() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert_eq!(compact_json(&text), compact_by_bytes(&text), "{path:?}");
                seen += 1;
            }
        }
        assert!(seen > 0);
    }

    #[test]
    fn nesting_is_measured_outside_strings() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(!nests_deeper_than(&deep(128), 128));
        assert!(nests_deeper_than(&deep(129), 128));
        assert!(!nests_deeper_than(
            &format!("{{\"a\":\"{}\"}}", deep(500)),
            128
        ));
        assert!(nests_deeper_than(
            &format!("[{{\"a\":{}}}]", deep(127)),
            128
        ));
        // Siblings do not add up.
        assert!(!nests_deeper_than(
            &format!("[{},{}]", deep(127), deep(127)),
            128
        ));
        assert!(!nests_deeper_than("\"[[[\\\"[[", 1));
    }

    #[test]
    fn tolerates_text_that_is_not_json() {
        assert_eq!(compact_json("\"open \\"), "\"open \\");
        assert_eq!(compact_json("  "), "");
        assert_eq!(compact_json(""), "");
    }
}
