//! `dateline serve` over HTTP: pages, 404s and traversal attempts, and the
//! edit-save-see loop: the watcher rebuilds, the live-reload channel tells
//! the tabs, a broken edit is reported while the last good page is served.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{dateline_bin, Site};

const WAIT: Duration = Duration::from_secs(15);

fn newsroom() -> Site {
    let site = Site::new();
    for i in 0..3 {
        site.article(
            &format!("business/story-{i}.md"),
            &format!(
                "title = \"Story {i}\"\ndate = 2026-05-1{i}T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\"]"
            ),
            &format!("Body of story {i}.\n"),
        );
    }
    site
}

/// A running `dateline serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    /// The temporary folder it builds the site into, once a build
    /// succeeded.
    folder: Option<std::path::PathBuf>,
    /// Lines the server printed up to its address, and after it.
    before: Vec<String>,
    output: mpsc::Receiver<String>,
}

impl Server {
    fn start(site: &Site, extra: &[&str]) -> Server {
        let mut args = vec!["--now", common::NOW];
        args.extend(extra);
        Server::start_on_the_clock(site, &args)
    }

    /// A server on the real clock, not the tests' fixed moment.
    fn start_on_the_clock(site: &Site, extra: &[&str]) -> Server {
        Server::spawn(site, extra, &[])
    }

    /// A server whose temporary folder is made in `temp`.
    fn start_in(site: &Site, temp: &std::path::Path) -> Server {
        Server::spawn(site, &["--now", common::NOW], &[("TMPDIR", temp)])
    }

