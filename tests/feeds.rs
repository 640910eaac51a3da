//! Feeds, sitemaps and page metadata, read back with real XML and JSON
//! parsers: required elements, counts, order, dates and escaping.

mod common;

use common::Site;

const CONFIG: &str = "title = \"The Test Gazette\"\nbase_url = \"https://gazette.example.com/news/\"\ndescription = \"Harbour news.\"\ntimezone = \"America/New_York\"\npaginate_by = 2\n[feeds]\nlimit = 3\n";

/// A headline that tries everything: markup, quotes, an ampersand, a line
/// break and an attempt to end the JSON-LD script element.
const HOSTILE: &str = r#"Fares & \"fees\" </script><script>alert('x')</script>\nsecond line"#;
const HOSTILE_TEXT: &str = "Fares & \"fees\" </script><script>alert('x')</script>\nsecond line";

fn site() -> Site {
    let site = Site::with_config(CONFIG);
    for day in 1..=4 {
        site.article(
            &format!("city/s{day}.md"),
            &format!(
                "title = \"Story {day}\"\ndate = 2026-05-0{day}T09:00:00-04:00\nsummary = \"Dek {day}.\"\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\"]"
            ),
            "Intro [link](/news/city/s1/) and ![boat](boat.svg).\n",
        );
    }
    site.article(
        "city/hostile.md",
        &format!(
            "title = \"{HOSTILE}\"\ndate = 2026-05-31T20:00:00Z\nupdated = 2026-06-01T08:00:00Z\nsummary = \"A & B <i>\"\ntags = [\"Port\", \"Fares\"]\nauthors = [\"Bo Lee\"]\nimage = \"/img/x.jpg\"\nimage_alt = \"A ferry\"\naliases = [\"/2019/05/old-url\"]\n[[corrections]]\ndate = 2026-06-01\ntext = \"An earlier version misspelled the ferry's name.\""
        ),
        "Body.\n",
    );
    site.build();
    site
}

fn xml(site: &Site, rel: &str) -> String {
    let text = site.read(rel);
    roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    text
}

/// The JSON-LD of a page.
fn json_ld(site: &Site, rel: &str) -> serde_json::Value {
    let page = site.page(rel);
    let script = page.all("script[type='application/ld+json']")[0]
        .text()
        .collect::<String>();
    serde_json::from_str(&script).unwrap()
}

fn children<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    node.children()
        .filter(|c| c.tag_name().name() == name)
        .collect()
}

