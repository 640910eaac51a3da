//! Writing the site: into a staging folder beside the output folder, swapped
//! in only when the whole build succeeded, so a failed build leaves the last
//! good site exactly as it was and a web server never sees half a site.
//!
//! dateline deletes nothing but its own staging folder and the previous
//! output it replaces, and refuses output folders that would put a user's
//! own files at risk.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::diagnostic::{Diagnostic, Errors};
use crate::state::{Recorded, Staged, Version};

/// A site being written.
///
/// A file whose bytes equal the previous output's file at the same path is
/// not written again but hard-linked from it, so it keeps its modification
/// time and a sync to a web host sends only what changed.
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
    /// The output being replaced, when there is one.
    previous: Option<PathBuf>,
    /// The hashes of the previous output's files, from its build record:
    /// where they still apply, a file is compared without being read.
    recorded: Option<Recorded>,
    /// Every file staged.
    files: Mutex<Vec<Staged>>,
    /// The mode a file written now gets; a kept file must have it too.
    mode: Option<u32>,
    /// The group a file made now gets (a set-group-id folder above gives
    /// its own); a kept file must have it too.
    group: Option<u32>,
    /// Held on the staging folder while the build runs (and dropped after
    /// it, so after the folder is removed): see [`remove_abandoned`].
    _lock: Option<std::fs::File>,
    _ours: crate::interrupt::Ours,
}

/// Where rendered files go: a [`Staging`] folder for a build, an
/// [`InPlace`] folder for the dev server's partial rebuilds.
pub trait Sink: Sync {
    /// Write a site path: `/a/b/` becomes `a/b/index.html`, `/x.css` `x.css`.
    fn write(&self, site_path: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
    /// Copy a user's file to a site path.
    fn copy(&self, from: &Path, site_path: &str) -> Result<(), Diagnostic>;
    /// Have no file at a site path (one the site wrote before, and no
    /// longer does).
    fn remove(&self, site_path: &str);
}

impl Sink for Staging {
    fn write(&self, site_path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        Staging::write(self, site_path, bytes)
    }

    fn copy(&self, from: &Path, site_path: &str) -> Result<(), Diagnostic> {
        Staging::copy(self, from, site_path)
    }

    /// A new site has only the files written into it.
    fn remove(&self, _site_path: &str) {}
}

/// Write `bytes` to `file` in one step: a reader (the dev server's, while
/// it rebuilds) finds the old file or the new one, never an empty or half
/// written one, as `std::fs::write` would let it. The new file gets the
/// permissions `fs::write` would give it, or `permissions`.
fn replace_whole(
    file: &Path,
    bytes: &[u8],
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".dateline-write-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Given to open(2), which takes the umask off, as for fs::write.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir)?;
    temp.write_all(bytes)?;
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    temp.persist(file).map(|_| ()).map_err(|e| e.error)
}

/// A folder the dev server serves and updates file by file. Changed files
/// are held in memory until every page of the update rendered, then
/// written; an update that fails writes nothing, so the last good build
/// stays served. Files whose bytes are unchanged are not touched.
pub struct InPlace {
    dir: PathBuf,
    /// Files to write (`Some`) or remove (`None`), by path in `dir`, and
    /// the permissions a copied file takes.
    pending: Mutex<Vec<Pending>>,
    held: AtomicUsize,
    overflow: std::sync::atomic::AtomicBool,
}

/// A file an update will write (`Some` bytes) or remove (`None`), and the
/// permissions a copied file takes.
type Pending = (PathBuf, Option<Vec<u8>>, Option<std::fs::Permissions>);

/// The most an update holds in memory; past it the dev server builds in
/// full instead (into a staging folder, as `build` does).
const HOLD_AT_MOST: usize = 512 << 20;

impl InPlace {
    pub fn new(dir: &Path) -> InPlace {
        InPlace {
            dir: dir.to_path_buf(),
            pending: Mutex::new(Vec::new()),
            held: AtomicUsize::new(0),
            overflow: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Remove a site path's file, if there is one.
    pub fn remove(&self, site_path: &str) {
        let file = output_file(site_path).map(|rel| self.dir.join(rel));
        // A file that is not there is no change.
        if let Some(file) = file.filter(|f| std::fs::symlink_metadata(f).is_ok()) {
            self.hold(file, None, None);
        }
    }

    /// Whether the update grew past what it may hold (and so is incomplete).
    pub fn overflowed(&self) -> bool {
        self.overflow.load(Ordering::Relaxed)
    }

    /// Write and remove what the update holds; returns how many files.
    pub fn commit(self) -> Result<usize, Diagnostic> {
        let held = self.pending.into_inner().unwrap_or_default();
        // A path held twice (a change named twice) is one file, as last held.
        let mut seen = std::collections::HashSet::new();
        let pending: Vec<Pending> = (held.into_iter().rev())
            .filter(|(file, ..)| seen.insert(file.clone()))
            .collect();
        let count = pending.len();
        for (file, bytes, permissions) in pending {
            let shown = file.strip_prefix(&self.dir).unwrap_or(&file).to_path_buf();
            let done = match bytes {
                Some(bytes) => file
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| replace_whole(&file, &bytes, permissions)),
                None => match std::fs::remove_file(&file) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                    other => other,
                },
            };
            done.map_err(|e| Diagnostic::io(&shown, "write", &e))?;
        }
        Ok(count)
    }

    fn hold(
        &self,
        file: PathBuf,
        bytes: Option<Vec<u8>>,
        permissions: Option<std::fs::Permissions>,
    ) {
        let len = bytes.as_ref().map_or(0, Vec::len);
        if self.held.fetch_add(len, Ordering::Relaxed) + len > HOLD_AT_MOST {
            self.overflow.store(true, Ordering::Relaxed);
            return;
        }
        if let Ok(mut pending) = self.pending.lock() {
            pending.push((file, bytes, permissions));
        }
    }