    /// A server with `env` set in its environment.
    fn spawn(site: &Site, extra: &[&str], env: &[(&str, &std::path::Path)]) -> Server {
        let mut command = dateline_bin();
        command.envs(env.iter().copied());
        let mut child = command
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, output) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let deadline = Instant::now() + WAIT;
        let mut folder = None;
        let mut before = Vec::new();
        let addr = loop {
            let line = output
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("the server printed no address");
            before.push(line.clone());
            // "built ... into /tmp/.tmpXXXXXX/site in 0.07 s"
            if let Some((_, rest)) = line.split_once(" into ") {
                folder = rest.rsplit_once(" in ").map(|(f, _)| f.into());
            }
            if let Some(rest) = line.strip_prefix("serving at http://") {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        Server {
            child,
            addr,
            folder,
            before,
            output,
        }
    }

    /// Stop the server as a process manager would (SIGTERM where there is
    /// one) and wait for it; its exit status.
    fn stop(&mut self) -> std::process::ExitStatus {
        self.stop_with("-TERM")
    }

    /// Send `signal` (on Unix) and wait for the server to end; killed if it
    /// has not after `WAIT`. Its exit status.
    fn stop_with(&mut self, signal: &str) -> std::process::ExitStatus {
        // Already stopped and reaped: its process id may be another's now.
        if let Some(status) = self.child.try_wait().unwrap() {
            return status;
        }
        #[cfg(unix)]
        if common::send_signal(&self.child, signal) {
            let deadline = Instant::now() + WAIT;
            while Instant::now() < deadline {
                if let Some(status) = self.child.try_wait().unwrap() {
                    return status;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        #[cfg(not(unix))]
        let _ = signal;
        let _ = self.child.kill();
        self.child.wait().unwrap()
    }

    /// GET `path` with the header lines `headers`: status, headers and
    /// body.
    fn get_with(&self, path: &str, headers: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\n{headers}Connection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head.to_lowercase(), body.to_string())
    }

    /// GET `path` exactly as given: status, headers and body.
    fn get(&self, path: &str) -> (u16, String, String) {
        self.get_with(path, "")
    }

    /// Wait until GET `path` satisfies `ok`.
    fn until(&self, path: &str, what: &str, ok: impl Fn(u16, &str) -> bool) {
        let deadline = Instant::now() + WAIT;
        loop {
            let (status, _, body) = self.get(path);
            if ok(status, &body) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never {what}: {status} {body}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Listen on the live-reload channel: each event's name and data.
    fn listen(&self) -> mpsc::Receiver<(String, String)> {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET /__dateline/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            let mut data = Vec::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push(d.to_string());
                } else if line.is_empty() && !name.is_empty() {
                    let _ = tx.send((std::mem::take(&mut name), data.join("\n")));
                    data.clear();
                }
            }
        });
        // Let the server register the listener before anything changes.
        std::thread::sleep(Duration::from_millis(200));
        rx
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Stopped in order, so that its temporary folder goes too.
        let _ = self.stop();
    }
}

/// The next event after the `hello` each stream starts with.
fn next_event(events: &mpsc::Receiver<(String, String)>) -> (String, String) {
    loop {
        let event = events.recv_timeout(WAIT).expect("no live-reload event");
        if event.0 != "hello" {
            return event;
        }
    }
}

/// Each stream first says which server and build it is of, as every page
/// served says it was: a tab reloads when they differ, and only then.
#[test]
fn a_stream_says_which_build_it_is_of_as_pages_do() {
    let site = newsroom();
    site.write("templates/style.css", "body { color: #111; }\n");
    let server = Server::start(&site, &[]);
    let version = |body: &str| {
        let (_, rest) = body.split_once("data-version=\"").expect("a version");
        rest.split('"').next().unwrap().to_string()
    };
    // How many changes a version has told of: it only grows.
    let told = |version: &str| -> u64 { version.rsplit_once('.').unwrap().1.parse().unwrap() };
    let (_, _, page) = server.get("/business/story-1/");
    let events = server.listen();
    let (name, hello) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(
        (name.as_str(), hello.as_str()),
        ("hello", version(&page).as_str())
    );
    // The same again for a stream made again: nothing to reload.
    let again = server.listen();
    assert_eq!(
        again.recv_timeout(WAIT).unwrap(),
        ("hello".to_string(), hello.clone())
    );
    site.article(
        "business/story-1.md",
        "title = \"Story 1, edited\"\ndate = 2026-05-11T09:00:00Z",
        "Edited.\n",
    );
    let (name, after) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "reload");
    assert!(told(&after) > told(&hello), "{hello} then {after}");
    let (_, _, page) = server.get("/business/story-1/");
    assert_eq!(version(&page), after);
    // A tab whose page is of the build before hears another `hello`.
    let late = server.listen();
    assert_eq!(
        late.recv_timeout(WAIT).unwrap(),
        ("hello".to_string(), after.clone())
    );
    // A stylesheet change is a change too, and says its own version.
    site.write("templates/style.css", "body { color: #222; }\n");
    let (name, styled) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "stylesheet");
    assert!(told(&styled) > told(&after), "{after} then {styled}");
    assert_eq!(version(&server.get("/business/story-1/").2), styled);
    // A failure changes no version; its fix does, and a stream opened
    // after the fix hears of no failure.
    site.write(
        "content/business/story-1.md",
        "+++\ntitle = \"Story 1\"\ndate = \"yesterday\"\n+++\n",
    );
    assert_eq!(events.recv_timeout(WAIT).unwrap().0, "failed");
    let meanwhile = server.listen();
    assert_eq!(
        meanwhile.recv_timeout(WAIT).unwrap(),
        ("hello".to_string(), styled.clone())
    );
    assert_eq!(meanwhile.recv_timeout(WAIT).unwrap().0, "failed");
    site.article(
        "business/story-1.md",
        "title = \"Story 1\"\ndate = 2026-05-11T09:00:00Z",
        "Fixed.\n",
    );
    let (name, fixed) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "reload");
    assert!(told(&fixed) > told(&styled), "{styled} then {fixed}");
    let after_fix = server.listen();
    assert_eq!(
        after_fix.recv_timeout(WAIT).unwrap(),
        ("hello".to_string(), fixed)
    );
    assert!(after_fix.recv_timeout(Duration::from_millis(500)).is_err());
}

