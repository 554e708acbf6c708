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

pub struct Site {
    pub settings: SiteSettings,
    people: HashMap<Slug, Person>,
    profiles: HashMap<(Lang, Slug), Arc<Profile>>,
    profile_by_key: HashMap<(Lang, Slug), Slug>,
    pages: HashMap<(Lang, Slug), Page>,
    page_by_key: HashMap<(Lang, Slug), Slug>,
    /// Old path → canonical path.
    aliases: HashMap<String, String>,
    /// Every path the site answers with a page of its own, for redirecting variants to it.
    known_paths: HashSet<String>,
    /// Paths of profiles and pages that were removed.
    retired_paths: HashSet<String>,
    /// Drafts and profiles whose publication time has not come: for staff and preview links.
    unpublished: HashMap<(Lang, Slug), Arc<Profile>>,
    next_publication: Option<OffsetDateTime>,
    /// When this version was built: pages are never older.
    pub built: std::time::SystemTime,
    /// When the version this one replaced was built.
    pub replaced_built: Option<std::time::SystemTime>,
    /// Search results of this version; a new version starts empty.
    pub searches: SearchCache,
    /// This version's profiles by search row id, read from the store by the first search.
    pub search_rows: OnceLock<Arc<SearchRows>>,
    /// Category names and hard skills per language, sorted, for the search filters.
    facets: HashMap<Lang, Facets>,
    /// Each language's categories with the slug of their index page, in name order.
    category_pages: HashMap<Lang, Vec<CategoryPage>>,
    /// Static files under fingerprinted names, shared by every version.
    pub assets: Arc<Assets>,
}

struct Facets {
    categories: Vec<String>,
    skills: Vec<String>,
}

impl Facets {
    fn of<'a>(profiles: impl Iterator<Item = &'a Profile> + Clone) -> Facets {
        let mut categories: Vec<String> = profiles.clone().map(|p| p.category.clone()).collect();
        categories.sort_unstable();
        categories.dedup();
        let skills = case_blind_order(profiles.flat_map(|p| p.hard_skills.iter().cloned()));
        Facets { categories, skills }
    }
}

