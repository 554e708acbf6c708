//! Every public path of the site: the pages it answers in both languages with their German
//! twins, the addresses that have one path for all, the segments content may therefore not
//! take, and the one `normalize` by which aliases and requests are compared. In `domain` so
//! that profiles and pages know their own URLs and content checks, the read model, the routes
//! and the mails all ask here without a circle.

use std::fmt;

use super::paging::PageNumber;
use super::{Lang, Slug};

/// An enum with `ALL` of its variants written by the compiler, so a new address cannot be left
/// out of the reserved segments derived from them.
macro_rules! with_all {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$variant_meta:meta])* $variant:ident ),+ $(,)? }
    ) => {
        $(#[$meta])*
        pub enum $name { $( $(#[$variant_meta])* $variant ),+ }

        impl $name {
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];
        }
    };
}

with_all! {
    /// A page the site answers of its own in each language, at a path of its own per language.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Localized {
        Home,
        Profiles,
        Contact,
        /// Where a visitor lands after sending the form; followed by the submission id.
        Thanks,
        Search,
        Feed,
        Salaries,
    }
}

impl Localized {
    /// Matching on both means a page cannot have an English path without a German one.
    pub const fn path(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Localized::Home, Lang::En) => "/",
            (Localized::Home, Lang::De) => "/de",
            (Localized::Profiles, Lang::En) => "/profiles",
            (Localized::Profiles, Lang::De) => "/de/profile",
            (Localized::Contact, Lang::En) => "/contact",
            (Localized::Contact, Lang::De) => "/de/kontakt",
            (Localized::Thanks, Lang::En) => "/contact/thanks",
            (Localized::Thanks, Lang::De) => "/de/kontakt/danke",
            (Localized::Search, Lang::En) => "/search",
            (Localized::Search, Lang::De) => "/de/suche",
            (Localized::Feed, Lang::En) => "/feed.xml",
            (Localized::Feed, Lang::De) => "/de/feed.xml",
            (Localized::Salaries, Lang::En) => "/salaries",
            (Localized::Salaries, Lang::De) => "/de/gehaelter",
        }
    }
}

/// The staff area's root, spelled once for `Fixed::Admin` and the constants below it.
macro_rules! admin_root {
    () => {
        "/admin"
    };
}

with_all! {
    /// An address with one path in every language: files, machine-read documents, the staff area.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Fixed {
        Sitemap,
        Robots,
        /// Followed by a signed token.
        Preview,
        /// Followed by a file name.
        Static,
        /// Followed by a path inside the media folder.
        Media,
        Healthz,
        Readyz,
        Metrics,
        /// Server-sent events for pages under `serve --dev`.
        LiveReload,
        Admin,
    }
}

impl Fixed {
    pub const fn path(self) -> &'static str {
        match self {
            Fixed::Sitemap => "/sitemap.xml",
            Fixed::Robots => "/robots.txt",
            Fixed::Preview => "/preview",
            Fixed::Static => "/static",
            Fixed::Media => "/media",
            Fixed::Healthz => "/healthz",
            Fixed::Readyz => "/readyz",
            Fixed::Metrics => "/metrics",
            Fixed::LiveReload => "/live-reload",
            Fixed::Admin => admin_root!(),
        }
    }
}

/// The staff area's pages and actions, below `Fixed::Admin`.
pub mod admin {
    use std::fmt;

    pub const LOGIN: &str = concat!(admin_root!(), "/login");
    pub const LOGOUT: &str = concat!(admin_root!(), "/logout");
    pub const LEADS: &str = concat!(admin_root!(), "/leads");
    pub const EXPORT: &str = concat!(admin_root!(), "/leads/export.csv");
    pub const CONTENT: &str = concat!(admin_root!(), "/content");
    pub const DRAFTS: &str = concat!(admin_root!(), "/drafts");
    pub const PREVIEW_LINK: &str = concat!(admin_root!(), "/drafts/preview");
    pub const ERASE: &str = concat!(admin_root!(), "/erase");
    pub const STATS: &str = concat!(admin_root!(), "/stats");
    pub const STATS_CSV: &str = concat!(admin_root!(), "/stats.csv");

    /// A lead's page, e.g. for the notification mail; its actions are below it.
    pub fn lead(id: impl fmt::Display) -> String {
        format!("{LEADS}/{id}")
    }

    /// What staff do to a lead, each a form posted below the lead's page.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum LeadAction {
        Status,
        Notes,
        Retry,
        /// Posts the lead to one of its webhooks again.
        RetryWebhook,
        Delete,
    }

    impl LeadAction {
        pub const fn segment(self) -> &'static str {
            match self {
                LeadAction::Status => "status",
                LeadAction::Notes => "notes",
                LeadAction::Retry => "retry",
                LeadAction::RetryWebhook => "webhook-retry",
                LeadAction::Delete => "delete",
            }
        }
    }

    /// Where a lead's action form posts to; `id` may be a route pattern such as `{id}`.
    pub fn lead_action(id: impl fmt::Display, action: LeadAction) -> String {
        format!("{}/{}", lead(id), action.segment())
    }

    /// A path as the staff area's scope registers it: `/leads` for `/admin/leads`.
    pub fn in_scope(path: &str) -> &str {
        path.strip_prefix(admin_root!()).unwrap_or(path)
    }
}

