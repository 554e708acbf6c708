//! The privacy notice says what the form does: every field it stores, the retention period the
//! site is configured with, and a demo notice on every page of the sample site.

use crate::helpers::{Page, TestApp, repo_path, spawn_app, spawn_app_with, spawn_configured};

const NOTICES: [(&str, &str); 2] = [("/contact", "/privacy"), ("/de/kontakt", "/de/datenschutz")];

async fn notice(app: &TestApp, path: &str) -> String {
    let page = app.page(path).await;
    assert_eq!(page.status, 200, "{path}");
    page.text_of("main")
}

#[tokio::test]
async fn the_privacy_notice_states_the_configured_retention_period_in_both_languages() {
    let app = spawn_configured(|s| s.admin.retention_days = Some(180), repo_path("content")).await;
    let en = notice(&app, "/privacy").await;
    assert!(en.contains("We keep a hiring request for 180 days after it arrived."), "{en}");
    let de = notice(&app, "/de/datenschutz").await;
    assert!(de.contains("Wir bewahren eine Anfrage 180 Tage nach ihrem Eingang auf."), "{de}");

    let off = spawn_app().await;
    let en = notice(&off, "/privacy").await;
    assert!(en.contains("This site erases hiring requests only by hand"), "{en}");
    assert!(!en.contains("{lead_retention}") && !en.contains("days after it arrived"), "{en}");
    let de = notice(&off, "/de/datenschutz").await;
    assert!(de.contains("Diese Website löscht Anfragen nur von Hand"), "{de}");
}

/// The name of each input a visitor fills in, as the form labels it: a label without its
/// remark ("Phone (optional)") and required mark, a radio group by its legend.
fn field_names(form: &Page) -> Vec<String> {
    let name = |text: String| text.replace('*', "").split(" (").next().unwrap_or_default().trim().to_owned();
    let labels = form.select_all(".lead-form .field > label").into_iter().map(|l| name(l.text().collect()));
    let groups = form.select_all(".lead-form fieldset.choices > legend").into_iter().map(|l| name(l.text().collect()));
    labels.chain(groups).collect()
}

#[tokio::test]
async fn every_field_of_the_form_is_named_in_the_privacy_notice_in_both_languages() {
    let app = spawn_app().await;
    for (form_path, notice_path) in NOTICES {
        let form = app.page(form_path).await;
        let fields = field_names(&form);
        assert_eq!(fields.len(), 12, "every input the visitor fills in: {fields:?}");
        let stored_unseen: Vec<String> = form
            .select_all(".lead-form input[type=hidden]")
            .iter()
            .filter_map(|input| input.value().attr("name"))
            .filter(|name| name.starts_with("utm_") || *name == "referrer")
            .map(str::to_owned)
            .collect();
        assert_eq!(stored_unseen.len(), 6, "the referrer and five campaign labels");
        let text = notice(&app, notice_path).await.to_lowercase();
        for field in fields.iter().chain(&stored_unseen) {
            assert!(text.contains(&field.to_lowercase()), "{notice_path} does not name {field:?}");
        }
        assert_eq!(text.matches("6(1)(b)").count() + text.matches("6 abs. 1 lit. b").count(), 1, "one legal basis");
        assert!(form.select_all(".lead-form input[type=checkbox]").is_empty(), "no consent asked for");
        assert!(form.attr(".lead-form #privacy-note a", "href").as_deref() == Some(notice_path));
    }
}

#[tokio::test]
async fn the_sample_site_says_on_every_page_that_it_is_fictional_and_a_real_site_does_not() {
    let app = spawn_app().await;
    for path in ["/", "/profiles/backend-developer", "/contact", "/privacy", "/no-such-page", "/de", "/de/datenschutz"]
    {
        let page = app.page(path).await;
        assert_eq!(page.select_all(".demo-notice").len(), 1, "{path}");
    }
    assert!(app.page("/").await.text_of(".demo-notice").contains("fictional"));
    assert!(app.page("/de").await.text_of(".demo-notice").contains("erfunden"));

    let real = spawn_app_with(repo_path("tests/fixtures/minimal")).await;
    assert!(real.page("/").await.select_all(".demo-notice").is_empty(), "demo_notice is off unless set");
}
