//! Markdown to HTML with pulldown-cmark: the dek (standfirst), heading ids,
//! `@/` links between articles, highlighted code and the reading time.
//!
//! The dek is the front matter's `summary`, else the text before a
//! `<!-- more -->` line, else the first paragraph when the body starts with
//! it; when it comes from the body it is taken out of the body, so the page
//! does not print it twice.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use unicase::UniCase;

use crate::config::BaseUrl;
use crate::content::{Body, LinkTarget};
pub use crate::diagnostic::Problems;
use crate::diagnostic::{line_col, Diagnostic};
use crate::highlight::Highlighter;
use crate::pictures::Size;
use crate::words::Words;

/// Words a reader gets through in a minute, for "N min read".
pub const WORDS_PER_MINUTE: usize = 238;

/// What a table is put in: a region named for screen readers in the
/// site's `words`.
/// Where a table's scrolling region opens: named "Table", or "Table 2"
/// (`number`) in a body with several, so that each landmark has a name
/// of its own.
fn table_open(words: &Words, number: Option<usize>) -> String {
    let name = match number {
        None => escape(words.get("table")),
        Some(n) => escape(&words.fill("table_number", &[("number", &n.to_string())])),
    };
    format!("<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{name}\">\n")
}

/// A Markdown body turned into HTML.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The standfirst as block HTML (`<p>...</p>`).
    pub dek_html: String,
    /// The standfirst as plain text, for descriptions and feeds.
    pub dek_text: String,
    /// The body, without the dek when the dek came from it.
    pub content_html: String,
    /// Words of prose (code blocks and markup not counted).
    pub words: usize,
    /// The ids of the body's elements (headings, footnotes, raw HTML's),
    /// sorted, one per line: what a link to a part of the page may name.
    pub ids: Box<str>,
    /// The body's links to a part of a page, checked once every body is
    /// read (see [`Anchor`]).
    pub anchors: Box<[Anchor]>,
    /// The pictures the body shows from the site itself (a bundle's file,
    /// a site path), checked once the site's files are known.
    pub pictures: Box<[Picture]>,
    /// On a site served under a path (`https://example.com/news/`), the
    /// body's links to a site path (`/about/`), which must hold it.
    pub site_links: Box<[Picture]>,
}

/// A picture of the site's own in a body: `![x](chart.png)`,
/// `![x](/img/chart.png)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Its address as written.
    pub written: Box<str>,
    pub line: usize,
    pub column: usize,
}

/// A link to a part of a page: `@/business/deal.md#terms`, or `#terms`
/// on the page itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The content path of the page linked to; `None` for the page itself.
    pub target: Option<Box<str>>,
    /// The link as written.
    pub written: Box<str>,
    /// The fragment, its percent-escapes decoded as a browser decodes them.
    pub id: Box<str>,
    /// Where the link is, in the file.
    pub line: usize,
    pub column: usize,
}

impl Rendered {
    pub fn reading_time(&self) -> usize {
        self.words.div_ceil(WORDS_PER_MINUTE).max(1)
    }

