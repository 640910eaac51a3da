//! The content loader: walks `content/`, splits and checks front matter, and
//! returns typed articles, standalone pages and sections.
//!
//! The layout is the content contract in the README:
//! `content/<section>/**/<slug>.md` and `content/<section>/**/<slug>/index.md`
//! are articles, `content/<section>/_index.md` describes a section, and
//! `content/<name>.md` is a standalone page. Every file's problems are
//! collected, so one broken article never hides its siblings' errors.

mod front_matter;

pub use front_matter::ARTICLE_KEYS;

/// The content path a `related` pin names: written as a content path
/// (`business/deal.md`), as an `@/` link, or as messages print a file
/// (`content/business/deal.md`).
pub fn pin_target(written: &str) -> &str {
    let target = written.trim();
    let target = target.strip_prefix("@/").unwrap_or(target);
    target.strip_prefix("content/").unwrap_or(target)
}

pub use front_matter::ProfileLink;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{Config, PermalinkParts};
use crate::diagnostic::{Diagnostic, Errors};
use crate::slug::Slugs;
use front_matter::{ArticleMatter, PageMatter, ProfileMatter, SectionMatter, Split};

pub const CONTENT_DIR: &str = "content";
/// The folder of `content/` holding author profiles.
pub const AUTHORS_DIR: &str = "_authors";

/// One news story.
#[derive(Debug, Clone)]
pub struct Article {
    /// The content path, as `@/` links and `related` pins name it:
    /// `business/openai-deal.md`.
    pub source: String,
    /// The file as the user sees it, for messages: `content/business/openai-deal.md`.
    pub file: PathBuf,
    /// The section's directory name.
    pub section: String,
    pub slug: String,
    /// The site path, before `base_url`'s path: `/business/openai-deal/`.
    pub path: String,
    pub title: String,
    pub summary: Option<String>,
    pub date: Timestamp,
    pub updated: Option<Timestamp>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    /// Where each author and tag is written (line, column), for the
    /// warning when its spelling is merged with another's.
    pub authors_at: Box<[(u32, u32)]>,
    pub tags_at: Box<[(u32, u32)]>,
    pub draft: bool,
    pub featured: bool,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// Where `image` is written, for the warning when `image_alt` is missing.
    pub image_at: Option<(usize, usize)>,
    /// Where `slug` is written, for an error when two pages share an address.
    pub slug_at: Option<(usize, usize)>,
    /// Where `updated` is written, for the warning when it is before `date`.
    pub updated_at: Option<(usize, usize)>,
    /// Warnings found while reading the file (a local time the clocks pass
    /// twice), given when the article is published.
    pub notes: Vec<Diagnostic>,
    pub pins: Vec<Pin>,
    /// Old site paths of the article (`/2019/05/old-url/`), each redirected.
    pub aliases: Vec<String>,
    /// Where each alias is written in the front matter (line, column).
    pub aliases_at: Vec<(usize, usize)>,
    /// Corrections, oldest first: when, and what was corrected.
    pub corrections: Vec<(Timestamp, String)>,
    /// Where each correction's `date` is written, in the same order.
    pub corrections_at: Vec<(usize, usize)>,
    pub extra: toml::Table,
    pub body: Body,
    /// Files beside a bundle's `index.md`, copied next to the article.
    pub assets: Vec<PathBuf>,
}

impl Article {
    /// Each file of the article's bundle, with the site path it is copied
    /// to, beside the article's page.
    pub fn asset_paths(&self) -> impl Iterator<Item = (&PathBuf, String)> {
        self.assets.iter().map(|asset| {
            let name = asset.file_name().unwrap_or_default().to_string_lossy();
            (asset, format!("{}{name}", self.path))
        })
    }
}

/// A standalone page such as `content/about.md`.
#[derive(Debug, Clone)]
pub struct Page {
    pub source: String,
    pub file: PathBuf,
    pub path: String,
    pub title: String,
    pub summary: Option<String>,
    pub weight: i64,
    /// The name in the navigation: `nav_title`, else the title.
    pub nav_title: String,
    pub in_nav: bool,
    pub updated: Option<Timestamp>,
    /// Where `updated` is written, for the warning when it is in the future.
    pub updated_at: Option<(usize, usize)>,
    pub extra: toml::Table,
    pub body: Body,
}

/// An author's profile, from `content/_authors/<name>.md`.
#[derive(Debug, Clone)]
pub struct Profile {
    pub file: PathBuf,
    pub name: String,
    pub slug: String,
    pub role: Option<String>,
    /// The photo as written: a file beside the profile, a site path or a URL.
    pub photo: Option<String>,
    /// The photo's file in `content/_authors/`, when it is one, to copy.
    pub photo_file: Option<PathBuf>,
    pub photo_alt: Option<String>,
    pub email: Option<String>,
    pub links: Vec<ProfileLink>,
    pub extra: toml::Table,
    /// The biography.
    pub body: Body,
}

/// A section: a top-level folder of `content/`.
#[derive(Debug, Clone)]
pub struct Section {
    /// The folder name, which articles refer to.
    pub name: String,
    pub path: String,
    pub title: String,
    pub description: String,
    pub weight: i64,
    pub extra: toml::Table,
    /// Its `_index.md`, if it has one.
    pub file: Option<PathBuf>,
}

/// Markdown text with where it starts in its file.
///
/// An article's loaded body is empty: a large archive's text is not kept in
/// memory, and [`read_body`] reads it again when it is rendered. `offset`
/// and `digest` find it and prove it is the text the build loaded.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub markdown: String,
    /// The 1-based line of the file on which the body begins.
    pub first_line: usize,
    /// The byte at which the body begins (after a byte-order mark).
    pub offset: usize,
    /// A hash of the body's text.
    pub digest: u64,
}

/// A body's fingerprint, taken when it is loaded and again when it is read
/// back, within one build (never stored). foldhash reads long text several
/// times faster than the standard library's SipHash, which guards hash
/// tables against chosen keys, a threat that does not apply here.
fn digest(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0).hash_one(text)
}

