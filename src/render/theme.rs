//! The theme: the built-in templates embedded in the binary, with a site's
//! own `templates/<name>` replacing the built-in file of that name.
//!
//! The story cards in a page's lists (`articles`, `lead`, `rails`,
//! `related`) carry only the fields its templates can reach: those named
//! after a `.`, in a `["..."]` subscript or in a string (`sort(attribute=
//! "date.iso")`), in the page's template and every template it extends,
//! includes or imports, read from Tera's syntax tree; and always `url`. A
//! template that could see a map whole or reach a field by a name that is
//! not written out (`json_encode`, `length`, `__tera_context`, a `for key,
//! value` loop, `name in card`, `is containing(name)`, `card[name]`, an
//! `attribute` or `key` that is not a string) gets every field. Cards are
//! most of a listing's context, and most of their fields are shown only on
//! article pages. A feed's items carry the item fields its two templates
//! name, and always `link`.
//!
//! In the same way a template gets `site` only if it or a template it names
//! uses the variable `site`: a card's or a feed item's template made once
//! per story need not copy the site's menus each time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::ast::{Expr, ExprVal, FunctionCall, MacroDefinition, Node};
use tera::Tera;

use super::feeds::{ATOM, RSS};
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
    /// The fields either feed template can reach; `None`: all.
    feed_item_fields: Option<BTreeSet<String>>,
}

/// What a template's tags name.
#[derive(Default)]
struct Reach {
    /// Words after a `.`, in a quoted subscript or in a string: the fields
    /// it can reach.
    fields: BTreeSet<String>,
    /// The variables its paths start from.
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
            feed_item_fields: None,
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
        let scans: BTreeMap<&str, Scan> = tera
            .templates
            .iter()
            .map(|(name, template)| (name.as_str(), Scan::of(template)))
            .collect();
        let names: BTreeMap<String, BTreeSet<String>> = scans
            .iter()
            .map(|(name, scan)| {
                let named = scan.named.iter().filter(|n| n != name).cloned();
                (name.to_string(), named.collect())
            })
            .collect();
        let reach: BTreeMap<String, Option<Reach>> = scans
            .keys()
            .map(|name| {
                let family = family(&names, name);
                let scans: Vec<&Scan> = family
                    .iter()
                    .filter_map(|n| scans.get(n.as_str()))
                    .collect();
                let reach = (!scans.iter().any(|s| s.whole)).then(|| Reach {
                    fields: scans
                        .iter()
                        .flat_map(|s| s.reach.fields.iter().cloned())
                        .collect(),
                    roots: scans
                        .iter()
                        .flat_map(|s| s.reach.roots.iter().cloned())
                        .collect(),
                });
                (name.to_string(), reach)
            })
            .collect();
        let feed_item_fields = [RSS, ATOM]
            .iter()
            .map(|name| reach.get(*name).and_then(Option::as_ref))
            .try_fold(BTreeSet::new(), |mut all, reach| {
                all.extend(reach?.fields.iter().cloned());
                Some(all)
            });
        Ok(Theme {
            tera,
            sources,
            stylesheet,
            warnings: found.problems.warnings,
            names,
            reach,
            feed_item_fields,
        })
    }

    /// The item fields the feed templates need: `rss.xml` and `atom.xml`
    /// share one context.
    pub fn feed_item_fields(&self) -> Fields<'_> {
        self.feed_item_fields
            .as_ref()
            .map_or(Fields::All, Fields::Named)
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

/// What one template's tags name, read from Tera's syntax tree: the
/// fields it can reach, its variables, and the templates it extends,
/// includes or imports.
#[derive(Default)]
struct Scan {
    reach: Reach,
    named: BTreeSet<String>,
    /// It could see a map whole, or reach a field by a name that is not
    /// written out.
    whole: bool,
}

/// Filters that see a map whole.
const WHOLE: &[&str] = &["json_encode", "length"];

