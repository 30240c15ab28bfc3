//! What the statistics' kinds are called on screen: the store answers
//! with enums and numbers (`store::stats`), the TUI names them here.

use crate::store::filter::Side;
use crate::store::stats::{LobbyGroup, RecordKind, TrendMetric};

/// A kind's name as a label or a title.
pub trait Label {
    fn label(&self) -> &'static str;
}

impl Label for TrendMetric {
    fn label(&self) -> &'static str {
        match self {
            TrendMetric::WinRate => "Win rate",
            TrendMetric::Kda => "K/D/A ratio",
            TrendMetric::GoldPerMin => "GPM",
            TrendMetric::XpPerMin => "XPM",
        }
    }
}

impl Label for RecordKind {
    fn label(&self) -> &'static str {
        match self {
            RecordKind::Kills => "Most kills",
            RecordKind::Deaths => "Most deaths",
            RecordKind::Assists => "Most assists",
            RecordKind::GoldPerMin => "Highest GPM",
            RecordKind::XpPerMin => "Highest XPM",
            RecordKind::HeroDamage => "Most hero damage",
            RecordKind::LastHits => "Most last hits",
            RecordKind::LongestGame => "Longest game",
            RecordKind::ShortestGame => "Shortest game",
        }
    }
}

impl Label for LobbyGroup {
    fn label(&self) -> &'static str {
        match self {
            LobbyGroup::Ranked => "Ranked",
            LobbyGroup::Normal => "Normal",
            LobbyGroup::Turbo => "Turbo",
            LobbyGroup::Other => "Other",
        }
    }
}

impl Label for Side {
    fn label(&self) -> &'static str {
        match self {
            Side::Radiant => "Radiant",
            Side::Dire => "Dire",
        }
    }
}

/// A game mode's name; `None` (not known) is "Unknown".
pub fn game_mode(mode: Option<i64>) -> String {
    mode.map_or_else(
        || "Unknown".into(),
        |m| crate::assets::game_mode_name(m).into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_name() {
        let names: Vec<&str> = RecordKind::ALL.iter().map(Label::label).collect();
        assert_eq!(names[0], "Most kills");
        assert_eq!(names[8], "Shortest game");
        assert_eq!(TrendMetric::Kda.label(), "K/D/A ratio");
        assert_eq!(LobbyGroup::Turbo.label(), "Turbo");
        assert_eq!(Side::Dire.label(), "Dire");
        assert_eq!(game_mode(None), "Unknown");
    }
}
