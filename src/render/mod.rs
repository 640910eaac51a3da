//! The renderer: turns the loaded, linked site into HTML pages through the
//! theme's Tera templates, one job per output page, in parallel.

mod feeds;
mod links;
mod sitemap;
mod theme;
mod views;

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::Content;
use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::spill::{Span, Spill};
use crate::taxonomy::{Taxonomy, Term};
use crate::words::Words;
pub use sitemap::news_window_end;
pub use theme::{Theme, BUILT_IN, TEMPLATES_DIR};
use views::*;

/// What the earlier stages produced, as the renderer reads it.
pub struct Input<'a> {
    /// The site root, which content paths are relative to.
    pub root: &'a std::path::Path,
    pub config: &'a Config,
    pub content: &'a Content,
    pub markdown: &'a Markdown,
    /// For rendering again articles' bodies that `markdown` could not keep.
    pub markdown_cx: &'a crate::markdown::Context<'a>,
    pub taxonomy: &'a Taxonomy,
    /// The build's moment, for the news sitemap.
    pub now: jiff::Timestamp,
    /// The files of `static/`, relative to it: a site's own `robots.txt`
    /// there replaces the one the build would make, and a `_redirects`
    /// comes first in it.
    pub statics: &'a std::collections::BTreeSet<std::path::PathBuf>,
}

/// The rendered Markdown of every page and profile, and of every article
/// its dek and words, with its body HTML set aside in `spill`; in the order
/// of `Content`'s lists.
#[derive(Default)]
pub struct Markdown {
    pub articles: Vec<Rendered>,
    /// Where each article's body HTML lies in `spill`, if it was set aside.
    pub bodies: Vec<Option<Span>>,
    pub spill: Option<Spill>,
    pub pages: Vec<Rendered>,
    pub profiles: Vec<Rendered>,
}

/// schema.org's NewsArticle, as an article page's JSON-LD. Fields are in
/// name order, as they have always been written.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    article_section: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Thing<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    correction: Vec<CorrectionComment<'a>>,
    date_modified: &'a str,
    date_published: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[&'a str; 1]>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    main_entity_of_page: WebPage<'a>,
    publisher: Thing<'a>,
}

/// A correction to a story, in JSON-LD.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CorrectionComment<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    date_published: String,
    text: &'a str,
}

/// A person or organization, in JSON-LD.
#[derive(Serialize)]
struct Thing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct WebPage<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
}

/// The file of redirects for hosts that read one; a site's own in
/// `static/` gets the aliases' lines after its own.
pub const REDIRECTS: &str = "_redirects";

/// The feeds of each listing, beside its first page.
pub const FEED_FILES: [&str; 3] = [feeds::RSS, feeds::ATOM, feeds::JSON];

/// Pages written, by kind.
pub type Counts = BTreeMap<&'static str, usize>;

/// One output page.
#[derive(Clone, Copy)]
enum Job {
    Front(usize),
    Section(usize, usize),
    Article(usize),
    Page(usize),
    TermIndex(Taxon),
    Term(Taxon, usize, usize),
    NotFound,
    /// The feeds of the site (`None`), a section, or a tag or author.
    Feeds(Option<Scope>),
    /// A redirect from an article's old address: (article, alias).
    Alias(usize, usize),
}

#[derive(Clone, Copy)]
enum Scope {
    Section(usize),
    Term(Taxon, usize),
}

#[derive(Clone, Copy, PartialEq)]
enum Taxon {
    Tags,
    Authors,
}

impl Taxon {
    fn name(self) -> &'static str {
        match self {
            Taxon::Tags => "tags",
            Taxon::Authors => "authors",
        }
    }

    /// The folder of its pages (`[paths]`).
    fn folder(self, c: &Config) -> &str {
        match self {
            Taxon::Tags => &c.paths.tags,
            Taxon::Authors => &c.paths.authors,
        }
    }

    /// The kind of one term's page.
    fn kind(self) -> &'static str {
        match self {
            Taxon::Tags => "tag",
            Taxon::Authors => "author",
        }
    }
}

/// Every kind of page, as [`Counts`] names them.
const KINDS: [&str; 10] = [
    "front", "section", "article", "page", "index", "tag", "author", "404", "feed set", "redirect",
];

/// The kind named `name`, as a `'static` name.
pub fn kind_name(name: &str) -> Option<&'static str> {
    KINDS.iter().find(|k| **k == name).copied()
}

impl Job {
    /// A key that orders jobs and tells equal ones apart.
    fn order(self) -> (u8, usize, usize, usize) {
        let taxon = |t: Taxon| t as usize;
        let scope = |s: Option<Scope>| match s {
            None => (0, 0),
            Some(Scope::Section(i)) => (1, i),
            Some(Scope::Term(t, i)) => (2 + taxon(t), i),
        };
        match self {
            Job::Front(n) => (0, n, 0, 0),
            Job::Section(i, n) => (1, i, n, 0),
            Job::Article(i) => (2, i, 0, 0),
            Job::Page(i) => (3, i, 0, 0),
            Job::TermIndex(t) => (4, taxon(t), 0, 0),
            Job::Term(t, i, n) => (5, taxon(t), i, n),
            Job::NotFound => (6, 0, 0, 0),
            Job::Feeds(s) => (7, scope(s).0, scope(s).1, 0),
            Job::Alias(i, j) => (8, i, j, 0),
        }
    }

    /// The templates the job renders with.
    fn templates(self) -> &'static [&'static str] {
        match self {
            Job::Front(_) => &[FRONT, CARD],
            Job::Section(..) => &[SECTION, CARD],
            Job::Article(_) => &[ARTICLE, CARD],
            Job::Page(_) => &[PAGE],
            Job::TermIndex(_) => &["taxonomy_list.html"],
            Job::Term(..) => &[TERM, CARD],
            Job::NotFound => &["404.html"],
            Job::Feeds(_) => &[feeds::RSS, feeds::ATOM, feeds::RSS_ITEM, feeds::ATOM_ENTRY],
            Job::Alias(..) => &["alias.html"],
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Job::Front(_) => "front",
            Job::Section(..) => "section",
            Job::Article(_) => "article",
            Job::Page(_) => "page",
            Job::TermIndex(_) => "index",
            Job::Term(Taxon::Tags, ..) => "tag",
            Job::Term(Taxon::Authors, ..) => "author",
            Job::NotFound => "404",
            Job::Feeds(_) => "feed set",
            Job::Alias(..) => "redirect",
        }
    }
}

/// The templates of the pages that show story cards, and the card's.
const FRONT: &str = "index.html";
const SECTION: &str = "section.html";
const ARTICLE: &str = "article.html";
const TERM: &str = "taxonomy_term.html";
const CARD: &str = "card.html";
/// A standalone page's.
const PAGE: &str = "page.html";

/// The templates of the pages that show Markdown text: an article's page
/// (with cards of related stories), a standalone page, and a tag or author
/// page (an author's biography). Only their ids are kept clear of the
/// text's headings and footnotes.
const WITH_MARKDOWN: [&str; 4] = [ARTICLE, CARD, PAGE, TERM];

