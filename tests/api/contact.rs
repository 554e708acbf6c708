use std::time::Duration;

use jobprofiles::db::leads;
use jobprofiles::domain::lead::LeadStatus;
use jobprofiles::security::{FormTokens, Secret};

use crate::helpers::{
    Page, PostgresDatabase, TestApp, eventually, repo_path, settings, spawn, spawn_app, spawn_configured,
};
use crate::smtp_sink::SmtpSink;

/// A rendered form as a browser holds it: its hidden fields and the CSRF cookie.
pub(crate) struct OpenForm {
    action: String,
    cookie: String,
    /// The prefilled fields, hidden ones included.
    hidden: Vec<(String, String)>,
}

impl TestApp {
    pub(crate) async fn open_form(&self, path: &str) -> OpenForm {
        self.open_form_with(path, None).await
    }

    pub(crate) async fn open_form_with(&self, path: &str, referrer: Option<&str>) -> OpenForm {
        let mut request = self.client.get(format!("{}{path}", self.address));
        if let Some(referrer) = referrer {
            request = request.header("Referer", referrer);
        }
        let response = request.send().await.expect("form page");
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let set_cookie = response.headers()["set-cookie"].to_str().expect("ascii").to_owned();
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"), "{set_cookie}");
        let cookie = set_cookie.split(';').next().expect("cookie pair").to_owned();
        let page = Page::from_text(reqwest::StatusCode::OK, response.text().await.expect("body"));
        // What a browser would send untouched: every input with its value, checked boxes only.
        let hidden = page
            .select_all("form.lead-form input")
            .iter()
            .filter(|input| {
                !matches!(input.value().attr("type"), Some("radio" | "checkbox"))
                    || input.value().attr("checked").is_some()
            })
            .map(|input| {
                (
                    input.value().attr("name").unwrap_or_default().to_owned(),
                    input.value().attr("value").unwrap_or_default().to_owned(),
                )
            })
            .collect();
        OpenForm { action: page.attr("form.lead-form", "action").expect("action"), cookie, hidden }
    }

    pub(crate) async fn send(&self, form: &OpenForm, fields: &[(&str, &str)]) -> reqwest::Response {
        self.form_post(form, fields).send().await.expect("posted")
    }

    /// `send` through a proxy on loopback that says the request came from `forwarded_for`.
    pub(crate) async fn send_forwarded(
        &self,
        form: &OpenForm,
        fields: &[(&str, &str)],
        forwarded_for: impl AsRef<[u8]>,
    ) -> reqwest::Response {
        self.form_post(form, fields).header("X-Forwarded-For", forwarded_for.as_ref()).send().await.expect("posted")
    }

    fn form_post(&self, form: &OpenForm, fields: &[(&str, &str)]) -> reqwest::RequestBuilder {
        let mut body: Vec<(String, String)> = form.hidden.clone();
        for (key, value) in fields {
            body.retain(|(k, _)| k != key);
            body.push(((*key).to_owned(), (*value).to_owned()));
        }
        self.client.post(format!("{}{}", self.address, form.action)).header("Cookie", &form.cookie).form(&body)
    }

    async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .expect("posted")
    }

    pub(crate) fn leads(&self) -> Vec<jobprofiles::domain::lead::Lead> {
        leads::recent_leads(&mut self.lead_store().get().expect("connection"), 100).expect("leads")
    }

    pub(crate) fn outbox(&self) -> leads::OutboxCounts {
        leads::outbox_counts(&mut self.lead_store().get().expect("connection")).expect("outbox")
    }
}

pub(crate) const VALID: &[(&str, &str)] = &[
    ("role", "Backend Developer"),
    ("company", "Nordlicht Logistik GmbH"),
    ("name", "Erika Muster"),
    ("email", "erika.muster@nordlicht.example"),
    ("phone", "+49 40 1234567"),
    ("headcount", "2"),
    ("engagement", "permanent"),
    ("work_mode", "hybrid"),
    ("location", "Hamburg"),
    ("budget", "€70,000 a year"),
    ("message", "We are building a routing platform and need two backend developers from spring."),
];

