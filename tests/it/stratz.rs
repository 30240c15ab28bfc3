//! The STRATZ client against the simulator's `POST /graphql` (ARCHITECTURE.md,
//! "Sources and limits"): a whole history paged 100 at a time with every player's
//! line, equal to the matches the Steam endpoint serves; each fault as its
//! typed error; the rate windows kept; the token in no error.

use std::time::{Duration, Instant};

use crate::common::*;
use dota_sync::sim::{FaultPlan, SimConfig, SimServer, StratzLimits, StratzPlan};
use dota_sync::source::is_compact;
use dota_sync::source::stratz::{self, StratzClient};
use dota_sync::source::{ApiKey, FetchError, MatchSource, StratzDrop};

const TOKEN: &str = "STRATZTOKEN-0123456789abcdef";

fn with_plan(matches: usize, plan: StratzPlan) -> SimConfig {
    let faults = FaultPlan {
        stratz: plan,
        ..FaultPlan::default()
    };
    SimConfig {
        get_match_details_works: true,
        ..config(2, matches, faults)
    }
}

fn client_with(sim: &SimServer, token: &str) -> StratzClient {
    let mut config = stratz::config(Some(sim.base_url()), ApiKey::new(token).unwrap());
    config.timeout = Duration::from_secs(5);
    config.connect_timeout = Duration::from_secs(2);
    let client = StratzClient::new(&config).unwrap();
    client.reset(1_000.0);
    client
}

fn client(sim: &SimServer) -> StratzClient {
    client_with(sim, TOKEN)
}

fn graphql_calls(sim: &SimServer) -> u64 {
    sim.stats()
        .by_api
        .get("stratz")
        .map_or(0, |api| api.requests)
}

fn outcomes(sim: &SimServer, outcome: &str) -> u64 {
    sim.stats()
        .by_endpoint
        .get("graphql")
        .and_then(|outcomes| outcomes.get(outcome).copied())
        .unwrap_or(0)
}

/// The error as every place would show it, checked free of the token.
fn shown(error: &FetchError) -> String {
    let text = format!("{error} | {error:?} | {}", error.short());
    assert!(!text.contains(TOKEN), "token in {text}");
    text
}

#[tokio::test]
async fn a_whole_history_in_pages_with_every_player_equal_to_the_truth() {
    let sim = start(with_plan(2_500, StratzPlan::default())).await;
    let account = sim.dataset().accounts()[0].clone();
    let stratz = client(&sim);
    let (mut entries, mut details) = (Vec::new(), Vec::new());
    let mut skip = 0;
    loop {
        let page = stratz.page_at(account.account_id, skip).await.unwrap();
        assert_eq!(page.match_count, Some(account.match_ids.len() as i64));
        entries.extend(page.entries);
        details.extend(page.details);
        if page.listed < stratz::PAGE_SIZE {
            break;
        }
        skip += stratz::PAGE_SIZE;
    }
    // 2,500 matches: 25 full pages and the empty one that ends paging.
    assert!(graphql_calls(&sim) <= 30, "{} calls", graphql_calls(&sim));
    let listed: Vec<i64> = entries.iter().map(|entry| entry.match_id).collect();
    assert_eq!(listed, account.match_ids);
    assert_eq!(details.len(), account.match_ids.len(), "every match whole");

    // The truth: the same matches as Steam's GetMatchDetails serves them.
    let steam = steam(&sim);
    for (entry, stratz_match) in entries.iter().zip(&details).step_by(7) {
        let wanted = dota_sync::source::MatchRef {
            match_id: entry.match_id,
            match_seq_num: entry.match_seq_num,
        };
        let truth = steam.match_details(wanted).await.unwrap();
        assert_eq!(stratz_match.match_id, truth.match_id);
        assert_eq!(stratz_match.match_seq_num, truth.match_seq_num);
        assert_eq!(entry.match_seq_num, truth.match_seq_num);
        assert_eq!(stratz_match.start_time, truth.start_time);
        assert_eq!(stratz_match.duration, truth.duration);
        assert_eq!(stratz_match.game_mode, truth.game_mode);
        assert_eq!(stratz_match.lobby_type, truth.lobby_type);
        assert_eq!(stratz_match.radiant_win, truth.radiant_win);
        // Anonymous players and bots NULL on both sides.
        assert_eq!(stratz_match.players, truth.players, "{}", entry.match_id);
        let tracked = truth
            .players
            .iter()
            .find(|player| player.account_id == Some(i64::from(account.account_id)));
        if let Some(tracked) = tracked {
            assert_eq!(entry.player_slot, Some(tracked.player_slot));
            assert_eq!(entry.hero_id, tracked.hero_id);
        }
        // Enum names as sent in the raw JSON, Valve's IDs in the columns.
        let raw: serde_json::Value = serde_json::from_str(&stratz_match.raw_json).unwrap();
        let mode = raw["gameMode"].as_str().unwrap();
        assert_eq!(stratz::game_mode_id(mode), truth.game_mode);
        assert!(is_compact(&stratz_match.raw_json));
    }
    let anonymous = details
        .iter()
        .flat_map(|m| &m.players)
        .filter(|p| p.account_id.is_none())
        .count();
    assert!(anonymous > 0, "the dataset has anonymous players and bots");
}

