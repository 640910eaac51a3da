//! The theme: the built-in templates embedded in the binary, with a site's
//! own `templates/<name>` replacing the built-in file of that name.
//!
//! The story cards in a page's lists (`articles`, `lead`, `rails`,
//! `related`) carry only the fields its templates can reach: those named
//! after a `.` or in a string inside `{{ }}` or `{% %}`, in the page's
//! template and every template it extends, includes or imports, and always
//! `url`. A template that could see a card whole (`json_encode`, `length`,
//! `get`, `__tera_context`, a `for key, value` loop, or a `[name]` subscript)
//! gets every field. Cards are most of a listing's context, and most of
//! their fields are shown only on article pages. A feed's items carry the
//! item fields its two templates name, and always `link`.
//!
//! In the same way a template gets `site` only if it or a template it names
//! says `site`: a card's or a feed item's template made once per story
//! need not copy the site's menus each time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::Tera;

use super::views::Fields;
use crate::diagnostic::{Diagnostic, Errors};

pub const TEMPLATES_DIR: &str = "templates";

/// The built-in theme, file by file.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
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
    /// Where each template came from, for messages.
    sources: BTreeMap<String, PathBuf>,
    /// The theme's stylesheet (built-in or the site's own).
    pub stylesheet: String,
    /// What reading `templates/` warned about (links out of the site).
    pub warnings: Vec<Diagnostic>,
    /// For each template, the templates it names (extends, includes,
    /// imports).
    names: BTreeMap<String, BTreeSet<String>>,
    /// For each template, what it and the templates it names can reach;
    /// `None`: everything.
    reach: BTreeMap<String, Option<Reach>>,
}

/// What a template's tags name.
#[derive(Debug, Default, PartialEq)]
struct Reach {
    /// Words after a `.` or in a string: the fields it can reach.
    fields: BTreeSet<String>,
    /// Other words: variables (and keywords, filters, tests).
    roots: BTreeSet<String>,
}

impl Theme {
    /// A theme with no templates, until one is loaded.
    pub fn empty() -> Theme {
        Theme {
            tera: Tera::default(),
            sources: BTreeMap::new(),
            stylesheet: String::new(),
            warnings: Vec::new(),
            names: BTreeMap::new(),
            reach: BTreeMap::new(),
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
        let sources = files
            .iter()
            .map(|(name, (_, shown))| (name.clone(), shown.clone()))
            .collect();
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::markdown::escape);
        let templates = files
            .iter()
            .filter(|(name, _)| name.ends_with(".html") || name.ends_with(".xml"))
            .map(|(name, (text, _))| (name.as_str(), text.as_str()));
        if let Err(e) = tera.add_raw_templates(templates) {
            return Err(template_error(&sources, None, &e).into());
        }
        let names: BTreeMap<String, BTreeSet<String>> = files
            .iter()
            .map(|(name, (text, _))| {
                let named = files
                    .keys()
                    .filter(|other| {
                        *other != name
                            && (text.contains(&format!("\"{other}\""))
                                || text.contains(&format!("'{other}'")))
                    })
                    .cloned()
                    .collect();
                (name.clone(), named)
            })
            .collect();
        let reach = names
            .keys()
            .map(|name| {
                let family = family(&names, name);
                let texts = family.iter().map(|n| files[n.as_str()].0.as_str());
                (name.clone(), reach_of(texts))
            })
            .collect();
        Ok(Theme {
            tera,
            sources,
            stylesheet,
            warnings: found.problems.warnings,
            names,
            reach,
        })
    }

    /// The fields any of the templates `names` can reach, together; `None`:
    /// every field.
    pub fn fields_named_in(&self, names: &[&str]) -> Option<BTreeSet<String>> {
        let mut all = BTreeSet::new();
        for name in names {
            all.extend(self.reach.get(*name)?.as_ref()?.fields.iter().cloned());
        }
        Some(all)
    }

