//! Tags, authors and the related-stories ranking, checked on small sites
//! whose expected results are computed by hand from the README's formula.

mod common;

use common::Site;
use dateline::explain_related;

const CONFIG: &str = "title = \"T\"\nbase_url = \"https://t.example/\"\npaginate_by = 2\n";

/// Five published articles, a draft and a scheduled one, with tags of
/// different rarity: "rare" is on 3 of 5, "common" on 4 of 5.
fn ranked_site(half_life: &str) -> Site {
    let site = Site::with_config(&format!(
        "{CONFIG}[related]\nhalf_life_days = {half_life}\n"
    ));
    let story = |name: &str, date: &str, tags: &str, more: &str| {
        site.article(
            &format!("news/{name}.md"),
            &format!("title = \"{name}\"\ndate = {date}\ntags = [{tags}]\n{more}"),
            "Text.\n",
        );
    };
    story("a", "2026-05-10T00:00:00Z", "\"rare\", \"common\"", "");
    story("b", "2026-05-09T00:00:00Z", "\"rare\"", "");
    story("c", "2026-05-08T00:00:00Z", "\"common\"", "");
    story("d", "2026-05-08T00:00:00Z", "\"common\", \"other\"", "");
    story("e", "2025-05-10T00:00:00Z", "\"rare\", \"common\"", "");
    story(
        "draft",
        "2026-05-10T00:00:00Z",
        "\"rare\", \"common\"",
        "draft = true",
    );
    story("later", "2026-05-11T00:00:00Z", "\"rare\", \"common\"", "");
    site
}

fn explain(site: &Site, article: &str) -> Vec<(String, f64, bool)> {
    let options = site.options_at("2026-05-10T12:00:00Z");
    let e = explain_related(&options, Some(article)).unwrap_or_else(|f| panic!("{}", f.errors));
    e[0].related
        .iter()
        .map(|r| (r.url.clone(), r.score, r.pinned))
        .collect()
}

fn idf(n: f64, df: f64) -> f64 {
    (1.0 + n / df).ln()
}

fn decay(days: f64, half_life: f64) -> f64 {
    (-days / half_life).exp2()
}

fn assert_ranking(got: &[(String, f64, bool)], want: &[(&str, f64)]) {
    let urls: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    let want_urls: Vec<&str> = want.iter().map(|w| w.0).collect();
    assert_eq!(urls, want_urls);
    for (g, w) in got.iter().zip(want) {
        assert!((g.1 - w.1).abs() < 1e-12, "{}: {} != {}", w.0, g.1, w.1);
    }
}

#[test]
fn ranking_follows_the_formula_with_decay() {
    let site = ranked_site("180");
    let (rare, common) = (idf(5.0, 3.0), idf(5.0, 4.0));
    // c and d tie exactly (same date, same shared tag): the URL path decides.
    let want = [
        ("/news/b/", rare * decay(1.0, 180.0)),
        ("/news/c/", common * decay(2.0, 180.0)),
        ("/news/d/", common * decay(2.0, 180.0)),
        ("/news/e/", (rare + common) * decay(365.0, 180.0)),
    ];
    assert_ranking(&explain(&site, "news/a.md"), &want);
}

#[test]
fn ranking_without_decay_prefers_more_shared_rarity() {
    let site = ranked_site("0");
    let (rare, common) = (idf(5.0, 3.0), idf(5.0, 4.0));
    let want = [
        ("/news/e/", rare + common),
        ("/news/b/", rare),
        ("/news/c/", common),
        ("/news/d/", common),
    ];
    assert_ranking(&explain(&site, "/news/a/"), &want);
}

#[test]
fn ties_go_to_the_newer_article() {
    // Without decay, d shares only "common" with a, c and e: three equal
    // scores, listed newest first.
    let site = ranked_site("0");
    let got = explain(&site, "news/d.md");
    let urls: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(urls, vec!["/news/a/", "/news/c/", "/news/e/"]);
}