/// The body of an article whose text the loader let go, read again from
/// its file under `root`. An error when the file changed since it was
/// loaded: the build would otherwise mix two versions of it.
pub fn read_body(root: &Path, article: &Article) -> Result<Body, Diagnostic> {
    let body = &article.body;
    if !body.markdown.is_empty() {
        return Ok(body.clone());
    }
    let bytes = std::fs::read(root.join(&article.file))
        .map_err(|e| Diagnostic::io(&article.file, "read", &e))?;
    let mut text = crate::diagnostic::utf8_text(&article.file, bytes)?;
    // The body is the end of the text: cut the rest off in place rather
    // than copy it.
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let start = body.offset + bom;
    match text.get(start..) {
        Some(markdown) if digest(markdown) == body.digest => Ok(Body {
            markdown: {
                text.drain(..start);
                text
            },
            ..body.clone()
        }),
        _ => Err(Diagnostic::new(
            &article.file,
            "changed while the site was being built; build again",
        )),
    }
}

/// An entry of `related = [...]`, with where it was written.
#[derive(Debug, Clone)]
pub struct Pin {
    pub target: String,
    pub line: usize,
    pub column: usize,
}

/// Which articles to publish.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    pub drafts: bool,
    pub future: bool,
    /// The build's start: articles dated later are not yet published.
    pub now: Timestamp,
}

/// Where an `@/` link can point.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    pub path: String,
    pub published: bool,
}

/// Everything in `content/`, checked.
#[derive(Debug)]
pub struct Content {
    /// Published articles, newest first (then by URL path).
    pub articles: Vec<Article>,
    /// Published pages, in navigation order (weight, then title).
    pub pages: Vec<Page>,
    /// Sections in navigation order (weight, then title).
    pub sections: Vec<Section>,
    /// Author profiles, by slug.
    pub profiles: Vec<Profile>,
    /// Every article and page by content path, published or not.
    pub links: BTreeMap<String, LinkTarget>,
    /// The content paths of `links` spelled otherwise in NFC (a file named
    /// in NFD, as macOS names files), by that spelling; made when a link
    /// first misses (see [`find_link`]).
    pub spellings: std::sync::OnceLock<std::collections::HashMap<String, String>>,
    /// The next article whose date has not come yet and that this build's
    /// options publish once it has (a draft only with drafts): (date, file).
    pub next_scheduled: Option<(Timestamp, PathBuf)>,
    /// Every such article, oldest first: checked now as far as a build
    /// can (its links, pins and addresses), so that what would fail the
    /// build that publishes it is said in time.
    pub scheduled: Vec<Article>,
    /// Content paths of files that could not be read, and of folders
    /// (ending in `/`); their errors are reported, and links into them
    /// are not reported again: see [`unread`].
    pub broken: BTreeSet<String>,
    pub warnings: Vec<Diagnostic>,
}

/// The article or page an `@/` link's `target` names: as written, else
/// spelled in the other Unicode form (`café.md` composed in the link, a
/// file named with `e` and an accent apart, or the other way round).
pub fn find_link<'a>(
    links: &'a BTreeMap<String, LinkTarget>,
    spellings: &std::sync::OnceLock<std::collections::HashMap<String, String>>,
    target: &str,
) -> Option<(&'a String, &'a LinkTarget)> {
    if let Some(found) = links.get_key_value(target) {
        return Some(found);
    }
    let nfc = |text: &str| {
        icu_normalizer::ComposingNormalizerBorrowed::new_nfc()
            .normalize(text)
            .into_owned()
    };
    let spellings = spellings.get_or_init(|| {
        (links.keys())
            .filter_map(|key| Some((nfc(key), key.clone())).filter(|(n, key)| n != key))
            .collect()
    });
    let wanted = nfc(target);
    (links.get_key_value(&wanted)).or_else(|| links.get_key_value(spellings.get(&wanted)?))
}

/// Whether the content path `target` is one that could not be read, or
/// lies in a folder that could not: `broken` is [`Content::broken`].
pub fn unread(broken: &BTreeSet<String>, target: &str) -> bool {
    broken.contains(target)
        || Path::new(target)
            .ancestors()
            .skip(1)
            .filter(|folder| !folder.as_os_str().is_empty())
            .any(|folder| broken.contains(&format!("{}/", crate::output::slash_path(folder))))
}

/// What loading found: the content that could be read, and the errors.
#[derive(Debug)]
pub struct Loaded {
    pub content: Content,
    pub errors: Vec<Diagnostic>,
}

/// What a Markdown file in `content/` is, by where it lies.
enum Kind {
    Article { section: String, slug: String },
    Page { name: String },
    SectionIndex { section: String },
    Profile,
}

enum Item {
    Article(Box<Article>),
    Page(Page, bool),
    Section(Section),
    Profile(Profile),
}

/// Load and check every content file under `root/content`. Files with
/// errors are left out of the content and their errors returned beside it,
/// so later stages can report their own problems too.
pub fn load(
    root: &Path,
    config: &Config,
    selection: &Selection,
    walked: crate::walk::Found,
) -> Result<Loaded, Errors> {
    if !root.join(CONTENT_DIR).is_dir() {
        // The walk says why when something else is there.
        return Err(match walked.problems.errors.is_empty() {
            false => Errors::new(walked.problems.errors),
            true => Diagnostic::new(
                CONTENT_DIR,
                "no content folder: articles go in content/<section>/<slug>.md",
            )
            .into(),
        });
    }
    let walk = sort(walked, config.slugs);
    // What the walk could not read (a folder without permission, a link
    // to nothing) or did not follow (a link out of the site): links and
    // pins into it are not errors of their own.
    let mut broken = BTreeSet::new();
    for e in walk.problems.errors.iter().chain(&walk.problems.warnings) {
        if let Ok(rel) = e.path.strip_prefix(CONTENT_DIR) {
            let rel = crate::output::slash_path(rel);
            broken.insert(format!("{rel}/"));
            broken.insert(rel);
        }
    }
    let mut errors = walk.problems.errors;
    let results: Vec<(String, Result<Item, Errors>)> = crate::walk::waiting_on_disk(|| {
        walk.markdown
            .par_iter()
            .map(|(rel, kind)| {
                let item = match crate::interrupt::requested() {
                    // Stopping: the build drops what was loaded unread.
                    true => Err(Diagnostic::new(rel, "not read: the build was stopped").into()),
                    false => read_item(root, rel, kind, config, &walk.assets),
                };
                (content_path(rel), item)
            })
            .collect()
    });

    let mut articles = Vec::new();
    let mut pages = Vec::new();
    let mut sections = BTreeMap::new();
    let mut profiles: Vec<Profile> = Vec::new();
    for (source, result) in results {
        match result {
            Ok(Item::Article(a)) => articles.push(*a),
            Ok(Item::Page(p, draft)) => pages.push((p, draft)),
            Ok(Item::Section(s)) => {
                sections.insert(s.name.clone(), s);
            }
            Ok(Item::Profile(p)) => profiles.push(p),
            Err(found) => {
                errors.extend(found.0);
                broken.insert(source);
            }
        }
    }
    let mut content = assemble(
        articles,
        pages,
        sections,
        selection,
        walk.problems.warnings,
        config.slugs,
    );
    content.broken = broken;
    profiles.sort_by(|a, b| (&a.slug, &a.file).cmp(&(&b.slug, &b.file)));
    for pair in profiles.windows(2) {
        if pair[0].slug == pair[1].slug {
            errors.push(Diagnostic::new(
                &pair[1].file,
                format!(
                    "is a second profile for {:?}; {} is the first",
                    pair[1].name,
                    pair[0].file.display()
                ),
            ));
        }
    }
    // A file in content/_authors/ is copied only as a profile's photo. While
    // a profile there has errors, the photo it names is not known. Where
    // names are matched regardless of case, `photo = "Ana.jpg"` names the
    // file ana.jpg.
    let folded = |p: &Path| match cfg!(any(target_os = "macos", target_os = "windows")) {
        true => p.to_string_lossy().to_lowercase(),
        false => p.to_string_lossy().into_owned(),
    };
    let photos: BTreeSet<String> = profiles
        .iter()
        .filter_map(|p| p.photo_file.as_deref())
        .map(folded)
        .collect();
    let authors = Path::new(AUTHORS_DIR);
    let unread = content
        .broken
        .iter()
        .any(|s| Path::new(s).starts_with(authors));
    let files = walk
        .assets
        .get(authors)
        .filter(|_| !unread)
        .into_iter()
        .flatten();
    for file in files {
        let shown = Path::new(CONTENT_DIR).join(file);
        if !photos.contains(&folded(&shown)) {
            content.warnings.push(Diagnostic::new(
                shown,
                "is not copied into the site: no profile beside it names it as its `photo`",
            ));
        }
    }
    profiles.dedup_by(|b, a| a.slug == b.slug);
    content.profiles = profiles;
    Ok(Loaded { content, errors })
}

