//! The one shell of the middlewares written out by hand: each says what it does to a request
//! on its way in and to the answer on its way out, and [`Middleware`] plugs that into actix.
//! Not `from_fn`, which boxes every request: this shell allocates nothing, it wraps the inner
//! future and the body in an enum.

use std::future::{Ready, ready};
use std::ops::ControlFlow;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::Error;
use actix_web::body::EitherBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};

/// What a middleware does around everything further in.
pub trait BeforeAndAfter: Clone {
    /// Sees the request first: passes it on (`Continue`) or answers it here (`Break`), and
    /// then nothing further in sees it.
    fn before(&self, req: ServiceRequest) -> ControlFlow<ServiceResponse, ServiceRequest>;

    /// Finishes what came back from further in.
    fn after<B>(&self, outcome: Result<ServiceResponse<B>, Error>) -> Result<ServiceResponse<EitherBody<B>>, Error>;
}

/// A [`BeforeAndAfter`] as an actix middleware: `.wrap(Middleware(routes::HeadAsGet))`.
pub struct Middleware<M>(pub M);

impl<S, B, M> Transform<S, ServiceRequest> for Middleware<M>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    M: BeforeAndAfter,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = MiddlewareService<S, M>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(MiddlewareService { service, middleware: self.0.clone() }))
    }
}

pub struct MiddlewareService<S, M> {
    service: S,
    middleware: M,
}

impl<S, B, M> Service<ServiceRequest> for MiddlewareService<S, M>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    M: BeforeAndAfter,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = Answer<S::Future, M, B>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let middleware = self.middleware.clone();
        match self.middleware.before(req) {
            ControlFlow::Continue(req) => Answer { further: Some(self.service.call(req)), here: None, middleware },
            ControlFlow::Break(response) => {
                Answer { further: None, here: Some(response.map_into_right_body()), middleware }
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// The answer from further in, finished by the middleware, or the middleware's own.
    pub struct Answer<F, M, B> {
        #[pin]
        further: Option<F>,
        here: Option<ServiceResponse<EitherBody<B>>>,
        middleware: M,
    }
}

impl<F, M, B> Future for Answer<F, M, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    M: BeforeAndAfter,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Some(response) = this.here.take() {
            return Poll::Ready(Ok(response));
        }
        // Polled again after it was ready: there is nothing left to give.
        let Some(further) = this.further.as_mut().as_pin_mut() else {
            return Poll::Pending;
        };
        let outcome = std::task::ready!(further.poll(cx));
        this.further.set(None);
        Poll::Ready(this.middleware.after(outcome))
    }
}
