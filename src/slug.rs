//! URL slugs: lowercase ASCII words joined by `-`.
//!
//! Accents and other scripts are transliterated (deunicode), so "Müller"
//! becomes `muller` and "São Paulo" `sao-paulo`; text that transliterates to
//! nothing still gets a stable, non-empty slug.

/// The slug of a name, tag or file stem.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        // Nothing transliterable (symbols, emoji): spell the code points.
        let points: Vec<String> = text.chars().map(|c| format!("{:x}", c as u32)).collect();
        slug = format!("u{}", points.join("-"));
    }
    slug
}

/// Whether `text` is already a slug, as `slug = "..."` in front matter must be.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty() && slugify(text) == text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_accents_and_scripts() {
        assert_eq!(slugify("Müller"), "muller");
        assert_eq!(slugify("São Paulo"), "sao-paulo");
        assert_eq!(slugify("  AI & the Cloud!  "), "ai-the-cloud");
        assert_eq!(slugify("O'Brien"), "o-brien");
        let cjk = slugify("東京");
        assert!(!cjk.is_empty() && cjk.is_ascii(), "{cjk}");
    }

    #[test]
    fn symbols_alone_still_get_a_slug() {
        assert_eq!(slugify("+"), "u2b");
        let s = slugify("\u{2063}");
        assert!(s.starts_with('u') && s.len() > 1, "{s}");
    }

    #[test]
    fn is_slug_accepts_only_canonical_slugs() {
        assert!(is_slug("openai-deal-2"));
        assert!(!is_slug("OpenAI"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug(""));
    }
}
