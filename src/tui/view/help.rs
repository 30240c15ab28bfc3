//! The help overlay: the keymap's keys and the filter's words
//! (`help_text.rs`), each entry wrapped under its text (never cut mid-word);
//! the whole scrolls with `j`/`k`, `PgDn`/`PgUp`, `g`/`G`, so it can be
//! read whole at 80x24.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::scrollbar;
use crate::tui::help_text::{self, HelpLine, KEY_WIDTH};
use crate::tui::view::theme;

pub fn render(frame: &mut Frame, area: Rect, scroll: usize) {
    let popup = help_text::popup(area);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(Span::styled(" Help ", theme::title()))
        .title_bottom(
            Line::styled(" j/k PgDn/PgUp scroll · ? or Esc close ", theme::dim()).right_aligned(),
        );
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let lines = help_text::lines(help_text::text_width(popup));
    let total = lines.len();
    let page = usize::from(inner.height);
    let scroll = scroll.min(total.saturating_sub(page));
    let text: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(page)
        .map(styled)
        .collect();
    let [text_area, bar] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Paragraph::new(text), text_area);
    if total > page {
        scrollbar::render(frame, bar, total as u64, page as u64, scroll as u64);
    }
}

fn styled(line: HelpLine) -> Line<'static> {
    match line {
        HelpLine::Heading(text) => Line::styled(text, theme::title()),
        HelpLine::Blank => Line::default(),
        HelpLine::Entry { key, text } => Line::from(vec![
            Span::styled(format!("{key:<KEY_WIDTH$}"), theme::key()),
            Span::raw(text),
        ]),
    }
}
