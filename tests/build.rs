//! Building fixture sites and checking the files written: the pages a
//! reader gets, their links and their order.

mod common;

use common::{snapshot, Site};

fn newsroom() -> Site {
    let site = Site::new();
    site.write(
        "content/business/_index.md",
        "+++\ntitle = \"Business & Markets\"\ndescription = \"Money and the harbour.\"\nweight = 1\n+++\n",
    );
    for (i, day) in [10, 11, 12, 13, 14].iter().enumerate() {
        site.article(
            &format!("business/story-{i}.md"),
            &format!(
                "title = \"Story {i}\"\ndate = 2026-05-{day}T09:00:00Z\nsummary = \"Dek {i}.\"\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\", \"Money\"]"
            ),
            "Body text.\n",
        );
    }
    site.article(
        "city/ferry.md",
        "title = \"Ferry\"\ndate = 2026-05-20\ntags = [\"port\"]",
        "The ferry is back.\n\n## Timetable\n\nRead [story 0](@/business/story-0.md).\n",
    );
    site.write(
        "content/about.md",
        "+++\ntitle = \"About us\"\n+++\n\nWho we are.\n",
    );
    site
}

#[test]
fn article_page_has_headline_dek_byline_and_body() {
    let site = newsroom();
    site.build();
    let page = site.page("business/story-0/index.html");
    assert_eq!(page.texts("h1"), vec!["Story 0"]);
    assert_eq!(page.text(".dek"), "Dek 0.");
    assert_eq!(page.text(".byline"), "By Ana Díaz");
    assert_eq!(page.attrs(".byline a", "href"), vec!["/authors/ana-diaz/"]);
    // 09:00 UTC is 05:00 in New York, the site's zone.
    assert_eq!(
        page.attrs(".dateline time", "datetime"),
        vec!["2026-05-10T05:00:00-04:00"]
    );
    assert_eq!(page.text(".reading-time"), "1 min read");
    assert_eq!(
        page.attrs(".tags a", "href"),
        vec!["/tags/port/", "/tags/money/"]
    );
    assert_eq!(page.text("title"), "Story 0 · The Test Gazette");
}

#[test]
fn first_paragraph_is_the_dek_when_there_is_no_summary() {
    let site = newsroom();
    site.build();
    let page = site.page("city/ferry/index.html");
    assert_eq!(page.text(".dek"), "The ferry is back.");
    assert!(!page.text(".article-body").contains("The ferry is back."));
    assert_eq!(page.attrs(".article-body h2", "id"), vec!["timetable"]);
}

/// A story that starts with a heading keeps its order: its first paragraph
/// is not lifted above the heading, though lists and feeds still show it.
#[test]
fn a_first_paragraph_after_a_heading_stays_in_place_and_still_describes() {
    let site = newsroom();
    site.article(
        "city/timeline.md",
        "title = \"Timeline\"\ndate = 2026-05-25",
        "## Monday\n\nThe pier closed.\n\n## Tuesday\n\nIt opened.\n",
    );
    site.build();
    let page = site.page("city/timeline/index.html");
    assert!(page.all(".dek").is_empty());
    assert_eq!(
        page.text(".article-body"),
        "Monday The pier closed. Tuesday It opened."
    );
    assert_eq!(
        page.attrs("meta[name=description]", "content"),
        ["The pier closed."]
    );
    let front = site.page("index.html");
    assert!(front.text("main").contains("The pier closed."));
    let rss = site.read("city/rss.xml");
    assert_eq!(rss.matches("The pier closed.").count(), 2, "{rss}");
}

/// A lead photo alone in the first paragraph says nothing of the story:
/// the paragraph after it is the dek, and the photo stays at the body's
/// top. Before, the photo's text alternative was the description.
#[test]
fn a_lead_photo_is_not_the_dek_the_paragraph_after_it_is() {
    let site = newsroom();
    site.write(
        "content/city/pier/index.md",
        "+++\ntitle = \"Pier\"\ndate = 2026-05-25\n+++\n\n![The pier at dawn](pier.png)\n\nThe pier reopened on Monday.\n\nMore text.\n",
    );
    site.write_bytes("content/city/pier/pier.png", b"png");
    site.build();
    let page = site.page("city/pier/index.html");
    assert_eq!(page.text(".dek"), "The pier reopened on Monday.");
    assert_eq!(page.attrs(".article-body img", "alt"), ["The pier at dawn"]);
    assert_eq!(page.text(".article-body"), "More text.");
    assert_eq!(
        page.attrs("meta[name=description]", "content"),
        ["The pier reopened on Monday."]
    );
    let feed: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    let item = &feed["items"][0];
    assert_eq!(item["summary"], "The pier reopened on Monday.");
    // A photo with its credit on the line under it, linked to its own
    // file: a photo too.
    site.write(
        "content/city/pier/index.md",
        "+++\ntitle = \"Pier\"\ndate = 2026-05-25\n+++\n\n[![The pier at dawn](pier.png)](pier.png)\n*Photo: Staff*\n\nThe pier reopened on Monday.\n\nMore text.\n",
    );
    site.build();
    let page = site.page("city/pier/index.html");
    assert_eq!(page.text(".dek"), "The pier reopened on Monday.");
    assert_eq!(page.text(".article-body"), "Photo: Staff More text.");
    assert_eq!(
        page.attrs("meta[name=description]", "content"),
        ["The pier reopened on Monday."]
    );
    // A lede after a picture is no caption: that paragraph is the dek.
    site.write(
        "content/city/pier/index.md",
        "+++\ntitle = \"Pier\"\ndate = 2026-05-25\n+++\n\n![The pier at dawn](pier.png)\n*Exclusive:* The pier reopened on Monday.\n\nMore text.\n",
    );
    site.build();
    let page = site.page("city/pier/index.html");
    assert_eq!(page.text(".dek"), "Exclusive: The pier reopened on Monday.");
    assert_eq!(page.text(".article-body"), "More text.");
    // A heading after the photo: the paragraph under it stays there.
    site.write(
        "content/city/pier/index.md",
        "+++\ntitle = \"Pier\"\ndate = 2026-05-25\n+++\n\n![The pier at dawn](pier.png)\n\n## Monday\n\nThe pier reopened.\n",
    );
    site.build();
    let page = site.page("city/pier/index.html");
    assert!(page.all(".dek").is_empty());
    assert_eq!(page.text(".article-body"), "Monday The pier reopened.");
}

/// An `@/` link finds its story whichever Unicode spelling the link and
/// the file name each use: `é` composed, or `e` and an accent apart (as
/// macOS names files).
#[test]
fn links_find_files_spelled_in_the_other_unicode_form() {
    let site = newsroom();
    site.article(
        "city/cafe\u{301}.md",
        "title = \"Café\"\ndate = 2026-05-20",
        "## Menu\n\nText.\n",
    );
    site.article(
        "city/crème.md",
        "title = \"Crème\"\ndate = 2026-05-20",
        "Text.\n",
    );
    site.article(
        "city/links.md",
        "title = \"Links\"\ndate = 2026-05-21",
        "Intro.\n\nSee [the café](@/city/café.md#menu) and [the crème](@/city/cre\u{300}me.md).\n",
    );
    // A `related` pin too.
    site.article(
        "city/pinned.md",
        "title = \"Pinned\"\ndate = 2026-05-21\nrelated = [\"city/café.md\"]",
        "Text.\n",
    );
    let report = site.build();
    let said: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        !said
            .iter()
            .any(|w| w.contains("links.md") || w.contains("pinned.md")),
        "{said:?}"
    );
    let page = site.page("city/links/index.html");
    assert_eq!(
        page.attrs(".article-body a", "href"),
        ["/city/cafe/#menu", "/city/creme/"]
    );
    let pinned = site.page("city/pinned/index.html");
    assert!(pinned
        .attrs(".related a", "href")
        .contains(&"/city/cafe/".to_string()));
}

#[test]
fn content_links_become_urls() {
    let site = newsroom();
    site.build();
    let page = site.page("city/ferry/index.html");
    assert_eq!(
        page.attrs(".article-body a", "href"),
        vec!["/business/story-0/"]
    );
}

#[test]
fn section_pages_paginate_newest_first() {
    let site = newsroom();
    site.build();
    let first = site.page("business/index.html");
    assert_eq!(first.text("h1"), "Business & Markets");
    assert_eq!(first.texts(".card-title"), vec!["Story 4", "Story 3"]);
    assert_eq!(
        first.attrs(".pager a[rel=next]", "href"),
        vec!["/business/page/2/"]
    );
    let third = site.page("business/page/3/index.html");
    assert_eq!(third.texts(".card-title"), vec!["Story 0"]);
    assert_eq!(
        third.attrs(".pager a[rel=prev]", "href"),
        vec!["/business/page/2/"]
    );
    assert!(third.attrs(".pager a[rel=next]", "href").is_empty());
    // Each page is named in full for screen readers; its number shows.
    assert_eq!(
        third.attrs(".pager ol a", "aria-label"),
        ["Page 1", "Page 2", "Page 3"]
    );
    assert_eq!(third.texts(".pager ol a"), ["1", "2", "3"]);
    assert!(!site.exists("business/page/4/index.html"));
    assert!(!site.exists("business/page/1/index.html"));
}

#[test]
fn front_page_leads_with_the_newest_story_and_paginates() {
    let site = newsroom();
    site.build();
    let front = site.page("index.html");
    assert_eq!(front.texts("h1"), vec!["The Test Gazette"]);
    assert_eq!(front.text(".lead-title"), "Ferry");
    // paginate_by = 2: the lead and one more story on page 1.
    assert_eq!(front.texts(".latest .card-title"), vec!["Story 4"]);
    // The Business rail shows stories not already above it.
    assert_eq!(
        front.texts(".rail .card-title"),
        vec!["Story 3", "Story 2", "Story 1"]
    );
    let page2 = site.page("page/2/index.html");
    assert_eq!(page2.texts(".card-title"), vec!["Story 3", "Story 2"]);
    assert!(site.exists("page/3/index.html"));
    assert!(!site.exists("page/4/index.html"));
}

