//! The app's errors. Each has a stable [`AppError::code`] that the UI and the CLI turn into a
//! message in the user's language (`error.<code>` in the catalogues); field errors name fields.
use rightsdesk_domain::Invalid;
use rightsdesk_domain::validation::FieldError;
use rightsdesk_domain::workflow::WorkflowError;
use rightsdesk_store::StoreError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Invalid(#[from] Invalid),
    #[error("{0}")]
    Workflow(WorkflowError),
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: String },
    #[error("Rightsdesk has not been set up in {0} yet; run the set-up first")]
    NotInitialised(PathBuf),
    #[error("the database is locked; unlock it with the passphrase first")]
    Locked,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    /// The letter templates (a coordinator's edited copies) have an error.
    #[error("the letter templates cannot be used: {0}")]
    Template(rightsdesk_domain::letter::TemplateError),
    /// The letter cannot be printed (e.g. a character the fonts lack).
    #[error("the letter cannot be printed: {0}")]
    Print(rightsdesk_print::PrintError),
    #[error("cannot read or write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl From<WorkflowError> for AppError {
    fn from(e: WorkflowError) -> Self {
        match e {
            WorkflowError::Invalid(i) => AppError::Invalid(i),
            other => AppError::Workflow(other),
        }
    }
}

impl AppError {
    /// The stable code of this error (see `ErrorCode` in ui/src/lib/types.ts).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "validation",
            AppError::Workflow(_) => "transition_not_allowed",
            AppError::NotFound { .. } => "not_found",
            AppError::NotInitialised(_) => "not_initialised",
            AppError::Locked => "locked",
            AppError::Io { .. } => "io",
            AppError::Template(_) => "letter_template",
            AppError::Print(rightsdesk_print::PrintError::MissingGlyph { .. }) => "letter_unprintable",
            AppError::Print(_) => "internal",
            AppError::Sync(e) => e.code(),
            AppError::Store(s) => match s {
                StoreError::NotFound(_) => "not_initialised",
                StoreError::AlreadyExists(_) => "already_initialised",
                StoreError::WrongPassphrase => "wrong_passphrase",
                StoreError::SchemaTooNew { .. } => "schema_too_new",
                StoreError::Corrupt => "database_corrupt",
                StoreError::DiskFull => "disk_full",
                StoreError::Busy => "busy",
                StoreError::NumberTaken(_)
                | StoreError::BadValue(_)
                | StoreError::Sqlite(_)
                | StoreError::Migration(_) => "internal",
            },
        }
    }

    /// The fields at fault, for a validation error.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            AppError::Invalid(i) => &i.fields,
            _ => &[],
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        AppError::Io { path: path.into(), source }
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;