    /// Whether an element of the body has the id `id`.
    pub fn has_id(&self, id: &str) -> bool {
        self.ids().any(|own| own == id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.split('\n').filter(|id| !id.is_empty())
    }
}

/// What Markdown rendering needs from the rest of the site.
pub struct Context<'a> {
    pub links: &'a BTreeMap<String, LinkTarget>,
    /// `links`' content paths by their other Unicode spelling.
    pub spellings: &'a std::sync::OnceLock<HashMap<String, String>>,
    /// Files that failed to load: links to them are not errors of their own.
    pub broken: &'a BTreeSet<String>,
    pub base_url: &'a BaseUrl,
    pub highlighter: &'a Highlighter,
    /// `[markdown] sanitize`'s cleaner, for the dek and body HTML.
    pub sanitizer: Option<&'a ammonia::Builder<'static>>,
    /// Ids the templates give elements of their own (`main`,
    /// `share-title`, ...), which no heading or footnote may take.
    pub theme_ids: &'a BTreeSet<String>,
    /// The site's words, for the names of tables and task boxes.
    pub words: &'a Words,
    /// Which letters heading ids and addresses keep.
    pub slugs: crate::slug::Slugs,
    /// The site's files, for the sizes of its pictures.
    pub pictures: &'a crate::pictures::Files,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Where a body's dek comes from.
#[derive(Debug, Clone, Copy)]
pub enum Dek<'a> {
    /// The front matter's `summary`: the body stays whole.
    Given(&'a str),
    /// An article's: the text before `<!-- more -->`, else the first
    /// paragraph, taken out of the body.
    FromBody,
    /// A standalone page's: no dek; the first paragraph (still in the body)
    /// is only the description.
    None,
}

impl<'a> Dek<'a> {
    /// An article's: its front matter's `summary`, else from its body.
    pub fn of_article(article: &'a crate::content::Article) -> Dek<'a> {
        article.summary.as_deref().map_or(Dek::FromBody, Dek::Given)
    }
}

/// Render `body` of `file`, whose page is at site path `page`.
pub fn render(
    file: &Path,
    page: &str,
    body: &Body,
    dek: Dek,
    cx: &Context,
    problems: &mut Problems,
) -> Rendered {
    run(file, page, body, dek, cx, problems, false)
}

/// Everything of [`render`] but the body's HTML: the dek, the word count
/// and the problems, at less cost (code is not highlighted unless the dek
/// may hold it).
pub fn summarize(
    file: &Path,
    page: &str,
    body: &Body,
    dek: Dek,
    cx: &Context,
    problems: &mut Problems,
) -> Rendered {
    run(file, page, body, dek, cx, problems, true)
}

fn run(
    file: &Path,
    page: &str,
    body: &Body,
    dek: Dek,
    cx: &Context,
    problems: &mut Problems,
    summary: bool,
) -> Rendered {
    let mut pass = Pass {
        // A dek cut at `<!-- more -->` may hold code.
        plain_code: summary && !body.markdown.contains("<!--"),
        summary,
        file,
        page,
        body,
        cx,
        problems,
        events: Vec::new(),
        words: 0,
        dense: 0,
        depth: 0,
        code: None,
        heading_start: None,
        heading_at: 0,
        ids: BTreeSet::new(),
        html_ids: BTreeSet::new(),
        anchors: Vec::new(),
        pictures: Vec::new(),
        sizes: Vec::new(),
        site_links: Vec::new(),
        after_photo: false,
        unlinked: false,
        footnotes: false,
        tables: Vec::new(),
        notes: Vec::new(),
        notes_defined: HashSet::new(),
        note_places: Vec::new(),
        more_at: None,
        first_paragraph: None,
        starts_with_paragraph: None,
        in_comment: false,
    };
    for (event, range) in Parser::new_ext(&body.markdown, options()).into_offset_iter() {
        pass.event(event, range.start);
    }
    pass.finish(dek)
}

/// One walk over a body's events.
struct Pass<'a, 'p> {
    /// Leave code blocks out instead of highlighting them.
    plain_code: bool,
    /// Make no HTML for the body.
    summary: bool,
    file: &'a Path,
    /// The page's site path.
    page: &'a str,
    body: &'a Body,
    cx: &'a Context<'a>,
    problems: &'p mut Problems,
    events: Vec<Event<'a>>,
    words: usize,
    /// Quarter words of text written without spaces (`count_text`).
    dense: usize,
    depth: usize,
    /// The language and text of the code block being read.
    code: Option<(String, String)>,
    heading_start: Option<usize>,
    /// Where in the body the heading being read starts.
    heading_at: usize,
    ids: BTreeSet<String>,
    /// The ids raw HTML gives its elements.
    html_ids: BTreeSet<String>,
    anchors: Vec<Anchor>,
    pictures: Vec<Picture>,
    /// The sizes of the pictures whose files are the site's, by address.
    sizes: Vec<(Box<str>, Size)>,
    site_links: Vec<Picture>,
    /// Whether the body began with a lead photo, alone in its paragraph,
    /// and no block has come since.
    after_photo: bool,
    /// Whether the link being read is left out (its text kept).
    unlinked: bool,
    /// Whether the body has a footnote.
    footnotes: bool,
    /// Where each table's scrolling region opens in `events`.
    tables: Vec<usize>,
    /// Where each footnote's note is in `events`, once they are named.
    notes: Vec<std::ops::Range<usize>>,
    /// The labels of the notes written so far.
    notes_defined: HashSet<UniCase<String>>,
    /// Each label's first note: its label as written, line and column.
    note_places: Vec<(UniCase<String>, String, usize, usize)>,
    more_at: Option<usize>,
    first_paragraph: Option<(usize, Option<usize>)>,
    /// Whether the body's first block is a paragraph, once known.
    starts_with_paragraph: Option<bool>,
    /// Whether an HTML block's comment is open at the line read last.
    in_comment: bool,
}

impl<'a> Pass<'a, '_> {
    fn event(&mut self, event: Event<'a>, offset: usize) {
        if let Some((_, text)) = &mut self.code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = self.code.take().unwrap_or_default();
                    if !self.plain_code {
                        let html = self.cx.highlighter.code_block(&lang, &text);
                        self.events.push(Event::Html(html.into()));
                    }
                    self.depth -= 1;
                }
                _ => {}
            }
            return;
        }
        if let Event::Html(html) | Event::InlineHtml(html) = &event {
            html_ids(html, &mut self.html_ids);
        }
        let event = with_percent_escaped(event);
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                if self.depth == 0 {
                    self.first_block(false);
                }
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(lang) => lang.to_string(),
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
                self.depth += 1;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => match self.resolve(&dest_url, offset) {
                Some(dest_url) => self.start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }),
                // Its text stays, without the link.
                None => self.unlinked = true,
            },
            Event::End(TagEnd::Link) if self.unlinked => self.unlinked = false,
            Event::Start(tag @ Tag::Link { .. }) => {
                if let Tag::Link { dest_url, .. } = &tag {
                    if let Some(fragment) = dest_url.strip_prefix('#') {
                        self.anchor(None, dest_url, fragment, offset);
                    } else if dest_url.starts_with('/')
                        && !dest_url.starts_with("//")
                        && self.cx.base_url.has_path()
                    {
                        let (line, column) = self.place(offset);
                        self.site_links.push(Picture {
                            written: Box::from(dest_url.as_ref()),
                            line,
                            column,
                        });
                    }
                }
                self.start(tag);
            }
            // `@/` names an article or page, which no image is.
            Event::Start(tag @ Tag::Image { .. }) => {
                if let Tag::Image { dest_url, .. } = &tag {
                    if dest_url.starts_with("@/") {
                        let (line, column) = self.place(offset);
                        let message = format!(
                            "the image `{dest_url}` is an `@/` link, which names an article or \
                             page: give the image's path (`chart.png` beside the article, \
                             `/img/chart.png` from static/) or address"
                        );
                        (self.problems.errors)
                            .push(Diagnostic::at_line(self.file, line, column, message));
                    } else if is_own_file(dest_url) {
                        let (line, column) = self.place(offset);
                        self.pictures.push(Picture {
                            written: Box::from(dest_url.as_ref()),
                            line,
                            column,
                        });
                        if let Some(size) = self.size_of(dest_url) {
                            self.sizes.push((Box::from(dest_url.as_ref()), size));
                        }
                    }
                }
                self.start(tag);
            }
            Event::Start(Tag::Table(align)) => {
                // A wide table scrolls inside a region a keyboard can reach.
                self.tables.push(self.events.len());
                self.events
                    .push(Event::Html(table_open(self.cx.words, None).into()));
                self.start(Tag::Table(align));
            }
            Event::End(TagEnd::Table) => {
                self.end(TagEnd::Table);
                self.events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(tag @ Tag::Heading { .. }) => {
                self.heading_at = offset;
                self.start(tag);
            }
            Event::Start(tag @ Tag::FootnoteDefinition(_)) => {
                self.footnotes = true;
                if let Tag::FootnoteDefinition(label) = &tag {
                    // Labels match case folded, as pulldown-cmark's do.
                    let key = UniCase::new(label.to_string());
                    if self.notes_defined.insert(key.clone()) {
                        let (line, column) = self.place(offset);
                        self.note_places
                            .push((key, label.to_string(), line, column));
                    } else {
                        let (line, column) = self.place(offset);
                        let message = format!(
                            "the note `[^{label}]` is written a second time: references lead to \
                             the first, so this one is shown with nothing pointing to it; give it \
                             a label of its own"
                        );
                        (self.problems.warnings)
                            .push(Diagnostic::at_line(self.file, line, column, message));
                    }
                }
                self.start(tag);
            }
            Event::FootnoteReference(label) => {
                self.footnotes = true;
                self.events.push(Event::FootnoteReference(label));
            }
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                self.count(&t);
                self.events.push(Event::Text(t));
            }
            Event::Code(t) => {
                self.count(&t);
                self.events.push(Event::Code(t));
            }
            // A task-list box is named, so a screen reader says "Done,
            // checkbox, checked" rather than an unlabelled control.
            Event::TaskListMarker(done) => {
                let checked = if done { " checked=\"\"" } else { "" };
                let done = escape(self.cx.words.get("done"));
                let html = format!(
                    "<input type=\"checkbox\" disabled=\"\"{checked} aria-label=\"{done}\"/>\n"
                );
                self.events.push(Event::Html(html.into()));
            }
            Event::Rule if self.depth == 0 => {
                self.first_block(false);
                self.events.push(Event::Rule);
            }
            Event::Html(h) if self.depth == 1 && is_more_marker(&h) => {
                if self.more_at.is_none() {
                    self.more_at = Some(self.events.len());
                }
            }
            // A block of HTML comes before a first paragraph, unless it
            // is only a comment, which shows nothing.
            Event::Html(h) if self.depth == 1 => {
                if shows_something(&h, &mut self.in_comment) {
                    self.first_block(false);
                }
                self.events.push(Event::Html(h));
            }
            other => self.events.push(other),
        }
    }

    /// A top-level block begins that is a paragraph or not: the first
    /// says whether the body starts with a paragraph. After a lead photo,
    /// so does the next.
    fn first_block(&mut self, paragraph: bool) {
        match std::mem::take(&mut self.after_photo) {
            true => self.starts_with_paragraph = Some(paragraph),
            false => {
                self.starts_with_paragraph.get_or_insert(paragraph);
            }
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        // An HTML block counts by what it holds (see `event`).
        if self.depth == 0 && !matches!(tag, Tag::HtmlBlock) {
            self.first_block(matches!(tag, Tag::Paragraph));
        }
        match &tag {
            Tag::Heading { .. } => self.heading_start = Some(self.events.len()),
            Tag::Paragraph if self.depth == 0 && self.first_paragraph.is_none() => {
                self.first_paragraph = Some((self.events.len(), None));
            }
            _ => {}
        }
        self.depth += 1;
        self.events.push(Event::Start(tag));
    }

    fn end(&mut self, tag: TagEnd) {
        self.depth -= 1;
        self.events.push(Event::End(tag));
        match tag {
            TagEnd::Heading(_) => self.name_heading(),
            TagEnd::Paragraph if self.depth == 0 => {
                if let Some((start, None)) = self.first_paragraph {
                    // A picture alone (a lead photo), or one with its
                    // caption or credit in italics after it, says nothing
                    // of the story: the next paragraph may, under it.
                    let paragraph = &self.events[start..];
                    let says = has_own_text(paragraph) && !photo_with_caption(paragraph);
                    self.first_paragraph = match says {
                        true => Some((start, Some(self.events.len()))),
                        false => {
                            self.after_photo = self.starts_with_paragraph == Some(true);
                            None
                        }
                    };
                }
            }
            _ => {}
        }
    }

    /// Give the heading just closed an id from its text, unique in the page.
    fn name_heading(&mut self) {
        let Some(start) = self.heading_start.take() else {
            return;
        };
        let (wanted, given) = match &self.events[start] {
            Event::Start(Tag::Heading {
                id: Some(given), ..
            }) => (given.to_string(), true),
            Event::Start(Tag::Heading { id: None, .. }) => (
                self.cx.slugs.slugify(&plain_text(&self.events[start..])),
                false,
            ),
            _ => return,
        };
        let unique = self.unique_id(wanted.clone());
        // An id asked for is one someone means to link to.
        if given && unique != wanted {
            let (line, column) = self.place(self.heading_at);
            let message = format!(
                "the heading's id `{wanted}` is already taken on the page (by the theme or \
                 another heading), so it is `{unique}`; choose another to link to it"
            );
            (self.problems.warnings).push(Diagnostic::at_line(self.file, line, column, message));
        }
        if let Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) = &mut self.events[start]
        {
            *id = Some(CowStr::from(unique));
            // `{#a id}` reads `id` as an attribute of its own, which would
            // give the heading two ids; a `class=x` joins the `.name`
            // classes, rather than giving it two class attributes.
            attrs.retain(|(key, value)| match key.as_ref() {
                "id" => false,
                "class" => {
                    let names = value.as_deref().unwrap_or_default().split_whitespace();
                    classes.extend(names.map(|name| CowStr::from(name.to_string())));
                    false
                }
                _ => true,
            });
        }
    }

    /// `wanted`, or `wanted-2`, `wanted-3`..., whichever no element of the
    /// page has yet; taken.
    fn unique_id(&mut self, wanted: String) -> String {
        let mut unique = wanted.clone();
        let mut n = 1;
        while self.cx.theme_ids.contains(&unique) || !self.ids.insert(unique.clone()) {
            n += 1;
            unique = format!("{wanted}-{n}");
        }
        unique
    }

    /// Give footnotes ids of their own, `fn-` and their label's slug, so
    /// that `[^2]` cannot clash with the page's own elements or a heading
    /// named before it (pulldown-cmark would use the label as it is,
    /// spaces and all); and link each note back to where the text first
    /// refers to it (`fnref-` and the slug), so a reader who followed a
    /// note can return. References are named "Note 1" for screen readers.
    /// Numbered in the order the text first refers to them; notes nothing
    /// refers to come after, in their order.
    fn name_footnotes(&mut self) {
        if !self.footnotes {
            return;
        }
        // First, every reference's and definition's id and number, and the
        // id of each label's first reference: a note may be written before
        // the text that refers to it.
        // Labels match as pulldown-cmark matches them, case folded.
        let mut ids: HashMap<UniCase<String>, CowStr<'a>> = HashMap::new();
        let mut numbers: HashMap<UniCase<String>, usize> = HashMap::new();
        let mut first_refs: HashMap<UniCase<String>, String> = HashMap::new();
        let mut defined = HashSet::new();
        // For each reference and definition in order: its label's key and
        // id, and the id it has as a first reference.
        let mut named: Vec<(UniCase<String>, CowStr<'a>, Option<String>, bool)> = Vec::new();
        let events = std::mem::take(&mut self.events);
        for event in &events {
            let (label, definition) = match event {
                Event::FootnoteReference(label) => (label, false),
                Event::Start(Tag::FootnoteDefinition(label)) => (label, true),
                _ => continue,
            };
            let key = UniCase::new(label.to_string());
            // A second definition of a label, which nothing links to, gets
            // an id of its own rather than a copy.
            let again = definition && !defined.insert(key.clone());
            let id = match ids.get(&key) {
                Some(id) if !again => id.clone(),
                _ => {
                    let id = CowStr::from(
                        self.unique_id(format!("fn-{}", self.cx.slugs.slugify(label))),
                    );
                    ids.entry(key.clone()).or_insert_with(|| id.clone());
                    id
                }
            };
            // Numbered in the order the text refers to them.
            if !definition {
                let next = numbers.len() + 1;
                numbers.entry(key.clone()).or_insert(next);
            }
            let first = match definition || first_refs.contains_key(&key) {
                true => None,
                false => {
                    let back = self.unique_id(format!("fnref-{}", self.cx.slugs.slugify(label)));
                    first_refs.insert(key.clone(), back.clone());
                    Some(back)
                }
            };
            named.push((key, id, first, again));
        }
        // A note nothing refers to is shown with nothing pointing to it.
        for (key, label, line, column) in std::mem::take(&mut self.note_places) {
            if !first_refs.contains_key(&key) {
                let message = format!(
                    "the note `[^{label}]` is not referred to in the text (`[^{label}]` after a \
                     word): it is shown with nothing pointing to it"
                );
                (self.problems.warnings)
                    .push(Diagnostic::at_line(self.file, line, column, message));
            }
        }
        // Notes nothing refers to, after those it does.
        for (key, ..) in &named {
            let next = numbers.len() + 1;
            numbers.entry(key.clone()).or_insert(next);
        }
        // Then the events, each copied or replaced by one, so that nothing
        // moves: positions in the body (the dek's) stay where they are.
        let mut named = named.into_iter();
        let mut out = Vec::with_capacity(events.len());
        // Of the definition being copied, where it links back to (none for
        // a second note of a label), and where in `out` its last paragraph
        // ends.
        let mut open: Option<(Option<String>, Option<usize>)> = None;
        let mut note_start = None;
        for event in events {
            match event {
                Event::FootnoteReference(_) => {
                    let Some((key, id, first, _)) = named.next() else {
                        continue;
                    };
                    let number = numbers[&key];
                    let first =
                        first.map_or(String::new(), |back| format!(" id=\"{}\"", escape(&back)));
                    let name = self
                        .cx
                        .words
                        .fill("footnote", &[("number", &number.to_string())]);
                    out.push(Event::InlineHtml(
                        format!(
                            "<sup class=\"footnote-reference\"{first}><a href=\"#{}\" aria-label=\"{}\">{number}</a></sup>",
                            escape(&id),
                            escape(&name)
                        )
                        .into(),
                    ));
                }
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    let Some((key, id, _, again)) = named.next() else {
                        continue;
                    };
                    let number = numbers[&key];
                    // A second note of a label: nothing refers to it.
                    let back = first_refs.get(&key).filter(|_| !again).cloned();
                    out.push(Event::Html(
                        format!(
                            "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{number}</sup>\n",
                            escape(&id)
                        )
                        .into(),
                    ));
                    open = Some((back, None));
                    note_start = Some(out.len() - 1);
                }
                Event::End(TagEnd::Paragraph) if open.is_some() => {
                    if let Some((_, end)) = &mut open {
                        *end = Some(out.len());
                    }
                    out.push(event);
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    let back = open.take().and_then(|(back, end)| Some((back?, end)));
                    match back {
                        None => out.push(Event::Html("</div>\n".into())),
                        Some((back, end)) => {
                            let text = escape(self.cx.words.get("back_to_text"));
                            let link = format!(
                                " <a href=\"#{back}\" class=\"footnote-back\" aria-label=\"{text}\">\u{21a9}\u{fe0e}</a>"
                            );
                            // At the end of the note's text: its last
                            // paragraph when nothing comes after it (a
                            // list, code), else after all of it.
                            match end.filter(|&at| at + 1 == out.len()) {
                                Some(at) => {
                                    out[at] = Event::Html(format!("{link}</p>\n").into());
                                    out.push(Event::Html("</div>\n".into()));
                                }
                                None => out.push(Event::Html(format!("{link}</div>\n").into())),
                            }
                        }
                    }
                    if let Some(start) = note_start.take() {
                        self.notes.push(start..out.len());
                    }
                }
                event => out.push(event),
            }
        }
        self.events = out;
    }

    /// `@/business/story.md#part` -> the article's URL; none for a page
    /// this build does not publish, whose address must not be given away
    /// before its time (an embargoed story's, in a feed that cannot be
    /// recalled).
    fn resolve(&mut self, dest: &str, offset: usize) -> Option<CowStr<'a>> {
        let (target, fragment) = match dest[2..].split_once('#') {
            Some((t, f)) => (t, Some(f)),
            None => (&dest[2..], None),
        };
        let (line, column) = self.place(offset);
        let at = |message: String| Diagnostic::at_line(self.file, line, column, message);
        let found = crate::content::find_link(self.cx.links, self.cx.spellings, target);
        let Some((target, found)) = found else {
            if crate::content::unread(self.cx.broken, target) {
                return Some(CowStr::from(dest.to_string()));
            }
            let message = format!(
                "the link `{dest}` names no article or page: expected a path under content/, like `@/business/some-story.md`{}",
                self.meant(target)
            );
            self.problems.errors.push(at(message));
            return Some(CowStr::from(dest.to_string()));
        };
        if !found.published {
            let message = format!(
                "the link `{dest}` points to a draft or a scheduled article, which this build \
                 does not publish: its text is shown without the link until a build publishes it"
            );
            self.problems.warnings.push(at(message));
            return None;
        }
        let mut url = self.cx.base_url.url(&found.path);
        if let Some(f) = fragment {
            url.push('#');
            url.push_str(f);
            self.anchor(Some(target), dest, f, offset);
        }
        Some(CowStr::from(url))
    }

    /// What a link to no article or page may have meant: a section's page,
    /// linked by its address; the file of that name in another folder
    /// (a story moved); a name a slip or two away.
    fn meant(&self, target: &str) -> String {
        if let Some(section) = target.strip_suffix("/_index.md") {
            let has_stories = (self.cx.links.keys()).any(|k| k.split('/').next() == Some(section));
            if has_stories {
                let address = format!("/{}/", self.cx.slugs.slugify(section));
                return format!(
                    "; `@/` names articles and standalone pages: link a section's page by its \
                     address, {}",
                    self.cx.base_url.url(&address)
                );
            }
        }
        let known = || self.cx.links.keys().map(String::as_str);
        let moved = known().find(|k| own_name(k) == own_name(target) && *k != target);
        match moved.or_else(|| crate::diagnostic::did_you_mean(target, known())) {
            // A path with spaces is a link only in angle brackets.
            Some(meant) if meant.contains(' ') => format!("; did you mean `<@/{meant}>`?"),
            Some(meant) => format!("; did you mean `@/{meant}`?"),
            None => String::new(),
        }
    }

    /// Note a link to the part `fragment` of a page, to check once every
    /// page's ids are known. An empty fragment is the page's top.
    fn anchor(&mut self, target: Option<&str>, written: &str, fragment: &str, offset: usize) {
        if fragment.is_empty() {
            return;
        }
        let (line, column) = self.place(offset);
        let id = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        self.anchors.push(Anchor {
            target: target.map(Box::from),
            written: Box::from(written),
            id: Box::from(id.as_ref()),
            line,
            column,
        });
    }

    /// The size of the site's picture written as `written`, if its file
    /// is one whose size can be read.
    fn size_of(&self, written: &str) -> Option<Size> {
        let base_url = self.cx.base_url;
        let path = crate::pictures::site_path(&base_url.url(self.page), written)?;
        let base_path = base_url.url("/");
        let path = path.strip_prefix(base_path.trim_end_matches('/'))?;
        self.cx.pictures.size(path)
    }

    /// Count the words of a piece of the text.
    fn count(&mut self, text: &str) {
        let (words, dense) = count_text(text);
        self.words += words;
        self.dense += dense;
    }

    /// The line and column in the file of `offset` into the body.
    fn place(&self, offset: usize) -> (usize, usize) {
        let (line, column) = line_col(&self.body.markdown, offset);
        (self.body.first_line + line - 1, column)
    }

    fn finish(mut self, dek: Dek) -> Rendered {
        // Read before the footnotes become HTML, which hides them.
        let opening = match self.first_paragraph {
            Some((_, Some(_))) => None,
            _ => Some(opening_words(&self.events, OPENING_WORDS)),
        };
        self.name_footnotes();
        if self.tables.len() > 1 {
            for (n, &at) in self.tables.iter().enumerate() {
                self.events[at] = Event::Html(table_open(self.cx.words, Some(n + 1)).into());
            }
        }
        let mut content = self.events;
        // Characters of scripts written without spaces, a quarter word
        // each unit (see `count_text`), rounded.
        let words = self.words + (self.dense + 2) / 4;
        let cut = match (dek, self.more_at, self.first_paragraph) {
            (Dek::FromBody, Some(at), _) => Some(0..at),
            // Lifted above the body only from its start: a paragraph after
            // a heading, a list, code or a block of HTML stays where it is.
            (Dek::FromBody, None, Some((start, Some(end))))
                if self.starts_with_paragraph == Some(true) =>
            {
                Some(start..end)
            }
            _ => None,
        };
        let (dek_html, dek_text) = match (dek, cut) {
            (Dek::Given(s), _) => (paragraph(s.trim()), s.trim().to_string()),
            (_, Some(range)) => {
                // Notes written above `<!-- more -->` stay in the body.
                let start = range.start;
                let (notes, taken): (Vec<_>, Vec<_>) = (content.drain(range).enumerate())
                    .partition(|(k, _)| self.notes.iter().any(|n| n.contains(&(start + k))));
                let taken: Vec<Event> = taken.into_iter().map(|(_, e)| e).collect();
                content.splice(start..start, notes.into_iter().map(|(_, e)| e));
                (to_html(&taken, &self.sizes), plain_text(&taken))
            }
            (_, None) => {
                // With no paragraph at all (a story told as a list), its
                // opening words, so cards and feeds do not show nothing.
                let first = match self.first_paragraph {
                    Some((start, Some(end))) => plain_text(&content[start..end]),
                    _ => opening.unwrap_or_default(),
                };
                (String::new(), first)
            }
        };
        let content_html = match self.summary {
            true => String::new(),
            false => to_html(&content, &self.sizes),
        };
        let clean = |html: String| match self.cx.sanitizer {
            Some(s) => s.clean(&html).to_string(),
            None => html,
        };
        Rendered {
            dek_html: clean(dek_html),
            // Read by templates and JSON as text: without what no page
            // shows (copied only if there was any).
            dek_text: match xml_safe(&dek_text) {
                Cow::Borrowed(_) => dek_text,
                Cow::Owned(safe) => safe,
            },
            content_html: clean(content_html),
            words,
            ids: {
                let mut ids = self.ids;
                ids.append(&mut self.html_ids);
                let ids: Vec<String> = ids.into_iter().filter(|id| !id.contains('\n')).collect();
                ids.join("\n").into()
            },
            anchors: self.anchors.into(),
            pictures: self.pictures.into(),
            site_links: self.site_links.into(),
        }
    }
}

