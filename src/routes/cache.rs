//! Cached pages (and the sitemap and feeds): rendered once per content version, compressed once
//! per encoding, answered with a strong `ETag` and `Last-Modified` (and `304 Not Modified` when
//! the browser has it), and a short `Cache-Control` that makes browsers and proxies revalidate.

use std::io::Write;
use std::ops::ControlFlow;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::body::EitherBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    self, AcceptEncoding, ContentDisposition, DispositionParam, DispositionType, HeaderValue, HttpDate,
    IfModifiedSince, IfNoneMatch, Preference, Quality, TryIntoHeaderValue,
};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use bytes::Bytes;
use sha2::{Digest, Sha256};

use super::methods::AskedForHead;
use super::middleware::BeforeAndAfter;
use crate::error::AppError;
use crate::hex::encode_hex;
use crate::page_cache::{CachedPage, PageCache};
use crate::page_views::{PageViews, ViewCounter};
use crate::read_model::{Site, Version};
use crate::state::AppState;
use crate::telemetry::RouteLabel;

/// Pages may be kept a minute, then must be checked again (cheaply, with the ETag).
const PAGE_CACHE_CONTROL: &str = "public, max-age=60, must-revalidate";
/// A body whose URL changes with its content never changes at its URL.
const FINGERPRINTED_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// How a cached body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Text at a lasting address: revalidated after a minute, compressed when the client takes it.
    Page,
    /// An image at an address that names its content: kept a year, sent as it is.
    FingerprintedImage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    const ALL: [Encoding; 3] = [Encoding::Identity, Encoding::Gzip, Encoding::Brotli];

    fn etag_suffix(self) -> &'static str {
        match self {
            Encoding::Identity => "",
            Encoding::Gzip => "-gz",
            Encoding::Brotli => "-br",
        }
    }
}

/// The best encoding the client accepts: brotli, then gzip, then none. A coding named with
/// `q=0` is refused even when `*` is accepted; `*` stands for the codings not named. Not
/// `AcceptEncoding::negotiate`, which lets `*` stand for identity only.
fn negotiate(req: &HttpRequest) -> Encoding {
    let Some(AcceptEncoding(accepted)) = req.get_header::<AcceptEncoding>() else {
        return Encoding::Identity;
    };
    let weight_of = |preference: Preference<header::Encoding>| {
        accepted.iter().find(|item| item.item == preference).map(|item| item.quality)
    };
    let accepts = |coding: header::Encoding| {
        weight_of(Preference::Specific(coding))
            .or_else(|| weight_of(Preference::Any))
            .is_some_and(|q| q > Quality::ZERO)
    };
    if accepts(header::Encoding::brotli()) {
        Encoding::Brotli
    } else if accepts(header::Encoding::gzip()) {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn gzip(body: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = encoder.write_all(body);
    encoder.finish().map(Bytes::from).unwrap_or_default()
}

fn brotli(body: &[u8]) -> Bytes {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 9, ..Default::default() };
    let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
    Bytes::from(out)
}

fn etag_of(body: &[u8]) -> String {
    encode_hex(&Sha256::digest(body)[..12])
}

const HTML: &str = "text/html; charset=utf-8";

/// Answers from the cache of the current site version, rendering the page on its first request.
/// `key` is the page's canonical path, never the path as requested: the router decodes
/// `%2E` and the like, and every spelling of one address must share one entry. `updated` is
/// asked for only when the page is rendered.
pub fn serve(
    req: &HttpRequest,
    site: &Version<PageCache>,
    key: &str,
    updated: impl FnOnce() -> Option<time::Date>,
    render: impl FnOnce() -> Result<String, AppError>,
) -> Result<HttpResponse, AppError> {
    serve_page(req, site, key, (HTML, None, None), updated, render)
}

/// Answers with an image whose URL `key` changes with its content, made by the caller before.
pub fn serve_fingerprinted_image(
    req: &HttpRequest,
    site: &Version<PageCache>,
    key: &str,
    content_type: &'static str,
    updated: Option<time::Date>,
    body: Bytes,
) -> HttpResponse {
    let page = site.rendered.get(key).unwrap_or_else(|| {
        let page = cached_page(req, site, body, (content_type, None, Kind::FingerprintedImage), None, updated);
        site.rendered.insert(key.to_owned(), page)
    });
    req.extensions_mut().insert(CacheKey(key.to_owned()));
    respond(req, &site.rendered, key, &page)
}

/// Like [`serve`], for a body of another type.
pub fn serve_as(
    req: &HttpRequest,
    site: &Version<PageCache>,
    key: &str,
    content_type: &'static str,
    updated: impl FnOnce() -> Option<time::Date>,
    render: impl FnOnce() -> Result<String, AppError>,
) -> Result<HttpResponse, AppError> {
    serve_page(req, site, key, (content_type, None, None), updated, render)
}

/// Like [`serve_as`], for a file the browser saves as `file_name` rather than shows.
pub fn serve_download(
    req: &HttpRequest,
    site: &Version<PageCache>,
    key: &str,
    (content_type, file_name): (&'static str, String),
    updated: impl FnOnce() -> Option<time::Date>,
    render: impl FnOnce() -> Result<String, AppError>,
) -> Result<HttpResponse, AppError> {
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(file_name)],
    };
    let disposition = disposition
        .try_into_value()
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("a file name in a header")))?;
    serve_page(req, site, key, (content_type, None, Some(disposition)), updated, render)
}