    /// The card fields template `name`'s pages need (see the module's
    /// comment).
    pub fn card_fields(&self, name: &str) -> Fields<'_> {
        match self.reach.get(name) {
            Some(Some(reach)) => Fields::Named(&reach.fields),
            _ => Fields::All,
        }
    }

    /// Whether any of the templates `names` can reach the variable `root`.
    fn reaches(&self, names: &[&str], root: &str) -> bool {
        names.iter().any(|name| match self.reach.get(*name) {
            Some(Some(reach)) => reach.roots.contains(root),
            _ => true,
        })
    }

    /// The templates that are one of `changed` or use one, directly or
    /// through others.
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
                return users;
            }
            users.extend(more);
        }
    }

    /// Render `name` with `data` as its context, and `site` as its `site`.
    pub fn render(
        &self,
        name: &str,
        site: &serde_json::Value,
        data: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        self.render_with(name, &self.context(&[name], site, data)?)
    }

    /// The context of `data` with `site` as its `site`, for the templates
    /// `names` (errors name the first). `site` is the same on every page, so
    /// it is made into a value once per build and copied into each context
    /// whose templates say `site`, which is cheaper than turning its view
    /// into a value again every time.
    pub fn context(
        &self,
        names: &[&str],
        site: &serde_json::Value,
        data: &impl Serialize,
    ) -> Result<tera::Context, Diagnostic> {
        let name = names.first().copied();
        let fail = |e: tera::Error| template_error(&self.sources, name, &e);
        let mut value = serde_json::to_value(data).map_err(|e| fail(e.into()))?;
        if let Some(map) = value.as_object_mut() {
            if self.reaches(names, "site") {
                map.insert("site".into(), site.clone());
            }
        }
        tera::Context::from_value(value).map_err(fail)
    }

    /// Render `name` with a context made by [`Theme::context`].
    pub fn render_with(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| template_error(&self.sources, Some(name), &e))
    }

    /// Render `name` into this thread's page buffer and give the bytes to
    /// `keep` (which writes them out). The buffer lives as long as the
    /// thread, so a page costs no fresh allocation, no growing copies and
    /// no UTF-8 check of its text, which Tera's `render` would make.
    pub fn render_bytes<R>(
        &self,
        name: &str,
        context: &tera::Context,
        keep: impl FnOnce(&[u8]) -> Result<R, Diagnostic>,
    ) -> Result<R, Diagnostic> {
        thread_local! {
            static PAGE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        PAGE.with_borrow_mut(|buf| {
            buf.clear();
            self.tera
                .render_to(name, context, &mut *buf)
                .map_err(|e| template_error(&self.sources, Some(name), &e))?;
            keep(buf)
        })
    }
}

/// `name` and every template it names, directly or through others.
fn family(names: &BTreeMap<String, BTreeSet<String>>, name: &str) -> BTreeSet<String> {
    let mut family = BTreeSet::from([name.to_string()]);
    let mut next = vec![name.to_string()];
    while let Some(n) = next.pop() {
        for named in names.get(&n).into_iter().flatten() {
            if family.insert(named.clone()) {
                next.push(named.clone());
            }
        }
    }
    family
}

/// Words that let a template see a map whole, or reach a field by a name
/// that is not written out.
const WHOLE: &[&str] = &["json_encode", "length", "get", "__tera_context"];

/// What the template texts' tags name: the words after a `.` or in a
/// string, and the others. `None` when one of them could see a card whole
/// (see [`WHOLE`]).
fn reach_of<'t>(texts: impl Iterator<Item = &'t str>) -> Option<Reach> {
    let mut reach = Reach::default();
    for text in texts {
        let mut rest = text;
        while let Some(open) = rest.find("{{").into_iter().chain(rest.find("{%")).min() {
            let close = if rest[open..].starts_with("{{") {
                "}}"
            } else {
                "%}"
            };
            rest = scan_tag(&rest[open + 2..], close, &mut reach)?;
        }
    }
    Some(reach)
}

