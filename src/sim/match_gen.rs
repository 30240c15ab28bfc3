//! Regenerates a whole match from the seed and its stored record.
//!
//! A match is drawn from its own random stream (`mix(seed, match_id)`), so any
//! one of them can be rebuilt at any time without generating the others, and
//! every rebuild is identical. The draw order inside `sketch` is part of the
//! dataset's identity: reordering draws changes every match of every seed.

use std::collections::HashMap;

use crate::assets;

use super::rng::mix;

/// Where a tracked account sits in one match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Member {
    pub account_id: u32,
    /// Steam's player_slot: 0..=4 Radiant, 128..=132 Dire.
    pub player_slot: u8,
    /// Shown as 4294967295 in the match details although the history lists
    /// the account: this happens for real when a player hides their data.
    pub hidden_in_details: bool,
}

/// The stored part of one match; the rest comes from `match_gen`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MatchRecord {
    pub match_id: i64,
    pub match_seq_num: i64,
    pub start_time: i64,
    pub lobby_type: i64,
    pub members: Vec<Member>,
    /// Played in Immortal Draft (see `is_immortal_draft`).
    pub immortal_draft: bool,
}

/// Steam's account ID for a player who hides their data.
pub(crate) const ANONYMOUS_ACCOUNT_ID: u32 = u32::MAX;
pub(crate) const LOBBY_COOP_BOTS: i64 = 4;
const LOBBY_PRACTICE: i64 = 1;
pub(crate) const LOBBY_RANKED: i64 = 7;
const LOBBY_BATTLE_CUP: i64 = 9;
const LOBBY_NORMAL: i64 = 0;

const GAME_MODE_ALL_PICK: i64 = 1;
const GAME_MODE_CAPTAINS_MODE: i64 = 2;
const GAME_MODE_ALL_DRAFT: i64 = 22;
const GAME_MODE_TURBO: i64 = 23;
const GAME_MODE_ABILITY_DRAFT: i64 = 18;

/// The simulated history runs from 2015-01-01 to 2025-12-01, a little longer
/// than most real histories, so that the old trimmed shape shows up too.
const FIRST_START_TIME: i64 = 1_420_070_400;
const LAST_START_TIME: i64 = 1_764_547_200;
/// Valve trims matches older than about 2016 today (see the bohdaq fixture).
pub(crate) const TRIMMED_BEFORE: i64 = 1_451_606_400;
/// Patch 7.23 (Nov 2019) brought neutral items.
const NEUTRAL_ITEMS_FROM: i64 = 1_574_035_200;
/// Patch 7.36 (May 2024) brought facets (`hero_variant`) and enhancements (`item_neutral2`).
pub(crate) const FACETS_FROM: i64 = 1_716_422_400;
/// Turbo arrived mid-2019.
const TURBO_FROM: i64 = 1_559_347_200;

/// (start_time, match_id, match_seq_num) of real matches from the fixtures, so
/// that simulated IDs have the magnitude real ones had at the time.
const ID_ANCHORS: [(i64, i64, i64); 5] = [
    (1_420_070_400, 1_140_000_000, 1_010_000_000),
    (1_431_220_172, 1_461_414_523, 1_310_985_420),
    (1_497_678_766, 3_254_426_673, 2_843_189_211),
    (1_570_905_295, 5_066_503_471, 4_250_346_899),
    (1_764_977_774, 8_591_933_650, 7_215_564_751),
];

/// Neutral items seen in the fixtures (from `assets/items.json`).
const NEUTRAL_ITEMS: [i64; 14] = [
    290, 300, 309, 331, 349, 358, 565, 828, 1599, 1600, 1601, 1602, 1603, 1604,
];
/// Enhancements, the second neutral slot since 7.36.
const ENHANCEMENTS: [i64; 9] = [1576, 1577, 1581, 1583, 1584, 1585, 1586, 1587, 1588];
const TEAM_NAMES: [&str; 10] = [
    "Sim Ravens",
    "Byte Brawlers",
    "Null Pointers",
    "Lag Spikes",
    "Async Aces",
    "Heap Heroes",
    "Stack Smashers",
    "Cache Misses",
    "Race Conditions",
    "Green Threads",
];

/// When, and under which IDs, one match was played.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub match_id: i64,
    pub match_seq_num: i64,
    pub start_time: i64,
}

