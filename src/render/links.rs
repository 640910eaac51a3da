//! Article HTML shown away from its page: in a feed, where every link and
//! image source must be a full address, and in lists of stories (a dek on
//! the front page, a tag page, a related-stories box), where a relative
//! address would resolve against the wrong page.

use std::borrow::Cow;

/// `html` from the page at `page` (a full address), with every link and
/// image source a full address.
pub fn absolute(html: &str, page: &str) -> String {
    let Ok(base) = url::Url::parse(page) else {
        return html.to_string();
    };
    let resolve = |value: &str| base.join(value.trim()).ok().map(String::from);
    rewrite(html, &resolve, false).unwrap_or_else(|| html.to_string())
}

/// A dek from the page at `page` (a full address) as lists of stories
/// show it: a relative link or image source (`chart.png`, `#fn-1`,
/// `../other/`) becomes the site path it led to there, and no element
/// keeps its id, which the page showing the list may use itself or show
/// twice. Most deks have no attribute at all (no `=`) and come back as
/// they are.
pub fn in_lists<'a>(html: &'a str, page: &str) -> Cow<'a, str> {
    if !html.contains('=') {
        return Cow::Borrowed(html);
    }
    let Ok(base) = url::Url::parse(page) else {
        return Cow::Borrowed(html);
    };
    let resolve = |value: &str| {
        let value = value.trim();
        let relative = !value.starts_with('/')
            && url::Url::parse(value) == Err(url::ParseError::RelativeUrlWithoutBase);
        let joined = base.join(value).ok().filter(|_| relative)?;
        Some(joined[url::Position::BeforePath..].to_string())
    };
    rewrite(html, &resolve, true).map_or(Cow::Borrowed(html), Cow::Owned)
}

/// `html` with each address of a link, image, media source or poster
/// replaced by what `resolve` makes of it (`None`: left as it is), and,
/// with `drop_ids`, without ids; `None` if it cannot be read as HTML.
fn rewrite(html: &str, resolve: &dyn Fn(&str) -> Option<String>, drop_ids: bool) -> Option<String> {
    use lol_html::{element, rewrite_str, RewriteStrSettings};
    let fix = |attr: &'static str| {
        move |el: &mut lol_html::html_content::Element| {
            if let Some(value) = el.get_attribute(attr) {
                if let Some(resolved) = resolve(&value) {
                    el.set_attribute(attr, &resolved)?;
                }
            }
            Ok(())
        }
    };
    let mut handlers = vec![
        element!("a[href], area[href]", fix("href")),
        element!(
            "img[src], source[src], video[src], audio[src], iframe[src], track[src], embed[src]",
            fix("src")
        ),
        element!("object[data]", fix("data")),
        element!("video[poster]", fix("poster")),
        element!(
            "blockquote[cite], q[cite], del[cite], ins[cite]",
            fix("cite")
        ),
        element!("form[action]", fix("action")),
        element!("img[srcset], source[srcset]", |el| {
            if let Some(value) = el.get_attribute("srcset") {
                el.set_attribute("srcset", &srcset(&value, resolve))?;
            }
            Ok(())
        }),
    ];
    if drop_ids {
        handlers.push(element!("[id]", |el| {
            el.remove_attribute("id");
            Ok(())
        }));
    }
    let settings = RewriteStrSettings {
        element_content_handlers: handlers,
        ..RewriteStrSettings::new()
    };
    rewrite_str(html, settings).ok()
}

