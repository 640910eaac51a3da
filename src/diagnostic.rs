//! Problems found in a user's files, reported the way a compiler does:
//! `path:line:col: message`.
//!
//! Every stage collects these instead of stopping at the first one, so a
//! build lists all of its errors together and the reader can fix them in one
//! pass. Paths are relative to the site root, the way the user thinks of them.

use std::fmt;
use std::path::{Path, PathBuf};

use toml::de::DeTable;

/// One problem in one file, with a position where there is one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line and column, when the problem has a place in the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl Diagnostic {
    /// A problem with the file as a whole.
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            position: None,
            message: message.into(),
        }
    }

    /// A problem at a byte offset into `text`, the file's contents.
    pub fn at(
        path: impl Into<PathBuf>,
        text: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            position: Some(line_col(text, offset)),
            message: message.into(),
        }
    }

    /// A problem at a known line and column.
    pub fn at_line(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            position: Some((line, column)),
            message: message.into(),
        }
    }

    /// An I/O failure on `path`, with the operation that failed.
    pub fn io(path: &Path, doing: &str, err: &std::io::Error) -> Self {
        Diagnostic::new(path, format!("could not {doing}: {err}"))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The 1-based line and column (counted in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// What a stage found wrong: errors fail the build, warnings are printed.
#[derive(Debug, Default)]
pub struct Problems {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Problems {
    /// Add another stage's problems to these.
    pub fn absorb(&mut self, other: Problems) {
        self.errors.extend(other.errors);
        self.warnings.extend(other.warnings);
    }
}

/// A build that failed: every error found, sorted by file and position.
#[derive(Debug)]
pub struct Errors(pub Vec<Diagnostic>);

impl Errors {
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort();
        diagnostics.dedup();
        Errors(diagnostics)
    }

    pub fn one(diagnostic: Diagnostic) -> Self {
        Errors(vec![diagnostic])
    }

    /// These errors and `more`, sorted together.
    pub fn and(self, more: impl IntoIterator<Item = Diagnostic>) -> Self {
        Errors::new(self.0.into_iter().chain(more).collect())
    }
}

/// How the note that a file has more problems than are listed begins.
const MORE_THAN: &str = "more problems than the";

impl Diagnostic {
    /// The note that `path` has more problems than the `listed` before it.
    pub fn more_than(path: &Path, listed: usize) -> Diagnostic {
        let message = format!("{MORE_THAN} {listed} listed: fix these and build again");
        Diagnostic::new(path, message)
    }

    fn is_more_than(&self) -> bool {
        self.position.is_none() && self.message.starts_with(MORE_THAN)
    }
}

impl Errors {
    /// Every error on a line of its own, then `ending` with their count:
    /// `build failed: 2 errors`; `2 errors listed, and more` where a file
    /// had more than were listed.
    pub fn listed<'a>(&'a self, ending: &'a str) -> impl fmt::Display + 'a {
        struct Listed<'a>(&'a Errors, &'a str);
        impl fmt::Display for Listed<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                for d in &self.0 .0 {
                    match d.is_more_than() {
                        true => writeln!(f, "note: {d}")?,
                        false => writeln!(f, "error: {d}")?,
                    }
                }
                let notes = self.0 .0.iter().filter(|d| d.is_more_than()).count();
                let n = self.0 .0.len() - notes;
                let s = if n == 1 { "" } else { "s" };
                match notes {
                    0 => write!(f, "{}: {n} error{s}", self.1),
                    _ => write!(f, "{}: {n} error{s} listed, and more", self.1),
                }
            }
        }
        Listed(self, ending)
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.listed("build failed"))
    }
}

impl std::error::Error for Errors {}

impl From<Diagnostic> for Errors {
    fn from(d: Diagnostic) -> Self {
        Errors::one(d)
    }
}

