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
//! - Then the long lists one at a time, rarest first, each walked outward
//!   from the article's own date in steps of distance, each wide enough to
//!   hold about `STEP_ENTRIES` of the list's articles. A walk stops where
//!   even an article sharing every tag not yet walked would score at most
//!   `decay(distance of the nearest article not yet read) × (sum of their
//!   idf)`, below the k-th best: farther articles decay more and the k-th
//!   best only grows. An article that shares a tag walked before was met
//!   then, so each walk bounds its articles by the tags not yet walked
//!   only. The commonest lists, the longest to read, come last, against the
//!   highest k-th best and the smallest bound, and are left after a few
//!   steps.
//! - Postings carry each article's date and a signature of its long tags
//!   inline, so a walk reads memory in order and most articles are passed
//!   over on their signature alone; the candidates left are scored best
//!   bound first, so few articles' tags are read. Every article that could
//!   get in is scored exactly, so the result equals a full scan's.

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
/// in order: the article's date and a 64-bit signature of its tags (the OR
/// of their masks, see `tag_masks`), which bounds what it can share without
/// reading its tags. Sixteen bytes, four to a cache line.
#[derive(Clone, Copy)]
struct Entry {
    date: i64,
    signature: u64,
}

/// A tag's posting list: its articles' entries and, apart, where each
/// article's record starts in `Ranker::records`, which only a candidate
/// that passes its bound needs.
struct List {
    entries: Vec<Entry>,
    records: Vec<u32>,
    /// The narrowest step of a walk, in seconds: the time its list takes,
    /// on average, to hold `STEP_ENTRIES` articles.
    step: i64,
}

/// An article that may get in: the most it can score, its decay and where
/// its record starts.
struct Candidate {
    bound: f64,
    decay: f64,
    record: u32,
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
    lists: Vec<List>,
    /// Every article's record, one after another: its id, its number of
    /// tags and its tags. A candidate's is read in one go.
    records: Vec<u32>,
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
        let mut records = Vec::new();
        let mut record_at = Vec::with_capacity(corpus.tags.len());
        for (b, tags) in corpus.tags.iter().enumerate() {
            record_at.push(records.len() as u32);
            records.extend([b as u32, tags.len() as u32]);
            records.extend(tags.iter().map(|&t| t as u32));
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
                let entries: Vec<Entry> = list
                    .iter()
                    .map(|&b| Entry {
                        date: corpus.dates[b],
                        signature: signatures[b],
                    })
                    .collect();
                List {
                    step: narrowest_step(&entries),
                    entries,
                    records: list.iter().map(|&b| record_at[b]).collect(),
                }
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
            records,
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
        self.idf_of(a, |t| tb.contains(&t))
    }

    /// The sum of idf over `a`'s tags that `has`, in `a`'s order: the one
    /// summing order every score is computed in.
    fn idf_of(&self, a: usize, has: impl Fn(usize) -> bool) -> f64 {
        self.corpus.tags[a]
            .iter()
            .filter(|&&t| has(t))
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
        let short = tags.partition_point(|&(t, _)| self.lists[t].records.len() <= SHORT_LIST);
        let (short, long) = tags.split_at(short);
        // a's long tags: (signature mask, idf).
        let masks: Vec<(u64, f64)> = long
            .iter()
            .map(|&(t, _)| (self.mask[t], self.idf[t]))
            .collect();
        let short_idf: f64 = short.iter().map(|&(t, _)| self.idf[t]).sum();
        // Candidates that pass their bound, scored together.
        let mut found: Vec<Candidate> = Vec::new();
        for &(t, here) in short {
            let list = &self.lists[t];
            for (at, entry) in list.entries.iter().enumerate() {
                if at != here as usize {
                    let decay = self.decay_seconds(date - entry.date);
                    found.push(Candidate {
                        bound: decay * SLACK * (short_idf + shared_bound(&masks, entry.signature)),
                        decay,
                        record: list.records[at],
                    });
                }
            }
        }
        self.offer(&mut top, a, &mut found, exclude);
        // Then the long lists one by one, rarest first, each outward from
        // a's date in steps of distance. A list is left once nothing in it
        // this far away could get in, even sharing every tag not yet walked:
        // farther articles decay more and the k-th best only grows. An
        // article that shares a tag walked before has been met already, so
        // each walk bounds its articles by the tags not yet walked only; the
        // commonest lists come last, judged against the highest k-th best,
        // on the fewest tags.
        let mut hits: Vec<u32> = Vec::new();
        for (j, &(t, here)) in long.iter().enumerate() {
            let rest = &masks[j..];
            let rest_idf: f64 = rest.iter().map(|m| m.1).sum();
            let list = &self.lists[t];
            let mut walk = Walk::new(&list.entries, here as usize);
            // Every entry not yet read is at least `near` seconds away.
            let mut near = walk.next_distance(date);
            while walk.live() {
                let decay_bound = self.decay_seconds(near) * SLACK;
                if top.beats(decay_bound * rest_idf) {
                    break;
                }
                let far = near + (near / 8).max(list.step);
                // The step's articles with a tag that can lift them over
                // the bar, by their signatures, gathered without a branch
                // per article; then the most each can share at the step's
                // nearest decay, then at its own; only then its record.
                let heavy = heavy_bits(rest, top.kth() / decay_bound);
                hits.clear();
                for range in walk.step(date, far) {
                    let start = hits.len();
                    hits.resize(start + range.len(), 0);
                    let mut n = start;
                    for (i, entry) in walk.list[range.clone()].iter().enumerate() {
                        hits[n] = (range.start + i) as u32;
                        n += usize::from(entry.signature & heavy != 0);
                    }
                    hits.truncate(n);
                }
                for &at in &hits {
                    let at = at as usize;
                    let entry = &walk.list[at];
                    let shares = shared_bound(rest, entry.signature);
                    if top.beats(decay_bound * shares) {
                        continue;
                    }
                    let decay = self.decay_seconds(date - entry.date);
                    let bound = decay * SLACK * shares;
                    if !top.beats(bound) {
                        found.push(Candidate {
                            bound,
                            decay,
                            record: list.records[at],
                        });
                    }
                }
                self.offer(&mut top, a, &mut found, exclude);
                // A gap with nothing in it is passed over.
                near = walk.next_distance(date);
            }
        }
        top.into_vec()
    }