/// Which pages to render.
#[derive(Clone, Copy)]
pub enum Select<'s> {
    /// Every page of the site.
    All,
    /// The pages that show these articles: their own, the listings and
    /// feeds they are in, the articles that rank them as related, and their
    /// redirects.
    Articles(&'s [usize]),
    /// The pages made with these templates.
    Templates(&'s std::collections::BTreeSet<String>),
}

/// The selected pages written into `out`, with the stylesheet, sitemaps
/// and other site-wide files; returns counts by kind.
pub fn render_site(
    input: &Input,
    theme: &Theme,
    out: &dyn Sink,
    select: Select,
    progress: bool,
) -> Result<Counts, Vec<Diagnostic>> {
    let site = site_view(input);
    let site_value = tera::Value::try_from_serializable(&site).map_err(|e| {
        vec![Diagnostic::new(
            crate::config::CONFIG_FILE,
            format!("the site's settings cannot be given to templates: {e}"),
        )]
    })?;
    // Cards are made when first shown: a partial rebuild needs few.
    let cards: Vec<OnceLock<(Card, tera::Value)>> = (0..input.content.articles.len())
        .map(|_| OnceLock::new())
        .collect();
    // A story's summary item is kept only where more than one feed shows it.
    let summaries: Vec<Option<OnceLock<Summary>>> = summary_feeds(input)
        .into_iter()
        .map(|feeds| (feeds > 1).then(OnceLock::new))
        .collect();
    let renderer = Renderer {
        input,
        theme,
        out,
        site: &site,
        site_value: &site_value,
        cards: &cards,
        summaries: &summaries,
        all: (0..cards.len()).collect(),
        once_errors: Mutex::new(BTreeMap::new()),
    };
    let jobs = match select {
        Select::All => jobs(input),
        Select::Articles(ids) => showing(input, ids),
        Select::Templates(names) => jobs(input)
            .into_iter()
            .filter(|job| job.templates().iter().any(|t| names.contains(*t)))
            .collect(),
    };
    let bar = progress_bar(progress, jobs.len());
    let making = Making::new();
    // The sitemaps and other site-wide files are made beside the pages.
    let (results, site_files) = std::thread::scope(|scope| {
        scope.spawn(|| making.watch(&bar, |i| renderer.slow_page(jobs[i])));
        // The watch ends however the pages end, a panic included.
        let _done = Done(&making);
        rayon::join(
            || {
                jobs.par_iter()
                    .enumerate()
                    .map(|(i, &job)| {
                        if crate::interrupt::requested() {
                            // Stopping: the build fails and drops every page,
                            // so the rest are not rendered.
                            return Ok(job.kind());
                        }
                        let result = making.job(i, || renderer.run(job)).map(|()| job.kind());
                        bar.inc(1);
                        result
                    })
                    .collect::<Vec<Result<&'static str, Diagnostic>>>()
            },
            || renderer.site_files(),
        )
    });
    bar.finish_and_clear();
    let mut counts = Counts::new();
    // A template error on many pages is one error, naming the first page
    // it stopped (in the order pages are listed) and how many more.
    let mut failed: BTreeMap<Diagnostic, (usize, Job)> = BTreeMap::new();
    for (&job, r) in jobs.iter().zip(results) {
        match r {
            Ok(kind) => *counts.entry(kind).or_default() += 1,
            Err(d) => failed.entry(d).or_insert((0, job)).0 += 1,
        }
    }
    let mut errors: Vec<Diagnostic> = failed
        .into_iter()
        .map(|(d, (n, job))| {
            let more = match n {
                1 => String::new(),
                2 => ", and 1 more page".to_string(),
                n => format!(", and {} more pages", n - 1),
            };
            let page = renderer.page_of(job);
            Diagnostic {
                message: format!("{} (making {page}{more})", d.message),
                ..d
            }
        })
        .collect();
    if let Err(d) = out.write("/style.css", theme.stylesheet.as_bytes()) {
        errors.push(d);
    }
    for (path, text) in site_files {
        // The site's own is copied by a full build, and left as it is by
        // a partial one; a `_redirects` of its own is written with the
        // aliases' lines after it.
        let name = path.trim_start_matches('/');
        if name != REDIRECTS && input.statics.contains(std::path::Path::new(name)) {
            continue;
        }
        match text {
            Some(text) => {
                if let Err(d) = out.write(&path, text.as_bytes()) {
                    errors.push(d);
                }
            }
            None => out.remove(&path),
        }
    }
    let once_errors = std::mem::take(
        &mut *renderer
            .once_errors
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    // The first story in the site's order, whichever thread met it first.
    let once_errors = once_errors.into_iter().filter_map(|(name, by_story)| {
        let stories = by_story.len();
        let (i, d) = by_story.into_iter().next()?;
        let what = match name {
            CARD => "the card",
            feeds::RSS_ITEM => "the RSS item",
            _ => "the Atom entry",
        };
        let more = match stories {
            1 => String::new(),
            2 => ", and 1 more story".to_string(),
            n => format!(", and {} more stories", n - 1),
        };
        let page = renderer.page_of(Job::Article(i));
        Some(Diagnostic {
            message: format!("{} (making {what} of {page}{more})", d.message),
            ..d
        })
    });
    errors.splice(0..0, once_errors);
    if errors.is_empty() {
        Ok(counts)
    } else {
        Err(errors)
    }
}

/// For each article, how many feeds show its summary item: the tag and
/// author feeds it is among the newest of (unless they carry whole stories).
fn summary_feeds(input: &Input) -> Vec<u8> {
    let c = input.config;
    let t = input.taxonomy;
    let mut feeds = vec![0u8; input.content.articles.len()];
    if c.feeds.term_content == crate::config::FeedContent::Summary {
        for term in t.tags.iter().chain(&t.authors) {
            for &i in term.articles.iter().take(c.feeds.limit.get()) {
                feeds[i] = feeds[i].saturating_add(1);
            }
        }
    }
    feeds
}

/// The pages that show any of the articles `ids`.
fn showing(input: &Input, ids: &[usize]) -> Vec<Job> {
    let per = input.config.paginate_by;
    let t = input.taxonomy;
    let page = |list: &[usize], i: usize| list.iter().position(|&x| x == i).map(|at| at / per + 1);
    let mut jobs = vec![Job::Front(1)];
    for &i in ids {
        jobs.push(Job::Article(i));
        jobs.push(Job::Front(i / per + 1));
        jobs.push(Job::Feeds(None));
        for (s, list) in t.sections.iter().enumerate() {
            if let Some(n) = page(list, i) {
                jobs.push(Job::Section(s, n));
                jobs.push(Job::Feeds(Some(Scope::Section(s))));
            }
        }
        for (taxon, terms, mine) in [
            (Taxon::Tags, &t.tags, &t.article_tags[i]),
            (Taxon::Authors, &t.authors, &t.article_authors[i]),
        ] {
            for &k in mine {
                if let Some(n) = page(&terms[k].articles, i) {
                    jobs.push(Job::Term(taxon, k, n));
                }
                jobs.push(Job::Feeds(Some(Scope::Term(taxon, k))));
            }
        }
        let aliases = input.content.articles[i].aliases.len();
        jobs.extend((0..aliases).map(|j| Job::Alias(i, j)));
        jobs.extend(
            t.related
                .iter()
                .enumerate()
                .filter(|(_, list)| list.iter().any(|r| r.article == i))
                .map(|(j, _)| Job::Article(j)),
        );
    }
    // A listing with no stories dates its feeds by the site's latest
    // change, which an edited story may have moved.
    if !ids.is_empty() {
        let sections = t.sections.iter().enumerate();
        jobs.extend(
            sections
                .filter(|(_, list)| list.is_empty())
                .map(|(s, _)| Job::Feeds(Some(Scope::Section(s)))),
        );
        for (taxon, terms) in [(Taxon::Tags, &t.tags), (Taxon::Authors, &t.authors)] {
            jobs.extend(
                terms
                    .iter()
                    .enumerate()
                    .filter(|(_, term)| term.articles.is_empty())
                    .map(|(k, _)| Job::Feeds(Some(Scope::Term(taxon, k)))),
            );
        }
    }
    jobs.sort_by_key(|job| job.order());
    jobs.dedup_by_key(|job| job.order());
    jobs
}

/// A progress bar on standard error, drawn only when asked for and when
/// standard error is a terminal.
/// Which page each thread is making, and since when: a page that takes
/// far longer than any should (a template whose loops do not end) is said
/// of while it runs, since nothing else shows it.
struct Making {
    start: std::time::Instant,
    /// For each thread of the pool: the job it runs, plus one (0: none),
    /// and when it began, in milliseconds from `start`.
    threads: Vec<(AtomicUsize, AtomicU64)>,
    done: (Mutex<bool>, std::sync::Condvar),
}

/// How long a page may take before it is said of.
const SLOW_PAGE: std::time::Duration = std::time::Duration::from_secs(10);

impl Making {
    fn new() -> Making {
        let threads = rayon::current_num_threads() + 1;
        Making {
            start: std::time::Instant::now(),
            threads: (0..threads)
                .map(|_| (AtomicUsize::new(0), AtomicU64::new(0)))
                .collect(),
            done: (Mutex::new(false), std::sync::Condvar::new()),
        }
    }

    fn millis(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Run job `i` with `run`, noting it.
    fn job<T>(&self, i: usize, run: impl FnOnce() -> T) -> T {
        let slot = rayon::current_thread_index().and_then(|t| self.threads.get(t));
        if let Some((job, since)) = slot {
            since.store(self.millis(), Ordering::Relaxed);
            job.store(i + 1, Ordering::Release);
        }
        let result = run();
        if let Some((job, _)) = slot {
            job.store(0, Ordering::Release);
        }
        result
    }

    /// Until a [`Done`] of it is dropped, say once of each job that has run longer
    /// than [`SLOW_PAGE`], as `say` names it.
    fn watch(&self, bar: &indicatif::ProgressBar, say: impl Fn(usize) -> String) {
        let mut said = std::collections::BTreeSet::new();
        let mut done = self.done.0.lock().unwrap_or_else(|e| e.into_inner());
        while !*done {
            let wait = std::time::Duration::from_millis(500);
            done = match self.done.1.wait_timeout(done, wait) {
                Ok((done, _)) => done,
                Err(e) => e.into_inner().0,
            };
            let now = self.millis();
            for (job, since) in &self.threads {
                let running = job.load(Ordering::Acquire);
                let took = now.saturating_sub(since.load(Ordering::Relaxed));
                if running > 0 && took >= SLOW_PAGE.as_millis() as u64 && said.insert(running) {
                    let line = say(running - 1);
                    bar.suspend(|| {
                        let _ = writeln!(std::io::stderr(), "{line}");
                    });
                    crate::interrupt::stuck(true);
                }
            }
        }
    }
}

/// Ends a [`Making::watch`] when dropped.
struct Done<'a>(&'a Making);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        let making = self.0;
        *making.done.0.lock().unwrap_or_else(|e| e.into_inner()) = true;
        making.done.1.notify_all();
        crate::interrupt::stuck(false);
    }
}

