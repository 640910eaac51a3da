//! Splitting a content file into TOML front matter and Markdown body, and
//! reading the front matter into typed, checked structs.

use std::path::Path;

use jiff::{civil, tz::TimeZone, Timestamp};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Diagnostic;

/// A file cut in two at its `+++` fences.
#[derive(Debug)]
pub struct Split<'a> {
    /// The TOML between the fences.
    pub front_matter: &'a str,
    /// Byte offset of the TOML in the file, for error positions.
    pub front_matter_offset: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

const FENCE: &str = "+++";

/// Find the front matter of `text`, which must open on the first line.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let expected = "expected TOML front matter between `+++` lines at the top of the file";
    if text.trim().is_empty() {
        return Err(Diagnostic::new(
            path,
            format!("the file is empty; {expected}"),
        ));
    }
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != FENCE {
        // Two mistakes worth naming: another tool's YAML front matter, and
        // blank lines above the fence.
        let start = text.len() - text.trim_start().len();
        let first = text[start..].lines().next().unwrap_or_default().trim_end();
        let (at, message) = match first {
            "---" => (
                start,
                format!("{expected}; this is YAML front matter (`---`), which dateline does not read: write it as TOML (`title = \"...\"`) between `+++` lines"),
            ),
            FENCE => (
                0,
                format!("{expected}; the `+++` line must be the file's first line, with nothing above it or before it"),
            ),
            _ => (0, expected.to_string()),
        };
        return Err(Diagnostic::at(path, text, at, message));
    }
    let mut offset = first_end;
    for line in text[first_end..].split_inclusive('\n') {
        if line.trim_end() == FENCE {
            return Ok(Split {
                front_matter: &text[first_end..offset],
                front_matter_offset: first_end,
                body: &text[offset + line.len()..],
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::at(
        path,
        text,
        0,
        "the front matter opened here is never closed: expected a `+++` line after it",
    ))
}

/// Deserialize front matter, turning TOML errors into positioned
/// diagnostics: all of them, with what could still be read
/// ([`crate::toml_read`]).
pub fn parse<T: for<'de> Deserialize<'de>>(
    path: &Path,
    text: &str,
    split: &Split,
) -> crate::toml_read::Read<T> {
    let mut read =
        crate::toml_read::read(path, text, split.front_matter_offset, split.front_matter);
    for d in &mut read.errors {
        if d.position.is_none() {
            // serde's "missing field" has no span: point at the opening fence.
            d.position = Some((1, 1));
        }
    }
    read
}

/// The keys of an article's own, written above its tables (`[extra]`,
/// `[[corrections]]`), which hold every key below their line.
pub const ARTICLE_KEYS: [&str; 13] = [
    "title",
    "date",
    "summary",
    "updated",
    "authors",
    "tags",
    "slug",
    "draft",
    "featured",
    "image",
    "image_alt",
    "related",
    "aliases",
];

/// The front matter of an article.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMatter {
    pub title: Spanned<String>,
    pub date: Spanned<toml::Value>,
    pub summary: Option<String>,
    pub updated: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub authors: Vec<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub featured: bool,
    pub image: Option<Spanned<String>>,
    pub image_alt: Option<String>,
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default, deserialize_with = "crate::toml_read::tables")]
    pub corrections: Vec<CorrectionMatter>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// One `[[corrections]]` entry: when the story was corrected, and how.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionMatter {
    pub date: Spanned<toml::Value>,
    pub text: String,
}

/// The front matter of a standalone page (`content/about.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMatter {
    pub title: Spanned<String>,
    pub summary: Option<String>,
    #[serde(default)]
    pub weight: i64,
    /// A shorter name for the navigation.
    pub nav_title: Option<String>,
    /// Whether the page is listed in the site navigation.
    #[serde(default = "yes")]
    pub in_nav: bool,
    #[serde(default)]
    pub draft: bool,
    pub updated: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// The front matter of a section's `_index.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMatter {
    pub title: Spanned<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub extra: toml::Table,
}

/// The front matter of an author profile (`content/_authors/<name>.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileMatter {
    pub name: Spanned<String>,
    pub role: Option<String>,
    /// A file beside the profile, a site path or a URL.
    pub photo: Option<Spanned<String>>,
    pub photo_alt: Option<String>,
    pub email: Option<String>,
    #[serde(default, deserialize_with = "crate::toml_read::tables")]
    pub links: Vec<ProfileLink>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// A link on an author's page: `[[links]] title = "Mastodon" url = "..."`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileLink {
    pub title: String,
    pub url: String,
}

