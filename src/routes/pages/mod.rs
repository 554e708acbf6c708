//! Published content: home, the profiles index, profile pages and plain pages.

mod home;
mod plain;
mod profiles;
pub(super) mod views;

use actix_web::web;

use crate::domain::Lang;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(|req, state| home::show(req, state, Lang::En)))
        .route("/de", web::get().to(|req, state| home::show(req, state, Lang::De)))
        .route("/profiles", web::get().to(|req, state| profiles::index(req, state, Lang::En)))
        .route("/de/profile", web::get().to(|req, state| profiles::index(req, state, Lang::De)))
        .route("/profiles/{slug}", web::get().to(|req, state, path| profiles::show(req, state, path, Lang::En)))
        .route("/de/profile/{slug}", web::get().to(|req, state, path| profiles::show(req, state, path, Lang::De)))
        .route("/preview/{token}", web::get().to(profiles::preview))
        .route("/de/{slug}", web::get().to(|req, state, path| plain::show(req, state, path, Lang::De)))
        .route("/{slug}", web::get().to(|req, state, path| plain::show(req, state, path, Lang::En)));
}
