//! Keyed rate limits per client address (the hiring form, search), with IPv6 networks counted
//! as a whole too, per e-mail address (the confirmation mail), and a timer that forgets keys
//! whose allowance is full again.
//!
//! Counted in this instance's memory: with several instances a client may get each instance's
//! allowance (README, Operations, says why the database does not count them).

use std::future::Future;
use std::hash::Hash;
use std::num::NonZeroU32;
use std::sync::{Arc, Weak};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{Quota, RateLimiter};

use super::ClientKey;

type Keyed<K = ClientKey> = RateLimiter<K, governor::state::keyed::DefaultKeyedStateStore<K>, DefaultClock>;

/// How often forgotten clients are swept out: a client's state is only memory once its
/// allowance is full again, and a minute of new keys is bounded by what the server can answer.
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(60);

/// At most `limit` requests per client within `window`; an IPv6 network (see
/// `ClientKey::network`) gets `network_factor` times that for all its clients together.
pub struct ClientLimiter {
    limiters: Arc<Limiters>,
    clock: DefaultClock,
}

struct Limiters {
    clients: Keyed,
    networks: Keyed,
    /// How long a client waits for one more request once its allowance is used up.
    client_period: Duration,
}

/// The client must wait this long before the next attempt is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimited {
    pub retry_after: Duration,
}

fn period(limit: NonZeroU32, window: Duration) -> Duration {
    window.checked_div(limit.get()).filter(|p| !p.is_zero()).unwrap_or(Duration::from_nanos(1))
}

fn keyed<K: Hash + Eq + Clone>(limit: NonZeroU32, window: Duration) -> Keyed<K> {
    let quota =
        Quota::with_period(period(limit, window)).unwrap_or_else(|| Quota::per_second(limit)).allow_burst(limit);
    RateLimiter::keyed(quota)
}

impl ClientLimiter {
    pub fn new(limit: NonZeroU32, window: Duration, network_factor: NonZeroU32) -> ClientLimiter {
        let limiters = Limiters {
            clients: keyed(limit, window),
            networks: keyed(limit.saturating_mul(network_factor), window),
            client_period: period(limit, window),
        };
        ClientLimiter { limiters: Arc::new(limiters), clock: DefaultClock::default() }
    }

    pub fn check(&self, client: ClientKey) -> Result<(), RateLimited> {
        let wait = |not_until: governor::NotUntil<_>| not_until.wait_time_from(self.clock.now());
        self.limiters.clients.check_key(&client).map_err(|n| RateLimited { retry_after: wait(n) })?;
        match client.network() {
            // The client's own allowance was just spent on this refused request: after the
            // network's wait, the client may still have to wait up to one period for its own.
            Some(network) => self
                .limiters
                .networks
                .check_key(&network)
                .map_err(|n| RateLimited { retry_after: wait(n).max(self.limiters.client_period) }),
            None => Ok(()),
        }
    }

    /// Sweeps every `interval` until the limiter is dropped; spawn it once.
    pub fn sweep_every(&self, interval: Duration) -> impl Future<Output = ()> + Send + 'static {
        sweep_while_alive(Arc::downgrade(&self.limiters), interval, |limiters| {
            forget_full(&limiters.clients);
            forget_full(&limiters.networks);
        })
    }
}

/// At most `limit` confirmation mails to one e-mail address within `window`, whichever clients
/// send the forms: the form's own limit counts clients, and many of them together could otherwise
/// have the site mail one address over and over.
pub struct AddressLimiter {
    addresses: Arc<Keyed<String>>,
}

impl AddressLimiter {
    pub fn new(limit: NonZeroU32, window: Duration) -> AddressLimiter {
        AddressLimiter { addresses: Arc::new(keyed(limit, window)) }
    }

    /// Whether one more mail to `address` (compared without regard to case) is allowed now.
    pub fn allows(&self, address: &str) -> bool {
        self.addresses.check_key(&address.to_lowercase()).is_ok()
    }

    /// Sweeps every `interval` until the limiter is dropped; spawn it once.
    pub fn sweep_every(&self, interval: Duration) -> impl Future<Output = ()> + Send + 'static {
        sweep_while_alive(Arc::downgrade(&self.addresses), interval, forget_full)
    }
}

