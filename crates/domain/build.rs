//! Embeds the data files under `assets/` (vocabularies, UI catalogues, the institution directory, the letter
//! templates) so that adding a vocabulary or a language is a matter of adding a file, not code.
use std::{env, fs, path::Path};

/// The files of `dir` ending in `.ext`, as (name, absolute path): the name is the stem, or the whole file name when
/// `keep_ext`.
fn list(dir: &Path, ext: &str, keep_ext: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) == Some(ext) {
            let name = if keep_ext { path.file_name() } else { path.file_stem() };
            let stem = name.and_then(|s| s.to_str()).unwrap_or_default().to_string();
            let abs = fs::canonicalize(&path).unwrap_or(path);
            out.push((stem, abs.display().to_string()));
        }
    }
    out.sort();
    out
}

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let assets = Path::new(&manifest).join("../../assets");
    let mut code = String::new();
    for (konst, sub, ext, keep_ext) in [
        ("VOCAB_FILES", "vocab", "json", false),
        ("CATALOGUE_FILES", "i18n", "json", false),
        ("INSTITUTION_FILES", "institutions", "json", false),
        // Letter templates keep their whole file name (`investigation.sq.txt`): it names the request type and language.
        ("LETTER_FILES", "letters", "txt", true),
    ] {
        let dir = assets.join(sub);
        println!("cargo:rerun-if-changed={}", dir.display());
        code.push_str(&format!("pub(crate) const {konst}: &[(&str, &str)] = &[\n"));
        for (stem, abs) in list(&dir, ext, keep_ext) {
            println!("cargo:rerun-if-changed={abs}");
            code.push_str(&format!("    ({stem:?}, include_str!({abs:?})),\n"));
        }
        code.push_str("];\n");
    }
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_default()).join("assets.rs");
    fs::write(out, code).unwrap_or_else(|e| panic!("cannot write assets.rs: {e}"));
}
