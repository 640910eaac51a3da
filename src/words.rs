//! The words a site's pages are written in: English by default
//! (`words.toml`), any of them replaced by `site.toml`'s `[words]`.
//! Templates get them as `site.words`, and fill in their `{name}`s with
//! the `fill` filter; the build uses them for the titles, descriptions,
//! dates and labels it writes itself.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// The built-in words, in English.
const ENGLISH: &str = include_str!("words.toml");

/// What a date's words may fill in.
const DATE: [&str; 6] = ["month", "month_number", "month2", "day", "day2", "year"];

/// What a time's words may fill in.
const TIME: [&str; 6] = ["hour", "hour2", "hour12", "minute", "am_pm", "zone"];

/// The words of a site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Words {
    /// January to December.
    months: Vec<String>,
    #[serde(flatten)]
    texts: BTreeMap<String, String>,
    /// The site's language, whose plural rules pick a count's words.
    #[serde(skip, default = "english")]
    language: String,
    /// The keys the site gave words for: a counted word's English form
    /// (`story_count_one`) does not stand beside the site's own word.
    #[serde(skip)]
    given: std::collections::BTreeSet<String>,
}

fn english() -> String {
    "en".to_string()
}

/// The words written with a number that have a form for each of the
/// number's plural categories (CLDR's): `story_count_few` beside
/// `story_count`, which is the form of every number no other form is
/// given for.
pub const COUNTED: [&str; 2] = ["min_read", "story_count"];

/// The plural categories a counted word may have a form for, besides
/// `other` (the word's own key).
const FORMS: [&str; 5] = ["zero", "one", "two", "few", "many"];

/// The plural category of `n` in `language` (`one`, `few`, `other`...), by
/// the Unicode CLDR's rules; `other` for a language they do not know.
fn plural_form(language: &str, n: usize) -> &'static str {
    with_rules(language, |rules| {
        form_name(rules.map_or(icu_plurals::PluralCategory::Other, |r| r.category_for(n)))
    })
}

fn form_name(category: icu_plurals::PluralCategory) -> &'static str {
    use icu_plurals::PluralCategory;
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// `f` of `language`'s cardinal plural rules, if the CLDR has them.
fn with_rules<T>(language: &str, f: impl FnOnce(Option<&icu_plurals::PluralRules>) -> T) -> T {
    use icu_plurals::PluralRules;
    thread_local! {
        static RULES: std::cell::RefCell<Option<(String, Option<PluralRules>)>> =
            const { std::cell::RefCell::new(None) };
    }
    RULES.with_borrow_mut(|rules| {
        if rules
            .as_ref()
            .is_none_or(|(for_language, _)| for_language != language)
        {
            // The tag without its script (`sr-Latn` would have the root's
            // rules, not Serbian's), its language under its current code
            // (`iw` is Hebrew, `he`); else the language alone.
            let rules_of = |tag: &str| {
                let locale = tag.parse::<icu_locale_core::Locale>().ok()?;
                PluralRules::try_new_cardinal((&locale).into()).ok()
            };
            let mut parts = language.split('-');
            let alone = match parts.next().unwrap_or_default() {
                "iw" => "he",
                "in" => "id",
                "ji" => "yi",
                other => other,
            };
            let script = |p: &&str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic());
            let tag: Vec<&str> = std::iter::once(alone)
                .chain(parts.filter(|p| !script(p)))
                .collect();
            let made = rules_of(&tag.join("-")).or_else(|| rules_of(alone));
            *rules = Some((language.to_string(), made));
        }
        f(rules.as_ref().and_then(|(_, r)| r.as_ref()))
    })
}

impl Words {
    /// The built-in words.
    pub fn english() -> Words {
        toml::from_str(ENGLISH).expect("words.toml holds words and twelve months")
    }

