//! Bad input: every error named with its file, line and column, all of a
//! build's errors listed together, a non-zero exit, and the previous output
//! left exactly as it was.

mod common;

use common::{snapshot, Site};

fn good_site() -> Site {
    let site = Site::new();
    site.article(
        "news/ok.md",
        "title = \"Fine\"\ndate = 2026-05-01",
        "Fine.\n",
    );
    site
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Build, expect the build to fail, and return what it printed.
fn failed_build(site: &Site) -> String {
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    err
}

/// The `error: ` lines of a build's report.
fn error_lines(err: &str) -> Vec<&str> {
    err.lines().filter(|l| l.starts_with("error: ")).collect()
}

#[test]
fn unknown_front_matter_key_names_file_line_and_allowed_keys() {
    let site = good_site();
    site.article(
        "news/typo.md",
        "title = \"Typo\"\ndate = 2026-05-01\ntittle = \"x\"",
        "Text.\n",
    );
    let err = failed_build(&site);
    assert!(err.contains("error: content/news/typo.md:4:1: unknown field `tittle`, expected one of `title`, `date`"), "{err}");
    assert!(err.contains("`extra`; did you mean `title`?\n"), "{err}");
    assert!(err.contains("build failed: 1 error"), "{err}");
    // A key no allowed one is near: the list alone.
    site.article(
        "news/typo.md",
        "title = \"Typo\"\ndate = 2026-05-01\nkicker = \"x\"",
        "Text.\n",
    );
    let err = failed_build(&site);
    assert!(err.contains("`extra`\n"), "{err}");
}

#[test]
fn all_errors_of_a_build_are_listed_sorted_by_file() {
    let site = good_site();
    site.article(
        "news/b-date.md",
        "title = \"B\"\ndate = \"next monday\"",
        "Text.\n",
    );
    site.article(
        "news/a-type.md",
        "title = [\"a\", \"b\"]\ndate = 2026-05-01",
        "Text.\n",
    );
    site.article(
        "news/c-link.md",
        "title = \"C\"\ndate = 2026-05-01",
        "Intro.\n\nSee [x](@/news/missing.md).\n",
    );
    site.write("content/news/d-open.md", "+++\ntitle = \"D\"\n");
    let err = failed_build(&site);
    let lines = error_lines(&err);
    assert_eq!(lines.len(), 4, "{err}");
    assert!(
        lines[0].starts_with("error: content/news/a-type.md:2:9: `title`: invalid type"),
        "{err}"
    );
    assert_eq!(
        lines[1],
        "error: content/news/b-date.md:3:8: `date` must be a date like 2026-04-27 or 2026-04-27T09:00:00Z, found the string \"next monday\""
    );
    assert!(
        lines[2].starts_with(
            "error: content/news/c-link.md:8:5: the link `@/news/missing.md` names no article"
        ),
        "{err}"
    );
    assert!(
        lines[3].starts_with(
            "error: content/news/d-open.md:1:1: the front matter opened here is never closed"
        ),
        "{err}"
    );
    assert!(err.contains("build failed: 4 errors"), "{err}");
}

/// A folder the walk cannot read (here a link to nothing; without
/// permission alike) is one error: the links and pins into it are not
/// more of their own.
#[cfg(unix)]
#[test]
fn links_into_a_folder_that_cannot_be_read_are_not_errors_of_their_own() {
    let site = good_site();
    site.article(
        "news/links.md",
        "title = \"L\"\ndate = 2026-05-01\nrelated = [\"climate/survey.md\"]",
        "See [the survey](@/climate/survey.md) and [nothing](@/climate-desk/x.md).\n",
    );
    std::os::unix::fs::symlink("../gone", site.root().join("content/climate")).unwrap();
    // A folder linked from outside the site is not followed: alike.
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/wire")).unwrap();
    site.article(
        "news/wire.md",
        "title = \"W\"\ndate = 2026-05-01",
        "See [the wire](@/wire/story.md).\n",
    );
    let err = failed_build(&site);
    let lines = error_lines(&err);
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("error: content/climate: is a symbolic link to ../gone"),
        "{err}"
    );
    // A folder whose name only starts the same is no part of it.
    assert!(
        lines[1].contains("the link `@/climate-desk/x.md` names no article"),
        "{err}"
    );
}

/// A pasted list of links to nothing does not bury every other error.
#[test]
fn an_articles_broken_links_are_listed_up_to_fifty() {
    let site = good_site();
    let links: String = (0..300)
        .map(|n| format!("[x](@/news/gone-{n:03}.md)\n\n"))
        .collect();
    site.article("news/links.md", "title = \"L\"\ndate = 2026-05-01", &links);
    site.article(
        "news/other.md",
        "title = \"O\"\ndate = 2026-05-01",
        "[y](@/news/nope.md)\n",
    );
    let err = failed_build(&site);
    let lines = error_lines(&err);
    assert_eq!(lines.len(), 51, "{err}");
    // The note is said as one, before the file's errors.
    assert!(
        err.starts_with("note: content/news/links.md: more problems than the 50 listed"),
        "{err}"
    );
    assert!(
        lines[0].starts_with("error: content/news/links.md:6:1: the link `@/news/gone-000.md`"),
        "{err}"
    );
    assert!(
        lines[49].starts_with("error: content/news/links.md:104:1: the link `@/news/gone-049.md`"),
        "{err}"
    );
    assert!(
        lines[50].starts_with("error: content/news/other.md:6:1: the link `@/news/nope.md`"),
        "{err}"
    );
    // The note is no error of its own: 51 are listed, and there are more.
    assert!(
        err.contains("\nbuild failed: 51 errors listed, and more\n"),
        "{err}"
    );
}

