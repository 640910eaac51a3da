//! Reading a TOML file (`site.toml`, an article's front matter) so that
//! every problem in it is found, not only the first.
//!
//! A file that deserializes is read once, with `toml::from_str`. Otherwise:
//!
//! - Syntax errors: the parser recovers, so all of them are listed. A list
//!   or `{ }` table left open swallows the lines after it and makes an
//!   error of each; those become one error at the bracket left open, and
//!   the lines from the next key or table on are read again for their own.
//! - Otherwise the document is deserialized again and again. Each value
//!   serde rejects is reported and left out, as deep as it sits: a key of
//!   a table, or one entry of a list. A field reported missing gets a
//!   stand-in value, so the next missing field is found too; a field that
//!   is missing only because its bad value was left out is not reported
//!   twice.
//! - When what is left deserializes, the value comes back too, so the
//!   caller's own checks can add their problems: without the entries of a
//!   list that needed stand-ins, and naming the top-level keys that hold
//!   one, whose checks the caller skips.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostic::{from_toml, Diagnostic};

/// At most this many problems are listed for one file; more are very likely
/// one mistake seen many times, and each costs a pass over the document.
pub const MOST_PER_FILE: usize = 50;

/// Deserializing finds problems in the order of the keys' names, not of
/// their lines: this many are gathered, and the first by line listed.
const GATHERED: usize = 4 * MOST_PER_FILE;

/// What [`read`] made of a document.
pub struct Read<T> {
    /// The value, when what is good in the document makes one.
    pub value: Option<T>,
    /// Every problem found.
    pub errors: Vec<Diagnostic>,
    /// The top-level keys whose value in `value` is a stand-in: they are
    /// missing or wrong, and already among `errors`.
    pub stand_ins: Vec<String>,
}

/// Deserialize the TOML `toml_text`, which starts `base` bytes into the
/// file `full`.
pub fn read<T: serde::de::DeserializeOwned>(
    path: &Path,
    full: &str,
    base: usize,
    toml_text: &str,
) -> Read<T> {
    let err = match toml::from_str::<T>(toml_text) {
        Ok(value) => {
            return Read {
                value: Some(value),
                errors: Vec::new(),
                stand_ins: Vec::new(),
            }
        }
        Err(err) => err,
    };
    let (mut document, syntax) = DeTable::parse_recoverable(toml_text);
    if !syntax.is_empty() {
        let errors = syntax_errors(path, full, base, toml_text, &document, syntax);
        return Read {
            value: None,
            errors: at_most(path, errors),
            stand_ins: Vec::new(),
        };
    }
    // As written, for naming keys: the rereading changes `document`.
    let written = document.clone();
    let mut reread = Reread {
        document: &mut document,
        // Stand-ins sit past the end of the text, where no real value is.
        stand_in_at: toml_text.len() + 1,
        probing: None,
        stood_in: Vec::new(),
        top_stand_ins: Vec::new(),
        left_out: Vec::new(),
        errors: Vec::new(),
    };
    let value = reread.run::<T>(err);
    let errors =
        (reread.errors.iter()).map(|e| from_toml(path, full, base, e, Some(written.get_ref())));
    Read {
        value,
        errors: at_most(path, errors.collect()),
        stand_ins: reread.top_stand_ins,
    }
}

/// The first [`MOST_PER_FILE`] of `errors` by place, and a note if there
/// were more.
pub fn at_most(path: &Path, mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if errors.len() > MOST_PER_FILE {
        errors.sort_by_key(|e| e.position);
        errors.truncate(MOST_PER_FILE);
        errors.push(Diagnostic::more_than(path, MOST_PER_FILE));
    }
    errors
}