/// Turn a TOML error in `text` (which starts `base` bytes into the file
/// `full`) into a diagnostic. The key being read is named, because serde's
/// own messages ("invalid type: sequence, expected a string") do not: by
/// its whole dotted name (`feeds.limit`) when the parsed `document` is
/// given, else when the line shows it.
pub fn from_toml(
    path: &Path,
    full: &str,
    base: usize,
    err: &toml::de::Error,
    document: Option<&DeTable>,
) -> Diagnostic {
    let message = plain_types(err.message().trim_end());
    let Some(span) = err.span() else {
        return Diagnostic::new(path, message);
    };
    let offset = base + span.start;
    let line_text = line_at(full, offset);
    if message.starts_with("missing field") {
        // The span is the table missing it: the whole document points
        // nowhere useful; a `[[corrections]]` entry or an inline table
        // does.
        let table = line_text.trim();
        // The document itself spans nothing; a table at its very start
        // does.
        return match (span == (0..0), key_of_line(line_text)) {
            (true, _) => Diagnostic::new(path, message),
            _ if table.starts_with('[') => {
                Diagnostic::at(path, full, offset, format!("{message} in {table}"))
            }
            (_, Some(key)) => Diagnostic::at(path, full, offset, format!("{message} in `{key}`")),
            _ => Diagnostic::at(path, full, offset, message),
        };
    }
    let message = said_plainly(message, line_text);
    // `[corrections]` where `[[corrections]]` was meant.
    let header = line_text.trim();
    let message = match (
        header.strip_prefix('['),
        message.contains("expected a list"),
    ) {
        (Some(name), true) if !name.starts_with('[') => {
            format!("{message}; write [{header}] above each entry of the list")
        }
        _ => message,
    };
    let name = document.and_then(|d| crate::toml_read::key_named(d, span.start));
    at_key(path, full, offset, message, name)
}

/// TOML's message, said for the slips editors make: quotes a word
/// processor curled, a date in quotes' stead, an article's key written
/// below a `[[corrections]]` entry, which TOML reads as the entry's.
fn said_plainly(message: String, line: &str) -> String {
    // Punctuation a Chinese or Japanese keyboard writes full-width, which
    // TOML does not read as its own: `tags = ["天气"，"高温"]`.
    if let Some((wide, ascii)) = full_width_outside_quotes(line) {
        return format!(
            "`{wide}` is a full-width `{ascii}`, which TOML does not read: write `{ascii}`"
        );
    }
    const CURLED: [char; 14] = [
        '“', '”', '‘', '’', '„', '‚', '«', '»', '‹', '›', '＂', '「', '」', '״',
    ];
    if message.starts_with("string values must be quoted") {
        let value = line.split_once('=').map_or(line, |(_, value)| value);
        if value.contains(CURLED) {
            return "typographic quotes (“ ” ‘ ’) do not quote a value in TOML: write straight \
                    ones, \"like this\""
                .to_string();
        }
        if matches!(key_of_line(line), Some("date" | "updated")) {
            return "a date is written like 2026-04-27 or 2026-04-27T09:00:00Z: year first, \
                    and without quotes"
                .to_string();
        }
    }
    // A key in another script than Latin, written without quotes.
    if message.starts_with("invalid unquoted key") {
        let key = line.split_once('=').map_or(line, |(key, _)| key).trim();
        if !key.is_ascii() && !key.contains(['"', '\'']) {
            return format!(
                "a key written without quotes has only ASCII letters, digits, `-` and `_`: \
                 quote it, \"{key}\" = ..."
            );
        }
    }
    use crate::content::ARTICLE_KEYS;
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        if rest.contains("expected `date` or `text`") && ARTICLE_KEYS.contains(&field) {
            return format!(
                "{message}: every key below a `[[corrections]]` line is the correction's, so \
                 the article's `{field}` goes above the first `[[corrections]]`"
            );
        }
        // The keys allowed, as serde lists them after "expected".
        let allowed = rest.split_once("expected").map_or("", |(_, list)| list);
        let allowed: Vec<&str> = allowed.split('`').skip(1).step_by(2).collect();
        // With one key allowed, "expected `limit`" says it already.
        if let (Some(meant), true) = (did_you_mean(field, allowed.clone()), allowed.len() > 1) {
            return format!("{message}; did you mean `{meant}`?");
        }
    }
    message
}