#[test]
fn every_problem_in_one_article_is_listed() {
    let site = good_site();
    site.article(
        "news/many.md",
        concat!(
            "title = \"Harbour\"\n",
            "date = 2026-05-01\n",
            "tags = \"port\"\n",
            "featured = \"yes\"\n",
            "colour = \"red\"\n",
            "slug = \"Bad Slug\"\n",
            "aliases = [\"/old/\", 7, \"nope\"]\n",
            "updated = \"2026-05-02\"\n",
            "\n",
            "[[corrections]]\n",
            "date = 2026-05-03\n",
            "text = 1\n",
            "\n",
            "[[corrections]]\n",
            "date = 2026-05-04",
        ),
        "Text.\n",
    );
    let err = failed_build(&site);
    let lines = error_lines(&err);
    let at = |line: &str| line.split(": ").nth(1).unwrap_or_default().to_string();
    assert_eq!(
        lines.iter().map(|l| at(l)).collect::<Vec<_>>(),
        [
            "content/news/many.md:4:8",
            "content/news/many.md:5:12",
            "content/news/many.md:6:1",
            "content/news/many.md:7:8",
            "content/news/many.md:8:21",
            "content/news/many.md:8:24",
            "content/news/many.md:9:11",
            "content/news/many.md:13:8",
            "content/news/many.md:15:1",
        ],
        "{err}"
    );
    for expected in [
        "`tags`: invalid type: string \"port\", expected a list",
        "`featured`: invalid type: string \"yes\", expected true or false",
        "unknown field `colour`",
        "`slug` must be lowercase ASCII words",
        "`aliases`: invalid type: integer `7`, expected a string",
        "an alias must be a site path starting with `/`",
        "`updated` must be a date",
        "`corrections.text`: invalid type: integer `1`, expected a string",
        "missing field `text` in [[corrections]]",
    ] {
        assert!(err.contains(expected), "{expected:?} in {err}");
    }
    assert!(err.contains("build failed: 9 errors"), "{err}");
}

#[test]
fn a_required_field_of_the_wrong_type_is_not_also_missing() {
    let site = good_site();
    site.article(
        "news/typed.md",
        "title = 12\ndate = 2026-05-01\ndraft = 1",
        "Text.\n",
    );
    let err = failed_build(&site);
    assert!(
        err.contains(
            "content/news/typed.md:2:9: `title`: invalid type: integer `12`, expected a string"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/news/typed.md:4:9: `draft`: invalid type: integer `1`"),
        "{err}"
    );
    assert!(!err.contains("missing field"), "{err}");
    assert!(err.contains("build failed: 2 errors"), "{err}");
}

#[test]
fn every_missing_field_is_named() {
    let site = good_site();
    site.write(
        "content/news/empty.md",
        "+++
+++
Text.
",
    );
    site.write(
        "content/news/untitled.md",
        "+++
title = 12
tags = \"port\"
+++
Text.
",
    );
    let err = failed_build(&site);
    let lines = error_lines(&err);
    assert_eq!(
        lines,
        [
            "error: content/news/empty.md:1:1: missing field `date`",
            "error: content/news/empty.md:1:1: missing field `title`",
            "error: content/news/untitled.md:1:1: missing field `date`",
            "error: content/news/untitled.md:2:9: `title`: invalid type: integer `12`, expected a string",
            "error: content/news/untitled.md:3:8: `tags`: invalid type: string \"port\", expected a list, like [\"a\", \"b\"]",
        ],
        "{err}"
    );
}

#[test]
fn every_problem_in_a_profile_and_its_links_is_listed() {
    let site = good_site();
    site.write(
        "content/_authors/maren.md",
        "+++\nname = \" \"\n[[links]]\ntitle = 5\nurl = 6\nzz = 1\n+++\nBio.\n",
    );
    let err = failed_build(&site);
    assert_eq!(
        error_lines(&err),
        [
            "error: content/_authors/maren.md:2:8: `name` must not be empty",
            "error: content/_authors/maren.md:4:9: `links.title`: invalid type: integer `5`, expected a string",
            "error: content/_authors/maren.md:5:7: `links.url`: invalid type: integer `6`, expected a string",
            "error: content/_authors/maren.md:6:1: unknown field `links.zz`, expected `title` or `url`",
        ],
        "{err}"
    );
}

#[test]
fn a_required_field_in_error_does_not_hide_the_others() {
    let site = good_site();
    site.write("content/news/dateless.md", "+++\ndate = 5\n+++\nText.\n");
    site.write(
        "content/news/typed.md",
        "+++\ntitle = 5\ndate = \"x\"\nupdated = 5\ncorrections = [1]\n+++\nText.\n",
    );
    let err = failed_build(&site);
    assert_eq!(
        error_lines(&err),
        [
            "error: content/news/dateless.md:1:1: missing field `title`",
            "error: content/news/dateless.md:2:8: `date` must be a date like 2026-04-27 or 2026-04-27T09:00:00Z, found a whole number",
            "error: content/news/typed.md:2:9: `title`: invalid type: integer `5`, expected a string",
            "error: content/news/typed.md:3:8: `date` must be a date like 2026-04-27 or 2026-04-27T09:00:00Z, found the string \"x\"",
            "error: content/news/typed.md:4:11: `updated` must be a date like 2026-04-27 or 2026-04-27T09:00:00Z, found a whole number",
            "error: content/news/typed.md:5:16: `corrections`: invalid type: integer `1`, expected a table",
        ],
        "{err}"
    );
}

#[test]
fn a_list_where_a_table_belongs_is_an_error_not_read_in_field_order() {
    // serde would read `[date, text]` as a correction, and `[count,
    // half_life_days]` as `[related]`, without a word.
    let site = good_site();
    site.article(
        "news/listed.md",
        "title = \"T\"\ndate = 2026-05-01\ncorrections = [[2026-05-02, \"A name was misspelled.\"]]",
        "Text.\n",
    );
    site.write(
        "content/_authors/ana.md",
        "+++\nname = \"Ana\"\nlinks = [[\"Site\", \"https://ana.example/\"]]\n+++\n",
    );
    let err = failed_build(&site);
    assert_eq!(
        error_lines(&err),
        [
            "error: content/_authors/ana.md:3:10: `links`: invalid type: list, expected a table",
            "error: content/news/listed.md:4:16: `corrections`: invalid type: list, expected a table",
        ],
        "{err}"
    );
    for rel in ["content/news/listed.md", "content/_authors/ana.md"] {
        std::fs::remove_file(site.root().join(rel)).unwrap();
    }
    let mut config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    config.push_str(
        "related = [4, 90.0]\nnav = [[\"Home\", \"/\"]]\nfront_page = [3]\nfeeds = [10, \"full\"]\nmarkdown = [true]\n",
    );
    site.write("site.toml", &config);
    let err = failed_build(&site);
    let lines = error_lines(&err);
    for key in ["related", "nav", "front_page", "feeds", "markdown"] {
        let expected = format!("`{key}`: invalid type: list, expected a table");
        assert!(
            lines.iter().any(|l| l.ends_with(&expected)),
            "{expected:?} in {err}"
        );
    }
    assert_eq!(lines.len(), 5, "{err}");
}

#[test]
fn every_toml_syntax_error_in_a_file_is_listed() {
    let site = good_site();
    site.article(
        "news/syntax.md",
        "title = \"Open\ndate = 2026-05-01\ntags = [port, \"city\"]\nsummary = 'x' 'y'",
        "Text.\n",
    );
    let err = failed_build(&site);
    let lines = error_lines(&err);
    assert!(lines.len() >= 3, "{err}");
    for line in [
        "content/news/syntax.md:2:",
        "content/news/syntax.md:4:",
        "content/news/syntax.md:5:",
    ] {
        assert!(err.contains(line), "{line} in {err}");
    }
}

#[test]
fn an_update_before_publication_is_a_warning() {
    let site = good_site();
    site.article(
        "news/backwards.md",
        "title = \"Backwards\"\ndate = 2026-05-02\nupdated = 2026-05-01T09:00:00Z",
        "Text.\n",
    );
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: content/news/backwards.md:4:11: `updated` is before `date`"),
        "{err}"
    );
    assert_eq!(site.run(&["build", "--strict"]).status.code(), Some(1));
}

