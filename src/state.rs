//! What the last build read and wrote, so that a build with nothing
//! changed can stop at once instead of rendering every page again.
//!
//! The record lives beside the output folder, in `.<output>.dateline-state`.
//! It holds a stamp (size, modification and change times, inode) of every
//! input file (`site.toml`, `content/`, `templates/`, `static/`), the
//! options and program of the build, the stamp of every file and folder of
//! the output, and the moment until which the output stays right (the next
//! scheduled article, an article leaving the news sitemap's 48 hours). A
//! build whose inputs, options, program and output all still match, inside
//! that time, is up to date; any difference at all means a full build. So
//! the record can make a build faster, never different: a missing, stale
//! or damaged record only costs the time of the full build.
//!
//! The record also holds a hash of each page's bytes. A build that is not
//! up to date still renders every page, and keeps the old output's file
//! wherever the bytes are the same; for a file whose stamp is still the one
//! recorded, comparing hashes tells it without reading the old file, which
//! after a while is no longer in memory but on the disk.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::CONFIG_FILE;
use crate::diagnostic::Diagnostic;

/// A file's path and version, and an output file's hash. The record
/// writes it as an array, `[path, len, mtime_ns, inode, ctime_ns, hash]`:
/// a large site's record holds hundreds of thousands of them, and field
/// names would double its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    path: String,
    version: Version,
    /// An output file's [`hash`], where the build wrote or kept it.
    hash: Option<u128>,
}

/// What tells one version of a file from another without reading it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Version {
    len: u64,
    mtime_ns: i128,
    inode: u64,
    /// The inode's change time, which no one can set: a file written and
    /// then given back its old modification time still differs here.
    ctime_ns: i128,
}

impl Version {
    /// The same file, with the same size and modification time; its
    /// change time aside.
    fn same_but_change_time(&self, other: &Version) -> bool {
        (self.len, self.mtime_ns, self.inode) == (other.len, other.mtime_ns, other.inode)
    }

    pub fn of(meta: &std::fs::Metadata) -> Version {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        let (inode, ctime_ns) = {
            use std::os::unix::fs::MetadataExt;
            let ctime_ns = i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec());
            (meta.ino(), ctime_ns)
        };
        #[cfg(not(unix))]
        let (inode, ctime_ns) = (0, 0);
        Version {
            len: if meta.is_dir() { 0 } else { meta.len() },
            mtime_ns,
            inode,
            ctime_ns,
        }
    }
}

type StampRow = (String, u64, i128, u64, i128, Option<u128>);

impl Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Version {
            len,
            mtime_ns,
            inode,
            ctime_ns,
        } = self.version;
        (&self.path, len, mtime_ns, inode, ctime_ns, self.hash).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (path, len, mtime_ns, inode, ctime_ns, hash) = StampRow::deserialize(d)?;
        let version = Version {
            len,
            mtime_ns,
            inode,
            ctime_ns,
        };
        Ok(Stamp {
            path,
            version,
            hash,
        })
    }
}

impl Stamp {
    fn of(path: &Path, shown: String) -> Option<Stamp> {
        Some(Stamp {
            path: shown,
            version: Version::of(&std::fs::metadata(path).ok()?),
            hash: None,
        })
    }

    /// The same file, unchanged: the hash aside.
    fn same_version(&self, other: &Stamp) -> bool {
        self.path == other.path && self.version == other.version
    }
}

/// The hash of an output file's bytes kept in the record: 128 bits of
/// XXH3, so that two different pages have the same hash only by a chance
/// far too small to count.
pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The files of the last build's output with their hashes, by path.
pub struct Recorded {
    /// Sorted by path.
    files: Vec<Stamp>,
}

