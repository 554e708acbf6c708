//! The staff area: login, the lead inbox, a lead's page with its workflow, export, erasure and
//! the stats of which profiles bring requests.
//! Everything below `/admin` except the login page sits behind `guard::require_staff`.

mod content;
mod csrf;
mod drafts;
mod erase;
mod guard;
mod inbox;
mod lead;
mod login;
mod stats;
pub(crate) mod wording;

pub use guard::staff_session;

use actix_web::http::StatusCode;
use actix_web::http::header::{
    self, CacheControl, CacheDirective, ContentDisposition, DispositionParam, DispositionType,
};
use actix_web::middleware::from_fn;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::auth::StaffSession;
use crate::db::leads::Erased;
use crate::domain::paths::Fixed;
use crate::domain::paths::admin::{self, LeadAction, in_scope};
use crate::error::AppError;
use crate::routes::methods::{GET, GET_POST, POST, resource};
use crate::routes::render_private;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // A lead's page and its actions as route patterns.
    let lead_page = admin::lead("{id}");
    let action = |action| in_scope(&admin::lead_action("{id}", action)).to_owned();
    cfg.service(
        resource(admin::LOGIN, GET_POST).route(web::get().to(login::show)).route(web::post().to(login::submit)),
    )
    .service(
        web::scope(Fixed::Admin.path())
            .wrap(from_fn(guard::require_staff))
            .service(resource("", GET).route(web::get().to(to_inbox)))
            .service(resource("/", GET).route(web::get().to(to_inbox)))
            .service(resource(in_scope(admin::LOGOUT), POST).route(web::post().to(login::logout)))
            .service(resource(in_scope(admin::LEADS), GET).route(web::get().to(inbox::list)))
            .service(resource(in_scope(admin::EXPORT), GET).route(web::get().to(inbox::export)))
            .service(resource(in_scope(&lead_page), GET).route(web::get().to(lead::show)))
            .service(resource(&action(LeadAction::Status), POST).route(web::post().to(lead::change_status)))
            .service(resource(&action(LeadAction::Notes), POST).route(web::post().to(lead::add_note)))
            .service(resource(&action(LeadAction::Retry), POST).route(web::post().to(lead::retry)))
            .service(resource(&action(LeadAction::RetryWebhook), POST).route(web::post().to(lead::retry_webhook)))
            .service(resource(&action(LeadAction::Delete), POST).route(web::post().to(lead::delete)))
            .service(resource(in_scope(admin::STATS), GET).route(web::get().to(stats::show)))
            .service(resource(in_scope(admin::STATS_CSV), GET).route(web::get().to(stats::export)))
            .service(resource(in_scope(admin::CONTENT), GET).route(web::get().to(content::show)))
            .service(resource(in_scope(admin::DRAFTS), GET).route(web::get().to(drafts::list)))
            .service(resource(in_scope(admin::PREVIEW_LINK), POST).route(web::post().to(drafts::create_preview)))
            .service(
                resource(in_scope(admin::ERASE), GET_POST)
                    .route(web::get().to(erase::show))
                    .route(web::post().to(erase::submit)),
            )
            .default_service(web::to(|| async { Err::<HttpResponse, AppError>(AppError::NotFound) })),
    );
}

async fn to_inbox() -> HttpResponse {
    see_other(admin::LEADS)
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

/// Admin pages show personal data and carry CSRF tokens: never cached.
fn page(status: StatusCode, template: &impl Template) -> Result<HttpResponse, AppError> {
    render_private(status, template)
}

/// A CSV file to download, kept by no cache: it holds what only staff may see.
fn csv_download(filename: String, csv: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .body(csv)
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
