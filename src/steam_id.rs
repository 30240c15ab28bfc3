//! Every way a user may name a Steam account, reduced to the 32-bit account ID
//! that the Dota 2 APIs use.
//!
//! Accepted forms: a SteamID64, a 32-bit account ID, `[U:1:N]`, `STEAM_X:Y:Z`,
//! a `steamcommunity.com/profiles/<id64>` URL and a `steamcommunity.com/id/<name>`
//! URL (a vanity name, which only the Steam API can resolve).

use std::fmt;

/// The SteamID64 of account 0: individual account, public universe, desktop
/// instance. Every individual account's SteamID64 is this plus its account ID.
const STEAM_ID64_BASE: u64 = 76_561_197_960_265_728;

/// The forms listed in every error, so that the user learns what to type.
const ACCEPTED_FORMS: &str = "a SteamID64, a 32-bit account ID, [U:1:N], STEAM_0:Y:Z, \
     steamcommunity.com/profiles/<id64> or steamcommunity.com/id/<name>";

/// Long inputs are cut in messages so the error stays one readable line.
const MAX_ECHOED_CHARS: usize = 64;

/// What the user named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountInput {
    AccountId(u32),
    /// A `steamcommunity.com/id/<name>` URL; resolve it with `ResolveVanityURL`.
    Vanity(String),
}

/// An input that names no Steam account. Its `Display` is one line that names
/// the input, says why, and lists the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SteamIdError {
    input: String,
    reason: &'static str,
}

impl SteamIdError {
    fn new(input: &str, reason: &'static str) -> SteamIdError {
        SteamIdError {
            input: input.to_string(),
            reason,
        }
    }

    /// Why the input was rejected, e.g. `account ID 0 does not exist`.
    pub fn reason(&self) -> &str {
        self.reason
    }
}

impl fmt::Display for SteamIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // escape_debug turns newlines into `\n`, keeping the message on one line.
        let shown: String = self.input.chars().take(MAX_ECHOED_CHARS).collect();
        let ellipsis = if self.input.chars().count() > MAX_ECHOED_CHARS {
            "..."
        } else {
            ""
        };
        write!(
            f,
            "\"{}{ellipsis}\" is not a Steam account ({}); use {ACCEPTED_FORMS}",
            shown.escape_debug(),
            self.reason
        )
    }
}

impl std::error::Error for SteamIdError {}

/// Reads any accepted form of a Steam account.
pub fn parse_account(input: &str) -> Result<AccountInput, SteamIdError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(SteamIdError::new(input, "it is empty"));
    }
    if let Some(path) = community_path(trimmed) {
        return parse_community_path(trimmed, path);
    }
    if let Some(inner) = strip_prefix_ignore_case(trimmed, "[U:1:") {
        let number = inner
            .strip_suffix(']')
            .ok_or_else(|| SteamIdError::new(trimmed, "a [U:1:N] ID ends with ]"))?;
        return parse_u32_digits(trimmed, number).map(AccountInput::AccountId);
    }
    if let Some(rest) = strip_prefix_ignore_case(trimmed, "STEAM_") {
        return parse_steam2(trimmed, rest).map(AccountInput::AccountId);
    }
    parse_number(trimmed).map(AccountInput::AccountId)
}

/// The account ID inside an individual account's SteamID64; `None` for IDs of
/// groups, other universes, or account 0.
pub fn account_id_from_steam_id64(id: u64) -> Option<u32> {
    let account = id.checked_sub(STEAM_ID64_BASE)?;
    u32::try_from(account).ok().filter(|&account| account != 0)
}

pub fn steam_id64_from_account_id(id: u32) -> u64 {
    STEAM_ID64_BASE + u64::from(id)
}

/// `STEAM_0:Y:Z`, where Y is the low bit of the account ID and Z the rest.
pub fn format_steam2(id: u32) -> String {
    format!("STEAM_0:{}:{}", id & 1, id >> 1)
}

/// `[U:1:N]`.
pub fn format_steam3(id: u32) -> String {
    format!("[U:1:{id}]")
}

/// The path after `steamcommunity.com/`, if the input is a community URL
/// (with or without scheme and `www.`).
fn community_path(input: &str) -> Option<&str> {
    let without_scheme = strip_prefix_ignore_case(input, "https://")
        .or_else(|| strip_prefix_ignore_case(input, "http://"))
        .unwrap_or(input);
    let without_www = strip_prefix_ignore_case(without_scheme, "www.").unwrap_or(without_scheme);
    strip_prefix_ignore_case(without_www, "steamcommunity.com/")
}