/// Filter by publication, order everything, fill in sections without an
/// `_index.md`.
fn assemble(
    all_articles: Vec<Article>,
    all_pages: Vec<(Page, bool)>,
    mut sections: BTreeMap<String, Section>,
    selection: &Selection,
    mut warnings: Vec<Diagnostic>,
    slugs: Slugs,
) -> Content {
    let mut links = BTreeMap::new();
    let mut next_scheduled: Option<(Timestamp, PathBuf)> = None;
    let mut articles = Vec::new();
    let mut scheduled_articles = Vec::new();
    for a in all_articles {
        let future = a.date > selection.now;
        let published = (!a.draft || selection.drafts) && (!future || selection.future);
        // What goes live by itself once its time comes: a draft only in a
        // build of drafts, and nothing in a build with `--future`, which
        // has published it already.
        let scheduled = future && !selection.future && (!a.draft || selection.drafts);
        if scheduled && next_scheduled.as_ref().is_none_or(|(t, _)| a.date < *t) {
            next_scheduled = Some((a.date, a.file.clone()));
        }
        let target = LinkTarget {
            path: a.path.clone(),
            published,
        };
        links.insert(a.source.clone(), target);
        if published {
            warnings.extend(article_warnings(&a, selection.now));
            articles.push(a);
        } else if scheduled {
            // Said now, not first when the story goes live.
            warnings.extend(a.notes.iter().cloned());
            scheduled_articles.push(a);
        }
    }
    articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    scheduled_articles.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.path.cmp(&b.path)));

    let mut pages = Vec::new();
    for (p, draft) in all_pages {
        let published = !draft || selection.drafts;
        let target = LinkTarget {
            path: p.path.clone(),
            published,
        };
        links.insert(p.source.clone(), target);
        if published {
            if let (Some(updated), Some((line, column))) = (p.updated, p.updated_at) {
                if updated > selection.now {
                    warnings.push(Diagnostic::at_line(&p.file, line, column, LATER_UPDATE));
                }
            }
            pages.push(p);
        }
    }
    pages.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));

    for a in &articles {
        sections
            .entry(a.section.clone())
            .or_insert_with(|| default_section(&a.section, slugs));
    }
    let mut sections: Vec<Section> = sections.into_values().collect();
    sections.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));

    Content {
        articles,
        pages,
        sections,
        profiles: Vec::new(),
        links,
        spellings: std::sync::OnceLock::new(),
        next_scheduled,
        scheduled: scheduled_articles,
        broken: Default::default(),
        warnings,
    }
}

fn default_section(name: &str, slugs: Slugs) -> Section {
    let words: Vec<String> = name
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    Section {
        name: name.to_string(),
        path: format!("/{}/", slugs.slugify(name)),
        title: words.join(" "),
        description: String::new(),
        weight: 0,
        extra: toml::Table::new(),
        file: None,
    }
}

/// What the walk of `content/` found.
struct Walk {
    /// Markdown files by path relative to `content/`, in file-name order.
    markdown: Vec<(PathBuf, Kind)>,
    /// Other files, by the folder that holds them.
    assets: BTreeMap<PathBuf, Vec<PathBuf>>,
    problems: crate::diagnostic::Problems,
}

/// Sort what the walk of `content/` found.
fn sort(found: crate::walk::Found, slugs: Slugs) -> Walk {
    let mut walk = Walk {
        markdown: Vec::new(),
        assets: BTreeMap::new(),
        problems: found.problems,
    };
    for rel in found.files {
        if rel.extension().is_some_and(|e| e == "md") {
            match classify(&rel, slugs) {
                Ok(kind) => walk.markdown.push((rel, kind)),
                Err(message) => walk
                    .problems
                    .errors
                    .push(Diagnostic::new(Path::new(CONTENT_DIR).join(&rel), message)),
            }
        } else if let Some(parent) = rel.parent() {
            walk.assets
                .entry(parent.to_path_buf())
                .or_default()
                .push(rel.clone());
        }
    }
    // Files beside a bundle's index.md are copied beside its page, and a
    // profile's photo beside the author's page; any other would silently
    // go missing from the site.
    let bundles: BTreeSet<&Path> = walk
        .markdown
        .iter()
        .filter(|(rel, kind)| {
            matches!(kind, Kind::Article { .. }) && rel.file_name().is_some_and(|f| f == "index.md")
        })
        .filter_map(|(rel, _)| rel.parent())
        .collect();
    for (folder, files) in &walk.assets {
        if bundles.contains(folder.as_path()) || folder == Path::new(AUTHORS_DIR) {
            continue;
        }
        for file in files {
            walk.problems.warnings.push(Diagnostic::new(
                Path::new(CONTENT_DIR).join(file),
                "is not copied into the site: only the files beside an article bundle's \
                 index.md are; put files for the whole site in static/",
            ));
        }
    }
    walk
}

