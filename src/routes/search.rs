//! The search page: a GET form, so it works without JavaScript and results can be linked.
//! A search costs a query once per content version; a client may search only so often, and
//! only a few searches hold a database connection at once, so the hiring form always gets one.

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::client::client_key;
use super::layout::Layout;
use super::methods::{GET, resource};
use super::{render, render_private, with_db};
use crate::db::search::{self, SearchFilter, SearchHit};
use crate::domain::Lang;
use crate::domain::paths::Localized;
use crate::error::AppError;
use crate::i18n::strings;
use crate::read_model::Site;
use crate::search_cache::{SearchKey, SearchResults};
use crate::search_rows::SearchRows;
use crate::search_words::{Fragment, SearchWords, any_hit};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    for lang in Lang::ALL {
        cfg.service(
            resource(Localized::Search.path(lang), GET).route(web::get().to(move |req, state| show(req, state, lang))),
        );
    }
}

const PER_PAGE: i64 = 10;

/// Results change only with the content: shared caches may keep them as long as pages.
const SEARCH_CACHE_CONTROL: &str = "public, max-age=60";

#[derive(Debug, Default)]
pub struct SearchQuery {
    q: String,
    category: String,
    skill: String,
    page: String,
}

pub struct HitView {
    pub title: String,
    pub href: String,
    pub category: String,
    /// The summary with the searched words marked.
    pub summary: Vec<Fragment>,
    /// The skills, shown when the search names one of them.
    pub skills: Option<Vec<Fragment>>,
}

pub struct OptionView {
    pub value: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    layout: Layout<'a>,
    query: String,
    action: &'static str,
    categories: Vec<OptionView>,
    skills: Vec<OptionView>,
    summary: String,
    hits: Vec<HitView>,
    page_info: Option<String>,
    previous: Option<String>,
    next: Option<String>,
}

fn options<'a>(values: impl Iterator<Item = &'a str>, selected: &str) -> Vec<OptionView> {
    values.map(|v| OptionView { value: v.to_owned(), selected: v == selected }).collect()
}

fn hit_view(words: &SearchWords, hit: &SearchHit) -> HitView {
    let profile = &hit.profile;
    let skills =
        words.mark(&profile.hard_skills.iter().chain(&profile.soft_skills).cloned().collect::<Vec<_>>().join(", "));
    HitView {
        title: profile.title.clone(),
        href: profile.path(),
        category: profile.category.clone(),
        summary: words.mark(&profile.summary),
        skills: any_hit(&skills).then_some(skills),
    }
}

/// Reads the query string leniently: a repeated parameter counts once, unknown ones are ignored.
fn parse_query(req: &HttpRequest) -> SearchQuery {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let first = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
    SearchQuery { q: first("q"), category: first("category"), skill: first("skill"), page: first("page") }
}

/// Why a search was not run: the client searched too often, or too many searches are running.
enum Refusal {
    RateLimited(Duration),
    Busy,
}

