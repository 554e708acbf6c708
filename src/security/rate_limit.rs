use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{Quota, RateLimiter};

use super::ClientKey;

type Keyed = RateLimiter<ClientKey, governor::state::keyed::DefaultKeyedStateStore<ClientKey>, DefaultClock>;

/// At most `limit` hiring requests per client within `window`; used on the form's POST only.
pub struct SubmissionLimiter {
    limiter: Keyed,
    clock: DefaultClock,
}

/// The client must wait this long before the next attempt is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimited {
    pub retry_after: Duration,
}

impl SubmissionLimiter {
    pub fn new(limit: NonZeroU32, window: Duration) -> SubmissionLimiter {
        let period = window.checked_div(limit.get()).filter(|p| !p.is_zero()).unwrap_or(Duration::from_nanos(1));
        let quota = Quota::with_period(period).unwrap_or_else(|| Quota::per_second(limit)).allow_burst(limit);
        SubmissionLimiter { limiter: RateLimiter::keyed(quota), clock: DefaultClock::default() }
    }

    pub fn check(&self, client: ClientKey) -> Result<(), RateLimited> {
        if self.limiter.len() > 10_000 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&client)
            .map_err(|not_until| RateLimited { retry_after: not_until.wait_time_from(self.clock.now()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_over_the_limit_waits_while_others_go_on() {
        let limiter = SubmissionLimiter::new(NonZeroU32::new(2).unwrap_or(NonZeroU32::MIN), Duration::from_secs(60));
        let a = ClientKey::V4([192, 0, 2, 1]);
        assert!(limiter.check(a).is_ok());
        assert!(limiter.check(a).is_ok());
        let limited = limiter.check(a).expect_err("third request within the window");
        assert!(limited.retry_after > Duration::ZERO && limited.retry_after <= Duration::from_secs(30));
        assert!(limiter.check(ClientKey::V4([192, 0, 2, 2])).is_ok());
    }
}
