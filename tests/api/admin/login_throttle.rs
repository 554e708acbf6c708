//! Failed logins: locks per address, network and account, the device cookies that skip them,
//! and the cap on password checks at once.

use diesel::prelude::*;
use diesel::sql_types::Text;
use futures_util::future::join_all;

use super::{
    DEVICE_COOKIE, PASSWORD, SESSION_COOKIE, STAFF, app_with_staff, cookie_pair, nonzero, set_cookie, with_password,
};
use crate::helpers::{Page, TestApp, trust_client_addresses};

#[tokio::test]
async fn repeated_failures_lock_the_login_for_a_while_and_the_lock_lifts() {
    let app = app_with_staff(|s| {
        s.admin.max_failed_logins = nonzero(3);
        s.admin.lock_secs = 60;
    })
    .await;
    for _ in 0..3 {
        assert_eq!(app.try_login(STAFF, "wrong wrong wrong", "/admin", None).await.0.status(), 401);
    }
    let (locked, _) = app.try_login(STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(locked.status(), 429, "even the right password waits");
    assert!(locked.headers().contains_key("retry-after"));
    assert!(locked.text().await.expect("body").contains("Too many failed logins"));
    // The minute of the lock has passed.
    diesel::sql_query(
        "UPDATE login_throttle SET first_failure_at = first_failure_at - 60000, locked_until = locked_until - 60000",
    )
    .execute(&mut app.lead_store().get().expect("connection"))
    .expect("lock aged");
    assert_eq!(app.try_login(STAFF, PASSWORD, "/admin", None).await.0.status(), 303, "the lock lifts");
}

#[tokio::test]
async fn failed_logins_from_one_client_lock_it_even_across_accounts() {
    let app = app_with_staff(|s| s.admin.max_failed_logins = nonzero(3)).await;
    for account in ["a@quellwerk.example", "b@quellwerk.example", "c@quellwerk.example"] {
        assert_eq!(app.try_login(account, "guess guess guess", "/admin", None).await.0.status(), 401);
    }
    assert_eq!(app.try_login(STAFF, PASSWORD, "/admin", None).await.0.status(), 429, "the client address is locked");
}

#[tokio::test]
async fn parallel_guesses_cannot_slip_past_the_limit() {
    let app = app_with_staff(|s| s.admin.max_failed_logins = nonzero(3)).await;
    let attempts = (0..12).map(|_| app.try_login(STAFF, "parallel guessing", "/admin", None));
    let statuses: Vec<u16> = join_all(attempts).await.into_iter().map(|(r, _)| r.status().as_u16()).collect();
    let guessed = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(guessed, 3, "only three passwords were checked: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 9);
}

const ATTACKER: &str = "203.0.113.66";

#[tokio::test]
async fn an_attacker_failing_ten_times_does_not_lock_the_staff_member_out_from_another_address() {
    let app = app_with_staff(trust_client_addresses).await;
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let (response, _) = app.try_login_from(Some(ATTACKER), STAFF, "guess guess guess", "/admin", None).await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429], "the attacker's address is locked");
    let (staff, _) = app.try_login_from(Some("198.51.100.7"), STAFF, PASSWORD, "/admin/leads", None).await;
    assert_eq!(staff.status(), 303, "the staff member logs in at once from their own address");
    let (attacker, _) = app.try_login_from(Some(ATTACKER), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(attacker.status(), 429, "the attacker's address stays locked for the account, right password or not");
    assert!(attacker.headers().contains_key("retry-after"));
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("jobprofiles_login_locks_total{lock=\"account_client\"} 1"), "{metrics}");
    assert!(metrics.contains("jobprofiles_login_locks_total{lock=\"client\"} 1"), "{metrics}");
}