/// An update or correction dated after the build (2027 typed for 2026)
/// would reach the sitemap's and feeds' dates: a warning each, until the
/// time comes.
#[test]
fn an_update_or_correction_dated_in_the_future_is_a_warning() {
    let site = good_site();
    site.article(
        "news/ahead.md",
        "title = \"Ahead\"\ndate = 2026-05-02\nupdated = 2027-05-03T09:00:00Z\n\
         [[corrections]]\ndate = 2026-05-03\ntext = \"Fixed a name.\"\n\
         [[corrections]]\ndate = 2027-05-04\ntext = \"Fixed a date.\"",
        "Text.\n",
    );
    site.write(
        "content/about.md",
        "+++\ntitle = \"About\"\nupdated = 2027-01-01\n+++\nWho we are.\n",
    );
    let build = |now: &str| {
        let out = site.run(&["build", "--now", now]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{err}");
        err.lines()
            .filter(|l| l.starts_with("warning: "))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        build("2026-06-01T00:00:00Z"),
        [
            "warning: content/about.md:3:11: `updated` is later than the build's time: the page, its feeds and the sitemap would say it changed in the future; is the date right?",
            "warning: content/news/ahead.md:4:11: `updated` is later than the build's time: the page, its feeds and the sitemap would say it changed in the future; is the date right?",
            "warning: content/news/ahead.md:9:8: this correction's `date` is later than the build's time: the page would show a correction made in the future; is the date right?",
        ]
    );
    // The same input once the dates have come: no warning, though nothing
    // else changed.
    assert_eq!(build("2027-06-01T00:00:00Z"), Vec::<String>::new());
    // A story previewed before its date (`--future`) may be updated later.
    site.write(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\nWho we are.\n",
    );
    site.article(
        "news/ahead.md",
        "title = \"Ahead\"\ndate = 2027-05-02\nupdated = 2027-05-03T09:00:00Z",
        "Text.\n",
    );
    let out = site.run(&["build", "--future", "--now", "2026-06-01T00:00:00Z"]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}

/// TOML's own words for the slips editors make, said plainly: curled
/// quotes, a date written another way, an article's key below a
/// correction.
#[test]
fn curled_quotes_a_date_in_another_form_and_a_key_below_a_correction_are_said_plainly() {
    let site = good_site();
    site.write(
        "content/news/slips.md",
        "+++\ntitle = “Dockworkers vote”\ndate = 05/12/2026\n+++\nText.\n",
    );
    site.article(
        "news/corrected.md",
        "title = \"C\"\ndate = 2026-05-01\n[[corrections]]\ndate = 2026-05-02\ntext = \"A name.\"\nrelated = [\"news/ok.md\"]",
        "Text.\n",
    );
    let err = failed_build(&site);
    assert_eq!(
        error_lines(&err),
        [
            "error: content/news/corrected.md:7:1: unknown field `corrections.related`, expected `date` or `text`: every key below a `[[corrections]]` line is the correction's, so the article's `related` goes above the first `[[corrections]]`",
            "error: content/news/slips.md:2:9: `title`: typographic quotes (“ ” ‘ ’) do not quote a value in TOML: write straight ones, \"like this\"",
            "error: content/news/slips.md:3:8: `date`: a date is written like 2026-04-27 or 2026-04-27T09:00:00Z: year first, and without quotes",
        ],
        "{err}"
    );
    // Quotes of other scripts, and a key in one without quotes.
    let site = good_site();
    site.article(
        "news/cn.md",
        "title = 「码头工人投票」\ndate = 2026-05-01",
        "Text.\n",
    );
    site.article(
        "news/he.md",
        "title = \"H\"\ndate = 2026-05-01\n[extra]\nלוגו = \"x.png\"",
        "Text.\n",
    );
    // A full-width comma between values; one inside a string is text.
    site.article(
        "news/tags.md",
        "title = \"天气，高温\"\ndate = 2026-05-01\ntags = [\"天气\"，\"高温\"]",
        "Text.\n",
    );
    let err = failed_build(&site);
    assert_eq!(
        error_lines(&err),
        [
            "error: content/news/cn.md:2:9: `title`: typographic quotes (“ ” ‘ ’) do not quote a value in TOML: write straight ones, \"like this\"",
            "error: content/news/he.md:5:1: a key written without quotes has only ASCII letters, digits, `-` and `_`: quote it, \"לוגו\" = ...",
            "error: content/news/tags.md:4:13: `tags`: `，` is a full-width `,`, which TOML does not read: write `,`",
        ],
        "{err}"
    );
}

/// A slug in another script is shown as written, its marks too.
#[test]
fn a_bad_slug_is_shown_as_written() {
    let site = Site::with_config(&format!("{}slugs = \"unicode\"\n", common::SITE_TOML));
    site.article(
        "news/a.md",
        "title = \"A\"\ndate = 2026-05-01\nslug = \"נָמָל\"",
        "Text.\n",
    );
    let err = failed_build(&site);
    assert!(
        err.contains("`slug` must be lowercase words joined by `-`, like \"נמל\", found \"נָמָל\""),
        "{err}"
    );
}

/// TOML puts every key below `[extra]` in that table: an article's own
/// keys written there were silently not its own.
#[test]
fn an_articles_own_keys_below_extra_are_warned_of() {
    let site = good_site();
    site.article(
        "news/lead.md",
        "title = \"Lead\"\ndate = 2026-05-02\n[extra]\nkicker = \"Exclusive\"\nfeatured = true\n  tags = [\"port\"]",
        "Text.\n",
    );
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(
        warnings,
        [
            "warning: content/news/lead.md:6:1: `featured` is inside `[extra]`, as is every key written below that line, so it is not the article's `featured`: move it above `[extra]`",
            "warning: content/news/lead.md:7:3: `tags` is inside `[extra]`, as is every key written below that line, so it is not the article's `tags`: move it above `[extra]`",
        ]
    );
    assert!(!site.exists("tags/port/index.html"));
    // Written into `extra` on purpose: nothing said.
    site.article(
        "news/lead.md",
        "title = \"Lead\"\ndate = 2026-05-02\nextra = { featured = true, hero = { image = \"x.png\" } }",
        "Text.\n",
    );
    site.article(
        "news/dotted.md",
        "title = \"Dotted\"\ndate = 2026-05-02\nextra.featured = true",
        "Text.\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}

#[test]
fn a_local_time_the_clocks_pass_twice_is_a_warning_naming_both_offsets() {
    let site = good_site();
    // 2026-11-01 01:30 happens twice in New York: at -04:00, then at -05:00.
    site.article(
        "news/fold.md",
        "title = \"Fold\"\ndate = 2026-11-01T01:30:00\nupdated = 2026-11-01T01:45:00-05:00\n\
         [[corrections]]\ndate = 2026-11-01T01:50:00\ntext = \"A name was misspelled.\"",
        "Text.\n",
    );
    // A story scheduled for such a time is warned about now, not first
    // when it goes live.
    site.article(
        "news/later.md",
        "title = \"Later\"\ndate = 2027-11-07T01:30:00",
        "Text.\n",
    );
    let out = site.run(&["build", "--now", "2026-12-01T00:00:00Z"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(
        warnings,
        [
            "warning: content/news/fold.md:3:8: `date` 2026-11-01T01:30:00 happens twice in America/New_York, as the clocks go back; it is read as the first, 2026-11-01T01:30:00-04:00: write the offset (-04:00 or -05:00) to choose",
            "warning: content/news/fold.md:6:8: `date` 2026-11-01T01:50:00 happens twice in America/New_York, as the clocks go back; it is read as the first, 2026-11-01T01:50:00-04:00: write the offset (-04:00 or -05:00) to choose",
            "warning: content/news/later.md:3:8: `date` 2027-11-07T01:30:00 happens twice in America/New_York, as the clocks go back; it is read as the first, 2027-11-07T01:30:00-04:00: write the offset (-04:00 or -05:00) to choose",
        ],
        "{err}"
    );
    // Read as the first of the two.
    let page = site.read("news/fold/index.html");
    assert!(
        page.contains(r#"published_time" content="2026-11-01T01:30:00-04:00""#),
        "{page}"
    );
    // --strict fails on it, as on every warning.
    assert_eq!(site.run(&["build", "--strict"]).status.code(), Some(1));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = good_site();
    site.build();
    let before = snapshot(&site.out(""));
    site.article("news/bad.md", "title = \"Bad\"", "No date.\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/news/bad.md:1:1: missing field `date`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(before, snapshot(&site.out("")));
}

#[test]
fn missing_title_empty_file_and_non_utf8_are_reported() {
    let site = good_site();
    site.article("news/no-title.md", "date = 2026-05-01", "Text.\n");
    site.write("content/news/empty.md", "");
    site.write_bytes("content/news/latin1.md", b"+++\ntitle = \"Caf\xe9\"\n+++\n");
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("content/news/no-title.md:1:1: missing field `title`"),
        "{err}"
    );
    assert!(
        err.contains("content/news/empty.md: the file is empty"),
        "{err}"
    );
    assert!(
        err.contains("content/news/latin1.md:2:13: byte 0xE9 is not UTF-8 text"),
        "{err}"
    );
}

#[test]
fn a_site_toml_or_template_that_is_not_utf8_says_where() {
    let site = good_site();
    site.write_bytes("templates/card.html", b"<p>\n  caf\xe9</p>\n");
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains(
            "templates/card.html:2:6: byte 0xE9 is not UTF-8 text; save the file as UTF-8"
        ),
        "{err}"
    );
    let mut config = std::fs::read(site.root().join("site.toml")).unwrap();
    config.extend_from_slice(b"# caf\xe9\n");
    site.write_bytes("site.toml", &config);
    let err = stderr(&site.run(&["build"]));
    assert!(err.contains("byte 0xE9 is not UTF-8 text"), "{err}");
    assert!(err.starts_with("error: site.toml:"), "{err}");
}

#[test]
fn bad_site_toml_is_reported_with_line_and_column() {
    let site = good_site();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://x.example/\"\npaginate = 5\n",
    );
    let err = failed_build(&site);
    assert!(
        err.contains("error: site.toml:3:1: unknown field `paginate`"),
        "{err}"
    );
}

/// A table's unknown key is named whole, and a slip of its one key is not
/// suggested twice.
#[test]
fn an_unknown_key_of_a_table_is_named_with_the_table() {
    let site = good_site();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://x.example/\"\n[feeds]\nlimitt = 3\n[front_page]\nsection_rails = 2\n",
    );
    let err = failed_build(&site);
    assert_eq!(
        error_lines(&err),
        [
            "error: site.toml:4:1: unknown field `feeds.limitt`, expected `limit` or `term_content`; did you mean `limit`?",
            "error: site.toml:6:1: unknown field `front_page.section_rails`, expected `section_rail`",
        ]
    );
}

#[test]
fn every_problem_in_site_toml_is_listed() {
    let site = good_site();
    site.write(
        "site.toml",
        concat!(
            "title = \"T\"\n",
            "base_url = \"https://x.example/\"\n",
            "paginate_by = \"ten\"\n",
            "languag = \"en\"\n",
            "timezone = \"Mars/Base\"\n",
            "[related]\n",
            "count = -1\n",
        ),
    );
    let err = failed_build(&site);
    for expected in [
        "error: site.toml:3:15: `paginate_by`: invalid type: string \"ten\"",
        "error: site.toml:4:1: unknown field `languag`",
        "error: site.toml:5:12: `timezone` must be an IANA time zone name",
        "error: site.toml:7:9: `related.count`: invalid value: integer `-1`",
        "build failed: 4 errors",
    ] {
        assert!(err.contains(expected), "{expected:?} in {err}");
    }
    // A `title` of the wrong type does not hide the checks of the rest.
    site.write(
        "site.toml",
        "title = 5\nbase_url = \"not a url\"\npaginate_by = 0\nnav = [1]\n[feeds]\nlimit = 0\n",
    );
    let err = failed_build(&site);
    assert_eq!(
        error_lines(&err),
        [
            "error: site.toml:1:9: `title`: invalid type: integer `5`, expected a string",
            "error: site.toml:2:12: `base_url` must be an absolute http(s) URL like https://news.example.com/, found \"not a url\" (relative URL without a base)",
            "error: site.toml:3:15: `paginate_by`: invalid value: integer `0`, expected a whole number, 1 or more",
            "error: site.toml:4:8: `nav`: invalid type: integer `1`, expected a table",
            "error: site.toml:6:9: `feeds.limit`: invalid value: integer `0`, expected a whole number, 1 or more",
        ],
        "{err}"
    );
}

#[test]
fn template_error_names_the_template() {
    let site = good_site();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.nope }}{% endblock main %}",
    );
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\nText.\n");
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("error: templates/page.html:1:50: could not render `{{ page.nope }}`: "),
        "{err}"
    );
    assert!(err.contains("Field `nope` is not defined"), "{err}");
}

