//! Builds after a previous build: files whose bytes do not change are kept
//! (same inode, same modification time), a build with nothing changed
//! stops early, and whatever happened before, the output equals a clean
//! build's.

mod common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{snapshot, Site, NOW};
use dateline::BuildOptions;

/// A clean build of the same site into a fresh folder.
fn clean_build(site: &Site) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        output: Some(out.path().join("site")),
        full: true,
        ..site.options()
    };
    site.try_build(options).unwrap();
    snapshot(&out.path().join("site"))
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// Set a file's modification time to long ago, so keeping it shows.
fn backdate(path: &Path) -> SystemTime {
    let then = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let file = std::fs::File::options().append(true).open(path).unwrap();
    file.set_modified(then).unwrap();
    then
}

#[test]
fn an_edit_a_rename_and_a_deletion_build_what_a_clean_build_does() {
    let site = common::port_newsroom();
    site.build();
    let names = |files: &[(std::path::PathBuf, Vec<u8>)]| {
        files
            .iter()
            .map(|f| f.0.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let before = names(&snapshot(&site.out("")));
    // Edit one story, rename another, delete a third, add a fourth.
    site.article(
        "business/story-0.md",
        "title = \"Story 0, revised\"\ndate = 2026-05-10T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\", \"Harbour\"]",
        "A new body.\n",
    );
    let content = site.root().join("content");
    std::fs::rename(
        content.join("business/story-2.md"),
        content.join("business/story-two.md"),
    )
    .unwrap();
    std::fs::remove_file(content.join("business/story-3.md")).unwrap();
    site.article(
        "city/bridge.md",
        "title = \"Bridge\"\ndate = 2026-05-21\ntags = [\"Port\"]",
        "The bridge opens.\n",
    );
    let report = site.build();
    assert!(!report.up_to_date);
    assert!(report.files.kept > 0, "{:?}", report.files);
    assert!(report.files.written > 0, "{:?}", report.files);
    let incremental = snapshot(&site.out(""));
    assert_eq!(incremental, clean_build(&site));
    // The summary counts the files whose paths went with the two stories.
    let gone = before.difference(&names(&incremental)).count();
    assert!(gone > 2, "{gone}");
    assert_eq!(report.files.removed, gone, "{:?}", report.files);
    assert!(site.exists("business/story-two/index.html"));
    assert!(!site.exists("business/story-2/index.html"));
    assert!(!site.exists("business/story-3/index.html"));
    assert!(!site.exists("tags/money-3/index.html"));
    assert!(site
        .read("tags/harbour/index.html")
        .contains("Story 0, revised"));
}

#[cfg(unix)]
#[test]
fn unchanged_files_keep_their_inode_and_time_changed_ones_are_new() {
    let site = common::port_newsroom();
    site.build();
    let untouched = site.out("business/story-4/index.html");
    let edited = site.out("business/story-2/index.html");
    let logo = site.out("logo.svg");
    let (untouched_time, logo_time) = (backdate(&untouched), backdate(&logo));
    let (untouched_inode, edited_inode) = (inode(&untouched), inode(&edited));
    site.article(
        "business/story-2.md",
        "title = \"Story 2\"\ndate = 2026-05-12T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\", \"Money 2\"]",
        "Body of story 2.\n\nWith a correction.\n",
    );
    let report = site.build();
    assert_eq!(inode(&untouched), untouched_inode);
    assert_eq!(mtime(&untouched), untouched_time);
    assert_eq!(mtime(&logo), logo_time);
    assert_ne!(inode(&edited), edited_inode);
    assert!(site
        .read("business/story-2/index.html")
        .contains("With a correction"));
    // The dek (first paragraph) is the same, so no listing changed: only
    // the story's page and the site's and section's feeds, which carry
    // whole articles.
    assert_eq!(report.files.written, 7, "{:?}", report.files);
}

#[cfg(unix)]
#[test]
fn a_static_file_whose_permissions_changed_is_copied_with_them() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let site = common::port_newsroom();
    let source = site.root().join("static/logo.svg");
    std::fs::set_permissions(&source, std::fs::Permissions::from_mode(0o644)).unwrap();
    site.build();
    assert_eq!(mode(&site.out("logo.svg")), 0o644);
    std::fs::set_permissions(&source, std::fs::Permissions::from_mode(0o600)).unwrap();
    let report = site.build();
    assert!(!report.up_to_date);
    assert_eq!(mode(&site.out("logo.svg")), 0o600);
    assert_eq!(report.files.written, 1, "{:?}", report.files);
}

#[test]
fn a_page_whose_mode_was_changed_by_hand_is_written_again() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o7777;
    let site = common::port_newsroom();
    site.build();
    let page = site.out("city/ferry/index.html");
    let clean = mode(&page);
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o600)).unwrap();
    let report = site.build();
    assert!(!report.up_to_date);
    assert_eq!(mode(&page), clean);
    assert_eq!(report.files.written, 1, "{:?}", report.files);
}

