//! dateline: a static news-site generator.
//!
//! [`build`] is the whole pipeline, in order: read `site.toml`, load the
//! articles and pages, render their Markdown, build tags, authors, sections
//! and related stories, render the templates, and swap the finished site in
//! for the old one. Each stage is a plain function over what the earlier
//! ones produced.

pub mod config;
pub mod content;
pub mod diagnostic;
pub mod highlight;
pub mod interrupt;
pub mod live;
pub mod markdown;
pub mod output;
pub mod pictures;
pub mod related;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod spill;
pub mod state;
pub mod taxonomy;
pub mod toml_read;
pub mod walk;
pub mod words;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;

use config::{BaseUrl, Config};
use content::{Content, Selection};
use diagnostic::{Diagnostic, Errors, Problems};
use highlight::Highlighter;
use output::Staging;
use render::Theme;
use taxonomy::Taxonomy;

/// What to build, from the command line.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder, holding `site.toml`.
    pub root: PathBuf,
    /// Where to write the site; `site.toml`'s `output_dir` when `None`.
    pub output: Option<PathBuf>,
    /// Publish drafts too.
    pub drafts: bool,
    /// Publish articles dated after `now` too.
    pub future: bool,
    /// Replaces `site.toml`'s `base_url`, for previews.
    pub base_url: Option<String>,
    /// The build's moment; the clock when `None`.
    pub now: Option<Timestamp>,
    /// The build's moment as a time without an offset (`--now
    /// 2026-05-01T09:00`, `--now 2026-05-01`), read in the site's time
    /// zone as front matter's dates are; `now` wins over it.
    pub now_local: Option<jiff::civil::DateTime>,
    /// Fail the build on warnings too.
    pub strict: bool,
    /// Render every page even when nothing changed since the last build.
    pub full: bool,
    /// Show a progress bar on the terminal.
    pub progress: bool,
    /// Say nothing but warnings and errors (`build --quiet`).
    pub quiet: bool,
}

impl BuildOptions {
    /// The build's moment, for a site in the time zone `tz`: the one
    /// given, else the clock's; an error for a local time that is no
    /// moment there (beyond the years a moment may have).
    pub fn moment(&self, tz: &jiff::tz::TimeZone) -> Result<Timestamp, Errors> {
        let Some(local) = self.now_local.filter(|_| self.now.is_none()) else {
            return Ok(self.now.unwrap_or_else(Timestamp::now));
        };
        tz.to_ambiguous_timestamp(local).compatible().map_err(|e| {
            let zone = tz.iana_name().unwrap_or("the site's time zone");
            Errors::one(Diagnostic::new(
                "--now",
                format!("{local} is no moment in {zone} ({e})"),
            ))
        })
    }

    /// Whether the build's moment is given, not the clock's.
    pub fn fixed_now(&self) -> bool {
        self.now.is_some() || self.now_local.is_some()
    }

    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            future: false,
            base_url: None,
            now: None,
            now_local: None,
            strict: false,
            full: false,
            progress: false,
            quiet: false,
        }
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages written, by kind (article, section, tag, ...).
    pub pages: BTreeMap<&'static str, usize>,
    /// Files copied from `static/`.
    pub static_files: usize,
    pub output: PathBuf,
    /// Output files written anew and kept unchanged from the last build.
    pub files: output::FileCounts,
    /// Nothing changed since the last build, which is still in place.
    pub up_to_date: bool,
    pub elapsed: Duration,
    /// Each stage's time and the peak memory at its end.
    pub stages: Vec<Stage>,
    pub warnings: Vec<Diagnostic>,
    /// The next article waiting for its date (in the site's time zone), and
    /// its file.
    pub next_scheduled: Option<(jiff::Zoned, PathBuf)>,
    /// Staging folders left beside the output by builds stopped outright,
    /// which this build removed.
    pub abandoned: Vec<PathBuf>,
    /// Where the symbolic links followed in the site lead (canonical
    /// paths), for the dev server to watch.
    pub links: Vec<PathBuf>,
}

/// How long a stage of the build took, and the process's peak memory at
/// its end (where the system tells).
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub elapsed: Duration,
    pub peak_memory: Option<u64>,
}

/// Times the stages of a build.
struct Stages {
    last: Instant,
    done: Vec<Stage>,
}

impl Stages {
    fn new() -> Self {
        Stages {
            last: Instant::now(),
            done: Vec::new(),
        }
    }

    /// The stage `name` ends now.
    fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        self.done.push(Stage {
            name,
            elapsed: now - self.last,
            peak_memory: peak_memory(),
        });
        self.last = now;
    }
}

/// The process's peak resident memory in bytes, on Linux.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A failed build: its errors, and the warnings found on the way.
#[derive(Debug)]
pub struct BuildFailure {
    pub errors: Errors,
    pub warnings: Vec<Diagnostic>,
    /// Stopped on request ([`interrupt`]) rather than by its errors.
    pub interrupted: bool,
    /// Staging folders left by builds stopped outright, which this build
    /// removed all the same.
    pub abandoned: Vec<PathBuf>,
    /// Whether there was an output folder, which the build left as it was.
    pub had_output: bool,
}

impl BuildFailure {
    /// A build stopped on request, before it replaced any output.
    pub fn interrupted() -> Self {
        BuildFailure {
            interrupted: true,
            ..Errors::new(Vec::new()).into()
        }
    }
}

impl From<Errors> for BuildFailure {
    fn from(errors: Errors) -> Self {
        BuildFailure {
            errors,
            warnings: Vec::new(),
            interrupted: false,
            abandoned: Vec::new(),
            had_output: true,
        }
    }
}

impl From<Problems> for BuildFailure {
    fn from(mut problems: Problems) -> Self {
        // Sorted as the errors are, by file and place.
        problems.warnings.sort();
        problems.warnings.dedup();
        BuildFailure {
            errors: Errors::new(problems.errors),
            warnings: problems.warnings,
            interrupted: false,
            abandoned: Vec::new(),
            had_output: true,
        }
    }
}

/// Stop here when the build was asked to stop: the work so far is dropped.
fn stop_if_asked() -> Result<(), BuildFailure> {
    match interrupt::requested() {
        true => Err(BuildFailure::interrupted()),
        false => Ok(()),
    }
}

/// The failure of a build with `problems` so far and then `more` errors.
fn fail_with(mut problems: Problems, more: Errors) -> BuildFailure {
    problems.errors.extend(more.0);
    problems.into()
}

/// What every command reads first: settings, content and taxonomy.
struct Prepared {
    config: Config,
    content: Content,
    taxonomy: Taxonomy,
    problems: Problems,
}

/// Load the content `walked` (the walk of `content/`) found, and build its
/// taxonomy.
fn prepare(
    options: &BuildOptions,
    config: Config,
    now: Timestamp,
    walked: walk::Found,
    stages: &mut Stages,
) -> Result<Prepared, BuildFailure> {
    let selection = Selection {
        drafts: options.drafts,
        future: options.future,
        now,
    };
    let content::Loaded { content, errors } =
        content::load(&options.root, &config, &selection, walked)?;
    stages.end("load");
    stop_if_asked()?;
    let mut problems = Problems {
        errors,
        warnings: (config.warnings.iter().cloned())
            .chain(content.warnings.iter().cloned())
            .collect(),
    };
    let taxonomy = taxonomy::build(&content, &config, &mut problems);
    stages.end("taxonomy");
    Ok(Prepared {
        config,
        content,
        taxonomy,
        problems,
    })
}

