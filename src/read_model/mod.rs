//! The in-memory site that pages are rendered from: built from what the store returned after
//! a load, never changed afterwards, and swapped as a whole when content changes.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use arc_swap::ArcSwap;

use crate::assets::Assets;
use time::OffsetDateTime;

use crate::domain::paths::{self, Fixed, Localized, normalize};
use crate::domain::{Lang, Page, Person, Profile, SiteContent, SiteSettings, Slug, category_slug};
use crate::search_cache::SearchCache;
use crate::search_rows::SearchRows;

mod shared_map;

use shared_map::SharedMap;

pub struct Site {
    pub settings: SiteSettings,
    people: HashMap<Slug, Person>,
    index: ProfileIndex,
    pages: HashMap<(Lang, Slug), Page>,
    page_by_key: HashMap<(Lang, Slug), Slug>,
    /// Every path the site answers with a page of its own other than a profile's, for
    /// redirecting variants to it.
    known_paths: HashSet<String>,
    /// Paths of profiles and pages that were removed.
    retired_paths: HashSet<String>,
    next_publication: Option<OffsetDateTime>,
    /// When this version was built: pages are never older.
    pub built: std::time::SystemTime,
    /// When the version this one replaced was built.
    pub replaced_built: Option<std::time::SystemTime>,
    /// Search results of this version; a new version starts empty.
    pub searches: SearchCache,
    /// This version's profiles by search row id, read from the store by the first search.
    pub search_rows: OnceLock<Arc<SearchRows>>,
    /// Each language's categories with the slug of their index page, in name order.
    category_pages: HashMap<Lang, Vec<CategoryPage>>,
    /// Static files under fingerprinted names, shared by every version.
    pub assets: Arc<Assets>,
}

/// The profiles of a version and what is made from them alone. A version made after another
/// shares with it every part that one changed profile does not touch, so an edit costs work in
/// proportion to the edit, not to the folder.
#[derive(Clone, Default, PartialEq, Debug)]
pub struct ProfileIndex {
    published: SharedMap<(Lang, Slug), Arc<Profile>>,
    /// Drafts and profiles whose publication time has not come: for staff and preview links.
    unpublished: SharedMap<(Lang, Slug), Arc<Profile>>,
    /// Published profiles by path.
    paths: SharedMap<String, Arc<Profile>>,
    by_key: SharedMap<(Lang, Slug), Slug>,
    /// Old path (normalized) → canonical path.
    aliases: SharedMap<String, String>,
    /// Category names and hard skills per language, sorted, for the search filters.
    facets: HashMap<Lang, Arc<Facets>>,
}

/// A profile that leaves or joins an index, and whether it is (or was) published there.
struct Placed {
    profile: Arc<Profile>,
    public: bool,
}

impl ProfileIndex {
    /// The index of `profiles` at `now`, made from this one: only the profiles that are not the
    /// very values this one holds, in the same place, are taken out and put in.
    fn after(&self, profiles: &[Arc<Profile>], now: OffsetDateTime) -> ProfileIndex {
        let placed = |key: &(Lang, Slug)| {
            let public = |profile: &Arc<Profile>| Placed { profile: profile.clone(), public: true };
            let hidden = |profile: &Arc<Profile>| Placed { profile: profile.clone(), public: false };
            self.published.get(key).map(public).or_else(|| self.unpublished.get(key).map(hidden))
        };
        let (mut gone, mut came, mut found) = (Vec::new(), Vec::new(), 0);
        for profile in profiles {
            let public = profile.is_public(now);
            match placed(&(profile.lang, profile.slug.clone())) {
                Some(before) if Arc::ptr_eq(&before.profile, profile) && before.public == public => found += 1,
                Some(before) => {
                    found += 1;
                    gone.push(before);
                    came.push(Placed { profile: profile.clone(), public });
                }
                None => came.push(Placed { profile: profile.clone(), public }),
            }
        }
        if found < self.published.len() + self.unpublished.len() {
            let present: HashSet<(Lang, &Slug)> = profiles.iter().map(|p| (p.lang, &p.slug)).collect();
            let removed =
                |(_, profile): (&(Lang, Slug), &Arc<Profile>)| !present.contains(&(profile.lang, &profile.slug));
            let public =
                |(_, profile): (&(Lang, Slug), &Arc<Profile>)| Placed { profile: profile.clone(), public: true };
            let hidden =
                |(_, profile): (&(Lang, Slug), &Arc<Profile>)| Placed { profile: profile.clone(), public: false };
            gone.extend(self.published.iter().filter(|entry| removed(*entry)).map(public));
            gone.extend(self.unpublished.iter().filter(|entry| removed(*entry)).map(hidden));
        }
        self.with_changes(&gone, &came)
    }