#[test]
fn a_build_under_another_umask_gives_every_file_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let site = common::port_newsroom();
    let build = |umask: &str| {
        let out = std::process::Command::new("sh")
            .args([
                "-c",
                &format!("umask {umask} && exec \"$0\" build"),
                env!("CARGO_BIN_EXE_dateline"),
            ])
            .current_dir(site.root())
            .output()
            .unwrap();
        common::stdout_of(out)
    };
    // The modes of the pages and feeds; static files keep their own.
    let modes = || {
        let mut modes = std::collections::BTreeSet::new();
        for entry in walkdir::WalkDir::new(site.out("")) {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "html" || e == "xml") {
                modes.insert(entry.metadata().unwrap().permissions().mode() & 0o777);
            }
        }
        modes
    };
    build("022");
    assert_eq!(modes(), [0o644].into(), "{:?}", modes());
    let second = build("077");
    assert!(!second.contains("nothing changed"), "{second}");
    assert_eq!(modes(), [0o600].into(), "{:?}", modes());
    assert!(build("077").contains("nothing changed"));
}

/// A set-group-id bit put on (or taken off) the folder the output sits in
/// after a build is passed on to the folders of the next one, as to a
/// clean build's.
#[test]
fn a_set_group_id_site_folder_is_passed_on_by_the_next_build() {
    use std::os::unix::fs::PermissionsExt;
    let site = common::port_newsroom();
    let set_gid = |on: bool| {
        let mut permissions = std::fs::metadata(site.root()).unwrap().permissions();
        let mode = permissions.mode();
        permissions.set_mode(if on { mode | 0o2000 } else { mode & !0o2000 });
        std::fs::set_permissions(site.root(), permissions).unwrap();
    };
    // Every folder of the output has the bit, or none has.
    let folders_with_it = || {
        let mut with = std::collections::BTreeSet::new();
        for entry in walkdir::WalkDir::new(site.out("")) {
            let entry = entry.unwrap();
            if entry.file_type().is_dir() {
                with.insert(entry.metadata().unwrap().permissions().mode() & 0o2000 != 0);
            }
        }
        with
    };
    site.build();
    assert!(site.build().up_to_date);
    assert_eq!(folders_with_it(), [false].into());
    set_gid(true);
    assert!(!site.build().up_to_date);
    assert_eq!(folders_with_it(), [true].into());
    assert!(site.build().up_to_date);
    set_gid(false);
    assert!(!site.build().up_to_date);
    assert_eq!(folders_with_it(), [false].into());
}

