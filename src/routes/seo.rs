//! What search engines and feed readers fetch: the sitemap (an index of one or more parts per
//! language, each entry with its language alternates), robots.txt, and an Atom feed per language
//! of recently updated profiles; each rendered once per content version and answered from the
//! page cache.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use time::Date;

use super::cache;
use super::methods::{GET, resource};
use crate::domain::paging::{PageNumber, Pages};
use crate::domain::paths::{self, Fixed, Localized, below};
use crate::domain::{Lang, Page, Profile};
use crate::error::AppError;
use crate::i18n::strings;
use crate::read_model::Site;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource(SITEMAP_PATH, GET).route(web::get().to(sitemap_index)))
        .service(resource(ROBOTS_PATH, GET).route(web::get().to(robots)));
    for lang in Lang::ALL {
        cfg.service(
            resource(&paths::sitemap_part(lang, "{number}"), GET)
                .route(web::get().to(move |req, state, number| sitemap_part(req, state, number, lang))),
        );
        cfg.service(
            resource(Localized::Feed.path(lang), GET).route(web::get().to(move |req, state| feed(req, state, lang))),
        );
    }
}

const SITEMAP_PATH: &str = Fixed::Sitemap.path();
const ROBOTS_PATH: &str = Fixed::Robots.path();
const SITEMAP_TYPE: &str = "application/xml; charset=utf-8";
const FEED_TYPE: &str = "application/atom+xml; charset=utf-8";
const ROBOTS_TYPE: &str = "text/plain; charset=utf-8";

fn xml(template: &impl Template) -> Result<String, AppError> {
    template.render().map_err(|e| AppError::Internal(anyhow::Error::new(e).context("rendering XML")))
}

