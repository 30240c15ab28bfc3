//! The Heroes tab's sort: a key cycles through the columns.

use std::cmp::Ordering;

use crate::assets;
use crate::store::stats::HeroStats;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HeroSort {
    #[default]
    Games,
    WinRate,
    Kda,
    GoldPerMin,
    XpPerMin,
    LastPlayed,
    Name,
}

impl HeroSort {
    const ORDER: [HeroSort; 7] = [
        HeroSort::Games,
        HeroSort::WinRate,
        HeroSort::Kda,
        HeroSort::GoldPerMin,
        HeroSort::XpPerMin,
        HeroSort::LastPlayed,
        HeroSort::Name,
    ];

    pub fn next(self) -> HeroSort {
        let i = HeroSort::ORDER.iter().position(|&s| s == self).unwrap_or(0);
        HeroSort::ORDER[(i + 1) % HeroSort::ORDER.len()]
    }

    /// The column header the sort marks.
    pub fn column(self) -> &'static str {
        match self {
            HeroSort::Games => "Games",
            HeroSort::WinRate => "Win %",
            HeroSort::Kda => "K/D/A",
            HeroSort::GoldPerMin => "GPM",
            HeroSort::XpPerMin => "XPM",
            HeroSort::LastPlayed => "Last played",
            HeroSort::Name => "Hero",
        }
    }

    /// Sorts best first (names A to Z); ties by games, then hero ID.
    pub fn sort(self, rows: &mut [HeroStats]) {
        let kda = |h: &HeroStats| (h.kills + h.assists) / h.deaths.max(1.0);
        let rate = |h: &HeroStats| h.record.win_rate().unwrap_or(0.0);
        rows.sort_by(|a, b| {
            let primary = match self {
                HeroSort::Games => b.record.games.cmp(&a.record.games),
                HeroSort::WinRate => rate(b).total_cmp(&rate(a)),
                HeroSort::Kda => kda(b).total_cmp(&kda(a)),
                HeroSort::GoldPerMin => b.gold_per_min.total_cmp(&a.gold_per_min),
                HeroSort::XpPerMin => b.xp_per_min.total_cmp(&a.xp_per_min),
                HeroSort::LastPlayed => b.last_played.cmp(&a.last_played),
                HeroSort::Name => assets::hero_name(a.hero_id).cmp(&assets::hero_name(b.hero_id)),
            };
            primary
                .then_with(|| b.record.games.cmp(&a.record.games))
                .then_with(|| a.hero_id.cmp(&b.hero_id))
                .then(Ordering::Equal)
        });
    }
}
