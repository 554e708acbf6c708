//! Which profiles bring requests: page views counted and flushed to the lead store, and the staff
//! page and CSV that show them with the leads.

use std::time::Duration;

use jobprofiles::db::leads;
use jobprofiles::domain::stats::{ProfileStats, ViewedProfile};
use jobprofiles::domain::{Lang, Slug};

use super::app_with_staff;
use crate::helpers::{Page, TestApp, eventually, spawn_configured};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

impl TestApp {
    async fn view_as(&self, path: &str, user_agent: Option<&str>) -> reqwest::StatusCode {
        let mut request = self.client.get(format!("{}{path}", self.address));
        if let Some(agent) = user_agent {
            request = request.header("User-Agent", agent);
        }
        request.send().await.expect("sent").status()
    }

    /// What the stats of the last 90 days say, as the store holds them now.
    fn stats(&self) -> Vec<ProfileStats> {
        let today = time::OffsetDateTime::now_utc().date();
        leads::profile_stats(&mut self.lead_store().get().expect("connection"), today - time::Duration::days(89))
            .expect("stats")
    }

    fn views_of(&self, lang: Lang, slug: &str) -> Option<u64> {
        let slug = Slug::parse(slug).ok();
        self.stats().into_iter().find(|row| row.lang == lang && row.profile == slug).map(|row| row.views)
    }

    /// Adds views to a past day's rows, as an instance's flush that day would have.
    fn viewed_on(&self, days_ago: i64, lang: Lang, slug: &str, views: u64) {
        let day = time::OffsetDateTime::now_utc().date() - time::Duration::days(days_ago);
        let viewed = ViewedProfile { lang, slug: Slug::parse(slug).expect("a slug") };
        leads::add_views(&mut self.lead_store().get().expect("connection"), day, &[(viewed, views)]).expect("added");
    }
}

fn flushing_often(settings: &mut jobprofiles::configuration::Settings) {
    settings.views_flush_ms = 20;
}

#[tokio::test]
async fn profile_views_of_browsers_are_counted_and_flushed_but_robots_head_requests_and_anonymous_ones_are_not() {
    let app = spawn_configured(flushing_often, crate::helpers::repo_path("content")).await;
    // Robots, HEAD requests and requests without a User-Agent, on a page no browser asks for.
    assert_eq!(app.view_as("/profiles/devops-engineer", Some(GOOGLEBOT)).await, 200, "a robot renders the page");
    assert_eq!(app.view_as("/profiles/devops-engineer", Some(GOOGLEBOT)).await, 200, "and gets it from the cache");
    assert_eq!(app.view_as("/profiles/devops-engineer", Some("curl/8.5.0")).await, 200);
    assert_eq!(app.view_as("/profiles/devops-engineer", None).await, 200);
    let head = app
        .client
        .head(format!("{}/profiles/devops-engineer", app.address))
        .header("User-Agent", FIREFOX)
        .send()
        .await
        .expect("sent");
    assert_eq!(head.status(), 200);
    // Browsers: the first view renders the page, the next come from the cache before routing,
    // one with a query string is answered by the handler from the cache.
    for path in
        ["/profiles/backend-developer", "/profiles/backend-developer", "/profiles/backend-developer?utm_source=x"]
    {
        assert_eq!(app.view_as(path, Some(FIREFOX)).await, 200, "{path}");
    }
    assert_eq!(app.view_as("/de/profile/backend-entwickler", Some(FIREFOX)).await, 200);
    assert_eq!(app.view_as("/profiles", Some(FIREFOX)).await, 200, "the index is no profile page");

    let counted = eventually(Duration::from_secs(10), async || {
        let en = app.views_of(Lang::En, "backend-developer");
        (en == Some(3) && app.views_of(Lang::De, "backend-entwickler") == Some(1)).then_some(())
    })
    .await;
    assert!(counted.is_some(), "three views in English and one in German flushed: {:?}", app.stats());
    // Every robot's request was answered before the last browser's view was counted, so a flush
    // that holds that view holds theirs too, had they been counted.
    assert_eq!(app.views_of(Lang::En, "devops-engineer"), None, "{:?}", app.stats());
    assert_eq!(app.stats().len(), 2, "no other page counts: {:?}", app.stats());
}