#[test]
fn a_sites_card_template_shows_in_every_listing() {
    let site = newsroom();
    site.write(
        "templates/card.html",
        "<article class=\"mine\"><h3>{{ card.title }} in {{ card.section.name }} ({{ site.title }})</h3></article>",
    );
    site.build();
    let card = "Story 4 in Business & Markets (The Test Gazette)";
    for name in [
        "index.html",
        "business/index.html",
        "tags/port/index.html",
        "city/ferry/index.html",
    ] {
        let page = site.page(name);
        assert!(page.all(".card-title").is_empty(), "{name}");
        assert!(page.texts(".mine h3").contains(&card.to_string()), "{name}");
    }
}

#[test]
fn a_sites_listing_template_reaches_every_card_field() {
    let site = newsroom();
    // A component of the site's own, in a file of its own, and a listing
    // that calls it.
    site.write(
        "templates/mine.html",
        "{% component line(c) %}<li>{{ c.title }}|{{ c.words }}|{{ c.date.iso }}{% endcomponent line %}",
    );
    site.write(
        "templates/section.html",
        "<ul>{% for a in articles %}{{<line c={a}/>}}|{{ a.section.name }}</li>{% endfor %}</ul>{% for a in articles %}{{ a.reading_time }}{% if not loop.last %},{% endif %}{% endfor %}",
    );
    site.build();
    assert_eq!(
        site.read("business/index.html"),
        "<ul><li>Story 4|2|2026-05-14T05:00:00-04:00|Business &amp; Markets</li>\
         <li>Story 3|2|2026-05-13T05:00:00-04:00|Business &amp; Markets</li></ul>1,1"
    );
    // A card printed whole shows every field.
    site.write(
        "templates/section.html",
        "{% for a in articles %}{{ a | json_encode() | safe }}\n{% endfor %}",
    );
    site.build();
    let section = site.read("business/index.html");
    let first: serde_json::Value = serde_json::from_str(section.lines().next().unwrap()).unwrap();
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(
        keys.contains(&"dek_text") && keys.contains(&"image_alt"),
        "{keys:?}"
    );
    assert_eq!(keys.len(), 20, "{keys:?}");
    assert_eq!(first["draft"], false);
    assert_eq!(first["reading_time_text"], "1 min read");
}

#[test]
fn featured_story_leads_the_front_page() {
    let site = newsroom();
    site.write(
        "content/business/story-3.md",
        "+++\ntitle = \"Story 3\"\ndate = 2026-05-13T09:00:00Z\nfeatured = true\n+++\n\nBody.\n",
    );
    site.write(
        "site.toml",
        &common::SITE_TOML.replace("paginate_by = 2", "paginate_by = 4"),
    );
    site.build();
    let front = site.page("index.html");
    assert_eq!(front.text(".lead-title"), "Story 3");
    assert_eq!(
        front.texts(".latest .card-title"),
        vec!["Ferry", "Story 4", "Story 2"]
    );
}

#[test]
fn navigation_lists_sections_then_pages() {
    let site = newsroom();
    site.write(
        "content/about.md",
        "+++\ntitle = \"About us\"\nnav_title = \"About\"\n+++\n\nWho we are.\n",
    );
    site.build();
    let page = site.page("about/index.html");
    // Sections by weight (City has no _index.md, so weight 0), then pages.
    assert_eq!(
        page.texts(".site-nav a"),
        vec!["City", "Business & Markets", "About"]
    );
    assert_eq!(page.text("h1"), "About us");
    assert_eq!(page.text(".article-body"), "Who we are.");
    assert_eq!(
        page.attrs(".site-nav a[aria-current=page]", "href"),
        vec!["/about/"]
    );
}

#[test]
fn skip_link_is_the_first_link_and_targets_main() {
    let site = newsroom();
    site.build();
    for rel in [
        "index.html",
        "business/index.html",
        "city/ferry/index.html",
        "404.html",
        "tags/port/index.html",
    ] {
        let page = site.page(rel);
        let first = &page.all("body a")[0];
        assert_eq!(first.value().attr("href"), Some("#main"), "{rel}");
        assert_eq!(page.attrs("main", "id"), vec!["main"], "{rel}");
        assert_eq!(page.all("h1").len(), 1, "{rel}");
        assert_eq!(page.attrs("html", "lang"), vec!["en"], "{rel}");
    }
}

#[test]
fn headings_and_footnotes_never_take_an_id_the_page_has() {
    let site = newsroom();
    // A site's own template may add ids of its own too.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p id=\"intro\">Intro</p>\
         {{ page.content_html | safe }}{% endblock main %}",
    );
    let body = "Note[^main] and [^1].\n\n## Main\n\n## Intro\n\n## 1\n\n## Lead title\n\n\
                [^main]: The first.\n[^1]: The second.\n";
    site.article(
        "city/notes.md",
        "title = \"Notes\"\ndate = 2026-05-02\nsummary = \"Notes.\"",
        body,
    );
    site.write(
        "content/about.md",
        &format!("+++\ntitle = \"About\"\n+++\n{body}"),
    );
    site.build();
    // An id that a template of a page with an article's text writes is
    // kept clear on every such page.
    for rel in ["city/notes/index.html", "about/index.html"] {
        let page = site.page(rel);
        let all = page.attrs("[id]", "id");
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(all.len(), unique.len(), "{rel}: {all:?}");
        // The front page's `id="lead-title"` is not on this page.
        assert_eq!(
            page.attrs("h2[id]", "id")[..4],
            ["main-2", "intro-2", "1", "lead-title"],
            "{rel}"
        );
        // Each note's reference leads to it.
        for note in ["fn-main", "fn-1"] {
            assert_eq!(page.attrs(&format!("a[href='#{note}']"), "href").len(), 1);
            assert_eq!(page.attrs(&format!("#{note}"), "id").len(), 1, "{rel}");
        }
    }
}

/// A dek taken from the body is shown in lists, away from its page: its
/// relative addresses still lead where they did there, and its ids stay on
/// its own page rather than repeating in every list.
#[test]
fn a_deks_links_work_in_lists_and_its_ids_stay_on_its_page() {
    let site = newsroom();
    for (name, day) in [("harbour", 21), ("pier", 22)] {
        site.article(
            &format!("city/{name}/index.md"),
            &format!("title = \"{name}\"\ndate = 2026-05-{day}\ntags = [\"Docks\"]"),
            "## Background\n\n![The harbour](boat.svg) and [the plan](plan/)[^1].\n\n\
             <!-- more -->\n\nThe body.\n\n[^1]: A note.\n",
        );
        site.write(&format!("content/city/{name}/boat.svg"), "<svg/>");
    }
    site.build();
    // On its own page, as written.
    let page = site.page("city/pier/index.html");
    assert_eq!(page.attrs(".dek img", "src"), ["boat.svg"]);
    assert_eq!(page.attrs(".dek h2", "id"), ["background"]);
    assert_eq!(page.attrs(".dek a[href='#fn-1']", "href").len(), 1);
    assert_eq!(page.attrs("#fn-1", "id").len(), 1);
    // The front page leads with one and lists the other; the tag page and
    // the related stories list both.
    for rel in [
        "index.html",
        "city/index.html",
        "tags/docks/index.html",
        "city/harbour/index.html",
    ] {
        let page = site.page(rel);
        let mut images = page.attrs("img[alt='The harbour']", "src");
        images.sort();
        let expected = match rel {
            "city/harbour/index.html" => vec!["/city/pier/boat.svg", "boat.svg"],
            _ => vec!["/city/harbour/boat.svg", "/city/pier/boat.svg"],
        };
        assert_eq!(images, expected, "{rel}");
        let notes = page.attrs("sup a", "href");
        assert!(
            notes.contains(&"/city/pier/#fn-1".to_string()),
            "{rel}: {notes:?}"
        );
        let plans = page.attrs("a", "href");
        assert!(plans.contains(&"/city/pier/plan/".to_string()), "{rel}");
        let ids = page.attrs("[id]", "id");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "{rel}: {ids:?}");
    }
}

/// The build that publishes a scheduled story runs by itself, at its time:
/// what would fail it is said now, as warnings, and is an error then.
#[test]
fn a_scheduled_storys_problems_are_warned_of_before_it_goes_live() {
    let site = newsroom();
    site.article(
        "city/later.md",
        "title = \"Later\"\ndate = 2099-01-01\nrelated = [\"city/nope.md\"]\n\
         aliases = [\"/about/\"]\nslug = \"ferry\"",
        "See [this](@/nope2.md).\n",
    );
    let expected = [
        "content/city/later.md:4:12: `related` names \"city/nope.md\", which is no article",
        "content/city/later.md:5:12: an alias would be written at /about/, where content/about.md also writes",
        "content/city/later.md:6:8: writes the page /city/ferry/, which content/city/ferry.md also writes",
        "content/city/later.md:9:5: the link `@/nope2.md` names no article or page",
    ];
    let report = site.build();
    let warned: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    for line in expected {
        let said = warned.iter().find(|w| w.starts_with(line));
        let said = said.unwrap_or_else(|| panic!("{line} in {warned:#?}"));
        assert!(
            said.ends_with(
                "(the story is scheduled: this becomes an error of the build that publishes it)"
            ),
            "{said}"
        );
    }
    assert!(!site.exists("city/later/index.html"));
    // At its time, the same four are errors.
    let failure = site
        .try_build(site.options_at("2099-01-02T00:00:00Z"))
        .expect_err("the build that publishes it fails");
    let errors: Vec<String> = failure.errors.0.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    for line in expected {
        assert!(
            errors.iter().any(|e| e.starts_with(line)),
            "{line} in {errors:#?}"
        );
    }
}

