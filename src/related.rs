//! The related-stories ranking: exact top-k with pruning.
//!
//! The score is the README's formula:
//! `score(a, b) = decay(a, b) × Σ idf(t)` over the tags `a` and `b` share,
//! with `idf(t) = ln(1 + N / df(t))` and `decay = 2^(-|Δdays| / half_life)`.
//!
//! Scanning every posting list of every tag of every article is far too slow
//! on a large archive, so each article's candidates are found like this:
//!
//! - Short posting lists (rare tags) are read whole first. Their articles are
//!   the likeliest to score high, and once a list is read, an article met
//!   later that carries its tag has been scored already.
//! - The long lists are walked outward from the article's own date in rings
//!   of distance, nearest first, so the k-th best score rises quickly. At
//!   each ring a tag's walk is retired, commonest tag first, once an article
//!   met only through retired tags could score at most
//!   `decay(ring start) × (sum of the retired tags' idf)`, which is below the
//!   k-th best: farther articles decay more and the k-th best only grows, so
//!   none of them can get in.
//! - Postings carry each article's date and a signature of its long tags
//!   inline, so a walk reads memory in order and most articles are passed
//!   over on their signature's bound alone. Every article that could get in
//!   is scored exactly, so the result equals a full scan's.

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
/// in order: the article's date, a 64-bit signature of its tags (the OR of
/// their masks, see `tag_masks`), which bounds what it can share without
/// reading its tags, and where its tags are in `Ranker::flat_tags`.
#[derive(Clone, Copy)]
struct Entry {
    date: i64,
    signature: u64,
    id: u32,
    /// `flat_tags[tags_at]` is the count, the tags follow.
    tags_at: u32,
}

/// Each tag's signature mask. Only tags with long lists are in signatures:
/// short lists are read whole before any walk, so a walk never asks about
/// them. The commonest tags get a bit of their own; the other long ones two
/// bits of the rest (a Bloom filter), so a tag an article does not have
/// seldom looks present.
fn tag_masks(postings: &[&[usize]]) -> Vec<u64> {
    const OWN: usize = 32;
    const SHARED: u64 = (64 - OWN) as u64;
    let mut by_use: Vec<usize> = (0..postings.len()).collect();
    by_use.sort_by_key(|&t| (std::cmp::Reverse(postings[t].len()), t));
    let mut masks = vec![0; postings.len()];
    for (rank, &t) in by_use.iter().enumerate() {
        if postings[t].len() <= SHORT_LIST {
            break;
        }
        masks[t] = if rank < OWN {
            1 << rank
        } else {
            let h = (t as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32;
            let first = h % SHARED;
            let second = (first + 1 + (h / SHARED) % (SHARED - 1)) % SHARED;
            (1 << (OWN as u64 + first)) | (1 << (OWN as u64 + second))
        };
    }
    masks
}

pub struct Ranker<'a> {
    corpus: &'a Corpus<'a>,
    idf: Vec<f64>,
    lists: Vec<Vec<Entry>>,
    /// Every article's tags, each list preceded by its length.
    flat_tags: Vec<u32>,
    /// For each article, its index in the list of each of its tags (in the
    /// order of `corpus.tags`), so a walk starts without a search.
    positions: Vec<Vec<u32>>,
    /// Each tag's mask in the signatures (0 for short lists).
    mask: Vec<u64>,
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
        let mask = tag_masks(&corpus.postings);
        let signatures: Vec<u64> = corpus
            .tags
            .iter()
            .map(|tags| tags.iter().fold(0, |s, &t| s | mask[t]))
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
            mask,
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
        if k == 0 {
            return Vec::new();
        }
        let mut top = Top::new(k);
        let date = self.corpus.dates[a];
        // a's tags, rarest first.
        let mut tags: Vec<(usize, u32)> = self.corpus.tags[a]
            .iter()
            .copied()
            .zip(self.positions[a].iter().copied())
            .collect();
        tags.sort_by(|x, y| self.idf[y.0].total_cmp(&self.idf[x.0]).then(x.0.cmp(&y.0)));
        tags.dedup_by_key(|t| t.0);
        // Short lists are read whole first: their articles are the likeliest
        // to score high, and once read, an article met later that shares
        // their tags has been scored already, so they leave the bounds.
        let short = tags.partition_point(|&(t, _)| self.lists[t].len() <= SHORT_LIST);
        let (short, long) = tags.split_at(short);
        // a's long tags: (signature mask, idf).
        let masks: Vec<(u64, f64)> = long
            .iter()
            .map(|&(t, _)| (self.mask[t], self.idf[t]))
            .collect();
        let short_idf: f64 = short.iter().map(|&(t, _)| self.idf[t]).sum();
        for &(t, _) in short {
            for entry in &self.lists[t] {
                let b = entry.id as usize;
                let bound = short_idf + shared_bound(&masks, entry.signature);
                if b != a && !top.beats(bound * SLACK) && !exclude.contains(&b) {
                    self.offer(&mut top, a, date, entry, SLACK);
                }
            }
        }
        let mut walks: Vec<Walk> = long
            .iter()
            .map(|&(t, at)| Walk::new(&self.lists[t], at as usize))
            .collect();
        // The long lists are walked outward from a's date in rings of
        // distance. At each ring a walk is retired if nothing met only
        // through retired tags, at least this far away, could reach the top
        // k: farther articles decay more and the k-th best only grows, so
        // none of them can get in. Retiring the commonest walks first saves
        // the most reading; reading the rarest first raises the k-th best
        // soonest.
        let mut retired_idf = 0.0;
        let mut near = 0;
        while walks.iter().any(|w| w.live) {
            let far = near + (near / 8).max(RING);
            let decay_bound = self.decay_seconds(near) * SLACK;
            for (walk, &(_, idf)) in walks.iter_mut().zip(&masks).rev() {
                if walk.live {
                    if !top.beats(decay_bound * (retired_idf + idf)) {
                        break;
                    }
                    retired_idf += idf;
                    walk.live = false;
                }
            }
            for walk in walks.iter_mut().filter(|w| w.live) {
                let (newer, older) = walk.ring(date, far);
                for entry in newer.iter().chain(older) {
                    // The most b can share, by its signature; only then its tags.
                    let bound = shared_bound(&masks, entry.signature);
                    if !top.beats(decay_bound * bound) && !exclude.contains(&(entry.id as usize)) {
                        self.offer(&mut top, a, date, entry, decay_bound);
                    }
                }
            }
            near = far;
        }
        top.into_vec()
    }

    /// Score `entry` exactly for `a` and offer it, unless what it shares, at
    /// `decay_bound`, already cannot get in.
    fn offer(&self, top: &mut Top, a: usize, date: i64, entry: &Entry, decay_bound: f64) {
        let shared = self.shared_idf_at(a, entry.tags_at);
        if top.beats(decay_bound * shared) {
            return;
        }
        top.offer(Scored {
            article: entry.id as usize,
            score: self.decay_seconds(date - entry.date) * shared,
        });
    }
}