/// Allow (`true`) or forbid transparent huge pages for this process and
/// the processes it starts from now on (Linux; elsewhere nothing).
///
/// mimalloc asks for them, and each is a 2 MiB block zeroed at once and
/// split again when part of it is handed back. `dateline` forbids them
/// from its start: the 10,000-article build peaked at 172 to 184 MB without
/// them against 229 to 249 MB, with less system time and the same wall
/// time; a nothing-changed build of 100,000 articles took 1.07 to 1.13 s
/// without them, and 0.94 to 2.74 s with them, where zeroing its pages
/// took up to 60% of the time. `bench/RESULTS.md` has the runs.
pub fn huge_pages(allowed: bool) {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only how
    // the kernel backs this process's memory; on failure nothing changes.
    unsafe {
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            libc::c_ulong::from(!allowed),
            0,
            0,
            0,
        );
    }
    #[cfg(not(target_os = "linux"))]
    let _ = allowed;
}

/// Build the site. On failure the previous output is left untouched.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    build_site(options).map(|(report, _)| report)
}

/// Build the site, and return what was read unless nothing changed since
/// the last build.
pub fn build_site(options: &BuildOptions) -> Result<(BuildReport, Option<Site>), BuildFailure> {
    let started = Instant::now();
    let mut stages = Stages::new();
    // Another build of the same output finishes first: this one then reads
    // what it published, and swaps in after it.
    let _turn = match take_turn(options) {
        Ok(Some(turn)) => turn,
        Ok(None) => return Err(BuildFailure::interrupted()),
        Err((e, had_output)) => {
            return Err(BuildFailure {
                had_output,
                ..Errors::from(e).into()
            })
        }
    };
    // Walked and stamped before anything is read, `site.toml` included.
    let walked = walk::Inputs::walk(&options.root);
    let inputs = state::Inputs::stamp(&options.root, &walked);
    let links = inputs.links.clone();
    let config = match load_config(options) {
        Ok(config) => config,
        Err(errors) => {
            // A refused output folder is said with the settings' errors.
            let output = match &options.output {
                Some(dir) => Some((dir.clone(), None)),
                None => config::output_dir_written(&options.root),
            };
            // Without a site.toml to read, where the output would be.
            let dir = output
                .as_ref()
                .map_or_else(config::default_output_dir, |(dir, _)| dir.clone());
            let had_output = output::resolve(&options.root, &dir).exists();
            let refused = output.and_then(|(dir, at)| refusal(options, &dir, at));
            let errors = errors.and(refused.into_iter().flat_map(|e| e.0));
            return Err(BuildFailure {
                had_output,
                ..errors.into()
            });
        }
    };
    stages.end("config");
    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| config.output_dir.clone());
    let target = output::resolve(&options.root, &output_dir);
    // Before the record is checked: a staging folder's hard links into the
    // output, removed, change its files' status times, which it compares.
    let abandoned = output::remove_abandoned(&options.root, &target);
    if !abandoned.is_empty() {
        stages.end("cleanup");
    }
    let had_output = target.exists();
    match build_begun(options, started, stages, (walked, inputs), config, target) {
        Ok((report, site)) => Ok((
            BuildReport {
                abandoned,
                links,
                ..report
            },
            site,
        )),
        Err(failure) => Err(BuildFailure {
            abandoned,
            had_output,
            ..failure
        }),
    }
}

/// Wait for any other build of the output folder `site.toml` or
/// `--output` names (see [`output::BuildLock`]); `None` when asked to stop
/// meanwhile. An output folder the build will refuse is not locked.
/// The error, with whether there is an output, when something other than
/// a file is where the lock goes.
fn take_turn(options: &BuildOptions) -> Result<Option<output::BuildLock>, (Diagnostic, bool)> {
    let dir = (options.output.clone())
        .or_else(|| config::output_dir_written(&options.root).map(|(dir, _)| dir))
        .unwrap_or_else(config::default_output_dir);
    if output::check(&options.root, &dir).is_err() {
        return Ok(Some(output::BuildLock::none()));
    }
    let target = output::resolve(&options.root, &dir);
    output::BuildLock::take(&target, |holder| {
        if options.quiet {
            return;
        }
        let holder = holder.map_or_else(String::new, |pid| format!(" (process {pid})"));
        eprintln!(
            "waiting for another build into {} to finish{holder}",
            dir.display()
        );
    })
    .map_err(|e| (e, target.exists()))
}

/// The rest of [`build_site`], once the settings are read and the output
/// folder (`target`, resolved) is known: the input folders' walks and the
/// stamps of what they found.
fn build_begun(
    options: &BuildOptions,
    started: Instant,
    mut stages: Stages,
    (walked, inputs): (walk::Inputs, state::Inputs),
    config: Config,
    target: PathBuf,
) -> Result<(BuildReport, Option<Site>), BuildFailure> {
    let root = &options.root;
    let now = options.moment(&config.timezone)?;
    let inherited = output::inherited(&target);
    let key = state::Key::new(
        inputs,
        &target,
        &format!(
            "drafts={} future={} strict={} base_url={:?} umask={:?}",
            options.drafts,
            options.future,
            options.strict,
            options.base_url,
            output::umask(),
        ),
        &inherited,
        now,
    );
    // Said now with the content's errors, rather than after they are fixed.
    let refused = refusal(options, &target, config.output_dir_at);
    // `--full` trusts nothing of the last build's record.
    let mut previous = None;
    if !options.full && refused.is_none() {
        previous = state::previous(&target);
        let fresh = previous.take_if(|p| p.up_to_date(&key));
        stages.end("check");
        stop_if_asked()?;
        if let Some(summary) = fresh.map(|p| p.summary) {
            let report = BuildReport {
                pages: summary
                    .pages
                    .into_iter()
                    .filter_map(|(kind, n)| Some((render::kind_name(&kind)?, n)))
                    .collect(),
                static_files: summary.static_files,
                files: output::FileCounts::default(),
                up_to_date: true,
                elapsed: started.elapsed(),
                stages: stages.done,
                warnings: summary.warnings,
                next_scheduled: summary
                    .next_scheduled
                    .map(|(t, file)| (t.to_zoned(config.timezone.clone()), file)),
                abandoned: Vec::new(),
                links: Vec::new(),
                output: target,
            };
            return Ok((report, None));
        }
    }
    let output_dir_at = config.output_dir_at;
    let (site, mut problems) = match Site::read(options, config, now, walked, &mut stages) {
        Ok(read) => read,
        Err(failure) => {
            let errors = failure.errors.and(refused.into_iter().flat_map(|e| e.0));
            return Err(BuildFailure { errors, ..failure });
        }
    };
    if let Some(refused) = refused {
        return Err(fail_with(problems, refused));
    }
    let staging = match Staging::begin(root, &target) {
        // A kept file has the group and ACL it was made with. The staging
        // compares groups; an ACL is known alike from a record made under
        // the same default ACL above the output or, with none, from the old
        // output folder's own.
        Ok(staging) => match previous {
            Some(p) if p.same_inherited(&key) => staging.with_record(p.into_recorded()),
            Some(_) => staging.keeping_nothing(),
            None if output::acl_changed_since_made(&target) => staging.keeping_nothing(),
            None => staging,
        },
        Err(e) => {
            let flag = options.output.is_some();
            return Err(fail_with(
                problems,
                said_of_output_setting(e, flag, output_dir_at),
            ));
        }
    };
    let rendered = site.render(&staging, render::Select::All, options.progress);
    stages.end("render");
    // Returning drops the staging folder, and with it every page written.
    stop_if_asked()?;
    // The files found when the site was read, whose addresses were checked.
    // Not a `_redirects` of the site's own: the render wrote it with the
    // aliases' lines.
    let mut statics = std::borrow::Cow::Borrowed(&site.statics);
    if statics.contains(Path::new(render::REDIRECTS)) {
        statics.to_mut().remove(Path::new(render::REDIRECTS));
    }
    let copied = staging.copy_tree(&root.join(STATIC_DIR), &statics);
    let (pages, static_files) = match (rendered, copied) {
        (Ok(pages), Ok(copied)) => (pages, copied),
        (r, s) => {
            problems
                .errors
                .extend(r.err().into_iter().chain(s.err()).flatten());
            return Err(problems.into());
        }
    };
    if options.strict && !problems.warnings.is_empty() {
        problems.errors = strict_errors(std::mem::take(&mut problems.warnings));
        return Err(problems.into());
    }
    stages.end("static");
    // From here on the build finishes: a signal must not cut the swap of
    // the old output for the new in half.
    let _finishing = interrupt::Finishing::begin();
    stop_if_asked()?;
    let output = staging.target().to_path_buf();
    // Checked again: a folder of someone's files may have been made at
    // the output's path while the build ran.
    if let Some(refused) = refusal(options, &target, output_dir_at) {
        return Err(fail_with(problems, refused));
    }
    state::forget(&target);
    let made = match state::own(&target) {
        Ok(made) => made,
        Err(e) => return Err(fail_with(problems, e.into())),
    };
    let (written, removed, before, leftover) = match staging.commit() {
        Ok(c) => (c.files, c.removed, c.before, c.warning),
        Err(e) => {
            if made {
                state::disown(&target);
            }
            return Err(fail_with(problems, e));
        }
    };
    let files = output::FileCounts {
        removed,
        ..output::FileCounts::of(&written)
    };
    problems.warnings.sort();
    let summary = state::Summary {
        pages: pages.iter().map(|(k, n)| (k.to_string(), *n)).collect(),
        static_files,
        warnings: problems.warnings.clone(),
        next_scheduled: site.content.next_scheduled.clone(),
    };
    let until = valid_until(&site.content, now);
    state::record(&key, until, &written, before, summary);
    stages.end("output");
    let report = BuildReport {
        pages,
        static_files,
        output,
        files,
        up_to_date: false,
        elapsed: started.elapsed(),
        stages: stages.done,
        // A previous output left behind is this build's news only: not
        // repeated by the builds that find nothing changed.
        warnings: problems.warnings.into_iter().chain(leftover).collect(),
        next_scheduled: site
            .content
            .next_scheduled
            .clone()
            .map(|(t, file)| (t.to_zoned(site.config.timezone.clone()), file)),
        abandoned: Vec::new(),
        links: Vec::new(),
    };
    Ok((report, Some(site)))
}

