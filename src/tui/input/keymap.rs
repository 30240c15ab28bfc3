//! The keymap is data: one table of keys, action, help text and the contexts
//! where the binding applies. The help overlay and the hint bar are generated
//! from it, so they cannot drift from what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::input::action::{Action, View};

/// Where the user is: decides which bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    List(View),
    Details,
    Help,
    /// Typing into the filter.
    Filter,
    /// No account configured yet.
    FirstRun,
}

/// One key: a code and its modifiers (Shift is carried by the character
/// itself, so it is ignored for `Char` keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            modifiers: KeyModifiers::NONE,
        }
    }

    const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::CONTROL,
        }
    }

    fn matches(&self, event: &KeyEvent) -> bool {
        let ignored = match event.code {
            // Shift is in the character (`G`) or the code (`BackTab`).
            KeyCode::Char(_) | KeyCode::BackTab => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        self.code == event.code && self.modifiers == event.modifiers.difference(ignored)
    }
}

/// Which contexts a binding applies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere but while typing a filter (where letters are text).
    Always,
    /// The three list views.
    Lists,
    /// The views with a sort key (matches, heroes, teammates).
    Sortable,
    /// The heroes view only.
    HeroesOnly,
    /// The overview only.
    OverviewOnly,
    /// The views whose rows are matches (matches, records, errors).
    MatchLists,
    /// The views whose rows lead to matches (heroes, teammates).
    DrillLists,
    /// The details of a match.
    DetailsOnly,
    /// The lists and the details of a match.
    ListsAndDetails,
    /// The match lists and the details of a match.
    MatchListsAndDetails,
    /// Closing things: details, help, a kept filter.
    Closing,
    /// The help overlay (it scrolls).
    HelpOnly,
    /// While typing a filter.
    Filter,
}

impl Scope {
    pub fn applies(self, context: Context) -> bool {
        use Context as C;
        match self {
            Scope::Always => !matches!(context, C::Filter | C::FirstRun),
            Scope::Lists => matches!(context, C::List(_)),
            Scope::Sortable => matches!(
                context,
                C::List(View::Matches | View::Heroes | View::Teammates)
            ),
            Scope::HeroesOnly => context == C::List(View::Heroes),
            Scope::OverviewOnly => context == C::List(View::Overview),
            Scope::MatchLists => matches!(
                context,
                C::List(View::Matches | View::Errors | View::Records)
            ),
            Scope::DrillLists => matches!(context, C::List(View::Heroes | View::Teammates)),
            Scope::DetailsOnly => context == C::Details,
            Scope::ListsAndDetails => matches!(context, C::List(_) | C::Details),
            Scope::MatchListsAndDetails => matches!(
                context,
                C::List(View::Matches | View::Errors | View::Records) | C::Details
            ),
            Scope::Closing => matches!(context, C::Details | C::Help | C::List(_)),
            Scope::HelpOnly => context == C::Help,
            Scope::Filter => context == C::Filter,
        }
    }
}

/// One row of the keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    /// How the keys are written in the help and the hint bar.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// Short text for the hint bar; `None`: help overlay only.
    pub hint: Option<&'static str>,
    pub scope: Scope,
}

const fn bind(
    keys: &'static [Key],
    label: &'static str,
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
    scope: Scope,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        help,
        hint,
        scope,
    }
}

use KeyCode as K;

