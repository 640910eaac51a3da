//! Walking a folder of the site (`content/`, `static/`, `templates/`): its
//! files in name order, so every build sees them the same way.
//!
//! Symbolic links are followed while they point inside the site, so a
//! newsroom can share a folder between sections; a link that points outside
//! the site is not followed (a warning names it), and a link loop is an
//! error instead of a walk that never ends.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Problems};

/// Run `work` (whose parallel iterators then use this pool) on more
/// threads than cores, for work that mostly waits on the disk: reading
/// files that are not in memory, or deleting. One thread per core leaves
/// the disk idle between requests; with the page cache dropped, the
/// 100,000-article corpus took 8.42 and 7.75 s to load on two threads, and
/// 4.15 and 4.01 s on eight.
pub fn waiting_on_disk<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = POOL.get_or_init(|| {
        let threads = rayon::current_num_threads().max(DISK_THREADS);
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("dateline-disk-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Threads for work that waits on the disk.
const DISK_THREADS: usize = 8;

/// Whether a file of this name is one an editor keeps beside a file it
/// has open, which no site publishes: Emacs's lock (`.#story.md`, a
/// symbolic link to nothing) and Vim's swap files (`.story.md.swp`).
/// Walks skip such files in every folder; folders are never skipped so.
pub fn editor_file(name: &str) -> bool {
    name.starts_with(".#")
        || name.starts_with('.')
            && [".swp", ".swx", ".swo"]
                .iter()
                .any(|end| name.ends_with(end))
}

/// Whether a file of this name is an editor's backup (`story.md~`) or
/// Emacs's autosave (`#story.md#`): skipped in `content/` and
/// `templates/`, where no file of the site is named so; copied from
/// `static/`, as everything there is.
pub fn editor_backup(name: &str) -> bool {
    name.ends_with('~') || name.len() > 1 && name.starts_with('#') && name.ends_with('#')
}

/// Whether a walk skips a file of this name as an editor's: in a folder
/// copied as it is (`hidden`: `static/`), only [`editor_file`]s.
fn editors(name: &str, hidden: bool) -> bool {
    editor_file(name) || !hidden && editor_backup(name)
}

/// The warning for a symbolic link that leads out of the site.
const OUTSIDE: &str = "is a symbolic link to a place outside the site; it is not followed";

/// What a walk found.
#[derive(Debug, Default)]
pub struct Found {
    /// Files, relative to the folder walked.
    pub files: Vec<PathBuf>,
    /// Where the symbolic links followed lead (canonical paths, inside the
    /// site), and the links inside the site they lead through (each named
    /// by its folder's canonical path and its own name): re-pointing one
    /// of those changes what the site holds.
    pub links: Vec<PathBuf>,
    pub problems: Problems,
}

/// Every file under `root/folder`. Names starting with `.` are skipped
/// unless `hidden` is set (`static/.well-known/` must be copied).
pub fn files(root: &Path, folder: &str, hidden: bool) -> Found {
    let dir = root.join(folder);
    let mut found = Found::default();
    if !dir.is_dir() {
        // None is fine; a file by that name is not what was meant.
        if std::fs::symlink_metadata(&dir).is_ok() {
            let what = match folder {
                "content" => "articles and pages",
                "templates" => "a site's own templates",
                _ => "the files copied as they are",
            };
            let is = match std::fs::metadata(&dir) {
                Ok(_) => "a file",
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    "a symbolic link that leads nowhere"
                }
                Err(_) => "a symbolic link that cannot be followed",
            };
            let message = format!("is {is}, not a folder; {what} go in the folder {folder}/");
            found.problems.errors.push(Diagnostic::new(folder, message));
        }
        return found;
    }
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let shown = |path: &Path| Path::new(folder).join(path.strip_prefix(&dir).unwrap_or(path));
    let mut walker = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                // An editor's lock is a link to nothing, and a hidden
                // name is skipped whatever it is.
                let name = path.file_name().map(|n| n.to_string_lossy());
                let skipped = name
                    .is_some_and(|name| name.starts_with('.') && !hidden || editors(&name, hidden));
                if skipped && path != dir {
                    continue;
                }
                // A link to a folder holding the site (`/tmp` for a site in
                // /tmp) leads out of it before it leads back.
                let above = e.loop_ancestor().is_some_and(|ancestor| {
                    let ancestor = ancestor.canonicalize().unwrap_or_else(|_| ancestor.into());
                    !ancestor.starts_with(&site)
                });
                if above {
                    found
                        .problems
                        .warnings
                        .push(Diagnostic::new(shown(&path), OUTSIDE));
                    continue;
                }
                let message = match e.loop_ancestor() {
                    Some(ancestor) => format!(
                        "is a symbolic link loop: it leads back to {}; remove the link",
                        shown(ancestor).display()
                    ),
                    None => match path.is_symlink()
                        && std::fs::metadata(&path)
                            .is_err_and(|e| e.kind() != std::io::ErrorKind::PermissionDenied)
                    {
                        true if links_in_a_loop(&path) => {
                            "is a symbolic link in a loop of links that lead to one another; \
                             remove the link"
                                .to_string()
                        }
                        true => format!(
                            "is a symbolic link to {}, which does not exist; remove the link \
                             or restore its target",
                            std::fs::read_link(&path)
                                .map(|t| t.display().to_string())
                                .unwrap_or_default()
                        ),
                        false => match e.io_error() {
                            Some(io) => format!("could not be read: {io}"),
                            None => format!("could not be read: {e}"),
                        },
                    },
                };
                found
                    .problems
                    .errors
                    .push(Diagnostic::new(shown(&path), message));
                continue;
            }
        };
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        if rel.as_os_str().is_empty() {
            continue;
        }
        let is_hidden = rel.file_name().is_some_and(|n| {
            let name = n.to_string_lossy();
            name.starts_with('.') && !hidden
                || !entry.file_type().is_dir() && editors(&name, hidden)
        });
        let target = entry
            .path_is_symlink()
            .then(|| entry.path().canonicalize().ok())
            .map(|target| target.filter(|t| t.starts_with(&site)));
        let outside = matches!(target, Some(None));
        if is_hidden || outside {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            if outside {
                found
                    .problems
                    .warnings
                    .push(Diagnostic::new(shown(entry.path()), OUTSIDE));
            }
            continue;
        }
        if let Some(Some(target)) = target {
            found.links.push(target);
            links_on_the_way(entry.path(), &site, &mut found.links);
        }
        if entry.file_type().is_file() {
            found.files.push(rel.to_path_buf());
        }
    }
    found
}