/// The errors of building the good site with one template of its own.
fn with_template(name: &str, text: &str) -> String {
    let site = good_site();
    site.write(&format!("templates/{name}"), text);
    stderr(&site.run(&["build"]))
}

#[test]
fn a_block_left_open_is_named_with_where_it_opened() {
    let err = with_template(
        "card.html",
        "<p>\n{% if card.title %}\n  {{ card.title }}\n",
    );
    assert!(
        err.contains("templates/card.html:4:1: could not parse the template: Unexpected end of input (the `{% if %}` opened at 2:1 is never closed: add `{% endif %}`)"),
        "{err}"
    );
}

#[test]
fn blocks_closed_out_of_order_are_named() {
    let err = with_template(
        "card.html",
        "{% set label %}Story{% endset %}\n{% if card.title %}\n  {% for t in card.tags %}{{ t }}\n{% endif %}\n",
    );
    assert!(
        err.contains("could not parse the template: a tag out of place (`{% endif %}` at 4:1 comes before the end of the `{% for %}` opened at 3:3; close the `for` first)"),
        "{err}"
    );
}

#[test]
fn an_expression_left_open_is_named_with_where_it_opened() {
    let err = with_template("card.html", "<p>\n  {{ card.title \n");
    assert!(
        err.contains("templates/card.html:2:16: could not parse the template: Unexpected end of input (the `{{` at 2:3 is never closed: add `}}`)"),
        "{err}"
    );
}

