//! The IPC boundary. Every command returns `Result<T, ApiError>`; `ApiError` is the
//! `{code, message, fields}` object the UI turns back into a typed error (ui/src/lib/backend.ts).
pub mod activities;
pub mod cases;
pub mod referrals;
pub mod reports;
pub mod session;
pub mod sync;

use rightsdesk_app::{AppError, DataDir, Desk};
use rightsdesk_domain::validation::FieldError;
use serde::Serialize;
use std::sync::{Mutex, MutexGuard};

#[derive(Debug, Serialize)]
pub struct ApiError {
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self { code: e.code(), message: e.to_string(), fields: e.fields().to_vec() }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The window's state: the data directory and, once unlocked, the open installation.
pub struct Shell {
    pub dir: DataDir,
    desk: Mutex<Option<Desk>>,
}

impl Shell {
    pub fn new(dir: DataDir) -> Self {
        Self { dir, desk: Mutex::new(None) }
    }

    fn slot(&self) -> MutexGuard<'_, Option<Desk>> {
        // A panic while holding the lock leaves the desk usable: its writes are transactional.
        self.desk.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Idle housekeeping (see `Desk::maintain`); nothing to do while locked.
    pub fn maintain(&self) {
        if let Some(desk) = self.slot().as_ref()
            && let Err(e) = desk.maintain()
        {
            eprintln!("Rightsdesk: background checkpoint failed (will retry): {e}");
        }
    }

    /// Runs `f` on the unlocked installation.
    pub fn with<T>(&self, f: impl FnOnce(&mut Desk) -> Result<T, AppError>) -> ApiResult<T> {
        let mut slot = self.slot();
        let desk = slot.as_mut().ok_or(AppError::Locked)?;
        Ok(f(desk)?)
    }
}

/// Parses an id sent by the UI.
pub(crate) fn parse_id<T: std::str::FromStr>(what: &'static str, s: &str) -> ApiResult<T> {
    s.parse().map_err(|_| ApiError::from(AppError::NotFound { what, id: s.to_string() }))
}