#[tokio::test]
async fn a_browser_with_the_device_cookie_logs_in_while_the_account_is_slowed_down() {
    let app = app_with_staff(|s| {
        trust_client_addresses(s);
        s.admin.max_failed_logins = nonzero(3);
        s.admin.account_delay_after = nonzero(4);
        s.admin.account_delay_ms = 600_000;
        s.admin.account_delay_max_ms = 600_000;
    })
    .await;
    let (first, _) = app.try_login_from(Some("198.51.100.7"), STAFF, PASSWORD, "/admin/leads", None).await;
    assert_eq!(first.status(), 303);
    let device = set_cookie(&first, DEVICE_COOKIE).expect("a device cookie at login");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(device.contains(attribute), "{device}");
    }
    let device = device.split(';').next().unwrap_or_default().to_owned();

    for attacker in ["203.0.113.1", "203.0.113.2"] {
        for _ in 0..2 {
            let (response, _) = app.try_login_from(Some(attacker), STAFF, "guess guess guess", "/admin", None).await;
            assert_eq!(response.status(), 401);
        }
    }
    let (slowed, _) = app.try_login_from(Some("192.0.2.9"), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(slowed.status(), 429, "after four failures from anywhere the account waits");
    let retry_after: u64 = slowed.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!(retry_after > 500, "{retry_after}");
    assert!(cookie_pair(&slowed, SESSION_COOKIE).is_none());

    let (trusted, _) = app.try_login_from(Some("192.0.2.9"), STAFF, PASSWORD, "/admin/leads", Some(&device)).await;
    assert_eq!(trusted.status(), 303, "the browser that logged in before is not slowed down");
    assert!(cookie_pair(&trusted, SESSION_COOKIE).is_some());

    let forged = format!(
        "{DEVICE_COOKIE}=1.{}.00112233445566778899aabbccddeeff.00",
        time::OffsetDateTime::now_utc().unix_timestamp()
    );
    let (refused, _) = app.try_login_from(Some("192.0.2.10"), STAFF, PASSWORD, "/admin", Some(&forged)).await;
    assert_eq!(refused.status(), 429, "a forged device cookie counts for nothing");
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("jobprofiles_login_locks_total{lock=\"account_delay\"} 1"), "{metrics}");
}

#[tokio::test]
async fn logins_beyond_the_password_checks_at_hand_are_answered_503_and_keep_what_was_typed() {
    let app = app_with_staff(|s| {
        trust_client_addresses(s);
        s.admin.login_concurrency = std::num::NonZeroUsize::new(1);
        s.admin.login_wait_ms = 0;
    })
    .await;
    let app = &app;
    let attempts = (1..=8).map(|i| async move {
        app.try_login_from(Some(&format!("192.0.2.{i}")), STAFF, "wrong", "/admin", None).await
    });
    let answers = join_all(attempts).await;
    let statuses: Vec<u16> = answers.iter().map(|(r, _)| r.status().as_u16()).collect();
    assert!(statuses.contains(&401), "one password was checked: {statuses:?}");
    assert!(statuses.iter().all(|s| [401, 503].contains(s)), "{statuses:?}");
    let (busy, _) = answers.into_iter().find(|(r, _)| r.status() == 503).expect("the others wait for no check");
    assert!(busy.headers().contains_key("retry-after"));
    let page = Page::from_text(busy.status(), busy.text().await.expect("body"));
    assert_eq!(page.attr("input[name=email]", "value").as_deref(), Some(STAFF), "what was typed is kept");
}

#[tokio::test]
async fn failures_spread_over_the_64s_of_one_ipv6_48_lock_the_whole_48() {
    let app = app_with_staff(|s| {
        trust_client_addresses(s);
        s.admin.max_failed_logins = nonzero(2);
        s.ipv6_network_factor = nonzero(2);
    })
    .await;
    for net in 1..=4 {
        let address = format!("2001:db8:7:{net}::1");
        let (response, _) = app.try_login_from(Some(&address), STAFF, "guess guess guess", "/admin", None).await;
        assert_eq!(response.status(), 401, "{address}");
    }
    let (locked, _) = app.try_login_from(Some("2001:db8:7:5::1"), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(locked.status(), 429, "a fifth /64 of the same /48 is locked");
    let (elsewhere, _) = app.try_login_from(Some("2001:db8:8:1::1"), STAFF, PASSWORD, "/admin/leads", None).await;
    assert_eq!(elsewhere.status(), 303, "another /48 is not");
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("jobprofiles_login_locks_total{lock=\"network\"} 1"), "{metrics}");
}