/// Sorted as a reader expects (`kotlin` before `Python`), each name once. Names differing only
/// in case are ordered too, so that equal names end up side by side and the order is the same
/// for every content version.
fn case_blind_order(names: impl Iterator<Item = String>) -> Vec<String> {
    // Each name once before sorting, and lowered once: ten thousand profiles name few skills.
    let mut names: Vec<String> = names.collect::<HashSet<String>>().into_iter().collect();
    names.sort_by_cached_key(|name| (name.to_lowercase(), name.clone()));
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
    /// version keeps up to `search_cache_entries` pages of search results.
    pub fn new(
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
        let (published, unpublished): (Vec<Arc<Profile>>, Vec<Arc<Profile>>) =
            content.profiles.into_iter().partition(|p| p.is_public(now));
        let next_publication = unpublished.iter().filter(|p| !p.draft).filter_map(|p| p.publish_at).min();
        let aliases =
            published.iter().flat_map(|p| p.aliases.iter().map(|alias| (normalize(alias), p.path()))).collect();
        let profile_by_key = published.iter().map(|p| ((p.lang, p.translation_key.clone()), p.slug.clone())).collect();
        let page_by_key = content.pages.iter().map(|p| ((p.lang, p.translation_key.clone()), p.slug.clone())).collect();
        let mut known_paths: HashSet<String> =
            published.iter().map(|p| p.path()).chain(content.pages.iter().map(Page::path)).collect();
        let own_pages = [Localized::Home, Localized::Profiles, Localized::Contact, Localized::Search, Localized::Feed];
        for lang in Lang::ALL {
            known_paths.extend(own_pages.map(|page| page.path(lang).to_owned()));
        }
        known_paths.extend([Fixed::Sitemap, Fixed::Robots].map(|fixed| fixed.path().to_owned()));
        let facets: HashMap<Lang, Facets> = Lang::ALL
            .into_iter()
            .map(|lang| (lang, Facets::of(published.iter().map(Arc::as_ref).filter(move |p| p.lang == lang))))
            .collect();
        let category_pages: HashMap<Lang, Vec<CategoryPage>> =
            facets.iter().map(|(lang, facets)| (*lang, CategoryPage::of_sorted(&facets.categories))).collect();
        known_paths.extend(
            category_pages.iter().flat_map(|(lang, categories)| {
                categories.iter().map(|category| paths::category(*lang, &category.slug))
            }),
        );
        Site {
            settings,
            people: content.people.into_iter().map(|p| (p.id.clone(), p)).collect(),
            profiles: published.into_iter().map(|p| ((p.lang, p.slug.clone()), p)).collect(),
            profile_by_key,
            pages: content.pages.into_iter().map(|p| ((p.lang, p.slug.clone()), p)).collect(),
            page_by_key,
            aliases,
            known_paths,
            retired_paths: retired_paths.into_iter().collect(),
            unpublished: unpublished.into_iter().map(|p| ((p.lang, p.slug.clone()), p)).collect(),
            next_publication,
            built: now.into(),
            replaced_built: None,
            searches: SearchCache::new(search_cache_entries),
            search_rows: OnceLock::new(),
            facets,
            category_pages,
            assets: Arc::default(),
        }
    }

    pub fn profile(&self, lang: Lang, slug: &Slug) -> Option<&Profile> {
        self.profiles.get(&(lang, slug.clone())).map(Arc::as_ref)
    }

    /// A published profile, shared rather than borrowed: for indexes that outlive the borrow.
    pub fn shared_profile(&self, lang: Lang, slug: &Slug) -> Option<Arc<Profile>> {
        self.profiles.get(&(lang, slug.clone())).cloned()
    }

    pub fn page(&self, lang: Lang, slug: &Slug) -> Option<&Page> {
        self.pages.get(&(lang, slug.clone()))
    }

    /// The same profile in the other language, if it exists.
    pub fn profile_translation(&self, profile: &Profile) -> Option<&Profile> {
        let other = profile.lang.other();
        let slug = self.profile_by_key.get(&(other, profile.translation_key.clone()))?;
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
        self.profile(lang, self.profile_by_key.get(&(lang, key.clone()))?)
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
        if let Some(target) = self.aliases.get(&normalized) {
            return Some(Cow::Borrowed(target));
        }
        if normalized == path || normalized.is_empty() {
            return None;
        }
        if paths::is_sitemap_part(&normalized) {
            return Some(Cow::Owned(normalized));
        }
        self.known_paths.get(&normalized).map(|known| Cow::Borrowed(known.as_str()))
    }

    /// Every hard skill named in a language's published profiles, sorted.
    pub fn skills(&self, lang: Lang) -> &[String] {
        self.facets.get(&lang).map_or(&[], |f| f.skills.as_slice())
    }

    /// The categories of a language's published profiles, sorted.
    pub fn category_names(&self, lang: Lang) -> &[String] {
        self.facets.get(&lang).map_or(&[], |f| f.categories.as_slice())
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
        let mut profiles: Vec<&Profile> = self.profiles.values().map(Arc::as_ref).filter(|p| p.lang == lang).collect();
        profiles.sort_by(|a, b| a.title.cmp(&b.title));
        profiles
    }

    /// A profile that exists but is not public (yet).
    pub fn unpublished(&self, lang: Lang, slug: &Slug) -> Option<&Profile> {
        self.unpublished.get(&(lang, slug.clone())).map(Arc::as_ref)
    }

    /// Drafts and scheduled profiles, by language and title.
    pub fn unpublished_profiles(&self) -> Vec<&Profile> {
        let mut profiles: Vec<&Profile> = self.unpublished.values().map(Arc::as_ref).collect();
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

    /// Paths of the pages that show here exactly what they showed in `old`: profile pages whose
    /// profile, related profiles and translation are unchanged, and plain pages. None when
    /// something every page shows (settings, people, plain pages, categories) changed. Lists,
    /// the home page, feeds and sitemaps are never among them: they show every profile.
    pub fn pages_unchanged_since(&self, old: &Site) -> HashSet<String> {
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
        if !shown_everywhere_same {
            return HashSet::new();
        }
        // The fingerprint covers a profile's values and body, and is the same whether the
        // profile came from its file or from the store.
        let same = |lang: Lang, slug: &Slug| {
            let key = (lang, slug.clone());
            match (self.profiles.get(&key), old.profiles.get(&key)) {
                (Some(now), Some(before)) => now.source_hash == before.source_hash,
                (None, None) => true,
                _ => false,
            }
        };
        let translation =
            |site: &Site, p: &Profile| site.profile_by_key.get(&(p.lang.other(), p.translation_key.clone())).cloned();
        let profiles = self.profiles.values().filter(|p| {
            let twin = translation(self, p);
            same(p.lang, &p.slug)
                && p.related.iter().all(|related| same(p.lang, related))
                && twin == translation(old, p)
                && twin.is_none_or(|twin| same(p.lang.other(), &twin))
        });
        profiles.map(|p| p.path()).chain(self.pages.values().map(Page::path)).collect()
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
        let unchanged = site.pages_unchanged_since(&old.site);
        let (rendered, carried) = old.rendered.keeping(&|path| unchanged.contains(path));
        self.current.store(Arc::new(Version { site, rendered }));
        carried
    }
}

#[cfg(test)]
mod tests {
    use super::{CategoryPage, case_blind_order};

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