    fn with_changes(&self, gone: &[Placed], came: &[Placed]) -> ProfileIndex {
        let key = |p: &Arc<Profile>| (p.lang, p.slug.clone());
        let aliases = |p: &Arc<Profile>| p.aliases.iter().map(|alias| normalize(alias)).collect::<Vec<_>>();
        let facets = Lang::ALL
            .into_iter()
            .map(|lang| {
                let facets = self.facets.get(&lang).cloned().unwrap_or_default();
                let of_lang = |p: &&Arc<Profile>| p.lang == lang;
                let gone = shown(gone, true).filter(of_lang).map(Arc::as_ref);
                (lang, facets.with_changes(gone, shown(came, true).filter(of_lang).map(Arc::as_ref)))
            })
            .collect();
        ProfileIndex {
            published: self
                .published
                .with_changes(shown(gone, true).map(key), shown(came, true).map(|p| (key(p), p.clone()))),
            unpublished: self
                .unpublished
                .with_changes(shown(gone, false).map(key), shown(came, false).map(|p| (key(p), p.clone()))),
            paths: self
                .paths
                .with_changes(shown(gone, true).map(|p| p.path()), shown(came, true).map(|p| (p.path(), p.clone()))),
            by_key: self.by_key.with_changes(
                shown(gone, true).map(|p| (p.lang, p.translation_key.clone())),
                shown(came, true).map(|p| ((p.lang, p.translation_key.clone()), p.slug.clone())),
            ),
            aliases: self.aliases.with_changes(
                shown(gone, true).flat_map(aliases),
                shown(came, true).flat_map(|p| aliases(p).into_iter().map(|alias| (alias, p.path()))),
            ),
            facets,
        }
    }
}

/// The profiles of `list` that are (`public`) or are not published.
fn shown(list: &[Placed], public: bool) -> impl Iterator<Item = &Arc<Profile>> {
    list.iter().filter(move |placed| placed.public == public).map(|placed| &placed.profile)
}

#[derive(Clone, Default, PartialEq, Debug)]
struct Facets {
    /// How many published profiles name each category and hard skill: what a removal needs.
    category_counts: HashMap<String, usize>,
    skill_counts: HashMap<String, usize>,
    categories: Vec<String>,
    skills: Vec<String>,
}

impl Facets {
    /// These facets with the `gone` profiles no longer counted and the `came` ones counted;
    /// shared when there are neither.
    fn with_changes<'a>(
        self: Arc<Self>,
        mut gone: impl Iterator<Item = &'a Profile>,
        mut came: impl Iterator<Item = &'a Profile>,
    ) -> Arc<Facets> {
        let (first_gone, first_came) = (gone.next(), came.next());
        if first_gone.is_none() && first_came.is_none() {
            return self;
        }
        let mut facets = Arc::unwrap_or_clone(self);
        let (mut new_categories, mut new_skills) = (false, false);
        for profile in first_gone.into_iter().chain(gone) {
            new_categories |= count(&mut facets.category_counts, &profile.category, -1);
            for skill in &profile.hard_skills {
                new_skills |= count(&mut facets.skill_counts, skill, -1);
            }
        }
        for profile in first_came.into_iter().chain(came) {
            new_categories |= count(&mut facets.category_counts, &profile.category, 1);
            for skill in &profile.hard_skills {
                new_skills |= count(&mut facets.skill_counts, skill, 1);
            }
        }
        if new_categories {
            facets.categories = facets.category_counts.keys().cloned().collect();
            facets.categories.sort_unstable();
        }
        if new_skills {
            facets.skills = case_blind_order(facets.skill_counts.keys().cloned());
        }
        Arc::new(facets)
    }
}