/// The state of deserializing a document again and again.
struct Reread<'a, 'i> {
    document: &'a mut Spanned<DeTable<'i>>,
    stand_in_at: usize,
    /// The stand-in whose type is being found: its table, key and sort.
    probing: Option<(Range<usize>, String, usize)>,
    /// The tables given a stand-in, by span.
    stood_in: Vec<Range<usize>>,
    /// The keys of the document itself given a stand-in.
    top_stand_ins: Vec<String>,
    /// Keys left out, with the span of their table.
    left_out: Vec<(Range<usize>, String)>,
    errors: Vec<toml::de::Error>,
}

impl Reread<'_, '_> {
    /// Deserialize until it works or nothing more can be done, starting
    /// from the first error; the value if it needed no stand-in.
    fn run<T: serde::de::DeserializeOwned>(&mut self, mut err: toml::de::Error) -> Option<T> {
        // Each pass leaves something out or fills something in, so this
        // ends; the bound is for safety.
        for _ in 0..GATHERED * 20 {
            if self.errors.len() > GATHERED {
                return None;
            }
            if !self.step(err) {
                return None;
            }
            match deserialize::<T>(self.document) {
                Ok(value) if self.stood_in.is_empty() => return Some(value),
                Ok(_) => return self.without_stand_ins(),
                Err(next) => err = next,
            }
        }
        None
    }

    /// The value of the document without the tables inside it that
    /// needed a stand-in (an entry of `[[corrections]]`, say); the
    /// document's own stand-ins stay, named in `top_stand_ins`.
    fn without_stand_ins<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        let root = self.document.span();
        let mut document = self.document.clone();
        for table in self.stood_in.iter().filter(|t| **t != root) {
            leave_out(document.get_mut(), root.clone(), table.start)?;
        }
        deserialize(&document).ok()
    }

    /// Note `err` and change the document so the next pass gets past it;
    /// `false` when that cannot be done.
    fn step(&mut self, err: toml::de::Error) -> bool {
        let Some(span) = err.span() else {
            self.errors.push(err);
            return false;
        };
        if span.start == self.stand_in_at {
            // The stand-in is of the wrong type: try the next sort.
            let Some((table, key, sort)) = self.probing.take() else {
                return false;
            };
            let done = self.put_stand_in(&table, &key, sort + 1);
            self.probing = Some((table, key, sort + 1));
            return done;
        }
        let missing = err
            .message()
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'))
            .map(str::to_string);
        if let Some(key) = missing {
            if !self.left_out.contains(&(span.clone(), key.clone())) {
                self.errors.push(err);
            }
            if !self.stood_in.contains(&span) {
                self.stood_in.push(span.clone());
            }
            if span == self.document.span() {
                self.top_stand_ins.push(key.clone());
            }
            let done = self.put_stand_in(&span, &key, 0);
            self.probing = Some((span, key, 0));
            return done;
        }
        self.errors.push(err);
        let root = self.document.span();
        match leave_out(self.document.get_mut(), root, span.start) {
            Some(key) => {
                self.left_out.extend(key);
                true
            }
            None => false,
        }
    }

    /// Put a value of the `sort`-th kind into the table at `table` as
    /// `key`: a string, a date, a number, true or false, a list or a table.
    fn put_stand_in(&mut self, table: &Range<usize>, key: &str, sort: usize) -> bool {
        let Some(text) = ["\"\"", "2000-01-01", "0", "false", "[]", "{}"].get(sort) else {
            return false;
        };
        let (Ok(value), Some(table)) = (DeValue::parse(text), table_at(self.document, table))
        else {
            return false;
        };
        let at = self.stand_in_at;
        let key = Spanned::new(at..at, std::borrow::Cow::Owned(key.to_string()));
        table.insert(key, Spanned::new(at..at, value.into_inner()));
        true
    }
}

fn deserialize<T: serde::de::DeserializeOwned>(
    document: &Spanned<DeTable>,
) -> Result<T, toml::de::Error> {
    T::deserialize(toml::de::Deserializer::from(document.clone()))
}