#[test]
fn pages_get_the_script_missing_pages_the_404_and_nothing_leaves_the_site() {
    let site = newsroom();
    site.write("static/notes.txt", "plain text");
    let server = Server::start(&site, &[]);
    let (status, head, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(body.contains("<script src=\"/__dateline/live.js\" data-version=\""));
    assert!(body.contains("\" defer></script>\n</body>"));
    let (status, head, _) = server.get("/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"), "{head}");
    let (status, head, _) = server.get("/notes.txt");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/plain"), "{head}");
    let (status, head, _) = server.get("/business/story-1");
    assert_eq!(status, 308);
    assert!(head.contains("location: /business/story-1/"), "{head}");
    // Never to another host (`//business/` is one), and the query kept.
    let (status, head, _) = server.get("//business?page=2");
    assert_eq!(status, 308);
    assert!(head.contains("location: /business/?page=2\r\n"), "{head}");
    let mut post = TcpStream::connect(&server.addr).unwrap();
    write!(
        post,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    post.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("allow: get, head\r\n"),
        "{answer}"
    );
    let (status, _, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "{body}");
    // A file asked for as a folder, as a static host answers it.
    let (status, _, body) = server.get("/style.css/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "{body}");
    for probe in [
        "/../site.toml",
        "/business/../../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E%2Fsite.toml",
        "/..%5Csite.toml",
        "//etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    ] {
        let (status, _, body) = server.get(probe);
        assert_eq!(status, 404, "{probe}");
        assert!(!body.contains("The Test Gazette\"\nbase_url"), "{probe}");
        assert!(!body.contains("root:"), "{probe}");
    }
    let (status, _, body) = server.get("/__dateline/live.js");
    assert_eq!(status, 200);
    assert!(body.contains("EventSource"));
    // The worker that shares one event stream among the tabs.
    let (status, head, body) = server.get("/__dateline/worker.js");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/javascript"), "{head}");
    assert!(body.contains("onconnect") && body.contains("/__dateline/events"));
    // Many readers at once.
    let readers: Vec<_> = (0..32)
        .map(|i| {
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(&addr).unwrap();
                let path = format!("/business/story-{}/", i % 3);
                write!(
                    s,
                    "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                )
                .unwrap();
                let mut out = String::new();
                s.read_to_string(&mut out).unwrap();
                out.starts_with("HTTP/1.1 200")
            })
        })
        .collect();
    assert!(readers.into_iter().all(|r| r.join().unwrap()));
    // A build writes no live-reload script.
    let out = site.run(&["build", "--now", common::NOW]);
    assert!(out.status.success());
    assert!(!site.read("index.html").contains("__dateline"));
}

/// A large file (a video) is sent as it is read, and in the ranges a
/// player asks for.
#[test]
fn files_are_served_in_ranges() {
    let site = newsroom();
    let text: String = (0..20_000).map(|i| format!("{i:05}\n")).collect();
    site.write("static/log.txt", &text);
    let server = Server::start(&site, &[]);
    let (status, head, body) = server.get_with("/log.txt", "Range: bytes=6-17\r\n");
    assert_eq!(status, 206, "{head}");
    assert!(head.contains("content-range: bytes 6-17/120000"), "{head}");
    assert!(
        head.contains("content-type: text/plain; charset=utf-8"),
        "{head}"
    );
    assert!(head.contains("cache-control: no-store"), "{head}");
    assert_eq!(body, "00001\n00002\n");
    let (status, head, body) = server.get("/log.txt");
    assert_eq!(status, 200);
    assert!(head.contains("accept-ranges: bytes"), "{head}");
    assert_eq!(body, text);
    let (status, _, _) = server.get_with("/log.txt", "Range: bytes=200000-\r\n");
    assert_eq!(status, 416);
}