/// A link or picture whose address has a `%` that starts no escape
/// (`<100%.png>`), with it escaped (`100%25.png`): as written, servers
/// refuse the address (nginx answers 400) and browsers guess.
fn with_percent_escaped(event: Event) -> Event {
    // A `%` at `at` of `url` not followed by two hexadecimal digits.
    let lone_at = |url: &str, at: usize| {
        let hex = |i: usize| url.as_bytes().get(i).is_some_and(u8::is_ascii_hexdigit);
        url.as_bytes()[at] == b'%' && !(hex(at + 1) && hex(at + 2))
    };
    let lone = |url: &str| (0..url.len()).any(|at| lone_at(url, at));
    let escaped = |url: &str| {
        let mut out = String::with_capacity(url.len() + 2);
        for (at, c) in url.char_indices() {
            out.push(c);
            if lone_at(url, at) {
                out.push_str("25");
            }
        }
        CowStr::from(out)
    };
    let mut event = event;
    if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut event {
        if lone(dest_url) {
            *dest_url = escaped(dest_url);
        }
    }
    event
}

/// Whether a picture's address names a file of the site (`chart.png`,
/// `../pier/a.png`, `/img/a.png`), not another host's or data.
pub fn is_own_file(address: &str) -> bool {
    let address = address.trim();
    !(address.is_empty()
        || address.starts_with("//")
        || address.starts_with('#')
        || address.starts_with('?')
        || url::Url::parse(address).is_ok())
}

