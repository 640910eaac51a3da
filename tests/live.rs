//! The dev server's rebuilds: after each kind of edit, the served folder
//! equals a full build of the same files, and only what the edit affects
//! is rendered again.

mod common;

use std::path::PathBuf;

use common::{snapshot, Site};
use dateline::live::{Change, Session, Update};
use dateline::BuildOptions;

const BASE: &str = "http://127.0.0.1:1111/";

/// A built-in template's text.
fn built_in(name: &str) -> &'static str {
    dateline::render::BUILT_IN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap()
}

struct Served {
    site: Site,
    session: Session,
    out: tempfile::TempDir,
}

fn serve(site: Site) -> Served {
    serve_with(site, |_| {})
}

/// Serve `site` with its options changed by `change`.
fn serve_with(site: Site, change: impl FnOnce(&mut BuildOptions)) -> Served {
    let out = tempfile::tempdir().unwrap();
    let mut options = BuildOptions {
        output: Some(out.path().join("site")),
        base_url: Some(BASE.into()),
        ..site.options()
    };
    change(&mut options);
    let (session, _) = Session::start(options).unwrap();
    Served { site, session, out }
}

impl Served {
    fn update(&mut self, rels: &[&str]) -> Update {
        let paths: Vec<PathBuf> = rels.iter().map(|r| self.site.root().join(r)).collect();
        self.session
            .update(&paths)
            .unwrap_or_else(|f| panic!("update failed: {}", f.errors))
    }

    fn served(&self) -> Vec<(PathBuf, Vec<u8>)> {
        snapshot(&self.out.path().join("site"))
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.path().join("site").join(rel)).unwrap()
    }

    /// The served folder equals a full build of the files as they are now.
    fn assert_as_full_build(&self) {
        let fresh = tempfile::tempdir().unwrap();
        let options = BuildOptions {
            output: Some(fresh.path().join("site")),
            base_url: Some(BASE.into()),
            full: true,
            ..self.site.options()
        };
        dateline::build(&options).unwrap();
        let want = snapshot(&fresh.path().join("site"));
        let got = self.served();
        let names = |s: &[(PathBuf, Vec<u8>)]| s.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&got), names(&want));
        for ((name, a), (_, b)) in got.iter().zip(&want) {
            assert!(a == b, "{} differs from a full build", name.display());
        }
    }
}

#[test]
fn an_edited_article_renders_its_pages_again_and_nothing_else() {
    let mut s = serve(common::port_newsroom());
    s.site.article(
        "business/story-2.md",
        "title = \"Story 2: the harbour deal\"\ndate = 2026-05-12T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\", \"Money 2\"]",
        "Body of story 2, rewritten.\n\nMore.\n",
    );
    let update = s.update(&["content/business/story-2.md"]);
    assert!(!update.full);
    assert_eq!(update.change, Change::Pages);
    assert!(update.files > 3, "{update:?}");
    assert!(s
        .read("business/story-2/index.html")
        .contains("the harbour deal"));
    assert!(s
        .read("tags/money-2/index.html")
        .contains("the harbour deal"));
    assert!(s
        .read("tags/port/page/2/index.html")
        .contains("the harbour deal"));
    assert!(s.read("feed.json").contains("the harbour deal"));
    s.assert_as_full_build();
}

#[test]
fn new_tags_a_rename_a_deletion_and_a_new_article_build_in_full() {
    let mut s = serve(common::port_newsroom());
    s.site.article(
        "business/story-0.md",
        "title = \"Story 0\"\ndate = 2026-05-10T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Harbour\"]",
        "Retagged.\n",
    );
    let update = s.update(&["content/business/story-0.md"]);
    assert!(update.full);
    s.assert_as_full_build();
    let content = s.site.root().join("content");
    std::fs::rename(
        content.join("business/story-2.md"),
        content.join("business/story-two.md"),
    )
    .unwrap();
    s.update(&[
        "content/business/story-2.md",
        "content/business/story-two.md",
    ]);
    assert!(!s.out.path().join("site/business/story-2").exists());
    s.assert_as_full_build();
    std::fs::remove_file(content.join("business/story-3.md")).unwrap();
    s.update(&["content/business/story-3.md"]);
    s.site.article(
        "city/bridge.md",
        "title = \"Bridge\"\ndate = 2026-05-21",
        "Open.\n",
    );
    s.update(&["content/city/bridge.md"]);
    s.assert_as_full_build();
}