fn text_of(node: roxmltree::Node, name: &str) -> String {
    children(node, name)
        .first()
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn rss_has_required_elements_newest_first_within_the_limit() {
    let site = site();
    let text = xml(&site, "rss.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let channel = children(doc.root_element(), "channel")[0];
    assert_eq!(text_of(channel, "title"), "The Test Gazette");
    assert_eq!(
        text_of(channel, "link"),
        "https://gazette.example.com/news/"
    );
    assert_eq!(text_of(channel, "description"), "Harbour news.");
    let self_link = channel
        .children()
        .find(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self"))
        .unwrap();
    assert_eq!(
        self_link.attribute("href"),
        Some("https://gazette.example.com/news/rss.xml")
    );
    let items = children(channel, "item");
    assert_eq!(items.len(), 3, "limit = 3");
    let titles: Vec<String> = items.iter().map(|i| text_of(*i, "title")).collect();
    assert_eq!(
        titles,
        vec![HOSTILE_TEXT.to_string(), "Story 4".into(), "Story 3".into()]
    );
    assert_eq!(
        text_of(items[1], "pubDate"),
        "Mon, 04 May 2026 09:00:00 -0400"
    );
    assert_eq!(
        text_of(items[1], "guid"),
        "https://gazette.example.com/news/city/s4/"
    );
    let content = text_of(items[1], "encoded");
    assert!(
        content.contains("href=\"https://gazette.example.com/news/city/s1/\""),
        "{content}"
    );
    assert!(
        content.contains("src=\"https://gazette.example.com/news/city/s4/boat.svg\""),
        "{content}"
    );
}

#[test]
fn atom_has_ids_dates_with_offsets_and_updated() {
    let site = site();
    let text = xml(&site, "atom.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let feed = doc.root_element();
    assert_eq!(text_of(feed, "id"), "https://gazette.example.com/news/");
    assert_eq!(text_of(feed, "updated"), "2026-06-01T04:00:00-04:00");
    let entries = children(feed, "entry");
    assert_eq!(entries.len(), 3);
    assert_eq!(text_of(entries[0], "title"), HOSTILE_TEXT);
    assert_eq!(
        text_of(entries[0], "published"),
        "2026-05-31T16:00:00-04:00"
    );
    assert_eq!(text_of(entries[0], "updated"), "2026-06-01T04:00:00-04:00");
    assert_eq!(
        text_of(entries[1], "id"),
        "https://gazette.example.com/news/city/s4/"
    );
    let author = children(entries[1], "author")[0];
    assert_eq!(
        text_of(author, "uri"),
        "https://gazette.example.com/news/authors/ana-diaz/"
    );
}

#[test]
fn json_feed_is_version_1_1_with_items() {
    let site = site();
    let feed: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(
        feed["feed_url"],
        "https://gazette.example.com/news/feed.json"
    );
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["title"], HOSTILE_TEXT);
    assert_eq!(items[0]["date_modified"], "2026-06-01T04:00:00-04:00");
    assert_eq!(items[1]["date_published"], "2026-05-04T09:00:00-04:00");
    assert!(items[1]["content_html"]
        .as_str()
        .unwrap()
        .contains("<p>Dek 4.</p>"));
}

#[test]
fn section_tag_and_author_feeds_exist_and_terms_carry_only_the_dek() {
    let site = site();
    for rel in [
        "city/rss.xml",
        "city/atom.xml",
        "tags/port/rss.xml",
        "authors/ana-diaz/atom.xml",
    ] {
        xml(&site, rel);
    }
    let tag: serde_json::Value = serde_json::from_str(&site.read("tags/port/feed.json")).unwrap();
    let item = &tag["items"][1];
    assert!(item.get("content_html").is_none());
    assert_eq!(item["content_text"], "Dek 4.");
    let section: serde_json::Value = serde_json::from_str(&site.read("city/feed.json")).unwrap();
    assert!(section["items"][1]["content_html"].is_string());
}

/// A story told as a list has no paragraph to take a dek from: its tag's
/// feeds, its card and its description give its opening words.
#[test]
fn a_story_with_no_paragraph_is_summed_up_by_its_opening_words() {
    let site = Site::with_config(CONFIG);
    site.article(
        "city/outage.md",
        "title = \"Power cut\"\ndate = 2026-06-01T08:00:00Z\ntags = [\"Power\"]",
        "## Latest\n\n- Power is out on the east side.\n- Crews expect to finish by noon.\n",
    );
    site.build();
    let opening = "Power is out on the east side. Crews expect to finish by noon.";
    let rss = xml(&site, "tags/power/rss.xml");
    let doc = roxmltree::Document::parse(&rss).unwrap();
    let item = doc.descendants().find(|n| n.has_tag_name("item")).unwrap();
    assert_eq!(text_of(item, "description"), opening);
    let atom = xml(&site, "tags/power/atom.xml");
    assert!(
        atom.contains(&format!("<summary type=\"text\">{opening}</summary>")),
        "{atom}"
    );
    let json: serde_json::Value = serde_json::from_str(&site.read("tags/power/feed.json")).unwrap();
    assert_eq!(json["items"][0]["summary"], opening);
    assert_eq!(json["items"][0]["content_text"], opening);
    let card = site.page("tags/power/index.html");
    assert_eq!(card.texts(".card-dek"), vec![opening]);
    let page = site.page("city/outage/index.html");
    assert_eq!(
        page.attrs("meta[name=description]", "content"),
        vec![opening]
    );
    // The list stays in the story, and is not shown twice.
    assert_eq!(page.texts(".card-dek, .dek"), Vec::<String>::new());
    assert_eq!(page.all(".article-body li").len(), 2);
}

#[test]
fn a_sites_item_templates_show_every_item_of_every_feed() {
    let site = site();
    site.write(
        "templates/rss_item.xml",
        "<item><title>{{ item.title | upper }}</title><link>{{ item.link }}</link></item>\n",
    );
    site.write(
        "templates/atom_entry.xml",
        "<entry><title>{{ item.title | upper }}</title>{% if item.content_html %}<content type=\"html\">whole</content>{% endif %}</entry>\n",
    );
    site.build();
    // The site feed carries whole stories, a tag's feed their deks: the
    // same templates show both.
    for (rel, items) in [
        ("rss.xml", 3),
        ("tags/port/rss.xml", 3),
        ("authors/bo-lee/rss.xml", 1),
        // Story 2 is in this feed only (limit = 3): its item is not kept.
        ("authors/ana-diaz/rss.xml", 3),
    ] {
        let text = xml(&site, rel);
        assert_eq!(
            text.matches("<item><title>STORY ").count()
                + text.matches("<item><title>FARES").count(),
            items,
            "{rel}: {text}"
        );
    }
    assert!(xml(&site, "authors/ana-diaz/rss.xml").contains("<item><title>STORY 2</title>"));
    let whole = xml(&site, "atom.xml");
    assert_eq!(
        whole
            .matches("<content type=\"html\">whole</content>")
            .count(),
        3,
        "{whole}"
    );
    let tag = xml(&site, "tags/port/atom.xml");
    assert!(
        tag.contains("<entry><title>STORY 4</title></entry>"),
        "{tag}"
    );
    assert!(!tag.contains("whole"), "{tag}");
}

#[test]
fn a_feed_template_of_its_own_still_reaches_the_items_fields() {
    let site = site();
    site.write(
        "templates/rss.xml",
        "<rss><channel>{% for i in feed.items %}<item><title>{{ i.title }}</title><pubDate>{{ i.date.rfc822 }}</pubDate>{% for a in i.authors %}<author>{{ a.name }}</author>{% endfor %}</item>{% endfor %}</channel></rss>\n",
    );
    site.build();
    let text = xml(&site, "tags/port/rss.xml");
    assert!(
        text.contains("<item><title>Story 4</title><pubDate>Mon, 04 May 2026 09:00:00 -0400</pubDate><author>Ana Díaz</author></item>"),
        "{text}"
    );
}

#[test]
fn every_page_links_its_feeds_and_has_one_canonical() {
    let site = site();
    let page = site.page("tags/port/index.html");
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        vec!["https://gazette.example.com/news/tags/port/"]
    );
    let feeds = page.attrs("link[rel=alternate]", "href");
    assert_eq!(
        feeds,
        vec![
            "/news/rss.xml",
            "/news/atom.xml",
            "/news/feed.json",
            "/news/tags/port/rss.xml",
            "/news/tags/port/atom.xml",
            "/news/tags/port/feed.json"
        ]
    );
    for rel in [
        "index.html",
        "city/index.html",
        "city/s1/index.html",
        "authors/index.html",
    ] {
        let p = site.page(rel);
        assert_eq!(p.all("link[rel=canonical]").len(), 1, "{rel}");
        assert_eq!(
            p.attrs("meta[property='og:url']", "content"),
            p.attrs("link[rel=canonical]", "href"),
            "{rel}"
        );
        assert_eq!(p.all("meta[name=description]").len(), 1, "{rel}");
    }
}

#[test]
fn article_metadata_and_json_ld_survive_a_hostile_headline() {
    let site = site();
    let html = site.read("city/hostile/index.html");
    // The headline cannot close the script early: exactly one </script>.
    assert_eq!(html.matches("</script>").count(), 1, "{html}");
    let page = site.page("city/hostile/index.html");
    let script = page.all("script[type='application/ld+json']")[0]
        .text()
        .collect::<String>();
    let ld: serde_json::Value = serde_json::from_str(&script).unwrap();
    // Compact, keys in name order at every level, and escaped so that no
    // text can end the script: byte for byte as it has always been written.
    let canonical = serde_json::to_string(&ld)
        .unwrap()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    assert_eq!(script, canonical);
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], HOSTILE_TEXT);
    // Open Graph wants full addresses, the author's too.
    assert_eq!(
        page.attrs("meta[property='article:author']", "content"),
        vec!["https://gazette.example.com/news/authors/bo-lee/"]
    );
    assert_eq!(ld["datePublished"], "2026-05-31T16:00:00-04:00");
    assert_eq!(ld["dateModified"], "2026-06-01T04:00:00-04:00");
    assert_eq!(
        ld["author"][0]["url"],
        "https://gazette.example.com/news/authors/bo-lee/"
    );
    assert_eq!(ld["publisher"]["name"], "The Test Gazette");
    assert_eq!(ld["image"][0], "https://gazette.example.com/news/img/x.jpg");
    assert_eq!(
        ld["mainEntityOfPage"]["@id"],
        "https://gazette.example.com/news/city/hostile/"
    );
    assert_eq!(ld["keywords"], serde_json::json!(["Port", "Fares"]));
    assert_eq!(page.text("h1"), HOSTILE_TEXT.replace('\n', " "));
    assert_eq!(
        page.attrs("meta[property='og:type']", "content"),
        vec!["article"]
    );
    assert_eq!(page.attrs("meta[property='og:locale']", "content"), ["en"]);
    assert_eq!(
        page.attrs("meta[property='article:tag']", "content"),
        vec!["Port", "Fares"]
    );
    assert_eq!(
        page.attrs("meta[property='og:image:alt']", "content"),
        vec!["A ferry"]
    );
    assert_eq!(
        page.attrs("meta[property='article:modified_time']", "content"),
        vec!["2026-06-01T04:00:00-04:00"]
    );
    assert!(page.text(".updated").starts_with("Updated"));
    assert_eq!(
        page.text(".corrections li"),
        "June 1, 2026: An earlier version misspelled the ferry's name."
    );
}