/// A story's own name in its content path: its file's, or a bundle's
/// folder's (`harbour/index.md`).
fn own_name(path: &str) -> Option<(&str, bool)> {
    let mut parts = path.rsplit('/');
    match parts.next() {
        Some("index.md") => parts.next().map(|folder| (folder, true)),
        name => name.map(|name| (name, false)),
    }
}

/// Whether a paragraph's events have text of their own: words outside an
/// image's text alternative.
fn has_own_text(events: &[Event]) -> bool {
    let mut in_image = 0usize;
    events.iter().any(|event| match event {
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            false
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            false
        }
        Event::Text(t) | Event::Code(t) => in_image == 0 && !t.trim().is_empty(),
        _ => false,
    })
}

/// Whether a paragraph is a photo (linked or not) with its caption or
/// credit after it in italics or bold, on its line or the next:
/// `*Photo: Staff*`. A lede after a picture (`![x](a.png) The mayor
/// said...`) is not one.
fn photo_with_caption(paragraph: &[Event]) -> bool {
    let inner = &paragraph[1..paragraph.len().saturating_sub(1)];
    let linked = matches!(inner.first(), Some(Event::Start(Tag::Link { .. })));
    let mut at = usize::from(linked);
    if !matches!(inner.get(at), Some(Event::Start(Tag::Image { .. }))) {
        return false;
    }
    // Past the picture (and its link).
    let mut depth = 0usize;
    for event in &inner[at..] {
        at += 1;
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    if linked {
        if !matches!(inner.get(at), Some(Event::End(TagEnd::Link))) {
            return false;
        }
        at += 1;
    }
    // Then one span in italics or bold, and nothing else to read.
    let mut spans = 0;
    let mut depth = 0usize;
    for event in &inner[at..] {
        match event {
            Event::Start(Tag::Emphasis | Tag::Strong) if depth == 0 => {
                spans += 1;
                depth = 1;
            }
            Event::Start(_) if depth > 0 => depth += 1,
            Event::End(_) if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            Event::Text(t) if t.trim().is_empty() => {}
            Event::SoftBreak | Event::HardBreak => {}
            _ => return false,
        }
    }
    spans <= 1
}

/// Add the ids raw HTML gives its elements to `ids`, and the names of its
/// `<a name>`s, which a link to a part of a page finds too. An HTML block
/// comes a line at a time, so an attribute may start the text. A comment
/// or text that looks like an attribute counts as well: a link is only
/// ever wrongly let pass, never wrongly warned of.
fn html_ids(html: &str, ids: &mut BTreeSet<String>) {
    let mut from = 0;
    while let Some(at) = html[from..].find('=') {
        let equals = from + at;
        from = equals + 1;
        let before = html[..equals].trim_end_matches(|c: char| c.is_ascii_whitespace());
        let name_at = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |i| i + 1);
        let name = &before[name_at..];
        let starts_attribute =
            name_at == 0 || before[..name_at].ends_with(|c: char| c.is_ascii_whitespace());
        if !starts_attribute
            || !(name.eq_ignore_ascii_case("id") || name.eq_ignore_ascii_case("name"))
        {
            continue;
        }
        let value = html[from..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        let value = match value.chars().next() {
            Some(quote @ ('"' | '\'')) => value[1..].split(quote).next(),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next(),
        };
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            ids.insert(value.to_string());
        }
    }
}

