//! Fixture sites for integration tests: a temporary folder with a
//! `site.toml`, files written by the test, and helpers to build it and read
//! what was written.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dateline::{build, BuildFailure, BuildOptions, BuildReport};
use scraper::{Html, Selector};

/// The moment fixture builds run at, so "future" is stable.
pub const NOW: &str = "2026-06-01T12:00:00Z";

pub const SITE_TOML: &str = r#"title = "The Test Gazette"
base_url = "https://gazette.example.com/"
timezone = "America/New_York"
paginate_by = 2
"#;

pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A site with the default `site.toml` and nothing else.
    pub fn new() -> Site {
        Site::with_config(SITE_TOML)
    }

    pub fn with_config(config: &str) -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        site.write("site.toml", config);
        std::fs::create_dir_all(site.root().join("content")).unwrap();
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Site {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Site {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Write an article with the given front matter lines and body.
    pub fn article(&self, rel: &str, front_matter: &str, body: &str) -> &Site {
        self.write(
            &format!("content/{rel}"),
            &format!("+++\n{front_matter}\n+++\n\n{body}"),
        )
    }

    pub fn options(&self) -> BuildOptions {
        self.options_at(NOW)
    }

    /// The options of a build at the moment `now` (`2026-06-01T12:00:00Z`).
    pub fn options_at(&self, now: &str) -> BuildOptions {
        BuildOptions {
            now: Some(now.parse().unwrap()),
            ..BuildOptions::new(self.root())
        }
    }

    pub fn build(&self) -> BuildReport {
        self.try_build(self.options())
            .unwrap_or_else(|f| panic!("build failed: {}", f.errors))
    }

    /// Build, and the warnings as the command prints them (without
    /// `warning: `).
    pub fn warned(&self) -> Vec<String> {
        self.build()
            .warnings
            .iter()
            .map(|w| w.to_string())
            .collect()
    }

    pub fn try_build(&self, options: BuildOptions) -> Result<BuildReport, BuildFailure> {
        build(&options)
    }

    pub fn out(&self, rel: &str) -> PathBuf {
        self.root().join("public").join(rel)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out(rel).exists()
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out(rel)).unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    pub fn page(&self, rel: &str) -> Page {
        Page(Html::parse_document(&self.read(rel)))
    }

    /// Run the `dateline` binary in this site.
    pub fn run(&self, args: &[&str]) -> Output {
        dateline_bin()
            .args(args)
            .current_dir(self.root())
            .output()
            .unwrap()
    }
}

pub fn dateline_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dateline"))
}

/// What a command that must succeed printed; its errors if it failed.
pub fn stdout_of(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Send `signal` (`-INT`, `-TERM`, ...) to `child` with `kill`; whether it
/// was sent.
#[cfg(unix)]
pub fn send_signal(child: &std::process::Child, signal: &str) -> bool {
    Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success())
}

/// Five business stories sharing the tag "Port" (each with a tag of its
/// own), a city story linking to one of them, and a static file: the site
/// the incremental-build and dev-server tests change.
pub fn port_newsroom() -> Site {
    let site = Site::new();
    for (i, day) in [10, 11, 12, 13, 14].iter().enumerate() {
        site.article(
            &format!("business/story-{i}.md"),
            &format!(
                "title = \"Story {i}\"\ndate = 2026-05-{day}T09:00:00Z\nauthors = [\"Ana Díaz\"]\ntags = [\"Port\", \"Money {i}\"]"
            ),
            &format!("Body of story {i}.\n\nMore of story {i}.\n"),
        );
    }
    site.article(
        "city/ferry.md",
        "title = \"Ferry\"\ndate = 2026-05-20\ntags = [\"Port\"]",
        "The ferry is back. See [story 1](@/business/story-1.md).\n",
    );
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site
}

/// A parsed output page.
pub struct Page(pub Html);

impl Page {
    pub fn all(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let sel = Selector::parse(css).unwrap();
        self.0.select(&sel).collect()
    }

    /// The whitespace-normalised text of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.all(css)
            .iter()
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        let t = self.texts(css);
        assert!(!t.is_empty(), "nothing matches {css}");
        t[0].clone()
    }

    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.all(css)
            .iter()
            .filter_map(|e| e.value().attr(attr).map(String::from))
            .collect()
    }
}

/// Every file under `dir` with its bytes, for comparing whole outputs.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Give a folder a modification time an hour ago.
pub fn make_old(dir: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::open(dir)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
}
