//! Integration tests of `rightsdesk-store`, built as one test binary. Where a new test goes:
//!
//! - `store/open.rs`: creating and opening a database; a wrong passphrase, a foreign, damaged or
//!   newer file is refused and left byte-for-byte as it was;
//! - `store/encryption.rs`: what reaches the disk is ciphertext;
//! - `store/pragmas.rs`: the connection settings in effect after opening;
//! - `store/schema.rs`: the schema snapshot (`tests/schema.sql`, rewritten with
//!   `RIGHTSDESK_BLESS=1`) and the migrations' own checks;
//! - `store/tables.rs`: rules the tables enforce themselves: the append-only timeline, unique case
//!   numbers, acts that stay with their case, tasks completed once, rollback of a failed write;
//! - `store/support.rs`: what the tests share: temporary stores, sample records, file snapshots.
//!
//! Tests are hermetic: every database lives in a `tempfile` directory, times come from a
//! `FixedClock` and ids from a seeded `IdGen`.
mod store {
    mod encryption;
    mod open;
    mod pragmas;
    mod schema;
    mod support;
    mod tables;
}
