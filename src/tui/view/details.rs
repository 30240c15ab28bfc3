//! The details of one match: the result, then both teams, the tracked player
//! highlighted. A match without data says so and shows its attempts.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, Wrap};

use crate::assets;
use crate::source::model::is_radiant_slot;
use crate::source::stratz::CREDIT as STRATZ_CREDIT;
use crate::store::{MAX_ATTEMPTS, MatchView, PlayerRow};
use crate::tui::format::{self, Clock};
use crate::tui::state::app::{App, Details};
use crate::tui::view::theme;

pub fn render(app: &App, details: &Details, frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    let mut block = Block::bordered().title(Span::styled(
        format!(" Match {} ", details.match_id),
        theme::title(),
    ));
    // The overlay covers the sync block: a running sync stays in sight on
    // the top border, and what a key just did (`y`, `o`, `r`) on the
    // bottom one, where the eye is.
    if let Some(sync) = sync_line(app) {
        block = block.title(Line::styled(format!(" {sync} "), theme::dim()).right_aligned());
    }
    if let Some(notice) = app.sync.error.as_ref().or(app.sync.notice.as_ref()) {
        let room = usize::from(area.width.saturating_sub(4));
        block = block.title_bottom(Line::styled(
            format!(" › {} ", format::ellipsize(notice, room.saturating_sub(4))),
            theme::dim(),
        ));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let Some(view) = details.view.as_ref() else {
        frame.render_widget(Paragraph::new("This match is not in the database."), inner);
        return;
    };
    if view.has_details == Some(true) {
        render_full(app, details, view, frame, inner);
    } else {
        render_without_data(view, &app.settings.clock, frame, inner);
    }
}

/// The running sync in one line: `Fetching match details: 230/1472 ·
/// 4.2/s`, `Collecting match IDs: 400/?`, or `paused`.
fn sync_line(app: &App) -> Option<String> {
    let progress = &app.sync.progress;
    if !progress.state.is_running() {
        return None;
    }
    if progress.state == crate::sync::SyncState::Paused {
        return Some("Sync paused (p resumes)".into());
    }
    Some(if progress.fetch_started {
        format!(
            "{} · {}",
            progress.fetch_line(),
            format::rate(progress.fetch.per_second)
        )
    } else {
        progress.collect_line()
    })
}

/// Whether the team tables, `width` wide and scrolled `skip` columns,
/// leave some columns out: only then do `←`/`→` have anything to show.
pub fn columns_hidden(width: u16, skip: u16) -> bool {
    let skip = usize::from(skip).min(COLUMNS.len() - 1);
    skip > 0 || skip + shown_columns(width, skip) < COLUMNS.len()
}

/// How many columns after the hero's fit whole from `skip` on.
fn shown_columns(width: u16, skip: usize) -> usize {
    let (hero, player) = name_widths(width);
    let mut room = width.saturating_sub(hero);
    COLUMNS[skip..]
        .iter()
        .enumerate()
        .take_while(|(i, (_, w, _))| {
            let w = if skip + i == 0 { player } else { *w };
            let need = 1 + if w == 0 { MIN_ITEMS_WIDTH } else { w };
            let fits = need <= room;
            room = room.saturating_sub(need);
            fits
        })
        .count()
        .max(1)
}

/// The hero's and the player's columns: wider where the screen has room
/// for every column with them (names are cut at 16 and 10 otherwise).
fn name_widths(width: u16) -> (u16, u16) {
    if width >= WIDE_NAMES {
        (22, 20)
    } else {
        (16, COLUMNS[0].1)
    }
}

/// From this width the hero and player names get more room.
const WIDE_NAMES: u16 = 150;

fn render_without_data(view: &MatchView, clock: &Clock, frame: &mut Frame, area: Rect) {
    let mut lines = vec![
        Line::styled("No data available yet", theme::title()),
        Line::default(),
    ];
    if let Some(start) = view.start_time {
        lines.push(label_line("Played", format::when(start, clock)));
    }
    let attempts = if view.retry_count >= MAX_ATTEMPTS && view.has_details == Some(false) {
        format!(
            "{}/{MAX_ATTEMPTS} (given up; press r to try again)",
            view.retry_count
        )
    } else {
        format!("{}/{MAX_ATTEMPTS}", view.retry_count)
    };
    lines.push(label_line("Attempts so far", attempts));
    if let Some(error) = &view.fetch_error {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<17}", "Last error"), theme::dim()),
            Span::styled(format::sanitize(error), theme::failed()),
        ]));
    }
    if let Some(last) = &view.last_fetch_attempt {
        lines.push(label_line("Last attempt", format::when_text(last, clock)));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn label_line(label: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<17}"), theme::dim()),
        Span::raw(value),
    ])
}

