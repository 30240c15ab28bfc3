//! Which sources a run uses and at what rate, as the command line and the
//! config file spell them: `--source auto|steam|opendota|stratz|LIST`,
//! `--rate R` or `--rate steam=R1,opendota=R2,stratz=R3`.

use std::fmt;
use std::str::FromStr;

use super::SourceKind;

/// `--source`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SourceChoice {
    /// Steam when a key is set, STRATZ when a token is set, and OpenDota.
    #[default]
    Auto,
    /// These, in this order, each once.
    Only(Vec<SourceKind>),
}

impl SourceChoice {
    /// The sources of a run; `steam_key`, `stratz_token`: whether a Steam
    /// key and a STRATZ token are set. Steam first (its `match_seq_num`),
    /// then STRATZ (whole matches), then OpenDota.
    pub fn resolve(&self, steam_key: bool, stratz_token: bool) -> Vec<SourceKind> {
        match self {
            SourceChoice::Auto => [
                (steam_key, SourceKind::Steam),
                (stratz_token, SourceKind::Stratz),
                (true, SourceKind::OpenDota),
            ]
            .into_iter()
            .filter_map(|(on, kind)| on.then_some(kind))
            .collect(),
            SourceChoice::Only(kinds) => kinds.clone(),
        }
    }

    /// Whether the user named STRATZ themselves (so a missing token is an error).
    pub fn names_stratz(&self) -> bool {
        matches!(self, SourceChoice::Only(kinds) if kinds.contains(&SourceKind::Stratz))
    }

    /// Whether the user named Steam themselves (so a missing key is an error).
    pub fn names_steam(&self) -> bool {
        matches!(self, SourceChoice::Only(kinds) if kinds.contains(&SourceKind::Steam))
    }
}

fn kind_named(name: &str) -> Option<SourceKind> {
    match name.trim().to_ascii_lowercase().as_str() {
        "steam" => Some(SourceKind::Steam),
        "opendota" => Some(SourceKind::OpenDota),
        "stratz" => Some(SourceKind::Stratz),
        _ => None,
    }
}

impl FromStr for SourceChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<SourceChoice, String> {
        if text.trim().eq_ignore_ascii_case("auto") {
            return Ok(SourceChoice::Auto);
        }
        let mut kinds = Vec::new();
        for name in text.split(',') {
            let kind = kind_named(name).ok_or_else(|| {
                format!(
                    "unknown source {name:?}: use auto, steam, opendota, stratz or a list such as steam,opendota"
                )
            })?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        Ok(SourceChoice::Only(kinds))
    }
}

impl fmt::Display for SourceChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceChoice::Auto => f.write_str("auto"),
            SourceChoice::Only(kinds) => {
                let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                f.write_str(&names.join(","))
            }
        }
    }
}

/// `--rate`: one rate for every source, and/or rates for one apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RateSpec {
    pub all: Option<f64>,
    pub per_source: Vec<(SourceKind, f64)>,
}

impl RateSpec {
    /// The rate for `kind`: its own, else the common one.
    pub fn for_kind(&self, kind: SourceKind) -> Option<f64> {
        self.per_source
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, rate)| *rate)
            .or(self.all)
    }

    /// Every rate given, for validation.
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.all
            .into_iter()
            .chain(self.per_source.iter().map(|(_, r)| *r))
    }
}

impl FromStr for RateSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<RateSpec, String> {
        let mut spec = RateSpec::default();
        for part in text.split(',') {
            let part = part.trim();
            let (kind, value) = match part.split_once('=') {
                Some((name, value)) => (
                    Some(kind_named(name).ok_or_else(|| {
                        format!(
                            "unknown source {name:?} in --rate: use steam=R, opendota=R or stratz=R"
                        )
                    })?),
                    value,
                ),
                None => (None, part),
            };
            let rate: f64 = value.trim().parse().map_err(|_| {
                format!("--rate wants a number of requests per second, not {value:?}")
            })?;
            match kind {
                Some(kind) => spec.per_source.push((kind, rate)),
                None => spec.all = Some(rate),
            }
        }
        Ok(spec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SourceKind::{OpenDota, Steam, Stratz};

    #[test]
    fn source_choices() {
        assert_eq!("auto".parse(), Ok(SourceChoice::Auto));
        assert_eq!("steam".parse(), Ok(SourceChoice::Only(vec![Steam])));
        assert_eq!(
            "steam,opendota".parse(),
            Ok(SourceChoice::Only(vec![Steam, OpenDota]))
        );
        assert!("stem".parse::<SourceChoice>().is_err());
        assert_eq!(SourceChoice::Auto.resolve(true, false), [Steam, OpenDota]);
        assert_eq!(SourceChoice::Auto.resolve(false, false), [OpenDota]);
        assert_eq!(
            SourceChoice::Auto.resolve(true, true),
            [Steam, Stratz, OpenDota]
        );
        assert_eq!(SourceChoice::Auto.resolve(false, true), [Stratz, OpenDota]);
        assert_eq!("STRATZ".parse(), Ok(SourceChoice::Only(vec![Stratz])));
        assert!(
            "stratz,opendota"
                .parse::<SourceChoice>()
                .unwrap()
                .names_stratz()
        );
        assert!(!SourceChoice::Auto.names_stratz());
        assert!(
            "stem"
                .parse::<SourceChoice>()
                .unwrap_err()
                .contains("stratz")
        );
        assert!(
            "opendota,steam"
                .parse::<SourceChoice>()
                .unwrap()
                .names_steam()
        );
    }

    #[test]
    fn rate_specs() {
        let spec: RateSpec = "steam=2,opendota=0.5".parse().unwrap();
        assert_eq!(spec.for_kind(Steam), Some(2.0));
        assert_eq!(spec.for_kind(OpenDota), Some(0.5));
        let spec: RateSpec = "3".parse().unwrap();
        assert_eq!(spec.for_kind(OpenDota), Some(3.0));
        let spec: RateSpec = "3,steam=1".parse().unwrap();
        assert_eq!(
            (spec.for_kind(Steam), spec.for_kind(OpenDota)),
            (Some(1.0), Some(3.0))
        );
        let spec: RateSpec = "stratz=8".parse().unwrap();
        assert_eq!(spec.for_kind(Stratz), Some(8.0));
        assert!("dota=1".parse::<RateSpec>().is_err());
        assert!("fast".parse::<RateSpec>().is_err());
    }
}
