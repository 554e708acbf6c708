//! The pages a visitor sees for 400, 404, 405, 410, 413, 415, 500 and 503, and the fallback for paths no route claims.

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpResponse, web};
use askama::Template;

use super::layout::Layout;
use crate::domain::paths::{self, Localized};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout<'a>,
    heading: &'a str,
    text: &'a str,
    profiles_path: &'static str,
}

pub async fn fallback() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// Replaces the empty body of an error answer (400, 404, 405, 410, 413, 415, 500, 503) with a page in the language of the path
/// asked for, and says how long it may be kept.
pub fn error_pages<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    [
        StatusCode::BAD_REQUEST,
        StatusCode::NOT_FOUND,
        StatusCode::METHOD_NOT_ALLOWED,
        StatusCode::GONE,
        StatusCode::PAYLOAD_TOO_LARGE,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        StatusCode::INTERNAL_SERVER_ERROR,
        StatusCode::SERVICE_UNAVAILABLE,
    ]
    .into_iter()
    .fold(ErrorHandlers::new(), |handlers, status| handlers.handler(status, render_error))
}

/// A missing page is a fact about its address that publishing can change: kept as briefly as
/// pages are. Every other error is about this one request (its method, body, or a failure
/// inside), so no cache may hand it to anyone else.
fn caching_of(status: StatusCode) -> HeaderValue {
    match status {
        StatusCode::NOT_FOUND | StatusCode::GONE => HeaderValue::from_static("public, max-age=60"),
        _ => HeaderValue::from_static("no-store"),
    }
}

fn render_error<B: MessageBody>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let status = res.status();
    // The form, search, login and /readyz answer 503 with pages of their own, which stay.
    if status == StatusCode::SERVICE_UNAVAILABLE
        && !matches!(res.response().body().size(), BodySize::None | BodySize::Sized(0))
    {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let (req, mut res) = res.into_parts();
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(header::CACHE_CONTROL, caching_of(status));
    }
    let page = req.app_data::<web::Data<AppState>>().and_then(|state| error_html(state, req.path(), status));
    let response = match page {
        Some(html) => {
            let mut response = HttpResponse::build(status).content_type(ContentType::html()).body(html);
            for (name, value) in res.headers() {
                if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                    response.headers_mut().insert(name.clone(), value.clone());
                }
            }
            response.map_into_right_body()
        }
        None => res.map_into_left_body(),
    };
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, response)))
}

/// The 500 page of a request that never got an answer to finish (its handler panicked), as
/// `render_error` would have made it.
pub(super) fn server_error_page(state: Option<&AppState>, path: &str) -> HttpResponse {
    let status = StatusCode::INTERNAL_SERVER_ERROR;
    let mut response = match state.and_then(|state| error_html(state, path, status)) {
        Some(html) => HttpResponse::build(status).content_type(ContentType::html()).body(html),
        None => HttpResponse::new(status),
    };
    response.headers_mut().insert(header::CACHE_CONTROL, caching_of(status));
    response
}

fn error_html(state: &AppState, path: &str, status: StatusCode) -> Option<String> {
    let site = state.site.current();
    let lang = paths::lang_of(path);
    let t = crate::i18n::strings(lang);
    let (heading, text) = match status {
        StatusCode::NOT_FOUND => (&t.not_found_title, &t.not_found_text),
        StatusCode::GONE => (&t.gone_title, &t.gone_text),
        StatusCode::PAYLOAD_TOO_LARGE => (&t.too_large_title, &t.too_large_text),
        StatusCode::SERVICE_UNAVAILABLE => (&t.unavailable_title, &t.unavailable_text),
        s if s.is_client_error() => (&t.bad_request_title, &t.bad_request_text),
        _ => (&t.server_error_title, &t.server_error_text),
    };
    let page = ErrorPage {
        layout: Layout::new(&site, lang, path, heading, text).not_indexed(),
        heading,
        text,
        profiles_path: Localized::Profiles.path(lang),
    };
    page.render().map_err(|e| tracing::error!(error = %e, "rendering the error page failed")).ok()
}
