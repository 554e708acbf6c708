//! The store of record: diesel over SQLite. Stores and returns domain values; knows nothing
//! of files or HTTP. Every function here is synchronous: call it from the blocking pool.

pub mod admin;
pub mod backup;
mod content_store;
mod durability;
mod fresh;
pub mod leads;
mod millis;
mod models;
mod pool;
pub mod search;
#[rustfmt::skip]
mod schema;

pub use content_store::{
    StoreError, StoreReport, Stored, StoredIndex, job_description, profile_html, profile_texts, read_content,
    read_retired_paths, store_content, store_content_since,
};
pub use fresh::{FreshDatabase, FreshError};
pub use pool::{DbPool, PoolError, check_readable, connect};
