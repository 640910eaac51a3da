//! `site.toml` -> a typed, validated [`Config`].
//!
//! Unknown keys are errors (a typo must not be silently ignored), and every
//! problem is reported with its line and column, all at once.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use serde::Deserialize;
use toml::de::DeTable;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Errors};
use crate::words::Words;

pub const CONFIG_FILE: &str = "site.toml";
/// The most related stories an article may show.
pub const MAX_RELATED: usize = 100;

/// The site's settings, checked and resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: BaseUrl,
    pub timezone: TimeZone,
    pub output_dir: PathBuf,
    /// Where `output_dir` is written in site.toml, if it is.
    pub output_dir_at: Option<(usize, usize)>,
    pub paginate_by: usize,
    pub permalink: Permalink,
    pub nav: Option<Vec<NavLink>>,
    pub related: RelatedConfig,
    pub front_page: FrontPageConfig,
    pub feeds: FeedsConfig,
    pub markdown: MarkdownConfig,
    pub paths: Paths,
    /// Which letters slugs keep: `"ascii"` (the default) or `"unicode"`.
    pub slugs: crate::slug::Slugs,
    /// The words of the site's pages (`[words]`, over the English ones).
    pub words: Words,
    pub extra: toml::Table,
    /// What is not wrong but likely a slip: a setting written below
    /// `[extra]`.
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: Spanned<String>,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    description: String,
    timezone: Option<Spanned<String>>,
    #[serde(default = "default_output_dir")]
    output_dir: PathBuf,
    paginate_by: Option<NonZeroUsize>,
    permalink: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "crate::toml_read::some_tables")]
    nav: Option<Vec<NavLink>>,
    #[serde(default, deserialize_with = "crate::toml_read::some_spanned_table")]
    related: Option<Spanned<RelatedConfig>>,
    #[serde(default, deserialize_with = "crate::toml_read::table")]
    front_page: FrontPageConfig,
    #[serde(default, deserialize_with = "crate::toml_read::table")]
    feeds: FeedsConfig,
    #[serde(default, deserialize_with = "crate::toml_read::table")]
    markdown: MarkdownConfig,
    #[serde(default, deserialize_with = "crate::toml_read::table")]
    paths: Paths,
    #[serde(default)]
    slugs: crate::slug::Slugs,
    /// Checked one by one by [`Words::set`].
    #[serde(default)]
    words: toml::Table,
    #[serde(default)]
    extra: toml::Table,
}

fn default_language() -> String {
    "en".into()
}

/// `output_dir` when site.toml names none.
pub fn default_output_dir() -> PathBuf {
    "public".into()
}

/// One entry of the site navigation, from `[[nav]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavLink {
    pub title: String,
    /// A site path (`/faq/`) or a full URL to another site.
    pub url: String,
}

/// `[related]`: how many related stories an article shows, and how fast the
/// time decay makes old stories fade.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RelatedConfig {
    pub count: usize,
    pub half_life_days: f64,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            count: 4,
            half_life_days: 180.0,
        }
    }
}

/// `[paths]`: the folders of the pages the build makes, in the site's
/// language: `/tags/`, `/authors/`, and a listing's `page/2/`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Paths {
    pub tags: String,
    pub authors: String,
    pub page: String,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            tags: "tags".into(),
            authors: "authors".into(),
            page: "page".into(),
        }
    }
}

/// Whether `name` may be a folder of an address as it is: letters (of any
/// script, as a site in French may want `actualités`), digits, `-`, `_`,
/// `~` and `+`; nothing that ends a path or needs escaping in one, and not
/// `_redirects`, the build's own file at the top of the site.
fn folder_name(name: &str) -> bool {
    !name.is_empty()
        && name != "_redirects"
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '~' | '+'))
}

/// `[front_page]`: the shape of the home page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FrontPageConfig {
    /// How many stories each section's rail shows on the first page.
    pub section_rail: usize,
}

impl Default for FrontPageConfig {
    fn default() -> Self {
        FrontPageConfig { section_rail: 3 }
    }
}