/// `count` strictly increasing stamps spread evenly over the simulated years.
pub(crate) fn timeline(rng: &mut fastrand::Rng, count: usize) -> Vec<Stamp> {
    let span = (LAST_START_TIME - FIRST_START_TIME) as f64;
    let step = span / count.max(1) as f64;
    let mut previous: Option<Stamp> = None;
    (0..count)
        .map(|index| {
            let jitter = rng.f64() * step * 0.8;
            let mut start_time = FIRST_START_TIME + (index as f64 * step + jitter) as i64;
            let (mut match_id, mut match_seq_num) = interpolate_ids(start_time);
            match_id += rng.i64(0..500);
            match_seq_num += rng.i64(0..500);
            if let Some(before) = previous {
                start_time = start_time.max(before.start_time + 1);
                match_id = match_id.max(before.match_id + 1);
                match_seq_num = match_seq_num.max(before.match_seq_num + 1);
            }
            let stamp = Stamp {
                match_id,
                match_seq_num,
                start_time,
            };
            previous = Some(stamp);
            stamp
        })
        .collect()
}

fn interpolate_ids(start_time: i64) -> (i64, i64) {
    let segment = ID_ANCHORS
        .windows(2)
        .find(|pair| start_time <= pair[1].0)
        .unwrap_or(&ID_ANCHORS[3..5]);
    let (t0, id0, seq0) = segment[0];
    let (t1, id1, seq1) = segment[1];
    let fraction = (start_time - t0) as f64 / (t1 - t0) as f64;
    let lerp = |a: i64, b: i64| a + ((b - a) as f64 * fraction) as i64;
    (lerp(id0, id1), lerp(seq0, seq1))
}

/// The lobby a match was played in. Two tracked players on opposite teams
/// never meet in a bot game (the bots take a whole team).
pub(crate) fn lobby_type_for(
    rng: &mut fastrand::Rng,
    start_time: i64,
    opposite_teams: bool,
) -> i64 {
    let roll = rng.f64();
    if roll < 0.04 && !opposite_teams {
        LOBBY_COOP_BOTS
    } else if roll < 0.07 {
        LOBBY_PRACTICE
    } else if roll < 0.10 && start_time >= TURBO_FROM {
        LOBBY_BATTLE_CUP
    } else if roll < 0.62 {
        LOBBY_RANKED
    } else {
        LOBBY_NORMAL
    }
}

/// Who sits in a slot, as each endpoint will show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Identity {
    Public(u32),
    /// Listed by GetMatchHistory, anonymous in the details.
    HiddenInDetails(u32),
    Anonymous,
    /// No `account_id` field at all.
    Bot,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlayerSketch {
    pub identity: Identity,
    pub player_slot: u8,
    pub hero_id: i64,
    pub hero_variant: i64,
    pub kills: i64,
    pub deaths: i64,
    pub assists: i64,
    pub leaver_status: i64,
    pub last_hits: i64,
    pub denies: i64,
    pub gold_per_min: i64,
    pub xp_per_min: i64,
    pub level: i64,
    pub net_worth: i64,
    pub items: [i64; 6],
    pub backpack: [i64; 3],
    pub item_neutral: i64,
    pub item_neutral2: i64,
    pub hero_damage: i64,
    pub tower_damage: i64,
    pub hero_healing: i64,
    pub gold: i64,
    pub gold_spent: i64,
    pub aghanims_scepter: i64,
    pub aghanims_shard: i64,
    pub moonshard: i64,
    /// (ability, time, level)
    pub ability_upgrades: Vec<(i64, i64, i64)>,
}

impl PlayerSketch {
    pub fn is_radiant(&self) -> bool {
        self.player_slot < 128
    }

    pub fn team_slot(&self) -> u8 {
        self.player_slot & 0x7f
    }

    /// As GetMatchHistory lists it; None: no field (a bot).
    pub fn history_account_id(&self) -> Option<u32> {
        match self.identity {
            Identity::Public(id) | Identity::HiddenInDetails(id) => Some(id),
            Identity::Anonymous => Some(ANONYMOUS_ACCOUNT_ID),
            Identity::Bot => None,
        }
    }

