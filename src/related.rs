//! The related-stories ranking: exact top-k with pruning.
//!
//! The score is the README's formula:
//! `score(a, b) = decay(a, b) × Σ idf(t)` over the tags `a` and `b` share,
//! with `idf(t) = ln(1 + N / df(t))` and `decay = 2^(-|Δdays| / half_life)`.
//!
//! Scanning every posting list of every tag of every article is far too slow
//! on a large archive, so each article's candidates are found like this:
//! the posting lists of its tags (articles in date order) are walked outward
//! from the article's own date, all together, nearest in time first, so the
//! k-th best score rises quickly. A tag's walk is retired, commonest tag
//! first, once an article met only through retired tags could score at most
//! `decay(Δ) × (sum of the retired tags' idf)` at the current distance Δ,
//! which is below the k-th best: farther articles decay more and the k-th
//! best only grows, so none of them can get in. Every article met is scored
//! exactly, so the result equals a full scan's. Postings carry each
//! article's date and a tag signature inline, so a walk reads memory in
//! order and most articles are passed over on their signature's bound alone.

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

/// A posting with what a walk needs inline, so walking a list reads memory
/// in order: the article's date, a 64-bit signature of its tags (bit
/// `tag % 64` set for each), which bounds what it can share without reading
/// its tags, and where its tags are in `Ranker::flat_tags`.
#[derive(Clone, Copy)]
struct Entry {
    date: i64,
    signature: u64,
    id: u32,
    /// `flat_tags[tags_at]` is the count, the tags follow.
    tags_at: u32,
}

fn tag_bit(tag: usize) -> u64 {
    1 << (tag % 64)
}

/// Decay for pruning is computed per hour of distance, rounding the distance
/// down: a bound at most 0.02% loose (at a 180-day half-life), and far fewer
/// `exp2` calls. Scores themselves use the exact distance.
const DECAY_BUCKET: i64 = 3600;

