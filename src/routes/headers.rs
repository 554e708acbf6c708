//! Headers every response carries: a strict Content-Security-Policy (no inline scripts or
//! styles; JSON-LD is data and not run), no sniffing, no framing, a sparing Referrer-Policy,
//! no powerful browser features, HSTS when served over HTTPS; and a limit on header size.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};

use crate::startup::AppState;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
                   connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let (limit, hsts) =
        req.app_data::<web::Data<AppState>>().map_or((usize::MAX, false), |s| (s.max_header_bytes, s.hsts));
    let header_bytes: usize = req.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    let mut response = if header_bytes > limit {
        let refused =
            HttpResponse::build(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE).body("Request headers too large");
        req.into_response(refused).map_into_right_body()
    } else {
        next.call(req).await?.map_into_left_body()
    };
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    };
    set("content-security-policy", CSP);
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("referrer-policy", "strict-origin-when-cross-origin");
    set("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()");
    set("cross-origin-opener-policy", "same-origin");
    if hsts {
        set("strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    Ok(response)
}