/// Why the output folder `dir` is refused, if it is, said of the setting
/// that named it (written at `at` in site.toml).
fn refusal(options: &BuildOptions, dir: &Path, at: Option<(usize, usize)>) -> Option<Errors> {
    let e = output::check(&options.root, dir).err()?;
    Some(said_of_output_setting(e, options.output.is_some(), at))
}

/// Problems with the output folder, said of the setting that named it:
/// `--output`, or site.toml's `output_dir` where it is written.
fn said_of_output_setting(e: Errors, flag: bool, output_dir_at: Option<(usize, usize)>) -> Errors {
    let (path, position) = match (flag, output_dir_at) {
        (true, _) => (PathBuf::from("--output"), None),
        (false, Some(at)) => (PathBuf::from(config::CONFIG_FILE), Some(at)),
        (false, None) => return e,
    };
    let said = |d: Diagnostic| Diagnostic {
        message: format!("{}: {}", d.path.display(), d.message),
        path: path.clone(),
        position,
    };
    Errors(e.0.into_iter().map(said).collect())
}

/// A site read and checked, ready to render: what a build holds between
/// reading the files and writing the pages. The dev server keeps one, to
/// render again only what an edit affects.
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub content: Content,
    pub markdown: render::Markdown,
    pub taxonomy: Taxonomy,
    pub theme: Theme,
    highlighter: Highlighter,
    sanitizer: Option<ammonia::Builder<'static>>,
    pub now: Timestamp,
    /// The files of `static/`, relative to it, as the build found them.
    pub statics: std::collections::BTreeSet<PathBuf>,
    /// Every file the build copies, by site path, with its size if it is
    /// a picture.
    pub pictures: pictures::Files,
}

impl Site {
    /// Read, check and summarize everything the walks found; the warnings
    /// come back with the site, all errors as a failure.
    fn read(
        options: &BuildOptions,
        config: Config,
        now: Timestamp,
        walked: walk::Inputs,
        stages: &mut Stages,
    ) -> Result<(Site, Problems), BuildFailure> {
        let walk::Inputs {
            content,
            templates,
            statics,
        } = walked;
        // The highlighter's syntaxes load while the content does; a build
        // that fails or stops before then does not wait for them.
        let highlighter = std::thread::spawn(Highlighter::default);
        let Prepared {
            config,
            content,
            taxonomy,
            mut problems,
        } = prepare(options, config, now, content, stages)?;
        stop_if_asked()?;
        let highlighter = highlighter
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // `static/` is walked once: the files whose addresses are checked
        // are the files copied.
        problems.absorb(statics.problems);
        let mut site = Site {
            root: options.root.clone(),
            sanitizer: config.markdown.sanitize.then(markdown::sanitizer),
            config,
            content,
            markdown: render::Markdown::default(),
            taxonomy,
            theme: Theme::empty(),
            highlighter,
            now,
            statics: statics.files.into_iter().collect(),
            pictures: pictures::Files::default(),
        };
        site.pictures = site.copied_files();
        // The theme first, since headings must not take its ids, then the
        // Markdown; addresses are checked meanwhile.
        let ((theme, markdown), collisions) = rayon::join(
            || {
                let theme = Theme::load_found(&site.root, templates);
                let no_ids = std::collections::BTreeSet::new();
                let ids = theme.as_ref().map_or(&no_ids, |t| &t.ids);
                let cx = site.markdown_context_with(ids);
                let authors = &site.config.paths.authors;
                let markdown =
                    render_markdown(&site.root, &site.content, authors, &cx, &mut problems);
                let later = scheduled_problems(&site.root, &site.content, &cx);
                (theme, (markdown, later))
            },
            || url_collisions(&site.content, &site.taxonomy, &site.config, &site.statics),
        );
        let (markdown, mut later) = markdown;
        let (collisions, later_collisions) = collisions;
        site.markdown = markdown;
        problems.errors.extend(collisions);
        later.extend(later_collisions);
        later.sort();
        problems
            .warnings
            .extend(later.into_iter().map(|d| Diagnostic {
                message: format!(
                    "{} (the story is scheduled: this becomes an error of the build that \
                     publishes it)",
                    d.message
                ),
                ..d
            }));
        stages.end("markdown");
        stop_if_asked()?;
        // The Markdown's errors are reported with the theme's.
        site.theme = match theme {
            Ok(theme) => theme,
            Err(e) => return Err(fail_with(problems, e)),
        };
        problems.warnings.append(&mut site.theme.warnings);
        problems.warnings.extend(site.anchor_warnings(None));
        problems.warnings.extend(site.picture_warnings(None));
        if !problems.errors.is_empty() {
            return Err(problems.into());
        }
        Ok((site, problems))
    }