/// `[markdown]`: whether raw HTML in Markdown is cleaned.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Remove scripts, event handlers and `javascript:` URLs from the HTML
    /// of articles, pages and profiles, for sites that publish outside
    /// contributions. Off by default: newsroom authors embed charts and video.
    pub sanitize: bool,
}

/// `[feeds]`: how many stories a feed carries, and whether tag and author
/// feeds carry whole articles or only their deks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedsConfig {
    /// At least 1: a feed with no stories in it is no feed.
    pub limit: NonZeroUsize,
    /// `"summary"` (the default) or `"full"`.
    pub term_content: FeedContent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedContent {
    Summary,
    Full,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            limit: NonZeroUsize::new(50).expect("50 is not 0"),
            term_content: FeedContent::Summary,
        }
    }
}

/// The public address of the site, split into the origin
/// (`https://example.com`) and the path it is served under (`/news/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    origin: String,
    path: String,
}

/// Characters percent-encoded in a path (the URL standard's path set):
/// controls, space, `"`, `#`, `<`, `>`, `?`, `` ` ``, `{`, `}`; and every
/// character beyond ASCII. `%` stays, so an encoded name is not encoded
/// twice.
pub const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// What [`BaseUrl::url`] escapes in a site path: [`PATH`] and `+`.
const ESCAPED: &percent_encoding::AsciiSet = &PATH.add(b'+');

impl BaseUrl {
    /// The site path an address names, written as the site's full address
    /// (`https://example.com/news/city/x/`), under its path
    /// (`/news/city/x/`) or without it (`/city/x/`): `/city/x/`, decoded.
    pub fn site_path_of(&self, written: &str) -> String {
        let decoded = |text: &str| match percent_encoding::percent_decode_str(text).decode_utf8() {
            Ok(plain) => plain.into_owned(),
            Err(_) => text.to_string(),
        };
        let home = decoded(&self.permalink("/"));
        let base_path = decoded(&self.url("/"));
        let wanted = decoded(written.trim());
        let path = wanted
            .strip_prefix(home.trim_end_matches('/'))
            .unwrap_or(&wanted);
        let path = path
            .strip_prefix(base_path.trim_end_matches('/'))
            .unwrap_or(path);
        format!("/{}/", path.trim_matches('/'))
    }

    /// Parse an `http(s)` URL; the message says what is expected.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let expected = "`base_url` must be an absolute http(s) URL like https://news.example.com/";
        let url = url::Url::parse(text).map_err(|e| format!("{expected}, found {text:?} ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!("{expected}, found {text:?}"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "{expected} without a query or fragment, found {text:?}"
            ));
        }
        let origin = url.origin().ascii_serialization();
        let mut path = url.path().to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl { origin, path })
    }

    /// The path of a site page as a link from another page: `/news/faq/`
    /// for `/faq/`. A character beyond ASCII (a permalink's `actualités`)
    /// is escaped, as an address must be, and so are a space and `+`,
    /// which some hosts (S3) read as a space; a `%` is left, so that a path
    /// escaped before is not escaped twice.
    pub fn url(&self, site_path: &str) -> String {
        let rest = site_path.trim_start_matches('/');
        // Borrowed, with nothing to escape: no copy.
        let rest: std::borrow::Cow<str> =
            percent_encoding::utf8_percent_encode(rest, ESCAPED).into();
        format!("{}{rest}", self.path)
    }

    /// Whether the site is served under a path (`/news/`), not the host's
    /// root.
    pub fn has_path(&self) -> bool {
        self.path != "/"
    }

    /// The scheme and host: `https://example.com`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The full address of a site page: `https://example.com/news/faq/`.
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.url(site_path))
    }

    /// The full address of a link that already carries the base path
    /// (`/news/faq/` -> `https://example.com/news/faq/`); other links as they are.
    pub fn absolute(&self, url: &str) -> String {
        match url.starts_with('/') && !url.starts_with("//") {
            true => format!("{}{url}", self.origin),
            false => url.to_string(),
        }
    }
}

/// Where an article is written, from a pattern such as
/// `/{section}/{year}/{month}/{slug}/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    pattern: String,
}