/// The cleaner for `[markdown] sanitize = true`: ammonia's safe defaults
/// (no scripts, event handlers or `javascript:` URLs), keeping the classes,
/// ids and attributes dateline itself writes.
pub fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["class", "id", "tabindex", "role", "aria-label", "data-lang"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .link_rel(None);
    b
}

/// Escape text for HTML content and double- or single-quoted attributes,
/// as every page part does (Markdown, highlighted code, sitemaps and the
/// theme's templates): `/` is left alone, so URLs stay readable.
/// Characters XML forbids are left out ([`xml_safe`]).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, &xml_safe(text));
    out
}

/// `text` as a paragraph of HTML.
pub fn paragraph(text: &str) -> String {
    format!("<p>{}</p>", escape(text))
}

/// [`escape`] into a writer, as Tera's escape function.
pub fn escape_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::IoWriter(out), &xml_safe(text))
}

/// Whether block HTML is the line that ends a dek: `<!-- more -->`, also
/// written `<!--more-->` or `<!-- MORE -->`.
fn is_more_marker(html: &str) -> bool {
    comment_text(html).is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}

/// Whether a line of block HTML holds more than comments and white
/// space; `in_comment` says whether a comment is open, before the line
/// and after it (a block gives its lines one by one).
fn shows_something(line: &str, in_comment: &mut bool) -> bool {
    let mut rest = line;
    loop {
        if *in_comment {
            let Some(end) = rest.find("-->") else {
                return false;
            };
            rest = &rest[end + 3..];
            *in_comment = false;
        }
        let text = rest.trim_start();
        if text.is_empty() {
            return false;
        }
        let Some(after) = text.strip_prefix("<!--") else {
            return true;
        };
        rest = after;
        *in_comment = true;
    }
}

/// What a line of block HTML that is one comment says.
fn comment_text(html: &str) -> Option<&str> {
    html.trim().strip_prefix("<!--")?.strip_suffix("-->")
}

fn to_html(events: &[Event], sizes: &[(Box<str>, Size)]) -> String {
    let mut html = String::new();
    match sizes.is_empty() {
        true => pulldown_cmark::html::push_html(&mut html, events.iter().cloned()),
        false => pulldown_cmark::html::push_html(&mut html, sized(events, sizes).into_iter()),
    }
    let html = html.trim_end();
    xml_safe(html).into_owned()
}

/// `events` with each picture whose size is known as one `<img>` that
/// gives it, written as pulldown-cmark writes one otherwise.
fn sized<'e>(events: &[Event<'e>], sizes: &[(Box<str>, Size)]) -> Vec<Event<'e>> {
    use pulldown_cmark_escape::{escape_href, escape_html};
    let mut out = Vec::with_capacity(events.len());
    let mut at = 0;
    while at < events.len() {
        let event = &events[at];
        at += 1;
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = event
        else {
            out.push(event.clone());
            continue;
        };
        let Some(size) = (sizes.iter()).find(|(written, _)| **written == **dest_url) else {
            out.push(event.clone());
            continue;
        };
        // The text inside is the picture's alternative.
        let mut alt = String::new();
        let mut depth = 0usize;
        while let Some(inner) = events.get(at) {
            at += 1;
            match inner {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => alt.push_str(t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        let mut img = String::from("<img src=\"");
        let _ = escape_href(&mut img, dest_url);
        img.push_str("\" alt=\"");
        let _ = escape_html(&mut img, &alt);
        if !title.is_empty() {
            img.push_str("\" title=\"");
            let _ = escape_html(&mut img, title);
        }
        let (width, height) = (size.1.width, size.1.height);
        img.push_str(&format!("\" width=\"{width}\" height=\"{height}\" />"));
        out.push(Event::InlineHtml(img.into()));
    }
    out
}

/// `text` without the characters XML 1.0 forbids, C0 controls other than
/// tab, line feed and carriage return, and U+FFFE and U+FFFF, nor those
/// HTML forbids besides, DEL and the C1 controls (U+007F to U+009F). One
/// of them (a vertical tab pasted from a word processor, `\u000B` in
/// front matter) makes a feed or sitemap unreadable, and is a parse error
/// in a page; none of them shows.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    // One pass without branches over the bytes, for any byte that can
    // start one (0xEF leads U+F000 to U+FFFF) and for the C1 controls
    // exactly (0xC2 then 0x80 to 0x9F: not a no-break space or `·`, which
    // pages are full of); then the exact check.
    let (suspect, _) = text.bytes().fold((false, 0u8), |(found, before), b| {
        let c1 = (before == 0xC2) & (b < 0xA0);
        let c0 = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
        (found | c0 | c1 | (b == 0x7F) | (b == 0xEF), b)
    });
    let allowed = |c: char| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}');
    if !suspect || text.chars().all(allowed) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
}

