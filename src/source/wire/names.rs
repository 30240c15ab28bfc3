//! The player-name bodies: Steam's `GetPlayerSummaries` and OpenDota's
//! `/players/{id}`, read to the raw names (which then leave through
//! `names::clean_name`).

use serde::Deserialize;
use serde_json::Value;

use crate::source::FetchError;
use crate::steam_id::account_id_from_steam_id64;

#[derive(Deserialize)]
struct SummariesBody {
    response: SummariesResponse,
}

#[derive(Deserialize)]
struct SummariesResponse {
    /// Each entry is read on its own: one odd player must not cost the
    /// other 99 their names.
    #[serde(default)]
    players: Vec<Value>,
}

#[derive(Deserialize)]
struct PlayerSummary {
    steamid: SteamId,
    #[serde(default)]
    personaname: Option<Value>,
}

/// Steam sends SteamID64s as strings; accept a number too.
#[derive(Deserialize)]
#[serde(untagged)]
enum SteamId {
    Text(String),
    Number(u64),
}

impl SteamId {
    fn account_id(&self) -> Option<u32> {
        let id64 = match self {
            SteamId::Text(text) => text.trim().parse().ok()?,
            SteamId::Number(id) => *id,
        };
        account_id_from_steam_id64(id64)
    }
}

/// The raw `(account, personaname)` pairs of a `GetPlayerSummaries` body,
/// for the accounts in `asked` only (a server's extra players are
/// ignored). Accounts Steam does not know are simply absent.
pub fn steam_summaries(body: Value, asked: &[u32]) -> Result<Vec<(u32, String)>, FetchError> {
    let body: SummariesBody = serde_json::from_value(body).map_err(|_| FetchError::Malformed {
        reason: "player summaries without a `response` object".into(),
    })?;
    let mut found = Vec::new();
    for entry in body.response.players {
        let Ok(summary) = serde_json::from_value::<PlayerSummary>(entry) else {
            continue;
        };
        let (Some(account_id), Some(Value::String(name))) =
            (summary.steamid.account_id(), summary.personaname)
        else {
            continue;
        };
        if asked.contains(&account_id) && !found.iter().any(|(id, _)| *id == account_id) {
            found.push((account_id, name));
        }
    }
    Ok(found)
}

#[derive(Deserialize)]
struct PlayerBody {
    /// Null or absent for an account OpenDota does not know or that is private.
    #[serde(default)]
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    #[serde(default)]
    personaname: Option<Value>,
}

/// The raw personaname of an OpenDota `/players/{id}` body, if it has one.
pub fn opendota_player(body: Value) -> Result<Option<String>, FetchError> {
    if !body.is_object() {
        return Err(FetchError::Malformed {
            reason: "player answer is not a JSON object".into(),
        });
    }
    let body: PlayerBody = serde_json::from_value(body).map_err(|_| FetchError::Malformed {
        reason: "player answer with an unreadable `profile`".into(),
    })?;
    Ok(body
        .profile
        .and_then(|profile| profile.personaname)
        .and_then(|name| match name {
            Value::String(name) => Some(name),
            _ => None,
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steam_id::steam_id64_from_account_id;
    use serde_json::json;

    #[test]
    fn steam_summaries_keep_the_asked_accounts_only() {
        let id64 = |id: u32| steam_id64_from_account_id(id).to_string();
        let body = json!({"response": {"players": [
            {"steamid": id64(5), "personaname": "Five", "avatar": "x"},
            {"steamid": id64(6), "personaname": 6},
            {"steamid": "nonsense", "personaname": "Bad"},
            {"personaname": "No id"},
            "not an object",
            {"steamid": steam_id64_from_account_id(7), "personaname": "Seven"},
            {"steamid": id64(99), "personaname": "Not asked"},
            {"steamid": id64(5), "personaname": "Five again"},
        ]}});
        assert_eq!(
            steam_summaries(body, &[5, 6, 7, 8]).unwrap(),
            [(5, "Five".to_string()), (7, "Seven".to_string())]
        );
        // Nobody known: an empty list, or none at all.
        assert!(
            steam_summaries(json!({"response": {}}), &[5])
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn steam_summaries_without_a_response_are_malformed() {
        for body in [
            json!({}),
            json!([]),
            json!("garbage"),
            json!({"response": 3}),
        ] {
            assert!(
                matches!(
                    steam_summaries(body.clone(), &[5]),
                    Err(FetchError::Malformed { .. })
                ),
                "{body}"
            );
        }
    }

    #[test]
    fn opendota_profiles() {
        let known = json!({"profile": {"account_id": 5, "personaname": "Five"}, "rank_tier": 35});
        assert_eq!(opendota_player(known).unwrap().as_deref(), Some("Five"));
        for unknown in [
            json!({"profile": null}),
            json!({"rank_tier": null}),
            json!({"profile": {"personaname": null}}),
            json!({"profile": {"personaname": 12}}),
        ] {
            assert_eq!(opendota_player(unknown.clone()).unwrap(), None, "{unknown}");
        }
        for bad in [json!([]), json!("x"), json!({"profile": "x"})] {
            assert!(opendota_player(bad.clone()).is_err(), "{bad}");
        }
    }
}