/// The table spanning `span`: the document itself or one inside it.
fn table_at<'a, 'i>(
    value: &'a mut Spanned<DeTable<'i>>,
    span: &Range<usize>,
) -> Option<&'a mut DeTable<'i>> {
    if value.span() == *span {
        return Some(value.get_mut());
    }
    fn inside<'a, 'i>(
        value: &'a mut Spanned<DeValue<'i>>,
        span: &Range<usize>,
    ) -> Option<&'a mut DeTable<'i>> {
        // A `[[list]]` spans its first header, as its first table does.
        if value.span() == *span && value.get_ref().is_table() {
            return match value.get_mut() {
                DeValue::Table(table) => Some(table),
                _ => None,
            };
        }
        match value.get_mut() {
            DeValue::Table(table) => table.iter_mut().find_map(|(_, v)| inside(v, span)),
            DeValue::Array(list) => list.iter_mut().find_map(|v| inside(v, span)),
            _ => None,
        }
    }
    value
        .get_mut()
        .iter_mut()
        .find_map(|(_, v)| inside(v, span))
}

/// Take out of `table` (spanning `span`) what holds the byte `at`, as deep
/// as it sits. `Some(Some(..))` names a key taken out with its table's
/// span, `Some(None)` is a list entry taken out, `None` means nothing
/// holds `at`.
fn leave_out(
    table: &mut DeTable,
    span: Range<usize>,
    at: usize,
) -> Option<Option<(Range<usize>, String)>> {
    let (key, value) = table
        .iter()
        .find(|(key, value)| key.span().contains(&at) || holds(value, at))?;
    let on_key = key.span().contains(&at);
    let key = key.get_ref().to_string();
    let value_span = value.span();
    if !on_key {
        let value = table.get_mut(key.as_str())?;
        match value.get_mut() {
            DeValue::Table(inner) if inner_holds(inner, at) => {
                return leave_out(inner, value_span, at);
            }
            DeValue::Array(list) => {
                if let Some(i) = list.iter().position(|entry| holds(entry, at)) {
                    let entry_span = list[i].span();
                    if let Some(DeValue::Table(inner)) = list.get_mut(i).map(|e| e.get_mut()) {
                        if inner_holds(inner, at) {
                            return leave_out(inner, entry_span, at);
                        }
                    }
                    *list = list
                        .iter()
                        .enumerate()
                        .filter(|&(j, _)| j != i)
                        .map(|(_, entry)| entry.clone())
                        .collect();
                    return Some(None);
                }
            }
            _ => {}
        }
    }
    table.remove(key.as_str());
    Some(Some((span, key)))
}

/// The dotted name of the key whose key or value holds the byte `at`,
/// through tables and lists of tables: `feeds.limit` for `limit` under
/// `[feeds]`, `corrections.text` in a `[[corrections]]` entry.
pub fn key_named(document: &DeTable, at: usize) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    let mut table = document;
    while let Some((key, value)) = table
        .iter()
        .find(|(key, value)| key.span().contains(&at) || holds(value, at))
    {
        names.push(key.get_ref());
        if key.span().contains(&at) {
            break;
        }
        let inner = match value.get_ref() {
            DeValue::Table(inner) => Some(inner),
            DeValue::Array(list) => list.iter().find_map(|entry| match entry.get_ref() {
                DeValue::Table(inner) if inner_holds(inner, at) => Some(inner),
                _ => None,
            }),
            _ => None,
        };
        match inner {
            Some(inner) if inner_holds(inner, at) => table = inner,
            _ => break,
        }
    }
    (!names.is_empty()).then(|| names.join("."))
}

/// Whether the byte `at` is inside `value`, a key of it or a value in it.
fn holds(value: &Spanned<DeValue>, at: usize) -> bool {
    value.span().contains(&at)
        || match value.get_ref() {
            DeValue::Array(list) => list.iter().any(|entry| holds(entry, at)),
            DeValue::Table(table) => inner_holds(table, at),
            _ => false,
        }
}