#[test]
fn edits_renames_and_deletions_are_served_and_tabs_reload() {
    let site = newsroom();
    let server = Server::start(&site, &[]);
    let events = server.listen();
    site.article(
        "business/story-1.md",
        "title = \"Story 1, updated\"\ndate = 2026-05-11T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\"]",
        "New body.\n",
    );
    server.until("/business/story-1/", "showed the edit", |s, b| {
        s == 200 && b.contains("Story 1, updated")
    });
    server.until("/tags/port/", "listed the new headline", |_, b| {
        b.contains("Story 1, updated")
    });
    assert_eq!(next_event(&events).0, "reload");
    // Written elsewhere, then renamed into place, as many editors save.
    let tmp = site.root().join("content/business/.story-0.md.tmp");
    std::fs::write(
        &tmp,
        "+++\ntitle = \"Story 0, saved by rename\"\ndate = 2026-05-10T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\"]\n+++\n\nBody.\n",
    )
    .unwrap();
    std::fs::rename(&tmp, site.root().join("content/business/story-0.md")).unwrap();
    server.until("/business/story-0/", "showed the renamed save", |_, b| {
        b.contains("Story 0, saved by rename")
    });
    // Deleted, then written again, as other editors save.
    let story = site.root().join("content/business/story-0.md");
    std::fs::remove_file(&story).unwrap();
    std::fs::write(
        &story,
        "+++\ntitle = \"Story 0, deleted and written again\"\ndate = 2026-05-10T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\"]\n+++\n\nBody.\n",
    )
    .unwrap();
    server.until("/business/story-0/", "showed the save", |s, b| {
        s == 200 && b.contains("Story 0, deleted and written again")
    });
    let content = site.root().join("content/business");
    std::fs::rename(content.join("story-2.md"), content.join("story-two.md")).unwrap();
    server.until("/business/story-two/", "appeared", |s, _| s == 200);
    server.until("/business/story-2/", "went away", |s, _| s == 404);
    std::fs::remove_file(content.join("story-two.md")).unwrap();
    server.until("/business/story-two/", "went away", |s, _| s == 404);
    server.until("/business/", "dropped the story", |_, b| {
        !b.contains("Story 2")
    });
}

#[test]
fn a_broken_edit_is_shown_in_the_tab_while_the_last_good_page_is_served() {
    let site = newsroom();
    let server = Server::start(&site, &[]);
    let events = server.listen();
    site.write(
        "content/business/story-1.md",
        "+++\ntitle = \"Story 1\"\ndate = \"yesterday\"\n+++\n\nBroken.\n",
    );
    let (name, data) = next_event(&events);
    assert_eq!(name, "failed");
    assert!(data.contains("content/business/story-1.md:3:8"), "{data}");
    let (status, _, body) = server.get("/business/story-1/");
    assert_eq!(status, 200);
    assert!(body.contains("Body of story 1."));
    // A tab opened now hears of the failure at once.
    let late = server.listen();
    assert_eq!(next_event(&late).0, "failed");
    // The terminal says the same.
    let deadline = Instant::now() + WAIT;
    let mut printed = String::new();
    while !printed.contains("story-1.md:3:8") && Instant::now() < deadline {
        if let Ok(line) = server.output.recv_timeout(Duration::from_millis(100)) {
            printed.push_str(&line);
        }
    }
    assert!(printed.contains("story-1.md:3:8"), "{printed}");
    // An editor's swap file and a note beside site.toml are not the site:
    // they mend nothing, and the failure still stands for a new tab.
    site.write("content/business/.story-1.md.swp", "swap");
    site.write("NOTES.txt", "to do");
    std::thread::sleep(Duration::from_millis(500));
    let later = server.listen();
    assert_eq!(next_event(&later).0, "failed");
    // Mended as it was before: no page changes, but the tabs reload to
    // clear the message, and the terminal says so.
    site.article(
        "business/story-1.md",
        "title = \"Story 1\"\ndate = 2026-05-11T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\"]",
        "Body of story 1.\n",
    );
    assert_eq!(next_event(&events).0, "reload");
    let deadline = Instant::now() + WAIT;
    let mut printed = String::new();
    while !printed.contains("builds again") && Instant::now() < deadline {
        if let Ok(line) = server.output.recv_timeout(Duration::from_millis(100)) {
            printed.push_str(&line);
        }
    }
    assert!(
        printed.contains("0 files changed; the site builds again"),
        "{printed}"
    );
    let later = server.listen();
    site.article(
        "business/story-1.md",
        "title = \"Story 1, mended\"\ndate = 2026-05-11T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\"]",
        "Mended.\n",
    );
    assert_eq!(next_event(&later).0, "reload");
    server.until("/business/story-1/", "showed the fix", |_, b| {
        b.contains("Story 1, mended")
    });
}