    /// Links to a part of a page (`@/business/deal.md#terms`, `#terms`)
    /// that no element of that page has: warnings, since the page is
    /// there and opens at its top. With `touched` (articles read again),
    /// only the links from or to those.
    pub fn anchor_warnings(&self, touched: Option<&[usize]>) -> Vec<Diagnostic> {
        let (content, markdown) = (&self.content, &self.markdown);
        let bodies = (content
            .articles
            .iter()
            .map(|a| (&a.file, Some(a.source.as_str()))))
        .zip(&markdown.articles)
        .chain(
            (content
                .pages
                .iter()
                .map(|p| (&p.file, Some(p.source.as_str()))))
            .zip(&markdown.pages),
        )
        .chain((content.profiles.iter().map(|p| (&p.file, None))).zip(&markdown.profiles));
        let linked = |source: Option<&str>| match touched {
            None => true,
            Some(touched) => source.is_some_and(|source| {
                (touched.iter()).any(|&i| content.articles[i].source == source)
            }),
        };
        let mut by_source = None;
        let mut warnings = Vec::new();
        for ((file, source), rendered) in bodies {
            for anchor in &rendered.anchors {
                let target = anchor.target.as_deref();
                if !linked(source) && !linked(target) {
                    continue;
                }
                let page = match target {
                    None => Some(rendered),
                    Some(target) => by_source
                        .get_or_insert_with(|| {
                            let articles = content.articles.iter().map(|a| &a.source);
                            let pages = content.pages.iter().map(|p| &p.source);
                            (articles.zip(&markdown.articles))
                                .chain(pages.zip(&markdown.pages))
                                .map(|(source, r)| (source.as_str(), r))
                                .collect::<HashMap<&str, &markdown::Rendered>>()
                        })
                        .get(target)
                        .copied(),
                };
                // A page not published is said of at the link already.
                let Some(page) = page else { continue };
                // `#top` is the page's top when nothing has that id (as
                // browsers read it), and `#:~:text=` finds text.
                let browsers =
                    anchor.id.eq_ignore_ascii_case("top") || anchor.id.starts_with(":~:");
                if browsers || page.has_id(&anchor.id) || self.theme.ids.contains(&*anchor.id) {
                    continue;
                }
                let which = match target {
                    Some(target) => format!("content/{target}"),
                    None => "this page".to_string(),
                };
                let mut ids: Vec<String> = page.ids().map(|id| format!("`{id}`")).collect();
                let more = ids.len().saturating_sub(8);
                ids.truncate(8);
                let known = match (ids.is_empty(), more) {
                    (true, _) => "its text has no headings or other elements with ids".to_string(),
                    (false, 0) => format!("the ids in its text are {}", ids.join(", ")),
                    (false, more) => {
                        format!(
                            "the ids in its text include {}, and {more} more",
                            ids.join(", ")
                        )
                    }
                };
                let message = format!(
                    "the link `{}` names no part of {which}: no element there has the id `{}` \
                     ({known})",
                    anchor.written, anchor.id
                );
                warnings.push(Diagnostic::at_line(
                    file.clone(),
                    anchor.line,
                    anchor.column,
                    message,
                ));
            }
        }
        warnings.sort();
        warnings
    }

    /// Pictures of the site's own that no file of the site is at: a body's
    /// `![x](promenade.jpg)` with no such file beside the bundle, a site
    /// path or an `image` with nothing in static/. Warnings, at the
    /// picture: the page shows a broken image. On a site under a path,
    /// links to the site's pages and files written without it too. With
    /// `touched`, only those of the articles read again.
    pub fn picture_warnings(&self, touched: Option<&[usize]>) -> Vec<Diagnostic> {
        let content = &self.content;
        let copied = &self.pictures;
        // A site path in a body is written as it is, so it must hold
        // base_url's path (`/news/img/a.png`); an `image` is given it.
        let base_path = self.config.base_url.url("/");
        let base_path = base_path.trim_end_matches('/');
        let there = |path: &str, in_body: bool| match in_body {
            true => (path.strip_prefix(base_path)).is_some_and(|rest| copied.contains(rest)),
            false => copied.contains(path),
        };
        let mut warnings = Vec::new();
        // `written` on the page at site path `page`, in its body or as
        // its `image`, at `at`.
        let mut check = |file: &Path, page: &str, written: &str, at, in_body: bool| {
            // A body's address is read from the page as served, under
            // base_url's path.
            let page = match in_body {
                true => format!("{base_path}{page}"),
                false => page.to_string(),
            };
            let Some(path) = pictures::site_path(&page, written) else {
                return;
            };
            if there(&path, in_body) {
                return;
            }
            let folder = &path[..path.rfind('/').map_or(0, |i| i + 1)];
            // In order: of names as near, the first is meant, every build.
            let mut beside: Vec<&str> = (copied.paths())
                .filter(|p| p.starts_with(folder) && !p[folder.len()..].contains('/'))
                .collect();
            beside.sort_unstable();
            // Under `static/`'s name, which the site's root is.
            let served_from = if in_body { base_path } else { "" };
            let in_static = (path.strip_prefix(&format!("{served_from}/{STATIC_DIR}")))
                .filter(|rest| rest.starts_with('/'))
                .map(|rest| format!("{served_from}{rest}"));
            // An `image` written with base_url's path, which it is given.
            let with_base = (path.strip_prefix(base_path))
                .filter(|rest| !in_body && !base_path.is_empty() && copied.contains(rest));
            let hint = match diagnostic::did_you_mean(&path, beside) {
                // Written without base_url's path.
                _ if in_body && copied.contains(&path) => format!(
                    "; the site is served under {base_path}/, so write {}",
                    as_markdown(&format!("{base_path}{path}"))
                ),
                _ if with_base.is_some() => format!(
                    "; `image` is given the site's path ({base_path}/) itself, so write {}",
                    with_base.unwrap_or_default()
                ),
                _ if in_static.is_some() => {
                    let path = in_static.unwrap_or_default();
                    let path = if in_body { as_markdown(&path) } else { path };
                    format!("; the files of static/ are at the site's root: write {path}")
                }
                Some(meant) => {
                    format!("; did you mean {meant}? (names are matched exactly, case too)")
                }
                None => "; check its name, case too".to_string(),
            };
            let message = format!(
                "the picture `{written}` is no file of the site: nothing is copied to {path} \
                 (a file beside a bundle's index.md, or in static/){hint}"
            );
            warnings.push(match at {
                Some((line, column)) => Diagnostic::at_line(file, line, column, message),
                None => Diagnostic::new(file, message),
            });
        };
        let at = |p: &markdown::Picture| Some((p.line, p.column));
        let articles = (content.articles.iter().enumerate())
            .filter(|(i, _)| touched.is_none_or(|touched| touched.contains(i)));
        for (i, a) in articles {
            for p in &self.markdown.articles[i].pictures {
                check(&a.file, &a.path, &p.written, at(p), true);
            }
            // A bundle's own file is checked as it is read.
            if let Some(image) = a.image.as_deref().filter(|i| i.starts_with('/')) {
                check(&a.file, &a.path, image, a.image_at, false);
            }
        }
        if touched.is_none() {
            for (p, r) in content.pages.iter().zip(&self.markdown.pages) {
                for picture in &r.pictures {
                    check(&p.file, &p.path, &picture.written, at(picture), true);
                }
            }
            // An author's biography is on the author's page.
            for (p, r) in content.profiles.iter().zip(&self.markdown.profiles) {
                let page = render::term_path(&self.config.paths.authors, &p.slug);
                for picture in &r.pictures {
                    check(&p.file, &page, &picture.written, at(picture), true);
                }
            }
        }
        // A link written as a site path without base_url's path, to what
        // the site makes (`/about/` on a site under /news/): a 404 once
        // deployed. A link elsewhere on the host may be meant.
        if base_path.is_empty() {
            warnings.sort();
            return warnings;
        }
        // Made once a link needs it: a save in the dev server seldom does.
        let mut made: Option<std::collections::HashSet<String>> = None;
        let mut link = |file: &Path, l: &markdown::Picture| {
            let path = l.written.split(['#', '?']).next().unwrap_or_default();
            if path.starts_with(&format!("{base_path}/")) {
                return;
            }
            let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            // A page written as its file.
            let path = match path.strip_suffix("index.html") {
                Some(folder) if folder.ends_with('/') => {
                    std::borrow::Cow::Owned(folder.to_string())
                }
                _ => path,
            };
            let made = made.get_or_insert_with(|| self.addresses());
            // A listing's later page (`/city/page/3/`) is its listing's.
            let page_folder = format!("/{}/", self.config.paths.page);
            let listing = match path.rfind(&page_folder) {
                Some(at)
                    if path[at + page_folder.len()..]
                        .trim_end_matches('/')
                        .parse::<usize>()
                        .is_ok() =>
                {
                    &path[..=at]
                }
                _ => path.as_ref(),
            };
            let with_slash = format!("{}/", listing.trim_end_matches('/'));
            let ours = [listing, with_slash.as_str()]
                .iter()
                .any(|p| made.contains(*p))
                || copied.contains(path.as_ref());
            // `/` is the host's home, which may well be meant.
            if ours && path != "/" {
                let message = format!(
                    "the link `{}` leaves the site, which is served under {base_path}/: write \
                     {base_path}{} (or link a story or page with `@/`)",
                    l.written, l.written
                );
                warnings.push(Diagnostic::at_line(file, l.line, l.column, message));
            }
        };
        let articles = (content.articles.iter().enumerate())
            .filter(|(i, _)| touched.is_none_or(|touched| touched.contains(i)));
        for (i, a) in articles {
            for l in &self.markdown.articles[i].site_links {
                link(&a.file, l);
            }
        }
        if touched.is_none() {
            for (p, r) in content.pages.iter().zip(&self.markdown.pages) {
                for l in &r.site_links {
                    link(&p.file, l);
                }
            }
            for (p, r) in content.profiles.iter().zip(&self.markdown.profiles) {
                for l in &r.site_links {
                    link(&p.file, l);
                }
            }
        }
        warnings.sort();
        warnings
    }

