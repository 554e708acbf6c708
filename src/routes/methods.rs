//! Which methods a path takes: HEAD is answered as GET (the HTTP/1 connection drops the body
//! and keeps its `Content-Length`), and a method a path does not take gets 405 with `Allow`.

use std::ops::ControlFlow;

use actix_web::body::EitherBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::{Error, HttpMessage, HttpResponse, Resource, web};

use super::middleware::BeforeAndAfter;
use crate::error::AppError;

/// What a page, feed or file answers to.
pub const GET: &str = "GET, HEAD";
/// What a form's address answers to.
pub const GET_POST: &str = "GET, HEAD, POST";
/// What an action's address answers to.
pub const POST: &str = "POST";

/// Left on a HEAD request routed as GET: a HEAD is no page view.
pub struct AskedForHead;

/// Routes HEAD as GET, so every GET route, the cached-page fast path and the compression in
/// between answer HEAD with exactly GET's status and headers. Costs a comparison per request.
#[derive(Clone, Copy)]
pub struct HeadAsGet;

impl BeforeAndAfter for HeadAsGet {
    fn before(&self, mut req: ServiceRequest) -> ControlFlow<ServiceResponse, ServiceRequest> {
        // The connection decided when it read the request that a HEAD answer has no body.
        if req.method() == Method::HEAD {
            req.head_mut().method = Method::GET;
            req.extensions_mut().insert(AskedForHead);
        }
        ControlFlow::Continue(req)
    }

    fn after<B>(&self, outcome: Result<ServiceResponse<B>, Error>) -> Result<ServiceResponse<EitherBody<B>>, Error> {
        outcome.map(ServiceResponse::map_into_left_body)
    }
}

/// A path whose other methods are answered 405 with `allow`.
pub fn resource(path: &str, allow: &'static str) -> Resource {
    web::resource(path).default_service(web::to(move || not_allowed(allow)))
}

async fn not_allowed(allow: &'static str) -> Result<HttpResponse, AppError> {
    Err(AppError::MethodNotAllowed(allow))
}