/// Publishing a story can add pages: its section's, if it is the first
/// there, and its new tags' and authors'. Their clashes are said before.
#[test]
fn the_pages_a_scheduled_story_would_add_are_checked_too() {
    let site = newsroom();
    site.write(
        "content/sports.md",
        "+++\ntitle = \"Sports desk\"\n+++\nScores.\n",
    );
    site.article(
        "city/old.md",
        "title = \"Old\"\ndate = 2026-05-01\naliases = [\"/tags/jobs/\", \"/city/page/2/\"]",
        "Text.\n",
    );
    // The third story of the city's two a page: its second page.
    site.article(
        "city/tonight.md",
        "title = \"Tonight\"\ndate = 2099-01-01T20:00:00Z",
        "Text.\n",
    );
    site.article(
        "sports/match.md",
        "title = \"Match\"\ndate = 2099-01-01\ntags = [\"Jobs\"]",
        "Text.\n",
    );
    let report = site.build();
    let warned: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    for line in [
        "content/sports/match.md: the page of the section \"sports\" would be written at /sports/, where content/sports.md also writes",
        "content/sports/match.md: the page of the tag \"Jobs\" would be written at /tags/jobs/, where an alias of content/city/old.md also writes",
        "content/city/tonight.md: the page of the section \"city\" would be written at /city/page/2/, where an alias of content/city/old.md also writes",
    ] {
        assert!(warned.iter().any(|w| w.starts_with(line)), "{line} in {warned:#?}");
    }
    site.try_build(site.options_at("2099-01-02T00:00:00Z"))
        .expect_err("the build that publishes it fails");
}

#[test]
fn drafts_and_future_articles_wait_for_their_flags() {
    let site = newsroom();
    site.article(
        "city/draft.md",
        "title = \"Draft\"\ndate = 2026-05-01\ndraft = true",
        "Not yet.\n",
    );
    site.article(
        "city/later.md",
        "title = \"Later\"\ndate = 2026-07-01T08:00:00Z\ntags = [\"port\"]",
        "Soon.\n",
    );
    let report = site.build();
    assert!(!site.exists("city/draft/index.html"));
    assert!(!site.exists("city/later/index.html"));
    assert!(!site.read("city/index.html").contains("Later"));
    assert!(!site.read("tags/port/index.html").contains("Draft"));
    let (when, file) = report
        .next_scheduled
        .expect("the future article is scheduled");
    assert_eq!(when.timestamp().to_string(), "2026-07-01T08:00:00Z");
    assert!(file.ends_with("content/city/later.md"));

    let mut options = site.options();
    options.drafts = true;
    options.future = true;
    let report = site.try_build(options).unwrap();
    assert!(site.exists("city/draft/index.html"));
    assert!(site.exists("city/later/index.html"));
    assert!(site.read("city/index.html").contains("Later"));
    // Published already: nothing waits for its time.
    assert!(report.next_scheduled.is_none());
}

#[test]
fn not_found_page_and_static_files_are_written() {
    let site = newsroom();
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write_bytes("static/data.bin", &[0, 159, 146, 150]);
    site.build();
    assert_eq!(site.page("404.html").text("h1"), "Page not found");
    assert_eq!(
        std::fs::read(site.out("data.bin")).unwrap(),
        vec![0, 159, 146, 150]
    );
    assert!(site.read("img/logo.svg").starts_with("<svg"));
    assert!(site.read("style.css").contains(".hl-"));
}

#[test]
fn bundle_assets_sit_beside_their_article() {
    let site = newsroom();
    site.article(
        "city/harbour/index.md",
        "title = \"Harbour\"\ndate = 2026-05-02\nimage = \"boat.svg\"\nimage_alt = \"A boat\"",
        "Look: ![A boat](boat.svg)\n",
    );
    site.write("content/city/harbour/boat.svg", "<svg/>");
    // Files elsewhere in content/ are not copied, and say so.
    site.write("content/city/harbour/img/deep.svg", "<svg/>");
    site.write("content/city/loose.svg", "<svg/>");
    // In content/_authors/, only the photos profiles name are copied.
    site.write(
        "content/_authors/ana.md",
        "+++\nname = \"Ana Díaz\"\nphoto = \"ana.svg\"\n+++\nAna covers the docks.\n",
    );
    site.write("content/_authors/ana.svg", "<svg/>");
    site.write("content/_authors/old-ana.svg", "<svg/>");
    let report = site.build();
    let warned: Vec<String> = report
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("is not copied"))
        .map(|w| w.path.display().to_string())
        .collect();
    assert_eq!(
        warned,
        [
            "content/_authors/old-ana.svg",
            "content/city/harbour/img/deep.svg",
            "content/city/loose.svg"
        ]
    );
    assert!(site.exists("authors/ana-diaz/ana.svg"));
    assert!(!site.exists("authors/ana-diaz/old-ana.svg"));
    assert!(!site.exists("city/loose.svg"));
    assert_eq!(site.read("city/harbour/boat.svg"), "<svg/>");
    let page = site.page("city/harbour/index.html");
    assert_eq!(
        page.attrs(".article-image img", "src"),
        vec!["/city/harbour/boat.svg"]
    );
    assert_eq!(page.attrs(".article-image img", "alt"), vec!["A boat"]);
}

#[test]
fn a_site_template_replaces_the_built_in_one() {
    let site = newsroom();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Custom: {{ page.title }}</h1>{% endblock main %}",
    );
    site.build();
    assert_eq!(site.page("about/index.html").text("h1"), "Custom: About us");
    // Other templates are still the built-in ones.
    assert_eq!(
        site.page("business/story-0/index.html").text("h1"),
        "Story 0"
    );
}

#[test]
fn permalink_pattern_places_articles() {
    let site = Site::with_config(&format!(
        "{}permalink = \"/{{section}}/{{year}}/{{month}}/{{slug}}/\"\n",
        common::SITE_TOML
    ));
    site.article(
        "city/ferry.md",
        "title = \"Ferry\"\ndate = 2026-05-20",
        "Text.\n",
    );
    site.build();
    assert!(site.exists("city/2026/05/ferry/index.html"));
}

/// A permalink's words may be of any script: the file is written under
/// them, and every address escapes them, as an address must.
#[test]
fn a_permalink_in_another_script_is_escaped_in_every_address() {
    let site = Site::with_config(&format!(
        "{}permalink = \"/actualit\u{e9}s/c++/{{slug}}/\"\n",
        common::SITE_TOML
    ));
    site.article(
        "city/ferry.md",
        "title = \"Ferry\"\ndate = 2026-05-20",
        "Text.\n",
    );
    site.build();
    assert!(site.exists("actualit\u{e9}s/c++/ferry/index.html"));
    let escaped = "/actualit%C3%A9s/c%2B%2B/ferry/";
    let front = site.page("index.html");
    assert!(
        front.attrs("a", "href").iter().any(|h| h == escaped),
        "{:?}",
        front.attrs("a", "href")
    );
    let page = site.page("actualit\u{e9}s/c++/ferry/index.html");
    let permalink = format!("https://gazette.example.com{escaped}");
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        [permalink.as_str()]
    );
    assert!(site
        .read("sitemap.xml")
        .contains(&format!("<loc>{permalink}</loc>")));
    assert!(site
        .read("rss.xml")
        .contains(&format!("<link>{permalink}</link>")));
}

#[test]
fn base_url_path_prefixes_every_link() {
    let site = newsroom();
    let mut options = site.options();
    options.base_url = Some("https://example.org/news/".into());
    site.try_build(options).unwrap();
    let page = site.page("city/ferry/index.html");
    assert_eq!(
        page.attrs("link[rel=stylesheet]", "href"),
        vec!["/news/style.css"]
    );
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        vec!["https://example.org/news/city/ferry/"]
    );
    assert_eq!(
        page.attrs(".article-body a", "href"),
        vec!["/news/business/story-0/"]
    );
    for href in page.attrs("a", "href") {
        assert!(
            href.starts_with("/news/")
                || href.starts_with('#')
                || href.contains("://")
                || href.starts_with("mailto:"),
            "{href}"
        );
    }
}

#[test]
fn share_links_carry_the_article_url_and_no_script() {
    let site = newsroom();
    site.build();
    let page = site.page("city/ferry/index.html");
    let links = page.attrs(".share a", "href");
    assert_eq!(links.len(), 5);
    for l in &links {
        assert!(
            l.contains("https%3A%2F%2Fgazette.example.com%2Fcity%2Fferry%2F"),
            "{l}"
        );
    }
    // No script runs: the only script element is JSON-LD data.
    assert_eq!(page.attrs("script", "type"), vec!["application/ld+json"]);
    assert!(page.all("script[src]").is_empty());
}

#[test]
fn related_stories_share_tags() {
    let site = newsroom();
    site.build();
    let page = site.page("city/ferry/index.html");
    // Ferry shares "port" with every business story; the newest come first.
    assert_eq!(
        page.texts(".related .card-title"),
        vec!["Story 4", "Story 3", "Story 2", "Story 1"]
    );
    assert_eq!(page.texts(".related .reading-time"), vec!["1 min read"; 4]);
}

#[test]
fn two_builds_give_identical_bytes() {
    let site = newsroom();
    site.build();
    let first = snapshot(&site.out(""));
    // `full`: render every page again rather than find nothing changed.
    let again = dateline::BuildOptions {
        full: true,
        ..site.options()
    };
    let report = site.try_build(again).unwrap();
    assert!(!report.up_to_date);
    assert_eq!(first, snapshot(&site.out("")));
    assert!(first.len() > 20);
}

#[test]
fn build_replaces_the_output_whole() {
    let site = newsroom();
    site.build();
    std::fs::remove_file(site.root().join("content/city/ferry.md")).unwrap();
    site.build();
    assert!(!site.exists("city/ferry/index.html"));
    let names: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .filter(|n| n != ".public.dateline-state" && n != ".public.dateline-lock")
        .collect();
    assert!(names.is_empty(), "staging folders left behind: {names:?}");
}

