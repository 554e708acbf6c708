//! Profile pages: published, draft for staff, and preview links.

use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use askama::Template;

use super::views::{ContactCard, ProfileCard, SalaryView};
use crate::db;
use crate::domain::paths::{self, Localized};
use crate::domain::{Lang, Profile, Slug, TocEntry};
use crate::error::AppError;
use crate::i18n::format_date;
use crate::read_model::Site;
use crate::routes::admin::staff_session;
use crate::routes::layout::{Layout, Link};
use crate::routes::{cache, html_of, render_private, with_db};
use crate::state::AppState;
use crate::structured_data;
use crate::telemetry::SecretInPath;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    layout: Layout<'a>,
    /// Shown above the page when it is not public: draft, scheduled or preview.
    banner: Option<String>,
    profile: &'a Profile,
    body_html: &'a str,
    toc: &'a [TocEntry],
    updated: String,
    updated_iso: String,
    salaries: Vec<SalaryView>,
    related: Vec<ProfileCard>,
    contact: Option<ContactCard>,
    /// The request form's full address, written out on paper where the button cannot be pressed.
    request_url: String,
    cta_heading: String,
    cta_button: String,
    cta_href: String,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let slug = Slug::parse(&path).map_err(|_| AppError::NotFound)?;
    if let Some(profile) = site.profile(lang, &slug) {
        let key = profile.path();
        if let Some(response) = cache::cached(&req, &site, &key) {
            return Ok(response);
        }
        let body = body_html(&state, profile).await?;
        let updated = || Some(profile.updated);
        let views = state.page_views.counter(lang, &slug);
        let render = || html_of(&profile_page(&site, profile, &body, None));
        return cache::serve_counted(&req, &site, &key, views, updated, render);
    }
    let profile =
        site.unpublished(lang, &slug).ok_or_else(|| AppError::missing(&site, &paths::profile(lang, &slug)))?;
    if staff_session(&state, &req).await?.is_none() {
        return Err(AppError::StaffOnly);
    }
    let t = crate::i18n::strings(lang);
    let banner = match profile.publish_at.filter(|_| !profile.draft) {
        Some(at) => t.banner_scheduled(&format_date(at.date(), lang)),
        None => t.banner_draft.clone(),
    };
    let body = body_html(&state, profile).await?;
    render_private(StatusCode::OK, &profile_page(&site, profile, &body, Some(banner)))
}

/// A profile shown through a signed preview link, published or not.
pub async fn preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    req.extensions_mut().insert(SecretInPath);
    let site = state.site.current();
    let (lang, slug) = state.forms.verify_preview(&token, time::OffsetDateTime::now_utc()).ok_or(AppError::NotFound)?;
    let (lang, slug): (Lang, Slug) =
        (lang.parse().map_err(|_| AppError::NotFound)?, Slug::parse(&slug).map_err(|_| AppError::NotFound)?);
    let profile = site.unpublished(lang, &slug).or_else(|| site.profile(lang, &slug)).ok_or(AppError::NotFound)?;
    let banner = crate::i18n::strings(lang).banner_preview.clone();
    let body = body_html(&state, profile).await?;
    render_private(StatusCode::OK, &profile_page(&site, profile, &body, Some(banner)))
}

/// A profile's body is kept in the store, not in memory: read once per page and content version.
async fn body_html(state: &AppState, profile: &Profile) -> Result<String, AppError> {
    let (lang, slug) = (profile.lang, profile.slug.clone());
    // Gone from the store: the site that lists it is being replaced by one that does not.
    with_db(state, move |conn| Ok(db::profile_html(conn, lang, &slug)?)).await?.ok_or(AppError::NotFound)
}

fn profile_page<'a>(
    site: &'a Site,
    profile: &'a Profile,
    body_html: &'a str,
    banner: Option<String>,
) -> ProfilePage<'a> {
    let lang = profile.lang;
    let t = crate::i18n::strings(lang);
    let layout = Layout::new(site, lang, &profile.path(), &profile.title, &profile.summary)
        .translated_at(site, site.profile_translation(profile).map(Profile::path))
        .below(vec![Link { label: t.index_title.clone(), href: Localized::Profiles.path(lang).to_owned() }])
        .head_title(&format!("{} – {}", profile.title, t.profile_title_suffix))
        .article()
        .with_structured_data(&structured_data::occupation(profile, &site.absolute_url(&profile.path())));
    ProfilePage {
        layout: if banner.is_some() { layout.not_indexed() } else { layout },
        banner,
        profile,
        body_html,
        toc: &profile.toc,
        updated: format_date(profile.updated, lang),
        updated_iso: profile.updated.to_string(),
        salaries: profile.salaries.iter().map(|row| SalaryView::new(row, lang)).collect(),
        related: site.related(profile).into_iter().map(ProfileCard::new).collect(),
        contact: site.contact_for(Some(profile)).map(|person| ContactCard::new(person, lang)),
        request_url: site.absolute_url(&request_path(profile)),
        cta_heading: t.profile_cta_heading(&profile.title),
        cta_button: t.profile_cta_button(&profile.title),
        cta_href: request_path(profile),
    }
}

/// The hiring form with this profile chosen.
fn request_path(profile: &Profile) -> String {
    format!("{}?profile={}", Localized::Contact.path(profile.lang), profile.slug)
}
