//! jobprofiles: job profiles written in Markdown, stored in SQLite, served as HTML.

pub mod assets;
pub mod auth;
pub mod cli;
pub mod configuration;
pub mod content;
pub mod db;
pub mod domain;
pub mod error;
pub mod export;
pub mod hex;
pub mod i18n;
pub mod metrics;
pub mod notify;
pub mod page_cache;
pub mod publish;
pub mod read_model;
pub mod retention;
pub mod routes;
pub mod schedule;
pub mod search_cache;
pub mod security;
pub mod startup;
pub mod state;
pub mod structured_data;
pub mod telemetry;
pub mod watch;
