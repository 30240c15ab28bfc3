//! The terminal UI: a thin client of the store and the sync engine.
//!
//! The UI task owns the [`App`]. Terminal input, a render tick, progress
//! snapshots (`watch`) and engine events (`mpsc`) meet in one `select!`;
//! commands go back on their own channel. The UI never talks to the network.

mod effects;
pub mod format;
mod help_text;
pub mod input;
pub mod layout;
pub mod state;
mod view;
mod words;

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use color_eyre::eyre::WrapErr;
use crossterm::event::{
    DisableMouseCapture, EnableMouseCapture, Event, EventStream, KeyEventKind, MouseButton,
    MouseEventKind,
};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};

pub use format::Clock;
pub use input::action::{Action, View};
use input::keymap;
pub use state::app::{App, AppSettings, Effect};
use state::loader::SlowResult;
pub use view::theme::set_monochrome;

use crate::source::SourceKind;
use crate::sync::{Progress, SyncCommand, SyncEvent};

/// How often the screen may be redrawn (only when something changed).
const RENDER_TICK: Duration = Duration::from_millis(100);
/// How long `q` waits for the engine to finish what is in flight.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// Everything `run` needs; built by `main` (and `demo`) and the engine.
pub struct TuiContext {
    /// Exists and is migrated (the caller ran `Store::open`).
    pub db_path: PathBuf,
    /// `None`: the first-run screen.
    pub account_id: Option<u32>,
    pub source: Option<SourceKind>,
    /// E.g. "demo", shown in the header.
    pub label: Option<String>,
    pub commands: mpsc::UnboundedSender<SyncCommand>,
    pub progress: watch::Receiver<Progress>,
    pub events: mpsc::UnboundedReceiver<SyncEvent>,
    /// Send `SyncCommand::Start` at launch (the demo).
    pub autostart: bool,
    /// The database cannot be written: browse it, sync nothing (no engine
    /// behind `commands`).
    pub read_only: bool,
}

/// Runs the TUI until the user quits. The terminal is restored on every
/// exit path: return, error, and panic (ratatui's hook).
pub async fn run(ctx: TuiContext) -> color_eyre::Result<()> {
    // Open the database before touching the terminal, so that an error is
    // printed on a normal screen.
    let settings = AppSettings {
        db_path: ctx.db_path.clone(),
        account_id: ctx.account_id,
        source: ctx.source,
        label: ctx.label.clone(),
        clock: Clock::System,
        home: directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()),
        config_path: crate::config::config_path(),
    };
    let mut app = App::new(settings)?;
    if ctx.read_only {
        app.set_read_only();
    }
    let slow_results = app.take_slow_results();
    // Like `ratatui::init()` (raw mode, alternate screen, a panic hook that
    // restores both), but an error (no terminal) is returned, not a panic.
    let mut terminal = ratatui::try_init().wrap_err("cannot set up the terminal")?;
    install_mouse_restoring_hook();
    let result = match crossterm::execute!(io::stdout(), EnableMouseCapture) {
        Ok(()) => event_loop(&mut terminal, app, ctx, slow_results).await,
        Err(e) => Err(e).wrap_err("cannot enable mouse input"),
    };
    // Best effort: the terminal may already be gone.
    let _ = crossterm::execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

/// The signals that ask a terminal program to end.
struct QuitSignals {
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
}

impl QuitSignals {
    fn new() -> color_eyre::Result<QuitSignals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(QuitSignals {
            terminate: signal(SignalKind::terminate()).wrap_err("cannot watch SIGTERM")?,
            hangup: signal(SignalKind::hangup()).wrap_err("cannot watch SIGHUP")?,
            interrupt: signal(SignalKind::interrupt()).wrap_err("cannot watch SIGINT")?,
        })
    }

    async fn next(&mut self) {
        tokio::select! {
            _ = self.terminate.recv() => {}
            _ = self.hangup.recv() => {}
            _ = self.interrupt.recv() => {}
        }
    }
}

/// ratatui's panic hook leaves raw mode and the alternate screen; mouse
/// capture is ours to undo, or the shell would receive mouse escape codes.
fn install_mouse_restoring_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(io::stdout(), DisableMouseCapture);
        previous(info);
    }));
}

async fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    mut app: App,
    ctx: TuiContext,
    mut slow_results: Option<mpsc::UnboundedReceiver<SlowResult>>,
) -> color_eyre::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let TuiContext {
        commands,
        mut progress,
        mut events,
        autostart,
        ..
    } = ctx;
    if autostart && app.account_id().is_some() {
        // A closed channel means no engine: the UI still browses the database.
        let _ = commands.send(SyncCommand::Start);
    }
    app.set_progress(progress.borrow_and_update().clone());

    let mut input = EventStream::new();
    let mut quit_signals = QuitSignals::new()?;
    let mut tick = tokio::time::interval(RENDER_TICK);
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut progress_open = true;
    let mut events_open = true;

    draw(terminal, &mut app)?;
    while !app.is_quitting() {
        // With nothing to draw or re-read the tick is off, so an idle app
        // sleeps until input, engine news, or the next minute (relative
        // dates such as "5 min ago" move with the clock).
        let ticking = app.has_pending_work();
        tokio::select! {
            event = input.next() => match event {
                Some(Ok(event)) => {
                    if let Some(command) = handle_terminal_event(&mut app, &event) {
                        let _ = commands.send(command);
                    }
                    for effect in app.take_effects() {
                        effects::perform(terminal, &mut app, effect)?;
                    }
                }
                Some(Err(e)) => return Err(e).wrap_err("cannot read the terminal"),
                // The terminal is gone: quit as if asked to.
                None => {
                    if let Some(command) = app.update(Action::Quit) {
                        let _ = commands.send(command);
                    }
                }
            },
            _ = tick.tick(), if ticking => {
                if app.tick() {
                    draw(terminal, &mut app)?;
                }
            }
            _ = tokio::time::sleep(until_next_minute()) => app.mark_dirty(),
            // SIGTERM, SIGHUP or SIGINT from outside: quit the same way as `q`,
            // so the engine stops cleanly and the terminal is restored.
            _ = quit_signals.next() => {
                if let Some(command) = app.update(Action::Quit) {
                    let _ = commands.send(command);
                }
            }
            changed = progress.changed(), if progress_open => match changed {
                Ok(()) => app.set_progress(progress.borrow_and_update().clone()),
                Err(_) => progress_open = false,
            },
            event = events.recv(), if events_open => match event {
                Some(event) => app.handle_sync_event(event),
                None => events_open = false,
            },
            result = next_slow_result(&mut slow_results) => match result {
                Some(result) => app.apply_slow_result(result),
                None => slow_results = None,
            },
        }
    }
    // Show "stopping…" while the engine finishes; the terminal may be gone.
    let _ = draw(terminal, &mut app);
    wait_for_stop(&mut progress).await;
    Ok(())
}

/// Draws one frame: fits the lists to the terminal, then renders.
pub fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) -> color_eyre::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size().wrap_err("cannot read the terminal size")?;
    app.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height));
    terminal
        .draw(|frame| view::render(app, frame))
        .wrap_err("cannot draw")?;
    app.mark_drawn();
    Ok(())
}

/// Turns one terminal event into an action and applies it.
pub fn handle_terminal_event(app: &mut App, event: &Event) -> Option<SyncCommand> {
    let action = match event {
        // Only presses: terminals that report releases would double every key.
        Event::Key(key) if key.kind == KeyEventKind::Press => {
            keymap::action_for(key, app.context())
        }
        Event::Mouse(mouse) if matches!(app.context(), keymap::Context::List(_)) => {
            match mouse.kind {
                MouseEventKind::ScrollDown => Some(Action::ScrollDown),
                MouseEventKind::ScrollUp => Some(Action::ScrollUp),
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                    column: mouse.column,
                    row: mouse.row,
                }),
                _ => None,
            }
        }
        Event::Resize(..) => {
            app.mark_dirty();
            None
        }
        _ => None,
    }?;
    app.update(action)
}

/// Waits until the engine reports a state that is not running, at most
/// `STOP_GRACE`; a closed channel means there is nothing to wait for.
async fn wait_for_stop(progress: &mut watch::Receiver<Progress>) {
    let deadline = Instant::now() + STOP_GRACE;
    while progress.borrow().state.is_running() {
        match tokio::time::timeout_at(deadline, progress.changed()).await {
            Ok(Ok(())) => continue,
            Ok(Err(_)) | Err(_) => break,
        }
    }
}

/// The loader's next answer; pending forever without a loader.
async fn next_slow_result(
    results: &mut Option<mpsc::UnboundedReceiver<SlowResult>>,
) -> Option<SlowResult> {
    match results {
        Some(results) => results.recv().await,
        None => std::future::pending().await,
    }
}

fn until_next_minute() -> Duration {
    let now = chrono::Utc::now();
    let into_minute = Duration::from_secs(now.timestamp().rem_euclid(60) as u64)
        + Duration::from_nanos(u64::from(now.timestamp_subsec_nanos()));
    Duration::from_secs(60).saturating_sub(into_minute) + Duration::from_millis(10)
}