/// The content path of a file, with forward slashes on every platform.
fn content_path(rel: &Path) -> String {
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

fn classify(rel: &Path, slugs: Slugs) -> Result<Kind, String> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let file = parts.last().map(String::as_str).unwrap_or_default();
    let stem = file.trim_end_matches(".md");
    if parts[0] == AUTHORS_DIR {
        return match parts.len() {
            2 => Ok(Kind::Profile),
            _ => Err(format!(
                "author profiles are files directly in content/{AUTHORS_DIR}/, one per author"
            )),
        };
    }
    if parts.len() > 1 && parts[0].starts_with('_') {
        return Err(format!(
            "folders of content/ whose names start with `_` are reserved; only content/{AUTHORS_DIR}/ (author profiles) is read"
        ));
    }
    match (parts.len(), file) {
        (1, "_index.md" | "index.md") => Err(
            "the front page is not a content file: set its title and description in site.toml"
                .into(),
        ),
        (1, _) => Ok(Kind::Page {
            name: stem.to_string(),
        }),
        (2, "_index.md") => Ok(Kind::SectionIndex {
            section: parts[0].clone(),
        }),
        (_, "_index.md") => Err(format!(
            "only a section's own folder has an _index.md (content/{}/_index.md); sub-folders are part of their section",
            parts[0]
        )),
        (2, "index.md") => Err(format!(
            "an article bundle is a folder content/{}/<slug>/index.md; for the section's title and description use _index.md",
            parts[0]
        )),
        (n, "index.md") => Ok(Kind::Article {
            section: parts[0].clone(),
            slug: slugs.slugify(&parts[n - 2]),
        }),
        // `Index.md` would be a story at /section/index/.
        (_, other) if other.eq_ignore_ascii_case("index.md") || other.eq_ignore_ascii_case("_index.md") => {
            Err(format!(
                "`{other}`: names are matched exactly, case too: a bundle's file is `index.md`, \
                 a section's `_index.md`"
            ))
        }
        _ => Ok(Kind::Article {
            section: parts[0].clone(),
            slug: slugs.slugify(stem),
        }),
    }
}

/// Read an article's file again, as the loader read it (same section,
/// slug and bundle files), for the dev server.
pub fn reload_article(root: &Path, config: &Config, old: &Article) -> Result<Article, Errors> {
    let rel = old.file.strip_prefix(CONTENT_DIR).unwrap_or(&old.file);
    let kind = Kind::Article {
        section: old.section.clone(),
        slug: old.slug.clone(),
    };
    let mut assets = BTreeMap::new();
    if let Some(dir) = rel.parent() {
        let files = old
            .assets
            .iter()
            .map(|a| a.strip_prefix(CONTENT_DIR).unwrap_or(a).to_path_buf())
            .collect();
        assets.insert(dir.to_path_buf(), files);
    }
    match read_item(root, rel, &kind, config, &assets)? {
        Item::Article(a) => Ok(*a),
        _ => Err(Diagnostic::new(&old.file, "is no longer an article").into()),
    }
}

/// Check the bytes of one article file as the loader would, without the
/// file system: for the fuzz target and for tools.
pub fn parse_article(shown: &Path, bytes: &[u8], config: &Config) -> Result<Article, Errors> {
    let text = crate::diagnostic::utf8_text(shown, bytes.to_vec())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let split = front_matter::split(shown, text)?;
    let file = File {
        shown,
        text,
        split: &split,
        config,
    };
    file.article("news/article.md".into(), "news", "article", Vec::new())
}

/// The warnings for a published article: an `image` without `image_alt`,
/// an `updated` before `date`, or it or a correction dated after `now`
/// (the build's time), which sitemaps and feeds would spread (a slip of
/// the year, most often).
pub fn article_warnings(a: &Article, now: Timestamp) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if let (Some((line, column)), Some(updated)) = (a.updated_at, a.updated) {
        if updated < a.date {
            let message = "`updated` is before `date`: readers and search engines would see \
                           the story changed before it was published";
            warnings.push(Diagnostic::at_line(&a.file, line, column, message));
        }
        // A story previewed before its date (`--future`) is not warned of.
        if updated > now && a.date <= now {
            warnings.push(Diagnostic::at_line(&a.file, line, column, LATER_UPDATE));
        }
    }
    for ((at, _), &(line, column)) in a.corrections.iter().zip(&a.corrections_at) {
        if *at > now && a.date <= now {
            let message = "this correction's `date` is later than the build's time: the page \
                           would show a correction made in the future; is the date right?";
            warnings.push(Diagnostic::at_line(&a.file, line, column, message));
        }
    }
    warnings.extend(image_alt_warning(a));
    warnings.extend(a.notes.iter().cloned());
    warnings
}

/// The warning for an `updated` after the build's time.
const LATER_UPDATE: &str = "`updated` is later than the build's time: the page, its feeds and \
                            the sitemap would say it changed in the future; is the date right?";

/// The warning for a published article's `image` without `image_alt`.
fn image_alt_warning(a: &Article) -> Option<Diagnostic> {
    let ((line, column), None) = (a.image_at?, &a.image_alt) else {
        return None;
    };
    Some(Diagnostic::at_line(
        &a.file,
        line,
        column,
        "`image` has no `image_alt`: describe the picture for readers who cannot see it",
    ))
}

/// Read one Markdown file into an article, page or section.
fn read_item(
    root: &Path,
    rel: &Path,
    kind: &Kind,
    config: &Config,
    assets: &BTreeMap<PathBuf, Vec<PathBuf>>,
) -> Result<Item, Errors> {
    let shown = Path::new(CONTENT_DIR).join(rel);
    let bytes = std::fs::read(root.join(&shown)).map_err(|e| Diagnostic::io(&shown, "read", &e))?;
    let text = crate::diagnostic::utf8_text(&shown, bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let split = front_matter::split(&shown, text)?;
    let source = content_path(rel);
    let file = File {
        shown: &shown,
        text,
        split: &split,
        config,
    };
    match kind {
        Kind::Article { section, slug } => {
            let bundle_assets = match rel.file_name().is_some_and(|f| f == "index.md") {
                true => rel.parent().and_then(|p| assets.get(p)).cloned(),
                false => None,
            };
            let assets = bundle_assets
                .unwrap_or_default()
                .into_iter()
                .map(|a| Path::new(CONTENT_DIR).join(a))
                .collect();
            // Without its text: rendering reads it again (`read_body`).
            let article = file.article(source, section, slug, assets)?;
            Ok(Item::Article(Box::new(article)))
        }
        Kind::Page { name } => file.page(source, name),
        Kind::SectionIndex { section } => file.section(section).map(Item::Section),
        Kind::Profile => file.profile(root, rel).map(Item::Profile),
    }
}

/// One content file being read.
struct File<'a> {
    shown: &'a Path,
    text: &'a str,
    split: &'a Split<'a>,
    config: &'a Config,
}