fn parse_community_path(input: &str, path: &str) -> Result<AccountInput, SteamIdError> {
    // Links copied from a browser may carry a query or a fragment.
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_suffix('/').unwrap_or(path);
    if let Some(id64) = path.strip_prefix("profiles/") {
        let id64: u64 = digits(id64)
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| SteamIdError::new(input, "a profiles/ URL ends in a SteamID64"))?;
        return account_id_from_steam_id64(id64)
            .map(AccountInput::AccountId)
            .ok_or_else(|| SteamIdError::new(input, "not an individual account's SteamID64"));
    }
    if let Some(name) = path.strip_prefix("id/") {
        // Steam's custom URLs are letters, digits, `_` and `-`.
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        return if valid {
            Ok(AccountInput::Vanity(name.to_string()))
        } else {
            Err(SteamIdError::new(input, "not a valid custom profile name"))
        };
    }
    Err(SteamIdError::new(
        input,
        "a profile URL has /profiles/<id64> or /id/<name>",
    ))
}

/// `STEAM_X:Y:Z` with X the universe (0 and 1 both mean public), so the
/// account ID is Z * 2 + Y.
fn parse_steam2(input: &str, rest: &str) -> Result<u32, SteamIdError> {
    const SHAPE: &str = "a STEAM_ ID is STEAM_X:Y:Z with X and Y 0 or 1";
    let mut parts = rest.split(':');
    let (Some(universe), Some(low_bit), Some(high), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(SteamIdError::new(input, SHAPE));
    };
    if !matches!(universe, "0" | "1") {
        return Err(SteamIdError::new(input, SHAPE));
    }
    let low_bit: u64 = match low_bit {
        "0" => 0,
        "1" => 1,
        _ => return Err(SteamIdError::new(input, SHAPE)),
    };
    let high: u64 = digits(high)
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| SteamIdError::new(input, SHAPE))?;
    let id = high
        .checked_mul(2)
        .and_then(|doubled| doubled.checked_add(low_bit))
        .and_then(|id| u32::try_from(id).ok())
        .ok_or_else(|| SteamIdError::new(input, "the account number is out of range"))?;
    nonzero(input, id)
}

/// A bare number: a SteamID64 if it is in that range, else a 32-bit account ID.
fn parse_number(input: &str) -> Result<u32, SteamIdError> {
    let value: u64 = digits(input)
        .ok_or_else(|| SteamIdError::new(input, "not a recognised form"))?
        .parse()
        .map_err(|_| SteamIdError::new(input, "the number is out of range"))?;
    if value >= STEAM_ID64_BASE {
        return account_id_from_steam_id64(value)
            .ok_or_else(|| SteamIdError::new(input, "not an individual account's SteamID64"));
    }
    let id = u32::try_from(value).map_err(|_| {
        SteamIdError::new(
            input,
            "too large for an account ID, too small for a SteamID64",
        )
    })?;
    nonzero(input, id)
}

fn parse_u32_digits(input: &str, text: &str) -> Result<u32, SteamIdError> {
    let id = digits(text)
        .ok_or_else(|| SteamIdError::new(input, "the account number is not a number"))?
        .parse()
        .map_err(|_| SteamIdError::new(input, "the account number is out of range"))?;
    nonzero(input, id)
}

fn nonzero(input: &str, id: u32) -> Result<u32, SteamIdError> {
    if id == 0 {
        Err(SteamIdError::new(input, "account ID 0 does not exist"))
    } else {
        Ok(id)
    }
}