/// Whether the byte `at` is inside a key or value of `table`.
fn inner_holds(table: &DeTable, at: usize) -> bool {
    table
        .iter()
        .any(|(key, value)| key.span().contains(&at) || holds(value, at))
}

/// The syntax errors of a document, with what a list or `{ }` table left
/// open did to the lines after it made one error at its bracket.
///
/// Such a bracket swallows every line after it, and the errors in them. To
/// find the mistakes there too, the value is taken to end before the next
/// line that starts a key or a table (`summary = ...`, `[extra]`): the text
/// is parsed again with the value emptied up to there, and the errors from
/// there on are kept, for as long as that finds more.
fn syntax_errors(
    path: &Path,
    full: &str,
    base: usize,
    toml_text: &str,
    document: &Spanned<DeTable>,
    errors: Vec<toml::de::Error>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut next = one_pass(toml_text, document, errors, 0, &mut found);
    let mut text = toml_text.to_string();
    for _ in 0..MOST_PER_FILE {
        let Some(open) = next else {
            break;
        };
        let Some(resume) = next_key_line(&text, open) else {
            break;
        };
        // The value becomes `0` and spaces, lines kept: every place after
        // it is where it was.
        let mut patched = text.into_bytes();
        patched[open..resume]
            .iter_mut()
            .filter(|b| **b != b'\n')
            .for_each(|b| *b = b' ');
        patched[open] = b'0';
        text = String::from_utf8(patched).unwrap_or_default();
        let (document, errors) = DeTable::parse_recoverable(&text);
        if errors.is_empty() {
            break;
        }
        next = one_pass(&text, &document, errors, resume, &mut found);
    }
    found.sort_by_key(|(at, _)| *at);
    found.truncate(MOST_PER_FILE + 1);
    found
        .into_iter()
        .map(|(_, error)| match error {
            Ok(e) => from_toml(path, full, base, &e, None),
            Err((range, list)) => {
                let (what, close) = match list {
                    true => ("list", ']'),
                    false => ("table", '}'),
                };
                let message = format!(
                    "the {what} opened here is never closed: add `{close}` after its last value"
                );
                crate::diagnostic::at_key(path, full, base + range.start, message, None)
            }
        })
        .collect()
}

/// A syntax error, or a list (`true`) or `{ }` table left open.
type Found = (usize, Result<toml::de::Error, (Range<usize>, bool)>);

/// Add to `found` the errors of a parse of `text` (`document`, `errors`)
/// from byte `from` on: those before the first list or table left open
/// there, and that bracket, said once. Where that bracket begins, to read
/// on after it; `None` when there is none, or, past the first parse, when
/// one left open cannot be placed, which then adds nothing, since where
/// its swallowed lines begin is unknown.
fn one_pass(
    text: &str,
    document: &Spanned<DeTable>,
    errors: Vec<toml::de::Error>,
    from: usize,
    found: &mut Vec<Found>,
) -> Option<usize> {
    let unclosed = errors.iter().filter_map(|err| {
        let span = err.span()?;
        let list = match err.message() {
            m if m.starts_with("unclosed array") => true,
            m if m.starts_with("unclosed ") => false,
            _ => return None,
        };
        // Past the first parse, a duplicate key may be one only because
        // the parse before emptied the value of its first.
        let start = opened_at(document.get_ref(), span.end, list)
            .or_else(|| (from == 0).then(|| opened_by_duplicate(text, &errors, list))?);
        Some((start, span.end, list))
    });
    let mut open: Option<(Range<usize>, bool)> = None;
    for (start, end, list) in unclosed {
        match start {
            Some(start)
                if start >= from && open.as_ref().is_none_or(|(range, _)| start < range.start) =>
            {
                open = Some((start..end, list));
            }
            Some(_) => {}
            None if from > 0 => return None,
            None => {}
        }
    }
    let swallowed_from = open.as_ref().map_or(usize::MAX, |(range, _)| range.start);
    for err in errors {
        let at = err.span().map_or(0, |s| s.start);
        if (from..swallowed_from).contains(&at) || (from == 0 && err.span().is_none()) {
            found.push((at, Ok(err)));
        }
    }
    open.map(|open| {
        let start = open.0.start;
        found.push((start, Err(open)));
        start
    })
}