pub(crate) fn valid_with(overrides: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut fields: Vec<(&str, &str)> =
        VALID.iter().filter(|(k, _)| !overrides.iter().any(|(o, _)| o == k)).copied().collect();
    fields.extend(overrides.iter().filter(|(_, v)| *v != "<absent>").copied());
    fields
}

#[tokio::test]
async fn the_form_is_prefilled_from_the_profile_with_labels_and_autocomplete_in_both_languages() {
    let app = spawn_app().await;
    let en = app.page("/contact?profile=backend-developer").await;
    assert_eq!(en.attr("#field-role", "value").as_deref(), Some("Backend Developer"));
    assert_eq!(en.attr("input[name=profile]", "value").as_deref(), Some("backend-developer"));
    for (id, autocomplete) in
        [("field-company", "organization"), ("field-name", "name"), ("field-email", "email"), ("field-phone", "tel")]
    {
        assert_eq!(en.attr(&format!("#{id}"), "autocomplete").as_deref(), Some(autocomplete), "{id}");
        assert_eq!(en.select_all(&format!("label[for={id}]")).len(), 1, "{id} has a label");
    }
    assert_eq!(en.attr("form.lead-form", "method").as_deref(), Some("post"));
    assert!(en.text_of(".form-aside").contains("Lena Hoffmann"));
    assert!(en.select_all(".lead-form a[href=\"/privacy\"]").len() == 1, "the privacy notice linked from the form");
    assert!(en.select_all(".lead-form input[type=checkbox]").is_empty(), "consent is not the legal basis: no checkbox");

    let de = app.page("/de/kontakt?profile=backend-entwickler").await;
    assert_eq!(de.attr("html", "lang").as_deref(), Some("de"));
    assert_eq!(de.attr("#field-role", "value").as_deref(), Some("Backend-Entwickler"));
    assert_eq!(de.text_of("label[for=field-company]").trim_end_matches(['*', ' ']), "Unternehmen");
    assert_eq!(de.attr("a.lang-switch", "href").as_deref(), Some("/contact?profile=backend-developer"));
}

#[tokio::test]
async fn a_valid_request_is_stored_with_its_attribution_and_answered_with_303_to_a_thank_you_page() {
    let app = spawn_app().await;
    let referrer = "https://jobs.example.test/profiles/backend-developer?utm_source=newsletter&utm_campaign=autumn";
    let form = app.open_form_with("/contact?profile=backend-developer", Some(referrer)).await;
    let response = app.send(&form, VALID).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(location.starts_with("/contact/thanks/"), "{location}");

    let thanks = app.page(&location).await;
    assert_eq!(thanks.status, 200);
    assert!(thanks.text_of("h1").contains("Thank you"));
    assert!(thanks.text_of(".lead").contains("Lena Hoffmann"), "{}", thanks.text_of(".lead"));
    assert_eq!(thanks.attr("meta[name=robots]", "content").as_deref(), Some("noindex"));

    let stored = app.leads();
    assert_eq!(stored.len(), 1);
    let lead = &stored[0];
    assert_eq!(lead.status, LeadStatus::New);
    assert_eq!(lead.request.company.as_ref(), "Nordlicht Logistik GmbH");
    assert_eq!(lead.request.role.as_ref(), "Backend Developer");
    assert_eq!(lead.attribution.profile.as_ref().map(|s| s.as_str()), Some("backend-developer"));
    assert_eq!(lead.attribution.referrer.as_deref(), Some(referrer));
    assert_eq!(lead.attribution.utm_source.as_deref(), Some("newsletter"));
    assert_eq!(lead.attribution.utm_campaign.as_deref(), Some("autumn"));
    assert_eq!(lead.contact_person_name, "Lena Hoffmann");
    let queued = app.outbox();
    assert_eq!(queued.pending + queued.sent, 2, "the notification and the confirmation are queued: {queued:?}");
}

/// Field overrides, the English message, the German message, and the input marked invalid.
type InvalidCase = (&'static [(&'static str, &'static str)], &'static str, &'static str, &'static str);