#[tokio::test]
async fn views_counted_since_the_last_flush_are_written_when_the_server_stops() {
    let app = spawn_configured(|s| s.views_flush_ms = 3_600_000, crate::helpers::repo_path("content")).await;
    for _ in 0..2 {
        assert_eq!(app.view_as("/profiles/backend-developer", Some(FIREFOX)).await, 200);
    }
    assert_eq!(app.views_of(Lang::En, "backend-developer"), None, "not flushed before the hour is up");
    app.stop().await;
    let written = eventually(Duration::from_secs(10), async || {
        (app.views_of(Lang::En, "backend-developer") == Some(2)).then_some(())
    })
    .await;
    assert!(written.is_some(), "the views are written at shutdown: {:?}", app.stats());
}

#[tokio::test]
async fn views_of_several_flushes_and_days_add_up_in_the_store() {
    let app = spawn_configured(flushing_often, crate::helpers::repo_path("content")).await;
    app.viewed_on(0, Lang::En, "backend-developer", 5);
    assert_eq!(app.view_as("/profiles/backend-developer", Some(FIREFOX)).await, 200);
    let added = eventually(Duration::from_secs(10), async || {
        (app.views_of(Lang::En, "backend-developer") == Some(6)).then_some(())
    })
    .await;
    assert!(added.is_some(), "a flush adds to the day's row another instance wrote: {:?}", app.stats());
}

/// The stats page as a logged-in browser gets it.
async fn stats_page(app: &TestApp, cookies: &str, query: &str) -> Page {
    let response = app.get_with(&format!("/admin/stats{query}"), cookies).await;
    assert_eq!(response.status(), 200, "{query}");
    Page::from_text(reqwest::StatusCode::OK, response.text().await.expect("body"))
}

/// The table's rows as their cells' text.
fn table(page: &Page) -> Vec<Vec<String>> {
    page.select_all("table.stats tbody tr")
        .iter()
        .map(|row| {
            let cell = scraper::Selector::parse("td").expect("selector");
            row.select(&cell).map(|td| td.text().collect::<String>().trim().to_owned()).collect()
        })
        .collect()
}

#[tokio::test]
async fn the_stats_page_shows_views_leads_spam_and_conversion_per_profile_for_the_period() {
    let app = app_with_staff(flushing_often).await;
    for _ in 0..4 {
        assert_eq!(app.view_as("/profiles/backend-developer", Some(FIREFOX)).await, 200);
    }
    assert_eq!(app.view_as("/de/profile/backend-entwickler", Some(FIREFOX)).await, 200);
    app.submit_lead("/contact?profile=backend-developer", &[("company", "Alpha Logistik")]).await;
    app.submit_lead("/contact?profile=backend-developer", &[("company", "Delta Spam"), ("website", "bot")]).await;
    app.submit_lead("/contact", &[("company", "Omega Werke")]).await;
    app.viewed_on(40, Lang::En, "devops-engineer", 9);
    let flushed = eventually(Duration::from_secs(10), async || {
        (app.views_of(Lang::En, "backend-developer") == Some(4)).then_some(())
    })
    .await;
    assert!(flushed.is_some(), "{:?}", app.stats());
    let staff = app.login().await;

    let month = stats_page(&app, &staff.cookies, "").await;
    assert_eq!(
        table(&month),
        [
            ["Backend Developer", "en", "4", "1", "1", "25.0 %"],
            ["Backend-Entwickler", "de", "1", "0", "0", "0.0 %"],
            ["Contact form without a profile", "en", "0", "1", "0", "–"],
        ],
        "the last 30 days by views, most first"
    );
    assert_eq!(month.attr("table.stats tbody a", "href").as_deref(), Some("/profiles/backend-developer"));
    assert!(month.text.contains("last 30 days"));
    let chart = month.select_all("figure.stats-chart svg[role=img]");
    assert_eq!(chart.len(), 1, "a chart with a text alternative");
    assert!(month.text_of("svg title").contains("most viewed profile pages"));
    assert_eq!(month.select_all("svg rect").len(), 2, "a bar per viewed row");

    let quarter = stats_page(&app, &staff.cookies, "?period=90").await;
    assert_eq!(table(&quarter)[0][..3], ["DevOps Engineer", "en", "9"], "40 days ago is in the last 90 days");
    let week = stats_page(&app, &staff.cookies, "?period=7").await;
    assert_eq!(table(&week).len(), 3);
    assert_eq!(
        week.attr("nav[aria-label=Period] a[aria-current=page]", "href").as_deref(),
        Some("/admin/stats?period=7&sort=views&order=desc")
    );
    let links: Vec<String> = month
        .select_all("nav[aria-label=Period] a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert_eq!(
        links,
        ["7", "30", "90"].map(|days| format!("/admin/stats?period={days}&sort=views&order=desc")),
        "each period is a link that keeps the order"
    );
}

