//! The terminal: raw mode and the alternate screen (restored on every exit path), key and
//! resize events, termination signals, and drawing a frame of lines.

use std::io::{self, IsTerminal, Write};
use std::sync::Once;
use std::sync::mpsc::Sender;
use std::thread;

use anyhow::{Result, bail};
use crossterm::event::{self, Event, KeyEvent, KeyEventKind};
use crossterm::{cursor, queue, style, terminal};

use super::Msg;

/// Something that happened at the terminal or to the process.
pub enum Input {
    Key(KeyEvent),
    Resize,
    /// SIGINT, SIGTERM or SIGHUP: leave as if `q` was pressed.
    Signal,
}

/// Watch mode needs a terminal on both ends. Exit code 2 (through `main`'s error path), the
/// same as any other usage error.
pub fn require_tty() -> Result<()> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        bail!(
            "watch mode needs a terminal (stdin and stdout are not both a TTY)\n  help: in scripts and CI use {} for one exercise or {} for all of them",
            crate::invocation::typed("run [NAME]"),
            crate::invocation::typed("verify")
        );
    }
    Ok(())
}

/// Puts the terminal into raw mode on the alternate screen; dropping it restores the terminal,
/// also when unwinding from a panic.
pub struct TerminalGuard;

impl TerminalGuard {
    pub fn enter() -> Result<TerminalGuard> {
        install_panic_hook();
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard;
        let mut out = io::stdout();
        queue!(out, terminal::EnterAlternateScreen, cursor::Hide)?;
        out.flush()?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves the alternate screen and raw mode. Safe to call more than once.
fn restore() {
    let mut out = io::stdout();
    let _ = queue!(
        out,
        style::ResetColor,
        cursor::Show,
        terminal::LeaveAlternateScreen
    );
    let _ = out.flush();
    let _ = terminal::disable_raw_mode();
}

/// A panic restores the terminal before its message is printed, so the message is readable and
/// the shell is usable afterwards.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Reads keys and resizes on a thread of its own, so they arrive while a check runs.
pub fn spawn_input(tx: Sender<Msg>) {
    thread::spawn(move || {
        loop {
            let input = match event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Input::Key(key),
                Ok(Event::Resize(..)) => Input::Resize,
                Ok(_) => continue,
                Err(_) => Input::Signal,
            };
            let stop = matches!(input, Input::Signal);
            if tx.send(Msg::Input(input)).is_err() || stop {
                break;
            }
        }
    });
}

/// Turns termination signals into an orderly quit, so the terminal gets restored.
pub fn spawn_signals(tx: Sender<Msg>) {
    crate::engine::process::on_termination_signals(move |_| {
        let _ = tx.send(Msg::Input(Input::Signal));
    });
}

/// The terminal's size as (columns, rows); (0, 0) when unknown.
pub fn size() -> (usize, usize) {
    terminal::size().map_or((0, 0), |(w, h)| (usize::from(w), usize::from(h)))
}

/// Draws `lines` from the top, one per row, clearing the rest. Lines must already fit the
/// width; colours are reset at each line so none bleeds into the next.
pub fn draw(lines: &[String], rows: usize) -> io::Result<()> {
    let mut frame = Vec::with_capacity(8 * 1024);
    queue!(frame, terminal::BeginSynchronizedUpdate)?;
    for (row, line) in lines.iter().take(rows).enumerate() {
        let row = u16::try_from(row).unwrap_or(u16::MAX);
        queue!(
            frame,
            cursor::MoveTo(0, row),
            style::ResetColor,
            terminal::Clear(terminal::ClearType::CurrentLine),
            style::Print(line),
            style::ResetColor
        )?;
    }
    let next = u16::try_from(lines.len().min(rows)).unwrap_or(u16::MAX);
    if next < u16::try_from(rows).unwrap_or(u16::MAX) {
        queue!(
            frame,
            cursor::MoveTo(0, next),
            terminal::Clear(terminal::ClearType::FromCursorDown)
        )?;
    }
    queue!(frame, terminal::EndSynchronizedUpdate)?;
    let mut out = io::stdout().lock();
    out.write_all(&frame)?;
    out.flush()
}