    /// These words with `key` given as `value`; what is wrong with it if
    /// it cannot be: an unknown key, a value of the wrong type, or a
    /// `{name}` that is not filled in where the words are used.
    pub fn set(&mut self, key: &str, value: &toml::Value) -> Result<(), String> {
        if key == "months" {
            let expected = "`words.months` must be a list of the 12 months' names, January first";
            let Some(list) = value.as_array() else {
                let found = crate::diagnostic::a_toml_value(value.type_str());
                return Err(format!("{expected}; found {found}"));
            };
            if let Some(i) = list.iter().position(|m| !m.is_str()) {
                let found = crate::diagnostic::a_toml_value(list[i].type_str());
                return Err(format!("{expected}; name {} is {found}", i + 1));
            }
            if list.len() != 12 {
                return Err(format!("{expected}; found {}", list.len()));
            }
            self.months = list
                .iter()
                .filter_map(|m| m.as_str().map(str::to_string))
                .collect();
            return Ok(());
        }
        // A form by number of a counted word: checked as the word is.
        let counted = key
            .rsplit_once('_')
            .filter(|(word, form)| COUNTED.contains(word) && FORMS.contains(form))
            .map(|(word, _)| word);
        let english = self.texts.get(key).or_else(|| self.texts.get(counted?));
        let Some(english) = english.cloned() else {
            if let Some(word) = key.strip_suffix("_other").filter(|w| COUNTED.contains(w)) {
                return Err(format!(
                    "`words.{key}` is not one of the words: the form of every number no other \
                     form is given for is `{word}` itself"
                ));
            }
            if crate::config::SETTINGS.contains(&key) {
                return Err(format!(
                    "`words.{key}` is not one of the words: `{key}` is a setting of site.toml, \
                     and every key written below the `[words]` line is in that table; move it \
                     above `[words]`"
                ));
            }
            let forms: Vec<String> = (COUNTED.iter())
                .flat_map(|word| FORMS.map(|form| format!("{word}_{form}")))
                .collect();
            let known = (self.texts.keys().map(String::as_str))
                .chain(forms.iter().map(String::as_str))
                .chain(["months"]);
            let meant = match crate::diagnostic::did_you_mean(key, known) {
                Some(meant) => format!("did you mean `{meant}`? The words "),
                None => "they ".to_string(),
            };
            return Err(format!(
                "`words.{key}` is not one of the words; {meant}are listed in the README, under \"The words of a site\""
            ));
        };
        let Some(text) = value.as_str() else {
            return Err(format!("`words.{key}` must be a string, like {english:?}"));
        };
        let known = match key {
            "date" => DATE.to_vec(),
            "time" => TIME.to_vec(),
            _ => names(&english),
        };
        if let Some(unknown) = names(text).into_iter().find(|n| !known.contains(n)) {
            let known: Vec<String> = known.iter().map(|n| format!("{{{n}}}")).collect();
            let fills = match known.is_empty() {
                true => "nothing is filled in there".to_string(),
                false => format!("what is filled in there is {}", known.join(", ")),
            };
            return Err(format!("`words.{key}` has {{{unknown}}}, but {fills}"));
        }
        self.texts.insert(key.to_string(), text.to_string());
        self.given.insert(key.to_string());
        Ok(())
    }

    /// Whether `key` is one of the words.
    pub fn knows(&self, key: &str) -> bool {
        key == "months" || self.texts.contains_key(key)
    }

    /// The words of `key`.
    pub fn get(&self, key: &str) -> &str {
        self.texts.get(key).map_or("", String::as_str)
    }

    /// These words, for a site in `language` (a language tag): in another
    /// language than English, a byline's names are joined as the CLDR's
    /// list patterns join them, with the site's `and` if it gives one.
    pub fn in_language(mut self, language: &str) -> Words {
        self.language = language.to_string();
        // A site's `page` written without its number ("Página") is
        // followed by it.
        if !self.get("page").contains("{number}") {
            let page = format!("{} {{number}}", self.get("page").trim_end());
            self.texts.insert("page".to_string(), page);
        }
        let english =
            (language.split(['-', '_']).next()).is_some_and(|l| l.eq_ignore_ascii_case("en"));
        let cldr = match english {
            true => None,
            false => list_words(language),
        };
        let [pair, comma, last] = cldr.map_or([None, None, None], |words| words.map(Some));
        // The site's `and`, spaced as the language's own is ("和" without
        // spaces, Hebrew "ו" joined to the name), else with a space each side.
        let and = self
            .given
            .contains("and")
            .then(|| self.get("and").trim().to_string());
        let spaced = |cldr: Option<String>| match (&and, cldr) {
            (Some(and), Some(cldr)) if !cldr.trim().is_empty() => {
                Some(cldr.replacen(cldr.trim(), and, 1))
            }
            (Some(and), _) => Some(format!(" {and} ")),
            (None, cldr) => cldr,
        };
        for (key, value) in [
            ("list_pair", spaced(pair)),
            ("list_comma", comma),
            ("list_last", spaced(last)),
        ] {
            if let (Some(value), false) = (value, self.given.contains(key)) {
                self.texts.insert(key.to_string(), value);
            }
        }
        self
    }

