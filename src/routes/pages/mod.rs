//! Published content: home, the profiles index, profile pages and plain pages.

mod home;
mod plain;
mod profiles;
pub(super) mod views;

use actix_web::web;

use crate::domain::Lang;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(|state| home::show(state, Lang::En)))
        .route("/de", web::get().to(|state| home::show(state, Lang::De)))
        .route("/profiles", web::get().to(|state| profiles::index(state, Lang::En)))
        .route("/de/profile", web::get().to(|state| profiles::index(state, Lang::De)))
        .route("/profiles/{slug}", web::get().to(|req, state, path| profiles::show(req, state, path, Lang::En)))
        .route("/de/profile/{slug}", web::get().to(|req, state, path| profiles::show(req, state, path, Lang::De)))
        .route("/preview/{token}", web::get().to(profiles::preview))
        .route("/de/{slug}", web::get().to(|state, path| plain::show(state, path, Lang::De)))
        .route("/{slug}", web::get().to(|state, path| plain::show(state, path, Lang::En)));
}