/// An app whose account waits ten minutes after two failures from anywhere, and a device cookie
/// from a login before that.
async fn slowed_account_and_device_cookie() -> (TestApp, String) {
    let app = app_with_staff(|s| {
        trust_client_addresses(s);
        s.admin.max_failed_logins = nonzero(2);
        s.admin.account_delay_after = nonzero(2);
        s.admin.account_delay_ms = 600_000;
        s.admin.account_delay_max_ms = 600_000;
    })
    .await;
    let (first, _) = app.try_login_from(Some("198.51.100.7"), STAFF, PASSWORD, "/admin/leads", None).await;
    assert_eq!(first.status(), 303);
    let device = cookie_pair(&first, DEVICE_COOKIE).expect("a device cookie at login");
    for attacker in ["203.0.113.1", "203.0.113.2"] {
        let (response, _) = app.try_login_from(Some(attacker), STAFF, "guess guess guess", "/admin", None).await;
        assert_eq!(response.status(), 401);
    }
    let (slowed, _) = app.try_login_from(Some("192.0.2.9"), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(slowed.status(), 429, "the account waits");
    (app, device)
}

#[tokio::test]
async fn a_new_password_voids_every_device_cookie() {
    let (app, device) = slowed_account_and_device_cookie().await;
    let output = with_password(&app, "set-password", STAFF, "another long passphrase");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let (response, _) =
        app.try_login_from(Some("198.51.100.7"), STAFF, "another long passphrase", "/admin", Some(&device)).await;
    assert_eq!(response.status(), 429, "the old cookie no longer skips the delay");
}

#[tokio::test]
async fn a_device_cookie_sent_with_wrong_passwords_soon_counts_for_nothing() {
    let (app, device) = slowed_account_and_device_cookie().await;
    for address in ["192.0.2.21", "192.0.2.22"] {
        let (response, _) =
            app.try_login_from(Some(address), STAFF, "stolen cookie guess", "/admin", Some(&device)).await;
        assert_eq!(response.status(), 401, "{address}");
    }
    let (response, _) = app.try_login_from(Some("192.0.2.23"), STAFF, PASSWORD, "/admin", Some(&device)).await;
    assert_eq!(response.status(), 429, "after two failures the cookie is treated as unknown");
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("jobprofiles_login_locks_total{lock=\"device\"} 1"), "{metrics}");
}

#[tokio::test]
async fn a_browser_with_the_device_cookie_logs_in_from_an_address_others_have_locked() {
    const OFFICE: &str = "198.51.100.50";
    let app = app_with_staff(trust_client_addresses).await;
    let (first, _) = app.try_login_from(Some("198.51.100.7"), STAFF, PASSWORD, "/admin/leads", None).await;
    let device = cookie_pair(&first, DEVICE_COOKIE).expect("a device cookie at login");
    for _ in 0..5 {
        app.try_login_from(Some(OFFICE), STAFF, "a colleague's typo", "/admin", None).await;
    }
    let (locked, _) = app.try_login_from(Some(OFFICE), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(locked.status(), 429, "the shared address is locked");
    let (staff, _) = app.try_login_from(Some(OFFICE), STAFF, PASSWORD, "/admin/leads", Some(&device)).await;
    assert_eq!(staff.status(), 303, "but not for the browser that logged in before");
}

#[tokio::test]
async fn throttle_counts_keep_no_trace_of_what_was_typed_as_the_account() {
    let app = app_with_staff(|_| {}).await;
    let typed = "my-password-typed-into-the-email-field";
    assert_eq!(app.try_login(typed, "guess guess guess", "/admin", None).await.0.status(), 401);
    assert_eq!(app.try_login(STAFF, "guess guess guess", "/admin", None).await.0.status(), 401);
    #[derive(QueryableByName)]
    struct Key {
        #[diesel(sql_type = Text)]
        key: String,
    }
    let keys: Vec<Key> = diesel::sql_query("SELECT key FROM login_throttle")
        .load(&mut app.lead_store().get().expect("connection"))
        .expect("keys");
    assert!(keys.iter().any(|k| k.key.starts_with("account:")), "the account is counted");
    for Key { key } in &keys {
        assert!(!key.contains(typed) && !key.contains("quellwerk"), "{key}");
    }
}
