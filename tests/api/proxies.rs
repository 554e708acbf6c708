//! Client addresses behind reverse proxies, seen through the hiring form's rate limit of one
//! request per client: `X-Forwarded-For` counts only from a trusted proxy, IPv4 and IPv6.

use std::num::NonZeroU32;

use jobprofiles::security::ProxyRange;

use crate::contact::VALID;
use crate::helpers::{TestApp, loopback, repo_path, spawn_configured};

const IPV4_PEER: &str = "127.0.0.1:0";
const IPV6_PEER: &str = "[::1]:0";

async fn spawn_limited(bind: &str, trusted: Vec<ProxyRange>) -> TestApp {
    spawn_configured(
        |s| {
            s.bind = bind.into();
            s.trusted_proxies = trusted;
            s.leads.rate_limit = NonZeroU32::MIN;
            s.ipv6_network_factor = NonZeroU32::new(2).unwrap_or(NonZeroU32::MIN);
        },
        repo_path("content"),
    )
    .await
}

async fn status_from(app: &TestApp, forwarded_for: impl AsRef<[u8]>) -> u16 {
    let form = app.open_form("/contact").await;
    app.send_forwarded(&form, VALID, forwarded_for).await.status().as_u16()
}

fn ranges(values: &[&str]) -> Vec<ProxyRange> {
    values.iter().map(|v| v.parse().expect("a range")).collect()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_rate_limit() {
    for peer in [IPV4_PEER, IPV6_PEER] {
        let app = spawn_limited(peer, loopback()).await;
        assert_eq!(status_from(&app, "203.0.113.1").await, 303, "{peer}");
        assert_eq!(status_from(&app, "203.0.113.1").await, 429, "{peer}: the same client again");
        assert_eq!(status_from(&app, "203.0.113.2").await, 303, "{peer}: another client");
        assert_eq!(status_from(&app, "198.51.100.1, 203.0.113.3").await, 303, "{peer}: the right-most address");
        assert_eq!(
            status_from(&app, "198.51.100.2, 203.0.113.3").await,
            429,
            "{peer}: what the client claimed to the left changes nothing"
        );
        assert_eq!(status_from(&app, "2001:db8:5::1, 127.0.0.1, ::1").await, 303, "{peer}: proxies are skipped");
        assert_eq!(status_from(&app, "2001:db8:5::2").await, 429, "{peer}: the same /64");
        assert_eq!(app.leads().len(), 4, "{peer}");
    }
}

#[tokio::test]
async fn from_a_peer_that_is_not_a_trusted_proxy_a_forged_forwarded_for_gets_no_fresh_key() {
    for (peer, trusted) in [(IPV4_PEER, ranges(&["10.0.0.0/8", "::1/128"])), (IPV6_PEER, ranges(&["127.0.0.1"]))] {
        let app = spawn_limited(peer, trusted).await;
        assert_eq!(status_from(&app, "203.0.113.1").await, 303, "{peer}");
        assert_eq!(status_from(&app, "203.0.113.2").await, 429, "{peer}: the peer is the client");
        assert_eq!(status_from(&app, "2001:db8:7::1").await, 429, "{peer}");
        assert_eq!(app.leads().len(), 1, "{peer}");
    }
}

#[tokio::test]
async fn the_ipv6_64s_of_one_48_share_a_larger_allowance() {
    let app = spawn_limited(IPV6_PEER, loopback()).await;
    assert_eq!(status_from(&app, "2001:db8:1:1::1").await, 303);
    assert_eq!(status_from(&app, "2001:db8:1:2::1").await, 303, "a second /64, within twice the limit");
    assert_eq!(status_from(&app, "2001:db8:1:3::1").await, 429, "a third /64 of the same /48");
    assert_eq!(status_from(&app, "2001:db8:2:1::1").await, 303, "another /48");
}

#[tokio::test]
async fn bytes_that_are_not_text_spoil_only_the_entry_the_client_sent() {
    for peer in [IPV4_PEER, IPV6_PEER] {
        let app = spawn_limited(peer, loopback()).await;
        // As nginx's `$proxy_add_x_forwarded_for` sends it: the client's value, then the proxy's entry.
        assert_eq!(status_from(&app, b"\x80, 203.0.113.1").await, 303, "{peer}");
        assert_eq!(status_from(&app, b"\x80, 203.0.113.2").await, 303, "{peer}: another client, not the proxy's key");
        assert_eq!(status_from(&app, b"\xff\xfe, 203.0.113.1").await, 429, "{peer}: the first client again");
    }
}

#[tokio::test]
async fn a_client_refused_for_its_48_is_told_to_wait_for_its_own_64_too() {
    let app = spawn_limited(IPV6_PEER, loopback()).await;
    assert_eq!(status_from(&app, "2001:db8:1:1::1").await, 303);
    assert_eq!(status_from(&app, "2001:db8:1:2::1").await, 303);
    let form = app.open_form("/contact").await;
    let refused = app.send_forwarded(&form, VALID, "2001:db8:1:3::1").await;
    assert_eq!(refused.status(), 429, "a third /64 of the same /48");
    let retry_after: u64 = refused.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    // The window is 60 s: the /48 (twice the allowance) waits at most 30 s, the /64 a whole period.
    assert!(retry_after >= 60, "{retry_after}");
}
