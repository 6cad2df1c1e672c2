//! A one-line progress counter on stderr for long scans, drawn only when
//! stderr is a terminal (never into pipes, logs or `--json` output).

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const REDRAW_EVERY: Duration = Duration::from_millis(100);

pub struct Progress {
    total: usize,
    done: AtomicUsize,
    /// `None` when nothing is drawn.
    last_draw: Option<Mutex<Instant>>,
}

impl Progress {
    pub fn new(wanted: bool, total: usize) -> Progress {
        let draw = wanted && std::io::stderr().is_terminal();
        Progress {
            total,
            done: AtomicUsize::new(0),
            last_draw: draw.then(|| Mutex::new(Instant::now())),
        }
    }

    /// One more file done; called from any thread.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let Some(last_draw) = &self.last_draw else {
            return;
        };
        let Ok(mut last) = last_draw.try_lock() else {
            return;
        };
        if last.elapsed() < REDRAW_EVERY {
            return;
        }
        *last = Instant::now();
        let mut stderr = std::io::stderr().lock();
        let _ = write!(
            stderr,
            "\r\x1b[2Kscanning Python files: {done}/{}",
            self.total
        );
        let _ = stderr.flush();
    }

    pub fn finish(&self) {
        if self.last_draw.is_some() {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K");
            let _ = stderr.flush();
        }
    }
}