/// Like [`serve`], for a profile page: every visitor's request for it counts on `views`.
pub fn serve_counted(
    req: &HttpRequest,
    site: &Version<PageCache>,
    key: &str,
    views: ViewCounter,
    updated: impl FnOnce() -> Option<time::Date>,
    render: impl FnOnce() -> Result<String, AppError>,
) -> Result<HttpResponse, AppError> {
    serve_page(req, site, key, (HTML, Some(views), None), updated, render)
}

fn serve_page(
    req: &HttpRequest,
    site: &Version<PageCache>,
    key: &str,
    (content_type, views, disposition): (&'static str, Option<ViewCounter>, Option<HeaderValue>),
    updated: impl FnOnce() -> Option<time::Date>,
    render: impl FnOnce() -> Result<String, AppError>,
) -> Result<HttpResponse, AppError> {
    let page = match site.rendered.get(key) {
        Some(page) => page,
        None => {
            let body = Bytes::from(render()?);
            let page = cached_page(req, site, body, (content_type, disposition, Kind::Page), views, updated());
            site.rendered.insert(key.to_owned(), page)
        }
    };
    if let Some(state) = req.app_data::<web::Data<AppState>>() {
        count_view(req, &state.page_views, &page);
    }
    req.extensions_mut().insert(CacheKey(key.to_owned()));
    Ok(respond(req, &site.rendered, key, &page))
}

/// The answer from the cache, if the page at `key` was rendered for this content version already.
pub fn cached(req: &HttpRequest, site: &Version<PageCache>, key: &str) -> Option<HttpResponse> {
    let page = site.rendered.get(key)?;
    if let Some(state) = req.app_data::<web::Data<AppState>>() {
        count_view(req, &state.page_views, &page);
    }
    req.extensions_mut().insert(CacheKey(key.to_owned()));
    Some(respond(req, &site.rendered, key, &page))
}

/// One view of a profile page, if a visitor asked for it: not a HEAD, not a robot. Other pages
/// have no counter and cost nothing here.
fn count_view(req: &HttpRequest, views: &PageViews, page: &CachedPage) {
    let Some(counter) = &page.views else { return };
    let user_agent = req.headers().get(header::USER_AGENT).map(HeaderValue::as_bytes);
    if !req.extensions().contains::<AskedForHead>() && views.from_visitor(user_agent) {
        counter.count();
    }
}

/// The key a handler answered from, when it differs from the request's own spelling (a query
/// the page ignores): `as_cached` must find that page, not the request's.
struct CacheKey(String);

/// A page already rendered for this content version is answered before routing: a map lookup
/// and a copy of prepared headers, the whole cost of a cached request.
#[derive(Clone, Copy)]
pub struct CachedPages;

impl BeforeAndAfter for CachedPages {
    fn before(&self, req: ServiceRequest) -> ControlFlow<ServiceResponse, ServiceRequest> {
        let Some(state) = req.app_data::<web::Data<AppState>>().filter(|_| req.method() == Method::GET) else {
            return ControlFlow::Continue(req);
        };
        let site = state.site.peek();
        let key = key_of(req.request());
        let Some(page) = site.rendered.get(&key) else {
            return ControlFlow::Continue(req);
        };
        req.extensions_mut().insert(RouteLabel(page.route.clone()));
        count_view(req.request(), &state.page_views, &page);
        let response = respond(req.request(), &site.rendered, &key, &page);
        ControlFlow::Break(req.into_response(response))
    }

    fn after<B>(
        &self,
        outcome: Result<ServiceResponse<B>, actix_web::Error>,
    ) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
        outcome.map(as_cached)
    }
}