/// The folders of a site that hold its input, and whether a walk of each
/// takes hidden files.
pub const INPUT_FOLDERS: [(&str, bool); 3] =
    [("content", false), ("templates", false), ("static", true)];

/// What the walks of a site's input folders found. A build walks them
/// once: the files it stamps for its record are the files it reads.
#[derive(Debug, Default)]
pub struct Inputs {
    pub content: Found,
    pub templates: Found,
    pub statics: Found,
}

impl Inputs {
    /// Walk each of the [`INPUT_FOLDERS`] of the site at `root`.
    pub fn walk(root: &Path) -> Self {
        let [content, templates, statics] =
            INPUT_FOLDERS.map(|(folder, hidden)| files(root, folder, hidden));
        Inputs {
            content,
            templates,
            statics,
        }
    }

    /// Each folder's name with what its walk found, as in [`INPUT_FOLDERS`].
    pub fn each(&self) -> [(&'static str, &Found); 3] {
        let [content, templates, statics] = INPUT_FOLDERS.map(|(folder, _)| folder);
        [
            (content, &self.content),
            (templates, &self.templates),
            (statics, &self.statics),
        ]
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_inside_are_followed_outside_skipped_loops_reported() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content/news")).unwrap();
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::write(root.join("shared/a.md"), "x").unwrap();
        std::fs::write(outside.path().join("secret.md"), "x").unwrap();
        std::fs::write(root.join("content/news/.hidden.md"), "x").unwrap();
        std::os::unix::fs::symlink(root.join("shared"), root.join("content/news/shared")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("content/away")).unwrap();
        // A folder holding the site is outside it too, not a loop.
        std::os::unix::fs::symlink(root.parent().unwrap(), root.join("content/up")).unwrap();
        std::os::unix::fs::symlink(root.join("content"), root.join("content/news/loop")).unwrap();
        let found = files(root, "content", false);
        assert_eq!(found.files, vec![PathBuf::from("news/shared/a.md")]);
        let warned: Vec<&Path> = found
            .problems
            .warnings
            .iter()
            .map(|w| w.path.as_path())
            .collect();
        assert_eq!(warned, [Path::new("content/away"), Path::new("content/up")]);
        assert!(found.problems.warnings[1]
            .message
            .contains("outside the site"));
        assert_eq!(
            found.problems.errors.len(),
            1,
            "{:?}",
            found.problems.errors
        );
        assert_eq!(
            found.problems.errors[0].path,
            PathBuf::from("content/news/loop")
        );
        assert!(found.problems.errors[0].message.contains("loop"));
    }

    #[test]
    fn the_links_a_chain_passes_through_are_found() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content/news")).unwrap();
        std::fs::create_dir_all(root.join("shared/v1")).unwrap();
        std::fs::write(root.join("shared/v1/a.md"), "x").unwrap();
        // content/news/a.md -> shared/latest.md -> current/a.md, where
        // shared/current -> v1.
        std::os::unix::fs::symlink("v1", root.join("shared/current")).unwrap();
        std::os::unix::fs::symlink("current/a.md", root.join("shared/latest.md")).unwrap();
        std::os::unix::fs::symlink("../../shared/latest.md", root.join("content/news/a.md"))
            .unwrap();
        let found = files(&root, "content", false);
        assert_eq!(found.files, vec![PathBuf::from("news/a.md")]);
        assert_eq!(
            found.links,
            vec![
                root.join("shared/v1/a.md"),
                root.join("content/news/a.md"),
                root.join("shared/latest.md"),
                root.join("shared/current"),
            ]
        );
    }
}

