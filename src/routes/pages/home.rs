//! The home page of each language.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::views::ProfileCard;
use crate::domain::Lang;
use crate::domain::paths::{self, Localized};
use crate::error::AppError;
use crate::read_model::Site;
use crate::routes::layout::Layout;
use crate::routes::{cache, html_of};
use crate::state::AppState;
use crate::structured_data;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    layout: Layout<'a>,
    tagline: &'a str,
    intro: &'a str,
    featured: Vec<ProfileCard>,
    profiles_path: &'static str,
    contact_path: &'static str,
}

pub async fn show(req: HttpRequest, state: web::Data<AppState>, lang: Lang) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let latest = || site.profiles(lang).iter().map(|p| p.updated).max();
    cache::serve(&req, &site, Localized::Home.path(lang), latest, || home_page(&site, lang))
}

fn home_page(site: &Site, lang: Lang) -> Result<String, AppError> {
    let settings = &site.settings;
    let title = format!("{} – {}", settings.name, settings.tagline(lang));
    let page = HomePage {
        layout: Layout::new(site, lang, Localized::Home.path(lang), &title, settings.intro(lang))
            .translated_at(site, Some(Localized::Home.path(lang.other()).to_owned()))
            .with_structured_data(&structured_data::organization(
                settings,
                &site.absolute_url(&paths::static_file("favicon.svg")),
            ))
            .with_structured_data(&structured_data::website(
                settings,
                &site.absolute_url(Localized::Home.path(lang)),
                lang.code(),
            )),
        tagline: settings.tagline(lang),
        intro: settings.intro(lang),
        featured: site.featured(lang).into_iter().map(ProfileCard::new).collect(),
        profiles_path: Localized::Profiles.path(lang),
        contact_path: Localized::Contact.path(lang),
    };
    html_of(&page)
}