#[test]
fn one_thread_and_many_threads_give_identical_bytes() {
    let site = newsroom();
    site.article(
        "city/moved.md",
        "title = \"Moved\"\ndate = 2026-05-21\ntags = [\"Port\", \"Money\"]\naliases = [\"/old/moved/\"]",
        "Text.\n",
    );
    let pool = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    };
    let full = dateline::BuildOptions {
        full: true,
        ..site.options()
    };
    pool(1).install(|| site.try_build(full.clone()).unwrap());
    let single = snapshot(&site.out(""));
    pool(4).install(|| site.try_build(full.clone()).unwrap());
    assert_eq!(single, snapshot(&site.out("")));
}

/// Article bodies are set aside in a temporary file between the Markdown
/// stage and their pages. With no temporary folder to put it in, they are
/// rendered again with their pages, and the site is the same.
#[test]
fn a_build_without_a_temporary_folder_writes_the_same_site() {
    let site = newsroom();
    site.article(
        "city/code.md",
        "title = \"Code\"\ndate = 2026-05-22\ntags = [\"Port\"]",
        "The lead paragraph.\n\n```rust\nfn main() {}\n```\n\nThe last words.\n",
    );
    let build = |out: &str, tmpdir: Option<std::path::PathBuf>| {
        let mut command = common::dateline_bin();
        command
            .args(["build", "--output", out, "--now", "2026-06-01T00:00:00Z"])
            .current_dir(site.root());
        if let Some(dir) = tmpdir {
            command.env("TMPDIR", dir);
        }
        let done = command.output().unwrap();
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        snapshot(&site.root().join(out))
    };
    // In-process, with the system's temporary folder, every body is set
    // aside.
    let (_, read) = dateline::build_site(&site.options()).unwrap();
    let markdown = read.unwrap().markdown;
    assert!(markdown.spill.is_some());
    assert_eq!(markdown.bodies.len(), markdown.articles.len());
    assert!(markdown.bodies.iter().all(Option::is_some));
    let set_aside = build("set-aside", None);
    let rendered_again = build("again", Some(site.root().join("no-such-folder")));
    assert_eq!(set_aside, rendered_again);
    let page = std::fs::read_to_string(site.root().join("again/city/code/index.html")).unwrap();
    assert!(page.contains("The last words."), "{page}");
    assert!(page.contains("class=\"hl-"), "{page}");
}

/// A site in Portuguese: every word the theme and the build write comes
/// from `[words]`, dates included.
#[test]
fn a_site_writes_its_pages_in_its_own_words() {
    let words = r#"
[words]
months = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"]
date = "{day} de {month} de {year}"
time = "{hour2}h{minute}"
min_read = "{minutes} min de leitura"
updated = "Atualizado"
by = "Por"
and = "e"
share = "Partilhar"
share_on = "Partilhar no {network}"
share_by_email = "Partilhar por email"
table = "Tabela"
done = "Feito"
stories_about = "Notícias sobre {name}."
topics = "Temas"
title_page = "{title}, página {page}"
page_of = "página {page} de {pages}"
page = "Página"
older_stories = "Notícias anteriores"
story_count = "{count} notícias"
not_found = "Página não encontrada"
feed = "{title}, em {format}"
"#;
    let site = Site::with_config(&format!("{}{words}", common::SITE_TOML));
    for day in [10, 11, 12] {
        site.article(
            &format!("city/s{day}.md"),
            &format!(
                "title = \"S{day}\"\ndate = 2026-04-{day}T13:00:00Z\nupdated = 2026-04-{day}T14:30:00Z\nauthors = [\"Ana\", \"Rui\"]\ntags = [\"Porto\"]"
            ),
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] feito\n",
        );
    }
    site.build();
    let page = site.page("city/s10/index.html");
    assert_eq!(page.text(".dateline time"), "10 de abril de 2026");
    // Updated the day it was published: the time says when.
    assert_eq!(page.text(".updated"), "Atualizado 10h30");
    assert_eq!(page.text(".reading-time"), "1 min de leitura");
    assert_eq!(page.text(".byline"), "Por Ana e Rui");
    assert_eq!(page.text("#share-title"), "Partilhar");
    assert_eq!(
        page.attrs(".share a", "aria-label")[..2],
        ["Partilhar no X", "Partilhar no Bluesky"]
    );
    assert!(page
        .attrs(".share a", "aria-label")
        .contains(&"Partilhar por email".to_string()));
    assert_eq!(page.attrs(".table-scroll", "aria-label"), ["Tabela"]);
    assert_eq!(page.attrs("input[type=checkbox]", "aria-label"), ["Feito"]);
    let tag = site.page("tags/porto/index.html");
    assert_eq!(
        tag.attrs("meta[name=description]", "content"),
        ["Notícias sobre Porto."]
    );
    assert_eq!(tag.text(".page-description"), "3 notícias");
    assert_eq!(tag.text(".pager [rel=next]"), "Notícias anteriores");
    // A `page` without its number is followed by it.
    assert_eq!(
        tag.attrs(".pager ol a", "aria-label"),
        ["Página 1", "Página 2"]
    );
    let second = site.page("tags/porto/page/2/index.html");
    assert_eq!(second.text("title"), "Porto, página 2 · The Test Gazette");
    assert_eq!(second.text(".page-number"), "página 2 de 2");
    assert_eq!(site.page("tags/index.html").text("h1"), "Temas");
    assert_eq!(site.page("404.html").text("h1"), "Página não encontrada");
    assert_eq!(
        tag.attrs("link[rel=alternate]", "title")[..2],
        ["The Test Gazette, em RSS", "The Test Gazette, em Atom"]
    );
    assert_eq!(
        tag.attrs("link[rel=alternate]", "title")[3],
        "Porto · The Test Gazette, em RSS"
    );
    // Words not given stay English.
    assert_eq!(page.text(".related h2"), "Related Stories");
}

/// The error lines of building a site whose site.toml ends with `more`.
fn errors_with_settings(more: &str) -> (Site, Vec<String>) {
    let site = Site::with_config(&format!("{}{more}", common::SITE_TOML));
    let out = site.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    let lines = err.lines().filter(|l| l.starts_with("error:"));
    (site, lines.map(str::to_string).collect())
}

/// Counts and reading times take the form the language gives their
/// number: Polish has one for 1, one for 2 to 4 (and 22 to 24...), one
/// for the rest.
#[test]
fn counts_take_the_languages_plural_forms() {
    let site = Site::with_config(&format!(
        "{}language = \"pl\"\n[words]\nstory_count_one = \"{{count}} artykuł\"\nstory_count_few = \"{{count}} artykuły\"\nstory_count = \"{{count}} artykułów\"\nmin_read_one = \"{{minutes}} minuta\"\nmin_read_few = \"{{minutes}} minuty\"\nmin_read = \"{{minutes}} minut\"\n",
        common::SITE_TOML
    ));
    let words = |n: usize| vec!["słowo"; n].join(" ");
    for (i, (tags, minutes)) in [
        ("[\"Łódź\", \"Sejm\"]", 1),
        ("[\"Łódź\", \"Sejm\"]", 3),
        ("[\"Sejm\"]", 5),
        ("[\"Sejm\"]", 5),
        ("[\"Sejm\"]", 5),
    ]
    .iter()
    .enumerate()
    {
        site.article(
            &format!("kraj/a{i}.md"),
            &format!("title = \"A{i}\"\ndate = 2026-05-1{i}\ntags = {tags}"),
            &format!("{}\n", words(238 * minutes)),
        );
    }
    site.build();
    let index = site.page("tags/index.html");
    assert_eq!(index.texts(".term-index a"), ["Łódź", "Sejm"]);
    assert_eq!(
        index.texts(".term-index .count"),
        ["2 artykuły", "5 artykułów"]
    );
    assert_eq!(
        site.page("tags/lodz/index.html").text(".page-description"),
        "2 artykuły"
    );
    assert_eq!(
        site.page("kraj/a0/index.html")
            .text(".dateline .reading-time"),
        "1 minuta"
    );
    assert_eq!(
        site.page("kraj/a1/index.html")
            .text(".dateline .reading-time"),
        "3 minuty"
    );
    assert_eq!(
        site.page("kraj/a2/index.html")
            .text(".dateline .reading-time"),
        "5 minut"
    );
    let cards = site
        .page("kraj/page/2/index.html")
        .texts(".card .reading-time");
    assert!(cards.contains(&"3 minuty".to_string()), "{cards:?}");
}

/// The lists of topics and reporters are in the order of the site's
/// language, not of their addresses: Polish puts `ć` after `c`, `ł` after
/// `l`, `ó` after `o` and `ż` after `z`.
#[test]
fn term_lists_follow_the_languages_alphabet() {
    let tags = ["ćma", "czosnek", "łąka", "lipa", "Ósemka", "owies"];
    let authors = ["Adam Łabędzki", "Adam Lis", "Ewa Żak", "Ewa Zawada"];
    let site = Site::with_config(&format!("{}language = \"pl\"\n", common::SITE_TOML));
    site.article(
        "kraj/a.md",
        &format!("title = \"A\"\ndate = 2026-05-10\ntags = {tags:?}\nauthors = {authors:?}"),
        "Tekst.\n",
    );
    site.build();
    assert_eq!(
        site.page("tags/index.html").texts(".term-index a"),
        ["czosnek", "ćma", "lipa", "łąka", "owies", "Ósemka"]
    );
    assert_eq!(
        site.page("authors/index.html").texts(".term-index a"),
        ["Adam Lis", "Adam Łabędzki", "Ewa Zawada", "Ewa Żak"]
    );
    // English orders them as the root of the alphabet does.
    let english = Site::new();
    english.article(
        "city/a.md",
        "title = \"A\"\ndate = 2026-05-10\ntags = [\"zoning\", \"Ávila\", \"apple\", \"Bank\"]",
        "Text.\n",
    );
    english.build();
    assert_eq!(
        english.page("tags/index.html").texts(".term-index a"),
        ["apple", "Ávila", "Bank", "zoning"]
    );
}