fn render_full(app: &App, details: &Details, view: &MatchView, frame: &mut Frame, area: Rect) {
    let [summary, _, radiant, _, dire, _, tracked_items] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(6),
        Constraint::Length(1),
        Constraint::Length(6),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(fit(
            summary_line(view, &app.settings.clock, details.tracked_slot),
            usize::from(summary.width),
        )),
        summary,
    );
    let tracked = TrackedPlayer::new(app.settings.account_id, details.tracked_slot);
    let (radiant_players, dire_players): (Vec<&PlayerRow>, Vec<&PlayerRow>) = view
        .players
        .iter()
        .partition(|p| is_radiant_slot(p.player_slot));
    let outcome = |radiant_side: bool| match view.radiant_win {
        Some(win) if win == radiant_side => " victory",
        Some(_) => "",
        None => "",
    };
    frame.render_widget(
        team_table(
            format!("Radiant{}", outcome(true)),
            theme::radiant(),
            &radiant_players,
            &tracked,
            &details.names,
            usize::from(app.details.column),
            radiant.width,
        ),
        radiant,
    );
    frame.render_widget(
        team_table(
            format!("Dire{}", outcome(false)),
            theme::dire(),
            &dire_players,
            &tracked,
            &details.names,
            usize::from(app.details.column),
            dire.width,
        ),
        dire,
    );
    // The items column is cut short on narrow screens: the tracked player's
    // full inventory gets its own lines.
    let own = radiant_players
        .iter()
        .find(|p| tracked.is(p, &radiant_players))
        .or_else(|| dire_players.iter().find(|p| tracked.is(p, &dire_players)));
    if let Some(player) = own {
        let hero = player
            .hero_id
            .map_or_else(|| "-".into(), |id| assets::hero_name(id).into_owned());
        let mut spans = vec![Span::styled(
            format!("{hero} (tracked)  "),
            theme::tracked_player(),
        )];
        spans.extend(items_full(player));
        let line = Line::from(spans);
        frame.render_widget(
            Paragraph::new(line).wrap(Wrap { trim: true }),
            tracked_items,
        );
    }
}

/// `line` cut to `width` columns, ending with `…` where it was cut.
fn fit(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut left = width.saturating_sub(1);
    let mut spans = Vec::new();
    for span in line.spans {
        let len = span.content.chars().count();
        if len <= left {
            left -= len;
            spans.push(span);
            continue;
        }
        let cut: String = span.content.chars().take(left).collect();
        spans.push(Span::styled(format!("{cut}…"), span.style));
        break;
    }
    Line::from(spans)
}