/// The first full-width `，` `＝` `［` `］` `｛` `｝` `：` of `line` outside a
/// quoted string, with the character TOML wants there.
fn full_width_outside_quotes(line: &str) -> Option<(char, char)> {
    const WIDE: [(char, char); 7] = [
        ('，', ','),
        ('＝', '='),
        ('［', '['),
        ('］', ']'),
        ('｛', '{'),
        ('｝', '}'),
        ('：', ':'),
    ];
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in line.chars() {
        match quote {
            Some(q) => match (escaped, c) {
                (false, '\\') if q == '"' => escaped = true,
                (false, c) if c == q => quote = None,
                _ => escaped = false,
            },
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => return None,
            None => {
                if let Some(&pair) = WIDE.iter().find(|(wide, _)| *wide == c) {
                    return Some(pair);
                }
            }
        }
    }
    None
}

/// `text` in double quotes, as written: only quotes, backslashes and
/// controls escaped, not a letter's marks (Hebrew points, an accent
/// written apart) as `{:?}` escapes them.
pub fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => out.extend(['\\', c]),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A problem at `offset` into `full`, named after its key (`name`, else
/// the key of its line) when the message does not name it already.
pub fn at_key(
    path: &Path,
    full: &str,
    offset: usize,
    message: String,
    name: Option<String>,
) -> Diagnostic {
    let name = name.or_else(|| key_of_line(line_at(full, offset)).map(str::to_string));
    let message = match name {
        Some(name) => {
            let last = name.rsplit('.').next().unwrap_or(&name);
            let quoted = format!("`{last}`");
            match message.contains(&quoted) {
                // A table's unknown key, by its whole name: `feeds.limitt`.
                true if name != last && message.starts_with(&format!("unknown field {quoted}")) => {
                    message.replacen(&quoted, &format!("`{name}`"), 1)
                }
                true => message,
                false => format!("`{name}`: {message}"),
            }
        }
        None => message,
    };
    Diagnostic::at(path, full, offset, message)
}

/// The text of a file read as `bytes`, or where it stops being UTF-8.
/// The one of `known` that `wrong` was most likely meant to be: the same
/// but for case, else the nearest a slip of a key or two away (the first
/// of equals, in `known`'s order); none if no name is that near.
pub fn did_you_mean<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong = wrong.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for name in known {
        let distance = strsim::osa_distance(&wrong, &name.to_lowercase());
        if distance == 0 {
            return Some(name);
        }
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, name));
        }
    }
    // Within two slips (a key added, left out, swapped or mistyped), and
    // fewer than a third of the name's letters.
    let near = |d: usize| d <= 2 && d * 3 < wrong.chars().count();
    best.filter(|&(d, _)| near(d)).map(|(_, name)| name)
}

pub fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // The text before is valid, so its lines and characters count.
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = line_col(before, valid);
        Diagnostic::at_line(
            path,
            line,
            column,
            format!(
                "byte 0x{:02X} is not UTF-8 text; save the file as UTF-8",
                bytes[valid]
            ),
        )
    })
}

/// "a string", "an integer": a TOML value's type as a sentence says it.
pub fn a_toml_value(kind: &str) -> String {
    match kind {
        "integer" => "a whole number".to_string(),
        "float" => "a number with a decimal point".to_string(),
        "boolean" => "true or false".to_string(),
        "array" => "a list".to_string(),
        other => format!("a {other}"),
    }
}