/// Counts `name` up or down by one; whether that made it appear or go.
fn count(counts: &mut HashMap<String, usize>, name: &str, by: isize) -> bool {
    match counts.get_mut(name) {
        Some(count) if count.saturating_add_signed(by) > 0 => {
            *count = count.saturating_add_signed(by);
            false
        }
        Some(_) => counts.remove(name).is_some(),
        None if by > 0 => counts.insert(name.to_owned(), by.unsigned_abs()).is_none(),
        None => false,
    }
}

/// Sorted as a reader expects (`kotlin` before `Python`), each name once. Names differing only
/// in case are ordered too, so that equal names end up side by side and the order is the same
/// for every content version.
fn case_blind_order(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = names.collect();
    names.sort_by_cached_key(|name| (name.to_lowercase(), name.clone()));
    names.dedup();
    names
}

/// A category with the slug of its page on the index.
pub struct CategoryPage {
    pub name: String,
    pub slug: Slug,
}

impl CategoryPage {
    /// Slugs from sorted names: two names that make the same slug (`Data & AI`, `Data, AI`) are
    /// told apart by a number, the same one in every content version that has both.
    fn of_sorted(names: &[String]) -> Vec<CategoryPage> {
        let mut taken = HashSet::new();
        names
            .iter()
            .filter_map(|name| {
                let made = category_slug(name).map_or_else(|| "category".to_owned(), |slug| slug.as_str().to_owned());
                // Room for the number, which the slug's length limit would otherwise refuse.
                let base = made.get(..Slug::MAX_LEN - 8).unwrap_or(&made).trim_end_matches('-');
                let slug = std::iter::once(made.clone())
                    .chain((2..).map(|n| format!("{base}-{n}")))
                    .filter_map(|candidate| Slug::parse(&candidate).ok())
                    .find(|candidate| taken.insert(candidate.clone()))?;
                Some(CategoryPage { name: name.clone(), slug })
            })
            .collect()
    }
}

impl Site {
    /// Only profiles public at `now` get a URL, a place in lists and a translation link; this
    /// version keeps up to `search_cache_entries` pages of search results. What did not change
    /// since `previous` (the index of an earlier version, see [`Site::index`], or an empty one)
    /// is shared with it: one edited profile costs work in proportion to it.
    pub fn new(
        previous: &ProfileIndex,
        content: SiteContent,
        retired_paths: Vec<String>,
        base_url_override: Option<&str>,
        search_cache_entries: usize,
        now: OffsetDateTime,
    ) -> Site {
        let mut settings = content.site;
        if let Some(base_url) = base_url_override {
            settings.base_url = base_url.trim_end_matches('/').to_owned();
        }
        let index = previous.after(&content.profiles, now);
        let next_publication = index.unpublished.values().filter(|p| !p.draft).filter_map(|p| p.publish_at).min();
        let page_by_key = content.pages.iter().map(|p| ((p.lang, p.translation_key.clone()), p.slug.clone())).collect();
        let mut known_paths: HashSet<String> = content.pages.iter().map(Page::path).collect();
        let own_pages = [
            Localized::Home,
            Localized::Profiles,
            Localized::Contact,
            Localized::Search,
            Localized::Feed,
            Localized::Salaries,
        ];
        for lang in Lang::ALL {
            known_paths.extend(own_pages.map(|page| page.path(lang).to_owned()));
        }
        known_paths.extend([Fixed::Sitemap, Fixed::Robots].map(|fixed| fixed.path().to_owned()));
        let category_pages: HashMap<Lang, Vec<CategoryPage>> =
            index.facets.iter().map(|(lang, facets)| (*lang, CategoryPage::of_sorted(&facets.categories))).collect();
        known_paths.extend(
            category_pages.iter().flat_map(|(lang, categories)| {
                categories.iter().map(|category| paths::category(*lang, &category.slug))
            }),
        );
        Site {
            settings,
            people: content.people.into_iter().map(|p| (p.id.clone(), p)).collect(),
            index,
            pages: content.pages.into_iter().map(|p| ((p.lang, p.slug.clone()), p)).collect(),
            page_by_key,
            known_paths,
            retired_paths: retired_paths.into_iter().collect(),
            next_publication,
            built: now.into(),
            replaced_built: None,
            searches: SearchCache::new(search_cache_entries),
            search_rows: OnceLock::new(),
            category_pages,
            assets: Arc::default(),
        }
    }