impl Recorded {
    /// Whether the old output's file at `path` (relative to the output,
    /// with `/`), whose metadata is `meta`, has bytes of hash `hash`; `None`
    /// when the record cannot tell: no hash for it, or the file changed
    /// since it was recorded.
    pub fn same(&self, path: &str, meta: &std::fs::Metadata, hash: u128) -> Option<bool> {
        let i = self
            .files
            .binary_search_by(|s| s.path.as_str().cmp(path))
            .ok()?;
        let recorded = &self.files[i];
        match recorded.hash {
            Some(h) if recorded.version == Version::of(meta) => Some(h == hash),
            _ => None,
        }
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

/// What separates a key's options from what the folder above the output
/// passes on, which ends them.
const INHERITED: &str = " inherited=";

/// Where the record of the output folder `target` is kept.
pub fn file_for(target: &Path) -> PathBuf {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    target.with_file_name(format!(".{name}.dateline-state"))
}

/// What a build's result depends on: its input files, stamped before the
/// build reads any of them, `site.toml` included (so an edit made during
/// the build shows as a change next time), and its options.
pub struct Key<'a> {
    pub target: &'a Path,
    /// Every option that changes the output, written out.
    pub options: String,
    pub now: Timestamp,
    inputs: Inputs,
}

/// Stamps of every input file of a site; `None` when a walk met a problem
/// (a full build reports it): never up to date. And where the symbolic
/// links the walks followed lead.
pub struct Inputs {
    stamps: Option<Vec<Stamp>>,
    pub links: Vec<PathBuf>,
}

impl Inputs {
    /// Stamp `site.toml` and every input file `walked` found in the site
    /// at `root`, as they are now; `None` when a walk met a problem (a full
    /// build reports it).
    pub fn stamp(root: &Path, walked: &crate::walk::Inputs) -> Self {
        let mut links: Vec<PathBuf> = walked
            .each()
            .into_iter()
            .flat_map(|(_, found)| found.links.iter().cloned())
            .collect();
        links.sort();
        links.dedup();
        // Each file, and whether it is a symbolic link out of the site.
        let mut files = vec![(PathBuf::from(CONFIG_FILE), false)];
        for (folder, found) in walked.each() {
            if !found.problems.errors.is_empty() {
                return Inputs {
                    stamps: None,
                    links,
                };
            }
            // A warning names a symbolic link out of the site, which is not
            // followed: it is stamped as the link it is, under a name of
            // its own, so its going, changing, or coming to lead inside the
            // site (a folder it passes through moved) is a change too.
            files.extend(
                found
                    .problems
                    .warnings
                    .iter()
                    .map(|w| (w.path.clone(), true)),
            );
            let inside = found.files.iter();
            files.extend(inside.map(|f| (Path::new(folder).join(f), false)));
        }
        let stamps = crate::walk::waiting_on_disk(|| {
            files
                .par_iter()
                .map(|(rel, out)| {
                    let path = root.join(rel);
                    match out {
                        false => Stamp::of(&path, rel.display().to_string()),
                        true => Some(Stamp {
                            path: format!("{} (a link out of the site)", rel.display()),
                            version: Version::of(&std::fs::symlink_metadata(&path).ok()?),
                            hash: None,
                        }),
                    }
                })
                .collect()
        });
        Inputs { stamps, links }
    }
}

impl<'a> Key<'a> {
    /// The key of a build starting now, from its inputs as stamped before
    /// anything was read, its `options` and what the folder above the
    /// output passes on to new files (`inherited`).
    pub fn new(
        inputs: Inputs,
        target: &'a Path,
        options: &str,
        inherited: &str,
        now: Timestamp,
    ) -> Self {
        Key {
            target,
            options: format!("{options}{INHERITED}{inherited:?}"),
            now,
            inputs,
        }
    }

    fn program() -> Vec<Stamp> {
        let version = Stamp {
            path: format!("dateline {}", env!("CARGO_PKG_VERSION")),
            version: Version::default(),
            hash: None,
        };
        let exe = std::env::current_exe()
            .ok()
            .and_then(|exe| Stamp::of(&exe, exe.display().to_string()));
        std::iter::once(version).chain(exe).collect()
    }
}

/// Stamps of `paths` (relative to `target`, folders included).
fn outputs(target: &Path, paths: &[String]) -> Option<Vec<Stamp>> {
    paths
        .par_iter()
        .map(|p| Stamp::of(&target.join(p), p.clone()))
        .collect()
}

/// The record of the last build into `target`, if it has one and the
/// output is there.
pub fn previous(target: &Path) -> Option<State> {
    // Without an output there is nothing to keep, and the record (long
    // for a large site) is not worth reading.
    if !target.is_dir() {
        return None;
    }
    let text = std::fs::read(file_for(target)).ok()?;
    serde_json::from_slice(&text).ok()
}

impl State {
    /// Whether the output of the build recorded is still what a build
    /// now would write.
    pub fn up_to_date(&self, key: &Key) -> bool {
        let fresh = self.program == Key::program()
            && self.options == key.options
            && self.now <= key.now
            && self.valid_until.is_none_or(|until| key.now < until);
        // The output folder itself first: a removed or replaced folder is
        // the cheapest difference to find.
        let Some(top) = self.outputs.first() else {
            return false;
        };
        let top_now = Stamp::of(&key.target.join(&top.path), top.path.clone());
        if !fresh || !top_now.is_some_and(|now| now.same_version(top)) {
            return false;
        }
        if Some(&self.inputs) != key.inputs.stamps.as_ref() {
            return false;
        }
        let paths: Vec<String> = self.outputs.iter().map(|s| s.path.clone()).collect();
        outputs(key.target, &paths).is_some_and(|now| {
            now.len() == self.outputs.len()
                && now
                    .iter()
                    .zip(&self.outputs)
                    .all(|(a, b)| a.same_version(b))
        })
    }

