//! `dota-sync export`: matches, heroes or teammates of one account as CSV,
//! JSON (one array) or JSON lines, narrowed by the same filter as the TUI.
//! Reads the database only; never the network.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::failure::{EXIT_OK, Failure};
use crate::assets;
use crate::cli::{ExportArgs, ExportFormat, ExportWhat, ResultArg, SideArg, SourceArgs};
use crate::store::filter::{self, GameResult, MatchFilter, Side};
use crate::store::stats::{HeroStats, PeerStats, Statistics, StatsCache};
use crate::store::{ExportFrom, ExportMatch, Store, StoreError};

/// Every player met, however many: an export is not a screen.
const ALL_PEERS: usize = usize::MAX >> 1;

pub fn run(db: Option<PathBuf>, args: ExportArgs) -> Result<u8, Failure> {
    let resolved = super::settings::resolve(db, args.account.clone(), &SourceArgs::default())?;
    let Some(account) = resolved.account.as_deref() else {
        return Err(Failure::usage(
            "export needs an account: pass --account ID or set `account` in the config file",
        ));
    };
    let account_id = super::status::offline_account(account)?;
    let filter = filter_from(&args, chrono::Utc::now().timestamp())?;
    let store = Store::open_read_only(&resolved.db)?;
    // One question a run: the cache is filled once and never read back.
    let cache = StatsCache::default();
    let stats = Statistics::new(&store, &cache);
    let out: Box<dyn Write> = match &args.out {
        Some(path) => {
            refuse_the_database(path, &resolved.db)?;
            Box::new(create(path)?)
        }
        None => Box::new(io::stdout().lock()),
    };
    let mut writer = RowWriter::new(BufWriter::new(out), args.format);
    let result = match args.what {
        ExportWhat::Matches => store.export_matches(account_id, &filter, |m| {
            writer.row(&match_columns(&m)).map_err(ExportError::Io)
        }),
        ExportWhat::Heroes => stats
            .hero_stats(account_id, &filter)
            .map_err(ExportError::Store)
            .and_then(|rows| {
                rows.iter()
                    .try_for_each(|h| writer.row(&hero_columns(h)).map_err(ExportError::Io))
            }),
        ExportWhat::Teammates => stats
            .peer_stats(account_id, &filter, ALL_PEERS)
            .map_err(ExportError::Store)
            .and_then(|rows| {
                rows.iter()
                    .try_for_each(|p| writer.row(&peer_columns(p)).map_err(ExportError::Io))
            }),
    };
    // An export with no row still names its columns (a CSV header).
    let columns = match args.what {
        ExportWhat::Matches => match_columns(&ExportMatch::default()),
        ExportWhat::Heroes => hero_columns(&HeroStats::default()),
        ExportWhat::Teammates => peer_columns(&PeerStats::default()),
    };
    match result.and_then(|()| writer.finish(&columns).map_err(ExportError::Io)) {
        Ok(()) => Ok(EXIT_OK),
        Err(ExportError::Store(e)) => Err(Failure::from(e)),
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(ExportError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(ExportError::Io(e)) => Err(Failure::fatal(format!("cannot write the export: {e}"))),
    }
}

/// `--out` naming the database or its WAL files would truncate what it
/// exports from (and, open alongside SQLite, drop its locks): refused by
/// `stat` alone, before anything opens either.
fn refuse_the_database(out: &Path, db: &Path) -> Result<(), Failure> {
    use std::os::unix::fs::MetadataExt;
    let Ok(target) = std::fs::metadata(out) else {
        return Ok(());
    };
    let mut files = vec![db.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    let same = files.iter().any(|file| {
        std::fs::metadata(file).is_ok_and(|m| m.dev() == target.dev() && m.ino() == target.ino())
    });
    if same {
        return Err(Failure::usage(format!(
            "--out {} is the database itself; write the export to another file",
            out.display()
        )));
    }
    Ok(())
}

fn create(path: &Path) -> Result<File, Failure> {
    File::create(path).map_err(|e| {
        Failure::fatal(format!(
            "cannot create {}: {e}; check the folder exists and is writable",
            path.display()
        ))
    })
}

enum ExportError {
    Store(StoreError),
    Io(io::Error),
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> ExportError {
        ExportError::Store(e)
    }
}

/// The flags as the filter every view shares; a word it cannot read is bad
/// usage (exit 2) with one line saying what it accepts.
pub fn filter_from(args: &ExportArgs, now: i64) -> Result<MatchFilter, Failure> {
    let usage = |e: filter::FilterError| Failure::usage(e.0);
    Ok(MatchFilter {
        since: args
            .since
            .as_deref()
            .map(|d| filter::parse_day(d, now))
            .transpose()
            .map_err(usage)?,
        until: args
            .until
            .as_deref()
            .map(|d| filter::parse_until(d, now))
            .transpose()
            .map_err(usage)?,
        heroes: args
            .hero
            .as_deref()
            .map(filter::parse_hero)
            .transpose()
            .map_err(usage)?,
        lobby: args
            .lobby
            .as_deref()
            .map(filter::parse_lobby)
            .transpose()
            .map_err(usage)?,
        modes: args
            .mode
            .as_deref()
            .map(filter::parse_mode)
            .transpose()
            .map_err(usage)?,
        result: args.result.map(|r| match r {
            ResultArg::Win => GameResult::Win,
            ResultArg::Loss => GameResult::Loss,
        }),
        side: args.side.map(|s| match s {
            SideArg::Radiant => Side::Radiant,
            SideArg::Dire => Side::Dire,
        }),
        // In the match, either team, as `--with` always meant.
        met_player: args
            .with
            .as_deref()
            .map(|w| super::status::offline_account(w).map(i64::from))
            .transpose()?,
        with_player: None,
        against_player: None,
        match_id_prefix: None,
    })
}

/// One value of a row.
enum Cell {
    Int(Option<i64>),
    Float(f64),
    Text(Option<String>),
    /// Item names: a JSON array; in CSV joined by `;`.
    List(Vec<String>),
}

type Columns = Vec<(&'static str, Cell)>;

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(Some(s.into()))
}

fn match_columns(m: &ExportMatch) -> Columns {
    let date = chrono::DateTime::from_timestamp(m.start_time, 0)
        .filter(|_| m.start_time > 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let item_names = |ids: &[Option<i64>]| -> Vec<String> {
        ids.iter()
            .flatten()
            .filter(|&&id| id != 0)
            .map(|&id| assets::item_name(id).into_owned())
            .collect()
    };
    // A summary knows the mode as the details do; a bare stub does not.
    let known = m.from != ExportFrom::Stub;
    vec![
        ("match_id", Cell::Int(Some(m.match_id))),
        (
            "start_time",
            Cell::Int((m.start_time > 0).then_some(m.start_time)),
        ),
        ("date", Cell::Text(date)),
        (
            "status",
            text(match m.has_details {
                None => "stub",
                Some(true) => "detailed",
                Some(false) => "failed",
            }),
        ),
        ("hero_id", Cell::Int(m.hero_id)),
        (
            "hero",
            Cell::Text(m.hero_id.map(|h| assets::hero_name(h).into_owned())),
        ),
        (
            "side",
            Cell::Text(
                m.player_slot
                    .map(|s| if s < 128 { "radiant" } else { "dire" }.to_string()),
            ),
        ),
        (
            "result",
            Cell::Text(m.won().map(|w| if w { "win" } else { "loss" }.to_string())),
        ),
        ("kills", Cell::Int(m.kills)),
        ("deaths", Cell::Int(m.deaths)),
        ("assists", Cell::Int(m.assists)),
        ("last_hits", Cell::Int(m.last_hits)),
        ("denies", Cell::Int(m.denies)),
        ("gold_per_min", Cell::Int(m.gold_per_min)),
        ("xp_per_min", Cell::Int(m.xp_per_min)),
        ("hero_damage", Cell::Int(m.hero_damage)),
        ("tower_damage", Cell::Int(m.tower_damage)),
        ("hero_healing", Cell::Int(m.hero_healing)),
        ("level", Cell::Int(m.level)),
        ("net_worth", Cell::Int(m.net_worth)),
        ("items", Cell::List(item_names(&m.items))),
        ("backpack", Cell::List(item_names(&m.backpack))),
        (
            "neutral_item",
            Cell::Text(
                m.item_neutral
                    .filter(|&id| id != 0)
                    .map(|id| assets::item_name(id).into_owned()),
            ),
        ),
        ("duration", Cell::Int(m.duration)),
        ("game_mode", Cell::Int(m.game_mode)),
        (
            "mode",
            Cell::Text(
                m.game_mode
                    .filter(|_| known)
                    .map(|g| assets::game_mode_name(g).into_owned()),
            ),
        ),
        ("lobby_type", Cell::Int(m.lobby_type)),
        (
            "lobby",
            Cell::Text(
                m.lobby_type
                    .map(|l| assets::lobby_type_name(l).into_owned()),
            ),
        ),
        // Last, so that the columns before keep their places.
        ("from", text(m.from.as_str())),
    ]
}

fn hero_columns(h: &HeroStats) -> Columns {
    vec![
        ("hero_id", Cell::Int(Some(h.hero_id))),
        ("hero", text(assets::hero_name(h.hero_id))),
        ("games", Cell::Int(Some(h.record.games as i64))),
        ("wins", Cell::Int(Some(h.record.wins as i64))),
        ("losses", Cell::Int(Some(h.record.losses() as i64))),
        ("win_rate", Cell::Float(h.record.win_rate().unwrap_or(0.0))),
        ("kills", Cell::Float(h.kills)),
        ("deaths", Cell::Float(h.deaths)),
        ("assists", Cell::Float(h.assists)),
        ("gold_per_min", Cell::Float(h.gold_per_min)),
        ("xp_per_min", Cell::Float(h.xp_per_min)),
        ("last_played", Cell::Int(Some(h.last_played))),
        // Last, so that readers of the earlier columns by position go on.
        ("from_summaries", Cell::Int(Some(h.from_summaries as i64))),
    ]
}

fn peer_columns(p: &PeerStats) -> Columns {
    vec![
        ("account_id", Cell::Int(Some(p.account_id))),
        ("name", Cell::Text(p.name.clone())),
        ("tracked", text(if p.tracked { "yes" } else { "no" })),
        ("games_with", Cell::Int(Some(p.with.games as i64))),
        ("wins_with", Cell::Int(Some(p.with.wins as i64))),
        ("games_against", Cell::Int(Some(p.against.games as i64))),
        ("wins_against", Cell::Int(Some(p.against.wins as i64))),
        ("last_played", Cell::Int(Some(p.last_played))),
        ("from_summaries", Cell::Int(Some(p.from_summaries as i64))),
    ]
}

/// Writes rows in the chosen format; the CSV header and the JSON brackets
/// come with the first row and `finish` (which writes the header of an
/// export with no row).
struct RowWriter<W: Write> {
    out: W,
    format: ExportFormat,
    rows: u64,
}

impl<W: Write> RowWriter<W> {
    fn new(out: W, format: ExportFormat) -> RowWriter<W> {
        RowWriter {
            out,
            format,
            rows: 0,
        }
    }

    fn row(&mut self, columns: &Columns) -> io::Result<()> {
        match self.format {
            ExportFormat::Csv => {
                if self.rows == 0 {
                    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
                    writeln!(self.out, "{}", names.join(","))?;
                }
                let values: Vec<String> = columns.iter().map(|(_, c)| csv_value(c)).collect();
                writeln!(self.out, "{}", values.join(","))?;
            }
            ExportFormat::Json | ExportFormat::Jsonl => {
                if self.format == ExportFormat::Json {
                    self.out
                        .write_all(if self.rows == 0 { b"[\n" } else { b",\n" })?;
                }
                self.out.write_all(json_object(columns).as_bytes())?;
                if self.format == ExportFormat::Jsonl {
                    self.out.write_all(b"\n")?;
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn finish(mut self, columns: &Columns) -> io::Result<()> {
        if self.format == ExportFormat::Csv && self.rows == 0 {
            let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
            writeln!(self.out, "{}", names.join(","))?;
        }
        if self.format == ExportFormat::Json {
            self.out
                .write_all(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()
    }
}

/// RFC 4180: quoted when it holds a comma, a quote or a line break.
fn csv_value(cell: &Cell) -> String {
    let raw = match cell {
        Cell::Int(v) => return v.map(|v| v.to_string()).unwrap_or_default(),
        Cell::Float(v) => return format!("{v:.2}"),
        Cell::Text(v) => v.clone().unwrap_or_default(),
        Cell::List(items) => items.join(";"),
    };
    if raw.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", raw.replace('"', "\"\""))
    } else {
        raw
    }
}

/// One object with the columns in order (a map would sort them).
fn json_object(columns: &Columns) -> String {
    let mut out = String::from("{");
    for (i, (name, cell)) in columns.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let value = match cell {
            Cell::Int(v) => serde_json::to_string(v),
            Cell::Float(v) => serde_json::to_string(&((v * 100.0).round() / 100.0)),
            Cell::Text(v) => serde_json::to_string(v),
            Cell::List(v) => serde_json::to_string(v),
        }
        .unwrap_or_else(|_| "null".into());
        out.push_str(&format!("\"{name}\":{value}"));
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_it() {
        assert_eq!(csv_value(&text("Anti-Mage")), "Anti-Mage");
        assert_eq!(csv_value(&text("a,b")), "\"a,b\"");
        assert_eq!(csv_value(&text("say \"hi\"")), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_value(&Cell::Int(None)), "");
        assert_eq!(
            csv_value(&Cell::List(vec![
                "Blink Dagger".into(),
                "Black King Bar".into()
            ])),
            "Blink Dagger;Black King Bar"
        );
    }

    #[test]
    fn json_keeps_the_column_order() {
        let columns: Columns = vec![
            ("z", Cell::Int(Some(1))),
            ("a", Cell::Text(None)),
            ("m", Cell::List(vec!["x".into()])),
        ];
        assert_eq!(json_object(&columns), r#"{"z":1,"a":null,"m":["x"]}"#);
    }
}
