//! `dota-sync export`, `completions` and `status` on a real database file,
//! through the real binary: formats, filters, one-line errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::builders::{history_entry, match_details, ten_players};
use dota_sync::source::{HistoryEntry, MatchDetails, MatchSummary, PlayerDetails};
use dota_sync::store::Store;

const ACCOUNT: u32 = 86_745_912;

/// Four matches: 1 won on Radiant (Anti-Mage), 2 lost on Dire (Pudge), 3
/// won on Dire (Anti-Mage, with player 555), 4 a stub.
fn database(dir: &Path) -> PathBuf {
    let path = dir.join("export.db");
    let mut store = Store::open(&path).unwrap();
    let heroes = [(1, 1, 1), (2, 130, 14), (3, 129, 1), (4, 2, 11)];
    let entries: Vec<HistoryEntry> = heroes
        .iter()
        .map(|&(n, slot, hero)| history_entry(1_000 + n, n, 1_770_000_000 + n * 86_400, slot, hero))
        .collect();
    store.save_stubs(ACCOUNT, &entries).unwrap();
    for &(n, slot, hero) in &heroes[..3] {
        let players = ten_players(|_, s| PlayerDetails {
            account_id: Some(if s == slot {
                i64::from(ACCOUNT)
            } else if n == 3 && s == 0 {
                555
            } else {
                10 + s
            }),
            hero_id: Some(if s == slot { hero } else { 50 + s % 100 }),
            kills: Some(n * 3),
            deaths: Some(2),
            assists: Some(7),
            gold_per_min: Some(500),
            xp_per_min: Some(600),
            items: [Some(1), Some(116), None, None, None, None],
            ..PlayerDetails::default()
        });
        // 1 won (Radiant); 2 lost on Dire; 3 won on Dire.
        let won = n == 1 || n == 2;
        store
            .save_details(&MatchDetails {
                duration: Some(1_800),
                radiant_score: Some(10),
                ..match_details(1_000 + n, n, 1_770_000_000 + n * 86_400, won, players)
            })
            .unwrap();
    }
    path
}

