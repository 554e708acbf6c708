//! Connections to the lead and staff store: one connection type over SQLite and PostgreSQL, so
//! the queries of this module are written once, a pool of them, and each backend's migrations.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, Connection, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{ManageConnection, Pool, R2D2Connection};
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::LeadsDatabase;
use crate::db::PoolError;
use crate::db::durability::check_durability;
use crate::db::pool::{MIGRATIONS, set_pragmas};

/// The lead and staff tables only: content stays in each instance's SQLite file.
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations_postgres");

/// The advisory lock every writing transaction holds on PostgreSQL (the bytes of "jobprofi"):
/// shared by most, alone by those that sweep the whole store. Whoever holds it alone, in any
/// instance or `psql`, keeps the lead store's writers waiting.
pub const WRITE_LOCK: i64 = 0x6a6f_6270_726f_6669;

#[derive(diesel::MultiConnection)]
pub enum LeadConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

pub type LeadPool = Pool<LeadConnections>;

/// Opens connections to the configured lead store; SQLite ones get the content store's pragmas.
#[derive(Debug)]
pub struct LeadConnections {
    database: LeadsDatabase,
    busy_timeout: Duration,
}

impl ManageConnection for LeadConnections {
    type Connection = LeadConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<LeadConnection, diesel::r2d2::Error> {
        match &self.database {
            LeadsDatabase::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                set_pragmas(&mut conn, self.busy_timeout).map_err(diesel::r2d2::Error::QueryError)?;
                Ok(LeadConnection::Sqlite(conn))
            }
            LeadsDatabase::Postgres(url) => PgConnection::establish(url.with_password())
                .map(LeadConnection::Postgres)
                .map_err(diesel::r2d2::Error::ConnectionError),
        }
    }

    fn is_valid(&self, conn: &mut LeadConnection) -> Result<(), diesel::r2d2::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut LeadConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// Connects to the lead store and brings its schema up to date. A PostgreSQL that cannot be
/// reached fails at once, named without its password; then every pooled connection is opened,
/// so the first requests do not wait for one.
pub fn connect_leads(
    database: &LeadsDatabase,
    busy_timeout: Duration,
    pool_timeout: Duration,
    max_connections: u32,
) -> Result<LeadPool, PoolError> {
    let shown = database.to_string();
    if let LeadsDatabase::Sqlite(path) = database
        && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|source| PoolError::Folder { path: shown.clone(), source })?;
    }
    let manager = LeadConnections { database: database.clone(), busy_timeout };
    let mut first = manager.connect().map_err(|e| PoolError::Connect { url: shown.clone(), message: e.to_string() })?;
    let migrated = match &mut first {
        LeadConnection::Sqlite(conn) => conn.run_pending_migrations(MIGRATIONS).map(drop),
        LeadConnection::Postgres(conn) => conn.run_pending_migrations(POSTGRES_MIGRATIONS).map(drop),
    };
    migrated.map_err(|e| PoolError::Migrate { path: shown.clone(), message: e.to_string() })?;
    if let LeadConnection::Sqlite(conn) = &mut first {
        check_durability(conn, busy_timeout).map_err(|source| PoolError::Durability { path: shown.clone(), source })?;
    }
    drop(first);
    let pool = Pool::builder().max_size(max_connections).connection_timeout(pool_timeout).build_unchecked(manager);
    let opening = busy_timeout.max(pool_timeout);
    (0..max_connections)
        .map(|_| pool.get_timeout(opening))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| PoolError::Open { path: shown, source })?;
    Ok(pool)
}

/// Whether the lead store answers now, on a fresh connection rather than a pooled one.
pub fn check_reachable(database: &LeadsDatabase) -> Result<(), String> {
    let manager = LeadConnections { database: database.clone(), busy_timeout: Duration::ZERO };
    let mut conn = manager.connect().map_err(|e| e.to_string())?;
    conn.batch_execute("SELECT 1").map_err(|e| e.to_string())
}

/// Whether `error` means the lead store could not be reached, rather than that a query failed: no
/// connection within the pool's wait, or one the server closed or that could not send.
pub fn is_unreachable(error: &(dyn std::error::Error + 'static)) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    error.is::<diesel::r2d2::PoolError>()
        || matches!(
            error.downcast_ref::<Error>(),
            Some(Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _))
        )
}

/// What a writing transaction keeps other writers out of on PostgreSQL, where transactions of
/// several instances interleave. On SQLite every writing transaction is `BEGIN IMMEDIATE`: one
/// writer at a time, whatever it asks for.
///
/// Every writer holds the store lock ([`WRITE_LOCK`]) shared, and `Store` holds it alone, so the
/// work that sweeps the whole store (retention, erasure by address) sees no other writer while
/// everything else runs side by side.
#[derive(Debug, Clone, Copy)]
pub(crate) enum WriteLock<'a> {
    /// The statements hold by themselves: unique keys, row locks (`FOR UPDATE`) and updates
    /// whose condition is checked again on the row they change.
    Rows,
    /// Read-then-write steps on these keys (a lead, an account, a throttle): writers of the same
    /// key wait for each other, `pg_advisory_xact_lock(hashtext(key))`, taken in sorted order so
    /// that two of them cannot wait on each other.
    Keys(&'a [&'a str]),
    /// Read-then-write steps on one lead (its status, notes, retries, erasure): the key of the lead.
    Lead(i64),
    /// Every other writer waits.
    Store,
}

/// A transaction that writes, holding `lock` until `COMMIT` (see [`WriteLock`]).
pub(crate) fn write_transaction<T, E>(
    conn: &mut LeadConnection,
    lock: WriteLock<'_>,
    work: impl FnOnce(&mut LeadConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        LeadConnection::Sqlite(sqlite) => AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?,
        LeadConnection::Postgres(pg) => AnsiTransactionManager::begin_transaction_sql(pg, "BEGIN")?,
    }
    let locked = match conn {
        LeadConnection::Sqlite(_) => Ok(()),
        LeadConnection::Postgres(pg) => take_lock(pg, lock),
    };
    match locked.map_err(E::from).and_then(|()| work(&mut *conn)) {
        Ok(value) => {
            LeadConnection::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            LeadConnection::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

fn take_lock(pg: &mut PgConnection, lock: WriteLock<'_>) -> QueryResult<()> {
    match lock {
        WriteLock::Store => pg.batch_execute(&format!("SELECT pg_advisory_xact_lock({WRITE_LOCK})")),
        WriteLock::Rows => pg.batch_execute(&format!("SELECT pg_advisory_xact_lock_shared({WRITE_LOCK})")),
        WriteLock::Lead(lead_id) => take_lock(pg, WriteLock::Keys(&[&format!("lead:{lead_id}")])),
        WriteLock::Keys(keys) => {
            pg.batch_execute(&format!("SELECT pg_advisory_xact_lock_shared({WRITE_LOCK})"))?;
            let mut sorted = keys.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            for key in sorted {
                diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))").bind::<Text, _>(key).execute(pg)?;
            }
            Ok(())
        }
    }
}
