//! Whom a rate limit counts: an IPv4 address, an IPv6 /64, or its /48.

use std::net::{IpAddr, Ipv6Addr};

/// Whom a rate limit counts: one IPv4 address, or one IPv6 /64 (what one household or
/// server usually gets); `V6Network` is the /48 a /64 belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKey {
    V4([u8; 4]),
    V6Prefix([u16; 4]),
    V6Network([u16; 3]),
    Unknown,
}

impl ClientKey {
    pub fn of(address: Option<IpAddr>) -> ClientKey {
        match address {
            Some(IpAddr::V4(v4)) => ClientKey::V4(v4.octets()),
            Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey::V4(v4.octets()),
                None => ClientKey::V6Prefix(prefix_64(v6)),
            },
            None => ClientKey::Unknown,
        }
    }

    /// The IPv6 /48 (what one site or customer is usually given) that a /64 belongs to: counted
    /// too, so that its holder cannot take 65,536 fresh /64 keys.
    pub fn network(self) -> Option<ClientKey> {
        match self {
            ClientKey::V6Prefix([a, b, c, _]) => Some(ClientKey::V6Network([a, b, c])),
            _ => None,
        }
    }
}

fn prefix_64(address: Ipv6Addr) -> [u16; 4] {
    let s = address.segments();
    [s[0], s[1], s[2], s[3]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_of_one_64_share_a_key_and_ipv4_stays_exact() {
        let a = ClientKey::of("2001:db8:1:2::1".parse().ok());
        let b = ClientKey::of("2001:db8:1:2:ffff::9".parse().ok());
        let c = ClientKey::of("2001:db8:1:3::1".parse().ok());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(ClientKey::of("192.0.2.1".parse().ok()), ClientKey::of("192.0.2.2".parse().ok()));
        assert_eq!(ClientKey::of("::ffff:192.0.2.1".parse().ok()), ClientKey::of("192.0.2.1".parse().ok()));
        assert_eq!(a.network(), c.network());
        assert_ne!(a.network(), ClientKey::of("2001:db8:2:2::1".parse().ok()).network());
        assert_eq!(ClientKey::of("192.0.2.1".parse().ok()).network(), None);
    }
}