/// A page rendered just now is sent exactly as every later request gets it, never as the
/// compression middleware would have made it.
fn as_cached<B>(response: ServiceResponse<B>) -> ServiceResponse<EitherBody<B>> {
    let request = response.request();
    let site = match request.app_data::<web::Data<AppState>>() {
        Some(state) if request.method() == Method::GET && response.status() == StatusCode::OK => {
            Some(state.site.peek())
        }
        _ => None,
    };
    let handlers_key = request.extensions().get::<CacheKey>().map(|CacheKey(key)| key.clone());
    let key = handlers_key.map_or_else(|| key_of(request), std::borrow::Cow::Owned);
    let rendered = site.as_ref().and_then(|site| Some((site, site.rendered.peek(&key)?)));
    match rendered {
        Some((site, page)) => {
            let again = respond(response.request(), &site.rendered, &key, &page);
            response.into_response(again).map_into_right_body()
        }
        None => response.map_into_left_body(),
    }
}

/// The cache key a request names: its path, and its query when it has one (`/profiles?page=2`).
/// Handlers insert under canonical keys only, so any other spelling misses and is routed.
fn key_of(req: &HttpRequest) -> std::borrow::Cow<'_, str> {
    match req.query_string() {
        "" => std::borrow::Cow::Borrowed(req.path()),
        query => std::borrow::Cow::Owned(format!("{}?{query}", req.path())),
    }
}

fn cached_page(
    req: &HttpRequest,
    site: &Site,
    body: Bytes,
    (content_type, disposition, kind): (&'static str, Option<HeaderValue>, Kind),
    views: Option<ViewCounter>,
    updated: Option<time::Date>,
) -> CachedPage {
    let hash = etag_of(&body);
    // Hex digits and a suffix: always a valid header value.
    let etag_value = |encoding: Encoding| {
        HeaderValue::from_str(&format!("\"{hash}{}\"", encoding.etag_suffix())).unwrap_or(HeaderValue::from_static(""))
    };
    // The page shows more than its own content (navigation, related profiles, the stylesheet's
    // name), all of which may have changed when this version was built: never older than that.
    let built = whole_seconds(site.built);
    let dated = updated.map(|date| {
        UNIX_EPOCH + Duration::from_secs(u64::try_from(date.midnight().assume_utc().unix_timestamp()).unwrap_or(0))
    });
    let modified = dated.map_or(built, |dated| dated.max(built));
    // A version built in the same second as the one before it has the same date: only a later
    // date proves the client has this one.
    let unmodified_from = match site.replaced_built.map(whole_seconds) {
        Some(replaced) if replaced >= modified => replaced + Duration::from_secs(1),
        _ => modified,
    };
    CachedPage {
        etags: Encoding::ALL.map(etag_value),
        last_modified: HeaderValue::from_str(&HttpDate::from(modified).to_string()).ok(),
        unmodified_from,
        route: Arc::from(req.match_pattern().as_deref().unwrap_or("unmatched")),
        views,
        body,
        content_type: HeaderValue::from_static(content_type),
        cache_control: HeaderValue::from_static(match kind {
            Kind::Page => PAGE_CACHE_CONTROL,
            Kind::FingerprintedImage => FINGERPRINTED_CACHE_CONTROL,
        }),
        compressible: kind == Kind::Page,
        disposition,
        gzip: Default::default(),
        brotli: Default::default(),
    }
}

/// HTTP dates have whole seconds.
fn whole_seconds(time: SystemTime) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(time.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs()))
}