    /// Hold `bytes` for `site_path` unless its file has them already (and,
    /// for a copy, the `permissions` too).
    fn replace(
        &self,
        site_path: &str,
        bytes: &[u8],
        permissions: Option<std::fs::Permissions>,
    ) -> Result<(), Diagnostic> {
        let rel = output_file(site_path).ok_or_else(|| {
            Diagnostic::new(
                site_path,
                "is not a path inside the site; nothing is written outside the output folder",
            )
        })?;
        let file = self.dir.join(&rel);
        let same_permissions = permissions
            .as_ref()
            .is_none_or(|p| std::fs::metadata(&file).is_ok_and(|m| m.permissions() == *p));
        if !(same_permissions && std::fs::read(&file).is_ok_and(|old| old == bytes)) {
            self.hold(file, Some(bytes.to_vec()), permissions);
        }
        Ok(())
    }
}

impl Sink for InPlace {
    fn write(&self, site_path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.replace(site_path, bytes, None)
    }

    /// Copy with the file's permissions, as a build's copy has them.
    fn copy(&self, from: &Path, site_path: &str) -> Result<(), Diagnostic> {
        let bytes = std::fs::read(from).map_err(|e| Diagnostic::io(from, "read", &e))?;
        let permissions = std::fs::metadata(from).ok().map(|m| m.permissions());
        self.replace(site_path, &bytes, permissions)
    }

    fn remove(&self, site_path: &str) {
        InPlace::remove(self, site_path)
    }
}

/// How many files a build wrote anew, and how many it kept from the
/// previous output because their bytes had not changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileCounts {
    pub written: usize,
    pub kept: usize,
    /// Files of the previous output at a path this build has none at.
    #[serde(default)]
    pub removed: usize,
}

impl FileCounts {
    /// The counts of a committed output: a file staged twice at one path
    /// counts once, as the one that is there.
    pub fn of(files: &[Staged]) -> FileCounts {
        let kept = files.iter().filter(|f| f.kept).count();
        FileCounts {
            written: files.len() - kept,
            kept,
            removed: 0,
        }
    }
}

/// Folders of the site that the output must never touch.
const PROTECTED: [&str; 3] = ["content", "templates", "static"];

