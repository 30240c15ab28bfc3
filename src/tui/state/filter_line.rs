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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drill_word_replaces_its_kind_and_keeps_the_rest() {
        let mut filter = FilterInput {
            text: "since:30d hero:axe win".into(),
            ..FilterInput::default()
        };
        filter.replace_word("hero:pudge");
        assert_eq!(filter.text, "since:30d win hero:pudge");
        filter.replace_word("with:42");
        assert_eq!(filter.text, "since:30d win hero:pudge with:42");
    }

    #[test]
    fn keys_edit_the_text_and_say_when_to_read_it_again() {
        let mut filter = FilterInput::default();
        assert!(!filter.edit(Action::StartFilter));
        assert!(filter.editing);
        assert!(filter.edit(Action::FilterInput('a')));
        assert!(filter.edit(Action::FilterBackspace));
        assert!(!filter.edit(Action::FilterAccept));
        assert!(!filter.editing);
        filter.text = "x".into();
        assert!(filter.edit(Action::FilterClear));
        assert_eq!(filter.text, "");
    }
}
