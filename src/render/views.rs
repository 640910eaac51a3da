//! The typed data templates receive. Each page kind has a struct; lists of
//! stories share one [`Card`] per article, built once per build.

use jiff::{tz::TimeZone, Timestamp};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::config::PATH;
use crate::words::Words;
use serde::ser::Serializer;
use serde::Serialize;

/// Everything every page knows about the site.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// The language as Open Graph's `og:locale` wants it: `pt_BR`, `en`.
    pub locale: String,
    /// Which way its script runs: `rtl` (Arabic, Hebrew, Persian, Urdu...)
    /// or `ltr`, for `<html dir>`.
    pub direction: &'static str,
    /// The front page's path (`/` or `/news/`).
    pub url: String,
    /// The front page's full address.
    pub permalink: String,
    /// `https://example.com`: put before a `url` to make it absolute.
    pub origin: String,
    pub stylesheet: String,
    /// The site's icon, when static/ has one (`favicon.svg`, `.png` or
    /// `.ico`, in that order): its address and type.
    pub favicon: Option<Favicon>,
    pub nav: Vec<Link>,
    pub sections: Vec<Link>,
    /// The addresses of `/tags/` and `/authors/` (`[paths]`).
    pub tags_url: String,
    pub authors_url: String,
    pub extra: &'a toml::Table,
    /// The words of the site's pages, for templates to write.
    pub words: &'a Words,
}

/// A language tag in Open Graph's `ll_TT` form: the language and its
/// region (`pt-BR` -> `pt_BR`, `sr-Latn-RS` -> `sr_RS`), the script left
/// out; Chinese by its script's usual region (`zh-Hant` -> `zh_TW`).
pub fn og_locale(tag: &str) -> String {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    let rest: Vec<&str> = parts.collect();
    let region = rest.iter().find(|p| {
        p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic())
            || p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit())
    });
    let script = |name: &str| rest.iter().any(|p| p.eq_ignore_ascii_case(name));
    let region = match (region, language.as_str()) {
        (Some(region), _) => Some(region.to_ascii_uppercase()),
        (None, "zh") if script("hant") => Some("TW".into()),
        (None, "zh") if script("hans") => Some("CN".into()),
        (None, _) => None,
    };
    match region {
        Some(region) => format!("{language}_{region}"),
        None => language,
    }
}

/// Which way a language's text runs: by its script subtag when it has
/// one (`az-Arab` right to left, `sd-Deva` left to right), else by the
/// script the language is usually written in.
pub fn direction(tag: &str) -> &'static str {
    const RTL_SCRIPTS: [&str; 9] = [
        "adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa",
    ];
    const RTL_LANGUAGES: [&str; 29] = [
        "ar", "arc", "azb", "bal", "bqi", "ckb", "dv", "fa", "glk", "haz", "he", "iw", "khw", "ks",
        "lki", "lrc", "luz", "mzn", "nqo", "pnb", "prs", "ps", "sd", "sdh", "skr", "syr", "ug",
        "ur", "yi",
    ];
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    let script = parts.find(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()));
    let rtl = match script {
        Some(script) => RTL_SCRIPTS.contains(&script.to_ascii_lowercase().as_str()),
        None => RTL_LANGUAGES.contains(&language.as_str()),
    };
    match rtl {
        true => "rtl",
        false => "ltr",
    }
}

/// A site's icon, for `<link rel="icon">`.
#[derive(Serialize)]
pub struct Favicon {
    pub url: String,
    pub mime: &'static str,
}

/// A name and where it links.
#[derive(Serialize, Clone, Default)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// A moment, as a `datetime` attribute and as a reader reads it, in the
/// site's time zone.
#[derive(Serialize, Clone)]
pub struct DateView {
    /// RFC 3339 with the real offset: `2026-04-27T09:00:00-04:00`.
    pub iso: String,
    /// `April 27, 2026`
    pub display: String,
    /// `9:00 AM EDT`
    pub time: String,
    /// RFC 822, for RSS: `Mon, 27 Apr 2026 09:00:00 -0400`.
    pub rfc822: String,
}

impl DateView {
    /// Only the RFC 3339 form.
    pub fn iso(t: Timestamp, tz: &TimeZone) -> String {
        machine_readable(t, tz)
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }

    /// `t` in the zone `tz`, read in `words`.
    pub fn new(t: Timestamp, tz: &TimeZone, words: &Words) -> DateView {
        let z = t.to_zoned(tz.clone());
        let m = machine_readable(t, tz);
        DateView {
            iso: m.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            display: words.date(&z),
            time: words.time(&z),
            rfc822: m.strftime("%a, %d %b %Y %H:%M:%S %z").to_string(),
        }
    }
}

