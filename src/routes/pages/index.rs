//! The profiles index of each language: every published profile from A to Z, cut into pages
//! (`?page=2`), filtered by category at an address of its own, with a jump list of first
//! letters. Each page is rendered once per content version, under its canonical address only.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::views::ProfileCard;
use crate::domain::paging::{PageNumber, Pages};
use crate::domain::paths::{self, Localized};
use crate::domain::{Lang, Profile, Slug};
use crate::error::AppError;
use crate::read_model::{CategoryPage, Site};
use crate::routes::layout::{Layout, Link};
use crate::routes::{REDIRECT_CACHE_CONTROL, cache, html_of};
use crate::state::AppState;

/// Pages linked on either side of the current one; the first and the last are always linked.
const PAGE_LINKS_AROUND: usize = 2;

pub async fn all(req: HttpRequest, state: web::Data<AppState>, lang: Lang) -> Result<HttpResponse, AppError> {
    serve(&req, &state, lang, None)
}

pub async fn category(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let slug = Slug::parse(&path).map_err(|_| AppError::NotFound)?;
    serve(&req, &state, lang, Some(&slug))
}

#[derive(serde::Deserialize)]
struct IndexQuery {
    page: Option<String>,
}

/// The page asked for: `None` when the query names none. Junk is 404, never a page of its own.
fn requested_page(query: &str) -> Result<Option<PageNumber>, AppError> {
    let query = web::Query::<IndexQuery>::from_query(query).map_err(|_| AppError::NotFound)?;
    query.into_inner().page.map(|page| PageNumber::parse(&page).map_err(|_| AppError::NotFound)).transpose()
}

/// The address of a page of a list whose first page is at `base`.
fn page_path(base: &str, page: PageNumber) -> String {
    if page.is_first() { base.to_owned() } else { format!("{base}?page={}", page.get()) }
}

fn serve(req: &HttpRequest, state: &AppState, lang: Lang, category: Option<&Slug>) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let category = category.map(|slug| site.category_page(lang, slug).ok_or(AppError::NotFound)).transpose()?;
    let base = category.map_or_else(|| Localized::Profiles.path(lang).to_owned(), |c| paths::category(lang, &c.slug));
    let page = match requested_page(req.query_string())? {
        Some(page) if page.is_first() => {
            return Ok(HttpResponse::MovedPermanently()
                .insert_header((header::LOCATION, base))
                .insert_header((header::CACHE_CONTROL, REDIRECT_CACHE_CONTROL))
                .finish());
        }
        page => page.unwrap_or(PageNumber::FIRST),
    };
    let key = page_path(&base, page);
    if let Some(response) = cache::cached(req, &site, &key) {
        return Ok(response);
    }
    let listing = listing(&site, lang, category);
    let pages = Pages::new(listing.len(), state.listing.index_page_size);
    if pages.entries(page).is_none() {
        return Err(AppError::NotFound);
    }
    let latest = || listing.iter().map(|p| p.updated).max();
    let index = Index { site: &site, lang, category, base: &base, listing: &listing, pages, page };
    cache::serve(req, &site, &key, latest, || html_of(&index.render_page(state)))
}

/// A language's published profiles (of one category) in the order of the jump list: by first
/// letter, then by title.
fn listing<'a>(site: &'a Site, lang: Lang, category: Option<&CategoryPage>) -> Vec<&'a Profile> {
    let mut profiles: Vec<&Profile> =
        site.profiles(lang).into_iter().filter(|p| category.is_none_or(|c| c.name == p.category)).collect();
    profiles.sort_by(|a, b| (initial(&a.title), &a.title).cmp(&(initial(&b.title), &b.title)));
    profiles
}

/// The letter a title is listed under: A to Z, umlauts with their vowel, `#` for the rest.
fn initial(title: &str) -> char {
    match title.chars().next().and_then(|c| c.to_uppercase().next()) {
        Some('Ä') => 'A',
        Some('Ö') => 'O',
        Some('Ü') => 'U',
        Some(c) if c.is_ascii_uppercase() => c,
        _ => '#',
    }
}

fn letter_id(letter: char) -> String {
    if letter == '#' { "letter-other".to_owned() } else { format!("letter-{}", letter.to_ascii_lowercase()) }
}

struct Filter {
    label: String,
    href: String,
    current: bool,
}

/// A letter of the jump list: a link to where its profiles start, or none when it has none.
struct JumpLink {
    letter: char,
    href: Option<String>,
}

struct LetterGroup {
    letter: char,
    id: String,
    profiles: Vec<ProfileCard>,
}

struct PageLink {
    number: usize,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "profiles_index.html")]
struct IndexPage<'a> {
    layout: Layout<'a>,
    intro: String,
    filters: Vec<Filter>,
    letters: Vec<JumpLink>,
    groups: Vec<LetterGroup>,
    previous: Option<String>,
    next: Option<String>,
    /// Absolute, for the head's `rel=prev` and `rel=next`.
    previous_url: Option<String>,
    next_url: Option<String>,
    /// The pages linked in the navigation, `None` where numbers are left out; empty when
    /// everything fits on one page.
    page_links: Vec<Option<PageLink>>,
}

