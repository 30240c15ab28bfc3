//! Text formatting shared by the views: dates, durations, rates, and the
//! sanitising of text that came from the API.

use std::time::Duration;

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Where "now" and the display time zone come from. Injected so that
/// snapshot tests render the same text on every machine and every day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock, shown in the local time zone.
    System,
    /// A fixed instant, shown in UTC.
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(now) => *now,
        }
    }

    /// `instant` as a wall-clock time in the display zone.
    fn local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Clock::System => Local.from_utc_datetime(&instant.naive_utc()).naive_local(),
            Clock::Fixed(_) => instant.naive_utc(),
        }
    }

    fn today(&self) -> NaiveDate {
        self.local(self.now()).date()
    }
}

/// A match start time: relative when recent ("5 min ago", "3 h ago",
/// "yesterday"), else the local date (`2024-03-01`). 0 or negative: unknown.
pub fn when(start_time: i64, clock: &Clock) -> String {
    let Some(instant) = DateTime::<Utc>::from_timestamp(start_time, 0).filter(|_| start_time > 0)
    else {
        return "unknown".into();
    };
    when_instant(instant, clock)
}

/// A start time in full, for the details: `2026-03-10 11:55` (local time;
/// UTC under a fixed clock). 0 or negative: unknown.
pub fn date_time(start_time: i64, clock: &Clock) -> String {
    match DateTime::<Utc>::from_timestamp(start_time, 0).filter(|_| start_time > 0) {
        Some(instant) => clock.local(instant).format("%Y-%m-%d %H:%M").to_string(),
        None => "unknown".into(),
    }
}