fn forget_full<K: Hash + Eq + Clone>(keyed: &Keyed<K>) {
    keyed.retain_recent();
    keyed.shrink_to_fit();
}

/// Runs `sweep` on the limiters every `interval` until they are dropped.
async fn sweep_while_alive<T: Send + Sync + 'static>(limiters: Weak<T>, interval: Duration, sweep: fn(&T)) {
    let mut ticks = tokio::time::interval(interval);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let Some(limiters) = limiters.upgrade() else { return };
        sweep(&limiters);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(limit: u32, window: Duration, network_factor: u32) -> ClientLimiter {
        let n = |n| NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        ClientLimiter::new(n(limit), window, n(network_factor))
    }

    fn v6(address: &str) -> ClientKey {
        ClientKey::of(address.parse().ok())
    }

    #[test]
    fn a_client_over_the_limit_waits_while_others_go_on() {
        let limiter = limiter(2, Duration::from_secs(60), 4);
        let a = ClientKey::V4([192, 0, 2, 1]);
        assert!(limiter.check(a).is_ok());
        assert!(limiter.check(a).is_ok());
        let limited = limiter.check(a).expect_err("third request within the window");
        assert!(limited.retry_after > Duration::ZERO && limited.retry_after <= Duration::from_secs(30));
        assert!(limiter.check(ClientKey::V4([192, 0, 2, 2])).is_ok());
    }

    #[test]
    fn the_64s_of_one_ipv6_48_share_a_larger_allowance() {
        let limiter = limiter(1, Duration::from_secs(60), 3);
        for subnet in 1..=3 {
            assert!(limiter.check(v6(&format!("2001:db8:1:{subnet}::1"))).is_ok(), "/64 number {subnet}");
        }
        assert!(limiter.check(v6("2001:db8:1:4::1")).is_err(), "a fourth /64 of the same /48");
        assert!(limiter.check(v6("2001:db8:2:1::1")).is_ok(), "another /48");
        assert!(limiter.check(v6("2001:db8:2:1::2")).is_err(), "the /64 itself is still limited");
    }

    #[test]
    fn a_client_refused_for_its_48_is_told_to_wait_for_its_own_64_too() {
        let limiter = limiter(1, Duration::from_secs(60), 2);
        assert!(limiter.check(v6("2001:db8:1:1::1")).is_ok());
        assert!(limiter.check(v6("2001:db8:1:2::1")).is_ok());
        let limited = limiter.check(v6("2001:db8:1:3::1")).expect_err("the /48 has used its allowance");
        assert!(limited.retry_after >= Duration::from_secs(60), "one period of the /64, not the /48's {limited:?}");
    }

    #[test]
    fn one_address_gets_its_allowance_whatever_its_spelling_and_others_theirs() {
        let limiter = AddressLimiter::new(NonZeroU32::new(2).unwrap_or(NonZeroU32::MIN), Duration::from_secs(60));
        assert!(limiter.allows("Ana@Example.com"));
        assert!(limiter.allows("ana@example.com"));
        assert!(!limiter.allows("ANA@EXAMPLE.COM"), "a third mail to the same address within the window");
        assert!(limiter.allows("ben@example.com"));
    }

    #[tokio::test]
    async fn the_sweep_forgets_clients_whose_allowance_is_full_again() {
        let limiter = limiter(1, Duration::from_millis(20), 2);
        for last in 1..=50 {
            assert!(limiter.check(ClientKey::V4([192, 0, 2, last])).is_ok());
        }
        assert!(limiter.check(v6("2001:db8::1")).is_ok());
        assert_eq!((limiter.limiters.clients.len(), limiter.limiters.networks.len()), (51, 1));
        let sweep = tokio::spawn(limiter.sweep_every(Duration::from_millis(10)));
        let swept = async {
            while limiter.limiters.clients.len() + limiter.limiters.networks.len() > 0 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(5), swept).await.expect("every client forgotten");
        drop(limiter);
        tokio::time::timeout(Duration::from_secs(1), sweep).await.expect("the sweep ends with its limiter").ok();
    }
}