const INVALID: &[InvalidCase] = &[
    (
        &[("company", "")],
        "Enter your company's name.",
        "Bitte geben Sie den Namen Ihres Unternehmens an.",
        "field-company",
    ),
    (
        &[(
            "company",
            "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        )],
        "Company: write at most 120 characters.",
        "Unternehmen: Bitte schreiben Sie höchstens 120 Zeichen.",
        "field-company",
    ),
    (&[("name", "<absent>")], "Enter your name.", "Bitte geben Sie Ihren Namen an.", "field-name"),
    (
        &[("name", "Eve\r\nBcc: victim@example.com")],
        "Your name: write it on one line, without line breaks.",
        "Ihr Name: Bitte in einer Zeile, ohne Zeilenumbruch.",
        "field-name",
    ),
    (
        &[("email", "not-an-email")],
        "Enter an e-mail address like name@company.com.",
        "Bitte geben Sie eine E-Mail-Adresse wie name@firma.de an.",
        "field-email",
    ),
    (
        &[("phone", "call me maybe")],
        "Enter a phone number with 6 to 20 digits",
        "Bitte geben Sie eine Telefonnummer mit 6 bis 20 Ziffern an",
        "field-phone",
    ),
    (&[("role", " ")], "Enter the role you are hiring for.", "Bitte geben Sie die gesuchte Rolle an.", "field-role"),
    (
        &[("headcount", "0")],
        "How many people: enter a whole number from 1 to 99.",
        "Anzahl Personen: Bitte geben Sie eine ganze Zahl von 1 bis 99 an.",
        "field-headcount",
    ),
    (
        &[("engagement", "<absent>")],
        "Choose the kind of engagement.",
        "Bitte wählen Sie die Art der Zusammenarbeit.",
        "field-engagement-freelance",
    ),
    (
        &[("engagement", "boss")],
        "Engagement: choose one of the options.",
        "Art der Zusammenarbeit: Bitte wählen Sie eine der Möglichkeiten.",
        "field-engagement-freelance",
    ),
    (
        &[("work_mode", "onsite"), ("location", "")],
        "Enter the location for on-site or hybrid work.",
        "Bitte geben Sie den Standort für die Arbeit vor Ort an.",
        "field-location",
    ),
    (
        &[("start", "2020-01-01")],
        "Desired start: the date cannot lie in the past.",
        "Gewünschter Start: Das Datum darf nicht in der Vergangenheit liegen.",
        "field-start",
    ),
    (
        &[("start", "31.12.2027")],
        "Desired start: enter a date like 2027-01-31.",
        "Gewünschter Start: Bitte geben Sie ein Datum wie 2027-01-31 an.",
        "field-start",
    ),
    (
        &[("message", "Too short.")],
        "Message: write at least 20 characters.",
        "Nachricht: Bitte schreiben Sie mindestens 20 Zeichen.",
        "field-message",
    ),
    (
        &[(
            "location",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )],
        "Location: write at most 120 characters.",
        "Standort: Bitte schreiben Sie höchstens 120 Zeichen.",
        "field-location",
    ),
    (
        &[(
            "budget",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )],
        "Budget or rate: write at most 120 characters.",
        "Budget oder Tagessatz: Bitte schreiben Sie höchstens 120 Zeichen.",
        "field-budget",
    ),
];

#[tokio::test]
async fn each_invalid_field_is_refused_with_422_in_the_visitors_language_and_keeps_the_input() {
    let app = spawn_app().await;
    for (path, lang) in [("/contact?profile=backend-developer", 0), ("/de/kontakt?profile=backend-entwickler", 1)] {
        let form = app.open_form(path).await;
        for (overrides, en, de, invalid_id) in INVALID {
            let fields = valid_with(overrides);
            let response = app.send(&form, &fields).await;
            assert_eq!(response.status(), 422, "{overrides:?}");
            let page = Page::from_text(response.status(), response.text().await.expect("body"));
            let expected = if lang == 0 { en } else { de };
            let summary = page.text_of(".error-summary");
            assert!(summary.contains(expected), "{overrides:?}: summary {summary:?}");
            let summary_links: Vec<String> = page
                .select_all(".error-summary a")
                .iter()
                .filter_map(|a| a.value().attr("href").map(str::to_owned))
                .collect();
            assert!(summary_links.contains(&format!("#{invalid_id}")), "{overrides:?}: {summary_links:?}");
            assert_eq!(page.attr(&format!("#{invalid_id}"), "aria-invalid").as_deref(), Some("true"), "{overrides:?}");
            // A radio group describes its error on the fieldset around the buttons.
            let described = if invalid_id.contains("engagement") {
                "#field-engagement".to_owned()
            } else {
                format!("#{invalid_id}")
            };
            let described_by = page.attr(&described, "aria-describedby").unwrap_or_default();
            let error_id = described_by.split(' ').find(|id| id.ends_with("-error")).unwrap_or_default().to_owned();
            assert!(!error_id.is_empty(), "{overrides:?}: {described_by}");
            assert!(
                page.text_of(&format!("#{error_id}")).contains(expected),
                "{overrides:?}: message next to the field"
            );
            for (key, value) in &fields {
                let kept = match *key {
                    "message" => page.text_of("#field-message"),
                    "engagement" | "work_mode" => {
                        page.attr(&format!("input[name={key}][checked]"), "value").unwrap_or_default()
                    }
                    _ => page.attr(&format!("#field-{key}"), "value").unwrap_or_default(),
                };
                let valid_choice = !matches!(*value, "boss");
                if valid_choice {
                    assert_eq!(kept, value.replace("\r\n", "\n").replace('\r', "\n"), "{overrides:?}: {key} kept");
                }
            }
        }
    }
    assert!(app.leads().is_empty(), "no invalid request is stored");
}

#[tokio::test]
async fn hostile_strings_are_escaped_in_the_page_shown_again() {
    let app = spawn_app().await;
    let form = app.open_form("/contact").await;
    let hostile = r#""><script>alert(1)</script>"#;
    let response = app.send(&form, &valid_with(&[("company", hostile), ("message", hostile), ("email", "x")])).await;
    assert_eq!(response.status(), 422);
    let page = Page::from_text(response.status(), response.text().await.expect("body"));
    assert!(!page.text.contains("<script>alert(1)"), "raw script in the page");
    assert_eq!(page.select_all("script:not([type=\"application/ld+json\"])").len(), 0);
    assert_eq!(page.attr("#field-company", "value").as_deref(), Some(hostile), "kept, as text");
    assert_eq!(page.text_of("#field-message"), hostile, "kept, as text");
}

#[tokio::test]
async fn a_missing_or_wrong_csrf_token_gets_403_with_a_way_back_and_stores_nothing() {
    let app = spawn_app().await;
    let form = app.open_form("/contact?profile=devops-engineer").await;
    let other = app.open_form("/contact").await;

    let mut no_token = valid_with(&[]);
    no_token.push(("csrf_token", ""));
    let wrong_cookie =
        OpenForm { cookie: other.cookie.clone(), action: form.action.clone(), hidden: form.hidden.clone() };
    let no_cookie = OpenForm { cookie: String::new(), action: form.action.clone(), hidden: form.hidden.clone() };
    let responses = [
        app.send(&form, &no_token).await,
        app.send(&form, &valid_with(&[("csrf_token", "1.00112233445566778899aabbccddeeff.00")])).await,
        app.send(&wrong_cookie, VALID).await,
        app.send(&no_cookie, VALID).await,
    ];
    for response in responses {
        assert_eq!(response.status(), 403);
        let page = Page::from_text(response.status(), response.text().await.expect("body"));
        assert!(page.text_of("h1").contains("could not be sent"));
        assert_eq!(page.attr("main a.button", "href").as_deref(), Some("/contact?profile=devops-engineer"));
    }
    assert!(app.leads().is_empty());
}

#[tokio::test]
async fn a_filled_honeypot_gets_the_same_redirect_but_is_stored_as_spam_without_notification() {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let app = spawn_configured(
        |s| {
            s.smtp.host = Some("127.0.0.1".into());
            s.smtp.port = port;
        },
        repo_path("content"),
    )
    .await;
    let form = app.open_form("/contact").await;
    let response = app.send(&form, &valid_with(&[("website", "https://spam.example")])).await;
    assert_eq!(response.status(), 303);
    assert!(response.headers()["location"].to_str().expect("ascii").starts_with("/contact/thanks/"));
    let stored = app.leads();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status, LeadStatus::Spam);
    assert_eq!(app.outbox(), leads::OutboxCounts::default(), "no notification for spam, so no mail can go out");
}

#[tokio::test]
async fn a_form_sent_faster_than_a_person_can_fill_it_gets_the_same_redirect_but_is_stored_as_spam_without_mail() {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let app = spawn_configured(
        |s| {
            s.leads.form_min_fill_ms = 60_000;
            s.smtp.host = Some("127.0.0.1".into());
            s.smtp.port = port;
        },
        repo_path("content"),
    )
    .await;
    let form = app.open_form("/contact").await;
    let response = app.send(&form, VALID).await;
    assert_eq!(response.status(), 303);
    assert!(response.headers()["location"].to_str().expect("ascii").starts_with("/contact/thanks/"));
    let stored = app.leads();
    assert_eq!(stored[0].status, LeadStatus::Spam);
    assert_eq!(stored[0].spam_reason, Some(jobprofiles::domain::lead::SpamReason::TooFast));
    assert_eq!(app.outbox(), leads::OutboxCounts::default(), "nothing queued, so no mail can go out");
}

#[tokio::test]
async fn an_expired_form_is_shown_again_with_its_input_and_then_accepted_as_a_person() {
    const MAX_AGE: Duration = Duration::from_secs(3_600);
    let secret = Secret::new("k".repeat(32));
    let app = spawn_configured(
        |s| {
            s.secret_key = Some(secret.clone());
            s.leads.form_max_age_secs = MAX_AGE.as_secs();
            s.leads.form_min_fill_ms = 1_000;
        },
        repo_path("content"),
    )
    .await;
    let form = app.open_form("/contact").await;
    // The form as the browser would hold it had it stayed open past the maximum age: its token
    // signed with the site's key for the same cookie, issued a second too long ago.
    let opened = time::OffsetDateTime::now_utc() - MAX_AGE - Duration::from_secs(1);
    let csrf = form.cookie.split_once('=').map(|(_, value)| value).expect("a cookie value");
    let old = FormTokens::new(secret, MAX_AGE).issue(csrf, opened);
    let mut fields = valid_with(&[]);
    fields.push(("csrf_token", &old));
    let response = app.send(&form, &fields).await;
    assert_eq!(response.status(), 422);
    let page = Page::from_text(response.status(), response.text().await.expect("body"));
    assert!(page.text_of(".notice").contains("open for a long time"));
    assert_eq!(page.attr("#field-company", "value").as_deref(), Some("Nordlicht Logistik GmbH"));
    let renewed = page.attr("input[name=csrf_token]", "value").expect("a renewed token");
    let mut fields = valid_with(&[]);
    fields.push(("csrf_token", &renewed));
    let resend = app.send(&form, &fields).await;
    assert_eq!(resend.status(), 303);
    let stored = app.leads();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status, LeadStatus::New, "sending it again at once is not mistaken for a bot");
}