/// Types are said as a template writer knows them, and a missing field
/// printed through `?.` says what to write.
#[test]
fn render_errors_speak_of_text_and_numbers_and_missing_fields() {
    let site = good_site();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.title | round }}{% endblock main %}",
    );
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\nText.\n");
    let err = stderr(&site.run(&["build"]));
    assert!(err.contains("expected a number but got text"), "{err}");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.extra.hero?.image }}{% endblock main %}",
    );
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("(`?.` gives nothing where the field is missing, which cannot be printed: add `| default(value=\"\")`, or test it with `if`)"),
        "{err}"
    );
}

/// A component no template defines: the one meant, or the built-in one
/// the site's own components.html left out.
#[test]
fn an_unknown_component_says_what_was_meant() {
    let site = good_site();
    site.write(
        "templates/section.html",
        "{% extends \"base.html\" %}{% block main %}{{<bylin authors={[]}/>}}{% endblock main %}",
    );
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("Unknown component `bylin` (did you mean `byline`?)"),
        "{err}"
    );
    // So does a block a slip away from one the template extends has.
    site.write(
        "templates/section.html",
        "{% extends \"base.html\" %}{% block mian %}x{% endblock mian %}",
    );
    let err = stderr(&site.run(&["build"]));
    assert!(err.contains("(did you mean `main`?)"), "{err}");
    let site = good_site();
    site.write(
        "templates/components.html",
        "{% component byline(authors, @site) %}{{ site.words.by }}{% endcomponent byline %}",
    );
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("Unknown component `pager` (the built-in components.html defines `pager`, and a components.html of the site's own takes its place whole: define `pager` in it too)"),
        "{err}"
    );
}