#[tokio::test]
async fn matches_by_id_ten_a_call_with_nulls_for_what_stratz_lacks() {
    let plan = StratzPlan {
        lacks: 0.3,
        ..StratzPlan::default()
    };
    let sim = start(with_plan(40, plan)).await;
    let ids: Vec<i64> = sim.dataset().accounts()[0].match_ids[..10].to_vec();
    let stratz = client(&sim);
    let outcomes = stratz.matches(&ids).await.unwrap();
    assert_eq!(graphql_calls(&sim), 1);
    let asked: Vec<i64> = outcomes.iter().map(|(id, _)| *id).collect();
    assert_eq!(asked, ids);
    let lacked = outcomes
        .iter()
        .filter(|(_, outcome)| outcome.is_err())
        .count();
    assert!(lacked > 0 && lacked < 10, "{lacked} of 10 lacked");
    for (id, outcome) in &outcomes {
        match outcome {
            Ok(details) => {
                assert_eq!(details.match_id, *id);
                assert_eq!(details.players.len(), 10);
            }
            Err(error) => assert_eq!(
                *error,
                FetchError::MatchApi {
                    message: "STRATZ does not have this match".into()
                }
            ),
        }
    }
    // A single match the same way.
    let (id, _) = outcomes.iter().find(|(_, o)| o.is_ok()).unwrap();
    assert_eq!(stratz.one_match(*id).await.unwrap().match_id, *id);
}