/// RSS readers read an item's description as HTML: a summary's `<i>` is
/// text, so it reaches them escaped as HTML, inside XML's own escaping.
#[test]
fn rss_descriptions_are_text_escaped_as_html() {
    let site = site();
    let text = xml(&site, "rss.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let item = doc
        .descendants()
        .find(|n| n.has_tag_name("item") && text_of(*n, "title") == HOSTILE_TEXT)
        .expect("the hostile story's item");
    assert_eq!(text_of(item, "description"), "A &amp; B &lt;i&gt;");
    assert!(text.contains("<description>A &amp;amp; B &amp;lt;i&amp;gt;</description>"));
    // Atom says its summary is text, and JSON Feed's is text: as it is.
    let atom = xml(&site, "atom.xml");
    assert!(atom.contains("<summary type=\"text\">A &amp; B &lt;i&gt;</summary>"));
}

#[test]
fn sitemap_lists_every_page_with_lastmod() {
    let site = site();
    let text = xml(&site, "sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let urls = children(doc.root_element(), "url");
    let locs: Vec<String> = urls.iter().map(|u| text_of(*u, "loc")).collect();
    for want in [
        "https://gazette.example.com/news/",
        "https://gazette.example.com/news/page/2/",
        "https://gazette.example.com/news/city/s1/",
        "https://gazette.example.com/news/tags/port/",
        "https://gazette.example.com/news/authors/",
    ] {
        assert!(
            locs.contains(&want.to_string()),
            "{want} missing from {locs:?}"
        );
    }
    assert!(urls.iter().all(|u| !text_of(*u, "lastmod").is_empty()));
    let hostile = urls
        .iter()
        .find(|u| text_of(**u, "loc").ends_with("/city/hostile/"))
        .unwrap();
    assert_eq!(text_of(*hostile, "lastmod"), "2026-06-01T04:00:00-04:00");
    assert!(!locs
        .iter()
        .any(|l| l.contains("old-url") || l.contains("404")));
}

#[test]
fn news_sitemap_lists_the_last_48_hours() {
    let site = site();
    // The fixture builds at 2026-06-01T12:00Z: only the hostile story is recent.
    let text = xml(&site, "news-sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let urls = children(doc.root_element(), "url");
    assert_eq!(urls.len(), 1);
    let news = children(urls[0], "news")[0];
    let publication = children(news, "publication")[0];
    assert_eq!(text_of(publication, "name"), "The Test Gazette");
    assert_eq!(text_of(publication, "language"), "en");
    assert_eq!(
        text_of(news, "publication_date"),
        "2026-05-31T16:00:00-04:00"
    );
    assert_eq!(text_of(news, "title"), HOSTILE_TEXT);
}

#[test]
fn characters_xml_forbids_are_left_out_of_feeds_sitemaps_and_pages() {
    // In site.toml and a section's description too.
    let site = Site::with_config(&CONFIG.replace(
        "title = \"The Test Gazette\"",
        "title = \"The Test\\u000B Gazette\"",
    ));
    site.write(
        "content/city/_index.md",
        "+++\ntitle = \"City\"\ndescription = \"Streets\\u0001 and squares.\"\n+++\n",
    );
    // A vertical tab pasted from a word processor, in the front matter
    // (as a TOML escape) and raw in the body.
    site.article(
        "city/pasted.md",
        "title = \"Cops\\u000B and robbers\"\ndate = 2026-06-01T08:00:00Z\nsummary = \"A\\u0001 dek\\uFFFE\\u007F\\u0085\"\ntags = [\"Port\\u000C\"]\n[[corrections]]\ndate = 2026-06-01\ntext = \"Fixed\\u000B a name.\"",
        "First\u{b} paragraph.\n",
    );
    site.build();
    for rel in [
        "rss.xml",
        "atom.xml",
        "news-sitemap.xml",
        "sitemap.xml",
        "tags/port/rss.xml",
        "city/atom.xml",
    ] {
        let text = xml(&site, rel);
        assert!(!text.contains(['\u{1}', '\u{b}', '\u{c}']), "{rel}");
    }
    let rss = xml(&site, "rss.xml");
    assert!(rss.contains("<title>Cops and robbers</title>"), "{rss}");
    assert!(rss.contains("First paragraph."), "{rss}");
    let page = site.read("city/pasted/index.html");
    assert!(
        !page.contains(['\u{1}', '\u{b}', '\u{c}', '\u{7f}', '\u{85}']),
        "{page}"
    );
    assert!(page.contains("First paragraph."), "{page}");
    // In JSON too: the page's JSON-LD and the JSON feeds.
    assert!(!page.contains('\u{fffe}'), "{page}");
    assert_eq!(
        json_ld(&site, "city/pasted/index.html")["description"],
        "A dek"
    );
    for rel in ["feed.json", "city/feed.json", "tags/port/feed.json"] {
        let text = site.read(rel);
        assert!(!text.contains('\u{fffe}'), "{rel}");
        assert!(text.contains("\"summary\": \"A dek\""), "{rel}");
        assert!(!text.contains("\\u00"), "{rel}: {text}");
    }
    let ld = json_ld(&site, "city/pasted/index.html");
    assert_eq!(ld["publisher"]["name"], "The Test Gazette");
    assert_eq!(ld["correction"][0]["text"], "Fixed a name.");
    assert!(rss.contains("Fixed a name."), "{rss}");
    let feed: serde_json::Value = serde_json::from_str(&site.read("city/feed.json")).unwrap();
    assert_eq!(feed["description"], "Streets and squares.");
}

#[test]
fn an_image_name_with_spaces_is_encoded_in_every_address() {
    let site = Site::with_config(CONFIG);
    site.write(
        "content/city/harbour/index.md",
        "+++\ntitle = \"Harbour\"\ndate = 2026-06-01T08:00:00Z\nimage = \"my photo é.png\"\nimage_alt = \"The harbour\"\n+++\nText.\n",
    );
    site.write_bytes("content/city/harbour/my photo é.png", b"png");
    site.build();
    let encoded = "https://gazette.example.com/news/city/harbour/my%20photo%20%C3%A9.png";
    let page = site.page("city/harbour/index.html");
    assert_eq!(
        page.attrs("meta[property='og:image']", "content"),
        vec![encoded]
    );
    let feed: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(feed["items"][0]["image"], encoded);
    assert_eq!(site.read("city/harbour/my photo é.png"), "png");
}

/// A picture's URL with spaces or quotes is written as a browser sends
/// it in every address; one that is no web address is an error.
#[test]
fn an_image_url_is_encoded_in_every_address_and_checked() {
    let site = Site::with_config(CONFIG);
    site.article(
        "city/harbour.md",
        "title = \"Harbour\"\ndate = 2026-06-01T08:00:00Z\nimage = \"https://cdn.example/my image \\\"q\\\".png?x=1&y=2\"\nimage_alt = \"The harbour\"",
        "Text.\n",
    );
    site.write(
        "content/_authors/ana.md",
        "+++\nname = \"Ana\"\nphoto = \"https://cdn.example/ana photo.jpg\"\nphoto_alt = \"Ana\"\n+++\n",
    );
    site.build();
    let encoded = "https://cdn.example/my%20image%20%22q%22.png?x=1&y=2";
    let page = site.page("city/harbour/index.html");
    assert_eq!(
        page.attrs("meta[property='og:image']", "content"),
        vec![encoded]
    );
    assert_eq!(
        json_ld(&site, "city/harbour/index.html")["image"][0],
        encoded
    );
    let feed: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(feed["items"][0]["image"], encoded);
    let author = site.read("authors/ana/index.html");
    assert!(
        author.contains("src=\"https://cdn.example/ana%20photo.jpg\""),
        "{author}"
    );

    for (image, said) in [
        (
            "ftp://cdn.example/x.png",
            "is not a web address: a URL must start with https:// or http://",
        ),
        ("https://", "is not a valid URL (empty host)"),
        (
            "//cdn.example/x.png",
            "is an address without its scheme: write it whole, \"https://cdn.example/x.png\"",
        ),
    ] {
        site.article(
            "city/harbour.md",
            &format!("title = \"Harbour\"\ndate = 2026-06-01T08:00:00Z\nimage = \"{image}\""),
            "Text.\n",
        );
        let failure = site.try_build(site.options()).expect_err(image);
        assert_eq!(
            failure.errors.0[0].to_string(),
            format!("content/city/harbour.md:4:9: `image` \"{image}\" {said}")
        );
    }
}

/// A correction is told where the story goes: the page's JSON-LD, and
/// after the text in the feeds that carry whole stories.
#[test]
fn corrections_reach_json_ld_and_whole_story_feeds() {
    let site = site();
    let ld = json_ld(&site, "city/hostile/index.html");
    assert_eq!(
        ld["correction"],
        serde_json::json!([{
            "@type": "CorrectionComment",
            "datePublished": "2026-06-01T00:00:00-04:00",
            "text": "An earlier version misspelled the ferry's name.",
        }])
    );
    assert!(json_ld(&site, "city/s1/index.html")
        .get("correction")
        .is_none());
    let feed: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    let html = feed["items"][0]["content_html"].as_str().unwrap();
    assert!(
        html.ends_with(
            "<aside class=\"corrections\">\n<h2>Correction</h2>\n<ul>\n<li><time datetime=\"2026-06-01T00:00:00-04:00\">June 1, 2026</time>: An earlier version misspelled the ferry&#39;s name.</li>\n</ul>\n</aside>"
        ),
        "{html}"
    );
    let rss = xml(&site, "city/rss.xml");
    assert!(rss.contains("&lt;h2&gt;Correction&lt;/h2&gt;"), "{rss}");
    assert!(!feed["items"][1]["content_html"]
        .as_str()
        .unwrap()
        .contains("corrections"));
    // A tag's feed carries the summary alone.
    let tag: serde_json::Value = serde_json::from_str(&site.read("tags/fares/feed.json")).unwrap();
    assert!(tag["items"][0].get("content_html").is_none());
}

#[test]
fn json_ld_leaves_out_an_empty_byline_tags_and_dek() {
    let site = Site::with_config(CONFIG);
    // No byline, no tags, and no text to take a dek from.
    site.article(
        "city/unsigned.md",
        "title = \"Unsigned\"\ndate = 2026-06-01T08:00:00Z",
        "",
    );
    site.build();
    let ld = json_ld(&site, "city/unsigned/index.html");
    assert_eq!(ld["headline"], "Unsigned");
    assert!(ld.get("author").is_none(), "{ld}");
    assert!(ld.get("keywords").is_none(), "{ld}");
    assert!(ld.get("description").is_none(), "{ld}");
    // The page still has a description: its headline.
    let page = site.page("city/unsigned/index.html");
    assert_eq!(
        page.attrs("meta[name=description]", "content"),
        vec!["Unsigned"]
    );
}

/// Open Graph's locale is the language and its region, not the tag with
/// `_` for `-`.
#[test]
fn og_locale_leaves_the_script_out() {
    let site = Site::with_config(&format!("language = \"sr-Latn-RS\"\n{CONFIG}"));
    site.article("city/a.md", "title = \"A\"\ndate = 2026-05-01", "Text.\n");
    site.build();
    let page = site.page("city/a/index.html");
    assert_eq!(
        page.attrs("meta[property='og:locale']", "content"),
        ["sr_RS"]
    );
    assert_eq!(page.attrs("html", "lang"), ["sr-Latn-RS"]);
}

/// A site with no `description` has no empty description tags on its
/// front page: a search engine then writes its own snippet.
#[test]
fn an_empty_description_leaves_its_tags_out() {
    let site = Site::with_config(&CONFIG.replace("description = \"Harbour news.\"\n", ""));
    site.article("city/a.md", "title = \"A\"\ndate = 2026-05-01", "Text.\n");
    site.build();
    let page = site.page("index.html");
    for tag in [
        "meta[name=description]",
        "meta[property='og:description']",
        "meta[name='twitter:description']",
    ] {
        assert!(page.all(tag).is_empty(), "{tag}");
    }
    assert_eq!(
        site.page("city/a/index.html")
            .attrs("meta[name=description]", "content"),
        ["Text."]
    );
}

#[test]
fn robots_names_both_sitemaps() {
    let site = site();
    let robots = site.read("robots.txt");
    assert!(robots.contains("Sitemap: https://gazette.example.com/news/sitemap.xml\n"));
    assert!(robots.contains("Sitemap: https://gazette.example.com/news/news-sitemap.xml\n"));
}

#[test]
fn aliases_redirect_to_the_new_address() {
    let site = site();
    let page = site.page("2019/05/old-url/index.html");
    let target = "https://gazette.example.com/news/city/hostile/";
    assert_eq!(page.attrs("link[rel=canonical]", "href"), vec![target]);
    assert_eq!(
        page.attrs("meta[http-equiv=refresh]", "content"),
        vec![format!("0; url={target}")]
    );
    assert_eq!(
        site.read("_redirects"),
        "/news/2019/05/old-url/ /news/city/hostile/ 301\n"
    );
}

/// A site's own `_redirects` in static/ keeps its rules first, and the
/// aliases' lines follow: adding one does not lose them.
#[test]
fn a_sites_own_redirects_are_kept_with_the_aliases() {
    let site = site();
    site.write("static/_redirects", "/shop https://shop.example.com/ 302");
    site.build();
    assert_eq!(
        site.read("_redirects"),
        "/shop https://shop.example.com/ 302\n# Aliases of the site's stories\n/news/2019/05/old-url/ /news/city/hostile/ 301\n"
    );
}

/// An alias written with the site's own path (copied from an access log)
/// is served under it twice: a warning that says what to write.
#[test]
fn an_alias_with_the_sites_path_is_warned_of() {
    let site = Site::with_config(CONFIG);
    site.article(
        "city/gull.md",
        "title = \"Gull\"\ndate = 2026-05-01\naliases = [\"/news/old/gull/\", \"/newsroom/gull/\"]",
        "Text.\n",
    );
    let report = site.build();
    let warned: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warned,
        ["content/city/gull.md:4:12: the alias \"/news/old/gull/\" starts with the site's path /news/, which every alias is given: it is served at /news/news/old/gull/; write \"/old/gull/\""]
    );
    // Built where the warning says.
    assert!(site.exists("news/old/gull/index.html"));
    // A path beyond ASCII, written as it reads or escaped.
    let cafe = Site::with_config(&CONFIG.replace("/news/", "/café/"));
    cafe.article(
        "city/gull.md",
        "title = \"Gull\"\ndate = 2026-05-01\naliases = [\"/café/a1/\", \"/caf%C3%A9/a2/\", \"/café/\"]",
        "Text.\n",
    );
    let warned: Vec<String> = cafe
        .build()
        .warnings
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert_eq!(warned.len(), 3, "{warned:?}");
    assert!(
        warned[2].ends_with("served at /café/café/; an alias cannot be the front page"),
        "{warned:?}"
    );
    assert!(site.exists("newsroom/gull/index.html"));
}

/// A static host decodes a request's percent-escapes to find the file, and
/// never looks up a query or a fragment.
#[test]
fn an_aliass_escapes_are_decoded_and_a_query_is_an_error() {
    let site = Site::with_config(CONFIG);
    site.article(
        "city/a.md",
        "title = \"A\"\ndate = 2026-05-01\naliases = [\"/caf%C3%A9/50%25 off/\"]",
        "Text.\n",
    );
    site.build();
    assert!(site
        .read("café/50% off/index.html")
        .contains("/news/city/a/"));
    assert_eq!(
        site.read("_redirects"),
        "/news/caf%C3%A9/50%25%20off/ /news/city/a/ 301\n"
    );
    site.article(
        "city/a.md",
        "title = \"A\"\ndate = 2026-05-01\naliases = [\"/q?x=1\", \"/%2e%2e/etc/\", \"/a//b/\"]",
        "Text.\n",
    );
    let err = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    for (column, why) in [
        (12, "\"/q?x=1\" has a query (`?`) or a fragment (`#`)"),
        (
            22,
            "\"/%2e%2e/etc/\" has a `.` or `..` folder (once decoded)",
        ),
        (38, "\"/a//b/\" has an empty folder name (`//`)"),
    ] {
        let at = format!("error: content/city/a.md:4:{column}: an alias must be a site path");
        assert!(err.contains(&at), "{at} in {err}");
        assert!(err.contains(why), "{why} in {err}");
    }
    assert!(err.contains("build failed: 3 errors"), "{err}");
}

#[test]
fn a_slug_that_takes_another_storys_address_is_an_error_at_the_slug() {
    let site = Site::with_config(CONFIG);
    site.article("city/a.md", "title = \"A\"\ndate = 2026-05-01", "Text.\n");
    site.article(
        "city/b.md",
        "title = \"B\"\ndate = 2026-05-02\nslug = \"a\"",
        "Text.\n",
    );
    let err = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    assert!(
        err.contains(
            "error: content/city/b.md:4:8: writes the page /city/a/, which content/city/a.md also writes"
        ),
        "{err}"
    );
}

#[test]
fn an_alias_onto_an_existing_page_is_an_error() {
    let site = Site::with_config(CONFIG);
    site.article("city/a.md", "title = \"A\"\ndate = 2026-05-01", "Text.\n");
    site.article(
        "city/b.md",
        "title = \"B\"\ndate = 2026-05-02\naliases = [\"/city/a/\"]",
        "Text.\n",
    );
    let err = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    assert!(
        err.contains(
            "content/city/b.md:4:12: an alias would be written at /city/a/, where content/city/a.md also writes"
        ),
        "{err}"
    );
}

/// A section without a description is described in the site's words, in
/// its feeds as on its page.
#[test]
fn a_sections_feeds_describe_it_as_its_page_does() {
    let site = site();
    let described = "The latest City stories from The Test Gazette.";
    let page = site.page("city/index.html");
    assert_eq!(
        page.attrs("meta[name='description']", "content"),
        [described]
    );
    let rss = xml(&site, "city/rss.xml");
    let doc = roxmltree::Document::parse(&rss).unwrap();
    let channel = doc
        .descendants()
        .find(|n| n.has_tag_name("channel"))
        .unwrap();
    assert_eq!(text_of(channel, "description"), described);
    let atom = xml(&site, "city/atom.xml");
    assert!(
        atom.contains(&format!("<subtitle>{described}</subtitle>")),
        "{atom}"
    );
    let feed: serde_json::Value = serde_json::from_str(&site.read("city/feed.json")).unwrap();
    assert_eq!(feed["description"], described);
}

/// A whole story in a feed shows its picture where its page does: after
/// the dek, before the text, at its full address and with its size.
#[test]
fn whole_story_feeds_show_the_story_picture() {
    let site = Site::with_config(CONFIG);
    site.write(
        "content/city/pier/index.md",
        "+++\ntitle = \"Pier\"\ndate = 2026-06-01T08:00:00Z\nsummary = \"The pier reopens.\"\nimage = \"pier.svg\"\nimage_alt = \"The pier & its lamps\"\ntags = [\"Port\"]\n+++\n\nText.\n",
    );
    site.write(
        "content/city/pier/pier.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\"/>\n",
    );
    site.build();
    let feed: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(
        feed["items"][0]["content_html"],
        "<p>The pier reopens.</p>\n<figure><img src=\"https://gazette.example.com/news/city/pier/pier.svg\" alt=\"The pier &amp; its lamps\" width=\"300\" height=\"200\" /></figure>\n<p>Text.</p>"
    );
    let rss = xml(&site, "rss.xml");
    assert!(
        rss.contains("&lt;figure&gt;&lt;img src=&quot;https://gazette.example.com/news/city/pier/pier.svg&quot;"),
        "{rss}"
    );
    // A summary alone has no picture.
    let tag: serde_json::Value = serde_json::from_str(&site.read("tags/port/feed.json")).unwrap();
    assert!(tag["items"][0].get("content_html").is_none());
    assert_eq!(
        tag["items"][0]["image"],
        "https://gazette.example.com/news/city/pier/pier.svg"
    );
}
