//! HTTP routes by area. Each area has a `configure`; handlers parse input, ask the read
//! model or the domain, and render a template.

mod contact;
mod errors;
mod layout;
mod pages;

use std::path::Path;

use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, web};
use askama::Template;

pub use errors::error_pages;

use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig, static_dir: &Path, media_dir: &Path) {
    cfg.service(actix_files::Files::new("/static", static_dir)).service(actix_files::Files::new("/media", media_dir));
    contact::configure(cfg);
    pages::configure(cfg);
    cfg.default_service(web::to(errors::fallback));
}

fn render(status: StatusCode, template: &impl Template) -> Result<HttpResponse, AppError> {
    let html =
        template.render().map_err(|e| AppError::Internal(anyhow::Error::new(e).context("rendering a template")))?;
    Ok(HttpResponse::build(status).content_type(ContentType::html()).body(html))
}
