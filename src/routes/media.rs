//! `/media/...`: the content folder's images and PDFs, and nothing else. A file of another type
//! (HTML, JavaScript) would run from the site's origin with the staff cookies, so it is 404;
//! so is a link that leads out of the folder. SVG is sent with a sandbox policy, PDF as a
//! download. Sent as stored, never compressed on the way: images and PDF are compressed
//! already, and so every answer keeps its `Content-Length`, ranges and one `ETag`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_files::NamedFile;
use actix_web::http::header::{self, ContentDisposition, ContentEncoding, DispositionType, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, Responder, web};

use super::methods::GET;
use crate::domain::MediaFile;
use crate::domain::paths::{Fixed, below};
use crate::error::AppError;

/// Media keep their names when replaced (they are not fingerprinted): kept an hour, then checked.
const MEDIA_CACHE_CONTROL: &str = "public, max-age=3600";

/// Added to the site's own policy: the document gets an opaque origin and runs no script.
const SANDBOX: &str = "sandbox";

pub fn configure(cfg: &mut web::ServiceConfig, media_dir: &Path) {
    let root = Arc::new(media_dir.to_owned());
    let served = Arc::clone(&root);
    cfg.service(
        web::resource(below(Fixed::Media.path(), "{path:.+}"))
            .route(web::get().to(move |req, path| serve(req, path, Arc::clone(&served))))
            .default_service(web::to(move |path| not_allowed(path, Arc::clone(&root)))),
    );
}

/// Another method: 405 where a file is served, 404 where none is.
async fn not_allowed(requested: web::Path<String>, root: Arc<PathBuf>) -> Result<HttpResponse, AppError> {
    let requested = requested.into_inner();
    let found = web::block(move || MediaFile::find(&root, &requested).is_some()).await?;
    Err(if found { AppError::MethodNotAllowed(GET) } else { AppError::NotFound })
}

async fn serve(req: HttpRequest, requested: web::Path<String>, root: Arc<PathBuf>) -> Result<HttpResponse, AppError> {
    let requested = requested.into_inner();
    let opened = web::block(move || {
        let media = MediaFile::find(&root, &requested)?;
        NamedFile::open(&media.path).ok().map(|file| (file, media.kind))
    })
    .await?;
    let (file, kind) = opened.ok_or(AppError::NotFound)?;
    let disposition = if kind.is_download() { DispositionType::Attachment } else { DispositionType::Inline };
    let disposition = ContentDisposition { disposition, parameters: file.content_disposition().parameters.clone() };
    let mut response = file
        .set_content_disposition(disposition)
        .set_content_encoding(ContentEncoding::Identity)
        .respond_to(&req)
        .map_into_boxed_body();
    let headers = response.headers_mut();
    // The type the name was allowed for, not a guess.
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(MEDIA_CACHE_CONTROL));
    if kind.sandboxed() {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(SANDBOX));
    }
    Ok(response)
}