/// A kept file has the group and ACL it was made with. When the folder
/// above the output comes to pass on another group, or a default ACL,
/// every file of the next build has them, as in a clean build: a web
/// server reading through that group could not read a page that kept
/// the old ones.
#[cfg(target_os = "linux")]
#[test]
fn a_group_or_acl_passed_on_reaches_every_file_of_the_next_build() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let site = common::port_newsroom();
    let files = || {
        walkdir::WalkDir::new(site.out(""))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect::<Vec<_>>()
    };
    let groups = || {
        let groups: std::collections::BTreeSet<u32> = files()
            .iter()
            .map(|f| std::fs::metadata(f).unwrap().gid())
            .collect();
        groups
    };
    // Two groups other than ours that this user may give a folder.
    // SAFETY: neither call has preconditions or can fail.
    let (me, mine) = unsafe { (libc::geteuid(), libc::getegid()) };
    let mut others: Vec<u32> = match me {
        0 => (1..4).collect(),
        _ => {
            let mut list = vec![0 as libc::gid_t; 64];
            // SAFETY: `list` holds as many entries as the call is told.
            let n = unsafe { libc::getgroups(64, list.as_mut_ptr()) };
            list.truncate(n.max(0) as usize);
            list
        }
    };
    others.retain(|&g| g != mine);
    site.build();
    assert_eq!(groups(), [mine].into());
    let root = site.root();
    let set_gid = |group: u32| {
        std::os::unix::fs::chown(root, None, Some(group)).unwrap();
        let mut permissions = std::fs::metadata(root).unwrap().permissions();
        permissions.set_mode(permissions.mode() | 0o2000);
        std::fs::set_permissions(root, permissions).unwrap();
    };
    if let Some(&first) = others.first() {
        set_gid(first);
        assert!(!site.build().up_to_date);
        assert_eq!(groups(), [first].into());
        assert!(site.build().up_to_date);
    } else {
        eprintln!("no group other than {mine} to give the site folder: group part skipped");
    }
    // With `--full` no record is read: each file's own group is compared.
    if let Some(&second) = others.get(1) {
        set_gid(second);
        let full = BuildOptions {
            full: true,
            ..site.options()
        };
        site.try_build(full).unwrap();
        assert_eq!(groups(), [second].into());
    }
    // A default ACL, giving group 1 what the group gets: owner rwx, group
    // r-x, group 1 r-x, mask r-x, others r-x (Linux's xattr form).
    let entry = |tag: u16, perm: u16, id: u32| {
        [
            tag.to_le_bytes().to_vec(),
            perm.to_le_bytes().to_vec(),
            id.to_le_bytes().to_vec(),
        ]
        .concat()
    };
    let acl: Vec<u8> = [
        2u32.to_le_bytes().to_vec(),
        entry(0x01, 7, u32::MAX),
        entry(0x04, 5, u32::MAX),
        entry(0x08, 5, 1),
        entry(0x10, 5, u32::MAX),
        entry(0x20, 5, u32::MAX),
    ]
    .concat();
    match rustix::fs::setxattr(
        root,
        "system.posix_acl_default",
        &acl,
        rustix::fs::XattrFlags::empty(),
    ) {
        Ok(()) => {
            assert!(!site.build().up_to_date);
            let mut value = vec![0; 256];
            for file in files() {
                let len = rustix::fs::getxattr(&file, "system.posix_acl_access", &mut value);
                assert!(len.is_ok_and(|n| n > 4), "{} has no ACL", file.display());
            }
            // Taken away again, and built with no record (`--full`): the
            // old output folder's own default ACL tells.
            rustix::fs::removexattr(root, "system.posix_acl_default").unwrap();
            let full = BuildOptions {
                full: true,
                ..site.options()
            };
            site.try_build(full).unwrap();
            for file in files() {
                let len = rustix::fs::getxattr(&file, "system.posix_acl_access", &mut value);
                assert!(len.is_err(), "{} has an ACL still", file.display());
            }
        }
        Err(e) => eprintln!("no default ACL on this file system ({e}): ACL part skipped"),
    }
}

#[test]
fn an_output_whose_record_was_not_written_is_still_replaced() {
    let site = common::port_newsroom();
    site.build();
    // What a build leaves when it could not record itself (a failed swap,
    // a build killed while removing the old output): a forgotten record.
    let record = site.root().join(".public.dateline-state");
    std::fs::write(&record, "{\"program\":null}\n").unwrap();
    site.article(
        "city/second.md",
        "title = \"Second\"\ndate = 2026-05-03",
        "Text.\n",
    );
    let report = site.build();
    assert!(!report.up_to_date);
    assert!(site.exists("city/second/index.html"));
    assert!(std::fs::metadata(&record).unwrap().len() > 20);
}

/// A first build that cannot write its record (here its temporary file's
/// name is taken) still marks its output as a build's: the next build
/// replaces it rather than refusing it as someone's files.
#[test]
fn a_first_build_that_cannot_record_itself_still_owns_its_output() {
    let site = common::port_newsroom();
    let blocker = site.root().join(".public.dateline-state.partial");
    std::fs::create_dir(&blocker).unwrap();
    let first = site.build();
    assert!(!first.up_to_date);
    let record = site.root().join(".public.dateline-state");
    assert_eq!(std::fs::read(&record).unwrap(), b"{\"program\":null}\n");
    let second = site.build();
    assert!(!second.up_to_date, "a forgotten record is not trusted");
    std::fs::remove_dir(&blocker).unwrap();
    site.build();
    assert!(site.build().up_to_date);
}

