//! The dev server's rebuilds: after files change, render again only what
//! the change affects, into the folder being served.
//!
//! - An article whose edit keeps its address, date, tags, authors, section,
//!   pins and redirects re-renders its own page, the listings and feeds it
//!   is in, the articles that rank it as related, and the sitemaps.
//! - A template re-renders the pages made with it (or with a template that
//!   uses it); the stylesheet and `static/` files are copied.
//! - Anything else (a new, renamed or deleted file or folder, new tags, `site.toml`)
//!   is a full build, which still keeps every unchanged file.
//!
//! Either way the folder ends up as a full build would write it. After a
//! failed rebuild the next one is always full, so every error still in the
//! files is reported again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::{self, Article, CONTENT_DIR};
use crate::diagnostic::{Diagnostic, Errors};
use crate::output::{InPlace, Sink};
use crate::render::{Select, Theme, TEMPLATES_DIR};
use crate::{build_site, BuildFailure, BuildOptions, BuildReport, Site};

/// What readers of the served site need to do after an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Nothing the site shows changed.
    Nothing,
    /// Only the stylesheet changed: swap it, no reload.
    Stylesheet,
    /// Pages changed: reload.
    Pages,
}

/// What an update did.
#[derive(Debug)]
pub struct Update {
    /// Whether any path changed was part of the site: if not, nothing
    /// was done, and a standing failure still stands.
    pub relevant: bool,
    pub change: Change,
    /// A full build, rather than a partial one.
    pub full: bool,
    /// Files written or removed.
    pub files: usize,
    /// The site builds again after a failure.
    pub mended: bool,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
}

/// A site being served, and what it was last built from.
pub struct Session {
    options: BuildOptions,
    root: PathBuf,
    /// `None` after a failed update.
    site: Option<Site>,
    /// Where the symbolic links followed in the site lead, as of the
    /// last full build that succeeded: a place a link led to that is gone
    /// (a build fails on the link) may come back, a folder copied in again.
    links: Vec<PathBuf>,
}

/// What a set of changed files calls for.
#[derive(Default)]
struct Plan {
    full: bool,
    articles: Vec<usize>,
    templates: BTreeSet<String>,
    stylesheet: bool,
    statics: Vec<PathBuf>,
}

impl Session {
    /// Build the site into `options.output` (which must be set) and keep
    /// what was read.
    pub fn start(options: BuildOptions) -> Result<(Session, BuildReport), BuildFailure> {
        let (session, built) = Session::begin(options);
        built.map(|report| (session, report))
    }

    /// [`Session::start`], with a session even when the first build
    /// fails: the dev server still serves, shows the errors in the open
    /// tabs and builds again when a file changes.
    pub fn begin(mut options: BuildOptions) -> (Session, Result<BuildReport, BuildFailure>) {
        options.full = true;
        let root = options
            .root
            .canonicalize()
            .unwrap_or_else(|_| options.root.clone());
        let (built, site) = match build_site(&options) {
            Ok((report, site)) => (Ok(report), site),
            Err(failure) => (Err(failure), None),
        };
        let links = built.as_ref().map(|r| r.links.clone()).unwrap_or_default();
        let session = Session {
            options,
            root,
            site,
            links,
        };
        (session, built)
    }

    /// Where the symbolic links followed in the site lead, and the links
    /// they pass through: files and folders to watch as the site's own,
    /// wherever they are in it.
    pub fn links(&self) -> &[PathBuf] {
        &self.links
    }

    /// The folder being served.
    pub fn output(&self) -> &Path {
        self.options.output.as_deref().unwrap_or(Path::new("."))
    }

