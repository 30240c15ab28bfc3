//! Shapes a generated match into the JSON each endpoint returns, following
//! the fixtures in `tests/fixtures/` field by field.

use serde_json::{Map, Value, json};

use super::match_gen::{MatchSketch, PlayerSketch};

/// An entry of GetMatchHistory's `matches` array.
pub(crate) fn steam_history_entry(sketch: &MatchSketch) -> Value {
    let players: Vec<Value> = sketch
        .players
        .iter()
        .map(|player| {
            let mut entry = Map::new();
            if let Some(account_id) = player.history_account_id() {
                entry.insert("account_id".into(), json!(account_id));
            }
            entry.insert("player_slot".into(), json!(player.player_slot));
            entry.insert("team_number".into(), json!(u8::from(!player.is_radiant())));
            entry.insert("team_slot".into(), json!(player.team_slot()));
            entry.insert("hero_id".into(), json!(player.hero_id));
            entry.insert("hero_variant".into(), json!(player.hero_variant));
            Value::Object(entry)
        })
        .collect();
    let (radiant_team_id, dire_team_id) = sketch
        .teams
        .as_ref()
        .map_or((0, 0), |teams| (teams.radiant_team_id, teams.dire_team_id));
    json!({
        "match_id": sketch.match_id,
        "match_seq_num": sketch.match_seq_num,
        "start_time": sketch.start_time,
        "lobby_type": sketch.lobby_type,
        "radiant_team_id": radiant_team_id,
        "dire_team_id": dire_team_id,
        "players": players,
    })
}

/// The match object of GetMatchDetails' `result` and of the sequence endpoint.
pub(crate) fn steam_match(sketch: &MatchSketch) -> Value {
    let mut object = Map::new();
    let players: Vec<Value> = sketch
        .players
        .iter()
        .map(|player| Value::Object(steam_player(sketch, player)))
        .collect();
    object.insert("players".into(), Value::Array(players));
    object.extend(common_fields(sketch));
    if sketch.trimmed() {
        // Present in old matches fetched today (bohdaq fixture).
        object.insert("positive_votes".into(), json!(0));
        object.insert("negative_votes".into(), json!(0));
    }
    if !sketch.picks_bans.is_empty() {
        let picks_bans: Vec<Value> = sketch
            .picks_bans
            .iter()
            .map(|(is_pick, hero_id, team, order)| {
                json!({"is_pick": is_pick, "hero_id": hero_id, "team": team, "order": order})
            })
            .collect();
        object.insert("picks_bans".into(), Value::Array(picks_bans));
    }
    Value::Object(object)
}

/// Top-level fields both APIs share.
fn common_fields(sketch: &MatchSketch) -> Map<String, Value> {
    let mut object = Map::new();
    let mut put = |key: &str, value: Value| {
        object.insert(key.to_string(), value);
    };
    put("radiant_win", json!(sketch.radiant_win));
    put("duration", json!(sketch.duration));
    put("pre_game_duration", json!(sketch.pre_game_duration));
    put("start_time", json!(sketch.start_time));
    put("match_id", json!(sketch.match_id));
    put("match_seq_num", json!(sketch.match_seq_num));
    put("tower_status_radiant", json!(sketch.tower_status_radiant));
    put("tower_status_dire", json!(sketch.tower_status_dire));
    put(
        "barracks_status_radiant",
        json!(sketch.barracks_status_radiant),
    );
    put("barracks_status_dire", json!(sketch.barracks_status_dire));
    put("cluster", json!(sketch.cluster));
    put("first_blood_time", json!(sketch.first_blood_time));
    put("lobby_type", json!(sketch.lobby_type));
    put("human_players", json!(sketch.human_players()));
    put("leagueid", json!(sketch.leagueid));
    put("game_mode", json!(sketch.game_mode));
    put("flags", json!(sketch.flags));
    put("engine", json!(i64::from(!sketch.trimmed())));
    put("radiant_score", json!(sketch.score(true)));
    put("dire_score", json!(sketch.score(false)));
    if let Some(teams) = &sketch.teams {
        let captain = |radiant: bool| {
            sketch
                .players
                .iter()
                .find(|player| player.is_radiant() == radiant)
                .and_then(PlayerSketch::details_account_id)
        };
        put("radiant_team_id", json!(teams.radiant_team_id));
        put("radiant_name", json!(teams.radiant_name));
        put("radiant_logo", json!(teams.radiant_logo));
        put("radiant_team_complete", json!(1));
        put("dire_team_id", json!(teams.dire_team_id));
        put("dire_name", json!(teams.dire_name));
        put("dire_logo", json!(teams.dire_logo));
        put("dire_team_complete", json!(1));
        put("radiant_captain", json!(captain(true)));
        put("dire_captain", json!(captain(false)));
    }
    object
}

