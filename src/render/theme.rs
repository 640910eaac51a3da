//! The theme: the built-in templates embedded in the binary, with a site's
//! own `templates/<name>` replacing the built-in file of that name.
//!
//! Templates are Tera 2 templates. Their values are shared, not copied: the
//! site's view and each story's card are made into a template value once
//! per build, and every page that shows them holds a reference.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Serialize;
use tera::value::Key;
use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};

use crate::diagnostic::{Diagnostic, Errors};

pub const TEMPLATES_DIR: &str = "templates";

/// The built-in theme, file by file.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    ("card.html", include_str!("../../templates/card.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("section.html", include_str!("../../templates/section.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("page.html", include_str!("../../templates/page.html")),
    (
        "taxonomy_list.html",
        include_str!("../../templates/taxonomy_list.html"),
    ),
    (
        "taxonomy_term.html",
        include_str!("../../templates/taxonomy_term.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("alias.html", include_str!("../../templates/alias.html")),
    ("rss.xml", include_str!("../../templates/rss.xml")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("rss_item.xml", include_str!("../../templates/rss_item.xml")),
    (
        "atom_entry.xml",
        include_str!("../../templates/atom_entry.xml"),
    ),
    ("style.css", include_str!("../../templates/style.css")),
];

const STYLESHEET: &str = "style.css";

/// What follows a built-in template's name where one is said: the
/// templates/ file of that name is not the site's.
const BUILT_IN_MARK: &str = " (built-in)";

pub struct Theme {
    tera: Tera,
    /// Each template's text and where it came from, for messages.
    sources: Sources,
    /// The theme's stylesheet (built-in or the site's own).
    pub stylesheet: String,
    /// What reading `templates/` warned about (links out of the site).
    pub warnings: Vec<Diagnostic>,
    /// For each template, the templates it extends or includes.
    names: BTreeMap<String, BTreeSet<String>>,
    /// The templates that define components, which any template may call.
    components: BTreeSet<String>,
    /// The ids written as they are (`id="main"`) by the templates of the
    /// pages that show Markdown text, and by those they extend or
    /// include and the ones defining components: the Markdown's headings
    /// and footnotes must not take them.
    pub ids: BTreeSet<String>,
}

impl Theme {
    /// A theme with no templates, until one is loaded.
    pub fn empty() -> Theme {
        Theme {
            tera: Tera::default(),
            sources: Sources::default(),
            stylesheet: String::new(),
            warnings: Vec::new(),
            names: BTreeMap::new(),
            components: BTreeSet::new(),
            ids: BTreeSet::new(),
        }
    }

    /// The built-in theme with the overrides found in `root/templates`.
    pub fn load(root: &Path) -> Result<Theme, Errors> {
        Theme::load_found(root, crate::walk::files(root, TEMPLATES_DIR, false))
    }

    /// The built-in theme with the overrides `found` (the walk of
    /// `root/templates`) found.
    pub fn load_found(root: &Path, found: crate::walk::Found) -> Result<Theme, Errors> {
        let mut files: BTreeMap<String, (String, PathBuf)> = BUILT_IN
            .iter()
            .map(|(name, text)| {
                let shown = PathBuf::from(format!("{TEMPLATES_DIR}/{name}{BUILT_IN_MARK}"));
                (name.to_string(), (text.to_string(), shown))
            })
            .collect();
        let mut errors = found.problems.errors;
        let mut warnings = found.problems.warnings;
        let mut unread_names = Vec::new();
        // The names of the site's own files in templates/.
        let mut own = BTreeSet::new();
        for rel in &found.files {
            let name = crate::output::slash_path(rel);
            own.insert(name.clone());
            let shown = Path::new(TEMPLATES_DIR).join(rel);
            if !is_template(&name) && name != STYLESHEET {
                // Notes on the theme (a README) are no mistake.
                let lower = name.to_lowercase();
                if !(lower.ends_with(".md") || lower.ends_with(".txt")) {
                    let case = match is_template(&lower) {
                        true => " (in lower case)",
                        false => "",
                    };
                    let message = format!(
                        "is not used: only `.html` and `.xml` files{case} are templates (and \
                         `style.css` the stylesheet); a file to publish as it is, a picture or \
                         a script, belongs in static/"
                    );
                    warnings.push(Diagnostic::new(&shown, message));
                }
                continue;
            }
            let text = std::fs::read(root.join(&shown))
                .map_err(|e| Diagnostic::io(&shown, "read the template", &e))
                .and_then(|bytes| crate::diagnostic::utf8_text(&shown, bytes));
            match text {
                Ok(text) => {
                    // A byte-order mark some editors write is no part of
                    // the page: left in, it came before `<!DOCTYPE html>`
                    // or in the middle of a page including the template.
                    let text = match text.strip_prefix('\u{feff}') {
                        Some(rest) => rest.to_string(),
                        None => text,
                    };
                    files.insert(name, (text, shown));
                }
                Err(e) => {
                    errors.push(e);
                    unread_names.push(name);
                }
            }
        }
        // A template that cannot be read is reported with the others'
        // syntax errors, not alone: the built-in of its name, if any,
        // stands in for it meanwhile.
        let unread = errors;
        let stylesheet = files.remove(STYLESHEET).map(|(t, _)| t).unwrap_or_default();
        let (texts, paths) = files
            .into_iter()
            .map(|(name, (text, shown))| ((name.clone(), text), (name, shown)))
            .unzip();
        let sources = Sources { paths, texts };
        let templates: Vec<(&str, &str)> = sources
            .texts
            .iter()
            .filter(|(name, _)| is_template(name))
            .map(|(name, text)| (name.as_str(), text.as_str()))
            .collect();
        // Found here, not by Tera, which looks for them only once every
        // template parses.
        let tags: Vec<Tags> = templates.iter().map(|(_, text)| Tags::of(text)).collect();
        let missing = missing_templates(&sources, &templates, &tags, &unread_names);
        let mut tera = new_tera();
        if let Err(e) = tera.add_raw_templates(templates.iter().copied()) {
            // Anything but a syntax error (a circle, a template not there)
            // may come of a template not read or named wrong: those are
            // said alone.
            let mut syntax = match (unread.is_empty() && missing.is_empty(), e.kind()) {
                (false, kind) if !matches!(kind, ErrorKind::SyntaxError(_)) => Vec::new(),
                _ => every_syntax_error(&sources, &templates, &e),
            };
            // A block that built-in templates fill and a template of the
            // site's lacks is said at the site's.
            let unfilled = |d: &Diagnostic| {
                d.path.to_string_lossy().ends_with(BUILT_IN_MARK)
                    && d.message.contains("is not defined in any parent template")
            };
            let blocks = match syntax.iter().any(unfilled) {
                true => missing_blocks(&sources, &templates, &tags),
                false => Vec::new(),
            };
            if !blocks.is_empty() {
                syntax.retain(|d| !unfilled(d));
            }
            let all = unread
                .into_iter()
                .chain(syntax)
                .chain(missing)
                .chain(blocks);
            return Err(Errors::new(all.collect()));
        }
        if !unread.is_empty() || !missing.is_empty() {
            return Err(Errors::new(unread.into_iter().chain(missing).collect()));
        }
        let mut names = BTreeMap::new();
        let mut components = BTreeSet::new();
        let mut written = BTreeMap::new();
        for ((name, text), tags) in templates.into_iter().zip(tags) {
            if name.ends_with(".html") {
                written.insert(name, literal_ids(text));
            }
            if !tags.components.is_empty() {
                components.insert(name.to_string());
            }
            names.insert(name.to_string(), tags.named());
        }
        let ids = reached(&names, &components, &super::WITH_MARKDOWN)
            .iter()
            .filter_map(|name| written.get(name.as_str()))
            .flatten()
            .cloned()
            .collect();
        warnings.extend(unused(&sources, &names, &components, &own));
        Ok(Theme {
            tera,
            sources,
            stylesheet,
            warnings,
            names,
            components,
            ids,
        })
    }

    /// The templates that are one of `changed` or use one, directly or
    /// through others. A change to a template that defines components, or
    /// to one such a template includes, may reach any template.
    pub fn users_of(&self, changed: &BTreeSet<String>) -> BTreeSet<String> {
        let mut users = changed.clone();
        loop {
            let more: Vec<String> = self
                .names
                .iter()
                .filter(|(name, named)| !users.contains(*name) && !named.is_disjoint(&users))
                .map(|(name, _)| name.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            users.extend(more);
        }
        // Any template may call a component, and a component's body may
        // include other templates.
        match users.is_disjoint(&self.components) {
            true => users,
            false => self.names.keys().chain(changed).cloned().collect(),
        }
    }

    /// Where template `name` comes from, as messages show it:
    /// `templates/article.html`, or `templates/article.html (built-in)`.
    pub fn own_path(&self, name: &str) -> Option<&Path> {
        self.sources.paths.get(name).map(PathBuf::as_path)
    }

    /// Render `name` with `data` as its context, and `site` as its `site`.
    pub fn render(
        &self,
        name: &str,
        site: &Value,
        data: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        let context = self.context(name, site, data)?;
        self.tera
            .render(name, &context)
            .map_err(|e| self.error(name, &e))
    }

    /// The context of `data` with `site` as its `site`, for template `name`
    /// (which errors name). `site` is made into a value once per build;
    /// each context shares it.
    pub fn context(
        &self,
        name: &str,
        site: &Value,
        data: &impl Serialize,
    ) -> Result<Context, Diagnostic> {
        let mut context = Context::from_serialize(data).map_err(|e| self.error(name, &e))?;
        context.insert_value("site", site.clone());
        Ok(context)
    }

    /// `data` as a value for template `name`'s contexts, to share among
    /// them.
    pub fn value(&self, name: &str, data: &impl Serialize) -> Result<Value, Diagnostic> {
        Value::try_from_serializable(data).map_err(|e| self.error(name, &e))
    }

    /// Render `name` into this thread's page buffer and give the bytes to
    /// `keep` (which writes them out). The buffer lives as long as the
    /// thread, so a page costs no fresh allocation, no growing copies and
    /// no UTF-8 check of its text, which Tera's `render` would make.
    pub fn render_bytes<R>(
        &self,
        name: &str,
        context: &Context,
        keep: impl FnOnce(&[u8]) -> Result<R, Diagnostic>,
    ) -> Result<R, Diagnostic> {
        thread_local! {
            static PAGE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        PAGE.with_borrow_mut(|buf| {
            buf.clear();
            self.tera
                .render_to(name, context, &mut *buf)
                .map_err(|e| self.error(name, &e))?;
            keep(buf)
        })
    }

    /// Tera's error while rendering `name`: a render stops at its first
    /// problem, so there is one.
    fn error(&self, name: &str, err: &tera::Error) -> Diagnostic {
        template_errors(&self.sources, Some(name), err).remove(0)
    }
}

/// `{{ site.words.min_read | fill(minutes=article.reading_time) }}`: the
/// words with each `{name}` given filled in, a string as it is and a
/// number as Tera prints it. A `{name}` of the words left without a value
/// (a name mistyped) is an error, as is a value that is neither.
fn fill(text: &str, kwargs: Kwargs, _: &State) -> tera::TeraResult<Value> {
    let mut values: Vec<(String, String)> = Vec::new();
    for (name, value) in kwargs.iter() {
        let value = match value.as_str() {
            Some(text) => text.to_string(),
            None if value.is_number() => value.to_string(),
            None => {
                return Err(tera::Error::message(format!(
                    "`fill`: `{name}` must be a string or a number, and is of type {}",
                    value.name()
                )))
            }
        };
        values.push((name.to_string(), value));
    }
    let given: Vec<&str> = values.iter().map(|(n, _)| n.as_str()).collect();
    if let Some(left) = crate::words::names(text)
        .into_iter()
        .find(|n| !given.contains(n))
    {
        let given = match given.is_empty() {
            true => "nothing".to_string(),
            false => given
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        return Err(tera::Error::message(format!(
            "`fill`: the words {text:?} have {{{left}}}, which is not given (given: {given}); \
             write `fill({left}=...)`"
        )));
    }
    let values: Vec<(&str, &str)> = values
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    Ok(Value::from(crate::words::fill(text, &values)))
}

/// Tera's `group_by`, with the groups in the order of their first story
/// in the list: Tera's own gives them in an order that changes from run to
/// run, and the same input must give the same bytes.
fn group_by(list: &[Value], kwargs: Kwargs, _: &State) -> tera::TeraResult<Value> {
    let attribute = kwargs.must_get::<&str>("attribute")?;
    let mut groups: IndexMap<Key, Vec<Value>> = IndexMap::new();
    for (i, item) in list.iter().enumerate() {
        let Some(value) = item.get_from_path(attribute) else {
            return Err(tera::Error::message(format!(
                "item {i} of the list (a {}) has no `{attribute}`",
                item.name()
            )));
        };
        let key = if value.is_none() {
            continue;
        } else if let Some(text) = value.as_str() {
            Key::String(text.into())
        } else if let Some(flag) = value.as_bool() {
            Key::Bool(flag)
        } else if let Some(n) = value.as_i64() {
            Key::I64(n)
        } else if let Some(n) = value.as_u64() {
            Key::U64(n)
        } else {
            return Err(tera::Error::message(format!(
                "`{attribute}` of item {i} of the list is a {}, which cannot name a group",
                value.name()
            )));
        };
        groups.entry(key).or_default().push(item.clone());
    }
    let groups: tera::Map = groups
        .into_iter()
        .map(|(key, items)| (key, Value::from(items)))
        .collect();
    Ok(Value::from(groups))
}

/// What a template's tags say about the templates it depends on: those it
/// extends or includes (written as a string), and whether it defines
/// components. Tera keeps its syntax tree to itself, so the tags are read
/// here; the text has already parsed, so every tag is closed.
#[derive(Default)]
struct Tags {
    /// Each `extends` or `include`: its word, the name and where the name
    /// is written, in bytes.
    naming: Vec<(&'static str, String, usize)>,
    /// The names of the components it defines.
    components: Vec<String>,
    /// The names of the blocks it defines.
    blocks: Vec<String>,
}

impl Tags {
    fn of(text: &str) -> Tags {
        let mut tags = Tags::default();
        let mut rest = text;
        while let Some(at) = rest.find('{') {
            let after = &rest[at + 1..];
            let (close, tag) = match after.as_bytes().first() {
                Some(b'#') => ("#}", false),
                Some(b'{') => ("}}", false),
                Some(b'%') => ("%}", true),
                _ => {
                    rest = after;
                    continue;
                }
            };
            let inside = &after[1..];
            // A comment is text: its quotes open no string.
            let end = match close {
                "#}" => inside.find(close),
                _ => closing(inside, close),
            };
            let Some(end) = end else {
                break;
            };
            rest = &inside[end + 2..];
            if !tag {
                continue;
            }
            let (word, args) = keyword(&inside[..end]);
            match word {
                "extends" | "include" => {
                    if let Some(name) = quoted(args) {
                        let word = if word == "extends" {
                            "extends"
                        } else {
                            "include"
                        };
                        let at = args.as_ptr() as usize - text.as_ptr() as usize;
                        tags.naming.push((word, name.to_string(), at));
                    }
                }
                "component" => tags.components.push(keyword(args).0.to_string()),
                "block" => tags.blocks.push(keyword(args).0.to_string()),
                "raw" => {
                    // Everything up to `{% endraw %}` is text.
                    while let Some(at) = rest.find("{%") {
                        let inside = &rest[at + 2..];
                        let end = inside.find("%}").unwrap_or(inside.len());
                        rest = inside.get(end + 2..).unwrap_or("");
                        if keyword(&inside[..end]).0 == "endraw" {
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
        tags
    }
}

impl Tags {
    /// The templates it extends or includes.
    fn named(&self) -> BTreeSet<String> {
        self.naming
            .iter()
            .map(|(_, name, _)| name.clone())
            .collect()
    }
}

/// Where `close` is in `text`, outside quoted strings.
fn closing(text: &str, close: &str) -> Option<usize> {
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        if rest.starts_with(close) {
            return Some(at);
        }
        let c = rest.chars().next()?;
        at += match c {
            '"' | '\'' | '`' => 1 + rest[1..].find(c)? + 1,
            _ => c.len_utf8(),
        };
    }
    None
}

/// A tag's first word and what follows it: `include "nav.html"`,
/// `-include"nav.html"-`.
fn keyword(tag: &str) -> (&str, &str) {
    let tag = tag.trim_matches(|c: char| c == '-' || c.is_whitespace());
    let end = tag
        .find(|c: char| !c.is_alphanumeric() && c != '_')
        .unwrap_or(tag.len());
    (&tag[..end], tag[end..].trim_start())
}

/// The text of a string written in `"`, `'` or `` ` ``, at the start of
/// `text`.
fn quoted(text: &str) -> Option<&str> {
    let quote = text
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inside = &text[1..];
    inside.find(quote).map(|end| &inside[..end])
}

/// The templates `from` and what they extend or include, through any
/// number of steps, with those defining components, which any template
/// may call, and what those include.
fn reached(
    names: &BTreeMap<String, BTreeSet<String>>,
    components: &BTreeSet<String>,
    from: &[&str],
) -> BTreeSet<String> {
    let mut reached: BTreeSet<String> = from.iter().map(|n| n.to_string()).collect();
    reached.extend(components.iter().cloned());
    let mut next: Vec<String> = reached.iter().cloned().collect();
    while let Some(name) = next.pop() {
        for named in names.get(&name).into_iter().flatten() {
            if reached.insert(named.clone()) {
                next.push(named.clone());
            }
        }
    }
    reached
}

/// The values of `id` attributes in a template's text that are written
/// out in full (`id="main"`, `id='main'`, `ID=main`), not made by Tera;
/// those in Tera and HTML comments are never written.
fn literal_ids(text: &str) -> Vec<String> {
    let mut written = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("{#").into_iter().chain(rest.find("<!--")).min() {
        written.push_str(&rest[..at]);
        let close = if rest[at..].starts_with("{#") {
            "#}"
        } else {
            "-->"
        };
        rest = rest[at..]
            .find(close)
            .map_or("", |end| &rest[at + end + close.len()..]);
    }
    written.push_str(rest);
    let lower = written.to_ascii_lowercase();
    lower
        .match_indices("id=")
        .filter_map(|(at, _)| {
            // ` id=`, not `data-id=` or `aria-labelledby=`.
            if !lower[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
                return None;
            }
            let value = &written[at + 3..];
            let value = match value.chars().next()? {
                quote @ ('"' | '\'') => &value[1..value[1..].find(quote)? + 1],
                _ => value
                    .split(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                    .next()?,
            };
            let literal = !value.is_empty() && !value.contains(['{', '}', ' ']);
            literal.then(|| value.to_string())
        })
        .collect()
}

/// A Tera with the settings, filters and escaping of every theme.
fn new_tera() -> Tera {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(crate::markdown::escape_to);
    tera.register_filter("group_by", group_by);
    tera.register_filter("fill", fill);
    tera.register_filter("json_encode", tera_contrib::json::json_encode);
    tera.register_filter("urlencode", tera_contrib::urlencode::urlencode);
    tera.register_filter(
        "urlencode_strict",
        tera_contrib::urlencode::urlencode_strict,
    );
    tera
}

/// The diagnostics of `first`, the error adding `templates` gave, and of
/// every other template that cannot be parsed. Tera stops at the first
/// such template, so the others are found by adding the rest again
/// without it, for as long as that ends in another syntax error. Anything
/// else (a template that extends or includes one left out) may be caused
/// by leaving it out, so it ends the search unsaid.
fn every_syntax_error(
    theme: &Sources,
    templates: &[(&str, &str)],
    first: &tera::Error,
) -> Vec<Diagnostic> {
    let mut diagnostics = template_errors(theme, None, first);
    let broken = |e: &tera::Error| match e.kind() {
        ErrorKind::SyntaxError(report) => Some(report.filename().to_string()),
        _ => None,
    };
    let mut left = templates.to_vec();
    let mut named = broken(first);
    while let Some(name) = named.take() {
        let before = left.len();
        left.retain(|(n, _)| *n != name);
        if left.len() == before {
            break;
        }
        if let Err(e) = new_tera().add_raw_templates(left.iter().copied()) {
            named = broken(&e);
            if named.is_some() {
                diagnostics.extend(template_errors(theme, None, &e));
            }
        }
    }
    diagnostics
}

/// A Tera error as diagnostics naming the template and, where Tera gives
/// them, the line and column: one for each problem Tera found.
fn template_errors(theme: &Sources, rendering: Option<&str>, err: &tera::Error) -> Vec<Diagnostic> {
    let mut chain = Vec::new();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let cause = |message: &str| {
        let mut text = vec![message.to_string()];
        text.extend(chain.iter().cloned());
        in_template_words(&text.join(": "))
    };
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let name = Some(report.filename())
                .filter(|f| !f.is_empty())
                .or(rendering)
                .unwrap_or("?");
            let span = report.span();
            let syntax = matches!(err.kind(), ErrorKind::SyntaxError(_));
            let message = match syntax {
                true => {
                    // Tera says "Unexpected end of input" for a block never
                    // closed and "Unknown tag" for an `end` tag out of
                    // order: say which block.
                    let unbalanced = ["Unexpected end of input", "Unknown tag"]
                        .contains(&report.message().trim())
                        .then(|| theme.texts.get(name).and_then(|t| unclosed_block(t)))
                        .flatten();
                    // Tera's "Unknown tag" is, here, a known one out of
                    // place.
                    let out_of_place = (unbalanced.as_deref()).is_some_and(|h| {
                        h.contains("comes before the end") || h.contains("closes nothing")
                    });
                    let said = match report.message().trim() {
                        "Unknown tag" if out_of_place => "a tag out of place",
                        said => said,
                    };
                    let hint = theme
                        .excerpt(name, span)
                        .and_then(tera1_hint)
                        .map(str::to_string)
                        .or(unbalanced)
                        .or_else(|| unknown_component_hint(theme, report.message()))
                        .or_else(|| unknown_block_hint(theme, report.message()))
                        .map(|hint| format!(" ({hint})"))
                        .unwrap_or_default();
                    format!("could not parse the template: {}{hint}", cause(said))
                }
                false => {
                    let mut hint = component_hint(theme, name, span, report.message());
                    // `a?.b` is nothing for an `a` without `b`, and nothing
                    // cannot be printed.
                    let optional = (theme.excerpt(name, span)).is_some_and(|t| t.contains("?."));
                    if optional && report.message().contains("undefined") {
                        hint.push_str(
                            " (`?.` gives nothing where the field is missing, which cannot be \
                             printed: add `| default(value=\"\")`, or test it with `if`)",
                        );
                    }
                    match theme.excerpt(name, span) {
                        Some(text) => {
                            format!(
                                "could not render `{text}`: {}{hint}",
                                cause(report.message())
                            )
                        }
                        None => format!(
                            "could not render the page: {}{hint}",
                            cause(report.message())
                        ),
                    }
                }
            };
            let line = (span.start_line, span.start_col + 1);
            vec![theme.diagnostic(name, Some(line), message)]
        }
        ErrorKind::CircularInclude { tpl, include_chain } => {
            let start = include_chain.iter().position(|n| n == tpl).unwrap_or(0);
            vec![circle(theme, "include", &include_chain[start..])]
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let chain: Vec<String> = std::iter::once(tpl)
                .chain(inheritance_chain)
                .cloned()
                .collect();
            let start = chain.iter().position(|n| Some(n) == chain.last());
            vec![circle(theme, "extend", &chain[start.unwrap_or(0)..])]
        }
        kind => {
            let text = cause(&kind.to_string());
            let reports = reports(&text);
            if !reports.is_empty() {
                return reports
                    .into_iter()
                    .map(|(name, line, message)| {
                        let hint = unknown_component_hint(theme, &message)
                            .or_else(|| unknown_block_hint(theme, &message))
                            .map(|hint| format!(" ({hint})"))
                            .unwrap_or_default();
                        theme.diagnostic(name, Some(line), format!("{message}{hint}"))
                    })
                    .collect();
            }
            // Otherwise Tera names the template at fault in quotes or
            // backquotes.
            let named = theme
                .paths
                .keys()
                .filter_map(|name| {
                    let quoted = [format!("'{name}'"), format!("`{name}`")];
                    quoted
                        .iter()
                        .filter_map(|q| text.find(q))
                        .min()
                        .map(|at| (at, name))
                })
                .min()
                .map(|(_, name)| name.as_str());
            let name = named.or(rendering).unwrap_or("?");
            vec![theme.diagnostic(name, None, text)]
        }
    }
}

/// Each `extends` and `include` of `templates` naming a template that is
/// not there, at the name (those in `unread` are there, but unreadable).
/// Whether a file of `templates/` is a template.
fn is_template(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".xml")
}

/// The site's templates that no page is made with: not named as a built-in
/// one, and neither extended nor included by one that is, nor defining
/// components. Most often a name mistyped, which leaves the built-in
/// template in use without a word.
fn unused(
    theme: &Sources,
    names: &BTreeMap<String, BTreeSet<String>>,
    components: &BTreeSet<String>,
    own: &BTreeSet<String>,
) -> Vec<Diagnostic> {
    let built_in: Vec<&str> = BUILT_IN.iter().map(|(name, _)| *name).collect();
    let used = reached(names, components, &built_in);
    // A built-in one the site replaces already is not the one meant.
    let free: Vec<&str> = (built_in.iter().copied())
        .filter(|name| !own.contains(*name))
        .collect();
    (names.keys())
        .filter(|name| !used.contains(*name) && !built_in.contains(&name.as_str()))
        .map(|name| {
            let meant = crate::diagnostic::did_you_mean(name, free.iter().copied());
            let hint = match meant {
                Some(meant) => format!(
                    "; to replace the built-in `{meant}`, name it templates/{meant} (names are \
                     matched exactly, case too)"
                ),
                None => String::new(),
            };
            let message = format!(
                "is not used: no built-in template has its name, and no template used extends \
                 or includes it{hint}"
            );
            theme.diagnostic(name, None, message)
        })
        .collect()
}

fn missing_templates(
    theme: &Sources,
    templates: &[(&str, &str)],
    tags: &[Tags],
    unread: &[String],
) -> Vec<Diagnostic> {
    let there =
        |name: &str| templates.iter().any(|(n, _)| *n == name) || unread.iter().any(|n| n == name);
    let mut missing = Vec::new();
    for ((name, text), tags) in templates.iter().zip(tags) {
        for &(word, ref target, at) in &tags.naming {
            if !there(target) {
                let known = templates
                    .iter()
                    .map(|(n, _)| *n)
                    .chain(unread.iter().map(|n| n.as_str()));
                let hint = match crate::diagnostic::did_you_mean(target, known) {
                    Some(meant) => {
                        format!("; did you mean \"{meant}\"? (names are matched exactly, case too)")
                    }
                    None => "; check the name".to_string(),
                };
                let message = format!(
                    "{word}{} \"{target}\", which is neither a built-in template nor a file in \
                     templates/{hint}",
                    if word == "include" { "s" } else { "" }
                );
                let at = crate::diagnostic::line_col(text, at);
                missing.push(theme.diagnostic(name, Some(at), message));
            }
        }
    }
    missing
}

/// Blocks that built-in templates fill and that a template of the site's
/// own which they extend (a `base.html` of its own) does not define: one
/// error at that template for each, naming the templates that fill it,
/// instead of Tera's at each built-in one, which is not the file to fix.
fn missing_blocks(theme: &Sources, templates: &[(&str, &str)], tags: &[Tags]) -> Vec<Diagnostic> {
    let of = |name: &str| templates.iter().position(|(n, _)| *n == name);
    let extended = |at: usize| {
        let mut naming = tags[at].naming.iter();
        naming
            .find(|(word, ..)| *word == "extends")
            .and_then(|(_, name, _)| of(name))
    };
    // Each block missing, at the site's template furthest up, with the
    // built-in templates that fill it.
    let mut missing: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for (at, (name, _)) in templates.iter().enumerate() {
        if theme.is_own(name) {
            continue;
        }
        let mut chain = Vec::new();
        let mut next = extended(at);
        while let Some(up) = next.filter(|up| !chain.contains(up)) {
            chain.push(up);
            next = extended(up);
        }
        let Some(&own) = chain
            .iter()
            .rev()
            .find(|&&up| theme.is_own(templates[up].0))
        else {
            continue;
        };
        let defined = |block: &String| chain.iter().any(|&up| tags[up].blocks.contains(block));
        for block in tags[at].blocks.iter().filter(|b| !defined(b)) {
            missing
                .entry((templates[own].0, block))
                .or_default()
                .push(name);
        }
    }
    missing
        .into_iter()
        .map(|((own, block), fillers)| {
            let message = format!(
                "defines no `{{% block {block} %}}`, which the built-in {} fill{} as {} extend{} \
                 it: add `{{% block {block} %}}{{% endblock {block} %}}` where that content goes",
                fillers.join(", "),
                if fillers.len() == 1 { "s" } else { "" },
                if fillers.len() == 1 { "it" } else { "they" },
                if fillers.len() == 1 { "s" } else { "" },
            );
            theme.diagnostic(own, None, message)
        })
        .collect()
}

/// The error for templates that `word` ("include", "extend") one another
/// in a circle, `chain` from one of them back to it: said at the tag that
/// closes the circle.
fn circle(theme: &Sources, word: &str, chain: &[String]) -> Diagnostic {
    let (from, to) = match chain {
        [.., from, to] => (from.as_str(), to.as_str()),
        [only] => (only.as_str(), only.as_str()),
        [] => ("?", "?"),
    };
    let at = theme.texts.get(from).and_then(|text| {
        let naming = Tags::of(text).naming;
        let (_, _, at) = naming
            .into_iter()
            .find(|(w, t, _)| w.starts_with(word) && t == to)?;
        Some(crate::diagnostic::line_col(text, at))
    });
    let message = format!(
        "{word}s \"{to}\", which goes round in a circle: {}; a template cannot {word} \
         itself, directly or through others",
        chain.join(" → ")
    );
    theme.diagnostic(from, at, message)
}

/// The first block tag of `source` left open: one closed by the `end` tag
/// of another block, or one never closed. Comments and `raw` blocks are
/// skipped.
fn unclosed_block(source: &str) -> Option<String> {
    /// Block tags and the word that closes each; `set` is a block only
    /// without `=` (`{% set x %}...{% endset %}`).
    const BLOCKS: [(&str, &str); 7] = [
        ("if", "endif"),
        ("for", "endfor"),
        ("block", "endblock"),
        ("filter", "endfilter"),
        ("component", "endcomponent"),
        ("set", "endset"),
        ("set_global", "endset"),
    ];
    let mut open: Vec<(&str, (usize, usize))> = Vec::new();
    let mut rest = 0;
    // The next tag, expression or comment; only tags matter, but the
    // others may hold text that looks like one.
    while let Some(found) = ["{%", "{{", "{#"]
        .iter()
        .filter_map(|m| source[rest..].find(m).map(|i| rest + i))
        .min()
    {
        let closer = match &source[found..found + 2] {
            "{{" => "}}",
            "{#" => "#}",
            _ => "%}",
        };
        let Some(end) = source[found + 2..].find(closer).map(|i| found + 2 + i) else {
            let (line, column) = crate::diagnostic::line_col(source, found);
            let opener = &source[found..found + 2];
            return Some(format!(
                "the `{opener}` at {line}:{column} is never closed: add `{closer}`"
            ));
        };
        rest = end + 2;
        if closer != "%}" {
            continue;
        }
        let (word, args) = keyword(&source[found + 2..end]);
        let at = crate::diagnostic::line_col(source, found);
        if word == "raw" {
            let close = source[rest..].find("endraw");
            rest = close.map_or(source.len(), |i| rest + i + "endraw".len());
        } else if let Some(&(kind, _)) = BLOCKS
            .iter()
            .find(|(kind, _)| *kind == word && !(word.starts_with("set") && args.contains('=')))
        {
            open.push((kind, at));
        } else if BLOCKS.iter().any(|(_, end)| *end == word) {
            let closes = |kind: &str| BLOCKS.iter().any(|&(k, e)| k == kind && e == word);
            match open.pop() {
                Some((kind, _)) if closes(kind) => {}
                Some((kind, (line, column))) => {
                    return Some(format!(
                        "`{{% {word} %}}` at {}:{} comes before the end of \
                         the `{{% {kind} %}}` opened at {line}:{column}; close the `{kind}` first",
                        at.0, at.1
                    ));
                }
                None => {
                    return Some(format!(
                        "`{{% {word} %}}` at {}:{} closes nothing that is open",
                        at.0, at.1
                    ));
                }
            }
        }
    }
    open.pop().map(|(kind, (line, column))| {
        let end = BLOCKS
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("end", |(_, e)| e);
        format!(
            "the `{{% {kind} %}}` opened at {line}:{column} is never closed: add `{{% {end} %}}`"
        )
    })
}

/// Tera's message with the types it names as Rust has them (`&str`,
/// `f64`, `map/struct`) said as a template writer knows them.
fn in_template_words(message: &str) -> String {
    const TYPES: [(&str, &str); 14] = [
        ("`&str`", "text"),
        ("`String`", "text"),
        ("`string`", "text"),
        ("`f64`", "a number"),
        ("`f32`", "a number"),
        ("`i64`", "a whole number"),
        ("`i32`", "a whole number"),
        ("`u64`", "a whole number"),
        ("`u32`", "a whole number"),
        ("`usize`", "a whole number"),
        ("`bool`", "true or false"),
        ("`map/struct`", "a map"),
        ("`map`", "a map"),
        ("`array`", "a list"),
    ];
    let mut said = message.to_string();
    // Only where a type is said: a field may be named `map`.
    for (rust, ours) in TYPES {
        for word in ["expected ", "got "] {
            let written = format!("{word}{rust}");
            if said.contains(&written) {
                said = said.replace(&written, &format!("{word}{ours}"));
            }
        }
    }
    said
}

/// What a call of a component no template defines meant: one a slip
/// away, or a built-in one a `components.html` of the site's own left out.
fn unknown_component_hint(theme: &Sources, message: &str) -> Option<String> {
    let wanted = message
        .split("Unknown component `")
        .nth(1)?
        .split('`')
        .next()?;
    let defined: Vec<String> = (theme.texts.values())
        .flat_map(|text| Tags::of(text).components)
        .collect();
    if let Some(meant) = crate::diagnostic::did_you_mean(wanted, defined.iter().map(String::as_str))
    {
        return Some(format!("did you mean `{meant}`?"));
    }
    let built_in = (super::BUILT_IN.iter())
        .any(|(_, text)| Tags::of(text).components.iter().any(|c| c == wanted));
    Some(match built_in {
        true => format!(
            "the built-in components.html defines `{wanted}`, and a components.html of the \
             site's own takes its place whole: define `{wanted}` in it too"
        ),
        false => {
            format!("no template defines it: define it with `{{% component {wanted}(...) %}}`")
        }
    })
}

/// The block meant by a block no template it extends has: one a slip
/// away from a block of the theme's.
fn unknown_block_hint(theme: &Sources, message: &str) -> Option<String> {
    let rest = message.split("Block `").nth(1)?;
    let (wanted, rest) = rest.split_once('`')?;
    if !rest.contains("is not defined in any parent template") {
        return None;
    }
    let blocks: Vec<String> = (theme.texts.values())
        .flat_map(|text| Tags::of(text).blocks)
        .filter(|block| block != wanted)
        .collect();
    let meant = crate::diagnostic::did_you_mean(wanted, blocks.iter().map(String::as_str))?;
    Some(format!("did you mean `{meant}`?"))
}

/// What to do about a variable not defined inside a component, which sees
/// only its own parameters: take the page's (`@site`).
fn component_hint(theme: &Sources, name: &str, span: &tera::Span, message: &str) -> String {
    let Some(variable) = (message.split("Variable `").nth(1)).and_then(|v| v.split('`').next())
    else {
        return String::new();
    };
    let text = theme.texts.get(name).map_or("", String::as_str);
    let before = text.get(..span.range.start).unwrap_or("");
    // Inside a component: its opening tag comes after any closing one.
    let opened = before
        .rfind("{% component")
        .or_else(|| before.rfind("{%- component"));
    let closed = before.rfind("endcomponent");
    match (opened, closed) {
        (Some(open), closed) if closed.is_none_or(|c| c < open) => format!(
            " (a component sees only its own parameters: list `@{variable}` among them to take \
             the page's `{variable}`, as `{{% component name(x, @{variable}) %}}`)"
        ),
        _ => String::new(),
    }
}

/// What to write instead of a Tera 1 tag that Tera 2 does not have.
fn tera1_hint(tag: &str) -> Option<&'static str> {
    match keyword(tag.get(2..)?).0 {
        "macro" | "endmacro" => Some(
            "Tera 2 has no macros: define a component, \
             `{% component name(args) %}...{% endcomponent name %}`, \
             and call it as `{{<name args={value}/>}}`",
        ),
        "import" => Some(
            "Tera 2 has no `import`: a component defined in any template \
             can be called from every other",
        ),
        _ => None,
    }
}

/// The problems in a report Tera wrote out as text (what it checks once
/// every template is in: unknown filters, tests, functions, components
/// and templates), each as `error: message` and `--> name:line:column`.
fn reports(text: &str) -> Vec<(&str, (usize, usize), String)> {
    let mut found = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let place = lines
            .next()
            .and_then(|l| l.trim_start().strip_prefix("--> "));
        let parsed = place.and_then(|place| {
            let (rest, column) = place.rsplit_once(':')?;
            let (name, line) = rest.rsplit_once(':')?;
            Some((name, (line.parse().ok()?, column.parse().ok()?)))
        });
        if let Some((name, at)) = parsed {
            found.push((name, at, message.to_string()));
        }
    }
    found
}

/// Each template's text and where it came from, for messages.
#[derive(Default)]
struct Sources {
    paths: BTreeMap<String, PathBuf>,
    texts: BTreeMap<String, String>,
}

impl Sources {
    /// Whether the template is the site's own, not a built-in one.
    fn is_own(&self, name: &str) -> bool {
        (self.paths.get(name)).is_some_and(|path| !path.to_string_lossy().ends_with(BUILT_IN_MARK))
    }

    fn diagnostic(&self, name: &str, line: Option<(usize, usize)>, message: String) -> Diagnostic {
        let path = self
            .paths
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("{TEMPLATES_DIR}/{name}")));
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        match line {
            Some((line, column)) => Diagnostic::at_line(path, line, column, message),
            None => Diagnostic::new(path, message),
        }
    }

    /// The tag (`{{ ... }}`, `{% ... %}`) that holds `span`, when it is
    /// short enough to quote.
    fn excerpt(&self, name: &str, span: &tera::Span) -> Option<&str> {
        let text = self.texts.get(name)?;
        let before = text.get(..span.range.start)?;
        let start = before.rfind("{{").max(before.rfind("{%"))?;
        let after = &text[start + 2..];
        let close = [after.find("}}"), after.find("%}")]
            .into_iter()
            .flatten()
            .min()?;
        let end = start + 2 + close + 2;
        let tag = &text[start..end];
        (tag.len() <= 80 && !tag.contains('\n')).then_some(tag)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_ids_written_in_full_are_the_themes() {
        let text = "<main id=\"main\"><h2 id='side'>\n<p data-id=\"no\" \
                    id=\"rail-{{ loop.index }}\"><a aria-labelledby=\"no\" id=\"\">\
                    {# <div id=\"gone\"> #}<!-- <p id=\"old\"> --><div ID=Top><i\nid=Tip/>";
        assert_eq!(literal_ids(text), ["main", "side", "Top", "Tip"]);
    }

    #[test]
    fn an_unclosed_or_crossed_block_is_named() {
        use super::unclosed_block;
        assert_eq!(
            unclosed_block("<p>\n{% if a %}\n  {% for t in b %}{{ t }}\n{% endif %}\n").as_deref(),
            Some("`{% endif %}` at 4:1 comes before the end of the `{% for %}` opened at 3:3; close the `for` first")
        );
        assert_eq!(
            unclosed_block("{# {% if %} #}\n{%- if a -%}\nx\n").as_deref(),
            Some("the `{% if %}` opened at 2:1 is never closed: add `{% endif %}`")
        );
        assert_eq!(
            unclosed_block("{% raw %}{% if %}{% endraw %}{% for x in y %}{% endfor %}"),
            None
        );
        // A block `set` is closed by `endset`; `set x = 1` is no block.
        assert_eq!(
            unclosed_block("{% set x %}a{% endset %}{% set y = 1 %}\n{% if a %}\nb\n").as_deref(),
            Some("the `{% if %}` opened at 2:1 is never closed: add `{% endif %}`")
        );
        // Not tags: a misspelt end, text in an expression.
        assert_eq!(
            unclosed_block("{% for a in b %}x{% endfro %}"),
            Some("the `{% for %}` opened at 1:1 is never closed: add `{% endfor %}`".into())
        );
        assert_eq!(unclosed_block("{{ \"{% if\" }}"), None);
        // A tag or expression unfinished.
        assert_eq!(
            unclosed_block("{% for x in y %}{{ x }}{% endfor").as_deref(),
            Some("the `{%` at 1:24 is never closed: add `%}`")
        );
    }

    use super::*;

    /// A site folder holding the templates `files` (name, text).
    fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let templates = root.path().join(TEMPLATES_DIR);
        std::fs::create_dir(&templates).unwrap();
        for (name, text) in files {
            std::fs::write(templates.join(name), text).unwrap();
        }
        root
    }

    #[test]
    fn only_the_ids_of_pages_with_an_article_are_kept_clear() {
        let root = site_with(&[
            (
                "article.html",
                "{% extends \"base.html\" %}{% block main %}{% include \"box.html\" %}\
                 {{ article.content_html | safe }}{% endblock main %}",
            ),
            (
                "box.html",
                "<aside id=\"box\">{% include \"inner.html\" %}</aside>",
            ),
            ("inner.html", "<p id=\"inner\"></p>"),
            (
                "parts.html",
                "{% component note() %}<p id=\"note\"></p>{% endcomponent note %}",
            ),
            (
                "section.html",
                "{% extends \"base.html\" %}{% block main %}<p id=\"lede\"></p>{% endblock main %}",
            ),
            ("spare.html", "<p id=\"spare\"></p>"),
            (
                "taxonomy_term.html",
                "{% extends \"base.html\" %}{% block main %}<h2 id=\"awards\"></h2>{% endblock main %}",
            ),
        ]);
        let theme = Theme::load(root.path()).unwrap();
        let ids: Vec<&str> = theme.ids.iter().map(String::as_str).collect();
        // base.html's through article.html, box.html's and what it includes,
        // a component's (any page may call it), an author page's (which
        // shows a biography); the default article page's own are gone with
        // it; the front page's and section page's are on no page with
        // Markdown text.
        assert_eq!(ids, ["awards", "box", "inner", "main", "note"]);
    }

    fn names(text: &str) -> (Vec<String>, bool) {
        let tags = Tags::of(text);
        (
            tags.named().into_iter().collect(),
            !tags.components.is_empty(),
        )
    }

    #[test]
    fn a_template_names_what_it_extends_and_includes() {
        assert_eq!(
            names("{% extends \"base.html\" %}{%- include 'nav.html' -%}{% raw %}{% include \"no.html\" %}{% endraw %}{% include`foot.html`%}"),
            (
                ["base.html", "foot.html", "nav.html"].map(String::from).to_vec(),
                false
            )
        );
        // Comments and strings hold text, not tags.
        assert_eq!(
            names("{# old {% if, don't #}{{ \"{%\" }}{% include \"a.html\" %}{# {% raw %} #}{% include \"b.html\" %}"),
            (["a.html", "b.html"].map(String::from).to_vec(), false)
        );
        assert_eq!(
            names("{% component byline(authors) %}{{ authors }}{% endcomponent byline %}"),
            (Vec::new(), true)
        );
    }

    #[test]
    fn a_tera_1_macro_or_import_says_what_to_write_instead() {
        for (text, place, hint) in [
            (
                "{% macro byline(a) %}{{ a }}{% endmacro byline %}",
                "1:4",
                "has no macros",
            ),
            (
                "<p>\n{%- import \"macros.html\" as m %}",
                "2:5",
                "has no `import`",
            ),
        ] {
            let root = site_with(&[("page.html", text)]);
            let Err(errors) = Theme::load(root.path()) else {
                panic!("{text} loaded");
            };
            let text = errors.to_string();
            let at = format!("templates/page.html:{place}: could not parse the template: ");
            assert!(text.contains(&at), "{text}");
            assert!(text.contains(hint), "{text}");
        }
    }

    #[test]
    fn groups_come_in_the_order_of_their_first_item() {
        let mut tera = Tera::default();
        tera.register_filter("group_by", group_by);
        let text = "{% for name, items in list | group_by(attribute='s.n') %}{{ name }}:{{ items | length }} {% endfor %}";
        tera.add_raw_template("t", text).unwrap();
        let list: Vec<serde_json::Value> = ["port", "city", "port", "arts", "city", "port"]
            .iter()
            .map(|n| serde_json::json!({ "s": { "n": n } }))
            .collect();
        let mut context = Context::new();
        context.insert("list", &list);
        assert_eq!(tera.render("t", &context).unwrap(), "port:3 city:2 arts:1 ");
        context.insert("list", &serde_json::json!([{ "s": {} }]));
        let err = tera.render("t", &context).unwrap_err();
        assert!(
            format!("{err:?}").contains("item 0 of the list (a map/struct) has no `s.n`"),
            "{err:?}"
        );
    }

    #[test]
    fn a_change_reaches_the_templates_that_use_it() {
        let root = tempfile::tempdir().unwrap();
        let theme = Theme::load(root.path()).unwrap();
        let changed = |name: &str| theme.users_of(&BTreeSet::from([name.to_string()]));
        let users = changed("base.html");
        assert!(users.contains("article.html") && users.contains("404.html"));
        assert!(!users.contains("rss.xml") && !users.contains("card.html"));
        assert_eq!(
            changed("card.html"),
            BTreeSet::from(["card.html".to_string()])
        );
        // Components may be called anywhere, and may include templates.
        assert!(changed("components.html").contains("rss_item.xml"));
        let root = site_with(&[
            (
                "mine.html",
                "{% component share() %}{% include \"share.html\" %}{% endcomponent share %}",
            ),
            ("share.html", "<p>Share</p>"),
        ]);
        let theme = Theme::load(root.path()).unwrap();
        let users = theme.users_of(&BTreeSet::from(["share.html".to_string()]));
        assert!(users.contains("article.html") && users.contains("rss_item.xml"));
    }

    #[test]
    fn an_error_names_its_template_line_and_column() {
        let root = site_with(&[(
            "page.html",
            "<h1>{{ page.title }}</h1>\n\n<p>{{ page.nope }}</p>",
        )]);
        let theme = Theme::load(root.path()).unwrap();
        let site = Value::from_serializable(&serde_json::json!({ "title": "The Gazette" }));
        let data = serde_json::json!({ "page": { "title": "About" } });
        let err = theme.render("page.html", &site, &data).unwrap_err();
        let text = err.to_string();
        assert_eq!(
            text,
            "templates/page.html:3:12: could not render `{{ page.nope }}`: \
             Field `nope` is not defined. Available fields: title"
        );
    }
}