pub const PERMALINK_FIELDS: [&str; 5] = ["section", "year", "month", "day", "slug"];

impl Default for Permalink {
    fn default() -> Self {
        Permalink {
            pattern: "/{section}/{slug}/".into(),
        }
    }
}

/// The values a permalink pattern may use.
pub struct PermalinkParts<'a> {
    pub section: &'a str,
    pub slug: &'a str,
    pub date: &'a jiff::civil::Date,
}

impl Permalink {
    pub fn parse(text: &str) -> Result<Permalink, String> {
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("`permalink` has a `{{` that is never closed: {text:?}"))?;
            let name = &rest[open + 1..open + close];
            if !PERMALINK_FIELDS.contains(&name) {
                return Err(format!(
                    "`permalink` may use {}, found `{{{name}}}`",
                    PERMALINK_FIELDS.map(|f| format!("{{{f}}}")).join(", ")
                ));
            }
            rest = &rest[open + close + 1..];
        }
        // Written into every link as they are.
        let literal = |s: &str| {
            let mut s = s.to_string();
            for field in PERMALINK_FIELDS {
                s = s.replace(&format!("{{{field}}}"), "");
            }
            s.is_empty() || folder_name(&s)
        };
        let trimmed = text.trim_matches('/');
        if let Some(bad) = trimmed.split('/').find(|s| s.is_empty() || !literal(s)) {
            return Err(format!(
                "`permalink` parts are folder names of letters, digits, `-`, `_`, `~` and `+`, and \
                 placeholders, each article getting a folder; found {bad:?} in {text:?}"
            ));
        }
        if !text.contains("{slug}") {
            return Err(format!(
                "`permalink` must contain {{slug}} so that every article gets its own address, found {text:?}"
            ));
        }
        let pattern = format!("/{}/", text.trim_matches('/'));
        Ok(Permalink { pattern })
    }

    /// The site path of an article: `/business/2026/04/openai-deal/`.
    pub fn expand(&self, parts: &PermalinkParts) -> String {
        self.pattern
            .replace("{section}", parts.section)
            .replace("{year}", &format!("{:04}", parts.date.year()))
            .replace("{month}", &format!("{:02}", parts.date.month()))
            .replace("{day}", &format!("{:02}", parts.date.day()))
            .replace("{slug}", parts.slug)
    }
}

/// Where the value of `key` is written in site.toml's `document`, as
/// toml's own parser read it (which tells keys from the text of strings):
/// at the top level, or in the table named `table`.
fn value_at(document: Option<&Spanned<DeTable>>, table: Option<&str>, key: &str) -> Option<usize> {
    let mut values = document?.get_ref();
    if let Some(name) = table {
        values = values.get(name)?.get_ref().as_table()?;
    }
    Some(values.get(key)?.span().start)
}

/// The settings of site.toml that are read at its top.
pub(crate) const SETTINGS: [&str; 16] = [
    "title",
    "base_url",
    "language",
    "description",
    "timezone",
    "output_dir",
    "paginate_by",
    "permalink",
    "slugs",
    "nav",
    "related",
    "front_page",
    "feeds",
    "markdown",
    "paths",
    "words",
];

/// A `timezone` that is a fixed offset under a region's abbreviation
/// (`EST`, `Etc/GMT+5`): valid, but with no daylight saving time, so half
/// the year every time shown is an hour off. A warning naming a region's
/// zone where the abbreviation has an obvious one.
fn fixed_zone(text: &str, timezone: Option<&Spanned<String>>) -> Option<Diagnostic> {
    let name = timezone?;
    let written = name.get_ref().as_str();
    let meant = match written.to_ascii_uppercase().as_str() {
        "EST" => "\"America/New_York\" (or \"America/Panama\", which keeps no summer time)",
        "MST" => "\"America/Denver\" (or \"America/Phoenix\", which keeps no summer time)",
        upper if upper.starts_with("ETC/GMT") && upper.len() > 7 => {
            "as the IANA names it, \"Area/City\" (\"Europe/Athens\", \"Asia/Karachi\")"
        }
        _ => return None,
    };
    let message = format!(
        "`timezone = {written:?}` is a fixed offset, not a place: where clocks change for \
         summer time, dates and times would be an hour off for part of the year; name the \
         place's zone, {meant}"
    );
    Some(Diagnostic::at(
        Path::new(CONFIG_FILE),
        text,
        name.span().start,
        message,
    ))
}

