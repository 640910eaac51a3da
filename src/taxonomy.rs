//! Tags, authors and sections as lists of articles, and the related-stories
//! ranking.
//!
//! Articles are referred to by their index in `Content::articles` (newest
//! first), so a list in ascending index order is a list newest first.
//!
//! Related stories are ranked by `related.rs`; this module gathers the pins
//! and the shared tags around its scores.

use std::collections::BTreeMap;

use crate::config::{Config, RelatedConfig};
use crate::content::{Article, Content};
use crate::diagnostic::Diagnostic;
pub use crate::diagnostic::Problems;
use crate::related;
use crate::render::term_path;
use crate::slug::Slugs;
use rayon::prelude::*;

/// A tag or an author, with its articles.
#[derive(Debug, Clone)]
pub struct Term {
    /// The spelling shown: the most used one.
    pub name: String,
    pub slug: String,
    /// Article indices, newest first.
    pub articles: Vec<usize>,
    /// For an author, the index of their profile in `Content::profiles`.
    pub profile: Option<usize>,
}

/// One entry of an article's "Related Stories".
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub article: usize,
    pub score: f64,
    pub pinned: bool,
    /// Indices into `Taxonomy::tags` of the tags the two share.
    pub shared_tags: Vec<usize>,
}

#[derive(Debug, Default)]
pub struct Taxonomy {
    /// Every tag, by slug.
    pub tags: Vec<Term>,
    /// Every author, by slug.
    pub authors: Vec<Term>,
    /// Per section (in `Content::sections` order), its articles newest first.
    pub sections: Vec<Vec<usize>>,
    /// Per article, indices into `tags`, in the order the article lists them.
    pub article_tags: Vec<Vec<usize>>,
    /// Per article, indices into `authors`.
    pub article_authors: Vec<Vec<usize>>,
    /// Per article, its related stories in order.
    pub related: Vec<Vec<Related>>,
}

pub fn build<'a>(content: &Content, site: &'a Config, problems: &mut Problems) -> Taxonomy {
    let config = &site.related;
    let articles = &content.articles;
    let profiled: Vec<&str> = content.profiles.iter().map(|p| p.name.as_str()).collect();
    let (mut tag_warnings, mut author_warnings) = (Vec::new(), Vec::new());
    // Where a term's page is, for the warnings.
    let at = |folder: &'a str| move |slug: &str| site.base_url.url(&term_path(folder, slug));
    let ((tags, article_tags), (mut authors, article_authors)) = rayon::join(
        || {
            terms(
                articles,
                |a| (&a.tags, &a.tags_at),
                &[],
                &mut tag_warnings,
                "tag",
                at(&site.paths.tags),
                site.slugs,
            )
        },
        || {
            terms(
                articles,
                |a| (&a.authors, &a.authors_at),
                &profiled,
                &mut author_warnings,
                "author",
                at(&site.paths.authors),
                site.slugs,
            )
        },
    );
    problems.warnings.append(&mut tag_warnings);
    problems.warnings.append(&mut author_warnings);
    for (i, profile) in content.profiles.iter().enumerate() {
        if let Ok(at) = authors.binary_search_by(|t| t.slug.cmp(&profile.slug)) {
            authors[at].profile = Some(i);
            authors[at].name = profile.name.clone();
        }
    }
    let sections = content
        .sections
        .iter()
        .map(|s| {
            (0..articles.len())
                .filter(|&i| articles[i].section == s.name)
                .collect()
        })
        .collect();
    let pins = resolve_pins(content, config.count, &site.base_url, problems);
    let related = rank(articles, &tags, &article_tags, &pins, config);
    Taxonomy {
        tags,
        authors,
        sections,
        article_tags,
        article_authors,
        related,
    }
}