#[tokio::test]
async fn a_message_over_5000_characters_is_refused_and_kept() {
    let app = spawn_app().await;
    let form = app.open_form("/contact").await;
    let long = "x".repeat(5_001);
    let mut fields = valid_with(&[("message", "<absent>")]);
    fields.push(("message", &long));
    let response = app.send(&form, &fields).await;
    assert_eq!(response.status(), 422);
    let page = Page::from_text(response.status(), response.text().await.expect("body"));
    assert!(page.text_of("#message-error").contains("Message: write at most 5000 characters."));
    assert_eq!(page.text_of("#field-message"), long);
}

#[tokio::test]
async fn thank_you_refusal_and_rate_limit_pages_speak_german_on_german_urls() {
    let app = spawn_configured(
        |s| {
            s.leads.rate_limit = std::num::NonZeroU32::new(1).unwrap_or(std::num::NonZeroU32::MIN);
            s.leads.rate_window_secs = 600;
        },
        repo_path("content"),
    )
    .await;
    let form = app.open_form("/de/kontakt?profile=scrum-master").await;
    let response = app.send(&form, VALID).await;
    let thanks = app.page(response.headers()["location"].to_str().expect("ascii")).await;
    assert_eq!(thanks.attr("html", "lang").as_deref(), Some("de"));
    assert!(thanks.text_of("h1").contains("Vielen Dank"));
    assert!(thanks.text_of(".lead").contains("Mira Albers"));

    let refused = app.send(&form, &valid_with(&[("csrf_token", "x")])).await;
    assert_eq!(refused.status(), 403);
    let refused = Page::from_text(refused.status(), refused.text().await.expect("body"));
    assert!(refused.text_of("h1").contains("Das Formular konnte nicht gesendet werden"));
    assert_eq!(refused.attr("main a.button", "href").as_deref(), Some("/de/kontakt?profile=scrum-master"));

    let another = app.open_form("/de/kontakt").await;
    let limited = app.send(&another, VALID).await;
    assert_eq!(limited.status(), 429);
    let limited = Page::from_text(limited.status(), limited.text().await.expect("body"));
    assert!(limited.text_of("h1").contains("Zu viele Anfragen"));
    assert!(limited.text_of(".lead").contains("Minuten"));
}

