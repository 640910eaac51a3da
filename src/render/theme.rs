//! The theme: the built-in templates embedded in the binary, with a site's
//! own `templates/<name>` replacing the built-in file of that name.
//!
//! Templates are Tera 2 templates. Their values are shared, not copied: the
//! site's view and each story's card are made into a template value once
//! per build, and every page that shows them holds a reference.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, ErrorKind, Tera, Value};

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
        }
    }

    /// The built-in theme with the overrides found in `root/templates`.
    pub fn load(root: &Path) -> Result<Theme, Errors> {
        let mut files: BTreeMap<String, (String, PathBuf)> = BUILT_IN
            .iter()
            .map(|(name, text)| {
                let shown = PathBuf::from(format!("{TEMPLATES_DIR}/{name} (built-in)"));
                (name.to_string(), (text.to_string(), shown))
            })
            .collect();
        let found = crate::walk::files(root, TEMPLATES_DIR, false);
        let mut errors = found.problems.errors;
        for rel in &found.files {
            let name = crate::output::slash_path(rel);
            let shown = Path::new(TEMPLATES_DIR).join(rel);
            match std::fs::read_to_string(root.join(&shown)) {
                Ok(text) => {
                    files.insert(name, (text, shown));
                }
                Err(e) => errors.push(Diagnostic::io(&shown, "read the template", &e)),
            }
        }
        if !errors.is_empty() {
            return Err(Errors::new(errors));
        }
        let stylesheet = files.remove(STYLESHEET).map(|(t, _)| t).unwrap_or_default();
        let sources = Sources {
            paths: files
                .iter()
                .map(|(name, (_, shown))| (name.clone(), shown.clone()))
                .collect(),
            texts: files
                .iter()
                .map(|(name, (text, _))| (name.clone(), text.clone()))
                .collect(),
        };
        // Tera escapes with pulldown-cmark's escaper, as the Markdown
        // stage does: `/` is left alone, so URLs stay readable.
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.register_filter("json_encode", tera_contrib::json::json_encode);
        tera.register_filter("urlencode", tera_contrib::urlencode::urlencode);
        tera.register_filter(
            "urlencode_strict",
            tera_contrib::urlencode::urlencode_strict,
        );
        let templates: Vec<(&str, &str)> = files
            .iter()
            .filter(|(name, _)| name.ends_with(".html") || name.ends_with(".xml"))
            .map(|(name, (text, _))| (name.as_str(), text.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(templates.iter().copied()) {
            return Err(Errors::new(template_errors(&sources, None, &e)));
        }
        let tags: BTreeMap<&str, Tags> = templates
            .iter()
            .map(|(name, text)| (*name, Tags::of(text)))
            .collect();
        Ok(Theme {
            tera,
            sources,
            stylesheet,
            warnings: found.problems.warnings,
            names: tags
                .iter()
                .map(|(name, tags)| (name.to_string(), tags.named.clone()))
                .collect(),
            components: tags
                .iter()
                .filter(|(_, tags)| tags.components)
                .map(|(name, _)| name.to_string())
                .collect(),
        })
    }

    /// The templates that are one of `changed` or use one, directly or
    /// through others. A change to a template that defines components may
    /// reach any template.
    pub fn users_of(&self, changed: &BTreeSet<String>) -> BTreeSet<String> {
        if !changed.is_disjoint(&self.components) {
            return self.names.keys().chain(changed).cloned().collect();
        }
        let mut users = changed.clone();
        loop {
            let more: Vec<String> = self
                .names
                .iter()
                .filter(|(name, named)| !users.contains(*name) && !named.is_disjoint(&users))
                .map(|(name, _)| name.clone())
                .collect();
            if more.is_empty() {
                return users;
            }
            users.extend(more);
        }
    }

    /// Render `name` with `data` as its context, and `site` as its `site`.
    pub fn render(
        &self,
        name: &str,
        site: &Value,
        data: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        self.render_with(name, &self.context(name, site, data)?)
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

    /// Render `name` with a context made by [`Theme::context`].
    pub fn render_with(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.error(name, &e))
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
}

impl Theme {
    /// Tera's error while rendering `name`: a render stops at its first
    /// problem, so there is one.
    fn error(&self, name: &str, err: &tera::Error) -> Diagnostic {
        template_errors(&self.sources, Some(name), err).remove(0)
    }
}

/// What a template's tags say about the templates it depends on: those it
/// extends or includes (written as a string), and whether it defines
/// components. Tera keeps its syntax tree to itself, so the tags are read
/// here; the text has already parsed, so every tag is closed.
#[derive(Default)]
struct Tags {
    named: BTreeSet<String>,
    components: bool,
}

impl Tags {
    fn of(text: &str) -> Tags {
        let mut tags = Tags::default();
        let mut rest = text;
        while let Some(at) = rest.find("{%") {
            let after = &rest[at + 2..];
            let end = after.find("%}").unwrap_or(after.len());
            let inside = after[..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
            let mut words = inside.splitn(2, char::is_whitespace);
            match (words.next(), words.next()) {
                (Some("extends" | "include"), Some(name)) => {
                    if let Some(name) = quoted(name.trim()) {
                        tags.named.insert(name.to_string());
                    }
                }
                (Some("component"), _) => tags.components = true,
                (Some("raw"), _) => {
                    // Tags inside `raw` are text.
                    let close = after[end..].find("endraw").unwrap_or(after.len() - end);
                    rest = &after[end + close..];
                    continue;
                }
                _ => {}
            }
            rest = after.get(end + 2..).unwrap_or("");
        }
        tags
    }
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
        text.join(": ")
    };
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let name = Some(report.filename())
                .filter(|f| !f.is_empty())
                .or(rendering)
                .unwrap_or("?");
            let span = report.span();
            let message = match err.kind() {
                ErrorKind::SyntaxError(_) => {
                    format!("could not parse the template: {}", cause(report.message()))
                }
                _ => match theme.excerpt(name, span) {
                    Some(text) => format!("could not render `{text}`: {}", cause(report.message())),
                    None => format!("could not render the page: {}", cause(report.message())),
                },
            };
            let line = (span.start_line, span.start_col + 1);
            vec![theme.diagnostic(name, Some(line), message)]
        }
        kind => {
            let text = cause(&kind.to_string());
            let reports = reports(&text);
            if !reports.is_empty() {
                return reports
                    .into_iter()
                    .map(|(name, line, message)| theme.diagnostic(name, Some(line), message))
                    .collect();
            }
            // Otherwise Tera names the template at fault in quotes.
            let named = theme
                .paths
                .keys()
                .filter_map(|name| text.find(&format!("'{name}'")).map(|at| (at, name)))
                .min()
                .map(|(_, name)| name.as_str());
            let name = named.or(rendering).unwrap_or("?");
            vec![theme.diagnostic(name, None, text)]
        }
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
    use super::*;

    fn names(text: &str) -> (Vec<String>, bool) {
        let tags = Tags::of(text);
        (tags.named.into_iter().collect(), tags.components)
    }

    #[test]
    fn a_template_names_what_it_extends_and_includes() {
        assert_eq!(
            names("{% extends \"base.html\" %}{%- include 'nav.html' -%}{% raw %}{% include \"no.html\" %}{% endraw %}{% include `foot.html` %}"),
            (
                ["base.html", "foot.html", "nav.html"].map(String::from).to_vec(),
                false
            )
        );
        assert_eq!(
            names("{% component byline(authors) %}{{ authors }}{% endcomponent byline %}"),
            (Vec::new(), true)
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
        // Components may be called anywhere.
        assert!(changed("components.html").contains("rss_item.xml"));
    }

    #[test]
    fn an_error_names_its_template_line_and_column() {
        let root = tempfile::tempdir().unwrap();
        let templates = root.path().join(TEMPLATES_DIR);
        std::fs::create_dir(&templates).unwrap();
        std::fs::write(
            templates.join("page.html"),
            "<h1>{{ page.title }}</h1>\n\n<p>{{ page.nope }}</p>",
        )
        .unwrap();
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
