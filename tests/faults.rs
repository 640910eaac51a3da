//! Bad input and faults: every kind ends in exit code 1, a message naming
//! the file (and line and column where there is one) and what was expected,
//! and the previous output left byte for byte as it was. A build stopped
//! with Ctrl-C ends in exit code 130 and leaves the same.

mod common;

use common::{make_old, snapshot, Site};

/// A site that builds, built once, so there is an output to protect.
fn built_site() -> Site {
    let site = Site::new();
    site.article(
        "news/ok.md",
        "title = \"Fine\"\ndate = 2026-05-01\ntags = [\"port\"]",
        "Fine.\n",
    );
    site.write(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\nAbout us.\n",
    );
    site.build();
    site
}

/// Write `files` into a built site, build again, and check the failure.
fn assert_fails(case: &str, files: &[(&str, &[u8])], expected: &[&str]) {
    let site = built_site();
    let before = snapshot(&site.out(""));
    for (rel, bytes) in files {
        site.write_bytes(rel, bytes);
    }
    let out = site.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{case}: {err}");
    for e in expected {
        assert!(err.contains(e), "{case}: expected {e:?} in:\n{err}");
    }
    assert!(err.contains("build failed: "), "{case}: {err}");
    assert!(
        err.ends_with("\nthe previous output was left as it was\n"),
        "{case}: {err}"
    );
    assert!(!err.contains("panicked"), "{case}: {err}");
    assert_eq!(
        before,
        snapshot(&site.out("")),
        "{case}: the previous output changed"
    );
}

#[test]
fn a_first_build_that_fails_says_it_wrote_nothing() {
    let site = Site::new();
    site.article("news/bad.md", "title = 5\ndate = 2026-05-01", "Text.\n");
    let out = site.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.ends_with("build failed: 1 error\nno output was written\n"),
        "{err}"
    );
    // Settings that do not read, so the output folder is found alone.
    site.write(
        "site.toml",
        "title = 5\nbase_url = \"https://x.example/\"\n",
    );
    let out = site.run(&["build", "--output", "elsewhere"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.ends_with("build failed: 1 error\nno output was written\n"),
        "{err}"
    );
    assert!(!site.root().join("public").exists());
    assert!(!site.root().join("elsewhere").exists());
}

#[test]
fn bad_front_matter_of_every_kind() {
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "toml syntax",
            b"+++\ntitle = \"x\ndate = 2026-05-01\n+++\n",
            "content/news/bad.md:2:",
        ),
        (
            "unknown key",
            b"+++\ntitle = \"x\"\ndate = 2026-05-01\nsumary = \"y\"\n+++\n",
            "content/news/bad.md:4:1: unknown field `sumary`, expected one of",
        ),
        (
            "missing title",
            b"+++\ndate = 2026-05-01\n+++\n",
            "content/news/bad.md:1:1: missing field `title`",
        ),
        (
            "missing date",
            b"+++\ntitle = \"x\"\n+++\n",
            "content/news/bad.md:1:1: missing field `date`",
        ),
        (
            "wrong type",
            b"+++\ntitle = [\"a\", \"b\"]\ndate = 2026-05-01\n+++\n",
            "content/news/bad.md:2:9: `title`: invalid type: list, expected a string",
        ),
        (
            "tags not a list",
            b"+++\ntitle = \"x\"\ndate = 2026-05-01\ntags = \"Port\"\n+++\n",
            "content/news/bad.md:4:8: `tags`: invalid type: string \"Port\", expected a list, like [\"a\", \"b\"]",
        ),
        (
            "a correction without a date",
            b"+++\ntitle = \"x\"\ndate = 2026-05-01\n\n[[corrections]]\ntext = \"Fixed.\"\n+++\n",
            "content/news/bad.md:5:1: missing field `date` in [[corrections]]",
        ),
        (
            "not a date",
            b"+++\ntitle = \"x\"\ndate = \"next monday\"\n+++\n",
            "content/news/bad.md:3:8: `date` must be a date like 2026-04-27",
        ),
        (
            "impossible date",
            b"+++\ntitle = \"x\"\ndate = 2026-02-30\n+++\n",
            "content/news/bad.md:3:",
        ),
        (
            "never closes",
            b"+++\ntitle = \"x\"\ndate = 2026-05-01\n",
            "content/news/bad.md:1:1: the front matter opened here is never closed",
        ),
        ("empty file", b"", "content/news/bad.md: the file is empty"),
        (
            "not utf-8",
            b"+++\ntitle = \"Caf\xe9\"\n+++\n",
            "content/news/bad.md:2:13: byte 0xE9 is not UTF-8 text; save the file as UTF-8",
        ),
        (
            "binary junk",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            "content/news/bad.md:1:1: byte 0x89 is not UTF-8 text",
        ),
        (
            "nul-filled text",
            b"\x00\x00\x00\x00",
            "content/news/bad.md:1:1: expected TOML front matter",
        ),
        (
            "no front matter",
            b"# A heading\n\nText.\n",
            "content/news/bad.md:1:1: expected TOML front matter",
        ),
        (
            "bad slug",
            b"+++\ntitle = \"x\"\ndate = 2026-05-01\nslug = \"Not A Slug\"\n+++\n",
            "content/news/bad.md:4:8: `slug` must be lowercase ASCII words",
        ),
        (
            "empty slug",
            b"+++\ntitle = \"x\"\ndate = 2026-05-01\nslug = \" \"\n+++\n",
            "content/news/bad.md:4:8: `slug` is empty: leave it out for the file's own, \"bad\"",
        ),
        (
            "slug of no letters",
            b"+++\ntitle = \"x\"\ndate = 2026-05-01\nslug = \"/\"\n+++\n",
            "content/news/bad.md:4:8: `slug` must be lowercase ASCII words joined by `-`, like \"bad\", found \"/\"",
        ),
        (
            "slug in another script",
            "+++\ntitle = \"x\"\ndate = 2026-05-01\nslug = \"غاز\"\n+++\n".as_bytes(),
            "content/news/bad.md:4:8: `slug` must be lowercase ASCII words joined by `-`, like \"gz\", found \"غاز\" (`slugs = \"unicode\"` in site.toml keeps the letters of every script)",
        ),
        (
            "bad alias",
            b"+++\ntitle = \"x\"\ndate = 2026-05-01\naliases = [\"old/url\"]\n+++\n",
            "content/news/bad.md:4:12: an alias must be a site path",
        ),
    ];
    for (case, bytes, expected) in cases {
        assert_fails(case, &[("content/news/bad.md", bytes)], &[expected]);
    }
}