fn progress_bar(shown: bool, len: usize) -> indicatif::ProgressBar {
    if !shown {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    let style =
        indicatif::ProgressStyle::with_template("rendering {bar:40} {pos}/{len} pages, {eta} left");
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar
}

fn pages_of(count: usize, per: usize) -> usize {
    count.div_ceil(per).max(1)
}

/// Page `n` (from 1) of a listing of `ids`, `per` to a page.
fn page_of(ids: &[usize], per: usize, n: usize) -> &[usize] {
    ids.chunks(per).nth(n - 1).unwrap_or_default()
}

fn jobs(input: &Input) -> Vec<Job> {
    let per = input.config.paginate_by;
    let t = input.taxonomy;
    let mut jobs = vec![
        Job::NotFound,
        Job::TermIndex(Taxon::Tags),
        Job::TermIndex(Taxon::Authors),
    ];
    jobs.extend((1..=pages_of(input.content.articles.len(), per)).map(Job::Front));
    for (i, list) in t.sections.iter().enumerate() {
        jobs.extend((1..=pages_of(list.len(), per)).map(|p| Job::Section(i, p)));
    }
    jobs.extend((0..input.content.articles.len()).map(Job::Article));
    jobs.extend((0..input.content.pages.len()).map(Job::Page));
    for (taxon, terms) in [(Taxon::Tags, &t.tags), (Taxon::Authors, &t.authors)] {
        for (i, term) in terms.iter().enumerate() {
            jobs.extend((1..=pages_of(term.articles.len(), per)).map(|p| Job::Term(taxon, i, p)));
            jobs.push(Job::Feeds(Some(Scope::Term(taxon, i))));
        }
    }
    jobs.push(Job::Feeds(None));
    jobs.extend((0..t.sections.len()).map(|i| Job::Feeds(Some(Scope::Section(i)))));
    for (i, a) in input.content.articles.iter().enumerate() {
        jobs.extend((0..a.aliases.len()).map(|j| Job::Alias(i, j)));
    }
    jobs
}

/// The path of page `n` of a listing at `base` (`/business/`), its later
/// pages in the folder `page` (`[paths] page`).
pub fn paginated_path(base: &str, n: usize, page: &str) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}{page}/{n}/")
    }
}

pub fn term_path(taxon: &str, slug: &str) -> String {
    format!("/{taxon}/{slug}/")
}

fn site_view<'a>(input: &Input<'a>) -> SiteView<'a> {
    let c = input.config;
    let url = |p: &str| c.base_url.url(p);
    let sections: Vec<Link> = input
        .content
        .sections
        .iter()
        .map(|s| Link {
            name: s.title.clone(),
            url: url(&s.path),
        })
        .collect();
    let nav = match &c.nav {
        Some(links) => links
            .iter()
            .map(|l| Link {
                name: l.title.clone(),
                url: if l.url.starts_with('/') {
                    url(&l.url)
                } else {
                    l.url.clone()
                },
            })
            .collect(),
        None => sections
            .iter()
            .cloned()
            .chain(
                input
                    .content
                    .pages
                    .iter()
                    .filter(|p| p.in_nav)
                    .map(|p| Link {
                        name: p.nav_title.clone(),
                        url: url(&p.path),
                    }),
            )
            .collect(),
    };
    SiteView {
        title: &c.title,
        description: &c.description,
        language: &c.language,
        locale: views::og_locale(&c.language),
        direction: views::direction(&c.language),
        url: url("/"),
        permalink: c.base_url.permalink("/"),
        origin: c.base_url.origin().to_string(),
        stylesheet: url("/style.css"),
        favicon: [
            ("favicon.svg", "image/svg+xml"),
            ("favicon.png", "image/png"),
            ("favicon.ico", "image/x-icon"),
        ]
        .into_iter()
        .find(|(file, _)| input.statics.contains(std::path::Path::new(file)))
        .map(|(file, mime)| views::Favicon {
            url: url(&format!("/{file}")),
            mime,
        }),
        nav,
        sections,
        tags_url: url(&format!("/{}/", c.paths.tags)),
        authors_url: url(&format!("/{}/", c.paths.authors)),
        extra: &c.extra,
        words: &c.words,
    }
}

