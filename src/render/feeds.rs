//! Feeds: RSS 2.0 and Atom 1.0 through the theme's `rss.xml` and `atom.xml`
//! templates, JSON Feed 1.1 through serde. One set for the site, each
//! section, each tag and each author.
//!
//! An item is shown by `rss_item.xml` and `atom_entry.xml`, which the feed
//! templates insert (`item.rss`, `item.atom`). A story's summary item is the
//! same in every feed that lists it, so it is rendered once per build: a
//! story is in a feed of its own for each of its tags and authors.
//!
//! Items link by permalink, which is also their id, so an id never changes.
//! Relative links and image sources in item content are made absolute.

use std::borrow::Cow;

use serde::Serialize;

use super::views::{Card, DateView, Link};
use crate::config::BaseUrl;
use crate::words::Words;

pub const RSS: &str = "rss.xml";
pub const ATOM: &str = "atom.xml";
pub const RSS_ITEM: &str = "rss_item.xml";
pub const ATOM_ENTRY: &str = "atom_entry.xml";
pub const JSON: &str = "feed.json";

/// A feed link in a page's `<head>`, for autodiscovery.
#[derive(Serialize, Clone)]
pub struct FeedLink {
    pub title: String,
    pub mime: &'static str,
    pub url: String,
}

/// The three feeds of a listing at `base` (`/`, `/business/`, `/tags/aws/`),
/// each titled in the site's `words`: "The Gazette (RSS)".
pub fn links(base_url: &BaseUrl, base: &str, title: &str, words: &Words) -> Vec<FeedLink> {
    [
        (RSS, "application/rss+xml", "RSS"),
        (ATOM, "application/atom+xml", "Atom"),
        (JSON, "application/feed+json", "JSON Feed"),
    ]
    .into_iter()
    .map(|(file, mime, kind)| FeedLink {
        title: words.fill("feed", &[("title", title), ("format", kind)]),
        mime,
        url: base_url.url(&format!("{base}{file}")),
    })
    .collect()
}

/// What the feed templates receive.
#[derive(Serialize)]
pub struct FeedView<'a> {
    pub feed: Feed<'a>,
}

#[derive(Serialize)]
pub struct Feed<'a> {
    pub title: String,
    pub description: String,
    /// The description as HTML, for RSS, whose readers read it as HTML.
    pub description_html: String,
    /// The HTML page the feed follows.
    pub link: String,
    pub rss: String,
    pub atom: String,
    pub json: String,
    /// The newest item's last change (RFC 3339 and RFC 822).
    pub updated: String,
    pub updated_rfc822: String,
    pub items: Vec<Item<'a>>,
}

#[derive(Serialize)]
pub struct Item<'a> {
    pub title: &'a str,
    /// The permalink, which is also the item's id.
    pub link: &'a str,
    pub date: &'a DateView,
    /// `updated`, else the publication date.
    pub updated: &'a DateView,
    pub summary: &'a str,
    /// The summary as HTML, for RSS, whose readers read an item's
    /// description as HTML: `5 < 6` is `5 &lt; 6`.
    pub summary_html: String,
    /// Whole-article HTML with absolute links, when the feed carries it.
    pub content_html: Option<String>,
    pub authors: Vec<Link>,
    pub tags: Vec<String>,
    pub image: Option<String>,
    /// The item as `rss_item.xml` and `atom_entry.xml` show it (empty while
    /// they render it).
    pub rss: Cow<'a, str>,
    pub atom: Cow<'a, str>,
}

impl<'a> Item<'a> {
    pub fn new(
        card: &'a Card<'a>,
        content_html: Option<&str>,
        tags: Vec<String>,
        base_url: &BaseUrl,
    ) -> Self {
        Item {
            title: card.title,
            link: &card.permalink,
            date: &card.date,
            updated: card.updated.as_ref().unwrap_or(&card.date),
            summary: card.dek_text,
            summary_html: crate::markdown::escape(card.dek_text),
            content_html: content_html.map(|html| super::links::absolute(html, &card.permalink)),
            authors: card
                .authors
                .iter()
                .map(|a| Link {
                    name: a.name.clone(),
                    url: base_url.absolute(&a.url),
                })
                .collect(),
            tags,
            image: card.image.as_deref().map(|i| base_url.absolute(i)),
            rss: Cow::Borrowed(""),
            atom: Cow::Borrowed(""),
        }
    }
}

/// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
pub fn json_feed(feed: &Feed, language: &str) -> String {
    #[derive(Serialize)]
    struct JsonFeed<'a> {
        version: &'static str,
        title: &'a str,
        home_page_url: &'a str,
        feed_url: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        description: &'a str,
        language: &'a str,
        items: Vec<JsonItem<'a>>,
    }
    #[derive(Serialize)]
    struct JsonItem<'a> {
        id: &'a str,
        url: &'a str,
        title: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        content_html: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        content_text: Option<&'a str>,
        summary: &'a str,
        date_published: &'a str,
        date_modified: &'a str,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        authors: Vec<JsonAuthor<'a>>,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        tags: &'a [String],
        #[serde(skip_serializing_if = "Option::is_none")]
        image: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct JsonAuthor<'a> {
        name: &'a str,
        url: &'a str,
    }
    let items = feed
        .items
        .iter()
        .map(|i| JsonItem {
            id: i.link,
            url: i.link,
            title: i.title,
            content_html: i.content_html.as_deref(),
            content_text: i.content_html.is_none().then_some(i.summary),
            summary: i.summary,
            date_published: &i.date.iso,
            date_modified: &i.updated.iso,
            authors: i
                .authors
                .iter()
                .map(|a| JsonAuthor {
                    name: &a.name,
                    url: &a.url,
                })
                .collect(),
            tags: &i.tags,
            image: i.image.as_deref(),
        })
        .collect();
    let json = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: &feed.link,
        feed_url: &feed.json,
        description: &feed.description,
        language,
        items,
    };
    // Without the characters pages and the other feeds leave out.
    let text = serde_json::to_string_pretty(&json).unwrap_or_default();
    crate::markdown::xml_safe(&text).into_owned() + "\n"
}
