//! The Teammates tab's tally: every other player of the account's games,
//! with (same team) and against, and every hero met the same way. Pure:
//! `scan.rs` feeds it one other player at a time, from the details or
//! from a summary's `heroes`.

use std::collections::HashMap;

use super::compute::tally;
use super::{HeroMatchup, PeerStats};
use crate::source::model::is_radiant_slot;

/// One player of a game, as the details or a summary's `heroes` list them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Slot {
    pub(super) slot: i64,
    pub(super) account_id: Option<i64>,
    pub(super) hero_id: Option<i64>,
}

/// The players met so far, and the heroes.
pub(super) struct PeerTally {
    me: i64,
    met: HashMap<i64, PeerStats>,
    heroes: HashMap<i64, HeroMatchup>,
}

impl PeerTally {
    /// A tally for the tracked account `me` (never its own peer).
    pub(super) fn new(me: i64) -> PeerTally {
        PeerTally {
            me,
            met: HashMap::new(),
            heroes: HashMap::new(),
        }
    }

    /// One other player of one game: my slot, the winner, when, theirs;
    /// `summary` when the game has no details yet. Anonymous players too:
    /// their heroes count, their accounts do not.
    pub(super) fn add(
        &mut self,
        my_slot: i64,
        other: Slot,
        radiant_win: bool,
        start_time: i64,
        summary: bool,
    ) {
        let radiant = is_radiant_slot(my_slot);
        let won = radiant_win == radiant;
        // Same team: both slots below 128 (Radiant) or both 128 and above.
        let same_team = is_radiant_slot(other.slot) == radiant;
        if let Some(hero) = other.hero_id {
            let matchup = self.heroes.entry(hero).or_insert_with(|| HeroMatchup {
                hero_id: hero,
                ..HeroMatchup::default()
            });
            tally(
                if same_team {
                    &mut matchup.with
                } else {
                    &mut matchup.against
                },
                won,
            );
        }
        let Some(other) = other.account_id.filter(|&id| id != self.me) else {
            return;
        };
        let peer = self.met.entry(other).or_insert_with(|| PeerStats {
            account_id: other,
            last_played: start_time,
            ..PeerStats::default()
        });
        let side = if same_team {
            &mut peer.with
        } else {
            &mut peer.against
        };
        tally(side, won);
        peer.from_summaries += u64::from(summary);
        peer.last_played = peer.last_played.max(start_time);
    }

    /// The `limit` players met most with (then against, then most
    /// recently, then by account), and every hero, most met first.
    pub(super) fn finish(self, limit: usize) -> (Vec<PeerStats>, Vec<HeroMatchup>) {
        let mut peers: Vec<PeerStats> = self.met.into_values().collect();
        peers.sort_unstable_by(|a, b| {
            (b.with.games, b.against.games, b.last_played, a.account_id).cmp(&(
                a.with.games,
                a.against.games,
                a.last_played,
                b.account_id,
            ))
        });
        peers.truncate(limit);
        let mut matchups: Vec<HeroMatchup> = self.heroes.into_values().collect();
        matchups.sort_unstable_by_key(|m| {
            (std::cmp::Reverse(m.with.games + m.against.games), m.hero_id)
        });
        (peers, matchups)
    }
}

/// The players of a summary's `heroes`, `{"0":{"account_id":..,"hero_id":..},
/// ...}` as OpenDota sent it (bounded when saved). A key that is no slot, or
/// a value that is no object, is left out: a game is never lost for it, only
/// that player. Not JSON at all: no players.
pub(super) fn slots_of(heroes: &str) -> Vec<Slot> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(heroes) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(key, player)| {
            let slot = key.parse::<i64>().ok().filter(|s| (0..=255).contains(s))?;
            let player = player.as_object()?;
            let field = |name: &str| player.get(name).and_then(serde_json::Value::as_i64);
            Some(Slot {
                slot,
                account_id: field("account_id"),
                hero_id: field("hero_id"),
            })
        })
        .collect()
}