/// Group articles by the slugs of a list field; spellings that share a slug
/// are one term, shown in the most used spelling. `known` names are terms
/// even without articles.
fn terms(
    articles: &[Article],
    field: impl Fn(&Article) -> (&Vec<String>, &[(u32, u32)]) + Sync,
    known: &[&str],
    warnings: &mut Vec<Diagnostic>,
    what: &str,
    address: impl Fn(&str) -> String,
    mode: Slugs,
) -> (Vec<Term>, Vec<Vec<usize>>) {
    // Each article's slugs, in its order: slugs are made on all cores.
    let slugs: Vec<Vec<String>> = articles
        .par_iter()
        .map(|a| field(a).0.iter().map(|n| mode.slugify(n)).collect())
        .collect();
    // slug -> (spelling -> (count, first file using it)), articles
    type Spellings<'a> = BTreeMap<&'a str, (usize, usize)>;
    let mut by_slug: BTreeMap<&str, (Spellings, Vec<usize>)> = BTreeMap::new();
    for (i, (a, slugs)) in articles.iter().zip(&slugs).enumerate() {
        for (name, slug) in field(a).0.iter().zip(slugs) {
            let entry = by_slug.entry(slug).or_default();
            let spelling = entry.0.entry(name).or_insert((0, i));
            spelling.0 += 1;
            entry.1.push(i);
        }
    }
    let known_slugs: Vec<String> = known.iter().map(|name| mode.slugify(name)).collect();
    for (name, slug) in known.iter().zip(&known_slugs) {
        by_slug.entry(slug).or_insert_with(|| {
            let mut spellings = Spellings::new();
            spellings.insert(name, (0, 0));
            (spellings, Vec::new())
        });
    }
    let mut index = BTreeMap::new();
    let mut terms = Vec::with_capacity(by_slug.len());
    // slug -> the spelling most used, and what is said where another is
    // written.
    let mut merged: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for (slug, (spellings, list)) in by_slug {
        // A profile's name is how its author is shown, however spelled.
        let profile = known_slugs.iter().position(|s| s == slug);
        // Of spellings used as often, the one with the most accents and
        // letters beyond ASCII ("José Núñez", not "Jose Nunez").
        let beyond_ascii = |name: &str| name.chars().filter(|c| !c.is_ascii()).count();
        let most_used = spellings
            .iter()
            .max_by(|a, b| {
                (a.1 .0.cmp(&b.1 .0))
                    .then_with(|| beyond_ascii(a.0).cmp(&beyond_ascii(b.0)))
                    .then_with(|| b.0.cmp(a.0))
            })
            .map(|(n, _)| n.to_string())
            .unwrap_or_default();
        let name = profile.map_or_else(|| most_used.clone(), |i| known[i].to_string());
        let used: usize = spellings.values().filter(|(n, _)| *n > 0).count();
        if used > 1 {
            let listed: Vec<String> = spellings.keys().map(|s| format!("{s:?}")).collect();
            let hint = crate::slug::merged_hint(mode, spellings.keys().copied());
            let said = format!(
                "the {what} spellings {} are one {what} at {}, shown as {name:?}{hint}",
                listed.join(", "),
                address(slug)
            );
            // The spelling the others should be: a profile's, if articles
            // write it; else the one most used.
            let right = match spellings.contains_key(name.as_str()) {
                true => name.clone(),
                false => most_used,
            };
            merged.insert(slug, (right, said));
        }
        index.insert(slug, terms.len());
        terms.push(Term {
            name,
            slug: slug.to_string(),
            articles: list,
            profile: None,
        });
    }
    // Said at every spelling other than the one shown, where it is written.
    if !merged.is_empty() {
        for (a, slugs) in articles.iter().zip(&slugs) {
            let (names, at) = field(a);
            for ((name, slug), &(line, column)) in names.iter().zip(slugs).zip(at) {
                let Some((most_used, said)) = merged.get(slug.as_str()) else {
                    continue;
                };
                if name != most_used {
                    let (line, column) = (line as usize, column as usize);
                    warnings.push(Diagnostic::at_line(&a.file, line, column, said.clone()));
                }
            }
        }
    }
    let per_article = slugs
        .iter()
        .map(|slugs| slugs.iter().map(|slug| index[slug.as_str()]).collect())
        .collect();
    (terms, per_article)
}

/// Each article's related stories: its pins, then the best scores.
fn rank(
    articles: &[Article],
    tags: &[Term],
    article_tags: &[Vec<usize>],
    pins: &[Vec<usize>],
    config: &RelatedConfig,
) -> Vec<Vec<Related>> {
    let dates: Vec<i64> = articles.iter().map(|a| a.date.as_second()).collect();
    let corpus = related::Corpus {
        dates: &dates,
        tags: article_tags,
        postings: tags.iter().map(|t| t.articles.as_slice()).collect(),
    };
    let ranker = related::Ranker::new(&corpus, config.half_life_days);
    let scored = related::rank_all(&ranker, config.count, pins);
    pins.iter()
        .zip(scored)
        .enumerate()
        .map(|(a, (pinned, scored))| {
            let entry = |b: usize, score: f64, pinned: bool| Related {
                article: b,
                score,
                pinned,
                shared_tags: ranker.shared(a, b),
            };
            pinned
                .iter()
                .map(|&b| entry(b, ranker.score(a, b), true))
                .chain(scored.into_iter().map(|s| entry(s.article, s.score, false)))
                .collect()
        })
        .collect()
}

/// Each article's `related` pins as article indices, at most `count`.
fn resolve_pins(
    content: &Content,
    count: usize,
    base_url: &crate::config::BaseUrl,
    problems: &mut Problems,
) -> Vec<Vec<usize>> {
    let by_path: BTreeMap<&str, usize> = content
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.path.as_str(), i))
        .collect();
    content
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut pinned = Vec::new();
            for pin in &a.pins {
                let target = crate::content::pin_target(&pin.target);
                let at = |message: String| {
                    Diagnostic::at_line(&a.file, pin.line, pin.column, message)
                };
                // Or written as its address, as `dateline related` prints it.
                let address = || {
                    let written = pin.target.trim();
                    let address = written.starts_with('/') || written.starts_with("http");
                    address.then(|| base_url.site_path_of(written))
                };
                let found = crate::content::find_link(&content.links, &content.spellings, target);
                let path = match found {
                    Some((_, t)) => Some(t.path.clone()),
                    None => address().filter(|path| by_path.contains_key(path.as_str())),
                };
                match path {
                    None if crate::content::unread(&content.broken, target) => {}
                    None => problems.errors.push(at(no_such_pin(&pin.target))),
                    Some(path) => match by_path.get(path.as_str()) {
                        // With related stories off, pins are off too.
                        Some(_) if count == 0 => {}
                        Some(&j) if j == i => problems.warnings.push(at(
                            "`related` pins the article itself; it is left out".into(),
                        )),
                        Some(&j) if pinned.contains(&j) => problems.warnings.push(at(format!(
                            "`related` pins {:?} a second time; it is left out",
                            pin.target
                        ))),
                        Some(_) if pinned.len() == count => problems.warnings.push(at(format!(
                            "`related` pins more stories than `[related] count` ({count}) shows; {:?} is left out",
                            pin.target
                        ))),
                        Some(&j) => pinned.push(j),
                        None => problems.warnings.push(at(format!(
                            "`related` pins {:?}, which this build does not publish (a draft, a scheduled article or a page); it is left out",
                            pin.target
                        ))),
                    },
                }
            }
            pinned
        })
        .collect()
}

/// The error for a pin that names no article or page.
pub fn no_such_pin(target: &str) -> String {
    format!(
        "`related` names {target:?}, which is no article: expected a content path like \"business/some-story.md\", or a published story's address like \"/business/some-story/\""
    )
}