    /// Every file the build copies, by site path: static/'s, bundles'
    /// files, authors' photos.
    fn copied_files(&self) -> pictures::Files {
        let root = &self.root;
        let statics = (self.statics.iter()).map(|rel| {
            let path = format!("/{}", output::slash_path(rel));
            (path, root.join(STATIC_DIR).join(rel))
        });
        let bundles = (self.content.articles.iter())
            .flat_map(|a| a.asset_paths().map(|(file, path)| (path, root.join(file))));
        // A profile's photo goes beside its author's page.
        let photos = (self.content.profiles.iter()).filter_map(|p| {
            let (file, name) = (p.photo_file.as_ref()?, p.photo.as_deref()?);
            let page = render::term_path(&self.config.paths.authors, &p.slug);
            Some((format!("{page}{name}"), root.join(file)))
        });
        pictures::Files::new(statics.chain(bundles).chain(photos))
    }

    /// The site paths of the pages and files the build makes, static and
    /// bundle files aside: articles, their aliases, pages, listings with
    /// their feeds, the sitemaps and robots.txt.
    fn addresses(&self) -> std::collections::HashSet<String> {
        let (content, t) = (&self.content, &self.taxonomy);
        let folders = [&self.config.paths.tags, &self.config.paths.authors];
        let terms = (t.tags.iter().map(|term| (folders[0], term)))
            .chain(t.authors.iter().map(|term| (folders[1], term)))
            .map(|(folder, term)| render::term_path(folder, &term.slug));
        let listings: Vec<String> = (content.sections.iter().map(|s| s.path.clone()))
            .chain(terms)
            .chain(["/".to_string()])
            .collect();
        let feeds = listings
            .iter()
            .flat_map(|l| render::FEED_FILES.map(|f| format!("{l}{f}")));
        (content.articles.iter())
            .flat_map(|a| std::iter::once(a.path.clone()).chain(a.aliases.iter().cloned()))
            .chain(content.pages.iter().map(|p| p.path.clone()))
            .chain(folders.iter().map(|folder| format!("/{folder}/")))
            .chain(feeds)
            .chain(listings.iter().cloned())
            .chain(
                [
                    "/sitemap.xml",
                    "/news-sitemap.xml",
                    "/robots.txt",
                    "/style.css",
                    "/404.html",
                ]
                .map(String::from),
            )
            .collect()
    }

    fn markdown_context(&self) -> markdown::Context<'_> {
        self.markdown_context_with(&self.theme.ids)
    }

    /// The Markdown's context, with the ids of a theme not yet the site's.
    fn markdown_context_with<'a>(
        &'a self,
        theme_ids: &'a std::collections::BTreeSet<String>,
    ) -> markdown::Context<'a> {
        markdown::Context {
            links: &self.content.links,
            spellings: &self.content.spellings,
            broken: &self.content.broken,
            base_url: &self.config.base_url,
            highlighter: &self.highlighter,
            sanitizer: self.sanitizer.as_ref(),
            theme_ids,
            words: &self.config.words,
            slugs: self.config.slugs,
            pictures: &self.pictures,
        }
    }

    /// Render the selected pages into `out`.
    pub fn render(
        &self,
        out: &dyn output::Sink,
        select: render::Select,
        progress: bool,
    ) -> Result<render::Counts, Vec<Diagnostic>> {
        let markdown_cx = self.markdown_context();
        let input = render::Input {
            root: &self.root,
            config: &self.config,
            content: &self.content,
            markdown: &self.markdown,
            markdown_cx: &markdown_cx,
            taxonomy: &self.taxonomy,
            now: self.now,
            statics: &self.statics,
        };
        render::render_site(&input, &self.theme, out, select, progress)
    }

    /// Render one article's Markdown again (after its file changed),
    /// setting its body HTML aside as the build did; returns its warnings.
    pub fn rerender_article(&mut self, i: usize) -> Result<Vec<Diagnostic>, Errors> {
        let a = &self.content.articles[i];
        let mut problems = Problems::default();
        let body = content::read_body(&self.root, a).map_err(Errors::one)?;
        let dek = markdown::Dek::of_article(a);
        let cx = self.markdown_context();
        let mut r = match self.markdown.spill {
            Some(_) => markdown::render(&a.file, &a.path, &body, dek, &cx, &mut problems),
            None => markdown::summarize(&a.file, &a.path, &body, dek, &cx, &mut problems),
        };
        if !problems.errors.is_empty() {
            return Err(Errors::new(problems.errors));
        }
        let md = &mut self.markdown;
        md.bodies[i] = md.spill.as_ref().and_then(|s| s.take(&mut r.content_html));
        md.articles[i] = r;
        Ok(problems.warnings)
    }
}

/// An address as a Markdown link or picture takes it: in angle brackets
/// when it has a space, which would end it otherwise.
fn as_markdown(address: &str) -> String {
    match address.contains(char::is_whitespace) {
        true => format!("<{address}>"),
        false => address.to_string(),
    }
}

/// Warnings as the errors `--strict` makes of them.
pub(crate) fn strict_errors(warnings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    warnings
        .into_iter()
        .map(|w| Diagnostic {
            message: format!("{} (a warning; --strict fails the build on it)", w.message),
            ..w
        })
        .collect()
}

/// The first moment after `now` at which the same input would build a
/// different site, or warn of other things: a scheduled article goes live,
/// an article enters or leaves the news sitemap's window, or an `updated`
/// or correction dated in the future comes.
pub(crate) fn valid_until(content: &Content, now: Timestamp) -> Option<Timestamp> {
    let scheduled = content.next_scheduled.as_ref().map(|(t, _)| *t);
    content
        .articles
        .iter()
        .flat_map(|a| {
            // Also when a date said to be in the future is no longer, and
            // its warning goes.
            let dated = a.corrections.iter().map(|(at, _)| Some(*at));
            [Some(a.date), render::news_window_end(a.date), a.updated]
                .into_iter()
                .chain(dated)
        })
        .chain(content.pages.iter().map(|p| p.updated))
        .chain([scheduled])
        .flatten()
        .filter(|t| *t > now)
        .min()
}

/// One article's related stories with their scores, for `dateline related`.
#[derive(Debug, serde::Serialize)]
pub struct RelatedExplained {
    pub url: String,
    #[serde(skip)]
    pub file: PathBuf,
    pub related: Vec<RelatedLine>,
}

#[derive(Debug, serde::Serialize)]
pub struct RelatedLine {
    pub url: String,
    pub score: f64,
    pub shared_tags: Vec<String>,
    pub pinned: bool,
}

