//! Routes only the test suite has (the `test-routes` feature, which no shipped build turns on):
//! a handler that panics, to prove what a panic in any handler answers.

use actix_web::{HttpResponse, web};

/// Below a segment no page or alias can take: slugs have no `_`.
pub const PANIC: &str = "/_test/panic";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(PANIC, web::get().to(panics));
}

async fn panics() -> HttpResponse {
    panic!("this handler panics on purpose, for the tests")
}