#[test]
fn a_site_broken_from_the_start_is_served_with_its_errors_until_mended() {
    let site = newsroom();
    site.write(
        "content/business/story-1.md",
        "+++\ntitle = \"Story 1\"\ndate = \"yesterday\"\n+++\n\nBroken.\n",
    );
    let server = Server::start(&site, &[]);
    assert!(server.folder.is_none());
    // Any address: a page that carries the live script.
    let (status, _, body) = server.get("/");
    assert_eq!(status, 404);
    assert!(body.contains("/__dateline/live.js"), "{body}");
    // The errors are in the page too, for a reader without scripts.
    assert!(
        body.contains("<pre>error: content/business/story-1.md:3:8: `date` must be a date"),
        "{body}"
    );
    let events = server.listen();
    let (name, data) = next_event(&events);
    assert_eq!(name, "failed");
    assert!(data.contains("content/business/story-1.md:3:8"), "{data}");
    site.article(
        "business/story-1.md",
        "title = \"Story 1\"\ndate = 2026-05-11T09:00:00Z",
        "Mended.\n",
    );
    assert_eq!(next_event(&events).0, "reload");
    server.until("/business/story-1/", "showed the fix", |status, b| {
        status == 200 && b.contains("Mended.")
    });
}

#[test]
fn a_folder_removed_and_made_again_is_still_watched() {
    let site = newsroom();
    site.write("static/old.txt", "old");
    let server = Server::start(&site, &[]);
    server.until("/old.txt", "was served", |s, b| s == 200 && b == "old");
    // As `git checkout` or `rm -r static && cp -r ...` do it.
    std::fs::remove_dir_all(site.root().join("static")).unwrap();
    site.write("static/first.txt", "first");
    server.until("/first.txt", "was served", |s, b| s == 200 && b == "first");
    site.write("static/second.txt", "second");
    server.until("/second.txt", "was served", |s, b| {
        s == 200 && b == "second"
    });
}

/// A story kept outside `content/` and linked in is watched where it is.
#[cfg(unix)]
#[test]
fn a_story_linked_in_from_outside_content_is_watched_where_it_is() {
    let site = newsroom();
    let story = "+++\ntitle = \"Shared notice\"\ndate = 2026-05-15T09:00:00Z\n+++\n\nShared.\n";
    site.write("shared/notice.md", story);
    std::os::unix::fs::symlink(
        "../../shared/notice.md",
        site.root().join("content/business/notice.md"),
    )
    .unwrap();
    let server = Server::start(&site, &[]);
    server.until("/business/notice/", "was served", |s, b| {
        s == 200 && b.contains("Shared notice")
    });
    site.write(
        "shared/notice.md",
        &story.replace("Shared notice", "Shared notice, edited"),
    );
    server.until("/business/notice/", "showed the edit", |_, b| {
        b.contains("Shared notice, edited")
    });
}

/// A story kept in `shared/`, to be linked into `content/`.
#[cfg(unix)]
fn shared_story(title: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = 2026-05-15T09:00:00Z\n+++\n\nShared.\n")
}

/// A story reached through a chain of links is rebuilt when a link in the
/// middle of the chain is pointed elsewhere.
#[cfg(unix)]
#[test]
fn a_link_in_the_middle_of_a_chain_pointed_elsewhere_is_seen() {
    let site = newsroom();
    site.write("shared/v1/notice.md", &shared_story("First version"));
    site.write("shared/v2/notice.md", &shared_story("Second version"));
    // content/business/notice.md -> shared/current/notice.md, where
    // shared/current is itself a link to v1.
    std::os::unix::fs::symlink("v1", site.root().join("shared/current")).unwrap();
    std::os::unix::fs::symlink(
        "../../shared/current/notice.md",
        site.root().join("content/business/notice.md"),
    )
    .unwrap();
    let server = Server::start(&site, &[]);
    server.until("/business/notice/", "was served", |s, b| {
        s == 200 && b.contains("First version")
    });
    // Re-pointed in one step (a new link renamed over the old).
    std::os::unix::fs::symlink("v2", site.root().join("shared/next")).unwrap();
    std::fs::rename(
        site.root().join("shared/next"),
        site.root().join("shared/current"),
    )
    .unwrap();
    server.until("/business/notice/", "showed the other version", |_, b| {
        b.contains("Second version")
    });
}

