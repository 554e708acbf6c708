//! The pages a content version has sent, with the headers they are sent with: the HTTP layer's
//! cache, kept beside each `read_model::Site` and dropped with it, filled and answered by
//! `routes::cache`. Outside `routes/` only so that `state`, which the routes import, can name it.
//!
//! It holds at most a memory budget of pages, counting every byte it keeps (the page, its
//! compressed forms, its headers, its key); past the budget the least recently used pages go.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::metrics::PageCacheMetrics;
use crate::read_model::{Carried, Rendered};

/// One rendered page (or feed, or sitemap) with the headers it is sent with, and its compressed
/// forms made when first asked for.
pub struct CachedPage {
    pub body: bytes::Bytes,
    pub content_type: actix_web::http::header::HeaderValue,
    /// How long browsers and proxies may keep it: a minute for pages, a year for a body whose
    /// URL names its content.
    pub cache_control: actix_web::http::header::HeaderValue,
    /// False for a body in a compressed format already, such as a PNG: sent as it is.
    pub compressible: bool,
    /// For a file to download: its `Content-Disposition`, with the name to save it under.
    pub disposition: Option<actix_web::http::header::HeaderValue>,
    /// Strong ETags of the plain, gzip and brotli bytes: each encoding is other bytes.
    pub etags: [actix_web::http::header::HeaderValue; 3],
    pub last_modified: Option<actix_web::http::header::HeaderValue>,
    /// An `If-Modified-Since` at or after this gets 304.
    pub unmodified_from: std::time::SystemTime,
    /// The route that rendered it, for counting requests answered from the cache.
    pub route: Arc<str>,
    /// A profile page's view counter: each visitor's request for it counts one.
    pub views: Option<crate::page_views::ViewCounter>,
    pub gzip: std::sync::OnceLock<bytes::Bytes>,
    pub brotli: std::sync::OnceLock<bytes::Bytes>,
}

impl CachedPage {
    /// The bytes this page holds now, its compressed forms made so far included.
    fn size(&self) -> usize {
        let headers = self
            .etags
            .iter()
            .chain(&self.last_modified)
            .chain([&self.cache_control])
            .chain(&self.disposition)
            .map(|value| value.len())
            .sum::<usize>();
        let compressed =
            [&self.gzip, &self.brotli].iter().filter_map(|form| form.get()).map(bytes::Bytes::len).sum::<usize>();
        size_of::<CachedPage>() + self.body.len() + compressed + headers + self.content_type.len() + self.route.len()
    }
}

struct Slot {
    page: Arc<CachedPage>,
    /// Bytes charged for this page and its key.
    size: usize,
    /// The cache's clock when the page was last answered: the smallest goes first.
    last_used: AtomicU64,
}

#[derive(Default)]
struct Slots {
    by_key: HashMap<String, Slot>,
    bytes: usize,
}

/// Rendered pages by canonical path. A hit takes the shared lock and stamps its page with a
/// tick of an atomic clock, so hits on different workers never wait for each other; only a
/// render (or a first compression) takes the exclusive lock, and evicts when over budget.
pub struct PageCache {
    slots: RwLock<Slots>,
    budget: usize,
    clock: AtomicU64,
    metrics: PageCacheMetrics,
}

impl PageCache {
    /// Keeps at most `budget` bytes of pages; a page larger than what eviction leaves room for
    /// (seven eighths of the budget) is sent but not kept.
    pub fn new(budget: usize, metrics: PageCacheMetrics) -> PageCache {
        PageCache { slots: RwLock::default(), budget, clock: AtomicU64::new(0), metrics }
    }

    /// The page at `key`, counted as a hit and as its most recent use.
    pub fn get(&self, key: &str) -> Option<Arc<CachedPage>> {
        let slots = self.slots.read().ok()?;
        let slot = slots.by_key.get(key)?;
        slot.last_used.store(self.tick(), Ordering::Relaxed);
        self.metrics.hits.inc();
        Some(slot.page.clone())
    }

    /// The page at `key`, for answering once more the request that just rendered it: no use
    /// counted.
    pub fn peek(&self, key: &str) -> Option<Arc<CachedPage>> {
        Some(self.slots.read().ok()?.by_key.get(key)?.page.clone())
    }

    /// Keeps a page just rendered (a miss), unless another request kept one for `key` first:
    /// then that one is returned, so every request of a version gets the same bytes.
    pub fn insert(&self, key: String, page: CachedPage) -> Arc<CachedPage> {
        self.metrics.misses.inc();
        let page = Arc::new(page);
        let size = page.size() + key.len() + size_of::<Slot>();
        // Kept, such a page would leave the cache over its target with nothing else in it:
        // every other page would go, and then the page itself.
        if size > self.eviction_target() {
            return page;
        }
        let Ok(mut slots) = self.slots.write() else { return page };
        if let Some(kept) = slots.by_key.get(&key) {
            return kept.page.clone();
        }
        let last_used = AtomicU64::new(self.tick());
        slots.by_key.insert(key, Slot { page: page.clone(), size, last_used });
        self.charge(&mut slots, size);
        self.evict_over_budget(&mut slots);
        page
    }

    /// Counts `bytes` more for the page at `key`, now that one of its compressed forms is made;
    /// nothing if that page is no longer the one kept there.
    pub fn grew(&self, key: &str, page: &CachedPage, bytes: usize) {
        let Ok(mut slots) = self.slots.write() else { return };
        match slots.by_key.get_mut(key) {
            Some(slot) if std::ptr::eq(Arc::as_ptr(&slot.page), page) => slot.size += bytes,
            _ => return,
        }
        self.charge(&mut slots, bytes);
        self.evict_over_budget(&mut slots);
    }

