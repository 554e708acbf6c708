//! `/static/...`: fingerprinted names are kept by browsers for a year; plain names briefly.
//! Only files found at start are served, so no path can reach outside the folder.

use actix_files::NamedFile;
use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse, Responder, web};

use super::methods::GET;
use crate::domain::paths::{Fixed, below};
use crate::error::AppError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource(below(Fixed::Static.path(), "{name}"))
            .route(web::get().to(serve))
            .default_service(web::to(not_allowed)),
    );
}

/// Another method: 405 for a file that is served, 404 for any other name.
async fn not_allowed(state: web::Data<AppState>, name: web::Path<String>) -> Result<HttpResponse, AppError> {
    match state.site.current().assets.file(&name) {
        Some(_) => Err(AppError::MethodNotAllowed(GET)),
        None => Err(AppError::NotFound),
    }
}

async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let (path, fingerprinted) = site.assets.file(&name).ok_or(AppError::NotFound)?;
    let path = path.to_owned();
    let file = web::block(move || NamedFile::open(path))
        .await
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?
        .map_err(|_| AppError::NotFound)?;
    let caching = if fingerprinted {
        CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(31_536_000),
            CacheDirective::Extension("immutable".into(), None),
        ])
    } else {
        CacheControl(vec![CacheDirective::Public, CacheDirective::MaxAge(300)])
    };
    let mut response = file.use_etag(true).use_last_modified(true).respond_to(&req).map_into_boxed_body();
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        caching.to_string().parse().map_err(|e| AppError::Internal(anyhow::Error::new(e)))?,
    );
    Ok(response)
}