/// Not routes, but a page there would mislead: browsers ask for `/favicon.ico` by themselves,
/// and `/en` reads as the English site.
const ALSO_RESERVED: [&str; 2] = ["en", "favicon.ico"];

/// `rest` below `parent`: a slug, a token, or a route pattern such as `{slug}`.
pub fn below(parent: &str, rest: impl fmt::Display) -> String {
    format!("{}/{rest}", parent.trim_end_matches('/'))
}

pub fn profile(lang: Lang, slug: &Slug) -> String {
    below(Localized::Profiles.path(lang), slug)
}

/// A profile's share image, below the profile's address and named by the fingerprint of what it
/// shows; `fingerprint` may be a route pattern such as `{fingerprint}`.
pub fn share_image(profile_path: &str, fingerprint: impl fmt::Display) -> String {
    below(profile_path, format!("share-{fingerprint}.png"))
}

/// The file name of a profile's job-description template, below the profile's path.
pub const fn job_description_file(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "job-description.txt",
        Lang::De => "stellenbeschreibung.txt",
    }
}

/// A profile's job-description template as plain text; `slug` may be a route pattern such as `{slug}`.
pub fn job_description(lang: Lang, slug: impl fmt::Display) -> String {
    below(&below(Localized::Profiles.path(lang), slug), job_description_file(lang))
}

/// The segment below the index that category pages sit under.
const fn category_segment(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "category",
        Lang::De => "kategorie",
    }
}

/// The index filtered to one category; `slug` may be a route pattern such as `{slug}`. One
/// segment deeper than profiles, so no profile's slug can take it.
pub fn category(lang: Lang, slug: impl fmt::Display) -> String {
    below(&below(Localized::Profiles.path(lang), category_segment(lang)), slug)
}

/// What the sitemap index's parts are called, before the language and number.
const SITEMAP_PART_PREFIX: &str = "sitemap-";

/// One part of a language's sitemap, listed in the sitemap index (`Fixed::Sitemap`); `number`
/// may be a route pattern such as `{number}`.
pub fn sitemap_part(lang: Lang, number: impl fmt::Display) -> String {
    format!("/{SITEMAP_PART_PREFIX}{}-{number}.xml", lang.code())
}

/// Whether `path` is, letter for letter, the address of some part of some language's sitemap.
pub fn is_sitemap_part(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/').and_then(|rest| rest.strip_prefix(SITEMAP_PART_PREFIX)) else {
        return false;
    };
    Lang::ALL.iter().any(|lang| {
        rest.strip_prefix(lang.code())
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|rest| rest.strip_suffix(".xml"))
            .is_some_and(|number| PageNumber::parse(number).is_ok())
    })
}

/// Plain pages sit directly below the language's home.
pub fn page(lang: Lang, slug: &Slug) -> String {
    below(Localized::Home.path(lang), slug)
}

/// A file of the content's media folder, given by its path in the content folder
/// (`media/team/ada.jpg`), as served.
pub fn media_file(rel_path: &str) -> String {
    below(Fixed::Media.path(), rel_path.strip_prefix("media/").unwrap_or(rel_path))
}

/// A file in the static folder under the name given, fingerprinted or not.
pub fn static_file(name: &str) -> String {
    below(Fixed::Static.path(), name)
}

/// The language a path belongs to, judged by its prefix.
pub fn lang_of(path: &str) -> Lang {
    let german = Localized::Home.path(Lang::De);
    match path.strip_prefix(german) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => Lang::De,
        _ => Lang::En,
    }
}

/// Every path above, in both languages.
fn all_paths() -> impl Iterator<Item = &'static str> {
    let localized = Localized::ALL.into_iter().flat_map(|page| Lang::ALL.map(|lang| page.path(lang)));
    localized.chain(Fixed::ALL.map(Fixed::path))
}

fn first_segment(path: &str) -> Option<&str> {
    path.trim_start_matches('/').split('/').next().filter(|segment| !segment.is_empty())
}

/// The first segment of a path after its language prefix, if it has one.
fn own_segment(path: &str) -> Option<&str> {
    match lang_of(path) {
        Lang::De => first_segment(path.strip_prefix(Localized::Home.path(Lang::De)).unwrap_or(path)),
        Lang::En => first_segment(path),
    }
}

/// Whether `segment` is a first path segment the site itself answers (after `/de/` too), so a
/// page's slug or an alias may not take it.
pub fn is_reserved(segment: &str) -> bool {
    ALSO_RESERVED.contains(&segment)
        || (segment.starts_with(SITEMAP_PART_PREFIX) && segment.ends_with(".xml"))
        || all_paths().any(|path| first_segment(path) == Some(segment) || own_segment(path) == Some(segment))
}