    /// Bring the served folder up to date after `paths` (absolute, or
    /// relative to the site root) changed.
    pub fn update(&mut self, paths: &[PathBuf]) -> Result<Update, BuildFailure> {
        let started = Instant::now();
        let plan = self.plan(paths);
        let result = match plan {
            None => Ok(Update {
                relevant: false,
                change: Change::Nothing,
                full: false,
                files: 0,
                mended: false,
                elapsed: Duration::ZERO,
                warnings: Vec::new(),
            }),
            // A scheduled article has gone live, or one has left the news
            // sitemap's window, since the site was read: all of it changes.
            Some(plan) if plan.full || self.time_has_moved_on() => self.full(),
            Some(plan) => self.partial(plan),
        };
        self.timed(started, result)
    }

    /// An update with the time it took since `started`; a failure leaves
    /// the session without a site, so the next change builds in full.
    fn timed(
        &mut self,
        started: Instant,
        result: Result<Update, BuildFailure>,
    ) -> Result<Update, BuildFailure> {
        match result {
            Ok(mut update) => {
                update.elapsed = started.elapsed();
                Ok(update)
            }
            Err(failure) => {
                self.site = None;
                Err(failure)
            }
        }
    }

    /// The moment the site read last would build differently: a scheduled
    /// story goes live, or one leaves the news sitemap. Never with a fixed
    /// `--now`, or while the site is broken.
    pub fn valid_until(&self) -> Option<jiff::Timestamp> {
        let site = self.site.as_ref()?;
        match self.options.fixed_now() {
            true => None,
            false => crate::valid_until(&site.content, site.now),
        }
    }

    /// Whether the clock has passed [`Session::valid_until`].
    fn time_has_moved_on(&self) -> bool {
        self.valid_until()
            .is_some_and(|until| until <= jiff::Timestamp::now())
    }

    /// Build again if the clock has passed [`Session::valid_until`], with
    /// no file changed; `None` if it has not.
    pub fn catch_up(&mut self) -> Option<Result<Update, BuildFailure>> {
        if !self.time_has_moved_on() {
            return None;
        }
        let started = Instant::now();
        let result = self.full();
        Some(self.timed(started, result))
    }

    fn full(&mut self) -> Result<Update, BuildFailure> {
        let (report, site) = build_site(&self.options)?;
        let mended = self.site.is_none();
        self.site = site;
        self.links.clone_from(&report.links);
        let files = report.files.written + report.files.removed;
        Ok(Update {
            relevant: true,
            change: Change::Pages.unless_nothing_in(files),
            full: true,
            files,
            mended,
            elapsed: Duration::ZERO,
            warnings: report.warnings,
        })
    }

    /// Sort the changed paths into what to do; `None` when none of them
    /// is part of the site.
    fn plan(&self, paths: &[PathBuf]) -> Option<Plan> {
        let mut plan = Plan::default();
        let mut relevant = false;
        for path in paths {
            // A full build does everything: the rest need no look.
            if plan.full && relevant {
                break;
            }
            let Some(rel) = self.relative(path) else {
                continue;
            };
            let at = self.root.join(&rel);
            if ignored(&rel, at.is_dir()) {
                continue;
            }
            // A file reached through a symbolic link: its other paths in
            // the site, and what they feed, are found by a full build.
            if self.links.iter().any(|to| at.starts_with(to)) {
                plan.full = true;
                relevant = true;
            }
            let exists = at.exists();
            let mut parts = rel.components();
            let top = parts
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            let rest = parts.as_path().to_path_buf();
            match top.as_deref() {
                Some(crate::config::CONFIG_FILE) => plan.full = true,
                Some(TEMPLATES_DIR) => {
                    let name = crate::output::slash_path(&rest);
                    match name.as_str() {
                        "style.css" => plan.stylesheet = true,
                        "" => plan.full = true,
                        _ => {
                            plan.templates.insert(name);
                        }
                    }
                }
                // A changed file of `static/` is copied again; one added or
                // removed may free or take a page's address: a full build
                // checks. One that came and went (an editor's temporary
                // file) was never part of the site.
                // A folder moved away or renamed is one event, for the
                // folder: if the site had files in it, a full build.
                Some(crate::STATIC_DIR) if !rest.as_os_str().is_empty() => {
                    let known = self.site.as_ref().map(|site| site.statics.contains(&rest));
                    let held = self
                        .site
                        .as_ref()
                        .is_some_and(|site| site.statics.iter().any(|f| f.starts_with(&rest)));
                    match (known, exists) {
                        // Written with the aliases' lines after it.
                        (Some(true), true) if rest == Path::new(crate::render::REDIRECTS) => {
                            plan.full = true
                        }
                        // A picture pages give the size of, which it no
                        // longer has: those pages again.
                        (Some(true), true) if self.resized(&rest) => plan.full = true,
                        (Some(true), true) => plan.statics.push(rest),
                        (Some(false), false) if !held => continue,
                        _ => plan.full = true,
                    }
                }
                Some(CONTENT_DIR) => {
                    let Some(site) = &self.site else {
                        plan.full = true;
                        relevant = true;
                        continue;
                    };
                    let known = site.content.articles.iter().position(|a| a.file == rel);
                    let is_markdown = rel.extension().is_some_and(|e| e == "md");
                    match (known, is_markdown, exists) {
                        (Some(i), _, true) => plan.articles.push(i),
                        // A temporary file that came and went.
                        (None, false, false) if !was_read(site, &rel) => continue,
                        _ => plan.full = true,
                    }
                }
                Some(crate::STATIC_DIR) => plan.full = true,
                _ => continue,
            }
            relevant = true;
        }
        if relevant && self.site.is_none() {
            plan.full = true;
        }
        relevant.then_some(plan)
    }