impl Staging {
    /// Start writing a site that will replace `target` (relative to `root`
    /// unless absolute).
    pub fn begin(root: &Path, target: &Path) -> Result<Staging, Errors> {
        let root = absolute(root);
        let target = resolve(&root, target);
        check_target(&root, &target)?;
        let parent = target.parent().unwrap_or(Path::new("/"));
        let shown = target.display().to_string();
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::io(parent, "create the output's parent folder", &e))?;
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}{STAGING_INFIX}"))
            .tempdir_in(parent)
            .map_err(|e| {
                Diagnostic::new(
                    &shown,
                    format!("could not create a staging folder beside it: {e}"),
                )
            })?;
        let previous = target.is_dir().then(|| target.clone());
        let new = new_files(dir.path());
        Ok(Staging {
            target,
            previous,
            recorded: None,
            files: Mutex::new(Vec::new()),
            mode: new.map(|(mode, _)| mode),
            group: new.and_then(|(_, group)| group),
            _lock: hold_lock(dir.path()),
            _ours: crate::interrupt::Ours::new(dir.path()),
            dir,
        })
    }

    /// Compare files with the previous output's by the hashes `recorded`
    /// in its build record, where they still apply.
    pub fn with_record(self, recorded: Recorded) -> Staging {
        Staging {
            recorded: Some(recorded),
            ..self
        }
    }

    /// Keep no file of the previous output, however alike: made while
    /// the folder above passed on another group or default ACL, its files
    /// have those still, which their bytes and mode do not show.
    pub fn keeping_nothing(self) -> Staging {
        Staging {
            previous: None,
            ..self
        }
    }

    /// The folder that will become the output.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Write a site path: `/a/b/` becomes `a/b/index.html`, `/x.css` `x.css`.
    pub fn write(&self, site_path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let hash = crate::state::hash(bytes);
        let (rel, shown, file) = self.prepare(site_path)?;
        let same = |old: Old| {
            // A file chmodded by hand, or written under another umask, is
            // written again: a clean build's file would have this mode.
            if self.mode.is_some_and(|mode| mode_of(old.meta) != mode) {
                return false;
            }
            let recorded = self.recorded.as_ref();
            match recorded.and_then(|r| r.same(&shown, old.meta, hash)) {
                Some(same) => same,
                None => {
                    old.len() == bytes.len() as u64
                        && std::fs::read(old.path).is_ok_and(|b| b == bytes)
                }
            }
        };
        let had = self.keep(&rel, &file, same);
        if had == Some(true) {
            self.note(shown, Some(hash), None, had);
            return Ok(());
        }
        let out = new_file(&file)
            .and_then(|mut out| out.write_all(bytes).map(|()| out))
            .map_err(|e| Diagnostic::io(Path::new(site_path), "write", &e))?;
        // Stamped from the open file: no second look-up of its path. If
        // that fails, the record stamps it by path.
        let version = out.metadata().ok().map(|meta| Version::of(&meta));
        self.note(shown, Some(hash), version, had);
        Ok(())
    }

    /// Note a file staged: `had` says whether the previous output had one
    /// at its path (`None`: no), and whether it was kept.
    fn note(&self, path: String, hash: Option<u128>, version: Option<Version>, had: Option<bool>) {
        if let Ok(mut files) = self.files.lock() {
            files.push(Staged {
                path,
                hash,
                version,
                kept: had == Some(true),
                replaced: had.is_some(),
            });
        }
    }

    /// Copy a user's file to a site path.
    pub fn copy(&self, from: &Path, site_path: &str) -> Result<(), Diagnostic> {
        let (rel, shown, file) = self.prepare(site_path)?;
        // A file already staged at its path is removed first, so the copy
        // is a new file, never written into one the previous output may
        // share by a hard link.
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Diagnostic::io(Path::new(site_path), "replace", &e));
            }
            _ => {}
        }
        // Same bytes and the same permissions: a copy takes the file's
        // (an executable script stays executable), a kept file has the
        // old copy's.
        let same = |old: Old| {
            std::fs::metadata(from)
                .is_ok_and(|m| m.len() == old.len() && m.permissions() == old.meta.permissions())
                && match (std::fs::read(from), std::fs::read(old.path)) {
                    (Ok(a), Ok(b)) => a == b,
                    _ => false,
                }
        };
        let had = self.keep(&rel, &file, same);
        if had != Some(true) {
            std::fs::copy(from, &file)
                .map_err(|e| Diagnostic::io(from, &format!("copy it to {site_path}"), &e))?;
        }
        self.note(shown, None, None, had);
        Ok(())
    }

    /// Hard-link the previous output's file at `rel` into `file` when
    /// `same` says its bytes are the ones to write. Whether it was kept;
    /// `None` when the previous output has no file there.
    fn keep(&self, rel: &Path, file: &Path, same: impl FnOnce(Old) -> bool) -> Option<bool> {
        let path = self.previous.as_ref()?.join(rel);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let kept = self
            .group
            .is_none_or(|group| group_of(&meta) == Some(group))
            && same(Old {
                path: &path,
                meta: &meta,
            })
            && std::fs::hard_link(&path, file).is_ok();
        Some(kept)
    }

    /// Copy `files` (the site's `static/` files, relative to `from`) to the
    /// same paths in the output. Returns how many were copied.
    pub fn copy_tree(
        &self,
        from: &Path,
        files: &std::collections::BTreeSet<PathBuf>,
    ) -> Result<usize, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        for rel in files {
            if crate::interrupt::requested() {
                // Stopping: the build drops the staging folder.
                break;
            }
            let site_path = format!("/{}", slash_path(rel));
            if let Err(d) = self.copy(&from.join(rel), &site_path) {
                errors.push(d);
            }
        }
        match errors.is_empty() {
            true => Ok(files.len()),
            false => Err(errors),
        }
    }

    /// The file a site path is written to, relative to the output (as a
    /// path, and with `/` between names) and in the staging folder, with
    /// its folder created.
    fn prepare(&self, site_path: &str) -> Result<(PathBuf, String, PathBuf), Diagnostic> {
        let rel = output_file(site_path).ok_or_else(|| {
            Diagnostic::new(
                site_path,
                "is not a path inside the site; nothing is written outside the output folder",
            )
        })?;
        let file = self.dir.path().join(&rel);
        let shown = slash_path(&rel);
        if let Some(parent) = file.parent() {
            make_folder(parent).map_err(|e| {
                Diagnostic::io(Path::new(site_path), "create the output folder", &e)
            })?;
        }
        Ok((rel, shown, file))
    }

    /// Swap the staged site in for the old output. Returns the files it
    /// holds, in name order, and a warning if the old output, moved aside,
    /// could not be removed.
    pub fn commit(self) -> Result<Committed, Errors> {
        self.commit_removing_old_with(remove_old)
    }

    /// [`Staging::commit`], removing the old output with `remove`.
    fn commit_removing_old_with(
        self,
        remove: impl FnOnce(&Path) -> std::io::Result<usize>,
    ) -> Result<Committed, Errors> {
        let mut files = self.files.into_inner().unwrap_or_default();
        // Stable: a path staged twice (a build no longer makes the file a
        // site's `static/` gives, but a caller may still stage one path
        // twice) keeps its entries in the order they were made, and the
        // last, the file that is there, is the one kept.
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|later, kept| {
            let same = later.path == kept.path;
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
        let staged = self.dir.keep();
        let before = crate::state::before_swap(&staged, &files);
        let target = &self.target;
        let shown = target.display().to_string();
        let old = staged.with_file_name(format!(
            "{}.old",
            staged.file_name().unwrap_or_default().to_string_lossy()
        ));
        let had_old = target.exists();
        if had_old && !target.is_dir() {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(
                Diagnostic::new(&shown, "the output path exists and is not a folder").into(),
            );
        }
        // The old output is locked like a staging folder until it is
        // removed, so that no other build takes it for abandoned.
        let _old_lock = had_old.then(|| hold_lock(target)).flatten();
        // A move that failed: the staging folder goes, the old output stays.
        let failed = |doing: &str, e: std::io::Error| -> Result<Committed, Errors> {
            let _ = std::fs::remove_dir_all(&staged);
            let message = format!("could not {doing}: {e}");
            Err(Diagnostic::new(&shown, with_mount_hint(message, &e)).into())
        };
        let swapped = match had_old {
            true => exchange(&staged, target),
            false => Ok(false),
        };
        match swapped {
            // In one step: `staged` now holds the previous output.
            Ok(true) => {
                if std::fs::rename(&staged, &old).is_err() {
                    let (warning, old_files) = remove_previous(&staged, remove);
                    return Ok(Committed {
                        removed: removed(old_files, &files),
                        warning,
                        files,
                        before,
                    });
                }
            }
            Ok(false) => {
                if had_old {
                    if let Err(e) = std::fs::rename(target, &old) {
                        return failed("move the old output aside", e);
                    }
                }
                if let Err(e) = std::fs::rename(&staged, target) {
                    if had_old {
                        let _ = std::fs::rename(&old, target);
                    }
                    return failed("move the new output in place", e);
                }
            }
            Err(e) => return failed("move the new output in place", e),
        }
        // The new output is in place: a previous one left behind is worth
        // a warning, not a failed build.
        let (warning, old_files) = match had_old {
            true => remove_previous(&old, remove),
            false => (None, 0),
        };
        Ok(Committed {
            removed: removed(old_files, &files),
            files,
            before,
            warning,
        })
    }
}