/// Where the list (or `{ }` table) begins that a duplicate key opens, or
/// a dotted key that cannot extend the value before it: the parse leaves
/// such a value out of the document, so [`opened_at`] cannot find it. The
/// last such key is the one: a bracket left open turns every later line
/// into its values, where no key is read, duplicate or not.
fn opened_by_duplicate(text: &str, errors: &[toml::de::Error], list: bool) -> Option<usize> {
    let bracket = if list { '[' } else { '{' };
    let key_end = errors
        .iter()
        .filter(|err| {
            let message = err.message();
            message == "duplicate key" || message.starts_with("cannot extend value")
        })
        .filter_map(|err| err.span())
        .map(|span| span.end)
        .next_back()?;
    // The error may name one part of a dotted key (`b` of `b.y = [`).
    let line = &text[key_end..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let value = line[line.find('=')? + 1..].trim_start();
    value
        .starts_with(bracket)
        .then(|| key_end + line.len() - value.len())
}

/// Where the first line after the one holding byte `at` that starts a key
/// or a table begins, if one does.
fn next_key_line(text: &str, at: usize) -> Option<usize> {
    let mut start = at + text[at..].find('\n')? + 1;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if crate::diagnostic::key_of_line(&text[start..end]).is_some() {
            return Some(start);
        }
        start = end + 1;
    }
    None
}

/// Where the outermost list (or `{ }` table) in `table` that runs to the
/// byte `end` begins.
fn opened_at(table: &DeTable, end: usize, list: bool) -> Option<usize> {
    fn search(value: &Spanned<DeValue>, end: usize, list: bool) -> Option<usize> {
        let span = value.span();
        match value.get_ref() {
            DeValue::Array(_) if list && span.end == end => Some(span.start),
            DeValue::Table(_) if !list && span.end == end => Some(span.start),
            DeValue::Array(items) => items.iter().find_map(|v| search(v, end, list)),
            DeValue::Table(table) => opened_at(table, end, list),
            _ => None,
        }
    }
    table.values().find_map(|v| search(v, end, list))
}

/// A value that TOML must give as a table: `deserialize_with =
/// "crate::toml_read::table"` on a field of a derived struct's type.
///
/// serde's derived structs also read a list of their values in field order,
/// so `corrections = [[2026-01-02, "Fixed a name."]]` or `feeds = [10,
/// "full"]` would be taken without a word; no one writing front matter or
/// `site.toml` means that.
struct Table<T>(T);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Table<T> {
    fn deserialize<D: serde::Deserializer<'de>>(from: D) -> Result<Self, D::Error> {
        struct OnlyMaps<T>(std::marker::PhantomData<T>);
        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for OnlyMaps<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        from.deserialize_map(OnlyMaps(std::marker::PhantomData))
            .map(Table)
    }
}

/// A field holding a table (`[feeds]`); see [`Table`].
pub fn table<'de, D, T>(from: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Table<T> as serde::Deserialize>::deserialize(from).map(|t| t.0)
}

/// A field holding a list of tables (`[[corrections]]`); see [`Table`].
pub fn tables<'de, D, T>(from: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let read = <Vec<Table<T>> as serde::Deserialize>::deserialize(from)?;
    Ok(read.into_iter().map(|t| t.0).collect())
}

/// An optional field holding a list of tables (`[[nav]]`), with
/// `#[serde(default)]`.
pub fn some_tables<'de, D, T>(from: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    tables(from).map(Some)
}