#[test]
fn pins_come_first_in_their_order() {
    let site = ranked_site("180");
    site.article(
        "news/a.md",
        "title = \"a\"\ndate = 2026-05-10T00:00:00Z\ntags = [\"rare\", \"common\"]\nrelated = [\"news/e.md\", \"@/news/d.md\"]",
        "Text.\n",
    );
    let got = explain(&site, "news/a.md");
    let pinned: Vec<(&str, bool)> = got.iter().map(|g| (g.0.as_str(), g.2)).collect();
    assert_eq!(
        pinned,
        vec![
            ("/news/e/", true),
            ("/news/d/", true),
            ("/news/b/", false),
            ("/news/c/", false)
        ]
    );
    // As messages print a file, too.
    site.article(
        "news/a.md",
        "title = \"a\"\ndate = 2026-05-10T00:00:00Z\ntags = [\"rare\", \"common\"]\nrelated = [\"content/news/e.md\"]",
        "Text.\n",
    );
    let got = explain(&site, "news/a.md");
    assert_eq!((got[0].0.as_str(), got[0].2), ("/news/e/", true));
    // And as its address, which `dateline related` prints, whole or not.
    site.article(
        "news/a.md",
        "title = \"a\"\ndate = 2026-05-10T00:00:00Z\ntags = [\"rare\", \"common\"]\nrelated = [\"/news/d/\", \"https://t.example/news/e\"]",
        "Text.\n",
    );
    let got = explain(&site, "news/a.md");
    let pinned: Vec<(&str, bool)> = got.iter().take(2).map(|g| (g.0.as_str(), g.2)).collect();
    assert_eq!(pinned, [("/news/d/", true), ("/news/e/", true)]);
}

#[test]
fn pins_left_out_are_warnings() {
    let site = Site::with_config(&format!("{CONFIG}[related]\ncount = 2\n"));
    for name in ["b", "c", "d"] {
        site.article(
            &format!("news/{name}.md"),
            &format!("title = \"{name}\"\ndate = 2026-05-01T00:00:00Z"),
            "Text.\n",
        );
    }
    site.article(
        "news/a.md",
        "title = \"a\"\ndate = 2026-05-10T00:00:00Z\nrelated = [\"news/a.md\", \"news/b.md\", \"news/b.md\", \"news/c.md\", \"news/d.md\"]",
        "Text.\n",
    );
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "content/news/a.md:4:12: `related` pins the article itself; it is left out",
            "content/news/a.md:4:38: `related` pins \"news/b.md\" a second time; it is left out",
            "content/news/a.md:4:64: `related` pins more stories than `[related] count` (2) shows; \"news/d.md\" is left out",
        ]
    );
    let got = explain(&site, "news/a.md");
    let urls: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(urls, ["/news/b/", "/news/c/"]);
}

#[test]
fn a_pin_to_a_missing_article_is_an_error_with_its_line() {
    let site = ranked_site("180");
    site.article(
        "news/a.md",
        "title = \"a\"\ndate = 2026-05-10T00:00:00Z\ntags = [\"rare\"]\nrelated = [\"news/b.md\", \"news/nope.md\"]",
        "Text.\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "content/news/a.md:5:25: `related` names \"news/nope.md\", which is no article"
        ),
        "{err}"
    );
}

#[test]
fn drafts_and_scheduled_articles_are_never_related() {
    let site = ranked_site("180");
    let got = explain(&site, "news/b.md");
    assert!(
        got.iter()
            .all(|g| !g.0.contains("draft") && !g.0.contains("later")),
        "{got:?}"
    );
    // N counts published articles only: with the draft, idf would differ.
    let rare = idf(5.0, 3.0);
    assert!((got[0].1 - rare * decay(1.0, 180.0)).abs() < 1e-12);
}