/// A story's picture, as a feed's whole story shows it.
fn picture_html(card: &Card) -> String {
    use crate::markdown::escape;
    let Some(src) = &card.image else {
        return String::new();
    };
    let alt = escape(card.image_alt.unwrap_or_default());
    let size = match (card.image_width, card.image_height) {
        (Some(w), Some(h)) => format!(" width=\"{w}\" height=\"{h}\""),
        _ => String::new(),
    };
    format!(
        "<figure><img src=\"{}\" alt=\"{alt}\"{size} /></figure>\n",
        escape(src)
    )
}

fn card<'a>(input: &Input<'a>, site: &SiteView, i: usize) -> Card<'a> {
    let c = input.config;
    let a = &input.content.articles[i];
    let r = &input.markdown.articles[i];
    let t = input.taxonomy;
    // Every article's section is in the list: the loader makes sure of it.
    let at = input
        .content
        .sections
        .iter()
        .position(|s| s.name == a.section);
    let section = at.map(|at| site.sections[at].clone()).unwrap_or_default();
    let url = c.base_url.url(&a.path);
    let permalink = c.base_url.permalink(&a.path);
    let image = a.image.as_ref().map(|img| {
        if img.contains("://") {
            img.clone()
        } else if img.starts_with('/') {
            c.base_url.url(&path_encode(img))
        } else {
            format!("{url}{}", path_encode(img))
        }
    });
    // The size of a picture of the site's own: a bundle's file, a site
    // path (written without base_url's path), found as a body's are.
    let image_size = (a.image.as_deref())
        .filter(|img| !img.contains("://"))
        .and_then(|img| crate::pictures::site_path(&a.path, img))
        .and_then(|path| input.markdown_cx.pictures.size(&path));
    Card {
        title: &a.title,
        image_permalink: image.as_deref().map(|i| c.base_url.absolute(i)),
        url,
        dek_html: match r.dek_html.is_empty() && !r.dek_text.is_empty() {
            // A first paragraph left in place (the body starts with a
            // heading, a list...): lists still show it.
            true => std::borrow::Cow::Owned(crate::markdown::paragraph(&r.dek_text)),
            false => links::in_lists(&r.dek_html, &permalink),
        },
        permalink,
        dek_text: &r.dek_text,
        date: DateView::new(a.date, &c.timezone, &c.words),
        updated: a.updated.map(|u| DateView::new(u, &c.timezone, &c.words)),
        reading_time: r.reading_time(),
        reading_time_text: c.words.counted("min_read", r.reading_time()),
        words: r.words,
        section,
        authors: term_links(&t.authors, &t.article_authors[i], &c.paths.authors, c),
        image,
        image_alt: a.image_alt.as_deref(),
        image_width: image_size.map(|s| s.width),
        image_height: image_size.map(|s| s.height),
        featured: a.featured,
        draft: a.draft,
    }
}

fn term_links(terms: &[Term], ids: &[usize], taxon: &str, c: &Config) -> Vec<Link> {
    ids.iter()
        .map(|&i| Link {
            name: terms[i].name.clone(),
            url: c.base_url.url(&term_path(taxon, &terms[i].slug)),
        })
        .collect()
}

/// What a page is, for its frame.
struct PageInfo {
    /// front, section, article, page, tags, authors, tag, author, 404
    kind: &'static str,
    path: String,
    title: String,
    description: String,
    /// The listing whose feeds the page links besides the site's: its
    /// address and name.
    feeds_of: Option<(String, String)>,
}

/// What every page's template gets, around its own data.
#[derive(Serialize)]
struct Frame<T: Serialize> {
    /// front, section, article, page, tags, authors, tag, author, 404
    kind: &'static str,
    /// The page's own title (the base template adds the site's).
    title: String,
    description: String,
    url: String,
    permalink: String,
    /// Feeds for autodiscovery: the site's, then this listing's own.
    feeds: Vec<feeds::FeedLink>,
    #[serde(flatten)]
    data: T,
}

#[derive(Serialize)]
struct Listing<'a> {
    articles: Vec<Shown<'a>>,
    pagination: Pagination,
}

struct Renderer<'a> {
    input: &'a Input<'a>,
    theme: &'a Theme,
    out: &'a dyn Sink,
    site: &'a SiteView<'a>,
    /// `site` as templates get it, made once.
    site_value: &'a tera::Value,
    /// Each article's card, and the value templates get of it.
    cards: &'a [OnceLock<(Card<'a>, tera::Value)>],
    /// Each article's feed item with its summary, as the item templates
    /// show it, where two feeds or more show that item.
    summaries: &'a [Option<OnceLock<Summary>>],
    /// Every article, newest first: the front page's listing.
    all: Vec<usize>,
    /// The errors of each template rendered once per story (`card.html`,
    /// the feed items'), by story: they fail the build once, naming the
    /// first story, not once for every page that shows a story.
    once_errors: Mutex<BTreeMap<&'static str, BTreeMap<usize, Diagnostic>>>,
}

/// A story's summary feed item as `rss_item.xml` and `atom_entry.xml` show it.
struct Summary {
    rss: String,
    atom: String,
}

impl<'a> Renderer<'a> {
    /// The path of page `n` of the listing at `base`.
    fn paginated(&self, base: &str, n: usize) -> String {
        paginated_path(base, n, &self.input.config.paths.page)
    }

    /// The path of a tag's or author's pages.
    fn term_base(&self, taxon: Taxon, slug: &str) -> String {
        term_path(taxon.folder(self.input.config), slug)
    }

    /// A moment as pages show it, in the site's zone and words.
    fn date(&self, t: jiff::Timestamp) -> DateView {
        let c = self.input.config;
        DateView::new(t, &c.timezone, &c.words)
    }

    /// A section's description, else "The latest City stories from The
    /// Ledger." in the site's words: its page's and its feeds'.
    fn section_description(&self, s: &crate::content::Section) -> String {
        let c = self.input.config;
        match s.description.is_empty() {
            true => {
                let values = [("section", s.title.as_str()), ("site", &c.title)];
                c.words.fill("section_description", &values)
            }
            false => s.description.clone(),
        }
    }

    /// "Stories about Energy.", "Stories by Maren Oduya.": a term page's
    /// and feed's description.
    fn stories_of(&self, taxon: Taxon, name: &str) -> String {
        let key = match taxon {
            Taxon::Tags => "stories_about",
            Taxon::Authors => "stories_by",
        };
        self.input.config.words.fill(key, &[("name", name)])
    }

    /// Article `i`'s card, made the first time it is needed.
    fn card(&self, i: usize) -> &'a Card<'a> {
        &self.card_and_value(i).0
    }

