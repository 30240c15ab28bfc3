//! The Teammates tab's sort: `c` cycles through its columns, as in Heroes.
//! The loader returns the players met most (with, then against) up to the
//! list's limit; the sort orders those.

use std::cmp::Ordering;

use crate::store::stats::{PeerStats, Record};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PeerSort {
    #[default]
    With,
    WithWinRate,
    Against,
    AgainstWinRate,
    LastPlayed,
    Player,
}

impl PeerSort {
    const ORDER: [PeerSort; 6] = [
        PeerSort::With,
        PeerSort::WithWinRate,
        PeerSort::Against,
        PeerSort::AgainstWinRate,
        PeerSort::LastPlayed,
        PeerSort::Player,
    ];

    pub fn next(self) -> PeerSort {
        let i = PeerSort::ORDER.iter().position(|&s| s == self).unwrap_or(0);
        PeerSort::ORDER[(i + 1) % PeerSort::ORDER.len()]
    }

    /// The index of the column the sort marks (Player, With, Won, Against,
    /// Won, Last played).
    pub fn column(self) -> usize {
        match self {
            PeerSort::Player => 0,
            PeerSort::With => 1,
            PeerSort::WithWinRate => 2,
            PeerSort::Against => 3,
            PeerSort::AgainstWinRate => 4,
            PeerSort::LastPlayed => 5,
        }
    }

    /// Best first (names A to Z, unnamed after); ties by games together,
    /// then account ID. A win rate of no games sorts last.
    pub fn sort(self, rows: &mut [PeerStats]) {
        let rate = |r: Record| r.win_rate().unwrap_or(-1.0);
        let name = |p: &PeerStats| (p.name.is_none(), p.name.as_deref().map(str::to_lowercase));
        rows.sort_by(|a, b| {
            let primary = match self {
                PeerSort::With => b.with.games.cmp(&a.with.games),
                PeerSort::WithWinRate => rate(b.with).total_cmp(&rate(a.with)),
                PeerSort::Against => b.against.games.cmp(&a.against.games),
                PeerSort::AgainstWinRate => rate(b.against).total_cmp(&rate(a.against)),
                PeerSort::LastPlayed => b.last_played.cmp(&a.last_played),
                PeerSort::Player => name(a).cmp(&name(b)),
            };
            primary
                .then_with(|| {
                    (b.with.games + b.against.games).cmp(&(a.with.games + a.against.games))
                })
                .then_with(|| a.account_id.cmp(&b.account_id))
                .then(Ordering::Equal)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(id: i64, with: (u64, u64), against: (u64, u64), name: Option<&str>) -> PeerStats {
        PeerStats {
            account_id: id,
            with: Record {
                games: with.0,
                wins: with.1,
            },
            against: Record {
                games: against.0,
                wins: against.1,
            },
            last_played: id,
            tracked: false,
            name: name.map(str::to_string),
        }
    }

    #[test]
    fn each_key_orders_by_its_column() {
        let mut rows = vec![
            peer(1, (10, 2), (0, 0), Some("zed")),
            peer(2, (3, 3), (5, 1), None),
            peer(3, (5, 4), (8, 6), Some("Ann")),
        ];
        let ids = |rows: &[PeerStats]| rows.iter().map(|p| p.account_id).collect::<Vec<_>>();
        let mut sort = PeerSort::default();
        sort.sort(&mut rows);
        assert_eq!(ids(&rows), [1, 3, 2]);
        sort = sort.next();
        sort.sort(&mut rows);
        assert_eq!(ids(&rows), [2, 3, 1], "with win rate: 100%, 80%, 20%");
        sort = sort.next();
        sort.sort(&mut rows);
        assert_eq!(ids(&rows), [3, 2, 1], "against games");
        sort = sort.next();
        sort.sort(&mut rows);
        assert_eq!(ids(&rows), [3, 2, 1], "against win rate; none last");
        sort = sort.next();
        sort.sort(&mut rows);
        assert_eq!(ids(&rows), [3, 2, 1], "last played");
        sort = sort.next();
        sort.sort(&mut rows);
        assert_eq!(ids(&rows), [3, 1, 2], "names, unnamed last");
        assert_eq!(sort.next(), PeerSort::With);
    }
}
