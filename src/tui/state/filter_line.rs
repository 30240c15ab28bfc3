//! The filter typed after `/`: its text, whether keys go to it, and the
//! filter it reads as (the last text that could be read; every view shows
//! what it keeps).

use crate::store::MatchFilter;
use crate::store::filter::parse_query;
use crate::tui::input::action::Action;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterInput {
    pub text: String,
    /// Keys go to the text.
    pub editing: bool,
    /// What every view shows: the last text that could be read.
    pub applied: MatchFilter,
    /// Why the text as typed cannot be read (one line).
    pub problem: Option<String>,
}

impl FilterInput {
    /// A filter key (`/`, a character, Backspace, Enter, Esc); returns
    /// whether the text changed, so the filter must be read again.
    pub fn edit(&mut self, action: Action) -> bool {
        match action {
            Action::StartFilter => self.editing = true,
            Action::FilterInput(c) => self.text.push(c),
            Action::FilterBackspace => {
                self.text.pop();
            }
            Action::FilterAccept => self.editing = false,
            Action::FilterClear => {
                self.text.clear();
                self.editing = false;
            }
            _ => {}
        }
        matches!(
            action,
            Action::FilterInput(_) | Action::FilterBackspace | Action::FilterClear
        )
    }

    /// Reads the text at `now`; returns the filter when it changed. Text
    /// that cannot be read keeps the last good filter and says why.
    pub fn read(&mut self, now: i64) -> Option<MatchFilter> {
        match parse_query(&self.text, now) {
            Ok(filter) => {
                self.problem = None;
                if filter == self.applied {
                    return None;
                }
                self.applied = filter.clone();
                Some(filter)
            }
            Err(problem) => {
                self.problem = Some(problem.0);
                None
            }
        }
    }

    /// Puts `word` (`hero:axe`, `with:ID`) in the text in place of any
    /// word of the same kind.
    pub fn replace_word(&mut self, word: &str) {
        let prefix = word.split(':').next().unwrap_or_default().to_string() + ":";
        let mut words: Vec<&str> = self
            .text
            .split_whitespace()
            .filter(|w| !w.starts_with(&prefix))
            .collect();
        words.push(word);
        self.text = words.join(" ");
    }
}