/// Settings written on lines below a `[extra]` line, which TOML puts in
/// that table: `language = "pl"` there leaves the pages English, without
/// a word, even when `language = "en"` is at the top. A warning at each,
/// unless written into `extra` inline or dotted, which is on purpose.
fn settings_in_extra(
    text: &str,
    document: Option<&Spanned<DeTable>>,
    extra: &toml::Table,
    words: &crate::words::Words,
) -> Vec<Diagnostic> {
    let Some(top) = document.map(Spanned::get_ref) else {
        return Vec::new();
    };
    // Where `key` is written on a line of its own: below the `[extra]`
    // line.
    let below = |key: &str| {
        let at = key_at(document, "extra", key)?;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        text[line_start..at].trim().is_empty().then_some(at)
    };
    let settings = SETTINGS
        .iter()
        .filter(|key| extra.contains_key(**key))
        .filter_map(|key| {
            let at = below(key)?;
            let message = match top.get_key_value(*key) {
                Some((name, _)) => {
                    let (line, _) = crate::diagnostic::line_col(text, name.span().start);
                    format!(
                        "`{key}` is inside `[extra]`, as is every key written below that line, \
                         so it is not the site's `{key}`, which stays the one on line {line}: \
                         to change the site's, edit that line; to keep this for the templates, \
                         give it a name no setting has"
                    )
                }
                None => format!(
                    "`{key}` is inside `[extra]`, as is every key written below that line, so it \
                     is not the site's `{key}`: move it above `[extra]`"
                ),
            };
            Some(Diagnostic::at(Path::new(CONFIG_FILE), text, at, message))
        });
    // A word written after the `[extra]` line of a site that has a
    // `[words]` table (a translation finished late): one of its words, not
    // the templates' data.
    let has_words = top.contains_key("words");
    let words_below = (extra.keys())
        .filter(|key| has_words && words.knows(key) && !SETTINGS.contains(&key.as_str()))
        .filter_map(|key| {
            let at = below(key)?;
            let message = format!(
                "`{key}` is inside `[extra]`, as is every key written below that line, so it is \
                 not one of the site's words: move it below `[words]`"
            );
            Some(Diagnostic::at(Path::new(CONFIG_FILE), text, at, message))
        });
    settings.chain(words_below).collect()
}

/// A warning at each form of a counted word that no number of the site's
/// language takes (`story_count_few` in Hebrew): no page shows it.
fn unused_forms(
    text: &str,
    document: Option<&Spanned<DeTable>>,
    words: &crate::words::Words,
    language: &str,
) -> Vec<Diagnostic> {
    (words.unused_forms().into_iter())
        .filter_map(|(key, taken)| {
            let at = key_at(document, "words", key)?;
            let (word, _) = key.rsplit_once('_')?;
            let forms: Vec<String> = (taken.iter())
                .map(|form| match *form {
                    "other" => format!("`{word}`"),
                    form => format!("`{word}_{form}`"),
                })
                .collect();
            let message = format!(
                "`{key}` is a form no number takes in `{language}`, so no page shows it: its \
                 numbers take {}",
                forms.join(", ")
            );
            Some(Diagnostic::at(Path::new(CONFIG_FILE), text, at, message))
        })
        .collect()
}

/// Where `key` itself is written in the table named `table` of
/// site.toml's `document`.
fn key_at(document: Option<&Spanned<DeTable>>, table: &str, key: &str) -> Option<usize> {
    let values = document?.get_ref().get(table)?.get_ref().as_table()?;
    let (name, _) = values.get_key_value(key)?;
    Some(name.span().start)
}