/// Like [`when`], for an instant already parsed.
pub fn when_instant(instant: DateTime<Utc>, clock: &Clock) -> String {
    let age = clock.now().signed_duration_since(instant).num_seconds();
    let date = clock.local(instant).date();
    match age {
        // A start time in the future means a skewed clock: show the date.
        ..0 => date.format("%Y-%m-%d").to_string(),
        0..60 => "just now".into(),
        60..3_600 => format!("{} min ago", age / 60),
        3_600..86_400 if date == clock.today() => format!("{} h ago", age / 3_600),
        _ if Some(date) == clock.today().pred_opt() => "yesterday".into(),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// An RFC 3339 timestamp stored by the engine, shown like [`when`];
/// text that does not parse is shown as it is (sanitised).
pub fn when_text(text: &str, clock: &Clock) -> String {
    match DateTime::parse_from_rfc3339(text) {
        Ok(instant) => when_instant(instant.with_timezone(&Utc), clock),
        Err(_) => sanitize(text),
    }
}

/// When an attempt was made, for the errors view: like [`when_text`], but
/// to the second within the last minute, where a run's failures land (so
/// rows a few seconds apart do not all read `just now`).
pub fn attempt_when(text: &str, clock: &Clock) -> String {
    match DateTime::parse_from_rfc3339(text) {
        Ok(instant) => {
            let instant = instant.with_timezone(&Utc);
            match clock.now().signed_duration_since(instant).num_seconds() {
                0 => "just now".into(),
                age @ 1..60 => format!("{age} s ago"),
                _ => when_instant(instant, clock),
            }
        }
        Err(_) => sanitize(text),
    }
}

/// A match duration in seconds as `42:07` (minutes are not wrapped into
/// hours: players read long games as `72:30`).
pub fn match_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// Time left, coarse enough to read at a glance: `45 s`, `12 min`, `2 h 05 min`.
pub fn eta(left: Duration) -> String {
    let secs = left.as_secs();
    match secs {
        0..60 => format!("{secs} s"),
        60..3_600 => format!("{} min {:02} s", secs / 60, secs % 60),
        _ => format!("{} h {:02} min", secs / 3_600, (secs % 3_600) / 60),
    }
}

/// Matches per second with one decimal.
pub fn rate(per_second: f64) -> String {
    if per_second.is_finite() && per_second > 0.0 {
        format!("{per_second:.1} matches/s")
    } else {
        "0.0 matches/s".into()
    }
}

/// A win rate as a percentage with no decimals; `-` with no games.
pub fn win_rate(wins: i64, games: i64) -> String {
    if games <= 0 {
        return "-".into();
    }
    let percent = (wins as f64 / games as f64 * 100.0).round();
    format!("{percent:.0}%")
}

/// `text` cut to `max` characters, the cut marked with `…`.
pub fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Thousands as `12.3k` so that wide numbers fit narrow columns.
pub fn compact(value: i64) -> String {
    if value.abs() >= 10_000 {
        format!("{:.1}k", value as f64 / 1000.0)
    } else {
        value.to_string()
    }
}

/// An optional number, `-` when missing.
pub fn opt(value: Option<i64>) -> String {
    value.map_or_else(|| "-".into(), |v| v.to_string())
}

/// Text from outside (API error reasons, notices) made safe to draw: control
/// characters could move the cursor or recolour the terminal, so ANSI escape
/// sequences are dropped whole, line breaks and tabs become spaces and every
/// other control character is dropped.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                // CSI (`ESC [ ... final`) runs to a byte in '@'..='~'.
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A path with the home directory shortened to `~` and, when still longer
/// than `max` characters, its middle elided.
pub fn short_path(path: &std::path::Path, home: Option<&std::path::Path>, max: usize) -> String {
    let mut text = path.display().to_string();
    if let Some(home) = home.and_then(|h| path.strip_prefix(h).ok()) {
        text = format!("~/{}", home.display());
    }
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max || max < 5 {
        return text;
    }
    let keep_end = (max - 1) * 2 / 3;
    let keep_start = max - 1 - keep_end;
    let start: String = chars[..keep_start].iter().collect();
    let end: String = chars[chars.len() - keep_end..].iter().collect();
    format!("{start}…{end}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        // 2026-03-10 12:00:00 UTC
        Clock::Fixed(DateTime::from_timestamp(1_773_144_000, 0).unwrap())
    }

    #[test]
    fn recent_times_are_relative() {
        let now = 1_773_144_000;
        assert_eq!(when(now - 5, &clock()), "just now");
        assert_eq!(when(now - 5 * 60, &clock()), "5 min ago");
        assert_eq!(when(now - 3 * 3_600, &clock()), "3 h ago");
        // 13 h before noon is yesterday 23:00.
        assert_eq!(when(now - 13 * 3_600, &clock()), "yesterday");
        assert_eq!(when(now - 30 * 3_600, &clock()), "yesterday");
        assert_eq!(when(now - 40 * 3_600, &clock()), "2026-03-08");
        assert_eq!(when(0, &clock()), "unknown");
        assert_eq!(when(now + 3_600, &clock()), "2026-03-10");
    }

    #[test]
    fn stored_timestamps_parse() {
        assert_eq!(when_text("2026-03-10T11:58:00Z", &clock()), "2 min ago");
        assert_eq!(when_text("garbage\u{1b}[31m", &clock()), "garbage");
    }

    #[test]
    fn durations_and_eta() {
        assert_eq!(match_duration(42 * 60 + 7), "42:07");
        assert_eq!(match_duration(72 * 60), "72:00");
        assert_eq!(eta(Duration::from_secs(45)), "45 s");
        assert_eq!(eta(Duration::from_secs(130)), "2 min 10 s");
        assert_eq!(eta(Duration::from_secs(7_500)), "2 h 05 min");
    }

    #[test]
    fn cut_text_ends_with_an_ellipsis() {
        assert_eq!(ellipsize("Pudge", 10), "Pudge");
        assert_eq!(ellipsize("Keeper of the Light", 10), "Keeper of…");
        assert_eq!(ellipsize("Keeper of the Light", 10).chars().count(), 10);
    }

    #[test]
    fn numbers() {
        assert_eq!(win_rate(1, 3), "33%");
        assert_eq!(win_rate(0, 0), "-");
        assert_eq!(compact(12_345), "12.3k");
        assert_eq!(compact(9_999), "9999");
        assert_eq!(rate(f64::NAN), "0.0 matches/s");
        assert_eq!(rate(2.345), "2.3 matches/s");
    }

    #[test]
    fn sanitize_strips_control_characters() {
        assert_eq!(sanitize("a\u{1b}[2Jb\nc\u{7}"), "ab c");
        assert_eq!(sanitize("red\u{1b}[31;1m!\u{1b}"), "red!");
        assert_eq!(sanitize("\u{9b}x\ty"), "x y");
    }

    #[test]
    fn paths_are_shortened() {
        let home = std::path::Path::new("/home/ana");
        let path = std::path::Path::new("/home/ana/.local/share/dota-sync/dota.db");
        assert_eq!(
            short_path(path, Some(home), 80),
            "~/.local/share/dota-sync/dota.db"
        );
        let short = short_path(path, Some(home), 20);
        assert_eq!(short.chars().count(), 20);
        assert!(short.ends_with("dota.db"));
    }
}