#[test]
fn bad_site_toml_of_every_kind() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "toml syntax",
            "title = \"T\nbase_url = \"https://x.example/\"\n",
            "site.toml:1:",
        ),
        (
            "unknown key",
            "title = \"T\"\nbase_url = \"https://x.example/\"\npaginate = 5\n",
            "site.toml:3:1: unknown field `paginate`",
        ),
        (
            "missing title",
            "base_url = \"https://x.example/\"\n",
            "site.toml: missing field `title`",
        ),
        (
            "wrong type",
            "title = \"T\"\nbase_url = \"https://x.example/\"\npaginate_by = \"ten\"\n",
            "site.toml:3:15: `paginate_by`: invalid type: string \"ten\"",
        ),
        (
            "bad url",
            "title = \"T\"\nbase_url = \"example.com\"\n",
            "site.toml:2:12: `base_url` must be an absolute http(s) URL",
        ),
        (
            "bad zone",
            "title = \"T\"\nbase_url = \"https://x.example/\"\ntimezone = \"Europe/Atlantis\"\n",
            "site.toml:3:12: `timezone` must be an IANA time zone name",
        ),
        (
            "zero pages",
            "title = \"T\"\nbase_url = \"https://x.example/\"\npaginate_by = 0\n",
            "site.toml:3:15: `paginate_by`: invalid value: integer `0`, expected a whole number, 1 or more",
        ),
        (
            // The message for a fraction names the same bound as the one for 0.
            "fractional pages",
            "title = \"T\"\nbase_url = \"https://x.example/\"\npaginate_by = 1.5\n",
            "site.toml:3:15: `paginate_by`: invalid type: floating point `1.5`, expected a whole number, 1 or more",
        ),
    ];
    for (case, text, expected) in cases {
        assert_fails(case, &[("site.toml", text.as_bytes())], &[expected]);
    }
}

#[test]
fn content_and_template_errors() {
    assert_fails(
        "two sources for one url",
        &[(
            "content/news/2026/ok.md",
            b"+++\ntitle = \"Again\"\ndate = 2026-05-02\n+++\n",
        )],
        &[
            "writes the page /news/ok/, which content/news/",
            "content/news/2026/ok.md",
            "content/news/ok.md",
        ],
    );
    assert_fails(
        "missing link target",
        &[(
            "content/news/l.md",
            b"+++\ntitle = \"L\"\ndate = 2026-05-02\n+++\n\nSee [x](@/news/gone.md).\n",
        )],
        &["content/news/l.md:6:5: the link `@/news/gone.md` names no article or page"],
    );
    assert_fails(
        "missing pin",
        &[(
            "content/news/p.md",
            b"+++\ntitle = \"P\"\ndate = 2026-05-02\nrelated = [\"news/gone.md\"]\n+++\n",
        )],
        &["content/news/p.md:4:12: `related` names \"news/gone.md\", which is no article"],
    );
    assert_fails(
        "template syntax",
        &[(
            "templates/page.html",
            b"{% extends \"base.html\" %}\n{% block main %}{% if %}{% endblock main %}\n",
        )],
        &["error: templates/page.html:2:"],
    );
    // A template that is not text does not hide another's syntax error.
    assert_fails(
        "template not text, and another's syntax",
        &[
            ("templates/404.html", b"bad \xff byte\n"),
            (
                "templates/page.html",
                b"{% extends \"base.html\" %}\n{% block main %}{{ x }{% endblock main %}\n",
            ),
        ],
        &[
            "error: templates/404.html:1:5: ",
            "error: templates/page.html:2:",
            "build failed: 2 errors",
        ],
    );
    assert_fails(
        "unknown variable",
        &[(
            "templates/page.html",
            b"{% extends \"base.html\" %}{% block main %}{{ page.nope }}{% endblock main %}",
        )],
        &["error: templates/page.html:1:50: could not render `{{ page.nope }}`"],
    );
    assert_fails(
        "failing filter",
        &[("templates/page.html", b"{% extends \"base.html\" %}{% block main %}{{ page.title | round }}{% endblock main %}")],
        &["error: templates/page.html:1:45: could not render `{{ page.title | round }}`"],
    );
}

