//! Sanity rules for what a source returned, applied once the body is read
//! and before anything is stored: a server may send any numbers at all.

use std::collections::HashSet;

use super::model::ANONYMOUS_ACCOUNT_ID;
use super::{FetchError, HistoryEntry, MatchDetails};

/// More players than any Dota lobby holds (10, plus coaches and casters).
const MAX_PLAYERS: usize = 32;

/// A history entry worth a stub: a positive match ID. Zero or negative IDs
/// cannot be fetched and would collide with nothing real.
pub fn is_valid_entry(entry: &HistoryEntry) -> bool {
    entry.match_id > 0
}

/// The details if they are of `asked`: the one wrong-match rule, for the
/// readers that know what they asked (every detail endpoint) and for the
/// fetch loop, whose single and batch answers both pass [`checked_answer`].
pub fn expect_match(asked: i64, details: MatchDetails) -> Result<MatchDetails, FetchError> {
    if details.match_id == asked {
        Ok(details)
    } else {
        Err(FetchError::WrongMatch {
            asked,
            got: details.match_id,
        })
    }
}

/// The details of `asked`, if that is the match that came and it is
/// possible ([`expect_match`], then [`checked_details`]).
pub fn checked_answer(asked: i64, details: MatchDetails) -> Result<MatchDetails, FetchError> {
    expect_match(asked, details).and_then(checked_details)
}

/// The details, with impossible account IDs made anonymous, or the reason
/// they cannot be stored: a non-positive match ID, two players in one slot
/// (one would silently replace the other), a slot outside Valve's byte.
pub fn checked_details(mut details: MatchDetails) -> Result<MatchDetails, FetchError> {
    if details.match_id <= 0 {
        return Err(malformed(format!(
            "match_id {} is not positive",
            details.match_id
        )));
    }
    if details.players.len() > MAX_PLAYERS {
        return Err(malformed(format!(
            "{} players in one match",
            details.players.len()
        )));
    }
    let mut slots = HashSet::new();
    for player in &mut details.players {
        if !(0..=255).contains(&player.player_slot) {
            return Err(malformed(format!(
                "player_slot {} is out of range",
                player.player_slot
            )));
        }
        if !slots.insert(player.player_slot) {
            return Err(malformed(format!(
                "two players share player_slot {}",
                player.player_slot
            )));
        }
        // -1, 0 or anything past 32 bits is no account: treat as anonymous,
        // so it never counts as a teammate.
        player.account_id = player
            .account_id
            .filter(|&id| id > 0 && id < ANONYMOUS_ACCOUNT_ID);
    }
    Ok(details)
}

fn malformed(reason: String) -> FetchError {
    FetchError::Malformed { reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::PlayerDetails;

    fn details(slots_and_accounts: &[(i64, Option<i64>)]) -> MatchDetails {
        MatchDetails {
            match_id: 7,
            radiant_win: Some(true),
            players: slots_and_accounts
                .iter()
                .map(|&(player_slot, account_id)| PlayerDetails {
                    player_slot,
                    account_id,
                    ..PlayerDetails::default()
                })
                .collect(),
            raw_json: "{}".into(),
            ..MatchDetails::default()
        }
    }

    #[test]
    fn impossible_accounts_become_anonymous() {
        let checked = checked_details(details(&[
            (0, Some(-1)),
            (1, Some(0)),
            (2, Some(ANONYMOUS_ACCOUNT_ID)),
            (3, Some(1 << 40)),
            (4, Some(86745912)),
        ]))
        .unwrap();
        let accounts: Vec<_> = checked.players.iter().map(|p| p.account_id).collect();
        assert_eq!(accounts, [None, None, None, None, Some(86745912)]);
    }

    #[test]
    fn shared_slots_and_bad_ids_are_refused() {
        let shared = checked_details(details(&[(0, Some(5)), (0, Some(6))])).unwrap_err();
        assert_eq!(
            shared.short(),
            "malformed response: two players share player_slot 0"
        );
        let out_of_range = checked_details(details(&[(256, None)])).unwrap_err();
        assert!(out_of_range.short().contains("out of range"));
        let mut zero = details(&[]);
        zero.match_id = 0;
        assert!(checked_details(zero).is_err());
    }

    #[test]
    fn entries_need_a_positive_id() {
        let entry = |match_id| HistoryEntry {
            match_id,
            ..HistoryEntry::default()
        };
        assert!(is_valid_entry(&entry(1)));
        assert!(!is_valid_entry(&entry(0)));
        assert!(!is_valid_entry(&entry(-5)));
    }
}
