//! The related-stories ranking: exact top-k with pruning.
//!
//! The score is the README's formula:
//! `score(a, b) = decay(a, b) × Σ idf(t)` over the tags `a` and `b` share,
//! with `idf(t) = ln(1 + N / df(t))` and `decay = 2^(-|Δdays| / half_life)`.
//!
//! Scanning every posting list of every tag of every article is far too slow
//! on a large archive, so each article's candidates are found like this:
//! its tags are visited rarest first; each tag's posting list (articles in
//! date order) is walked outward from the article's own position, nearest in
//! time first. A candidate whose first shared tag (in that order) is the
//! j-th can score at most `decay(Δ) × (idf of tags j..)`, so a walk stops as
//! soon as that bound falls below the k-th best score so far, and a whole
//! list is skipped once the bound without decay does. Every candidate that is
//! scored is scored exactly, so the result equals a full scan's.

use std::collections::HashSet;

use rayon::prelude::*;

/// Floating-point slack for the bounds: an exact score summed in another
/// order may exceed its bound by a rounding error, never by this much.
const SLACK: f64 = 1.0 + 1e-9;

/// The articles as the ranking sees them. Article ids are indices, ordered
/// newest first, then by URL path, so a lower id wins a tie.
pub struct Corpus<'a> {
    /// Publication time of each article, in seconds (non-increasing).
    pub dates: &'a [i64],
    /// Each article's tag ids, in the order the article lists them.
    pub tags: &'a [Vec<usize>],
    /// Each tag's articles, ids ascending.
    pub postings: Vec<&'a [usize]>,
}

/// One scored candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub article: usize,
    pub score: f64,
}

pub struct Ranker<'a> {
    corpus: &'a Corpus<'a>,
    idf: Vec<f64>,
    half_life_days: f64,
}

impl<'a> Ranker<'a> {
    pub fn new(corpus: &'a Corpus<'a>, half_life_days: f64) -> Self {
        let n = corpus.dates.len() as f64;
        let idf = corpus
            .postings
            .iter()
            .map(|p| (1.0 + n / p.len().max(1) as f64).ln())
            .collect();
        Ranker {
            corpus,
            idf,
            half_life_days,
        }
    }

    pub fn idf(&self, tag: usize) -> f64 {
        self.idf[tag]
    }

    fn decay_seconds(&self, seconds: i64) -> f64 {
        if self.half_life_days == 0.0 {
            return 1.0;
        }
        let days = seconds.unsigned_abs() as f64 / 86_400.0;
        (-days / self.half_life_days).exp2()
    }

    /// The exact score of `b` for `a`.
    pub fn score(&self, a: usize, b: usize) -> f64 {
        let tb = &self.corpus.tags[b];
        let sum: f64 = self.corpus.tags[a]
            .iter()
            .filter(|t| tb.contains(t))
            .map(|&t| self.idf[t])
            .sum();
        self.decay_seconds(self.corpus.dates[a] - self.corpus.dates[b]) * sum
    }

    /// The tags `a` and `b` share, in `a`'s order.
    pub fn shared(&self, a: usize, b: usize) -> Vec<usize> {
        let tb = &self.corpus.tags[b];
        self.corpus.tags[a]
            .iter()
            .copied()
            .filter(|t| tb.contains(t))
            .collect()
    }

    /// The `k` best-scoring articles for `a`, leaving out `exclude`, best
    /// first (ties: the lower id, i.e. the newer article, first).
    pub fn top(&self, a: usize, k: usize, exclude: &[usize]) -> Vec<Scored> {
        let mut top = Top::new(k);
        if k == 0 {
            return Vec::new();
        }
        let tags = &self.corpus.tags[a];
        let mut order: Vec<usize> = tags.clone();
        order.sort_by(|x, y| self.idf[*y].total_cmp(&self.idf[*x]).then(x.cmp(y)));
        order.dedup();
        // bound[j]: the most idf a candidate first met in list j can share.
        let mut bound = vec![0.0; order.len() + 1];
        for j in (0..order.len()).rev() {
            bound[j] = bound[j + 1] + self.idf[order[j]];
        }
        let mut seen: HashSet<usize> = exclude.iter().copied().collect();
        seen.insert(a);
        for (j, &tag) in order.iter().enumerate() {
            let limit = bound[j] * SLACK;
            if top.beats(limit) {
                break;
            }
            self.walk(a, self.corpus.postings[tag], limit, &mut seen, &mut top);
        }
        top.into_vec()
    }

