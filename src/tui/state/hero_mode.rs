//! The Heroes tab's three lists: the heroes the player played, the heroes
//! on their team, the heroes against them (`v` cycles). The two matchup
//! lists come from the Teammates pass (`Store::hero_matchups`).

use crate::store::stats::{HeroMatchup, Record};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HeroMode {
    #[default]
    Played,
    With,
    Against,
}

impl HeroMode {
    pub fn next(self) -> HeroMode {
        match self {
            HeroMode::Played => HeroMode::With,
            HeroMode::With => HeroMode::Against,
            HeroMode::Against => HeroMode::Played,
        }
    }

    /// The side of a matchup this mode shows (`None`: the heroes played).
    pub fn side(self, matchup: &HeroMatchup) -> Option<Record> {
        match self {
            HeroMode::Played => None,
            HeroMode::With => Some(matchup.with),
            HeroMode::Against => Some(matchup.against),
        }
    }

    /// The matchups this mode lists: those met on its side, most games
    /// first, or by win rate (`by_rate`, at least `MIN_GAMES` games first,
    /// so that one lucky game does not top the list); ties by hero ID.
    pub fn rows(self, all: &[HeroMatchup], by_rate: bool) -> Vec<HeroMatchup> {
        let mut rows: Vec<HeroMatchup> = all
            .iter()
            .filter(|m| self.side(m).is_some_and(|r| r.games > 0))
            .copied()
            .collect();
        let record = |m: &HeroMatchup| self.side(m).unwrap_or_default();
        rows.sort_by(|a, b| {
            let (ra, rb) = (record(a), record(b));
            let primary = if by_rate {
                (rb.games >= MIN_GAMES)
                    .cmp(&(ra.games >= MIN_GAMES))
                    .then_with(|| {
                        rb.win_rate()
                            .unwrap_or(0.0)
                            .total_cmp(&ra.win_rate().unwrap_or(0.0))
                    })
            } else {
                std::cmp::Ordering::Equal
            };
            primary
                .then_with(|| rb.games.cmp(&ra.games))
                .then_with(|| a.hero_id.cmp(&b.hero_id))
        });
        rows
    }
}

/// Fewer games than this sort after the others by win rate.
pub const MIN_GAMES: u64 = 10;

#[cfg(test)]
mod tests {
    use super::*;

    fn m(hero_id: i64, with: (u64, u64), against: (u64, u64)) -> HeroMatchup {
        HeroMatchup {
            hero_id,
            with: Record {
                games: with.0,
                wins: with.1,
            },
            against: Record {
                games: against.0,
                wins: against.1,
            },
        }
    }

    #[test]
    fn each_side_lists_its_heroes() {
        let all = [
            m(1, (20, 5), (0, 0)),
            m(2, (1, 1), (30, 20)),
            m(3, (12, 11), (2, 0)),
        ];
        let ids = |rows: Vec<HeroMatchup>| rows.iter().map(|m| m.hero_id).collect::<Vec<_>>();
        assert_eq!(ids(HeroMode::With.rows(&all, false)), [1, 3, 2]);
        assert_eq!(
            ids(HeroMode::With.rows(&all, true)),
            [3, 1, 2],
            "1 game sorts last"
        );
        assert_eq!(ids(HeroMode::Against.rows(&all, false)), [2, 3]);
        assert!(HeroMode::Played.rows(&all, false).is_empty());
        assert_eq!(HeroMode::Against.next(), HeroMode::Played);
    }
}
