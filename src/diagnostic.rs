//! Problems found in a user's files, reported the way a compiler does:
//! `path:line:col: message`.
//!
//! Every stage collects these instead of stopping at the first one, so a
//! build lists all of its errors together and the reader can fix them in one
//! pass. Paths are relative to the site root, the way the user thinks of them.

use std::fmt;
use std::path::{Path, PathBuf};

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
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "error: {d}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "build failed: {n} error{}",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Errors {}

impl From<Diagnostic> for Errors {
    fn from(d: Diagnostic) -> Self {
        Errors::one(d)
    }
}

/// Turn a TOML error in `text` (which starts `base` bytes into the file
/// `full`) into a diagnostic. The key being read is named when the line
/// shows it, because serde's own messages ("invalid type: sequence, expected
/// a string") do not.
pub fn from_toml(path: &Path, full: &str, base: usize, err: &toml::de::Error) -> Diagnostic {
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
        return match (span.start, key_of_line(line_text)) {
            (0, _) => Diagnostic::new(path, message),
            (_, Some(key)) => Diagnostic::at(path, full, offset, format!("{message} in `{key}`")),
            _ if table.starts_with('[') => {
                Diagnostic::at(path, full, offset, format!("{message} in {table}"))
            }
            _ => Diagnostic::at(path, full, offset, message),
        };
    }
    let message = match key_of_line(line_text) {
        Some(key) if !message.contains(&format!("`{key}`")) => format!("`{key}`: {message}"),
        _ => message,
    };
    Diagnostic::at(path, full, offset, message)
}

/// Deserialize the TOML `toml_text`, which starts `base` bytes into the
/// file `full`, and find every problem in it rather than the first.
///
/// The parser recovers from syntax errors, so all of them are listed. A
/// document without any is deserialized again and again: each value serde
/// rejects is reported and left out (a key, or one entry of a list or of a
/// `[[table]]` list) until the rest deserializes or nothing more can be
/// left out. A field missing from the document is reported and a stand-in
/// value put in its place, so a second missing field is found too; one
/// missing only because its bad value was left out is not reported twice.
/// When what is left deserializes without stand-ins, the value comes back
/// too, so the caller's own checks can add their problems to the list.
pub fn read_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    full: &str,
    base: usize,
    toml_text: &str,
) -> (Option<T>, Vec<Diagnostic>) {
    let mut err = match toml::from_str::<T>(toml_text) {
        Ok(value) => return (Some(value), Vec::new()),
        Err(err) => err,
    };
    let (mut document, syntax) = toml::de::DeTable::parse_recoverable(toml_text);
    if !syntax.is_empty() {
        let errors = syntax.iter().map(|e| from_toml(path, full, base, e));
        return (None, errors.collect());
    }
    let root = document.span();
    // Stand-ins sit past the end of the text, where no real value is.
    let stand_in_at = toml_text.len() + 1;
    let mut stand_in: Option<(String, usize)> = None;
    let mut errors = Vec::new();
    let mut left_out = Vec::new();
    loop {
        let Some(span) = err.span() else {
            errors.push(from_toml(path, full, base, &err));
            return (None, errors);
        };
        let message = err.message();
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'));
        if span.start == stand_in_at {
            // The stand-in is of the wrong type: try the next kind.
            let Some((key, kind)) = stand_in.take() else {
                return (None, errors);
            };
            if !put_stand_in(document.get_mut(), &key, kind + 1, stand_in_at) {
                return (None, errors);
            }
            stand_in = Some((key, kind + 1));
        } else if let (Some(key), true) = (missing, span == root) {
            if !left_out.iter().any(|k| k == key) {
                errors.push(from_toml(path, full, base, &err));
            }
            let key = key.to_string();
            if !put_stand_in(document.get_mut(), &key, 0, stand_in_at) {
                return (None, errors);
            }
            left_out.push(key.clone());
            stand_in = Some((key, 0));
        } else {
            errors.push(from_toml(path, full, base, &err));
            match leave_out(document.get_mut(), span.start, missing.is_some()) {
                Some(key) => left_out.extend(key),
                None => return (None, errors),
            }
        }
        let again = toml::de::Deserializer::from(document.clone());
        match T::deserialize(again) {
            Ok(value) if stand_in.is_none() => return (Some(value), errors),
            Ok(_) => return (None, errors),
            Err(next) if next.span() == err.span() && next.message() == err.message() => {
                return (None, errors)
            }
            Err(next) => err = next,
        }
    }
}

/// Put a value of the `kind`-th sort into `table` as `key`: a string, a
/// date, a number, true or false, a list or a table. `false` when no sort
/// is left to try.
fn put_stand_in(table: &mut toml::de::DeTable, key: &str, kind: usize, at: usize) -> bool {
    let Some(text) = ["\"\"", "2000-01-01", "0", "false", "[]", "{}"].get(kind) else {
        return false;
    };
    let Ok(value) = toml::de::DeValue::parse(text) else {
        return false;
    };
    let key = toml::Spanned::new(at..at, std::borrow::Cow::Owned(key.to_string()));
    table.insert(key, toml::Spanned::new(at..at, value.into_inner()));
    true
}

/// Take out of `table` the top-level value holding the byte `at` (or the
/// entry of its list that holds it). `Some(Some(key))` when a whole key was
/// taken out, `Some(None)` for a list entry, `None` when nothing holds
/// `at`. A missing field points at the table that lacks it, so for one of
/// those only values are searched, not keys.
fn leave_out(table: &mut toml::de::DeTable, at: usize, missing: bool) -> Option<Option<String>> {
    use toml::de::DeValue;
    let (key, _) = table
        .iter()
        .find(|(key, value)| (!missing && key.span().contains(&at)) || holds(value, at))?;
    let key = key.get_ref().to_string();
    if let Some(DeValue::Array(list)) = table.get_mut(key.as_str()).map(|v| v.get_mut()) {
        if let Some(i) = list.iter().position(|entry| holds(entry, at)) {
            *list = list
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, entry)| entry.clone())
                .collect();
            return Some(None);
        }
    }
    table.remove(key.as_str());
    Some(Some(key))
}

/// Whether the byte `at` is inside `value`, a key of it or a value in it.
fn holds(value: &toml::Spanned<toml::de::DeValue>, at: usize) -> bool {
    use toml::de::DeValue;
    value.span().contains(&at)
        || match value.get_ref() {
            DeValue::Array(list) => list.iter().any(|entry| holds(entry, at)),
            DeValue::Table(table) => table
                .iter()
                .any(|(key, value)| key.span().contains(&at) || holds(value, at)),
            _ => false,
        }
}

/// The text of a file read as `bytes`, or where it stops being UTF-8.
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

/// `title = ...` -> `title`, for a line holding a simple key.
fn key_of_line(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
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
            from_toml(Path::new("x.md"), text, 0, &err)
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
        let d = from_toml(Path::new("x.md"), text, 0, &err);
        assert_eq!(d.position.unwrap().0, 2);
        assert!(d.message.starts_with("`title`: "), "{}", d.message);
    }
}