/// A file where the site keeps a folder is not taken for an empty folder:
/// the site's templates or static files would silently go missing.
#[test]
fn a_file_where_a_folder_belongs_is_an_error() {
    let site = built_site();
    let before = snapshot(&site.out(""));
    let _ = std::fs::remove_dir_all(site.root().join("static"));
    let _ = std::fs::remove_dir_all(site.root().join("templates"));
    site.write("static", "favicon");
    site.write("templates", "theme");
    let err = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    assert!(err.contains("error: static: is a file, not a folder; the files copied as they are go in the folder static/"), "{err}");
    assert!(err.contains("error: templates: is a file, not a folder; a site's own templates go in the folder templates/"), "{err}");
    assert!(err.contains("build failed: 2 errors"), "{err}");
    assert_eq!(before, snapshot(&site.out("")));
    std::fs::remove_dir_all(site.root().join("content")).unwrap();
    site.write("content", "stories");
    let err = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    assert!(
        err.contains(
            "error: content: is a file, not a folder; articles and pages go in the folder content/"
        ),
        "{err}"
    );
    assert_eq!(before, snapshot(&site.out("")));
}

#[test]
fn nothing_can_be_written_outside_the_output_or_over_a_generated_file() {
    assert_fails(
        "photo outside the profile folder",
        &[(
            "content/_authors/x.md",
            b"+++\nname = \"X\"\nphoto = \"../../site.toml\"\n+++\n",
        )],
        &["content/_authors/x.md:3:9: `photo` must be a file beside the profile"],
    );
    assert_fails(
        "permalink climbing out",
        &[(
            "site.toml",
            format!("{}permalink = \"/../{{slug}}/\"\n", common::SITE_TOML).as_bytes(),
        )],
        &["site.toml:5:13: `permalink` parts are folder names of letters"],
    );
    for taken in [
        "/rss.xml",
        "/index.html",
        "/news/feed.json",
        "/robots.txt",
        "/tags/port/",
    ] {
        let fm = format!("+++\ntitle = \"A\"\ndate = 2026-05-02\naliases = [\"{taken}\"]\n+++\n");
        assert_fails(
            taken,
            &[("content/news/a.md", fm.as_bytes())],
            &[&format!(
                "content/news/a.md:4:12: an alias would be written at {taken}"
            )],
        );
    }
    // A path that needs a file of dateline's as its folder, or a file where
    // a page needs its folder: said before anything is written.
    assert_fails(
        "a file in the way of a folder",
        &[
            (
                "content/news/a.md",
                b"+++\ntitle = \"A\"\ndate = 2026-05-02\naliases = [\"/_redirects\", \"/feed.json/\", \"/x.html/y/\", \"/x.html\"]\n+++\n",
            ),
            ("static/sitemap.xml/a.txt", b"a"),
            ("static/news", b"a file named as the section"),
            ("static/tags", b"a file named as the tags' folder"),
        ],
        &[
            "error: content/news/a.md:4:12: an alias would be written at /_redirects/, inside /_redirects, which dateline's own file writes as a file",
            "error: content/news/a.md:4:27: an alias would be written at /feed.json/, inside /feed.json, which a feed of the site writes as a file",
            "error: content/news/a.md:4:56: an alias would be written at /x.html, where an alias of content/news/a.md needs a folder (for /x.html/y/)",
            "error: static/news: would be copied to /news, where the page of the section \"news\" needs a folder (for /news/)",
            "error: static/sitemap.xml/a.txt: would be copied to /sitemap.xml/a.txt, inside /sitemap.xml, which dateline's own file writes as a file",
            "error: static/tags: would be copied to /tags, where the tags index needs a folder (for /tags/)",
            "build failed: 6 errors",
        ],
    );
    assert_fails(
        "a sitemap part's name",
        &[(
            "content/news/a.md",
            b"+++\ntitle = \"A\"\ndate = 2026-05-02\naliases = [\"/sitemap-2.xml\"]\n+++\n",
        )],
        &["content/news/a.md:4:12: would write /sitemap-2.xml, a name dateline keeps for the parts of a sitemap"],
    );
    assert_fails(
        "an image that is not there",
        &[
            (
                "content/news/bundle/index.md",
                b"+++\ntitle = \"Bundle\"\ndate = 2026-05-02\nimage = \"missing.jpg\"\nimage_alt = \"x\"\n+++\nText.\n",
            ),
            ("content/news/bundle/there.jpg", b"jpg"),
            (
                "content/news/plain.md",
                b"+++\ntitle = \"Plain\"\ndate = 2026-05-02\nimage = \"there.jpg\"\n+++\nText.\n",
            ),
        ],
        &[
            "content/news/bundle/index.md:4:9: `image` names \"missing.jpg\", but the bundle has no file content/news/bundle/missing.jpg; give a file beside index.md",
            "content/news/plain.md:4:9: `image` \"there.jpg\" is not a site path or a URL",
        ],
    );
    assert_fails(
        "a picture's name a slip away",
        &[
            (
                "content/news/bundle/index.md",
                b"+++\ntitle = \"Bundle\"\ndate = 2026-05-02\nimage = \"There.JPG\"\nimage_alt = \"x\"\n+++\nText.\n",
            ),
            ("content/news/bundle/there.jpg", b"jpg"),
            (
                "content/_authors/ana.md",
                b"+++\nname = \"Ana\"\nphoto = \"ana.jpeg\"\n+++\n",
            ),
            ("content/_authors/ana.jpg", b"jpg"),
        ],
        &[
            "content/news/bundle/index.md:4:9: `image` names \"There.JPG\", but the bundle has no file content/news/bundle/There.JPG (did you mean \"there.jpg\"? names are matched exactly, case too); give a file",
            "content/_authors/ana.md:3:9: `photo` names \"ana.jpeg\", but there is no file content/_authors/ana.jpeg (did you mean \"ana.jpg\"? names are matched exactly, case too); give a file",
        ],
    );
    assert_fails(
        "static files over pages",
        &[
            ("static/index.html", b"<p>hi</p>"),
            ("static/news/feed.json", b"{}"),
            ("static/sitemap-1.xml", b"<urlset/>"),
        ],
        &[
            "static/index.html: would replace /index.html, which the front page writes; rename or remove this file (of dateline's files, only /robots.txt and /_redirects may be replaced from `static/`)",
            "static/news/feed.json: would replace /news/feed.json, which a feed of the section \"news\" writes",
            "static/sitemap-1.xml: would replace /sitemap-1.xml, which the sitemap of a site too large for one file writes",
        ],
    );
    assert_fails(
        "a bundle's own index.html",
        &[
            (
                "content/news/bundle/index.md",
                b"+++\ntitle = \"Bundle\"\ndate = 2026-05-02\n+++\nText.\n",
            ),
            ("content/news/bundle/index.html", b"<p>exported</p>"),
        ],
        &[
            "content/news/bundle/index.html: the copy would be written at /news/bundle/index.html, where content/news/bundle/index.md also writes",
        ],
    );
}

