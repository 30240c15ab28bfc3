//! Maps a request path to the endpoint it names, leniently like the real
//! servers: Steam's interface and method names in any case, version `v1`,
//! `V001` or `v0001`, with or without a trailing slash; OpenDota's paths
//! under `/api` or at the root.

use std::collections::HashMap;

use super::respond::Api;

/// A request's query parameters, by name.
pub(crate) type Query = HashMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    MatchHistory,
    MatchDetails,
    HistoryBySequence,
    ResolveVanity,
    /// `ISteamUser/GetPlayerSummaries/v2`.
    PlayerSummaries,
    /// `/players/{account_id}`: the profile, with its name.
    OdPlayer(String),
    /// `/players/{account_id}/matches`, the ID as written in the path.
    OdPlayerMatches(String),
    /// `/matches/{match_id}`.
    OdMatch(String),
    /// `/sim/stats`: not counted.
    Stats,
    Unknown,
}

impl Route {
    /// The name under which `SimStats` counts this endpoint.
    pub(crate) fn endpoint_name(&self) -> &'static str {
        match self {
            Route::MatchHistory => "GetMatchHistory",
            Route::MatchDetails => "GetMatchDetails",
            Route::HistoryBySequence => "GetMatchHistoryBySequenceNum",
            Route::ResolveVanity => "ResolveVanityURL",
            Route::PlayerSummaries => "GetPlayerSummaries",
            Route::OdPlayer(_) => "od_player",
            Route::OdPlayerMatches(_) => "od_player_matches",
            Route::OdMatch(_) => "od_match",
            Route::Stats => "sim_stats",
            Route::Unknown => "unknown",
        }
    }

    pub(crate) fn api(&self) -> Api {
        match self {
            Route::OdPlayerMatches(_) | Route::OdMatch(_) | Route::OdPlayer(_) => Api::OpenDota,
            _ => Api::Steam,
        }
    }

    /// The API under which `SimStats::by_api` counts this endpoint.
    pub(crate) fn api_name(&self) -> &'static str {
        match self {
            Route::OdPlayerMatches(_) | Route::OdMatch(_) | Route::OdPlayer(_) => "opendota",
            Route::Stats | Route::Unknown => "other",
            _ => "steam",
        }
    }

    pub(crate) fn is_opendota(&self) -> bool {
        matches!(
            self,
            Route::OdPlayerMatches(_) | Route::OdMatch(_) | Route::OdPlayer(_)
        )
    }

    pub(crate) fn is_steam(&self) -> bool {
        matches!(
            self,
            Route::MatchHistory
                | Route::MatchDetails
                | Route::HistoryBySequence
                | Route::ResolveVanity
                | Route::PlayerSummaries
        )
    }
}

pub(crate) fn route(path: &str) -> Route {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["sim", "stats"] => Route::Stats,
        [interface, method, version] if version_number(version) == Some(1) => {
            steam_route(interface, method)
        }
        // GetPlayerSummaries is the one endpoint used at version 2.
        [interface, method, version]
            if version_number(version) == Some(2)
                && interface.eq_ignore_ascii_case("ISteamUser")
                && method.eq_ignore_ascii_case("GetPlayerSummaries") =>
        {
            Route::PlayerSummaries
        }
        ["api", rest @ ..] => opendota_route(rest),
        rest => opendota_route(rest),
    }
}

/// `v1`, `V001`, `v0002`... as a number.
fn version_number(version: &str) -> Option<u32> {
    let digits = version.strip_prefix(['v', 'V'])?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn steam_route(interface: &str, method: &str) -> Route {
    let is = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    if is(interface, "IDOTA2Match_570") {
        if is(method, "GetMatchHistory") {
            return Route::MatchHistory;
        }
        if is(method, "GetMatchDetails") {
            return Route::MatchDetails;
        }
        if is(method, "GetMatchHistoryBySequenceNum") {
            return Route::HistoryBySequence;
        }
    }
    if is(interface, "ISteamUser") && is(method, "ResolveVanityURL") {
        return Route::ResolveVanity;
    }
    Route::Unknown
}

fn opendota_route(segments: &[&str]) -> Route {
    match segments {
        ["players", account_id, "matches"] => Route::OdPlayerMatches(account_id.to_string()),
        ["players", account_id] => Route::OdPlayer(account_id.to_string()),
        ["matches", match_id] => Route::OdMatch(match_id.to_string()),
        _ => Route::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steam_spellings() {
        for path in [
            "/IDOTA2Match_570/GetMatchHistory/v1/",
            "/IDOTA2Match_570/GetMatchHistory/v1",
            "/IDOTA2Match_570/GetMatchHistory/V001/",
            "/idota2match_570/getmatchhistory/v0001",
        ] {
            assert_eq!(route(path), Route::MatchHistory, "{path}");
        }
        assert_eq!(
            route("/IDOTA2Match_570/GetMatchHistory/v2/"),
            Route::Unknown
        );
        assert_eq!(
            route("/IDOTA2Match_570/GetMatchDetails/V001/"),
            Route::MatchDetails
        );
        assert_eq!(
            route("/IDOTA2Match_570/GetMatchHistoryBySequenceNum/v1/"),
            Route::HistoryBySequence
        );
        assert_eq!(
            route("/ISteamUser/ResolveVanityURL/v0001/"),
            Route::ResolveVanity
        );
        for path in [
            "/ISteamUser/GetPlayerSummaries/v2",
            "/isteamuser/getplayersummaries/V0002/",
        ] {
            assert_eq!(route(path), Route::PlayerSummaries, "{path}");
        }
        assert_eq!(route("/ISteamUser/GetPlayerSummaries/v1"), Route::Unknown);
        assert_eq!(route("/IDOTA2Match_570/GetMatchHistory/v2"), Route::Unknown);
        assert!(Route::PlayerSummaries.is_steam());
    }

    #[test]
    fn opendota_with_and_without_api_prefix() {
        assert_eq!(
            route("/api/players/123/matches"),
            Route::OdPlayerMatches("123".into())
        );
        assert_eq!(
            route("/players/123/matches/"),
            Route::OdPlayerMatches("123".into())
        );
        assert_eq!(route("/api/matches/99"), Route::OdMatch("99".into()));
        assert_eq!(route("/api/players/123"), Route::OdPlayer("123".into()));
        assert!(Route::OdPlayer("1".into()).is_opendota());
        assert_eq!(route("/matches/99"), Route::OdMatch("99".into()));
        assert_eq!(route("/sim/stats"), Route::Stats);
        assert_eq!(route("/"), Route::Unknown);
    }
}
