//! Published content: home, the profiles index, profile pages and plain pages.

mod home;
mod index;
mod plain;
mod profiles;
mod salaries;
pub(super) mod views;

use actix_web::{HttpResponse, web};

use crate::domain::paths::{self, Fixed, Localized, below};
use crate::domain::{Lang, Slug};
use crate::error::AppError;
use crate::read_model::Site;
use crate::routes::methods::{GET, resource};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    for lang in Lang::ALL {
        cfg.service(
            resource(Localized::Home.path(lang), GET)
                .route(web::get().to(move |req, state| home::show(req, state, lang))),
        )
        .service(
            resource(Localized::Profiles.path(lang), GET)
                .route(web::get().to(move |req, state| index::all(req, state, lang))),
        )
        .service(
            web::resource(paths::job_description(lang, "{slug}"))
                .route(web::get().to(move |req, state, path| profiles::job_description_text(req, state, path, lang)))
                .default_service(web::to(move |state, path| {
                    not_allowed(state, path, lang, |site, lang, slug| site.profile(lang, slug).is_some())
                })),
        )
        .service(
            resource(Localized::Salaries.path(lang), GET)
                .route(web::get().to(move |req, state| salaries::show(req, state, lang))),
        )
        .service(
            resource(&paths::category(lang, "{slug}"), GET)
                .route(web::get().to(move |req, state, path| index::category(req, state, path, lang))),
        )
        .service(
            resource(&paths::share_image(&below(Localized::Profiles.path(lang), "{slug}"), "{fingerprint}"), GET)
                .route(web::get().to(move |req, state, path| profiles::share_image(req, state, path, lang))),
        )
        .service(
            web::resource(below(Localized::Profiles.path(lang), "{slug}"))
                .route(web::get().to(move |req, state, path| profiles::show(req, state, path, lang)))
                .default_service(web::to(move |state, path| {
                    not_allowed(state, path, lang, |site, lang, slug| site.profile(lang, slug).is_some())
                })),
        );
    }
    cfg.service(resource(&below(Fixed::Preview.path(), "{token}"), GET).route(web::get().to(profiles::preview)));
    // Plain pages take every slug below a language's home, so every other route there comes first.
    for lang in Lang::ALL {
        cfg.service(
            web::resource(below(Localized::Home.path(lang), "{slug}"))
                .route(web::get().to(move |req, state, path| plain::show(req, state, path, lang)))
                .default_service(web::to(move |state, path| {
                    not_allowed(state, path, lang, |site, lang, slug| site.page(lang, slug).is_some())
                })),
        );
    }
}

/// Another method at a profile's or page's address: 405 where `exists` finds one, 404 elsewhere,
/// since these routes take every slug.
async fn not_allowed(
    state: web::Data<AppState>,
    path: web::Path<String>,
    lang: Lang,
    exists: fn(&Site, Lang, &Slug) -> bool,
) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    match Slug::parse(&path) {
        Ok(slug) if exists(&site, lang, &slug) => Err(AppError::MethodNotAllowed(GET)),
        _ => Err(AppError::NotFound),
    }
}
