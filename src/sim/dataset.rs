//! The simulated world: accounts and the index of their matches.
//!
//! Everything follows from `(seed, accounts, matches_per_account)`. Only a
//! small record per match is stored (ID, sequence number, start time, who of
//! the tracked accounts played it and where); the full match, with its ten
//! players and their items, is regenerated on demand from the seed and the
//! match ID (see `match_gen`), so a dataset of 100k matches costs a few MB.

use std::collections::HashMap;

use serde_json::Value;

use super::match_gen::{self, MatchRecord, MatchSketch, Member};
use super::match_json;
use super::rng::mix;

/// One account of the simulated world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimAccount {
    pub account_id: u32,
    /// The `steamcommunity.com/id/<vanity>` name that `ResolveVanityURL` knows.
    pub vanity: String,
    /// Match history not public: Steam answers status 15, OpenDota `[]`.
    pub private: bool,
    /// Newest first.
    pub match_ids: Vec<i64>,
}

/// The whole simulated world. Deterministic: equal inputs give equal datasets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    seed: u64,
    accounts: Vec<SimAccount>,
    account_index: HashMap<u32, usize>,
    /// Sorted by match ID, which also sorts by start time and sequence number.
    matches: Vec<MatchRecord>,
    /// Per account, teammates that come back game after game, so that the
    /// "players encountered" counters have something to count.
    friends: HashMap<u32, Vec<u32>>,
}

/// Vanity names are made of two words and the account's index.
const VANITY_WORDS: [&str; 16] = [
    "ember", "frost", "shadow", "storm", "void", "arcane", "iron", "swift", "silent", "crimson",
    "lunar", "wild", "tiny", "grim", "lucky", "brave",
];
const VANITY_NOUNS: [&str; 12] = [
    "fox", "raven", "wolf", "lotus", "blade", "spirit", "golem", "owl", "tide", "rune", "wisp",
    "boar",
];

/// Share of accounts[0]'s matches that accounts[1] played too.
const SHARED_FRACTION: f64 = 0.4;
/// Share of matches where a tracked player shows up anonymous in the details.
const HIDDEN_IN_DETAILS_RATE: f64 = 0.05;
/// How many recurring teammates each account has.
const FRIENDS_PER_ACCOUNT: usize = 12;
/// Share of ranked matches since `IMMORTAL_DRAFT_FROM` played in Immortal
/// Draft: enough that a 500-match history holds a dozen.
const IMMORTAL_DRAFT_SHARE: f64 = 0.15;
/// 2023-01-01: the simulated accounts play Immortal Draft from then on.
const IMMORTAL_DRAFT_FROM: i64 = 1_672_531_200;
/// Salts that give each per-match decision its own stream (see `rng::mix`).
const SALT_IMMORTAL_DRAFT: u64 = 0x1d_d4af;
const SALT_OPENDOTA_LACKS: u64 = 0x0d_1ac5;

impl Dataset {
    /// Builds the world. `accounts` public accounts (at least 2) plus one private
    /// account, each with `matches_per_account` matches; accounts[0] and
    /// accounts[1] share about 40% of theirs.
    pub fn generate(seed: u64, accounts: usize, matches_per_account: usize) -> Dataset {
        let public_count = accounts.max(2);
        let mut rng = fastrand::Rng::with_seed(mix(seed, 0x5eed_acc0));

        let account_ids = distinct_account_ids(&mut rng, public_count + 1);
        let mut sim_accounts: Vec<SimAccount> = account_ids
            .iter()
            .enumerate()
            .map(|(index, account_id)| SimAccount {
                account_id: *account_id,
                vanity: vanity_name(&mut rng, index),
                private: index == public_count,
                match_ids: Vec::new(),
            })
            .collect();

        let owner_sets = owner_sets(&mut rng, &account_ids, public_count, matches_per_account);
        let timeline = match_gen::timeline(&mut rng, owner_sets.len());
        let matches: Vec<MatchRecord> = owner_sets
            .into_iter()
            .zip(timeline)
            .map(|(owners, stamp)| place_members(&mut rng, owners, stamp))
            .map(|mut record| {
                // Decided by hash, not by `rng`: drawing from `rng` here would
                // shift every later draw and change the whole world.
                record.immortal_draft = immortal_draft(seed, &record);
                record
            })
            .collect();

        let account_index: HashMap<u32, usize> = account_ids
            .iter()
            .enumerate()
            .map(|(index, id)| (*id, index))
            .collect();
        // Newest first: walk the matches (sorted oldest first) backwards.
        for record in matches.iter().rev() {
            for member in &record.members {
                if let Some(index) = account_index.get(&member.account_id) {
                    sim_accounts[*index].match_ids.push(record.match_id);
                }
            }
        }

        let friends = account_ids
            .iter()
            .map(|id| {
                let pool = (0..FRIENDS_PER_ACCOUNT)
                    .map(|_| rng.u32(10_000_000..400_000_000))
                    .filter(|friend| !account_ids.contains(friend))
                    .collect();
                (*id, pool)
            })
            .collect();

        Dataset {
            seed,
            accounts: sim_accounts,
            account_index,
            matches,
            friends,
        }
    }