#[test]
fn a_template_renders_the_pages_that_use_it() {
    let mut s = serve(common::port_newsroom());
    let front = std::fs::metadata(s.out.path().join("site/index.html"))
        .unwrap()
        .modified()
        .unwrap();
    let article = built_in("article.html");
    s.site.write(
        "templates/article.html",
        &article.replace(
            "{% block main %}",
            "{% block main %}<p class=\"flag\">Edited</p>",
        ),
    );
    let update = s.update(&["templates/article.html"]);
    assert!(!update.full);
    assert_eq!(update.files, 6, "only the six article pages: {update:?}");
    assert!(s.read("city/ferry/index.html").contains("class=\"flag\""));
    let after = std::fs::metadata(s.out.path().join("site/index.html"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(front, after, "the front page was not written again");
    s.assert_as_full_build();
    // Replace `from` with `to` in the built-in template `name`, as the
    // site's own, and wait for the rebuild.
    let edit = |s: &mut Served, name: &str, from: &str, to: &str| {
        let file = format!("templates/{name}");
        s.site.write(&file, &built_in(name).replace(from, to));
        s.update(&[file.as_str()]);
    };
    // A template that defines components reaches every page.
    edit(
        &mut s,
        "components.html",
        "{{ site.words.older_stories }}",
        "Earlier stories",
    );
    assert!(s.read("business/index.html").contains("Earlier stories"));
    s.assert_as_full_build();
    // The card template reaches every listing and related list.
    edit(
        &mut s,
        "card.html",
        "{{ card.reading_time_text }}",
        "{{ card.reading_time }} minutes to read",
    );
    assert!(s.read("tags/port/index.html").contains("minutes to read"));
    assert!(s.read("city/ferry/index.html").contains("minutes to read"));
    s.assert_as_full_build();
    // An id a heading had is now the template's: the heading gives it up.
    s.site.article(
        "city/ferry.md",
        "title = \"Ferry\"\ndate = 2026-05-20\ntags = [\"Port\"]",
        "The ferry is back.\n\n## Timetable\n",
    );
    s.update(&["content/city/ferry.md"]);
    assert!(s
        .read("city/ferry/index.html")
        .contains("<h2 id=\"timetable\">"));
    let file = "templates/article.html";
    let with_id = "{% block main %}<p id=\"timetable\">Timetables are at the port.</p>";
    s.site
        .write(file, &article.replace("{% block main %}", with_id));
    let update = s.update(&[file]);
    assert!(update.full, "{update:?}");
    assert!(s
        .read("city/ferry/index.html")
        .contains("<h2 id=\"timetable-2\">"));
    s.assert_as_full_build();
}

#[test]
fn stylesheet_and_static_files_are_copied() {
    let mut s = serve(common::port_newsroom());
    s.site
        .write("templates/style.css", "body { color: #111; }\n");
    let update = s.update(&["templates/style.css"]);
    assert_eq!(update.change, Change::Stylesheet);
    assert_eq!(s.read("style.css"), "body { color: #111; }\n");
    // A new file might take a page's address: a full build checks.
    s.site.write("static/extra.css", "p { margin: 0; }\n");
    assert!(s.update(&["static/extra.css"]).full);
    s.site.write("static/extra.css", "p { margin: 1px; }\n");
    let update = s.update(&["static/extra.css"]);
    assert_eq!((update.change, update.full), (Change::Stylesheet, false));
    assert_eq!(s.read("extra.css"), "p { margin: 1px; }\n");
    // An editor's temporary file that came and went is nothing to do.
    let update = s.update(&["static/4913", "static/extra.css~"]);
    assert!(!update.relevant && !update.full);
    // A copy takes the file's permissions, as a build's copy does.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let logo = s.site.root().join("static/logo.svg");
        std::fs::set_permissions(&logo, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(!s.update(&["static/logo.svg"]).full);
        let served = std::fs::metadata(s.out.path().join("site/logo.svg")).unwrap();
        assert_eq!(served.permissions().mode() & 0o777, 0o600);
        s.assert_as_full_build();
    }
    std::fs::remove_file(s.site.root().join("static/logo.svg")).unwrap();
    let update = s.update(&["static/logo.svg"]);
    assert_eq!((update.change, update.full), (Change::Pages, true));
    // The file removed is the one file changed.
    assert_eq!(update.files, 1, "{update:?}");
    assert!(!s.out.path().join("site/logo.svg").exists());
    s.assert_as_full_build();
}

#[test]
fn a_broken_edit_fails_keeps_the_pages_and_mends_when_fixed() {
    let mut s = serve(common::port_newsroom());
    let before = s.served();
    s.site.write(
        "content/business/story-4.md",
        "+++\ntitle = \"Story 4\"\ndate = 2026-05-14T09:00:00Z\ntags = [\"Port\"\n+++\n\nBody.\n",
    );
    let path = s.site.root().join("content/business/story-4.md");
    let failure = s.session.update(std::slice::from_ref(&path)).unwrap_err();
    let text = failure.errors.to_string();
    assert!(text.contains("content/business/story-4.md:4:"), "{text}");
    assert_eq!(s.served(), before);
    // While one file is broken, an edit elsewhere still reports it.
    s.site.article(
        "city/ferry.md",
        "title = \"Ferry\"\ndate = 2026-05-20\ntags = [\"Port\"]",
        "Again.\n",
    );
    let ferry = s.site.root().join("content/city/ferry.md");
    assert!(s.session.update(&[ferry]).is_err());
    s.site.article(
        "business/story-4.md",
        "title = \"Story 4, fixed\"\ndate = 2026-05-14T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\", \"Money 4\"]",
        "Body.\n",
    );
    let update = s.session.update(&[path]).unwrap();
    assert!(update.full);
    assert!(s
        .read("business/story-4/index.html")
        .contains("Story 4, fixed"));
    s.assert_as_full_build();
}

#[test]
fn editor_leftovers_change_nothing() {
    let mut s = serve(common::port_newsroom());
    let before = s.served();
    s.site.write("content/business/.story-2.md.swp", "x");
    s.site.write("content/business/#story-2.md#", "x");
    s.site.write("static/.favicon.svg.swp", "x");
    // Emacs's lock: a link to nothing.
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        "ana@desk.1234:1700000000",
        s.site.root().join("content/business/.#story-2.md"),
    )
    .unwrap();
    let update = s.update(&[
        "content/business/.story-2.md.swp",
        "content/business/story-2.md~",
        "content/business/#story-2.md#",
        "content/business/.#story-2.md",
        "content/business/4913",
        "static/favicon.svg~",
        "static/.favicon.svg.swp",
        "public/index.html",
    ]);
    assert_eq!(update.change, Change::Nothing);
    assert!(!update.relevant);
    assert_eq!(s.served(), before);
    // A full build does not see them either.
    let config = std::fs::read_to_string(s.site.root().join("site.toml")).unwrap();
    s.site.write("site.toml", &config);
    let update = s.update(&["site.toml"]);
    assert!(update.warnings.is_empty(), "{:?}", update.warnings);
    assert_eq!(s.served(), before);
    s.assert_as_full_build();
}

/// A save that changes no page (the file saved as it was, a draft edited)
/// leaves open tabs where they are.
#[test]
fn a_save_that_changes_no_page_reloads_no_tab() {
    let mut s = serve(common::port_newsroom());
    let before = s.served();
    let story = std::fs::read_to_string(s.site.root().join("content/city/ferry.md")).unwrap();
    s.site.write("content/city/ferry.md", &story);
    let update = s.update(&["content/city/ferry.md"]);
    assert!(update.relevant);
    assert_eq!((update.files, update.change), (0, Change::Nothing));
    s.site.article(
        "city/draft.md",
        "title = \"Draft\"\ndate = 2026-05-21\ndraft = true",
        "Not yet.\n",
    );
    let update = s.update(&["content/city/draft.md"]);
    assert_eq!((update.files, update.change), (0, Change::Nothing));
    assert_eq!(s.served(), before);
    // A save that does change a page still reloads.
    s.site.write(
        "content/city/ferry.md",
        &story.replace("is back", "is back today"),
    );
    let update = s.update(&["content/city/ferry.md"]);
    assert_eq!(update.change, Change::Pages);
}

#[test]
fn a_template_failing_on_one_page_writes_no_page_at_all() {
    let mut s = serve(common::port_newsroom());
    let before = s.served();
    let article = built_in("article.html");
    // Renders for every article but one, which names a missing variable.
    s.site.write(
        "templates/article.html",
        &article.replace(
            "{% block main %}",
            "{% block main %}<p>New</p>{% if article.title == \"Story 3\" %}{{ no_such_thing }}{% endif %}",
        ),
    );
    let path = s.site.root().join("templates/article.html");
    let failure = s.session.update(std::slice::from_ref(&path)).unwrap_err();
    assert!(
        failure
            .errors
            .to_string()
            .contains("templates/article.html"),
        "{}",
        failure.errors
    );
    assert_eq!(
        s.served(),
        before,
        "a page of the failed update was written"
    );
}

/// Story 4 of the port newsroom, in the same place, with a picture that
/// has no text alternative: a warning.
fn story_4_with_an_image_and_no_alt(site: &Site) {
    site.article(
        "business/story-4.md",
        "title = \"Story 4\"\ndate = 2026-05-14T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\", \"Money 4\"]\nimage = \"/logo.svg\"",
        "Body of story 4.\n\nMore of story 4.\n",
    );
}

/// A quick rebuild of one article says of the links to a part of a page
/// that it broke, in other articles too, and of its own.
#[test]
fn a_quick_rebuild_warns_of_links_to_parts_of_pages_it_broke() {
    let site = common::port_newsroom();
    site.article(
        "business/story-2.md",
        "title = \"Story 2\"\ndate = 2026-05-12T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\"]",
        "Body of story 2.\n\n## Fares\n\nSee [the timetable](@/city/ferry.md#timetable).\n",
    );
    let ferry = |heading: &str| {
        format!(
            "The ferry is back. See [the fares](@/business/story-2.md#fares).\n\n## {heading}\n"
        )
    };
    site.article(
        "city/ferry.md",
        "title = \"Ferry\"\ndate = 2026-05-20\ntags = [\"Port\"]",
        &ferry("Timetable"),
    );
    let mut s = serve(site);
    s.site.article(
        "city/ferry.md",
        "title = \"Ferry\"\ndate = 2026-05-20\ntags = [\"Port\"]",
        &ferry("Times"),
    );
    let update = s.update(&["content/city/ferry.md"]);
    assert!(!update.full);
    let messages: Vec<String> = update.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        messages,
        ["content/business/story-2.md:12:5: the link `@/city/ferry.md#timetable` names no part of \
          content/city/ferry.md: no element there has the id `timetable` (the ids in its text are `times`)"]
    );
    s.site.article(
        "business/story-2.md",
        "title = \"Story 2\"\ndate = 2026-05-12T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\"]",
        "Body of story 2.\n\n## Prices\n\nSee [the times](@/city/ferry.md#times) and [the prices](#price).\n",
    );
    let update = s.update(&["content/business/story-2.md"]);
    assert!(!update.full);
    let messages: Vec<String> = update.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        messages,
        [
            "content/business/story-2.md:12:44: the link `#price` names no part of this page: no \
             element there has the id `price` (the ids in its text are `prices`)",
            "content/city/ferry.md:7:24: the link `@/business/story-2.md#fares` names no part of \
             content/business/story-2.md: no element there has the id `fares` (the ids in its text are `prices`)",
        ]
    );
}