fn steam_player(sketch: &MatchSketch, player: &PlayerSketch) -> Map<String, Value> {
    let mut object = Map::new();
    let mut put = |key: &str, value: Value| {
        object.insert(key.to_string(), value);
    };
    if let Some(account_id) = player.details_account_id() {
        put("account_id", json!(account_id));
    }
    put("player_slot", json!(player.player_slot));
    put("team_number", json!(u8::from(!player.is_radiant())));
    put("team_slot", json!(player.team_slot()));
    put("hero_id", json!(player.hero_id));
    if sketch.has_facets() {
        put("hero_variant", json!(player.hero_variant));
    }
    for (index, item) in player.items.iter().enumerate() {
        put(&format!("item_{index}"), json!(item));
    }
    for (index, item) in player.backpack.iter().enumerate() {
        put(&format!("backpack_{index}"), json!(item));
    }
    put("item_neutral", json!(player.item_neutral));
    if sketch.has_facets() {
        put("item_neutral2", json!(player.item_neutral2));
    }
    put("kills", json!(player.kills));
    put("deaths", json!(player.deaths));
    put("assists", json!(player.assists));
    put("leaver_status", json!(player.leaver_status));
    put("last_hits", json!(player.last_hits));
    put("denies", json!(player.denies));
    put("gold_per_min", json!(player.gold_per_min));
    put("xp_per_min", json!(player.xp_per_min));
    put("level", json!(player.level));
    put("net_worth", json!(player.net_worth));
    put("aghanims_scepter", json!(player.aghanims_scepter));
    put("aghanims_shard", json!(player.aghanims_shard));
    put("moonshard", json!(player.moonshard));
    if !sketch.trimmed() {
        put("hero_damage", json!(player.hero_damage));
        put("tower_damage", json!(player.tower_damage));
        put("hero_healing", json!(player.hero_healing));
        put("gold", json!(player.gold));
        put("gold_spent", json!(player.gold_spent));
        // Valve's "scaled" values are the raw ones scaled by game length.
        put("scaled_hero_damage", json!(player.hero_damage * 2 / 3));
        put("scaled_tower_damage", json!(player.tower_damage / 2));
        put("scaled_hero_healing", json!(player.hero_healing * 2 / 3));
        let upgrades: Vec<Value> = player
            .ability_upgrades
            .iter()
            .map(|(ability, time, level)| json!({"ability": ability, "time": time, "level": level}))
            .collect();
        put("ability_upgrades", Value::Array(upgrades));
    }
    object
}

/// A Steam body as Valve lays it out (the `bohdaq` fixtures): two spaces a
/// level, no space after a colon, and the comma after an array member on a
/// line of its own. Clients pay for this whitespace, so the simulator sends it.
pub(crate) fn valve_indented(value: &Value) -> String {
    let mut out = String::new();
    write_valve(&mut out, value, 0);
    out
}