impl Scan {
    fn of(template: &tera::Template) -> Scan {
        // The tree keeps `extends`, imports and macro definitions as nodes.
        let mut scan = Scan::default();
        scan.nodes(&template.ast);
        scan
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Super
            | Node::Text(_)
            | Node::Raw(..)
            | Node::Comment(..)
            | Node::Break(_)
            | Node::Continue(_) => {}
            Node::VariableBlock(_, e) => self.expr(e),
            Node::MacroDefinition(_, definition, _) => self.macro_definition(definition),
            Node::Extends(_, name) | Node::ImportMacro(_, name, _) => {
                self.named.insert(name.clone());
            }
            Node::Include(_, names, _) => self.named.extend(names.iter().cloned()),
            Node::Set(_, set) => self.expr(&set.value),
            Node::FilterSection(_, section, _) => {
                self.filter(&section.filter);
                self.nodes(&section.body);
            }
            Node::Block(_, block, _) => self.nodes(&block.body),
            Node::Forloop(_, for_loop, _) => {
                // `for key, value in map`: the map's every entry.
                self.whole |= for_loop.key.is_some();
                self.expr(&for_loop.container);
                self.nodes(&for_loop.body);
                self.nodes(for_loop.empty_body.as_deref().unwrap_or_default());
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    self.expr(condition);
                    self.nodes(body);
                }
                if let Some((_, body)) = &branches.otherwise {
                    self.nodes(body);
                }
            }
        }
    }

    fn macro_definition(&mut self, definition: &MacroDefinition) {
        for default in definition.args.values().flatten() {
            self.expr(default);
        }
        self.nodes(&definition.body);
    }

    fn expr(&mut self, expr: &Expr) {
        self.value(&expr.val);
        for filter in &expr.filters {
            self.filter(filter);
        }
    }

    fn value(&mut self, value: &ExprVal) {
        match value {
            ExprVal::String(text) => self.words(text),
            ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
            ExprVal::Ident(path) => self.path(path),
            ExprVal::Math(e) => {
                self.expr(&e.lhs);
                self.expr(&e.rhs);
            }
            ExprVal::Logic(e) => {
                self.expr(&e.lhs);
                self.expr(&e.rhs);
            }
            ExprVal::Test(test) => {
                self.path(&test.ident);
                // `is containing(name)` asks a map for a key.
                self.whole |= test.name == "containing" && !test.args.iter().all(literal);
                test.args.iter().for_each(|a| self.expr(a));
            }
            ExprVal::MacroCall(call) => call.args.values().for_each(|a| self.expr(a)),
            ExprVal::FunctionCall(call) => call.args.values().for_each(|a| self.expr(a)),
            ExprVal::Array(items) => items.iter().for_each(|e| self.expr(e)),
            ExprVal::StringConcat(concat) => concat.values.iter().for_each(|v| self.value(v)),
            ExprVal::In(e) => {
                // `name in map` asks a map for a key.
                self.whole |= !literal(&e.lhs);
                self.expr(&e.lhs);
                self.expr(&e.rhs);
            }
        }
    }

    /// A filter: `attribute` (sort, map, filter, group_by, unique) and
    /// `get`'s `key` name a field.
    fn filter(&mut self, filter: &FunctionCall) {
        self.whole |= WHOLE.contains(&filter.name.as_str());
        for name in ["attribute", "key"] {
            self.whole |= filter.args.get(name).is_some_and(|arg| !literal(arg));
        }
        filter.args.values().for_each(|a| self.expr(a));
    }

    /// A variable's path: `card.date.iso`, `card["title"]`, `list[0]`,
    /// `card[name]` (a field named by a variable's value).
    fn path(&mut self, path: &str) {
        let end = path.find(['.', '[']).unwrap_or(path.len());
        let (root, mut rest) = path.split_at(end);
        self.whole |= root == "__tera_context";
        self.reach.roots.insert(root.to_string());
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('.') {
                let end = after.find(['.', '[']).unwrap_or(after.len());
                self.reach.fields.insert(after[..end].to_string());
                rest = &after[end..];
            } else {
                // `["key"]` or `[0]`; anything else (`[name]`, `[b[0]]`) is
                // a key known only when rendering.
                let inside = rest.get(1..).unwrap_or("");
                let (key, after) = match inside.strip_prefix(['"', '\'']) {
                    Some(quoted) => {
                        let end = quoted.find(&inside[..1]).unwrap_or(quoted.len());
                        self.words(&quoted[..end]);
                        (None, quoted.get(end + 1..).unwrap_or(""))
                    }
                    None => {
                        let end = inside.find(']').unwrap_or(inside.len());
                        (Some(&inside[..end]), &inside[end..])
                    }
                };
                let index =
                    key.is_none_or(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()));
                match after.strip_prefix(']') {
                    Some(after) if index => rest = after,
                    _ => {
                        self.whole = true;
                        return;
                    }
                }
            }
        }
    }

    /// The words of a string, any of which may name a field (`"date.iso"`).
    fn words(&mut self, text: &str) {
        let words = text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_');
        let words = words.filter(|w| !w.is_empty()).map(String::from);
        self.reach.fields.extend(words);
    }
}

