//! Log output (human or JSON) and one log line per request.

use std::io::IsTerminal;
use std::time::Instant;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use actix_web::Error;
use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tracing::Instrument;
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
        let prefix = PROCESS_PREFIX.get_or_init(|| crate::security::random_hex(4));
        write!(f, "{prefix}-{}", self.0)
    }
}

/// The route a response came from, for requests answered before routing (cached pages).
#[derive(Clone)]
pub struct RouteLabel(pub Arc<str>);

/// Runs the request in a span that carries its id, then logs method, path, status and latency
/// and counts it by route. Nothing personal (query strings, client addresses) is logged.
pub async fn trace_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let request_id = RequestId::next();
    let span = tracing::info_span!("request", request_id = %request_id);
    let outcome = next.call(req).instrument(span.clone()).await;
    let _in_span = span.enter();
    let response = outcome.inspect_err(|error| {
        tracing::error!(status = error.as_response_error().status_code().as_u16(), "request failed: {error}");
    })?;
    let (request, status, seconds) = (response.request(), response.status().as_u16(), started.elapsed().as_secs_f64());
    tracing::info!(method = %request.method(), path = request.path(), status, latency_ms = seconds * 1000.0, "request");
    if let Some(state) = request.app_data::<actix_web::web::Data<crate::startup::AppState>>() {
        let cached = request.extensions().get::<RouteLabel>().map(|label| label.0.clone());
        let route = cached.or_else(|| request.match_pattern().map(Arc::from)).unwrap_or_else(|| Arc::from("unmatched"));
        state.metrics.observe_request(request.method(), route, status, seconds);
    }
    Ok(response)
}
