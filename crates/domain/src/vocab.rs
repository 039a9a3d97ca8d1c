//! Vocabularies: the closed lists a record picks from (grounds, areas, forms, communities,
//! municipalities...). They are data under `assets/vocab/<name>.json`, each entry with a stable
//! `code` and a label in every supported language, so a list can be corrected without a release.
use crate::assets::VOCAB_FILES;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub const GROUNDS: &str = "grounds";
pub const AREAS: &str = "areas";
pub const FORMS: &str = "forms";
pub const COMMUNITIES: &str = "communities";
pub const GENDERS: &str = "genders";
pub const AGE_BANDS: &str = "age_bands";
pub const PERSON_LANGUAGES: &str = "person_languages";
pub const CHANNELS: &str = "channels";
pub const RESPONDENT_TYPES: &str = "respondent_types";
pub const ACTION_TYPES: &str = "action_types";
pub const TARGET_GROUPS: &str = "target_groups";
pub const MEETING_FORMATS: &str = "meeting_formats";
pub const MUNICIPALITIES: &str = "municipalities";
/// What a referral letter asks of the institution; each has a letter template (see [`crate::letter`]).
pub const REQUEST_TYPES: &str = "request_types";

/// The code that means "other, specify" in open lists (grounds).
pub const OTHER: &str = "other";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub code: String,
    /// Municipalities only: the three letters that start their case numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Label per language code (`en`, `sq`, `sr`...).
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Vocabulary {
    pub vocabulary: String,
    #[serde(default)]
    pub description: String,
    pub entries: Vec<Entry>,
}

impl Vocabulary {
    pub fn get(&self, code: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.code == code)
    }
    pub fn contains(&self, code: &str) -> bool {
        self.get(code).is_some()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VocabError {
    #[error("vocabulary file {name} is not valid: {source}")]
    Parse { name: String, source: serde_json::Error },
    #[error("vocabulary file {file} names itself {declared}")]
    Name { file: String, declared: String },
}

/// Every vocabulary, by name.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Vocabularies(BTreeMap<String, Vocabulary>);

static BUILTIN: OnceLock<Vocabularies> = OnceLock::new();

impl Vocabularies {
    /// Parses vocabulary files given as `(name, json)` pairs.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, VocabError> {
        let mut map = BTreeMap::new();
        for (name, json) in files {
            let v: Vocabulary = serde_json::from_str(json)
                .map_err(|source| VocabError::Parse { name: name.to_string(), source })?;
            if v.vocabulary != name {
                return Err(VocabError::Name { file: name.into(), declared: v.vocabulary });
            }
            map.insert(name.to_string(), v);
        }
        Ok(Self(map))
    }

    /// The vocabularies shipped with this build (`assets/vocab`). Their validity is checked by
    /// this crate's tests, so failing to parse them here is a broken build, not bad user input.
    pub fn builtin() -> &'static Vocabularies {
        BUILTIN.get_or_init(|| {
            Self::from_files(VOCAB_FILES.iter().copied())
                .expect("assets/vocab is checked by rightsdesk-domain's tests")
        })
    }

    pub fn get(&self, name: &str) -> Option<&Vocabulary> {
        self.0.get(name)
    }

    /// Whether `code` is an entry of vocabulary `name`.
    pub fn contains(&self, name: &str, code: &str) -> bool {
        self.get(name).is_some_and(|v| v.contains(code))
    }

    /// The entry's label in `lang`, falling back to English, then to the code itself.
    pub fn label<'a>(&'a self, name: &str, code: &'a str, lang: &str) -> &'a str {
        self.get(name)
            .and_then(|v| v.get(code))
            .and_then(|e| e.labels.get(lang).or_else(|| e.labels.get("en")))
            .map(String::as_str)
            .unwrap_or(code)
    }

    /// The case-number prefix of a municipality.
    pub fn municipality_prefix(&self, code: &str) -> Option<&str> {
        self.get(MUNICIPALITIES)?.get(code)?.prefix.as_deref()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Vocabulary> {
        self.0.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n;
    use std::collections::BTreeSet;

    #[test]
    fn every_shipped_vocabulary_parses_and_is_named_after_its_file() {
        let v = Vocabularies::from_files(VOCAB_FILES.iter().copied());
        assert!(v.is_ok(), "assets/vocab must parse: {:?}", v.err());
    }

    #[test]
    fn the_vocabularies_the_code_relies_on_exist() {
        let v = Vocabularies::builtin();
        for name in [
            GROUNDS,
            AREAS,
            FORMS,
            COMMUNITIES,
            GENDERS,
            AGE_BANDS,
            PERSON_LANGUAGES,
            CHANNELS,
            RESPONDENT_TYPES,
            ACTION_TYPES,
            TARGET_GROUPS,
            MEETING_FORMATS,
            MUNICIPALITIES,
            REQUEST_TYPES,
        ] {
            assert!(v.get(name).is_some(), "assets/vocab/{name}.json is required by the domain");
        }
    }

    #[test]
    fn every_entry_has_a_label_in_every_supported_language_and_codes_are_unique() {
        for vocab in Vocabularies::builtin().iter() {
            let mut seen = BTreeSet::new();
            for e in &vocab.entries {
                assert!(seen.insert(&e.code), "{}: code {} appears twice", vocab.vocabulary, e.code);
                for lang in i18n::languages() {
                    let label = e.labels.get(lang.code).map(|s| s.trim()).unwrap_or("");
                    assert!(
                        !label.is_empty(),
                        "{}: entry {} needs a label in {} (every string is translated)",
                        vocab.vocabulary,
                        e.code,
                        lang.code
                    );
                }
            }
        }
    }

    #[test]
    fn kosovo_has_38_municipalities_each_with_a_unique_three_letter_prefix() {
        let m = Vocabularies::builtin().get(MUNICIPALITIES).unwrap();
        assert_eq!(m.entries.len(), 38, "the list of Kosovo's municipalities is complete");
        let prefixes: BTreeSet<_> = m.entries.iter().filter_map(|e| e.prefix.as_deref()).collect();
        assert_eq!(prefixes.len(), 38, "case-number prefixes must be unique");
        assert!(
            prefixes.iter().all(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_uppercase())),
            "prefixes are three capital letters"
        );
    }

    #[test]
    fn roma_ashkali_and_egyptian_are_distinct_communities() {
        let v = Vocabularies::builtin();
        for c in ["roma", "ashkali", "egyptian"] {
            assert!(v.contains(COMMUNITIES, c), "{c} must be its own community, never merged");
        }
    }

    #[test]
    fn the_open_list_of_grounds_has_other_specify() {
        assert!(Vocabularies::builtin().contains(GROUNDS, OTHER), "Art. 1 ends with 'any other grounds'");
    }

    #[test]
    fn labels_fall_back_to_english_then_to_the_code() {
        let v = Vocabularies::builtin();
        assert_eq!(v.label(MUNICIPALITIES, "prishtine", "sr"), "Priština");
        assert_eq!(v.label(MUNICIPALITIES, "prishtine", "xx"), "Prishtinë/Priština");
        assert_eq!(v.label(MUNICIPALITIES, "nowhere", "en"), "nowhere");
    }
}
