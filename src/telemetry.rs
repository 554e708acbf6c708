//! Log output (human or JSON): one line per request, in its span with its id, and one per timed span as it closes.

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
use tracing::instrument::Instrumented;
use tracing::{Instrument, Metadata, Subscriber};
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::fmt::{self, MakeWriter, format::FmtSpan};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, layer::SubscriberExt};

use crate::configuration::LogFormat;

/// Installs the global subscriber; `RUST_LOG` refines the default `info` level.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let output = output(format, std::io::stderr, std::io::stderr().is_terminal());
    if let Err(e) = tracing_subscriber::registry().with(filter).with(output).try_init() {
        eprintln!("logging was already set up: {e}");
    }
}

/// The name of the span each request runs in, which carries its id.
const REQUEST_SPAN: &str = "request";

/// Every span but the request's is opened to time a job or a handler (see README, Operations).
fn is_timed(metadata: &Metadata<'_>) -> bool {
    metadata.is_span() && metadata.name() != REQUEST_SPAN
}

/// Two outputs to one writer. The log lines see no timed span, so a line logged inside one
/// still names the request's span and its `request_id` as the current one. The timings see
/// only timed spans and write one line as each closes, with how long it was busy and idle:
/// a request span is not timed, so a page view still logs one line.
fn output<S, W>(format: LogFormat, writer: W, ansi: bool) -> Box<dyn Layer<S> + Send + Sync>
where
    S: Subscriber + for<'span> LookupSpan<'span>,
    W: for<'w> MakeWriter<'w> + Clone + Send + Sync + 'static,
{
    let untimed = || filter_fn(|metadata: &Metadata<'_>| !is_timed(metadata));
    let lines = fmt::layer().with_writer(writer.clone()).with_ansi(ansi);
    let timings = fmt::layer().with_writer(writer).with_ansi(ansi).with_span_events(FmtSpan::CLOSE);
    match format {
        LogFormat::Human => lines.with_filter(untimed()).and_then(timings.with_filter(filter_fn(is_timed))).boxed(),
        LogFormat::Json => lines
            .json()
            .with_current_span(true)
            .with_filter(untimed())
            .and_then(timings.json().with_current_span(true).with_filter(filter_fn(is_timed)))
            .boxed(),
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
/// Written out rather than with `from_fn`, which boxes every request, and not on the
/// `routes::BeforeAndAfter` shell: that shell keeps nothing from a request's way in for its way
/// out and polls further in outside any span, while this needs the start time and the method
/// afterwards and must run everything further in inside the request's span.
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
        let span = tracing::info_span!(REQUEST_SPAN, request_id = %RequestId::next());
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

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Log output kept in memory.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The JSON lines written while a request runs a timed handler that logs one line.
    fn json_lines_of_a_timed_handler() -> Vec<serde_json::Value> {
        let logs = Captured::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::registry().with(output(LogFormat::Json, move || writer.clone(), false));
        tracing::subscriber::with_default(subscriber, || {
            let request = tracing::info_span!(REQUEST_SPAN, request_id = "r-1");
            let _in_request = request.enter();
            tracing::info_span!("lead_submission", lang = "en").in_scope(|| tracing::info!(lead_id = 7, "lead stored"));
        });
        let text = String::from_utf8(logs.0.lock().expect("not poisoned").clone()).expect("utf-8");
        text.lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
            .collect()
    }

    #[test]
    fn a_line_logged_inside_a_timed_span_carries_its_request_id() {
        let lines = json_lines_of_a_timed_handler();
        let stored = lines.iter().find(|line| line["fields"]["message"] == "lead stored").expect("the line is logged");
        assert_eq!(stored["span"]["request_id"], "r-1", "{stored}");
    }

    #[test]
    fn a_timed_span_logs_its_duration_as_it_closes_and_a_request_span_does_not() {
        let lines = json_lines_of_a_timed_handler();
        let closed: Vec<&serde_json::Value> =
            lines.iter().filter(|line| line["fields"]["message"] == "close").collect();
        assert_eq!(closed.len(), 1, "{lines:?}");
        assert_eq!(closed[0]["span"]["name"], "lead_submission", "{lines:?}");
        assert!(closed[0]["fields"]["time.busy"].as_str().is_some_and(|busy| !busy.is_empty()), "{lines:?}");
    }
}