/// Remove the previous output, moved aside to `old`, with `remove`; the
/// warning if that failed.
fn remove_previous(
    old: &Path,
    remove: impl FnOnce(&Path) -> std::io::Result<usize>,
) -> (Option<Diagnostic>, usize) {
    match remove(old) {
        Ok(files) => (None, files),
        Err(e) => {
            let warning = Diagnostic::new(
                old.display().to_string(),
                format!(
                    "the new output is in place, but this folder, the previous output, \
                     could not be removed ({e}); delete it by hand"
                ),
            );
            (Some(warning), 0)
        }
    }
}

/// How many of the previous output's `old_files` had no file of the new
/// output at their path.
fn removed(old_files: usize, files: &[Staged]) -> usize {
    old_files.saturating_sub(files.iter().filter(|f| f.replaced).count())
}

/// Put `staged` where `target` is and `target` where `staged` is in one
/// step, so that a web server serving `target` never finds it missing:
/// Linux's renameat2 with RENAME_EXCHANGE, through rustix. `Ok(false)`
/// where the system or the file system cannot, for two renames instead.
#[cfg(target_os = "linux")]
fn exchange(staged: &Path, target: &Path) -> std::io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_staged: &Path, _target: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// A failed move of the output folder, with what a mount point needs:
/// the folder is replaced whole, which a mount point cannot be.
fn with_mount_hint(message: String, e: &std::io::Error) -> String {
    let busy = matches!(
        e.kind(),
        std::io::ErrorKind::ResourceBusy | std::io::ErrorKind::CrossesDevices
    );
    match busy {
        true => format!(
            "{message}; is it a mount point? dateline replaces its output folder whole, \
             so give a folder inside the mount as the output"
        ),
        false => message,
    }
}

/// What a commit leaves: the output's files, in name order, and a warning
/// if the previous output could not be removed.
pub struct Committed {
    pub files: Vec<Staged>,
    /// Files of the previous output at a path the new one has none at.
    pub removed: usize,
    /// What the build records by path, as it was just before the swap
    /// ([`crate::state::before_swap`]).
    pub before: Option<Vec<crate::state::Stamp>>,
    pub warning: Option<Diagnostic>,
}

/// Builds of one output folder take turns: each holds an exclusive
/// `flock` on `.<output>.dateline-lock` beside it from before it reads
/// anything until its output is swapped in and its record written.
/// Without it, of two builds started a moment apart (a cron job and an
/// editor), the one that read the older files could swap in last and
/// put back what the other had published. The file holds the process id
/// of the build holding it, for the message of the one that waits; it is
/// never removed, since removing a lock file lets two builds each lock a
/// file of their own.
pub struct BuildLock {
    _file: Option<std::fs::File>,
}

impl BuildLock {
    /// No lock: for a build that will refuse its output folder.
    pub fn none() -> BuildLock {
        BuildLock { _file: None }
    }

    /// Wait for the lock of builds of `target` (resolved), saying why
    /// with `waiting` (given the holder's process id when known) if
    /// another build has it; `None` when asked to stop meanwhile, an error
    /// when something other than a file is where the lock goes. Where no
    /// lock can be had (no folder above the output yet, no flock), the
    /// build goes on without one.
    pub fn take(
        target: &Path,
        waiting: impl FnOnce(Option<u32>),
    ) -> Result<Option<BuildLock>, Diagnostic> {
        let none = BuildLock::none();
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            return Ok(Some(none));
        };
        let path = parent.join(format!(".{}.dateline-lock", name.to_string_lossy()));
        // Not a file of ours: a link (whose target would be written) or a
        // folder. Left as it is.
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            if !meta.is_file() {
                return Err(Diagnostic::new(
                    &path,
                    "is not a file: builds of this output keep their lock there (a file \
                     holding a process id); remove or rename it",
                ));
            }
        }
        let mut open = std::fs::OpenOptions::new();
        open.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            open.custom_flags(libc::O_NOFOLLOW);
        }
        let Ok(file) = open.open(&path) else {
            return Ok(Some(none));
        };
        let mut file = match try_lock(file) {
            Ok(file) => file,
            Err(None) => return Ok(Some(none)),
            Err(Some(mut file)) => {
                let holder = std::io::read_to_string(&mut file)
                    .ok()
                    .and_then(|s| s.trim().parse().ok());
                waiting(holder);
                loop {
                    if crate::interrupt::requested() {
                        return Ok(None);
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    match try_lock(file) {
                        Ok(locked) => break locked,
                        Err(None) => return Ok(Some(none)),
                        Err(Some(again)) => file = again,
                    }
                }
            }
        };
        use std::io::Seek;
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = writeln!(file, "{}", std::process::id());
        Ok(Some(BuildLock { _file: Some(file) }))
    }
}

/// `file`, locked (an exclusive `flock`); else the file back when
/// another process holds the lock, and nothing when it cannot be locked.
#[cfg(target_os = "linux")]
fn try_lock(file: std::fs::File) -> Result<std::fs::File, Option<std::fs::File>> {
    use rustix::fs::{flock, FlockOperation};
    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(file),
        Err(rustix::io::Errno::WOULDBLOCK) => Err(Some(file)),
        Err(_) => Err(None),
    }
}

#[cfg(not(target_os = "linux"))]
fn try_lock(_file: std::fs::File) -> Result<std::fs::File, Option<std::fs::File>> {
    Err(None)
}

/// Lock the folder `dir` (an exclusive `flock` on it), unless another
/// process holds it; the lock lasts as long as the file.
#[cfg(target_os = "linux")]
fn hold_lock(dir: &Path) -> Option<std::fs::File> {
    lock(std::fs::File::open(dir).ok()?)
}