fn yes() -> bool {
    true
}

/// Read a `date`-like value: an offset date-time is exact; a local
/// date-time or a bare date is read in the site's time zone.
pub fn timestamp(
    path: &Path,
    text: &str,
    base: usize,
    key: &str,
    value: &Spanned<toml::Value>,
    tz: &TimeZone,
) -> Result<Dated, Diagnostic> {
    let problem = |found: String| {
        Diagnostic::at(
            path,
            text,
            base + value.span().start,
            format!(
                "`{key}` must be a date like 2026-04-27 or 2026-04-27T09:00:00Z, found {found}"
            ),
        )
    };
    let dt = match value.get_ref() {
        toml::Value::Datetime(dt) => dt,
        toml::Value::String(s) => {
            let unquoted = s.parse::<toml::value::Datetime>().is_ok();
            return Err(problem(match unquoted {
                true => format!("the string {s:?}; write it without quotes: {key} = {s}"),
                false => format!("the string {s:?}"),
            }));
        }
        other => return Err(problem(crate::diagnostic::a_toml_value(other.type_str()))),
    };
    let Some(d) = dt.date else {
        return Err(problem(format!("a time without a date ({dt})")));
    };
    let civil = civil_time(d, dt.time).map_err(|e| problem(format!("{dt} ({e})")))?;
    let mut twice = None;
    let result = match dt.offset {
        None => {
            // A local time the clocks skip (02:30 on the night summer
            // time begins) names no moment: say so rather than guess.
            // A bare date is the day's first moment, whenever that is.
            let local = tz.to_ambiguous_timestamp(civil);
            let skipped = matches!(local.offset(), jiff::tz::AmbiguousOffset::Gap { .. });
            if skipped && dt.time.is_some() {
                let name = tz.iana_name().unwrap_or("the site's time zone");
                let after = local
                    .compatible()
                    .map(|t| t.to_zoned(tz.clone()).datetime().to_string())
                    .unwrap_or_default();
                return Err(Diagnostic::at(
                    path,
                    text,
                    base + value.span().start,
                    format!(
                        "`{key}` {dt} does not exist in {name}: the clocks skip that time; \
                         give a time outside the skipped hour, such as {after}, or one with \
                         an offset"
                    ),
                ));
            }
            // One the clocks pass twice is read as the first, with a note.
            if let (jiff::tz::AmbiguousOffset::Fold { before, after }, Some(_)) =
                (local.offset(), dt.time)
            {
                let name = tz.iana_name().unwrap_or("the site's time zone");
                let (before, after) = (as_written(before), as_written(after));
                twice = Some(Diagnostic::at(
                    path,
                    text,
                    base + value.span().start,
                    format!(
                        "`{key}` {dt} happens twice in {name}, as the clocks go back; it is \
                         read as the first, {dt}{before}: write the offset ({before} or \
                         {after}) to choose"
                    ),
                ));
            }
            local.compatible()
        }
        Some(toml::value::Offset::Z) => TimeZone::UTC.to_timestamp(civil),
        Some(toml::value::Offset::Custom { minutes }) => {
            jiff::tz::Offset::from_seconds(i32::from(minutes) * 60)
                .and_then(|o| o.to_timestamp(civil))
        }
    };
    result
        .map(|at| Dated { at, twice })
        .map_err(|e| problem(format!("{dt} ({e})")))
}

/// A date read from front matter, and the warning when it is a local time
/// the clocks pass twice (the hour they go back), read as the first.
pub struct Dated {
    pub at: Timestamp,
    pub twice: Option<Diagnostic>,
}

/// A TOML date and time as a civil date-time; a bare date is its
/// midnight.
fn civil_time(
    d: toml::value::Date,
    t: Option<toml::value::Time>,
) -> Result<civil::DateTime, jiff::Error> {
    let t = t.unwrap_or(toml::value::Time {
        hour: 0,
        minute: 0,
        second: 0,
        nanosecond: 0,
    });
    civil::DateTime::new(
        d.year as i16,
        d.month as i8,
        d.day as i8,
        t.hour as i8,
        t.minute as i8,
        t.second as i8,
        t.nanosecond as i32,
    )
}