/// Every binding, in the order the help overlay lists them. The first match wins.
#[rustfmt::skip]
pub static KEYMAP: &[Binding] = &[
    bind(&[Key::ctrl('c')], "Ctrl-C", Action::Quit, "Quit (stops the sync cleanly)", None, Scope::Filter),
    bind(&[Key::plain(K::Esc)], "Esc", Action::FilterClear, "Clear the filter", Some("clear"), Scope::Filter),
    bind(&[Key::plain(K::Enter)], "Enter", Action::FilterAccept, "Keep the filter", Some("keep"), Scope::Filter),
    bind(&[Key::plain(K::Backspace)], "Backspace", Action::FilterBackspace, "Delete a character", None, Scope::Filter),
    bind(&[Key::ch('q'), Key::ctrl('c')], "q/Ctrl-C", Action::Quit, "Quit (stops the sync cleanly)", Some("quit"), Scope::Always),
    bind(&[Key::ch('?')], "?", Action::ToggleHelp, "Show or hide this help", Some("help"), Scope::Always),
    bind(&[Key::plain(K::Esc)], "Esc", Action::Close, "Close details or help, clear the filter", Some("close"), Scope::Closing),
    bind(&[Key::plain(K::Right), Key::ch('l')], "→/l", Action::ColumnsRight, "Details: the columns further right", Some("columns"), Scope::DetailsOnly),
    bind(&[Key::plain(K::Left), Key::ch('h')], "←/h", Action::ColumnsLeft, "Details: the columns further left", None, Scope::DetailsOnly),
    bind(&[Key::plain(K::Enter)], "Enter", Action::OpenDetails, "Details of the selected match", Some("details"), Scope::MatchLists),
    bind(&[Key::plain(K::Enter)], "Enter", Action::OpenDetails, "The matches with the selected hero or player", Some("matches"), Scope::DrillLists),
    bind(&[Key::ch('/')], "/", Action::StartFilter, "Filter every view (hero:am lobby:ranked since:30d win dire with:ID)", Some("filter"), Scope::Lists),
    bind(&[Key::ch('c')], "c", Action::CycleSort, "Sort by the next column", Some("sort"), Scope::Sortable),
    bind(&[Key::ch('t')], "t", Action::CycleTrend, "Trend chart: win rate, K/D/A, GPM, XPM", Some("trend"), Scope::OverviewOnly),
    bind(&[Key::ch('v')], "v", Action::CycleHeroMode, "Heroes played, heroes with you, heroes against you", Some("with/against"), Scope::HeroesOnly),
    bind(&[Key::ch('s')], "s", Action::StartSync, "Start a sync", Some("sync"), Scope::ListsAndDetails),
    bind(&[Key::ch('p')], "p", Action::TogglePause, "Pause or resume fetching", Some("pause"), Scope::ListsAndDetails),
    bind(&[Key::ch('r')], "r", Action::RetrySelected, "Retry the selected match (even given up)", Some("retry"), Scope::MatchListsAndDetails),
    bind(&[Key::ch('R')], "R", Action::RetryAllFailed, "Retry all failed matches", Some("retry all"), Scope::ListsAndDetails),
    bind(&[Key::ch('o')], "o", Action::OpenInBrowser, "Open the match on OpenDota", Some("open"), Scope::MatchListsAndDetails),
    bind(&[Key::ch('y')], "y", Action::CopyId, "Copy the match ID", Some("copy"), Scope::MatchListsAndDetails),
    bind(&[Key::ch('j'), Key::plain(K::Down)], "j/↓", Action::Down, "Next match", Some("next"), Scope::DetailsOnly),
    bind(&[Key::ch('k'), Key::plain(K::Up)], "k/↑", Action::Up, "Previous match", Some("prev"), Scope::DetailsOnly),
    bind(&[Key::plain(K::Tab), Key::ch('l'), Key::ch(']')], "Tab/l/]", Action::NextView, "Next view", Some("view"), Scope::Lists),
    bind(&[Key::plain(K::BackTab), Key::ch('h'), Key::ch('[')], "S-Tab/h/[", Action::PrevView, "Previous view", None, Scope::Lists),
    bind(&[Key::ch('1')], "1", Action::ShowView(View::Overview), "Overview", None, Scope::Lists),
    bind(&[Key::ch('2')], "2", Action::ShowView(View::Matches), "Matches", None, Scope::Lists),
    bind(&[Key::ch('3')], "3", Action::ShowView(View::Heroes), "Heroes", None, Scope::Lists),
    bind(&[Key::ch('4')], "4", Action::ShowView(View::Teammates), "Teammates", None, Scope::Lists),
    bind(&[Key::ch('5')], "5", Action::ShowView(View::Records), "Records", None, Scope::Lists),
    bind(&[Key::ch('6')], "6", Action::ShowView(View::Errors), "Errors", None, Scope::Lists),
    bind(&[Key::ch('7')], "7", Action::ShowView(View::When), "When do I win: by hour and weekday", None, Scope::Lists),
    bind(&[Key::ch('j'), Key::plain(K::Down)], "j/↓", Action::Down, "Move down", None, Scope::Lists),
    bind(&[Key::ch('k'), Key::plain(K::Up)], "k/↑", Action::Up, "Move up", None, Scope::Lists),
    bind(&[Key::plain(K::PageDown), Key::ctrl('d')], "PgDn/Ctrl-D", Action::PageDown, "Page down", None, Scope::Lists),
    bind(&[Key::plain(K::PageUp), Key::ctrl('u')], "PgUp/Ctrl-U", Action::PageUp, "Page up", None, Scope::Lists),
    bind(&[Key::ch('g'), Key::plain(K::Home)], "g/Home", Action::Top, "Go to the first", None, Scope::Lists),
    bind(&[Key::ch('G'), Key::plain(K::End)], "G/End", Action::Bottom, "Go to the last", None, Scope::Lists),
    bind(&[Key::ch('j'), Key::plain(K::Down)], "j/↓", Action::Down, "Scroll down", Some("scroll"), Scope::HelpOnly),
    bind(&[Key::ch('k'), Key::plain(K::Up)], "k/↑", Action::Up, "Scroll up", None, Scope::HelpOnly),
    bind(&[Key::plain(K::PageDown), Key::ctrl('d'), Key::ch(' ')], "PgDn/Ctrl-D", Action::PageDown, "Scroll a page down", None, Scope::HelpOnly),
    bind(&[Key::plain(K::PageUp), Key::ctrl('u')], "PgUp/Ctrl-U", Action::PageUp, "Scroll a page up", None, Scope::HelpOnly),
    bind(&[Key::ch('g'), Key::plain(K::Home)], "g/Home", Action::Top, "Scroll to the top", None, Scope::HelpOnly),
    bind(&[Key::ch('G'), Key::plain(K::End)], "G/End", Action::Bottom, "Scroll to the end", None, Scope::HelpOnly),
    bind(&[Key::ctrl('z')], "Ctrl-Z", Action::Suspend, "Suspend (fg resumes)", None, Scope::Always),
];

