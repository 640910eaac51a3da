//! URL slugs: lowercase words joined by `-`.
//!
//! A site's `slugs` setting says which letters a slug keeps. `"ascii"`
//! (the default) transliterates accents and other scripts (deunicode), so
//! "Müller" becomes `muller` and "São Paulo" `sao-paulo`. `"unicode"`
//! keeps the letters of every script, lowercased and composed (NFKC), so
//! "النفط" stays `النفط` and is percent-encoded in addresses: an abjad
//! written in Latin letters loses its vowels, and two names would share
//! one page. Either way, text with no letters or digits still gets a
//! stable, non-empty slug.

use serde::Deserialize;

/// Which letters slugs keep (`slugs` in `site.toml`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Slugs {
    /// Lowercase ASCII letters and digits, others transliterated.
    #[default]
    Ascii,
    /// Letters, marks and digits of any script, lowercased, in NFKC.
    Unicode,
}

impl Slugs {
    /// The slug of a name, tag or file stem.
    pub fn slugify(self, text: &str) -> String {
        let mut slug = String::with_capacity(text.len());
        let word = |c: char, slug: &mut String| match c.is_alphanumeric() {
            true => slug.extend(c.to_lowercase()),
            false => {
                if !slug.is_empty() && !slug.ends_with('-') {
                    slug.push('-');
                }
            }
        };
        match self {
            Slugs::Ascii => {
                for c in deunicode::deunicode(text).chars() {
                    word(if c.is_ascii() { c } else { ' ' }, &mut slug);
                }
            }
            Slugs::Unicode => {
                // Lowercased whole, so that a word's last capital sigma
                // is the final one: "ΝΟΥΣ" and "Νους" are one slug. In
                // their compatibility forms (NFKC): full-width `ＡＩ` is
                // `ai`, a ligature `ﬁ` is `fi`, as readers take them.
                let composed = icu_normalizer::ComposingNormalizerBorrowed::new_nfkc()
                    .normalize(text)
                    .to_lowercase();
                let marks = icu_properties::CodePointMapData::<
                    icu_properties::props::GeneralCategory,
                >::new();
                for c in composed.chars() {
                    // Left out: what two spellings of one word differ by
                    // (see `optional`), and the dot a capital İ leaves
                    // over a lowercase i.
                    if optional(c) || (c == '\u{307}' && slug.ends_with('i')) {
                        continue;
                    }
                    // A vowel sign or virama belongs to its letter.
                    let mark =
                        icu_properties::props::GeneralCategoryGroup::Mark.contains(marks.get(c));
                    match mark && !slug.is_empty() && !slug.ends_with('-') {
                        true => slug.push(c),
                        false => word(c, &mut slug),
                    }
                }
            }
        }
        while slug.ends_with('-') {
            slug.pop();
        }
        if slug.is_empty() {
            // Nothing to keep (symbols, emoji): spell the code points.
            let points: Vec<String> = text.chars().map(|c| format!("{:x}", c as u32)).collect();
            slug = format!("u{}", points.join("-"));
        }
        slug
    }

    /// Whether `text` is already a slug, as `slug = "..."` in front matter
    /// must be.
    pub fn is_slug(self, text: &str) -> bool {
        !text.is_empty() && self.slugify(text) == text
    }
}

/// Characters one spelling of a word has and another not, which a
/// Unicode slug leaves out so that both are one: joiners (ZWJ, ZWNJ:
/// `می‌خواهم` and `میخواهم`, Sinhala `ශ්‍රී`), direction marks, the
/// Arabic tatweel that stretches a word, and the vowel points of Arabic
/// and Hebrew, which most text leaves out (`النِّفط` is `النفط`).
fn optional(c: char) -> bool {
    matches!(c,
        '\u{200c}' | '\u{200d}' | '\u{200e}' | '\u{200f}' | '\u{61c}' | '\u{640}'
        | '\u{64b}'..='\u{65f}' | '\u{670}' | '\u{6d6}'..='\u{6dc}' | '\u{6df}'..='\u{6e4}'
        | '\u{6e7}' | '\u{6e8}' | '\u{6ea}'..='\u{6ed}'
        | '\u{591}'..='\u{5bd}' | '\u{5bf}' | '\u{5c1}' | '\u{5c2}' | '\u{5c4}' | '\u{5c5}' | '\u{5c7}')
}