/// A `srcset` with each image's address resolved: `a.png 1x, b.png 2x` ->
/// `https://x.example/p/a.png 1x, https://x.example/p/b.png 2x`.
/// Candidates are read as HTML does: an address runs to white space, a
/// comma ending it ends the candidate, and otherwise its descriptors run
/// to the next comma.
fn srcset(srcset: &str, resolve: &dyn Fn(&str) -> Option<String>) -> String {
    let mut candidates = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let (address, after) = rest.split_at(end);
        rest = after;
        let (address, descriptors) = match address.strip_suffix(',') {
            Some(bare) => (bare.trim_end_matches(','), ""),
            None => {
                let end = rest.find(',').unwrap_or(rest.len());
                let descriptors = rest[..end].trim();
                rest = &rest[end..];
                (address, descriptors)
            }
        };
        let address = resolve(address).unwrap_or_else(|| address.to_string());
        candidates.push(match descriptors.is_empty() {
            true => address,
            false => format!("{address} {descriptors}"),
        });
    }
    candidates.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_become_absolute() {
        let html = r##"<p><a href="/news/a/">a</a> <a href="#n">n</a> <img src="boat.svg" alt=""> <a href="https://x.example/">x</a></p>"##;
        let out = absolute(html, "https://example.com/news/city/ferry/");
        assert_eq!(
            out,
            r##"<p><a href="https://example.com/news/a/">a</a> <a href="https://example.com/news/city/ferry/#n">n</a> <img src="https://example.com/news/city/ferry/boat.svg" alt=""> <a href="https://x.example/">x</a></p>"##
        );
    }

    #[test]
    fn a_quotes_source_and_a_forms_action_become_absolute() {
        let html = r#"<blockquote cite="../report/"><p>Q</p></blockquote><q cite="/news/q/">q</q><del cite="memo.html">x</del><form action="search/"><input name="q"></form>"#;
        let out = absolute(html, "https://example.com/news/city/ferry/");
        assert_eq!(
            out,
            r#"<blockquote cite="https://example.com/news/city/report/"><p>Q</p></blockquote><q cite="https://example.com/news/q/">q</q><del cite="https://example.com/news/city/ferry/memo.html">x</del><form action="https://example.com/news/city/ferry/search/"><input name="q"></form>"#
        );
    }

    #[test]
    fn every_image_of_a_srcset_becomes_absolute() {
        let html = r#"<picture><source srcset="wide.webp 2x,/img/w.webp 1x"><img src="a.png" srcset=" a.png 1x , b.png 2x, https://cdn.example/c.png 3x, d.png,e.png" alt=""></picture>"#;
        let out = absolute(html, "https://example.com/news/city/ferry/");
        let page = "https://example.com/news/city/ferry/";
        // As HTML reads it, "d.png,e.png" is one address: only a comma at
        // an address's end separates.
        assert_eq!(
            out,
            format!(
                r#"<picture><source srcset="{page}wide.webp 2x, https://example.com/img/w.webp 1x"><img src="{page}a.png" srcset="{page}a.png 1x, {page}b.png 2x, https://cdn.example/c.png 3x, {page}d.png,e.png" alt=""></picture>"#
            )
        );
    }

    #[test]
    fn a_dek_in_lists_keeps_where_its_links_lead_and_no_ids() {
        let page = "https://example.com/news/city/ferry/";
        let html = r##"<h2 id="background">Background</h2>
<p><img src="harbour.svg" srcset="harbour.svg 1x, /img/h2.svg 2x" alt="The harbour"> <a href="../pier/">pier</a> <a href="/news/a/">a</a> <a href="https://x.example/y">x</a> <a href="mailto:desk@example.com">desk</a> <a href="?page=2">q</a><sup class="footnote-reference"><a href="#fn-1">1</a></sup></p>"##;
        assert_eq!(
            in_lists(html, page),
            r##"<h2>Background</h2>
<p><img src="/news/city/ferry/harbour.svg" srcset="/news/city/ferry/harbour.svg 1x, /img/h2.svg 2x" alt="The harbour"> <a href="/news/city/pier/">pier</a> <a href="/news/a/">a</a> <a href="https://x.example/y">x</a> <a href="mailto:desk@example.com">desk</a> <a href="/news/city/ferry/?page=2">q</a><sup class="footnote-reference"><a href="/news/city/ferry/#fn-1">1</a></sup></p>"##
        );
        // Raw HTML in capitals, with spaces around `=`, alike.
        assert_eq!(
            in_lists(r#"<p><IMG SRC = "chart.png"><H2 ID = "x">X</H2></p>"#, page),
            r#"<p><IMG SRC="/news/city/ferry/chart.png"><H2>X</H2></p>"#
        );
        // A dek of text alone is not copied.
        let plain = "<p>The ferry runs at <em>night</em>.</p>";
        assert!(matches!(in_lists(plain, page), Cow::Borrowed(_)));
    }
}