/// `file`, locked (an exclusive `flock`), unless another process holds it.
#[cfg(target_os = "linux")]
fn lock(file: std::fs::File) -> Option<std::fs::File> {
    use rustix::fs::{flock, FlockOperation};
    flock(&file, FlockOperation::NonBlockingLockExclusive).ok()?;
    Some(file)
}

#[cfg(not(target_os = "linux"))]
fn hold_lock(_dir: &Path) -> Option<std::fs::File> {
    None
}

/// Between the output folder's name and six random letters or digits, the
/// name of a staging folder: `.public.dateline-build-Xq3vTz`; the old
/// output, moved aside, adds `.old`.
const STAGING_INFIX: &str = ".dateline-build-";

/// How old a staging folder must be before it may be taken for abandoned:
/// a build locks its folder right after making it, so this only has to
/// cover that moment.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Remove the staging folders beside `target` that a build stopped
/// outright (`kill -9`, a crash, a second Ctrl-C) left behind, and old
/// outputs it did not get to remove; returns those removed.
///
/// A running build holds a lock on its staging folder, and on the old
/// output while it removes it. A folder is taken for abandoned only when
/// all of these hold: the output folder is one a build may use
/// ([`check_target`]); its name is the staging folder's (`.public` +
/// [`STAGING_INFIX`] + six letters or digits, perhaps with `.old`); it is
/// a folder, not a link to one, owned by whoever runs this build; it is
/// at least a minute old; and it can be locked. An old output is kept
/// while there is no output folder: a build stopped between its two
/// renames leaves the last good site only there. The removal does not
/// follow links. Only on Linux; elsewhere nothing is removed.
pub fn remove_abandoned(root: &Path, target: &Path) -> Vec<PathBuf> {
    let root = absolute(root);
    let target = resolve(&root, target);
    if !cfg!(target_os = "linux") || check_target(&root, &target).is_err() {
        return Vec::new();
    }
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Vec::new();
    };
    let prefix = format!(".{}{STAGING_INFIX}", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let output_there = target.is_dir();
    let ours = |file_name: &str| {
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            return false;
        };
        let (rest, old) = match rest.strip_suffix(".old") {
            Some(rest) => (rest, true),
            None => (rest, false),
        };
        (output_there || !old) && made_by_tempfile(rest)
    };
    sweep(entries, ours)
}

/// Whether `rest` is what tempfile puts after a folder name's prefix: six
/// letters or digits.
fn made_by_tempfile(rest: &str) -> bool {
    rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Remove the folders among `entries` whose names `ours` accepts and that
/// are folders, not links, owned by whoever runs this, at least a minute
/// old and locked by no one; returns those removed, in name order.
fn sweep(entries: std::fs::ReadDir, ours: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        if !entry.file_name().to_str().is_some_and(&ours) {
            continue;
        }
        // The entry's own status: a link is not a folder here.
        let old_enough = entry.metadata().is_ok_and(|m| {
            m.is_dir()
                && m.modified()
                    .is_ok_and(|t| t.elapsed().is_ok_and(|age| age >= ABANDONED_AFTER))
        });
        if !old_enough {
            continue;
        }
        let path = entry.path();
        // Held while the folder is removed, so no other build tries too.
        let Some(_lock) = hold_own_lock(&path) else {
            continue;
        };
        if std::fs::remove_dir_all(&path).is_ok() {
            removed.push(path);
        }
    }
    removed.sort();
    removed
}

/// The start of the name of the dev server's folder in the system's
/// temporary folder; six letters or digits follow.
const SERVE_PREFIX: &str = "dateline-serve-";

/// The dev server's folder for the site it serves, in the system's
/// temporary folder: removed when the server stops, and locked while it
/// runs, so that a later server (on Linux) removes one left by a server
/// stopped outright, as builds do with staging folders.
pub struct ServeFolder {
    dir: tempfile::TempDir,
    /// Dropped after `dir`, so held until the folder is gone.
    _lock: Option<std::fs::File>,
    /// Folders of servers stopped outright, removed when this one was made.
    pub abandoned: Vec<PathBuf>,
    _ours: crate::interrupt::Ours,
}

