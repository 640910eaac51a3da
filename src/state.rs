//! What the last build read and wrote, so that a build with nothing
//! changed can stop at once instead of rendering every page again.
//!
//! The record lives beside the output folder, in `.<output>.dateline-state`.
//! It holds a stamp (size, modification time, inode) of every input file
//! (`site.toml`, `content/`, `templates/`, `static/`), the options and
//! program of the build, the stamp of every file and folder of the output,
//! and the moment until which the output stays right (the next scheduled
//! article, an article leaving the news sitemap's 48 hours). A build whose
//! inputs, options, program and output all still match, inside that time,
//! is up to date; any difference at all means a full build. So the record
//! can make a build faster, never different: a missing, stale or damaged
//! record only costs the time of the full build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::CONFIG_FILE;
use crate::diagnostic::Diagnostic;

/// What identifies a file's version without reading it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    path: String,
    len: u64,
    mtime_ns: i128,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path, shown: String) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            path: shown,
            len: if meta.is_dir() { 0 } else { meta.len() },
            mtime_ns,
            inode,
        })
    }
}

/// The record of a successful build.
#[derive(Debug, Serialize, Deserialize)]
pub struct State {
    /// The program: its version and its executable's stamp.
    program: Vec<Stamp>,
    /// The options that change the output.
    options: String,
    /// The build's moment, and the first moment at which the output could
    /// differ (none: never).
    now: Timestamp,
    valid_until: Option<Timestamp>,
    inputs: Vec<Stamp>,
    /// Every file and folder of the output, relative to it.
    outputs: Vec<Stamp>,
    /// What the build reported, to report again.
    pub summary: Summary,
}

/// The part of a build's report worth repeating when nothing changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub pages: std::collections::BTreeMap<String, usize>,
    pub static_files: usize,
    pub warnings: Vec<Diagnostic>,
    pub next_scheduled: Option<(Timestamp, PathBuf)>,
}

/// Where the record of the output folder `target` is kept.
pub fn file_for(target: &Path) -> PathBuf {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    target.with_file_name(format!(".{name}.dateline-state"))
}

/// What a build's result depends on: its input files, stamped before the
/// build reads them (so an edit made during the build shows as a change
/// next time), and its options.
pub struct Key<'a> {
    pub target: &'a Path,
    /// Every option that changes the output, written out.
    pub options: String,
    pub now: Timestamp,
    /// `None` when a walk met a problem: never up to date.
    inputs: Option<Vec<Stamp>>,
}

impl<'a> Key<'a> {
    /// The key of a build starting now: stamps every input file.
    pub fn new(root: &'a Path, target: &'a Path, options: String, now: Timestamp) -> Self {
        let inputs = Self::stamp_inputs(root);
        Key {
            target,
            options,
            now,
            inputs,
        }
    }

    fn program() -> Vec<Stamp> {
        let version = Stamp {
            path: format!("dateline {}", env!("CARGO_PKG_VERSION")),
            len: 0,
            mtime_ns: 0,
            inode: 0,
        };
        let exe = std::env::current_exe()
            .ok()
            .and_then(|exe| Stamp::of(&exe, exe.display().to_string()));
        std::iter::once(version).chain(exe).collect()
    }

    /// Stamps of every input file; `None` when the walk met a problem (a
    /// full build reports it).
    fn stamp_inputs(root: &Path) -> Option<Vec<Stamp>> {
        let mut files = vec![PathBuf::from(CONFIG_FILE)];
        for (folder, hidden) in [("content", false), ("templates", false), ("static", true)] {
            let found = crate::walk::files(root, folder, hidden);
            if !found.problems.errors.is_empty() || !found.problems.warnings.is_empty() {
                return None;
            }
            files.extend(found.files.into_iter().map(|f| Path::new(folder).join(f)));
        }
        files
            .par_iter()
            .map(|rel| Stamp::of(&root.join(rel), rel.display().to_string()))
            .collect()
    }
}