/// Rank related stories as a build would, and explain the result for one
/// article (a content path or a URL path) or for every published article.
pub fn explain_related(
    options: &BuildOptions,
    article: Option<&str>,
) -> Result<Vec<RelatedExplained>, BuildFailure> {
    let config = load_config(options)?;
    let now = options.moment(&config.timezone)?;
    let Prepared {
        config,
        content,
        taxonomy,
        problems,
        ..
    } = prepare(
        options,
        config,
        now,
        walk::files(&options.root, content::CONTENT_DIR, false),
        &mut Stages::new(),
    )?;
    if !problems.errors.is_empty() {
        return Err(problems.into());
    }
    let chosen: Vec<usize> = match article {
        None => (0..content.articles.len()).collect(),
        Some(wanted) => match find_article(&content, &config, wanted) {
            Some(i) => vec![i],
            None => {
                let message = "no published article has this content path (business/some-story.md) or URL path (/business/some-story/)";
                return Err(Errors::one(Diagnostic::new(wanted, message)).into());
            }
        },
    };
    let url = |i: usize| config.base_url.url(&content.articles[i].path);
    Ok(chosen
        .into_iter()
        .map(|i| RelatedExplained {
            url: url(i),
            file: content.articles[i].file.clone(),
            related: taxonomy.related[i]
                .iter()
                .map(|r| RelatedLine {
                    url: url(r.article),
                    score: r.score,
                    shared_tags: r
                        .shared_tags
                        .iter()
                        .map(|&t| taxonomy.tags[t].name.clone())
                        .collect(),
                    pinned: r.pinned,
                })
                .collect(),
        })
        .collect())
}

/// An article by content path (`business/x.md`, `content/business/x.md`,
/// `@/business/x.md`) or by URL (`/business/x/`, with or without the site's
/// address, escaped as the site links it or not).
fn find_article(content: &Content, config: &Config, wanted: &str) -> Option<usize> {
    let source = wanted
        .trim_start_matches("@/")
        .trim_start_matches("./")
        .trim_start_matches("content/");
    if let Some(i) = content.articles.iter().position(|a| a.source == source) {
        return Some(i);
    }
    let path = config.base_url.site_path_of(wanted);
    content.articles.iter().position(|a| a.path == path)
}

fn load_config(options: &BuildOptions) -> Result<Config, Errors> {
    let loaded = Config::load(&options.root);
    let url = options
        .base_url
        .as_ref()
        .map(|url| BaseUrl::parse(url).map_err(|m| Diagnostic::new("--base-url", m)));
    match (loaded, url) {
        (Ok(config), None) => Ok(config),
        (Ok(config), Some(Ok(base_url))) => Ok(Config { base_url, ..config }),
        (Ok(_), Some(Err(e))) => Err(Errors::one(e)),
        // Said with site.toml's errors.
        (Err(errors), url) => Err(errors.and(url.and_then(Result::err))),
    }
}

/// Render every article's, page's and profile's Markdown, in parallel.
/// Articles' body HTML goes to a [`spill::Spill`] file as it is made, and
/// only their deks and word counts stay in memory, so that the whole
/// archive's HTML never is; their pages read it back.
fn render_markdown(
    root: &Path,
    content: &Content,
    authors: &str,
    cx: &markdown::Context,
    all: &mut Problems,
) -> render::Markdown {
    use markdown::Dek;
    /// A body in memory, or an article's to read again.
    enum Source<'a> {
        Body(&'a content::Body),
        Article(&'a content::Article),
    }
    /// A body's file, its page's site path, the body and its dek.
    type Part<'a> = (&'a Path, Cow<'a, str>, Source<'a>, Dek<'a>);
    // Without a temporary file, articles are only summarized here and
    // rendered again with their pages.
    let spill = spill::Spill::new().ok();
    type Done = (Vec<markdown::Rendered>, Vec<Option<spill::Span>>);
    let mut pass = |parts: Vec<Part>, spill: Option<&spill::Spill>, summary: bool| -> Done {
        let results: Vec<_> = parts
            .into_par_iter()
            .map(|(file, page, source, dek)| {
                let mut problems = Problems::default();
                if interrupt::requested() {
                    // Stopping: the stage's results are dropped unread.
                    return (markdown::Rendered::default(), None, problems);
                }
                let body = match source {
                    Source::Body(body) => Ok(Cow::Borrowed(body)),
                    Source::Article(a) => content::read_body(root, a).map(Cow::Owned),
                };
                let mut r = match body {
                    Ok(body) if summary => {
                        markdown::summarize(file, &page, &body, dek, cx, &mut problems)
                    }
                    Ok(body) => markdown::render(file, &page, &body, dek, cx, &mut problems),
                    Err(e) => {
                        problems.errors.push(e);
                        markdown::Rendered::default()
                    }
                };
                let span = spill.and_then(|spill| spill.take(&mut r.content_html));
                // A file's first errors say what to fix; thousands (a
                // pasted list of links to nothing) would bury the rest.
                problems.errors = toml_read::at_most(file, problems.errors);
                (r, span, problems)
            })
            .collect();
        results
            .into_iter()
            .map(|(r, span, problems)| {
                all.absorb(problems);
                (r, span)
            })
            .unzip()
    };
    // Articles without a summary take their dek from the body; pages and
    // profiles keep their first paragraph.
    let articles = content.articles.iter();
    let (articles, bodies) = pass(
        articles
            .map(|a| {
                let page = Cow::Borrowed(a.path.as_str());
                (
                    a.file.as_path(),
                    page,
                    Source::Article(a),
                    Dek::of_article(a),
                )
            })
            .collect(),
        spill.as_ref(),
        spill.is_none(),
    );
    let pages = content.pages.iter();
    let (pages, _) = pass(
        pages
            .map(|p| {
                (
                    p.file.as_path(),
                    Cow::Borrowed(p.path.as_str()),
                    Source::Body(&p.body),
                    p.summary.as_deref().map_or(Dek::None, Dek::Given),
                )
            })
            .collect(),
        None,
        false,
    );
    let (profiles, _) = pass(
        content
            .profiles
            .iter()
            .map(|p| {
                let page = render::term_path(authors, &p.slug);
                (
                    p.file.as_path(),
                    Cow::Owned(page),
                    Source::Body(&p.body),
                    Dek::None,
                )
            })
            .collect(),
        None,
        false,
    );
    render::Markdown {
        articles,
        bodies,
        spill,
        pages,
        profiles,
    }
}

/// Two sources that would write the same file: an error naming both.
/// Every file a build writes is claimed, so an alias cannot replace a feed
/// or a page quietly. The clashes of the scheduled articles' addresses,
/// errors once they go live, come back apart.
fn url_collisions(
    content: &Content,
    taxonomy: &Taxonomy,
    config: &Config,
    statics: &std::collections::BTreeSet<PathBuf>,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let (per, paths) = (config.paginate_by, &config.paths);
    let mut claims = Claims {
        paths: paths.clone(),
        ..Claims::default()
    };
    let site = Path::new(config::CONFIG_FILE);
    for file in [
        "/404.html",
        "/style.css",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/_redirects",
    ] {
        claims.claim(file, Who::Named("dateline's own file".into()), site);
    }
    claims.listing(
        "/",
        content.articles.len(),
        per,
        "the front page",
        "the site",
        site,
    );
    for (taxon, folder) in [("tags", &paths.tags), ("authors", &paths.authors)] {
        claims.claim(
            &format!("/{folder}/"),
            Who::Named(format!("the {taxon} index")),
            site,
        );
    }
    for (s, ids) in content.sections.iter().zip(&taxonomy.sections) {
        // Its `_index.md`, or else the folder that makes it a section.
        let file = s
            .file
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("{}/{}/", content::CONTENT_DIR, s.name)));
        let section = format!("the section {:?}", s.name);
        claims.listing(
            &s.path,
            ids.len(),
            per,
            &format!("the page of {section}"),
            &section,
            &file,
        );
    }
    for p in &content.pages {
        claims.claim(&p.path, Who::Page, &p.file);
    }
    // Articles whose `slug` is written out claim their address last, so
    // that a clash is reported at that `slug`.
    let (named, plain): (Vec<_>, Vec<_>) =
        content.articles.iter().partition(|a| a.slug_at.is_some());
    for a in plain.into_iter().chain(named) {
        claims.article(a);
    }
    // A bundle's files are copied beside its article: an `index.html`
    // there, or an alias onto one, would be two files at one path.
    for a in &content.articles {
        for (asset, path) in a.asset_paths() {
            claims.claim(&path, Who::Of("the copy"), asset);
        }
    }
    let taxa = [
        ("tag", &paths.tags, &taxonomy.tags),
        ("author", &paths.authors, &taxonomy.authors),
    ];
    for (what, folder, terms) in taxa {
        for t in terms {
            let file = match (t.articles.first(), t.profile) {
                (Some(&a), _) => content.articles[a].file.clone(),
                (None, Some(p)) => content.profiles[p].file.clone(),
                (None, None) => PathBuf::from(content::CONTENT_DIR),
            };
            let path = render::term_path(folder, &t.slug);
            let term = format!("the {what} {:?}", t.name);
            claims.listing(
                &path,
                t.articles.len(),
                per,
                &format!("the page of {term}"),
                &term,
                &file,
            );
        }
    }
    for a in &content.articles {
        claims.aliases(a);
    }
    // A file of `static/` is copied over what the build made at its path:
    // for the files a site may want its own of, that is the point; for any
    // other, a page would silently go missing.
    for rel in statics {
        let path = format!("/{}", output::slash_path(rel));
        if REPLACEABLE.contains(&path.as_str()) {
            continue;
        }
        let file = Path::new(STATIC_DIR).join(rel);
        let Some(key) = output::output_file(&path) else {
            continue;
        };
        if let Some(clash) = claims.in_the_way(&key) {
            claims.errors.push(Diagnostic::new(
                &file,
                format!("would be copied to {path}, {clash}; rename or move this file"),
            ));
            continue;
        }
        let first = match sitemap_part(&key) {
            true => Some("the sitemap of a site too large for one file"),
            false => claims.owners.get(&key).map(String::as_str),
        };
        match first {
            Some(first) => claims.errors.push(Diagnostic::new(
                &file,
                format!(
                    "would replace {path}, which {first} writes; rename or remove this file \
                     (of dateline's files, only {} may be replaced from `static/`)",
                    REPLACEABLE.join(" and ")
                ),
            )),
            None => {
                claims
                    .owners
                    .insert(key.clone(), file.display().to_string());
                let said = format!("would be copied to {path}");
                claims.site_paths.push(key.clone());
                claims.site_files.push((key, file, None, said));
            }
        }
    }
    claims.files_in_the_way();
    // Last, so that they take nothing from what is published now: the
    // scheduled articles, and the pages publishing them adds (a new
    // section's, tag's or author's, one more page of a listing).
    let now = claims.errors.len();
    if !content.scheduled.is_empty() {
        scheduled_claims(&mut claims, content, taxonomy, per, config.slugs);
    }
    let later = claims.errors.split_off(now);
    (claims.errors, later)
}

