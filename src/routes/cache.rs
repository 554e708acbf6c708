//! Cached pages: rendered once per content version, compressed once per encoding, answered
//! with a strong `ETag` (and `304 Not Modified` when the browser has it), `Last-Modified`,
//! and a short `Cache-Control` that makes browsers and proxies revalidate.

use std::io::Write;

use actix_web::http::StatusCode;
use actix_web::http::header::{
    self, CacheControl, CacheDirective, ContentType, ETag, EntityTag, HttpDate, IfNoneMatch, LastModified,
};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::read_model::{CachedPage, Site};

/// Pages may be kept a minute, then must be checked again (cheaply, with the ETag).
const PAGE_MAX_AGE: u32 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// The best encoding the client accepts; `q=0` refuses one.
fn negotiate(req: &HttpRequest) -> Encoding {
    let accepted = req.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let accepts = |name: &str| {
        accepted.split(',').any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default();
            let refused =
                parts.any(|p| p.replace(' ', "").starts_with("q=0") && !p.contains(|c: char| ('1'..='9').contains(&c)));
            (coding.eq_ignore_ascii_case(name) || coding == "*") && !refused
        })
    };
    if accepts("br") {
        Encoding::Brotli
    } else if accepts("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn gzip(html: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = encoder.write_all(html);
    encoder.finish().map(Bytes::from).unwrap_or_default()
}

fn brotli(html: &[u8]) -> Bytes {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 9, ..Default::default() };
    let _ = brotli::BrotliCompress(&mut &html[..], &mut out, &params);
    Bytes::from(out)
}

fn etag_of(html: &[u8]) -> String {
    Sha256::digest(html).iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// Answers from the cache of the current site version, rendering the page on its first request.
pub fn serve(
    req: &HttpRequest,
    site: &Site,
    last_modified: Option<time::Date>,
    render: impl FnOnce() -> Result<String, AppError>,
) -> Result<HttpResponse, AppError> {
    let key = req.path();
    let page = match site.pages_sent.get(key) {
        Some(page) => page,
        None => {
            let html = Bytes::from(render()?);
            let etag = etag_of(&html);
            site.pages_sent.insert(
                key.to_owned(),
                CachedPage { html, etag, last_modified, gzip: Default::default(), brotli: Default::default() },
            )
        }
    };
    Ok(respond(req, &page))
}

fn respond(req: &HttpRequest, page: &CachedPage) -> HttpResponse {
    let tag = EntityTag::new_strong(page.etag.clone());
    let fresh = match req.get_header::<IfNoneMatch>() {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(&tag)),
        None => false,
    };
    let mut response = HttpResponse::build(if fresh { StatusCode::NOT_MODIFIED } else { StatusCode::OK });
    response
        .insert_header(ETag(tag))
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(PAGE_MAX_AGE),
            CacheDirective::MustRevalidate,
        ]))
        .insert_header((header::VARY, "Accept-Encoding"));
    if let Some(date) = page.last_modified {
        let at = std::time::SystemTime::UNIX_EPOCH
            + std::time::Duration::from_secs(u64::try_from(date.midnight().assume_utc().unix_timestamp()).unwrap_or(0));
        response.insert_header(LastModified(HttpDate::from(at)));
    }
    if fresh {
        return response.finish();
    }
    response.content_type(ContentType::html());
    let body = match negotiate(req) {
        Encoding::Brotli => {
            response.insert_header((header::CONTENT_ENCODING, "br"));
            page.brotli.get_or_init(|| brotli(&page.html)).clone()
        }
        Encoding::Gzip => {
            response.insert_header((header::CONTENT_ENCODING, "gzip"));
            page.gzip.get_or_init(|| gzip(&page.html)).clone()
        }
        // Unmarked: the compression middleware may still use an encoding we keep no copy of.
        Encoding::Identity => page.html.clone(),
    };
    response.body(body)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn the_best_accepted_encoding_is_chosen_and_q0_refuses() {
        let with = |value: &str| {
            negotiate(&TestRequest::default().insert_header((header::ACCEPT_ENCODING, value)).to_http_request())
        };
        assert_eq!(with("gzip, deflate, br"), Encoding::Brotli);
        assert_eq!(with("gzip"), Encoding::Gzip);
        assert_eq!(with("br;q=0, gzip;q=0.8"), Encoding::Gzip);
        assert_eq!(with("identity"), Encoding::Identity);
        assert_eq!(negotiate(&TestRequest::default().to_http_request()), Encoding::Identity);
    }
}