    /// The profiles and what is made of them alone, for the next version to start from.
    pub fn index(&self) -> &ProfileIndex {
        &self.index
    }

    pub fn profile(&self, lang: Lang, slug: &Slug) -> Option<&Profile> {
        self.index.published.get(&(lang, slug.clone())).map(Arc::as_ref)
    }

    /// A published profile, shared rather than borrowed: for indexes that outlive the borrow.
    pub fn shared_profile(&self, lang: Lang, slug: &Slug) -> Option<Arc<Profile>> {
        self.index.published.get(&(lang, slug.clone())).cloned()
    }

    pub fn page(&self, lang: Lang, slug: &Slug) -> Option<&Page> {
        self.pages.get(&(lang, slug.clone()))
    }

    /// The same profile in the other language, if it exists.
    pub fn profile_translation(&self, profile: &Profile) -> Option<&Profile> {
        let other = profile.lang.other();
        let slug = self.index.by_key.get(&(other, profile.translation_key.clone()))?;
        self.profile(other, slug)
    }

    pub fn page_translation(&self, page: &Page) -> Option<&Page> {
        let other = page.lang.other();
        let slug = self.page_by_key.get(&(other, page.translation_key.clone()))?;
        self.page(other, slug)
    }

    pub fn page_by_key(&self, lang: Lang, key: &str) -> Option<&Page> {
        let key = Slug::parse(key).ok()?;
        self.page(lang, self.page_by_key.get(&(lang, key))?)
    }

    pub fn profile_by_key(&self, lang: Lang, key: &Slug) -> Option<&Profile> {
        self.profile(lang, self.index.by_key.get(&(lang, key.clone()))?)
    }

    /// The person who answers requests about `profile`.
    pub fn contact_for(&self, profile: Option<&Profile>) -> Option<&Person> {
        let id = profile.and_then(|p| p.contact.as_ref()).unwrap_or(&self.settings.default_contact);
        self.people.get(id)
    }

    pub fn person(&self, id: &Slug) -> Option<&Person> {
        self.people.get(id)
    }

    pub fn featured(&self, lang: Lang) -> Vec<&Profile> {
        self.settings.featured.iter().filter_map(|key| self.profile_by_key(lang, key)).collect()
    }

    pub fn related(&self, profile: &Profile) -> Vec<&Profile> {
        profile.related.iter().filter_map(|slug| self.profile(profile.lang, slug)).collect()
    }

    /// Plain pages of a language in title order, e.g. for the footer.
    pub fn pages(&self, lang: Lang) -> Vec<&Page> {
        let mut pages: Vec<&Page> = self.pages.values().filter(|p| p.lang == lang).collect();
        pages.sort_by(|a, b| a.title.cmp(&b.title));
        pages
    }