/// Claim the scheduled articles' addresses, and the listing pages their
/// publication adds: a section's, tag's or author's first (with its
/// feeds) where there is none yet, and a listing's pages beyond those its
/// published stories fill.
fn scheduled_claims(
    claims: &mut Claims,
    content: &Content,
    taxonomy: &Taxonomy,
    per: usize,
    slugs: slug::Slugs,
) {
    // The stories of each listing there is now, by path.
    let mut stories: HashMap<String, usize> = HashMap::new();
    stories.insert("/".into(), content.articles.len());
    for (s, ids) in content.sections.iter().zip(&taxonomy.sections) {
        stories.insert(s.path.clone(), ids.len());
    }
    let paths = claims.paths.clone();
    for (folder, terms) in [
        (&paths.tags, &taxonomy.tags),
        (&paths.authors, &taxonomy.authors),
    ] {
        for t in terms {
            stories.insert(render::term_path(folder, &t.slug), t.articles.len());
        }
    }
    // The listings the scheduled stories join, in the order met: the
    // path, what its pages are, what its feeds are of, the first story's
    // file, and how many join.
    let mut joined: Vec<(String, String, String, PathBuf, usize)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for a in &content.scheduled {
        claims.article(a);
        claims.aliases(a);
        let section = format!("the section {:?}", a.section);
        let mut joins = vec![
            (
                "/".to_string(),
                "the front page".to_string(),
                "the site".to_string(),
            ),
            (
                format!("/{}/", slugs.slugify(&a.section)),
                format!("the page of {section}"),
                section,
            ),
        ];
        for (what, folder, names) in [
            ("tag", &paths.tags, &a.tags),
            ("author", &paths.authors, &a.authors),
        ] {
            for name in names {
                let term = format!("the {what} {name:?}");
                let path = render::term_path(folder, &slugs.slugify(name));
                joins.push((path, format!("the page of {term}"), term));
            }
        }
        for (path, pages, subject) in joins {
            match at.get(&path) {
                Some(&i) => joined[i].4 += 1,
                None => {
                    at.insert(path.clone(), joined.len());
                    joined.push((path, pages, subject, a.file.clone(), 1));
                }
            }
        }
    }
    for (path, pages, subject, file, more) in joined {
        match stories.get(&path) {
            None => claims.listing(&path, more, per, &pages, &subject, &file),
            Some(&now) => {
                let filled = now.div_ceil(per).max(1);
                for n in filled + 1..=(now + more).div_ceil(per) {
                    let page = render::paginated_path(&path, n, &claims.paths.page);
                    claims.claim(&page, Who::Named(pages.clone()), &file);
                }
            }
        }
    }
}

/// What the scheduled articles' text and pins hold that the build that
/// publishes them would fail on: links to no article, pins of none.
fn scheduled_problems(root: &Path, content: &Content, cx: &markdown::Context) -> Vec<Diagnostic> {
    let per_article: Vec<Vec<Diagnostic>> = content
        .scheduled
        .par_iter()
        .map(|a| {
            let mut later = Vec::new();
            let mut problems = Problems::default();
            match content::read_body(root, a) {
                Ok(body) => {
                    markdown::summarize(
                        &a.file,
                        &a.path,
                        &body,
                        markdown::Dek::of_article(a),
                        cx,
                        &mut problems,
                    );
                }
                Err(e) => problems.errors.push(e),
            }
            later.append(&mut toml_read::at_most(&a.file, problems.errors));
            for pin in &a.pins {
                let target = content::pin_target(&pin.target);
                let found = content::find_link(&content.links, &content.spellings, target);
                if found.is_none() && !content::unread(&content.broken, target) {
                    later.push(Diagnostic::at_line(
                        &a.file,
                        pin.line,
                        pin.column,
                        taxonomy::no_such_pin(&pin.target),
                    ));
                }
            }
            later
        })
        .collect();
    per_article.into_iter().flatten().collect()
}

/// The folder whose files are copied to the output as they are.
pub const STATIC_DIR: &str = "static";

/// The files the build makes that a site's own file in `static/` replaces.
const REPLACEABLE: [&str; 2] = ["/robots.txt", "/_redirects"];