/// An optional field holding a table whose place is kept (`[related]`),
/// with `#[serde(default)]`.
pub fn some_spanned_table<'de, D, T>(from: D) -> Result<Option<Spanned<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let read = <Spanned<Table<T>> as serde::Deserialize>::deserialize(from)?;
    let span = read.span();
    Ok(Some(Spanned::new(span, read.into_inner().0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Entry {
        date: toml::Value,
        text: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        entries: Vec<Entry>,
        #[serde(default)]
        extra: toml::Table,
    }

    /// Every problem as `line:col: message`, and whether a value came back.
    fn problems(text: &str) -> (Vec<String>, Option<Doc>) {
        let read = read::<Doc>(Path::new("x.toml"), text, 0, text);
        let value = read.value;
        let mut lines: Vec<String> = read
            .errors
            .iter()
            .map(|d| match d.position {
                Some((line, col)) => format!("{line}:{col}: {}", d.message),
                None => d.message.clone(),
            })
            .collect();
        lines.sort();
        (lines, value)
    }

    #[test]
    fn every_bad_key_of_every_list_entry_is_listed() {
        let text = "title = \"T\"\n\
                    [[entries]]\ntext = 5\nfoo = 1\n\
                    [[entries]]\nbar = 1\ndate = 2026-05-01\ntext = \"ok\"\n\
                    [[entries]]\ndate = 2026-05-02\ntext = \"kept\"\n";
        let (lines, value) = problems(text);
        assert_eq!(
            lines,
            [
                "2:1: missing field `date` in [[entries]]",
                "3:8: `entries.text`: invalid type: integer `5`, expected a string",
                "4:1: unknown field `entries.foo`, expected `date` or `text`",
                "6:1: unknown field `entries.bar`, expected `date` or `text`",
            ]
        );
        // The entry that needed stand-ins is left out; the others are read,
        // so the caller's own checks still see them.
        let texts: Vec<String> = value.unwrap().entries.into_iter().map(|e| e.text).collect();
        assert_eq!(texts, ["ok", "kept"]);
    }

    #[test]
    fn a_key_in_a_table_is_named_by_its_whole_name() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Feeds {
            limit: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Site {
            feeds: Feeds,
        }
        for text in [
            "[feeds]\nlimit = -1\n",
            "feeds.limit = -1\n",
            "feeds = { limit = -1 }\n",
        ] {
            let read = read::<Site>(Path::new("x.toml"), text, 0, text);
            let messages: Vec<&str> = read.errors.iter().map(|d| d.message.as_str()).collect();
            assert_eq!(
                messages,
                ["`feeds.limit`: invalid value: integer `-1`, expected a whole number, 0 or more"],
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_required_field_left_out_or_missing_is_reported_once() {
        let (lines, value) = problems("title = 1\ntags = [\"a\", 2, \"b\", 3]\n");
        assert_eq!(
            lines,
            [
                "1:9: `title`: invalid type: integer `1`, expected a string",
                "2:14: `tags`: invalid type: integer `2`, expected a string",
                "2:22: `tags`: invalid type: integer `3`, expected a string",
            ]
        );
        // The rest is read, `title` holding a stand-in the reader names.
        assert_eq!(value.map(|d| d.tags), Some(vec!["a".into(), "b".into()]));
        let read = read::<Doc>(Path::new("x.toml"), "title = 1\n", 0, "title = 1\n");
        assert_eq!(read.stand_ins, ["title"]);
        let (lines, _) = problems("[[entries]]\ntext = \"a\"\n");
        assert_eq!(
            lines,
            [
                "1:1: missing field `date` in [[entries]]",
                "missing field `title`",
            ]
        );
    }

    #[test]
    fn a_list_left_open_is_one_error_at_its_bracket() {
        let (lines, _) = problems("title = \"T\"\ntags = [\"a\", \"b\"\nx = \"S\"\ny = 2\n");
        assert_eq!(
            lines,
            ["2:8: `tags`: the list opened here is never closed: add `]` after its last value"]
        );
        let (lines, _) = problems("title = \"T\"\nextra = { a = 1\nb = 2\n");
        assert_eq!(
            lines,
            ["2:9: `extra`: the table opened here is never closed: add `}` after its last value"]
        );
        // Lists opened inside it end with it: one error still, first.
        let (lines, _) = problems(&format!("title = \"T\"\n{}", "x = [\n".repeat(60)));
        assert!(
            lines.contains(
                &"2:5: `x`: the list opened here is never closed: add `]` after its last value"
                    .to_string()
            ),
            "{lines:?}"
        );
        assert_eq!(lines.len(), 1, "{lines:?}");
        // The mistakes after it are listed too, as far as another key or
        // table starts after its line.
        let (lines, _) = problems(
            "title = \"T\"\ntags = [\"a\", \"b\"\nsub = = 1\nx = [\n  \"c\",\n[extra]\ny = \"no\n",
        );
        assert_eq!(
            lines,
            [
                "2:8: `tags`: the list opened here is never closed: add `]` after its last value",
                "3:7: `sub`: extra `=`, expected nothing",
                "3:9: `sub`: unexpected key or value, expected newline, `#`",
                "4:5: `x`: the list opened here is never closed: add `]` after its last value",
                "7:8: `y`: invalid basic string, expected `\"`",
            ]
        );
        // Mistakes on lines of their own are each listed.
        let (lines, _) = problems("title = \"T\nx = 1 = 2\ntags = [a]\n");
        assert_eq!(lines.len(), 3, "{lines:?}");
        // A duplicate key's value is left out of what the parse gives, and
        // the list it opens is still found, as are the mistakes after it.
        let (lines, _) = problems(
            "title = \"T\"\ntags = [\"a\"]\ntags = [\"b\",\nx = 1\ny = = 2\nextra = { a = 1\n",
        );
        assert_eq!(
            lines,
            [
                "3:1: `tags`: duplicate key",
                "3:8: `tags`: the list opened here is never closed: add `]` after its last value",
                "5:5: `y`: extra `=`, expected nothing",
                "5:7: `y`: unexpected key or value, expected newline, `#`",
                "6:9: `extra`: the table opened here is never closed: add `}` after its last value",
            ]
        );
        // A dotted key that cannot extend the value before it, and one
        // whose duplicate is a part of it.
        for text in [
            "title = \"T\"\nextra = 1\nextra.b = [\"b\",\nx = = 1\n",
            "title = \"T\"\n[extra.b]\n[extra]\nb.y = [1,\nx = = 1\n",
        ] {
            let (lines, _) = problems(text);
            assert_eq!(lines.len(), 4, "{lines:?}");
            let said = |end: &str| lines.iter().any(|l| l.ends_with(end));
            assert!(said(
                "the list opened here is never closed: add `]` after its last value"
            ));
            assert!(said("`x`: extra `=`, expected nothing"), "{lines:?}");
        }
    }

    #[test]
    fn at_most_so_many_problems_are_listed() {
        let mut text = String::from("title = \"T\"\n");
        for i in 0..200 {
            text.push_str(&format!("key{i:03} = 1\n"));
        }
        let (lines, _) = problems(&text);
        assert_eq!(lines.len(), MOST_PER_FILE + 1);
        assert!(lines.contains(&format!(
            "more problems than the {MOST_PER_FILE} listed: fix these and build again"
        )));
        let (lines, _) = problems(&"x = = 1\n".repeat(200));
        assert_eq!(lines.len(), MOST_PER_FILE + 1);
        // The first by line, though k6 comes after k59 by name.
        let mut text = String::from("title = \"T\"\n");
        for i in 0..60 {
            text.push_str(&format!("k{i} = 1\n"));
        }
        let (lines, _) = problems(&text);
        let unknown = |key: &str| {
            lines
                .iter()
                .any(|l| l.contains(&format!("unknown field `{key}`")))
        };
        assert!(
            unknown("k0") && unknown("k6") && unknown("k49"),
            "{lines:?}"
        );
        assert!(!unknown("k50") && !unknown("k59"), "{lines:?}");
    }
}
