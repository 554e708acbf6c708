//! The SQLite connection pool: pragmas set on every connection, embedded migrations run at start.

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::durability::{DurabilityError, check_durability};

pub type DbPool = Pool<ConnectionManager<SqliteConnection>>;

pub(super) const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error("cannot create the folder for the database {path}")]
    Folder { path: String, source: std::io::Error },
    #[error("cannot open the database {path}")]
    Open { path: String, source: diesel::r2d2::PoolError },
    #[error("cannot migrate the database {path}: {message}")]
    Migrate { path: String, message: String },
    #[error("refusing to use the database {path}")]
    Durability { path: String, source: DurabilityError },
    #[error("cannot connect to the lead database {url}: {message}")]
    Connect { url: String, message: String },
}

/// Settings every pooled connection gets. `busy_timeout` comes first: the WAL switch itself
/// may have to wait for another connection. `secure_delete` overwrites erased leads on disk.
#[derive(Debug)]
pub(super) enum Pragmas {
    Durable {
        busy_timeout: Duration,
    },
    /// A file nobody else opens until it is complete (`FreshDatabase`): no WAL and no flush per
    /// commit, and freed pages left as they are, since the file holds no leads yet. The rollback
    /// journal stays in memory, so a failed transaction is still undone.
    Building {
        busy_timeout: Duration,
    },
}

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        match self {
            Pragmas::Durable { busy_timeout } => set_pragmas(conn, *busy_timeout),
            Pragmas::Building { busy_timeout } => conn.batch_execute(&format!(
                "PRAGMA busy_timeout = {}; PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; \
                 PRAGMA foreign_keys = ON; PRAGMA secure_delete = OFF;",
                busy_timeout.as_millis()
            )),
        }
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// The settings of `Pragmas`, for the lead store's SQLite connections as well.
pub(super) fn set_pragmas(conn: &mut SqliteConnection, busy_timeout: Duration) -> diesel::QueryResult<()> {
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
         PRAGMA secure_delete = ON;",
        busy_timeout.as_millis()
    ))
}

/// Opens (creating if needed) the SQLite file and brings its schema up to date. A caller waits
/// at most `pool_timeout` for a free connection, then gets an error instead of a stalled request.
pub fn connect(
    path: &Path,
    busy_timeout: Duration,
    pool_timeout: Duration,
    max_connections: u32,
) -> Result<DbPool, PoolError> {
    open_pool(path, Pragmas::Durable { busy_timeout }, pool_timeout, max_connections)
}

/// [`connect`] with the given settings on every connection.
pub(super) fn open_pool(
    path: &Path,
    pragmas: Pragmas,
    pool_timeout: Duration,
    max_connections: u32,
) -> Result<DbPool, PoolError> {
    let display = path.display().to_string();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| PoolError::Folder { path: display.clone(), source })?;
    }
    let (Pragmas::Durable { busy_timeout } | Pragmas::Building { busy_timeout }) = pragmas;
    // A file being built is checked once it is in place and opened as a durable store.
    let durable = matches!(pragmas, Pragmas::Durable { .. });
    let manager = ConnectionManager::<SqliteConnection>::new(path.to_string_lossy());
    let pool = Pool::builder()
        .max_size(max_connections)
        .connection_timeout(pool_timeout)
        .connection_customizer(Box::new(pragmas))
        .build_unchecked(manager);
    // Every connection is opened now, so the first requests do not wait for one. Opening may
    // wait for another process's lock: it gets the lock's time, not only a request's.
    let opening = busy_timeout.max(pool_timeout);
    let mut opened = (0..max_connections)
        .map(|_| pool.get_timeout(opening))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| PoolError::Open { path: display.clone(), source })?;
    if durable {
        for conn in &mut opened {
            check_durability(conn, busy_timeout)
                .map_err(|source| PoolError::Durability { path: display.clone(), source })?;
        }
    }
    let Some(conn) = opened.first_mut() else { return Ok(pool) };
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| PoolError::Migrate { path: display, message: e.to_string() })?;
    Ok(pool)
}

/// Whether the database file can be opened and read now: a fresh connection, not a pooled
/// one that may still hold a file that was since replaced or damaged.
pub fn check_readable(path: &Path) -> Result<(), String> {
    use diesel::{Connection, RunQueryDsl};
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).map_err(|e| e.to_string())?;
    diesel::sql_query("SELECT count(*) FROM site_settings").execute(&mut conn).map(|_| ()).map_err(|e| e.to_string())
}