/// The output folder that `site.toml` in `root` names (the default if it
/// names none), and where it does, read on its own: when the file has
/// other errors, a refused output folder is reported with them.
pub fn output_dir_written(root: &Path) -> Option<(PathBuf, Option<(usize, usize)>)> {
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).ok()?;
    let document = DeTable::parse(&text).ok()?;
    match document.get_ref().get("output_dir") {
        None => Some((default_output_dir(), None)),
        Some(value) => Some((
            PathBuf::from(value.get_ref().as_str()?),
            Some(crate::diagnostic::line_col(&text, value.span().start)),
        )),
    }
}

impl Config {
    /// Read and check `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Errors> {
        let path = root.join(CONFIG_FILE);
        let shown = Path::new(CONFIG_FILE);
        let bytes = std::fs::read(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Diagnostic::new(
                    shown,
                    format!(
                        "no site.toml in {}; run `dateline init` to create a site, or pass --root",
                        root.display()
                    ),
                )
            } else {
                Diagnostic::io(shown, "read the site configuration", &e)
            }
        })?;
        Config::parse(&crate::diagnostic::utf8_text(shown, bytes)?)
    }

    /// Check the text of a `site.toml`.
    pub fn parse(text: &str) -> Result<Config, Errors> {
        let file = Path::new(CONFIG_FILE);
        let read = crate::toml_read::read::<RawConfig>(file, text, 0, text);
        // Where settings are written, for the messages that name them.
        let document = DeTable::parse(text).ok();
        let value_at = |table, key| value_at(document.as_ref(), table, key);
        let mut problems = read.errors;
        // A required setting missing because it was written below `[extra]`.
        for problem in &mut problems {
            let missing = (problem.message.strip_prefix("missing field `"))
                .and_then(|rest| rest.strip_suffix('`'))
                .filter(|key| SETTINGS.contains(key));
            let Some(key) = missing.map(str::to_string) else {
                continue;
            };
            if let Some(at) = key_at(document.as_ref(), "extra", &key) {
                *problem = Diagnostic::at(
                    file,
                    text,
                    at,
                    format!(
                        "`{key}` is inside `[extra]`, as is every key written below that line, \
                         so the site has no `{key}`: move it above `[extra]`"
                    ),
                );
            }
        }
        let Some(raw) = read.value else {
            return Err(Errors::new(problems));
        };
        // A `base_url` missing or of the wrong type is reported already.
        let stand_in_url = read.stand_ins.iter().any(|k| k == "base_url");
        let mut check = |span: std::ops::Range<usize>, result: Result<(), String>| {
            if let Err(message) = result {
                problems.push(Diagnostic::at(file, text, span.start, message));
            }
        };

        let base_url = BaseUrl::parse(raw.base_url.get_ref());
        if !stand_in_url {
            check(
                raw.base_url.span(),
                base_url.as_ref().map(|_| ()).map_err(Clone::clone),
            );
        }

        let timezone = match &raw.timezone {
            None => Ok(TimeZone::UTC),
            Some(name) => TimeZone::get(name.get_ref()).map_err(|_| {
                format!(
                    "`timezone` must be an IANA time zone name like \"America/New_York\" or \"UTC\", found {:?}",
                    name.get_ref()
                )
            }),
        };
        if let Some(name) = &raw.timezone {
            check(
                name.span(),
                timezone.as_ref().map(|_| ()).map_err(Clone::clone),
            );
        }

        let permalink = match &raw.permalink {
            None => Ok(Permalink::default()),
            Some(p) => Permalink::parse(p.get_ref()),
        };
        if let Some(p) = &raw.permalink {
            check(
                p.span(),
                permalink.as_ref().map(|_| ()).map_err(Clone::clone),
            );
        }

        // `lang` of every page and `language` of the feeds: a BCP 47 tag.
        // A two- or three-letter language, then subtags of 1 to 8 letters
        // and digits: "en", "pt-BR", "zh-Hant-TW".
        let tag = raw.language.as_str();
        let mut parts = tag.split('-');
        let language = parts.next().unwrap_or_default();
        let ok = ((2..=3).contains(&language.len())
            && language.chars().all(|c| c.is_ascii_alphabetic())
            && parts.all(|part| {
                (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
            }))
        .then_some(())
        .ok_or_else(|| {
            format!("`language` must be a language tag like \"en\" or \"pt-BR\", found {tag:?}")
        });
        let at = value_at(None, "language").unwrap_or(0);
        check(at..at, ok);

        let paginate_by = raw.paginate_by.map_or(10, NonZeroUsize::get);

        for (key, name) in [
            ("tags", &raw.paths.tags),
            ("authors", &raw.paths.authors),
            ("page", &raw.paths.page),
        ] {
            let ok = folder_name(name).then_some(()).ok_or_else(|| {
                format!(
                    "`paths.{key}` is one folder name of letters, digits, `-`, `_`, `~` and `+`, \
                     like {:?}; found {name:?}",
                    match key {
                        "tags" => "temas",
                        "authors" => "autores",
                        _ => "pagina",
                    }
                )
            });
            let at = value_at(Some("paths"), key).unwrap_or(0);
            check(at..at, ok);
        }
        // One folder on a disk that does not tell `Tags` from `tags`.
        if raw.paths.tags.to_lowercase() == raw.paths.authors.to_lowercase() {
            let at = value_at(Some("paths"), "authors").unwrap_or(0);
            let message = "`paths.tags` and `paths.authors` must differ: each has pages of its own";
            check(at..at, Err(message.to_string()));
        }

        let mut words = Words::english();
        for (key, value) in &raw.words {
            // A word that is none is said at its name.
            let at = match words.knows(key) {
                true => value_at(Some("words"), key),
                false => key_at(document.as_ref(), "words", key),
            };
            let at = at.unwrap_or(0);
            check(at..at, words.set(key, value));
        }

        let related = raw
            .related
            .as_ref()
            .map(|r| r.get_ref().clone())
            .unwrap_or_default();
        if let Some(r) = &raw.related {
            let half_life = r.get_ref().half_life_days;
            let ok = (half_life >= 0.0 && half_life.is_finite())
                .then_some(())
                .ok_or_else(|| {
                    "`related.half_life_days` must be 0 (no decay) or a positive number of days"
                        .to_string()
                });
            let at = value_at(Some("related"), "half_life_days");
            check(at.map_or(r.span(), |at| at..at), ok);
            let ok = (r.get_ref().count <= MAX_RELATED)
                .then_some(())
                .ok_or_else(|| format!("`related.count` must be at most {MAX_RELATED}"));
            let at = value_at(Some("related"), "count");
            check(at.map_or(r.span(), |at| at..at), ok);
        }

        let words = words.in_language(&raw.language);
        let warnings = (settings_in_extra(text, document.as_ref(), &raw.extra, &words).into_iter())
            .chain(unused_forms(text, document.as_ref(), &words, &raw.language))
            .chain(fixed_zone(text, raw.timezone.as_ref()))
            .collect();
        match (base_url, timezone, permalink) {
            (Ok(base_url), Ok(timezone), Ok(permalink)) if problems.is_empty() => Ok(Config {
                // Without what no page, feed or JSON shows (see xml_safe).
                title: crate::markdown::xml_safe(&raw.title).into_owned(),
                description: crate::markdown::xml_safe(&raw.description).into_owned(),
                language: raw.language,
                base_url,
                timezone,
                output_dir: raw.output_dir,
                output_dir_at: value_at(None, "output_dir")
                    .map(|at| crate::diagnostic::line_col(text, at)),
                paginate_by,
                permalink,
                nav: raw.nav,
                related,
                front_page: raw.front_page,
                feeds: raw.feeds,
                markdown: raw.markdown,
                paths: raw.paths,
                slugs: raw.slugs,
                words,
                warnings,
                extra: raw.extra,
            }),
            _ => Err(Errors::new(problems)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title = \"T\"\nbase_url = \"https://example.com\"\n";

    #[test]
    fn defaults_fill_in_the_rest() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.paginate_by, 10);
        assert_eq!(c.language, "en");
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.related.count, 4);
        assert_eq!(c.base_url.url("/faq/"), "/faq/");
        assert_eq!(c.base_url.permalink("/faq/"), "https://example.com/faq/");
    }

    #[test]
    fn base_url_with_a_path_prefixes_every_link() {
        let b = BaseUrl::parse("https://example.com/news").unwrap();
        assert_eq!(b.url("/"), "/news/");
        assert_eq!(b.url("/a/b/"), "/news/a/b/");
        assert_eq!(b.permalink("/a/"), "https://example.com/news/a/");
    }

    #[test]
    fn unknown_key_is_an_error_with_line_and_column() {
        let text = format!("{MINIMAL}tittle = \"x\"\n");
        let err = Config::parse(&text).unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.position, Some((3, 1)));
        assert!(
            d.message.contains("unknown field `tittle`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn every_bad_value_is_reported_at_once() {
        let text = "title = \"T\"\nbase_url = \"ftp://x\"\ntimezone = \"Mars/Olympus\"\npermalink = \"/{year}/{title}/\"\n";
        let err = Config::parse(text).unwrap_err();
        let lines: Vec<_> = err.0.iter().map(|d| d.position.unwrap().0).collect();
        assert_eq!(lines, vec![2, 3, 4], "{err}");
        assert!(err.0[1].message.contains("IANA"));
        assert!(err.0[2].message.contains("{title}"));
    }

    #[test]
    fn a_bad_related_setting_is_reported_at_its_value() {
        let text = "title = \"T\"\nbase_url = \"https://x.example/\"\n\n[related]\nhalf_life_days = -5\ncount = 1000\n\n[feeds]\nlimit = 5\n";
        let err = Config::parse(text).unwrap_err();
        let places: Vec<_> = err.0.iter().map(|d| d.position.unwrap()).collect();
        assert_eq!(places, vec![(5, 18), (6, 9)], "{err}");
    }

    #[test]
    fn the_language_must_be_a_language_tag() {
        for (language, ok) in [
            ("en", true),
            ("pt-BR", true),
            ("zh-Hant-TW", true),
            ("", false),
            ("English", false),
            ("English (UK)", false),
        ] {
            let text = format!(
                "title = \"T\"\nbase_url = \"https://x.example/\"\nlanguage = {language:?}\n"
            );
            match Config::parse(&text) {
                Ok(c) => assert!(ok && c.language == language, "{language:?}"),
                Err(e) => {
                    assert!(!ok, "{language:?}: {e}");
                    assert_eq!(e.0[0].position, Some((3, 12)), "{e}");
                    assert!(e.0[0]
                        .message
                        .starts_with("`language` must be a language tag"));
                }
            }
        }
    }

    #[test]
    fn a_setting_is_found_past_multi_line_strings_and_with_a_quoted_key() {
        let text = "description = \"\"\"\nlanguage = \"fr\"\n\"\"\"\n\"language\" = \"x\"\n";
        let document = DeTable::parse(text).ok();
        let at = value_at(document.as_ref(), None, "language").unwrap();
        assert_eq!(crate::diagnostic::line_col(text, at), (4, 14));
    }

    #[test]
    fn permalink_cannot_climb_or_name_files() {
        for bad in [
            "/../{slug}/",
            "/{slug}.html",
            "/./{slug}/",
            "/{slug}/?x",
            "/a b/{slug}/",
            "/a//{slug}/",
            "/a%20b/{slug}/",
        ] {
            assert!(Permalink::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn permalink_folders_may_be_words_of_any_script() {
        for good in [
            "/actualit\u{e9}s/{slug}/",
            "/~news/{year}/{slug}/",
            "/c++/{slug}/",
        ] {
            assert!(Permalink::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn permalink_expands_every_field() {
        let p = Permalink::parse("{section}/{year}/{month}/{day}/{slug}").unwrap();
        let date = jiff::civil::date(2026, 4, 7);
        let parts = PermalinkParts {
            section: "business",
            slug: "deal",
            date: &date,
        };
        assert_eq!(p.expand(&parts), "/business/2026/04/07/deal/");
    }
}
