//! The staff page that shows the last content load and every problem found in it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::inbox::received;
use super::{AdminFrame, page};
use crate::auth::StaffSession;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/content.html")]
struct ContentPage {
    frame: AdminFrame,
    loaded_at: String,
    summary: String,
    errors: Option<String>,
    failed_at: Option<String>,
}

/// What the site serves now, and what is wrong with the content folder if its last load failed.
pub async fn show(state: web::Data<AppState>, session: web::ReqData<StaffSession>) -> Result<HttpResponse, AppError> {
    let status = state.content_status();
    let view = ContentPage {
        frame: AdminFrame::new(&state, &session, "Content"),
        loaded_at: received(status.loaded_at),
        summary: status.summary,
        errors: status.errors,
        failed_at: status.failed_at.map(received),
    };
    page(StatusCode::OK, &view)
}