    /// Public accounts first, then the private one.
    pub fn accounts(&self) -> &[SimAccount] {
        &self.accounts
    }

    pub fn account(&self, account_id: u32) -> Option<&SimAccount> {
        self.account_index
            .get(&account_id)
            .map(|index| &self.accounts[*index])
    }

    /// The account whose history is private (Steam status 15).
    pub fn private_account_id(&self) -> u32 {
        self.accounts
            .iter()
            .find(|account| account.private)
            .map(|account| account.account_id)
            .unwrap_or_default()
    }

    /// accounts[0] and accounts[1], who share many matches.
    pub fn shared_pair(&self) -> (u32, u32) {
        (self.accounts[0].account_id, self.accounts[1].account_id)
    }

    pub fn vanity_for(&self, account_id: u32) -> Option<&str> {
        self.account(account_id)
            .map(|account| account.vanity.as_str())
    }

    /// The account a vanity name belongs to (case-insensitive, like Steam).
    pub fn account_for_vanity(&self, vanity: &str) -> Option<&SimAccount> {
        self.accounts
            .iter()
            .find(|account| account.vanity.eq_ignore_ascii_case(vanity))
    }

    /// The match as Steam's GetMatchDetails `result` / a sequence entry.
    pub fn match_json(&self, match_id: i64) -> Option<Value> {
        let sketch = self.sketch(match_id)?;
        Some(match_json::steam_match(&sketch))
    }

    /// The match as OpenDota's `/matches/{id}` answers it.
    pub fn opendota_match_json(&self, match_id: i64) -> Option<Value> {
        let sketch = self.sketch(match_id)?;
        Some(match_json::opendota_match(&sketch))
    }

    /// Whether the match was played in Immortal Draft, which Valve's
    /// sequence endpoint has left out since February 2026. dotaconstants
    /// (`assets/`) has no game mode for it and its ID in the API is not
    /// documented, so the match's JSON shows what ranked matchmaking
    /// reports (All Draft, lobby Ranked); only the dataset knows.
    pub fn is_immortal_draft(&self, match_id: i64) -> bool {
        self.record(match_id)
            .is_some_and(|record| record.immortal_draft)
    }

    /// Every Immortal Draft match, oldest first.
    pub fn immortal_draft_ids(&self) -> Vec<i64> {
        self.matches
            .iter()
            .filter(|record| record.immortal_draft)
            .map(|record| record.match_id)
            .collect()
    }

    /// Whether OpenDota lacks the match when it lacks a `share` of them: the
    /// same matches for the same seed and share, never an Immortal Draft one
    /// (that would leave a match no source can serve; scripts do that).
    pub fn lacked_by_opendota(&self, match_id: i64, share: f64) -> bool {
        share > 0.0
            && self.record(match_id).is_some_and(|record| {
                !record.immortal_draft
                    && unit(mix(self.seed ^ SALT_OPENDOTA_LACKS, match_id as u64)) < share
            })
    }

    /// Number of distinct matches.
    pub fn match_count(&self) -> usize {
        self.matches.len()
    }

    pub(crate) fn record(&self, match_id: i64) -> Option<&MatchRecord> {
        self.matches
            .binary_search_by_key(&match_id, |record| record.match_id)
            .ok()
            .map(|index| &self.matches[index])
    }

    /// Matches with `match_seq_num >= seq`, in sequence order.
    pub(crate) fn records_from_seq(&self, seq: i64) -> &[MatchRecord] {
        let start = self
            .matches
            .partition_point(|record| record.match_seq_num < seq);
        &self.matches[start..]
    }

    /// The match that follows `match_id` in the dataset (or precedes it, for
    /// the newest match): what a confused server returns instead.
    pub(crate) fn neighbour_of(&self, match_id: i64) -> Option<i64> {
        let index = self
            .matches
            .partition_point(|record| record.match_id <= match_id);
        self.matches
            .get(index)
            .or_else(|| self.matches.len().checked_sub(2).map(|i| &self.matches[i]))
            .map(|record| record.match_id)
            .filter(|other| *other != match_id)
    }

