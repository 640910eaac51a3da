//! The command line: help, init, the build summary, and the repository's
//! own example site.

mod common;

use common::{dateline_bin, snapshot, stdout_of, Page};
use scraper::Html;

#[test]
fn help_explains_every_command_and_flag() {
    let out = dateline_bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["build", "serve", "related", "theme", "init"] {
        assert!(help.contains(cmd), "{help}");
    }
    let out = dateline_bin().args(["build", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--root",
        "--output",
        "--drafts",
        "--future",
        "--base-url",
        "--strict",
        "--now",
        "--full",
    ] {
        assert!(help.contains(flag), "{help}");
    }
    // The dev server and `related` read everything every time: a flag
    // that would change nothing is not offered.
    for cmd in ["serve", "related"] {
        let out = dateline_bin().args([cmd, "--help"]).output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("--drafts") && !help.contains("--full"),
            "{help}"
        );
    }
}

/// A value that is not a moment says what one looks like; `related` on
/// an article that is not there says nothing about a build.
#[test]
fn a_bad_moment_or_article_says_what_was_expected() {
    let out = dateline_bin()
        .args(["build", "--now", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid value 'yesterday' for '--now <TIME>': expected a moment such as 2026-05-01T09:00:00Z or 2026-05-01T09:00:00-04:00, or a date and time in the site's time zone, 2026-05-01T09:00 or 2026-05-01\n"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    stdout_of(dateline_bin().arg("init").arg(&site).output().unwrap());
    let out = dateline_bin()
        .args(["related", "nope.md", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: nope.md: no published article has this content path"),
        "{err}"
    );
    assert!(err.ends_with("nothing explained: 1 error\n"), "{err}");
    assert!(!err.contains("build failed"), "{err}");
}

/// `--now` without an offset is a time of the site's zone, as front
/// matter's dates are: an editor previews "tomorrow at 6" as written.
#[test]
fn a_moment_without_an_offset_is_read_in_the_sites_time_zone() {
    let site = common::Site::new();
    for (name, time) in [("early", "08:00"), ("late", "08:30")] {
        site.article(
            &format!("city/{name}.md"),
            &format!("title = \"{name}\"\ndate = 2026-06-01T{time}:00"),
            "Text.\n",
        );
    }
    let published = |now: &str| {
        let out = site.run(&["build", "--now", now]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{now}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        ["early", "late"].map(|name| site.exists(&format!("city/{name}/index.html")))
    };
    // New York's 08:15 (12:15 UTC), not 08:15 UTC (04:15 there).
    assert_eq!(published("2026-06-01T08:15"), [true, false]);
    assert_eq!(published("2026-06-01T08:15Z"), [false, false]);
    assert_eq!(published("2026-06-01T08:15:00-04:00"), [true, false]);
    // A date is its first moment there.
    assert_eq!(published("2026-06-01"), [false, false]);
    assert_eq!(published("2026-06-02"), [true, true]);
    // No moment: what was expected, or why not.
    for (now, code, said) in [
        (
            "2026-05-0éx",
            2,
            "expected a moment such as 2026-05-01T09:00:00Z",
        ),
        (
            "2026-06-01T09:00[Asia/Tokyo]",
            2,
            "expected a moment such as",
        ),
        (
            "9999-12-31",
            1,
            "error: --now: 9999-12-31T00:00:00 is no moment in America/New_York",
        ),
    ] {
        let out = site.run(&["build", "--now", now]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{now}: {err}");
        assert!(err.contains(said), "{now}: {err}");
    }
}

#[test]
fn a_reader_that_goes_away_is_no_failure() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("paper");
    stdout_of(dateline_bin().arg("init").arg(&site).output().unwrap());
    // `dateline build | head -0`: the summary goes into a closed pipe.
    let mut child = dateline_bin()
        .args(["build", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(site.join("public/index.html").exists());
}

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("paper");
    stdout_of(dateline_bin().arg("init").arg(&site).output().unwrap());
    let summary = stdout_of(
        dateline_bin()
            .arg("build")
            .arg("--root")
            .arg(&site)
            .output()
            .unwrap(),
    );
    assert!(summary.starts_with("built "), "{summary}");
    assert!(site.join("public/news/our-first-story/index.html").exists());
    assert!(site.join("public/about/index.html").exists());
    // What the build wrote beside the content stays out of version control.
    assert_eq!(
        std::fs::read_to_string(site.join(".gitignore")).unwrap(),
        "/public/\n/.public.dateline-*\n"
    );
    assert!(site.join(".public.dateline-state").exists());
}

/// A site made by `dateline init`, at `paper/` in a temporary folder.
fn new_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("paper");
    assert!(dateline_bin()
        .arg("init")
        .arg(&site)
        .status()
        .unwrap()
        .success());
    (dir, site)
}

#[test]
fn a_relative_output_on_the_command_line_is_from_the_current_folder() {
    let (dir, site) = new_site();
    // Built from the folder that holds the site.
    let build = |args: &[&str]| {
        let out = dateline_bin()
            .arg("build")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        stdout_of(out);
    };
    build(&["--root", "paper", "--output", "preview"]);
    assert!(dir
        .path()
        .join("preview/news/our-first-story/index.html")
        .exists());
    assert!(!site.join("preview").exists());
    // site.toml's output_dir stays inside the site.
    build(&["--root", "paper"]);
    assert!(site.join("public/index.html").exists());
    assert!(!dir.path().join("public").exists());
}

/// `--quiet` leaves standard output empty, for cron, which mails any
/// output; warnings and errors still go to standard error.
#[test]
fn a_quiet_build_prints_only_warnings_and_errors() {
    let (_dir, site) = new_site();
    let build = || {
        dateline_bin()
            .args(["build", "--quiet"])
            .current_dir(&site)
            .output()
            .unwrap()
    };
    let first = build();
    assert!(first.status.success(), "{first:?}");
    assert_eq!(String::from_utf8_lossy(&first.stdout), "");
    assert_eq!(String::from_utf8_lossy(&first.stderr), "");
    assert!(site.join("public/index.html").exists());
    // A picture that is not there: a warning, on standard error.
    std::fs::write(
        site.join("content/news/broken.md"),
        "+++\ntitle = \"Broken\"\ndate = 2026-01-02\n+++\n\n![x](/nothere.png)\n",
    )
    .unwrap();
    let second = build();
    assert!(second.status.success(), "{second:?}");
    assert_eq!(String::from_utf8_lossy(&second.stdout), "");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.starts_with("warning: content/news/broken.md:6:1: the picture"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn init_refuses_a_folder_with_a_sites_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "mine").unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let out = dateline_bin().arg("init").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already has site.toml, content;"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.toml")).unwrap(),
        "mine"
    );
    assert!(!dir.path().join("content/about.md").exists());
}

/// `git init` or a fresh clone first, then `dateline init`: what is there
/// stays as it is.
#[test]
fn init_makes_a_site_in_a_fresh_repository_and_keeps_its_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join("README.md"), "# Our paper\n").unwrap();
    std::fs::write(dir.path().join(".gitignore"), "*.tmp\n").unwrap();
    let out = dateline_bin().arg("init").arg(dir.path()).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("kept the .gitignore there"), "{said}");
    assert!(said.contains("/public/"), "{said}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
        "*.tmp\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("README.md")).unwrap(),
        "# Our paper\n"
    );
    let built = dateline_bin()
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
}

