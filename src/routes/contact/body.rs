//! Reads a form body strictly: only `application/x-www-form-urlencoded`, and only valid UTF-8
//! after percent-decoding. Lenient decoders would turn broken bytes into U+FFFD silently.

use actix_web::HttpRequest;
use actix_web::http::header::CONTENT_TYPE;
use percent_encoding::percent_decode;

use super::lead_form::LeadForm;
use crate::error::AppError;

pub fn parse(req: &HttpRequest, body: &[u8]) -> Result<LeadForm, AppError> {
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    decode(content_type, body)
}

/// The form in a body of the given `Content-Type`.
pub fn decode(content_type: &str, body: &[u8]) -> Result<LeadForm, AppError> {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(AppError::UnsupportedMediaType);
    }
    for pair in body.split(|&b| b == b'&') {
        let with_spaces: Vec<u8> = pair.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
        if percent_decode(&with_spaces).decode_utf8().is_err() {
            return Err(AppError::BadRequest("form body is not UTF-8".into()));
        }
    }
    serde_urlencoded::from_bytes(body).map_err(|e| AppError::BadRequest(format!("form body: {e}")))
}
