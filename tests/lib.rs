//! Rightsdesk's cross-crate tests. Where a new test goes:
//!
//! - a rule of one entity or vocabulary: `crates/domain/src/<module>.rs` (unit tests);
//! - storage, migrations, encryption, search: `crates/store/tests/`;
//! - a use-case (intake, workflow, tasks, activities, demo data): `crates/app/tests/`;
//! - the command line: `src-tauri/tests/cli.rs`;
//! - the bundle file format as `docs/bundle-format.md` specifies it (golden files in `tests/fixtures/`,
//!   every byte tampered with, the signature checked with OpenSSL): `tests/bundle/` (this package);
//! - the real window, driven through WebDriver: `tests/e2e/` (this package), run by `scripts/test`
//!   under Xvfb with `RIGHTSDESK_E2E=1`.
//!
//! This library holds what the end-to-end tests share: [`driver`] starts `tauri-driver` and
//! connects a WebDriver client to the real app binary.
pub mod driver;
