//! The short lists' table (Heroes, heroes with/against, Teammates, Records,
//! Errors): a header row with the sorted column marked `▼`, the rows on
//! screen, the selection, the scrollbar, and a dim line when the list is
//! empty. Each view declares its columns and builds its row cells.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{scrollbar, theme};
use crate::tui::state::short_list::ShortList;

/// One column: its title, its width, and whether it is right-aligned
/// (numbers are, so that their digits line up).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub title: &'static str,
    pub width: Constraint,
    pub right: bool,
}

impl Column {
    pub const fn left(title: &'static str, width: Constraint) -> Column {
        Column {
            title,
            width,
            right: false,
        }
    }

    pub const fn right(title: &'static str, width: Constraint) -> Column {
        Column {
            title,
            width,
            right: true,
        }
    }
}

/// How a list is drawn besides its columns.
#[derive(Debug, Clone, Copy)]
pub struct ListTable<'a> {
    pub columns: &'a [Column],
    /// The column marked as the sort order, if any.
    pub sorted: Option<usize>,
    /// Cells between columns (ratatui's default is 1).
    pub spacing: u16,
    /// The line shown instead of an empty list.
    pub empty: &'a str,
}

impl ListTable<'_> {
    /// The table area and the scrollbar's column to its right.
    pub fn areas(area: Rect) -> (Rect, Rect) {
        let [table, bar] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(area);
        (table, bar)
    }

    /// Draws `list` in `area`, a row of cells per item on screen.
    pub fn render<T>(
        &self,
        frame: &mut Frame,
        area: Rect,
        list: &ShortList<T>,
        row: impl Fn(&T) -> Row<'static>,
    ) {
        let (table_area, bar_area) = Self::areas(area);
        if list.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled(self.empty, theme::dim())),
                table_area,
            );
            return;
        }
        let header = Row::new(self.columns.iter().enumerate().map(|(i, column)| {
            let title = if self.sorted == Some(i) {
                format!("{}▼", column.title)
            } else {
                column.title.to_string()
            };
            let line = Line::from(title);
            Cell::from(if column.right {
                line.right_aligned()
            } else {
                line
            })
        }))
        .style(theme::column_header());
        let rows = list.rows[scrollbar::window(list.scroll, list.len(), table_area)]
            .iter()
            .map(row);
        let table = Table::new(rows, self.columns.iter().map(|c| c.width))
            .column_spacing(self.spacing)
            .header(header)
            .row_highlight_style(theme::selected_row())
            .highlight_symbol("▶ ");
        scrollbar::render_list(frame, table, table_area, bar_area, list.scroll, list.len());
    }
}

/// A right-aligned cell (numbers).
pub fn right(text: impl Into<Line<'static>>) -> Cell<'static> {
    Cell::from(text.into().right_aligned())
}
