//! Counters and histograms for `/metrics` (Prometheus text format, by prometheus-client).

use std::sync::Arc;

use actix_web::http::Method;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::db::leads::OutboxCounts;
use crate::domain::lead::OutboxKind;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: &'static str,
    /// The route pattern (`/profiles/{slug}`), never the path, so the label set stays small.
    pub route: Arc<str>,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: Arc<str>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LeadLabels {
    /// `person` or the spam reason.
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutboxLabels {
    /// `notification`, `confirmation` or `webhook`.
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SearchLabels {
    /// `cached`, `queried`, `rate_limited` or `busy`.
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LoginLockLabels {
    /// `client`, `network`, `account_client`, `account_delay` or `device`.
    pub lock: &'static str,
}

/// What the page cache reports: shared by the caches of every content version.
#[derive(Clone, Default)]
pub struct PageCacheMetrics {
    pub hits: Counter,
    pub misses: Counter,
    pub evictions: Counter,
    pub bytes: Gauge,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    leads: Family<LeadLabels, Counter>,
    searches: Family<SearchLabels, Counter>,
    login_locks: Family<LoginLockLabels, Counter>,
    reloads: Counter,
    reload_errors: Counter,
    outbox_pending: Family<OutboxLabels, Gauge>,
    outbox_failed: Family<OutboxLabels, Gauge>,
    page_cache: PageCacheMetrics,
    lead_commits: Counter,
    leads_waiting: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("jobprofiles");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_1, 2.0, 16))
        });
        let leads = Family::<LeadLabels, Counter>::default();
        let searches = Family::<SearchLabels, Counter>::default();
        let login_locks = Family::<LoginLockLabels, Counter>::default();
        let (reloads, reload_errors) = (Counter::default(), Counter::default());
        let (outbox_pending, outbox_failed) = (Family::default(), Family::default());
        let page_cache = PageCacheMetrics::default();
        let (lead_commits, leads_waiting) = (Counter::default(), Gauge::default());
        registry.register("http_requests", "HTTP requests by method, route and status", requests.clone());
        registry.register("http_request_duration_seconds", "Time to answer a request", latency.clone());
        registry.register("leads_created", "Hiring requests stored", leads.clone());
        registry.register("searches", "Searches by outcome: from the cache, queried, refused", searches.clone());
        registry.register("login_locks", "Staff logins locked or slowed down, by lock", login_locks.clone());
        registry.register("content_reloads", "Content folder reloads that succeeded", reloads.clone());
        registry.register("content_reload_errors", "Content folder reloads refused for errors", reload_errors.clone());
        registry.register(
            "outbox_pending",
            "Lead mails and webhook deliveries waiting to be sent, by kind",
            outbox_pending.clone(),
        );
        registry.register(
            "outbox_failed",
            "Lead mails and webhook deliveries given up on, by kind",
            outbox_failed.clone(),
        );
        registry.register("page_cache_hits", "Requests answered with a page already rendered", page_cache.hits.clone());
        registry.register(
            "page_cache_misses",
            "Pages rendered because the cache did not hold them",
            page_cache.misses.clone(),
        );
        registry.register(
            "page_cache_evictions",
            "Pages dropped to stay within the memory budget",
            page_cache.evictions.clone(),
        );
        registry.register("page_cache_bytes", "Bytes of rendered and compressed pages held", page_cache.bytes.clone());
        registry.register(
            "lead_commits",
            "Transactions that stored hiring requests, one per batch",
            lead_commits.clone(),
        );
        registry.register("leads_waiting", "Hiring requests accepted and not yet committed", leads_waiting.clone());
        Metrics {
            registry,
            requests,
            latency,
            leads,
            searches,
            login_locks,
            reloads,
            reload_errors,
            outbox_pending,
            outbox_failed,
            page_cache,
            lead_commits,
            leads_waiting,
        }
    }
}

impl Metrics {
    pub fn observe_request(&self, method: &Method, route: Arc<str>, status: u16, seconds: f64) {
        let method = method_label(method);
        self.requests.get_or_create(&RequestLabels { method, route: route.clone(), status }).inc();
        self.latency.get_or_create(&RouteLabels { route }).observe(seconds);
    }

    pub fn lead_created(&self, kind: &str) {
        self.leads.get_or_create(&LeadLabels { kind: kind.to_owned() }).inc();
    }

    /// The lead writer's meters, counted from its own task: transactions committed, leads waiting.
    pub fn lead_writer_meters(&self) -> (Counter, Gauge) {
        (self.lead_commits.clone(), self.leads_waiting.clone())
    }

    pub fn search(&self, outcome: &'static str) {
        self.searches.get_or_create(&SearchLabels { outcome }).inc();
    }

    /// The counters every version's page cache reports to.
    pub fn page_cache(&self) -> PageCacheMetrics {
        self.page_cache.clone()
    }

    /// Counts login locks from wherever they are engaged, blocking threads included.
    pub fn login_lock_counter(&self) -> impl Fn(&'static str) + Send + 'static {
        let locks = self.login_locks.clone();
        move |lock| {
            locks.get_or_create(&LoginLockLabels { lock }).inc();
        }
    }

    pub fn content_reloaded(&self, ok: bool) {
        if ok {
            self.reloads.inc()
        } else {
            self.reload_errors.inc()
        };
    }

    /// The text Prometheus scrapes, with the outbox figures given at the moment of the scrape.
    pub fn render(&self, outbox: &[(OutboxKind, OutboxCounts)]) -> String {
        for (kind, counts) in outbox {
            let labels = OutboxLabels { kind: kind.code() };
            self.outbox_pending.get_or_create(&labels).set(counts.pending);
            self.outbox_failed.get_or_create(&labels).set(counts.failed);
        }
        let mut text = String::new();
        if prometheus_client::encoding::text::encode(&mut text, &self.registry).is_err() {
            text.clear();
        }
        text
    }
}

/// Methods a client made up would each add a label value: they are counted together.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}