#[tokio::test]
async fn a_failure_inside_answers_500_with_a_page_in_the_language_of_the_url() {
    use diesel::RunQueryDsl;
    let app = spawn_app().await;
    let mut conn = app.lead_store().get().expect("connection");
    for table in ["lead_events", "lead_notes", "outbox", "leads"] {
        diesel::sql_query(format!("DROP TABLE {table}")).execute(&mut conn).expect("dropped");
    }
    for (path, lang, heading) in [
        ("/de/kontakt/danke/00112233445566778899aabbccddeeff", "de", "Da ist etwas schiefgelaufen"),
        ("/contact/thanks/00112233445566778899aabbccddeeff", "en", "Something went wrong"),
    ] {
        let page = app.page(path).await;
        assert_eq!(page.status, 500, "{path}");
        assert_eq!(page.attr("html", "lang").as_deref(), Some(lang));
        assert_eq!(page.text_of("h1"), heading);
        assert!(!page.text.contains("no such table"), "no internals shown");
    }
}

#[tokio::test]
async fn sending_the_same_form_twice_stores_one_lead_and_sends_one_mail() {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let app = spawn_configured(
        |s| {
            s.smtp.host = Some("127.0.0.1".into());
            s.smtp.port = port;
        },
        repo_path("content"),
    )
    .await;
    let form = app.open_form("/contact?profile=data-scientist").await;
    let (first, second) = tokio::join!(app.send(&form, VALID), app.send(&form, VALID));
    let third = app.send(&form, VALID).await;
    assert_eq!(first.status(), 303);
    assert_eq!(second.status(), 303);
    assert_eq!(third.status(), 303);
    assert_eq!(first.headers()["location"], second.headers()["location"]);
    assert_eq!(first.headers()["location"], third.headers()["location"]);
    assert_eq!(app.leads().len(), 1);
    let sent = leads::OutboxCounts { pending: 0, sent: 2, failed: 0 };
    let outbox = eventually(Duration::from_secs(10), async || Some(app.outbox()).filter(|o| *o == sent)).await;
    assert!(outbox.is_some(), "one notification and one confirmation sent, none left: {:?}", app.outbox());
    let mut recipients: Vec<Vec<String>> = sink.mails().into_iter().map(|m| m.to).collect();
    recipients.sort();
    assert_eq!(
        recipients,
        [["erika.muster@nordlicht.example"], ["jonas.berger@example.com"]],
        "exactly one mail to each: {:?}",
        sink.mails()
    );
}

