//! The form of a state-changing staff request, handed to its handler only after the request's
//! CSRF token matched the session's, and the page that refuses it otherwise.

use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::{AdminFrame, MessagePage, page};
use crate::auth::StaffSession;
use crate::domain::paths;
use crate::state::AppState;

/// A staff form whose `csrf_token` was this session's. Staff forms declare no token field:
/// this extractor takes the token off and checks it, so a handler has no check to write or
/// forget, and any other token is answered with the refusal page before the handler runs.
/// `CsrfChecked<()>` is a form that carries nothing but the token.
///
/// The form's fields are read through `#[serde(flatten)]`, which hands them over as strings:
/// a field that is not a string is parsed in the handler.
pub struct CsrfChecked<F>(pub F);

#[derive(Deserialize)]
struct Signed<F> {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    form: F,
}

impl<F: DeserializeOwned + 'static> FromRequest for CsrfChecked<F> {
    type Error = actix_web::Error;
    // Boxed: staff requests are few, and a form is read asynchronously from the body anyway.
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<Signed<F>>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let Signed { csrf_token, form } = form.await?.into_inner();
            let state = web::Data::<AppState>::extract(&req).await?;
            let session = web::ReqData::<StaffSession>::extract(&req).await?;
            match csrf_refusal(&state, &session, &csrf_token) {
                None => Ok(CsrfChecked(form)),
                Some(refused) => Err(InternalError::from_response("CSRF token refused", refused).into()),
            }
        })
    }
}

/// Every state-changing admin request carries the session's CSRF token.
fn csrf_refusal(state: &AppState, session: &StaffSession, token: &str) -> Option<HttpResponse> {
    if state.forms.verify_session_token(&session.session_id, token) {
        return None;
    }
    tracing::warn!(user_id = session.user_id.get(), "admin request without a valid CSRF token refused");
    let message = MessagePage {
        frame: AdminFrame::new(state, session, "Request refused"),
        heading: "This request was refused".into(),
        text: "It did not carry this session's security token. Nothing was changed; go back, reload the page and try again.".into(),
        back: paths::admin::LEADS.into(),
    };
    Some(page(StatusCode::FORBIDDEN, &message).unwrap_or_else(|_| HttpResponse::Forbidden().finish()))
}
