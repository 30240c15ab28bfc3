//! The Teammates tab's tally: every other player of the account's games,
//! with (same team) and against, and every hero met the same way. Pure:
//! `scan.rs` feeds it one other player at a time, from a lineup or from a
//! summary's `heroes`.
//!
//! It runs once per other player (900,000 times on 100,000 games), so it
//! keeps heroes in an array by ID and hashes accounts with a few
//! multiplications rather than SipHash (docs/performance.md).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use super::compute::tally;
use super::{HeroMatchup, PeerStats, Record};
use crate::source::model::is_radiant_slot;
pub(super) use crate::store::lineups::LineupPlayer as Slot;

/// Hero IDs below this are counted in an array (today's are under 160).
const HERO_ARRAY: usize = 512;

/// A player met: [`PeerStats`] without what is looked up afterwards.
#[derive(Debug, Clone, Copy, Default)]
struct Met {
    with: Record,
    against: Record,
    last_played: i64,
    from_summaries: u64,
}

/// The players met so far, and the heroes.
pub(super) struct PeerTally {
    me: i64,
    met: HashMap<i64, Met, IdHash>,
    /// By hero ID below `HERO_ARRAY`; `games` 0 where never met.
    heroes: Vec<HeroMatchup>,
    /// Any other hero ID (none today, but IDs come from servers).
    other_heroes: HashMap<i64, HeroMatchup, IdHash>,
}

impl PeerTally {
    /// A tally for the tracked account `me` (never its own peer).
    pub(super) fn new(me: i64) -> PeerTally {
        PeerTally {
            me,
            met: HashMap::with_hasher(IdHash::new()),
            heroes: (0..HERO_ARRAY as i64)
                .map(|hero_id| HeroMatchup {
                    hero_id,
                    ..HeroMatchup::default()
                })
                .collect(),
            other_heroes: HashMap::with_hasher(IdHash::new()),
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
            let matchup = match usize::try_from(hero) {
                Ok(index) if index < HERO_ARRAY => &mut self.heroes[index],
                _ => self
                    .other_heroes
                    .entry(hero)
                    .or_insert_with(|| HeroMatchup {
                        hero_id: hero,
                        ..HeroMatchup::default()
                    }),
            };
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
        let peer = self.met.entry(other).or_insert_with(|| Met {
            last_played: start_time,
            ..Met::default()
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
        let mut peers: Vec<PeerStats> = self
            .met
            .into_iter()
            .map(|(account_id, met)| PeerStats {
                account_id,
                with: met.with,
                against: met.against,
                last_played: met.last_played,
                from_summaries: met.from_summaries,
                ..PeerStats::default()
            })
            .collect();
        peers.sort_unstable_by(|a, b| {
            (b.with.games, b.against.games, b.last_played, a.account_id).cmp(&(
                a.with.games,
                a.against.games,
                a.last_played,
                b.account_id,
            ))
        });
        peers.truncate(limit);
        let mut matchups: Vec<HeroMatchup> = self
            .heroes
            .into_iter()
            .filter(|m| m.with.games + m.against.games > 0)
            .chain(self.other_heroes.into_values())
            .collect();
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

/// Hashes an ID with a random key and splitmix64's mixer: a few
/// multiplications where SipHash took a tenth of the pass, and still no
/// set of IDs a server could choose to pile into one bucket.
#[derive(Clone, Copy)]
struct IdHash {
    key: u64,
}

impl IdHash {
    fn new() -> IdHash {
        IdHash {
            key: std::collections::hash_map::RandomState::new().hash_one(0_u64),
        }
    }
}

impl BuildHasher for IdHash {
    type Hasher = IdHasher;

    fn build_hasher(&self) -> IdHasher {
        IdHasher(self.key)
    }
}

struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        let mut z = (self.0 ^ n).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        self.0 = z ^ (z >> 31);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