fn write_valve(out: &mut String, value: &Value, indent: usize) {
    let pad = |out: &mut String, width: usize| out.extend(std::iter::repeat_n(' ', width));
    match value {
        Value::Object(members) if !members.is_empty() => {
            out.push_str("{\n");
            let mut after_array = false;
            for (index, (key, member)) in members.iter().enumerate() {
                if index > 0 {
                    if after_array {
                        out.push('\n');
                        pad(out, indent);
                        out.push_str(",\n");
                    } else {
                        out.push_str(",\n");
                    }
                }
                pad(out, indent + 2);
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push(':');
                write_valve(out, member, indent + 2);
                after_array = matches!(member, Value::Array(items) if !items.is_empty());
            }
            out.push('\n');
            pad(out, indent);
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(",\n");
                }
                pad(out, indent + 2);
                write_valve(out, item, indent + 2);
            }
            out.push('\n');
            pad(out, indent);
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// OpenDota's `/matches/{id}` body: computed from the Valve data like the
/// `3254426673_output` fixture (an unparsed match).
pub(crate) fn opendota_match(sketch: &MatchSketch) -> Value {
    let patch = opendota_patch(sketch.start_time);
    let region = (sketch.cluster / 10) % 20;
    let mut object = common_fields(sketch);
    let players: Vec<Value> = sketch
        .players
        .iter()
        .map(|player| opendota_player(sketch, player, patch, region))
        .collect();
    object.insert("players".into(), Value::Array(players));
    if !sketch.picks_bans.is_empty() {
        let picks_bans: Vec<Value> = sketch
            .picks_bans
            .iter()
            .map(|(is_pick, hero_id, team, order)| {
                json!({"is_pick": is_pick, "hero_id": hero_id, "team": team, "order": order})
            })
            .collect();
        object.insert("picks_bans".into(), Value::Array(picks_bans));
    } else {
        object.insert("picks_bans".into(), Value::Null);
    }
    object.insert(
        "od_data".into(),
        json!({"has_api": true, "has_gcdata": false, "has_parsed": false, "has_archive": false}),
    );
    if sketch.leagueid > 0 {
        object.insert(
            "league".into(),
            json!({"leagueid": sketch.leagueid, "ticket": null, "banner": null, "tier": "professional", "name": null}),
        );
    }
    object.insert("series_id".into(), Value::Null);
    object.insert("series_type".into(), Value::Null);
    object.insert("metadata".into(), Value::Null);
    object.insert("patch".into(), json!(patch));
    object.insert("region".into(), json!(region));
    Value::Object(object)
}

fn opendota_player(sketch: &MatchSketch, player: &PlayerSketch, patch: i64, region: i64) -> Value {
    let mut object = steam_player(sketch, player);
    // OpenDota has null for anonymous players and bots alike.
    let account_id = player
        .details_account_id()
        .filter(|id| *id != super::match_gen::ANONYMOUS_ACCOUNT_ID);
    object.insert("account_id".into(), json!(account_id));
    object.remove("team_number");
    object.remove("team_slot");
    if let Some(Value::Array(upgrades)) = object.remove("ability_upgrades") {
        let ids: Vec<Value> = upgrades
            .iter()
            .filter_map(|upgrade| upgrade.get("ability").cloned())
            .collect();
        object.insert("ability_upgrades_arr".into(), Value::Array(ids));
    }
    let won = player.is_radiant() == sketch.radiant_win;
    let minutes = (sketch.duration as f64 / 60.0).max(1.0);
    let kda = (player.kills + player.assists) as f64 / (player.deaths + 1) as f64;
    let extra = json!({
        "personaname": null,
        "name": null,
        "last_login": null,
        "rank_tier": null,
        "is_subscriber": false,
        "radiant_win": sketch.radiant_win,
        "start_time": sketch.start_time,
        "duration": sketch.duration,
        "cluster": sketch.cluster,
        "lobby_type": sketch.lobby_type,
        "game_mode": sketch.game_mode,
        "is_contributor": false,
        "patch": patch,
        "region": region,
        "isRadiant": player.is_radiant(),
        "win": i64::from(won),
        "lose": i64::from(!won),
        "total_gold": (player.gold_per_min as f64 * minutes) as i64,
        "total_xp": (player.xp_per_min as f64 * minutes) as i64,
        "kills_per_min": player.kills as f64 / minutes,
        "kda": (kda * 100.0).round() / 100.0,
        "abandons": i64::from(player.leaver_status >= 2),
    });
    if let Value::Object(extra) = extra {
        object.extend(extra);
    }
    Value::Object(object)
}

/// One row of OpenDota's `/players/{id}/matches`, as the odota-web fixture
/// shows it plus today's `average_rank` and `hero_variant`.
pub(crate) fn opendota_history_row(sketch: &MatchSketch, account_id: u32) -> Option<Value> {
    let player = sketch.player_of(account_id)?;
    Some(json!({
        "match_id": sketch.match_id,
        "player_slot": player.player_slot,
        "radiant_win": sketch.radiant_win,
        "duration": sketch.duration,
        "game_mode": sketch.game_mode,
        "lobby_type": sketch.lobby_type,
        "hero_id": player.hero_id,
        "start_time": sketch.start_time,
        "version": null,
        "kills": player.kills,
        "deaths": player.deaths,
        "assists": player.assists,
        "average_rank": null,
        "leaver_status": player.leaver_status,
        "party_size": null,
        "hero_variant": if sketch.has_facets() { json!(player.hero_variant) } else { Value::Null },
    }))
}

/// The `player_caches` columns `project=` may name; any other name is
/// dropped silently, as OpenDota drops it.
pub(crate) const PLAYER_CACHES_COLUMNS: [&str; 42] = [
    "match_id",
    "account_id",
    "player_slot",
    "radiant_win",
    "start_time",
    "duration",
    "game_mode",
    "lobby_type",
    "version",
    "cluster",
    "patch",
    "hero_id",
    "hero_variant",
    "kills",
    "deaths",
    "assists",
    "gold_per_min",
    "xp_per_min",
    "last_hits",
    "denies",
    "hero_damage",
    "tower_damage",
    "hero_healing",
    "level",
    "leaver_status",
    "party_size",
    "lane_role",
    "is_roaming",
    "average_rank",
    "item_0",
    "item_1",
    "item_2",
    "item_3",
    "item_4",
    "item_5",
    "item_neutral",
    "backpack_0",
    "backpack_1",
    "backpack_2",
    "heroes",
    "party_id",
    "skill",
];

/// What OpenDota always sends with a projection.
const ALWAYS_PROJECTED: [&str; 3] = ["match_id", "player_slot", "radiant_win"];

/// One row of `/players/{id}/matches?project=...`: `match_id`,
/// `player_slot` and `radiant_win`, then each projected `player_caches`
/// column once, in the order asked. The values are the match's own (the
/// details say the same); old trimmed matches have no damage or healing.
pub(crate) fn opendota_history_projected(
    sketch: &MatchSketch,
    account_id: u32,
    project: &[&str],
) -> Option<Value> {
    let player = sketch.player_of(account_id)?;
    let mut object = Map::new();
    for field in ALWAYS_PROJECTED.iter().chain(project) {
        if object.contains_key(*field) {
            continue;
        }
        if let Some(value) = player_cache_value(sketch, player, account_id, field) {
            object.insert((*field).to_string(), value);
        }
    }
    Some(Value::Object(object))
}

/// `field` of the player's `player_caches` row; `None`: not a column.
fn player_cache_value(
    sketch: &MatchSketch,
    player: &PlayerSketch,
    account_id: u32,
    field: &str,
) -> Option<Value> {
    let untrimmed = |value: i64| {
        if sketch.trimmed() {
            Value::Null
        } else {
            json!(value)
        }
    };
    let item = |index: usize| json!(player.items[index]);
    Some(match field {
        "match_id" => json!(sketch.match_id),
        "account_id" => json!(account_id),
        "player_slot" => json!(player.player_slot),
        "radiant_win" => json!(sketch.radiant_win),
        "start_time" => json!(sketch.start_time),
        "duration" => json!(sketch.duration),
        "game_mode" => json!(sketch.game_mode),
        "lobby_type" => json!(sketch.lobby_type),
        "cluster" => json!(sketch.cluster),
        "patch" => json!(opendota_patch(sketch.start_time)),
        "hero_id" => json!(player.hero_id),
        "hero_variant" if sketch.has_facets() => json!(player.hero_variant),
        "kills" => json!(player.kills),
        "deaths" => json!(player.deaths),
        "assists" => json!(player.assists),
        "gold_per_min" => json!(player.gold_per_min),
        "xp_per_min" => json!(player.xp_per_min),
        "last_hits" => json!(player.last_hits),
        "denies" => json!(player.denies),
        "hero_damage" => untrimmed(player.hero_damage),
        "tower_damage" => untrimmed(player.tower_damage),
        "hero_healing" => untrimmed(player.hero_healing),
        "level" => json!(player.level),
        "leaver_status" => json!(player.leaver_status),
        "item_0" => item(0),
        "item_1" => item(1),
        "item_2" => item(2),
        "item_3" => item(3),
        "item_4" => item(4),
        "item_5" => item(5),
        "item_neutral" => json!(player.item_neutral),
        "backpack_0" => json!(player.backpack[0]),
        "backpack_1" => json!(player.backpack[1]),
        "backpack_2" => json!(player.backpack[2]),
        "heroes" => heroes(sketch),
        // Columns OpenDota has and the simulator leaves empty (its parsed
        // and rank data): null, as OpenDota sends them for most matches.
        field if PLAYER_CACHES_COLUMNS.contains(&field) => Value::Null,
        _ => return None,
    })
}

/// `heroes`: the ten slots keyed by slot, each `{account_id, hero_id}`; a
/// player the details show anonymous (and a bot) has no `account_id`.
fn heroes(sketch: &MatchSketch) -> Value {
    let mut slots = Map::new();
    for player in &sketch.players {
        let mut slot = Map::new();
        if let Some(account_id) = player
            .details_account_id()
            .filter(|id| *id != super::match_gen::ANONYMOUS_ACCOUNT_ID)
        {
            slot.insert("account_id".into(), json!(account_id));
        }
        slot.insert("hero_id".into(), json!(player.hero_id));
        slots.insert(player.player_slot.to_string(), Value::Object(slot));
    }
    Value::Object(slots)
}

/// OpenDota's patch index grows by about three a year (25 was mid-2017).
fn opendota_patch(start_time: i64) -> i64 {
    const MID_2017: i64 = 1_497_000_000;
    const YEAR: i64 = 31_557_600;
    (25 + (start_time - MID_2017) * 3 / YEAR).max(0)
}

#[cfg(test)]
mod tests {
    use super::super::dataset::Dataset;
    use super::super::match_gen::{ANONYMOUS_ACCOUNT_ID, FACETS_FROM, TRIMMED_BEFORE};
    use serde_json::Value;

    fn all_matches(dataset: &Dataset) -> Vec<Value> {
        let mut ids: Vec<i64> = dataset
            .accounts()
            .iter()
            .flat_map(|account| account.match_ids.clone())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.iter()
            .filter_map(|id| dataset.match_json(*id))
            .collect()
    }

    #[test]
    fn steam_bodies_are_laid_out_like_valves() {
        let value: Value = serde_json::from_str(
            r#"{"logo":18446744073709551615,"name":"a \"b\"","players":[{"account_id":1,"hero_id":2},{"hero_id":3}],"radiant_win":false}"#,
        )
        .unwrap();
        let text = super::valve_indented(&value);
        assert_eq!(
            text,
            "{\n  \"logo\":18446744073709551615,\n  \"name\":\"a \\\"b\\\"\",\n  \"players\":[\n    {\n      \"account_id\":1,\n      \"hero_id\":2\n    },\n    {\n      \"hero_id\":3\n    }\n  ]\n,\n  \"radiant_win\":false\n}"
        );
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }

    #[test]
    fn every_match_has_ten_distinct_heroes() {
        let dataset = Dataset::generate(4, 2, 200);
        for game in all_matches(&dataset) {
            let players = game["players"].as_array().unwrap();
            assert_eq!(players.len(), 10);
            let mut heroes: Vec<i64> = players
                .iter()
                .map(|p| p["hero_id"].as_i64().unwrap())
                .collect();
            heroes.sort_unstable();
            heroes.dedup();
            assert_eq!(heroes.len(), 10);
        }
    }

    #[test]
    fn old_matches_are_trimmed_and_new_ones_complete() {
        let dataset = Dataset::generate(6, 3, 600);
        let games = all_matches(&dataset);
        let old: Vec<&Value> = games
            .iter()
            .filter(|g| g["start_time"].as_i64().unwrap() < TRIMMED_BEFORE)
            .collect();
        let newest: Vec<&Value> = games
            .iter()
            .filter(|g| g["start_time"].as_i64().unwrap() >= FACETS_FROM)
            .collect();
        assert!(!old.is_empty() && !newest.is_empty());
        for game in old {
            let player = &game["players"][0];
            assert!(player.get("hero_damage").is_none());
            assert!(player.get("ability_upgrades").is_none());
            assert!(player.get("scaled_hero_damage").is_none());
            assert_eq!(game["radiant_score"], 0);
        }
        for game in newest {
            let player = &game["players"][0];
            for field in [
                "hero_variant",
                "item_neutral2",
                "backpack_2",
                "net_worth",
                "aghanims_shard",
                "hero_damage",
                "ability_upgrades",
            ] {
                assert!(player.get(field).is_some(), "{field} missing");
            }
        }
    }

    #[test]
    fn bots_anonymous_players_and_big_logos_occur() {
        let dataset = Dataset::generate(42, 3, 1000);
        let games = all_matches(&dataset);
        let bot_games = games.iter().filter(|g| g["lobby_type"] == 4).count();
        assert!(bot_games > 10, "{bot_games} bot games");
        for game in games.iter().filter(|g| g["lobby_type"] == 4) {
            let bots = game["players"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p.get("account_id").is_none())
                .count();
            assert_eq!(bots, 5);
            assert_eq!(game["human_players"], 5);
        }
        let players: Vec<&Value> = games
            .iter()
            .flat_map(|g| g["players"].as_array().unwrap())
            .collect();
        let anonymous = players
            .iter()
            .filter(|p| p["account_id"] == u64::from(ANONYMOUS_ACCOUNT_ID))
            .count();
        let share = anonymous as f64 / players.len() as f64;
        assert!((0.1..0.3).contains(&share), "anonymous share {share}");
        let big_logo = games.iter().any(|g| {
            g["radiant_logo"]
                .as_u64()
                .is_some_and(|logo| logo > i64::MAX as u64)
        });
        assert!(big_logo);
    }

    #[test]
    fn tracked_player_is_sometimes_anonymous_in_details_only() {
        let dataset = Dataset::generate(42, 3, 1000);
        let account = &dataset.accounts()[0];
        let mut hidden = 0;
        for match_id in &account.match_ids {
            let game = dataset.match_json(*match_id).unwrap();
            let listed = game["players"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["account_id"] == account.account_id);
            if !listed {
                hidden += 1;
            }
        }
        assert!((20..100).contains(&hidden), "{hidden} of 1000 hidden");
    }

    #[test]
    fn opendota_shape_follows_the_fixture() {
        let dataset = Dataset::generate(42, 3, 100);
        let account = &dataset.accounts()[0];
        let game = dataset.opendota_match_json(account.match_ids[0]).unwrap();
        assert!(game["od_data"]["has_api"].as_bool().unwrap());
        let players = game["players"].as_array().unwrap();
        assert_eq!(players.len(), 10);
        for player in players {
            assert!(player.get("isRadiant").is_some() && player.get("win").is_some());
            assert!(
                player.get("account_id").is_some(),
                "account_id is present, maybe null"
            );
            assert_ne!(player["account_id"], u64::from(ANONYMOUS_ACCOUNT_ID));
        }
    }
}
