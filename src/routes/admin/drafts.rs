//! Drafts and scheduled profiles: where staff find them, and signed preview links for
//! reviewers without an account.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use time::OffsetDateTime;

use super::csrf::CsrfChecked;
use super::inbox::received;
use super::{AdminFrame, page};
use crate::auth::StaffSession;
use crate::domain::paths::{Fixed, below};
use crate::domain::{Lang, Slug};
use crate::error::AppError;
use crate::state::AppState;

pub struct DraftView {
    pub title: String,
    pub lang: &'static str,
    pub slug: String,
    pub href: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "admin/drafts.html")]
struct DraftsPage {
    frame: AdminFrame,
    drafts: Vec<DraftView>,
    preview: Option<(String, String)>,
}

fn drafts(state: &AppState) -> Vec<DraftView> {
    state
        .site
        .current()
        .unpublished_profiles()
        .into_iter()
        .map(|p| DraftView {
            title: p.title.clone(),
            lang: p.lang.code(),
            slug: p.slug.to_string(),
            href: p.path(),
            state: match (p.draft, p.publish_at) {
                (true, _) => "draft".to_owned(),
                (false, Some(at)) => format!("scheduled for {}", received(at)),
                (false, None) => "unpublished".to_owned(),
            },
        })
        .collect()
}

pub async fn list(state: web::Data<AppState>, session: web::ReqData<StaffSession>) -> Result<HttpResponse, AppError> {
    let view = DraftsPage { frame: AdminFrame::new(&state, &session, "Drafts"), drafts: drafts(&state), preview: None };
    page(StatusCode::OK, &view)
}

#[derive(Deserialize)]
pub struct PreviewForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    slug: String,
}

pub async fn create_preview(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    CsrfChecked(form): CsrfChecked<PreviewForm>,
) -> Result<HttpResponse, AppError> {
    let lang: Lang = form.lang.parse().map_err(|_| AppError::BadRequest("unknown language".into()))?;
    let slug = Slug::parse(&form.slug).map_err(|_| AppError::BadRequest("not a slug".into()))?;
    let site = state.site.current();
    let profile = site.unpublished(lang, &slug).ok_or(AppError::NotFound)?;
    let expires = OffsetDateTime::now_utc() + time::Duration::days(i64::from(state.admin.preview_link_days));
    let token = state.forms.preview_token(lang.code(), slug.as_str(), expires);
    tracing::info!(user_id = session.user_id.get(), lang = lang.code(), slug = slug.as_str(), "preview link created");
    let view = DraftsPage {
        frame: AdminFrame::new(&state, &session, "Drafts"),
        drafts: drafts(&state),
        preview: Some((
            format!("{} (until {})", profile.title, received(expires)),
            site.absolute_url(&below(Fixed::Preview.path(), &token)),
        )),
    };
    page(StatusCode::OK, &view)
}
