//! The schema's history. Each step lives with its table's module; steps are only ever appended
//! (never edited or reordered), and the schema they build is frozen in `tests/schema.sql`.
use crate::{Result, StoreError};
use rusqlite::Connection;
use rusqlite_migration::{M, MigrationDefinitionError, Migrations, SchemaVersion};

pub fn all() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(crate::profile::MIGRATION_1).comment("profile"),
        M::up(crate::activities::MIGRATION_2).comment("activities and attendance"),
        M::up(crate::cases::MIGRATION_3).comment("cases, acts and grounds"),
        M::up(crate::timeline::MIGRATION_4).comment("case timeline, append-only"),
        M::up(crate::tasks::MIGRATION_5).comment("follow-up tasks"),
        M::up(crate::search::MIGRATION_6).comment("full-text search over cases"),
        M::up(crate::tasks::MIGRATION_7).comment("open tasks by case"),
        M::up(crate::search::MIGRATION_8).comment("search index merges when idle"),
        M::up(crate::sync::MIGRATION_9).comment("sync: changes, conflicts, keys, registry, peers, bundles"),
        M::up(crate::referrals::MIGRATION_10)
            .comment("referrals, the unit's own institutions, issued letters"),
        M::up(crate::reports::MIGRATION_11).comment("report settings; indexes for period reports"),
    ])
}

/// Number of schema steps this build knows.
pub fn latest() -> usize {
    11
}

/// Brings the database to the latest schema, in one transaction per step. A database from a
/// newer version is refused before anything is written.
pub fn apply(conn: &mut Connection) -> Result<()> {
    let migrations = all();
    let current = migrations.current_version(conn).map_err(|e| StoreError::Migration(e.to_string()))?;
    let found = match current {
        SchemaVersion::NoneSet => 0,
        SchemaVersion::Inside(n) | SchemaVersion::Outside(n) => n.get(),
    };
    if found > latest() {
        return Err(StoreError::SchemaTooNew { found, known: latest() });
    }
    migrations.to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::MigrationDefinition(MigrationDefinitionError::DatabaseTooFarAhead) => {
            StoreError::SchemaTooNew { found, known: latest() }
        }
        rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::from(err),
        other => StoreError::Migration(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::all().validate().is_ok(), "every migration applies cleanly to an empty database");
    }
}