/// What to add to a message saying that `names` share a slug: with
/// ASCII slugs, and letters of a script other than Latin in them (`أحمد`
/// and `حمد`, which transliterate alike), how to keep them apart.
pub fn merged_hint<'a>(mode: Slugs, mut names: impl Iterator<Item = &'a str>) -> &'static str {
    let latin = |c: char| c <= '\u{24f}' || ('\u{1e00}'..='\u{1eff}').contains(&c);
    let other_script = |name: &str| name.chars().any(|c| c.is_alphabetic() && !latin(c));
    match mode == Slugs::Ascii && names.any(other_script) {
        true => {
            "; if they are different names, set `slugs = \"unicode\"` in site.toml to keep \
             the letters of every script in addresses"
        }
        false => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_transliterates_accents_and_scripts() {
        let slugify = |t| Slugs::Ascii.slugify(t);
        assert_eq!(slugify("Müller"), "muller");
        assert_eq!(slugify("São Paulo"), "sao-paulo");
        assert_eq!(slugify("  AI & the Cloud!  "), "ai-the-cloud");
        assert_eq!(slugify("O'Brien"), "o-brien");
        let cjk = slugify("東京");
        assert!(!cjk.is_empty() && cjk.is_ascii(), "{cjk}");
    }

    #[test]
    fn unicode_keeps_every_scripts_letters() {
        let slugify = |t| Slugs::Unicode.slugify(t);
        assert_eq!(slugify("النفط"), "النفط");
        // Names an abjad's transliteration would merge stay apart.
        assert_ne!(slugify("أحمد"), slugify("حمد"));
        assert_ne!(slugify("علم"), slugify("ألم"));
        assert_eq!(slugify("محمد علي"), "محمد-علي");
        assert_eq!(slugify("Łódź  Kaliska!"), "łódź-kaliska");
        assert_eq!(slugify("東京 2026"), "東京-2026");
        // A Devanagari word keeps its vowel signs and virama.
        assert_eq!(slugify("हिन्दी समाचार"), "हिन्दी-समाचार");
        // Composed and decomposed spellings are one slug.
        assert_eq!(slugify("Krako\u{301}w"), slugify("Kraków"));
        assert_eq!(slugify("Kraków"), "kraków");
        assert_eq!(slugify("AI & the Cloud"), "ai-the-cloud");
        assert_eq!(slugify("ΝΟΥΣ"), "νους");
        // Spellings that differ by joiners, stretching or vowel points.
        assert_eq!(slugify("می\u{200c}خواهم"), slugify("میخواهم"));
        assert_eq!(slugify("ශ්\u{200d}රී ලංකා"), "ශ්රී-ලංකා");
        assert_eq!(slugify("النـــفط"), "النفط");
        assert_eq!(slugify("النِّفط"), "النفط");
        assert_eq!(slugify("שָׁלוֹם"), "שלום");
        // A Turkish capital İ leaves no dot over the i.
        assert_eq!(slugify("İstanbul"), "istanbul");
        assert_eq!(slugify("Νους"), "νους");
        // Forms of one letter for typesetting are the letter.
        assert_eq!(slugify("ＡＩ"), slugify("AI"));
        assert_eq!(slugify("ﬁnance"), "finance");
        assert_eq!(slugify("ﻟﻐﺔ"), "لغة");
    }

    #[test]
    fn symbols_alone_still_get_a_slug() {
        for slugs in [Slugs::Ascii, Slugs::Unicode] {
            assert_eq!(slugs.slugify("+"), "u2b");
            let s = slugs.slugify("\u{2063}");
            assert!(s.starts_with('u') && s.len() > 1, "{s}");
        }
    }

    #[test]
    fn is_slug_accepts_only_canonical_slugs() {
        assert!(Slugs::Ascii.is_slug("openai-deal-2"));
        assert!(!Slugs::Ascii.is_slug("OpenAI"));
        assert!(!Slugs::Ascii.is_slug("a--b"));
        assert!(!Slugs::Ascii.is_slug(""));
        assert!(!Slugs::Ascii.is_slug("علم"));
        assert!(Slugs::Unicode.is_slug("علم"));
        assert!(!Slugs::Unicode.is_slug("Łódź"));
    }
}
