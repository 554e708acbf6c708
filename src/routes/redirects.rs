//! Old and variant URLs answer `301 Moved Permanently` to the canonical one, query kept,
//! before any route sees them.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};

use crate::state::AppState;

/// A content change can take an old address back: without this, browsers keep a 301 for good.
pub(super) const REDIRECT_CACHE_CONTROL: &str = "public, max-age=300";

pub async fn canonical_urls(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let target = req.app_data::<web::Data<AppState>>().and_then(|state| {
        let site = state.site.current();
        site.redirect_for(req.path()).map(|target| match req.query_string() {
            "" => target.into_owned(),
            query => format!("{target}?{query}"),
        })
    });
    match target {
        Some(location) => {
            let response = HttpResponse::MovedPermanently()
                .insert_header((header::LOCATION, location))
                .insert_header((header::CACHE_CONTROL, REDIRECT_CACHE_CONTROL))
                .finish();
            Ok(req.into_response(response).map_into_right_body())
        }
        None => Ok(next.call(req).await?.map_into_left_body()),
    }
}
