//! What the user asked for, independent of the key that asked. Keys map to
//! actions through the keymap; `App::update` turns actions into state changes
//! and engine commands.

/// The three list views, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Matches,
    Errors,
    Teammates,
}

impl View {
    pub const ALL: [View; 3] = [View::Matches, View::Errors, View::Teammates];

    pub fn title(self) -> &'static str {
        match self {
            View::Matches => "Matches",
            View::Errors => "Errors",
            View::Teammates => "Teammates",
        }
    }

    fn index(self) -> usize {
        View::ALL.iter().position(|&v| v == self).unwrap_or(0)
    }

    pub fn next(self) -> View {
        View::ALL[(self.index() + 1) % View::ALL.len()]
    }

    pub fn prev(self) -> View {
        View::ALL[(self.index() + View::ALL.len() - 1) % View::ALL.len()]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    StartSync,
    TogglePause,
    /// Retry the selected (or displayed) match, even one given up.
    RetrySelected,
    RetryAllFailed,
    NextView,
    PrevView,
    ShowView(View),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Mouse wheel: move by a few rows.
    ScrollUp,
    ScrollDown,
    OpenDetails,
    /// Esc: close the help or details, or clear the filter.
    Close,
    ToggleHelp,
    StartFilter,
    FilterInput(char),
    FilterBackspace,
    /// Enter while editing: keep the filter and go back to the list.
    FilterAccept,
    /// Esc while editing: drop the filter.
    FilterClear,
}