    /// Score `found` exactly for `a` and offer them, the highest bound
    /// first, until the rest cannot get in; then empty it. In that order
    /// few records, each likely a cache miss, are read.
    fn offer(&self, top: &mut Top, a: usize, found: &mut Vec<Candidate>, exclude: &[usize]) {
        found.sort_unstable_by(|x, y| y.bound.total_cmp(&x.bound));
        for c in found.iter() {
            if top.beats(c.bound) {
                break;
            }
            let at = c.record as usize;
            let b = self.records[at] as usize;
            let tags = &self.records[at + 2..at + 2 + self.records[at + 1] as usize];
            if exclude.contains(&b) {
                continue;
            }
            top.offer(Scored {
                article: b,
                score: c.decay * self.idf_of(a, |t| tags.contains(&(t as u32))),
            });
        }
        found.clear();
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

/// The signature bits of the tags in `rest` (the walked tag first, then
/// the others rarest first) of which an article of the walked list must
/// have one to share `need` or more: the commonest others it can do
/// without, and its own tag, share less. All bits when its own tag may do.
fn heavy_bits(rest: &[(u64, f64)], need: f64) -> u64 {
    let mut light = rest[0].1;
    if light >= need {
        return !0;
    }
    for (i, &(_, idf)) in rest.iter().enumerate().skip(1).rev() {
        if light + idf >= need {
            return rest[1..=i].iter().fold(0, |bits, m| bits | m.0);
        }
        light += idf;
    }
    0
}

/// Posting lists at most this long are read whole before any walk.
const SHORT_LIST: usize = 64;

/// A walk's step reads, on average, about this many entries of its list
/// (more far out, where steps widen by an eighth of their distance): few
/// enough that a step seldom reads what a nearer one would have ruled out,
/// enough that the cost of a step is spread over many.
const STEP_ENTRIES: i64 = 16;

/// A walk's narrowest step, in seconds, for lists whose dates are bunched.
const MIN_STEP: i64 = 60;

/// The narrowest step for a list's entries (newest first).
fn narrowest_step(entries: &[Entry]) -> i64 {
    let span = entries
        .first()
        .zip(entries.last())
        .map_or(0, |(n, o)| n.date - o.date);
    (span / entries.len().max(1) as i64 * STEP_ENTRIES).max(MIN_STEP)
}

/// A walk outward in time from an article along one tag's posting list.
struct Walk<'a> {
    list: &'a [Entry],
    /// Entries `list[newer..older]` have been read (and the article itself).
    newer: usize,
    older: usize,
}

impl<'a> Walk<'a> {
    /// A walk from the article at `list[here]`.
    fn new(list: &'a [Entry], here: usize) -> Self {
        Walk {
            list,
            newer: here,
            older: here + 1,
        }
    }

    /// Whether entries are left to read.
    fn live(&self) -> bool {
        self.newer > 0 || self.older < self.list.len()
    }

    /// The entries not yet read that are less than `far` seconds from
    /// `date`, newer ones and older ones; they count as read.
    fn step(&mut self, date: i64, far: i64) -> [std::ops::Range<usize>; 2] {
        let list = self.list;
        let newer_end = self.newer;
        while self.newer > 0 && list[self.newer - 1].date - date < far {
            self.newer -= 1;
        }
        let older_start = self.older;
        while self.older < list.len() && date - list[self.older].date < far {
            self.older += 1;
        }
        [self.newer..newer_end, older_start..self.older]
    }

    /// How far from `date` the nearest entry not yet read is.
    fn next_distance(&self, date: i64) -> i64 {
        let newer = self
            .newer
            .checked_sub(1)
            .map_or(i64::MAX, |i| self.list[i].date - date);
        let older = self
            .list
            .get(self.older)
            .map_or(i64::MAX, |e| date - e.date);
        newer.min(older)
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

    /// The k-th best score, or 0 while there are fewer than k.
    fn kth(&self) -> f64 {
        match self.items.last() {
            Some(w) if self.items.len() == self.k => w.score,
            _ => 0.0,
        }
    }

    /// Whether a candidate that can score at most `bound` (never negative)
    /// cannot get in.
    fn beats(&self, bound: f64) -> bool {
        bound < self.kth()
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
                // One, the default four, and many more.
                for k in [1, 4, 12] {
                    assert_eq!(
                        r.top(a, k, &exclude),
                        brute_force(&r, a, k, &exclude),
                        "seed {seed}, half-life {half_life}, article {a}, k {k}"
                    );
                }
            }
        }
    }
}