/// `Radiant victory · 42:07 · All Pick · Ranked · 2024-03-01 · 35 - 28`.
/// The result is coloured as the tracked player lived it: green when
/// their side won, whichever side that was.
fn summary_line(view: &MatchView, clock: &Clock, tracked_slot: Option<i64>) -> Line<'static> {
    let sep = || Span::styled(" · ", theme::dim());
    let style = |radiant_won: bool| match tracked_slot {
        Some(slot) if is_radiant_slot(slot) == radiant_won => theme::win(),
        Some(_) => theme::loss(),
        None if radiant_won => theme::radiant(),
        None => theme::dire(),
    };
    let result = match view.radiant_win {
        Some(true) => Span::styled("Radiant victory", style(true)),
        Some(false) => Span::styled("Dire victory", style(false)),
        None => Span::styled("Result unknown", theme::dim()),
    };
    let mut spans = vec![result];
    // STRATZ's terms: its data is credited wherever it shows.
    if view.details_source.as_deref() == Some("stratz") {
        spans.push(sep());
        spans.push(Span::styled(STRATZ_CREDIT, theme::dim()));
    }
    if let Some(duration) = view.duration {
        spans.push(sep());
        spans.push(Span::raw(format::match_duration(duration)));
    }
    if let Some(mode) = view.game_mode {
        spans.push(sep());
        spans.push(Span::raw(assets::game_mode_name(mode).into_owned()));
    }
    if let Some(lobby) = view.lobby_type {
        spans.push(sep());
        spans.push(Span::raw(assets::lobby_type_name(lobby).into_owned()));
    }
    if let Some(start) = view.start_time {
        spans.push(sep());
        // Relative and in full: "3 h ago" alone hides the hour it started.
        let relative = format::when(start, clock);
        let full = format::date_time(start, clock);
        if full.starts_with(&relative) {
            spans.push(Span::raw(full));
        } else {
            spans.push(Span::raw(format!("{relative} ({full})")));
        }
    }
    // Old matches come back with both scores 0: unknown, not a 0 - 0 game.
    if let (Some(radiant), Some(dire)) = (view.radiant_score, view.dire_score)
        && (radiant, dire) != (0, 0)
    {
        spans.push(sep());
        spans.push(Span::raw(format!("score {radiant} - {dire}")));
    }
    Line::from(spans)
}

/// Who to highlight: the tracked account when the details name it, else
/// the slot phase 1 recorded (the player may be anonymous in the details).
struct TrackedPlayer {
    account_id: Option<i64>,
    slot: Option<i64>,
}

impl TrackedPlayer {
    fn new(account_id: Option<u32>, slot: Option<i64>) -> TrackedPlayer {
        TrackedPlayer {
            account_id: account_id.map(i64::from),
            slot,
        }
    }

    fn is(&self, player: &PlayerRow, team: &[&PlayerRow]) -> bool {
        let named_in_team =
            self.account_id.is_some() && team.iter().any(|p| p.account_id == self.account_id);
        if named_in_team {
            player.account_id == self.account_id
        } else {
            self.slot == Some(player.player_slot)
        }
    }
}

fn team_table(
    title: String,
    title_style: Style,
    players: &[&PlayerRow],
    tracked: &TrackedPlayer,
    names: &HashMap<i64, String>,
    skip: usize,
    width: u16,
) -> Table<'static> {
    // The hero's column stays; the others scroll sideways (`←`/`→`), and
    // only those that fit whole are shown (squeezed, they would be cut).
    let skip = skip.min(COLUMNS.len() - 1);
    let shown = shown_columns(width, skip);
    let (hero_width, player_width) = name_widths(width);
    let mut columns = COLUMNS[skip..skip + shown].to_vec();
    if skip == 0 {
        columns[0].1 = player_width;
    }
    // What the items column gets (its text ends with `…` when cut).
    let fixed: u16 = columns.iter().map(|(_, w, _)| 1 + w).sum();
    let items_width = usize::from(width.saturating_sub(hero_width + fixed));
    let widths = (hero_width, player_width);
    let mut header = vec![Cell::from(Span::styled(
        if skip > 0 {
            format!("◀{title}")
        } else {
            title
        },
        title_style,
    ))];
    header.extend(columns.iter().map(|(name, _, right)| {
        let line = Line::from(*name);
        Cell::from(if *right { line.right_aligned() } else { line })
    }));
    let rows: Vec<Row> = players
        .iter()
        .map(|p| {
            if tracked.is(p, players) {
                // The account is known even when the match hides it; the `▶`
                // marks the row without colour (NO_COLOR).
                player_row(
                    p,
                    tracked.account_id,
                    names,
                    (skip, shown),
                    widths,
                    items_width,
                )
                .style(theme::tracked_player())
            } else {
                player_row(p, None, names, (skip, shown), widths, items_width)
            }
        })
        .collect();
    let mut widths = vec![Constraint::Length(hero_width)];
    widths.extend(columns.iter().map(|(_, width, _)| match width {
        0 => Constraint::Fill(1),
        w => Constraint::Length(*w),
    }));
    Table::new(rows, widths).header(Row::new(header).style(theme::column_header()))
}

