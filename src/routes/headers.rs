//! Headers every response carries: a strict Content-Security-Policy (no inline scripts or
//! styles; JSON-LD is data and not run), no sniffing, no framing, a sparing Referrer-Policy,
//! no powerful browser features, HSTS when served over HTTPS, `Cache-Control: no-store` when
//! nothing further in said how the answer may be kept; and a limit on header size.
//! A hand-written middleware rather than `from_fn`: it runs on every request, and this one
//! allocates nothing.

use std::future::{Ready, ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, HeaderMap, HeaderName, HeaderValue,
};
use actix_web::{Error, HttpResponse};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
                   connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const ALWAYS: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
    ("cross-origin-opener-policy", "same-origin"),
];

#[derive(Debug, Clone, Copy)]
pub struct SecurityHeaders {
    /// Requests whose header names and values add up to more get 431.
    pub max_header_bytes: usize,
    /// Served over HTTPS: send Strict-Transport-Security.
    pub hsts: bool,
}

impl SecurityHeaders {
    fn add_to(self, headers: &mut HeaderMap) {
        // A policy of the response's own (the sandbox of an SVG) applies as well, after the site's.
        let own = headers.remove(CONTENT_SECURITY_POLICY);
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
        for policy in own {
            headers.append(CONTENT_SECURITY_POLICY, policy);
        }
        for (name, value) in ALWAYS {
            headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        // An answer nobody said may be kept (the compression's 406, a redirect to the login
        // page) is about this one request.
        if !headers.contains_key(CACHE_CONTROL) {
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        // Media mark themselves `identity` so the compression passes them by; it is no coding a
        // client needs to hear of (RFC 9110, 8.4.1).
        if headers.get(CONTENT_ENCODING).is_some_and(|coding| coding == "identity") {
            headers.remove(CONTENT_ENCODING);
        }
        if self.hsts {
            headers.insert(
                HeaderName::from_static("strict-transport-security"),
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            );
        }
    }
}

impl<S, B> Transform<S, ServiceRequest> for SecurityHeaders
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = SecurityHeadersService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(SecurityHeadersService { service, settings: *self }))
    }
}

pub struct SecurityHeadersService<S> {
    service: S,
    settings: SecurityHeaders,
}

impl<S, B> Service<ServiceRequest> for SecurityHeadersService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = WithHeaders<S::Future, B>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let header_bytes: usize = req.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
        let settings = self.settings;
        if header_bytes > settings.max_header_bytes {
            // About this one request: no cache may hand it to another.
            let refused = HttpResponse::build(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
                .insert_header((CACHE_CONTROL, HeaderValue::from_static("no-store")))
                .body("Request headers too large");
            let refused = req.into_response(refused).map_into_right_body();
            return WithHeaders { called: None, refused: Some(refused), settings };
        }
        WithHeaders { called: Some(self.service.call(req)), refused: None, settings }
    }
}

/// An error from further in keeps its answer, now with the headers.
fn with_headers(error: Error, settings: SecurityHeaders) -> Error {
    let mut response = error.error_response();
    settings.add_to(response.headers_mut());
    InternalError::from_response(error, response).into()
}

pin_project_lite::pin_project! {
    /// The inner service's answer, or the refusal, with the headers added.
    pub struct WithHeaders<F, B> {
        #[pin]
        called: Option<F>,
        refused: Option<ServiceResponse<EitherBody<B, BoxBody>>>,
        settings: SecurityHeaders,
    }
}

impl<F, B> Future for WithHeaders<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let mut response = match (this.refused.take(), this.called.as_mut().as_pin_mut()) {
            (Some(refused), _) => refused,
            (None, Some(called)) => match called.poll(cx) {
                Poll::Ready(result) => {
                    this.called.set(None);
                    match result {
                        Ok(response) => response.map_into_left_body(),
                        Err(error) => return Poll::Ready(Err(with_headers(error, *this.settings))),
                    }
                }
                Poll::Pending => return Poll::Pending,
            },
            // Polled again after it was ready: there is nothing left to give.
            (None, None) => return Poll::Pending,
        };
        this.settings.add_to(response.headers_mut());
        Poll::Ready(Ok(response))
    }
}
