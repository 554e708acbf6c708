//! Search results of one content version, kept so that a repeated search costs no query: a
//! bounded map that drops the least recently used page of results when full.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use crate::db::search::SearchHit;
use crate::domain::Lang;

/// One page of one search: the normalised query with its filters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchKey {
    pub lang: Lang,
    pub query: String,
    pub category: Option<String>,
    pub skill: Option<String>,
    pub page: u32,
}

/// One page of hits and how many there are in all.
#[derive(Debug)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub total: i64,
}

pub struct SearchCache {
    capacity: usize,
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<SearchKey, (Arc<SearchResults>, u64)>,
    /// Last use → key; the first entry is the least recently used.
    by_use: BTreeMap<u64, SearchKey>,
    uses: u64,
}

impl Entries {
    fn touch(&mut self, key: &SearchKey) -> Option<Arc<SearchResults>> {
        self.uses += 1;
        let now = self.uses;
        let (results, last_use) = self.by_key.get_mut(key)?;
        let previous = std::mem::replace(last_use, now);
        let results = results.clone();
        self.by_use.remove(&previous);
        self.by_use.insert(now, key.clone());
        Some(results)
    }
}

impl SearchCache {
    /// Keeps at most `capacity` pages of results; 0 keeps none.
    pub fn new(capacity: usize) -> SearchCache {
        SearchCache { capacity, entries: Mutex::default() }
    }

    pub fn get(&self, key: &SearchKey) -> Option<Arc<SearchResults>> {
        self.entries.lock().ok()?.touch(key)
    }

    pub fn insert(&self, key: SearchKey, results: SearchResults) -> Arc<SearchResults> {
        let results = Arc::new(results);
        let Ok(mut entries) = self.entries.lock() else { return results };
        if self.capacity == 0 {
            return results;
        }
        if let Some(existing) = entries.touch(&key) {
            return existing;
        }
        while entries.by_key.len() >= self.capacity {
            let Some((_, oldest)) = entries.by_use.pop_first() else { break };
            entries.by_key.remove(&oldest);
        }
        let now = entries.uses;
        entries.by_use.insert(now, key.clone());
        entries.by_key.insert(key, (results.clone(), now));
        results
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(query: &str) -> SearchKey {
        SearchKey { lang: Lang::En, query: query.to_owned(), category: None, skill: None, page: 1 }
    }

    fn results(total: i64) -> SearchResults {
        SearchResults { hits: Vec::new(), total }
    }

    #[test]
    fn the_least_recently_used_results_go_first_when_full() {
        let cache = SearchCache::new(2);
        cache.insert(key("a"), results(1));
        cache.insert(key("b"), results(2));
        assert_eq!(cache.get(&key("a")).map(|r| r.total), Some(1));
        cache.insert(key("c"), results(3));
        assert!(cache.get(&key("b")).is_none(), "b was used least recently");
        assert_eq!(cache.get(&key("a")).map(|r| r.total), Some(1));
        assert_eq!(cache.get(&key("c")).map(|r| r.total), Some(3));
        assert_eq!(cache.insert(key("c"), results(4)).total, 3, "the first answer stays");
    }

    #[test]
    fn a_cache_of_size_zero_keeps_nothing() {
        let cache = SearchCache::new(0);
        cache.insert(key("a"), results(1));
        assert!(cache.get(&key("a")).is_none());
    }
}