#[test]
fn one_broken_article_does_not_hide_the_others() {
    assert_fails(
        "three broken files",
        &[
            (
                "content/news/a.md",
                b"+++\ntitle = 1\ndate = 2026-05-01\n+++\n",
            ),
            ("content/news/b.md", b"+++\ntitle = \"B\"\n+++\n"),
            (
                "content/news/c.md",
                b"+++\ntitle = \"C\"\ndate = 2026-05-01\n+++\n\n[x](@/nope.md)\n",
            ),
        ],
        &[
            "content/news/a.md:2:9",
            "content/news/b.md:1:1",
            "content/news/c.md:6:1",
            "build failed: 3 errors",
        ],
    );
}

#[test]
fn warnings_fail_the_build_only_with_strict() {
    let site = built_site();
    site.article(
        "news/pic.md",
        "title = \"Pic\"\ndate = 2026-05-02\nimage = \"/img/p.jpg\"",
        "Text.\n",
    );
    let out = site.run(&["build"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: content/news/pic.md:4:9: `image` has no `image_alt`"),
        "{err}"
    );
    let before = snapshot(&site.out(""));
    site.article(
        "news/pic2.md",
        "title = \"Pic 2\"\ndate = 2026-05-03\nimage = \"/img/q.jpg\"",
        "Text.\n",
    );
    let out = site.run(&["build", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: content/news/pic2.md:4:9: `image` has no `image_alt`"),
        "{err}"
    );
    assert!(err.contains("--strict"), "{err}");
    assert_eq!(before, snapshot(&site.out("")));
}

#[test]
fn dangerous_output_folders_are_refused_and_nothing_is_touched() {
    let site = built_site();
    site.write("static/logo.svg", "<svg/>");
    site.write("templates/page.html", "{% extends \"base.html\" %}");
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("notes.txt"), "mine").unwrap();
    let everything = |site: &Site| (snapshot(site.root()), snapshot(home.path()));
    let before = everything(&site);
    let home_dir = home.path().to_string_lossy().into_owned();
    // A folder of someone's files that no build wrote, with a folder
    // beside it named as a staging folder would be: a refused output's
    // neighbours are not swept either.
    let outer = tempfile::tempdir().unwrap();
    let theirs = outer.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("google1234.html"), "verification").unwrap();
    let beside = outer.path().join(".theirs.dateline-build-Abc123");
    std::fs::create_dir(&beside).unwrap();
    std::fs::write(beside.join("keep.txt"), "mine").unwrap();
    make_old(&beside);
    let theirs_dir = theirs.to_string_lossy().into_owned();
    let untouched = snapshot(outer.path());
    for output in [
        ".",
        "..",
        "/",
        "content",
        "content/news/out",
        "static",
        "templates/out",
        home_dir.as_str(),
        theirs_dir.as_str(),
    ] {
        let out = common::dateline_bin()
            .args(["build", "--output", output])
            .current_dir(site.root())
            .env("HOME", home.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{output}: {err}");
        assert!(
            err.contains("refusing to use this as the output folder"),
            "{output}: {err}"
        );
        assert_eq!(before, everything(&site), "{output}: something was touched");
    }
    assert_eq!(untouched, snapshot(outer.path()));
}

/// An output path that is not a folder is refused before anything is
/// rendered, and leaves no record behind: a record beside a path lets a
/// later build replace the folder made there.
#[cfg(unix)]
#[test]
fn an_output_path_that_is_no_folder_is_refused_and_leaves_no_record() {
    let site = built_site();
    let outer = tempfile::tempdir().unwrap();
    // A build into `output` that fails: what it said.
    let failed = |output: &std::path::Path| {
        let out = site.run(&["build", "--output", &output.to_string_lossy()]);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{err}");
        err
    };
    let file = outer.path().join("mydocs");
    std::fs::write(&file, "x").unwrap();
    let dangling = outer.path().join("gone");
    std::os::unix::fs::symlink(outer.path().join("nowhere"), &dangling).unwrap();
    let before = snapshot(outer.path());
    for (output, why) in [
        (&file, "it exists and is not a folder"),
        (&dangling, "it is a symbolic link to"),
    ] {
        let err = failed(output);
        assert!(
            err.contains("refusing to use this as the output folder"),
            "{err}"
        );
        assert!(err.contains(why), "{err}");
        assert!(!err.contains("built"), "{err}");
        assert_eq!(before, snapshot(outer.path()));
    }
    // The file becomes a folder of someone's files: still refused.
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    std::fs::write(file.join("thesis.txt"), "my thesis").unwrap();
    failed(&file);
    assert_eq!(
        std::fs::read_to_string(file.join("thesis.txt")).unwrap(),
        "my thesis"
    );
    // A file of another kind under a record's name shows nothing.
    std::fs::write(outer.path().join(".mydocs.dateline-state"), [7u8; 300]).unwrap();
    let err = failed(&file);
    assert!(
        err.contains("the .mydocs.dateline-state beside it is not a build record"),
        "{err}"
    );
    // Such a file beside a path with nothing at it is left as it is, and
    // the build does not put its output there.
    let fresh = outer.path().join("fresh");
    let theirs = outer.path().join(".fresh.dateline-state");
    std::fs::write(&theirs, "notes").unwrap();
    let err = failed(&fresh);
    assert!(
        err.contains(".fresh.dateline-state: is not a build record"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "notes");
    assert!(!fresh.exists());
    assert_eq!(
        std::fs::read_to_string(file.join("thesis.txt")).unwrap(),
        "my thesis"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_errors_and_links_outside_are_not_followed() {
    let site = built_site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"Secret\"\ndate = 2026-05-01\n+++\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/news/elsewhere")).unwrap();
    let out = site.run(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "warning: content/news/elsewhere: is a symbolic link to a place outside the site"
    ));
    assert!(!site.exists("news/secret/index.html"));

    let before = snapshot(&site.out(""));
    std::os::unix::fs::symlink(
        site.root().join("content"),
        site.root().join("content/news/loop"),
    )
    .unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("error: content/news/loop: is a symbolic link loop"));
    assert_eq!(before, snapshot(&site.out("")));
    std::fs::remove_file(site.root().join("content/news/loop")).unwrap();

    // Links to links that lead back, and a link to nothing.
    let news = site.root().join("content/news");
    std::os::unix::fs::symlink("b.md", news.join("a.md")).unwrap();
    std::os::unix::fs::symlink("a.md", news.join("b.md")).unwrap();
    std::os::unix::fs::symlink("gone.md", news.join("dangling.md")).unwrap();
    let out = site.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    for name in ["a.md", "b.md"] {
        assert!(
            err.contains(&format!("error: content/news/{name}: is a symbolic link in a loop of links that lead to one another; remove the link")),
            "{err}"
        );
    }
    assert!(
        err.contains("error: content/news/dangling.md: is a symbolic link to gone.md, which does not exist; remove the link or restore its target"),
        "{err}"
    );
    assert_eq!(before, snapshot(&site.out("")));
}