#[test]
fn a_quick_rebuild_reports_its_warnings_and_strict_fails_on_them() {
    let mut s = serve(common::port_newsroom());
    story_4_with_an_image_and_no_alt(&s.site);
    let update = s.update(&["content/business/story-4.md"]);
    assert!(!update.full);
    let messages: Vec<String> = update.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        messages,
        ["content/business/story-4.md:6:9: `image` has no `image_alt`: describe the picture for readers who cannot see it"]
    );

    let mut s = serve_with(common::port_newsroom(), |o| o.strict = true);
    let before = s.served();
    story_4_with_an_image_and_no_alt(&s.site);
    let paths = [s.site.root().join("content/business/story-4.md")];
    let failure = s.session.update(&paths).expect_err("a failure");
    assert!(
        failure
            .errors
            .to_string()
            .contains("`image` has no `image_alt`: describe the picture for readers who cannot see it (a warning; --strict fails the build on it)"),
        "{}",
        failure.errors
    );
    assert_eq!(s.served(), before, "nothing is written by a failed update");
}

#[test]
fn a_scheduled_story_goes_live_with_the_next_rebuild_after_its_time() {
    let in_two_seconds = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(2);
    let site = common::port_newsroom();
    site.article(
        "city/soon.md",
        &format!(
            "title = \"Soon\"\ndate = {}",
            in_two_seconds.strftime("%Y-%m-%dT%H:%M:%SZ")
        ),
        "Not yet.\n",
    );
    // The session's clock is the real one, not a fixed `--now`.
    let mut s = serve_with(site, |o| o.now = None);
    assert!(!s.out.path().join("site/city/soon/index.html").exists());
    std::thread::sleep(std::time::Duration::from_millis(2500));
    // An edit that alone would be a quick rebuild of one story.
    s.site.article(
        "business/story-4.md",
        "title = \"Story 4\"\ndate = 2026-05-14T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\", \"Money 4\"]",
        "Body of story 4, edited.\n\nMore of story 4.\n",
    );
    let update = s.update(&["content/business/story-4.md"]);
    assert!(update.full);
    assert!(s.read("city/soon/index.html").contains("Not yet."));
    assert!(s.read("index.html").contains("Soon"));
}

