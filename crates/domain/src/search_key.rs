//! Search keys: text folded so that what an officer types finds what was written, whatever the
//! script or keyboard. Serbian Cyrillic is transliterated to Latin, `đ` becomes `dj` (as people
//! type it on an English keyboard); the full-text index then drops the remaining diacritics
//! (`ë`, `ç`, `č`, `š`...), so "Gjakove" finds "Gjakovë" and "Djordjevic" finds "Ђорђевић".

/// Folds text for the search index and for queries alike.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match translit(ch) {
            Some(s) => out.push_str(s),
            None => out.push(ch),
        }
    }
    out
}

fn translit(ch: char) -> Option<&'static str> {
    Some(match ch {
        'đ' => "dj",
        'Đ' => "Dj",
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'ђ' => "dj",
        'е' => "e",
        'ж' => "ž",
        'з' => "z",
        'и' => "i",
        'ј' => "j",
        'к' => "k",
        'л' => "l",
        'љ' => "lj",
        'м' => "m",
        'н' => "n",
        'њ' => "nj",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'ћ' => "ć",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "c",
        'ч' => "č",
        'џ' => "dž",
        'ш' => "š",
        'А' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' => "G",
        'Д' => "D",
        'Ђ' => "Dj",
        'Е' => "E",
        'Ж' => "Ž",
        'З' => "Z",
        'И' => "I",
        'Ј' => "J",
        'К' => "K",
        'Л' => "L",
        'Љ' => "Lj",
        'М' => "M",
        'Н' => "N",
        'Њ' => "Nj",
        'О' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'Ћ' => "Ć",
        'У' => "U",
        'Ф' => "F",
        'Х' => "H",
        'Ц' => "C",
        'Ч' => "Č",
        'Џ' => "Dž",
        'Ш' => "Š",
        _ => return None,
    })
}

/// The words of a query, folded, each at most 64 characters; at most 12 words. Single letters
/// are left out: as a prefix they match nearly every case and narrow nothing while one types.
pub fn query_terms(query: &str) -> Vec<String> {
    fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .take(12)
        .map(|w| w.chars().take(64).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_is_transliterated_and_dj_is_spelled_out() {
        assert_eq!(fold("Ђорђевић"), "Djordjević");
        assert_eq!(fold("Đakovica"), "Djakovica");
        assert_eq!(
            fold("Krasniqi Gjakovë"),
            "Krasniqi Gjakovë",
            "Latin text is left to the index's own folding"
        );
    }

    #[test]
    fn query_terms_split_on_punctuation_so_case_numbers_match_their_parts() {
        assert_eq!(query_terms("PRI-2026-K7QX-0042"), vec!["PRI", "2026", "K7QX", "0042"]);
        assert_eq!(
            query_terms("  \"kras\" OR *"),
            vec!["kras", "OR"],
            "operators are plain words, never FTS syntax"
        );
        assert_eq!(query_terms("K"), Vec::<String>::new(), "one letter does not search yet");
        assert_eq!(
            query_terms("Ђ Kras"),
            vec!["Dj", "Kras"],
            "a Cyrillic letter spelled in two Latin ones counts"
        );
    }
}