    /// Whether the file of `static/` at `rel` is a picture whose size
    /// pages give and which has another now.
    fn resized(&self, rel: &Path) -> bool {
        let path = format!("/{}", crate::output::slash_path(rel));
        (self.site.as_ref()).is_some_and(|site| site.pictures.resized(&path))
    }

    fn relative(&self, path: &Path) -> Option<PathBuf> {
        if path.is_relative() {
            // `./content/x.md` is `content/x.md`.
            return Some(
                path.components()
                    .filter(|c| *c != std::path::Component::CurDir)
                    .collect(),
            );
        }
        path.strip_prefix(&self.root)
            .or_else(|_| path.strip_prefix(&self.options.root))
            .ok()
            .map(Path::to_path_buf)
    }

    fn partial(&mut self, plan: Plan) -> Result<Update, BuildFailure> {
        let out = InPlace::new(self.output());
        let Some(site) = &mut self.site else {
            return self.full();
        };
        let mut articles = plan.articles;
        articles.sort_unstable();
        articles.dedup();
        let mut update_warnings = Vec::new();
        for &i in &articles {
            let old = &site.content.articles[i];
            let new = content::reload_article(&site.root, &site.config, old)?;
            if !same_place(old, &new) {
                return self.full();
            }
            update_warnings.extend(content::article_warnings(&new, site.now));
            site.content.articles[i] = new;
            update_warnings.extend(site.rerender_article(i)?);
        }
        if !articles.is_empty() {
            update_warnings.extend(site.anchor_warnings(Some(&articles)));
            update_warnings.extend(site.picture_warnings(Some(&articles)));
        }
        let mut change = Change::Nothing;
        if !articles.is_empty() {
            site.render(&out, Select::Articles(&articles), false)
                .map_err(Errors::new)?;
            change = Change::Pages;
        }
        if !plan.templates.is_empty() || plan.stylesheet {
            let mut theme = Theme::load(&site.root)?;
            // The Markdown's headings and footnotes stay clear of the
            // theme's ids: new ones mean every body again.
            if theme.ids != site.theme.ids {
                return self.full();
            }
            let warnings = std::mem::take(&mut theme.warnings);
            site.theme = theme;
            if !plan.templates.is_empty() {
                let users = site.theme.users_of(&plan.templates);
                site.render(&out, Select::Templates(&users), false)
                    .map_err(Errors::new)?;
                change = Change::Pages;
            } else {
                out.write("/style.css", site.theme.stylesheet.as_bytes())
                    .map_err(Errors::one)?;
                change = change.max_with(Change::Stylesheet);
            }
            update_warnings.extend(warnings);
        }
        for rel in &plan.statics {
            let from = site.root.join("static").join(rel);
            let site_path = format!("/{}", crate::output::slash_path(rel));
            match from.is_file() {
                true => out.copy(&from, &site_path).map_err(Errors::one)?,
                false => out.remove(&site_path),
            }
            let css = rel.extension().is_some_and(|e| e == "css");
            change = change.max_with(match css {
                true => Change::Stylesheet,
                false => Change::Pages,
            });
        }
        if out.overflowed() {
            return self.full();
        }
        // Nothing is written yet: a warning under `--strict` fails the
        // update as it fails a build.
        update_warnings.sort();
        if self.options.strict && !update_warnings.is_empty() {
            return Err(Errors::new(crate::strict_errors(update_warnings)).into());
        }
        let files = out.commit().map_err(Errors::one)?;
        Ok(Update {
            relevant: true,
            change: change.unless_nothing_in(files),
            full: false,
            files,
            mended: false,
            elapsed: Duration::ZERO,
            warnings: update_warnings,
        })
    }
}