#[test]
fn a_link_out_of_the_site_still_lets_nothing_change() {
    let site = common::port_newsroom();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("shared.txt"), "theirs").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("static/shared")).unwrap();
    let first = site.build();
    assert!(!first.warnings.is_empty());
    let second = site.build();
    assert!(second.up_to_date);
    // The warning still shows.
    assert_eq!(second.warnings, first.warnings);
    // The link going is a change.
    std::fs::remove_file(site.root().join("static/shared")).unwrap();
    let third = site.build();
    assert!(!third.up_to_date);
    assert!(third.warnings.is_empty());
}

/// A link into the site that comes to lead out of it (a folder it passes
/// through moved away) is no longer followed, as in a clean build; and
/// back.
#[cfg(unix)]
#[test]
fn a_link_that_comes_to_lead_out_of_the_site_is_a_change() {
    let site = common::port_newsroom();
    let article = dateline::render::BUILT_IN
        .iter()
        .find(|(name, _)| *name == "article.html")
        .map(|(_, text)| *text)
        .unwrap();
    let marked = article.replace("</article>", "<p>Marked.</p></article>");
    assert_ne!(marked, article);
    site.write("shared/article.html", &marked);
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    std::os::unix::fs::symlink(
        "../shared/article.html",
        site.root().join("templates/article.html"),
    )
    .unwrap();
    let marked_page = || std::fs::read_to_string(site.out("city/ferry/index.html")).unwrap();
    site.build();
    assert!(marked_page().contains("Marked."));
    // The folder moves out, a link in its place: same path, now outside.
    let away = tempfile::tempdir().unwrap();
    let moved = away.path().join("shared");
    std::fs::rename(site.root().join("shared"), &moved).unwrap();
    std::os::unix::fs::symlink(&moved, site.root().join("shared")).unwrap();
    let report = site.build();
    assert!(!report.up_to_date);
    assert!(!marked_page().contains("Marked."));
    assert_eq!(snapshot(&site.out("")), clean_build(&site));
    assert!(!report.warnings.is_empty());
    // And back inside.
    std::fs::remove_file(site.root().join("shared")).unwrap();
    std::fs::rename(&moved, site.root().join("shared")).unwrap();
    assert!(!site.build().up_to_date);
    assert!(marked_page().contains("Marked."));
}

#[test]
fn nothing_changed_leaves_the_output_alone() {
    let site = common::port_newsroom();
    let first = site.build();
    let before = snapshot(&site.out(""));
    let page = site.out("city/ferry/index.html");
    let time = mtime(&page);
    std::thread::sleep(Duration::from_millis(20));
    let second = site.build();
    assert!(second.up_to_date);
    assert_eq!(second.pages, first.pages);
    assert_eq!(mtime(&page), time);
    assert_eq!(snapshot(&site.out("")), before);
}

#[test]
fn a_changed_output_file_is_put_right() {
    let site = common::port_newsroom();
    site.build();
    let clean = snapshot(&site.out(""));
    // Someone edits, deletes and adds files in the output folder.
    std::fs::write(site.out("city/ferry/index.html"), "tampered").unwrap();
    std::fs::remove_file(site.out("business/story-1/index.html")).unwrap();
    std::fs::write(site.out("stray.html"), "not ours").unwrap();
    let report = site.build();
    assert!(!report.up_to_date);
    assert_eq!(snapshot(&site.out("")), clean);
}

/// Change a page by hand, keeping its length, and set its modification
/// time back to what it was: only its bytes and change time differ.
fn tamper_keeping_time(page: &Path) {
    let time = mtime(page);
    let text = std::fs::read_to_string(page).unwrap();
    std::fs::write(page, text.replacen("ferry", "FERRY", 1)).unwrap();
    let file = std::fs::File::options().append(true).open(page).unwrap();
    file.set_modified(time).unwrap();
}

#[test]
fn a_file_changed_by_hand_with_its_old_time_is_put_right() {
    let site = common::port_newsroom();
    site.build();
    let clean = snapshot(&site.out(""));
    let page = site.out("city/ferry/index.html");
    tamper_keeping_time(&page);
    let report = site.build();
    assert!(!report.up_to_date);
    assert_eq!(snapshot(&site.out("")), clean);
    // And when an article's edit is what makes the build run.
    tamper_keeping_time(&page);
    site.article(
        "business/story-2.md",
        "title = \"Story 2\"\ndate = 2026-05-12T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\", \"Money 2\"]",
        "Body of story 2.\n\nWith a correction.\n",
    );
    site.build();
    assert_eq!(snapshot(&site.out("")), clean_build(&site));
}

