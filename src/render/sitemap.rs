//! `sitemap.xml` (an index over `sitemap-N.xml` above 50,000 URLs),
//! `news-sitemap.xml` in Google News format, and `robots.txt`.

use jiff::Timestamp;

use crate::config::BaseUrl;
use crate::markdown::escape;

/// The most URLs one sitemap file may list, and the most bytes it may
/// have (uncompressed).
pub const MAX_URLS: usize = 50_000;
pub const MAX_BYTES: usize = 52_428_800;

const URLSET_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_TAIL: &str = "</urlset>\n";
/// The most articles a news sitemap may list, and how recent they must be.
pub const NEWS_MAX: usize = 1_000;
pub const NEWS_WINDOW_SECONDS: i64 = 48 * 3600;

/// One page in the sitemap: its address and when it last changed (RFC 3339).
pub struct Url {
    pub loc: String,
    pub lastmod: String,
}

/// The sitemap files: `[("/sitemap.xml", ...)]`, or the index and its
/// parts, when the site's addresses are more than one file may hold.
pub fn sitemaps(urls: &[Url], base_url: &BaseUrl) -> Vec<(String, String)> {
    let entries: Vec<String> = urls.iter().map(entry).collect();
    let parts = parts(&entries, MAX_URLS, MAX_BYTES);
    if parts.len() == 1 {
        return vec![("/sitemap.xml".into(), urlset(&entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, part) in parts.into_iter().enumerate() {
        let chunk = &urls[part.clone()];
        let path = format!("/sitemap-{}.xml", n + 1);
        // The latest moment, not the largest text: offsets differ across
        // a change of the clocks.
        let lastmod = chunk
            .iter()
            .max_by_key(|u| u.lastmod.parse::<Timestamp>().ok())
            .map_or("", |u| u.lastmod.as_str());
        index.push_str(&format!(
            "<sitemap><loc>{}</loc><lastmod>{}</lastmod></sitemap>\n",
            escape(&base_url.permalink(&path)),
            escape(lastmod)
        ));
        files.push((path, urlset(&entries[part])));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("/sitemap.xml".into(), index));
    files
}

/// One address's `<url>` element.
fn entry(u: &Url) -> String {
    format!(
        "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
        escape(&u.loc),
        escape(&u.lastmod)
    )
}

/// `entries` in runs, in order, each of at most `max_urls` entries and a
/// file of at most `max_bytes`: fifty thousand addresses fill 50 MB once
/// they average a kilobyte (a long base path, long tag names).
fn parts(entries: &[String], max_urls: usize, max_bytes: usize) -> Vec<std::ops::Range<usize>> {
    let room = max_bytes.saturating_sub(URLSET_HEAD.len() + URLSET_TAIL.len());
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, e) in entries.iter().enumerate() {
        if i > start && (i - start == max_urls || bytes + e.len() > room) {
            parts.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes += e.len();
    }
    parts.push(start..entries.len());
    parts
}

fn urlset(entries: &[String]) -> String {
    let mut xml = String::with_capacity(
        URLSET_HEAD.len() + entries.iter().map(String::len).sum::<usize>() + URLSET_TAIL.len(),
    );
    xml.push_str(URLSET_HEAD);
    for e in entries {
        xml.push_str(e);
    }
    xml.push_str(URLSET_TAIL);
    xml
}

/// An article for the news sitemap.
pub struct NewsArticle<'a> {
    pub loc: String,
    pub title: &'a str,
    pub published: Timestamp,
    /// RFC 3339 with the site's offset.
    pub published_iso: String,
}

/// Whether an article published at `published` belongs in the news
/// sitemap at `now`: from that moment until 48 hours later, exclusive.
pub fn in_news_window(published: Timestamp, now: Timestamp) -> bool {
    published <= now && news_window_end(published).is_none_or(|end| now < end)
}

/// The moment an article published at `published` leaves the news
/// sitemap; a build at that moment or later no longer lists it.
pub fn news_window_end(published: Timestamp) -> Option<Timestamp> {
    published
        .checked_add(jiff::SignedDuration::from_secs(NEWS_WINDOW_SECONDS))
        .ok()
}

/// Articles published in the 48 hours before `now`, newest first, at most
/// 1,000. `articles` is newest first. None when there are none: a sitemap
/// must list at least one address (sitemaps.org's schema).
pub fn news_sitemap(
    articles: &[NewsArticle],
    now: Timestamp,
    publication: &str,
    language: &str,
) -> Option<String> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    let mut recent = articles
        .iter()
        .filter(|a| in_news_window(a.published, now))
        .take(NEWS_MAX)
        .peekable();
    recent.peek()?;
    for a in recent {
        xml.push_str(&format!(
            "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name><news:language>{}</news:language></news:publication><news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>\n",
            escape(&a.loc),
            escape(publication),
            escape(&news_language(language)),
            escape(&a.published_iso),
            escape(a.title)
        ));
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}

/// The language as Google News wants it: the two- or three-letter code
/// alone (`pt-BR` -> `pt`), but `zh-cn` or `zh-tw` for Chinese.
fn news_language(tag: &str) -> String {
    let tag = tag.to_ascii_lowercase();
    let mut parts = tag.split('-');
    match parts.next().unwrap_or_default() {
        "zh" if parts.any(|p| matches!(p, "hant" | "tw" | "hk" | "mo")) => "zh-tw".into(),
        "zh" => "zh-cn".into(),
        language => language.into(),
    }
}

/// robots.txt, naming the sitemap and, when the site has one now, the news
/// sitemap.
pub fn robots(base_url: &BaseUrl, news: bool) -> String {
    let mut robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        base_url.permalink("/sitemap.xml")
    );
    if news {
        robots.push_str(&format!(
            "Sitemap: {}\n",
            base_url.permalink("/news-sitemap.xml")
        ));
    }
    robots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_holds_at_most_so_many_addresses_and_bytes() {
        let entries: Vec<String> = [10, 10, 30, 10, 10, 10, 10]
            .iter()
            .map(|&n| "x".repeat(n))
            .collect();
        let head = URLSET_HEAD.len() + URLSET_TAIL.len();
        // Three to a part, and 40 bytes besides the urlset's own.
        assert_eq!(parts(&entries, 3, head + 40), [0..2, 2..4, 4..7]);
        let one = |r: std::ops::Range<usize>| std::iter::once(r).collect::<Vec<_>>();
        assert_eq!(parts(&entries, 50, head + 1_000), one(0..7));
        assert_eq!(parts(&entries, 2, head + 1_000), [0..2, 2..4, 4..6, 6..7]);
        // An entry larger than a part has one of its own.
        assert_eq!(parts(&entries, 50, head + 20), [0..2, 2..3, 3..5, 5..7]);
        assert_eq!(parts(&[], 50, head), one(0..0));
    }

    #[test]
    fn large_sites_get_a_sitemap_index() {
        let base = BaseUrl::parse("https://example.com/").unwrap();
        let urls: Vec<Url> = (0..MAX_URLS + 1)
            .map(|i| Url {
                loc: format!("https://example.com/{i}/"),
                lastmod: "2026-01-01T00:00:00Z".into(),
            })
            .collect();
        let files = sitemaps(&urls, &base);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            vec!["/sitemap.xml", "/sitemap-1.xml", "/sitemap-2.xml"]
        );
        assert!(files[0]
            .1
            .contains("<loc>https://example.com/sitemap-2.xml</loc>"));
        assert_eq!(files[2].1.matches("<url>").count(), 1);
        assert_eq!(files[1].1.matches("<url>").count(), MAX_URLS);
    }

    #[test]
    fn an_index_names_each_part_by_its_latest_moment() {
        let base = BaseUrl::parse("https://example.com/").unwrap();
        // The clocks went back: 01:10 at -05:00 is 40 minutes after 01:30
        // at -04:00, though its text is smaller.
        let mut urls: Vec<Url> = (0..MAX_URLS + 1)
            .map(|i| Url {
                loc: format!("https://example.com/{i}/"),
                lastmod: "2026-11-01T01:30:00-04:00".into(),
            })
            .collect();
        urls[7].lastmod = "2026-11-01T01:10:00-05:00".into();
        let index = &sitemaps(&urls, &base)[0].1;
        assert!(
            index.contains("<loc>https://example.com/sitemap-1.xml</loc><lastmod>2026-11-01T01:10:00-05:00</lastmod>"),
            "{index}"
        );
    }

    #[test]
    fn the_news_sitemap_names_the_language_as_google_news_wants() {
        let cases = [
            ("en", "en"),
            ("pt-BR", "pt"),
            ("zh-Hant-TW", "zh-tw"),
            ("zh-HK", "zh-tw"),
            ("zh", "zh-cn"),
            ("zh-Hans", "zh-cn"),
            ("fil", "fil"),
        ];
        for (tag, google) in cases {
            assert_eq!(news_language(tag), google, "{tag}");
        }
    }
}