/// `t` in the site's time zone for the RFC 3339 and RFC 822 forms, which
/// give an offset in whole minutes; in UTC where the zone's offset then
/// had seconds (local mean time, as New York kept until 1883: -04:56:02).
fn machine_readable(t: Timestamp, tz: &TimeZone) -> jiff::Zoned {
    let z = t.to_zoned(tz.clone());
    match z.offset().seconds() % 60 {
        0 => z,
        _ => t.to_zoned(TimeZone::UTC),
    }
}

/// A story as listings show it: headline, dek, date, reading time. Templates
/// get it with one more field, `html`: the card as the theme's `card.html`
/// shows it, made once per build and put in every listing, so a listing of
/// twenty stories is not twenty template calls.
#[derive(Serialize)]
pub struct Card<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    /// The dek as lists show it: see [`super::links::in_lists`].
    pub dek_html: std::borrow::Cow<'a, str>,
    pub dek_text: &'a str,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub reading_time: usize,
    /// The reading time in the site's words, in the form its number
    /// takes: "1 min read", "7 min read".
    pub reading_time_text: String,
    pub words: usize,
    pub section: Link,
    pub authors: Vec<Link>,
    pub image: Option<String>,
    /// The image's full address, for social cards.
    pub image_permalink: Option<String>,
    pub image_alt: Option<&'a str>,
    /// The image's size in pixels, when it is a file of the site's whose
    /// size can be read.
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    pub featured: bool,
    /// A draft, shown only by a build of drafts (`--drafts`).
    pub draft: bool,
}

/// A card in a page's list of stories: the card, and the value templates
/// get, made once per build and shared by every page that shows it.
#[derive(Clone)]
pub struct Shown<'a> {
    pub card: &'a Card<'a>,
    pub value: tera::Value,
}

impl Serialize for Shown<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

/// The article page's own data, which templates get after its card's
/// fields.
#[derive(Serialize)]
pub struct ArticleView<'a> {
    pub dek_html: &'a str,
    pub content_html: &'a str,
    pub tags: Vec<Link>,
    pub share: Vec<ShareLink>,
    pub related: Vec<Shown<'a>>,
    pub extra: &'a toml::Table,
    /// The content path, e.g. `business/openai-deal.md`.
    pub source: &'a str,
    pub corrections: Vec<Correction<'a>>,
    /// NewsArticle structured data, safe to put inside a `<script>` as is.
    pub json_ld: String,
}

#[derive(Serialize)]
pub struct Correction<'a> {
    pub date: DateView,
    pub text: &'a str,
}

/// A share link built at build time: no third-party script.
#[derive(Serialize)]
pub struct ShareLink {
    pub network: &'static str,
    /// The visible text, e.g. "Bluesky".
    pub name: String,
    /// The accessible name, e.g. "Share on Bluesky".
    pub label: String,
    pub url: String,
}

/// Characters left as they are in a query value (RFC 3986 unreserved).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A site path or a file name made fit for an address: `my photo.png` ->
/// `my%20photo.png`. A `%` that does not start an escape (`50%.png`) is
/// encoded too.
pub fn path_encode(path: &str) -> String {
    let encoded = utf8_percent_encode(path, PATH).to_string();
    if !encoded.contains('%') {
        return encoded;
    }
    let bytes = encoded.as_bytes();
    let mut out = String::with_capacity(encoded.len() + 4);
    for (i, c) in encoded.char_indices() {
        let escape = c == '%'
            && bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        match c == '%' && !escape {
            true => out.push_str("%25"),
            false => out.push(c),
        }
    }
    out
}

/// A site path whose every character is itself, `%` too, made fit for an
/// address: `/50% off/` -> `/50%25%20off/`.
pub fn path_encode_all(path: &str) -> String {
    const ALL: &AsciiSet = &PATH.add(b'%');
    utf8_percent_encode(path, ALL).to_string()
}

pub fn share_links(title: &str, permalink: &str, words: &Words) -> Vec<ShareLink> {
    let t = utf8_percent_encode(title, QUERY).to_string();
    let u = utf8_percent_encode(permalink, QUERY).to_string();
    let link = |network: &'static str, name: &'static str, url: String| ShareLink {
        network,
        name: name.to_string(),
        label: words.fill("share_on", &[("network", name)]),
        url,
    };
    vec![
        link(
            "x",
            "X",
            format!("https://x.com/intent/post?text={t}&url={u}"),
        ),
        link(
            "bluesky",
            "Bluesky",
            format!("https://bsky.app/intent/compose?text={t}%20{u}"),
        ),
        link(
            "linkedin",
            "LinkedIn",
            format!("https://www.linkedin.com/sharing/share-offsite/?url={u}"),
        ),
        link(
            "facebook",
            "Facebook",
            format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
        ),
        ShareLink {
            network: "email",
            name: words.get("email").to_string(),
            label: words.get("share_by_email").to_string(),
            url: format!("mailto:?subject={t}&body={u}"),
        },
    ]
}

