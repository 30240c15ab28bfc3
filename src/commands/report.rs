//! Headless progress on stderr: a bar on a terminal, plain lines otherwise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::watch;

use super::out;
use crate::sync::{Progress, Summary, SyncState};

/// Prints progress until the sender is dropped.
pub async fn print_progress(progress: watch::Receiver<Progress>) {
    if std::io::stderr().is_terminal() {
        print_bar(progress).await
    } else {
        print_lines(progress).await
    }
}

fn rate_and_eta(p: &Progress) -> String {
    let mut text = format!("{:.1}/s", p.fetch.per_second);
    if let Some(eta) = p.fetch.eta {
        text.push_str(&format!(", ETA {}", format_duration(eta)));
    }
    if p.fetch.failed > 0 {
        text.push_str(&format!(", {} failed", p.fetch.failed));
    }
    text
}

pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, (secs % 3600) / 60),
    }
}

/// One line per phase change, and at most every few seconds in between.
async fn print_lines(mut progress: watch::Receiver<Progress>) {
    let mut last_line = String::new();
    let mut last_print = Instant::now() - Duration::from_secs(60);
    let mut last_state = SyncState::Idle;
    let mut summaries_told = false;
    while progress.changed().await.is_ok() {
        let p = progress.borrow_and_update().clone();
        if !summaries_told && let Some(summaries) = p.summaries_line() {
            summaries_told = true;
            // After the history's final count, on a line of its own.
            let collected = p.collect_line();
            if collected != last_line {
                if !out::err_line(&collected) {
                    return;
                }
                last_line = collected;
            }
            if !out::err_line(&summaries) {
                return;
            }
        }
        let line = line_for(&p);
        let Some(line) = line else { continue };
        let state_changed = std::mem::discriminant(&p.state) != std::mem::discriminant(&last_state);
        last_state = p.state.clone();
        if line != last_line && (state_changed || last_print.elapsed() >= Duration::from_secs(2)) {
            // Nobody reads stderr any more (a closed pipe): stop printing,
            // let the sync go on.
            if !out::err_line(&line) {
                return;
            }
            if p.fetch_started && p.sources.len() > 1 {
                for source in &p.sources {
                    if !out::err_line(&format!("  {}", source.line())) {
                        return;
                    }
                }
            }
            last_line = line;
            last_print = Instant::now();
        }
    }
    // The run is over. Its last state may have been held back by the
    // throttle above; a run that ends on an error (a full disk) must still
    // show how far it got, not a count from seconds before.
    let last = progress.borrow().clone();
    if let Some(line) = line_for(&last)
        && line != last_line
    {
        out::err_line(&line);
    }
}

fn line_for(p: &Progress) -> Option<String> {
    match &p.state {
        SyncState::Collecting if p.collect.collected > 0 => Some(p.collect_line()),
        SyncState::Fetching | SyncState::ApiDown { .. } | SyncState::RateLimited { .. }
            if p.fetch_started && p.fetch.total > 0 =>
        {
            let mut line = format!("{} ({})", p.fetch_line(), rate_and_eta(p));
            if let SyncState::ApiDown { .. } | SyncState::RateLimited { .. } = p.state {
                line.push_str(&format!(" [{}]", p.state.label()));
            }
            Some(line)
        }
        _ => None,
    }
}

async fn print_bar(mut progress: watch::Receiver<Progress>) {
    let spinner = ProgressStyle::with_template("{spinner} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let bar_style = ProgressStyle::with_template("{msg} [{bar:30}] {percent}%")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let bar = ProgressBar::hidden();
    let mut shown = false;
    let mut summaries_told = false;
    while progress.changed().await.is_ok() {
        let p = progress.borrow_and_update().clone();
        if !summaries_told && let Some(line) = p.summaries_line() {
            summaries_told = true;
            // Above the bar, on a line of its own that stays.
            bar.suspend(|| out::err_line(&line));
        }
        let Some(line) = line_for(&p) else { continue };
        if !shown {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            shown = true;
        }
        if p.fetch_started {
            bar.set_style(bar_style.clone());
            bar.set_length(p.fetch.total.max(1));
            bar.set_position(p.fetch.processed);
        } else {
            bar.set_style(spinner.clone());
            bar.tick();
        }
        let mut message = line;
        if p.fetch_started && p.sources.len() > 1 {
            for source in &p.sources {
                message.push_str(&format!("\n  {}", source.line()));
            }
        }
        bar.set_message(message);
    }
    // A run that ended before fetching everything (an error, a full disk)
    // leaves its bar, and so its true count, on screen.
    let last = progress.borrow().clone();
    if last.fetch_started && last.fetch.processed < last.fetch.total {
        bar.abandon();
    } else {
        bar.finish_and_clear();
    }
}

/// The human summary, on stderr.
pub fn print_summary(s: &Summary) {
    if let Some(warning) = &s.history_warning {
        out::err_line(&format!("warning: {warning}"));
    }
    out::err_line(&format!(
        "account {}: {} IDs collected ({} new), {} details fetched, {} failed ({} server errors), {} given up, {} stubs left",
        s.account_id,
        s.ids_collected,
        s.new_ids,
        s.details_fetched,
        s.failed,
        s.server_errors,
        s.given_up,
        s.stubs_left
    ));
    if s.sources.len() > 1 {
        for source in &s.sources {
            out::err_line(&format!(
                "  {}: {} requests, {} details fetched, {} failed",
                source.source, source.requests, source.details_fetched, source.failed
            ));
        }
    }
    if s.sources
        .iter()
        .any(|source| source.source == crate::source::SourceKind::Stratz)
    {
        out::err_line(crate::source::stratz::CREDIT);
    }
    if s.names_fetched > 0 {
        out::err_line(&format!(
            "player names: {} accounts looked up",
            s.names_fetched
        ));
    }
    if s.history_capped {
        out::err_line(
            "note: Steam only lists a player's 500 most recent matches; run with --source opendota to collect the full history",
        );
    }
}