/// The repository is itself the example site; its article page must carry
/// every element of the reference page (shared/reference/README.md).
#[test]
fn example_site_article_page_has_every_reference_element() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let out_dir = tempfile::tempdir().unwrap();
    // The example builds with no warning: `--strict` fails on any.
    let out = dateline_bin()
        .args(["build", "--strict", "--root", repo, "--output"])
        .arg(out_dir.path().join("site"))
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    stdout_of(out);
    let read = |rel: &str| std::fs::read_to_string(out_dir.path().join("site").join(rel)).unwrap();
    let page = Page(Html::parse_document(&read(
        "city/night-ferry-pilot/index.html",
    )));

    let first_link = &page.all("body a")[0];
    assert_eq!(first_link.text().collect::<String>(), "Skip to content");
    assert_eq!(first_link.value().attr("href"), Some("#main"));
    let nav = page.texts(".site-nav a").join("|");
    assert!(nav.ends_with("|About|FAQ"), "{nav}");
    assert_eq!(page.all("h1").len(), 1);
    assert!(!page.text(".dek").is_empty());
    assert!(page.text(".byline").starts_with("By "));
    assert!(!page.attrs(".dateline time", "datetime").is_empty());
    assert!(page.text(".reading-time").ends_with(" min read"));
    assert!(!page.all(".article-body h2").is_empty());
    assert!(!page.all(".article-body blockquote").is_empty());
    assert!(page
        .attrs(".tags a", "href")
        .iter()
        .all(|h| h.starts_with("/tags/")));
    assert_eq!(page.all(".share a").len(), 5);
    assert!(page.texts(".related h2") == vec!["Related Stories"]);
    assert!(page.all(".related .card").len() >= 2);

    // Highlighted code and footnotes render on the example articles.
    let code = read("technology/city-open-data-portal/index.html");
    assert!(code.contains("class=\"hl-"), "no highlighted code");
    let notes = read("business/aldine-mutual-layoffs/index.html");
    assert!(notes.contains("footnote-definition"), "no footnotes");
    let updated = Page(Html::parse_document(&read(
        "climate/seawall-vote/index.html",
    )));
    assert!(updated.text(".updated").starts_with("Updated "));
}

