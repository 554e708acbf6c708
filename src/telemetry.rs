//! Log output (human or JSON) and one log line per request.

use std::io::IsTerminal;
use std::time::Instant;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use std::future::{Ready, ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::Error;
use actix_web::HttpMessage;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::Method;
use tracing::Instrument;
use tracing::instrument::Instrumented;
use tracing_subscriber::EnvFilter;

use crate::configuration::LogFormat;

/// Installs the global subscriber; `RUST_LOG` refines the default `info` level.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let result = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().with_current_span(true).try_init(),
    };
    if let Err(e) = result {
        eprintln!("logging was already set up: {e}");
    }
}

/// Which request a log line belongs to: a random prefix per process and a counter, so ids
/// stay unique across restarts without asking the operating system for randomness per request.
#[derive(Clone, Copy, Debug)]
pub struct RequestId(u64);

static PROCESS_PREFIX: OnceLock<String> = OnceLock::new();
static NEXT_REQUEST: AtomicU64 = AtomicU64::new(1);

impl RequestId {
    fn next() -> RequestId {
        RequestId(NEXT_REQUEST.fetch_add(1, Ordering::Relaxed))
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Without randomness from the system, the process id still tells processes apart.
        let prefix =
            PROCESS_PREFIX.get_or_init(|| format!("{:08x}", getrandom::u32().unwrap_or_else(|_| std::process::id())));
        write!(f, "{prefix}-{}", self.0)
    }
}

/// The route a response came from, for requests answered before routing (cached pages).
#[derive(Clone)]
pub struct RouteLabel(pub Arc<str>);

/// Set by a handler whose path carries a secret (a preview link's token): the request's log
/// line then names the route pattern instead of the path, so whoever reads logs cannot open it.
#[derive(Clone, Copy)]
pub struct SecretInPath;

/// Runs each request in a span that carries its id, then logs method, path, status and latency
/// and counts it by route. Nothing personal (query strings, client addresses) is logged.
/// Written out rather than with `from_fn`, which boxes every request.
pub struct TraceRequests;

impl<S, B> Transform<S, ServiceRequest> for TraceRequests
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = TraceRequestsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(TraceRequestsService { service }))
    }
}

pub struct TraceRequestsService<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for TraceRequestsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = Traced<S::Future>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let started = Instant::now();
        // Read before the routes see it: HEAD is routed as GET further in.
        let method = req.method().clone();
        let span = tracing::info_span!("request", request_id = %RequestId::next());
        let inner = span.in_scope(|| self.service.call(req));
        Traced { inner: inner.instrument(span), started, method }
    }
}

pin_project_lite::pin_project! {
    pub struct Traced<F> {
        #[pin]
        inner: Instrumented<F>,
        started: Instant,
        method: Method,
    }
}

impl<F, B> Future for Traced<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let outcome = match this.inner.as_mut().poll(cx) {
            Poll::Ready(outcome) => outcome,
            Poll::Pending => return Poll::Pending,
        };
        let _in_span = this.inner.as_ref().get_ref().span().enter();
        let response = outcome.inspect_err(|error| {
            tracing::error!(status = error.as_response_error().status_code().as_u16(), "request failed: {error}");
        })?;
        let (request, status) = (response.request(), response.status().as_u16());
        let seconds = this.started.elapsed().as_secs_f64();
        let pattern = request.extensions().contains::<SecretInPath>().then(|| request.match_pattern()).flatten();
        let path = pattern.as_deref().unwrap_or(request.path());
        tracing::info!(method = %this.method, path, status, latency_ms = seconds * 1000.0, "request");
        if let Some(state) = request.app_data::<actix_web::web::Data<crate::state::AppState>>() {
            let cached = request.extensions().get::<RouteLabel>().map(|label| label.0.clone());
            let route =
                cached.or_else(|| request.match_pattern().map(Arc::from)).unwrap_or_else(|| Arc::from("unmatched"));
            state.metrics.observe_request(this.method, route, status, seconds);
        }
        Poll::Ready(Ok(response))
    }
}