#[tokio::test]
async fn the_contact_person_receives_the_lead_by_mail_with_reply_to_and_an_admin_link() {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let app = spawn_configured(
        |s| {
            s.smtp.host = Some("127.0.0.1".into());
            s.smtp.port = port;
        },
        repo_path("content"),
    )
    .await;
    let form = app.open_form("/de/kontakt?profile=data-scientist").await;
    let response =
        app.send(&form, &valid_with(&[("company", "Müller & Söhne <AG>"), ("name", "Eve \"The\" <Boss>, Jr.")])).await;
    assert_eq!(response.status(), 303);
    let to_contact = async || sink.mails().into_iter().find(|m| m.to == ["jonas.berger@example.com"]);
    let mail = eventually(Duration::from_secs(10), to_contact).await.expect("mail arrives");
    let lead = &app.leads()[0];
    assert!(mail.from.contains("leads@example.com"), "{}", mail.from);
    assert_eq!(mail.header_count("To"), 1);
    assert_eq!(mail.header_count("Bcc"), 0);
    assert_eq!(mail.header_count("Reply-To"), 1);
    assert!(mail.header("Reply-To").unwrap_or_default().contains("erika.muster@nordlicht.example"));
    assert!(mail.header("Subject").is_some(), "a subject");
    let body = mail.body();
    assert!(body.contains("Müller & Söhne <AG>"), "{body}");
    assert!(body.contains("We are building a routing platform"), "{body}");
    assert!(body.contains("profile data-scientist (de)"), "{body}");
    assert!(body.contains(&format!("https://jobs.example.test/admin/leads/{}", lead.id)), "{body}");
    let outbox = eventually(Duration::from_secs(5), async || Some(app.outbox()).filter(|o| o.sent == 2)).await;
    assert!(outbox.is_some(), "the notification's and the confirmation's outbox rows are marked sent");
}