/// A linked folder removed and made again (`rm -r`, a copy, a `git
/// checkout`) is watched again.
#[cfg(unix)]
#[test]
fn a_linked_folder_removed_and_made_again_is_still_watched() {
    let site = newsroom();
    site.write("shared/feature/index.md", &shared_story("Feature"));
    std::os::unix::fs::symlink(
        "../../shared/feature",
        site.root().join("content/business/feature"),
    )
    .unwrap();
    let server = Server::start(&site, &[]);
    server.until("/business/feature/", "was served", |s, b| {
        s == 200 && b.contains("Feature")
    });
    let events = server.listen();
    std::fs::remove_dir_all(site.root().join("shared/feature")).unwrap();
    // The link leads nowhere for a while: the build fails.
    assert_eq!(next_event(&events).0, "failed");
    site.write(
        "shared/feature/index.md",
        &shared_story("Feature, copied back"),
    );
    server.until("/business/feature/", "showed the copy", |_, b| {
        b.contains("Feature, copied back")
    });
    site.write(
        "shared/feature/index.md",
        &shared_story("Feature, then edited"),
    );
    server.until("/business/feature/", "showed the edit", |_, b| {
        b.contains("Feature, then edited")
    });
}

#[test]
fn a_stylesheet_change_swaps_the_stylesheet_without_a_reload() {
    let site = newsroom();
    site.write("templates/style.css", "body { background: #fff; }\n");
    let server = Server::start(&site, &[]);
    let events = server.listen();
    site.write("templates/style.css", "body { background: #fffdf8; }\n");
    assert_eq!(next_event(&events).0, "stylesheet");
    server.until("/style.css", "changed", |_, b| b.contains("#fffdf8"));
}

#[cfg(unix)]
#[test]
fn a_scheduled_story_goes_live_at_its_time_without_an_edit() {
    let site = newsroom();
    let soon = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(3))
        .unwrap()
        .round(jiff::Unit::Second)
        .unwrap();
    site.article(
        "business/soon.md",
        &format!("title = \"Soon\"\ndate = {soon}"),
        "Not yet.\n",
    );
    let server = Server::start_on_the_clock(&site, &[]);
    assert_eq!(server.get("/business/soon/").0, 404);
    let events = server.listen();
    // Nothing is saved: the server rebuilds when the time comes, and the
    // open tabs reload.
    let (event, _) = next_event(&events);
    assert_eq!(event, "reload");
    assert!(jiff::Timestamp::now() >= soon);
    assert_eq!(server.get("/business/soon/").0, 200);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = newsroom();
    let mut server = Server::start(&site, &[]);
    let _events = server.listen();
    // Killed (and so failed) if still running after `WAIT`.
    let status = server.stop_with("-INT");
    assert!(status.success(), "{status}");
}

