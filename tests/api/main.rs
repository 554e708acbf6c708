//! Integration tests: the real application on a random port with a fresh SQLite file each,
//! and the real binary for the command line.

mod admin;
mod backup;
mod cli;
mod contact;
mod content_check;
mod content_facts;
mod content_mistakes;
mod drafts;
mod durability;
mod healthcheck;
mod helpers;
mod house_style;
mod http;
mod import;
mod index;
mod instances;
mod lead_batches;
mod lead_store;
mod lead_store_instances;
mod live_reload;
mod mail;
mod media;
mod new_files;
mod operations;
mod page_cache;
mod pages;
mod panics;
mod privacy;
mod proxies;
mod reload;
mod search;
mod seo;
mod smtp_sink;
