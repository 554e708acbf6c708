//! Which error goes where:
//! - library modules return their own `thiserror` enums (`content::Diagnostics`,
//!   `db::StoreError`, `publish::PublishError`, ...) and never think about HTTP;
//! - handlers return `AppError` for failures, and this file decides their status codes;
//!   answers that are pages of their own (a form shown again with 422, the 403 of a refused
//!   form, the 429 of the rate limit) are rendered by their handlers, with their input; a lead
//!   store out of reach is 503 (`of_lead_store`), since it passes without anyone fixing a bug;
//! - the page a visitor sees for a status is rendered by `routes::errors`, never from
//!   error details: internals are logged with their whole cause chain, not shown.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("no page at this address")]
    NotFound,
    /// A page only staff see (a draft): 404 to anyone else, an answer no cache may keep, since
    /// the same address shows the page to a staff member.
    #[error("no public page at this address")]
    StaffOnly,
    #[error("the page at this address was removed")]
    Gone,
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("unsupported content type")]
    UnsupportedMediaType,
    /// The path exists, but not for this method; holds the methods it takes.
    #[error("method not allowed here")]
    MethodNotAllowed(&'static str),
    /// The lead store cannot be reached (no connection, or one the server closed): it passes by
    /// itself once the database is back, so 503 with `Retry-After`, not 500.
    #[error("the lead store cannot be reached")]
    Unavailable(#[source] anyhow::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// An error and its causes on one line, each once: `thiserror` messages in this crate never
/// repeat their `#[source]`, so this is how a cause gets printed.
pub fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Long enough for a pooler or a failover to bring the lead store back.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 30;

impl AppError {
    /// Nothing at `path` now: gone for good if something was published there before.
    pub fn missing(site: &crate::read_model::Site, path: &str) -> AppError {
        if site.is_retired(path) { AppError::Gone } else { AppError::NotFound }
    }

    /// A failure of work on the lead store, told apart: the store out of reach, or anything else.
    pub fn of_lead_store(self) -> AppError {
        match self {
            AppError::Internal(error) if error.chain().any(crate::db::leads::is_unreachable) => {
                AppError::Unavailable(error)
            }
            other => other,
        }
    }
}

/// Work moved to the blocking pool that could not finish there.
impl From<actix_web::error::BlockingError> for AppError {
    fn from(error: actix_web::error::BlockingError) -> AppError {
        AppError::Internal(anyhow::Error::new(error))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::StaffOnly => StatusCode::NOT_FOUND,
            AppError::Gone => StatusCode::GONE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(error) => tracing::error!(error = format!("{error:#}"), "request failed"),
            AppError::Unavailable(error) => {
                tracing::warn!(error = format!("{error:#}"), "request refused: the lead store cannot be reached");
            }
            AppError::BadRequest(reason) => tracing::info!(reason, "bad request"),
            AppError::NotFound
            | AppError::StaffOnly
            | AppError::Gone
            | AppError::UnsupportedMediaType
            | AppError::MethodNotAllowed(_) => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            AppError::MethodNotAllowed(allow) => {
                response.insert_header((header::ALLOW, *allow));
            }
            AppError::StaffOnly => {
                response.insert_header((header::CACHE_CONTROL, "no-store"));
            }
            AppError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECS));
            }
            _ => {}
        }
        response.finish()
    }
}