pub struct Ranker<'a> {
    corpus: &'a Corpus<'a>,
    idf: Vec<f64>,
    lists: Vec<Vec<Entry>>,
    /// Every article's tags, each list preceded by its length.
    flat_tags: Vec<u32>,
    /// For each article, its index in the list of each of its tags (in the
    /// order of `corpus.tags`), so a walk starts without a search.
    positions: Vec<Vec<u32>>,
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
        let mut flat_tags = Vec::new();
        let mut tags_at = Vec::with_capacity(corpus.tags.len());
        for tags in corpus.tags {
            tags_at.push(flat_tags.len() as u32);
            flat_tags.push(tags.len() as u32);
            flat_tags.extend(tags.iter().map(|&t| t as u32));
        }
        let signatures: Vec<u64> = corpus
            .tags
            .iter()
            .map(|tags| tags.iter().fold(0, |s, &t| s | tag_bit(t)))
            .collect();
        let lists = corpus
            .postings
            .par_iter()
            .map(|list| {
                list.iter()
                    .map(|&b| Entry {
                        date: corpus.dates[b],
                        signature: signatures[b],
                        id: b as u32,
                        tags_at: tags_at[b],
                    })
                    .collect()
            })
            .collect();
        let mut positions: Vec<Vec<u32>> = corpus.tags.iter().map(|t| vec![0; t.len()]).collect();
        for (tag, list) in corpus.postings.iter().enumerate() {
            for (at, &b) in list.iter().enumerate() {
                if let Some(j) = corpus.tags[b].iter().position(|&t| t == tag) {
                    positions[b][j] = at as u32;
                }
            }
        }
        Ranker {
            corpus,
            idf,
            lists,
            flat_tags,
            positions,
            half_life_days,
        }
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
        self.decay_seconds(self.corpus.dates[a] - self.corpus.dates[b]) * self.shared_idf(a, b)
    }

    /// The sum of idf over the tags `a` and `b` share, in `a`'s order.
    fn shared_idf(&self, a: usize, b: usize) -> f64 {
        let tb = &self.corpus.tags[b];
        self.corpus.tags[a]
            .iter()
            .filter(|t| tb.contains(t))
            .map(|&t| self.idf[t])
            .sum()
    }

    /// `shared_idf` with `b`'s tags read from the flat copy.
    fn shared_idf_at(&self, a: usize, tags_at: u32) -> f64 {
        let at = tags_at as usize;
        let tb = &self.flat_tags[at + 1..at + 1 + self.flat_tags[at] as usize];
        self.corpus.tags[a]
            .iter()
            .filter(|&&t| tb.contains(&(t as u32)))
            .map(|&t| self.idf[t])
            .sum()
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
        let date = self.corpus.dates[a];
        // One walk per tag, commonest tag first (the order they retire in).
        let mut tags: Vec<(usize, u32)> = self.corpus.tags[a]
            .iter()
            .copied()
            .zip(self.positions[a].iter().copied())
            .collect();
        tags.sort_by(|x, y| self.idf[x.0].total_cmp(&self.idf[y.0]).then(x.0.cmp(&y.0)));
        tags.dedup_by_key(|t| t.0);
        // What a signature can tell: (bit, idf) of each of a's tags.
        let bits: Vec<(u64, f64)> = tags
            .iter()
            .map(|&(t, _)| (tag_bit(t), self.idf[t]))
            .collect();
        let mut walks: Vec<Walk> = tags
            .iter()
            .map(|&(t, at)| Walk::new(&self.lists[t], at as usize, date, self.idf[t]))
            .collect();
        // Each walk's next distance, apart, so finding the nearest is cheap.
        let mut next: Vec<i64> = walks.iter().map(Walk::distance).collect();
        let mut retired = 0; // walks[..retired] are done
        let mut retired_idf = 0.0;
        // The last distance bucket and its decay.
        let mut bucket = (-1, 1.0);
        // The nearest next article over every live walk, until none is left.
        while let Some((w, &d)) = next[retired..]
            .iter()
            .enumerate()
            .filter(|(_, d)| **d != i64::MAX)
            .min_by_key(|&(_, d)| *d)
        {
            let w = w + retired;
            if d / DECAY_BUCKET != bucket.0 {
                bucket = (
                    d / DECAY_BUCKET,
                    self.decay_seconds(d / DECAY_BUCKET * DECAY_BUCKET),
                );
            }
            let decay_bound = bucket.1 * SLACK;
            // Retire the commonest walks while nothing met only through
            // retired tags, this far away or farther, can reach the top k.
            while retired < walks.len()
                && top.beats(decay_bound * (retired_idf + walks[retired].idf))
            {
                retired_idf += walks[retired].idf;
                retired += 1;
            }
            if w < retired {
                continue;
            }
            let entry = walks[w].take(date);
            next[w] = walks[w].distance();
            let b = entry.id as usize;
            if exclude.contains(&b) {
                continue;
            }
            // The most b can share, by its signature; only then its tags.
            let bound: f64 = bits
                .iter()
                .filter(|(bit, _)| entry.signature & bit != 0)
                .map(|(_, idf)| idf)
                .sum();
            if top.beats(decay_bound * bound) {
                continue;
            }
            top.offer(Scored {
                article: b,
                score: self.decay_seconds(d) * self.shared_idf_at(a, entry.tags_at),
            });
        }
        top.into_vec()
    }
}

/// A walk outward in time from an article along one tag's posting list.
struct Walk<'a> {
    list: &'a [Entry],
    idf: f64,
    /// The next newer entry is `list[newer - 1]`, the next older `list[older]`.
    newer: usize,
    older: usize,
    /// Which of the two is nearer, and its distance in seconds.
    next_is_newer: bool,
    next_distance: i64,
}

impl<'a> Walk<'a> {
    /// A walk from the article at `list[here]`.
    fn new(list: &'a [Entry], here: usize, date: i64, idf: f64) -> Self {
        let mut walk = Walk {
            list,
            idf,
            newer: here,
            older: here + 1,
            next_is_newer: false,
            next_distance: i64::MAX,
        };
        walk.look(date);
        walk
    }

    fn look(&mut self, date: i64) {
        let newer = (self.newer > 0).then(|| (date - self.list[self.newer - 1].date).abs());
        let older = self.list.get(self.older).map(|e| (date - e.date).abs());
        (self.next_is_newer, self.next_distance) = match (newer, older) {
            (Some(n), Some(o)) if o < n => (false, o),
            (Some(n), _) => (true, n),
            (None, Some(o)) => (false, o),
            (None, None) => (false, i64::MAX),
        };
    }

    fn distance(&self) -> i64 {
        self.next_distance
    }

    /// The nearest entry not yet taken, and step past it.
    fn take(&mut self, date: i64) -> Entry {
        let entry = if self.next_is_newer {
            self.newer -= 1;
            self.list[self.newer]
        } else {
            self.older += 1;
            self.list[self.older - 1]
        };
        self.look(date);
        entry
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
        // An article sharing several tags is met once per tag.
        if self.items.iter().any(|x| x.article == s.article) {
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