/// How many words `text` has, as `split_whitespace` counts them.
#[cfg(test)]
fn count_words(text: &str) -> usize {
    count_text(text).0
}

/// How many words `text` has, as `split_whitespace` counts them (runs
/// between Unicode whitespace), and in quarter words, how much of it is in
/// scripts written without spaces: a Chinese or Japanese character is half
/// a word (readers take in about twice as many of them a minute as English
/// words), a Thai, Lao, Khmer or Myanmar character a quarter. Such a
/// character ends a word as a space does. The count runs over every word of
/// every article, so ASCII text is taken eight bytes at a time; other
/// characters one by one, as `char::is_whitespace` sees them.
fn count_text(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut at, mut words, mut after_space) = (0, 0, true);
    let mut dense = 0;
    while at < bytes.len() {
        while let Some(chunk) = bytes.get(at..at + 8) {
            let eight = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if eight & HIGH_BITS != 0 {
                break;
            }
            let spaces = ascii_spaces(eight);
            // Byte k follows byte k - 1; the first follows the last chunk.
            let before = (spaces << 8) | if after_space { 0x80 } else { 0 };
            // Word starts, one top bit each; the multiplication adds the
            // eight bytes' 0s and 1s into the top byte (no popcount
            // instruction is assumed).
            let starts = (!spaces & before & HIGH_BITS) >> 7;
            words += (starts.wrapping_mul(EACH_BYTE) >> 56) as usize;
            after_space = spaces & (0x80 << 56) != 0;
            at += 8;
        }
        // Not ASCII, or the last few bytes: one character.
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        let quarters = match c {
            // CJK punctuation (`、` `。` `「`) and full-width punctuation
            // (`，` `！`) part words as a space does.
            '\u{3000}'..='\u{303f}'
            | '\u{ff01}'..='\u{ff0f}'
            | '\u{ff1a}'..='\u{ff20}'
            | '\u{ff3b}'..='\u{ff40}'
            | '\u{ff5b}'..='\u{ff65}' => {
                after_space = true;
                continue;
            }
            // Han and kana.
            '\u{3040}'..='\u{30ff}'
            | '\u{3400}'..='\u{4dbf}'
            | '\u{4e00}'..='\u{9fff}'
            | '\u{f900}'..='\u{faff}'
            | '\u{20000}'..='\u{3134f}' => 2,
            // Thai, Lao, Myanmar, Khmer.
            '\u{e00}'..='\u{eff}' | '\u{1000}'..='\u{109f}' | '\u{1780}'..='\u{17ff}' => 1,
            _ => 0,
        };
        if quarters > 0 {
            dense += quarters;
            after_space = true;
            continue;
        }
        let space = c.is_whitespace();
        words += usize::from(!space && after_space);
        after_space = space;
    }
    (words, dense)
}

/// Every byte's top bit.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
/// 1 in every byte.
const EACH_BYTE: u64 = 0x0101_0101_0101_0101;

/// For eight ASCII bytes, the top bit of each byte that is whitespace to
/// `char::is_whitespace`: a space, or `\t`, `\n`, vertical tab, form feed,
/// `\r` (9 to 13). Bytes below 128 leave no carry into their neighbours.
fn ascii_spaces(eight: u64) -> u64 {
    let xor_space = eight ^ (b' ' as u64 * EACH_BYTE);
    let is_space = !((xor_space + 0x7f * EACH_BYTE) | xor_space);
    let from_9 = eight + (0x80 - 9) * EACH_BYTE;
    let from_14 = eight + (0x80 - 14) * EACH_BYTE;
    (is_space | (from_9 & !from_14)) & HIGH_BITS
}

/// The words of a run of events, spaces normalised.
/// How many words of a story with no paragraph stand for its dek, and
/// at most how many characters.
const OPENING_WORDS: usize = 40;
const OPENING_CHARS: usize = 240;