/// serde's words for types ("usize", "a sequence") in the words of TOML
/// and of the README.
fn plain_types(message: &str) -> String {
    let mut plain = message.to_string();
    for (from, to) in [
        (
            "expected a nonzero usize",
            "expected a whole number, 1 or more",
        ),
        ("expected usize", "expected a whole number, 0 or more"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected u16", "expected a whole number, 0 or more"),
        ("expected u8", "expected a whole number, 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        (
            "expected a sequence",
            "expected a list, like [\"a\", \"b\"]",
        ),
        ("invalid type: sequence", "invalid type: list"),
        ("expected a map", "expected a table"),
        ("expected a boolean", "expected true or false"),
        ("invalid type: map", "invalid type: table"),
        // A number too large for any integer type.
        (" as i128", ""),
        (" as u128", ""),
    ] {
        if let Some(at) = plain.find(from) {
            // Only the whole word: "expected u8" is not "expected u80".
            let end = at + from.len();
            let next = plain[end..].chars().next();
            if !next.is_some_and(|c| c.is_ascii_alphanumeric()) {
                plain.replace_range(at..end, to);
            }
        }
    }
    plain
}

fn line_at(text: &str, offset: usize) -> &str {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    &text[start..end]
}

/// `title = ...` -> `title`, for a line holding a simple key; `[related]`
/// and `[[corrections]]` -> the table's name.
pub(crate) fn key_of_line(line: &str) -> Option<&str> {
    let trimmed = line.trim();
    let header = trimmed
        .strip_prefix("[[")
        .and_then(|t| t.strip_suffix("]]"))
        .or_else(|| trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')));
    let key = match header {
        Some(name) => name.trim(),
        None => line.split_once('=')?.0.trim(),
    };
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    simple.then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_near_a_known_one_is_suggested() {
        let known = [
            "article.html",
            "base.html",
            "page.html",
            "partials/box.html",
        ];
        let meant = |wrong: &str| did_you_mean(wrong, known);
        assert_eq!(meant("Article.html"), Some("article.html"));
        assert_eq!(meant("ARTICLE.HTML"), Some("article.html"));
        assert_eq!(meant("artcle.html"), Some("article.html"));
        assert_eq!(meant("article.htm"), Some("article.html"));
        assert_eq!(meant("Partials/Box.html"), Some("partials/box.html"));
        // Two edits from both: the first.
        assert_eq!(meant("bage.htm"), Some("base.html"));
        assert_eq!(meant("landing.html"), None);
        assert_eq!(meant("ab"), None);
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nçé = x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // "çé" is four bytes, two characters.
        assert_eq!(line_col(text, 7), (2, 3));
    }

    #[test]
    fn display_has_compiler_shape() {
        let d = Diagnostic::at_line("content/a.md", 4, 8, "bad date");
        assert_eq!(d.to_string(), "content/a.md:4:8: bad date");
        assert_eq!(
            Diagnostic::new("site.toml", "missing").to_string(),
            "site.toml: missing"
        );
    }

    #[test]
    fn a_field_missing_from_a_table_points_at_the_table() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Correction {
            date: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            title: String,
            #[serde(default)]
            corrections: Vec<Correction>,
        }
        let missing = |text: &str| {
            let err = toml::from_str::<T>(text).unwrap_err();
            from_toml(Path::new("x.md"), text, 0, &err, None)
        };
        let d = missing("title = \"x\"\n\n[[corrections]]\ntext = \"a\"\n");
        assert_eq!(d.position, Some((3, 1)));
        assert_eq!(d.message, "missing field `date` in [[corrections]]");
        let d = missing("title = \"x\"\ncorrections = [{ text = \"a\" }]\n");
        assert_eq!(d.position.map(|p| p.0), Some(2));
        assert_eq!(d.message, "missing field `date` in `corrections`");
        // The document itself: no place to point at.
        let d = missing("corrections = []\n");
        assert_eq!(
            (d.position, d.message.as_str()),
            (None, "missing field `title`")
        );
    }

    #[test]
    fn serde_type_names_become_plain_words() {
        assert_eq!(
            plain_types("invalid type: string \"ten\", expected usize"),
            "invalid type: string \"ten\", expected a whole number, 0 or more"
        );
        assert_eq!(
            plain_types("invalid type: string \"x\", expected a sequence"),
            "invalid type: string \"x\", expected a list, like [\"a\", \"b\"]"
        );
        assert_eq!(plain_types("expected u80"), "expected u80");
    }

    #[test]
    fn toml_type_errors_name_the_key() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            title: String,
        }
        let text = "\ntitle = [\"a\", \"b\"]\n";
        let err = toml::from_str::<T>(text).unwrap_err();
        let d = from_toml(Path::new("x.md"), text, 0, &err, None);
        assert_eq!(d.position.unwrap().0, 2);
        assert!(d.message.starts_with("`title`: "), "{}", d.message);
    }
}