/// The items column is shown only with at least this much room.
const MIN_ITEMS_WIDTH: u16 = 16;

/// The columns after the hero's: name, width (0: the rest), right-aligned.
const COLUMNS: [(&str, u16, bool); crate::tui::state::app::DETAILS_COLUMNS as usize] = [
    ("Player", 10, false),
    ("Lvl", 3, true),
    ("K/D/A", 8, false),
    ("LH/DN", 7, true),
    ("GPM/XPM", 7, true),
    ("NW", 6, true),
    ("Dmg", 6, true),
    ("Twr", 5, true),
    ("Heal", 5, true),
    ("Items", 0, false),
];

/// `tracked`: the tracked account, for the tracked player's row; `names`:
/// the cached player names. `skip`, `shown`: the columns after the hero's
/// scrolled away, and shown.
fn player_row(
    p: &PlayerRow,
    tracked: Option<i64>,
    names: &HashMap<i64, String>,
    (skip, shown): (usize, usize),
    (hero_width, player_width): (u16, u16),
    items_width: usize,
) -> Row<'static> {
    let hero = p
        .hero_id
        .map_or_else(|| "-".into(), |id| assets::hero_name(id).into_owned());
    let hero_width = usize::from(hero_width);
    let hero = match tracked {
        Some(_) => format!("▶{}", format::ellipsize(&hero, hero_width - 1)),
        None => format::ellipsize(&hero, hero_width),
    };
    // A name where the cache has one, else the account ID, as before names.
    let player = match p.account_id.or(tracked) {
        Some(id) => names.get(&id).map_or_else(
            || id.to_string(),
            |name| format::ellipsize(name, usize::from(player_width)),
        ),
        None => "Anonymous".into(),
    };
    let kda = format!(
        "{}/{}/{}",
        format::opt(p.kills),
        format::opt(p.deaths),
        format::opt(p.assists)
    );
    let lh_dn = format!("{}/{}", format::opt(p.last_hits), format::opt(p.denies));
    let gpm_xpm = format!(
        "{}/{}",
        format::opt(p.gold_per_min),
        format::opt(p.xp_per_min)
    );
    let compact = |v: Option<i64>| v.map_or_else(|| "-".into(), format::compact);
    let right = |text: String| Cell::from(Line::from(text).right_aligned());
    let cells = [
        Cell::from(player),
        right(format::opt(p.level)),
        Cell::from(kda),
        right(lh_dn),
        right(gpm_xpm),
        right(compact(p.net_worth)),
        right(compact(p.hero_damage)),
        right(compact(p.tower_damage)),
        right(compact(p.hero_healing)),
        Cell::from(format::ellipsize(&items_short(p), items_width)),
    ];
    let mut row = vec![Cell::from(hero)];
    row.extend(cells.into_iter().skip(skip).take(shown));
    Row::new(row)
}

fn names(ids: &[Option<i64>]) -> Vec<String> {
    ids.iter()
        .flatten()
        .map(|&id| assets::item_name(id).into_owned())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The items column: inventory, then backpack and neutral item apart.
fn items_short(p: &PlayerRow) -> String {
    let mut parts = vec![names(&p.items).join(", ")];
    let backpack = names(&p.backpack);
    if !backpack.is_empty() {
        parts.push(format!("bag: {}", backpack.join(", ")));
    }
    if let Some(neutral) = names(&[p.item_neutral]).pop() {
        parts.push(format!("neutral: {neutral}"));
    }
    parts.join(" │ ")
}

/// The tracked player's items in full, each group labelled.
fn items_full(p: &PlayerRow) -> Vec<Span<'static>> {
    let group = |label: &str, names: Vec<String>| {
        let text = if names.is_empty() {
            "-".to_string()
        } else {
            names.join(", ")
        };
        [
            Span::styled(format!("{label} "), theme::dim()),
            Span::raw(text),
        ]
    };
    let mut spans = Vec::new();
    spans.extend(group("Inventory", names(&p.items)));
    spans.push(Span::styled("  ", theme::dim()));
    spans.extend(group("Backpack", names(&p.backpack)));
    spans.push(Span::styled("  ", theme::dim()));
    spans.extend(group("Neutral", names(&[p.item_neutral])));
    spans
}
