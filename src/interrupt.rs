//! Stopping a build when its user presses Ctrl-C or the system asks it to
//! end. A build of a large archive runs for minutes and stages gigabytes of
//! pages beside the output; killed outright, it would leave that staging
//! folder behind. Instead the first signal only raises a flag: each stage
//! stops taking new files, articles and pages, the build returns
//! [`BuildFailure::interrupted`](crate::BuildFailure), its staging folder is
//! removed, and the last good output is left as it was. A second signal
//! ends the process at once.
//!
//! Once a build has begun swapping its new output in ([`Finishing`]), it
//! is not stopped: two renames must not be cut in half, or the site would
//! be left with no output folder at all.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);
static FINISHING: AtomicBool = AtomicBool::new(false);

/// Ask the running build to stop.
fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Whether the build was asked to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// While alive, signals no longer stop the build: it is swapping its
/// output in.
pub struct Finishing(());

impl Finishing {
    pub fn begin() -> Finishing {
        FINISHING.store(true, Ordering::SeqCst);
        Finishing(())
    }
}

impl Drop for Finishing {
    fn drop(&mut self) {
        FINISHING.store(false, Ordering::SeqCst);
    }
}

/// Stop builds on Ctrl-C, `SIGTERM` or `SIGHUP` as described above; exit
/// with `code` on the second signal. A signal the process was started with
/// set to be ignored (`nohup`, a background job of a script) stays ignored.
pub fn install(code: i32) -> Result<(), String> {
    install_with(code, "stopping the build", || {})
}

/// As [`install`], saying `stopping` on the first signal and running
/// `also` then: the dev server stops serving, and a build it is running
/// stops too.
pub fn install_with(
    code: i32,
    stopping: &'static str,
    also: impl Fn() + Send + 'static,
) -> Result<(), String> {
    let ignored = ignored_signals();
    ctrlc::set_handler(move || {
        // Written before the flag is raised, so that it comes before the
        // build's own last words; a closed terminal is no reason to panic.
        let say = |text: &str| {
            let _ = writeln!(std::io::stderr(), "{text}");
        };
        if FINISHING.load(Ordering::SeqCst) {
            say("the build is swapping its new output in and will finish");
            also();
        } else if requested() {
            std::process::exit(code);
        } else {
            say(&format!("{stopping} (press Ctrl-C again to quit at once)"));
            request();
            also();
        }
    })
    .map_err(|e| format!("cannot watch for Ctrl-C: {e}"))?;
    restore_ignored(&ignored);
    Ok(())
}

#[cfg(unix)]
const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// The signals among those `ctrlc` handles that are set to be ignored.
#[cfg(unix)]
fn ignored_signals() -> Vec<libc::c_int> {
    SIGNALS
        .into_iter()
        .filter(|&signal| {
            // SAFETY: with a null new action, sigaction only writes the
            // current one into `old`, a plain C struct that may be zeroed.
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                libc::sigaction(signal, std::ptr::null(), &mut old) == 0
                    && old.sa_sigaction == libc::SIG_IGN
            }
        })
        .collect()
}

/// Set `signals` back to being ignored, after `ctrlc` took them over.
#[cfg(unix)]
fn restore_ignored(signals: &[libc::c_int]) {
    for &signal in signals {
        // SAFETY: setting a signal's disposition to SIG_IGN involves no
        // handler code and no memory of ours.
        unsafe {
            libc::signal(signal, libc::SIG_IGN);
        }
    }
}

#[cfg(not(unix))]
fn ignored_signals() -> Vec<i32> {
    Vec::new()
}

#[cfg(not(unix))]
fn restore_ignored(_: &[i32]) {}