#[tokio::test]
async fn with_the_mail_server_down_the_lead_is_kept_and_the_mail_arrives_once_it_is_back() {
    let sink = SmtpSink::start_refusing().await;
    let port = sink.port;
    let app = spawn_configured(
        |s| {
            s.smtp.host = Some("127.0.0.1".into());
            s.smtp.port = port;
        },
        repo_path("content"),
    )
    .await;
    let form = app.open_form("/contact").await;
    assert_eq!(app.send(&form, VALID).await.status(), 303);
    assert_eq!(app.leads().len(), 1, "the lead is stored although mail is down");
    let pool = app.lead_store();
    let retried = eventually(Duration::from_secs(10), async || {
        let lead_id = app.leads()[0].id;
        let mut conn = pool.get().ok()?;
        leads::notification_state(&mut conn, lead_id)
            .ok()
            .flatten()
            .filter(|state| matches!(state, jobprofiles::domain::lead::NotificationState::Retrying { .. }))
    })
    .await;
    assert!(retried.is_some(), "a failed attempt is recorded and retried");

    sink.accept_mail();
    let mail = eventually(Duration::from_secs(10), async || sink.mails().into_iter().next()).await;
    assert!(mail.is_some(), "the mail arrives after the server is back");
    assert!(
        eventually(Duration::from_secs(5), async || Some(app.outbox()).filter(|o| o.sent == 2 && o.pending == 0))
            .await
            .is_some()
    );
}

#[tokio::test]
async fn a_waiting_notification_survives_a_restart_of_the_site() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("restart.db");
    let postgres = PostgresDatabase::for_this_test();
    let leads_database = postgres.as_ref().map(|p| p.url.parse().expect("a postgres:// URL"));
    let down = SmtpSink::start_refusing().await;
    let mut before = settings(repo_path("content"), database.clone());
    before.leads_database.clone_from(&leads_database);
    before.smtp.host = Some("127.0.0.1".into());
    before.smtp.port = down.port;
    let first = spawn(before, None).await;
    let form = first.open_form("/contact").await;
    assert_eq!(first.send(&form, VALID).await.status(), 303);
    assert_eq!(first.outbox().pending, 2, "the notification and the confirmation wait while mail is down");
    first.stop().await;
    drop(first);

    let sink = SmtpSink::start().await;
    let mut restarted = settings(repo_path("content"), database);
    restarted.leads_database = leads_database;
    restarted.smtp.host = Some("127.0.0.1".into());
    restarted.smtp.port = sink.port;
    let second = spawn(restarted, None).await;
    assert!(eventually(Duration::from_secs(10), async || sink.mails().into_iter().next()).await.is_some());
    assert_eq!(second.leads().len(), 1);
}