/// Add to `links` every symbolic link inside `site` that following `link`
/// passes through, itself included: links in a chain, and links among the
/// folders a link's target names. Each is named by its folder's canonical
/// path and its own name, as a watch on that folder names it.
fn links_on_the_way(link: &Path, site: &Path, links: &mut Vec<PathBuf>) {
    let (Some(parent), Some(name)) = (link.parent(), link.file_name()) else {
        return;
    };
    let Ok(folder) = parent.canonicalize() else {
        return;
    };
    // As many links as the system follows in one path; a loop is an error
    // the walk reports.
    let mut budget = 40;
    resolve(folder, Path::new(name), site, links, &mut budget);
}

/// The canonical path `path` (relative to the canonical folder `from`)
/// leads to, adding the links inside `site` it passes through to `links`.
fn resolve(
    from: PathBuf,
    path: &Path,
    site: &Path,
    links: &mut Vec<PathBuf>,
    budget: &mut u32,
) -> Option<PathBuf> {
    use std::path::Component;
    let mut at = from;
    for part in path.components() {
        match part {
            Component::Prefix(_) => at = PathBuf::from(part.as_os_str()),
            Component::RootDir => at.push(part.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                at.pop();
            }
            Component::Normal(name) => {
                let next = at.join(name);
                let Ok(target) = std::fs::read_link(&next) else {
                    at = next;
                    continue;
                };
                *budget = budget.checked_sub(1)?;
                // Repeats are dropped once the walk is done (state::Inputs).
                if next.starts_with(site) {
                    links.push(next);
                }
                at = resolve(at, &target, site, links, budget)?;
            }
        }
    }
    Some(at)
}

/// Whether following the symbolic link `link`, and the links it leads to,
/// comes back to one already followed (or goes on past any real chain).
fn links_in_a_loop(link: &Path) -> bool {
    let mut followed = Vec::new();
    let mut at = link.to_path_buf();
    for _ in 0..64 {
        let Ok(target) = std::fs::read_link(&at) else {
            return false;
        };
        let next = at.parent().unwrap_or(Path::new("")).join(target);
        followed.push(at);
        if followed.contains(&next) {
            return true;
        }
        at = next;
    }
    true
}
