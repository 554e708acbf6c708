//! A handler that panics answers like any other failure: the 500 page with every header the
//! site sends, while the server goes on serving. Without this, actix drops the connection
//! without an answer and the worker's other requests with it.

use std::any::Any;
use std::future::{Ready, ready};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::error::InternalError;
use actix_web::http::Uri;
use actix_web::{Error, web};

use super::errors::server_error_page;
use crate::state::AppState;

/// Innermost of the middlewares, so the layers outside it (the security headers) finish its 500
/// as any other failure.
pub struct CatchPanics;

impl<S, B> Transform<S, ServiceRequest> for CatchPanics
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = CatchPanicsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CatchPanicsService { service }))
    }
}

pub struct CatchPanicsService<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for CatchPanicsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = Guarded<S::Future>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        // What the 500 page needs, kept aside: a clone of the request itself would stop the
        // router from writing the path's parameters into it.
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let uri = req.uri().clone();
        let (future, panic) = match catch_unwind(AssertUnwindSafe(|| self.service.call(req))) {
            Ok(future) => (Some(future), None),
            Err(panic) => (None, Some(panic)),
        };
        Guarded { future, panic, state, uri }
    }
}

pin_project_lite::pin_project! {
    /// The handler's answer, or the 500 page if it panicked on the way.
    pub struct Guarded<F> {
        #[pin]
        future: Option<F>,
        panic: Option<Box<dyn Any + Send>>,
        state: Option<web::Data<AppState>>,
        uri: Uri,
    }
}

impl<F, B> Future for Guarded<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<B>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Some(future) = this.future.as_mut().as_pin_mut() {
            match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
                Ok(answer) => return answer,
                Err(panic) => {
                    // A future that panicked must not be polled again.
                    this.future.set(None);
                    *this.panic = Some(panic);
                }
            }
        }
        let panic = this.panic.take().map_or_else(|| "polled after its answer".to_owned(), |panic| message(&*panic));
        tracing::error!(panic, "a handler panicked");
        // An error, not a response: the response would need the request, which the panic took.
        let page = server_error_page(this.state.as_ref().map(|state| state.get_ref()), this.uri.path());
        Poll::Ready(Err(InternalError::from_response(format!("a handler panicked: {panic}"), page).into()))
    }
}

/// What `panic!` was given, when it was text.
fn message(panic: &(dyn Any + Send)) -> String {
    match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(text), _) => (*text).to_owned(),
        (None, Some(text)) => text.clone(),
        (None, None) => "(not text)".to_owned(),
    }
}