impl ServeFolder {
    pub fn new() -> std::io::Result<ServeFolder> {
        let temp = std::env::temp_dir();
        let abandoned = match std::fs::read_dir(&temp) {
            Ok(entries) if cfg!(target_os = "linux") => sweep(entries, |name| {
                name.strip_prefix(SERVE_PREFIX)
                    .is_some_and(made_by_tempfile)
            }),
            _ => Vec::new(),
        };
        let dir = tempfile::Builder::new()
            .prefix(SERVE_PREFIX)
            .tempdir_in(&temp)?;
        Ok(ServeFolder {
            _lock: hold_lock(dir.path()),
            _ours: crate::interrupt::Ours::new(dir.path()),
            dir,
            abandoned,
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for ServeFolder {
    /// The folder's files are removed as a build removes its old output,
    /// in parallel: a 10,000-article site's served folder took 2.2 to 3.9
    /// s to remove one file at a time when the server stopped. What is
    /// left, if anything, goes with the temporary folder itself.
    fn drop(&mut self) {
        let _ = remove_old(self.dir.path());
    }
}

/// [`hold_lock`] on the folder `dir` itself (not a link to one), if it
/// belongs to whoever runs this build.
#[cfg(target_os = "linux")]
fn hold_own_lock(dir: &Path) -> Option<std::fs::File> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
        .open(dir)
        .ok()?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if file.metadata().ok()?.uid() != me {
        return None;
    }
    lock(file)
}

#[cfg(not(target_os = "linux"))]
fn hold_own_lock(_dir: &Path) -> Option<std::fs::File> {
    None
}

/// Remove the previous output, `dir`, with more threads than cores: much
/// of a deletion is waiting on the disk, not computing.
fn remove_old(dir: &Path) -> std::io::Result<usize> {
    crate::walk::waiting_on_disk(|| remove_tree(dir))
}

/// Remove the folder `dir` and all it holds, its folders in parallel: a
/// previous output of 200,000 files took 20.9 s to delete one file at a
/// time on this project's ext4 disk, and 9.5 s in eight parallel parts.
/// Like `std::fs::remove_dir_all`, it never follows a symbolic link: the
/// link is removed, not what it points to.
fn remove_tree(dir: &Path) -> std::io::Result<usize> {
    use rayon::prelude::*;
    let entries = std::fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    let files = entries
        .par_iter()
        .map(|entry| {
            let path = entry.path();
            // The entry's own type: a link to a folder is not a folder here.
            let kind = entry.file_type()?;
            if kind.is_dir() {
                remove_tree(&path)
            } else {
                // Windows removes a link to a folder as a folder.
                std::fs::remove_file(&path)
                    .or_else(|e| match kind.is_symlink() {
                        true => std::fs::remove_dir(&path),
                        false => Err(e),
                    })
                    .map(|()| 1)
            }
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    std::fs::remove_dir(dir)?;
    Ok(files)
}

/// A file of the previous output.
struct Old<'a> {
    path: &'a Path,
    meta: &'a std::fs::Metadata,
}

impl Old<'_> {
    fn len(&self) -> u64 {
        self.meta.len()
    }
}

/// The file, relative to the output folder, that a site path is written
/// to: `/a/b/` is `a/b/index.html`, `/x.css` is `x.css`. `None` when the
/// path could leave the output folder (`..`, `.`, a backslash or a drive).
pub fn output_file(site_path: &str) -> Option<PathBuf> {
    let rel = site_path.trim_start_matches('/');
    let plain = rel
        .split('/')
        .all(|part| part != ".." && part != "." && !part.contains('\\') && !part.contains(':'));
    if !plain {
        return None;
    }
    let mut file = PathBuf::from(rel);
    if rel.is_empty() || rel.ends_with('/') {
        file.push("index.html");
    }
    file.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(file)
}

/// The process's umask, read from `/proc` on Linux (setting it to learn
/// it would race with other threads): part of what a build depends on,
/// since it sets the mode of the files written. `None` where it cannot be
/// read.
pub fn umask() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let umask = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
    u32::from_str_radix(umask.trim(), 8).ok()
}

/// Whether the output folder `target` was made under another default ACL
/// than the folder holding it passes on now. A folder takes its parent's
/// default ACL as its own when it is made, so the two differ once one was
/// added, changed or removed above it since; files kept from it would
/// have the old one.
pub fn acl_changed_since_made(target: &Path) -> bool {
    holding_folder(target).is_some_and(|parent| default_acl(target) != default_acl(parent))
}

/// The folder whose settings `target` takes when it is made: its parent,
/// or, for a parent the build is still to make, the nearest folder above
/// that is there.
fn holding_folder(target: &Path) -> Option<&Path> {
    target.ancestors().skip(1).find(|p| p.is_dir())
}

/// What the folder that holds `target` passes on to the files and folders
/// made in it, beside the umask: its set-group-id bit with its group, and
/// its default ACL. Part of what a build depends on, like the umask: a
/// build that finds nothing changed writes no file to learn them.
pub fn inherited(target: &Path) -> String {
    let Some(parent) = holding_folder(target) else {
        return String::new();
    };
    #[cfg(unix)]
    let group = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(parent)
            .ok()
            .filter(|m| m.mode() & 0o2000 != 0)
            .map(|m| format!("setgid group {}", m.gid()))
    };
    #[cfg(not(unix))]
    let group: Option<String> = None;
    let acl = default_acl(parent).map(|bytes| {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!("default acl {hex}")
    });
    [group, acl]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// The folder's default ACL, as the system stores it.
#[cfg(target_os = "linux")]
fn default_acl(dir: &Path) -> Option<Vec<u8>> {
    let mut value = vec![0; 4096];
    let len = rustix::fs::getxattr(dir, "system.posix_acl_default", &mut value).ok()?;
    value.truncate(len);
    Some(value)
}

#[cfg(not(target_os = "linux"))]
fn default_acl(_dir: &Path) -> Option<Vec<u8>> {
    None
}

/// The permission bits and group a file written into `dir` gets, from a
/// file made and removed there: the umask, a set-group-id folder or a
/// default ACL all have their say. `None` if the file could not be made.
fn new_files(dir: &Path) -> Option<(u32, Option<u32>)> {
    let probe = dir.join(".dateline-mode");
    let meta = new_file(&probe).and_then(|file| file.metadata());
    let _ = std::fs::remove_file(&probe);
    meta.ok().map(|meta| (mode_of(&meta), group_of(&meta)))
}

fn group_of(meta: &std::fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(meta.gid())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// The permission bits of a file.
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0
    }
}

/// Create `file` as a new file. One already staged at that path (two
/// writes to one path) is removed first, never written into: it may be the
/// previous output's file, kept by a hard link.
fn new_file(file: &Path) -> std::io::Result<std::fs::File> {
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(file)
    };
    match create() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(file)?;
            create()
        }
        other => other,
    }
}

/// Create `folder` and any missing parents in the staging folder. Most
/// output folders are new, and most of the others were just made for a
/// page before: one `mkdir` settles both, where `create_dir_all` also asks
/// the file system whether an existing path is a folder. (The staging
/// folder holds only what the build wrote, so it is one; were it a file,
/// writing into it would fail with the page's path.)
///
/// A listing's feeds go into the folder its first page was just written
/// into, by the same thread: the folder each thread made last is not asked
/// for again (for the 10,000-article site, 23,749 `mkdir` calls instead of
/// 35,070, of which 14,492 found the folder there).
fn make_folder(folder: &Path) -> std::io::Result<()> {
    thread_local! {
        static LAST: std::cell::RefCell<PathBuf> = std::cell::RefCell::new(PathBuf::new());
    }
    if LAST.with_borrow(|last| last == folder) {
        return Ok(());
    }
    match std::fs::create_dir(folder) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(folder),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }?;
    LAST.with_borrow_mut(|last| folder.clone_into(last));
    Ok(())
}