    /// The forms of counted words the site gives (`story_count_few`) that
    /// no number of its language takes, each with the forms it does take.
    pub fn unused_forms(&self) -> Vec<(&str, Vec<&'static str>)> {
        with_rules(&self.language, |rules| {
            let Some(rules) = rules else {
                return Vec::new();
            };
            let taken: Vec<&'static str> = rules.categories().map(form_name).collect();
            (self.given.iter())
                .filter(|key| {
                    key.rsplit_once('_').is_some_and(|(word, form)| {
                        COUNTED.contains(&word) && FORMS.contains(&form) && !taken.contains(&form)
                    })
                })
                .map(|key| (key.as_str(), taken.clone()))
                .collect()
        })
    }

    /// A counted word (see [`COUNTED`]) for the number `n`, in the form
    /// the language's plural rules call for where the site gives one, and
    /// with `n` filled in: "1 story", "3 stories"; in Polish "2 artykuły",
    /// "5 artykułów".
    pub fn counted(&self, key: &str, n: usize) -> String {
        // A form of the site's, or an English one beside English words;
        // most numbers are `other`, the word's own key.
        let ours = |k: &str| self.given.contains(k);
        let text = match plural_form(&self.language, n) {
            "other" => None,
            form => {
                let form_key = format!("{key}_{form}");
                match ours(key) && !ours(&form_key) {
                    true => None,
                    false => self.texts.get(&form_key),
                }
            }
        };
        let text = text.map_or_else(|| self.get(key), String::as_str);
        let n = n.to_string();
        let values: Vec<(&str, &str)> = names(text)
            .into_iter()
            .map(|name| (name, n.as_str()))
            .collect();
        fill(text, &values)
    }

    /// Sort `items` by `name` as the site's language orders words (the
    /// Unicode CLDR's collation: Polish puts `ł` after `l` and `ż` after
    /// `z`), items of equal names keeping their order.
    pub fn sort_by_name<T>(&self, items: &mut [T], name: impl Fn(&T) -> &str) {
        let locale = (self.language.parse::<icu_locale_core::Locale>())
            .unwrap_or(icu_locale_core::Locale::UNKNOWN);
        let options = icu_collator::options::CollatorOptions::default();
        match icu_collator::Collator::try_new((&locale).into(), options) {
            Ok(collator) => items.sort_by(|a, b| collator.compare(name(a), name(b))),
            Err(_) => items.sort_by(|a, b| name(a).cmp(name(b))),
        }
    }

    /// The words of `key`, each `{name}` of `values` filled in.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.get(key), values)
    }

    /// A moment's date as readers read it: "April 27, 2026".
    pub fn date(&self, z: &jiff::Zoned) -> String {
        let month = self.months.get(usize::from(z.month().unsigned_abs()) - 1);
        self.fill(
            "date",
            &[
                ("month", month.map_or("", String::as_str)),
                ("month_number", &z.month().to_string()),
                ("month2", &format!("{:02}", z.month())),
                ("day", &z.day().to_string()),
                ("day2", &format!("{:02}", z.day())),
                ("year", &z.year().to_string()),
            ],
        )
    }

    /// A moment's time of day as readers read it: "9:00 AM EDT".
    pub fn time(&self, z: &jiff::Zoned) -> String {
        let hour = z.hour();
        let hour12 = match hour % 12 {
            0 => 12,
            h => h,
        };
        let am_pm = match hour < 12 {
            true => self.get("am"),
            false => self.get("pm"),
        };
        self.fill(
            "time",
            &[
                ("hour", &hour.to_string()),
                ("hour2", &format!("{hour:02}")),
                ("hour12", &hour12.to_string()),
                ("minute", &format!("{:02}", z.minute())),
                ("am_pm", am_pm),
                ("zone", &z.strftime("%Z").to_string()),
            ],
        )
    }
}