impl File<'_> {
    /// The body, with its text for a page or profile; an article's text is
    /// read again when it is rendered (`read_body`), so it is not copied.
    fn body(&self, with_text: bool) -> Body {
        Body {
            markdown: match with_text {
                true => self.split.body.to_string(),
                false => String::new(),
            },
            first_line: crate::diagnostic::line_col(self.text, self.split.body_offset).0,
            offset: self.split.body_offset,
            digest: digest(self.split.body),
        }
    }

    fn at(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.place(span);
        Diagnostic::at_line(self.shown, line, column, message)
    }

    /// The line and column in the file of a front matter span.
    fn place(&self, span: std::ops::Range<usize>) -> (usize, usize) {
        crate::diagnostic::line_col(self.text, self.split.front_matter_offset + span.start)
    }

    /// The front matter as `T`, with the problems found in it so far; all
    /// of them as the file's result when there is no value to check further.
    /// Keys missing or of the wrong type hold a stand-in in `T`: their
    /// checks are skipped (`Found::stood_in`), the problem is found already.
    fn matter<T: serde::de::DeserializeOwned>(&self) -> Result<(T, Found), Errors> {
        let read = front_matter::parse::<T>(self.shown, self.text, self.split);
        match read.value {
            Some(m) => Ok((m, Found(read.errors, read.stand_ins))),
            None => Err(Errors::new(read.errors)),
        }
    }

    /// A list of tags or author names (`what`: "tag"), trimmed; an empty
    /// entry, or a second spelling of one already listed (same slug), left
    /// out with a warning in `notes`.
    fn list(
        &self,
        what: &str,
        items: Vec<toml::Spanned<String>>,
        notes: &mut Vec<Diagnostic>,
    ) -> (Vec<String>, Box<[(u32, u32)]>) {
        let mut kept: Vec<String> = Vec::new();
        let mut kept_at = Vec::new();
        let mut slugs = Vec::new();
        for item in items {
            let span = item.span();
            let name = crate::markdown::xml_safe(item.get_ref()).trim().to_string();
            let slug = self.config.slugs.slugify(&name);
            let said = if blank(&name) {
                format!("an empty {what} is left out")
            } else if let Some(at) = slugs.iter().position(|s| *s == slug) {
                match kept[at] == name {
                    true => format!("{name:?} is listed twice: the second is left out"),
                    false => format!(
                        "{:?} and {:?} are one {what} (their address is the same): {:?} is left out{}",
                        kept[at],
                        name,
                        name,
                        crate::slug::merged_hint(self.config.slugs, [kept[at].as_str(), &name].into_iter())
                    ),
                }
            } else {
                slugs.push(slug);
                kept.push(name);
                let (line, column) = self.place(span);
                let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                kept_at.push((narrow(line), narrow(column)));
                continue;
            };
            notes.push(self.at(span, said));
        }
        (kept, kept_at.into())
    }

    /// An article's own keys written below `[extra]`, which TOML puts in
    /// that table: the story is not featured, has no tags... without a
    /// word. Each is a warning at its line.
    fn own_keys_in_extra(&self, extra: &toml::Table) -> Vec<Diagnostic> {
        let own: Vec<&&str> = (ARTICLE_KEYS.iter().chain(&["corrections"]))
            .filter(|key| extra.contains_key(**key))
            .collect();
        // Most articles: no text to search.
        if own.is_empty() {
            return Vec::new();
        }
        let toml = self.split.front_matter;
        let table_at = toml
            .match_indices("[extra]")
            .map(|(at, _)| at)
            .find(|&at| toml[..at].ends_with('\n') || at == 0);
        own.into_iter()
            .filter_map(|key| {
                let message = format!(
                    "`{key}` is inside `[extra]`, as is every key written below that line, so \
                     it is not the article's `{key}`: move it above `[extra]`"
                );
                // Where the key is written below the table's line.
                let written = table_at.and_then(|from| {
                    let mut at = from;
                    toml[from..].split_inclusive('\n').find_map(|line| {
                        let here = at;
                        at += line.len();
                        let rest = line.trim_start().strip_prefix(key)?;
                        let indent = line.len() - line.trim_start().len();
                        rest.trim_start().starts_with('=').then_some(here + indent)
                    })
                });
                // Not found below a `[extra]` line: written into it on
                // purpose (`extra.featured`, `extra = { ... }`).
                let at = written?;
                let (line, column) = self.place(at..at);
                Some(Diagnostic::at_line(self.shown, line, column, message))
            })
            .collect()
    }

    /// A title or name, `key`, trimmed; it must not be empty.
    fn title(&self, key: &str, title: toml::Spanned<String>) -> Result<String, Diagnostic> {
        let span = title.span();
        let title = title.into_inner();
        if blank(&title) {
            return Err(self.at(span, format!("`{key}` must not be empty")));
        }
        Ok(crate::markdown::xml_safe(&title).trim().to_string())
    }

    fn timestamp(
        &self,
        key: &str,
        value: &toml::Spanned<toml::Value>,
    ) -> Result<front_matter::Dated, Diagnostic> {
        let base = self.split.front_matter_offset;
        front_matter::timestamp(
            self.shown,
            self.text,
            base,
            key,
            value,
            &self.config.timezone,
        )
    }

    fn article(
        &self,
        source: String,
        section: &str,
        file_slug: &str,
        assets: Vec<PathBuf>,
    ) -> Result<Article, Errors> {
        let (m, mut found) = self.matter::<ArticleMatter>()?;
        let title = found.check("title", || self.title("title", m.title));
        let date = found.check("date", || self.timestamp("date", &m.date));
        let updated = found.keep(
            m.updated
                .as_ref()
                .map(|u| self.timestamp("updated", u))
                .transpose(),
        );
        let slug_at = m.slug.as_ref().map(|s| self.place(s.span()));
        let slug = match m.slug {
            Some(s) if !self.config.slugs.is_slug(s.get_ref()) => {
                // A slug made of no letters or digits would be a code
                // (`u2f`): the file's own reads better.
                let like = match s.get_ref().chars().any(char::is_alphanumeric) {
                    true => self.config.slugs.slugify(s.get_ref()),
                    false => file_slug.to_string(),
                };
                let message = match blank(s.get_ref()) {
                    true => format!(
                        "`slug` is empty: leave it out for the file's own, {file_slug:?}"
                    ),
                    // Shown as written: `{:?}` would escape a vowel point.
                    false => match self.config.slugs {
                        Slugs::Ascii => format!(
                            "`slug` must be lowercase ASCII words joined by `-`, like {}, \
                             found {}{}",
                            crate::diagnostic::quoted(&like),
                            crate::diagnostic::quoted(s.get_ref()),
                            match s.get_ref().is_ascii() {
                                true => "",
                                false => " (`slugs = \"unicode\"` in site.toml keeps the letters of every script)",
                            }
                        ),
                        Slugs::Unicode => format!(
                            "`slug` must be lowercase words joined by `-`, like {}, found {}",
                            crate::diagnostic::quoted(&like),
                            crate::diagnostic::quoted(s.get_ref())
                        ),
                    },
                };
                found.add(self.at(s.span(), message));
                None
            }
            Some(s) => Some(s.into_inner()),
            None => Some(file_slug.to_string()),
        };
        let image_at = m.image.as_ref().map(|i| self.place(i.span()));
        let image = match &m.image {
            Some(image) => found.keep(self.image(image, &assets)),
            None => None,
        };
        let mut aliases = Vec::new();
        let mut aliases_at = Vec::new();
        // An alias copied from an access log holds base_url's path, which
        // every alias is given: `/news/old/` would be at /news/news/old/.
        // Empty with no alias, or on a site at the host's root.
        let base_path = match m.aliases.is_empty() || !self.config.base_url.has_path() {
            true => String::new(),
            false => {
                let path = self.config.base_url.url("/");
                percent_encoding::percent_decode_str(&path)
                    .decode_utf8_lossy()
                    .into_owned()
            }
        };
        let mut doubled = Vec::new();
        for alias in m.aliases {
            match normalize_alias(alias.get_ref()) {
                Ok(path) => {
                    if let Some(rest) = path.strip_prefix(base_path.trim_end_matches('/')) {
                        if !base_path.is_empty() && rest.starts_with('/') {
                            let write = match rest {
                                "/" => "an alias cannot be the front page".to_string(),
                                rest => format!("write {rest:?}"),
                            };
                            let message = format!(
                                "the alias {:?} starts with the site's path {base_path}, which \
                                 every alias is given: it is served at {base_path}{}; {write}",
                                alias.get_ref(),
                                path.trim_start_matches('/')
                            );
                            doubled.push(self.at(alias.span(), message));
                        }
                    }
                    aliases.push(path);
                    aliases_at.push(self.place(alias.span()));
                }
                Err(why) => {
                    let message = format!(
                        "an alias must be a site path starting with `/`, like \"/2019/05/old-url/\"; {:?} {why}",
                        alias.get_ref()
                    );
                    found.add(self.at(alias.span(), message));
                }
            }
        }
        // Each date read, its warning (a local time passed twice) kept.
        let mut notes = doubled;
        let mut dated = |d: Option<front_matter::Dated>| {
            d.map(|d| {
                notes.extend(d.twice);
                d.at
            })
        };
        let date = dated(date);
        let updated = updated.map(&mut dated);
        let mut corrections = Vec::new();
        for c in &m.corrections {
            if let Some(at) = dated(found.keep(self.timestamp("date", &c.date))) {
                corrections.push((
                    (at, crate::markdown::xml_safe(&c.text).trim().to_string()),
                    self.place(c.date.span()),
                ));
            }
        }
        corrections.sort_by_key(|((at, _), _)| *at);
        let (corrections, corrections_at) = corrections.into_iter().unzip();
        let (authors, authors_at) = self.list("author", m.authors, &mut notes);
        let (tags, tags_at) = self.list("tag", m.tags, &mut notes);
        notes.extend(self.own_keys_in_extra(&m.extra));
        let (Some(title), Some(date), Some(updated), Some(slug), true) =
            (title, date, updated, slug, found.0.is_empty())
        else {
            return Err(found.into());
        };
        let local_date = self.config.timezone.to_datetime(date).date();
        let path = self.config.permalink.expand(&PermalinkParts {
            section: &self.config.slugs.slugify(section),
            slug: &slug,
            date: &local_date,
        });
        let pins = m
            .related
            .into_iter()
            .map(|p| {
                let (line, column) = self.place(p.span());
                Pin {
                    target: p.into_inner(),
                    line,
                    column,
                }
            })
            .collect();
        Ok(Article {
            source,
            file: self.shown.to_path_buf(),
            section: section.to_string(),
            slug,
            path,
            title,
            summary: m.summary.filter(|s| !s.trim().is_empty()),
            date,
            updated,
            authors,
            tags,
            authors_at,
            tags_at,
            draft: m.draft,
            featured: m.featured,
            image_at,
            updated_at: m.updated.as_ref().map(|u| self.place(u.span())),
            notes,
            image,
            slug_at,
            image_alt: m.image_alt.filter(|alt| !alt.trim().is_empty()),
            pins,
            aliases,
            aliases_at,
            corrections,
            corrections_at,
            extra: m.extra,
            body: self.body(false),
            assets,
        })
    }

    /// An article's `image`: a URL (see [`File::picture_url`]); a site
    /// path; or a file of the article's bundle, which is copied beside its
    /// page.
    fn image(
        &self,
        image: &toml::Spanned<String>,
        assets: &[PathBuf],
    ) -> Result<String, Diagnostic> {
        let name = image.get_ref();
        if let Some(url) = self.picture_url("image", image) {
            return url;
        }
        if name.starts_with('/') {
            return Ok(name.clone());
        }
        let bundle = self.shown.file_name().is_some_and(|f| f == "index.md");
        // `./lead.png` is `lead.png`, in every address made of it.
        let name = name.trim_start_matches("./");
        let beside = self.shown.parent().unwrap_or(Path::new("")).join(name);
        let message = match bundle {
            true if assets.contains(&beside) => return Ok(name.to_string()),
            true => {
                let names = (assets.iter()).filter_map(|a| a.file_name()?.to_str());
                let meant = crate::diagnostic::did_you_mean(name, names)
                    .map(|m| format!(" (did you mean {m:?}? names are matched exactly, case too)"))
                    .unwrap_or_default();
                format!(
                    "`image` names {name:?}, but the bundle has no file {}{meant}; give a file \
                     beside index.md, a site path (\"/img/x.jpg\") or a URL",
                    beside.display()
                )
            }
            false => format!(
                "`image` {name:?} is not a site path or a URL; only an article bundle \
                 (<slug>/index.md with the picture beside it) can name a file of its own, \
                 so write a site path (\"/img/x.jpg\") or a URL"
            ),
        };
        Err(self.at(image.span(), message))
    }

    fn page(&self, source: String, name: &str) -> Result<Item, Errors> {
        let (m, mut found) = self.matter::<PageMatter>()?;
        let updated = found.keep(
            m.updated
                .as_ref()
                .map(|u| self.timestamp("updated", u))
                .transpose(),
        );
        let title = found.check("title", || self.title("title", m.title));
        let (Some(updated), Some(title), true) = (updated, title, found.0.is_empty()) else {
            return Err(found.into());
        };
        let page = Page {
            source,
            file: self.shown.to_path_buf(),
            path: format!("/{}/", self.config.slugs.slugify(name)),
            nav_title: m.nav_title.unwrap_or_else(|| title.clone()),
            title,
            summary: m.summary.filter(|s| !s.trim().is_empty()),
            weight: m.weight,
            in_nav: m.in_nav,
            updated: updated.map(|d| d.at),
            updated_at: m.updated.as_ref().map(|u| self.place(u.span())),
            extra: m.extra,
            body: self.body(true),
        };
        Ok(Item::Page(page, m.draft))
    }

    fn profile(&self, root: &Path, rel: &Path) -> Result<Profile, Errors> {
        let (m, mut found) = self.matter::<ProfileMatter>()?;
        let name = found.check("name", || self.title("name", m.name));
        let photo_file = match &m.photo {
            Some(photo) => found.keep(self.profile_photo(root, rel, photo)),
            None => Some(None),
        };
        let photo = match &m.photo {
            Some(photo) => match self.picture_url("photo", photo) {
                Some(url) => found.keep(url),
                None => Some(photo.get_ref().clone()),
            },
            None => None,
        };
        let (Some(name), Some(photo_file), true) = (name, photo_file, found.0.is_empty()) else {
            return Err(found.into());
        };
        Ok(Profile {
            file: self.shown.to_path_buf(),
            slug: self.config.slugs.slugify(&name),
            name,
            role: m.role,
            photo,
            photo_file,
            photo_alt: m.photo_alt,
            email: m.email,
            links: m.links,
            extra: m.extra,
            body: self.body(true),
        })
    }

    /// A picture's `key` (`image`, `photo`) given as a URL, written as a
    /// browser sends it (`my image.png` as `my%20image.png`), so that every
    /// address it is put in (og:image, JSON-LD, feeds) is one; none when
    /// `value` is not a URL.
    fn picture_url(
        &self,
        key: &str,
        value: &toml::Spanned<String>,
    ) -> Option<Result<String, Diagnostic>> {
        let written = value.get_ref();
        if written.starts_with("//") {
            let message = format!(
                "`{key}` {written:?} is an address without its scheme: write it whole, \
                 \"https:{written}\""
            );
            return Some(Err(self.at(value.span(), message)));
        }
        if !written.contains("://") {
            return None;
        }
        let message = match url::Url::parse(written.trim()) {
            Ok(url) if matches!(url.scheme(), "https" | "http") && url.has_host() => {
                return Some(Ok(url.to_string()))
            }
            Ok(_) => format!(
                "`{key}` {written:?} is not a web address: a URL must start with https:// or http://"
            ),
            Err(e) => format!("`{key}` {written:?} is not a valid URL ({e})"),
        };
        Some(Err(self.at(value.span(), message)))
    }

    /// The file a profile's `photo` names beside it, if it names one.
    fn profile_photo(
        &self,
        root: &Path,
        rel: &Path,
        photo: &toml::Spanned<String>,
    ) -> Result<Option<PathBuf>, Diagnostic> {
        let p = photo.get_ref();
        if p.contains("://") || p.starts_with('/') {
            return Ok(None);
        }
        if p.contains(['/', '\\']) || p.starts_with('.') {
            let message = format!(
                "`photo` must be a file beside the profile (\"me.jpg\"), a site path (\"/img/me.jpg\") or a URL, found {p:?}"
            );
            return Err(self.at(photo.span(), message));
        }
        let beside = Path::new(CONTENT_DIR)
            .join(rel.parent().unwrap_or(Path::new("")))
            .join(p);
        if !root.join(&beside).is_file() {
            let folder = root.join(&beside).parent().map(Path::to_path_buf);
            let mut names: Vec<String> = (folder.and_then(|f| std::fs::read_dir(f).ok()))
                .into_iter()
                .flatten()
                .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                .filter(|name| !name.ends_with(".md"))
                .collect();
            // In order: of names as near, the first is meant, every build.
            names.sort_unstable();
            let meant = crate::diagnostic::did_you_mean(p, names.iter().map(String::as_str))
                .map(|meant| {
                    format!(" (did you mean {meant:?}? names are matched exactly, case too)")
                })
                .unwrap_or_default();
            let message = format!(
                "`photo` names {p:?}, but there is no file {}{meant}; give a file beside the profile, a site path (/img/me.jpg) or a URL",
                beside.display()
            );
            return Err(self.at(photo.span(), message));
        }
        Ok(Some(beside))
    }

    fn section(&self, name: &str) -> Result<Section, Errors> {
        let (m, mut found) = self.matter::<SectionMatter>()?;
        let title = found.check("title", || self.title("title", m.title));
        let (Some(title), true) = (title, found.0.is_empty()) else {
            return Err(found.into());
        };
        Ok(Section {
            title,
            description: crate::markdown::xml_safe(&m.description).into_owned(),
            weight: m.weight,
            extra: m.extra,
            file: Some(self.shown.to_path_buf()),
            ..default_section(name, self.config.slugs)
        })
    }
}

