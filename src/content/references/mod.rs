//! Checks that need more than one file: references between files, duplicates, URL clashes.
//!
//! What each profile file defines (its language and translation key, its path and aliases, its
//! headings) and what it refers to (related profiles, links) is kept between loads, with who
//! refers to each path. A load after an edit checks again only the profiles it read afresh and
//! those whose checks look at what these define or defined; plain pages, people, `site.toml`
//! and images are few or ask the file system, and are checked on every load. A fresh
//! `References` checks every file: that is the full check.

mod rules;

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::load::{Claims, Loaded, Located, ProfileSpans};
use super::{ContentError, Diagnostics};
use crate::domain::paths::normalize;
use crate::domain::{Lang, Profile, Slug, TocEntry};

/// What the checks across files found at the last load, and what they looked at to find it.
#[derive(Default)]
pub struct References {
    index: Index,
    /// Each profile file's own checks.
    checked: HashMap<FileId, Checked>,
    /// The profile files whose related profiles or links lead to a path.
    referrers: HashMap<String, Vec<FileId>>,
    /// What the URL checks found, by URL group (see `rules::urls`); only groups with findings.
    url_found: HashMap<String, Vec<ContentError>>,
    /// The plain pages and people of the last load: read every time, compared to notice a change.
    pages: Vec<PageSeen>,
    people: HashSet<Slug>,
    /// The paths and keys of the files that failed to load last time, compared likewise.
    claimed: Vec<ClaimSeen>,
}

/// The profiles of the last load, by what other files' checks look them up by.
#[derive(Default)]
struct Index {
    profiles: HashMap<FileId, Arc<Profile>>,
    by_key: HashMap<(Lang, Slug), Vec<FileId>>,
    by_path: HashMap<String, Vec<FileId>>,
    /// By URL group: the profiles whose path or an alias is in it.
    by_url: HashMap<String, Vec<FileId>>,
}

/// What one profile file's checks found, and the paths they looked up.
#[derive(Default)]
struct Checked {
    found: Vec<ContentError>,
    refers_to: Vec<String>,
}

/// What a file that failed to load claims, as other files' checks see it.
#[derive(PartialEq)]
struct ClaimSeen {
    lang: Lang,
    path: String,
    key: Option<Slug>,
    anchors: Vec<String>,
}

#[derive(PartialEq)]
struct PageSeen {
    file: String,
    text: Arc<str>,
    path: String,
}

/// A profile file by its path in the content folder, ordered as the folder is read (by path
/// components), which is the order "already used by" reports follow.
#[derive(Clone, PartialEq, Eq, Hash)]
struct FileId(Arc<str>);

impl Borrow<str> for FileId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Ord for FileId {
    fn cmp(&self, other: &Self) -> Ordering {
        Path::new(&*self.0).cmp(Path::new(&*other.0))
    }
}

impl PartialOrd for FileId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// What changed since the last load, as other files' checks see it.
#[derive(Default)]
struct Touched {
    keys: HashSet<(Lang, Slug)>,
    paths: HashSet<String>,
    url_groups: HashSet<String>,
}

impl Touched {
    fn path(&mut self, path: String) {
        self.url_groups.insert(normalize(&path));
        self.paths.insert(path);
    }
}

type ProfileFile = Located<Arc<Profile>, ProfileSpans>;