    /// What eviction brings the bytes held down to.
    fn eviction_target(&self) -> usize {
        self.budget - self.budget / 8
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }

    fn charge(&self, slots: &mut Slots, bytes: usize) {
        slots.bytes += bytes;
        self.metrics.bytes.inc_by(i64::try_from(bytes).unwrap_or(i64::MAX));
    }

    /// Drops the least recently used pages until the rest fit in seven eighths of the budget,
    /// so that a full cache sorts its pages once per eighth of the budget rendered, not per page.
    fn evict_over_budget(&self, slots: &mut Slots) {
        if slots.bytes <= self.budget {
            return;
        }
        let target = self.eviction_target();
        let mut by_age: Vec<(u64, &str, usize)> = slots
            .by_key
            .iter()
            .map(|(key, slot)| (slot.last_used.load(Ordering::Relaxed), key.as_str(), slot.size))
            .collect();
        by_age.sort_unstable_by_key(|(last_used, _, _)| *last_used);
        let mut left = slots.bytes;
        let evicted: Vec<String> = by_age
            .into_iter()
            .take_while(|(_, _, size)| {
                let over = left > target;
                left -= size;
                over
            })
            .map(|(_, key, _)| key.to_owned())
            .collect();
        for key in evicted {
            if let Some(slot) = slots.by_key.remove(&key) {
                slots.bytes -= slot.size;
                self.metrics.bytes.dec_by(i64::try_from(slot.size).unwrap_or(i64::MAX));
                self.metrics.evictions.inc();
            }
        }
    }
}

/// The next version starts with the pages that show the same in it, and their last uses.
impl Rendered for PageCache {
    fn keeping(&self, keep: &dyn Fn(&str) -> bool) -> (PageCache, Carried) {
        let mut kept = Slots::default();
        let mut all = 0;
        if let Ok(slots) = self.slots.read() {
            all = slots.by_key.len();
            for (key, slot) in slots.by_key.iter().filter(|(key, _)| keep(key)) {
                let last_used = AtomicU64::new(slot.last_used.load(Ordering::Relaxed));
                kept.by_key.insert(key.clone(), Slot { page: slot.page.clone(), size: slot.size, last_used });
                kept.bytes += slot.size;
            }
        }
        let carried = Carried { kept: kept.by_key.len(), dropped: all - kept.by_key.len() };
        // Counted for both caches until the old one goes, as it does with its version.
        self.metrics.bytes.inc_by(i64::try_from(kept.bytes).unwrap_or(i64::MAX));
        let next = PageCache {
            slots: RwLock::new(kept),
            budget: self.budget,
            clock: AtomicU64::new(self.clock.load(Ordering::Relaxed)),
            metrics: self.metrics.clone(),
        };
        (next, carried)
    }
}

/// The pages of a version that is replaced leave memory with it.
impl Drop for PageCache {
    fn drop(&mut self) {
        let bytes = self.slots.get_mut().map_or(0, |slots| slots.bytes);
        self.metrics.bytes.dec_by(i64::try_from(bytes).unwrap_or(i64::MAX));
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::HeaderValue;

    use super::*;

    fn page(bytes: usize) -> CachedPage {
        CachedPage {
            body: bytes::Bytes::from(vec![b'x'; bytes]),
            content_type: HeaderValue::from_static("text/html"),
            cache_control: HeaderValue::from_static("public"),
            compressible: true,
            disposition: None,
            etags: [HeaderValue::from_static(""), HeaderValue::from_static(""), HeaderValue::from_static("")],
            last_modified: None,
            unmodified_from: std::time::UNIX_EPOCH,
            route: Arc::from(""),
            views: None,
            gzip: Default::default(),
            brotli: Default::default(),
        }
    }

    #[test]
    fn the_least_recently_used_page_goes_first() {
        // Room for what each page costs besides its body, and for 4,000 bytes of bodies: not all three.
        let overhead = size_of::<CachedPage>() + size_of::<Slot>() + "/a".len();
        let cache = PageCache::new(4_000 + 3 * overhead, PageCacheMetrics::default());
        cache.insert("/a".into(), page(1_000));
        cache.insert("/b".into(), page(1_000));
        assert!(cache.get("/a").is_some());
        cache.insert("/c".into(), page(2_500));
        assert!(cache.get("/b").is_none(), "b was used least recently");
        assert!(cache.get("/a").is_some());
        assert!(cache.get("/c").is_some());
    }

    #[test]
    fn compressed_forms_count_against_the_budget() {
        let metrics = PageCacheMetrics::default();
        let cache = PageCache::new(4_000, metrics.clone());
        let kept = cache.insert("/a".into(), page(1_000));
        let before = metrics.bytes.get();
        let _ = kept.gzip.set(bytes::Bytes::from(vec![0; 500]));
        cache.grew("/a", &kept, 500);
        assert_eq!(metrics.bytes.get(), before + 500);
        let _ = kept.brotli.set(bytes::Bytes::from(vec![0; 3_000]));
        cache.grew("/a", &kept, 3_000);
        assert!(cache.get("/a").is_none(), "the page outgrew the budget");
        assert_eq!(metrics.bytes.get(), 0);
        drop(cache);
        assert_eq!(metrics.bytes.get(), 0);
    }

    #[test]
    fn a_dropped_cache_gives_its_bytes_back() {
        let metrics = PageCacheMetrics::default();
        let cache = PageCache::new(10_000, metrics.clone());
        cache.insert("/a".into(), page(1_000));
        assert!(metrics.bytes.get() > 1_000);
        drop(cache);
        assert_eq!(metrics.bytes.get(), 0);
    }
}
