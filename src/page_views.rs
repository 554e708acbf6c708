//! Views of profile pages, counted in memory and added to the lead store every flush interval
//! and once more at shutdown. Nothing about the visitor is kept, not even for the flush: a view
//! is one atomic increment on the counter its cached page holds.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use aho_corasick::AhoCorasick;

use crate::db::leads::{self, LeadPool};
use crate::domain::stats::ViewedProfile;
use crate::domain::{Lang, Slug};

/// Words by which crawlers, link previewers, monitors and scripts name themselves in their
/// `User-Agent`; compared without regard to case.
const NOT_VISITORS: [&str; 16] = [
    "bot",
    "crawl",
    "spider",
    "slurp",
    "archiver",
    "facebookexternalhit",
    "preview",
    "monitor",
    "checker",
    "headless",
    "lighthouse",
    "curl",
    "wget",
    "python",
    "go-http-client",
    "java/",
];

/// The count of one profile page in one language; its cached pages hold a clone.
#[derive(Clone, Debug)]
pub struct ViewCounter(Arc<AtomicU64>);

impl ViewCounter {
    pub fn count(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// Every counter handed out, by the profile page it counts.
pub struct PageViews {
    counters: Mutex<HashMap<ViewedProfile, Arc<AtomicU64>>>,
    not_visitors: AhoCorasick,
}

impl Default for PageViews {
    fn default() -> PageViews {
        PageViews {
            counters: Mutex::default(),
            not_visitors: AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(NOT_VISITORS)
                .expect("a few plain words make an automaton"),
        }
    }
}

impl PageViews {
    /// The counter of a profile page, for the cache to keep with the page when it is rendered.
    pub fn counter(&self, lang: Lang, slug: &Slug) -> ViewCounter {
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        let viewed = ViewedProfile { lang, slug: slug.clone() };
        ViewCounter(counters.entry(viewed).or_default().clone())
    }

    /// Whether a request with this `User-Agent` is a visitor's: one without it, or naming itself
    /// a robot or a tool, is not.
    pub fn from_visitor(&self, user_agent: Option<&[u8]>) -> bool {
        user_agent.is_some_and(|agent| !self.not_visitors.is_match(agent))
    }

    /// The views counted since the last call, each counter set back to zero. Counters no cached
    /// page holds any more and that counted nothing are forgotten.
    fn take(&self) -> Vec<(ViewedProfile, u64)> {
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        let taken = counters
            .iter()
            .filter_map(|(viewed, counter)| {
                let count = counter.swap(0, Ordering::Relaxed);
                (count > 0).then(|| (viewed.clone(), count))
            })
            .collect();
        counters.retain(|_, counter| Arc::strong_count(counter) > 1 || counter.load(Ordering::Relaxed) > 0);
        taken
    }

    /// Counts that could not be written, added again for the next flush.
    fn give_back(&self, counts: Vec<(ViewedProfile, u64)>) {
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        for (viewed, count) in counts {
            counters.entry(viewed).or_default().fetch_add(count, Ordering::Relaxed);
        }
    }

    /// Adds what was counted since the last flush to today's rows (UTC): a flush just after
    /// midnight counts the last seconds of the day before as the new day's.
    pub async fn flush(self: &Arc<PageViews>, pool: &LeadPool) {
        let counts = self.take();
        if counts.is_empty() {
            return;
        }
        let (views, pool) = (self.clone(), pool.clone());
        let written = tokio::task::spawn_blocking(move || {
            let today = time::OffsetDateTime::now_utc().date();
            let stored = pool
                .get()
                .map_err(anyhow::Error::new)
                .and_then(|mut conn| leads::add_views(&mut conn, today, &counts).map_err(anyhow::Error::new));
            if let Err(error) = stored {
                tracing::warn!(error = format!("{error:#}"), "page views not written; kept for the next flush");
                views.give_back(counts);
            }
        })
        .await;
        if let Err(error) = written {
            tracing::error!(error = %error, "the page view flush failed");
        }
    }

    /// Flushes every `interval`, for as long as the server runs.
    pub async fn flush_every(self: Arc<PageViews>, pool: LeadPool, interval: Duration) {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            self.flush(&pool).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_visitors_and_robots_tools_and_anonymous_requests_are_not() {
        let views = PageViews::default();
        let firefox = b"Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
        assert!(views.from_visitor(Some(firefox)));
        for robot in [
            &b"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"[..],
            b"Mozilla/5.0 (compatible; bingbot/2.0)",
            b"Mozilla/5.0 (compatible; YandexSpider)",
            b"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0)",
            b"facebookexternalhit/1.1",
            b"curl/8.5.0",
            b"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/140.0 Safari/537.36",
        ] {
            assert!(!views.from_visitor(Some(robot)), "{}", String::from_utf8_lossy(robot));
        }
        assert!(!views.from_visitor(None));
    }

    #[test]
    fn taken_counts_start_again_from_zero_and_unused_counters_are_forgotten() {
        let views = PageViews::default();
        let slug = Slug::parse("backend-developer").expect("a slug");
        let counter = views.counter(Lang::En, &slug);
        counter.count();
        counter.count();
        assert_eq!(views.take(), [(ViewedProfile { lang: Lang::En, slug: slug.clone() }, 2)]);
        assert_eq!(views.take(), []);
        drop(counter);
        views.give_back(vec![(ViewedProfile { lang: Lang::De, slug }, 3)]);
        assert_eq!(views.take().len(), 1, "counts given back are taken again");
        assert!(views.take().is_empty());
        assert!(views.counters.lock().expect("unpoisoned").is_empty(), "nothing holds either counter");
    }
}
