//! The institution directory: who a unit refers cases to (the addressee of a referral letter). The
//! built-in directory is data (`assets/institutions/institutions.json`), named, addressed and greeted
//! in every interface language; a unit adds its own institutions in the app.
//!
//! An institution of `municipal` scope exists in every municipality (the Centre for Social Work, the
//! Municipal Office for Communities and Return, the police station): its names carry
//! `{municipality}`, filled with the unit's municipality in the letter's language.
use crate::i18n;
use crate::vocab::{MUNICIPALITIES, Vocabularies};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Text in each interface language (`en`, `sq`, `sr`).
pub type Labels = BTreeMap<String, String>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    National,
    Municipal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Institution {
    pub code: String,
    /// ombudsperson, court, police, prosecution, good_governance, communities_office,
    /// privacy_agency, social_work, inspectorate, legal_aid
    pub category: String,
    pub scope: Scope,
    pub name: Labels,
    #[serde(default)]
    pub department: Option<Labels>,
    /// `None` until someone enters it; letters then carry the name only.
    pub address: Option<Labels>,
    pub salutation: Labels,
    /// Whether the address was checked against the institution's own publications.
    pub address_verified: bool,
}

#[derive(Debug, Deserialize)]
struct File {
    entries: Vec<Institution>,
}

/// The categories an institution may have.
pub const CATEGORIES: &[&str] = &[
    "ombudsperson",
    "court",
    "police",
    "prosecution",
    "good_governance",
    "communities_office",
    "privacy_agency",
    "social_work",
    "inspectorate",
    "legal_aid",
];

/// The built-in directory, read once from the embedded data file.
pub fn builtin() -> &'static [Institution] {
    static DIRECTORY: OnceLock<Vec<Institution>> = OnceLock::new();
    DIRECTORY.get_or_init(|| {
        crate::assets::INSTITUTION_FILES
            .iter()
            .flat_map(|(_, text)| {
                // The embedded file is checked by this module's tests; a broken one yields none.
                serde_json::from_str::<File>(text).map(|f| f.entries).unwrap_or_default()
            })
            .collect()
    })
}

impl Institution {
    /// The name in `lang` (falling back to the reference language), with `{municipality}` filled.
    pub fn name_in(&self, lang: &str, municipality: &str, v: &Vocabularies) -> String {
        in_place(&self.name, lang, municipality, v)
    }
}

/// The text in `lang`, else in the reference language, else in any language there is.
pub fn pick<'a>(labels: &'a Labels, lang: &str) -> &'a str {
    labels
        .get(lang)
        .or_else(|| labels.get(i18n::REFERENCE))
        .or_else(|| labels.values().next())
        .map_or("", String::as_str)
}

/// The text in `lang` (see [`pick`]) with `{municipality}` filled with that municipality's name.
pub fn in_place(labels: &Labels, lang: &str, municipality: &str, v: &Vocabularies) -> String {
    pick(labels, lang).replace("{municipality}", v.label(MUNICIPALITIES, municipality, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_directory_is_complete_in_every_language() {
        let dir = builtin();
        assert!(dir.len() >= 20, "the directory reads from its data file ({} entries)", dir.len());
        let langs: Vec<String> = i18n::languages().into_iter().map(|l| l.code.to_string()).collect();
        let mut codes = std::collections::HashSet::new();
        for inst in dir {
            assert!(codes.insert(&inst.code), "institution codes are unique: {}", inst.code);
            assert!(CATEGORIES.contains(&inst.category.as_str()), "{}: a known category", inst.code);
            for lang in &langs {
                for (what, labels) in [("name", Some(&inst.name)), ("salutation", Some(&inst.salutation))]
                    .into_iter()
                    .chain([("address", inst.address.as_ref()), ("department", inst.department.as_ref())])
                {
                    if let Some(l) = labels {
                        assert!(
                            l.get(lang.as_str()).is_some_and(|t| !t.trim().is_empty()),
                            "{}: its {what} is written in {lang}",
                            inst.code
                        );
                    }
                }
            }
            let municipal = inst.name.values().all(|n| n.contains("{municipality}"));
            assert_eq!(
                municipal,
                inst.scope == Scope::Municipal,
                "{}: a municipal name names the place",
                inst.code
            );
        }
        for wanted in ["ombudsperson", "court", "police", "prosecution", "good_governance", "privacy_agency"]
        {
            assert!(dir.iter().any(|i| i.category == wanted), "the brief's {wanted} is in the directory");
        }
    }

    #[test]
    fn a_municipal_institution_is_named_after_the_units_municipality() {
        let v = Vocabularies::builtin();
        let csw =
            builtin().iter().find(|i| i.code == "social_work_centre").expect("the Centre for Social Work");
        assert_eq!(csw.name_in("sq", "gjilan", v), "Qendra për Punë Sociale, Gjilan");
        assert_eq!(csw.name_in("sr", "gjilan", v), "Centar za socijalni rad, Gnjilane");
    }
}