/// Where a listing is in its run of pages.
#[derive(Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Numbered links around the current page; `number: null` is a gap.
    pub links: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: Option<usize>,
    pub url: String,
    pub current: bool,
}

impl Pagination {
    /// `url_of(n)` gives page n's URL; page 1 is the listing itself. The
    /// links are to the first and last pages and those within two of the
    /// current one, with a gap wherever numbers are skipped: a few links
    /// however long the listing (the front page of a million stories has
    /// 100,000 pages).
    pub fn new(current: usize, total: usize, url_of: impl Fn(usize) -> String) -> Pagination {
        let mut numbers: Vec<usize> = [1, total]
            .into_iter()
            .chain(current.saturating_sub(2)..=current.saturating_add(2))
            .filter(|n| (1..=total).contains(n))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut links: Vec<PageLink> = Vec::new();
        for n in numbers {
            if links
                .last()
                .and_then(|l| l.number)
                .is_some_and(|m| m + 1 < n)
            {
                links.push(PageLink {
                    number: None,
                    url: String::new(),
                    current: false,
                });
            }
            links.push(PageLink {
                number: Some(n),
                url: url_of(n),
                current: n == current,
            });
        }
        Pagination {
            current,
            total,
            prev: (current > 1).then(|| url_of(current - 1)),
            next: (current < total).then(|| url_of(current + 1)),
            links,
        }
    }
}

/// A tag or author as a listing heading or index entry.
#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    /// An author's role, from their profile.
    pub role: Option<&'a str>,
    pub url: String,
    pub count: usize,
    /// The count in the site's words, in the form its number takes:
    /// "1 story", "3 stories".
    pub count_text: String,
}

/// An author's profile on their page.
#[derive(Serialize)]
pub struct ProfileView<'a> {
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub photo: Option<String>,
    pub photo_alt: Option<&'a str>,
    pub email: Option<&'a str>,
    pub links: &'a [crate::content::ProfileLink],
    pub bio_html: &'a str,
    pub bio_text: &'a str,
    pub extra: &'a toml::Table,
}

/// A standalone page.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub dek_html: &'a str,
    pub content_html: &'a str,
    pub updated: Option<DateView>,
    pub extra: &'a toml::Table,
}

/// A section as its listing shows it.
#[derive(Serialize)]
pub struct SectionView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub url: String,
    pub extra: &'a toml::Table,
}

