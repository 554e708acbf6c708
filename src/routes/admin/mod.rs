//! The staff area: login, the lead inbox, a lead's page with its workflow, export and erasure.
//! Everything below `/admin` except the login page sits behind `guard::require_staff`.

mod content;
mod drafts;
mod erase;
mod guard;
mod inbox;
mod lead;
mod login;

pub use guard::staff_session;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::auth::StaffSession;
use crate::db::leads::Erased;
use crate::error::AppError;
use crate::routes::render_private;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/login", web::get().to(login::show)).route("/admin/login", web::post().to(login::submit)).service(
        web::scope("/admin")
            .wrap(from_fn(guard::require_staff))
            .route("", web::get().to(to_inbox))
            .route("/", web::get().to(to_inbox))
            .route("/logout", web::post().to(login::logout))
            .route("/leads", web::get().to(inbox::list))
            .route("/leads/export.csv", web::get().to(inbox::export))
            .route("/leads/{id}", web::get().to(lead::show))
            .route("/leads/{id}/status", web::post().to(lead::change_status))
            .route("/leads/{id}/notes", web::post().to(lead::add_note))
            .route("/leads/{id}/retry", web::post().to(lead::retry))
            .route("/leads/{id}/delete", web::post().to(lead::delete))
            .route("/content", web::get().to(content::show))
            .route("/drafts", web::get().to(drafts::list))
            .route("/drafts/preview", web::post().to(drafts::create_preview))
            .route("/erase", web::get().to(erase::show))
            .route("/erase", web::post().to(erase::submit))
            .default_service(web::to(|| async { Err::<HttpResponse, AppError>(AppError::NotFound) })),
    );
}

async fn to_inbox() -> HttpResponse {
    see_other("/admin/leads")
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

/// Admin pages show personal data and carry CSRF tokens: never cached.
fn page(status: StatusCode, template: &impl Template) -> Result<HttpResponse, AppError> {
    render_private(status, template)
}

/// What every admin page's frame needs.
pub struct AdminFrame {
    pub title: String,
    pub user: Option<String>,
    pub csrf: String,
}

impl AdminFrame {
    fn new(state: &AppState, session: &StaffSession, title: impl Into<String>) -> AdminFrame {
        AdminFrame {
            title: title.into(),
            user: Some(session.email.clone()),
            csrf: state.forms.session_token(&session.session_id),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/message.html")]
struct MessagePage {
    frame: AdminFrame,
    heading: String,
    text: String,
    back: String,
}

/// The body of admin POSTs that carry nothing but the session's CSRF token.
#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

#[derive(Template)]
#[template(path = "admin/erased.html")]
struct ErasedPage {
    frame: AdminFrame,
    heading: String,
    erased: Erased,
}

/// What an erasure removed, table by table.
fn erased_page(
    state: &AppState,
    session: &StaffSession,
    heading: String,
    erased: Erased,
) -> Result<HttpResponse, AppError> {
    page(StatusCode::OK, &ErasedPage { frame: AdminFrame::new(state, session, "Data erased"), heading, erased })
}

/// Every state-changing admin request carries the session's CSRF token.
fn csrf_refusal(state: &AppState, session: &StaffSession, token: &str) -> Option<HttpResponse> {
    if state.forms.verify_session_token(&session.session_id, token) {
        return None;
    }
    tracing::warn!(user_id = session.user_id, "admin request without a valid CSRF token refused");
    let message = MessagePage {
        frame: AdminFrame::new(state, session, "Request refused"),
        heading: "This request was refused".into(),
        text: "It did not carry this session's security token. Nothing was changed; go back, reload the page and try again.".into(),
        back: "/admin/leads".into(),
    };
    Some(page(StatusCode::FORBIDDEN, &message).unwrap_or_else(|_| HttpResponse::Forbidden().finish()))
}