#[test]
fn raw_html_passes_through_unless_sanitize_is_on() {
    let body = "Intro.\n\n<iframe src=\"https://video.example/1\"></iframe>\n\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(2)\" onclick=\"x()\">link</a>\n";
    let site = Site::new();
    site.article(
        "news/embed.md",
        "title = \"Embed\"\ndate = 2026-05-01",
        body,
    );
    site.build();
    let html = site.read("news/embed/index.html");
    assert!(
        html.contains("<script>alert(1)</script>") && html.contains("<iframe"),
        "raw HTML is kept by default"
    );

    site.write(
        "site.toml",
        &format!("{}[markdown]\nsanitize = true\n", common::SITE_TOML),
    );
    site.build();
    let page = site.page("news/embed/index.html");
    let body = page.all(".article-body")[0].html();
    assert!(
        !body.contains("<script") && !body.contains("javascript:") && !body.contains("onclick"),
        "{body}"
    );
    assert_eq!(page.texts(".article-body a"), vec!["link"]);
}

/// The staging folders beside a site's output (`.public.dateline-build-XXXXXX`).
#[cfg(unix)]
fn staging_folders(site: &Site) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(".public.dateline-")
        })
        .collect()
}

/// A built site given 1,500 more articles: rendering them in a debug
/// build takes seconds, time enough to send a signal mid-render.
#[cfg(unix)]
fn grown_site() -> Site {
    let site = built_site();
    let body = "A paragraph of the story, long enough to take a while to render.\n\n".repeat(20);
    for i in 0..1500 {
        site.article(
            &format!("news/story-{i}.md"),
            &format!(
                "title = \"Story {i}\"\ndate = 2026-05-02\ntags = [\"port\", \"t{}\"]",
                i % 40
            ),
            &body,
        );
    }
    site
}

