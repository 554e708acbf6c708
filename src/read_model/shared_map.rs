//! A map that the next content version copies only in part: its entries are spread over shards
//! held by `Arc`, and a version made from another copies just the shards its changes fall in.
//! One edited profile among ten thousand copies a few hundred entries, not ten thousand.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

const SHARDS: usize = 64;

#[derive(Clone)]
pub struct SharedMap<K, V> {
    shards: Arc<[Arc<HashMap<K, V>>]>,
}

impl<K, V> Default for SharedMap<K, V> {
    fn default() -> Self {
        SharedMap { shards: (0..SHARDS).map(|_| Arc::new(HashMap::new())).collect() }
    }
}

/// Which shard a key is in: the same in every version, as `DefaultHasher::new` is.
fn shard_of<Q: Hash + ?Sized>(key: &Q) -> usize {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    usize::try_from(hasher.finish() % SHARDS as u64).unwrap_or(0)
}

impl<K: Hash + Eq + Clone, V: Clone> SharedMap<K, V> {
    pub fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.shards[shard_of(key)].get(key)
    }

    pub fn get_key_value<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        self.shards[shard_of(key)].get_key_value(key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.shards.iter().flat_map(|shard| shard.iter())
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.shards.iter().flat_map(|shard| shard.values())
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(|shard| shard.len()).sum()
    }

    /// This map with the entries of `removed` taken out and then those of `added` put in,
    /// sharing every shard neither touches.
    pub fn with_changes(&self, removed: impl IntoIterator<Item = K>, added: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut shards: Vec<Arc<HashMap<K, V>>> = self.shards.to_vec();
        for key in removed {
            let shard = &mut shards[shard_of(&key)];
            if shard.contains_key(&key) {
                Arc::make_mut(shard).remove(&key);
            }
        }
        for (key, value) in added {
            Arc::make_mut(&mut shards[shard_of(&key)]).insert(key, value);
        }
        SharedMap { shards: shards.into() }
    }
}

impl<K: Hash + Eq + Clone, V: Clone + PartialEq> PartialEq for SharedMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(key, value)| other.get(key) == Some(value))
    }
}

impl<K: Hash + Eq + Clone + std::fmt::Debug, V: Clone + std::fmt::Debug> std::fmt::Debug for SharedMap<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::SharedMap;
    use std::sync::Arc;

    #[test]
    fn a_changed_map_shares_the_shards_its_changes_do_not_fall_in() {
        let map: SharedMap<u32, u32> = SharedMap::default().with_changes([], (0..1000).map(|n| (n, n)));
        let changed = map.with_changes([7, 5000], [(8, 80), (2000, 1)]);
        assert_eq!(
            (changed.get(&7), changed.get(&8), changed.get(&2000), changed.len()),
            (None, Some(&80), Some(&1), 1000)
        );
        assert_eq!((map.get(&7), map.get(&8), map.len()), (Some(&7), Some(&8), 1000), "the old map is as it was");
        let shared = map.shards.iter().zip(changed.shards.iter()).filter(|(a, b)| Arc::ptr_eq(a, b)).count();
        assert!(shared >= map.shards.len() - 3, "{shared} shards shared");
        assert_ne!(map, changed);
        assert_eq!(changed.with_changes([8, 2000], [(7, 7), (8, 8)]), map);
    }
}