/// Whether an output file is named as a part of a large sitemap,
/// `sitemap-N.xml` at the top: whether the site needs it depends on how
/// many pages it has, so none of the site's own may take the name.
fn sitemap_part(file: &Path) -> bool {
    let name = file.to_str().unwrap_or_default();
    name.strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// What claims an output file, for the messages of a clash.
enum Who {
    /// The page of the file claiming it.
    Page,
    /// Something made from the file claiming it: "an alias".
    Of(&'static str),
    /// Something named without the file: "the page of the tag "Jobs"".
    Named(String),
}

/// Which source writes each output file.
#[derive(Default)]
struct Claims {
    /// Hashed, not ordered: a large site makes hundreds of thousands of
    /// claims, and errors follow the order claims are made in anyway.
    owners: HashMap<PathBuf, String>,
    errors: Vec<Diagnostic>,
    /// The site's own files (static files, aliases to files), each with
    /// its source, the place in it, and what is said of it: checked last
    /// against the folders everything else needs.
    site_files: Vec<SiteFile>,
    /// Every output file the site's own paths claim.
    site_paths: Vec<PathBuf>,
    /// The folders of the pages the build makes (`[paths]`).
    paths: config::Paths,
}

/// A file a site names itself: its output file, source file, place in it,
/// and how it is said ("would be copied to /x").
type SiteFile = (PathBuf, PathBuf, Option<(usize, usize)>, String);

impl Claims {
    /// An article's address; a clash is said at its `slug` if written.
    fn article(&mut self, a: &content::Article) {
        self.claim_at(&a.path, Who::Page, &a.file, a.slug_at);
    }

    /// An article's aliases, a clash said at the alias.
    fn aliases(&mut self, a: &content::Article) {
        for (alias, &at) in a.aliases.iter().zip(&a.aliases_at) {
            let key = output::output_file(alias);
            let in_the_way = key.as_ref().and_then(|key| self.in_the_way(key));
            // An alias to a file (`/old.html`) may be in the way of a
            // folder claimed later.
            if let Some(key) = key.filter(|_| in_the_way.is_none()) {
                if !key.ends_with("index.html") {
                    let said = format!("an alias would be written at {alias}");
                    self.site_files
                        .push((key.clone(), a.file.clone(), Some(at), said));
                }
                self.site_paths.push(key);
            }
            match in_the_way {
                Some(clash) => self.errors.push(Diagnostic::at_line(
                    &a.file,
                    at.0,
                    at.1,
                    format!(
                        "an alias would be written at {alias}, {clash}; give one of them \
                         another address"
                    ),
                )),
                None => self.claim_at(alias, Who::Of("an alias"), &a.file, Some(at)),
            }
        }
    }

    /// Why the output file `key` cannot be written: a file claimed
    /// before is at the path of one of its folders. Only a site's own
    /// paths (aliases, static files) are checked: the build names its
    /// folders without a `.`, and its files with one (or `_redirects`), so
    /// its own never meet that way. [`Claims::files_in_the_way`] checks the
    /// other way round, once everything is claimed.
    fn in_the_way(&self, key: &Path) -> Option<String> {
        key.ancestors().skip(1).find_map(|folder| {
            let owner = self.owners.get(folder)?;
            let folder = format!("/{}", output::slash_path(folder));
            Some(format!("inside {folder}, which {owner} writes as a file"))
        })
    }

    /// The site's own files (static files, aliases to files) that are at
    /// the path of a folder something claimed needs, as errors.
    fn files_in_the_way(&mut self) {
        if self.site_files.is_empty() {
            return;
        }
        // The build's own folders have no `.` in their names: with none
        // but named like `name.ext`, only the site's own paths' folders
        // can meet them. Borrowed from the claims: no path is copied.
        let dotless = self.site_files.iter().any(|(key, ..)| {
            !key.file_name()
                .is_some_and(|name| name.to_string_lossy().contains('.'))
        });
        let keys: Box<dyn Iterator<Item = &PathBuf>> = match dotless {
            true => Box::new(self.owners.keys()),
            false => Box::new(self.site_paths.iter()),
        };
        let folders: std::collections::HashSet<&Path> =
            keys.flat_map(|key| key.ancestors().skip(1)).collect();
        let mut errors = Vec::new();
        for (key, file, at, said) in &self.site_files {
            if !folders.contains(key.as_path()) {
                continue;
            }
            // What needs the folder: its own page, else the nearest of
            // what is in it, the same every build.
            let page = key.join("index.html");
            let inside = match self.owners.get_key_value(&page) {
                Some((page, _)) => page,
                None => {
                    let mut below = self
                        .owners
                        .keys()
                        .filter(|k| k.starts_with(key) && *k != key);
                    let Some(nearest) = below.next() else {
                        continue;
                    };
                    below.fold(nearest, |a, b| {
                        let depth = |p: &Path| p.components().count();
                        std::cmp::min_by_key(a, b, |p| (depth(p), p.as_path()))
                    })
                }
            };
            let needs = &self.owners[inside];
            let inside = format!("/{}", output::slash_path(inside));
            let inside = inside.strip_suffix("index.html").unwrap_or(&inside);
            let mut error = Diagnostic::new(
                file,
                format!(
                    "{said}, where {needs} needs a folder (for {inside}); rename or move one of them"
                ),
            );
            error.position = *at;
            errors.push(error);
        }
        self.errors.extend(errors);
    }

    /// A claim whose clash is said at `at` in `file`, if known.
    fn claim_at(&mut self, path: &str, who: Who, file: &Path, at: Option<(usize, usize)>) {
        let before = self.errors.len();
        self.claim(path, who, file);
        if let (Some(at), Some(error)) = (at, self.errors.get_mut(before)) {
            error.position = Some(at);
        }
    }

    fn claim(&mut self, path: &str, who: Who, file: &Path) {
        let Some(key) = output::output_file(path) else {
            self.errors.push(Diagnostic::new(
                file,
                format!("would write {path}, which is not inside the site"),
            ));
            return;
        };
        if sitemap_part(&key) {
            self.errors.push(Diagnostic::new(
                file,
                format!(
                    "would write {path}, a name dateline keeps for the parts of a sitemap \
                     too large for one file; give it another slug or address"
                ),
            ));
            return;
        }
        match self.owners.get(&key) {
            Some(first) => {
                // The error is reported at `file`, so what it writes is
                // named without it.
                let what = match &who {
                    Who::Page => None,
                    Who::Of(what) => Some(*what),
                    Who::Named(what) => Some(what.as_str()),
                };
                let clash = match what {
                    None => format!("writes the page {path}, which {first} also writes"),
                    Some(what) => {
                        format!("{what} would be written at {path}, where {first} also writes")
                    }
                };
                self.errors.push(Diagnostic::new(
                    file,
                    format!("{clash}; give one of them another slug or address"),
                ))
            }
            None => {
                let owner = match who {
                    Who::Page => file.display().to_string(),
                    Who::Of(what) => format!("{what} of {}", file.display()),
                    Who::Named(what) => what,
                };
                self.owners.insert(key, owner);
            }
        }
    }

    /// A listing's pages (named `pages`) and the three feeds of `subject`.
    fn listing(
        &mut self,
        base: &str,
        count: usize,
        per: usize,
        pages: &str,
        subject: &str,
        file: &Path,
    ) {
        for n in 1..=count.div_ceil(per).max(1) {
            self.claim(
                &render::paginated_path(base, n, &self.paths.page),
                Who::Named(pages.to_string()),
                file,
            );
        }
        for feed in render::FEED_FILES {
            self.claim(
                &format!("{base}{feed}"),
                Who::Named(format!("a feed of {subject}")),
                file,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_top_level_numbered_sitemaps_are_sitemap_parts() {
        for (name, part) in [
            ("sitemap-1.xml", true),
            ("sitemap-20.xml", true),
            ("sitemap-.xml", false),
            ("sitemap-old.xml", false),
            ("news/sitemap-1.xml", false),
            ("sitemap-1.xml/index.html", false),
            ("sitemap.xml", false),
        ] {
            assert_eq!(sitemap_part(Path::new(name)), part, "{name}");
        }
    }
}