/// What `key` means in `context`, if anything.
pub fn action_for(key: &KeyEvent, context: Context) -> Option<Action> {
    if let Some(binding) = KEYMAP
        .iter()
        .find(|b| b.scope.applies(context) && b.keys.iter().any(|k| k.matches(key)))
    {
        return Some(binding.action);
    }
    if context == Context::Filter {
        // Any other printable character is filter text.
        if let KeyCode::Char(c) = key.code {
            let text_modifiers = key.modifiers.difference(KeyModifiers::SHIFT);
            if text_modifiers.is_empty() && !c.is_control() {
                return Some(Action::FilterInput(c));
            }
        }
    }
    if context == Context::FirstRun && (key.code == KeyCode::Char('q') || is_ctrl_c(key)) {
        return Some(Action::Quit);
    }
    None
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL)
}

/// The bindings that apply in `context`, in table order (for help and hints).
pub fn bindings_for(context: Context) -> impl Iterator<Item = &'static Binding> {
    KEYMAP.iter().filter(move |b| b.scope.applies(context))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn shifted(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT)
    }

    const MATCHES: Context = Context::List(View::Matches);
    const ERRORS: Context = Context::List(View::Errors);
    const TEAMMATES: Context = Context::List(View::Teammates);
    const HEROES: Context = Context::List(View::Heroes);
    const RECORDS: Context = Context::List(View::Records);

    #[test]
    fn keys_map_to_actions_by_context() {
        let cases: &[(KeyEvent, Context, Option<Action>)] = &[
            (key(KeyCode::Char('q')), MATCHES, Some(Action::Quit)),
            (
                KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                MATCHES,
                Some(Action::Quit),
            ),
            (
                KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Context::Filter,
                Some(Action::Quit),
            ),
            (
                key(KeyCode::Char('q')),
                Context::Filter,
                Some(Action::FilterInput('q')),
            ),
            (
                shifted('A'),
                Context::Filter,
                Some(Action::FilterInput('A')),
            ),
            (
                key(KeyCode::Esc),
                Context::Filter,
                Some(Action::FilterClear),
            ),
            (
                key(KeyCode::Enter),
                Context::Filter,
                Some(Action::FilterAccept),
            ),
            (
                key(KeyCode::Backspace),
                Context::Filter,
                Some(Action::FilterBackspace),
            ),
            (key(KeyCode::Char('s')), MATCHES, Some(Action::StartSync)),
            (key(KeyCode::Char('p')), ERRORS, Some(Action::TogglePause)),
            (
                key(KeyCode::Char('r')),
                MATCHES,
                Some(Action::RetrySelected),
            ),
            (key(KeyCode::Char('r')), ERRORS, Some(Action::RetrySelected)),
            (key(KeyCode::Char('r')), TEAMMATES, None),
            (
                key(KeyCode::Char('r')),
                Context::Details,
                Some(Action::RetrySelected),
            ),
            (shifted('R'), TEAMMATES, Some(Action::RetryAllFailed)),
            (key(KeyCode::Tab), MATCHES, Some(Action::NextView)),
            (
                KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
                MATCHES,
                Some(Action::PrevView),
            ),
            (
                key(KeyCode::Char('6')),
                MATCHES,
                Some(Action::ShowView(View::Errors)),
            ),
            (
                key(KeyCode::Char('4')),
                ERRORS,
                Some(Action::ShowView(View::Teammates)),
            ),
            (key(KeyCode::Char('l')), MATCHES, Some(Action::NextView)),
            (key(KeyCode::Char('[')), MATCHES, Some(Action::PrevView)),
            (
                key(KeyCode::Char('l')),
                Context::Filter,
                Some(Action::FilterInput('l')),
            ),
            (
                KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL),
                HEROES,
                Some(Action::PageDown),
            ),
            (key(KeyCode::Char('c')), HEROES, Some(Action::CycleSort)),
            (key(KeyCode::Char('c')), MATCHES, Some(Action::CycleSort)),
            (key(KeyCode::Enter), HEROES, Some(Action::OpenDetails)),
            (
                key(KeyCode::Char('j')),
                Context::Details,
                Some(Action::Down),
            ),
            (
                key(KeyCode::Char('o')),
                RECORDS,
                Some(Action::OpenInBrowser),
            ),
            (key(KeyCode::Char('y')), MATCHES, Some(Action::CopyId)),
            (key(KeyCode::Char('/')), HEROES, Some(Action::StartFilter)),
            (key(KeyCode::Char('j')), MATCHES, Some(Action::Down)),
            (key(KeyCode::Down), TEAMMATES, Some(Action::Down)),
            (key(KeyCode::Up), MATCHES, Some(Action::Up)),
            (key(KeyCode::PageDown), MATCHES, Some(Action::PageDown)),
            (key(KeyCode::Home), MATCHES, Some(Action::Top)),
            (shifted('G'), MATCHES, Some(Action::Bottom)),
            (key(KeyCode::Char('g')), MATCHES, Some(Action::Top)),
            (key(KeyCode::Enter), MATCHES, Some(Action::OpenDetails)),
            (key(KeyCode::Enter), TEAMMATES, Some(Action::OpenDetails)),
            (key(KeyCode::Char('/')), MATCHES, Some(Action::StartFilter)),
            (key(KeyCode::Char('/')), ERRORS, Some(Action::StartFilter)),
            (key(KeyCode::Esc), Context::Details, Some(Action::Close)),
            (key(KeyCode::Esc), Context::Help, Some(Action::Close)),
            (
                key(KeyCode::Char('?')),
                Context::Help,
                Some(Action::ToggleHelp),
            ),
            (
                key(KeyCode::Char('q')),
                Context::FirstRun,
                Some(Action::Quit),
            ),
            (key(KeyCode::Char('s')), Context::FirstRun, None),
            (key(KeyCode::Char('x')), MATCHES, None),
        ];
        for (event, context, expected) in cases {
            assert_eq!(
                action_for(event, *context),
                *expected,
                "{event:?} in {context:?}"
            );
        }
    }

    #[test]
    fn every_binding_has_help_and_keys() {
        for binding in KEYMAP {
            assert!(!binding.keys.is_empty(), "{}", binding.label);
            assert!(!binding.help.is_empty(), "{}", binding.label);
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let contexts = [
            MATCHES,
            ERRORS,
            TEAMMATES,
            HEROES,
            RECORDS,
            Context::List(View::Overview),
            Context::Details,
            Context::Help,
            Context::Filter,
        ];
        for context in contexts {
            let keys: Vec<Key> = bindings_for(context)
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, a) in keys.iter().enumerate() {
                assert!(
                    !keys[i + 1..].contains(a),
                    "{a:?} bound twice in {context:?}"
                );
            }
        }
    }
}