    /// Article `i`'s card and the value templates get of it.
    fn card_and_value(&self, i: usize) -> &'a (Card<'a>, tera::Value) {
        self.cards[i].get_or_init(|| {
            #[derive(Serialize)]
            struct CardContext<'a> {
                card: &'a tera::Value,
            }
            let card = card(self.input, self.site, i);
            let value = self.theme.value(CARD, &card).unwrap_or_else(|e| {
                self.once_error(CARD, i, e);
                tera::Value::from(tera::Map::default())
            });
            let html = self.render_part(CARD, i, &CardContext { card: &value });
            (
                card,
                with_fields(value, [("html", tera::Value::from(html))]),
            )
        })
    }

    /// Render a template that shows story `i` (a card, a feed item) for
    /// many pages; on an error, keep it to report once, and give an empty
    /// text.
    fn render_part(&self, name: &'static str, i: usize, data: &impl Serialize) -> String {
        self.render(name, data).unwrap_or_else(|e| {
            self.once_error(name, i, e);
            String::new()
        })
    }

    /// Keep `error` of template `name`, made for story `i`: of two for
    /// one story (its summary item and its full one), the first in order,
    /// whichever thread met it first.
    fn once_error(&self, name: &'static str, i: usize, error: Diagnostic) {
        use std::collections::btree_map::Entry;
        let mut errors = self.once_errors.lock().unwrap_or_else(|e| e.into_inner());
        match errors.entry(name).or_default().entry(i) {
            Entry::Vacant(slot) => {
                slot.insert(error);
            }
            Entry::Occupied(mut kept) if error < *kept.get() => {
                kept.insert(error);
            }
            Entry::Occupied(_) => {}
        }
    }

    /// Story `i`'s `item` as the item templates show it. They get every
    /// field of it.
    fn item_texts(&self, i: usize, item: &feeds::Item) -> (String, String) {
        #[derive(Serialize)]
        struct ItemContext<'a> {
            item: &'a feeds::Item<'a>,
        }
        let context = ItemContext { item };
        (
            self.render_part(feeds::RSS_ITEM, i, &context),
            self.render_part(feeds::ATOM_ENTRY, i, &context),
        )
    }

    /// Render template `name` with `data` and the site.
    fn render(&self, name: &str, data: &impl Serialize) -> Result<String, Diagnostic> {
        self.theme.render(name, self.site_value, data)
    }

    /// The page a job makes, as an error names it: its address, and the
    /// file it comes from where there is one.
    /// What is said of a page that takes too long to make.
    fn slow_page(&self, job: Job) -> String {
        let templates = job.templates();
        let template = match self.theme.own_path(templates[0]) {
            Some(own) => own.display().to_string(),
            None => format!("{}/{}", theme::TEMPLATES_DIR, templates[0]),
        };
        format!(
            "still making {} after {} s: does a loop in {template}, or a template it uses, never \
             end? Ctrl-C stops at once",
            self.page_of(job),
            SLOW_PAGE.as_secs()
        )
    }

    fn page_of(&self, job: Job) -> String {
        let content = &self.input.content;
        let from = |path: &str, file: &std::path::Path| format!("{path} from {}", file.display());
        match job {
            Job::Front(n) => self.paginated("/", n),
            Job::Section(i, n) => self.paginated(&content.sections[i].path, n),
            Job::Article(i) => from(&content.articles[i].path, &content.articles[i].file),
            Job::Page(i) => from(&content.pages[i].path, &content.pages[i].file),
            Job::TermIndex(taxon) => format!("/{}/", taxon.folder(self.input.config)),
            Job::Term(taxon, i, n) => {
                self.paginated(&self.term_base(taxon, &self.terms(taxon)[i].slug), n)
            }
            Job::NotFound => "/404.html".to_string(),
            Job::Feeds(scope) => {
                let base = match scope {
                    None => "/".to_string(),
                    Some(Scope::Section(i)) => content.sections[i].path.clone(),
                    Some(Scope::Term(taxon, i)) => {
                        self.term_base(taxon, &self.terms(taxon)[i].slug)
                    }
                };
                format!("the feeds at {base}")
            }
            Job::Alias(i, j) => {
                let a = &content.articles[i];
                format!("the redirect {} from {}", a.aliases[j], a.file.display())
            }
        }
    }

    fn run(&self, job: Job) -> Result<(), Diagnostic> {
        match job {
            Job::Front(n) => self.front(n),
            Job::Section(i, n) => self.section(i, n),
            Job::Article(i) => self.article(i),
            Job::Page(i) => self.page(i),
            Job::TermIndex(taxon) => self.term_index(taxon),
            Job::Term(taxon, i, n) => self.term(taxon, i, n),
            Job::NotFound => self.not_found(),
            Job::Feeds(scope) => self.feeds(scope),
            Job::Alias(i, j) => self.alias(i, j),
        }
    }

    fn write<T: Serialize>(
        &self,
        template: &str,
        page: PageInfo,
        data: T,
    ) -> Result<(), Diagnostic> {
        let c = self.input.config;
        let mut feeds = feeds::links(&c.base_url, "/", &c.title, &c.words);
        if let Some((base, name)) = &page.feeds_of {
            feeds.extend(feeds::links(
                &c.base_url,
                base,
                &format!("{name} · {}", c.title),
                &c.words,
            ));
        }
        let frame = Frame {
            kind: page.kind,
            title: page.title,
            description: page.description,
            url: c.base_url.url(&page.path),
            permalink: c.base_url.permalink(&page.path),
            feeds,
            data,
        };
        let context = self.theme.context(template, self.site_value, &frame)?;
        self.theme
            .render_bytes(template, &context, |html| self.out.write(&page.path, html))
    }

    /// Article `i`'s card as a list of stories shows it.
    fn shown(&self, i: usize) -> Shown<'a> {
        let (card, value) = self.card_and_value(i);
        Shown {
            card,
            value: value.clone(),
        }
    }

    /// Page `n` of the listing of `ids` at `base`, for `template`.
    fn listing(&self, ids: &[usize], base: &str, n: usize) -> Listing<'a> {
        let per = self.input.config.paginate_by;
        let total = pages_of(ids.len(), per);
        let url = |p: usize| self.input.config.base_url.url(&self.paginated(base, p));
        Listing {
            articles: page_of(ids, per, n)
                .iter()
                .map(|&i| self.shown(i))
                .collect(),
            pagination: Pagination::new(n, total, url),
        }
    }

    fn front(&self, n: usize) -> Result<(), Diagnostic> {
        #[derive(Serialize)]
        struct Front<'a> {
            lead: Option<Shown<'a>>,
            #[serde(flatten)]
            listing: Listing<'a>,
            rails: Vec<Rail<'a>>,
        }
        let mut listing = self.listing(&self.all, "/", n);
        let lead = (n == 1 && !listing.articles.is_empty()).then(|| {
            let at = listing
                .articles
                .iter()
                .position(|c| c.card.featured)
                .unwrap_or(0);
            listing.articles.remove(at)
        });
        let rails = if n == 1 {
            self.rails(&listing, lead.as_ref().map(|l| l.card))
        } else {
            Vec::new()
        };
        let c = self.input.config;
        let title = if n == 1 {
            c.title.clone()
        } else {
            c.words
                .fill("latest_stories_page", &[("page", &n.to_string())])
        };
        let path = self.paginated("/", n);
        let data = Front {
            lead,
            listing,
            rails,
        };
        self.write(
            FRONT,
            PageInfo {
                kind: "front",
                path: path.to_string(),
                title,
                description: c.description.clone(),
                feeds_of: None,
            },
            data,
        )
    }

    /// Each section's newest stories not already on the first front page.
    fn rails(&self, listing: &Listing<'a>, lead: Option<&Card>) -> Vec<Rail<'a>> {
        let on_page = |card: &Card| {
            listing.articles.iter().any(|c| c.card.url == card.url)
                || lead.is_some_and(|l| l.url == card.url)
        };
        let per = self.input.config.front_page.section_rail;
        self.input
            .taxonomy
            .sections
            .iter()
            .zip(&self.site.sections)
            .map(|(ids, link)| Rail {
                section: link.clone(),
                articles: ids
                    .iter()
                    .map(|&i| self.shown(i))
                    .filter(|c| !on_page(c.card))
                    .take(per)
                    .collect(),
            })
            .filter(|r| !r.articles.is_empty())
            .collect()
    }

    fn section(&self, i: usize, n: usize) -> Result<(), Diagnostic> {
        #[derive(Serialize)]
        struct SectionPage<'a> {
            section: SectionView<'a>,
            #[serde(flatten)]
            listing: Listing<'a>,
        }
        let s = &self.input.content.sections[i];
        let listing = self.listing(&self.input.taxonomy.sections[i], &s.path, n);
        let c = self.input.config;
        let title = page_title(&c.words, &s.title, n);
        let description = self.section_description(s);
        let data = SectionPage {
            section: SectionView {
                name: &s.name,
                title: &s.title,
                description: &s.description,
                url: self.input.config.base_url.url(&s.path),
                extra: &s.extra,
            },
            listing,
        };
        let path = self.paginated(&s.path, n);
        self.write(
            SECTION,
            PageInfo {
                kind: "section",
                path: path.to_string(),
                title,
                description,
                feeds_of: Some((s.path.clone(), s.title.clone())),
            },
            data,
        )
    }

    fn article(&self, i: usize) -> Result<(), Diagnostic> {
        #[derive(Serialize)]
        struct ArticlePage {
            article: tera::Value,
        }
        let a = &self.input.content.articles[i];
        let t = self.input.taxonomy;
        let (card, card_value) = self.card_and_value(i);
        let content_html = self.body_html(i)?;
        let view = ArticleView {
            // On its own page, the dek as it was written.
            dek_html: &self.input.markdown.articles[i].dek_html,
            content_html: &content_html,
            tags: term_links(
                &t.tags,
                &t.article_tags[i],
                &self.input.config.paths.tags,
                self.input.config,
            ),
            share: share_links(&a.title, &card.permalink, &self.input.config.words),
            related: t.related[i].iter().map(|r| self.shown(r.article)).collect(),
            extra: &a.extra,
            source: &a.source,
            corrections: a
                .corrections
                .iter()
                .map(|(date, text)| Correction {
                    date: self.date(*date),
                    text,
                })
                .collect(),
            json_ld: self.json_ld(i),
        };
        // A story with no text before its first heading has no dek: its
        // headline describes it rather than nothing.
        let description = match card.dek_text.trim().is_empty() {
            true => a.title.clone(),
            false => card.dek_text.to_string(),
        };
        let own = self.theme.value(ARTICLE, &view)?.into_map();
        let data = ArticlePage {
            article: with_fields(card_value.clone(), own.unwrap_or_default()),
        };
        self.write(
            ARTICLE,
            PageInfo {
                kind: "article",
                path: a.path.to_string(),
                title: a.title.clone(),
                description,
                feeds_of: None,
            },
            data,
        )?;
        for (asset, path) in a.asset_paths() {
            self.out.copy(&self.input.root.join(asset), &path)?;
        }
        Ok(())
    }

    /// An article's body as HTML: read back from the spill, else read and
    /// rendered again.
    fn body_html(&self, i: usize) -> Result<String, Diagnostic> {
        use crate::markdown::{self, Dek};
        let a = &self.input.content.articles[i];
        let md = self.input.markdown;
        if let (Some(spill), Some(Some(span))) = (&md.spill, md.bodies.get(i)) {
            if let Ok(html) = spill.get(*span) {
                return Ok(html);
            }
        }
        let body = crate::content::read_body(self.input.root, a)?;
        // Its problems were reported when it was summarized.
        let mut problems = crate::diagnostic::Problems::default();
        let cx = self.input.markdown_cx;
        let dek = Dek::of_article(a);
        let r = markdown::render(&a.file, &a.path, &body, dek, cx, &mut problems);
        Ok(r.content_html)
    }

    fn page(&self, i: usize) -> Result<(), Diagnostic> {
        #[derive(Serialize)]
        struct StandalonePage<'a> {
            page: PageView<'a>,
        }
        let p = &self.input.content.pages[i];
        let r = &self.input.markdown.pages[i];
        let description = match &p.summary {
            Some(s) => s.clone(),
            None => r.dek_text.clone(),
        };
        let data = StandalonePage {
            page: PageView {
                title: &p.title,
                dek_html: &r.dek_html,
                content_html: &r.content_html,
                updated: p.updated.map(|u| self.date(u)),
                extra: &p.extra,
            },
        };
        self.write(
            PAGE,
            PageInfo {
                kind: "page",
                path: p.path.to_string(),
                title: p.title.clone(),
                description,
                feeds_of: None,
            },
            data,
        )
    }

    fn terms(&self, taxon: Taxon) -> &'a [Term] {
        match taxon {
            Taxon::Tags => &self.input.taxonomy.tags,
            Taxon::Authors => &self.input.taxonomy.authors,
        }
    }

    fn term_view(&self, taxon: Taxon, term: &'a Term) -> TermView<'a> {
        let role = term
            .profile
            .and_then(|p| self.input.content.profiles[p].role.as_deref());
        TermView {
            name: &term.name,
            slug: &term.slug,
            role,
            url: self
                .input
                .config
                .base_url
                .url(&self.term_base(taxon, &term.slug)),
            count: term.articles.len(),
            count_text: (self.input.config.words).counted("story_count", term.articles.len()),
        }
    }

    fn term_index(&self, taxon: Taxon) -> Result<(), Diagnostic> {
        #[derive(Serialize)]
        struct Index<'a> {
            taxonomy: &'static str,
            terms: Vec<TermView<'a>>,
        }
        let mut terms: Vec<TermView> = self
            .terms(taxon)
            .iter()
            .map(|t| self.term_view(taxon, t))
            .collect();
        let words = &self.input.config.words;
        // In the order of the site's language, not of the addresses.
        words.sort_by_name(&mut terms, |t| t.name);
        let (title, description) = match taxon {
            Taxon::Tags => (words.get("topics"), words.get("topics_description")),
            Taxon::Authors => (words.get("reporters"), words.get("reporters_description")),
        };
        let data = Index {
            taxonomy: taxon.name(),
            terms,
        };
        let path = format!("/{}/", taxon.folder(self.input.config));
        let kind = taxon.name();
        self.write(
            "taxonomy_list.html",
            PageInfo {
                kind,
                path: path.to_string(),
                title: title.into(),
                description: description.into(),
                feeds_of: None,
            },
            data,
        )
    }

    fn term(&self, taxon: Taxon, i: usize, n: usize) -> Result<(), Diagnostic> {
        #[derive(Serialize)]
        struct TermPage<'a> {
            taxonomy: &'static str,
            term: TermView<'a>,
            profile: Option<ProfileView<'a>>,
            #[serde(flatten)]
            listing: Listing<'a>,
        }
        let term = &self.terms(taxon)[i];
        let base = self.term_base(taxon, &term.slug);
        let listing = self.listing(&term.articles, &base, n);
        let (kind, description) = (taxon.kind(), self.stories_of(taxon, &term.name));
        let profile = term.profile.map(|p| self.profile_view(p, &base));
        if let (Some(p), 1) = (term.profile, n) {
            self.copy_photo(p, &base)?;
        }
        let description = match &profile {
            Some(p) if !p.bio_text.is_empty() => p.bio_text.to_string(),
            _ => description,
        };
        let data = TermPage {
            taxonomy: taxon.name(),
            term: self.term_view(taxon, term),
            profile,
            listing,
        };
        let path = self.paginated(&base, n);
        self.write(
            TERM,
            PageInfo {
                kind,
                path: path.to_string(),
                title: page_title(&self.input.config.words, &term.name, n),
                description,
                feeds_of: Some((base.clone(), term.name.clone())),
            },
            data,
        )
    }

    fn profile_view(&self, i: usize, page: &str) -> ProfileView<'a> {
        let p = &self.input.content.profiles[i];
        let r = &self.input.markdown.profiles[i];
        let base = &self.input.config.base_url;
        let photo = p.photo.as_ref().map(|photo| match &p.photo_file {
            Some(_) => base.url(&format!("{page}{}", path_encode(photo))),
            None if photo.starts_with('/') => base.url(&path_encode(photo)),
            None => photo.clone(),
        });
        ProfileView {
            name: &p.name,
            role: p.role.as_deref(),
            photo,
            photo_alt: p.photo_alt.as_deref(),
            email: p.email.as_deref(),
            links: &p.links,
            bio_html: &r.content_html,
            bio_text: &r.dek_text,
            extra: &p.extra,
        }
    }

    /// A profile's photo file goes beside the author's page.
    fn copy_photo(&self, i: usize, page: &str) -> Result<(), Diagnostic> {
        let p = &self.input.content.profiles[i];
        match (&p.photo_file, &p.photo) {
            (Some(file), Some(name)) => self
                .out
                .copy(&self.input.root.join(file), &format!("{page}{name}")),
            _ => Ok(()),
        }
    }

    /// NewsArticle structured data, escaped so that no text can end the
    /// `<script>` element it sits in.
    fn json_ld(&self, i: usize) -> String {
        let card = self.card(i);
        let c = self.input.config;
        let t = self.input.taxonomy;
        let ld = NewsArticle {
            context: "https://schema.org",
            kind: "NewsArticle",
            article_section: &card.section.name,
            author: card
                .authors
                .iter()
                .map(|l| Thing {
                    kind: "Person",
                    name: &l.name,
                    url: c.base_url.absolute(&l.url),
                })
                .collect(),
            correction: (self.input.content.articles[i].corrections.iter())
                .map(|(date, text)| CorrectionComment {
                    kind: "CorrectionComment",
                    date_published: self.date(*date).iso,
                    text,
                })
                .collect(),
            date_modified: &card.updated.as_ref().unwrap_or(&card.date).iso,
            date_published: &card.date.iso,
            description: card.dek_text,
            headline: card.title,
            image: card.image_permalink.as_deref().map(|image| [image]),
            keywords: t.article_tags[i]
                .iter()
                .map(|&k| t.tags[k].name.as_str())
                .collect(),
            main_entity_of_page: WebPage {
                id: &card.permalink,
                kind: "WebPage",
            },
            publisher: Thing {
                kind: "Organization",
                name: &c.title,
                url: self.site.permalink.clone(),
            },
        };
        script_safe_json(&serde_json::to_string(&ld).unwrap_or_default())
    }

    /// The RSS, Atom and JSON feeds of the site or one listing.
    fn feeds(&self, scope: Option<Scope>) -> Result<(), Diagnostic> {
        use crate::config::FeedContent;
        let c = self.input.config;
        let t = self.input.taxonomy;
        let (base, title, description, ids, full): (String, String, String, &[usize], bool) =
            match scope {
                None => (
                    "/".into(),
                    c.title.clone(),
                    c.description.clone(),
                    &self.all,
                    true,
                ),
                Some(Scope::Section(i)) => {
                    let s = &self.input.content.sections[i];
                    (
                        s.path.clone(),
                        format!("{} · {}", s.title, c.title),
                        self.section_description(s),
                        &t.sections[i],
                        true,
                    )
                }
                Some(Scope::Term(taxon, i)) => {
                    let term = &self.terms(taxon)[i];
                    let what = self.stories_of(taxon, &term.name);
                    let full = c.feeds.term_content == FeedContent::Full;
                    (
                        self.term_base(taxon, &term.slug),
                        format!("{} · {}", term.name, c.title),
                        what,
                        &term.articles,
                        full,
                    )
                }
            };
        let description = if description.is_empty() {
            title.clone()
        } else {
            description
        };
        let items: Vec<feeds::Item> = ids
            .iter()
            .take(c.feeds.limit.get())
            .map(|&i| self.feed_item(i, full))
            .collect::<Result<_, Diagnostic>>()?;
        let newest = ids
            .iter()
            .take(c.feeds.limit.get())
            .map(|&i| last_change(&self.input.content.articles[i]))
            .max()
            .or_else(|| self.input.content.articles.iter().map(last_change).max())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let newest = DateView::new(newest, &c.timezone, &c.words);
        let feed = feeds::Feed {
            title,
            description_html: crate::markdown::escape(&description),
            description,
            link: c.base_url.permalink(&base),
            rss: c.base_url.permalink(&format!("{base}{}", feeds::RSS)),
            atom: c.base_url.permalink(&format!("{base}{}", feeds::ATOM)),
            json: c.base_url.permalink(&format!("{base}{}", feeds::JSON)),
            updated: newest.iso,
            updated_rfc822: newest.rfc822,
            items,
        };
        let json = feeds::json_feed(&feed, &c.language);
        let view = feeds::FeedView { feed };
        // One context serves both templates.
        let context = self.theme.context(feeds::RSS, self.site_value, &view)?;
        for file in [feeds::RSS, feeds::ATOM] {
            let path = format!("{base}{file}");
            self.theme
                .render_bytes(file, &context, |xml| self.out.write(&path, xml))?;
        }
        self.out
            .write(&format!("{base}{}", feeds::JSON), json.as_bytes())
    }

    /// Article `i`'s corrections after its text in a feed, as its page
    /// shows them; empty without any.
    fn corrections_html(&self, i: usize) -> String {
        use crate::markdown::escape;
        let corrections = &self.input.content.articles[i].corrections;
        if corrections.is_empty() {
            return String::new();
        }
        let words = &self.input.config.words;
        let heading = match corrections.len() {
            1 => words.get("correction"),
            _ => words.get("corrections"),
        };
        let items: String = (corrections.iter())
            .map(|(date, text)| {
                let date = self.date(*date);
                format!(
                    "<li><time datetime=\"{}\">{}</time>: {}</li>\n",
                    date.iso,
                    escape(&date.display),
                    escape(text)
                )
            })
            .collect();
        format!(
            "\n<aside class=\"corrections\">\n<h2>{}</h2>\n<ul>\n{items}</ul>\n</aside>",
            escape(heading)
        )
    }

    /// Article `i`'s feed item, with its text whole or its summary, and as
    /// the item templates show it: rendered once per build for a summary
    /// that several feeds show, else now.
    fn feed_item(&self, i: usize, full: bool) -> Result<feeds::Item<'a>, Diagnostic> {
        use std::borrow::Cow;
        let t = self.input.taxonomy;
        let card = self.card(i);
        let tags = t.article_tags[i]
            .iter()
            .map(|&k| t.tags[k].name.clone())
            .collect();
        // The whole story as its page shows it: the dek, the picture,
        // the text, the corrections.
        let dek = &self.input.markdown.articles[i].dek_html;
        let content = match full {
            true => Some(format!(
                "{dek}\n{}{}{}",
                picture_html(card),
                self.body_html(i)?,
                self.corrections_html(i)
            )),
            false => None,
        };
        let base_url = &self.input.config.base_url;
        let mut item = feeds::Item::new(card, content.as_deref(), tags, base_url);
        let kept = match full {
            true => None,
            false => self.summaries[i].as_ref(),
        };
        if let Some(kept) = kept {
            let summary = kept.get_or_init(|| {
                let (mut rss, mut atom) = self.item_texts(i, &item);
                // Kept for the whole build: only their own length.
                rss.shrink_to_fit();
                atom.shrink_to_fit();
                Summary { rss, atom }
            });
            (item.rss, item.atom) = (
                Cow::Borrowed(summary.rss.as_str()),
                Cow::Borrowed(summary.atom.as_str()),
            );
        } else {
            let (rss, atom) = self.item_texts(i, &item);
            (item.rss, item.atom) = (Cow::Owned(rss), Cow::Owned(atom));
        }
        Ok(item)
    }

    /// A page at an article's old address that sends readers on.
    fn alias(&self, i: usize, j: usize) -> Result<(), Diagnostic> {
        #[derive(Serialize)]
        struct Redirect<'a> {
            title: &'a str,
            target: &'a str,
        }
        let a = &self.input.content.articles[i];
        let data = Redirect {
            title: &a.title,
            target: &self.card(i).permalink,
        };
        let html = self.render("alias.html", &data)?;
        self.out.write(&a.aliases[j], html.as_bytes())
    }

    /// Sitemaps, the news sitemap, robots.txt and _redirects; none for a
    /// file the site does not have now (a news sitemap with no news).
    fn site_files(&self) -> Vec<(String, Option<String>)> {
        let c = self.input.config;
        let content = self.input.content;
        let mut files: Vec<(String, Option<String>)> =
            (sitemap::sitemaps(&self.sitemap_urls(), &c.base_url).into_iter())
                .map(|(path, text)| (path, Some(text)))
                .collect();
        let news: Vec<sitemap::NewsArticle> = content
            .articles
            .iter()
            .enumerate()
            .filter(|(_, a)| sitemap::in_news_window(a.date, self.input.now))
            .map(|(i, a)| sitemap::NewsArticle {
                loc: self.card(i).permalink.clone(),
                title: &a.title,
                published: a.date,
                published_iso: self.card(i).date.iso.clone(),
            })
            .collect();
        let news = sitemap::news_sitemap(&news, self.input.now, &c.title, &c.language);
        let robots = sitemap::robots(&c.base_url, news.is_some());
        files.push(("/news-sitemap.xml".into(), news));
        files.push(("/robots.txt".into(), Some(robots)));
        let redirects: String = content
            .articles
            .iter()
            .flat_map(|a| a.aliases.iter().map(move |alias| (alias, a)))
            .map(|(alias, a)| {
                // Encoded in full: a space would end the line's first field.
                let from = c.base_url.url(&views::path_encode_all(alias));
                format!("{from} {} 301\n", c.base_url.url(&a.path))
            })
            .collect();
        // A site's own `_redirects` comes first, its rules winning where
        // both name an address, then the aliases', which are never lost.
        let own = (self.input.statics.contains(std::path::Path::new(REDIRECTS)))
            .then(|| std::fs::read(self.input.root.join(crate::STATIC_DIR).join(REDIRECTS)).ok())
            .flatten()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
        let redirects = match own {
            Some(own) if redirects.is_empty() => Some(own),
            Some(own) => {
                let end = match own.is_empty() || own.ends_with('\n') {
                    true => "",
                    false => "\n",
                };
                Some(format!(
                    "{own}{end}# Aliases of the site's stories\n{redirects}"
                ))
            }
            None => (!redirects.is_empty()).then_some(redirects),
        };
        files.push((format!("/{REDIRECTS}"), redirects));
        files
    }

    /// Every published page with when it last changed: a listing page when
    /// its newest story did, a page when it was `updated` (else the site's
    /// newest story).
    fn sitemap_urls(&self) -> Vec<sitemap::Url> {
        let c = self.input.config;
        let content = self.input.content;
        let t = self.input.taxonomy;
        let per = c.paginate_by;
        let newest = content
            .articles
            .iter()
            .map(last_change)
            .max()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let mut urls = Vec::new();
        let mut add = |path: &str, when: jiff::Timestamp| {
            urls.push(sitemap::Url {
                loc: c.base_url.permalink(path),
                lastmod: DateView::iso(when, &c.timezone),
            })
        };
        let listing = |base: &str, ids: &[usize], add: &mut dyn FnMut(&str, jiff::Timestamp)| {
            for n in 1..=pages_of(ids.len(), per) {
                let page = page_of(ids, per, n);
                let when = page
                    .iter()
                    .map(|&i| last_change(&content.articles[i]))
                    .max()
                    .unwrap_or(newest);
                add(&self.paginated(base, n), when);
            }
        };
        listing("/", &self.all, &mut add);
        for (s, ids) in content.sections.iter().zip(&t.sections) {
            listing(&s.path, ids, &mut add);
        }
        for a in &content.articles {
            add(&a.path, last_change(a));
        }
        for p in &content.pages {
            add(&p.path, p.updated.unwrap_or(newest));
        }
        for (taxon, terms) in [(&c.paths.tags, &t.tags), (&c.paths.authors, &t.authors)] {
            add(&format!("/{taxon}/"), newest);
            for term in terms.iter() {
                listing(&term_path(taxon, &term.slug), &term.articles, &mut add);
            }
        }
        urls
    }

    fn not_found(&self) -> Result<(), Diagnostic> {
        let words = &self.input.config.words;
        let description = words.get("not_found_description").to_string();
        #[derive(Serialize)]
        struct Nothing {}
        let title = words.get("not_found").to_string();
        self.write(
            "404.html",
            PageInfo {
                kind: "404",
                path: "/404.html".to_string(),
                title,
                description,
                feeds_of: None,
            },
            Nothing {},
        )
    }
}

/// The map `value` with `fields` added after its own.
fn with_fields<K: Into<tera::value::Key<'static>>>(
    value: tera::Value,
    fields: impl IntoIterator<Item = (K, tera::Value)>,
) -> tera::Value {
    let mut map = value.into_map().unwrap_or_default();
    map.extend(fields.into_iter().map(|(k, v)| (k.into(), v)));
    tera::Value::from(map)
}

/// When an article last changed: `updated`, else its publication.
fn last_change(a: &crate::content::Article) -> jiff::Timestamp {
    a.updated.unwrap_or(a.date)
}

/// JSON that cannot end a `<script>` element or open a comment in it, and
/// without the characters a page leaves out (see `markdown::xml_safe`).
fn script_safe_json(json: &str) -> String {
    crate::markdown::xml_safe(json)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The title of the `n`th page of a listing.
fn page_title(words: &Words, title: &str, n: usize) -> String {
    if n <= 1 {
        title.to_string()
    } else {
        words.fill("title_page", &[("title", title), ("page", &n.to_string())])
    }
}