    /// Walk one posting list outward from `a`, nearest in time first.
    fn walk(&self, a: usize, list: &[usize], limit: f64, seen: &mut HashSet<usize>, top: &mut Top) {
        let dates = self.corpus.dates;
        let here = list.partition_point(|&x| x < a);
        let (mut newer, mut older) = (here, here);
        if list.get(here) == Some(&a) {
            older += 1;
        }
        loop {
            let next_newer = (newer > 0).then(|| list[newer - 1]);
            let next_older = list.get(older).copied();
            let distance = |b: usize| (dates[a] - dates[b]).abs();
            let b = match (next_newer, next_older) {
                (None, None) => break,
                (Some(n), None) => n,
                (None, Some(o)) => o,
                (Some(n), Some(o)) => {
                    if distance(n) <= distance(o) {
                        n
                    } else {
                        o
                    }
                }
            };
            if top.beats(self.decay_seconds(distance(b)) * limit) {
                break;
            }
            if b < a {
                newer -= 1;
            } else {
                older += 1;
            }
            if seen.insert(b) {
                top.offer(Scored {
                    article: b,
                    score: self.score(a, b),
                });
            }
        }
    }
}

/// The best `k` so far, best first.
struct Top {
    k: usize,
    items: Vec<Scored>,
}

fn better(x: &Scored, y: &Scored) -> bool {
    x.score > y.score || (x.score == y.score && x.article < y.article)
}

impl Top {
    fn new(k: usize) -> Top {
        Top {
            k,
            items: Vec::with_capacity(k + 1),
        }
    }

    /// Whether a candidate that can score at most `bound` cannot get in.
    fn beats(&self, bound: f64) -> bool {
        self.items.len() == self.k && self.items.last().is_some_and(|w| bound < w.score)
    }

    fn offer(&mut self, s: Scored) {
        if self.items.len() == self.k && !self.items.last().is_some_and(|w| better(&s, w)) {
            return;
        }
        let at = self.items.partition_point(|x| better(x, &s));
        self.items.insert(at, s);
        self.items.truncate(self.k);
    }

    fn into_vec(self) -> Vec<Scored> {
        self.items
    }
}

/// Every article's top `k` (after its pins), in parallel.
pub fn rank_all(ranker: &Ranker, k: usize, pins: &[Vec<usize>]) -> Vec<Vec<Scored>> {
    (0..ranker.corpus.dates.len())
        .into_par_iter()
        .map(|a| ranker.top(a, k.saturating_sub(pins[a].len()), &pins[a]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the test needs no crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn random_corpus(
        seed: u64,
        n: usize,
        vocab: usize,
    ) -> (Vec<i64>, Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let mut rng = Rng(seed);
        let mut dates: Vec<i64> = (0..n).map(|_| rng.below(3 * 365 * 86_400) as i64).collect();
        // Some exact ties in time, as a newsroom's batch publishing makes.
        for i in (0..n).step_by(7) {
            dates[i] = dates[0];
        }
        dates.sort_unstable_by(|a, b| b.cmp(a));
        let tags: Vec<Vec<usize>> = (0..n)
            .map(|_| {
                let mut t: Vec<usize> = Vec::new();
                for _ in 0..1 + rng.below(5) {
                    // Skewed: low ids are common.
                    let x = rng.below(vocab as u64) * rng.below(vocab as u64) / vocab as u64;
                    if !t.contains(&(x as usize)) {
                        t.push(x as usize);
                    }
                }
                t
            })
            .collect();
        let mut postings = vec![Vec::new(); vocab];
        for (i, ts) in tags.iter().enumerate() {
            for &t in ts {
                postings[t].push(i);
            }
        }
        (dates, tags, postings)
    }

    fn brute_force(r: &Ranker, a: usize, k: usize, exclude: &[usize]) -> Vec<Scored> {
        let mut all: Vec<Scored> = (0..r.corpus.dates.len())
            .filter(|&b| b != a && !exclude.contains(&b) && !r.shared(a, b).is_empty())
            .map(|b| Scored {
                article: b,
                score: r.score(a, b),
            })
            .collect();
        all.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.article.cmp(&y.article)));
        all.truncate(k);
        all
    }

    #[test]
    fn pruned_ranking_equals_a_full_scan() {
        for (seed, half_life) in [(1, 180.0), (2, 0.0), (3, 30.0), (4, 3650.0)] {
            let (dates, tags, postings) = random_corpus(seed, 400, 40);
            let corpus = Corpus {
                dates: &dates,
                tags: &tags,
                postings: postings.iter().map(Vec::as_slice).collect(),
            };
            let r = Ranker::new(&corpus, half_life);
            for a in 0..dates.len() {
                let exclude = [(a + 1) % dates.len()];
                assert_eq!(
                    r.top(a, 5, &exclude),
                    brute_force(&r, a, 5, &exclude),
                    "seed {seed}, half-life {half_life}, article {a}"
                );
            }
        }
    }
}