/// A string written out, unfiltered.
fn literal(expr: &Expr) -> bool {
    matches!(expr.val, ExprVal::String(_)) && expr.filters.is_empty()
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

    fn scan(text: &str) -> Scan {
        let mut tera = Tera::default();
        tera.add_raw_template("t.html", text).unwrap();
        Scan::of(tera.get_template("t.html").unwrap())
    }

    /// The fields `text` reaches; `None`: all of them.
    fn named(text: &str) -> Option<Vec<String>> {
        let scan = scan(text);
        (!scan.whole).then(|| scan.reach.fields.into_iter().collect())
    }

    #[test]
    fn fields_are_named_after_a_dot_in_a_subscript_or_in_a_string() {
        assert_eq!(
            named("<p class=\"dek_text\">{{ a.title }}{{ a[\"dek_html\"] }}{{ list[0].url }}{% if a.image %}{{ x | sort(attribute='date.iso') }}{% endif %}</p>"),
            Some(["date", "dek_html", "image", "iso", "title", "url"].map(String::from).to_vec())
        );
        // Comments and raw text name nothing.
        assert_eq!(
            named("{# {{ a.words }} isn't #}{% raw %}{{ a.featured }}{% endraw %}{{ a.url }}"),
            Some(vec!["url".to_string()])
        );
        assert!(scan("{# {{ isn't #}<a href=\"{{ site.url }}\">it's</a>")
            .reach
            .roots
            .contains("site"));
    }

    #[test]
    fn a_template_that_can_see_a_card_whole_gets_every_field() {
        for text in [
            "{{ a | json_encode() }}",
            "{{ a | length }}",
            "{{ __tera_context }}",
            "{% for key, value in a %}{{ key }}{% endfor %}",
            "{{ a[k] }}",
            "{{ a | get(key=k) }}",
            "{{ list | sort(attribute=site.order) }}",
            "{% if k in a %}{% endif %}",
            "{% if a is containing(k) %}{% endif %}",
            "{{ a[b[0]] }}",
            "{{ a[b.c] }}",
        ] {
            assert_eq!(named(text), None, "{text}");
        }
        for text in [
            "{{ a[\"title\"] }}{{ a[0] }}{% for x in a %}{% endfor %}",
            "{{ a | get(key=\"title\") }}{% if \"title\" in a %}{% endif %}",
            "{% if a is containing(\"title\") %}{% endif %}",
            "{{ a[\"title]]\"][0] }}",
        ] {
            assert_eq!(named(text), Some(vec!["title".to_string()]), "{text}");
        }
    }

    #[test]
    fn a_template_reaches_what_the_templates_it_extends_in_backquotes_name() {
        let root = tempfile::tempdir().unwrap();
        let templates = root.path().join(TEMPLATES_DIR);
        std::fs::create_dir(&templates).unwrap();
        std::fs::write(
            templates.join("section.html"),
            "{% extends `base.html` %}{% block main %}{% for a in articles %}{{ a.html | safe }}{% endfor %}{% endblock main %}",
        )
        .unwrap();
        let theme = Theme::load(root.path()).unwrap();
        let Fields::Named(fields) = theme.card_fields("section.html") else {
            panic!("every field");
        };
        // base.html says `site.title` and `page.description`.
        assert!(
            fields.contains("html") && fields.contains("title"),
            "{fields:?}"
        );
        assert!(theme.reaches(&["section.html"], "site"));
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