/// The most an article with `signature` can share of tags `masks` (mask,
/// idf): the idf of those whose mask it has. Without branches, as whether a
/// tag is there is a coin toss to the processor.
fn shared_bound(masks: &[(u64, f64)], signature: u64) -> f64 {
    masks
        .iter()
        .map(|&(mask, idf)| idf * f64::from(u8::from(signature & mask == mask)))
        .sum()
}

/// Posting lists at most this long are read whole before any walk.
const SHORT_LIST: usize = 64;

/// The narrowest ring of distance walked at a time, in seconds. Rings widen
/// with distance, by an eighth of it.
const RING: i64 = 3600;

/// A walk outward in time from an article along one tag's posting list.
struct Walk<'a> {
    list: &'a [Entry],
    /// Entries `list[newer..older]` have been read (and the article itself).
    newer: usize,
    older: usize,
    live: bool,
}

impl<'a> Walk<'a> {
    /// A walk from the article at `list[here]`.
    fn new(list: &'a [Entry], here: usize) -> Self {
        Walk {
            list,
            newer: here,
            older: here + 1,
            live: list.len() > 1,
        }
    }

    /// The entries not yet read that are less than `far` seconds from
    /// `date`, newer ones then older ones; they count as read.
    fn ring(&mut self, date: i64, far: i64) -> (&'a [Entry], &'a [Entry]) {
        let list = self.list;
        let newer_end = self.newer;
        while self.newer > 0 && list[self.newer - 1].date - date < far {
            self.newer -= 1;
        }
        let older_start = self.older;
        while self.older < list.len() && date - list[self.older].date < far {
            self.older += 1;
        }
        self.live = self.newer > 0 || self.older < list.len();
        (&list[self.newer..newer_end], &list[older_start..self.older])
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
        // Small vocabularies give long lists, which are walked; large ones
        // short lists, which are read whole.
        for (seed, n, vocab, half_life) in [
            (1, 400, 40, 180.0),
            (2, 400, 40, 0.0),
            (3, 400, 40, 30.0),
            (4, 400, 40, 3650.0),
            (5, 2500, 12, 180.0),
            (6, 2500, 12, 0.0),
            (7, 2500, 300, 90.0),
            (8, 5000, 150, 180.0),
        ] {
            let (dates, tags, postings) = random_corpus(seed, n, vocab);
            let corpus = Corpus {
                dates: &dates,
                tags: &tags,
                postings: postings.iter().map(Vec::as_slice).collect(),
            };
            let r = Ranker::new(&corpus, half_life);
            for a in (0..dates.len()).step_by(n / 400) {
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
