//! `serve --dev` only: a server-sent-events stream that tells an open page when a publish has
//! finished (the page then asks whether it changed) or that the content folder has errors.

use std::convert::Infallible;
use std::fmt::Write;
use std::time::Duration;

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpResponse, web};
use bytes::Bytes;
use tokio::sync::watch;

use super::methods::{GET, resource};
use crate::domain::paths::Fixed;
use crate::error::AppError;
use crate::live_reload::ContentEvent;
use crate::state::AppState;

/// A comment line this often keeps proxies and browsers from closing a quiet stream.
const KEEP_ALIVE: Duration = Duration::from_secs(25);

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource(Fixed::LiveReload.path(), GET).route(web::get().to(events)));
}

async fn events(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let receiver = state.live_reload.as_ref().ok_or(AppError::NotFound)?.subscribe();
    let stream = futures_util::stream::unfold((receiver, true), |(mut receiver, first)| async move {
        if !first {
            match tokio::time::timeout(KEEP_ALIVE, receiver.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_stopping)) => return None,
                Err(_quiet) => return Some((Ok(Bytes::from_static(b": keep-alive\n\n")), (receiver, false))),
            }
        }
        let frame = frame(&current(&mut receiver), first);
        Some((Ok::<_, Infallible>(Bytes::from(frame)), (receiver, false)))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        // Compression would hold events back until its buffer fills.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .streaming(stream))
}

fn current(receiver: &mut watch::Receiver<ContentEvent>) -> ContentEvent {
    receiver.borrow_and_update().clone()
}

/// The first frame says how things stand (`ready` or `broken`); later ones say what happened.
fn frame(event: &ContentEvent, first: bool) -> String {
    match event {
        ContentEvent::Published(serial) if first => format!("event: ready\ndata: {serial}\n\n"),
        ContentEvent::Published(serial) => format!("event: published\ndata: {serial}\n\n"),
        ContentEvent::Broken(report) => {
            let mut frame = String::from("event: broken\n");
            for line in report.lines() {
                let _ = writeln!(frame, "data: {line}");
            }
            frame.push('\n');
            frame
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_of_several_lines_is_one_event_with_a_data_line_each() {
        let report = "profiles/en/a.md:3:7: error: unknown field\n  |\n3 | salry = 1";
        assert_eq!(
            frame(&ContentEvent::Broken(report.to_owned()), false),
            "event: broken\ndata: profiles/en/a.md:3:7: error: unknown field\ndata:   |\ndata: 3 | salry = 1\n\n"
        );
        assert_eq!(frame(&ContentEvent::Published(4), true), "event: ready\ndata: 4\n\n");
        assert_eq!(frame(&ContentEvent::Published(5), false), "event: published\ndata: 5\n\n");
    }
}