/// `timezone = "EST"` is a fixed offset: New York's dates would be an
/// hour off all summer. A warning naming the place's zone; a place's own
/// zone, with or without summer time, is not warned of.
#[test]
fn a_fixed_offset_for_a_time_zone_is_warned_of() {
    let warned = |zone: &str| {
        let site = Site::with_config(&format!(
            "title = \"T\"\nbase_url = \"https://t.example/\"\ntimezone = \"{zone}\"\n"
        ));
        site.article(
            "city/a.md",
            "title = \"A\"\ndate = 2026-07-01T09:00:00",
            "Text.\n",
        );
        let report = site.build();
        report
            .warnings
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        warned("EST"),
        ["site.toml:3:12: `timezone = \"EST\"` is a fixed offset, not a place: where clocks change for summer time, dates and times would be an hour off for part of the year; name the place's zone, \"America/New_York\" (or \"America/Panama\", which keeps no summer time)"]
    );
    assert_eq!(warned("Etc/GMT+5").len(), 1);
    for zone in [
        "America/New_York",
        "America/Phoenix",
        "HST",
        "UTC",
        "Etc/GMT",
        "Europe/Warsaw",
    ] {
        assert_eq!(warned(zone), Vec::<String>::new(), "{zone}");
    }
}

/// Settings written below `[extra]` are the templates' data, not the
/// site's: each is a warning at its line (one given at the top as well
/// too: that one stays the site's), unless written into `extra` on
/// purpose (inline or dotted).
#[test]
fn settings_below_extra_are_warned_of() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://t.example/\"\ndescription = \"News.\"\n\n[extra]\nlogo = \"x.png\"\nlanguage = \"pl\"\n  timezone = \"Europe/Warsaw\"\ndescription = \"For the theme.\"\n",
    );
    site.article("city/a.md", "title = \"A\"\ndate = 2026-05-24", "Text.\n");
    let report = site.build();
    let warned: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    let said = |at: &str, key: &str| {
        format!("site.toml:{at}: `{key}` is inside `[extra]`, as is every key written below that line, so it is not the site's `{key}`: move it above `[extra]`")
    };
    assert_eq!(
        warned,
        [
            said("7:1", "language"),
            said("8:3", "timezone"),
            "site.toml:9:1: `description` is inside `[extra]`, as is every key written below that line, so it is not the site's `description`, which stays the one on line 3: to change the site's, edit that line; to keep this for the templates, give it a name no setting has".to_string(),
        ]
    );
    assert_eq!(site.page("index.html").attrs("html", "lang"), ["en"]);
    // A word below `[extra]`, in a site translating its words.
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://t.example/\"\n[words]\nby = \"作者\"\n[extra]\nlogo = \"x.png\"\nrelated_stories = \"相关新闻\"\n",
    );
    site.article("city/a.md", "title = \"A\"\ndate = 2026-05-24", "Text.\n");
    assert_eq!(
        site.warned(),
        ["site.toml:7:1: `related_stories` is inside `[extra]`, as is every key written below that line, so it is not one of the site's words: move it below `[words]`"]
    );
    // A form no number of the language takes.
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://t.example/\"\nlanguage = \"he\"\n[words]\nstory_count_two = \"{count} כתבות\"\nstory_count_few = \"{count} כתבות\"\n",
    );
    site.article("city/a.md", "title = \"A\"\ndate = 2026-05-24", "Text.\n");
    assert_eq!(
        site.warned(),
        ["site.toml:6:1: `story_count_few` is a form no number takes in `he`, so no page shows it: its numbers take `story_count_one`, `story_count_two`, `story_count`"]
    );
    // Below `[words]`, where every key must be a word, it is an error.
    let (_, lines) =
        errors_with_settings("[words]\nby = \"Przez\"\ntimezone = \"Europe/Warsaw\"\n");
    assert_eq!(
        lines,
        ["error: site.toml:7:1: `words.timezone` is not one of the words: `timezone` is a setting of site.toml, and every key written below the `[words]` line is in that table; move it above `[words]`"]
    );
    // A required one is an error that says where it is.
    let (_, lines) = {
        let site = Site::with_config("title = \"T\"\n[extra]\nbase_url = \"https://t.example/\"\n");
        let out = site.run(&["build"]);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        (
            site,
            err.lines()
                .filter(|l| l.starts_with("error:"))
                .map(str::to_string)
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        lines,
        ["error: site.toml:3:1: `base_url` is inside `[extra]`, as is every key written below that line, so the site has no `base_url`: move it above `[extra]`"]
    );
    let on_purpose = Site::with_config(
        "title = \"T\"\nbase_url = \"https://t.example/\"\nextra = { language = \"pl\" }\n",
    );
    on_purpose.article("city/a.md", "title = \"A\"\ndate = 2026-05-24", "Text.\n");
    assert!(on_purpose.build().warnings.is_empty());
}

#[test]
fn words_that_are_not_there_or_fill_in_the_wrong_thing_are_errors() {
    let (_, lines) = errors_with_settings(
        "[words]\nshare = \"Partilhar\"\nsahre = \"x\"\nmin_read = \"{minute} min\"\nmonths = [\"jan\"]\n",
    );
    assert_eq!(
        lines,
        [
            "error: site.toml:7:1: `words.sahre` is not one of the words; did you mean `share`? The words are listed in the README, under \"The words of a site\"",
            "error: site.toml:8:12: `words.min_read` has {minute}, but what is filled in there is {minutes}",
            "error: site.toml:9:10: `words.months` must be a list of the 12 months' names, January first; found 1",
        ],
        "{lines:?}"
    );
}

/// Names editors give their own files (`~`, `#...#`, `4913`) are ordinary
/// names elsewhere: a bundle named `4913`, a folder `~` and a backup in
/// `static/` are built and copied; only an editor's lock and swap files,
/// and backups in `content/`, are left out.
#[test]
fn names_like_editors_files_are_published_where_they_are_a_sites() {
    let site = Site::new();
    site.article(
        "news/4913/index.md",
        "title = \"Issue 4913\"\ndate = 2026-05-01",
        "Text.\n",
    );
    site.write("content/news/4913/chart.svg", "<svg/>");
    site.write("content/news/4913/index.md~", "an older draft");
    site.write("content/news/#index.md#", "an autosave");
    site.write("content/news/.index.md.swp", "swap");
    site.write("static/4913/logo.png", "png");
    site.write("static/~/x.txt", "x");
    site.write("static/files/report-v2~", "report");
    site.write("static/#hashtag#", "tag");
    site.write("static/.logo.png.swp", "swap");
    #[cfg(unix)]
    std::os::unix::fs::symlink("ana@desk.1:1", site.root().join("static/.#logo.png")).unwrap();
    let report = site.build();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(site.exists("news/4913/index.html"));
    assert!(site.exists("news/4913/chart.svg"));
    assert!(!site.exists("news/4913/index.md~"));
    for copied in ["4913/logo.png", "~/x.txt", "files/report-v2~", "#hashtag#"] {
        assert!(site.exists(copied), "{copied}");
    }
    assert!(!site.exists(".logo.png.swp"));
    assert!(!site.exists(".#logo.png"));
}

/// A site in a right-to-left language says so on every page, the alias
/// pages too; a left-to-right one says that.
#[test]
fn pages_run_the_way_their_language_is_written() {
    for (language, dir) in [
        ("ar", "rtl"),
        ("he-IL", "rtl"),
        ("az-Arab", "rtl"),
        ("en", "ltr"),
    ] {
        let site = Site::with_config(&format!("{}language = \"{language}\"\n", common::SITE_TOML));
        site.article(
            "city/s.md",
            "title = \"S\"\ndate = 2026-04-10\naliases = [\"/old/s/\"]",
            "Text.\n",
        );
        site.build();
        for file in [
            "index.html",
            "city/s/index.html",
            "old/s/index.html",
            "404.html",
        ] {
            assert_eq!(
                site.page(file).attrs("html", "dir"),
                [dir],
                "{language}: {file}"
            );
        }
    }
}

/// A byline joins its names as the site's language does; English in news
/// style, without a comma before the last.
#[test]
fn bylines_join_names_as_the_language_does() {
    for (language, words, byline) in [
        ("en-US", "", "By Ana Díaz, Bo Lee and Cy Moss"),
        ("ar", "by = \"بقلم\"\n", "بقلم Ana Díaz وBo Lee وCy Moss"),
        (
            "es",
            "by = \"Por\"\nand = \"y\"\n",
            "Por Ana Díaz, Bo Lee y Cy Moss",
        ),
        (
            "zh-Hans",
            "by = \"作者\"\nand = \"与\"\n",
            "作者 Ana Díaz、Bo Lee与Cy Moss",
        ),
    ] {
        let site = Site::with_config(&format!(
            "{}language = \"{language}\"\n[words]\n{words}",
            common::SITE_TOML
        ));
        site.article(
            "city/s.md",
            "title = \"S\"\ndate = 2026-04-10\nauthors = [\"Ana Díaz\", \"Bo Lee\", \"Cy Moss\"]",
            "Text.\n",
        );
        site.article(
            "city/t.md",
            "title = \"T\"\ndate = 2026-04-11\nauthors = [\"Ana Díaz\", \"Bo Lee\"]",
            "Text.\n",
        );
        site.build();
        let page = site.page("city/s/index.html");
        assert_eq!(page.text(".byline"), byline, "{language}");
        // Each name runs its own way: a Latin name in an Arabic byline.
        assert_eq!(page.attrs(".byline a", "dir"), ["auto", "auto", "auto"]);
        let two = site.page("city/t/index.html").text(".byline");
        assert!(
            two.ends_with("Ana Díaz and Bo Lee") || language != "en-US",
            "{two}"
        );
        assert!(
            two.ends_with("Ana Díaz وBo Lee") || language != "ar",
            "{two}"
        );
    }
}

