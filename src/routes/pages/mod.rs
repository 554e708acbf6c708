//! Published content: home, the profiles index, profile pages and plain pages.

mod home;
mod plain;
mod profiles;
pub(super) mod views;

use actix_web::{HttpResponse, web};

use crate::domain::{Lang, Slug};
use crate::error::AppError;
use crate::read_model::Site;
use crate::routes::methods::{GET, resource};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/", GET).route(web::get().to(|req, state| home::show(req, state, Lang::En))))
        .service(resource("/de", GET).route(web::get().to(|req, state| home::show(req, state, Lang::De))))
        .service(resource("/profiles", GET).route(web::get().to(|req, state| profiles::index(req, state, Lang::En))))
        .service(resource("/de/profile", GET).route(web::get().to(|req, state| profiles::index(req, state, Lang::De))))
        .service(
            web::resource("/profiles/{slug}")
                .route(web::get().to(|req, state, path| profiles::show(req, state, path, Lang::En)))
                .default_service(web::to(|state, path| {
                    not_allowed(state, path, Lang::En, |site, lang, slug| site.profile(lang, slug).is_some())
                })),
        )
        .service(
            web::resource("/de/profile/{slug}")
                .route(web::get().to(|req, state, path| profiles::show(req, state, path, Lang::De)))
                .default_service(web::to(|state, path| {
                    not_allowed(state, path, Lang::De, |site, lang, slug| site.profile(lang, slug).is_some())
                })),
        )
        .service(resource("/preview/{token}", GET).route(web::get().to(profiles::preview)))
        .service(
            web::resource("/de/{slug}")
                .route(web::get().to(|req, state, path| plain::show(req, state, path, Lang::De)))
                .default_service(web::to(|state, path| {
                    not_allowed(state, path, Lang::De, |site, lang, slug| site.page(lang, slug).is_some())
                })),
        )
        .service(
            web::resource("/{slug}")
                .route(web::get().to(|req, state, path| plain::show(req, state, path, Lang::En)))
                .default_service(web::to(|state, path| {
                    not_allowed(state, path, Lang::En, |site, lang, slug| site.page(lang, slug).is_some())
                })),
        );
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
