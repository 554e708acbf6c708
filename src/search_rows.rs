//! Which published profile each row of the search index holds, for one content version. FTS5
//! answers a search with row ids; looking each one up here costs a hash probe, where joining
//! the profiles table cost a read of the whole indexed row (its body included) per match.

use std::collections::HashMap;
use std::sync::Arc;

use crate::db::search::IndexedRow;
use crate::domain::{Lang, Profile};
use crate::read_model::Site;

pub struct SearchRows {
    profiles: HashMap<i64, Arc<Profile>>,
    /// Indexed rows of each language that this version does not publish (scheduled, or newer
    /// than this version): a search leaves them out.
    hidden: HashMap<Lang, Vec<i64>>,
}

impl SearchRows {
    /// The site's published profiles under the search ids of `indexed`, the store's profiles
    /// that are not drafts.
    pub fn new(site: &Site, indexed: Vec<IndexedRow>) -> SearchRows {
        let mut rows = SearchRows { profiles: HashMap::with_capacity(indexed.len()), hidden: HashMap::new() };
        for IndexedRow { id, lang, slug } in indexed {
            match site.shared_profile(lang, &slug) {
                Some(profile) => {
                    rows.profiles.insert(id, profile);
                }
                None => rows.hidden.entry(lang).or_default().push(id),
            }
        }
        rows
    }

    /// The indexed rows of `lang` that no search of this version shows.
    pub fn hidden(&self, lang: Lang) -> &[i64] {
        self.hidden.get(&lang).map_or(&[], Vec::as_slice)
    }

    /// The published profile of `lang` indexed under `id`.
    pub fn profile(&self, lang: Lang, id: i64) -> Option<&Arc<Profile>> {
        self.profiles.get(&id).filter(|profile| profile.lang == lang)
    }
}