#[tokio::test]
async fn the_request_contract_is_enforced_by_the_simulator() {
    let plan = StratzPlan {
        token: Some(TOKEN.into()),
        ..StratzPlan::default()
    };
    let sim = start(with_plan(20, plan)).await;
    let url = format!("{}/graphql", sim.base_url());
    let query = serde_json::json!({"query": stratz::match_query(), "variables": {"id": 1}});
    let http = reqwest::Client::new();
    let send = |content_type: Option<&str>, agent: Option<&str>, token: Option<&str>| {
        let mut request = http.post(&url).body(query.to_string());
        if let Some(value) = content_type {
            request = request.header("content-type", value);
        }
        if let Some(value) = agent {
            request = request.header("user-agent", value);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let json = Some("application/json");
    let agent = Some("dota-sync/test");
    assert_eq!(send(None, agent, Some(TOKEN)).await.unwrap().status(), 400);
    assert_eq!(send(json, None, Some(TOKEN)).await.unwrap().status(), 403);
    let wrong = send(json, agent, Some("other")).await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().contains_key("www-authenticate"));
    assert_eq!(send(json, agent, None).await.unwrap().status(), 401);
    let ok = send(json, agent, Some(TOKEN)).await.unwrap();
    assert_eq!(ok.status(), 200);
    // Only the selected fields come back.
    let body: serde_json::Value = ok.json().await.unwrap();
    assert!(body["data"].get("match").is_some(), "{body}");
    let unknown = serde_json::json!({"query": "{ match(id: 1) { id nope } }"});
    let refused = http
        .post(&url)
        .header("content-type", "application/json")
        .header("user-agent", "x")
        .bearer_auth(TOKEN)
        .body(unknown.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    // The client itself meets every rule.
    let id = sim.dataset().accounts()[0].match_ids[0];
    let one = client(&sim).one_match(id).await.unwrap();
    let raw: serde_json::Value = serde_json::from_str(&one.raw_json).unwrap();
    let fields: Vec<&str> = raw
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields.len(),
        8,
        "only the fields asked, no more: {fields:?}"
    );
}

#[tokio::test]
async fn each_fault_is_its_typed_error_and_never_shows_the_token() {
    let cases: [(StratzPlan, FetchError); 5] = [
        (
            // STRATZ lists nothing: said as for a private profile.
            StratzPlan {
                lacks: 1.0,
                ..StratzPlan::default()
            },
            FetchError::StratzUnavailable {
                reason: StratzDrop::NoProfile,
            },
        ),
        (
            StratzPlan {
                challenge: true,
                ..StratzPlan::default()
            },
            FetchError::StratzUnavailable {
                reason: StratzDrop::Challenge,
            },
        ),
        (
            StratzPlan {
                reject_token: true,
                ..StratzPlan::default()
            },
            FetchError::StratzUnavailable {
                reason: StratzDrop::TokenRejected { status: 401 },
            },
        ),
        (
            StratzPlan {
                private_player: true,
                ..StratzPlan::default()
            },
            FetchError::StratzUnavailable {
                reason: StratzDrop::NoProfile,
            },
        ),
        (
            StratzPlan {
                failed_calls: 1,
                ..StratzPlan::default()
            },
            FetchError::GraphQl {
                message: "Internal server error".into(),
            },
        ),
    ];
    for (plan, expected) in cases {
        let sim = start(with_plan(20, plan.clone())).await;
        let account = sim.dataset().accounts()[0].account_id;
        let error = client(&sim).page_at(account, 0).await.unwrap_err();
        assert_eq!(error, expected, "{plan:?}");
        shown(&error);
    }
    let challenge = FetchError::StratzUnavailable {
        reason: StratzDrop::Challenge,
    };
    assert_eq!(
        challenge.to_string(),
        "STRATZ blocked this connection with a browser check; syncing from the other sources"
    );
    // An `errors` answer is an outage of that call: the next one works.
    let sim = start(with_plan(
        20,
        StratzPlan {
            failed_calls: 1,
            ..StratzPlan::default()
        },
    ))
    .await;
    let account = sim.dataset().accounts()[0].account_id;
    let stratz = client(&sim);
    assert!(stratz.page_at(account, 0).await.unwrap_err().is_outage());
    assert_eq!(stratz.page_at(account, 0).await.unwrap().listed, 20);
    // The private account of the dataset: `"player": null` too.
    let private = sim.dataset().private_account_id();
    assert_eq!(
        stratz.page_at(private, 0).await.unwrap_err(),
        FetchError::StratzUnavailable {
            reason: StratzDrop::NoProfile
        }
    );
}

#[tokio::test]
async fn errors_naming_single_matches_fail_those_matches_only() {
    let sim = start(with_plan(30, StratzPlan::default())).await;
    let ids: Vec<i64> = sim.dataset().accounts()[0].match_ids[..10].to_vec();
    drop(sim);
    let plan = StratzPlan {
        error_matches: vec![ids[2], ids[9]],
        ..StratzPlan::default()
    };
    let sim = start(with_plan(30, plan)).await;
    let account = sim.dataset().accounts()[0].account_id;
    let stratz = client(&sim);
    let outcomes = stratz.matches(&ids).await.unwrap();
    for (at, (id, outcome)) in outcomes.iter().enumerate() {
        assert_eq!(*id, ids[at]);
        match outcome {
            Err(error @ FetchError::MatchApi { message }) => {
                assert!([2, 9].contains(&at), "{at}: {message}");
                assert!(message.contains(&id.to_string()));
                shown(error);
            }
            Ok(_) => assert!(![2, 9].contains(&at)),
            Err(other) => panic!("{other:?}"),
        }
    }
    // In a history page the named match is listed (a stub) but not whole.
    let page = stratz.page_at(account, 0).await.unwrap();
    assert_eq!(page.entries.len(), 30);
    assert_eq!(page.details.len(), 28);
    assert!(!page.details.iter().any(|d| d.match_id == ids[2]));
}

#[tokio::test]
async fn a_token_refused_batches_falls_back_to_one_match_a_call() {
    let plan = StratzPlan {
        refuse_batches: true,
        ..StratzPlan::default()
    };
    let sim = start(with_plan(20, plan)).await;
    let ids: Vec<i64> = sim.dataset().accounts()[0].match_ids[..4].to_vec();
    let stratz = client(&sim);
    let outcomes = stratz.matches(&ids).await.unwrap();
    assert!(outcomes.iter().all(|(_, outcome)| outcome.is_ok()));
    assert!(stratz.one_at_a_time());
    assert_eq!(graphql_calls(&sim), 1 + 4);
    // The rest of the run asks one a call straight away.
    stratz.matches(&ids[..2]).await.unwrap();
    assert_eq!(graphql_calls(&sim), 1 + 4 + 2);
}

#[tokio::test]
async fn the_rate_headers_hold_the_client_inside_the_windows() {
    let plan = StratzPlan {
        limits: Some(StratzLimits {
            per_second: 4,
            ..StratzLimits::default()
        }),
        ..StratzPlan::default()
    };
    let sim = start(with_plan(20, plan)).await;
    let id = sim.dataset().accounts()[0].match_ids[0];
    let stratz = client(&sim);
    let started = Instant::now();
    for _ in 0..10 {
        stratz.one_match(id).await.unwrap();
    }
    // Ten calls at four a second span at least two second boundaries.
    assert!(started.elapsed() >= Duration::from_millis(1_000));
    assert_eq!(outcomes(&sim, "429"), 0, "{:?}", sim.stats().by_endpoint);
    assert_eq!(outcomes(&sim, "ok"), 10);
}

#[tokio::test]
async fn a_429_carries_its_wait_and_a_spent_day_sends_nothing_more() {
    let plan = StratzPlan {
        limits: Some(StratzLimits {
            per_second: 100,
            per_minute: 2,
            per_hour: 100,
            per_day: 3,
        }),
        ..StratzPlan::default()
    };
    let sim = start(with_plan(20, plan)).await;
    let id = sim.dataset().accounts()[0].match_ids[0];
    client(&sim).one_match(id).await.unwrap();
    client(&sim).one_match(id).await.unwrap();
    // A client that has not seen the headers meets the 429.
    let error = client(&sim).one_match(id).await.unwrap_err();
    let FetchError::RateLimited {
        retry_after: Some(wait),
        daily: false,
    } = error
    else {
        panic!("{error:?}");
    };
    assert!(wait <= Duration::from_secs(60), "{wait:?}");

    let plan = StratzPlan {
        limits: Some(StratzLimits {
            per_day: 2,
            ..StratzLimits::default()
        }),
        ..StratzPlan::default()
    };
    let sim = start(with_plan(20, plan)).await;
    let stratz = client(&sim);
    stratz.one_match(id).await.unwrap();
    stratz.one_match(id).await.unwrap();
    // `-Day: 0` came with the second answer: the third is not sent.
    assert_eq!(
        stratz.one_match(id).await.unwrap_err(),
        FetchError::RateLimited {
            retry_after: None,
            daily: true
        }
    );
    assert_eq!(graphql_calls(&sim), 2);
}

#[tokio::test]
async fn a_history_page_fits_its_cap_and_the_token_goes_nowhere_else() {
    let sim = start(with_plan(300, StratzPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id;
    let stratz = client(&sim);
    let page = stratz.page_at(account, 100).await.unwrap();
    assert_eq!(page.listed, 100);
    let raw: usize = page.details.iter().map(|d| d.raw_json.len()).sum();
    // About half a megabyte as STRATZ sends it; far under the 8 MB cap.
    assert!(raw < 2 << 20, "{raw} bytes");
    assert!(page.details.iter().all(|d| !d.raw_json.contains(TOKEN)));
    // Only STRATZ's endpoint was asked.
    let stats = sim.stats();
    assert_eq!(stats.by_api.keys().collect::<Vec<_>>(), ["stratz"]);
}
