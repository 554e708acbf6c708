//! The hiring-request form: shown (`form`), sent (`submit`), answered (`thanks`).

pub(crate) mod body;
mod form;
pub(crate) mod lead_form;
mod submit;
mod thanks;

use actix_web::web;

use crate::domain::Lang;
use crate::domain::paths::{Localized, below};
use crate::routes::methods::{GET, GET_POST, resource};

pub fn configure(cfg: &mut web::ServiceConfig) {
    for lang in Lang::ALL {
        cfg.service(
            resource(Localized::Contact.path(lang), GET_POST)
                .route(web::get().to(move |req, state, query| form::show(req, state, query, lang)))
                .route(web::post().to(move |req, state, body| submit::submit(req, state, body, lang))),
        )
        .service(
            resource(&below(Localized::Thanks.path(lang), "{submission_id}"), GET)
                .route(web::get().to(move |state, path| thanks::show(state, path, lang))),
        );
    }
}