/// The problems found in one file so far: every check runs, so the report
/// lists all of them. Then the keys whose value is a stand-in.
struct Found(Vec<Diagnostic>, Vec<String>);

impl Found {
    /// Whether `key` holds a stand-in, not what the file says.
    fn stood_in(&self, key: &str) -> bool {
        self.1.iter().any(|k| k == key)
    }

    /// The value of `check` on a key, unless the key holds a stand-in.
    fn check<T>(&mut self, key: &str, check: impl FnOnce() -> Result<T, Diagnostic>) -> Option<T> {
        match self.stood_in(key) {
            true => None,
            false => self.keep(check()),
        }
    }

    /// The value of a check that passed; the problem of one that failed is
    /// kept for the report.
    fn keep<T>(&mut self, check: Result<T, Diagnostic>) -> Option<T> {
        check.map_err(|d| self.0.push(d)).ok()
    }

    fn add(&mut self, problem: Diagnostic) {
        self.0.push(problem);
    }
}

impl From<Found> for Errors {
    fn from(found: Found) -> Errors {
        Errors::new(found.0)
    }
}

/// An alias as the site path its redirect page is written at, its
/// percent-escapes decoded as a static host decodes them: `/old/url` ->
/// `/old/url/`, `/caf%C3%A9/` -> `/café/`; `/old.html` stays. Or why no
/// request could reach it.
fn normalize_alias(alias: &str) -> Result<String, &'static str> {
    let alias = alias.trim();
    if !alias.starts_with('/') || alias.starts_with("//") {
        return Err("does not start with one `/`");
    }
    // An escaped `/` is one character of a name to some hosts and a
    // separator to others.
    if alias.to_ascii_lowercase().contains("%2f") {
        return Err("has an escaped `/` (`%2F`), which hosts read differently");
    }
    if alias.contains(['?', '#']) {
        return Err(
            "has a query (`?`) or a fragment (`#`), which a static host does not \
                    look up: no request would reach its redirect",
        );
    }
    let Ok(path) = percent_encoding::percent_decode_str(alias).decode_utf8() else {
        return Err("has percent-escapes that are not UTF-8 text");
    };
    if path.contains(|c: char| c.is_control() || c == '\\') {
        return Err("has a control character or a backslash");
    }
    let parts: Vec<&str> = path[1..].split('/').collect();
    let (last, folders) = parts.split_last().unwrap_or((&"", &[]));
    if folders.iter().any(|p| p.is_empty()) {
        return Err("has an empty folder name (`//`)");
    }
    if parts.iter().any(|p| *p == "." || *p == "..") {
        return Err("has a `.` or `..` folder (once decoded)");
    }
    Ok(match last.contains('.') || last.is_empty() {
        true => path.into_owned(),
        false => format!("{path}/"),
    })
}