#[test]
fn related_json_prints_one_object_per_article() {
    let site = ranked_site("180");
    let out = site.run(&["related", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // The scheduled article is in the future of the real clock too.
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    let a = lines.iter().find(|v| v["url"] == "/news/a/").unwrap();
    let first = &a["related"][0];
    assert_eq!(first["url"], "/news/later/");
    assert_eq!(first["shared_tags"], serde_json::json!(["rare", "common"]));
    assert_eq!(first["pinned"], false);
    let b = &a["related"][1];
    assert_eq!(b["url"], "/news/b/");
    let expected = idf(6.0, 4.0) * decay(1.0, 180.0);
    assert_eq!(b["score"].as_f64().unwrap(), expected);
}

#[test]
fn related_takes_the_addresses_it_prints() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://t.example/café/\"\npermalink = \"/actualités/{slug}/\"\n",
    );
    site.article("news/a.md", "title = \"a\"\ndate = 2026-05-10", "Text.\n");
    site.article("news/b.md", "title = \"b\"\ndate = 2026-05-11", "Text.\n");
    let out = site.run(&["related", "--json"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let urls: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["url"].to_string())
        .collect();
    assert_eq!(
        urls,
        [
            "\"/caf%C3%A9/actualit%C3%A9s/b/\"",
            "\"/caf%C3%A9/actualit%C3%A9s/a/\""
        ]
    );
    let url = "/caf%C3%A9/actualit%C3%A9s/a/";
    // As printed, as written, and with the site's address, escaped or not.
    for wanted in [
        url,
        "/café/actualités/a/",
        "/actualités/a/",
        "https://t.example/caf%C3%A9/actualit%C3%A9s/a/",
        "https://t.example/café/actualités/a",
    ] {
        let out = site.run(&["related", wanted, "--json"]);
        assert!(
            out.status.success(),
            "{wanted}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The one article asked for.
        let text = String::from_utf8(out.stdout).unwrap();
        let printed: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(printed["url"], url, "{wanted}");
    }
    // Printed for a reader, the addresses read as written.
    let out = site.run(&["related", "news/a.md"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("/café/actualités/a/ (content/news/a.md)\n"),
        "{text}"
    );
}

/// Within one article, a second spelling of a tag or an empty entry is
/// left out, and the warning says where.
#[test]
fn an_articles_own_repeated_or_empty_tags_are_warned_of() {
    let site = Site::with_config(CONFIG);
    site.article(
        "news/x.md",
        "title = \"x\"\ndate = 2026-05-01\ntags = [\"Go\", \"go\", \"\", \"Rust\", \"Rust\"]\nauthors = [\"Ana Díaz\", \"  \"]",
        "Text.\n",
    );
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "content/news/x.md:4:15: \"Go\" and \"go\" are one tag (their address is the same): \"go\" is left out",
            "content/news/x.md:4:21: an empty tag is left out",
            "content/news/x.md:4:33: \"Rust\" is listed twice: the second is left out",
            "content/news/x.md:5:24: an empty author is left out",
        ]
    );
    let page = site.page("news/x/index.html");
    assert_eq!(page.texts(".tags a"), ["Go", "Rust"]);
}

#[test]
fn author_spellings_merge_under_the_profiles_name() {
    let site = Site::with_config(CONFIG);
    site.write(
        "content/_authors/maren.md",
        "+++\nname = \"Maren ODUYA\"\n+++\nReporter.\n",
    );
    for (file, byline) in [
        ("x", "maren oduya"),
        ("y", "Maren Oduya"),
        ("z", "Maren Oduya"),
    ] {
        site.article(
            &format!("news/{file}.md"),
            &format!("title = \"{file}\"\ndate = 2026-05-01\nauthors = [\"{byline}\"]"),
            "Text.\n",
        );
    }
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        vec!["content/news/x.md:4:12: the author spellings \"Maren Oduya\", \"maren oduya\" are one author at /authors/maren-oduya/, shown as \"Maren ODUYA\""]
    );
    assert_eq!(
        site.page("authors/maren-oduya/index.html").text("h1"),
        "Maren ODUYA"
    );
}

#[test]
fn tag_spellings_merge_with_one_warning() {
    let site = Site::with_config(CONFIG);
    site.article(
        "news/x.md",
        "title = \"x\"\ndate = 2026-05-01\ntags = [\"AWS\"]",
        "Text.\n",
    );
    site.article(
        "news/y.md",
        "title = \"y\"\ndate = 2026-05-02\ntags = [\"aws\"]",
        "Text.\n",
    );
    site.article(
        "news/z.md",
        "title = \"z\"\ndate = 2026-05-03\ntags = [\"AWS\", \"São Paulo\"]",
        "Text.\n",
    );
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        vec!["content/news/y.md:4:9: the tag spellings \"AWS\", \"aws\" are one tag at /tags/aws/, shown as \"AWS\""]
    );
    let page = site.page("tags/aws/index.html");
    assert_eq!(page.text("h1"), "AWS");
    assert!(site.exists("tags/sao-paulo/index.html"));
    let index = site.page("tags/index.html");
    assert_eq!(index.texts(".term-index a"), vec!["AWS", "São Paulo"]);
    assert_eq!(
        index.texts(".term-index .count"),
        vec!["3 stories", "1 story"]
    );
}