async fn show(req: HttpRequest, state: web::Data<AppState>, lang: Lang) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let t = strings(lang);
    let query = parse_query(&req);
    let categories = site.category_names(lang);
    let skills = site.skills(lang);
    // Filters only take values the page offers; anything else is ignored.
    let filter = SearchFilter {
        category: categories.iter().find(|c| **c == query.category).cloned(),
        skill: skills.iter().find(|s| **s == query.skill).cloned(),
    };
    let page = query.page.trim().parse::<u32>().unwrap_or(1).clamp(1, 1_000);
    let words = SearchWords::parse(&query.q);
    let none = || Arc::new(SearchResults { hits: Vec::new(), total: 0 });
    let (results, refusal) = match &words {
        None => (none(), None),
        Some(words) => match find(&req, &state, &site, lang, words.fts_query(), filter, page).await? {
            Ok(found) => (found, None),
            Err(refusal) => (none(), Some(refusal)),
        },
    };
    let total = results.total;
    let pages = u32::try_from((total + PER_PAGE - 1) / PER_PAGE).unwrap_or(u32::MAX).max(1);
    let link = |page: u32| {
        let pairs = [("q", query.q.as_str()), ("category", query.category.as_str()), ("skill", query.skill.as_str())];
        let mut pairs: Vec<(&str, String)> =
            pairs.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k, v.to_owned())).collect();
        pairs.push(("page", page.to_string()));
        format!("{}?{}", Localized::Search.path(lang), serde_urlencoded::to_string(pairs).unwrap_or_default())
    };
    let view = SearchPage {
        layout: Layout::new(&site, lang, Localized::Search.path(lang), &t.search_title, &t.search_prompt)
            .translated_at(&site, Some(Localized::Search.path(lang.other()).to_owned()))
            .below(Vec::new())
            .not_indexed(),
        query: query.q.chars().take(500).collect(),
        action: Localized::Search.path(lang),
        categories: options(categories.iter().map(String::as_str), &query.category),
        skills: options(skills.iter().map(String::as_str), &query.skill),
        summary: match &refusal {
            Some(Refusal::RateLimited(_)) => t.search_rate_limited.clone(),
            Some(Refusal::Busy) => t.search_busy.clone(),
            None if words.is_none() => t.search_prompt.clone(),
            None if total == 0 => t.search_none.clone(),
            None => t.search_results(total),
        },
        hits: words
            .as_ref()
            .map_or_else(Vec::new, |words| results.hits.iter().map(|hit| hit_view(words, hit)).collect()),
        page_info: (pages > 1).then(|| t.page_of(page, pages)),
        previous: (page > 1 && words.is_some() && refusal.is_none()).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
    };
    let (status, retry_after) = match refusal {
        None => {
            let mut response = render(StatusCode::OK, &view)?;
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(SEARCH_CACHE_CONTROL));
            return Ok(response);
        }
        Some(Refusal::RateLimited(wait)) => (StatusCode::TOO_MANY_REQUESTS, wait.as_secs() + 1),
        Some(Refusal::Busy) => (StatusCode::SERVICE_UNAVAILABLE, BUSY_RETRY_AFTER_SECS),
    };
    let mut response = render_private(status, &view)?;
    response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(retry_after));
    Ok(response)
}

/// A search refused for want of a permit asks to come back after this long: searches take
/// milliseconds, so a second later one is most likely free.
const BUSY_RETRY_AFTER_SECS: u64 = 1;

/// The results of one page of a search: from this content version's cache, or from the
/// database when the client is within its rate limit and a search permit comes free in time.
#[tracing::instrument(name = "search", skip_all, fields(%lang, page = page))]
async fn find(
    req: &HttpRequest,
    state: &AppState,
    site: &Site,
    lang: Lang,
    fts: String,
    filter: SearchFilter,
    page: u32,
) -> Result<Result<Arc<SearchResults>, Refusal>, AppError> {
    // Counted before the cache: answers from it cost no query, but a flood of them is still a flood.
    if let Err(limited) = state.search_limiter.check(client_key(req, state)) {
        state.metrics.search("rate_limited");
        return Ok(Err(Refusal::RateLimited(limited.retry_after)));
    }
    // FTS5 folds case: `Kubernetes` and `kubernetes` are one search.
    let key = SearchKey {
        lang,
        query: fts.to_lowercase(),
        category: filter.category.clone(),
        skill: filter.skill.clone(),
        page,
    };
    if let Some(results) = site.searches.get(&key) {
        state.metrics.search("cached");
        return Ok(Ok(results));
    }
    let Ok(Ok(_permit)) = tokio::time::timeout(state.search_wait, state.search_permits.acquire()).await else {
        state.metrics.search("busy");
        return Ok(Err(Refusal::Busy));
    };
    // Another request may have run the same search while this one waited.
    if let Some(results) = site.searches.get(&key) {
        state.metrics.search("cached");
        return Ok(Ok(results));
    }
    let rows = search_rows(state, site).await?;
    let offset = i64::from(page - 1) * PER_PAGE;
    let (hits, total) =
        with_db(state, move |conn| Ok(search::search(conn, lang, &fts, &rows, &filter, offset, PER_PAGE)?)).await?;
    state.metrics.search("queried");
    Ok(Ok(site.searches.insert(key, SearchResults { hits, total })))
}

/// Which profile each search row is, read from the store by the first search of a version.
async fn search_rows(state: &AppState, site: &Site) -> Result<Arc<SearchRows>, AppError> {
    if let Some(rows) = site.search_rows.get() {
        return Ok(rows.clone());
    }
    let stored = with_db(state, |conn| Ok(search::indexed_profiles(conn)?)).await?;
    Ok(site.search_rows.get_or_init(|| Arc::new(SearchRows::new(site, stored))).clone())
}
