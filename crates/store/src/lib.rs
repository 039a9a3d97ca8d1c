//! Rightsdesk's local store: one SQLCipher-encrypted SQLite file per installation.
//!
//! - [`Store::create`] makes a new database keyed with the passphrase; [`Store::open`] opens an
//!   existing one and never creates or overwrites anything: a wrong passphrase, a damaged file or
//!   a file from a newer version is an error that leaves the file as it was.
//! - Each table lives in its own module with its migration, row mapping and queries; migrations
//!   ([`migrations`]) are only ever appended.
//! - Writes that touch several rows take a [`rusqlite::Transaction`] from [`Store::transaction`];
//!   the caller commits once.
use rusqlite::{ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};

pub mod activities;
pub mod cases;
pub mod migrations;
pub mod profile;
pub mod referrals;
pub mod reports;
mod row;
pub mod search;
pub mod stats;
pub mod sync;
pub mod tasks;
pub mod timeline;

pub use rusqlite::{Connection, Transaction, params};

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "rightsdesk.db";

/// Page cache per connection, in KiB. SQLCipher decrypts every page it reads, so a cache that
/// holds the working set is what keeps it within reach of plain SQLite (see docs/performance.md).
pub const CACHE_KIB: i64 = 192 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("there is no Rightsdesk database at {0}")]
    NotFound(PathBuf),
    #[error("a Rightsdesk database already exists at {0}; it was left untouched")]
    AlreadyExists(PathBuf),
    #[error("the passphrase is not correct (or the file is not a Rightsdesk database); nothing was changed")]
    WrongPassphrase,
    #[error(
        "the database was written by a newer version of Rightsdesk (schema {found}, this version knows {known}); \
         install the newer version: the file was left untouched"
    )]
    SchemaTooNew { found: usize, known: usize },
    #[error("the database file is damaged; restore it from a backup (the file was left as it was)")]
    Corrupt,
    #[error("the disk is full; free some space and save again (nothing was saved)")]
    DiskFull,
    #[error("the database is busy in another window of Rightsdesk; try again")]
    Busy,
    #[error("case number {0} is already taken")]
    NumberTaken(String),
    #[error("a stored value is not readable: {0}")]
    BadValue(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("database upgrade failed: {0}")]
    Migration(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt,
            Some(ErrorCode::NotADatabase) => StoreError::WrongPassphrase,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Commits a transaction from [`Store::transaction`]: everything it wrote is saved, or nothing.
pub fn commit(tx: Transaction<'_>) -> Result<()> {
    Ok(tx.commit()?)
}

/// An open, unlocked database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Creates a new encrypted database at `path`, refusing if any file is already there.
    pub fn create(path: &Path, passphrase: &str) -> Result<Self> {
        if path.exists() {
            return Err(StoreError::AlreadyExists(path.to_path_buf()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        let store = Self::unlock(conn, path, passphrase);
        if store.is_err() {
            // Nothing of value can be in a file we have just made and failed to set up.
            let _ = std::fs::remove_file(path);
        }
        store
    }

    /// Opens the existing database at `path`. Never creates a file.
    pub fn open(path: &Path, passphrase: &str) -> Result<Self> {
        if !path.is_file() {
            return Err(StoreError::NotFound(path.to_path_buf()));
        }
        if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
            // SQLite would take an empty file for a new database and key it with whatever was
            // typed: an empty file is not a database we made.
            return Err(StoreError::Corrupt);
        }
        if passphrase.is_empty() {
            // SQLCipher refuses an empty key with an error of its own; to the user it is simply
            // not the passphrase.
            return Err(StoreError::WrongPassphrase);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        Self::unlock(conn, path, passphrase)
    }

    fn unlock(mut conn: Connection, path: &Path, passphrase: &str) -> Result<Self> {
        // SQLCipher would print its own "hmac check failed" lines on a wrong key: users get our
        // message instead. Older SQLCipher builds lack the pragma; that is harmless.
        let _ = conn.pragma_update(None, "cipher_log_level", "NONE");
        conn.pragma_update(None, "key", passphrase)?;
        // The first read decrypts page 1: this is where a wrong passphrase shows.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(|e| {
            match StoreError::from(e) {
                StoreError::Corrupt => StoreError::WrongPassphrase,
                other => other,
            }
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Without it, `INSERT OR REPLACE` deletes a row without firing its DELETE triggers, which
        // would get around the append-only timeline.
        conn.pragma_update(None, "recursive_triggers", "ON")?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Saving must not pay for copying the log back into the database (SQLite's automatic
        // checkpoint every 1,000 pages made one save in a hundred 20 ms slower): the owner calls
        // [`Store::checkpoint`] when the user is idle, and SQLite checkpoints when the database is
        // closed. Durability is the log's: every commit is fsync'd to it.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        migrations::apply(&mut conn)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Self { conn, path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// For reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// For writes: everything done through the transaction is saved by one `commit`, or not at all.
    pub fn transaction(&mut self) -> Result<Transaction<'_>> {
        Ok(self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }

    /// Copies the write-ahead log back into the database file (without waiting for readers).
    /// Returns the number of log frames that remain to be copied (0 when the log is empty).
    pub fn checkpoint(&self) -> Result<i64> {
        let (busy, log, done): (i64, i64, i64) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(if busy != 0 || log < 0 { log.max(0) } else { log - done })
    }
}