impl References {
    /// Checks `loaded` as a whole, looking again only at what changed since the last call.
    pub fn check(&mut self, loaded: &Loaded, dir: &Path, diagnostics: &mut Diagnostics) {
        let current: HashMap<&str, &ProfileFile> =
            loaded.profiles.iter().map(|p| (p.file.rel_path.as_str(), p)).collect();
        let mut touched = Touched::default();
        let mut recheck = self.update_profiles(&current, loaded, &mut touched);
        self.notice_pages_and_people(loaded, &mut touched, &mut recheck);
        for (lang, key) in &touched.keys {
            for lang in [*lang, lang.other()] {
                recheck.extend(self.index.by_key.get(&(lang, key.clone())).into_iter().flatten().cloned());
            }
        }
        for path in &touched.paths {
            recheck.extend(self.referrers.get(path).into_iter().flatten().cloned());
        }

        let folder = Lookup::new(&self.index, loaded);
        let rechecked: Vec<(FileId, Checked)> = recheck
            .into_iter()
            .filter_map(|id| {
                let mut checked = Checked::default();
                rules::profile(&folder, current.get(&*id.0)?, &mut checked);
                Some((id, checked))
            })
            .collect();
        let taken = rules::taken_by_site_and_pages(loaded);
        let regrouped: Vec<(String, Vec<ContentError>)> = touched
            .url_groups
            .into_iter()
            .map(|group| {
                let ids = self.index.by_url.get(&group).into_iter().flatten();
                let profiles: Vec<&ProfileFile> = ids.filter_map(|id| current.get(&*id.0).copied()).collect();
                let mut found = Vec::new();
                rules::urls(&group, taken.get(&group), &profiles, &mut found);
                (group, found)
            })
            .collect();
        let mut every_load = Vec::new();
        rules::pages(loaded, &mut every_load);
        rules::site(loaded, &folder, &mut every_load);
        for page in &loaded.pages {
            rules::links(&folder, &page.file, &page.value.path(), &page.spans.body, &mut every_load, &mut Vec::new());
            rules::images(dir, &page.file, &page.spans.body, &mut every_load);
        }
        for profile in loaded.profiles.iter().filter(|p| !p.spans.body.images.is_empty()) {
            rules::images(dir, &profile.file, &profile.spans.body, &mut every_load);
        }

        for (id, checked) in rechecked {
            self.forget_references(&id);
            for path in &checked.refers_to {
                insert_sorted(self.referrers.entry(path.clone()).or_default(), &id);
            }
            self.checked.insert(id, checked);
        }
        for (group, found) in regrouped {
            if found.is_empty() {
                self.url_found.remove(&group);
            } else {
                self.url_found.insert(group, found);
            }
        }
        let kept = self.checked.values().map(|checked| &checked.found).chain(self.url_found.values());
        for found in kept.chain([&every_load]) {
            for problem in found {
                diagnostics.push(problem.clone());
            }
        }
    }

    /// Takes out of the index the profiles that are gone or were read afresh, and puts in those
    /// read afresh: these are returned, their own checks must run.
    fn update_profiles(
        &mut self,
        current: &HashMap<&str, &ProfileFile>,
        loaded: &Loaded,
        touched: &mut Touched,
    ) -> HashSet<FileId> {
        // A profile taken from the cache of parsed files is the very value checked last time.
        let stale: Vec<FileId> = self
            .index
            .profiles
            .iter()
            .filter(|(id, kept)| current.get(&*id.0).is_none_or(|now| !Arc::ptr_eq(&now.value, kept)))
            .map(|(id, _)| id.clone())
            .collect();
        for id in &stale {
            self.index.remove(id, touched);
            self.forget_references(id);
        }
        let mut fresh = HashSet::new();
        for located in &loaded.profiles {
            if !self.index.profiles.contains_key(located.file.rel_path.as_str()) {
                let id = FileId(located.file.rel_path.as_str().into());
                self.index.insert(&id, &located.value, touched);
                fresh.insert(id);
            }
        }
        fresh
    }