struct Entry {
    lang: Lang,
    loc: String,
    lastmod: Option<Date>,
    alternates: Vec<(&'static str, String)>,
}

/// One entry per language version; every version lists all versions (and `x-default`, the
/// English one), so the alternates are reciprocal.
fn versions(site: &Site, paths: &[(Lang, String)], lastmod: impl Fn(Lang) -> Option<Date>) -> Vec<Entry> {
    let alternates: Vec<(&'static str, String)> = paths
        .iter()
        .map(|(lang, path)| (lang.code(), site.absolute_url(path)))
        .chain(paths.iter().find(|(lang, _)| *lang == Lang::En).map(|(_, path)| ("x-default", site.absolute_url(path))))
        .collect();
    paths
        .iter()
        .map(|(lang, path)| Entry {
            lang: *lang,
            loc: site.absolute_url(path),
            lastmod: lastmod(*lang),
            alternates: if paths.len() > 1 { alternates.clone() } else { Vec::new() },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
struct Sitemap<'a> {
    entries: &'a [Entry],
}

struct PartView {
    loc: String,
    lastmod: Option<Date>,
}

#[derive(Template)]
#[template(path = "sitemap_index.xml")]
struct SitemapIndex {
    parts: Vec<PartView>,
}

/// A language's entries cut into parts of at most `--sitemap-max-urls`.
fn parts_of(entries: &[Entry], state: &AppState) -> Pages {
    Pages::new(entries.len(), state.listing.sitemap_max_urls)
}

fn entries_in(site: &Site, lang: Lang) -> Vec<Entry> {
    sitemap_entries(site).into_iter().filter(|entry| entry.lang == lang).collect()
}

fn newest(entries: &[Entry]) -> Option<Date> {
    entries.iter().filter_map(|entry| entry.lastmod).max()
}

async fn sitemap_index(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    if let Some(response) = cache::cached(&req, &site, SITEMAP_PATH) {
        return Ok(response);
    }
    let mut by_lang: HashMap<Lang, Vec<Entry>> = HashMap::new();
    for entry in sitemap_entries(&site) {
        by_lang.entry(entry.lang).or_default().push(entry);
    }
    let mut parts = Vec::new();
    for lang in Lang::ALL {
        let entries = by_lang.remove(&lang).unwrap_or_default();
        let pages = parts_of(&entries, &state);
        for number in 1..=pages.count() {
            let shown = pages.page(number).and_then(|part| pages.entries(part)).and_then(|range| entries.get(range));
            parts.push(PartView {
                loc: site.absolute_url(&paths::sitemap_part(lang, number)),
                lastmod: shown.and_then(newest),
            });
        }
    }
    let newest_part = parts.iter().filter_map(|part| part.lastmod).max();
    cache::serve_as(&req, &site, SITEMAP_PATH, SITEMAP_TYPE, || newest_part, || xml(&SitemapIndex { parts }))
}

async fn sitemap_part(
    req: HttpRequest,
    state: web::Data<AppState>,
    number: web::Path<String>,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let number = PageNumber::parse(&number).map_err(|_| AppError::NotFound)?;
    let key = paths::sitemap_part(lang, number.get());
    if let Some(response) = cache::cached(&req, &site, &key) {
        return Ok(response);
    }
    let entries = entries_in(&site, lang);
    let part =
        parts_of(&entries, &state).entries(number).and_then(|range| entries.get(range)).ok_or(AppError::NotFound)?;
    cache::serve_as(&req, &site, &key, SITEMAP_TYPE, || newest(part), || xml(&Sitemap { entries: part }))
}

fn sitemap_entries(site: &Site) -> Vec<Entry> {
    let latest = |lang: Lang| {
        site.profiles(lang).iter().map(|p| p.updated).chain(site.pages(lang).iter().map(|p| p.updated)).max()
    };
    let latest_profile = |lang: Lang| site.profiles(lang).iter().map(|p| p.updated).max();
    let both = |page: Localized| Lang::ALL.map(|lang| (lang, page.path(lang).to_owned())).to_vec();
    let mut entries = versions(site, &both(Localized::Home), latest);
    entries.extend(versions(site, &both(Localized::Profiles), latest_profile));
    entries.extend(versions(site, &both(Localized::Salaries), latest_profile));
    for lang in Lang::ALL {
        let mut newest_in: HashMap<&str, Date> = HashMap::new();
        for profile in site.profiles(lang) {
            let newest = newest_in.entry(&profile.category).or_insert(profile.updated);
            *newest = profile.updated.max(*newest);
        }
        for category in site.category_pages(lang) {
            let newest = newest_in.get(category.name.as_str()).copied();
            entries.extend(versions(site, &[(lang, paths::category(lang, &category.slug))], |_| newest));
        }
    }
    for profile in site
        .profiles(Lang::En)
        .into_iter()
        .chain(site.profiles(Lang::De).into_iter().filter(|p| site.profile_translation(p).is_none()))
    {
        let mut paths = vec![(profile.lang, profile.path())];
        paths.extend(site.profile_translation(profile).map(|t| (t.lang, t.path())));
        let updated = |lang: Lang| paths_updated(profile, site.profile_translation(profile), lang);
        entries.extend(versions(site, &paths, updated));
    }
    for page in site
        .pages(Lang::En)
        .into_iter()
        .chain(site.pages(Lang::De).into_iter().filter(|p| site.page_translation(p).is_none()))
    {
        let translation = site.page_translation(page);
        let mut paths = vec![(page.lang, page.path())];
        paths.extend(translation.map(|t| (t.lang, t.path())));
        entries.extend(versions(site, &paths, |lang| page_updated(page, translation, lang)));
    }
    entries.extend(versions(site, &both(Localized::Contact), |_| None));
    entries
}

fn paths_updated(profile: &Profile, translation: Option<&Profile>, lang: Lang) -> Option<Date> {
    std::iter::once(profile).chain(translation).find(|p| p.lang == lang).map(|p| p.updated)
}

fn page_updated(page: &Page, translation: Option<&Page>, lang: Lang) -> Option<Date> {
    std::iter::once(page).chain(translation).find(|p| p.lang == lang).map(|p| p.updated)
}

#[derive(Template)]
#[template(path = "robots.txt")]
struct Robots {
    /// The staff area, and thank-you pages (their addresses carry submission ids).
    disallowed: Vec<String>,
    sitemap: String,
}

async fn robots(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let render = || {
        let thanks = Lang::ALL.map(|lang| below(Localized::Thanks.path(lang), ""));
        let disallowed = std::iter::once(Fixed::Admin.path().to_owned()).chain(thanks).collect();
        Robots { disallowed, sitemap: site.absolute_url(SITEMAP_PATH) }
            .render()
            .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("rendering robots.txt")))
    };
    cache::serve_as(&req, &site, ROBOTS_PATH, ROBOTS_TYPE, || None, render)
}

struct FeedEntry {
    title: String,
    url: String,
    updated: String,
    summary: String,
    category: String,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct Feed {
    lang: Lang,
    title: String,
    site_name: String,
    self_url: String,
    home_url: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

const FEED_LENGTH: usize = 20;

fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

async fn feed(req: HttpRequest, state: web::Data<AppState>, lang: Lang) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let newest = || site.profiles(lang).iter().map(|p| p.updated).max();
    cache::serve_as(&req, &site, Localized::Feed.path(lang), FEED_TYPE, newest, || xml(&feed_of(&site, lang)))
}

fn feed_of(site: &Site, lang: Lang) -> Feed {
    let mut profiles = site.profiles(lang);
    profiles.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.title.cmp(&b.title)));
    profiles.truncate(FEED_LENGTH);
    Feed {
        lang,
        title: format!("{} – {}", site.settings.name, strings(lang).feed_title),
        site_name: site.settings.name.clone(),
        self_url: site.absolute_url(Localized::Feed.path(lang)),
        home_url: site.absolute_url(Localized::Home.path(lang)),
        updated: profiles
            .first()
            .map_or_else(|| timestamp(time::OffsetDateTime::now_utc().date()), |p| timestamp(p.updated)),
        entries: profiles
            .iter()
            .map(|p| FeedEntry {
                title: p.title.clone(),
                url: site.absolute_url(&p.path()),
                updated: timestamp(p.updated),
                summary: p.summary.clone(),
                category: p.category.clone(),
            })
            .collect(),
    }
}
