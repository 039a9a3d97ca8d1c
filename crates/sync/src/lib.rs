//! Sync between offices, without touching a database: the [`change`]s every device makes, the
//! [`merge`] rules that turn a set of changes into records (conflicts kept, never overwritten), what an
//! office [`knowledge`] holds, the [`digest`] of an office's state, and the signed, encrypted bundle
//! that carries changes between offices.
//!
//! Pure: no SQLite and no file IO, so the merge laws are property-tested in microseconds
//! (`tests/merge_laws.rs`) against in-memory [`replica`]s.
pub mod change;
pub mod digest;
pub mod knowledge;
pub mod merge;
pub mod replica;

pub use change::{Action, Change, ChangeRef, Kind};
pub use merge::{Conflict, RecordState};
pub mod bundle;
pub mod crypt;
pub mod envelope;
pub mod keys;
pub mod registry;
