//! Code highlighting: syntect as an adaptor for fenced code blocks.
//!
//! Code is marked up with syntect's scope names as CSS classes (`hl-keyword`,
//! `hl-string`, ...), never inline styles, so the theme's stylesheet carries
//! the palettes: the default theme has a light and a dark one, each checked
//! for 4.5:1 contrast. The syntax definitions are loaded once per build and
//! shared by every thread.

use crate::markdown::escape;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

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
    /// a plain block. The block is focusable so a keyboard can scroll it.
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
                "<pre class=\"code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{html}</code></pre>\n"
            ),
            (None, false) => format!(
                "<pre class=\"code\" tabindex=\"0\"><code class=\"language-{lang_attr}\">{}</code></pre>\n",
                escape(code)
            ),
            (None, true) => format!(
                "<pre class=\"code\" tabindex=\"0\"><code>{}</code></pre>\n",
                escape(code)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_not_styles() {
        let html = Highlighter::default().code_block("rust", "fn main() {}\n");
        assert!(
            html.starts_with("<pre class=\"code\" tabindex=\"0\" data-lang=\"rust\">"),
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
            "<pre class=\"code\" tabindex=\"0\"><code class=\"language-nosuchlang\">&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n"
        );
    }
}
