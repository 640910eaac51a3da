//! Benchmark of the related-stories ranking alone.
//!
//!     cargo bench --bench related -- synthetic 100000 1000000
//!     cargo bench --bench related -- corpus DIR
//!
//! `synthetic N` builds, in memory, a corpus shaped like
//! `shared/bench/newsgen.py`'s: a tag vocabulary of max(200, N/5) tags drawn
//! with a Zipf(1.1) law, 3 to 8 tags per article plus a company tag (26
//! companies), dates over eight years with 2% in the last 48 hours. Only the
//! ranking (all articles, count 4, half-life 180 days) is timed.
//!
//! `corpus DIR` loads a real site (e.g. one newsgen.py wrote) and times the
//! whole taxonomy stage, which includes the ranking.

use std::time::Instant;

use dateline::related::{rank_all, Corpus, Ranker};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

struct Synthetic {
    dates: Vec<i64>,
    tags: Vec<Vec<usize>>,
    postings: Vec<Vec<usize>>,
}

fn synthetic(n: usize, seed: u64) -> Synthetic {
    let mut rng = Rng(seed | 1);
    let vocab = (n / 5).max(200);
    let mut cdf = Vec::with_capacity(vocab);
    let mut total = 0.0;
    for i in 0..vocab {
        total += 1.0 / ((i + 1) as f64).powf(1.1);
        cdf.push(total);
    }
    let companies: Vec<usize> = (0..26)
        .map(|_| rng.range(0, vocab as u64 - 1) as usize)
        .collect();
    let now: i64 = 1_795_694_400; // 2026-11-26T12:00:00Z
    let span = 8 * 365 * 86_400;
    let mut articles: Vec<(i64, Vec<usize>)> = (0..n)
        .map(|_| {
            let date = if rng.unit() < 0.02 {
                now - rng.range(0, 48 * 3600) as i64
            } else {
                now - span + rng.range(0, span as u64) as i64
            };
            let mut tags: Vec<usize> = Vec::new();
            while tags.len() < rng.range(3, 8) as usize {
                let x = rng.unit() * total;
                let t = cdf.partition_point(|&c| c < x).min(vocab - 1);
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
            let company = companies[rng.range(0, 25) as usize];
            if !tags.contains(&company) {
                tags.insert(0, company);
            }
            (date, tags)
        })
        .collect();
    articles.sort_by_key(|a| std::cmp::Reverse(a.0));
    let mut postings = vec![Vec::new(); vocab];
    for (i, (_, tags)) in articles.iter().enumerate() {
        for &t in tags {
            postings[t].push(i);
        }
    }
    let (dates, tags) = articles.into_iter().unzip();
    Synthetic {
        dates,
        tags,
        postings,
    }
}

fn bench_synthetic(n: usize) {
    let started = Instant::now();
    let s = synthetic(n, 66_928);
    let made = started.elapsed();
    let corpus = Corpus {
        dates: &s.dates,
        tags: &s.tags,
        postings: s.postings.iter().map(Vec::as_slice).collect(),
    };
    let biggest = s.postings.iter().map(Vec::len).max().unwrap_or(0);
    let started = Instant::now();
    let ranker = Ranker::new(&corpus, 180.0);
    let pins = vec![Vec::new(); n];
    let ranked = rank_all(&ranker, 4, &pins);
    let took = started.elapsed();
    let filled = ranked.iter().filter(|r| r.len() == 4).count();
    println!(
        "synthetic {n} articles, {} tags (largest on {biggest} articles), {} threads: corpus {:.2} s, ranking {:.2} s ({filled} articles with 4 related)",
        s.postings.len(),
        rayon::current_num_threads(),
        made.as_secs_f64(),
        took.as_secs_f64(),
    );
}

fn bench_corpus(dir: &str) {
    use dateline::config::Config;
    use dateline::content::{self, Selection};
    let root = std::path::Path::new(dir);
    let config = Config::load(root).unwrap_or_else(|e| panic!("{e}"));
    let selection = Selection {
        drafts: false,
        future: false,
        now: jiff::Timestamp::now(),
    };
    let started = Instant::now();
    let found = dateline::walk::files(root, content::CONTENT_DIR, false);
    let loaded = content::load(root, &config, &selection, found).unwrap_or_else(|e| panic!("{e}"));
    let load = started.elapsed();
    let started = Instant::now();
    let mut problems = dateline::taxonomy::Problems::default();
    let t = dateline::taxonomy::build(&loaded.content, &config, &mut problems);
    let took = started.elapsed();
    println!(
        "corpus {dir}: {} articles, {} tags, {} threads: load {:.2} s, taxonomy with ranking {:.2} s",
        loaded.content.articles.len(),
        t.tags.len(),
        rayon::current_num_threads(),
        load.as_secs_f64(),
        took.as_secs_f64()
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("corpus") => args[1..].iter().for_each(|d| bench_corpus(d)),
        Some("synthetic") => args[1..]
            .iter()
            .for_each(|n| bench_synthetic(n.parse().expect("a number of articles"))),
        _ => {
            bench_synthetic(100_000);
        }
    }
}