/// `text` if it is only ASCII digits (so `+5` and ` 5` are refused).
fn digits(text: &str) -> Option<&str> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then_some(text)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ID: u32 = 95_816;

    fn ok(input: &str) -> AccountInput {
        parse_account(input).unwrap()
    }

    #[test]
    fn accepts_every_documented_form() {
        let expected = AccountInput::AccountId(ID);
        for input in [
            "95816",
            "76561197960361544",
            "[U:1:95816]",
            "[u:1:95816]",
            "STEAM_0:0:47908",
            "STEAM_1:0:47908",
            "https://steamcommunity.com/profiles/76561197960361544",
            "https://steamcommunity.com/profiles/76561197960361544/",
            "http://www.steamcommunity.com/profiles/76561197960361544",
            "steamcommunity.com/profiles/76561197960361544",
            "www.steamcommunity.com/profiles/76561197960361544/?l=english",
            "  95816 \n",
        ] {
            assert_eq!(ok(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn vanity_urls_keep_the_name() {
        for input in [
            "https://steamcommunity.com/id/gabelogannewell",
            "https://steamcommunity.com/id/gabelogannewell/",
            "steamcommunity.com/id/gabelogannewell",
            "www.steamcommunity.com/id/gabelogannewell/#top",
        ] {
            assert_eq!(
                ok(input),
                AccountInput::Vanity("gabelogannewell".into()),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn odd_low_bit_in_steam2() {
        assert_eq!(ok("STEAM_0:1:47908"), AccountInput::AccountId(95_817));
    }

    #[test]
    fn largest_account_id_in_every_form() {
        let max = AccountInput::AccountId(u32::MAX);
        assert_eq!(ok("4294967295"), max);
        assert_eq!(ok("76561202255233023"), max);
        assert_eq!(ok("STEAM_0:1:2147483647"), max);
    }

    #[test]
    fn rejects_garbage_zero_and_out_of_range() {
        for input in [
            "",
            "   ",
            "0",
            "[U:1:0]",
            "STEAM_0:0:0",
            "76561197960265728", // account 0
            "76561202255233024", // one past the last individual account
            "4294967296",        // too big for 32 bits, too small for a SteamID64
            "99999999999999999999999",
            "-5",
            "+5",
            "12a",
            "[U:1:5",
            "[U:1:abc]",
            "[U:1:4294967296]",
            "STEAM_2:0:5",
            "STEAM_0:2:5",
            "STEAM_0:0",
            "STEAM_0:0:5:6",
            "STEAM_0:1:2147483648",
            "https://steamcommunity.com/profiles/",
            "https://steamcommunity.com/profiles/95816",
            "https://steamcommunity.com/profiles/abc",
            "https://steamcommunity.com/id/",
            "https://steamcommunity.com/id/bad name",
            "https://steamcommunity.com/groups/valve",
            "https://example.com/id/someone",
            "hello",
        ] {
            assert!(parse_account(input).is_err(), "accepted {input:?}");
        }
    }

    #[test]
    fn error_is_one_line_naming_input_and_forms() {
        let err = parse_account("not\nan id").unwrap_err();
        let text = err.to_string();
        assert!(!text.contains('\n'), "{text}");
        assert!(text.contains(r"not\nan id"), "{text}");
        assert!(text.contains("SteamID64"), "{text}");
        assert!(text.contains("[U:1:N]"), "{text}");
        assert!(text.contains("steamcommunity.com/id/<name>"), "{text}");
    }

    #[test]
    fn error_cuts_long_input() {
        let long = "x".repeat(500);
        let text = parse_account(&long).unwrap_err().to_string();
        assert!(text.len() < 300, "{text}");
        assert!(text.contains("..."));
    }

    #[test]
    fn formats_match_known_values() {
        assert_eq!(format_steam2(ID), "STEAM_0:0:47908");
        assert_eq!(format_steam3(ID), "[U:1:95816]");
        assert_eq!(steam_id64_from_account_id(ID), 76_561_197_960_361_544);
        assert_eq!(account_id_from_steam_id64(76_561_197_960_361_544), Some(ID));
        assert_eq!(account_id_from_steam_id64(5), None);
        assert_eq!(account_id_from_steam_id64(STEAM_ID64_BASE), None);
    }

    proptest! {
        #[test]
        fn account_id_round_trips(id in 1u32..=u32::MAX) {
            prop_assert_eq!(ok(&id.to_string()), AccountInput::AccountId(id));
        }

        #[test]
        fn steam_id64_round_trips(id in 1u32..=u32::MAX) {
            let id64 = steam_id64_from_account_id(id);
            prop_assert_eq!(account_id_from_steam_id64(id64), Some(id));
            prop_assert_eq!(ok(&id64.to_string()), AccountInput::AccountId(id));
            let url = format!("https://steamcommunity.com/profiles/{id64}/");
            prop_assert_eq!(ok(&url), AccountInput::AccountId(id));
        }

        #[test]
        fn steam2_round_trips(id in 1u32..=u32::MAX) {
            prop_assert_eq!(ok(&format_steam2(id)), AccountInput::AccountId(id));
        }

        #[test]
        fn steam3_round_trips(id in 1u32..=u32::MAX) {
            prop_assert_eq!(ok(&format_steam3(id)), AccountInput::AccountId(id));
        }

        #[test]
        fn never_panics(input in ".{0,80}") {
            let _ = parse_account(&input);
        }
    }
}