    /// Where a path that is not canonical should go: an old URL (alias) to its profile, a
    /// variant with a trailing slash or capitals to the page it names. How many parts the
    /// sitemap has is the serving layer's setting, so a variant of a part's address goes to that
    /// address, which answers 404 if the sitemap has fewer parts.
    pub fn redirect_for(&self, path: &str) -> Option<Cow<'_, str>> {
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
        let normalized = normalize(&decoded);
        if let Some(target) = self.index.aliases.get(&normalized) {
            return Some(Cow::Borrowed(target));
        }
        if normalized == path || normalized.is_empty() {
            return None;
        }
        if paths::is_sitemap_part(&normalized) {
            return Some(Cow::Owned(normalized));
        }
        let known = self.index.paths.get_key_value(&normalized).map(|(known, _)| known);
        known.or_else(|| self.known_paths.get(&normalized)).map(|known| Cow::Borrowed(known.as_str()))
    }

    /// Every hard skill named in a language's published profiles, sorted.
    pub fn skills(&self, lang: Lang) -> &[String] {
        self.index.facets.get(&lang).map_or(&[], |f| f.skills.as_slice())
    }

    /// The categories of a language's published profiles, sorted.
    pub fn category_names(&self, lang: Lang) -> &[String] {
        self.index.facets.get(&lang).map_or(&[], |f| f.categories.as_slice())
    }

    /// A language's categories with the slugs of their index pages, in name order.
    pub fn category_pages(&self, lang: Lang) -> &[CategoryPage] {
        self.category_pages.get(&lang).map_or(&[], Vec::as_slice)
    }

    pub fn category_page(&self, lang: Lang, slug: &Slug) -> Option<&CategoryPage> {
        self.category_pages(lang).iter().find(|category| &category.slug == slug)
    }

    /// Published profiles of a language, in title order.
    pub fn profiles(&self, lang: Lang) -> Vec<&Profile> {
        let mut profiles: Vec<&Profile> =
            self.index.published.values().map(Arc::as_ref).filter(|p| p.lang == lang).collect();
        profiles.sort_by(|a, b| a.title.cmp(&b.title));
        profiles
    }

    /// A profile that exists but is not public (yet).
    pub fn unpublished(&self, lang: Lang, slug: &Slug) -> Option<&Profile> {
        self.index.unpublished.get(&(lang, slug.clone())).map(Arc::as_ref)
    }

    /// Drafts and scheduled profiles, by language and title.
    pub fn unpublished_profiles(&self) -> Vec<&Profile> {
        let mut profiles: Vec<&Profile> = self.index.unpublished.values().map(Arc::as_ref).collect();
        profiles.sort_by(|a, b| (a.lang, &a.title).cmp(&(b.lang, &b.title)));
        profiles
    }

    /// When the next scheduled profile becomes public.
    pub fn next_publication(&self) -> Option<OffsetDateTime> {
        self.next_publication
    }

    /// Whether a path showed a profile or page that has since been removed.
    pub fn is_retired(&self, path: &str) -> bool {
        self.retired_paths.contains(path)
    }

    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.settings.base_url, path)
    }

    /// Whether the page at a path shows here exactly what it showed in `old`: profile pages whose
    /// profile, related profiles and translation are unchanged, and plain pages. None does when
    /// something every page shows (settings, people, plain pages, categories) changed. Lists,
    /// the home page, feeds and sitemaps never do: they show every profile.
    pub fn shows_same_as<'a>(&'a self, old: &'a Site) -> impl Fn(&str) -> bool + 'a {
        let categories = |site: &Site| -> Vec<(Lang, String, Slug)> {
            site.category_pages
                .iter()
                .flat_map(|(lang, pages)| pages.iter().map(|page| (*lang, page.name.clone(), page.slug.clone())))
                .collect()
        };
        let shown_everywhere_same = self.settings == old.settings
            && self.people == old.people
            && self.pages == old.pages
            && categories(self).into_iter().collect::<HashSet<_>>() == categories(old).into_iter().collect();
        let page_paths: HashSet<String> =
            if shown_everywhere_same { self.pages.values().map(Page::path).collect() } else { HashSet::new() };
        // The fingerprint covers a profile's values and body, and is the same whether the
        // profile came from its file or from the store.
        let same = move |lang: Lang, slug: &Slug| {
            let key = (lang, slug.clone());
            match (self.index.published.get(&key), old.index.published.get(&key)) {
                (Some(now), Some(before)) => now.source_hash == before.source_hash,
                (None, None) => true,
                _ => false,
            }
        };
        let translation =
            |site: &Site, p: &Profile| site.index.by_key.get(&(p.lang.other(), p.translation_key.clone())).cloned();
        // Asked per rendered page only, so an edit costs no pass over every profile.
        move |path: &str| {
            if !shown_everywhere_same {
                return false;
            }
            let Some(p) = self.index.paths.get(path) else { return page_paths.contains(path) };
            let twin = translation(self, p);
            same(p.lang, &p.slug)
                && p.related.iter().all(|related| same(p.lang, related))
                && twin == translation(old, p)
                && twin.is_none_or(|twin| same(p.lang.other(), &twin))
        }
    }
}

