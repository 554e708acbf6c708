use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::views::{ContactCard, ProfileCard, SalaryView};
use crate::domain::{Lang, Profile, Slug, TocEntry};
use crate::error::AppError;
use crate::i18n::format_date;
use crate::routes::layout::{Layout, Link};
use crate::routes::render;
use crate::startup::AppState;
use crate::structured_data;

struct CategoryView {
    name: String,
    id: String,
    profiles: Vec<ProfileCard>,
}

#[derive(Template)]
#[template(path = "profiles_index.html")]
struct IndexPage<'a> {
    layout: Layout<'a>,
    categories: Vec<CategoryView>,
}

pub async fn index(state: web::Data<AppState>, lang: Lang) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let t = crate::i18n::strings(lang);
    let categories = site
        .categories(lang)
        .into_iter()
        .enumerate()
        .map(|(i, category)| CategoryView {
            name: category.name.to_owned(),
            id: format!("category-{}", i + 1),
            profiles: category.profiles.into_iter().map(ProfileCard::new).collect(),
        })
        .collect();
    let page = IndexPage {
        layout: Layout::new(&site, lang, lang.profiles_path(), &t.index_title, &t.index_intro)
            .translated_at(&site, Some(lang.other().profiles_path().to_owned()))
            .below(Vec::new()),
        categories,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    layout: Layout<'a>,
    profile: &'a Profile,
    toc: &'a [TocEntry],
    updated: String,
    updated_iso: String,
    salaries: Vec<SalaryView>,
    related: Vec<ProfileCard>,
    contact: Option<ContactCard>,
    cta_heading: String,
    cta_button: String,
    cta_href: String,
}

pub async fn show(state: web::Data<AppState>, path: web::Path<String>, lang: Lang) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let slug = Slug::parse(&path).map_err(|_| AppError::NotFound)?;
    let profile = site.profile(lang, &slug).ok_or_else(|| AppError::missing(&site, &lang.profile_path(&slug)))?;
    let t = crate::i18n::strings(lang);
    let page = ProfilePage {
        layout: Layout::new(&site, lang, &profile.path(), &profile.title, &profile.summary)
            .translated_at(&site, site.profile_translation(profile).map(Profile::path))
            .below(vec![Link { label: t.index_title.clone(), href: lang.profiles_path().to_owned() }])
            .head_title(&format!("{} – {}", profile.title, t.profile_title_suffix))
            .article()
            .with_structured_data(&structured_data::occupation(profile, &site.absolute_url(&profile.path()))),
        profile,
        toc: &profile.body.toc,
        updated: format_date(profile.updated, lang),
        updated_iso: profile.updated.to_string(),
        salaries: profile.salaries.iter().map(|row| SalaryView::new(row, lang)).collect(),
        related: site.related(profile).into_iter().map(ProfileCard::new).collect(),
        contact: site.contact_for(Some(profile)).map(|person| ContactCard::new(person, lang)),
        cta_heading: t.profile_cta_heading(&profile.title),
        cta_button: t.profile_cta_button(&profile.title),
        cta_href: format!("{}?profile={}", lang.contact_path(), profile.slug),
    };
    render(StatusCode::OK, &page)
}