/// `dateline theme` lists the built-in templates and copies them into a
/// site to change them there, never over a file of the site's own.
#[test]
fn theme_lists_and_copies_the_built_in_templates() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("paper");
    stdout_of(dateline_bin().arg("init").arg(&site).output().unwrap());
    let theme = |args: &[&str]| {
        dateline_bin()
            .arg("theme")
            .arg("--root")
            .arg(&site)
            .args(args)
            .output()
            .unwrap()
    };
    let build_into = |out: &str| {
        let out = dateline_bin()
            .args(["build", "--root"])
            .arg(&site)
            .arg("--output")
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    };
    build_into("built-in");
    std::fs::write(site.join("templates/base.html"), "{# ours #}").unwrap();
    let listed = stdout_of(theme(&[]));
    assert!(
        listed.contains("article.html        built-in\n"),
        "{listed}"
    );
    assert!(
        listed.contains("base.html           replaced by the site's templates/base.html\n"),
        "{listed}"
    );
    assert_eq!(listed.lines().count(), dateline::render::BUILT_IN.len() + 1);

    // A name not built in, or a file of the site's: an error each, and
    // nothing copied.
    let out = theme(&["article.html", "Card.htm", "templates/base.html"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: `Card.htm` is not a built-in template; did you mean `card.html`? `dateline theme` lists them\n\
         error: templates/base.html: is there already, and is left as it is (remove it first to have the built-in one again)\n\
         nothing was copied\n"
    );
    assert!(!site.join("templates/article.html").exists());
    assert_eq!(
        std::fs::read_to_string(site.join("templates/base.html")).unwrap(),
        "{# ours #}"
    );

    let out = stdout_of(theme(&["article.html", "templates/style.css"]));
    assert_eq!(
        out,
        "wrote templates/article.html\nwrote templates/style.css\n"
    );
    assert_eq!(
        std::fs::read_to_string(site.join("templates/article.html")).unwrap(),
        include_str!("../templates/article.html")
    );
    let out = stdout_of(theme(&["--all"]));
    assert!(
        out.starts_with("kept templates/base.html (the site's own)\n"),
        "{out}"
    );
    assert!(out.contains("wrote templates/rss.xml\n"), "{out}");
    assert_eq!(
        std::fs::read_to_string(site.join("templates/base.html")).unwrap(),
        "{# ours #}"
    );
    // Copied as they are, the templates build the same site.
    std::fs::remove_file(site.join("templates/base.html")).unwrap();
    stdout_of(theme(&["base.html"]));
    build_into("copied");
    assert_eq!(
        snapshot(&dir.path().join("copied")),
        snapshot(&dir.path().join("built-in"))
    );
    // Not a site: nothing listed, nothing written.
    let out = dateline_bin()
        .args(["theme", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no site.toml"));
    let out = dateline_bin()
        .args(["theme", "--root"])
        .arg(dir.path())
        .arg("article.html")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("templates").exists());
}
