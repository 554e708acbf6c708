//! The thank-you page a visitor sees once the hiring request is stored.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::leads;
use crate::domain::Lang;
use crate::domain::paths::Localized;
use crate::error::AppError;
use crate::i18n::strings;
use crate::routes::layout::Layout;
use crate::routes::pages::views::ContactCard;
use crate::routes::{render_private, with_leads};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "contact_thanks.html")]
struct ThanksPage<'a> {
    layout: Layout<'a>,
    text: String,
    contact: Option<ContactCard>,
    profiles_path: &'static str,
}

pub async fn show(state: web::Data<AppState>, path: web::Path<String>, lang: Lang) -> Result<HttpResponse, AppError> {
    let submission_id = path.into_inner();
    if !crate::hex::is_hex(&submission_id, 16) {
        return Err(AppError::NotFound);
    }
    let lead = with_leads(&state, move |conn| Ok(leads::find_by_submission(conn, &submission_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let site = state.site.current();
    let t = strings(lang);
    let person = lead.contact_person_id.as_ref().and_then(|id| site.person(id));
    let page = ThanksPage {
        layout: Layout::new(&site, lang, Localized::Contact.path(lang), &t.thanks_title, &t.thanks_summary)
            .not_indexed(),
        text: t.thanks_text(&lead.contact_person_name),
        contact: person.map(|p| ContactCard::new(p, lang)),
        profiles_path: Localized::Profiles.path(lang),
    };
    render_private(StatusCode::OK, &page)
}