/// An offset as TOML writes it: `-04:00`.
fn as_written(offset: jiff::tz::Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/a.md")
    }

    #[test]
    fn split_finds_front_matter_and_body() {
        let text = "+++\ntitle = \"x\"\n+++\n\nBody.\n";
        let s = split(p(), text).unwrap();
        assert_eq!(s.front_matter, "title = \"x\"\n");
        assert_eq!(s.body, "\nBody.\n");
        assert_eq!(&text[s.body_offset..], s.body);
    }

    #[test]
    fn yaml_front_matter_and_a_late_fence_are_named() {
        let e = split(p(), "---\ntitle: x\n---\n").unwrap_err();
        assert_eq!(e.position, Some((1, 1)));
        assert!(
            e.message.contains("this is YAML front matter"),
            "{}",
            e.message
        );
        let e = split(p(), "\n\n+++\ntitle = \"x\"\n+++\n").unwrap_err();
        assert_eq!(e.position, Some((1, 1)));
        assert!(e
            .message
            .ends_with("must be the file's first line, with nothing above it or before it"));
        let e = split(p(), "# Heading\n").unwrap_err();
        assert_eq!(
            e.message,
            "expected TOML front matter between `+++` lines at the top of the file"
        );
    }

    #[test]
    fn split_accepts_crlf_fences() {
        let text = "+++\r\ntitle = \"x\"\r\n+++\r\nBody\r\n";
        assert_eq!(split(p(), text).unwrap().body, "Body\r\n");
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        let e = split(p(), "+++\ntitle = \"x\"\n").unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
        let e = split(p(), "# Just markdown\n").unwrap_err();
        assert_eq!(e.position, Some((1, 1)));
        assert!(e.message.contains("`+++`"));
        let e = split(p(), "").unwrap_err();
        assert!(e.message.contains("empty"));
    }

    fn stamp(toml_text: &str, tz: &str) -> Result<Timestamp, Diagnostic> {
        #[derive(Deserialize)]
        struct D {
            date: Spanned<toml::Value>,
        }
        let d: D = toml::from_str(toml_text).unwrap();
        let tz = TimeZone::get(tz).unwrap();
        timestamp(p(), toml_text, 0, "date", &d.date, &tz).map(|d| d.at)
    }

    #[test]
    fn dates_without_offset_are_in_the_site_timezone() {
        let t = stamp("date = 2026-04-27T09:00:00", "America/New_York").unwrap();
        assert_eq!(t.to_string(), "2026-04-27T13:00:00Z");
        let t = stamp("date = 2026-04-27", "Europe/Berlin").unwrap();
        assert_eq!(t.to_string(), "2026-04-26T22:00:00Z");
        let t = stamp("date = 2026-04-27T09:00:00+02:00", "America/New_York").unwrap();
        assert_eq!(t.to_string(), "2026-04-27T07:00:00Z");
    }

    #[test]
    fn a_string_date_is_explained() {
        let e = stamp("date = \"next monday\"", "UTC").unwrap_err();
        assert_eq!(e.position, Some((1, 8)));
        assert_eq!(
            e.message,
            "`date` must be a date like 2026-04-27 or 2026-04-27T09:00:00Z, found the string \"next monday\""
        );
        let e = stamp("date = \"2026-05-01\"", "UTC").unwrap_err();
        assert!(
            e.message.ends_with(
                "found the string \"2026-05-01\"; write it without quotes: date = 2026-05-01"
            ),
            "{}",
            e.message
        );
        let e = stamp("date = 42", "UTC").unwrap_err();
        assert!(e.message.ends_with("found a whole number"), "{}", e.message);
    }

    #[test]
    fn a_local_time_the_clocks_skip_is_an_error_and_a_repeated_one_is_the_first() {
        let e = stamp("date = 2026-03-08T02:30:00", "America/New_York").unwrap_err();
        assert_eq!(e.position, Some((1, 8)));
        assert!(
            e.message.starts_with(
                "`date` 2026-03-08T02:30:00 does not exist in America/New_York: the clocks skip that time"
            ),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("such as 2026-03-08T03:30:00"),
            "{}",
            e.message
        );
        // A date alone, on a day whose midnight the clocks skip, is the
        // day's first moment.
        let t = stamp("date = 2026-09-06", "America/Santiago").unwrap();
        assert_eq!(t.to_string(), "2026-09-06T04:00:00Z");
        // 01:30 happens twice on the night summer time ends: the first,
        // still in summer time (-04:00).
        let t = stamp("date = 2026-11-01T01:30:00", "America/New_York").unwrap();
        assert_eq!(t.to_string(), "2026-11-01T05:30:00Z");
    }
}
