//! Embeds the data files under `assets/` (vocabularies, UI catalogues, the institution directory) so that adding a
//! vocabulary or a language is a matter of adding a file, not code.
use std::{env, fs, path::Path};

fn list_json(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
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
    for (konst, sub) in
        [("VOCAB_FILES", "vocab"), ("CATALOGUE_FILES", "i18n"), ("INSTITUTION_FILES", "institutions")]
    {
        let dir = assets.join(sub);
        println!("cargo:rerun-if-changed={}", dir.display());
        code.push_str(&format!("pub(crate) const {konst}: &[(&str, &str)] = &[\n"));
        for (stem, abs) in list_json(&dir) {
            println!("cargo:rerun-if-changed={abs}");
            code.push_str(&format!("    ({stem:?}, include_str!({abs:?})),\n"));
        }
        code.push_str("];\n");
    }
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_default()).join("assets.rs");
    fs::write(out, code).unwrap_or_else(|e| panic!("cannot write assets.rs: {e}"));
}