#[tokio::test]
async fn the_stats_are_sorted_by_each_column_with_links_and_exported_as_the_same_rows() {
    let app = app_with_staff(flushing_often).await;
    for (path, views) in [("/profiles/backend-developer", 3), ("/profiles/devops-engineer", 1)] {
        for _ in 0..views {
            assert_eq!(app.view_as(path, Some(FIREFOX)).await, 200);
        }
    }
    app.submit_lead("/contact?profile=devops-engineer", &[]).await;
    let flushed = eventually(Duration::from_secs(10), async || {
        (app.views_of(Lang::En, "backend-developer") == Some(3) && app.views_of(Lang::En, "devops-engineer") == Some(1))
            .then_some(())
    })
    .await;
    assert!(flushed.is_some(), "{:?}", app.stats());
    let staff = app.login().await;
    let first_column = |page: &Page| table(page).into_iter().map(|row| row[0].clone()).collect::<Vec<_>>();

    let by_views = stats_page(&app, &staff.cookies, "").await;
    assert_eq!(first_column(&by_views), ["Backend Developer", "DevOps Engineer"]);
    assert_eq!(by_views.attr("th[aria-sort]", "aria-sort").as_deref(), Some("descending"));
    let conversion_link = by_views.attr("th:nth-child(6) a", "href").expect("a link on the conversion heading");
    assert_eq!(conversion_link, "/admin/stats?period=30&sort=conversion&order=desc");
    let by_conversion = stats_page(&app, &staff.cookies, &conversion_link["/admin/stats".len()..]).await;
    assert_eq!(first_column(&by_conversion), ["DevOps Engineer", "Backend Developer"]);
    let views_link = by_views.attr("th:nth-child(3) a", "href").expect("a link on the sorted heading");
    assert_eq!(views_link, "/admin/stats?period=30&sort=views&order=asc", "the sorted column's link turns the order");
    let ascending = stats_page(&app, &staff.cookies, &views_link["/admin/stats".len()..]).await;
    assert_eq!(first_column(&ascending), ["DevOps Engineer", "Backend Developer"]);
    assert_eq!(ascending.attr("th[aria-sort]", "aria-sort").as_deref(), Some("ascending"));
    let by_name = stats_page(&app, &staff.cookies, "?sort=profile").await;
    assert_eq!(first_column(&by_name), ["Backend Developer", "DevOps Engineer"], "names sort A to Z first");

    let export = ascending.attr("a[href^=\"/admin/stats.csv\"]", "href").expect("an export link");
    assert_eq!(export, "/admin/stats.csv?period=30&sort=views&order=asc");
    let response = app.get_with(&export, &staff.cookies).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let csv = response.text().await.expect("body");
    assert_eq!(
        csv.trim_start_matches('\u{feff}'),
        "profile,lang,views,leads,spam,conversion_percent\r\n\
         devops-engineer,en,1,1,0,100.00\r\n\
         backend-developer,en,3,0,0,0.00\r\n",
        "the page's rows in the page's order"
    );
}

#[tokio::test]
async fn the_stats_need_a_staff_login_and_refuse_unknown_periods_and_columns() {
    let app = app_with_staff(|_| {}).await;
    for path in ["/admin/stats", "/admin/stats.csv?period=7"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        let location = response.headers()["location"].to_str().expect("text").to_owned();
        assert!(location.starts_with("/admin/login"), "{path} → {location}");
    }
    let staff = app.login().await;
    for query in ["?period=14", "?sort=email", "?sort=views&order=sideways", "?period=7%3B"] {
        for path in ["/admin/stats", "/admin/stats.csv"] {
            let response = app.get_with(&format!("{path}{query}"), &staff.cookies).await;
            assert_eq!(response.status(), 400, "{path}{query}");
        }
    }
    let response = app.post_with("/admin/stats", &staff.cookies, &[("csrf_token", &staff.csrf)]).await;
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET, HEAD");
}
