//! Reaching a contact person. Until the hiring-request form exists, this page names the
//! person who looks after the role a visitor came from, and the rest of the team.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::layout::Layout;
use super::pages::views::ContactCard;
use super::render;
use crate::domain::{Lang, Slug};
use crate::error::AppError;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/contact", web::get().to(|state, query| show(state, query, Lang::En)))
        .route("/de/kontakt", web::get().to(|state, query| show(state, query, Lang::De)));
}

#[derive(Deserialize)]
struct ContactQuery {
    profile: Option<String>,
}

#[derive(Template)]
#[template(path = "contact.html")]
struct ContactPage<'a> {
    layout: Layout<'a>,
    for_profile: Option<String>,
    responsible: Option<ContactCard>,
    others: Vec<ContactCard>,
}

async fn show(
    state: web::Data<AppState>,
    query: web::Query<ContactQuery>,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let t = crate::i18n::strings(lang);
    let profile = query.profile.as_deref().and_then(|s| Slug::parse(s).ok()).and_then(|slug| site.profile(lang, &slug));
    let responsible = profile.and_then(|p| site.contact_for(Some(p)));
    let others = site
        .people()
        .into_iter()
        .filter(|person| responsible.is_none_or(|r| r.id != person.id))
        .map(|person| ContactCard::new(person, lang))
        .collect();
    let page = ContactPage {
        layout: Layout::new(&site, lang, lang.contact_path(), &t.contact_title, &t.contact_summary)
            .translated_at(&site, Some(lang.other().contact_path().to_owned()))
            .below(Vec::new()),
        for_profile: profile.map(|p| t.contact_for_profile(&p.title)),
        responsible: responsible.map(|person| ContactCard::new(person, lang)),
        others,
    };
    render(StatusCode::OK, &page)
}
