//! Erasing a person's data on request: the staff form and what it deletes.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::csrf::CsrfChecked;
use super::wording::counted;
use super::{AdminFrame, erased_page, page};
use crate::auth::StaffSession;
use crate::db::leads;
use crate::domain::lead::EmailAddress;
use crate::error::AppError;
use crate::routes::with_leads;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/erase.html")]
struct ErasePage {
    frame: AdminFrame,
    error: Option<&'static str>,
    email: String,
}

pub async fn show(state: web::Data<AppState>, session: web::ReqData<StaffSession>) -> Result<HttpResponse, AppError> {
    page(
        StatusCode::OK,
        &ErasePage {
            frame: AdminFrame::new(&state, &session, "Erase a person's data"),
            error: None,
            email: String::new(),
        },
    )
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    email: String,
}

/// Erases every lead sent with one e-mail address: a data-protection request.
pub async fn submit(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    CsrfChecked(form): CsrfChecked<EraseForm>,
) -> Result<HttpResponse, AppError> {
    let Ok(email) = EmailAddress::parse(&form.email) else {
        let view = ErasePage {
            frame: AdminFrame::new(&state, &session, "Erase a person's data"),
            error: Some("Enter the e-mail address whose leads should be erased."),
            email: form.email.clone(),
        };
        return page(StatusCode::UNPROCESSABLE_ENTITY, &view);
    };
    let address = email.as_ref().to_owned();
    let erased = with_leads(&state, move |conn| Ok(leads::erase_email(conn, &address)?)).await?;
    tracing::info!(
        user_id = session.user_id.get(),
        leads = erased.leads,
        rows = erased.rows(),
        "leads of an e-mail address erased"
    );
    erased_page(
        &state,
        &session,
        format!("{} of {} erased", counted(erased.leads, "lead", "leads"), email.as_ref()),
        erased,
    )
}