/// A section's newest stories on the front page.
#[derive(Serialize)]
pub struct Rail<'a> {
    pub section: Link,
    pub articles: Vec<Shown<'a>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pager as text: numbers, `*` for the current page, `…` for gaps.
    fn pager(current: usize, total: usize) -> String {
        let p = Pagination::new(current, total, |n| format!("/page/{n}/"));
        for l in &p.links {
            if let Some(n) = l.number {
                assert_eq!(l.url, format!("/page/{n}/"));
            }
        }
        p.links
            .iter()
            .map(|l| match (l.number, l.current) {
                (Some(n), true) => format!("{n}*"),
                (Some(n), false) => n.to_string(),
                (None, _) => "…".into(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn pager_links_the_ends_and_two_pages_either_side() {
        assert_eq!(pager(1, 0), "");
        assert_eq!(pager(1, 1), "1*");
        assert_eq!(pager(2, 3), "1 2* 3");
        assert_eq!(pager(1, 9), "1* 2 3 … 9");
        assert_eq!(pager(4, 9), "1 2 3 4* 5 6 … 9");
        assert_eq!(pager(5, 9), "1 … 3 4 5* 6 7 … 9");
        assert_eq!(pager(6, 9), "1 … 4 5 6* 7 8 9");
        assert_eq!(pager(9, 9), "1 … 7 8 9*");
        assert_eq!(
            pager(50_000, 100_000),
            "1 … 49998 49999 50000* 50001 50002 … 100000"
        );
        // The rule page by page: shown when first, last or within two of
        // the current page; one gap for each run of pages not shown.
        for total in 1usize..16 {
            for current in 1..=total {
                let mut want: Vec<String> = Vec::new();
                for n in 1..=total {
                    if n == 1 || n == total || n.abs_diff(current) <= 2 {
                        let star = if n == current { "*" } else { "" };
                        want.push(format!("{n}{star}"));
                    } else if want.last().is_some_and(|w| w != "…") {
                        want.push("…".into());
                    }
                }
                assert_eq!(
                    pager(current, total),
                    want.join(" "),
                    "{current} of {total}"
                );
            }
        }
    }

    #[test]
    fn paths_are_encoded_once() {
        assert_eq!(
            path_encode("/img/my photo é.png"),
            "/img/my%20photo%20%C3%A9.png"
        );
        assert_eq!(path_encode("50%.png"), "50%25.png");
        assert_eq!(path_encode("my%20photo.png"), "my%20photo.png");
        assert_eq!(path_encode("a%2"), "a%252");
    }

    #[test]
    fn share_links_carry_the_encoded_url() {
        let links = share_links("A & B", "https://example.com/a/b/", &Words::english());
        let bsky = links.iter().find(|l| l.network == "bluesky").unwrap();
        assert_eq!(
            bsky.url,
            "https://bsky.app/intent/compose?text=A%20%26%20B%20https%3A%2F%2Fexample.com%2Fa%2Fb%2F"
        );
        assert_eq!(links.len(), 5);
    }

    #[test]
    fn pagination_windows_long_runs() {
        let p = Pagination::new(10, 20, |n| format!("/p/{n}/"));
        let numbers: Vec<Option<usize>> = p.links.iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            vec![
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        assert_eq!(p.prev.as_deref(), Some("/p/9/"));
        assert_eq!(p.next.as_deref(), Some("/p/11/"));
        let first = Pagination::new(1, 1, |n| format!("/p/{n}/"));
        assert!(first.prev.is_none() && first.next.is_none());
    }

    #[test]
    fn direction_follows_the_script() {
        for (tag, dir) in [
            ("en", "ltr"),
            ("ar", "rtl"),
            ("ar-EG", "rtl"),
            ("he", "rtl"),
            ("fa-IR", "rtl"),
            ("ur", "rtl"),
            ("AR", "rtl"),
            ("az-Arab", "rtl"),
            ("uz-Arab-AF", "rtl"),
            ("sd-Deva", "ltr"),
            ("pa-Arab", "rtl"),
            ("pa", "ltr"),
            ("sr-Latn-RS", "ltr"),
            ("es-419", "ltr"),
            ("ku", "ltr"),
            ("ckb", "rtl"),
            ("pnb", "rtl"),
            ("prs-AF", "rtl"),
        ] {
            assert_eq!(direction(tag), dir, "{tag}");
        }
    }

    #[test]
    fn og_locale_is_language_and_region() {
        for (tag, locale) in [
            ("en", "en"),
            ("pt-BR", "pt_BR"),
            ("sr-Latn-RS", "sr_RS"),
            ("zh-Hant", "zh_TW"),
            ("zh-Hans-CN", "zh_CN"),
            ("es-419", "es_419"),
            ("de-CH-1996", "de_CH"),
        ] {
            assert_eq!(og_locale(tag), locale, "{tag}");
        }
    }

    #[test]
    fn dates_show_in_the_site_zone() {
        let t: Timestamp = "2026-04-27T13:00:00Z".parse().unwrap();
        let tz = TimeZone::get("America/New_York").unwrap();
        let d = DateView::new(t, &tz, &Words::english());
        assert_eq!(d.iso, "2026-04-27T09:00:00-04:00");
        assert_eq!(d.display, "April 27, 2026");
        assert_eq!(d.time, "9:00 AM EDT");
        assert_eq!(d.rfc822, "Mon, 27 Apr 2026 09:00:00 -0400");
    }

    /// RFC 3339 and RFC 822 offsets are whole minutes; New York's local
    /// mean time before 1883 was -04:56:02.
    #[test]
    fn a_zones_offset_with_seconds_is_written_in_utc() {
        let tz = TimeZone::get("America/New_York").unwrap();
        let t = jiff::civil::datetime(1850, 1, 1, 12, 0, 0, 0)
            .to_zoned(tz.clone())
            .unwrap()
            .timestamp();
        let d = DateView::new(t, &tz, &Words::english());
        assert_eq!(d.iso, "1850-01-01T16:56:02+00:00");
        assert_eq!(d.rfc822, "Tue, 01 Jan 1850 16:56:02 +0000");
        assert_eq!(DateView::iso(t, &tz), d.iso);
        assert_eq!(d.display, "January 1, 1850");
        assert_eq!(d.time, "12:00 PM LMT");
    }
}