/// `[paths]` puts the tag, author and later listing pages in folders of
/// the site's language, and every link, feed and sitemap entry follows.
#[test]
fn a_site_names_its_own_folders() {
    let site = Site::with_config(&format!(
        "{}[paths]\ntags = \"temas\"\nauthors = \"autores\"\npage = \"página\"\n",
        common::SITE_TOML
    ));
    for day in [10, 11, 12] {
        site.article(
            &format!("city/s{day}.md"),
            &format!(
                "title = \"S{day}\"\ndate = 2026-04-{day}\nauthors = [\"Ana\"]\ntags = [\"Porto\"]"
            ),
            "Text.\n",
        );
    }
    site.build();
    for file in [
        "temas/index.html",
        "temas/porto/index.html",
        "temas/porto/página/2/index.html",
        "temas/porto/rss.xml",
        "autores/index.html",
        "autores/ana/index.html",
        "página/2/index.html",
        "city/página/2/index.html",
    ] {
        assert!(site.exists(file), "{file}");
    }
    for gone in ["tags", "authors", "page", "city/page"] {
        assert!(!site.exists(gone), "{gone}");
    }
    let page = site.page("city/s10/index.html");
    assert_eq!(page.attrs(".tags a", "href"), ["/temas/porto/"]);
    assert_eq!(page.attrs(".byline a", "href"), ["/autores/ana/"]);
    assert_eq!(
        page.attrs(".site-footer a", "href")[1..],
        ["/temas/", "/autores/"]
    );
    let tag = site.page("temas/porto/index.html");
    assert_eq!(tag.attrs(".kicker a", "href"), ["/temas/"]);
    assert_eq!(
        tag.attrs(".pager [rel=next]", "href"),
        ["/temas/porto/p%C3%A1gina/2/"]
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://gazette.example.com/temas/porto/p%C3%A1gina/2/</loc>"));
    assert!(!sitemap.contains("/tags/"));
}

#[test]
fn folder_names_that_cannot_be_are_errors() {
    let (site, lines) =
        errors_with_settings("[paths]\ntags = \"a/b\"\nauthors = \"a/b\"\npage = \"\"\n");
    assert_eq!(
        lines,
        [
            "error: site.toml:6:8: `paths.tags` is one folder name of letters, digits, `-`, `_`, `~` and `+`, like \"temas\"; found \"a/b\"",
            "error: site.toml:7:11: `paths.authors` is one folder name of letters, digits, `-`, `_`, `~` and `+`, like \"autores\"; found \"a/b\"",
            "error: site.toml:7:11: `paths.tags` and `paths.authors` must differ: each has pages of its own",
            "error: site.toml:8:8: `paths.page` is one folder name of letters, digits, `-`, `_`, `~` and `+`, like \"pagina\"; found \"\"",
        ],
        "{lines:?}"
    );
    // Nor the build's own `_redirects`, nor two names of one folder on a
    // disk that does not tell capitals from small letters.
    let (_, lines) = errors_with_settings(
        "permalink = \"/_redirects/{slug}/\"\n[paths]\ntags = \"Temas\"\nauthors = \"temas\"\npage = \"_redirects\"\n",
    );
    assert_eq!(
        lines,
        [
            "error: site.toml:5:13: `permalink` parts are folder names of letters, digits, `-`, `_`, `~` and `+`, and placeholders, each article getting a folder; found \"_redirects\" in \"/_redirects/{slug}/\"",
            "error: site.toml:8:11: `paths.tags` and `paths.authors` must differ: each has pages of its own",
            "error: site.toml:9:8: `paths.page` is one folder name of letters, digits, `-`, `_`, `~` and `+`, like \"pagina\"; found \"_redirects\"",
        ],
        "{lines:?}"
    );
    // A section may not take a folder the build makes.
    site.write(
        "site.toml",
        &format!("{}[paths]\ntags = \"city\"\n", common::SITE_TOML),
    );
    site.article("city/s.md", "title = \"S\"\ndate = 2026-04-10", "Text.\n");
    let out = site.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/city/: the page of the section \"city\" would be written at /city/, where the tags index also writes"),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(1), "{err}");
}

/// A link to a part of a page that the page does not have opens the page
/// at its top: a warning at the link, saying which ids the page has.
#[test]
fn links_to_a_part_of_a_page_it_does_not_have_are_warned_of() {
    let site = newsroom();
    site.article(
        "city/guide.md",
        "title = \"Guide\"\ndate = 2026-05-21",
        "Start.\n\n\
         [Times](@/city/ferry.md#timetable), [times](@/city/ferry.md#timetables), \
         [skip](@/city/ferry.md#main), [team](@/about.md#team).\n\n\
         <p id=\"box\">Box.</p>\n\n\
         [The box](#box), [the end](#the-end), [nowhere](#nowhere).\n\n## The end\n\n\
         <figure class=\"chart\"\nid=\"chart\">\n</figure>\n\n\
         [Chart](#chart), [back to top](#top), [Top](#TOP).\n",
    );
    let report = site.build();
    let warned: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    let warned: Vec<&String> = warned.iter().filter(|w| w.contains("guide.md")).collect();
    assert_eq!(
        warned,
        [
            "content/city/guide.md:8:37: the link `@/city/ferry.md#timetables` names no part of \
             content/city/ferry.md: no element there has the id `timetables` (the ids in its text are `timetable`)",
            "content/city/guide.md:8:104: the link `@/about.md#team` names no part of \
             content/about.md: no element there has the id `team` (its text has no headings or other \
             elements with ids)",
            "content/city/guide.md:12:39: the link `#nowhere` names no part of this page: no \
             element there has the id `nowhere` (the ids in its text are `box`, `chart`, `the-end`)",
        ]
    );
    // The links are written as they are.
    let page = site.read("city/guide/index.html");
    assert!(page.contains("href=\"/city/ferry/#timetables\""), "{page}");
    let mut strict = site.options();
    strict.strict = true;
    let failure = site
        .try_build(strict)
        .expect_err("--strict fails on the warnings");
    let errors: Vec<String> = failure.errors.0.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert!(errors[1].contains("#timetables"), "{errors:#?}");
}

/// A link to a story not published yet gives nothing of its address away,
/// in pages or feeds: its text is shown without the link until the build
/// that publishes the story.
#[test]
fn a_link_to_an_unpublished_story_keeps_its_text_but_not_its_address() {
    let site = newsroom();
    site.article(
        "business/merger.md",
        "title = \"Merger\"\ndate = 2099-01-01T09:00:00Z\nslug = \"acme-buys-globex\"",
        "Embargoed.\n",
    );
    site.article(
        "business/secret.md",
        "title = \"Secret\"\ndate = 2026-05-01\ndraft = true",
        "Not yet.\n",
    );
    site.article(
        "city/teaser.md",
        "title = \"Teaser\"\ndate = 2026-05-21",
        "Watch for [the merger](@/business/merger.md#terms) and [the *secret*](@/business/secret.md).\n",
    );
    let report = site.build();
    let warned: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    let teaser: Vec<&String> = warned.iter().filter(|w| w.contains("teaser")).collect();
    assert_eq!(
        teaser,
        [
            "content/city/teaser.md:6:11: the link `@/business/merger.md#terms` points to a draft or a scheduled article, which this build does not publish: its text is shown without the link until a build publishes it",
            "content/city/teaser.md:6:56: the link `@/business/secret.md` points to a draft or a scheduled article, which this build does not publish: its text is shown without the link until a build publishes it",
        ]
    );
    let mut written = snapshot(&site.out(""));
    written.retain(|(_, bytes)| {
        let text = String::from_utf8_lossy(bytes);
        text.contains("Watch for")
    });
    // The article's page, and the feeds with whole stories.
    assert!(written.len() >= 2, "{written:?}");
    for (path, bytes) in &written {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("acme-buys-globex"), "{path:?}: {text}");
        assert!(!text.contains("business/secret"), "{path:?}: {text}");
    }
    // As the dek, in the page, the listings and the feeds.
    assert!(site
        .read("city/teaser/index.html")
        .contains("Watch for the merger and the <em>secret</em>."));
    // Once published, linked.
    site.try_build(site.options_at("2099-01-02T00:00:00Z"))
        .unwrap();
    assert!(site
        .read("city/teaser/index.html")
        .contains("<a href=\"/business/acme-buys-globex/#terms\">the merger</a>"));
}

/// A byte-order mark that an editor wrote at the start of a template is
/// no part of any page: left in, it came before `<!DOCTYPE html>`, or in
/// the middle of the pages including the template.
#[test]
fn a_templates_byte_order_mark_reaches_no_page() {
    let site = newsroom();
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base.html"),
    )
    .unwrap();
    site.write("templates/base.html", &format!("\u{feff}{base}"));
    site.write(
        "templates/partials/note.html",
        "\u{feff}<p class=\"note\">Note</p>",
    );
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{% include \"partials/note.html\" %}{% endblock main %}",
    );
    site.build();
    let page = site.read("about/index.html");
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..40]);
    assert!(!page.contains('\u{feff}'));
    assert!(page.contains("<p class=\"note\">Note</p>"));
}

