//! What the user asked for, independent of the key that asked. Keys map to
//! actions through the keymap; `App::update` turns actions into state changes
//! and engine commands.

/// The tabs, in order; each is reachable by its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Overview,
    Matches,
    Heroes,
    Teammates,
    Records,
    Errors,
    /// "When do I win?": by hour of day and day of week.
    When,
}

impl View {
    pub const ALL: [View; 7] = [
        View::Overview,
        View::Matches,
        View::Heroes,
        View::Teammates,
        View::Records,
        View::Errors,
        View::When,
    ];

    pub fn title(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Matches => "Matches",
            View::Heroes => "Heroes",
            View::Teammates => "Teammates",
            View::Records => "Records",
            View::Errors => "Errors",
            View::When => "When",
        }
    }

    /// The view with this tab number (1-based).
    pub fn numbered(n: usize) -> Option<View> {
        View::ALL.get(n.checked_sub(1)?).copied()
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
    /// Matches, heroes, teammates: sort by the next column (Matches:
    /// newest first, oldest first, duration, K/D/A, GPM).
    CycleSort,
    /// Heroes: the heroes played, with the player, against them.
    CycleHeroMode,
    /// Overview: the trend chart's next metric.
    CycleTrend,
    /// Open the selected match on OpenDota (or show its address).
    OpenInBrowser,
    /// Copy the selected match's ID to the clipboard (OSC 52).
    CopyId,
    /// A click on a tab or a list row (column, row of the screen).
    Click {
        column: u16,
        row: u16,
    },
    /// Ctrl-Z: give the terminal back to the shell until resumed.
    Suspend,
    /// Details: show the columns further left / right (narrow screens).
    ColumnsLeft,
    ColumnsRight,
}