    /// The full match, regenerated from the seed.
    pub(crate) fn sketch(&self, match_id: i64) -> Option<MatchSketch> {
        let record = self.record(match_id)?;
        Some(match_gen::sketch(self.seed, record, &self.friends))
    }
}

/// A hash as a number in [0, 1).
fn unit(hash: u64) -> f64 {
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

fn immortal_draft(seed: u64, record: &MatchRecord) -> bool {
    record.lobby_type == match_gen::LOBBY_RANKED
        && record.start_time >= IMMORTAL_DRAFT_FROM
        && unit(mix(seed ^ SALT_IMMORTAL_DRAFT, record.match_id as u64)) < IMMORTAL_DRAFT_SHARE
}

fn distinct_account_ids(rng: &mut fastrand::Rng, count: usize) -> Vec<u32> {
    let mut ids: Vec<u32> = Vec::with_capacity(count);
    while ids.len() < count {
        // Real 32-bit account IDs of long-time players look like 86745912.
        let id = rng.u32(20_000_000..200_000_000);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

fn vanity_name(rng: &mut fastrand::Rng, index: usize) -> String {
    let word = VANITY_WORDS[rng.usize(..VANITY_WORDS.len())];
    let noun = VANITY_NOUNS[rng.usize(..VANITY_NOUNS.len())];
    // The index keeps names distinct whatever the words drawn.
    format!("{word}{noun}{index}")
}

/// Which tracked accounts played each match, in random (not yet time) order.
fn owner_sets(
    rng: &mut fastrand::Rng,
    account_ids: &[u32],
    public_count: usize,
    per_account: usize,
) -> Vec<Vec<u32>> {
    let shared = (per_account as f64 * SHARED_FRACTION).round() as usize;
    let mut sets: Vec<Vec<u32>> = Vec::new();
    sets.extend((0..shared).map(|_| vec![account_ids[0], account_ids[1]]));
    for (index, account_id) in account_ids.iter().enumerate() {
        let own = if index < 2 && public_count >= 2 {
            per_account - shared
        } else {
            per_account
        };
        sets.extend((0..own).map(|_| vec![*account_id]));
    }
    rng.shuffle(&mut sets);
    sets
}

fn place_members(
    rng: &mut fastrand::Rng,
    owners: Vec<u32>,
    stamp: match_gen::Stamp,
) -> MatchRecord {
    let opposite_teams = owners.len() > 1 && rng.bool();
    let lobby_type = match_gen::lobby_type_for(rng, stamp.start_time, opposite_teams);
    // In bot games the humans play Radiant against five bots.
    let humans_only_radiant = lobby_type == match_gen::LOBBY_COOP_BOTS;
    let first_team_dire = !humans_only_radiant && rng.bool();
    let mut taken: Vec<u8> = Vec::new();
    let members = owners
        .into_iter()
        .enumerate()
        .map(|(position, account_id)| {
            let dire = if position == 0 {
                first_team_dire
            } else {
                first_team_dire != opposite_teams
            };
            let player_slot = free_slot(rng, dire, &mut taken);
            Member {
                account_id,
                player_slot,
                hidden_in_details: rng.f64() < HIDDEN_IN_DETAILS_RATE,
            }
        })
        .collect();
    MatchRecord {
        match_id: stamp.match_id,
        match_seq_num: stamp.match_seq_num,
        start_time: stamp.start_time,
        lobby_type,
        members,
        immortal_draft: false,
    }
}

fn free_slot(rng: &mut fastrand::Rng, dire: bool, taken: &mut Vec<u8>) -> u8 {
    let base = if dire { 128 } else { 0 };
    loop {
        let slot = base + rng.u8(0..5);
        if !taken.contains(&slot) {
            taken.push(slot);
            return slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_world() {
        assert_eq!(Dataset::generate(7, 3, 200), Dataset::generate(7, 3, 200));
        assert_ne!(
            Dataset::generate(7, 3, 200).accounts()[0].match_ids,
            Dataset::generate(8, 3, 200).accounts()[0].match_ids
        );
    }

    #[test]
    fn accounts_have_their_matches_newest_first() {
        let dataset = Dataset::generate(1, 3, 300);
        assert_eq!(dataset.accounts().len(), 4);
        for account in dataset.accounts() {
            assert_eq!(account.match_ids.len(), 300, "{}", account.account_id);
            assert!(account.match_ids.windows(2).all(|pair| pair[0] > pair[1]));
        }
        let private: Vec<_> = dataset.accounts().iter().filter(|a| a.private).collect();
        assert_eq!(private.len(), 1);
        assert_eq!(private[0].account_id, dataset.private_account_id());
        assert!(dataset.accounts().last().is_some_and(|a| a.private));
    }

    #[test]
    fn the_pair_shares_about_forty_percent() {
        let dataset = Dataset::generate(3, 3, 500);
        let (first, second) = dataset.shared_pair();
        let theirs = &dataset
            .account(second)
            .map(|a| a.match_ids.clone())
            .unwrap();
        let shared = dataset
            .account(first)
            .unwrap()
            .match_ids
            .iter()
            .filter(|id| theirs.contains(id))
            .count();
        assert_eq!(shared, 200);
        // 2 tracked accounts share 200, so distinct = 4 * 500 - 200.
        assert_eq!(dataset.match_count(), 1800);
    }

    #[test]
    fn shared_matches_have_both_on_some_team() {
        let dataset = Dataset::generate(5, 2, 400);
        let (mut same, mut opposite) = (0, 0);
        for record in &dataset.matches {
            if record.members.len() == 2 {
                let dire = |m: &Member| m.player_slot >= 128;
                assert_ne!(record.members[0].player_slot, record.members[1].player_slot);
                if dire(&record.members[0]) == dire(&record.members[1]) {
                    same += 1;
                } else {
                    opposite += 1;
                }
            }
        }
        assert!(
            same > 30 && opposite > 30,
            "same {same}, opposite {opposite}"
        );
    }

    #[test]
    fn ids_sequence_and_time_increase_together() {
        let dataset = Dataset::generate(9, 3, 400);
        for pair in dataset.matches.windows(2) {
            assert!(pair[0].match_id < pair[1].match_id);
            assert!(pair[0].match_seq_num < pair[1].match_seq_num);
            assert!(pair[0].start_time < pair[1].start_time);
        }
    }

    #[test]
    fn vanity_names_resolve_and_are_distinct() {
        let dataset = Dataset::generate(11, 5, 10);
        let mut names: Vec<&str> = dataset
            .accounts()
            .iter()
            .map(|a| a.vanity.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 6);
        let first = &dataset.accounts()[0];
        assert_eq!(
            dataset.vanity_for(first.account_id),
            Some(first.vanity.as_str())
        );
        assert_eq!(
            dataset
                .account_for_vanity(&first.vanity.to_uppercase())
                .map(|a| a.account_id),
            Some(first.account_id)
        );
    }

    #[test]
    fn sequence_lookup_starts_at_the_asked_number() {
        let dataset = Dataset::generate(2, 2, 50);
        let target = &dataset.matches[10];
        let found = dataset.records_from_seq(target.match_seq_num);
        assert_eq!(found[0].match_id, target.match_id);
        let after = dataset.records_from_seq(target.match_seq_num + 1);
        assert_eq!(after[0].match_id, dataset.matches[11].match_id);
    }

    #[test]
    fn immortal_draft_matches_are_recent_ranked_ones_and_opendota_lacks_others() {
        let dataset = Dataset::generate(42, 3, 600);
        let immortal = dataset.immortal_draft_ids();
        let newest_500 = &dataset.accounts()[0].match_ids[..500];
        let in_history = newest_500
            .iter()
            .filter(|id| dataset.is_immortal_draft(**id))
            .count();
        assert!((5..40).contains(&in_history), "{in_history} in 500");
        for id in &immortal {
            let record = dataset.record(*id).unwrap();
            assert_eq!(record.lobby_type, match_gen::LOBBY_RANKED);
            assert!(record.start_time >= IMMORTAL_DRAFT_FROM);
            assert!(!dataset.lacked_by_opendota(*id, 1.0));
        }
        let lacked = newest_500
            .iter()
            .filter(|id| dataset.lacked_by_opendota(**id, 0.02))
            .count();
        assert!((2..30).contains(&lacked), "{lacked} of 500 lacked");
        assert!(
            !newest_500
                .iter()
                .any(|id| dataset.lacked_by_opendota(*id, 0.0))
        );
        assert_eq!(Dataset::generate(42, 3, 600).immortal_draft_ids(), immortal);
    }

    #[test]
    fn generating_a_big_world_is_quick() {
        let started = std::time::Instant::now();
        let dataset = Dataset::generate(42, 3, 2000);
        assert!(dataset.match_count() > 7000);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