/// Start a build of `site` with SIGINT at its default and SIGHUP ignored
/// or not (whatever the test runner was started with), wait until the
/// render stage has begun (its staging folder exists), send `signal`, and
/// return what the build printed and its exit code.
#[cfg(unix)]
fn signal_mid_render(site: &Site, ignore_hup: bool, signal: &str) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut command = common::dateline_bin();
    command
        .args(["build", "--now", common::NOW])
        .current_dir(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let hup = if ignore_hup {
        libc::SIG_IGN
    } else {
        libc::SIG_DFL
    };
    // SAFETY: between fork and exec the closure only calls signal(2),
    // which is async-signal-safe, and touches no memory but its copy of
    // `hup`.
    unsafe {
        command.pre_exec(move || {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGHUP, hup);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    while staging_folders(site).is_empty() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before the signal could be sent"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(common::send_signal(&child, signal));
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_a_build_removes_its_pages_and_keeps_the_old_output() {
    let site = grown_site();
    let before = snapshot(&site.out(""));
    let out = signal_mid_render(&site, false, "-INT");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("stopping the build"), "{err}");
    assert!(
        err.contains("build stopped before it finished: nothing of it was kept, and the previous output was left as it was"),
        "{err}"
    );
    assert_eq!(staging_folders(&site), Vec::<std::path::PathBuf>::new());
    assert_eq!(
        before,
        snapshot(&site.out("")),
        "the previous output changed"
    );
    assert!(!site.exists("news/story-0/index.html"));
}

#[cfg(unix)]
#[test]
fn a_build_started_with_hangups_ignored_ignores_them() {
    let site = grown_site();
    // As `nohup` starts it: SIGHUP ignored.
    let out = signal_mid_render(&site, true, "-HUP");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("stopping the build"), "{err}");
    assert!(site.exists("news/story-1499/index.html"));
    assert_eq!(staging_folders(&site), Vec::<std::path::PathBuf>::new());
}

#[cfg(target_os = "linux")]
#[test]
fn a_staging_folder_left_by_a_killed_build_is_removed_by_a_later_one() {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::io::AsRawFd;
    let site = grown_site();
    // Killed once it has linked a file of the output into its folder.
    let linked = |dir: &std::path::Path| {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .any(|e| e.file_type().is_file() && e.metadata().is_ok_and(|m| m.nlink() > 1))
    };
    let mut build = common::dateline_bin()
        .args(["build", "--now", common::NOW])
        .current_dir(site.root())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    while !staging_folders(&site)
        .first()
        .is_some_and(|dir| linked(dir))
    {
        assert!(build.try_wait().unwrap().is_none(), "the build ended first");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    build.kill().unwrap();
    build.wait().unwrap();
    let left = staging_folders(&site);
    assert_eq!(left.len(), 1, "{left:?}");
    let killed = &left[0];
    make_old(killed);
    // Not a build's: another name (six letters after `dateline-`, as a
    // person might name a copy), a file, a link to a folder.
    let backup = site.root().join(".public.dateline-backup");
    std::fs::create_dir(&backup).unwrap();
    std::fs::write(backup.join("keep.txt"), "mine").unwrap();
    make_old(&backup);
    site.write(".public.dateline-build-File01", "a file, not a folder");
    let elsewhere = site.root().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("keep.txt"), "mine").unwrap();
    let link = site.root().join(".public.dateline-build-Link01");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    // A running build's (it holds the lock), and one too new to judge.
    let running = site.root().join(".public.dateline-build-Run001");
    std::fs::create_dir(&running).unwrap();
    make_old(&running);
    let held = std::fs::File::open(&running).unwrap();
    // SAFETY: flock on a file this test opened and keeps open.
    assert_eq!(unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX) }, 0);
    let new = site.root().join(".public.dateline-build-New001");
    std::fs::create_dir(&new).unwrap();
    let made_now = || {
        std::fs::File::open(&new)
            .unwrap()
            .set_modified(std::time::SystemTime::now())
            .unwrap()
    };
    let kept = || {
        assert_eq!(
            std::fs::read_to_string(backup.join("keep.txt")).unwrap(),
            "mine"
        );
        assert!(site.root().join(".public.dateline-build-File01").is_file());
        assert!(link.is_symlink());
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("keep.txt")).unwrap(),
            "mine"
        );
        assert!(running.is_dir() && new.is_dir());
    };

    made_now();
    let out = site.run(&["build", "--now", common::NOW]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!(
            "removed {}, which a build stopped outright had left",
            killed.display()
        )),
        "{said}"
    );
    assert_eq!(said.matches("removed ").count(), 1, "{said}");
    assert!(!killed.exists());
    assert!(site.exists("news/story-1499/index.html"));
    kept();

    // The killed build's folder held hard links into the output: removing
    // them changed its files' status times, which the record compares, so
    // it was removed before the record was checked and written.
    made_now();
    let out = site.run(&["build", "--now", common::NOW]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("nothing changed"), "{said}");

    // An old output a killed build had moved aside goes too, even when
    // the build fails, which leaves the output as it was.
    let moved_aside = site.root().join(".public.dateline-build-Old001.old");
    std::fs::create_dir_all(moved_aside.join("news")).unwrap();
    std::fs::write(moved_aside.join("news/index.html"), "old").unwrap();
    make_old(&moved_aside);
    site.article("news/broken.md", "title = 5", "Text.\n");
    let before = snapshot(&site.out(""));
    made_now();
    let out = site.run(&["build", "--now", common::NOW]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!(
            "removed {}, which a build stopped outright had left",
            moved_aside.display()
        )),
        "{said}"
    );
    assert!(!moved_aside.exists());
    assert_eq!(before, snapshot(&site.out("")));
    kept();

    // With no output folder, an old output is the last good site (a build
    // stopped between its two renames): it stays.
    let last_good = site.root().join(".public.dateline-build-Last01.old");
    std::fs::rename(site.out(""), &last_good).unwrap();
    make_old(&last_good);
    made_now();
    let out = site.run(&["build", "--now", common::NOW]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(!said.contains("removed "), "{said}");
    assert_eq!(before, snapshot(&last_good));
    kept();
    drop(held);
}

