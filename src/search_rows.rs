//! Which published profile each row of the search index holds, for one content version. FTS5
//! answers a search with row ids; looking each one up here costs a hash probe, where joining
//! the profiles table cost a read of the whole indexed row (its body included) per match.

use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::{Lang, Profile, Slug};
use crate::read_model::Site;

pub struct SearchRows {
    profiles: HashMap<i64, Arc<Profile>>,
    /// Whether every indexed row is a profile this version publishes, so that FTS5 may rank,
    /// page and count on its own.
    covers_index: bool,
}

impl SearchRows {
    /// The site's published profiles under the search ids of `indexed`, the store's profiles
    /// that are not drafts (id, language, slug). Rows the site does not publish (scheduled, or
    /// newer than this version) stay out, and so drop out of every search.
    pub fn new(site: &Site, indexed: Vec<(i64, String, String)>) -> SearchRows {
        let stored = indexed.len();
        let profiles: HashMap<i64, Arc<Profile>> = indexed
            .into_iter()
            .filter_map(|(id, lang, slug)| {
                // A row that does not parse names no profile of the site, which holds parsed ones only.
                let profile = site.shared_profile(lang.parse::<Lang>().ok()?, &Slug::parse(&slug).ok()?)?;
                Some((id, profile))
            })
            .collect();
        SearchRows { covers_index: profiles.len() == stored, profiles }
    }

    pub fn covers_the_index(&self) -> bool {
        self.covers_index
    }

    /// The published profile of `lang` indexed under `id`.
    pub fn profile(&self, lang: Lang, id: i64) -> Option<&Profile> {
        self.profiles.get(&id).map(Arc::as_ref).filter(|profile| profile.lang == lang)
    }
}