/// A picture of the site's own that no file is at shows as a broken image:
/// a warning at the picture, with the name meant when one is near.
#[test]
fn pictures_that_no_file_is_at_are_warned_of() {
    let site = newsroom();
    site.write(
        "content/city/pier/index.md",
        "+++\ntitle = \"Pier\"\ndate = 2026-05-25\n+++\n\nThe pier.\n\n\
         ![Here](pier.png) ![Missing](promenade.jpg) ![Case](Pier.PNG)\n\n\
         ![Static](/img/there.png) ![Gone](/img/nothere.png) ![Away](https://cdn.example/x.png)\n",
    );
    site.write_bytes("content/city/pier/pier.png", b"png");
    site.write_bytes("static/img/there.png", b"png");
    site.article(
        "city/lead.md",
        "title = \"Lead\"\ndate = 2026-05-24\nimage = \"/img/missing.jpg\"\nimage_alt = \"x\"",
        "See ![the pier](../pier/pier.png). ![Map](/img/map.png)\n",
    );
    // Of names as near, the first in order is meant, every build.
    for name in ["mapd", "mapb", "mapa", "mapc"] {
        site.write_bytes(&format!("static/img/{name}.png"), b"png");
    }
    let report = site.build();
    let warned: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    let pictures: Vec<&String> = warned.iter().filter(|w| w.contains("picture")).collect();
    assert_eq!(
        pictures,
        [
            "content/city/lead.md:4:9: the picture `/img/missing.jpg` is no file of the site: nothing is copied to /img/missing.jpg (a file beside a bundle's index.md, or in static/); check its name, case too",
            "content/city/lead.md:8:36: the picture `/img/map.png` is no file of the site: nothing is copied to /img/map.png (a file beside a bundle's index.md, or in static/); did you mean /img/mapa.png? (names are matched exactly, case too)",
            "content/city/pier/index.md:8:19: the picture `promenade.jpg` is no file of the site: nothing is copied to /city/pier/promenade.jpg (a file beside a bundle's index.md, or in static/); check its name, case too",
            "content/city/pier/index.md:8:45: the picture `Pier.PNG` is no file of the site: nothing is copied to /city/pier/Pier.PNG (a file beside a bundle's index.md, or in static/); did you mean /city/pier/pier.png? (names are matched exactly, case too)",
            "content/city/pier/index.md:10:27: the picture `/img/nothere.png` is no file of the site: nothing is copied to /img/nothere.png (a file beside a bundle's index.md, or in static/); did you mean /img/there.png? (names are matched exactly, case too)",
        ]
    );
}

/// Under a base_url with a path, a body's site path must hold it (it is
/// written as it is), and an `image` must not (it is given it); a
/// profile's photo is a file of the site.
#[test]
fn pictures_are_checked_where_a_sub_path_site_serves_them() {
    let site =
        common::Site::with_config("title = \"T\"\nbase_url = \"https://example.org/news/\"\n");
    site.write_bytes("static/img/a.png", b"png");
    site.write(
        "content/_authors/maren.md",
        "+++\nname = \"Maren Holt\"\nphoto = \"maren.jpg\"\nphoto_alt = \"Maren\"\n+++\n",
    );
    site.write_bytes("content/_authors/maren.jpg", b"jpg");
    site.article(
        "city/ok.md",
        "title = \"Ok\"\ndate = 2026-05-24\nimage = \"/img/a.png\"\nimage_alt = \"x\"\nauthors = [\"Maren Holt\"]",
        "See ![a](/news/img/a.png) and ![m](/news/authors/maren-holt/maren.jpg).\n",
    );
    site.article(
        "city/off.md",
        "title = \"Off\"\ndate = 2026-05-24\nimage = \"/news/img/a.png\"\nimage_alt = \"x\"",
        "See ![a](/img/a.png).\n",
    );
    site.write_bytes("static/img/sea front.png", b"png");
    site.article(
        "city/spaced.md",
        "title = \"Spaced\"\ndate = 2026-05-24",
        "See ![a](/img/sea%20front.png).\n",
    );
    site.article(
        "city/static.md",
        "title = \"Static\"\ndate = 2026-05-24\nimage = \"/static/img/a.png\"\nimage_alt = \"x\"",
        "See ![a](/news/static/img/a.png).\n",
    );
    // An author's biography shows its pictures on the author's page.
    site.write(
        "content/_authors/maren.md",
        "+++\nname = \"Maren Holt\"\nphoto = \"maren.jpg\"\nphoto_alt = \"Maren\"\n+++\nAt ![sea](/news/img/sea.png) and ![her](maren.jpg).\n",
    );
    let report = site.build();
    let warned: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warned,
        [
            "content/_authors/maren.md:6:4: the picture `/news/img/sea.png` is no file of the site: nothing is copied to /news/img/sea.png (a file beside a bundle's index.md, or in static/); check its name, case too",
            "content/city/off.md:4:9: the picture `/news/img/a.png` is no file of the site: nothing is copied to /news/img/a.png (a file beside a bundle's index.md, or in static/); `image` is given the site's path (/news/) itself, so write /img/a.png",
            "content/city/off.md:8:5: the picture `/img/a.png` is no file of the site: nothing is copied to /img/a.png (a file beside a bundle's index.md, or in static/); the site is served under /news/, so write /news/img/a.png",
            "content/city/spaced.md:6:5: the picture `/img/sea%20front.png` is no file of the site: nothing is copied to /img/sea front.png (a file beside a bundle's index.md, or in static/); the site is served under /news/, so write </news/img/sea front.png>",
            "content/city/static.md:4:9: the picture `/static/img/a.png` is no file of the site: nothing is copied to /static/img/a.png (a file beside a bundle's index.md, or in static/); the files of static/ are at the site's root: write /img/a.png",
            "content/city/static.md:8:5: the picture `/news/static/img/a.png` is no file of the site: nothing is copied to /news/static/img/a.png (a file beside a bundle's index.md, or in static/); the files of static/ are at the site's root: write /news/img/a.png",
        ]
    );
}

/// A PNG's first bytes, which say its size: `width` by `height`.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(width.to_be_bytes());
    png.extend(height.to_be_bytes());
    png.extend(b"\x08\x02\0\0\0\0\0\0\0");
    png
}

/// Pictures of the site's own state their size, so the page keeps their
/// room while they load; an SVG only when it gives its size itself, and
/// pictures elsewhere never.
#[test]
fn pictures_of_the_site_state_their_size() {
    let site =
        common::Site::with_config("title = \"T\"\nbase_url = \"https://example.org/news/\"\n");
    site.write_bytes("content/city/pier/pier photo.png", &png(1200, 800));
    site.write(
        "content/city/pier/map.svg",
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" \
         height=\"360\"><rect width=\"4\" height=\"4\"/></svg>\n",
    );
    site.write(
        "content/city/pier/sketch.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 30\"/>\n",
    );
    // A JPEG whose size comes after an APP0 segment.
    let mut jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00".to_vec();
    jpeg.extend(b"\xff\xc0\x00\x11\x08\x03\x00\x04\x00\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01");
    site.write_bytes("static/img/plan.jpg", &jpeg);
    site.write(
        "content/city/pier/index.md",
        "+++\ntitle = \"Pier\"\ndate = 2026-05-25\nimage = \"pier photo.png\"\nimage_alt = \"The pier\"\n+++\n\n\
         The pier ![*The* route](map.svg \"Route & times\") reopens.\n\n\
         ![Plan](/news/img/plan.jpg) ![Sketch](sketch.svg) ![Far](https://cdn.example/x.png)\n",
    );
    // A site path with a query, for a cache to tell versions apart.
    site.article(
        "city/plan.md",
        "title = \"Plan\"\ndate = 2026-05-20\nimage = \"/img/plan.jpg?v=2\"\nimage_alt = \"Plan\"",
        "The plan.\n",
    );
    site.build();
    let plan = site.page("city/plan/index.html");
    assert_eq!(
        (
            plan.attrs(".article-image img", "width"),
            plan.attrs(".article-image img", "height")
        ),
        (vec!["1024".to_string()], vec!["768".to_string()])
    );
    let page = site.page("city/pier/index.html");
    let size = |css: &str| (page.attrs(css, "width"), page.attrs(css, "height"));
    let one = |w: &str, h: &str| (vec![w.to_string()], vec![h.to_string()]);
    assert_eq!(size(".article-image img"), one("1200", "800"));
    assert_eq!(
        page.attrs("meta[property^='og:image:']", "content"),
        ["1200", "800", "The pier"]
    );
    // The dek's picture, with its alternative and title as Markdown gives them.
    assert_eq!(size(".dek img"), one("640", "360"));
    assert_eq!(page.attrs(".dek img", "alt"), ["The route"]);
    assert_eq!(page.attrs(".dek img", "title"), ["Route & times"]);
    assert_eq!(
        size(".article-body img[src$='plan.jpg']"),
        one("1024", "768")
    );
    let none = (vec![], vec![]);
    assert_eq!(size("img[src$='sketch.svg']"), none);
    assert_eq!(size("img[src^='https:']"), none);
    // The front page's lead.
    let front = site.page("index.html");
    assert_eq!(
        (
            front.attrs(".lead-image", "width"),
            front.attrs(".lead-image", "height")
        ),
        one("1200", "800")
    );
}

/// Under a base_url with a path, a body's link to a page or file of the
/// site written without that path is a 404 once deployed: a warning at
/// the link. A link elsewhere on the host, or one with the path, is not.
#[test]
fn links_that_leave_a_sub_path_site_are_warned_of() {
    let site =
        common::Site::with_config("title = \"T\"\nbase_url = \"https://example.org/news/\"\n");
    site.write_bytes("static/img/a.png", b"png");
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\nUs.\n");
    site.article(
        "city/ok.md",
        "title = \"Ok\"\ndate = 2026-05-24\ntags = [\"Port\"]",
        "[us](/news/about/), [shop](/shop/), [chart](/news/img/a.png), [x](//cdn.example.org/a).\n",
    );
    site.article(
        "city/off.md",
        "title = \"Off\"\ndate = 2026-05-24",
        "[us](/about/) and [desk](/city/#latest)\nand [port](/tags/port) and [chart](/img/a.png?v=2).\n[feed](/rss.xml), [older](/city/page/2/), [host](/).\n[css](/style.css) [file](/about/index.html)\n",
    );
    let report = site.build();
    let warned: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    let said = |at: &str, link: &str| {
        format!("content/city/off.md:{at}: the link `{link}` leaves the site, which is served under /news/: write /news{link} (or link a story or page with `@/`)")
    };
    assert_eq!(
        warned,
        [
            said("6:1", "/about/"),
            said("6:19", "/city/#latest"),
            said("7:5", "/tags/port"),
            said("7:28", "/img/a.png?v=2"),
            said("8:1", "/rss.xml"),
            said("8:19", "/city/page/2/"),
            said("9:1", "/style.css"),
            said("9:19", "/about/index.html"),
        ]
    );
    // In a reporter's profile too.
    site.write(
        "content/_authors/ana.md",
        "+++\nname = \"Ana\"\n+++\nShe covers [the city](/city/).\n",
    );
    let warned = site.warned();
    assert!(
        warned
            .iter()
            .any(|w| w.starts_with("content/_authors/ana.md:4:")),
        "{warned:?}"
    );
    // Written as it is: the warning is the help.
    let page = site.page("city/off/index.html");
    assert_eq!(page.attrs("main a[href='/about/']", "href").len(), 1);
}