/// The answer with `page`, kept at `key` in `cache`.
fn respond(req: &HttpRequest, cache: &PageCache, key: &str, page: &CachedPage) -> HttpResponse {
    let encoding = if page.compressible { negotiate(req) } else { Encoding::Identity };
    let etag = &page.etags[encoding as usize];
    // If-None-Match, when sent, decides alone (RFC 9110, 13.2.2).
    let fresh = if req.headers().contains_key(header::IF_NONE_MATCH) {
        match req.get_header::<IfNoneMatch>() {
            Some(IfNoneMatch::Any) => true,
            // Weak comparison, as RFC 9110 asks for If-None-Match: `W/"x"` matches `"x"`.
            Some(IfNoneMatch::Items(tags)) => {
                let quoted = etag.as_bytes().strip_prefix(b"\"").and_then(|rest| rest.strip_suffix(b"\""));
                tags.iter().any(|tag| quoted == Some(tag.tag().as_bytes()))
            }
            None => false,
        }
    } else {
        req.headers().contains_key(header::IF_MODIFIED_SINCE) && unmodified_since(req, page)
    };
    let mut response = HttpResponse::build(if fresh { StatusCode::NOT_MODIFIED } else { StatusCode::OK });
    response
        .insert_header((header::ETAG, etag.clone()))
        .insert_header((header::CACHE_CONTROL, page.cache_control.clone()));
    if page.compressible {
        response.insert_header((header::VARY, HeaderValue::from_static("Accept-Encoding")));
    }
    if let Some(date) = &page.last_modified {
        response.insert_header((header::LAST_MODIFIED, date.clone()));
    }
    if fresh {
        return response.finish();
    }
    response.insert_header((header::CONTENT_TYPE, page.content_type.clone()));
    if let Some(disposition) = &page.disposition {
        response.insert_header((header::CONTENT_DISPOSITION, disposition.clone()));
    }
    let body = match encoding {
        Encoding::Brotli => {
            response.insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("br")));
            compressed(cache, key, page, &page.brotli, brotli)
        }
        Encoding::Gzip => {
            response.insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")));
            compressed(cache, key, page, &page.gzip, gzip)
        }
        Encoding::Identity => page.body.clone(),
    };
    response.body(body)
}

/// One compressed form of `page`, made by the first request that asks for it and then counted
/// against the cache's memory budget.
fn compressed(
    cache: &PageCache,
    key: &str,
    page: &CachedPage,
    form: &OnceLock<Bytes>,
    compress: fn(&[u8]) -> Bytes,
) -> Bytes {
    let mut made = None;
    let bytes = form
        .get_or_init(|| {
            let bytes = compress(&page.body);
            made = Some(bytes.len());
            bytes
        })
        .clone();
    if let Some(grown) = made {
        cache.grew(key, page, grown);
    }
    bytes
}

/// Whether the client has this version by its date (`Last-Modified` has whole seconds, so the
/// same date compares equal).
fn unmodified_since(req: &HttpRequest, page: &CachedPage) -> bool {
    req.get_header::<IfModifiedSince>()
        .is_some_and(|IfModifiedSince(since)| page.unmodified_from <= SystemTime::from(since))
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
        assert_eq!(with("br;q=0, *"), Encoding::Gzip, "a named refusal beats the wildcard");
        assert_eq!(with("*"), Encoding::Brotli);
        assert_eq!(with("GZIP;Q=0.000"), Encoding::Identity);
        assert_eq!(with("gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(negotiate(&TestRequest::default().to_http_request()), Encoding::Identity);
    }
}
