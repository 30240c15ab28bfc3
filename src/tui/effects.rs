//! What the UI asks of the terminal and the desktop, done by the event loop
//! (the only owner of the terminal): open a browser, copy to the clipboard,
//! suspend. The state only records the wish (`Effect`), so it stays testable.

use std::io::{self, Write};
use std::process::{Command, Stdio};

use color_eyre::eyre::WrapErr;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::Terminal;
use ratatui::backend::Backend;

use super::state::app::{App, Effect};

pub fn perform<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    effect: Effect,
) -> color_eyre::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    match effect {
        Effect::OpenUrl(url) => {
            let text = if open_in_browser(&url) {
                format!("Opened {url}")
            } else {
                // No opener (a server, a container): the address is the answer.
                format!("Open in a browser: {url}")
            };
            app.set_notice(text);
        }
        Effect::Copy(text) => {
            // OSC 52: the terminal (even over SSH) puts the text on the
            // clipboard; terminals without it ignore the sequence.
            let mut out = io::stdout();
            let _ = write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()));
            let _ = out.flush();
        }
        Effect::Suspend => {
            suspend().wrap_err("cannot suspend")?;
            // Not `clear()`: it asks the terminal where the cursor is and
            // fails where no answer comes; a resize clears and forces a
            // full redraw without asking (the size may have changed, too).
            let size = terminal.size().wrap_err("cannot redraw after resuming")?;
            terminal
                .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
                .wrap_err("cannot redraw after resuming")?;
            app.mark_dirty();
        }
    }
    Ok(())
}

fn open_in_browser(url: &str) -> bool {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    Command::new(opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .is_ok()
}

/// Restores the terminal, stops like Ctrl-Z does in a shell, and takes the
/// terminal back when `fg` resumes the process.
fn suspend() -> io::Result<()> {
    // The shell gets its cursor back (restore leaves it as the TUI had it).
    let _ = crossterm::execute!(io::stdout(), DisableMouseCapture, crossterm::cursor::Show);
    ratatui::restore();
    // SAFETY: raise() only sends a signal to this process; SIGTSTP's default
    // action stops it until SIGCONT, then raise() returns.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(
        io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        EnableMouseCapture,
        crossterm::cursor::Hide
    )?;
    Ok(())
}

/// Standard base64 with padding (RFC 4648), for OSC 52.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"8000000009"), "ODAwMDAwMDAwOQ==");
    }
}