/// An icon in static/ is linked from every page, under the site's path;
/// a site without one links none (browsers then ask for /favicon.ico).
#[test]
fn a_sites_icon_is_linked_from_every_page() {
    let site =
        common::Site::with_config("title = \"T\"\nbase_url = \"https://example.org/news/\"\n");
    site.article("city/a.md", "title = \"A\"\ndate = 2026-05-24", "Text.\n");
    site.build();
    assert!(site.page("index.html").all("link[rel=icon]").is_empty());
    site.write_bytes("static/favicon.ico", b"ico");
    site.write_bytes("static/favicon.png", b"png");
    site.build();
    for page in [
        "index.html",
        "city/a/index.html",
        "404.html",
        "tags/index.html",
    ] {
        let page = site.page(page);
        assert_eq!(page.attrs("link[rel=icon]", "href"), ["/news/favicon.png"]);
        assert_eq!(page.attrs("link[rel=icon]", "type"), ["image/png"]);
    }
}

/// A footnote is named for screen readers and leads back to where the
/// text first refers to it; a story's tables are landmarks with names of
/// their own; all in the site's words.
#[test]
fn footnotes_lead_back_and_tables_have_names_of_their_own() {
    let site = common::Site::with_config(&format!(
        "{}[words]\nfootnote = \"Nota {{number}}\"\nback_to_text = \"Voltar ao texto\"\ntable_number = \"Tabela {{number}}\"\n",
        common::SITE_TOML
    ));
    let table = "| a | b |\n|---|---|\n| 1 | 2 |\n";
    site.article(
        "city/notes.md",
        "title = \"Notes\"\ndate = 2026-05-24",
        &format!("Intro.\n\nOne[^a] and two[^b], one again[^a].\n\n{table}\n{table}\n[^b]: Second.\n\n[^a]: First,\n    in two lines.\n\n    And a second paragraph.\n"),
    );
    site.article(
        "city/more.md",
        "title = \"More\"\ndate = 2026-05-24",
        "[^b]: SECRET note.\n\nThe lead, a[^a] then b[^b].\n\n<!-- more -->\n\nRest.\n\n[^a]: A.\n\n[^unused]: Never referred to.\n",
    );
    site.article(
        "city/early.md",
        "title = \"Early\"\ndate = 2026-05-24",
        "[^n]: The note, written first.\n\n    - and a list\n\nIntro.\n\nText[^n].\n",
    );
    site.article(
        "city/one.md",
        "title = \"One table\"\ndate = 2026-05-24",
        &format!("Intro.\n\n{table}"),
    );
    site.build();
    let page = site.page("city/notes/index.html");
    assert_eq!(
        page.attrs(".footnote-reference a", "href"),
        ["#fn-a", "#fn-b", "#fn-a"]
    );
    assert_eq!(page.texts(".footnote-reference a"), ["1", "2", "1"]);
    assert_eq!(
        page.attrs(".footnote-reference a", "aria-label"),
        ["Nota 1", "Nota 2", "Nota 1"]
    );
    // The first reference to each note is where its note leads back to.
    assert_eq!(
        page.attrs(".footnote-reference[id]", "id"),
        ["fnref-a", "fnref-b"]
    );
    assert_eq!(page.attrs(".footnote-definition", "id"), ["fn-b", "fn-a"]);
    assert_eq!(page.texts(".footnote-definition-label"), ["2", "1"]);
    assert_eq!(
        page.attrs(".footnote-back", "href"),
        ["#fnref-b", "#fnref-a"]
    );
    assert_eq!(
        page.attrs(".footnote-back", "aria-label"),
        ["Voltar ao texto", "Voltar ao texto"]
    );
    // At the end of the note's last paragraph.
    assert_eq!(page.all("#fn-a p:last-child .footnote-back").len(), 1);
    assert_eq!(
        page.attrs(".table-scroll", "aria-label"),
        ["Tabela 1", "Tabela 2"]
    );
    let one = site.page("city/one/index.html");
    assert_eq!(one.attrs(".table-scroll", "aria-label"), ["Table"]);
    // A note written before the text that refers to it leads back too,
    // after all of its text when a list ends it.
    let early = site.page("city/early/index.html");
    assert_eq!(early.attrs(".footnote-reference[id]", "id"), ["fnref-n"]);
    assert_eq!(early.attrs("#fn-n > .footnote-back", "href"), ["#fnref-n"]);
    assert_eq!(early.all(".footnote-back").len(), 1);
    // Numbered in the order the text refers to them, whatever the order
    // of the notes; a note defined above `<!-- more -->` stays out of the
    // dek and the description.
    let more = site.page("city/more/index.html");
    assert_eq!(more.texts(".footnote-reference a"), ["1", "2"]);
    assert_eq!(
        more.attrs(".footnote-reference a", "href"),
        ["#fn-a", "#fn-b"]
    );
    assert_eq!(more.texts(".footnote-definition-label"), ["2", "1", "3"]);
    let description = more.attrs("meta[name=description]", "content");
    assert_eq!(description, ["The lead, a then b."]);
    assert_eq!(more.all(".article-body #fn-b").len(), 1);
}

/// A note written twice under one label: references lead to the first,
/// and the second is a warning at its line.
#[test]
fn a_note_written_twice_is_warned_of() {
    let site = common::Site::new();
    site.article(
        "city/dup.md",
        "title = \"Dup\"\ndate = 2026-05-24",
        "Intro.\n\nText[^dup].\n\n[^dup]: First.\n\n[^DUP]: Second.\n",
    );
    let warned = site.warned();
    assert_eq!(
        warned,
        ["content/city/dup.md:12:1: the note `[^DUP]` is written a second time: references lead to the first, so this one is shown with nothing pointing to it; give it a label of its own"]
    );
    let page = site.page("city/dup/index.html");
    assert_eq!(page.attrs(".footnote-back", "href"), ["#fnref-dup"]);
    // A note nothing refers to.
    site.article(
        "city/dup.md",
        "title = \"Dup\"\ndate = 2026-05-24",
        "Intro.\n\nText[^a].\n\n[^a]: First.\n\n[^lost]: Never.\n",
    );
    assert_eq!(
        site.warned(),
        ["content/city/dup.md:12:1: the note `[^lost]` is not referred to in the text (`[^lost]` after a word): it is shown with nothing pointing to it"]
    );
}

/// The navigation marks the section a reader is in: its own page, and
/// (as the current one of the set) its later pages and its stories.
#[test]
fn the_navigation_marks_the_section_a_reader_is_in() {
    let site = newsroom();
    site.build();
    let current = |page: &str| {
        let page = site.page(page);
        let marked: Vec<(String, String)> = page
            .all(".site-nav a[aria-current]")
            .iter()
            .map(|a| {
                let attr = |n| a.value().attr(n).unwrap_or_default().to_string();
                (attr("href"), attr("aria-current"))
            })
            .collect();
        marked
    };
    let business = |how: &str| vec![("/business/".to_string(), how.to_string())];
    assert_eq!(current("business/index.html"), business("page"));
    assert_eq!(current("business/page/2/index.html"), business("true"));
    assert_eq!(current("business/story-0/index.html"), business("true"));
    assert_eq!(
        current("about/index.html"),
        vec![("/about/".to_string(), "page".to_string())]
    );
    assert_eq!(current("index.html"), vec![]);
}

/// A story updated the day it was published says at what time; one
/// updated on a later day says on which.
#[test]
fn an_update_the_same_day_shows_its_time_and_a_later_one_its_date() {
    let site = newsroom();
    site.article(
        "city/fire.md",
        "title = \"Fire\"\ndate = 2026-05-20T08:00:00Z\nupdated = 2026-05-20T11:05:00Z",
        "Text.\n",
    );
    site.article(
        "city/vote.md",
        "title = \"Vote\"\ndate = 2026-05-18T08:00:00Z\nupdated = 2026-05-19T11:05:00Z",
        "Text.\n",
    );
    site.build();
    assert_eq!(
        site.page("city/fire/index.html").text(".updated"),
        "Updated 7:05 AM EDT"
    );
    assert_eq!(
        site.page("city/vote/index.html").text(".updated"),
        "Updated May 19, 2026"
    );
}

/// A build of drafts (`--drafts`, a preview) marks them "Draft" on their
/// page and their cards; a story that is no draft is not marked.
#[test]
fn a_build_of_drafts_marks_them() {
    let site = newsroom();
    site.article(
        "city/plan.md",
        "title = \"Plan\"\ndate = 2026-05-21\ndraft = true",
        "Text.\n",
    );
    let mut options = site.options();
    options.drafts = true;
    site.try_build(options).unwrap();
    let page = site.page("city/plan/index.html");
    assert_eq!(page.texts(".kicker .kicker-label"), ["Draft"]);
    // The front page's lead, and a section's cards.
    let front = site.page("index.html");
    assert_eq!(front.texts(".lead .kicker-label"), ["Draft"]);
    let section = site.page("city/index.html");
    assert_eq!(section.texts(".card .kicker-label"), ["Draft"]);
    let other = site.page("city/ferry/index.html");
    assert!(other.all(".kicker-label").is_empty());
}