#[test]
fn a_template_or_setting_change_is_not_up_to_date() {
    let site = common::port_newsroom();
    site.build();
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Lost at sea</h1>{% endblock main %}",
    );
    let report = site.build();
    assert!(!report.up_to_date);
    assert!(site.read("404.html").contains("Lost at sea"));
    // Build options count too: drafts change what is published.
    site.article(
        "city/draft.md",
        "title = \"Draft\"\ndate = 2026-05-22\ndraft = true",
        "Not yet.\n",
    );
    site.build();
    let drafts = BuildOptions {
        drafts: true,
        ..site.options()
    };
    assert!(!site.try_build(drafts).unwrap().up_to_date);
    assert!(site.exists("city/draft/index.html"));
}

#[test]
fn time_passing_publishes_a_scheduled_article() {
    let site = common::port_newsroom();
    site.article(
        "city/later.md",
        "title = \"Later\"\ndate = 2026-06-03T08:00:00Z",
        "Tomorrow's news.\n",
    );
    site.build();
    assert!(!site.exists("city/later/index.html"));
    let at = |t: &str| site.options_at(t);
    // Before its time nothing changes.
    assert!(
        site.try_build(at("2026-06-01T13:00:00Z"))
            .unwrap()
            .up_to_date
    );
    let report = site.try_build(at("2026-06-03T09:00:00Z")).unwrap();
    assert!(!report.up_to_date);
    assert!(site.exists("city/later/index.html"));
}

/// A build within the second an article turns 48 hours old, and later
/// builds, leave it out of the news sitemap as a clean build does.
#[test]
fn an_article_leaves_the_news_sitemap_at_48_hours_whenever_the_last_build_ran() {
    for last in ["2026-06-03T08:00:00Z", "2026-06-03T08:00:00.700Z"] {
        let site = common::port_newsroom();
        site.article(
            "city/fresh.md",
            "title = \"Fresh\"\ndate = 2026-06-01T08:00:00Z",
            "Today's news.\n",
        );
        let at = |t: &str| site.options_at(t);
        site.try_build(at("2026-06-03T07:59:59Z")).unwrap();
        assert!(site.read("news-sitemap.xml").contains("/city/fresh/"));
        assert!(site.read("robots.txt").contains("/news-sitemap.xml"));
        // With no story of the last 48 hours, no news sitemap (one must
        // list an address), and robots.txt names none.
        site.try_build(at(last)).unwrap();
        assert!(!site.exists("news-sitemap.xml"), "{last}");
        assert!(!site.read("robots.txt").contains("news-sitemap"), "{last}");
        site.try_build(at("2026-06-10T00:00:00Z")).unwrap();
        assert!(!site.exists("news-sitemap.xml"), "{last}");
        let clean = tempfile::tempdir().unwrap();
        site.try_build(BuildOptions {
            output: Some(clean.path().join("site")),
            ..at("2026-06-10T00:00:00Z")
        })
        .unwrap();
        assert_eq!(
            snapshot(&site.out("")),
            snapshot(&clean.path().join("site")),
            "{last}"
        );
    }
}

/// With `--drafts`, a draft dated later is scheduled as any article is:
/// once its time has come, the next build is not up to date and has it.
#[test]
fn time_passing_publishes_a_scheduled_draft_when_drafts_are_built() {
    let site = common::port_newsroom();
    site.article(
        "city/later-draft.md",
        "title = \"Later draft\"\ndate = 2026-06-03T08:00:00Z\ndraft = true",
        "Tomorrow's draft.\n",
    );
    let at = |t: &str| BuildOptions {
        drafts: true,
        ..site.options_at(t)
    };
    let first = site.try_build(at("2026-06-01T13:00:00Z")).unwrap();
    assert!(!first.up_to_date);
    assert!(!site.exists("city/later-draft/index.html"));
    let report = site.try_build(at("2026-06-03T09:00:00Z")).unwrap();
    assert!(!report.up_to_date);
    assert!(site.exists("city/later-draft/index.html"));
}