/// A component sees only its own parameters: one that reads `site`
/// without taking it says how to.
#[test]
fn a_component_without_the_site_says_how_to_take_it() {
    let site = good_site();
    site.write(
        "templates/partials/stamp.html",
        "{% component stamp(label) %}<b>{{ label }} {{ site.title }}</b>{% endcomponent stamp %}",
    );
    site.write(
        "templates/section.html",
        "{% extends \"base.html\" %}{% block main %}{{<stamp label={\"Now\"}/>}}{% endblock main %}",
    );
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("(a component sees only its own parameters: list `@site` among them to take the page's `site`, as `{% component name(x, @site) %}`)"),
        "{err}"
    );
}

/// A `base.html` of the site's own without a block that the built-in
/// templates fill: said once at it, not at every built-in template.
#[test]
fn a_block_the_built_in_templates_fill_is_missed_at_the_sites_template() {
    let err = with_template(
        "base.html",
        "<!DOCTYPE html>\n<html lang=\"en\"><head><title>{% block title %}{% endblock title %}</title></head>\n<body>{% block body %}{% endblock body %}</body></html>\n",
    );
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert!(!errors.is_empty(), "{err}");
    assert!(
        errors
            .iter()
            .all(|l| l.starts_with("error: templates/base.html: defines no `{% block ")),
        "{err}"
    );
    assert!(
        errors.iter().any(|l| l.contains("defines no `{% block main %}`, which the built-in 404.html, article.html, index.html, page.html, section.html, taxonomy_list.html, taxonomy_term.html fill as they extend it: add `{% block main %}{% endblock main %}` where that content goes")),
        "{err}"
    );
}

#[test]
fn a_missing_parent_template_is_named_where_it_is_extended() {
    let err = with_template(
        "article.html",
        "{# The story page, on 'base2.html' #}\n{% extends 'base2.html' %}\n",
    );
    assert!(
        err.contains("error: templates/article.html:2:12: extends \"base2.html\", which is neither a built-in template nor a file in templates/"),
        "{err}"
    );
}

#[test]
fn templates_in_a_circle_are_named_at_the_tag_that_closes_it() {
    let site = good_site();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{% include \"a.html\" %}{% endblock main %}",
    );
    site.write("templates/a.html", "A\n{% include \"b.html\" %}");
    site.write("templates/b.html", "B\n\n{%- include 'a.html' -%}");
    let err = stderr(&site.run(&["build"]));
    assert_eq!(
        error_lines(&err),
        ["error: templates/b.html:3:13: includes \"a.html\", which goes round in a circle: a.html → b.html → a.html; a template cannot include itself, directly or through others"],
        "{err}"
    );
    for rel in ["templates/a.html", "templates/b.html"] {
        std::fs::remove_file(site.root().join(rel)).unwrap();
    }
    site.write("templates/page.html", "{% extends \"base.html\" %}");
    site.write("templates/base.html", "\n{% extends \"page.html\" %}");
    let err = stderr(&site.run(&["build"]));
    assert_eq!(
        error_lines(&err),
        ["error: templates/page.html:1:12: extends \"base.html\", which goes round in a circle: base.html → page.html → base.html; a template cannot extend itself, directly or through others"],
        "{err}"
    );
}

