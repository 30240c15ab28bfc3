//! The help overlay, generated from the keymap so it cannot go stale, then
//! the filter's words. Each entry wraps under its text (never cut mid-word)
//! and the whole scrolls with `j`/`k`, `PgDn`/`PgUp`, `g`/`G`, so it can be
//! read whole at 80x24.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::scrollbar;
use crate::tui::input::keymap::{KEYMAP, Scope};
use crate::tui::layout::centered;
use crate::tui::view::theme;

/// The widest the overlay gets: wider lines are harder to read.
const MAX_WIDTH: u16 = 100;
/// The key column.
const KEY_WIDTH: usize = 12;

/// The filter's words (`store/filter.rs`, `parse_query`), for the help.
const FILTER_WORDS: &[(&str, &str)] = &[
    (
        "hero:NAME",
        "a hero by name or short name: hero:am, hero:shadow_fiend (h:)",
    ),
    (
        "lobby:NAME",
        "a lobby type: lobby:ranked, lobby:normal (l:)",
    ),
    (
        "mode:NAME",
        "a game mode: mode:turbo, mode:ap, mode:cm (m:)",
    ),
    (
        "since:WHEN",
        "from a day YYYY-MM-DD (UTC) or a span back: since:30d, 12w, 1y (from:)",
    ),
    (
        "until:WHEN",
        "up to that day, included, or that span back (to:)",
    ),
    (
        "result:WIN",
        "result:win or result:loss; or the words win, loss",
    ),
    (
        "side:SIDE",
        "side:radiant or side:dire; or the words radiant, dire",
    ),
    (
        "with:ID",
        "the games with a player on your team, by account ID (Teammates, Enter)",
    ),
    (
        "against:ID",
        "the games with a player on the other team (vs:)",
    ),
    ("ranked", "ranked or turbo alone: that lobby type"),
    (
        "NUMBER",
        "a match ID starting with it; other words name a hero",
    ),
];

/// The overlay's rectangle on a screen of `area`.
pub fn popup(area: Rect) -> Rect {
    centered(area, MAX_WIDTH.min(area.width), area.height)
}

/// The help's lines for an overlay `width` wide (borders excluded).
pub fn lines(width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let mut lines = vec![Line::styled("Keys", theme::title())];
    for b in KEYMAP.iter().filter(|b| b.scope != Scope::Filter) {
        let text = format!("{} ({})", b.help, scope_text(b.scope));
        lines.extend(entry(b.label, &text, width));
    }
    // The filter's own keys, on one line: letters there are text, not commands.
    let filter_keys: Vec<String> = KEYMAP
        .iter()
        .filter(|b| b.scope == Scope::Filter && b.hint.is_some())
        .map(|b| format!("{} {}", b.label, b.hint.unwrap_or_default()))
        .collect();
    lines.extend(entry(
        "typing",
        &format!("In the filter: {}", filter_keys.join(", ")),
        width,
    ));
    lines.push(Line::default());
    lines.push(Line::styled(
        "Filter words (after /, several at once, every view follows)",
        theme::title(),
    ));
    for (word, text) in FILTER_WORDS {
        lines.extend(entry(word, text, width));
    }
    lines
}

/// How many rows the help takes at this screen size.
pub fn line_count(area: Rect) -> usize {
    lines(popup(area).width.saturating_sub(2)).len()
}

pub fn render(frame: &mut Frame, area: Rect, scroll: usize) {
    let popup = popup(area);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(Span::styled(" Help ", theme::title()))
        .title_bottom(
            Line::styled(" j/k PgDn/PgUp scroll · ? or Esc close ", theme::dim()).right_aligned(),
        );
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let lines = lines(inner.width.saturating_sub(1));
    let total = lines.len();
    let page = usize::from(inner.height);
    let scroll = scroll.min(total.saturating_sub(page));
    let text: Vec<Line> = lines.into_iter().skip(scroll).take(page).collect();
    let [text_area, bar] = ratatui::layout::Layout::horizontal([
        ratatui::layout::Constraint::Min(0),
        ratatui::layout::Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(text), text_area);
    if total > page {
        scrollbar::render(frame, bar, total as u64, page as u64, scroll as u64);
    }
}

/// One entry: the key, then its text wrapped at word boundaries, each
/// further line indented under the text.
fn entry(key: &str, text: &str, width: usize) -> Vec<Line<'static>> {
    let room = width.saturating_sub(KEY_WIDTH).max(10);
    wrap(text, room)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let key = if i == 0 { key } else { "" };
            Line::from(vec![
                Span::styled(format!("{key:<KEY_WIDTH$}"), theme::key()),
                Span::raw(part),
            ])
        })
        .collect()
}

/// `text` in lines of at most `width` characters, broken between words
/// (a word longer than a line is broken where it must be).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let len = line.chars().count();
        let word_len = word.chars().count();
        if len > 0 && len + 1 + word_len > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            line = line.chars().skip(width).collect();
            lines.push(head);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn scope_text(scope: Scope) -> &'static str {
    match scope {
        Scope::Always => "everywhere",
        Scope::Lists => "lists",
        Scope::Sortable => "matches, heroes, teammates",
        Scope::HeroesOnly => "heroes",
        Scope::OverviewOnly => "overview",
        Scope::MatchLists => "match lists",
        Scope::DrillLists => "heroes, teammates",
        Scope::DetailsOnly => "details",
        Scope::ListsAndDetails => "lists, details",
        Scope::MatchListsAndDetails => "match lists, details",
        Scope::Closing => "overlays",
        Scope::HelpOnly => "help",
        Scope::Filter => "filter",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_and_keeps_every_word() {
        let text = "Filter every view (hero:am lobby:ranked since:30d win dire with:ID)";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }
}
