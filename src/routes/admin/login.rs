//! The staff login form, logging in, and logging out.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use time::OffsetDateTime;

use super::csrf::CsrfChecked;
use super::{AdminFrame, page, see_other};
use crate::auth::{LoginAttempt, LoginOutcome, StaffSession, log_in};
use crate::db::admin;
use crate::domain::paths::{self, Fixed};
use crate::error::{AppError, UNAVAILABLE_RETRY_AFTER_SECS};
use crate::routes::client::{client_key, csrf_cookie, new_csrf_cookie};
use crate::routes::with_leads;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    frame: AdminFrame,
    error: Option<String>,
    email: String,
    next: String,
    token: String,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: String,
}

/// Only a path inside the admin area: never another host (`//evil.example`) or scheme.
fn safe_next(next: &str) -> &str {
    let local = next.starts_with(Fixed::Admin.path())
        && !next.starts_with("//")
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
        && !next.contains("://");
    if local { next } else { paths::admin::LEADS }
}

fn login_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    error: Option<String>,
    email: &str,
    next: &str,
) -> Result<HttpResponse, AppError> {
    let (cookie, new_cookie) = match csrf_cookie(req, state) {
        Some(value) => (value, None),
        None => {
            let cookie = new_csrf_cookie(state);
            (cookie.value().to_owned(), Some(cookie))
        }
    };
    let view = LoginPage {
        frame: AdminFrame { title: "Staff login".into(), user: None, csrf: String::new() },
        error,
        email: email.to_owned(),
        next: safe_next(next).to_owned(),
        token: state.forms.issue(&cookie, OffsetDateTime::now_utc()),
    };
    let mut response = page(status, &view)?;
    if let Some(cookie) = new_cookie {
        response.add_cookie(&cookie).map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    }
    Ok(response)
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, AppError> {
    login_page(&req, &state, StatusCode::OK, None, "", query.next.as_deref().unwrap_or_default())
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let now = OffsetDateTime::now_utc();
    if state.forms.verify(&form.csrf_token, csrf_cookie(&req, &state).as_deref(), now).is_err() {
        let message = "The login form had expired or was opened in another browser. Please try again.";
        return login_page(&req, &state, StatusCode::FORBIDDEN, Some(message.into()), &form.email, &form.next);
    }
    let attempt = LoginAttempt {
        email: form.email.clone(),
        password: form.password.clone(),
        client: client_key(&req, &state),
        old_token: state.sessions.token(&req),
        device: state.logins.devices.claim(&req),
    };
    let outcome = match log_in(&state.leads, attempt, &state.logins, &state.metrics, now)
        .await
        .map_err(|error| AppError::Internal(error).of_lead_store())
    {
        Err(AppError::Unavailable(error)) => {
            tracing::warn!(error = format!("{error:#}"), "staff login refused: the lead store cannot be reached");
            let message = "The staff database cannot be reached at the moment. Please try again in a minute.";
            return not_now(&req, &state, &form, message, UNAVAILABLE_RETRY_AFTER_SECS);
        }
        outcome => outcome?,
    };
    match outcome {
        LoginOutcome::Locked { until, lock } => {
            tracing::info!(lock = lock.label(), "staff login refused while locked");
            let left = u64::try_from((until - now).whole_milliseconds().max(1)).unwrap_or(u64::MAX);
            let seconds = left.div_ceil(1_000);
            let wait = match seconds {
                1 => "1 second".to_owned(),
                2..120 => format!("{seconds} seconds"),
                _ => format!("{} minutes", seconds.div_ceil(60)),
            };
            let message = format!("Too many failed logins. Please wait {wait} before you try again.");
            let mut response =
                login_page(&req, &state, StatusCode::TOO_MANY_REQUESTS, Some(message), &form.email, &form.next)?;
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            Ok(response)
        }
        LoginOutcome::Busy => {
            tracing::warn!("staff login refused: every password check is taken");
            let message = "Too many logins are being checked right now. Please try again in a moment.";
            not_now(&req, &state, &form, message, state.logins.busy_retry_after().as_secs())
        }
        LoginOutcome::Failed => {
            tracing::info!("failed staff login");
            let message = Some("E-mail or password is wrong.".to_owned());
            login_page(&req, &state, StatusCode::UNAUTHORIZED, message, &form.email, &form.next)
        }
        LoginOutcome::LoggedIn { token, user_id, device } => {
            tracing::info!(user_id = user_id.get(), "staff login");
            let mut response = see_other(safe_next(&form.next));
            for cookie in [state.sessions.issue(&token), device] {
                response.add_cookie(&cookie).map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
            }
            Ok(response)
        }
    }
}

/// A login that cannot be checked now: 503, the form again with what was typed, and when to retry.
fn not_now(
    req: &HttpRequest,
    state: &AppState,
    form: &LoginForm,
    message: &str,
    retry_after_secs: u64,
) -> Result<HttpResponse, AppError> {
    let status = StatusCode::SERVICE_UNAVAILABLE;
    let mut response = login_page(req, state, status, Some(message.into()), &form.email, &form.next)?;
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    Ok(response)
}

pub async fn logout(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    _token: CsrfChecked<()>,
) -> Result<HttpResponse, AppError> {
    let id = session.session_id.clone();
    with_leads(&state, move |conn| Ok(admin::delete_session(conn, &id)?)).await?;
    tracing::info!(user_id = session.user_id.get(), "staff logout");
    let mut response = see_other(paths::admin::LOGIN);
    response.add_cookie(&state.sessions.removal()).map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_inside_the_admin_area_are_followed_after_login() {
        assert_eq!(safe_next("/admin/leads/7?x=1"), "/admin/leads/7?x=1");
        for hostile in [
            "//evil.example",
            "https://evil.example/admin",
            "/\\evil.example",
            "/profiles",
            "",
            "/admin\r\nSet-Cookie: x",
        ] {
            assert_eq!(safe_next(hostile), "/admin/leads", "{hostile:?}");
        }
    }
}
