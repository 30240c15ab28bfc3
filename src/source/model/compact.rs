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
    // Compacted in place over a copy: one store per byte and no capacity
    // checks, which is what makes this pass cheap next to reading the JSON.
    let mut out = bytes.to_vec();
    let mut kept = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if is_json_whitespace(byte) {
            let run = at;
            at += 1;
            while at < bytes.len() && is_json_whitespace(bytes[at]) {
                at += 1;
            }
            let splits_a_token = kept > 0
                && is_token_byte(out[kept - 1])
                && bytes.get(at).is_some_and(|&after| is_token_byte(after));
            if splits_a_token {
                out.copy_within(run..at, kept);
                kept += at - run;
            }
            continue;
        }
        out[kept] = byte;
        kept += 1;
        at += 1;
        if byte == b'"' {
            // A string is copied as it is, up to its closing quote.
            while at < bytes.len() {
                let byte = bytes[at];
                out[kept] = byte;
                kept += 1;
                at += 1;
                match byte {
                    b'"' => break,
                    // The escaped byte cannot close the string.
                    b'\\' if at < bytes.len() => {
                        out[kept] = bytes[at];
                        kept += 1;
                        at += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    out.truncate(kept);
    // Only whole ASCII bytes were left out, so this cannot fail.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

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

/// The index just past the closing quote of the string whose contents
/// start at `at` (or the end, for an unterminated string).
fn string_end(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() {
        match bytes[at] {
            // The escaped byte cannot close the string.
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
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

    #[test]
    fn tolerates_text_that_is_not_json() {
        assert_eq!(compact_json("\"open \\"), "\"open \\");
        assert_eq!(compact_json("  "), "");
        assert_eq!(compact_json(""), "");
    }
}
