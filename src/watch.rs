//! Live reload: a change under the content folder (an edit, a save-by-rename, a `git pull`)
//! is published within a second. Bursts are coalesced; broken content leaves the last good
//! site in place and is reported until it is fixed.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use actix_web::web;
use notify::{EventKind, RecursiveMode, Watcher};
use tokio::sync::mpsc;

use crate::publish::{PublishError, Published, publish};
use crate::state::AppState;

/// Starts watching `dir`; the watch lasts as long as the runtime.
pub fn spawn(
    state: web::Data<AppState>,
    dir: PathBuf,
    base_url: Option<String>,
    search_cache_entries: usize,
    debounce: Duration,
) -> notify::Result<()> {
    // One pending signal is enough: a reload reads the whole folder anyway.
    let (tx, mut rx) = mpsc::channel::<()>(1);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading the folder produces access events; reacting to them would reload forever.
        // A watcher error or a lost event may hide a change: reload to be sure.
        let relevant = match &event {
            Ok(event) => {
                event.need_rescan()
                    || matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_))
            }
            Err(_) => true,
        };
        if relevant {
            let _ = tx.try_send(());
        }
    })?;
    watcher.watch(&dir, RecursiveMode::Recursive)?;
    tokio::spawn(async move {
        let _watcher = watcher;
        while rx.recv().await.is_some() {
            // Wait until the folder has been quiet for `debounce` since its last change: a `git
            // pull` is one reload, and an editor's save (write, then rename: a few events within
            // a millisecond) waits one debounce, not one per window the burst happened to touch.
            while let Ok(signal) = tokio::time::timeout(debounce, rx.recv()).await {
                if signal.is_none() {
                    return;
                }
            }
            reload(&state, &dir, base_url.as_deref(), search_cache_entries).await;
        }
    });
    Ok(())
}

async fn reload(
    state: &web::Data<AppState>,
    dir: &std::path::Path,
    base_url: Option<&str>,
    search_cache_entries: usize,
) {
    let mut cache = state.publishing.clone().lock_owned().await;
    let (pool, dir, base_url) = (state.pool.clone(), dir.to_owned(), base_url.map(str::to_owned));
    let task = tokio::task::spawn_blocking(move || {
        let published = publish(&dir, &pool, base_url.as_deref(), search_cache_entries, &mut cache);
        (published, cache)
    });
    let (result, _held_until_swapped) = match task.await {
        Ok((published, cache)) => (Ok(published), Some(cache)),
        Err(error) => (Err(error), None),
    };
    match result {
        Ok(Ok(Published { site, summary, written, steps })) => {
            let started = Instant::now();
            let carried = state.site.replace(site);
            let swap_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            state.set_content_status(crate::publish::ContentStatus::loaded(&summary));
            state.announce_published();
            state.metrics.content_reloaded(true);
            tracing::info!(
                scan_ms = steps.scan_ms(),
                check_ms = steps.check_ms(),
                store_ms = steps.store_ms(),
                build_ms = steps.build_ms(),
                swap_ms,
                pages_kept = carried.kept,
                pages_dropped = carried.dropped,
                added = written.added,
                changed = written.changed,
                removed = written.removed,
                "content reloaded\n{summary}"
            );
        }
        Ok(Err(PublishError::Content(diagnostics))) => {
            tracing::error!("content has errors; still serving the last good version\n{diagnostics}");
            let locations = diagnostics.errors().map(|e| format!("{}:{}:{}", e.file, e.line, e.column)).collect();
            let report = diagnostics.to_string();
            state.announce_broken(&report);
            state.set_content_status(state.content_status().failed(report, locations));
            state.metrics.content_reloaded(false);
        }
        Ok(Err(error)) => {
            let report = format!("{:#}", anyhow::Error::new(error));
            tracing::error!(error = report, "content reload failed");
            state.announce_broken(&report);
            state.set_content_status(state.content_status().failed(report, Vec::new()));
            state.metrics.content_reloaded(false);
        }
        Err(error) => tracing::error!(%error, "content reload task failed"),
    }
}