/// Of two spellings used as often, the one with the accents is shown,
/// whichever file comes first.
#[test]
fn of_spellings_used_as_often_the_accented_one_is_shown() {
    for (first, second) in [("José Núñez", "Jose Nunez"), ("Jose Nunez", "José Núñez")] {
        let site = Site::with_config(CONFIG);
        site.article(
            "news/a.md",
            &format!(
                "title = \"a\"\ndate = 2026-05-01\nauthors = [\"{first}\"]\ntags = [\"{first}\"]"
            ),
            "Text.\n",
        );
        site.article(
            "news/b.md",
            &format!(
                "title = \"b\"\ndate = 2026-05-02\nauthors = [\"{second}\"]\ntags = [\"{second}\"]"
            ),
            "Text.\n",
        );
        let report = site.build();
        assert_eq!(
            site.page("authors/jose-nunez/index.html").text("h1"),
            "José Núñez"
        );
        assert_eq!(
            site.page("tags/jose-nunez/index.html").text("h1"),
            "José Núñez"
        );
        for story in ["news/a/index.html", "news/b/index.html"] {
            assert_eq!(
                site.page(story).texts(".byline a"),
                ["José Núñez"],
                "{story}"
            );
        }
        // Said where the other spelling is written.
        let files: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
        let at = if first == "Jose Nunez" {
            "news/a.md"
        } else {
            "news/b.md"
        };
        assert_eq!(files.len(), 2, "{files:?}");
        assert!(
            files
                .iter()
                .all(|w| w.starts_with(&format!("content/{at}:"))),
            "{files:?}"
        );
    }
}

/// Names in a script written in Latin letters only with losses (an abjad
/// without its vowels) share an address under ASCII slugs: the warning
/// says how to keep them apart, and `slugs = "unicode"` does.
#[test]
fn unicode_slugs_keep_names_apart_that_ascii_merges() {
    let write = |site: &Site| {
        site.article(
            "اقتصاد/النفط.md",
            "title = \"النفط يرتفع\"\ndate = 2026-05-01\ntags = [\"علم\", \"ألم\"]\nauthors = [\"أحمد\"]",
            "نص.\n\n## العنوان الفرعي\n\nانظر [الغاز](@/اقتصاد/الغاز.md).\n",
        );
        site.article(
            "اقتصاد/الغاز.md",
            "title = \"الغاز\"\ndate = 2026-05-02\nauthors = [\"حمد\"]",
            "نص.\n",
        );
    };
    let ascii = Site::with_config(CONFIG);
    write(&ascii);
    let report = ascii.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    let hint = "if they are different names, set `slugs = \"unicode\"` in site.toml to keep the letters of every script in addresses";
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[1].contains("\"علم\" and \"ألم\" are one tag"),
        "{warnings:?}"
    );
    assert!(
        warnings[0].contains("\"أحمد\", \"حمد\" are one author"),
        "{warnings:?}"
    );
    assert!(warnings.iter().all(|w| w.ends_with(hint)), "{warnings:?}");

    let unicode = Site::with_config(&format!("{CONFIG}slugs = \"unicode\"\n"));
    write(&unicode);
    let report = unicode.build();
    assert_eq!(report.warnings.len(), 0, "{:?}", report.warnings);
    for file in [
        "اقتصاد/النفط/index.html",
        "اقتصاد/الغاز/index.html",
        "tags/علم/index.html",
        "tags/ألم/index.html",
        "authors/أحمد/index.html",
        "authors/حمد/index.html",
    ] {
        assert!(unicode.exists(file), "{file}");
    }
    let page = unicode.page("اقتصاد/النفط/index.html");
    assert_eq!(page.attrs(".article-body h2", "id"), ["العنوان-الفرعي"]);
    // Addresses are percent-encoded in links and the sitemap.
    assert_eq!(
        page.attrs(".article-body a", "href"),
        ["/%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF/%D8%A7%D9%84%D8%BA%D8%A7%D8%B2/"]
    );
    assert_eq!(page.texts(".byline a"), ["أحمد"]);
    let sitemap = unicode.read("sitemap.xml");
    assert!(
        sitemap.contains("/tags/%D8%A3%D9%84%D9%85/</loc>"),
        "{sitemap}"
    );
}

