//! The middleware that lets only logged-in staff into `/admin`, and the session lookup pages share.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, CacheControl, CacheDirective, TryIntoHeaderPair};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse, web};
use time::OffsetDateTime;

use crate::auth::{StaffSession, session_id};
use crate::db::admin;
use crate::domain::paths::{self, Fixed};
use crate::error::AppError;
use crate::routes::with_leads;
use crate::state::AppState;

/// Lets a request through only with a live staff session; anyone else is sent to the login
/// page, which brings them back here afterwards.
pub async fn require_staff(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let session = match req.app_data::<web::Data<AppState>>() {
        Some(state) => match staff_session(state, req.request()).await {
            Ok(session) => session,
            // An answer rather than an `Err`, so it gets the error page, headers and log line.
            Err(error) => return Ok(req.error_response(error).map_into_right_body()),
        },
        None => None,
    };
    let Some(session) = session else {
        // Only a page can be returned to; after a form sent with an expired session, the inbox.
        let target = match *req.method() {
            // HEAD arrives here as GET.
            Method::GET => req.uri().path_and_query().map_or(Fixed::Admin.path(), |pq| pq.as_str()).to_owned(),
            _ => paths::admin::LEADS.to_owned(),
        };
        let login = format!(
            "{}?next={}",
            paths::admin::LOGIN,
            percent_encoding::utf8_percent_encode(&target, percent_encoding::NON_ALPHANUMERIC)
        );
        let response = HttpResponse::SeeOther().insert_header((header::LOCATION, login)).finish();
        return Ok(req.into_response(response).map_into_right_body());
    };
    req.extensions_mut().insert(session);
    let mut response = next.call(req).await?;
    if let Ok((name, value)) = CacheControl(vec![CacheDirective::NoStore]).try_into_pair() {
        response.headers_mut().insert(name, value);
    }
    Ok(response.map_into_left_body())
}

/// The staff member logged in with this request, if any; refreshes the session's idle clock.
pub async fn staff_session(state: &AppState, req: &HttpRequest) -> Result<Option<StaffSession>, AppError> {
    let Some(token) = state.sessions.token(req) else {
        return Ok(None);
    };
    let id = session_id(&token);
    let idle = time::Duration::seconds(i64::try_from(state.admin.idle_timeout_secs).unwrap_or(i64::MAX));
    let absolute = time::Duration::seconds(i64::try_from(state.admin.absolute_timeout_secs).unwrap_or(i64::MAX));
    let lookup = id.clone();
    let user = with_leads(state, move |conn| {
        Ok(admin::touch_session(conn, &lookup, OffsetDateTime::now_utc(), idle, absolute)?)
    })
    .await?;
    Ok(user.map(|user| StaffSession { user_id: user.id, email: user.email, session_id: id }))
}
