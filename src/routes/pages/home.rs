//! The home page of each language.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::views::ProfileCard;
use crate::domain::Lang;
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
    cache::serve(&req, &site, lang.home_path(), latest, || home_page(&site, lang))
}

fn home_page(site: &Site, lang: Lang) -> Result<String, AppError> {
    let settings = &site.settings;
    let title = format!("{} – {}", settings.name, settings.tagline(lang));
    let page = HomePage {
        layout: Layout::new(site, lang, lang.home_path(), &title, settings.intro(lang))
            .translated_at(site, Some(lang.other().home_path().to_owned()))
            .with_structured_data(&structured_data::organization(settings, &site.absolute_url("/static/favicon.svg")))
            .with_structured_data(&structured_data::website(
                settings,
                &site.absolute_url(lang.home_path()),
                lang.code(),
            )),
        tagline: settings.tagline(lang),
        intro: settings.intro(lang),
        featured: site.featured(lang).into_iter().map(ProfileCard::new).collect(),
        profiles_path: lang.profiles_path(),
        contact_path: lang.contact_path(),
    };
    html_of(&page)
}
