//! `dateline init`: a new site that builds as it is; `dateline theme`: the
//! default theme's templates, listed or copied into a site to change them.

use std::path::{Path, PathBuf};

use crate::render::{BUILT_IN, TEMPLATES_DIR};

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

/// A built-in template and the site's own file that replaces it, if any.
pub struct Template {
    pub name: &'static str,
    pub replaced_by: Option<PathBuf>,
}

/// The default theme's templates, and which of them the site at `root`
/// replaces.
pub fn theme(root: &Path) -> Result<Vec<Template>, String> {
    is_site(root)?;
    Ok(BUILT_IN
        .iter()
        .map(|(name, _)| {
            let own = Path::new(TEMPLATES_DIR).join(name);
            Template {
                name,
                replaced_by: root.join(&own).exists().then_some(own),
            }
        })
        .collect())
}

/// Whether `root` holds a site: a `site.toml`.
fn is_site(root: &Path) -> Result<(), String> {
    match root.join(crate::config::CONFIG_FILE).is_file() {
        true => Ok(()),
        false => Err(format!(
            "{}: has no {}; give the site's folder with --root",
            root.display(),
            crate::config::CONFIG_FILE
        )),
    }
}

/// What [`copy_theme`] did: the files written, and (with `all`) the site's
/// own files kept in their place.
pub struct Copied {
    pub written: Vec<PathBuf>,
    pub kept: Vec<PathBuf>,
}

/// Write the built-in templates `names` (or, with `all`, every one the
/// site does not replace yet) into the site's `templates/`, to change them
/// there. A file already there is never written over: naming one is an
/// error, as is a name no built-in template has. On such errors nothing is
/// written, and every one is returned; on a failure to write, what was
/// written before it.
pub fn copy_theme(root: &Path, names: &[String], all: bool) -> Result<Copied, NotCopied> {
    is_site(root).map_err(|e| NotCopied::nothing(vec![e]))?;
    let known = || BUILT_IN.iter().map(|(name, _)| *name);
    let mut errors = Vec::new();
    let mut chosen: Vec<(&str, &str)> = Vec::new();
    let mut kept = Vec::new();
    let wanted: Vec<&str> = match all {
        true => known().collect(),
        false => names.iter().map(String::as_str).collect(),
    };
    for wanted in wanted {
        // `templates/article.html` names `article.html` too.
        let name = wanted.strip_prefix("templates/").unwrap_or(wanted);
        let Some(&(name, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) else {
            let hint = match crate::diagnostic::did_you_mean(name, known()) {
                Some(meant) => format!("did you mean `{meant}`? "),
                None => String::new(),
            };
            errors.push(format!(
                "`{wanted}` is not a built-in template; {hint}`dateline theme` lists them"
            ));
            continue;
        };
        let own = Path::new(TEMPLATES_DIR).join(name);
        if std::fs::symlink_metadata(root.join(&own)).is_ok() {
            match all {
                true => kept.push(own),
                false => errors.push(format!(
                    "{}: is there already, and is left as it is (remove it first to have the \
                     built-in one again)",
                    own.display()
                )),
            }
            continue;
        }
        if !chosen.iter().any(|(n, _)| *n == name) {
            chosen.push((name, text));
        }
    }
    if !errors.is_empty() {
        return Err(NotCopied::nothing(errors));
    }
    let mut written = Vec::new();
    for (name, text) in chosen {
        let own = Path::new(TEMPLATES_DIR).join(name);
        let path = root.join(&own);
        let made = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                // Never over a file that came meanwhile.
                let mut file = std::fs::File::create_new(&path)?;
                std::io::Write::write_all(&mut file, text.as_bytes())
            });
        if let Err(e) = made {
            let errors = vec![format!("{}: {e}", own.display())];
            return Err(NotCopied { errors, written });
        }
        written.push(own);
    }
    Ok(Copied { written, kept })
}

/// Why [`copy_theme`] stopped, and what it had written by then.
pub struct NotCopied {
    pub errors: Vec<String>,
    pub written: Vec<PathBuf>,
}

impl NotCopied {
    fn nothing(errors: Vec<String>) -> NotCopied {
        NotCopied {
            errors,
            written: Vec::new(),
        }
    }
}
