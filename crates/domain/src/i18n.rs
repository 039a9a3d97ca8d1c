//! Interface languages. Each is a catalogue file `assets/i18n/<code>.json` mapping message keys to
//! text; adding a language (Serbian in Cyrillic, Turkish...) is adding a file. English is the
//! reference catalogue: every other must have exactly its keys.
use crate::assets::CATALOGUE_FILES;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The catalogue every other is checked against, and the fallback for a missing key.
pub const REFERENCE: &str = "en";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// BCP 47 code: `en`, `sq`, `sr`, `sr-Cyrl`...
    pub code: &'static str,
    /// The language's name in itself (`language.name` in its catalogue).
    pub name: String,
}

type Catalogue = BTreeMap<String, String>;

fn catalogues() -> &'static BTreeMap<&'static str, Catalogue> {
    static CATALOGUES: OnceLock<BTreeMap<&'static str, Catalogue>> = OnceLock::new();
    CATALOGUES.get_or_init(|| {
        CATALOGUE_FILES
            .iter()
            .filter_map(|(code, json)| {
                // Checked by this module's tests; a broken catalogue is left out, not a crash.
                serde_json::from_str::<Catalogue>(json).ok().map(|c| (*code, c))
            })
            .collect()
    })
}

/// The interface languages of this build.
pub fn languages() -> Vec<Language> {
    catalogues()
        .iter()
        .map(|(code, cat)| Language {
            code,
            name: cat.get("language.name").cloned().unwrap_or_else(|| code.to_string()),
        })
        .collect()
}

pub fn is_supported(code: &str) -> bool {
    catalogues().contains_key(code)
}

/// The message for `key` in `lang`, falling back to English, then to the key itself.
pub fn text<'a>(lang: &str, key: &'a str) -> &'a str
where
    'static: 'a,
{
    let cats = catalogues();
    cats.get(lang)
        .and_then(|c| c.get(key))
        .or_else(|| cats.get(REFERENCE).and_then(|c| c.get(key)))
        .map(String::as_str)
        .unwrap_or(key)
}

/// The plural category of `n` in `lang` (CLDR rules for whole numbers): `one` or `other` in
/// English and Albanian; `one`, `few` or `other` in Serbian (1, 21, 31 … one; 2–4, 22–24 … few;
/// 11–14 other).
pub fn plural_category(lang: &str, n: u64) -> &'static str {
    if lang.starts_with("sr") || lang.starts_with("bs") || lang.starts_with("hr") {
        let (m10, m100) = (n % 10, n % 100);
        if m10 == 1 && m100 != 11 {
            "one"
        } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
            "few"
        } else {
            "other"
        }
    } else if n == 1 {
        "one"
    } else {
        "other"
    }
}

/// The message `key.<category>` for `n` in `lang` with `{n}` replaced, falling back to
/// `key.other` (a catalogue without a `few` form).
pub fn plural(lang: &str, key: &str, n: u64) -> String {
    let exact = format!("{key}.{}", plural_category(lang, n));
    let text = match text(lang, &exact) {
        t if t == exact => text(lang, &format!("{key}.other")).to_string(),
        t => t.to_string(),
    };
    text.replace("{n}", &n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_parses() {
        for (code, json) in CATALOGUE_FILES {
            let parsed = serde_json::from_str::<Catalogue>(json);
            assert!(
                parsed.is_ok(),
                "assets/i18n/{code}.json must be a flat key -> text map: {:?}",
                parsed.err()
            );
        }
    }

    #[test]
    fn english_albanian_and_serbian_are_supported() {
        for code in ["en", "sq", "sr"] {
            assert!(is_supported(code), "{code} is one of the interface languages the issue asks for");
        }
    }

    #[test]
    fn every_catalogue_has_exactly_the_keys_of_the_reference() {
        let cats = catalogues();
        let reference = &cats[REFERENCE];
        for (code, cat) in cats {
            let missing: Vec<_> = reference.keys().filter(|k| !cat.contains_key(*k)).collect();
            let extra: Vec<_> = cat.keys().filter(|k| !reference.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{code}.json lacks translations for {missing:?}");
            assert!(extra.is_empty(), "{code}.json has keys that English does not: {extra:?}");
            let empty: Vec<_> = cat.iter().filter(|(_, v)| v.trim().is_empty()).map(|(k, _)| k).collect();
            assert!(empty.is_empty(), "{code}.json has empty texts for {empty:?}");
        }
    }

    #[test]
    fn every_placeholder_of_the_reference_is_kept_in_translations() {
        let cats = catalogues();
        let placeholders = |s: &str| {
            let mut out: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_string()))
                .collect();
            out.sort();
            out
        };
        for (key, text) in &cats[REFERENCE] {
            for (code, cat) in cats {
                if let Some(t) = cat.get(key) {
                    assert_eq!(
                        placeholders(t),
                        placeholders(text),
                        "{code}.json {key} must keep the placeholders"
                    );
                }
            }
        }
    }

    #[test]
    fn plural_categories_follow_each_language() {
        assert_eq!(plural_category("en", 1), "one");
        assert_eq!(plural_category("en", 21), "other");
        assert_eq!(plural_category("sq", 0), "other");
        let sr: Vec<&str> =
            [1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 112].iter().map(|&n| plural_category("sr", n)).collect();
        assert_eq!(
            sr,
            ["one", "few", "few", "other", "other", "other", "one", "few", "other", "one", "other"]
        );
    }
}
