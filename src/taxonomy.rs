//! Tags, authors and sections as lists of articles, and the related-stories
//! ranking.
//!
//! Articles are referred to by their index in `Content::articles` (newest
//! first), so a list in ascending index order is a list newest first.
//!
//! Related stories are scored as the README documents:
//! `score(a, b) = decay(a, b) * sum of idf(t) over the tags a and b share`,
//! with `idf(t) = ln(1 + N / df(t))` and `decay = 2^(-|days apart| / half-life)`.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::RelatedConfig;
use crate::content::{Article, Content};
use crate::diagnostic::Diagnostic;
use crate::slug::slugify;

/// A tag or an author, with its articles.
#[derive(Debug, Clone)]
pub struct Term {
    /// The spelling shown: the most used one.
    pub name: String,
    pub slug: String,
    /// Article indices, newest first.
    pub articles: Vec<usize>,
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

/// What taxonomy building found wrong.
#[derive(Debug, Default)]
pub struct Problems {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

pub fn build(content: &Content, config: &RelatedConfig, problems: &mut Problems) -> Taxonomy {
    let articles = &content.articles;
    let (tags, article_tags) = terms(articles, |a| &a.tags, &mut problems.warnings, "tag");
    let (authors, article_authors) =
        terms(articles, |a| &a.authors, &mut problems.warnings, "author");
    let sections = content
        .sections
        .iter()
        .map(|s| {
            (0..articles.len())
                .filter(|&i| articles[i].section == s.name)
                .collect()
        })
        .collect();
    let pins = resolve_pins(content, problems);
    let ranker = Ranker::new(articles, &tags, &article_tags, config);
    let related = (0..articles.len())
        .into_par_iter()
        .map(|i| ranker.related(i, &pins[i]))
        .collect();
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
/// are one term, shown in the most used spelling.
fn terms(
    articles: &[Article],
    field: impl Fn(&Article) -> &Vec<String>,
    warnings: &mut Vec<Diagnostic>,
    what: &str,
) -> (Vec<Term>, Vec<Vec<usize>>) {
    // slug -> (spelling -> (count, first file using it)), articles
    type Spellings = BTreeMap<String, (usize, usize)>;
    let mut by_slug: BTreeMap<String, (Spellings, Vec<usize>)> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        for name in field(a) {
            let entry = by_slug.entry(slugify(name)).or_default();
            let spelling = entry.0.entry(name.clone()).or_insert((0, i));
            spelling.0 += 1;
            entry.1.push(i);
        }
    }
    let mut index = BTreeMap::new();
    let mut terms = Vec::with_capacity(by_slug.len());
    for (slug, (spellings, list)) in by_slug {
        let (name, _) = spellings
            .iter()
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then_with(|| b.0.cmp(a.0)))
            .map(|(n, c)| (n.clone(), *c))
            .unwrap_or_default();
        if spellings.len() > 1 {
            let listed: Vec<String> = spellings.keys().map(|s| format!("{s:?}")).collect();
            let first_other = spellings
                .iter()
                .filter(|(n, _)| **n != name)
                .map(|(_, (_, i))| *i)
                .min()
                .unwrap_or(0);
            warnings.push(Diagnostic::new(
                &articles[first_other].file,
                format!(
                    "the {what} spellings {} are one {what} at /{what}s/{slug}/, shown as {name:?}",
                    listed.join(", ")
                ),
            ));
        }
        index.insert(slug.clone(), terms.len());
        terms.push(Term {
            name,
            slug,
            articles: list,
        });
    }
    let per_article = articles
        .iter()
        .map(|a| field(a).iter().map(|n| index[&slugify(n)]).collect())
        .collect();
    (terms, per_article)
}

/// Each article's `related` pins as article indices.
fn resolve_pins(content: &Content, problems: &mut Problems) -> Vec<Vec<usize>> {
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
                let target = pin.target.trim_start_matches("@/");
                let at = |message: String| {
                    Diagnostic::at_line(&a.file, pin.line, pin.column, message)
                };
                match content.links.get(target) {
                    None if content.broken.contains(target) => {}
                    None => problems.errors.push(at(format!(
                        "`related` names {:?}, which is no article: expected a content path like \"business/some-story.md\"",
                        pin.target
                    ))),
                    Some(t) => match by_path.get(t.path.as_str()) {
                        Some(&j) if j != i && !pinned.contains(&j) => pinned.push(j),
                        Some(_) => {}
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

/// The related-stories scorer over an inverted index of tags.
struct Ranker<'a> {
    articles: &'a [Article],
    article_tags: &'a [Vec<usize>],
    postings: Vec<&'a [usize]>,
    idf: Vec<f64>,
    config: &'a RelatedConfig,
}

impl<'a> Ranker<'a> {
    fn new(
        articles: &'a [Article],
        tags: &'a [Term],
        article_tags: &'a [Vec<usize>],
        config: &'a RelatedConfig,
    ) -> Self {
        let n = articles.len() as f64;
        Ranker {
            articles,
            article_tags,
            postings: tags.iter().map(|t| t.articles.as_slice()).collect(),
            idf: tags
                .iter()
                .map(|t| (1.0 + n / t.articles.len() as f64).ln())
                .collect(),
            config,
        }
    }

    fn decay(&self, a: usize, b: usize) -> f64 {
        let h = self.config.half_life_days;
        if h == 0.0 {
            return 1.0;
        }
        let seconds = self.articles[a].date.as_second() - self.articles[b].date.as_second();
        let days = (seconds as f64).abs() / 86_400.0;
        (-days / h).exp2()
    }

    /// The shared tags of `a` and `b` in `a`'s tag order, and the score.
    fn score(&self, a: usize, b: usize) -> (f64, Vec<usize>) {
        let shared: Vec<usize> = self.article_tags[a]
            .iter()
            .copied()
            .filter(|t| self.article_tags[b].contains(t))
            .collect();
        let sum: f64 = shared.iter().map(|&t| self.idf[t]).sum();
        (self.decay(a, b) * sum, shared)
    }

    fn related(&self, a: usize, pins: &[usize]) -> Vec<Related> {
        let count = self.config.count;
        let mut list: Vec<Related> = pins
            .iter()
            .take(count)
            .map(|&b| {
                let (score, shared_tags) = self.score(a, b);
                Related {
                    article: b,
                    score,
                    pinned: true,
                    shared_tags,
                }
            })
            .collect();
        let mut candidates: Vec<usize> = self.article_tags[a]
            .iter()
            .flat_map(|&t| self.postings[t].iter().copied())
            .filter(|&b| b != a && !pins.contains(&b))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut scored: Vec<(f64, usize, Vec<usize>)> = candidates
            .into_iter()
            .map(|b| {
                let (score, shared) = self.score(a, b);
                (score, b, shared)
            })
            .collect();
        scored.sort_by(|x, y| {
            y.0.total_cmp(&x.0)
                .then_with(|| self.articles[y.1].date.cmp(&self.articles[x.1].date))
                .then_with(|| self.articles[x.1].path.cmp(&self.articles[y.1].path))
        });
        let room = count.saturating_sub(list.len());
        list.extend(
            scored
                .into_iter()
                .take(room)
                .map(|(score, b, shared_tags)| Related {
                    article: b,
                    score,
                    pinned: false,
                    shared_tags,
                }),
        );
        list
    }
}
