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
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Mutex;

static REQUESTED: AtomicBool = AtomicBool::new(false);
static FINISHING: AtomicBool = AtomicBool::new(false);
static STUCK: AtomicBool = AtomicBool::new(false);
/// The exit code of a process stopped by a signal, once signals are
/// watched for.
static CODE: AtomicI32 = AtomicI32::new(0);

/// Note that a page has been in the making for far too long (a template
/// that does not end), or, with `false`, that the pages are made after
/// all. While one is stuck no stop could wait for it, so the first signal
/// ends the process at once, removing its folders first (see [`Ours`]).
pub fn stuck(stuck: bool) {
    STUCK.store(stuck, Ordering::SeqCst);
    // Asked to stop before the page was found stuck: it will not stop.
    let code = CODE.load(Ordering::SeqCst);
    if stuck && requested() && code != 0 && !FINISHING.load(Ordering::SeqCst) {
        stop_at_once(code);
    }
}

fn stop_at_once(code: i32) -> ! {
    let _ = writeln!(
        std::io::stderr(),
        "stopped at once: a page that never ends cannot be waited for"
    );
    // No page is being written: the one being made never will be.
    let ours = OURS.lock().unwrap_or_else(|e| e.into_inner());
    for folder in ours.iter() {
        let _ = std::fs::remove_dir_all(folder);
    }
    std::process::exit(code)
}

/// The folders the process made and removes when it stops, to remove too
/// when it stops at once for a page that never ends.
static OURS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// While alive, `folder` is removed if the process stops at once.
pub struct Ours(PathBuf);

impl Ours {
    pub fn new(folder: &Path) -> Ours {
        let mut ours = OURS.lock().unwrap_or_else(|e| e.into_inner());
        ours.push(folder.to_path_buf());
        Ours(folder.to_path_buf())
    }
}

impl Drop for Ours {
    fn drop(&mut self) {
        let mut ours = OURS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(at) = ours.iter().position(|f| *f == self.0) {
            ours.remove(at);
        }
    }
}

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
    CODE.store(code, Ordering::SeqCst);
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
        } else if STUCK.load(Ordering::SeqCst) {
            stop_at_once(code);
        } else {
            say(&format!(
                "{stopping} (a second Ctrl-C or signal quits at once)"
            ));
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