/// Build `site` with a page template whose loops never end; send SIGTERM
/// once the build has been making the page a while (`early`) or once it has
/// said of the page; return what it printed to standard error and its exit
/// code.
#[cfg(target_os = "linux")]
fn stop_a_page_that_never_ends(site: &Site, early: bool) -> (String, Option<i32>) {
    use std::io::BufRead;
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{% for i in range(end=100000) %}\
         {% for j in range(end=100000) %}{% endfor %}{% endfor %}{% endblock main %}",
    );
    /// Killed if the test fails first: it would run on for ever.
    struct Build(std::process::Child);
    impl Drop for Build {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut build = Build(
        common::dateline_bin()
            .args(["build", "--now", common::NOW])
            .current_dir(site.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let child = &mut build.0;
    let (lines, said) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in std::io::BufReader::new(stderr).lines() {
            let line = line.unwrap();
            let _ = lines.send(line.clone());
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    if early {
        // Once the page is being made: the build has spent seconds of CPU
        // time, which all of it would not take otherwise.
        let stat = format!("/proc/{}/stat", child.id());
        let ticks = || {
            let stat = std::fs::read_to_string(&stat).unwrap_or_default();
            // utime and stime, fields 14 and 15; field 3 comes first after
            // the name's `)`.
            let fields: Vec<i64> = (stat.rsplit(')').next().unwrap_or_default())
                .split_whitespace()
                .map(|f| f.parse().unwrap_or(0))
                .collect();
            fields.get(11).unwrap_or(&0) + fields.get(12).unwrap_or(&0)
        };
        while ticks() < 300 {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    } else {
        let wait = std::time::Duration::from_secs(60);
        while !said.recv_timeout(wait).unwrap().starts_with("still making") {}
    }
    assert!(common::send_signal(child, "-TERM"));
    // Stopped well within the time a page is given (not at the test's end).
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < until, "the build did not stop");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    (reader.join().unwrap(), status.code())
}

/// A template that never ends held a build whatever one pressed, short of
/// a second Ctrl-C, and said nothing. The page is now said of at 10 s, and
/// from then a single signal stops the build, the output left as it was.
#[cfg(target_os = "linux")]
#[test]
fn a_page_that_never_ends_is_said_of_and_one_signal_stops_the_build() {
    for early in [false, true] {
        let site = built_site();
        let before = snapshot(&site.out(""));
        let (err, code) = stop_a_page_that_never_ends(&site, early);
        assert_eq!(code, Some(130), "{err}");
        assert!(
            err.contains(
                "still making /about/ from content/about.md after 10 s: does a loop in \
                 templates/page.html, or a template it uses, never end? Ctrl-C stops at once\n"
            ),
            "{err}"
        );
        assert!(
            err.ends_with("stopped at once: a page that never ends cannot be waited for\n"),
            "{err}"
        );
        assert_eq!(before, snapshot(&site.out("")), "the output changed");
        assert_eq!(staging_folders(&site), Vec::<std::path::PathBuf>::new());
    }
}

/// Two builds of one output take turns: one started while another runs
/// waits, says so, and then reads the files as they are, so the story
/// edited meanwhile is what it publishes, and the build that read less
/// cannot swap in over it.
#[test]
fn a_build_waits_for_another_of_the_same_output_and_reads_after_it() {
    use std::io::BufRead;
    let site = built_site();
    let lock = site.root().join(".public.dateline-lock");
    assert!(lock.exists(), "the first build left its lock file");
    std::fs::write(&lock, "4242\n").unwrap();
    // Another build holds the lock until it is stopped.
    let mut holder = std::process::Command::new("flock")
        .arg("-o")
        .arg(&lock)
        .args(["sleep", "60"])
        .spawn()
        .unwrap();
    // Held once a try to lock fails.
    let held = || {
        !std::process::Command::new("flock")
            .args(["-n", "-o"])
            .arg(&lock)
            .arg("true")
            .status()
            .unwrap()
            .success()
    };
    while !held() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut build = common::dateline_bin()
        .args(["build", "--now", common::NOW])
        .current_dir(site.root())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(build.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert_eq!(
        line,
        "waiting for another build into public to finish (process 4242)\n"
    );
    // Edited while it waits: read once its turn comes.
    let story = site.root().join("content/news/ok.md");
    let text = std::fs::read_to_string(&story).unwrap();
    std::fs::write(&story, text.replace("\"Fine\"", "\"Fine, corrected\"")).unwrap();
    holder.kill().unwrap();
    holder.wait().unwrap();
    let pid = build.id();
    let out = build.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        site.page("news/ok/index.html").text("h1"),
        "Fine, corrected"
    );
    // The lock file names the last build that held it.
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), format!("{pid}\n"));
}

/// Where the lock goes, something that is not a file (a link, whose
/// target would be written; a folder) is left as it is, and the build
/// says so and stops without touching the output.
#[test]
fn a_lock_that_is_no_file_is_left_alone_and_said_of() {
    let site = built_site();
    let lock = site.root().join(".public.dateline-lock");
    std::fs::remove_file(&lock).unwrap();
    let victim = site.root().join("victim.txt");
    std::fs::write(&victim, "KEEP\n").unwrap();
    std::os::unix::fs::symlink(&victim, &lock).unwrap();
    let before = snapshot(&site.out(""));
    let out = site.run(&["build", "--full"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains(".public.dateline-lock: is not a file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the previous output was left as it was"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "KEEP\n");
    assert_eq!(before, snapshot(&site.out("")));
    std::fs::remove_file(&lock).unwrap();
    std::fs::create_dir(&lock).unwrap();
    let out = site.run(&["build", "--full"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a file"));
}
