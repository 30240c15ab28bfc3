//! The tab labels, in order: ` 2 Matches (1500) `, the counts only where
//! the screen has room for them.

use crate::tui::input::action::View;

/// Both counts, else the errors' alone (what needs a look), else none.
pub fn tab_labels(matches: u64, errors: u64, width: u16) -> Vec<(View, String)> {
    let fits = |labels: &Vec<(View, String)>| {
        labels.iter().map(|(_, l)| l.chars().count()).sum::<usize>() <= usize::from(width)
    };
    [(Some(matches), Some(errors)), (None, Some(errors))]
        .into_iter()
        .map(|(matches, errors)| labels_with(matches, errors))
        .find(fits)
        .unwrap_or_else(|| labels_with(None, None))
}

fn labels_with(matches: Option<u64>, errors: Option<u64>) -> Vec<(View, String)> {
    View::ALL
        .into_iter()
        .enumerate()
        .map(|(i, view)| {
            let count = match view {
                View::Matches => matches,
                View::Errors => errors,
                _ => None,
            };
            let suffix = count.map_or_else(String::new, |n| format!(" ({n})"));
            (view, format!(" {} {}{suffix} ", i + 1, view.title()))
        })
        .collect()
}

/// The tab whose label is under `column` (counted from the first label).
pub fn tab_at(labels: &[(View, String)], column: Option<u16>) -> Option<View> {
    let mut x = 0;
    let column = usize::from(column?);
    for (view, label) in labels {
        let width = label.chars().count();
        if (x..x + width).contains(&column) {
            return Some(*view);
        }
        x += width;
    }
    None
}