#[test]
fn a_template_named_wrong_is_said_with_the_name_meant() {
    let site = good_site();
    site.write("templates/partials/box.html", "<p>Box</p>");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}\n{% include \"Partials/Box.html\" %}{% endblock main %}",
    );
    let err = stderr(&site.run(&["build"]));
    assert_eq!(
        error_lines(&err),
        ["error: templates/page.html:2:12: includes \"Partials/Box.html\", which is neither a built-in template nor a file in templates/; did you mean \"partials/box.html\"? (names are matched exactly, case too)"],
        "{err}"
    );
}

/// A template no page is made with is most often a name mistyped, which
/// leaves the built-in one in use: a warning, and one for files that are
/// no templates at all.
#[test]
fn templates_no_page_uses_are_warned_of() {
    let site = good_site();
    site.write("templates/Article.html", "{% extends \"base.html\" %}");
    site.write("templates/landing.html", "<p>Landing</p>");
    site.write("templates/partials/box.html", "<p>Box</p>");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{% include \"partials/box.html\" %}{% endblock main %}",
    );
    site.write("templates/house.css", "body { color: red }");
    site.write_bytes("templates/logo.png", b"\x89PNG\r\n");
    site.write("templates/box.HTML", "<p>Box</p>");
    // Notes on the theme are no mistake.
    site.write("templates/README.md", "Our theme.");
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    let not_a_template = "is not used: only `.html` and `.xml` files are templates (and \
                          `style.css` the stylesheet); a file to publish as it is, a picture or \
                          a script, belongs in static/";
    assert_eq!(
        warnings,
        [
            "warning: templates/Article.html: is not used: no built-in template has its name, and no template used extends or includes it; to replace the built-in `article.html`, name it templates/article.html (names are matched exactly, case too)".to_string(),
            "warning: templates/box.HTML: is not used: only `.html` and `.xml` files (in lower case) are templates (and `style.css` the stylesheet); a file to publish as it is, a picture or a script, belongs in static/".to_string(),
            format!("warning: templates/house.css: {not_a_template}"),
            "warning: templates/landing.html: is not used: no built-in template has its name, and no template used extends or includes it".to_string(),
            format!("warning: templates/logo.png: {not_a_template}"),
        ],
        "{err}"
    );
    // The built-in article template is the one in use.
    assert!(site.read("news/ok/index.html").contains("<article"));
    assert!(!site.exists("house.css") && !site.exists("logo.png"));
    let strict = site.run(&["build", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
}

#[test]
fn a_missing_template_is_listed_with_the_others_syntax_errors() {
    let site = good_site();
    // Tera looks for templates not there only once every template parses.
    site.write("templates/other.html", "{% if x %}");
    // One that is there but unreadable is said once, as unreadable.
    site.write_bytes("templates/box.html", b"caf\xe9");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}\n{% include \"box.html\" %}{% include \"mising.html\" %}{% endblock main %}",
    );
    let err = stderr(&site.run(&["build"]));
    assert_eq!(
        error_lines(&err),
        [
            "error: templates/box.html:1:4: byte 0xE9 is not UTF-8 text; save the file as UTF-8",
            "error: templates/other.html:1:11: could not parse the template: Unexpected end of input (the `{% if %}` opened at 1:1 is never closed: add `{% endif %}`)",
            "error: templates/page.html:2:36: includes \"mising.html\", which is neither a built-in template nor a file in templates/; check the name",
        ],
        "{err}"
    );
}

/// `fill` with a name mistyped left `{minutes}` on the page; a list was
/// printed as one. Both are errors at the tag.
#[test]
fn fill_with_a_name_mistyped_or_a_list_is_an_error() {
    for (call, said) in [
        (
            "fill(minuts=3)",
            "`fill`: the words \"{minutes} min read\" have {minutes}, which is not given (given: `minuts`); write `fill(minutes=...)`",
        ),
        (
            "fill(minutes=site.nav)",
            "`fill`: `minutes` must be a string or a number, and is of type array",
        ),
    ] {
        let err = with_template(
            "article.html",
            &format!("{{% extends \"base.html\" %}}{{% block main %}}\n<p>{{{{ site.words.min_read | {call} }}}}</p>{{% endblock main %}}"),
        );
        assert_eq!(
            error_lines(&err),
            [format!("error: templates/article.html:2:29: could not render `{{{{ site.words.min_read | {call} }}}}`: {said} (making /news/ok/ from content/news/ok.md)")],
            "{err}"
        );
    }
}

#[test]
fn a_template_error_names_the_page_and_the_story_it_stopped_on() {
    let site = good_site();
    site.article(
        "news/hero.md",
        "title = \"Hero\"\ndate = 2026-05-02\n[extra.hero]\nimage = \"/h.jpg\"",
        "Text.\n",
    );
    site.article(
        "news/plain-a.md",
        "title = \"A\"\ndate = 2026-05-03",
        "Text.\n",
    );
    site.article(
        "news/plain-b.md",
        "title = \"B\"\ndate = 2026-05-04",
        "Text.\n",
    );
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block main %}{{ article.extra.hero.image }}{% endblock main %}",
    );
    let err = stderr(&site.run(&["build"]));
    // Three stories have no `hero`; the first of them in the site's order
    // (newest first) is named, and the others counted, in one error.
    assert_eq!(
        err.matches("error: templates/article.html").count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("(making /news/plain-b/ from content/news/plain-b.md, and 2 more pages)"),
        "{err}"
    );
}

