//! Set-up and unlocking. A data directory holds the encrypted database (`rightsdesk.db`) and
//! `prefs.json`, which holds only the interface language so the unlock screen can speak the
//! user's language before the database is open. Nothing personal is ever stored outside the
//! encrypted database.
use crate::error::{AppError, Result};
use rightsdesk_domain::case_number::device_code;
use rightsdesk_domain::clock::Clock;
use rightsdesk_domain::i18n;
use rightsdesk_domain::ids::IdGen;
use rightsdesk_domain::profile::{Profile, ProfileDraft, check_passphrase};
use rightsdesk_domain::vocab::Vocabularies;
use rightsdesk_store::{DB_FILE, Store, profile};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where an installation keeps its files.
#[derive(Debug, Clone)]
pub struct DataDir(PathBuf);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DirState {
    /// No database yet: the first-run wizard.
    FirstRun,
    /// A database exists and needs its passphrase.
    Locked,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Prefs {
    lang: Option<String>,
}

const PREFS_FILE: &str = "prefs.json";

impl DataDir {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self(path.into())
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn db_path(&self) -> PathBuf {
        self.0.join(DB_FILE)
    }
    pub fn state(&self) -> DirState {
        if self.db_path().exists() { DirState::Locked } else { DirState::FirstRun }
    }

    /// The interface language last chosen here (English if none or unreadable).
    pub fn lang(&self) -> String {
        std::fs::read(self.0.join(PREFS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<Prefs>(&b).ok())
            .and_then(|p| p.lang)
            .filter(|l| i18n::is_supported(l))
            .unwrap_or_else(|| i18n::REFERENCE.to_string())
    }

    /// Remembers the interface language (written whole to a temporary file, then renamed).
    pub fn set_lang(&self, lang: &str) -> Result<()> {
        std::fs::create_dir_all(&self.0).map_err(|e| AppError::io(&self.0, e))?;
        let path = self.0.join(PREFS_FILE);
        let tmp = self.0.join("prefs.json.tmp");
        let body = serde_json::to_vec_pretty(&Prefs { lang: Some(lang.to_string()) })
            .map_err(|e| AppError::io(&path, std::io::Error::other(e)))?;
        std::fs::write(&tmp, body).map_err(|e| AppError::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| AppError::io(&path, e))
    }
}

/// An unlocked installation.
pub struct Desk {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) ids: IdGen,
    pub(crate) profile: Profile,
    pub(crate) vocab: &'static Vocabularies,
    pub(crate) dir: DataDir,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk").field("dir", &self.dir).field("profile", &self.profile).finish()
    }
}

impl Desk {
    /// First run: creates the encrypted database and the installation's identity.
    /// Refuses if a database already exists (it is never overwritten).
    pub fn setup(
        dir: DataDir,
        mut draft: ProfileDraft,
        passphrase: &str,
        confirmation: Option<&str>,
        clock: Arc<dyn Clock>,
        mut ids: IdGen,
    ) -> Result<Self> {
        draft.normalise();
        let vocab = Vocabularies::builtin();
        let mut fields = Vec::new();
        if let Err(e) = draft.validate(vocab) {
            fields.extend(e.fields);
        }
        if let Err(e) = check_passphrase(passphrase, confirmation) {
            fields.extend(e.fields);
        }
        if !fields.is_empty() {
            return Err(rightsdesk_domain::Invalid { fields }.into());
        }
        std::fs::create_dir_all(dir.path()).map_err(|e| AppError::io(dir.path(), e))?;
        let now = clock.now();
        let profile = Profile {
            device_id: ids.next(now),
            device_code: device_code(ids.bytes()),
            municipality: draft.municipality,
            office: draft.office,
            officer: draft.officer,
            role: draft.role,
            lang: draft.lang,
            created_at: now,
        };
        let mut store = Store::create(&dir.db_path(), passphrase)?;
        let tx = store.transaction()?;
        profile::insert(&tx, &profile)?;
        rightsdesk_store::commit(tx)?;
        // The language preference is a convenience; failing to write it must not fail set-up.
        let _ = dir.set_lang(&profile.lang);
        let mut desk = Self { store, clock, ids, profile, vocab, dir };
        desk.ensure_keys()?;
        Ok(desk)
    }

    /// Unlocks an existing installation. Never creates or changes the database on failure.
    pub fn open(dir: DataDir, passphrase: &str, clock: Arc<dyn Clock>, ids: IdGen) -> Result<Self> {
        if dir.state() == DirState::FirstRun {
            return Err(AppError::NotInitialised(dir.path().to_path_buf()));
        }
        let store = Store::open(&dir.db_path(), passphrase)?;
        let profile =
            profile::get(store.conn())?.ok_or_else(|| AppError::NotInitialised(dir.path().to_path_buf()))?;
        let mut desk = Self { store, clock, ids, profile, vocab: Vocabularies::builtin(), dir };
        // A database from before sync gets its keys and its records' first changes, once.
        desk.ensure_keys()?;
        desk.adopt_unsynced()?;
        Ok(desk)
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn dir(&self) -> &DataDir {
        &self.dir
    }

    pub fn vocab(&self) -> &'static Vocabularies {
        self.vocab
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Direct access to the store, for tests and benchmarks.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Changes the interface language (saved in the database and in `prefs.json`).
    pub fn set_language(&mut self, lang: &str) -> Result<()> {
        if !i18n::is_supported(lang) {
            return Err(rightsdesk_domain::Invalid {
                fields: vec![rightsdesk_domain::FieldError {
                    field: "lang".into(),
                    code: rightsdesk_domain::validation::codes::UNKNOWN_CODE,
                }],
            }
            .into());
        }
        profile::update_settings(self.store.conn(), &self.profile.office, &self.profile.officer, lang)?;
        self.profile.lang = lang.to_string();
        let _ = self.dir.set_lang(lang);
        Ok(())
    }

    /// Changes the office's name and the officer using this laptop (e.g. a new colleague takes
    /// over). Records already written keep the names they were written with.
    pub fn update_profile(&mut self, office: &str, officer: &str) -> Result<()> {
        let (office, officer) = (office.trim(), officer.trim());
        rightsdesk_domain::profile::check_settings(office, officer)?;
        profile::update_settings(self.store.conn(), office, officer, &self.profile.lang)?;
        self.profile.office = office.to_string();
        self.profile.officer = officer.to_string();
        Ok(())
    }

    /// Housekeeping for idle moments, so that saving never has to do it: merges the search
    /// index's segments a step at a time and copies the write-ahead log into the database file.
    /// Cheap when there is nothing to do.
    pub fn maintain(&self) -> Result<()> {
        rightsdesk_store::search::tidy(self.store.conn(), 256)?;
        self.store.checkpoint()?;
        Ok(())
    }

    /// Counts per table.
    /// Rows inserted, updated or deleted through this desk's connection since it was opened
    /// (rolled-back writes included): how tests prove an operation wrote nothing.
    pub fn rows_written(&self) -> u64 {
        self.store.conn().total_changes()
    }

    pub fn stats(&self) -> Result<rightsdesk_store::stats::Counts> {
        Ok(rightsdesk_store::stats::counts(self.store.conn())?)
    }
}
