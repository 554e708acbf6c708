//! For load balancers and operators: `/healthz` (the process answers), `/readyz` (both
//! databases reachable, content loaded, and what the last content load did), `/metrics` (Prometheus).

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{HttpResponse, web};
use serde_json::json;
use time::format_description::well_known::Rfc3339;

use super::methods::{GET, resource};
use super::with_leads;
use crate::domain::paths::Fixed;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource(Fixed::Healthz.path(), GET).route(web::get().to(live)))
        .service(resource(Fixed::Readyz.path(), GET).route(web::get().to(ready)));
}

pub fn configure_metrics(cfg: &mut web::ServiceConfig) {
    cfg.service(resource(Fixed::Metrics.path(), GET).route(web::get().to(metrics)));
}

/// Health answers are about this moment: no cache may keep them.
fn no_store() -> CacheControl {
    CacheControl(vec![CacheDirective::NoStore])
}

async fn live() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").insert_header(no_store()).body("ok")
}

async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let path = state.database.clone();
    let database = web::block(move || crate::db::check_readable(&path)).await.is_ok_and(|r| r.is_ok());
    let leads_database = state.leads_database.clone();
    let leads = web::block(move || crate::db::leads::check_reachable(&leads_database)).await.is_ok_and(|r| r.is_ok());
    let status = state.content_status();
    let body = json!({
        "database": if database { "ok" } else { "unreachable" },
        "leads_database": if leads { "ok" } else { "unreachable" },
        "content": {
            "loaded_at": status.loaded_at.format(&Rfc3339).unwrap_or_default(),
            "failed": status.errors.is_some(),
            "error_locations": status.error_locations,
            "failed_at": status.failed_at.and_then(|t| t.format(&Rfc3339).ok()),
        },
    });
    let mut response = if database && leads { HttpResponse::Ok() } else { HttpResponse::ServiceUnavailable() };
    response.insert_header(no_store());
    response.json(body)
}

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let outbox =
        with_leads(&state, |conn| Ok(crate::db::leads::outbox_counts_by_kind(conn)?)).await.unwrap_or_default();
    HttpResponse::Ok()
        .insert_header(no_store())
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(state.metrics.render(&outbox))
}
