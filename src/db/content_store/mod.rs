//! Writing a whole checked content tree, and reading it back as domain values.

mod read;
mod retired;
mod write;

use time::Date;

use crate::domain::ISO_DATE;

pub use read::{job_description, profile_html, profile_texts, read_content};
pub use retired::read_retired_paths;
pub(crate) use write::Written;
pub use write::{StoreReport, Stored, StoredIndex, store_content, store_content_since};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database query failed")]
    Query(#[from] diesel::result::Error),
    #[error("stored content is inconsistent: {0}")]
    Corrupt(String),
    #[error("the store no longer holds what was loaded before: {0}")]
    Stale(String),
}

fn date_text(date: Date) -> String {
    date.format(ISO_DATE).unwrap_or_default()
}

fn parse_date(text: &str) -> Result<Date, StoreError> {
    Date::parse(text, ISO_DATE).map_err(|e| StoreError::Corrupt(format!("date `{text}`: {e}")))
}

fn parse<T: std::str::FromStr>(what: &str, text: &str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e| StoreError::Corrupt(format!("{what} `{text}`: {e}")))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

type ProfileKey = (String, String);