fn run(dir: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dota-sync"))
        .args(args)
        .env("DOTA_SYNC_DB", db)
        .env("DOTA_SYNC_CONFIG", dir.join("config.toml"))
        .env("DOTA_SYNC_LOG", dir.join("log"))
        .env_remove("STEAM_API_KEY")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn matches_export_as_csv_with_stubs_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let account = ACCOUNT.to_string();
    let out = run(dir.path(), &db, &["export", "--account", &account]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv = stdout(&out);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "a header and four matches:\n{csv}");
    assert!(lines[0].starts_with("match_id,start_time,date,status,hero_id,hero,side,result"));
    // Newest first: the stub has its phase-1 fields and empty details.
    assert!(lines[1].starts_with("1004,"), "{csv}");
    assert!(
        lines[1].contains(",stub,11,Shadow Fiend,radiant,,"),
        "{csv}"
    );
    assert!(
        lines[2].contains(",detailed,1,Anti-Mage,dire,win,9,2,7,"),
        "{csv}"
    );
    assert!(lines[2].contains("Blink Dagger;"), "{csv}");

    let out = run(
        dir.path(),
        &db,
        &[
            "export",
            "--account",
            &account,
            "--hero",
            "am",
            "--result",
            "win",
            "--format",
            "jsonl",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r["match_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1003, 1001]);
    assert_eq!(rows[0]["items"][0], "Blink Dagger");

    let out = run(
        dir.path(),
        &db,
        &[
            "export",
            "--account",
            &account,
            "--side",
            "dire",
            "--with",
            "555",
            "--format",
            "json",
        ],
    );
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["match_id"], 1003);
}

#[test]
fn heroes_and_teammates_export_their_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let account = ACCOUNT.to_string();
    let out_file = dir.path().join("heroes.json");
    let out = run(
        dir.path(),
        &db,
        &[
            "export",
            "--account",
            &account,
            "--what",
            "heroes",
            "--format",
            "json",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "written to the file, not stdout");
    let heroes: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(heroes[0]["hero"], "Anti-Mage");
    assert_eq!(heroes[0]["games"], 2);
    assert_eq!(heroes[0]["wins"], 2);
    assert_eq!(heroes[1]["hero"], "Pudge");
    assert_eq!(heroes[1]["losses"], 1);

    let out = run(
        dir.path(),
        &db,
        &["export", "--account", &account, "--what", "teammates"],
    );
    let csv = stdout(&out);
    let mate = csv
        .lines()
        .find(|l| l.starts_with("555,"))
        .expect("player 555");
    // Radiant slot 0 while the tracked player was on Dire: against, and won.
    assert_eq!(mate, "555,,no,0,0,1,1,1770259200", "{csv}");
}

#[test]
fn bad_filters_and_missing_accounts_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let account = ACCOUNT.to_string();
    for (args, needle) in [
        (
            vec!["export", "--account", &account, "--hero", "zzz"],
            "no hero called",
        ),
        (
            vec!["export", "--account", &account, "--since", "March"],
            "YYYY-MM-DD",
        ),
        (
            vec!["export", "--account", &account, "--lobby", "nope"],
            "ranked, normal, turbo",
        ),
        (vec!["export"], "needs an account"),
    ] {
        let out = run(dir.path(), &db, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{err}");
    }
}

#[test]
fn status_and_export_use_the_configured_account_even_unquoted() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    // Another account's match, which `status` for ours must not count.
    let mut store = Store::open(&db).unwrap();
    store
        .save_stubs(
            1,
            &[HistoryEntry {
                match_id: 9,
                match_seq_num: None,
                start_time: Some(5),
                lobby_type: None,
                player_slot: Some(0),
                hero_id: Some(1),
            }],
        )
        .unwrap();
    drop(store);
    std::fs::write(
        dir.path().join("config.toml"),
        format!("account = {ACCOUNT}\n"),
    )
    .unwrap();
    let out = run(dir.path(), &db, &["status", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let status: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(status["account_id"], ACCOUNT);
    assert_eq!(status["matches"], 4);
    let out = run(dir.path(), &db, &["status", "--json", "--account", "all"]);
    let status: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(status["matches"], 5);
    let out = run(dir.path(), &db, &["export", "--what", "heroes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Anti-Mage"));
}

#[test]
fn completions_know_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(dir.path(), &db, &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for word in ["export", "status", "lobby", "format", "completions"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let out = run(dir.path(), &db, &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Issue 18, item 7: an export that keeps no row still names its columns,
/// so a script reading the CSV sees the same header as with rows.
#[test]
fn an_empty_csv_export_still_has_its_header() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let account = ACCOUNT.to_string();
    for (what, first) in [
        ("matches", "match_id,start_time,date,status,"),
        ("heroes", "hero_id,hero,games,"),
        ("teammates", "account_id,name,tracked,"),
    ] {
        let out = run(
            dir.path(),
            &db,
            &[
                "export",
                "--account",
                &account,
                "--what",
                what,
                "--hero",
                "tinker",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert_eq!(text.lines().count(), 1, "{what}: {text}");
        assert!(text.starts_with(first), "{what}: {text}");
    }
}

/// The database of [`database`], plus match 1005, a stub with a summary
/// (a Dire win on Juggernaut, 12/1/9), and a summary for match 1001 that
/// disagrees with its details (which win).
fn database_with_summaries(dir: &Path) -> PathBuf {
    let path = database(dir);
    let mut store = Store::open(&path).unwrap();
    let summary = |match_id: i64, slot: i64, hero: i64, kills: i64| MatchSummary {
        match_id,
        player_slot: Some(slot),
        radiant_win: Some(false),
        start_time: Some(1_770_000_000 + (match_id - 1_000) * 86_400),
        duration: Some(2_000),
        game_mode: Some(22),
        lobby_type: Some(7),
        hero_id: Some(hero),
        kills: Some(kills),
        deaths: Some(1),
        assists: Some(9),
        gold_per_min: Some(640),
        items: [Some(1), None, None, None, None, None],
        heroes: Some(r#"{"129":{"account_id":86745912,"hero_id":8}}"#.into()),
        ..MatchSummary::default()
    };
    let stub = history_entry(1_005, 5, 1_770_000_000 + 5 * 86_400, 129, 8);
    store
        .save_stubs_and_summaries(
            ACCOUNT,
            &[stub],
            "opendota",
            &[summary(1_005, 129, 8, 12), summary(1_001, 1, 1, 99)],
        )
        .unwrap();
    path
}

#[test]
fn every_format_says_where_each_row_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_summaries(dir.path());
    let account = ACCOUNT.to_string();
    let export = |format: &str| {
        let out = run(
            dir.path(),
            &db,
            &["export", "--account", &account, "--format", format],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let expected = [
        (1005, "summary"),
        (1004, "stub"),
        (1003, "details"),
        (1002, "details"),
        (1001, "details"),
    ];
    let check = |rows: Vec<serde_json::Value>, format: &str| {
        let got: Vec<(i64, String)> = rows
            .iter()
            .map(|r| {
                (
                    r["match_id"].as_i64().unwrap(),
                    r["from"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want: Vec<(i64, String)> = expected
            .iter()
            .map(|&(id, from)| (id, from.to_string()))
            .collect();
        assert_eq!(got, want, "{format}");
        // The summary's fields where there are no details; a stub with a
        // summary is still a stub.
        let summary = &rows[0];
        assert_eq!(summary["status"], "stub", "{format}");
        assert_eq!(
            (&summary["hero"], &summary["side"], &summary["result"]),
            (
                &serde_json::json!("Juggernaut"),
                &serde_json::json!("dire"),
                &serde_json::json!("win")
            ),
            "{format}"
        );
        assert_eq!(
            (
                &summary["kills"],
                &summary["gold_per_min"],
                &summary["duration"]
            ),
            (
                &serde_json::json!(12),
                &serde_json::json!(640),
                &serde_json::json!(2000)
            ),
            "{format}"
        );
        assert_eq!(summary["mode"], "All Draft", "{format}");
        assert_eq!(summary["items"][0], "Blink Dagger", "{format}");
        // Details win over a summary that disagrees.
        assert_eq!(rows[4]["kills"], 3, "{format}");
        assert_eq!(rows[4]["result"], "win", "{format}");
        // A bare stub knows nothing of the game.
        assert!(rows[1]["kills"].is_null() && rows[1]["result"].is_null());
    };
    let json: Vec<serde_json::Value> = serde_json::from_str(&export("json")).unwrap();
    check(json, "json");
    let jsonl = export("jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    check(jsonl, "jsonl");
    // CSV: the same, read by its header.
    let csv = export("csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"from"), "new columns go last");
    let rows = lines
        .map(|line| {
            // No field of these rows holds a comma.
            let object: serde_json::Map<String, serde_json::Value> = header
                .iter()
                .zip(line.split(','))
                .map(|(name, value)| {
                    let value = value
                        .parse::<i64>()
                        .map(serde_json::Value::from)
                        .unwrap_or_else(|_| {
                            if value.is_empty() {
                                serde_json::Value::Null
                            } else {
                                serde_json::Value::from(value)
                            }
                        });
                    (name.to_string(), value)
                })
                .collect();
            let mut object = serde_json::Value::Object(object);
            // CSV joins items with `;`: the first is what is checked.
            let first = object["items"]
                .as_str()
                .map(|items| items.split(';').next().unwrap_or_default().to_string());
            object["items"] = serde_json::json!([first]);
            object
        })
        .collect();
    check(rows, "csv");

    // The filter judges a summary's row by what it exports.
    let out = run(
        dir.path(),
        &db,
        &[
            "export",
            "--account",
            &account,
            "--result",
            "win",
            "--side",
            "dire",
            "--format",
            "jsonl",
        ],
    );
    let ids: Vec<i64> = stdout(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["match_id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids, [1005, 1003]);
}
