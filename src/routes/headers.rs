//! Headers every response carries: a strict Content-Security-Policy (no inline scripts or
//! styles; JSON-LD is data and not run), no sniffing, no framing, a sparing Referrer-Policy,
//! no powerful browser features, HSTS when served over HTTPS, `Cache-Control: no-store` when
//! nothing further in said how the answer may be kept; and a limit on header size.

use std::ops::ControlFlow;

use actix_web::body::EitherBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, HeaderMap, HeaderName, HeaderValue,
};
use actix_web::{Error, HttpResponse};

use super::middleware::BeforeAndAfter;

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

impl BeforeAndAfter for SecurityHeaders {
    fn before(&self, req: ServiceRequest) -> ControlFlow<ServiceResponse, ServiceRequest> {
        let header_bytes: usize = req.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
        if header_bytes <= self.max_header_bytes {
            return ControlFlow::Continue(req);
        }
        // About this one request: no cache may hand it to another.
        let mut refused = HttpResponse::build(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
            .insert_header((CACHE_CONTROL, HeaderValue::from_static("no-store")))
            .body("Request headers too large");
        self.add_to(refused.headers_mut());
        ControlFlow::Break(req.into_response(refused))
    }

    /// An error from further in keeps its answer, now with the headers.
    fn after<B>(&self, outcome: Result<ServiceResponse<B>, Error>) -> Result<ServiceResponse<EitherBody<B>>, Error> {
        match outcome {
            Ok(mut response) => {
                self.add_to(response.headers_mut());
                Ok(response.map_into_left_body())
            }
            Err(error) => {
                let mut response = error.error_response();
                self.add_to(response.headers_mut());
                Err(InternalError::from_response(error, response).into())
            }
        }
    }
}
