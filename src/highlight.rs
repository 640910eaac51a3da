//! Code highlighting: syntect as an adaptor for fenced code blocks.
//!
//! Code is marked up with CSS classes (`hl-*`), never inline styles, so one
//! stylesheet carries a light and a dark palette. The syntax definitions are
//! loaded once per build and shared by every thread.

use crate::markdown::escape;
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
        }
    }
}

impl Highlighter {
    /// The HTML of a fenced code block. An unknown or missing language gives
    /// a plain block.
    pub fn code_block(&self, lang: &str, code: &str) -> String {
        let lang = lang.split([' ', ',', '{']).next().unwrap_or("").trim();
        let lang_attr = escape(lang);
        let highlighted = (!lang.is_empty())
            .then(|| self.syntaxes.find_syntax_by_token(lang))
            .flatten()
            .and_then(|syntax| {
                let mut gen =
                    ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
                for line in LinesWithEndings::from(code) {
                    gen.parse_html_for_line_which_includes_newline(line).ok()?;
                }
                Some(gen.finalize())
            });
        match (highlighted, lang.is_empty()) {
            (Some(html), _) => format!(
                "<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{html}</code></pre>\n"
            ),
            (None, false) => format!(
                "<pre class=\"code\"><code class=\"language-{lang_attr}\">{}</code></pre>\n",
                escape(code)
            ),
            (None, true) => format!(
                "<pre class=\"code\"><code>{}</code></pre>\n",
                escape(code)
            ),
        }
    }
}

/// CSS for highlighted code: the light palette, then the dark one inside a
/// `prefers-color-scheme: dark` query.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    format!(
        "/* Code highlighting: light */\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css(LIGHT_THEME),
        css(DARK_THEME)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_not_styles() {
        let html = Highlighter::default().code_block("rust", "fn main() {}\n");
        assert!(
            html.starts_with("<pre class=\"code\" data-lang=\"rust\">"),
            "{html}"
        );
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_language_is_a_plain_escaped_block() {
        let html = Highlighter::default().code_block("nosuchlang", "<b>&</b>\n");
        assert_eq!(
            html,
            "<pre class=\"code\"><code class=\"language-nosuchlang\">&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn stylesheet_has_both_palettes() {
        let css = stylesheet();
        assert!(css.contains(".hl-"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
    }
}
