//! Profile pages: published, draft for staff, and preview links.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use askama::Template;

use super::views::{ContactCard, ProfileCard, SalaryGroup, SalarySource, first_salary};
use crate::content::markdown::{self, Nesting};
use crate::db;
use crate::domain::job_description::{self, Placeholder};
use crate::domain::paths::{self, Localized};
use crate::domain::{Lang, Profile, Slug, TocEntry};
use crate::error::AppError;
use crate::i18n::format_date;
use crate::read_model::Site;
use crate::routes::admin::staff_session;
use crate::routes::layout::{Layout, Link};
use crate::routes::{REDIRECT_CACHE_CONTROL, cache, html_of, render_private, with_db};
use crate::share_image::{CardText, ShareCard, ShareImages};
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
    salaries: Vec<SalaryGroup>,
    salary_sources: Vec<SalarySource>,
    related: Vec<ProfileCard>,
    contact: Option<ContactCard>,
    /// The request form's full address, written out on paper where the button cannot be pressed.
    request_url: String,
    cta_heading: String,
    cta_button: String,
    cta_href: String,
    job_description: Option<JobDescriptionBox>,
}

/// The job-description template as the profile page shows it, with what its placeholders mean.
struct JobDescriptionBox {
    html: String,
    placeholders: Vec<Placeholder>,
    download_href: String,
}

impl JobDescriptionBox {
    fn new(profile: &Profile, markdown: &str) -> JobDescriptionBox {
        JobDescriptionBox {
            html: markdown::render_nested(markdown, Nesting::JOB_DESCRIPTION).markdown.html,
            placeholders: job_description::used_in(profile.lang, markdown),
            download_href: paths::job_description(profile.lang, &profile.slug),
        }
    }
}

/// A job-description template as a text file to download.
#[derive(Template)]
#[template(path = "job_description.txt")]
struct JobDescriptionText {
    heading: String,
    underline: String,
    text: String,
}

const TEXT: &str = "text/plain; charset=utf-8";

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
        let texts = texts(&state, profile).await?;
        let updated = || Some(profile.updated);
        let views = state.page_views.counter(lang, &slug);
        let render = || html_of(&profile_page(&site, &state.share_images, profile, &texts, None));
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
    let texts = texts(&state, profile).await?;
    render_private(StatusCode::OK, &profile_page(&site, &state.share_images, profile, &texts, Some(banner)))
}

/// A published profile's share image, drawn on its first request in a content version. An
/// address with another fingerprint is one the profile had before: it leads to today's.
pub async fn share_image(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let (slug, fingerprint) = path.into_inner();
    let site = state.site.current();
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let profile = site.profile(lang, &slug).ok_or(AppError::NotFound)?;
    let (card, _) = share_card(&state.share_images, &site, profile);
    let key = paths::share_image(&profile.path(), &card.fingerprint);
    if card.fingerprint != fingerprint {
        return Ok(HttpResponse::Found()
            .insert_header((header::LOCATION, key))
            .insert_header((header::CACHE_CONTROL, REDIRECT_CACHE_CONTROL))
            .finish());
    }
    if let Some(response) = cache::cached(&req, &site, &key) {
        return Ok(response);
    }
    let png = state.share_images.clone().draw(card).await.map_err(anyhow::Error::from)?;
    Ok(cache::serve_fingerprinted_image(&req, &site, &key, "image/png", Some(profile.updated), png.into()))
}

/// A profile's share image, laid out, and what it shows in words for its `alt`.
fn share_card(images: &ShareImages, site: &Site, profile: &Profile) -> (ShareCard, String) {
    let salary = first_salary(profile);
    let text = CardText {
        site_name: &site.settings.name,
        category: &profile.category,
        title: &profile.title,
        salary: salary.as_deref(),
    };
    let alt = crate::i18n::strings(profile.lang).share_image_alt(&profile.title, &profile.category, salary.as_deref());
    (images.card(&text), alt)
}

/// A published profile's job-description template as plain text, to download and fill in.
pub async fn job_description_text(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let slug = Slug::parse(&path).map_err(|_| AppError::NotFound)?;
    let profile = site.profile(lang, &slug).ok_or(AppError::NotFound)?;
    let key = paths::job_description(lang, &slug);
    if let Some(response) = cache::cached(&req, &site, &key) {
        return Ok(response);
    }
    let (lang, slug) = (profile.lang, profile.slug.clone());
    let markdown = with_db(&state, move |conn| Ok(db::job_description(conn, lang, &slug)?))
        .await?
        .flatten()
        .ok_or(AppError::NotFound)?;
    let render = || {
        let heading = format!("{} {}", crate::i18n::strings(lang).profile_job_file_title, profile.title);
        let underline = "=".repeat(heading.chars().count());
        JobDescriptionText { heading, underline, text: markdown::plain_text(&markdown) }
            .render()
            .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("rendering a job description")))
    };
    let file_name = format!("{}-{}", profile.slug, paths::job_description_file(lang));
    cache::serve_download(&req, &site, &key, (TEXT, file_name), || Some(profile.updated), render)
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
    let texts = texts(&state, profile).await?;
    render_private(StatusCode::OK, &profile_page(&site, &state.share_images, profile, &texts, Some(banner)))
}

/// A profile's body and job-description template are kept in the store, not in memory: read
/// once per page and content version.
async fn texts(state: &AppState, profile: &Profile) -> Result<(String, Option<String>), AppError> {
    let (lang, slug) = (profile.lang, profile.slug.clone());
    // Gone from the store: the site that lists it is being replaced by one that does not.
    with_db(state, move |conn| Ok(db::profile_texts(conn, lang, &slug)?)).await?.ok_or(AppError::NotFound)
}

fn profile_page<'a>(
    site: &'a Site,
    share_images: &ShareImages,
    profile: &'a Profile,
    (body_html, job_description): &'a (String, Option<String>),
    banner: Option<String>,
) -> ProfilePage<'a> {
    let lang = profile.lang;
    let t = crate::i18n::strings(lang);
    let (share, share_alt) = share_card(share_images, site, profile);
    let layout = Layout::new(site, lang, &profile.path(), &profile.title, &profile.summary)
        .share_image(site.absolute_url(&paths::share_image(&profile.path(), &share.fingerprint)), share_alt)
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
        salaries: SalaryGroup::all(&profile.salaries, lang),
        salary_sources: SalarySource::all(&profile.salaries, lang),
        related: site.related(profile).into_iter().map(ProfileCard::new).collect(),
        contact: site.contact_for(Some(profile)).map(|person| ContactCard::new(person, lang)),
        request_url: site.absolute_url(&request_path(profile)),
        cta_heading: t.profile_cta_heading(&profile.title),
        cta_button: t.profile_cta_button(&profile.title),
        cta_href: request_path(profile),
        job_description: job_description.as_deref().map(|markdown| JobDescriptionBox::new(profile, markdown)),
    }
}

/// The hiring form with this profile chosen.
fn request_path(profile: &Profile) -> String {
    format!("{}?profile={}", Localized::Contact.path(profile.lang), profile.slug)
}