impl Change {
    /// This change, or none when no file was written or removed (a file
    /// saved as it was, a draft edited): open tabs keep their place.
    fn unless_nothing_in(self, files: usize) -> Change {
        match files {
            0 => Change::Nothing,
            _ => self,
        }
    }

    /// The larger of two changes: pages over the stylesheet over nothing.
    fn max_with(self, other: Change) -> Change {
        let rank = |c: Change| match c {
            Change::Nothing => 0,
            Change::Stylesheet => 1,
            Change::Pages => 2,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// Whether the site read a file at `rel` or in it, a folder of
/// `content/` moved away or renamed: an article (published or not), a file
/// it brings along, a page, a section's `_index.md`, a profile or its photo.
fn was_read(site: &Site, rel: &Path) -> bool {
    let c = &site.content;
    let articles = c
        .articles
        .iter()
        .flat_map(|a| std::iter::once(&a.file).chain(&a.assets));
    let pages = c.pages.iter().map(|p| &p.file);
    let sections = c.sections.iter().filter_map(|s| s.file.as_ref());
    let profiles = c
        .profiles
        .iter()
        .flat_map(|p| std::iter::once(&p.file).chain(&p.photo_file));
    let mut files = articles.chain(pages).chain(sections).chain(profiles);
    files.any(|f| f.starts_with(rel))
        || rel
            .strip_prefix(CONTENT_DIR)
            .is_ok_and(|under| c.links.keys().any(|key| Path::new(key).starts_with(under)))
}

/// Whether an edited article still sits where it did among the others:
/// same address, date, state, tags, authors, pins and redirects. Only then
/// can the pages around it stay as they are.
fn same_place(old: &Article, new: &Article) -> bool {
    let pins = |a: &Article| a.pins.iter().map(|p| p.target.clone()).collect::<Vec<_>>();
    old.path == new.path
        && old.section == new.section
        && old.date == new.date
        && old.draft == new.draft
        && old.featured == new.featured
        && old.tags == new.tags
        && old.authors == new.authors
        && old.aliases == new.aliases
        && old.assets == new.assets
        && pins(old) == pins(new)
}

/// Changes that change no build: of hidden files outside `static/`, of
/// the editor files no walk takes, and of backups wherever they are (the
/// next full build copies those in `static/`), and of the file Vim makes
/// and removes at once to test a folder (`4913`).
fn ignored(rel: &Path, is_dir: bool) -> bool {
    let in_static = rel.starts_with("static");
    let hidden = rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') && name != "." && name != ".."
    });
    let name = rel.file_name().map(|n| n.to_string_lossy());
    // Folders are never editors' files: a section may be named `4913`.
    let editors = !is_dir
        && name.is_some_and(|name| {
            crate::walk::editor_file(&name) || crate::walk::editor_backup(&name) || name == "4913"
        });
    hidden && !in_static || editors
}