    /// Pages, people and the files that failed to load are few and read on every load: when they
    /// differ from the last load, what refers to them is checked again.
    fn notice_pages_and_people(&mut self, loaded: &Loaded, touched: &mut Touched, recheck: &mut HashSet<FileId>) {
        let pages: Vec<PageSeen> = loaded
            .pages
            .iter()
            .map(|p| PageSeen {
                file: p.file.rel_path.clone(),
                text: p.file.shared_text().clone(),
                path: p.value.path(),
            })
            .collect();
        if pages != self.pages {
            for page in self.pages.iter().chain(&pages) {
                touched.path(page.path.clone());
            }
            self.pages = pages;
        }
        let claimed: Vec<ClaimSeen> = loaded
            .claims
            .documents()
            .map(|claim| ClaimSeen {
                lang: claim.lang,
                path: claim.path.clone(),
                key: claim.translation_key.clone(),
                anchors: claim.anchors.clone(),
            })
            .collect();
        if claimed != self.claimed {
            for claim in self.claimed.iter().chain(&claimed) {
                touched.path(claim.path.clone());
                if let Some(key) = &claim.key {
                    touched.keys.insert((claim.lang, key.clone()));
                }
            }
            self.claimed = claimed;
        }
        let people: HashSet<Slug> =
            loaded.people.iter().map(|p| p.value.id.clone()).chain(loaded.claims.people.iter().cloned()).collect();
        if people != self.people {
            let with_contact = self.index.profiles.iter().filter(|(_, p)| p.contact.is_some());
            recheck.extend(with_contact.map(|(id, _)| id.clone()));
            self.people = people;
        }
    }

    fn forget_references(&mut self, id: &FileId) {
        if let Some(old) = self.checked.remove(id) {
            for path in &old.refers_to {
                remove_sorted(&mut self.referrers, path.as_str(), id);
            }
        }
    }
}

impl Index {
    fn insert(&mut self, id: &FileId, profile: &Arc<Profile>, touched: &mut Touched) {
        insert_sorted(self.by_key.entry((profile.lang, profile.translation_key.clone())).or_default(), id);
        insert_sorted(self.by_path.entry(profile.path()).or_default(), id);
        for group in url_groups(profile) {
            insert_sorted(self.by_url.entry(group).or_default(), id);
        }
        touched.profile(profile);
        self.profiles.insert(id.clone(), profile.clone());
    }

    fn remove(&mut self, id: &FileId, touched: &mut Touched) {
        let Some(profile) = self.profiles.remove(id) else { return };
        remove_sorted(&mut self.by_key, &(profile.lang, profile.translation_key.clone()), id);
        remove_sorted(&mut self.by_path, profile.path().as_str(), id);
        for group in url_groups(&profile) {
            remove_sorted(&mut self.by_url, group.as_str(), id);
        }
        touched.profile(&profile);
    }
}

impl Touched {
    fn profile(&mut self, profile: &Profile) {
        self.keys.insert((profile.lang, profile.translation_key.clone()));
        self.paths.insert(profile.path());
        self.url_groups.extend(url_groups(profile));
    }
}

/// The URL groups a profile has a path in: its own path's and its aliases'.
fn url_groups(profile: &Profile) -> HashSet<String> {
    std::iter::once(profile.path()).chain(profile.aliases.iter().cloned()).map(|path| normalize(&path)).collect()
}

fn insert_sorted(list: &mut Vec<FileId>, id: &FileId) {
    if let Err(at) = list.binary_search(id) {
        list.insert(at, id.clone());
    }
}

fn remove_sorted<K, Q>(map: &mut HashMap<K, Vec<FileId>>, key: &Q, id: &FileId)
where
    K: Borrow<Q> + std::hash::Hash + Eq,
    Q: std::hash::Hash + Eq + ?Sized,
{
    if let Some(list) = map.get_mut(key) {
        if let Ok(at) = list.binary_search(id) {
            list.remove(at);
        }
        if list.is_empty() {
            map.remove(key);
        }
    }
}

/// What the rest of the folder holds, as one file's checks ask it. Files that failed to load
/// count as present with what they claim: their own error is the one to fix, so one mistake
/// gives one error, not one more for every reference to the file.
struct Lookup<'a> {
    index: &'a Index,
    people: HashSet<&'a Slug>,
    /// Plain pages' headings by path; where a profile has the same path, the page's count.
    page_headings: HashMap<String, &'a [TocEntry]>,
    claims: &'a Claims,
}