    /// Whether the files of the build recorded were made under what the
    /// folder above the output passes on to new files now (a group, a
    /// default ACL): only then may they be kept.
    pub fn same_inherited(&self, key: &Key) -> bool {
        let inherited =
            |options: &'_ str| options.rsplit_once(INHERITED).map(|(_, i)| i.to_owned());
        inherited(&self.options) == inherited(&key.options)
    }

    /// The output files of the build recorded, with their hashes.
    pub fn into_recorded(self) -> Recorded {
        let mut files = self.outputs;
        files.retain(|s| s.hash.is_some());
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        Recorded { files }
    }
}

/// Forget the last build's record: its output is about to change. The
/// file stays as a forgotten record, which no build trusts but which still
/// says a build owns the output folder (so a later build may replace it,
/// see `output::Staging::begin`), whatever happens before the next record.
pub fn forget(target: &Path) {
    let file = file_for(target);
    // Replaced whole, so that no moment (a crash, a full disk) leaves a
    // half-written file; and only a record: a file of someone else's
    // under its name is left as it is (see `own`).
    if is_record(&file) && put(&file, true).is_err() {
        let _ = std::fs::remove_file(&file);
    }
}

/// Make sure, just before the swap, that the output a build is about to
/// put in place at `target` will be owned: a forgotten record beside it
/// if it has none yet (whether one was made, so that a failed swap can
/// take it back with [`disown`]). Without one the next build would refuse
/// the output as someone's files, so failing to write it fails the build.
pub fn own(target: &Path) -> Result<bool, Diagnostic> {
    let file = file_for(target);
    if is_record(&file) {
        return Ok(false);
    }
    let shown = file.display().to_string();
    if std::fs::symlink_metadata(&file).is_ok() {
        return Err(Diagnostic::new(
            &shown,
            "is not a build record, so the build cannot record its output there; move it \
             away (dateline keeps its record of the output under this name)",
        ));
    }
    put(&file, false)
        .map(|()| true)
        .map_err(|e| Diagnostic::io(&file, "write the build record", &e))
}

/// Take back the record [`own`] made, when the swap failed.
pub fn disown(target: &Path) {
    let _ = std::fs::remove_file(file_for(target));
}

/// Put a forgotten record at `file` in one step: over what is there with
/// `replace`, else only where nothing is.
fn put(file: &Path, replace: bool) -> std::io::Result<()> {
    let folder = file.parent().unwrap_or(Path::new("."));
    let mut made = tempfile::Builder::new()
        .prefix(".dateline-record-")
        .tempfile_in(folder)?;
    std::io::Write::write_all(&mut made, FORGOTTEN)?;
    match replace {
        true => made.persist(file).map(drop).map_err(|e| e.error),
        false => made.persist_noclobber(file).map(drop).map_err(|e| e.error),
    }
}

/// Whether `file` is a build's record: one a build wrote, or forgot. A
/// file of another kind under its name (empty, or of other bytes) does not
/// show that a build wrote the folder beside it.
pub fn is_record(file: &Path) -> bool {
    use std::io::Read;
    // A regular file only: opening a pipe would wait for a writer.
    if !std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let Ok(f) = std::fs::File::open(file) else {
        return false;
    };
    let mut start = Vec::new();
    let read = f.take(RECORD_START.len() as u64).read_to_end(&mut start);
    read.is_ok() && start == RECORD_START
}

/// How every record starts: serde writes [`State`]'s fields in order.
const RECORD_START: &[u8] = b"{\"program\":";

/// A forgotten record: it starts as every record does, but is none.
pub const FORGOTTEN: &[u8] = b"{\"program\":null}\n";

/// A file a build put in its output: its path relative to the output
/// (with `/` between names), the hash of its bytes where the build had them
/// in hand, and its version where the build wrote it anew. A file kept
/// from the previous output by a hard link has none (linking it in, and
/// then removing the old output, change its inode's change time), nor has
/// a copied file of the site's own: they are stamped by path when the
/// build is recorded.
#[derive(Debug)]
pub struct Staged {
    pub path: String,
    pub hash: Option<u128>,
    pub version: Option<Version>,
    /// Kept from the previous output rather than written anew.
    pub kept: bool,
    /// The previous output had a file at this path (kept or not).
    pub replaced: bool,
}

/// Every file of `files` and each folder above it, the output folder
/// itself ("") first, in path order; each file with what the build knows
/// of it.
fn paths(files: &[Staged]) -> Vec<(&str, Option<&Staged>)> {
    let mut paths: Vec<(&str, Option<&Staged>)> = vec![("", None)];
    for f in files {
        paths.push((&f.path, Some(f)));
        let mut at = f.path.as_str();
        while let Some((parent, _)) = at.rsplit_once('/') {
            paths.push((parent, None));
            at = parent;
        }
    }
    paths.sort_unstable_by_key(|(p, _)| *p);
    paths.dedup_by_key(|(p, _)| *p);
    paths
}

/// Whether the build stamps a path of its output by path when it is
/// recorded: folders, kept and copied files (not a file written anew).
fn stamped_late(staged: Option<&Staged>) -> bool {
    staged.is_none_or(|s| s.version.is_none())
}

/// The stamps of what [`record`] stamps by path, taken in the staging
/// folder `dir` just before it is swapped in. In the record's own, taken
/// after the swap and after the old output is gone, only the change time
/// may differ from these (a move and an unlinked hard link change it):
/// any other difference is something else writing into the new output
/// meanwhile, another build or a hand, which the record must not vouch for.
/// `None` where a stamp could not be taken.
pub fn before_swap(dir: &Path, files: &[Staged]) -> Option<Vec<Stamp>> {
    paths(files)
        .par_iter()
        .filter(|(_, staged)| stamped_late(*staged))
        .map(|&(path, _)| Stamp::of(&dir.join(path), path.to_string()))
        .collect()
}

/// Record a build that just put `files` into `key.target`, whose late
/// stamps were `before` it was swapped in ([`before_swap`]). Failing to
/// record, or finding the output changed since `before`, only makes the
/// next build a full one: the forgotten record [`forget`] or [`own`] left
/// stays.
pub fn record(
    key: &Key,
    valid_until: Option<Timestamp>,
    files: &[Staged],
    before: Option<Vec<Stamp>>,
    summary: Summary,
) {
    let (Some(inputs), Some(before)) = (key.inputs.stamps.clone(), before) else {
        return;
    };
    let paths = paths(files);
    // A file written anew was stamped then; folders, kept and copied files
    // are now.
    let outputs: Option<Vec<Stamp>> = paths
        .par_iter()
        .map(|&(path, staged)| match staged {
            Some(&Staged {
                version: Some(version),
                hash,
                ..
            }) => Some(Stamp {
                path: path.to_string(),
                version,
                hash,
            }),
            _ => Stamp::of(&key.target.join(path), path.to_string()).map(|stamp| Stamp {
                hash: staged.and_then(|s| s.hash),
                ..stamp
            }),
        })
        .collect();
    let Some(outputs) = outputs else {
        return;
    };
    let late = paths
        .iter()
        .zip(&outputs)
        .filter(|((_, staged), _)| stamped_late(*staged))
        .map(|(_, stamp)| stamp);
    let as_staged = late.zip(&before).all(|(now, then)| {
        now.path == then.path && now.version.same_but_change_time(&then.version)
    });
    if !as_staged {
        return;
    }
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
    let partial = file.with_file_name(format!(
        "{}.partial",
        file.file_name().unwrap_or_default().to_string_lossy()
    ));
    let written = std::fs::File::create(&partial).and_then(|out| {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        serde_json::to_writer(&mut out, &state)?;
        std::io::Write::flush(&mut out)
    });
    if written.is_err() || std::fs::rename(&partial, &file).is_err() {
        let _ = std::fs::remove_file(&partial);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key of a build of the site at `root` into `target` at `now`.
    fn test_key<'a>(root: &Path, target: &'a Path, now: Timestamp) -> Key<'a> {
        let walked = crate::walk::Inputs::walk(root);
        Key::new(Inputs::stamp(root, &walked), target, "o", "", now)
    }

