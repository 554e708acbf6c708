//! Which methods a path takes: HEAD is answered as GET (the HTTP/1 connection drops the body
//! and keeps its `Content-Length`), and a method a path does not take gets 405 with `Allow`.

use std::future::{Ready, ready};

use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::Method;
use actix_web::{HttpResponse, Resource, web};

use crate::error::AppError;

/// What a page, feed or file answers to.
pub const GET: &str = "GET, HEAD";
/// What a form's address answers to.
pub const GET_POST: &str = "GET, HEAD, POST";
/// What an action's address answers to.
pub const POST: &str = "POST";

/// Routes HEAD as GET, so every GET route, the cached-page fast path and the compression in
/// between answer HEAD with exactly GET's status and headers. Costs a comparison per request:
/// the inner future is returned as it is.
pub struct HeadAsGet;

impl<S, B> Transform<S, ServiceRequest> for HeadAsGet
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Transform = HeadAsGetService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(HeadAsGetService { service }))
    }
}

pub struct HeadAsGetService<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for HeadAsGetService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = S::Future;

    forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        // The connection decided when it read the request that a HEAD answer has no body.
        if req.method() == Method::HEAD {
            req.head_mut().method = Method::GET;
        }
        self.service.call(req)
    }
}

/// A path whose other methods are answered 405 with `allow`.
pub fn resource(path: &str, allow: &'static str) -> Resource {
    web::resource(path).default_service(web::to(move || not_allowed(allow)))
}

async fn not_allowed(allow: &'static str) -> Result<HttpResponse, AppError> {
    Err(AppError::MethodNotAllowed(allow))
}