impl<'a> Lookup<'a> {
    fn new(index: &'a Index, loaded: &'a Loaded) -> Lookup<'a> {
        Lookup {
            index,
            people: loaded.people.iter().map(|p| &p.value.id).chain(&loaded.claims.people).collect(),
            page_headings: loaded.pages.iter().map(|p| (p.value.path(), p.value.body.toc.as_slice())).collect(),
            claims: &loaded.claims,
        }
    }

    fn profile(&self, id: &FileId) -> Option<&'a Profile> {
        self.index.profiles.get(id).map(Arc::as_ref)
    }

    /// The file just before `file`, in folder order, with the same language and translation key.
    fn earlier_with_key(&self, lang: Lang, key: &Slug, file: &str) -> Option<&'a str> {
        let ids = self.index.by_key.get(&(lang, key.clone()))?;
        let at = ids.iter().position(|id| &*id.0 == file)?;
        Some(&ids[at.checked_sub(1)?].0)
    }

    /// The profile with this language and translation key, the last in folder order.
    fn translation(&self, lang: Lang, key: &Slug) -> Option<&'a Profile> {
        self.profile(self.index.by_key.get(&(lang, key.clone()))?.last()?)
    }

    fn has_key(&self, lang: Lang, key: &Slug) -> bool {
        self.index.by_key.contains_key(&(lang, key.clone())) || self.claims.has_profile_key(lang, key)
    }

    /// Whether a profile that failed to load has this key: its translations are not told it is missing.
    fn claimed_key(&self, lang: Lang, key: &Slug) -> bool {
        self.claims.has_profile_key(lang, key)
    }

    fn is_profile(&self, path: &str) -> bool {
        self.index.by_path.contains_key(path) || self.claims.profiles.iter().any(|claim| claim.path == path)
    }

    fn is_person(&self, id: &Slug) -> bool {
        self.people.contains(id)
    }

    /// The ids of the headings of the page or profile at `path`, if one is there.
    fn headings(&self, path: &str) -> Option<Vec<&'a str>> {
        if let Some(headings) = self.page_headings.get(path) {
            return Some(headings.iter().map(|heading| heading.id.as_str()).collect());
        }
        let profile = self.index.by_path.get(path).and_then(|ids| self.profile(ids.last()?));
        if let Some(profile) = profile {
            return Some(profile.toc.iter().map(|heading| heading.id.as_str()).collect());
        }
        let claim = self.claims.documents().find(|claim| claim.path == path)?;
        Some(claim.anchors.iter().map(String::as_str).collect())
    }

    /// For "did you mean": the slugs of the profiles in `lang`.
    fn slugs(&self, lang: Lang) -> impl Iterator<Item = &'a str> {
        let loaded = self.index.profiles.values().filter(move |p| p.lang == lang).map(|p| p.slug.as_str());
        loaded.chain(self.claims.profiles.iter().filter(move |c| c.lang == lang).map(|c| c.slug.as_str()))
    }

    /// For "did you mean": the translation keys of the profiles.
    fn keys(&self) -> impl Iterator<Item = &'a str> {
        let loaded = self.index.by_key.keys().map(|(_, key)| key.as_str());
        loaded.chain(self.claims.profiles.iter().filter_map(|c| c.translation_key.as_ref()).map(Slug::as_str))
    }

    /// For "did you mean": the people's ids.
    fn people(&self) -> impl Iterator<Item = &'a str> {
        self.people.iter().map(|id| id.as_str())
    }

    /// For "did you mean": every path a page or profile is at.
    fn paths(&self) -> impl Iterator<Item = &str> {
        let profiles = self.index.by_path.keys().map(String::as_str);
        let pages = self.page_headings.keys().map(String::as_str);
        profiles.chain(pages).chain(self.claims.documents().map(|claim| claim.path.as_str()))
    }
}
