//! Arbitrary bytes through the stages that read user files: an article's
//! front matter and body (as a `.md` file would be read), the body alone as
//! Markdown, and the bytes as a `site.toml`. Any panic is a bug.

#![no_main]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use dateline::config::Config;
use dateline::content::{self, Body};
use dateline::highlight::Highlighter;
use dateline::markdown::{self, Dek};
use libfuzzer_sys::fuzz_target;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse("title = \"Fuzz\"\nbase_url = \"https://fuzz.example/news/\"\ntimezone = \"America/New_York\"\n")
            .expect("the fuzz target's own config is valid")
    })
}

fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::default)
}

fn render(body: &Body, dek: Dek) {
    let links = BTreeMap::new();
    let broken = BTreeSet::new();
    let cx = markdown::Context {
        links: &links,
        broken: &broken,
        base_url: &config().base_url,
        highlighter: highlighter(),
    };
    let mut problems = markdown::Problems::default();
    let r = markdown::render(Path::new("content/news/fuzz.md"), body, dek, &cx, &mut problems);
    let _ = r.reading_time();
    let _ = markdown::sanitizer().clean(&r.content_html).to_string();
}

fuzz_target!(|data: &[u8]| {
    let file = Path::new("content/news/fuzz.md");
    if let Ok(article) = content::parse_article(file, data, config()) {
        let dek = article.summary.as_deref().map_or(Dek::FromBody, Dek::Given);
        render(&article.body, dek);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let body = Body {
            markdown: text.to_string(),
            first_line: 1,
            ..Body::default()
        };
        render(&body, Dek::FromBody);
        let _ = Config::parse(text);
    }
});