#[test]
fn the_summary_counts_files_and_stages_and_draws_no_bar_into_a_pipe() {
    let site = common::port_newsroom();
    let out = site.run(&["build", "--now", NOW]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("files: 61 written, 0 unchanged"),
        "{stdout}"
    );
    let stages = stdout.lines().find(|l| l.starts_with("stages: ")).unwrap();
    for stage in ["load", "taxonomy", "markdown", "render", "output"] {
        assert!(stages.contains(&format!("{stage} ")), "{stages}");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("rendering"), "{stderr}");
    let again = site.run(&["build", "--now", NOW]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout.contains("nothing changed since the last build"),
        "{stdout}"
    );
    let full = site.run(&["build", "--now", NOW, "--full"]);
    let stdout = String::from_utf8_lossy(&full.stdout);
    assert!(
        stdout.contains("files: 0 written, 61 unchanged (kept from the last build)\n"),
        "{stdout}"
    );
    // A file gone from the site is counted too.
    std::fs::remove_file(site.root().join("static/logo.svg")).unwrap();
    let fewer = site.run(&["build", "--now", NOW]);
    let stdout = String::from_utf8_lossy(&fewer.stdout);
    assert!(
        stdout.contains("files: 0 written, 60 unchanged (kept from the last build), 1 removed\n"),
        "{stdout}"
    );
}

/// On a terminal the render stage draws a progress bar, and clears it
/// before the summary. `script` (util-linux) gives the build a terminal.
#[cfg(target_os = "linux")]
#[test]
fn a_terminal_gets_a_progress_bar_cleared_before_the_summary() {
    let site = common::port_newsroom();
    let build = format!("'{}' build --now {NOW}", env!("CARGO_BIN_EXE_dateline"));
    let out = std::process::Command::new("script")
        .args(["-qec", &build, "/dev/null"])
        .env("TERM", "xterm")
        .current_dir(site.root())
        .output()
        .expect("`script` (util-linux) runs the build on a terminal");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    let bar = shown.find("rendering ").expect(&shown);
    let summary = shown.find("built ").expect(&shown);
    assert!(bar < summary, "{shown}");
    let drawn = &shown[bar..summary];
    assert!(drawn.contains(" pages, "), "{drawn:?}");
    // The last drawing is erased (carriage return, erase line) before the
    // summary is printed, so no half bar is left on the screen.
    assert!(
        drawn.trim_end_matches(['\r', '\n']).ends_with("\r\x1b[2K"),
        "{drawn:?}"
    );
}

/// A site's own file over one the build makes (`static/robots.txt`): the
/// output has the site's, it counts once in "files: N written", and the
/// build after finds nothing changed.
#[test]
fn a_sites_own_file_over_a_made_one_is_recorded_and_counted_as_the_one_there() {
    let site = common::port_newsroom();
    let own = "User-agent: *\nDisallow: /drafts/\n";
    site.write("static/robots.txt", own);
    let first = site.build();
    assert_eq!(site.read("robots.txt"), own);
    // The robots.txt made and then replaced is not a file of the output.
    let files = common::snapshot(&site.out("")).len();
    assert_eq!((first.files.written, first.files.kept), (files, 0));
    let second = site.build();
    assert!(second.up_to_date, "{:?}", second.files);
    assert_eq!(site.read("robots.txt"), own);
    // Not up to date: every file is compared and kept, robots.txt once.
    site.article(
        "city/ferry.md",
        "title = \"Ferry\"\ndate = 2026-05-20\ntags = [\"Port\"]",
        "The ferry is back, on time.\n",
    );
    let third = site.build();
    assert!(third.files.written > 0, "{:?}", third.files);
    assert_eq!(third.files.written + third.files.kept, files);
}

/// Adding a site's own file where the build made one before never writes
/// into the previous output's file, which the new output may have kept by
/// a hard link.
#[test]
fn a_sites_own_file_added_leaves_the_previous_output_file_as_it_was() {
    let site = common::port_newsroom();
    site.build();
    let made = site.read("robots.txt");
    // Another name for the previous output's file.
    let witness = site.root().join("witness.txt");
    std::fs::hard_link(site.out("robots.txt"), &witness).unwrap();
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build();
    assert_eq!(site.read("robots.txt"), "User-agent: *\nDisallow: /\n");
    assert_eq!(std::fs::read_to_string(&witness).unwrap(), made);
}
