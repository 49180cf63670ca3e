//! A map that keeps at most `capacity` entries and drops the oldest inserted first: the binary's key caches.
use std::borrow::Borrow;
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

pub struct BoundedCache<K, V> {
    capacity: usize,
    entries: HashMap<K, V>,
    /// Keys from oldest to newest insertion. A hit leaves it alone (insertion order, not use order, as both caches had
    /// it before they shared this one), so `get` needs only `&self`.
    order: VecDeque<K>,
}

impl<K: Eq + Hash + Clone, V> BoundedCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        BoundedCache {
            capacity,
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.entries.get(key)
    }

    /// Keeps `value` under `key` as the newest entry, replacing (and renewing) one already there, then drops the oldest
    /// entries beyond the capacity.
    pub fn insert(&mut self, key: K, value: V) {
        if self.entries.insert(key.clone(), value).is_some() {
            self.order.retain(|kept| *kept != key);
        }
        self.order.push_back(key);
        while self.order.len() > self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.entries.remove(&oldest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache_of(capacity: usize, keys: &[&str]) -> BoundedCache<String, usize> {
        let mut cache = BoundedCache::new(capacity);
        for (value, key) in keys.iter().enumerate() {
            cache.insert(key.to_string(), value);
        }
        cache
    }

    #[test]
    fn returns_what_was_inserted_and_nothing_for_an_unknown_key() {
        let cache = cache_of(2, &["a", "b"]);
        assert_eq!(cache.get("a"), Some(&0));
        assert_eq!(cache.get("b"), Some(&1));
        assert_eq!(cache.get("c"), None);
    }

    #[test]
    fn drops_the_oldest_inserted_beyond_its_capacity() {
        let cache = cache_of(2, &["a", "b", "c"]);
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get("b"), Some(&1));
        assert_eq!(cache.get("c"), Some(&2));
    }

    #[test]
    fn a_hit_does_not_spare_an_entry_from_eviction() {
        let mut cache = cache_of(2, &["a", "b"]);
        assert_eq!(cache.get("a"), Some(&0));
        cache.insert("c".into(), 2);
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get("b"), Some(&1));
    }

    #[test]
    fn replacing_a_stale_entry_keeps_the_new_value_as_the_newest() {
        let mut cache = cache_of(2, &["a", "b"]);
        cache.insert("a".into(), 10);
        assert_eq!(cache.get("a"), Some(&10));
        // Replaced, not added: b is still kept, and now it is the oldest.
        assert_eq!(cache.get("b"), Some(&1));
        cache.insert("c".into(), 2);
        assert_eq!(cache.get("b"), None);
        assert_eq!(cache.get("a"), Some(&10));
        assert_eq!(cache.get("c"), Some(&2));
        assert_eq!(cache.order.len(), 2);
    }
}