/// Every file that spells a tag otherwise than most do is said of, at
/// the tag: not one file at a time, without a place.
#[test]
fn every_other_spelling_of_a_tag_is_said_of_where_it_is_written() {
    let site = Site::with_config(CONFIG);
    for (file, tags) in [
        ("a", "\"fire\""),
        ("b", "\"port\", \"fire\""),
        ("c", "\"Fire\""),
        ("d", "\"port\", \"FIRE\""),
    ] {
        site.article(
            &format!("news/{file}.md"),
            &format!("title = \"{file}\"\ndate = 2026-05-01\ntags = [{tags}]"),
            "Text.\n",
        );
    }
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    let said = "the tag spellings \"FIRE\", \"Fire\", \"fire\" are one tag at /tags/fire/, shown as \"fire\"";
    assert_eq!(
        warnings,
        [
            format!("content/news/c.md:4:9: {said}"),
            format!("content/news/d.md:4:17: {said}"),
        ]
    );
}

/// With a profile whose spelling articles use, the others are the ones
/// said of, however many there are.
#[test]
fn an_authors_other_spellings_are_said_of_beside_the_profiles() {
    let site = Site::with_config(CONFIG);
    site.write(
        "content/_authors/maren.md",
        "+++\nname = \"Maren Holt\"\n+++\n",
    );
    for (file, name) in [
        ("a", "maren holt"),
        ("b", "maren holt"),
        ("c", "Maren Holt"),
    ] {
        site.article(
            &format!("news/{file}.md"),
            &format!("title = \"{file}\"\ndate = 2026-05-01\nauthors = [\"{name}\"]"),
            "Text.\n",
        );
    }
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    let said = "the author spellings \"Maren Holt\", \"maren holt\" are one author at /authors/maren-holt/, shown as \"Maren Holt\"";
    assert_eq!(
        warnings,
        [
            format!("content/news/a.md:4:12: {said}"),
            format!("content/news/b.md:4:12: {said}"),
        ]
    );
}

/// The warning gives the page's address as the site has it: under
/// `base_url`'s path, in the site's own folder for tags.
#[test]
fn merged_spellings_are_said_at_the_sites_own_address() {
    let site = Site::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/news/\"\n[paths]\ntags = \"temas\"\nauthors = \"autores\"\n",
    );
    for (file, spelling) in [("x", "São Paulo"), ("y", "são paulo")] {
        site.article(
            &format!("news/{file}.md"),
            &format!("title = \"{file}\"\ndate = 2026-05-01\ntags = [\"{spelling}\"]\nauthors = [\"{spelling}\"]"),
            "Text.\n",
        );
    }
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "content/news/y.md:4:9: the tag spellings \"São Paulo\", \"são paulo\" are one tag at /news/temas/sao-paulo/, shown as \"São Paulo\"",
            "content/news/y.md:5:12: the author spellings \"São Paulo\", \"são paulo\" are one author at /news/autores/sao-paulo/, shown as \"São Paulo\"",
        ]
    );
    assert!(site.exists("temas/sao-paulo/index.html"));
}

#[test]
fn tag_and_author_pages_paginate_newest_first() {
    let site = Site::with_config(CONFIG);
    for day in 1..=5 {
        site.article(
            &format!("news/s{day}.md"),
            &format!("title = \"S{day}\"\ndate = 2026-05-0{day}\ntags = [\"Ports\"]\nauthors = [\"Jörg Müller\"]"),
            "Text.\n",
        );
    }
    site.build();
    assert_eq!(
        site.page("tags/ports/index.html").texts(".card-title"),
        vec!["S5", "S4"]
    );
    assert_eq!(
        site.page("tags/ports/page/3/index.html")
            .texts(".card-title"),
        vec!["S1"]
    );
    assert!(!site.exists("tags/ports/page/4/index.html"));
    let author = site.page("authors/jorg-muller/index.html");
    assert_eq!(author.text("h1"), "Jörg Müller");
    assert_eq!(
        author.attrs(".pager a[rel=next]", "href"),
        vec!["/authors/jorg-muller/page/2/"]
    );
    assert!(author.all(".profile").is_empty());
}