/// Whether `text` shows nothing: white space and control characters only.
fn blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_decides_the_kind() {
        let kind = |p: &str| classify(Path::new(p), Slugs::Ascii);
        assert!(matches!(kind("about.md"), Ok(Kind::Page { name }) if name == "about"));
        assert!(
            matches!(kind("business/_index.md"), Ok(Kind::SectionIndex { section }) if section == "business")
        );
        assert!(
            matches!(kind("business/2026/deal.md"), Ok(Kind::Article { section, slug }) if section == "business" && slug == "deal")
        );
        assert!(
            matches!(kind("city/Ferry Plan/index.md"), Ok(Kind::Article { slug, .. }) if slug == "ferry-plan")
        );
        assert!(kind("business/index.md").is_err());
        // `Index.md` in capitals was a story at /city/index/.
        assert_eq!(
            kind("city/harbour-gala/Index.md").err().as_deref(),
            Some("`Index.md`: names are matched exactly, case too: a bundle's file is `index.md`, a section's `_index.md`")
        );
        assert!(kind("city/_INDEX.md").is_err());
        assert!(kind("business/x/_index.md").is_err());
        assert!(kind("_index.md").is_err());
        assert!(matches!(kind("_authors/maren.md"), Ok(Kind::Profile)));
        assert!(kind("_drafts/x.md").is_err());
    }

    #[test]
    fn a_body_read_back_is_the_text_loaded_or_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let file = root.join("content/city/ferry.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let front = "+++\ntitle = \"Ferry\"\ndate = 2026-04-27T09:00:00Z\n+++\n";
        std::fs::write(&file, format!("{front}The ferry runs at dawn.\n")).unwrap();
        let config =
            crate::config::Config::parse("title = \"T\"\nbase_url = \"https://example.com\"\n")
                .unwrap();
        let selection = Selection {
            drafts: false,
            future: false,
            now: "2026-05-01T00:00:00Z".parse().unwrap(),
        };
        let found = crate::walk::files(root, CONTENT_DIR, false);
        let loaded = load(root, &config, &selection, found).unwrap();
        let article = &loaded.content.articles[0];
        assert!(article.body.markdown.is_empty(), "the text is let go");
        let body = read_body(root, article).unwrap();
        assert_eq!(body.markdown, "The ferry runs at dawn.\n");
        assert_eq!(body.first_line, 5);

        // A byte-order mark is not part of the body.
        std::fs::write(&file, format!("\u{feff}{front}The ferry runs at dawn.\n")).unwrap();
        let found = crate::walk::files(root, CONTENT_DIR, false);
        let loaded = load(root, &config, &selection, found).unwrap();
        let marked = &loaded.content.articles[0];
        let body = read_body(root, marked).unwrap();
        assert_eq!(body.markdown, "The ferry runs at dawn.\n");
        assert_eq!(body.first_line, 5);

        // One letter changed, same length: still caught.
        std::fs::write(&file, format!("{front}The ferry runs at down.\n")).unwrap();
        let err = read_body(root, article).unwrap_err();
        assert_eq!(err.path, article.file);
        assert!(
            err.message
                .contains("changed while the site was being built; build again"),
            "{}",
            err.message
        );
    }

    #[test]
    fn aliases_are_site_paths() {
        let ok = |alias: &str| normalize_alias(alias).unwrap();
        assert_eq!(ok("/2019/05/old"), "/2019/05/old/");
        assert_eq!(ok("/old.html"), "/old.html");
        assert_eq!(ok("/"), "/");
        // As a static host finds the file: escapes decoded.
        assert_eq!(ok("/caf%C3%A9/a%20b"), "/café/a b/");
        for bad in [
            "old/",
            "//evil.example/",
            "/a/../../etc/",
            "/%2e%2e/etc/",
            "/./c/",
            "/a//b/",
            "/q?x=1",
            "/frag/#x",
            "/a%ffb/",
            "/a\\b/",
            "/a%0Ab/",
            "/a%2Fb/",
        ] {
            assert!(normalize_alias(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn blank_is_white_space_and_control_characters() {
        assert!(blank(" \u{0}\u{b}\t"));
        assert!(!blank(" a "));
    }
}