#[test]
fn a_server_for_other_machines_links_to_the_address_it_is_given() {
    let site = newsroom();
    // On every address without --base-url: the pages' links reach only
    // this machine, and the server says so.
    let server = Server::start(&site, &["--bind", "0.0.0.0"]);
    let (_, _, body) = server.get("/business/story-1/");
    let own = format!("href=\"http://{}/business/story-1/\"", server.addr);
    assert!(body.contains(&own), "{body}");
    let said = server.before.join("\n");
    assert!(said.contains("which reaches only this machine"), "{said}");
    assert!(said.contains("--base-url"), "{said}");
    drop(server);
    let given = "http://newsroom-laptop.local:8080/";
    let server = Server::start(&site, &["--bind", "0.0.0.0", "--base-url", given]);
    let (_, _, body) = server.get("/business/story-1/");
    let canonical = format!("<link rel=\"canonical\" href=\"{given}business/story-1/\">");
    assert!(body.contains(&canonical), "{body}");
    assert!(!server.before.join("\n").contains("reaches only"));
    // A base URL with a path would lead every link past the site.
    let out = site.run(&[
        "serve",
        "--port",
        "0",
        "--base-url",
        "http://x.example/news/",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error: --base-url: "), "{err}");
    assert!(err.contains("must have no path"), "{err}");
}

/// The allocator would back its memory with 2 MiB pages, which cost a
/// build memory and time for nothing; the process turns them off.
#[cfg(target_os = "linux")]
#[test]
fn the_process_runs_without_transparent_huge_pages() {
    let site = newsroom();
    let server = Server::start(&site, &[]);
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let thp = status.lines().find(|l| l.starts_with("THP_enabled:"));
    // Kernels before 5.0 do not show the setting.
    if let Some(line) = thp {
        assert_eq!(line.split_whitespace().nth(1), Some("0"), "{status}");
        // The browser `--open` starts is not held to it.
        let said = site.root().join("browser.txt");
        let browser = site.root().join("browser.sh");
        let script = format!(
            "#!/bin/sh\ngrep THP_enabled /proc/$$/status > {}\n",
            said.display()
        );
        std::fs::write(&browser, script).unwrap();
        std::fs::set_permissions(
            &browser,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        let _server = Server::spawn(&site, &["--open"], &[("BROWSER", &browser)]);
        let deadline = Instant::now() + WAIT;
        let written = || std::fs::read_to_string(&said).is_ok_and(|t| t.ends_with('\n'));
        while !written() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        // As the tests themselves have it (0 where the kernel has none).
        let ours = std::fs::read_to_string("/proc/self/status").unwrap();
        let ours = ours.lines().find(|l| l.starts_with("THP_enabled:"));
        let browser_thp = std::fs::read_to_string(&said).unwrap();
        assert_eq!(Some(browser_thp.trim_end()), ours, "{browser_thp}");
    }
}

#[test]
fn a_port_in_use_is_named() {
    let site = newsroom();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = site.run(&["serve", "--port", &port]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(stderr.contains("already in use"), "{stderr}");
}

#[test]
fn a_root_that_is_not_there_is_said_before_anything_is_built() {
    let site = newsroom();
    let missing = site.root().join("elsewhere");
    let out = site.run(&["serve", "--port", "0", "--root", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: --root: there is no folder {}; give the folder that holds site.toml\n",
            missing.display()
        )
    );
}

#[test]
fn hundreds_of_files_at_once_end_in_a_correct_build_and_no_loop() {
    let site = newsroom();
    let server = Server::start(&site, &[]);
    let events = server.listen();
    assert_eq!(events.recv_timeout(WAIT).unwrap().0, "hello");
    // As a `git checkout` does: many files written in a burst.
    for i in 0..200 {
        site.article(
            &format!("city/bulk-{i}.md"),
            &format!("title = \"Bulk {i}\"\ndate = 2026-04-01T09:00:00Z\ntags = [\"Bulk\"]"),
            "Text.\n",
        );
    }
    server.until("/city/bulk-199/", "appeared", |s, _| s == 200);
    server.until("/city/bulk-0/", "appeared", |s, _| s == 200);
    let mut reloads = 0;
    while let Ok((name, _)) = events.recv_timeout(Duration::from_millis(1500)) {
        assert_eq!(name, "reload");
        reloads += 1;
        assert!(reloads <= 3, "rebuilt {reloads} times for one burst");
    }
    assert!(reloads >= 1);
    let (_, _, tags) = server.get("/tags/bulk/");
    assert!(tags.contains("Bulk 0"), "{tags}");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_and_removes_its_temporary_site() {
    let site = newsroom();
    let mut server = Server::start(&site, &[]);
    assert!(server.folder.as_ref().unwrap().join("index.html").is_file());
    let status = server.stop();
    assert!(status.success(), "{status}");
    // Everything it printed, up to the end of its output.
    let printed: Vec<String> =
        std::iter::from_fn(|| server.output.recv_timeout(WAIT).ok()).collect();
    assert!(printed.iter().any(|l| l == "stopped"), "{printed:?}");
    let temporary = server.folder.as_ref().unwrap().parent().unwrap();
    assert!(!temporary.exists(), "{} is left", temporary.display());
}

/// The server's temporary folders under `temp`.
#[cfg(unix)]
fn serve_folders(temp: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(temp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("dateline-serve-")
        })
        .collect()
}

/// Neither a client that sends half a request nor a closed terminal
/// (SIGHUP) keeps the server running or its folder on the disk.
#[cfg(unix)]
#[test]
fn a_half_sent_request_or_sighup_still_stops_the_server_in_order() {
    let site = newsroom();
    let temp = tempfile::tempdir().unwrap();
    for signal in ["-TERM", "-HUP"] {
        let mut server = Server::start_in(&site, temp.path());
        let mut half = TcpStream::connect(&server.addr).unwrap();
        half.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let asked = Instant::now();
        // Killed (and so failed) if still running after `WAIT`.
        let status = server.stop_with(signal);
        assert!(status.success(), "{signal}: {status}");
        assert!(
            asked.elapsed() < Duration::from_secs(10),
            "{signal}: {:?}",
            asked.elapsed()
        );
        assert_eq!(
            serve_folders(temp.path()),
            Vec::<std::path::PathBuf>::new(),
            "{signal}"
        );
    }
}

/// The newsroom with `n` more stories: one that takes a while to build.
fn larger_newsroom(n: usize) -> Site {
    let site = newsroom();
    for i in 0..n {
        site.article(
            &format!("city/s{i}.md"),
            &format!(
                "title = \"S{i}\"\ndate = 2026-05-01\ntags = [\"t{}\"]",
                i % 40
            ),
            &"A sentence of the story. ".repeat(200),
        );
    }
    site
}

/// A signal while the first build runs stops it, and the server, in
/// order: nothing is left in the temporary folder.
#[cfg(unix)]
#[test]
fn a_signal_during_the_first_build_leaves_nothing_behind() {
    let site = larger_newsroom(400);
    let temp = tempfile::tempdir().unwrap();
    let said = tempfile::tempdir().unwrap();
    let file = |name: &str| std::fs::File::create(said.path().join(name)).unwrap();
    let mut child = dateline_bin()
        .args(["serve", "--port", "0", "--now", common::NOW])
        .env("TMPDIR", temp.path())
        .current_dir(site.root())
        .stdout(file("stdout"))
        .stderr(file("stderr"))
        .spawn()
        .unwrap();
    // Once the server has made its folder: the build is under way.
    let deadline = Instant::now() + WAIT;
    while serve_folders(temp.path()).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(common::send_signal(&child, "-TERM"));
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    assert_eq!(serve_folders(temp.path()), Vec::<std::path::PathBuf>::new());
    // It was still building: it never served.
    let read = |name: &str| std::fs::read_to_string(said.path().join(name)).unwrap();
    assert!(!read("stdout").contains("serving at"), "{}", read("stdout"));
    assert!(
        read("stderr").contains("stopping the server"),
        "{}",
        read("stderr")
    );
    assert!(read("stdout").ends_with("stopped\n"), "{}", read("stdout"));
}

/// A signal while a change is being rebuilt stops the rebuild and the
/// server; the folder goes once the rebuild has let go of it, and the
/// stopped rebuild is no failure to report.
#[cfg(unix)]
#[test]
fn a_signal_during_a_rebuild_leaves_nothing_behind() {
    let site = larger_newsroom(600);
    let temp = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(&site, temp.path());
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("{config}# edited\n"));
    std::thread::sleep(Duration::from_millis(300));
    let status = server.stop();
    assert!(status.success(), "{status}");
    assert_eq!(serve_folders(temp.path()), Vec::<std::path::PathBuf>::new());
    let printed: Vec<String> =
        std::iter::from_fn(|| server.output.recv_timeout(WAIT).ok()).collect();
    assert!(printed.iter().any(|l| l == "stopped"), "{printed:?}");
    assert!(
        !printed.iter().any(|l| l.contains("build failed")),
        "{printed:?}"
    );
}

/// A server stopped outright (`kill -9`) leaves its temporary site; the
/// next server removes it, but not one a running server holds.
#[cfg(target_os = "linux")]
#[test]
fn a_dev_servers_folder_left_by_kill_9_is_removed_by_the_next_server() {
    use std::os::unix::io::AsRawFd;
    let site = newsroom();
    let temp = tempfile::tempdir().unwrap();
    let mut first = Server::start_in(&site, temp.path());
    let left = first
        .folder
        .clone()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    assert!(left.starts_with(temp.path()), "{}", left.display());
    first.stop_with("-KILL");
    assert!(left.join("site/index.html").is_file());
    common::make_old(&left);
    // Another server's, still running.
    let running = temp.path().join("dateline-serve-Run001");
    std::fs::create_dir(&running).unwrap();
    common::make_old(&running);
    let held = std::fs::File::open(&running).unwrap();
    // SAFETY: flock on a file this test opened and keeps open.
    assert_eq!(unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX) }, 0);

    let mut second = Server::start_in(&site, temp.path());
    let said = format!(
        "removed {}, which a dev server stopped outright had left",
        left.display()
    );
    assert!(second.before.contains(&said), "{:?}", second.before);
    assert!(!left.exists());
    assert!(running.is_dir());
    assert!(second.stop().success());
    drop(held);
}