/// Scan one tag's inside up to `close`; what follows it, or `None` for a
/// tag that could see a card whole.
fn scan_tag<'t>(tag: &'t str, close: &str, reach: &mut Reach) -> Option<&'t str> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut last = ' ';
    let mut rest = tag;
    loop {
        if let Some(after) = rest.strip_prefix(close) {
            return Some(after);
        }
        let c = rest.chars().next()?;
        if matches!(c, '"' | '\'' | '`') {
            let inside = &rest[1..];
            let end = inside.find(c).unwrap_or(inside.len());
            let words = inside[..end].split(|c: char| !word(c));
            let words = words.filter(|w| !w.is_empty()).map(String::from);
            reach.fields.extend(words);
            rest = inside.get(end + 1..).unwrap_or("");
            last = c;
            continue;
        }
        if word(c) {
            let end = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
            let w = &rest[..end];
            rest = &rest[end..];
            if WHOLE.contains(&w) {
                return None;
            }
            let ahead = rest.trim_start();
            // `for key, value in`: a loop over a map's entries.
            if w == "for" {
                let after_name = ahead.trim_start_matches(word).trim_start();
                if after_name.starts_with(',') {
                    return None;
                }
            }
            match last {
                '.' => reach.fields.insert(w.to_string()),
                _ => reach.roots.insert(w.to_string()),
            };
            last = 'a';
            continue;
        }
        // A subscript by a variable's value: `card[name]`.
        if c == '['
            && rest[1..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        {
            return None;
        }
        if !c.is_whitespace() {
            last = c;
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// A Tera error as a diagnostic naming the template and, where Tera gives
/// one, the line and column.
fn template_error(
    sources: &BTreeMap<String, PathBuf>,
    rendering: Option<&str>,
    err: &tera::Error,
) -> Diagnostic {
    let mut chain = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let text = chain.join(": ");
    // Tera names the template in quotes: "Failed to parse 'article.html'".
    // The template named first is the one at fault ("while rendering 'a'"
    // may follow it in the chain).
    let named = sources
        .keys()
        .filter_map(|name| text.find(&format!("'{name}'")).map(|at| (at, name)))
        .min()
        .map(|(_, name)| name.as_str());
    let name = named.or(rendering).unwrap_or("?");
    let path = sources
        .get(name)
        .cloned()
        .unwrap_or_else(|| PathBuf::from(format!("{TEMPLATES_DIR}/{name}")));
    let message = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match position_in(&text) {
        Some((line, column)) => Diagnostic::at_line(path, line, column, message),
        None => Diagnostic::new(path, message),
    }
}

/// Tera's parse errors point with `--> line:column`.
fn position_in(text: &str) -> Option<(usize, usize)> {
    let after = &text[text.find("--> ")? + 4..];
    let end = after.find(|c: char| !c.is_ascii_digit() && c != ':')?;
    let (line, column) = after[..end].split_once(':')?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(text: &str) -> Option<Vec<String>> {
        reach_of([text].into_iter()).map(|r| r.fields.into_iter().collect())
    }

    #[test]
    fn fields_are_the_words_after_a_dot_or_in_a_string_inside_tags() {
        assert_eq!(
            named("<p class=\"dek_text\">{{ a.title }} {% if a . image %}{{ x | sort(attribute='date.iso') }}{% endif %}</p>"),
            Some(vec!["date".into(), "image".into(), "iso".into(), "title".into()])
        );
        // A string may hold what closes a tag.
        assert_eq!(
            named("{{ a.url | replace(from=\"}}\", to=\"\") }}{{ b.words }}"),
            Some(vec!["url".into(), "words".into()])
        );
    }

    #[test]
    fn a_template_that_can_see_a_card_whole_gets_every_field() {
        for text in [
            "{{ a | json_encode() }}",
            "{{ a | length }}",
            "{{ a | get(key=k) }}",
            "{{ __tera_context }}",
            "{% for key, value in a %}{{ key }}{% endfor %}",
            "{% for key,value in a %}{% endfor %}",
            "{{ a[k] }}",
            "{{ a.title",
        ] {
            assert_eq!(named(text), None, "{text}");
        }
        assert!(named("{{ a[\"title\"] }}{{ a[0] }}{% for x in a %}{% endfor %}").is_some());
    }

    #[test]
    fn a_context_has_site_only_for_templates_that_say_site() {
        let root = tempfile::tempdir().unwrap();
        let theme = Theme::load(root.path()).unwrap();
        let site = serde_json::json!({ "title": "The Gazette" });
        let data = serde_json::json!({ "item": {} });
        let has_site = |names: &[&str]| {
            let context = theme.context(names, &site, &data).unwrap();
            context.contains_key("site")
        };
        assert!(!has_site(&["rss_item.xml"]));
        assert!(!has_site(&["card.html"]));
        assert!(has_site(&["rss.xml"]));
        assert!(has_site(&["rss_item.xml", "article.html"]));
    }

    #[test]
    fn built_in_listings_get_the_card_fields_their_templates_name() {
        let root = tempfile::tempdir().unwrap();
        let theme = Theme::load(root.path()).unwrap();
        for page in ["section.html", "taxonomy_term.html", "index.html"] {
            let Fields::Named(fields) = theme.card_fields(page) else {
                panic!("{page} gets every field");
            };
            assert!(
                fields.contains("html") && fields.contains("title"),
                "{page}"
            );
            assert!(
                !fields.contains("dek_text") && !fields.contains("words"),
                "{page}"
            );
        }
    }
}
