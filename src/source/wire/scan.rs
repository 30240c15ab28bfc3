//! Finding one value's text in a body that serde has already read whole (so
//! it is valid JSON) and that is compact: only brackets, strings and the
//! separators are looked at. Keys are compared as sent; a key on the way
//! with an escape in it makes the scan decline (`None`), since serde would
//! have decoded it, and the caller then asks serde.

use crate::source::model::string_end;

/// The text of `result.matches[0]`, taking the last of duplicated keys as
/// serde does.
pub(super) fn first_match_text(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let result = member(bytes, 0, b"result")?;
    let matches = member(bytes, result, b"matches")?;
    if bytes.get(matches) != Some(&b'[') {
        return None;
    }
    let start = matches + 1;
    if bytes.get(start) == Some(&b']') {
        return None;
    }
    let end = value_end(bytes, start)?;
    text.get(start..end)
}

/// Where the value of the object at `at`'s last member named `key` starts.
fn member(bytes: &[u8], at: usize, key: &[u8]) -> Option<usize> {
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    let mut at = at + 1;
    let mut found = None;
    if bytes.get(at) == Some(&b'}') {
        return None;
    }
    loop {
        if bytes.get(at) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(bytes, at + 1);
        let name = bytes.get(at + 1..key_end.checked_sub(1)?)?;
        if name.contains(&b'\\') || bytes.get(key_end) != Some(&b':') {
            return None;
        }
        let value = key_end + 1;
        if name == key {
            found = Some(value);
        }
        at = value_end(bytes, value)?;
        match bytes.get(at) {
            Some(b',') => at += 1,
            Some(b'}') => return found,
            _ => return None,
        }
    }
}

/// Just past the value that starts at `at`.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match *bytes.get(at)? {
        b'"' => Some(string_end(bytes, at + 1)),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut at = at;
            loop {
                at += bytes
                    .get(at..)?
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'{' | b'[' | b'}' | b']'))?;
                match bytes[at] {
                    b'"' => {
                        at = string_end(bytes, at + 1);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    _ => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                }
                at += 1;
            }
        }
        _ => {
            let rest = bytes.get(at..)?;
            let len = rest
                .iter()
                .position(|&b| matches!(b, b',' | b'}' | b']'))
                .unwrap_or(rest.len());
            Some(at + len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_match_as_serde_does() {
        let cases = [
            (
                r#"{"result":{"status":1,"matches":[{"a":"]}\"[","b":[1,{"c":2}]},{"d":3}]}}"#,
                Some(r#"{"a":"]}\"[","b":[1,{"c":2}]}"#),
            ),
            (
                r#"{"result":{"matches":[1]},"result":{"matches":[{"x":1}],"matches":[{"y":2}]}}"#,
                Some(r#"{"y":2}"#),
            ),
            (r#"{"result":{"matches":[null,{"x":1}]}}"#, Some("null")),
            (r#"{"result":{"matches":[]}}"#, None),
            (r#"{"result":{"matches":{}}}"#, None),
            (r#"{"result":{"match\u0065s":[{"x":1}]}}"#, None),
            (r#"{"result":{"status":1}}"#, None),
            (r#"{"result":[]}"#, None),
            (r#"[]"#, None),
        ];
        for (text, want) in cases {
            let got = first_match_text(text);
            assert_eq!(got, want, "{text}");
            if let Some(got) = got {
                let value: serde_json::Value = serde_json::from_str(text).unwrap();
                let expected = &value["result"]["matches"][0];
                assert_eq!(
                    &serde_json::from_str::<serde_json::Value>(got).unwrap(),
                    expected
                );
            }
        }
    }
}