    #[test]
    fn a_forgotten_record_stays_and_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir(&target).unwrap();
        // Nothing to forget: nothing is made.
        forget(&target);
        assert!(!file_for(&target).exists());
        std::fs::write(file_for(&target), "{\"program\":[], \"more\": 1}").unwrap();
        forget(&target);
        // Still there, so the output stays a build's (output::check_target).
        assert_eq!(std::fs::read(file_for(&target)).unwrap(), FORGOTTEN);
        assert!(is_record(&file_for(&target)));
        assert!(previous(&target).is_none());
        // An empty file, or other bytes, under the name is no record.
        for bytes in [&b""[..], b"{\"not\": \"a record\"}", &[7u8; 300]] {
            std::fs::write(file_for(&target), bytes).unwrap();
            assert!(!is_record(&file_for(&target)), "{bytes:?}");
        }
        // Nor is such a file forgotten, or owned: it is someone's.
        forget(&target);
        assert_eq!(std::fs::read(file_for(&target)).unwrap(), [7u8; 300]);
        assert!(own(&target)
            .unwrap_err()
            .message
            .contains("is not a build record"));
        assert_eq!(std::fs::read(file_for(&target)).unwrap(), [7u8; 300]);
        // An output about to be put in place is owned, once.
        std::fs::remove_file(file_for(&target)).unwrap();
        assert!(own(&target).unwrap());
        assert_eq!(std::fs::read(file_for(&target)).unwrap(), FORGOTTEN);
        std::fs::write(file_for(&target), "{\"program\":[1]}").unwrap();
        assert!(!own(&target).unwrap());
        assert_eq!(
            std::fs::read(file_for(&target)).unwrap(),
            b"{\"program\":[1]}"
        );
        // No leftovers of the one-step writes.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    fn summary() -> Summary {
        Summary {
            pages: Default::default(),
            static_files: 0,
            warnings: Vec::new(),
            next_scheduled: None,
        }
    }

    /// A site folder with a `site.toml`, and its output folder `public`,
    /// made.
    fn site_and_output() -> (tempfile::TempDir, PathBuf) {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join(CONFIG_FILE), "title = \"x\"").unwrap();
        let target = site.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        (site, target)
    }

    /// Record `files` as a build that wrote them straight into the output.
    fn recorded_in_place(key: &Key, files: &[Staged]) {
        record(key, None, files, before_swap(key.target, files), summary());
    }

    /// A file the build kept or copied: stamped when recorded.
    fn staged(path: &str, hash: Option<u128>) -> Staged {
        Staged {
            path: path.to_string(),
            hash,
            version: None,
            kept: false,
            replaced: false,
        }
    }

    #[test]
    fn a_file_written_anew_is_recorded_as_it_was_stamped_when_written() {
        let (site, target) = site_and_output();
        let root = site.path();
        let written = |bytes: &[u8]| {
            let mut out = std::fs::File::create(target.join("index.html")).unwrap();
            std::io::Write::write_all(&mut out, bytes).unwrap();
            Version::of(&out.metadata().unwrap())
        };
        let key = || test_key(root, &target, Timestamp::UNIX_EPOCH);
        let fresh = || previous(&target).is_some_and(|s| s.up_to_date(&key()));
        let page = |version| Staged {
            version: Some(version),
            ..staged("index.html", Some(hash(b"page")))
        };
        let version = written(b"page");
        let files = [page(version)];
        recorded_in_place(&key(), &files);
        assert!(fresh());
        // The version given is the one kept, not the file's now: one that
        // is not the file's makes the output look changed.
        let stale = Version { len: 3, ..version };
        let files = [page(stale)];
        recorded_in_place(&key(), &files);
        assert!(!fresh());
    }

    #[test]
    fn an_edit_during_a_build_is_a_change_for_the_next() {
        let (site, target) = site_and_output();
        let root = site.path();
        std::fs::create_dir_all(root.join("content/news")).unwrap();
        std::fs::write(root.join("content/news/a.md"), "first").unwrap();
        std::fs::write(target.join("index.html"), "page").unwrap();
        let now = Timestamp::UNIX_EPOCH;
        let key = |root| test_key(root, &target, now);
        let fresh = |key: &Key| previous(&target).is_some_and(|s| s.up_to_date(key));
        let files = [staged("index.html", Some(hash(b"page")))];
        // A build starts (inputs stamped), the file is edited, it records.
        let building = key(root);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(root.join("content/news/a.md"), "second, longer").unwrap();
        recorded_in_place(&building, &files);
        assert!(!fresh(&key(root)));
        // A build with nothing edited meanwhile is up to date after.
        let quiet = key(root);
        recorded_in_place(&quiet, &files);
        assert!(fresh(&key(root)));
        // Until an output file changes.
        std::fs::write(target.join("index.html"), "edited by hand").unwrap();
        assert!(!fresh(&key(root)));
    }

    #[test]
    fn a_recorded_hash_counts_only_for_the_file_recorded() {
        let (site, target) = site_and_output();
        let root = site.path();
        std::fs::create_dir(target.join("a")).unwrap();
        std::fs::write(target.join("a/index.html"), "page a").unwrap();
        std::fs::write(target.join("b.css"), "b").unwrap();
        let key = test_key(root, &target, Timestamp::UNIX_EPOCH);
        let files = [
            staged("a/index.html", Some(hash(b"page a"))),
            staged("b.css", None),
        ];
        recorded_in_place(&key, &files);
        let recorded = previous(&target).unwrap().into_recorded();
        let meta = |p: &str| std::fs::metadata(target.join(p)).unwrap();
        let same = |p: &str, bytes: &[u8]| recorded.same(p, &meta(p), hash(bytes));
        assert_eq!(same("a/index.html", b"page a"), Some(true));
        assert_eq!(same("a/index.html", b"page A"), Some(false));
        // No hash recorded, a folder, a path not recorded: compare bytes.
        assert_eq!(same("b.css", b"b"), None);
        assert_eq!(same("a", b""), None);
        let unrecorded = recorded.same("c.html", &meta("b.css"), hash(b"b"));
        assert_eq!(unrecorded, None);
        // Changed since the record: its hash no longer says anything.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(target.join("a/index.html"), "page b").unwrap();
        assert_eq!(same("a/index.html", b"page a"), None);
    }

    #[test]
    fn what_was_written_into_the_output_after_the_swap_is_not_vouched_for() {
        let (site, target) = site_and_output();
        let root = site.path();
        std::fs::create_dir(target.join("a")).unwrap();
        std::fs::write(target.join("a/index.html"), "page a").unwrap();
        let key = || test_key(root, &target, Timestamp::UNIX_EPOCH);
        let fresh = || previous(&target).is_some_and(|s| s.up_to_date(&key()));
        let files = [staged("a/index.html", Some(hash(b"page a")))];
        let recorded = |before| {
            forget(&target);
            record(&key(), None, &files, before, summary());
            fresh()
        };
        assert!(recorded(before_swap(&target, &files)));
        // A file put in a folder after the stamps before the swap.
        let before = before_swap(&target, &files);
        std::fs::write(target.join("a/stray.txt"), "x").unwrap();
        assert!(!recorded(before));
        // A kept page replaced by an edited copy.
        let before = before_swap(&target, &files);
        std::fs::write(target.join("a/new.html"), "page b").unwrap();
        std::fs::rename(target.join("a/new.html"), target.join("a/index.html")).unwrap();
        assert!(!recorded(before));
        // A kept page written over in place: its folder is as it was.
        let before = before_swap(&target, &files);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(target.join("a/index.html"), "page c").unwrap();
        assert!(!recorded(before));
        // Another file in the output folder itself.
        std::fs::remove_file(target.join("a/stray.txt")).unwrap();
        let before = before_swap(&target, &files);
        std::fs::write(target.join("other.html"), "x").unwrap();
        assert!(!recorded(before));
        // Stamps that could not be taken vouch for nothing either.
        assert!(!recorded(None));
    }
}
