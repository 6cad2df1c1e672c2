//! Ctrl-C (SIGINT), SIGTERM and SIGHUP while a batch is written: the batch
//! is finished (or undone, before the first rename) and only then does
//! ferry stop. Outside a batch the signals act as they always do.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

static DEFERRING: AtomicBool = AtomicBool::new(false);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static INSTALL: Once = Once::new();

const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

fn install() {
    INSTALL.call_once(|| {
        for signal in SIGNALS {
            // SAFETY: the action only touches atomics and calls
            // `emulate_default_handler`, all async-signal-safe.
            let installed = unsafe {
                signal_hook::low_level::register(signal, move || {
                    if DEFERRING.load(Ordering::SeqCst) {
                        INTERRUPTED.store(true, Ordering::SeqCst);
                    } else {
                        let _ = signal_hook::low_level::emulate_default_handler(signal);
                    }
                })
            };
            // Without the handler the signal still stops ferry; the next
            // run then finishes the batch from the journal.
            let _ = installed;
        }
    });
}

/// While alive, the signals above only set a flag.
pub struct Deferred(());

impl Deferred {
    pub fn start() -> Deferred {
        install();
        INTERRUPTED.store(false, Ordering::SeqCst);
        DEFERRING.store(true, Ordering::SeqCst);
        Deferred(())
    }

    /// A signal came since `start`.
    pub fn interrupted(&self) -> bool {
        INTERRUPTED.load(Ordering::SeqCst)
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        DEFERRING.store(false, Ordering::SeqCst);
    }
}