/// What a version rendered, as far as the version that replaces it may take over.
pub trait Rendered: Sized {
    /// What is rendered at the paths `keep` accepts, for the next version.
    fn keeping(&self, keep: &dyn Fn(&str) -> bool) -> (Self, Carried);
}

/// How much of what a version rendered the next one took over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Carried {
    pub kept: usize,
    pub dropped: usize,
}

/// One content version as it is served: the site, and what the serving layer rendered from it
/// (`R`, the HTTP layer's page cache), so that both are dropped together. Generic so that this
/// model knows nothing of HTTP; the cache sits inline, so reaching it costs no extra pointer.
pub struct Version<R> {
    site: Site,
    pub rendered: R,
}

impl<R> std::ops::Deref for Version<R> {
    type Target = Site;

    fn deref(&self) -> &Site {
        &self.site
    }
}

/// The current version, readable by every request; a new content load replaces it whole, with
/// only the pages rendered that show the same in both versions.
pub struct SiteHandle<R> {
    current: ArcSwap<Version<R>>,
    assets: Arc<Assets>,
}

impl<R> SiteHandle<R> {
    /// `unrendered`: what the first version starts with, nothing rendered within the limits the
    /// serving layer set; later versions take over what their predecessor kept.
    pub fn new(mut site: Site, assets: Arc<Assets>, unrendered: impl FnOnce() -> R) -> SiteHandle<R> {
        site.assets = assets.clone();
        let current = ArcSwap::from_pointee(Version { site, rendered: unrendered() });
        SiteHandle { current, assets }
    }

    pub fn current(&self) -> Arc<Version<R>> {
        self.current.load_full()
    }

    /// The current version for a moment (no await while holding it): cheaper than `current`.
    pub fn peek(&self) -> arc_swap::Guard<Arc<Version<R>>> {
        self.current.load()
    }
}