#[tokio::test]
async fn past_the_rate_limit_the_post_gets_429_with_retry_after_pages_stay_open_and_it_recovers() {
    let app = spawn_configured(
        |s| {
            s.leads.rate_limit = std::num::NonZeroU32::new(2).unwrap_or(std::num::NonZeroU32::MIN);
            s.leads.rate_window_secs = 1;
        },
        repo_path("content"),
    )
    .await;
    for _ in 0..2 {
        let form = app.open_form("/contact").await;
        assert_eq!(app.send(&form, VALID).await.status(), 303);
    }
    let form = app.open_form("/contact").await;
    let limited = app.send(&form, VALID).await;
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    assert!(limited.text().await.expect("body").contains("Too many requests"));
    for path in ["/", "/profiles", "/contact", "/profiles/backend-developer"] {
        assert_eq!(app.get(path).await.status(), 200, "page views are not limited: {path}");
    }
    // Two a second is one every half second: the allowance refills before long.
    let recovered = eventually(Duration::from_secs(5), async || {
        Some(app.send(&form, VALID).await.status()).filter(|status| *status != 429)
    })
    .await;
    assert_eq!(recovered.map(|status| status.as_u16()), Some(303), "recovers once the allowance refills");
    assert_eq!(app.leads().len(), 3);
}

#[tokio::test]
async fn oversized_and_malformed_bodies_get_4xx_and_store_nothing() {
    let app = spawn_app().await;
    let form_type = "application/x-www-form-urlencoded";
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        (form_type, format!("message={}", "a".repeat(70_000)).into_bytes(), 413),
        (form_type, b"company=%FF%FE&name=x".to_vec(), 400),
        (form_type, vec![b'c', b'=', 0xff, 0xfe, 0x00], 400),
        (form_type, b"company=a&company=b".to_vec(), 400),
        ("text/plain", b"company=a".to_vec(), 415),
        ("application/json", br#"{"company":"a"}"#.to_vec(), 415),
        (form_type, b"%%%&&&===".to_vec(), 403),
        (form_type, Vec::new(), 403),
    ];
    for (content_type, body, status) in cases {
        let response = app.post_raw("/contact", content_type, body.clone()).await;
        assert_eq!(
            response.status().as_u16(),
            status,
            "{content_type} {:?}",
            String::from_utf8_lossy(&body[..body.len().min(40)])
        );
        let text = response.text().await.expect("body");
        assert!(text.contains("<html"), "{status}: an error page, not a bare status: {text:?}");
    }
    assert!(app.leads().is_empty());
}

#[tokio::test]
async fn an_unknown_thank_you_page_is_404() {
    let app = spawn_app().await;
    assert_eq!(app.get("/contact/thanks/00112233445566778899aabbccddeeff").await.status(), 404);
    assert_eq!(app.get("/de/kontakt/danke/nicht-da").await.status(), 404);
}

#[tokio::test]
async fn public_pages_do_not_print_the_contact_persons_e_mail_addresses() {
    let app = spawn_app().await;
    let addresses = ["lena.hoffmann@example.com", "mira.albers@example.com", "jonas.berger@example.com"];
    for path in [
        "/",
        "/de",
        "/contact",
        "/de/kontakt",
        "/contact?profile=backend-developer",
        "/de/kontakt?profile=backend-entwickler",
        "/profiles/backend-developer",
        "/profiles/devops-engineer",
        "/profiles/data-scientist",
        "/de/profile/backend-entwickler",
        "/about",
    ] {
        let page = app.page(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.text.contains("mailto:"), "{path}");
        for address in addresses {
            assert!(!page.text.contains(address), "{path} shows {address}");
        }
    }
}
