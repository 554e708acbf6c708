//! The lead inbox: filters, search, paging and the CSV export.

use super::{app_with_staff, jobprofiles};
use crate::helpers::Page;

#[tokio::test]
async fn the_inbox_filters_searches_and_pages_and_keeps_spam_apart() {
    let app = app_with_staff(|s| s.admin.page_size = 2).await;
    app.submit_lead("/contact?profile=backend-developer", &[("company", "Alpha Logistik")]).await;
    app.submit_lead("/contact?profile=devops-engineer", &[("company", "Beta Energie")]).await;
    app.submit_lead(
        "/de/kontakt?profile=backend-entwickler",
        &[("company", "Gamma Bank"), ("email", "kontakt@gamma.example")],
    )
    .await;
    app.submit_lead("/contact?profile=backend-developer", &[("company", "Delta Spam"), ("website", "bot")]).await;
    let staff = app.login().await;

    let rows = |page: &Page| page.select_all("table.leads tbody tr").len();
    let inbox = |query: &'static str| {
        let app = &app;
        let cookies = staff.cookies.clone();
        async move {
            Page::from_text(
                reqwest::StatusCode::OK,
                app.get_with(&format!("/admin/leads{query}"), &cookies).await.text().await.expect("body"),
            )
        }
    };
    let first = inbox("").await;
    assert_eq!(rows(&first), 2);
    assert!(first.text.contains("3 leads, page 1 of 2"), "spam is not in the work list");
    assert!(first.text_of("table.leads").contains("Gamma Bank"), "newest first");
    let next = first.attr("a[rel=next]", "href").expect("a next page");
    let second =
        Page::from_text(reqwest::StatusCode::OK, app.get_with(&next, &staff.cookies).await.text().await.expect("body"));
    assert_eq!(rows(&second), 1);
    assert!(second.text_of("table.leads").contains("Alpha Logistik"));

    let by_profile = inbox("?profile=backend-developer").await;
    assert_eq!(rows(&by_profile), 1);
    assert!(by_profile.text_of("table.leads").contains("Alpha Logistik"));
    let searched = inbox("?q=gamma.example").await;
    assert_eq!(rows(&searched), 1, "search covers the e-mail address");
    let searched = inbox("?q=ETA%20ENER").await;
    assert!(searched.text_of("table.leads").contains("Beta Energie"), "search ignores case");
    assert_eq!(rows(&inbox("?q=%25").await), 0, "a % is searched for, not a wildcard");
    assert_eq!(rows(&inbox("?from=2099-01-01").await), 0);
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let to_today = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with(&format!("/admin/leads?from={today}&to={today}"), &staff.cookies)
            .await
            .text()
            .await
            .expect("body"),
    );
    assert!(to_today.text.contains("3 leads"));
    let spam = inbox("?view=spam").await;
    assert_eq!(rows(&spam), 1);
    assert!(spam.text_of("table.leads").contains("Delta Spam"));
    assert_eq!(rows(&inbox("?status=won").await), 0);
    let yesterday = (time::OffsetDateTime::now_utc().date() - time::Duration::days(1)).to_string();
    let until_yesterday = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with(&format!("/admin/leads?to={yesterday}"), &staff.cookies).await.text().await.expect("body"),
    );
    assert_eq!(rows(&until_yesterday), 0, "the `to` date excludes today's leads");
    let gamma = app.leads().into_iter().find(|l| l.request.company.as_ref() == "Gamma Bank").expect("lead").id;
    app.post_with(
        &format!("/admin/leads/{gamma}/status"),
        &staff.cookies,
        &[("csrf_token", &staff.csrf), ("status", "contacted")],
    )
    .await;
    let contacted = inbox("?status=contacted").await;
    assert_eq!(rows(&contacted), 1);
    assert!(contacted.text_of("table.leads").contains("Gamma Bank"));
    assert_eq!(rows(&inbox("?page=abc").await), 2, "a page number that is not one shows the first page");
}

#[tokio::test]
async fn the_csv_export_opens_in_spreadsheets_and_defuses_formulas() {
    let app = app_with_staff(|_| {}).await;
    app.submit_lead(
        "/contact?profile=qa-engineer",
        &[("company", "=HYPERLINK(\"http://x\")"), ("message", "Line one of the request,\nline two with \"quotes\".")],
    )
    .await;
    let staff = app.login().await;
    let response = app.get_with("/admin/leads/export.csv", &staff.cookies).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/csv"));
    assert!(response.headers()["content-disposition"].to_str().unwrap_or_default().contains("attachment"));
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(text.starts_with("id,received,status,"));
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(text.contains("\"Line one of the request,\nline two with \"\"quotes\"\".\""), "{text}");
    assert!(text.contains(",'+49 40 1234567,"), "a phone number starting with + is defused too: {text}");
    assert!(text.lines().count() >= 2 && text.contains("\r\n"), "CRLF records");

    let cli = jobprofiles(&app).args(["leads", "export", "--format", "csv"]).output().expect("runs");
    assert!(cli.status.success());
    assert_eq!(String::from_utf8_lossy(&cli.stdout[3..]), text, "the command line exports the same");
    let later =
        jobprofiles(&app).args(["leads", "export", "--format", "csv", "--since", "2099-01-01"]).output().expect("runs");
    assert_eq!(String::from_utf8_lossy(&later.stdout[3..]).lines().count(), 1, "only the header");
}

#[tokio::test]
async fn the_export_holds_exactly_the_filtered_leads() {
    let app = app_with_staff(|_| {}).await;
    app.submit_lead("/contact?profile=backend-developer", &[("company", "Backend Buyer")]).await;
    app.submit_lead("/contact?profile=data-scientist", &[("company", "Data Buyer")]).await;
    let staff = app.login().await;
    let csv = app
        .get_with("/admin/leads/export.csv?profile=data-scientist", &staff.cookies)
        .await
        .text()
        .await
        .expect("body");
    assert!(csv.contains("Data Buyer") && !csv.contains("Backend Buyer"), "{csv}");
    let page = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with("/admin/leads?profile=data-scientist", &staff.cookies).await.text().await.expect("body"),
    );
    let href = page.attr("a[href^=\"/admin/leads/export.csv\"]", "href").expect("export link");
    assert!(href.contains("profile=data-scientist"), "the link carries the filters: {href}");
}