/// The first `most` words of the text outside headings, code, pictures
/// and footnotes, and `…` where the text goes on.
fn opening_words(events: &[Event], most: usize) -> String {
    let mut text = String::new();
    let mut aside = 0usize;
    for e in events {
        match e {
            Event::Start(
                Tag::Heading { .. }
                | Tag::CodeBlock(_)
                | Tag::Image { .. }
                | Tag::FootnoteDefinition(_),
            ) => aside += 1,
            Event::End(
                TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Image | TagEnd::FootnoteDefinition,
            ) => aside = aside.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if aside == 0 => text.push_str(t),
            // Between blocks, not inside a word (`**Power**ful`).
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::DefinitionListDefinition,
            ) => text.push(' '),
            _ => {}
        }
    }
    let mut words = text.split_whitespace();
    let mut opening = words.by_ref().take(most).collect::<Vec<_>>().join(" ");
    let mut more = words.next().is_some();
    // A language written without spaces (Chinese, Japanese) has few
    // "words": at most as many characters as 40 English words have.
    if let Some((at, _)) = opening.char_indices().nth(OPENING_CHARS) {
        opening.truncate(at);
        more = true;
    }
    if more {
        opening.push('…');
    }
    opening
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tand\nnewline\r\nand\x0bvertical\x0cfeed",
            "caf\u{e9} au lait",
            "no\u{a0}break\u{3000}ideographic\u{2003}em",
            "x",
            "\u{85}next line",
            "Malm\u{f6} and Asunci\u{f3}n,\u{2009}thin\u{202f}space\u{1680}ogham\u{2028}",
            "\u{e9}\u{e9} \u{1f600}\u{1f600}  end\u{a0}",
            "eight ch",
            "sixteen  bytes!!",
            "seven\u{a0}a long ASCII run after the no-break space, then more\u{3000}",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn words_are_counted_right_at_every_place_in_an_eight_byte_run() {
        // Every byte value below 128 and a few others, at every offset of
        // a run long enough for two chunks and a tail.
        let pieces: Vec<String> = (0u8..128)
            .map(|b| char::from(b).to_string())
            .chain(["\u{a0}", "\u{e9}", "\u{2003}", "\u{1f600}"].map(String::from))
            .collect();
        for piece in &pieces {
            for at in 0..20 {
                for fill in ["a", " ", "\t"] {
                    let mut text = fill.repeat(20);
                    text.replace_range(at..at + 1, piece);
                    assert_eq!(
                        count_words(&text),
                        text.split_whitespace().count(),
                        "{text:?}"
                    );
                }
            }
        }
    }

    fn render_md(md: &str, summary: Option<&str>) -> (Rendered, Problems) {
        render_dek(md, summary.map_or(Dek::FromBody, Dek::Given))
    }

    fn render_dek(md: &str, dek: Dek) -> (Rendered, Problems) {
        let mut links = BTreeMap::new();
        links.insert(
            "business/deal.md".to_string(),
            LinkTarget {
                path: "/business/deal/".into(),
                published: true,
            },
        );
        let base_url = BaseUrl::parse("https://example.com/news/").unwrap();
        let highlighter = Highlighter::default();
        let broken = BTreeSet::new();
        let theme_ids = BTreeSet::from(["main".to_string(), "fn-b".to_string()]);
        let words = Words::english();
        let pictures = crate::pictures::Files::default();
        let spellings = std::sync::OnceLock::new();
        let cx = Context {
            links: &links,
            spellings: &spellings,
            broken: &broken,
            base_url: &base_url,
            highlighter: &highlighter,
            sanitizer: None,
            theme_ids: &theme_ids,
            words: &words,
            slugs: crate::slug::Slugs::Ascii,
            pictures: &pictures,
        };
        let body = Body {
            markdown: md.to_string(),
            first_line: 5,
            ..Body::default()
        };
        let mut problems = Problems::default();
        let r = render(
            Path::new("content/a.md"),
            "/a/",
            &body,
            dek,
            &cx,
            &mut problems,
        );
        (r, problems)
    }

    #[test]
    fn first_paragraph_becomes_the_dek_and_leaves_the_body() {
        let (r, _) = render_md("First *para*.\n\nSecond para.\n", None);
        assert_eq!(r.dek_html, "<p>First <em>para</em>.</p>");
        assert_eq!(r.dek_text, "First para.");
        assert_eq!(r.content_html, "<p>Second para.</p>");
    }

    #[test]
    fn pages_keep_their_first_paragraph() {
        let (r, _) = render_dek("First para.\n\nSecond.\n", Dek::None);
        assert_eq!(r.dek_html, "");
        assert_eq!(r.dek_text, "First para.");
        assert_eq!(r.content_html, "<p>First para.</p>\n<p>Second.</p>");
    }

    #[test]
    fn more_marker_cuts_the_dek() {
        let (r, _) = render_md("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n", None);
        assert_eq!(r.dek_html, "<p>One.</p>\n<p>Two.</p>");
        assert_eq!(r.content_html, "<p>Three.</p>");
    }

    /// A comment shows nothing: the paragraph after it starts the story.
    #[test]
    fn a_comment_before_the_first_paragraph_leaves_it_the_dek() {
        for comment in [
            "<!-- photo TK -->",
            "<!--\nphoto TK\n-->",
            "<!-- a --> <!-- b -->",
        ] {
            let (r, _) = render_md(&format!("{comment}\n\nLede para.\n\nMore.\n"), None);
            assert_eq!(r.dek_html, "<p>Lede para.</p>", "{comment}");
            assert!(r.content_html.contains("<p>More.</p>"), "{comment}");
        }
    }

    #[test]
    fn the_more_marker_may_be_written_without_spaces_or_in_capitals() {
        for marker in ["<!--more-->", "<!-- MORE -->", "<!--  More-->"] {
            let (r, _) = render_md(&format!("One.\n\nTwo.\n\n{marker}\n\nThree.\n"), None);
            assert_eq!(r.dek_html, "<p>One.</p>\n<p>Two.</p>", "{marker}");
            assert_eq!(r.content_html, "<p>Three.</p>", "{marker}");
        }
        // Another comment is the writer's own.
        let (r, _) = render_md("One.\n\n<!-- more to come -->\n\nTwo.\n", None);
        assert_eq!(r.dek_html, "<p>One.</p>");
        assert!(r.content_html.contains("<!-- more to come -->"));
    }

    #[test]
    fn a_story_with_no_paragraph_is_summed_up_by_its_opening_words() {
        let list = "## Live\n\n![Crews](crews.jpg)\n\n- Power is out on the east side.\n- Crews expect to finish by noon.\n\n```\ncode\n```\n";
        let (r, _) = render_md(list, None);
        assert_eq!(
            r.dek_text,
            "Power is out on the east side. Crews expect to finish by noon."
        );
        assert!(r.dek_html.is_empty(), "nothing is lifted from the body");
        let long = (1..=50).map(|n| format!("- w{n}\n")).collect::<String>();
        let (r, _) = render_md(&long, None);
        let words: Vec<&str> = r.dek_text.split(' ').collect();
        assert_eq!(words.len(), OPENING_WORDS);
        assert_eq!(words.last(), Some(&"w40…"));
        assert_eq!(render_md("", None).0.dek_text, "");
        // A note's text is aside, and formatting splits no word.
        let (r, _) = render_md(
            "- **Power**ful crews are out.[^1]\n\n[^1]: Per the utility.\n",
            None,
        );
        assert_eq!(r.dek_text, "Powerful crews are out.");
        // Text without spaces is cut by its characters.
        let (r, _) = render_md(&format!("- {}\n", "停电".repeat(200)), None);
        assert_eq!(r.dek_text.chars().count(), OPENING_CHARS + 1);
        assert!(r.dek_text.ends_with("电…"), "{}", r.dek_text);
    }

    /// A paragraph after a heading, a list or a rule is not lifted above
    /// them: the story keeps its order, and the paragraph still describes
    /// it.
    #[test]
    fn a_first_paragraph_after_other_blocks_stays_in_place() {
        for md in [
            "## Heading first\n\n",
            "- a list\n\n",
            "---\n\n",
            "<figure></figure>\n\n",
            "```\nlet x = 1;\n```\n\n",
            "    indented code\n\n",
            "<!-- photo TK -->\n<figure></figure>\n\n",
        ] {
            let (r, _) = render_md(&format!("{md}Para one.\n\nPara two.\n"), None);
            assert_eq!(r.dek_html, "", "{md}");
            assert_eq!(r.dek_text, "Para one.", "{md}");
            assert!(
                r.content_html
                    .contains("<p>Para one.</p>\n<p>Para two.</p>"),
                "{md}"
            );
        }
    }

    #[test]
    fn a_heading_gets_one_id_whatever_its_attributes_say() {
        let (r, _) = render_md("Intro.\n\n## A {#custom id class=x .wide}\n", None);
        assert_eq!(r.content_html, "<h2 id=\"custom\" class=\"wide x\">A</h2>");
    }

    #[test]
    fn summary_wins_and_body_stays_whole() {
        let (r, _) = render_md("Body text.\n", Some("A <short> dek"));
        assert_eq!(r.dek_html, "<p>A &lt;short&gt; dek</p>");
        assert_eq!(r.content_html, "<p>Body text.</p>");
    }

    #[test]
    fn headings_and_footnotes_keep_clear_of_each_other_and_the_theme() {
        // The theme of `render_dek` writes `main` and `fn-b` itself.
        let md = "Intro.\n\nA[^a], b[^B] and c[^a b].\n\n## Main\n\n## a\n\n## fn-a\n\n\
                  [^a]: One.\n[^b]: Two.\n[^a b]: Three.\n";
        let (r, _) = render_md(md, None);
        let html = &r.content_html;
        for id in ["main-2", "a", "fn-a", "fn-a-2", "fn-b-2", "fn-a-b"] {
            assert_eq!(
                html.matches(&format!("id=\"{id}\"")).count(),
                1,
                "{id}: {html}"
            );
        }
        // A reference and its note share the id, whatever the label's case.
        for id in ["fn-a-2", "fn-b-2", "fn-a-b"] {
            assert!(html.contains(&format!("href=\"#{id}\"")), "{id}: {html}");
        }
        assert!(!html.contains("id=\"main\""), "{html}");
        assert!(!html.contains("id=\"fn-b\""), "{html}");
        // Labels fold as pulldown-cmark folds them; a second definition of
        // one gets an id of its own; an id asked for and taken is a warning.
        let md = "Intro.\n\nX[^STRASSE].\n\n## Main {#main}\n\n[^Straße]: One.\n[^straße]: Two.\n";
        let (r, problems) = render_md(md, None);
        let html = &r.content_html;
        assert!(html.contains("href=\"#fn-strasse\""), "{html}");
        for id in ["fn-strasse", "fn-strasse-2", "main-2"] {
            assert_eq!(
                html.matches(&format!("id=\"{id}\"")).count(),
                1,
                "{id}: {html}"
            );
        }
        let warned: Vec<String> = problems.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            warned,
            [
                "content/a.md:9:1: the heading's id `main` is already taken on the page (by the \
              theme or another heading), so it is `main-2`; choose another to link to it",
                "content/a.md:12:1: the note `[^straße]` is written a second time: references \
                 lead to the first, so this one is shown with nothing pointing to it; give it a \
                 label of its own"
            ]
        );
    }

    #[test]
    fn headings_get_unique_ids() {
        let (r, _) = render_md(
            "Intro.\n\n## The Deal\n\n## The Deal\n\n## Custom {#mine}\n",
            None,
        );
        assert!(
            r.content_html.contains("<h2 id=\"the-deal\">The Deal</h2>"),
            "{}",
            r.content_html
        );
        assert!(r.content_html.contains("<h2 id=\"the-deal-2\">"));
        assert!(r.content_html.contains("<h2 id=\"mine\">Custom</h2>"));
    }

    #[test]
    fn a_percent_sign_that_starts_no_escape_is_escaped() {
        let (r, _) = render_md(
            "Intro.\n\n![p](<100%.png>) [a](/x%2Fy%zz) [b](%E2%82%AC) [c](<a%é%>)\n",
            None,
        );
        for written in [
            "src=\"100%25.png\"",
            "href=\"/x%2Fy%25zz\"",
            "href=\"%E2%82%AC\"",
            "href=\"a%25%C3%A9%25\"",
        ] {
            assert!(
                r.content_html.contains(written),
                "{written} in {}",
                r.content_html
            );
        }
    }

    #[test]
    fn content_links_resolve_with_the_base_path() {
        let (r, p) = render_md(
            "Intro.\n\nSee [the deal](@/business/deal.md#terms).\n",
            None,
        );
        assert!(p.errors.is_empty());
        assert!(
            r.content_html
                .contains("href=\"/news/business/deal/#terms\""),
            "{}",
            r.content_html
        );
    }

    #[test]
    fn links_to_parts_of_pages_are_noted_with_the_ids_the_body_has() {
        let (r, p) = render_md(
            "Intro.\n\n## The terms\n\nSee [the deal](@/business/deal.md#caf%C3%A9), \
             [above](#the-terms), [the top](#) and [the deal](@/business/deal.md#).\n\n\
             <div id=\"chart\" class=x><a NAME='old-anchor'></a></div>\n\n\
             Text <span data-id=\"no\" id = plain>x</span>.[^1]\n\n[^1]: A note.\n",
            None,
        );
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let ids: Vec<&str> = r.ids().collect();
        assert_eq!(
            ids,
            [
                "chart",
                "fn-1",
                "fnref-1",
                "old-anchor",
                "plain",
                "the-terms"
            ]
        );
        assert!(r.has_id("chart") && !r.has_id("no") && !r.has_id("main"));
        let anchors: Vec<_> = r
            .anchors
            .iter()
            .map(|a| (a.target.as_deref(), &*a.written, &*a.id, a.line, a.column))
            .collect();
        assert_eq!(
            anchors,
            [
                (
                    Some("business/deal.md"),
                    "@/business/deal.md#caf%C3%A9",
                    "café",
                    9,
                    5
                ),
                (None, "#the-terms", "the-terms", 9, 47),
            ]
        );
    }

    #[test]
    fn an_image_cannot_be_an_at_link() {
        let (_, p) = render_md("Intro.\n\nSee ![chart](@/business/deal.md).\n", None);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].position, Some((7, 5)));
        assert!(
            p.errors[0].message.contains("is an `@/` link"),
            "{}",
            p.errors[0].message
        );
    }

    #[test]
    fn a_link_to_no_article_says_what_was_meant() {
        let said = |md: &str| render_md(md, None).1.errors[0].message.clone();
        // Moved to another folder.
        assert!(said("Intro.\n\nA [x](@/city/deal.md).\n")
            .ends_with("; did you mean `@/business/deal.md`?"));
        // A slip.
        assert!(said("Intro.\n\nA [x](@/business/dael.md).\n")
            .ends_with("; did you mean `@/business/deal.md`?"));
        // A section's page.
        assert!(said("Intro.\n\nA [x](@/business/_index.md).\n").ends_with(
            "; `@/` names articles and standalone pages: link a section's page by its address, /news/business/"
        ));
        // A section with no stories: no address to give.
        assert!(said("Intro.\n\nA [x](@/nope/_index.md).\n")
            .ends_with("like `@/business/some-story.md`"));
        // Nothing near.
        assert!(said("Intro.\n\nA [x](@/nope.md).\n").ends_with("like `@/business/some-story.md`"));
    }

    #[test]
    fn missing_link_target_names_line_and_column() {
        let (_, p) = render_md("Intro.\n\nSee [x](@/nope.md).\n", None);
        let d = &p.errors[0];
        // Body line 3 is file line 7 (the body starts on line 5).
        assert_eq!(d.position, Some((7, 5)));
        assert!(
            d.message.contains("`@/nope.md` names no article"),
            "{}",
            d.message
        );
    }

    #[test]
    fn xml_safe_leaves_out_controls_and_keeps_latin_1() {
        assert_eq!(xml_safe("a\u{b}b\u{7f}c\u{85}d\u{9f}e\u{ffff}"), "abcde");
        assert_eq!(
            xml_safe("5\u{a0}°C · «x» \u{a0}\u{85}"),
            "5\u{a0}°C · «x» \u{a0}"
        );
    }

    #[test]
    fn text_without_spaces_is_counted_by_its_characters() {
        // 1,110 Japanese characters, of them 111 full stops, which count
        // for nothing: 555 words, 3 minutes.
        let (r, _) = render_md(&format!("{}\n", "日本語の記事でした。".repeat(111)), None);
        assert_eq!(r.words, (999 * 2 + 2) / 4);
        assert_eq!(r.reading_time(), 3);
        // Chinese punctuation, full-width or not, is no word.
        for text in ["一二三四。", "一二，三四。", "「一二」三四！"] {
            assert_eq!(render_md(&format!("{text}\n"), None).0.words, 2, "{text}");
        }
        // Thai, a quarter word a character; English words around both.
        let (r, _) = render_md("Bangkok ข่าวประจำวัน news 東京 today\n", None);
        // 3 English words; 12 Thai characters and 2 Han: 16 quarters.
        assert_eq!(r.words, 3 + 4);
    }

    #[test]
    fn reading_time_skips_code_blocks() {
        let prose = "word ".repeat(239);
        let code = "x ".repeat(1000);
        let (r, _) = render_md(&format!("{prose}\n\n```\n{code}\n```\n"), None);
        assert_eq!(r.words, 239);
        assert_eq!(r.reading_time(), 2);
        let (short, _) = render_md("Hi.\n", None);
        assert_eq!(short.reading_time(), 1);
    }

    #[test]
    fn sanitizer_removes_scripts_and_keeps_our_markup() {
        let md = "Intro.\n\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">bad</a>\n\n## Keep {#keep}\n\n```rust\nfn main() {}\n```\n\n- [x] done\n";
        let (r, _) = render_md(md, None);
        let clean = sanitizer().clean(&r.content_html).to_string();
        assert!(
            !clean.contains("<script")
                && !clean.contains("javascript:")
                && !clean.contains("onclick"),
            "{clean}"
        );
        assert!(clean.contains("<h2 id=\"keep\">"), "{clean}");
        assert!(clean.contains("class=\"hl-"), "{clean}");
        assert!(clean.contains("type=\"checkbox\""), "{clean}");
    }

    #[test]
    fn tables_footnotes_tasks_and_smart_quotes() {
        let md = "Intro.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1] and \"quote\" ~~gone~~.\n\n- [x] done\n\n[^1]: The note.\n";
        let (r, _) = render_md(md, None);
        let html = &r.content_html;
        let table_open = table_open(&Words::english(), None);
        assert!(html.contains(&format!("{table_open}<table>")), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
        assert!(html.contains("\u{201c}quote\u{201d}"), "{html}");
        assert!(html.contains("<del>gone</del>"), "{html}");
        assert!(
            html.contains(
                "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\"/>"
            ),
            "{html}"
        );
    }
}