/// `a/b` with forward slashes.
pub fn slash_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The absolute output folder for `target`, relative to `root` unless
/// absolute itself.
pub fn resolve(root: &Path, target: &Path) -> PathBuf {
    absolute(&absolute(root).join(target))
}

/// An absolute, lexically normalised path (`..` and `.` resolved), with
/// symbolic links in its existing part resolved.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve links in the longest existing prefix.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    resolved
}

/// Refuse `target` (relative to `root` unless absolute) as an output
/// folder if replacing it could lose a user's files, before anything is
/// read or touched.
pub fn check(root: &Path, target: &Path) -> Result<(), Errors> {
    let root = absolute(root);
    check_target(&root, &resolve(&root, target))
}

/// Refuse output folders whose replacement would lose a user's files.
fn check_target(root: &Path, target: &Path) -> Result<(), Errors> {
    let shown = target.display().to_string();
    let refuse = |why: String| -> Result<(), Errors> {
        Err(Diagnostic::new(
            &shown,
            format!("refusing to use this as the output folder: {why}; nothing was touched"),
        )
        .into())
    };
    if target.parent().is_none() {
        return refuse("it is the file system root".into());
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if absolute(&home) == target {
            return refuse("it is the home folder".into());
        }
    }
    if root.starts_with(target) {
        return refuse("it is the site folder or contains it".into());
    }
    for name in PROTECTED {
        let protected = absolute(&root.join(name));
        if target.starts_with(&protected) || protected.starts_with(target) {
            return refuse(format!(
                "it is, contains or lies inside the site's {name}/ folder"
            ));
        }
    }
    // Something at the path that is no folder: said now, before the build
    // renders anything or touches its record.
    if let Ok(own) = std::fs::symlink_metadata(target) {
        match std::fs::metadata(target) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return refuse("it exists and is not a folder".into()),
            Err(e) if own.is_symlink() => {
                let to = std::fs::read_link(target).unwrap_or_default();
                return refuse(match e.kind() {
                    std::io::ErrorKind::NotFound => format!(
                        "it is a symbolic link to {}, which does not exist; make that folder \
                         or remove the link",
                        to.display()
                    ),
                    _ => format!(
                        "it is a symbolic link to {}, which cannot be followed: {e}",
                        to.display()
                    ),
                });
            }
            Err(e) => return refuse(format!("its status cannot be read: {e}")),
        }
    }
    // A build replaces its output whole. A folder with files in it and no
    // record of a build beside it holds someone's files, not ours.
    let record = crate::state::file_for(target);
    let holds = match std::fs::read_dir(target) {
        Ok(mut entries) => entries.next().is_some().then_some("it holds files"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        // What cannot be read may hold anything.
        Err(_) => Some("it cannot be read, so it may hold files"),
    };
    let Some(holds) = holds.filter(|_| !crate::state::is_record(&record)) else {
        return Ok(());
    };
    let name = record.file_name().unwrap_or_default().to_string_lossy();
    let no_record = match std::fs::symlink_metadata(&record) {
        Ok(_) => format!("the {name} beside it is not a build record"),
        Err(_) => format!("there is no build record ({name}) beside it"),
    };
    refuse(format!(
        "{holds}, and {no_record} to show that a build wrote them; a build replaces its \
         output folder whole, so empty it or choose another folder"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn an_update_replaces_a_file_whole_and_keeps_copied_permissions() {
        use std::io::Read;
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("news/index.html");
        std::fs::create_dir_all(page.parent().unwrap()).unwrap();
        std::fs::write(&page, "old page").unwrap();
        // A reader that opened the page before the update.
        let mut reading = std::fs::File::open(&page).unwrap();
        let script = dir.path().join("run.sh");
        std::fs::write(&script, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o750)).unwrap();
        let out = InPlace::new(dir.path());
        Sink::write(&out, "/news/index.html", b"a first draft").unwrap();
        Sink::copy(&out, &script, "/tools/run.sh").unwrap();
        // Held twice: one file, as last held.
        Sink::write(&out, "/news/index.html", b"the new page").unwrap();
        // Not there: no change.
        out.remove("/gone/index.html");
        assert_eq!(out.commit().unwrap(), 2);
        // It reads the old page whole: the file was not emptied under it.
        let mut text = String::new();
        reading.read_to_string(&mut text).unwrap();
        assert_eq!(text, "old page");
        assert_eq!(std::fs::read_to_string(&page).unwrap(), "the new page");
        let copied = std::fs::metadata(dir.path().join("tools/run.sh")).unwrap();
        assert_eq!(copied.permissions().mode() & 0o777, 0o750);
        // Nothing else is left in the folders.
        let names = |d: &str| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(dir.path().join(d))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        assert_eq!(names("news"), ["index.html"]);
        assert_eq!(names("tools"), ["run.sh"]);
    }

    /// Mark `root/public` as the output of an earlier build, as its
    /// record beside it does.
    fn built_before(root: &Path) {
        std::fs::write(
            crate::state::file_for(&root.join("public")),
            crate::state::FORGOTTEN,
        )
        .unwrap();
    }

    #[test]
    fn dangerous_targets_are_refused() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content/news")).unwrap();
        for bad in [".", "..", "content", "content/news/out", "static", "/"] {
            let err = Staging::begin(root, Path::new(bad))
                .err()
                .unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(err.0[0].message.contains("refusing"), "{bad}: {err}");
        }
        assert!(Staging::begin(root, Path::new("public")).is_ok());
    }

    #[test]
    fn site_paths_cannot_leave_the_output() {
        assert_eq!(output_file("/"), Some(PathBuf::from("index.html")));
        assert_eq!(output_file("/a/b/"), Some(PathBuf::from("a/b/index.html")));
        assert_eq!(output_file("/rss.xml"), Some(PathBuf::from("rss.xml")));
        for bad in ["/../x/", "/a/../../x", "/./x", "/a\\..\\b", "/c:/x"] {
            assert_eq!(output_file(bad), None, "{bad}");
        }
        let site = tempfile::tempdir().unwrap();
        let staging = Staging::begin(site.path(), Path::new("public")).unwrap();
        let err = staging.write("/../escape.html", b"x").unwrap_err();
        assert!(err.message.contains("not a path inside the site"));
        assert!(!site.path().join("escape.html").exists());
    }

    #[cfg(unix)]
    #[test]
    fn the_old_output_goes_but_not_what_its_links_point_to() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        let kept = root.join("content/news");
        std::fs::create_dir_all(&kept).unwrap();
        std::fs::write(kept.join("story.md"), "a reporter's text").unwrap();
        for deep in ["public/a/b/c", "public/d"] {
            std::fs::create_dir_all(root.join(deep)).unwrap();
        }
        for (i, file) in ["a/b/c/index.html", "a/index.html", "d/x.css", "top.html"]
            .iter()
            .enumerate()
        {
            std::fs::write(root.join("public").join(file), format!("old {i}")).unwrap();
        }
        // Someone linked a folder and a file of the site into the output.
        std::os::unix::fs::symlink(&kept, root.join("public/a/b/linked-folder")).unwrap();
        std::os::unix::fs::symlink(kept.join("story.md"), root.join("public/d/linked.md")).unwrap();

        built_before(root);
        let staging = Staging::begin(root, Path::new("public")).unwrap();
        staging.write("/new/", b"new").unwrap();
        staging.commit().unwrap();

        let mut left: Vec<String> = walkdir::WalkDir::new(root.join("public"))
            .into_iter()
            .map(|e| slash_path(e.unwrap().path().strip_prefix(root).unwrap()))
            .collect();
        left.sort();
        assert_eq!(left, ["public", "public/new", "public/new/index.html"]);
        assert_eq!(
            std::fs::read_to_string(kept.join("story.md")).unwrap(),
            "a reporter's text"
        );
    }

    #[test]
    fn a_second_write_to_a_kept_file_leaves_the_old_output_as_it_was() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("public/a")).unwrap();
        std::fs::write(root.join("public/a/index.html"), "page").unwrap();
        built_before(root);
        let staging = Staging::begin(root, Path::new("public")).unwrap();
        // The same bytes: kept, by a hard link to the old output's file.
        staging.write("/a/", b"page").unwrap();
        // Other bytes to the same path, then the build fails.
        staging.write("/a/", b"another page").unwrap();
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(root.join("public/a/index.html")).unwrap(),
            "page"
        );
    }

    #[test]
    fn a_path_staged_twice_is_the_last_file_made_there() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::write(root.join("own.txt"), "the site's own").unwrap();
        let staging = Staging::begin(root, Path::new("public")).unwrap();
        staging.write("/robots.txt", b"made").unwrap();
        staging.write("/a/", b"page").unwrap();
        staging.copy(&root.join("own.txt"), "/robots.txt").unwrap();
        let files = staging.commit().unwrap().files;
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a/index.html", "robots.txt"]);
        // The copy's entry: no hash or version of the file made first.
        assert_eq!((files[1].hash, files[1].version), (None, None));
        assert!(files[0].version.is_some());
        let robots = std::fs::read_to_string(root.join("public/robots.txt")).unwrap();
        assert_eq!(robots, "the site's own");
    }

    #[test]
    fn commit_replaces_the_old_output_whole() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("public/old")).unwrap();
        std::fs::write(root.join("public/old/index.html"), "old").unwrap();
        built_before(root);
        let staging = Staging::begin(root, Path::new("public")).unwrap();
        staging.write("/new/", b"new").unwrap();
        staging.commit().unwrap();
        assert!(!root.join("public/old").exists());
        assert_eq!(
            std::fs::read_to_string(root.join("public/new/index.html")).unwrap(),
            "new"
        );
        let mut leftovers: Vec<_> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        leftovers.sort();
        assert_eq!(leftovers, [".public.dateline-state", "public"]);
    }

    #[test]
    fn an_old_output_that_cannot_be_removed_is_a_warning_beside_the_new_one() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("public/index.html"), "old").unwrap();
        built_before(root);
        let staging = Staging::begin(root, Path::new("public")).unwrap();
        staging.write("/", b"new").unwrap();
        let refused = |_: &Path| Err::<usize, _>(std::io::Error::other("device busy"));
        let committed = staging.commit_removing_old_with(refused).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("public/index.html")).unwrap(),
            "new"
        );
        let warning = committed.warning.expect("a warning");
        assert!(warning.message.starts_with("the new output is in place"));
        assert!(warning.message.contains("(device busy); delete it by hand"));
        // It names the folder left, which holds the previous output.
        let left = &warning.path;
        assert!(left.starts_with(root) && left.to_string_lossy().ends_with(".old"));
        assert_eq!(
            std::fs::read_to_string(left.join("index.html")).unwrap(),
            "old"
        );
    }

    #[test]
    fn dropped_staging_leaves_the_old_output() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("public/index.html"), "old").unwrap();
        {
            built_before(root);
            let staging = Staging::begin(root, Path::new("public")).unwrap();
            staging.write("/", b"half").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(root.join("public/index.html")).unwrap(),
            "old"
        );
        // The output and the record of the build before.
        assert_eq!(std::fs::read_dir(root).unwrap().count(), 2);
    }
}