#[test]
fn a_folder_moved_away_or_hidden_builds_in_full() {
    let mut s = serve(common::port_newsroom());
    let root = s.site.root().to_path_buf();
    let away = tempfile::tempdir().unwrap();
    // A section moved out of the site: the one event names the folder.
    std::fs::rename(root.join("content/city"), away.path().join("city")).unwrap();
    let update = s.update(&["content/city"]);
    assert!(update.full, "{update:?}");
    assert!(!s.out.path().join("site/city/ferry").exists());
    s.assert_as_full_build();
    // Renamed hidden, it is gone from the site as a build skips it.
    std::fs::rename(
        root.join("content/business"),
        root.join("content/.business"),
    )
    .unwrap();
    let update = s.update(&["content/business", "content/.business"]);
    assert!(update.full, "{update:?}");
    assert!(!s.out.path().join("site/business/story-1").exists());
    s.assert_as_full_build();
    // A folder of `static/`.
    s.site.write(
        "static/img/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    assert!(s.update(&["static/img/map.svg"]).full);
    std::fs::rename(root.join("static/img"), away.path().join("img")).unwrap();
    let update = s.update(&["static/img"]);
    assert!(update.full, "{update:?}");
    assert!(!s.out.path().join("site/img/map.svg").exists());
    s.assert_as_full_build();
    // A folder that held nothing the site read came and went.
    std::fs::create_dir(root.join("content/notes")).unwrap();
    std::fs::remove_dir(root.join("content/notes")).unwrap();
    assert!(!s.update(&["content/notes", "static/fonts"]).relevant);
}

#[test]
fn a_sites_own_robots_txt_and_redirects_outlast_quick_rebuilds() {
    let site = common::port_newsroom();
    let robots = "User-agent: *\nDisallow: /drafts/\n";
    let own = "/old /new 301\n";
    // The aliases' lines follow the site's own.
    let redirects =
        "/old /new 301\n# Aliases of the site's stories\n/2026/story-2/ /business/story-2/ 301\n";
    site.write("static/robots.txt", robots);
    site.write("static/_redirects", own);
    let story = |body: &str| {
        (
            "title = \"Story 2\"\ndate = 2026-05-12T09:00:00Z\nauthors = [\"Ana Díaz\"]\n\
             tags = [\"Port\", \"Money 2\"]\naliases = [\"/2026/story-2/\"]"
                .to_string(),
            body.to_string(),
        )
    };
    let (matter, body) = story("Body of story 2.\n");
    site.article("business/story-2.md", &matter, &body);
    let mut s = serve(site);
    assert_eq!(s.read("robots.txt"), robots);
    assert_eq!(s.read("_redirects"), redirects);
    let (matter, body) = story("Body of story 2, rewritten.\n");
    s.site.article("business/story-2.md", &matter, &body);
    let update = s.update(&["content/business/story-2.md"]);
    assert!(!update.full, "{update:?}");
    assert_eq!(s.read("robots.txt"), robots);
    assert_eq!(s.read("_redirects"), redirects);
    s.assert_as_full_build();
    let alias = format!("{}<!-- the end -->\n", built_in("alias.html"));
    s.site.write("templates/alias.html", &alias);
    assert!(!s.update(&["templates/alias.html"]).full);
    assert_eq!(s.read("robots.txt"), robots);
    assert_eq!(s.read("_redirects"), redirects);
    s.assert_as_full_build();
    // The site's own edited: written again with the aliases' lines.
    s.site.write("static/_redirects", "/older /new 301");
    assert!(s.update(&["static/_redirects"]).full);
    assert_eq!(
        s.read("_redirects"),
        "/older /new 301\n# Aliases of the site's stories\n/2026/story-2/ /business/story-2/ 301\n"
    );
    s.assert_as_full_build();
}

#[test]
fn feeds_of_listings_without_stories_follow_an_edited_date() {
    let site = common::port_newsroom();
    site.write(
        "content/_authors/zed.md",
        "+++\nname = \"Zed Newhire\"\n+++\n",
    );
    site.write(
        "content/opinion/_index.md",
        "+++\ntitle = \"Opinion\"\n+++\n",
    );
    let mut s = serve(site);
    assert!(!s
        .read("authors/zed-newhire/atom.xml")
        .contains("2026-05-25"));
    s.site.article(
        "city/ferry.md",
        "title = \"Ferry\"\ndate = 2026-05-20\nupdated = 2026-05-25T09:00:00Z\ntags = [\"Port\"]",
        "The ferry is back. See [story 1](@/business/story-1.md).\n",
    );
    let update = s.update(&["content/city/ferry.md"]);
    assert!(!update.full, "{update:?}");
    // Both date themselves by the site's latest change, now the edit's.
    assert!(s
        .read("authors/zed-newhire/atom.xml")
        .contains("<updated>2026-05-25"));
    assert!(s.read("opinion/rss.xml").contains("25 May 2026"));
    s.assert_as_full_build();
}

#[cfg(unix)]
#[test]
fn a_file_reached_through_a_symbolic_link_updates_every_page_of_it() {
    let site = common::port_newsroom();
    // One story shown in two sections, and one kept outside content/.
    std::os::unix::fs::symlink(
        "../business/story-1.md",
        site.root().join("content/city/story-1.md"),
    )
    .unwrap();
    site.article(
        "../shared/notice/index.md",
        "title = \"Notice\"\ndate = 2026-05-15",
        "Shared.\n",
    );
    std::os::unix::fs::symlink(
        "../../shared/notice",
        site.root().join("content/city/notice"),
    )
    .unwrap();
    let mut s = serve(site);
    let root = s.site.root().canonicalize().unwrap();
    assert_eq!(
        s.session.links(),
        [
            root.join("content/business/story-1.md"),
            root.join("content/city/notice"),
            root.join("content/city/story-1.md"),
            root.join("shared/notice")
        ]
    );
    s.site.article(
        "business/story-1.md",
        "title = \"Story 1, in both\"\ndate = 2026-05-11T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\", \"Money 1\"]",
        "Body of story 1.\n",
    );
    let update = s.update(&["content/business/story-1.md"]);
    assert!(update.full, "{update:?}");
    assert!(s
        .read("city/story-1/index.html")
        .contains("Story 1, in both"));
    s.assert_as_full_build();
    s.site.article(
        "../shared/notice/index.md",
        "title = \"Notice, edited\"\ndate = 2026-05-15",
        "Shared.\n",
    );
    let update = s.update(&["shared/notice/index.md"]);
    assert!(update.relevant && update.full, "{update:?}");
    assert!(s.read("city/notice/index.html").contains("Notice, edited"));
    s.assert_as_full_build();
    // An editor's swap file there, and a file beside it the site does not
    // read, are nothing to do.
    s.site.write("shared/notice/.index.md.swp", "x");
    s.site.write("shared/todo.txt", "x");
    let update = s.update(&["shared/notice/.index.md.swp", "shared/todo.txt"]);
    assert!(!update.relevant, "{update:?}");
}

/// A picture of static/ whose size a page gives, saved at another size:
/// the pages again, with the new size; saved at its size, only the copy.
#[test]
fn a_picture_saved_at_another_size_renders_the_pages_that_show_it() {
    let site = common::port_newsroom();
    let svg = |w: u32| {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"90\"/>\n")
    };
    site.write("static/img/route.svg", &svg(120));
    site.article(
        "port/route.md",
        "title = \"Route\"\ndate = 2026-05-20",
        "The route.\n\n![The route](/img/route.svg)\n",
    );
    let mut s = serve(site);
    assert!(s
        .read("port/route/index.html")
        .contains("width=\"120\" height=\"90\""));
    s.site.write(
        "static/img/route.svg",
        &format!("{}<!-- redrawn -->\n", svg(120)),
    );
    assert!(!s.update(&["static/img/route.svg"]).full);
    s.site.write("static/img/route.svg", &svg(160));
    assert!(s.update(&["static/img/route.svg"]).full);
    assert!(s
        .read("port/route/index.html")
        .contains("width=\"160\" height=\"90\""));
    s.assert_as_full_build();
}
