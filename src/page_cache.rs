//! The pages a content version has sent, with the headers they are sent with: the HTTP layer's
//! cache, kept beside each `read_model::Site` and dropped with it, filled and answered by
//! `routes::cache`. Outside `routes/` only so that `state`, which the routes import, can name it.

use std::collections::HashMap;
use std::sync::Arc;

/// One rendered page (or feed, or sitemap) with the headers it is sent with, and its compressed
/// forms made when first asked for.
pub struct CachedPage {
    pub body: bytes::Bytes,
    pub content_type: actix_web::http::header::HeaderValue,
    /// Strong ETags of the plain, gzip and brotli bytes: each encoding is other bytes.
    pub etags: [actix_web::http::header::HeaderValue; 3],
    pub last_modified: Option<actix_web::http::header::HeaderValue>,
    /// An `If-Modified-Since` at or after this gets 304.
    pub unmodified_from: std::time::SystemTime,
    /// The route that rendered it, for counting requests answered from the cache.
    pub route: Arc<str>,
    pub gzip: std::sync::OnceLock<bytes::Bytes>,
    pub brotli: std::sync::OnceLock<bytes::Bytes>,
}

#[derive(Default)]
pub struct PageCache {
    pages: std::sync::RwLock<HashMap<String, Arc<CachedPage>>>,
}

impl PageCache {
    pub fn get(&self, key: &str) -> Option<Arc<CachedPage>> {
        self.pages.read().ok()?.get(key).cloned()
    }

    pub fn insert(&self, key: String, page: CachedPage) -> Arc<CachedPage> {
        let page = Arc::new(page);
        if let Ok(mut pages) = self.pages.write() {
            pages.entry(key).or_insert_with(|| page.clone()).clone()
        } else {
            page
        }
    }
}