/// One page of the index, with what it was cut from.
struct Index<'a> {
    site: &'a Site,
    lang: Lang,
    category: Option<&'a CategoryPage>,
    base: &'a str,
    listing: &'a [&'a Profile],
    pages: Pages,
    page: PageNumber,
}

impl Index<'_> {
    fn render_page(&self, state: &AppState) -> IndexPage<'_> {
        let (site, lang) = (self.site, self.lang);
        let t = crate::i18n::strings(lang);
        let index_path = Localized::Profiles.path(lang);
        let (heading, intro) = match self.category {
            Some(category) => (category.name.clone(), t.index_category_intro(&category.name)),
            None => (t.index_title.clone(), t.index_intro.clone()),
        };
        let key = page_path(self.base, self.page);
        let mut layout = Layout::new(site, lang, self.base, &heading, &intro);
        layout = match self.category {
            Some(_) => layout
                .switching_to(site, Localized::Profiles.path(lang.other()))
                .below(vec![Link { label: t.index_title.clone(), href: index_path.to_owned() }]),
            None => {
                // The other language's page of the same number, when its index is as long.
                let other = Localized::Profiles.path(lang.other());
                let other_pages = Pages::new(site.profiles(lang.other()).len(), state.listing.index_page_size);
                match other_pages.page(self.page.get()) {
                    Some(page) => layout.translated_at(site, Some(page_path(other, page))),
                    None => layout.switching_to(site, other),
                }
                .below(Vec::new())
            }
        };
        if !self.page.is_first() {
            let count = u32::try_from(self.pages.count()).unwrap_or(u32::MAX);
            let number = u32::try_from(self.page.get()).unwrap_or(u32::MAX);
            layout = layout.canonical_at(site, &key).head_title(&format!("{heading} – {}", t.page_of(number, count)));
        }
        let neighbour = |number: usize| self.pages.page(number).map(|page| page_path(self.base, page));
        let previous = neighbour(self.page.get() - 1);
        let next = neighbour(self.page.get() + 1);
        IndexPage {
            layout,
            intro,
            filters: self.filters(),
            letters: self.letters(),
            groups: self.groups(),
            previous_url: previous.as_deref().map(|path| site.absolute_url(path)),
            next_url: next.as_deref().map(|path| site.absolute_url(path)),
            previous,
            next,
            page_links: self.page_links(),
        }
    }

    fn filters(&self) -> Vec<Filter> {
        let all = Filter {
            label: crate::i18n::strings(self.lang).index_filter_all.clone(),
            href: Localized::Profiles.path(self.lang).to_owned(),
            current: self.category.is_none(),
        };
        let categories = self.site.category_pages(self.lang).iter().map(|category| Filter {
            label: category.name.clone(),
            href: paths::category(self.lang, &category.slug),
            current: self.category.is_some_and(|current| current.slug == category.slug),
        });
        std::iter::once(all).chain(categories).collect()
    }

    fn letters(&self) -> Vec<JumpLink> {
        let mut starts = HashMap::new();
        for (at, profile) in self.listing.iter().enumerate() {
            starts.entry(initial(&profile.title)).or_insert(at);
        }
        ('A'..='Z')
            .map(|letter| {
                let href = starts.get(&letter).map(|&at| {
                    let page = self.pages.page_of(at);
                    let path = if page == self.page { String::new() } else { page_path(self.base, page) };
                    format!("{path}#{}", letter_id(letter))
                });
                JumpLink { letter, href }
            })
            .collect()
    }

    fn groups(&self) -> Vec<LetterGroup> {
        let shown = self.pages.entries(self.page).and_then(|range| self.listing.get(range)).unwrap_or_default();
        let mut groups: Vec<LetterGroup> = Vec::new();
        for profile in shown {
            let letter = initial(&profile.title);
            match groups.last_mut() {
                Some(group) if group.letter == letter => group.profiles.push(ProfileCard::new(profile)),
                _ => groups.push(LetterGroup {
                    letter,
                    id: letter_id(letter),
                    profiles: vec![ProfileCard::new(profile)],
                }),
            }
        }
        groups
    }

    fn page_links(&self) -> Vec<Option<PageLink>> {
        let (count, current) = (self.pages.count(), self.page.get());
        if count == 1 {
            return Vec::new();
        }
        let shown = |number: usize| number == 1 || number == count || number.abs_diff(current) <= PAGE_LINKS_AROUND;
        let mut links = Vec::new();
        for number in (1..=count).filter(|&n| shown(n)) {
            if links.last().and_then(Option::as_ref).is_some_and(|last: &PageLink| last.number + 1 < number) {
                links.push(None);
            }
            let href = self.pages.page(number).map_or_else(String::new, |page| page_path(self.base, page));
            links.push(Some(PageLink { number, href, current: number == current }));
        }
        links
    }
}
