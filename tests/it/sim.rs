//! The simulator over real HTTP, the way the clients will meet it.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use dota_sync::sim::{
    Dataset, DownWindow, FaultPlan, OpenDotaLimits, SimConfig, SimServer, SimStats, TokenBucket,
};
use serde_json::Value;

const STEAM_ID64_BASE: u64 = 76_561_197_960_265_728;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn get(url: &str) -> Answer {
    let response = client().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

async fn start(config: SimConfig) -> SimServer {
    SimServer::start(config).await.unwrap()
}

fn small(matches_per_account: usize) -> SimConfig {
    SimConfig {
        accounts: 2,
        matches_per_account,
        ..SimConfig::default()
    }
}

fn history_url(server: &SimServer, account: u64, start_at: Option<i64>) -> String {
    let mut url = format!(
        "{}/IDOTA2Match_570/GetMatchHistory/v1/?key=k&account_id={account}&matches_requested=100",
        server.base_url()
    );
    if let Some(start_at) = start_at {
        url.push_str(&format!("&start_at_match_id={start_at}"));
    }
    url
}

fn seq_url(server: &SimServer, seq: i64) -> String {
    format!(
        "{}/IDOTA2Match_570/GetMatchHistoryBySequenceNum/V001/?key=k&start_at_match_seq_num={seq}&matches_requested=1",
        server.base_url()
    )
}

fn match_seq_num(dataset: &Dataset, match_id: i64) -> i64 {
    dataset.match_json(match_id).unwrap()["match_seq_num"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn inclusive_paging_reaches_exactly_500_and_stops() {
    let server = start(small(650)).await;
    let account = server.dataset().accounts()[0].clone();
    assert_eq!(account.match_ids.len(), 650);

    let mut seen: Vec<i64> = Vec::new();
    let mut start_at = None;
    let mut pages = 0;
    loop {
        let page = get(&history_url(
            &server,
            u64::from(account.account_id),
            start_at,
        ))
        .await
        .json();
        let result = &page["result"];
        assert_eq!(result["status"], 1);
        assert_eq!(result["total_results"], 500);
        let ids: Vec<i64> = result["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["match_id"].as_i64().unwrap())
            .collect();
        assert_eq!(result["num_results"], ids.len());
        assert!(ids.windows(2).all(|pair| pair[0] > pair[1]), "newest first");
        if let Some(start) = start_at {
            assert!(ids[0] <= start);
        }
        seen.extend(&ids);
        pages += 1;
        assert_eq!(
            result["results_remaining"].as_u64().unwrap() as usize,
            500 - seen.len()
        );
        if result["results_remaining"] == 0 {
            break;
        }
        start_at = ids.last().map(|smallest| smallest - 1);
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(pages, 5);
    assert_eq!(seen.len(), 500);
    assert_eq!(seen, account.match_ids[..500].to_vec());

    // Inclusive: starting at a listed ID lists it again first.
    let again = get(&history_url(
        &server,
        u64::from(account.account_id),
        Some(seen[99]),
    ))
    .await
    .json();
    assert_eq!(again["result"]["matches"][0]["match_id"], seen[99]);
    // It returns seen[99..199]; 500 - 199 older ones remain.
    assert_eq!(again["result"]["results_remaining"], 500 - 199);

    // Past the cap: nothing more.
    let beyond = get(&history_url(
        &server,
        u64::from(account.account_id),
        Some(seen[499] - 1),
    ))
    .await
    .json();
    assert_eq!(beyond["result"]["num_results"], 0);
    assert_eq!(beyond["result"]["results_remaining"], 0);
}

#[tokio::test]
async fn history_entries_have_the_fixture_shape_and_accept_steam_id64() {
    let server = start(small(30)).await;
    let account = server.dataset().accounts()[0].clone();
    let page = get(&history_url(
        &server,
        STEAM_ID64_BASE + u64::from(account.account_id),
        None,
    ))
    .await
    .json();
    let first = &page["result"]["matches"][0];
    assert_eq!(first["match_id"], account.match_ids[0]);
    for field in [
        "match_seq_num",
        "start_time",
        "lobby_type",
        "radiant_team_id",
        "dire_team_id",
    ] {
        assert!(first.get(field).is_some(), "{field}");
    }
    let players = first["players"].as_array().unwrap();
    assert_eq!(players.len(), 10);
    assert!(
        players
            .iter()
            .any(|p| p["account_id"] == account.account_id)
    );
    for field in [
        "player_slot",
        "team_number",
        "team_slot",
        "hero_id",
        "hero_variant",
    ] {
        assert!(players[0].get(field).is_some(), "{field}");
    }

    let unknown = get(&history_url(&server, 12_345, None)).await.json();
    assert_eq!(unknown["result"]["status"], 1);
    assert_eq!(unknown["result"]["num_results"], 0);
}

#[tokio::test]
async fn private_account_answers_status_15() {
    let server = start(small(20)).await;
    let private = server.dataset().private_account_id();
    let answer = get(&history_url(&server, u64::from(private), None)).await;
    assert_eq!(answer.status, 200);
    let result = &answer.json()["result"];
    assert_eq!(result["status"], 15);
    assert!(
        result["statusDetail"]
            .as_str()
            .unwrap()
            .contains("hasn't allowed")
    );

    let opendota = get(&format!(
        "{}/api/players/{private}/matches?significant=0",
        server.base_url()
    ))
    .await;
    assert_eq!(opendota.json(), serde_json::json!([]));
}

#[tokio::test]
async fn wrong_or_missing_key_is_403_html() {
    let server = start(SimConfig {
        required_key: Some("right-key".into()),
        ..small(10)
    })
    .await;
    let account = server.dataset().accounts()[0].account_id;
    let base = format!(
        "{}/IDOTA2Match_570/GetMatchHistory/v1/?account_id={account}",
        server.base_url()
    );
    for url in [format!("{base}&key=wrong"), base.clone()] {
        let answer = get(&url).await;
        assert_eq!(answer.status, 403, "{url}");
        assert!(answer.body.starts_with("<html>") && answer.body.contains("Forbidden"));
        assert!(serde_json::from_str::<Value>(&answer.body).is_err());
    }
    assert_eq!(get(&format!("{base}&key=right-key")).await.status, 200);
    let with_header = client()
        .get(&base)
        .header("x-webapi-key", "right-key")
        .send()
        .await
        .unwrap();
    assert_eq!(with_header.status().as_u16(), 200);

    // Without a required key any non-empty key will do, but not none.
    let open = start(small(10)).await;
    let url = format!(
        "{}/ISteamUser/ResolveVanityURL/v1/?vanityurl=x",
        open.base_url()
    );
    assert_eq!(get(&url).await.status, 403);
    assert_eq!(get(&format!("{url}&key=anything")).await.status, 200);
}

#[tokio::test]
async fn get_match_details_fails_by_default_and_works_when_asked() {
    let server = start(small(10)).await;
    let match_id = server.dataset().accounts()[0].match_ids[0];
    let url = |server: &SimServer, id: i64| {
        format!(
            "{}/IDOTA2Match_570/GetMatchDetails/v1/?key=k&match_id={id}",
            server.base_url()
        )
    };
    let broken = get(&url(&server, match_id)).await;
    assert_eq!(broken.status, 500);
    assert_eq!(broken.body, "{}");

    let working = start(SimConfig {
        get_match_details_works: true,
        ..small(10)
    })
    .await;
    let answer = get(&url(&working, match_id)).await.json();
    assert_eq!(answer["result"]["match_id"], match_id);
    assert_eq!(
        answer["result"],
        working.dataset().match_json(match_id).unwrap()
    );
    let unknown = get(&url(&working, 1)).await.json();
    assert_eq!(unknown["result"]["error"], "Match ID not found");
}

#[tokio::test]
async fn sequence_endpoint_returns_the_asked_match() {
    let server = start(small(50)).await;
    let dataset = server.dataset();
    let match_id = dataset.accounts()[1].match_ids[17];
    let answer = get(&seq_url(&server, match_seq_num(&dataset, match_id)))
        .await
        .json();
    assert_eq!(answer["result"]["status"], 1);
    let matches = answer["result"]["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0]["match_id"], match_id);
    assert_eq!(matches[0], dataset.match_json(match_id).unwrap());

    // Several at once come in sequence order.
    let many = get(&seq_url(&server, 0).replace("matches_requested=1", "matches_requested=5"))
        .await
        .json();
    let seqs: Vec<i64> = many["result"]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["match_seq_num"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs.len(), 5);
    assert!(seqs.windows(2).all(|pair| pair[0] < pair[1]));
}

#[tokio::test]
async fn vanity_names_resolve() {
    let server = start(small(5)).await;
    let account = server.dataset().accounts()[1].clone();
    let url = format!(
        "{}/ISteamUser/ResolveVanityURL/v1/?key=k&vanityurl={}",
        server.base_url(),
        account.vanity
    );
    let answer = get(&url).await.json();
    assert_eq!(answer["response"]["success"], 1);
    let expected = (STEAM_ID64_BASE + u64::from(account.account_id)).to_string();
    assert_eq!(answer["response"]["steamid"], expected);

    let missing = get(&format!(
        "{}/ISteamUser/ResolveVanityURL/v1/?key=k&vanityurl=nobody-at-all",
        server.base_url()
    ))
    .await
    .json();
    assert_eq!(missing["response"]["success"], 42);
    assert_eq!(missing["response"]["message"], "No match");
}

/// Changed on purpose: OpenDota lacks a few matches by default (as the real
/// one does), so its list is the whole history *it has*; `ideal` has them all.
#[tokio::test]
async fn opendota_history_returns_the_whole_history_it_has() {
    let server = start(small(650)).await;
    let account = server.dataset().accounts()[0].clone();
    let has: Vec<i64> = account
        .match_ids
        .iter()
        .copied()
        .filter(|id| !server.opendota_lacks(*id))
        .collect();
    assert!(
        (600..650).contains(&has.len()),
        "a few are lacked: {}",
        has.len()
    );
    for prefix in ["/api", ""] {
        let url = format!(
            "{}{prefix}/players/{}/matches?significant=0&api_key=ignored",
            server.base_url(),
            account.account_id
        );
        let rows = get(&url).await.json();
        let rows = rows.as_array().unwrap();
        let ids: Vec<i64> = rows
            .iter()
            .map(|row| row["match_id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, has, "{prefix}");
        for field in [
            "player_slot",
            "radiant_win",
            "duration",
            "game_mode",
            "lobby_type",
            "hero_id",
            "start_time",
            "version",
            "kills",
            "deaths",
            "assists",
        ] {
            assert!(rows[0].get(field).is_some(), "{field}");
        }
    }
    let unknown = get(&format!("{}/api/players/1/matches", server.base_url())).await;
    assert_eq!(unknown.json(), serde_json::json!([]));

    let ideal = start(SimConfig {
        faults: FaultPlan::preset("ideal").unwrap(),
        ..small(650)
    })
    .await;
    let rows = get(&format!(
        "{}/api/players/{}/matches?significant=0",
        ideal.base_url(),
        account.account_id
    ))
    .await
    .json();
    assert_eq!(rows.as_array().unwrap().len(), 650);
}

#[tokio::test]
async fn a_match_opendota_lacks_is_404_there_and_served_by_steam() {
    let server = start(small(650)).await;
    let dataset = server.dataset();
    let account = dataset.accounts()[0].clone();
    let lacked: Vec<i64> = account.match_ids[..500]
        .iter()
        .copied()
        .filter(|id| server.opendota_lacks(*id))
        .collect();
    assert!(!lacked.is_empty(), "some of the newest 500 are lacked");
    for match_id in lacked {
        assert!(!dataset.is_immortal_draft(match_id));
        let missing = get(&format!("{}/api/matches/{match_id}", server.base_url())).await;
        assert_eq!(missing.status, 404);
        assert_eq!(missing.json(), serde_json::json!({"error": "Not Found"}));
        let steam = get(&seq_url(&server, match_seq_num(&dataset, match_id)))
            .await
            .json();
        assert_eq!(steam["result"]["matches"][0]["match_id"], match_id);
    }
}

#[tokio::test]
async fn the_sequence_endpoint_leaves_out_immortal_draft_and_opendota_has_them() {
    let server = start(small(600)).await;
    let dataset = server.dataset();
    let account = dataset.accounts()[0].clone();
    let immortal: Vec<i64> = account.match_ids[..500]
        .iter()
        .copied()
        .filter(|id| dataset.is_immortal_draft(*id))
        .collect();
    assert!(
        immortal.len() >= 3,
        "a 500-match history holds some: {immortal:?}"
    );
    // GetMatchHistory lists them like any other match.
    let page = get(&history_url(&server, u64::from(account.account_id), None))
        .await
        .json();
    let listed: Vec<i64> = page["result"]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["match_id"].as_i64().unwrap())
        .collect();
    for id in immortal
        .iter()
        .filter(|id| account.match_ids[..100].contains(id))
    {
        assert!(listed.contains(id), "{id} listed");
    }
    for match_id in &immortal {
        let seq = match_seq_num(&dataset, *match_id);
        let answer = get(&seq_url(&server, seq)).await.json();
        let returned = &answer["result"]["matches"][0];
        assert_ne!(returned["match_id"], *match_id, "left out");
        assert!(
            returned["match_seq_num"].as_i64().unwrap() > seq,
            "the next one instead"
        );
        assert!(!dataset.is_immortal_draft(returned["match_id"].as_i64().unwrap()));
        let opendota = get(&format!("{}/api/matches/{match_id}", server.base_url())).await;
        assert_eq!(opendota.status, 200);
        assert_eq!(opendota.json()["match_id"], *match_id);
    }

    // As before February 2026 when asked.
    let old = start(SimConfig {
        faults: FaultPlan {
            sequence_skips_immortal_draft: false,
            ..FaultPlan::default()
        },
        ..small(600)
    })
    .await;
    let seq = match_seq_num(&dataset, immortal[0]);
    let answer = get(&seq_url(&old, seq)).await.json();
    assert_eq!(answer["result"]["matches"][0]["match_id"], immortal[0]);
}

#[tokio::test]
async fn the_sequence_endpoint_has_its_own_stricter_rate() {
    let server = start(SimConfig {
        faults: FaultPlan {
            sequence_bucket: Some(TokenBucket {
                per_second: 0.2,
                burst: 1,
            }),
            ..FaultPlan::default()
        },
        ..small(20)
    })
    .await;
    let dataset = server.dataset();
    let account = dataset.accounts()[0].clone();
    let seq = match_seq_num(&dataset, account.match_ids[0]);
    assert_eq!(get(&seq_url(&server, seq)).await.status, 200);
    let limited = get(&seq_url(&server, seq)).await;
    assert_eq!(limited.status, 429);
    assert!(limited.body.starts_with("<html>"), "Steam errors are HTML");
    // The rest of Steam, and OpenDota, are not held back by it.
    for _ in 0..3 {
        let history = get(&history_url(&server, u64::from(account.account_id), None)).await;
        assert_eq!(history.status, 200);
        let opendota = get(&format!(
            "{}/api/matches/{}",
            server.base_url(),
            account.match_ids[1]
        ))
        .await;
        assert!([200, 404].contains(&opendota.status));
    }
    let stats = server.stats();
    assert_eq!(
        stats.by_endpoint["GetMatchHistoryBySequenceNum"],
        BTreeMap::from([("ok".to_string(), 1), ("429".to_string(), 1)])
    );
}

/// Sleeps until `offset_ms` into the next wall-clock window of `window_ms`.
async fn sleep_into_next_window(window_ms: u64, offset_ms: u64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let next = (now / window_ms + 1) * window_ms + offset_ms;
    tokio::time::sleep(Duration::from_millis(next - now)).await;
}

fn header(answer: &Answer, name: &str) -> Option<u32> {
    answer
        .headers
        .get(name)
        .map(|value| value.to_str().unwrap().parse().unwrap())
}

const MINUTE: &str = "x-rate-limit-remaining-minute";
const DAY: &str = "x-rate-limit-remaining-day";

#[tokio::test]
async fn opendota_counts_fixed_clock_windows_and_says_what_remains() {
    // Short windows keep the test quick; 2 s leave slack for a loaded machine.
    let window_ms = 2_000;
    let server = start(SimConfig {
        faults: FaultPlan {
            opendota_limits: Some(OpenDotaLimits {
                per_minute: 3,
                per_minute_with_key: 5,
                per_day: 100,
                window_ms,
            }),
            ..FaultPlan::default()
        },
        ..small(10)
    })
    .await;
    let account = server.dataset().accounts()[0].clone();
    let od_match = format!("{}/api/matches/{}", server.base_url(), account.match_ids[0]);
    let history = format!(
        "{}/api/players/{}/matches?significant=0",
        server.base_url(),
        account.account_id
    );
    let missing = format!("{}/api/matches/5", server.base_url());

    sleep_into_next_window(window_ms, 50).await;
    let mut seen = Vec::new();
    for url in [&od_match, &history, &missing, &od_match] {
        let answer = get(url).await;
        seen.push((answer.status, header(&answer, MINUTE), header(&answer, DAY)));
        if answer.status == 429 {
            assert_eq!(answer.json()["error"], "minute rate limit exceeded");
        }
    }
    // Every answer carries the headers, the 404 and the 429 included.
    assert_eq!(
        seen,
        [
            (200, Some(2), Some(99)),
            (200, Some(1), Some(98)),
            (404, Some(0), Some(97)),
            (429, Some(0), Some(97)),
        ]
    );
    // A key has its own, higher limit and no daily header.
    let keyed = get(&format!("{od_match}?api_key=k")).await;
    assert_eq!(
        (keyed.status, header(&keyed, MINUTE), header(&keyed, DAY)),
        (200, Some(1), None)
    );
    let bearer = client()
        .get(&od_match)
        .header("Authorization", "Bearer k")
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status().as_u16(), 200);
    assert!(bearer.headers().get(DAY).is_none());

    // The next window starts over: a fixed window, not a sliding one.
    sleep_into_next_window(window_ms, 50).await;
    let fresh = get(&od_match).await;
    assert_eq!(
        (fresh.status, header(&fresh, MINUTE), header(&fresh, DAY)),
        (200, Some(2), Some(96))
    );
    // Steam's answers carry no such headers.
    let steam = get(&history_url(&server, u64::from(account.account_id), None)).await;
    assert!(steam.headers.get(MINUTE).is_none());
}

#[tokio::test]
async fn opendota_daily_limit_stops_keyless_calls_only() {
    let server = start(SimConfig {
        faults: FaultPlan {
            opendota_limits: Some(OpenDotaLimits {
                per_day: 2,
                per_minute: 1_000,
                ..OpenDotaLimits::default()
            }),
            ..FaultPlan::default()
        },
        ..small(10)
    })
    .await;
    let account = server.dataset().accounts()[0].clone();
    let url = format!(
        "{}/api/players/{}/matches",
        server.base_url(),
        account.account_id
    );
    assert_eq!(header(&get(&url).await, DAY), Some(1));
    assert_eq!(header(&get(&url).await, DAY), Some(0));
    let spent = get(&url).await;
    assert_eq!(spent.status, 429);
    assert_eq!(spent.json()["error"], "daily api limit exceeded");
    assert_eq!(header(&spent, DAY), Some(0));
    assert_eq!(
        get(&format!("{url}?api_key=k")).await.status,
        200,
        "billed, not capped"
    );
    let steam = get(&history_url(&server, u64::from(account.account_id), None)).await;
    assert_eq!(steam.status, 200, "Steam goes on");
    assert_eq!(server.stats().by_endpoint["od_player_matches"]["daily"], 1);
}

#[tokio::test]
async fn the_today_preset_has_the_real_limits() {
    let server = start(SimConfig {
        faults: FaultPlan::preset("today").unwrap(),
        ..small(10)
    })
    .await;
    let dataset = server.dataset();
    let match_id = dataset.accounts()[0].match_ids[0];
    let answer = get(&format!("{}/api/players/1/matches", server.base_url())).await;
    assert_eq!(
        (header(&answer, MINUTE), header(&answer, DAY)),
        (Some(59), Some(2_999))
    );
    let seq = match_seq_num(&dataset, match_id);
    assert_eq!(get(&seq_url(&server, seq)).await.status, 200);
    assert_eq!(get(&seq_url(&server, seq)).await.status, 429, "one per 5 s");
    // The rest of Steam: about 5 a second.
    let account = u64::from(dataset.accounts()[0].account_id);
    let urls: Vec<String> = (0..12)
        .map(|_| history_url(&server, account, None))
        .collect();
    let answers = futures_util::future::join_all(urls.iter().map(|url| get(url))).await;
    let served = answers.iter().filter(|a| a.status == 200).count();
    assert!((1..=8).contains(&served), "{served} of 12 served");
}

#[tokio::test]
async fn the_demo_preset_caps_steam_and_paces_both_sources() {
    let server = start(SimConfig {
        faults: FaultPlan::preset("demo").unwrap(),
        ..SimConfig::default()
    })
    .await;
    let dataset = server.dataset();
    let account = dataset.accounts()[0].clone();
    let steam = get(&history_url(&server, u64::from(account.account_id), None))
        .await
        .json();
    assert_eq!(steam["result"]["total_results"], 500);
    let opendota = get(&format!(
        "{}/api/players/{}/matches?significant=0",
        server.base_url(),
        account.account_id
    ))
    .await;
    assert!(opendota.json().as_array().unwrap().len() > 500);
    assert!(header(&opendota, MINUTE).is_some() && header(&opendota, DAY).is_some());

    // Twelve at once: the sequence endpoint's bucket (5 a second, bursts of
    // 5) lets five through, and a few more only if the arrivals spread out.
    let seq = match_seq_num(&dataset, account.match_ids[3]);
    let urls: Vec<String> = (0..12).map(|_| seq_url(&server, seq)).collect();
    let answers = futures_util::future::join_all(urls.iter().map(|url| get(url))).await;
    let limited = answers.iter().filter(|a| a.status == 429).count();
    assert!((1..=7).contains(&limited), "{limited} of 12 limited");
}

#[tokio::test]
async fn opendota_match_and_its_404() {
    let server = start(small(10)).await;
    let match_id = server.dataset().accounts()[0].match_ids[3];
    let answer = get(&format!("{}/api/matches/{match_id}", server.base_url())).await;
    assert_eq!(answer.status, 200);
    let game = answer.json();
    assert_eq!(game["match_id"], match_id);
    assert_eq!(game["players"].as_array().unwrap().len(), 10);
    assert!(game["players"][0].get("isRadiant").is_some());

    let missing = get(&format!("{}/matches/5", server.base_url())).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json(), serde_json::json!({"error": "Not Found"}));
}

/// A server whose first matches of accounts[0] are scripted with `words`,
/// one word per match, and the matching match IDs.
async fn scripted(words: &[&[&str]], timeout_ms: u64) -> (SimServer, Vec<i64>) {
    let mut faults = FaultPlan {
        timeout_ms,
        ..FaultPlan::default()
    };
    for (index, script) in words.iter().enumerate() {
        faults.scripts.insert(
            format!("account0:{index}"),
            script.iter().map(|w| w.to_string()).collect(),
        );
    }
    let server = start(SimConfig {
        faults,
        ..small(20)
    })
    .await;
    let ids = server.dataset().accounts()[0].match_ids[..words.len()].to_vec();
    (server, ids)
}

#[tokio::test]
async fn script_words_on_opendota() {
    let words: &[&[&str]] = &[
        &["500", "ok"],
        &["503"],
        &["429"],
        &["429:3"],
        &["daily"],
        &["not_found"],
        &["malformed"],
        &["truncated"],
        &["wrong_match"],
        &["status2"],
    ];
    let (server, ids) = scripted(words, 100).await;
    let url = |id: i64| format!("{}/api/matches/{id}", server.base_url());

    let first = get(&url(ids[0])).await;
    assert_eq!(first.status, 500);
    assert!(first.body.starts_with("<html>"));
    assert_eq!(get(&url(ids[0])).await.status, 200);
    assert_eq!(get(&url(ids[0])).await.status, 200, "the last word repeats");

    assert_eq!(get(&url(ids[1])).await.status, 503);
    assert_eq!(get(&url(ids[1])).await.status, 503);

    let limited = get(&url(ids[2])).await;
    assert_eq!(limited.status, 429);
    assert!(limited.headers.get("retry-after").is_none());
    assert_eq!(limited.json()["error"], "minute rate limit exceeded");

    let with_retry = get(&url(ids[3])).await;
    assert_eq!(with_retry.status, 429);
    assert_eq!(with_retry.headers["retry-after"], "3");

    let daily = get(&url(ids[4])).await;
    assert_eq!(daily.status, 429);
    assert_eq!(daily.json()["error"], "daily api limit exceeded");

    for _ in 0..3 {
        let missing = get(&url(ids[5])).await;
        assert_eq!(missing.status, 404);
        assert_eq!(missing.json()["error"], "Not Found");
    }

    let malformed = get(&url(ids[6])).await;
    assert_eq!(malformed.status, 200);
    assert!(malformed.json()["players"].is_string());

    let truncated = get(&url(ids[7])).await;
    assert_eq!(truncated.status, 200);
    assert!(serde_json::from_str::<Value>(&truncated.body).is_err());
    assert!(truncated.body.starts_with('{'));

    let wrong = get(&url(ids[8])).await;
    assert_eq!(wrong.status, 200);
    assert_ne!(wrong.json()["match_id"], ids[8]);

    assert_eq!(get(&url(ids[9])).await.status, 500);
}

#[tokio::test]
async fn script_words_on_steam_sequence_endpoint() {
    let words: &[&[&str]] = &[
        &["not_found"],
        &["status2"],
        &["wrong_match"],
        &["malformed"],
        &["502", "ok"],
        &["429"],
    ];
    let (server, ids) = scripted(words, 100).await;
    let dataset = server.dataset();
    let url = |id: i64| seq_url(&server, match_seq_num(&dataset, id));

    let missing = get(&url(ids[0])).await;
    assert_eq!(missing.status, 200);
    assert_eq!(missing.json()["result"]["error"], "Match ID not found");

    let status2 = get(&url(ids[1])).await.json();
    assert_eq!(status2["result"]["status"], 2);
    assert_eq!(
        status2["result"]["statusDetail"],
        "Error retrieving match data."
    );

    let wrong = get(&url(ids[2])).await.json();
    let returned = wrong["result"]["matches"][0]["match_id"].as_i64().unwrap();
    assert_ne!(returned, ids[2]);

    let malformed = get(&url(ids[3])).await.json();
    assert!(malformed["result"]["matches"].is_object());

    let bad_gateway = get(&url(ids[4])).await;
    assert_eq!(bad_gateway.status, 502);
    assert!(bad_gateway.body.starts_with("<html>"));
    let then_ok = get(&url(ids[4])).await.json();
    assert_eq!(then_ok["result"]["matches"][0]["match_id"], ids[4]);

    let limited = get(&url(ids[5])).await;
    assert_eq!(limited.status, 429);
    assert!(limited.body.starts_with("<html>"), "Steam errors are HTML");
}

#[tokio::test]
async fn timeout_and_reset_break_the_client_side() {
    let words: &[&[&str]] = &[&["timeout"], &["reset"]];
    let (server, ids) = scripted(words, 1_500).await;
    let url = |id: i64| format!("{}/api/matches/{id}", server.base_url());

    let impatient = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = impatient.get(url(ids[0])).send().await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(started.elapsed() >= Duration::from_millis(300));

    let reset = client().get(url(ids[1])).send().await;
    let failed = match reset {
        Err(_) => true,
        Ok(response) => response.text().await.is_err(),
    };
    assert!(failed, "a reset connection must not deliver a whole body");

    let stats = server.stats();
    assert_eq!(stats.by_endpoint["od_match"]["timeout"], 1);
    assert_eq!(stats.by_endpoint["od_match"]["reset"], 1);
}

#[tokio::test]
async fn timeout_answers_504_after_timeout_ms() {
    let (server, ids) = scripted(&[&["timeout"]], 200).await;
    let started = Instant::now();
    let answer = get(&format!("{}/matches/{}", server.base_url(), ids[0])).await;
    assert_eq!(answer.status, 504);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn token_bucket_answers_429() {
    let server = start(SimConfig {
        faults: FaultPlan {
            token_bucket: Some(TokenBucket {
                per_second: 1.0,
                burst: 3,
            }),
            ..FaultPlan::default()
        },
        ..small(5)
    })
    .await;
    let match_id = server.dataset().accounts()[0].match_ids[0];
    let mut statuses = Vec::new();
    let mut last_limited = None;
    for _ in 0..6 {
        let answer = get(&format!("{}/api/matches/{match_id}", server.base_url())).await;
        statuses.push(answer.status);
        if answer.status == 429 {
            last_limited = Some(answer.json());
        }
    }
    assert_eq!(&statuses[..3], &[200, 200, 200]);
    assert!(
        statuses[3..].iter().filter(|s| **s == 429).count() >= 2,
        "{statuses:?}"
    );
    assert_eq!(last_limited.unwrap()["error"], "minute rate limit exceeded");

    // Steam is told off in HTML.
    let steam = get(&history_url(&server, 1, None)).await;
    assert_eq!(steam.status, 429);
    assert!(steam.body.starts_with("<html>"));
}

#[tokio::test]
async fn daily_quota_runs_out() {
    let server = start(SimConfig {
        faults: FaultPlan {
            daily_quota: Some(3),
            ..FaultPlan::default()
        },
        ..small(5)
    })
    .await;
    let account = server.dataset().accounts()[0].account_id;
    let url = format!("{}/api/players/{account}/matches", server.base_url());
    for _ in 0..3 {
        assert_eq!(get(&url).await.status, 200);
    }
    let spent = get(&url).await;
    assert_eq!(spent.status, 429);
    assert_eq!(spent.json()["error"], "daily api limit exceeded");
    assert_eq!(server.stats().by_endpoint["od_player_matches"]["daily"], 1);
}

#[tokio::test]
async fn down_window_answers_503_then_recovers() {
    let server = start(SimConfig {
        faults: FaultPlan {
            down: vec![DownWindow {
                start_ms: 0,
                end_ms: 400,
            }],
            ..FaultPlan::default()
        },
        ..small(5)
    })
    .await;
    let url = format!("{}/api/players/1/matches", server.base_url());
    assert_eq!(get(&url).await.status, 503);
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(get(&url).await.status, 200);
}

#[tokio::test]
async fn latency_delays_every_request() {
    let server = start(SimConfig {
        faults: FaultPlan {
            latency_ms: Some([80, 100]),
            ..FaultPlan::default()
        },
        ..small(5)
    })
    .await;
    let started = Instant::now();
    get(&format!("{}/api/players/1/matches", server.base_url())).await;
    assert!(started.elapsed() >= Duration::from_millis(80));
}

#[tokio::test]
async fn random_faults_are_reproducible() {
    let plan = FaultPlan {
        seed: 5,
        server_error: 0.3,
        malformed: 0.2,
        ..FaultPlan::default()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        let server = start(SimConfig {
            faults: plan.clone(),
            ..small(30)
        })
        .await;
        let mut statuses = Vec::new();
        for match_id in server.dataset().accounts()[0].match_ids.clone() {
            let answer = get(&format!("{}/api/matches/{match_id}", server.base_url())).await;
            statuses.push((answer.status, answer.body.len()));
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    let failures = runs[0].iter().filter(|(status, _)| *status != 200).count();
    assert!((3..20).contains(&failures), "{failures} of 30 failed");
}

#[tokio::test]
async fn stats_count_outcomes_and_the_peak_second() {
    let server = start(small(10)).await;
    let dataset = server.dataset();
    let account = dataset.accounts()[0].account_id;
    let match_id = dataset.accounts()[0].match_ids[0];
    // Five requests at once, well inside one second.
    let urls = [
        history_url(&server, u64::from(account), None),
        history_url(&server, u64::from(dataset.private_account_id()), None),
        format!(
            "{}/IDOTA2Match_570/GetMatchDetails/v1/?key=k&match_id={match_id}",
            server.base_url()
        ),
        format!("{}/api/matches/{match_id}", server.base_url()),
        format!(
            "{}/IDOTA2Match_570/GetMatchHistory/v1/?account_id={account}",
            server.base_url()
        ),
    ];
    let answers = futures_util::future::join_all(urls.iter().map(|url| get(url))).await;
    assert_eq!(answers.len(), 5);

    let stats = server.stats();
    assert_eq!(stats.total, 5);
    assert_eq!(stats.peak_per_second, 5);
    assert_eq!(stats.by_endpoint["GetMatchHistory"]["ok"], 1);
    assert_eq!(stats.by_endpoint["GetMatchHistory"]["private"], 1);
    assert_eq!(stats.by_endpoint["GetMatchHistory"]["403"], 1);
    assert_eq!(stats.by_endpoint["GetMatchDetails"]["500"], 1);
    assert_eq!(stats.by_endpoint["od_match"]["ok"], 1);
    // Per API and per endpoint, so that a test can see each source busy.
    assert_eq!(stats.by_api["steam"].requests, 4);
    assert_eq!(stats.by_api["opendota"].requests, 1);
    assert_eq!(stats.by_api["steam"].peak_per_second, 4);
    assert_eq!(stats.peak_per_second_by_endpoint["GetMatchHistory"], 3);
    assert_eq!(stats.peak_per_second_by_endpoint["od_match"], 1);

    // Served as JSON, and reading it is not counted.
    let served: SimStats =
        serde_json::from_str(&get(&format!("{}/sim/stats", server.base_url())).await.body).unwrap();
    assert_eq!(served, stats);
    assert_eq!(server.stats().total, 5);

    // A second later the window has moved on: the peak stays, it does not grow.
    tokio::time::sleep(Duration::from_millis(1_050)).await;
    get(&format!("{}/api/matches/{match_id}", server.base_url())).await;
    let later = server.stats();
    assert_eq!(later.total, 6);
    assert_eq!(later.peak_per_second, 5);
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let server = start(small(5)).await;
    let url = format!("{}/api/players/1/matches", server.base_url());
    assert_eq!(get(&url).await.status, 200);
    server.shutdown().await;
    let fresh = reqwest::Client::builder().no_proxy().build().unwrap();
    assert!(fresh.get(&url).send().await.is_err());
}

#[test]
fn datasets_from_the_same_seed_are_equal() {
    let first = Dataset::generate(42, 3, 300);
    let second = Dataset::generate(42, 3, 300);
    assert_eq!(first, second);
    let match_id = first.accounts()[0].match_ids[10];
    assert_eq!(first.match_json(match_id), second.match_json(match_id));
    assert_eq!(
        first.opendota_match_json(match_id),
        second.opendota_match_json(match_id)
    );
    assert_ne!(
        Dataset::generate(43, 3, 300).accounts()[0].account_id,
        first.accounts()[0].account_id
    );
    let counts: BTreeMap<u32, usize> = first
        .accounts()
        .iter()
        .map(|a| {
            (
                a.account_id,
                a.match_ids.iter().collect::<HashSet<_>>().len(),
            )
        })
        .collect();
    assert!(counts.values().all(|count| *count == 300));
}

#[tokio::test]
async fn demo_preset_has_matches_that_never_resolve() {
    let server = start(SimConfig {
        faults: FaultPlan::preset("demo").unwrap(),
        ..SimConfig::default()
    })
    .await;
    let dataset = server.dataset();
    let account = &dataset.accounts()[0];
    let mut never = 0;
    for nth in [7, 301] {
        let url = format!(
            "{}/api/matches/{}",
            server.base_url(),
            account.match_ids[nth]
        );
        let statuses = [get(&url).await.status, get(&url).await.status];
        if statuses == [404, 404] {
            never += 1;
        }
    }
    assert_eq!(never, 2);
    let stats = server.stats();
    assert_eq!(stats.by_endpoint["od_match"]["not_found"], 4);
}