impl<R: Rendered> SiteHandle<R> {
    /// Readers that already hold the old version finish with it; new requests see the new one,
    /// which keeps what the old one rendered of the pages that show the same in both.
    pub fn replace(&self, mut site: Site) -> Carried {
        let old = self.current.load_full();
        site.replaced_built = Some(old.built);
        site.assets = self.assets.clone();
        let (rendered, carried) = old.rendered.keeping(&site.shows_same_as(&old.site));
        self.current.store(Arc::new(Version { site, rendered }));
        carried
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use time::OffsetDateTime;

    use super::{CategoryPage, ProfileIndex, Site, case_blind_order};
    use crate::content::{self, LoadCache};
    use crate::domain::{Lang, SiteContent};

    /// What visitors can tell of a site, but its profiles: everything but when it was built and
    /// what it rendered.
    fn seen(site: &Site) -> String {
        let mut known: Vec<&String> = site.known_paths.iter().collect();
        known.sort();
        let mut categories: Vec<(Lang, &str, &str)> = (site.category_pages.iter())
            .flat_map(|(lang, pages)| pages.iter().map(|page| (*lang, page.name.as_str(), page.slug.as_str())))
            .collect();
        categories.sort();
        let facets: Vec<_> =
            Lang::ALL.map(|lang| (site.category_names(lang).to_vec(), site.skills(lang).to_vec())).into();
        format!("{known:?}\n{categories:?}\n{facets:?}\n{:?}", site.next_publication)
    }

    fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("folder");
        for entry in std::fs::read_dir(from).expect("readable").flatten() {
            if entry.file_type().expect("type").is_dir() {
                copy_tree(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copied");
            }
        }
    }

    fn edit(path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(path).expect("readable");
        assert!(text.contains(from), "{} has no {from:?}", path.display());
        // A new file renamed over the old one, as editors save: the parsed-file cache sees a change.
        let saving = path.with_extension("saving");
        std::fs::write(&saving, text.replacen(from, to, 1)).expect("written");
        std::fs::rename(&saving, path).expect("renamed");
    }

    #[test]
    fn a_site_made_from_the_last_one_equals_one_made_afresh_after_every_edit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), root);
        let (en, de) = (root.join("profiles/en"), root.join("profiles/de"));
        let start = OffsetDateTime::now_utc();
        let tomorrow = (start + Duration::from_secs(86_400)).format(&time::format_description::well_known::Rfc3339);
        let tomorrow = tomorrow.expect("formatted");
        let qa = std::fs::read_to_string(en.join("qa-engineer.md")).expect("readable");
        type Step<'a> = (&'a str, Box<dyn Fn() + 'a>, OffsetDateTime);
        let steps: Vec<Step<'_>> = vec![
            ("unchanged", Box::new(|| {}), start),
            ("a new title", Box::new(|| edit(&en.join("data-engineer.md"), "title = \"", "title = \"Senior ")), start),
            (
                "a new category and skill",
                Box::new(|| {
                    edit(&en.join("data-scientist.md"), "category = \"", "category = \"Research and ");
                    edit(&en.join("data-scientist.md"), "hard_skills = [", "hard_skills = [\"Bayesian statistics\", ");
                }),
                start,
            ),
            (
                "a profile added",
                Box::new(|| {
                    let text = qa.replace("slug = \"qa-engineer\"", "slug = \"test-lead\"");
                    let text = text.replace("translation_key = \"qa-engineer\"", "translation_key = \"test-lead\"");
                    let text = text.replace("\"/jobs/qa-engineer\"", "\"/jobs/lead-tester\"");
                    std::fs::write(en.join("test-lead.md"), text).expect("written");
                }),
                start,
            ),
            (
                "a profile removed",
                Box::new(|| std::fs::remove_file(de.join("app-entwickler.md")).expect("removed")),
                start,
            ),
            (
                "an alias renamed",
                Box::new(|| edit(&en.join("test-lead.md"), "/jobs/lead-tester", "/jobs/test-lead")),
                start,
            ),
            ("a draft", Box::new(|| edit(&en.join("cloud-architect.md"), "draft = false", "draft = true")), start),
            (
                "scheduled for tomorrow",
                Box::new(|| edit(&en.join("devops-engineer.md"), "draft = false", &format!("publish_at = {tomorrow}"))),
                start,
            ),
            ("the day after, unchanged", Box::new(|| {}), start + Duration::from_secs(2 * 86_400)),
            (
                "the category goes again",
                Box::new(|| edit(&en.join("data-scientist.md"), "Research and ", "")),
                start + Duration::from_secs(2 * 86_400),
            ),
        ];
        let mut cache = LoadCache::default();
        let mut load = || -> SiteContent {
            let checked = content::load_with(root, &mut cache).expect("valid content");
            cache.apply(checked.cache_update);
            checked.content
        };
        let mut last = Site::new(&ProfileIndex::default(), load(), Vec::new(), None, 10, start);
        for (step, change, now) in steps {
            change();
            let content = load();
            let afresh = Site::new(&ProfileIndex::default(), content.clone(), Vec::new(), None, 10, now);
            let next = Site::new(last.index(), content, Vec::new(), None, 10, now);
            assert!(next.index == afresh.index, "after \"{step}\":\n{:#?}\n{:#?}", next.index, afresh.index);
            assert_eq!(seen(&next), seen(&afresh), "after \"{step}\"");
            last = next;
        }
        assert!(last.profile(Lang::En, &"devops-engineer".parse().expect("slug")).is_some(), "published when due");
        assert!(last.unpublished(Lang::En, &"cloud-architect".parse().expect("slug")).is_some());
    }

    #[test]
    fn categories_whose_names_make_the_same_slug_are_told_apart_by_a_number() {
        let names = ["Data & AI", "Data, AI", "&", "Ops"].map(str::to_owned);
        let slugs: Vec<String> = CategoryPage::of_sorted(&names).iter().map(|c| c.slug.as_str().to_owned()).collect();
        assert_eq!(slugs, ["data-ai", "data-ai-2", "category", "ops"]);
    }

    #[test]
    fn skills_are_sorted_without_regard_to_case_and_each_named_once() {
        let names = ["Go", "go", "Python", "GO", "kotlin", "go", "Go"];
        let many = names.iter().cycle().take(names.len() * 20).map(|n| (*n).to_owned());
        assert_eq!(case_blind_order(many), ["GO", "Go", "go", "kotlin", "Python"]);
    }
}
