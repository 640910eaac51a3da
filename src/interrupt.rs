//! Stopping a build when its user presses Ctrl-C or the system asks it to
//! end. A build of a large archive runs for minutes and stages gigabytes of
//! pages beside the output; killed outright, it would leave that staging
//! folder behind. Instead the first signal only raises a flag: each stage
//! stops taking new articles and pages, the build returns
//! [`BuildFailure::interrupted`](crate::BuildFailure), its staging folder is
//! removed, and the last good output is left as it was. A second signal
//! ends the process at once.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Ask the running build to stop.
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Whether the build was asked to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// Stop builds on Ctrl-C, `SIGTERM` or `SIGHUP` as described above; exit
/// with `code` on the second signal.
pub fn install(code: i32) -> Result<(), String> {
    ctrlc::set_handler(move || {
        if requested() {
            std::process::exit(code);
        }
        request();
        eprintln!("stopping the build (press Ctrl-C again to quit at once)");
    })
    .map_err(|e| format!("cannot watch for Ctrl-C: {e}"))
}