#[test]
fn author_profiles_feed_author_pages() {
    let site = Site::with_config(CONFIG);
    site.article(
        "news/x.md",
        "title = \"x\"\ndate = 2026-05-01\nauthors = [\"Ana Diaz\"]",
        "Text.\n",
    );
    site.write(
        "content/_authors/ana.md",
        "+++\nname = \"Ana Díaz\"\nrole = \"Port reporter\"\nphoto = \"ana.svg\"\n[[links]]\ntitle = \"Ana's newsletter\"\nurl = \"https://ana.example/\"\n+++\n\nAna covers the docks.\n",
    );
    site.write("content/_authors/ana.svg", "<svg/>");
    site.write(
        "content/_authors/bo.md",
        "+++\nname = \"Bo Lee\"\n+++\n\nBo edits the paper.\n",
    );
    site.build();
    let ana = site.page("authors/ana-diaz/index.html");
    assert_eq!(ana.text("h1"), "Ana Díaz");
    assert_eq!(ana.text(".profile-role"), "Port reporter");
    assert_eq!(ana.text(".profile-bio"), "Ana covers the docks.");
    assert_eq!(
        ana.attrs(".profile-photo", "src"),
        vec!["/authors/ana-diaz/ana.svg"]
    );
    // No `photo_alt`: the photo is described by the name.
    assert_eq!(ana.attrs(".profile-photo", "alt"), vec!["Ana Díaz"]);
    assert_eq!(
        ana.attrs(".profile-links a", "href"),
        vec!["https://ana.example/"]
    );
    assert_eq!(site.read("authors/ana-diaz/ana.svg"), "<svg/>");
    // The byline uses the profile's spelling and links to the page.
    let article = site.page("news/x/index.html");
    assert_eq!(article.text(".byline"), "By Ana Díaz");
    // A profile with no stories yet still gets its page.
    assert_eq!(
        site.page("authors/bo-lee/index.html").text(".profile-bio"),
        "Bo edits the paper."
    );
    let index = site.page("authors/index.html");
    assert_eq!(index.texts(".term-index a"), vec!["Ana Díaz", "Bo Lee"]);
}

#[test]
fn a_page_and_the_tag_index_cannot_share_an_address() {
    let site = Site::with_config(CONFIG);
    site.article("news/x.md", "title = \"x\"\ndate = 2026-05-01", "Text.\n");
    site.write("content/tags.md", "+++\ntitle = \"Tags\"\n+++\n");
    let err = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    assert!(
        err.contains(
            "error: content/tags.md: writes the page /tags/, which the tags index also writes"
        ),
        "{err}"
    );
}

#[test]
fn a_tag_page_or_section_that_takes_an_address_is_named() {
    let site = Site::with_config(CONFIG);
    site.article(
        "tags/jobs.md",
        "title = \"Jobs\"\ndate = 2026-05-01\ntags = [\"Jobs\"]",
        "Text.\n",
    );
    let err = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    for expected in [
        "error: content/tags/: the page of the section \"tags\" would be written at /tags/, where the tags index also writes",
        "error: content/tags/jobs.md: the page of the tag \"Jobs\" would be written at /tags/jobs/, where content/tags/jobs.md also writes",
    ] {
        assert!(err.contains(expected), "{expected}\nin\n{err}");
    }
}

#[test]
fn an_article_and_a_page_cannot_share_an_address() {
    let site = Site::with_config(&format!("{CONFIG}permalink = \"/{{slug}}/\"\n"));
    site.article(
        "news/about.md",
        "title = \"x\"\ndate = 2026-05-01",
        "Text.\n",
    );
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\n");
    let err = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    assert!(
        err.contains(
            "content/news/about.md: writes the page /about/, which content/about.md also writes"
        ),
        "{err}"
    );
}