/// `text` with each `{name}` of `values` filled in; other braces are left
/// as they are.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = values.iter().find(|(n, _)| *n == name)?;
            Some((value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{name}`s written in `text`: a name is a word of letters (of any
/// script: `{mês}` is one, and not filled in), digits and `_`.
pub fn names(text: &str) -> Vec<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .collect()
}

/// What joins a list of names in `language`, by the Unicode CLDR's "and"
/// list patterns: between two, between the first ones of three or more,
/// and before the last of those. None where the CLDR has none of its own.
fn list_words(language: &str) -> Option<[String; 3]> {
    let words = cldr_list_words(language)?;
    // The root's patterns ("A, B"), for a language the CLDR lacks, join
    // two names as a list of many: no "and" at all.
    (Some(&words) != cldr_list_words("und").as_ref()).then_some(words)
}

fn cldr_list_words(language: &str) -> Option<[String; 3]> {
    use icu_list::{options::ListFormatterOptions, ListFormatter};
    let locale = language.parse::<icu_locale_core::Locale>().ok()?;
    let formatter =
        ListFormatter::try_new_and((&locale).into(), ListFormatterOptions::default()).ok()?;
    // Names no pattern holds, to cut the patterns' words out by: in
    // Hebrew letters for Hebrew, whose "and" is written otherwise before a
    // name in another script (ICU4X's one such rule besides Spanish "y"
    // before "i", which a byline does without).
    let hebrew = (language.split(['-', '_']).next())
        .is_some_and(|l| l.eq_ignore_ascii_case("he") || l.eq_ignore_ascii_case("iw"));
    let [a, b, c] = match hebrew {
        true => ["\u{5D0}", "\u{5D1}", "\u{5D2}"],
        false => ["\u{E000}", "\u{E001}", "\u{E002}"],
    };
    let two = formatter.format_to_string([a, b].into_iter());
    let three = formatter.format_to_string([a, b, c].into_iter());
    let between = |text: &str, from: &str, to: &str| {
        let after = text.split_once(from)?.1;
        Some(after.split_once(to)?.0.to_string())
    };
    Some([
        between(&two, a, b)?,
        between(&three, a, b)?,
        between(&three, b, c)?,
    ])
}

/// As templates see them: each key with its words, and `months` a list.
impl Serialize for Words {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.texts.len() + 1))?;
        for (key, text) in &self.texts {
            map.serialize_entry(key, text)?;
        }
        map.serialize_entry("months", &self.months)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_words_take_the_form_the_languages_rules_give_the_number() {
        let value = |t: &str| toml::Value::String(t.to_string());
        let english = Words::english();
        assert_eq!(english.counted("story_count", 1), "1 story");
        assert_eq!(english.counted("story_count", 0), "0 stories");
        assert_eq!(english.counted("min_read", 1), "1 min read");
        let mut polish = Words::english().in_language("pl");
        for (key, text) in [
            ("story_count_one", "{count} artykuł"),
            ("story_count_few", "{count} artykuły"),
            ("story_count", "{count} artykułów"),
            ("min_read_one", "{minutes} minuta czytania"),
            ("min_read_few", "{minutes} minuty czytania"),
            ("min_read", "{minutes} minut czytania"),
        ] {
            polish.set(key, &value(text)).unwrap();
        }
        let counts: Vec<String> = [1, 2, 4, 5, 12, 21, 22, 105]
            .into_iter()
            .map(|n| polish.counted("story_count", n))
            .collect();
        assert_eq!(
            counts,
            [
                "1 artykuł",
                "2 artykuły",
                "4 artykuły",
                "5 artykułów",
                "12 artykułów",
                "21 artykułów",
                "22 artykuły",
                "105 artykułów"
            ]
        );
        assert_eq!(polish.counted("min_read", 3), "3 minuty czytania");
        // A form not given falls back to the word's own.
        let mut arabic = Words::english().in_language("ar");
        arabic.set("min_read", &value("{minutes} دقيقة")).unwrap();
        arabic
            .set("min_read_few", &value("{minutes} دقائق"))
            .unwrap();
        assert_eq!(arabic.counted("min_read", 3), "3 دقائق");
        assert_eq!(arabic.counted("min_read", 11), "11 دقيقة");
        // A form is checked as its word is.
        assert_eq!(
            polish
                .set("story_count_few", &value("{minutes}"))
                .unwrap_err(),
            "`words.story_count_few` has {minutes}, but what is filled in there is {count}"
        );
        assert!(polish.set("story_count_several", &value("x")).is_err());
        assert_eq!(
            polish.set("story_count_other", &value("x")).unwrap_err(),
            "`words.story_count_other` is not one of the words: the form of every number no other form is given for is `story_count` itself"
        );
        assert!(polish
            .set("min_read_fwe", &value("x"))
            .unwrap_err()
            .contains("did you mean `min_read_few`?"));
        // The site's word, not the English form, where it gives no form.
        let mut french = Words::english().in_language("fr");
        french
            .set("story_count", &value("{count} articles"))
            .unwrap();
        assert_eq!(french.counted("story_count", 1), "1 articles");
        assert_eq!(french.counted("story_count", 0), "0 articles");
        // A script in the tag keeps the language's rules.
        let mut serbian = Words::english().in_language("sr-Latn");
        serbian
            .set("story_count", &value("{count} članaka"))
            .unwrap();
        serbian
            .set("story_count_few", &value("{count} članka"))
            .unwrap();
        assert_eq!(serbian.counted("story_count", 3), "3 članka");
        let mut hebrew = Words::english().in_language("iw");
        hebrew.set("story_count", &value("{count} כתבות")).unwrap();
        hebrew.set("story_count_two", &value("שתי כתבות")).unwrap();
        assert_eq!(hebrew.counted("story_count", 2), "שתי כתבות");
        assert!(polish.set("updated_few", &value("x")).is_err());
    }

    #[test]
    fn the_built_in_words_are_all_strings_and_twelve_months() {
        let table: toml::Table = toml::from_str(ENGLISH).unwrap();
        for (key, value) in &table {
            assert!(key == "months" || value.is_str(), "{key}");
        }
        let words = Words::english();
        assert_eq!(words.months.len(), 12);
        assert_eq!(words.months[3], "April");
        assert_eq!(words.texts.len(), table.len() - 1);
    }

    #[test]
    fn bylines_join_names_as_the_language_does() {
        let joined = |words: &Words| {
            ["list_pair", "list_comma", "list_last"].map(|k| words.get(k).to_string())
        };
        // English keeps news style: no comma before the last name.
        assert_eq!(
            joined(&Words::english().in_language("en-GB")),
            [" and ", ", ", " and "]
        );
        assert_eq!(
            joined(&Words::english().in_language("fr")),
            [" et ", ", ", " et "]
        );
        assert_eq!(
            joined(&Words::english().in_language("ar")),
            [" و", " و", " و"]
        );
        assert_eq!(
            joined(&Words::english().in_language("zh-Hans")),
            ["和", "、", "和"]
        );
        assert_eq!(
            joined(&Words::english().in_language("he")),
            [" ו", ", ", " ו"]
        );
        assert_eq!(
            joined(&Words::english().in_language("EN")),
            [" and ", ", ", " and "]
        );
        // The site's own `and`, spaced as the language spaces its own.
        let given = |language: &str, and: &str| {
            let mut words = Words::english();
            words
                .set("and", &toml::Value::String(and.to_string()))
                .unwrap();
            joined(&words.in_language(language))
        };
        assert_eq!(given("zh", "与"), ["与", "、", "与"]);
        assert_eq!(given("he", "ו"), [" ו", ", ", " ו"]);
        assert_eq!(given("en", "&"), [" & ", ", ", " & "]);
        // The site's own `and`, and its own list words, win.
        let mut polish = Words::english();
        let value = |t: &str| toml::Value::String(t.to_string());
        polish.set("and", &value("oraz")).unwrap();
        polish.set("list_comma", &value(" · ")).unwrap();
        assert_eq!(
            joined(&polish.in_language("pl")),
            [" oraz ", " · ", " oraz "]
        );
        // A language the CLDR has no list of keeps the English words.
        assert_eq!(
            joined(&Words::english().in_language("tlh")),
            [" and ", ", ", " and "]
        );
    }

    #[test]
    fn a_page_is_named_with_its_number_where_the_word_puts_it() {
        let value = |t: &str| toml::Value::String(t.to_string());
        let mut chinese = Words::english();
        chinese.set("page", &value("第{number}页")).unwrap();
        assert_eq!(
            chinese.in_language("zh").fill("page", &[("number", "2")]),
            "第2页"
        );
        let mut portuguese = Words::english();
        portuguese.set("page", &value("Página")).unwrap();
        assert_eq!(
            portuguese
                .in_language("pt")
                .fill("page", &[("number", "2")]),
            "Página 2"
        );
        assert_eq!(
            Words::english()
                .in_language("en")
                .fill("page", &[("number", "2")]),
            "Page 2"
        );
    }

    #[test]
    fn the_readme_lists_every_word_as_words_toml_has_it() {
        let readme = include_str!("../README.md");
        let listed = &ENGLISH[ENGLISH.find("# Dates").unwrap()..];
        assert!(readme.contains(&format!("```toml\n{listed}```")));
    }

    #[test]
    fn dates_and_times_are_written_in_the_sites_words() {
        let tz = jiff::tz::TimeZone::get("America/New_York").unwrap();
        let z = "2026-04-07T21:05:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .to_zoned(tz);
        let mut words = Words::english();
        assert_eq!(words.date(&z), "April 7, 2026");
        assert_eq!(words.time(&z), "5:05 PM EDT");
        let months = ["janeiro", "fevereiro", "março", "abril", "maio", "junho"];
        let months: Vec<toml::Value> = months
            .iter()
            .chain(&[
                "julho", "agosto", "setembro", "outubro", "novembro", "dezembro",
            ])
            .map(|m| toml::Value::from(*m))
            .collect();
        words.set("months", &toml::Value::from(months)).unwrap();
        let text = |t: &str| toml::Value::from(t);
        words
            .set("date", &text("{day} de {month} de {year}"))
            .unwrap();
        words.set("time", &text("{hour2}h{minute}")).unwrap();
        assert_eq!(words.date(&z), "7 de abril de 2026");
        assert_eq!(words.time(&z), "17h05");
        words.set("date", &text("{day2}.{month2}.{year}")).unwrap();
        assert_eq!(words.date(&z), "07.04.2026");
    }

    #[test]
    fn a_word_that_is_not_there_or_fills_in_nothing_known_is_refused() {
        let mut words = Words::english();
        let text = |t: &str| toml::Value::from(t);
        assert_eq!(
            words.set("sahre", &text("Partilhar")).unwrap_err(),
            "`words.sahre` is not one of the words; did you mean `share`? The words are listed in the README, under \"The words of a site\""
        );
        assert_eq!(
            words.set("headline", &text("Manchete")).unwrap_err(),
            "`words.headline` is not one of the words; they are listed in the README, under \"The words of a site\""
        );
        assert_eq!(
            words.set("min_read", &text("{minute} min")).unwrap_err(),
            "`words.min_read` has {minute}, but what is filled in there is {minutes}"
        );
        assert_eq!(
            words.set("share", &text("{network}")).unwrap_err(),
            "`words.share` has {network}, but nothing is filled in there"
        );
        assert_eq!(
            words.set("share", &toml::Value::from(5)).unwrap_err(),
            "`words.share` must be a string, like \"Share\""
        );
        let months = |list: Vec<toml::Value>| words.clone().set("months", &toml::Value::from(list));
        let expected = "`words.months` must be a list of the 12 months' names, January first";
        assert_eq!(
            months(vec![text("jan"), text("fev")]).unwrap_err(),
            format!("{expected}; found 2")
        );
        assert_eq!(
            months(vec![text("jan"), toml::Value::from(2)]).unwrap_err(),
            format!("{expected}; name 2 is a whole number")
        );
        assert_eq!(
            words.set("months", &text("jan")).unwrap_err(),
            format!("{expected}; found a string")
        );
        assert_eq!(
            words.set("min_read", &text("{minutos} min")).unwrap_err(),
            "`words.min_read` has {minutos}, but what is filled in there is {minutes}"
        );
        assert!(words.set("date", &text("{dia} de {mês}")).is_err());
        // Braces around no name are words like any other.
        words.set("min_read", &text("{minutes} min {}")).unwrap();
        assert_eq!(words.fill("min_read", &[("minutes", "3")]), "3 min {}");
        assert_eq!(words, {
            let mut w = Words::english();
            w.set("min_read", &text("{minutes} min {}")).unwrap();
            w
        });
    }
}
