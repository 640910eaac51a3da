//! `dateline init`: a new site that builds as it is.

use std::path::Path;

const SITE_TOML: &str = r#"# The site's settings. Every key is described in dateline's README.
title = "My Newsroom"
base_url = "https://news.example.com/"
language = "en"
description = "News from our newsroom."
timezone = "UTC"
paginate_by = 10
"#;

const SECTION: &str = r#"+++
title = "News"
description = "The latest from our newsroom."
+++
"#;

const ARTICLE: &str = r#"+++
title = "Our First Story"
date = 2026-01-05T09:00:00Z
summary = "Every article is a Markdown file with TOML front matter; this one shows the shape."
authors = ["The Editors"]
tags = ["newsroom"]
+++

Articles live in `content/<section>/<slug>.md`. Edit this one, or add a new
file beside it, and run `dateline build`.

## A subhead

Write the body in Markdown: subheads, quotes, lists, tables and code.

> "A pull quote is a blockquote."
"#;

const ABOUT: &str = r#"+++
title = "About"
+++

Who we are, and how to reach the newsroom.
"#;

/// What a build writes into the site folder: the output, its record and,
/// while a build runs, its staging folder.
pub const GITIGNORE: &str = "/public/\n/.public.dateline-*\n";

/// What [`init`] made: whether it kept a `.gitignore` that was there.
pub struct Made {
    pub kept_gitignore: bool,
}

/// Create a site in `dir`: a new folder, or one that holds none of the
/// site's files and folders (a fresh repository's `.git`, `README.md` and
/// `LICENSE` are fine). Nothing that is there is changed; a `.gitignore`
/// there is kept as it is.
pub fn init(dir: &Path) -> Result<Made, String> {
    const SITE: [&str; 5] = ["site.toml", "content", "static", "templates", "public"];
    if dir.exists() && !dir.is_dir() {
        return Err(format!("{}: is a file, not a folder", dir.display()));
    }
    let taken: Vec<&str> = SITE
        .into_iter()
        .filter(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
        .collect();
    if !taken.is_empty() {
        return Err(format!(
            "{}: already has {}; dateline init only creates a site where none of \
             site.toml, content/, static/, templates/ and public/ is",
            dir.display(),
            taken.join(", ")
        ));
    }
    let kept_gitignore = std::fs::symlink_metadata(dir.join(".gitignore")).is_ok();
    let mut files = vec![
        ("site.toml", SITE_TOML),
        ("content/news/_index.md", SECTION),
        ("content/news/our-first-story.md", ARTICLE),
        ("content/about.md", ABOUT),
    ];
    if !kept_gitignore {
        files.push((".gitignore", GITIGNORE));
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    for folder in ["static", "templates"] {
        let path = dir.join(folder);
        std::fs::create_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(Made { kept_gitignore })
}