/// Whether a path lies where the site itself answers: below a reserved segment, or a
/// language's home.
pub fn is_reserved_path(path: &str) -> bool {
    let path = &normalize(path);
    let mut segments = path.trim_start_matches('/').split('/');
    let first = segments.next().unwrap_or_default();
    let german = Localized::Home.path(Lang::De);
    // German paths live under /de/: what follows it is the site's own as much as a first segment.
    let owned = if german.trim_start_matches('/') == first { segments.next().unwrap_or_default() } else { first };
    is_reserved(owned) || path == german
}

/// Paths compare without capitals and without a trailing slash: requests are matched that way,
/// so two aliases or pages that differ only in those would take each other's visitors.
pub fn normalize(path: &str) -> String {
    let trimmed = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    trimmed.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_a_german_twin_under_de_and_an_english_one_outside_it() {
        for page in Localized::ALL {
            let (english, german) = (page.path(Lang::En), page.path(Lang::De));
            assert_ne!(english, german, "{page:?}");
            assert_eq!(lang_of(english), Lang::En, "{page:?}");
            assert_eq!(lang_of(german), Lang::De, "{page:?}");
        }
    }

    #[test]
    fn every_path_below_a_languages_home_is_reserved_in_both_languages() {
        for path in all_paths() {
            if let Some(first) = first_segment(path) {
                assert!(is_reserved(first), "{path}");
            }
            if let Some(own) = own_segment(path) {
                assert!(is_reserved(own), "{path}");
                assert!(is_reserved_path(path) && is_reserved_path(&below(path, "x")), "{path}");
                for lang in Lang::ALL {
                    assert!(is_reserved_path(&below(Localized::Home.path(lang), own)), "{own} in {lang}");
                }
            }
        }
    }

    #[test]
    fn the_sites_own_segments_are_reserved_and_deeper_ones_are_not() {
        let reserved = [
            "profiles",
            "profile",
            "contact",
            "kontakt",
            "de",
            "en",
            "static",
            "media",
            "admin",
            "healthz",
            "readyz",
            "metrics",
            "search",
            "suche",
            "feed.xml",
            "preview",
            "sitemap.xml",
            "robots.txt",
            "favicon.ico",
            "sitemap-en-1.xml",
            "sitemap-de-12.xml",
        ];
        for segment in reserved {
            assert!(is_reserved(segment), "{segment}");
        }
        for free in ["about", "thanks", "danke", "Profiles", "", "de/profile"] {
            assert!(!is_reserved(free), "{free}");
        }
    }

    #[test]
    fn reserved_paths_are_judged_after_the_language_prefix() {
        assert!(is_reserved_path("/de"));
        assert!(is_reserved_path("/de/suche"));
        assert!(is_reserved_path("/de/profiles/x"));
        assert!(is_reserved_path("/admin/leads"));
        assert!(!is_reserved_path("/de/jobs"));
        assert!(!is_reserved_path("/jobs/backend-developer"));
        assert!(!is_reserved_path("/design"));
        assert!(!is_reserved_path("/"));
    }

    #[test]
    fn german_paths_are_recognised_by_prefix_only() {
        assert_eq!(lang_of("/de"), Lang::De);
        assert_eq!(lang_of("/de/profile/x"), Lang::De);
        assert_eq!(lang_of("/design"), Lang::En);
        assert_eq!(lang_of("/profiles/x"), Lang::En);
    }

    #[test]
    fn profiles_and_pages_sit_below_their_languages_paths() {
        let slug = Slug::parse("backend-developer").expect("a valid slug");
        assert_eq!(profile(Lang::En, &slug), "/profiles/backend-developer");
        assert_eq!(profile(Lang::De, &slug), "/de/profile/backend-developer");
        assert_eq!(page(Lang::En, &slug), "/backend-developer");
        assert_eq!(page(Lang::De, &slug), "/de/backend-developer");
        assert_eq!(job_description(Lang::En, &slug), "/profiles/backend-developer/job-description.txt");
        assert_eq!(job_description(Lang::De, "{slug}"), "/de/profile/{slug}/stellenbeschreibung.txt");
        assert_eq!(category(Lang::En, "data-ai"), "/profiles/category/data-ai");
        assert_eq!(category(Lang::De, "daten-ki"), "/de/profile/kategorie/daten-ki");
        assert_eq!(sitemap_part(Lang::De, 2), "/sitemap-de-2.xml");
        assert!(is_sitemap_part(&sitemap_part(Lang::De, 12)));
        for not_a_part in
            ["/sitemap.xml", "/sitemap-en-0.xml", "/sitemap-en-01.xml", "/sitemap-fr-1.xml", "/Sitemap-en-1.xml"]
        {
            assert!(!is_sitemap_part(not_a_part), "{not_a_part}");
        }
        assert!(is_reserved_path(&sitemap_part(Lang::En, 1)));
        assert_eq!(admin::lead(7), "/admin/leads/7");
        assert_eq!(admin::in_scope(admin::LEADS), "/leads");
        assert_eq!(below(Localized::Home.path(Lang::En), "{slug}"), "/{slug}");
    }

    #[test]
    fn paths_compare_without_capitals_or_a_trailing_slash() {
        assert_eq!(normalize("/Profiles/X/"), "/profiles/x");
        assert_eq!(normalize("/"), "/");
        assert_eq!(normalize("//"), "");
    }
}