/// Stamps of `paths` (relative to `target`, folders included).
fn outputs(target: &Path, paths: &[String]) -> Option<Vec<Stamp>> {
    paths
        .par_iter()
        .map(|p| Stamp::of(&target.join(p), p.clone()))
        .collect()
}

/// The recorded summary, when the output of the last build is still what
/// a build now would write.
pub fn up_to_date(key: &Key) -> Option<Summary> {
    // Without an output there is nothing to keep, and the record (long
    // for a large site) is not worth reading.
    if !key.target.is_dir() {
        return None;
    }
    let text = std::fs::read(file_for(key.target)).ok()?;
    let state: State = serde_json::from_slice(&text).ok()?;
    let fresh = state.program == Key::program()
        && state.options == key.options
        && state.now <= key.now
        && state.valid_until.is_none_or(|until| key.now < until);
    // The output folder itself first: a removed or replaced folder is the
    // cheapest difference to find.
    let top = state.outputs.first()?;
    if !fresh || Stamp::of(&key.target.join(&top.path), top.path.clone()).as_ref() != Some(top) {
        return None;
    }
    if Some(&state.inputs) != key.inputs.as_ref() {
        return None;
    }
    let paths: Vec<String> = state.outputs.iter().map(|s| s.path.clone()).collect();
    if state.outputs != outputs(key.target, &paths)? {
        return None;
    }
    Some(state.summary)
}

/// Forget the last build's record: its output is about to change.
pub fn forget(target: &Path) {
    let _ = std::fs::remove_file(file_for(target));
}

/// Record a build that just wrote `files` (relative to the output) into
/// `key.target`. Failing to record only makes the next build a full one.
pub fn record(key: &Key, valid_until: Option<Timestamp>, files: &[String], summary: Summary) {
    let mut paths: BTreeSet<String> = BTreeSet::new();
    paths.insert(String::new());
    for f in files {
        let mut at = f.as_str();
        paths.insert(f.clone());
        while let Some((parent, _)) = at.rsplit_once('/') {
            paths.insert(parent.to_string());
            at = parent;
        }
    }
    let paths: Vec<String> = paths.into_iter().collect();
    let (Some(inputs), Some(outputs)) = (key.inputs.clone(), outputs(key.target, &paths)) else {
        return;
    };
    let state = State {
        program: Key::program(),
        options: key.options.clone(),
        now: key.now,
        valid_until,
        inputs,
        outputs,
        summary,
    };
    let file = file_for(key.target);
    let Ok(text) = serde_json::to_vec(&state) else {
        return;
    };
    let partial = file.with_extension("partial");
    if std::fs::write(&partial, text).is_ok() && std::fs::rename(&partial, &file).is_err() {
        let _ = std::fs::remove_file(&partial);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> Summary {
        Summary {
            pages: Default::default(),
            static_files: 0,
            warnings: Vec::new(),
            next_scheduled: None,
        }
    }

    #[test]
    fn an_edit_during_a_build_is_a_change_for_the_next() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::write(root.join(CONFIG_FILE), "title = \"x\"").unwrap();
        std::fs::create_dir_all(root.join("content/news")).unwrap();
        std::fs::write(root.join("content/news/a.md"), "first").unwrap();
        let target = root.join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("index.html"), "page").unwrap();
        let now = Timestamp::UNIX_EPOCH;
        let key = |root| Key::new(root, &target, "o".into(), now);
        // A build starts (inputs stamped), the file is edited, it records.
        let building = key(root);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(root.join("content/news/a.md"), "second, longer").unwrap();
        record(&building, None, &["index.html".into()], summary());
        assert!(up_to_date(&key(root)).is_none());
        // A build with nothing edited meanwhile is up to date after.
        let quiet = key(root);
        record(&quiet, None, &["index.html".into()], summary());
        assert!(up_to_date(&key(root)).is_some());
        // Until an output file changes.
        std::fs::write(target.join("index.html"), "edited by hand").unwrap();
        assert!(up_to_date(&key(root)).is_none());
    }
}
