//! Published content: home, the profiles index, profile pages and plain pages.

mod home;
mod plain;
mod profiles;
pub(super) mod views;

use actix_web::web;

use crate::domain::Lang;
use crate::routes::methods::{GET, resource};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/", GET).route(web::get().to(|req, state| home::show(req, state, Lang::En))))
        .service(resource("/de", GET).route(web::get().to(|req, state| home::show(req, state, Lang::De))))
        .service(resource("/profiles", GET).route(web::get().to(|req, state| profiles::index(req, state, Lang::En))))
        .service(resource("/de/profile", GET).route(web::get().to(|req, state| profiles::index(req, state, Lang::De))))
        .service(
            web::resource("/profiles/{slug}")
                .route(web::get().to(|req, state, path| profiles::show(req, state, path, Lang::En)))
                .default_service(web::to(|state, path| profiles::not_allowed(state, path, Lang::En))),
        )
        .service(
            web::resource("/de/profile/{slug}")
                .route(web::get().to(|req, state, path| profiles::show(req, state, path, Lang::De)))
                .default_service(web::to(|state, path| profiles::not_allowed(state, path, Lang::De))),
        )
        .service(resource("/preview/{token}", GET).route(web::get().to(profiles::preview)))
        .service(
            web::resource("/de/{slug}")
                .route(web::get().to(|req, state, path| plain::show(req, state, path, Lang::De)))
                .default_service(web::to(|state, path| plain::not_allowed(state, path, Lang::De))),
        )
        .service(
            web::resource("/{slug}")
                .route(web::get().to(|req, state, path| plain::show(req, state, path, Lang::En)))
                .default_service(web::to(|state, path| plain::not_allowed(state, path, Lang::En))),
        );
}