#[test]
fn an_error_in_a_template_made_once_per_story_is_reported_once() {
    // Both stories have a card; each is in four feeds (the site's, its
    // section's, its tag's and its author's).
    for (template, text, missing, what) in [
        (
            "card.html",
            "<p>{{ card.nope }}</p>",
            "card.nope",
            "the card",
        ),
        (
            "rss_item.xml",
            "<item>{{ item.nope }}</item>",
            "item.nope",
            "the RSS item",
        ),
        (
            "atom_entry.xml",
            "<entry>{{ item.nope }}</entry>",
            "item.nope",
            "the Atom entry",
        ),
    ] {
        let site = good_site();
        site.article(
            "news/second.md",
            "title = \"Second\"\ndate = 2026-05-02\ntags = [\"Port\"]\nauthors = [\"Ana\"]",
            "Also fine.\n",
        );
        site.write(&format!("templates/{template}"), text);
        let out = site.run(&["build"]);
        assert!(!out.status.success());
        let err = stderr(&out);
        let error = format!("error: templates/{template}:1:");
        assert_eq!(err.matches(&error).count(), 1, "{err}");
        assert!(err.contains(missing), "{err}");
        // The newest story is named, whichever thread met the error first.
        let making = format!(
            "(making {what} of /news/second/ from content/news/second.md, and 1 more story)"
        );
        assert!(err.contains(&making), "{err}");
        assert!(!site.root().join("public").exists(), "{template}");
    }
}

#[test]
fn template_syntax_error_has_a_line() {
    let site = good_site();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title \n{% endblock main %}",
    );
    let err = stderr(&site.run(&["build"]));
    assert!(err.contains("error: templates/page.html:"), "{err}");
    assert!(
        err.contains("error: templates/page.html:4:1: could not parse the template: "),
        "{err}"
    );
}

#[test]
fn every_template_that_cannot_be_parsed_is_named_in_one_build() {
    let site = good_site();
    // `base.html` broken: the templates that extend it are not blamed.
    site.write("templates/base.html", "<main>{% block main %}\n");
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{{ x");
    site.write("templates/section.html", "{% if x %}\n");
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\nText.\n");
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("error: "))
        .map(|l| l.split(": could not").next().unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            "error: templates/base.html:2:1",
            "error: templates/page.html:2:5",
            "error: templates/section.html:2:1",
        ],
        "{err}"
    );
    assert!(err.contains("build failed: 3 errors"), "{err}");
}

#[test]
fn two_articles_with_one_url_are_an_error_naming_both() {
    let site = good_site();
    site.article(
        "news/2025/ok.md",
        "title = \"Also fine\"\ndate = 2025-05-01",
        "Text.\n",
    );
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("writes the page /news/ok/, which content/news/"),
        "{err}"
    );
    assert!(
        err.contains("content/news/2025/ok.md") && err.contains("content/news/ok.md"),
        "{err}"
    );
}

#[test]
fn output_folder_inside_content_is_refused() {
    let site = good_site();
    let out = site.run(&["build", "--output", "content/out"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("error: --output: "), "{err}");
    assert!(
        err.contains("content/out: refusing to use this as the output folder"),
        "{err}"
    );
    assert!(!site.root().join("content/out").exists());
    // From site.toml: said at its `output_dir`.
    let mut config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let line = config.lines().count() + 1;
    config.push_str("output_dir = \"content\"\n");
    site.write("site.toml", &config);
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.starts_with(&format!("error: site.toml:{line}:14: ")),
        "{err}"
    );
    assert!(
        err.contains("refusing to use this as the output folder"),
        "{err}"
    );
    let refused = format!("error: site.toml:{line}:14: ");
    // Said together with site.toml's other errors, in line order...
    config.push_str("language = \"english!\"\n");
    site.write("site.toml", &config);
    let err = stderr(&site.run(&["build"]));
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 2, "{err}");
    assert!(errors[0].starts_with(&refused), "{err}");
    assert!(
        errors[1].starts_with(&format!("error: site.toml:{}:12: `language`", line + 1)),
        "{err}"
    );
    // A bad --base-url too.
    let err = stderr(&site.run(&["build", "--base-url", "nope"]));
    assert!(
        err.contains("error: --base-url: `base_url` must be"),
        "{err}"
    );
    assert!(err.contains("build failed: 3 errors"), "{err}");
    // ... and with the content's.
    config = config.replace("language = \"english!\"\n", "");
    site.write("site.toml", &config);
    site.write(
        "content/news/bad.md",
        "+++\ntitle = 5\ndate = 2026-05-02\n+++\n",
    );
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("error: content/news/bad.md:2:9: `title`"),
        "{err}"
    );
    assert!(err.contains(&refused), "{err}");
    assert!(err.contains("build failed: 2 errors"), "{err}");
    let err = stderr(&site.run(&["build", "--output", "content/out"]));
    assert!(err.contains("error: --output: "), "{err}");
    assert!(err.contains("build failed: 2 errors"), "{err}");
    assert!(!site.root().join("content/out").exists());
}