    /// As the match details show it; None: no field (a bot).
    pub fn details_account_id(&self) -> Option<u32> {
        match self.identity {
            Identity::Public(id) => Some(id),
            Identity::HiddenInDetails(_) | Identity::Anonymous => Some(ANONYMOUS_ACCOUNT_ID),
            Identity::Bot => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Teams {
    pub radiant_team_id: i64,
    pub radiant_name: &'static str,
    pub radiant_logo: u64,
    pub dire_team_id: i64,
    pub dire_name: &'static str,
    pub dire_logo: u64,
}

/// One match in full, before it is shaped into an endpoint's JSON.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MatchSketch {
    pub match_id: i64,
    pub match_seq_num: i64,
    pub start_time: i64,
    pub lobby_type: i64,
    pub game_mode: i64,
    pub duration: i64,
    pub pre_game_duration: i64,
    pub radiant_win: bool,
    pub cluster: i64,
    pub first_blood_time: i64,
    pub tower_status_radiant: i64,
    pub tower_status_dire: i64,
    pub barracks_status_radiant: i64,
    pub barracks_status_dire: i64,
    pub leagueid: i64,
    pub flags: i64,
    pub teams: Option<Teams>,
    /// (is_pick, hero_id, team, order)
    pub picks_bans: Vec<(bool, i64, i64, i64)>,
    pub players: Vec<PlayerSketch>,
}

impl MatchSketch {
    /// Old matches come back without damage, healing, gold and abilities today.
    pub fn trimmed(&self) -> bool {
        self.start_time < TRIMMED_BEFORE
    }

    pub fn has_facets(&self) -> bool {
        self.start_time >= FACETS_FROM
    }

    pub fn human_players(&self) -> i64 {
        self.players
            .iter()
            .filter(|player| player.identity != Identity::Bot)
            .count() as i64
    }

    /// Team kills; Valve reports 0 for trimmed matches.
    pub fn score(&self, radiant: bool) -> i64 {
        if self.trimmed() {
            return 0;
        }
        self.players
            .iter()
            .filter(|player| player.is_radiant() == radiant)
            .map(|player| player.kills)
            .sum()
    }

    pub fn player_of(&self, account_id: u32) -> Option<&PlayerSketch> {
        self.players
            .iter()
            .find(|player| player.history_account_id() == Some(account_id))
    }
}

const SLOTS: [u8; 10] = [0, 1, 2, 3, 4, 128, 129, 130, 131, 132];

/// Rebuilds the match of `record`.
pub(crate) fn sketch(
    seed: u64,
    record: &MatchRecord,
    friends: &HashMap<u32, Vec<u32>>,
) -> MatchSketch {
    let mut rng = fastrand::Rng::with_seed(mix(seed, record.match_id as u64));
    let start_time = record.start_time;
    let lobby_type = record.lobby_type;
    let game_mode = game_mode_for(&mut rng, lobby_type, start_time);
    let duration = if game_mode == GAME_MODE_TURBO {
        rng.i64(840..1_800)
    } else {
        rng.i64(1_200..3_600)
    };
    let radiant_win = rng.bool();
    let heroes = distinct_heroes(&mut rng);
    let era = Era::of(start_time);

    // The accounts already placed: one account plays one slot of a match.
    let mut taken: Vec<u32> = Vec::with_capacity(10);
    let players: Vec<PlayerSketch> = SLOTS
        .iter()
        .zip(heroes)
        .map(|(slot, hero_id)| {
            let identity = identity_for(&mut rng, *slot, record, friends, &taken);
            if let Identity::Public(id) | Identity::HiddenInDetails(id) = identity {
                taken.push(id);
            }
            let won = (*slot < 128) == radiant_win;
            player(&mut rng, identity, *slot, hero_id, won, duration, era)
        })
        .collect();

    let teams = (lobby_type == LOBBY_PRACTICE).then(|| teams(&mut rng));
    let picks_bans = if game_mode == GAME_MODE_CAPTAINS_MODE {
        picks_bans(&mut rng, &players)
    } else {
        Vec::new()
    };
    let (winner_towers, loser_towers) = (rng.i64(1_536..2_048), rng.i64(0..256));
    let (winner_barracks, loser_barracks) = (rng.i64(48..64), rng.i64(0..4));
    let leagueid = if teams.is_some() {
        rng.i64(1_000..17_000)
    } else {
        0
    };

    MatchSketch {
        match_id: record.match_id,
        match_seq_num: record.match_seq_num,
        start_time,
        lobby_type,
        game_mode,
        duration,
        pre_game_duration: if era.trimmed { 0 } else { 90 },
        radiant_win,
        cluster: rng.i64(111..275),
        first_blood_time: rng.i64(5..300),
        tower_status_radiant: if radiant_win {
            winner_towers
        } else {
            loser_towers
        },
        tower_status_dire: if radiant_win {
            loser_towers
        } else {
            winner_towers
        },
        barracks_status_radiant: if radiant_win {
            winner_barracks
        } else {
            loser_barracks
        },
        barracks_status_dire: if radiant_win {
            loser_barracks
        } else {
            winner_barracks
        },
        leagueid,
        flags: i64::from(!era.trimmed),
        teams,
        picks_bans,
        players,
    }
}

/// What a match's era decides about its players' fields.
#[derive(Debug, Clone, Copy)]
struct Era {
    trimmed: bool,
    neutral_items: bool,
    facets: bool,
}

impl Era {
    fn of(start_time: i64) -> Era {
        Era {
            trimmed: start_time < TRIMMED_BEFORE,
            neutral_items: start_time >= NEUTRAL_ITEMS_FROM,
            facets: start_time >= FACETS_FROM,
        }
    }
}

fn game_mode_for(rng: &mut fastrand::Rng, lobby_type: i64, start_time: i64) -> i64 {
    match lobby_type {
        LOBBY_PRACTICE | LOBBY_BATTLE_CUP => GAME_MODE_CAPTAINS_MODE,
        LOBBY_COOP_BOTS => GAME_MODE_ALL_PICK,
        LOBBY_RANKED if start_time >= TRIMMED_BEFORE => GAME_MODE_ALL_DRAFT,
        LOBBY_RANKED => GAME_MODE_ALL_PICK,
        _ => {
            let roll = rng.f64();
            if roll < 0.3 && start_time >= TURBO_FROM {
                GAME_MODE_TURBO
            } else if roll < 0.35 {
                GAME_MODE_ABILITY_DRAFT
            } else {
                GAME_MODE_ALL_PICK
            }
        }
    }
}

fn distinct_heroes(rng: &mut fastrand::Rng) -> Vec<i64> {
    let pool = assets::hero_ids();
    let mut heroes: Vec<i64> = Vec::with_capacity(10);
    // The embedded list holds over 100 heroes; should it ever be short, fall
    // back to plain IDs rather than loop forever.
    if pool.len() < 10 {
        return (1..=10).collect();
    }
    while heroes.len() < 10 {
        let hero = pool[rng.usize(..pool.len())];
        if !heroes.contains(&hero) {
            heroes.push(hero);
        }
    }
    heroes
}

fn identity_for(
    rng: &mut fastrand::Rng,
    slot: u8,
    record: &MatchRecord,
    friends: &HashMap<u32, Vec<u32>>,
    taken: &[u32],
) -> Identity {
    // Draw the same number of values whatever the branch, so that one
    // player's identity does not shift the stats of all the others.
    let (roll, pick) = (rng.f64(), rng.usize(..usize::MAX));
    if let Some(member) = record.members.iter().find(|m| m.player_slot == slot) {
        return if member.hidden_in_details {
            Identity::HiddenInDetails(member.account_id)
        } else {
            Identity::Public(member.account_id)
        };
    }
    if record.lobby_type == LOBBY_COOP_BOTS && slot >= 128 {
        return Identity::Bot;
    }
    if roll < 0.2 {
        return Identity::Anonymous;
    }
    // A quarter of the others are recurring teammates of a tracked player on the same team.
    let teammate_of = record
        .members
        .iter()
        .find(|m| (m.player_slot >= 128) == (slot >= 128));
    if let Some(pool) = teammate_of.and_then(|m| friends.get(&m.account_id))
        && roll < 0.45
        && !pool.is_empty()
    {
        let friend = pool[pick % pool.len()];
        if record.members.iter().all(|m| m.account_id != friend) && !taken.contains(&friend) {
            return Identity::Public(friend);
        }
    }
    let stranger = 10_000_000 + (pick % 390_000_000) as u32;
    if record.members.iter().any(|m| m.account_id == stranger) || taken.contains(&stranger) {
        return Identity::Anonymous;
    }
    Identity::Public(stranger)
}

fn random_item(rng: &mut fastrand::Rng, chance: f64) -> i64 {
    let pool = assets::item_ids();
    if pool.is_empty() || rng.f64() >= chance {
        return 0;
    }
    pool[rng.usize(..pool.len())]
}

fn player(
    rng: &mut fastrand::Rng,
    identity: Identity,
    player_slot: u8,
    hero_id: i64,
    won: bool,
    duration: i64,
    era: Era,
) -> PlayerSketch {
    let bonus = if won { 4 } else { 0 };
    let kills = rng.i64(0..16) + bonus;
    let deaths = rng.i64(0..14) + 4 - bonus;
    let assists = rng.i64(0..22) + bonus;
    let gold_per_min = rng.i64(220..700) + bonus * 25;
    let xp_per_min = rng.i64(250..800) + bonus * 25;
    let minutes = duration / 60;
    let max_level = if era.trimmed { 25 } else { 30 };
    let level = (xp_per_min * minutes / 1_200 + 6).clamp(1, max_level);
    let net_worth = gold_per_min * minutes * 7 / 10;
    let items = std::array::from_fn(|_| random_item(rng, 0.85));
    let backpack = std::array::from_fn(|_| random_item(rng, 0.25));
    let item_neutral = if era.neutral_items && rng.f64() < 0.9 {
        NEUTRAL_ITEMS[rng.usize(..NEUTRAL_ITEMS.len())]
    } else {
        0
    };
    let item_neutral2 = if era.facets {
        ENHANCEMENTS[rng.usize(..ENHANCEMENTS.len())]
    } else {
        0
    };
    let hero_damage = rng.i64(2_000..40_000);
    let tower_damage = rng.i64(0..8_000);
    let hero_healing = if rng.f64() < 0.2 {
        rng.i64(100..9_000)
    } else {
        0
    };
    let gold = rng.i64(0..3_000);
    let ability_upgrades = (1..=level.min(18))
        .map(|at_level| {
            let ability = 5_000 + hero_id * 4 + rng.i64(0..4);
            (ability, at_level * 95 + rng.i64(0..60), at_level)
        })
        .collect();
    PlayerSketch {
        identity,
        player_slot,
        hero_id,
        hero_variant: if era.facets { rng.i64(1..4) } else { 0 },
        kills,
        deaths,
        assists,
        leaver_status: if rng.f64() < 0.02 { 2 } else { 0 },
        last_hits: rng.i64(10..400),
        denies: rng.i64(0..25),
        gold_per_min,
        xp_per_min,
        level,
        net_worth,
        items,
        backpack,
        item_neutral,
        item_neutral2,
        hero_damage,
        tower_damage,
        hero_healing,
        gold,
        gold_spent: net_worth - gold.min(net_worth),
        aghanims_scepter: i64::from(!era.trimmed && rng.f64() < 0.2),
        aghanims_shard: i64::from(!era.trimmed && rng.f64() < 0.3),
        moonshard: i64::from(rng.f64() < 0.02),
        ability_upgrades,
    }
}

fn teams(rng: &mut fastrand::Rng) -> Teams {
    let radiant = rng.usize(..TEAM_NAMES.len());
    let dire = (radiant + rng.usize(1..TEAM_NAMES.len())) % TEAM_NAMES.len();
    // Valve's logos are UGC file IDs: full unsigned 64-bit values, often above i64::MAX.
    Teams {
        radiant_team_id: rng.i64(1..9_999_999),
        radiant_name: TEAM_NAMES[radiant],
        radiant_logo: rng.u64(..),
        dire_team_id: rng.i64(1..9_999_999),
        dire_name: TEAM_NAMES[dire],
        dire_logo: rng.u64(..),
    }
}

fn picks_bans(rng: &mut fastrand::Rng, players: &[PlayerSketch]) -> Vec<(bool, i64, i64, i64)> {
    let picked: Vec<i64> = players.iter().map(|player| player.hero_id).collect();
    let mut bans: Vec<i64> = Vec::new();
    let pool = assets::hero_ids();
    while bans.len() < 14 && pool.len() > 24 {
        let hero = pool[rng.usize(..pool.len())];
        if !picked.contains(&hero) && !bans.contains(&hero) {
            bans.push(hero);
        }
    }
    let mut order = 0;
    let mut entries = Vec::new();
    for hero in bans {
        entries.push((false, hero, order % 2, order));
        order += 1;
    }
    for player in players {
        let team = if player.is_radiant() { 0 } else { 1 };
        entries.push((true, player.hero_id, team, order));
        order += 1;
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::dataset::Dataset;

    /// Issue 18: a recurring friend of the tracked player could be drawn
    /// for two slots of one match (impossible in Dota); never again.
    #[test]
    fn no_account_plays_two_slots_of_a_match() {
        let dataset = Dataset::generate(4, 2, 1_500);
        for account in dataset.accounts() {
            for &match_id in &account.match_ids {
                let sketch = dataset.sketch(match_id).unwrap();
                let mut ids: Vec<u32> = sketch
                    .players
                    .iter()
                    .filter_map(|p| match p.identity {
                        Identity::Public(id) | Identity::HiddenInDetails(id) => Some(id),
                        Identity::Anonymous | Identity::Bot => None,
                    })
                    .collect();
                let named = ids.len();
                ids.sort_unstable();
                ids.dedup();
                assert_eq!(ids.len(), named, "match {match_id}");
            }
        }
    }
}
