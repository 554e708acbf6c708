//! Which peers may tell us the client's address: reverse proxies named by address range, and
//! reading `X-Forwarded-For` only from them.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Mutex;

use ipnet::IpNet;

/// An address range of reverse proxies, e.g. `10.0.0.0/8`, `::1/128`, or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyRange(IpNet);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not an address range such as 10.0.0.0/8 or 2001:db8::/32, nor an address")]
pub struct ProxyRangeError(String);

impl FromStr for ProxyRange {
    type Err = ProxyRangeError;

    fn from_str(value: &str) -> Result<ProxyRange, ProxyRangeError> {
        let value = value.trim();
        value
            .parse::<IpNet>()
            .or_else(|_| value.parse::<IpAddr>().map(IpNet::from))
            .map(|net| ProxyRange(net.trunc()))
            .map_err(|_| ProxyRangeError(value.to_owned()))
    }
}

impl ProxyRange {
    pub fn contains(&self, address: IpAddr) -> bool {
        self.0.contains(&address.to_canonical())
    }
}

/// How many untrusted peers sending `X-Forwarded-For` are each reported once: enough that a
/// scanner cannot use up the warnings before a misconfigured proxy shows, few enough that a
/// flood of peers cannot flood the log.
const WARNED_PEERS: usize = 8;

/// Finds the client's address from the TCP peer and, when the peer is a trusted proxy, from
/// `X-Forwarded-For`.
#[derive(Debug)]
pub struct ForwardedFor {
    trusted: Vec<ProxyRange>,
    warned: Mutex<HashSet<IpAddr>>,
}

impl ForwardedFor {
    pub fn new(trusted: Vec<ProxyRange>) -> ForwardedFor {
        ForwardedFor { trusted, warned: Mutex::default() }
    }

    fn is_trusted(&self, address: IpAddr) -> bool {
        self.trusted.iter().any(|range| range.contains(address))
    }

    /// `header_values` are the raw `X-Forwarded-For` lines in the order received. Each proxy
    /// appends the address it saw, so, read from the right, the first address that is not itself
    /// a trusted proxy is the client; anything further left is whatever the client claimed.
    pub fn client<'a>(&self, peer: Option<IpAddr>, header_values: impl Iterator<Item = &'a [u8]>) -> ClientAddress {
        let Some(peer) = peer.map(|p| p.to_canonical()) else { return ClientAddress::Peer(None) };
        if !self.is_trusted(peer) {
            let mut header_values = header_values.peekable();
            return match header_values.peek() {
                Some(_) => ClientAddress::IgnoredForwarded(peer),
                None => ClientAddress::Peer(Some(peer)),
            };
        }
        // Split before decoding: a proxy appends its entry to the client's line, so bytes the
        // client sent that are not text must spoil only the client's own entries.
        let entries: Vec<&[u8]> = header_values.flat_map(|v| v.split(|b| *b == b',')).collect();
        let mut nearest = peer;
        for entry in entries.iter().rev() {
            match parse_entry(entry) {
                Some(address) if self.is_trusted(address) => nearest = address,
                Some(address) => return ClientAddress::Forwarded(address),
                None => break,
            }
        }
        ClientAddress::Forwarded(nearest)
    }

    /// True the first time for each of the first few peers: one log line per peer is enough to
    /// tell an operator about a missing `--trusted-proxy`, and a line per request would flood the log.
    pub fn first_ignored(&self, peer: IpAddr) -> bool {
        let Ok(mut warned) = self.warned.lock() else { return false };
        warned.len() < WARNED_PEERS && warned.insert(peer)
    }
}

/// Where the client address came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAddress {
    /// The TCP peer, which sent no `X-Forwarded-For`.
    Peer(Option<IpAddr>),
    /// The TCP peer, whose `X-Forwarded-For` was not read because it is not a trusted proxy.
    IgnoredForwarded(IpAddr),
    /// Taken from `X-Forwarded-For` sent by a trusted proxy.
    Forwarded(IpAddr),
}

impl ClientAddress {
    pub fn address(self) -> Option<IpAddr> {
        match self {
            ClientAddress::Peer(address) => address,
            ClientAddress::IgnoredForwarded(address) | ClientAddress::Forwarded(address) => Some(address),
        }
    }
}

/// An entry is an address, some proxies add the port (`192.0.2.1:5000`, `[2001:db8::1]:5000`)
/// or bracket an IPv6 address without one (`[2001:db8::1]`).
fn parse_entry(entry: &[u8]) -> Option<IpAddr> {
    let entry = std::str::from_utf8(entry).ok()?.trim();
    let unbracketed = entry.strip_prefix('[').and_then(|e| e.strip_suffix(']')).unwrap_or(entry);
    unbracketed
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|a| a.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(value: &str) -> ProxyRange {
        value.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn ip(value: &str) -> IpAddr {
        value.parse().unwrap_or_else(|e| panic!("{value}: {e}"))
    }

    #[test]
    fn ranges_parse_from_cidr_or_a_single_address_and_nothing_else() {
        for (input, inside, outside) in [
            ("10.0.0.0/8", "10.255.0.1", "11.0.0.1"),
            ("192.0.2.7", "192.0.2.7", "192.0.2.8"),
            ("192.0.2.7/32", "192.0.2.7", "192.0.2.8"),
            (" 127.0.0.1/32 ", "::ffff:127.0.0.1", "127.0.0.2"),
            ("10.1.2.3/16", "10.1.200.1", "10.2.0.1"),
            ("0.0.0.0/0", "203.0.113.9", "::1"),
            ("::1/128", "::1", "::2"),
            ("::1", "::1", "127.0.0.1"),
            ("2001:db8::/32", "2001:db8:ffff::1", "2001:db9::1"),
        ] {
            let range = range(input);
            assert!(range.contains(ip(inside)), "{input} contains {inside}");
            assert!(!range.contains(ip(outside)), "{input} does not contain {outside}");
        }
        for bad in
            ["", "10.0.0.0/33", "::/129", "10.0.0/8", "example.com", "10.0.0.0/", "/8", "10.0.0.0/8/8", "1.2.3.4:80"]
        {
            assert!(bad.parse::<ProxyRange>().is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn the_right_most_address_that_is_not_a_trusted_proxy_is_the_client() {
        let forwarded = ForwardedFor::new(vec![range("10.0.0.0/8"), range("::1/128")]);
        let client =
            |peer: &str, lines: &[&str]| forwarded.client(Some(ip(peer)), lines.iter().map(|l| l.as_bytes())).address();
        assert_eq!(client("10.0.0.1", &["198.51.100.1, 203.0.113.5"]), Some(ip("203.0.113.5")));
        assert_eq!(client("10.0.0.1", &["198.51.100.1", "203.0.113.5, 10.0.0.2"]), Some(ip("203.0.113.5")));
        assert_eq!(client("::1", &["[2001:db8::5]:4711"]), Some(ip("2001:db8::5")));
        assert_eq!(client("::1", &["[2001:db8::6]"]), Some(ip("2001:db8::6")), "brackets without a port");
        assert_eq!(client("::1", &["[2001:db8::7"]), Some(ip("::1")), "half a bracket is junk");
        assert_eq!(client("10.0.0.1", &["10.0.0.3, 10.0.0.2"]), Some(ip("10.0.0.3")), "all proxies: the farthest");
        assert_eq!(client("10.0.0.1", &["junk, 10.0.0.2"]), Some(ip("10.0.0.2")), "junk is not believed");
        assert_eq!(
            forwarded.client(Some(ip("10.0.0.1")), [b"\x80\xff, 203.0.113.8".as_slice()].into_iter()).address(),
            Some(ip("203.0.113.8")),
            "bytes that are not text spoil only their own entry"
        );
        assert_eq!(client("10.0.0.1", &[]), Some(ip("10.0.0.1")));
        assert_eq!(client("198.51.100.9", &["203.0.113.5"]), Some(ip("198.51.100.9")), "untrusted peer");
        assert_eq!(
            forwarded.client(Some(ip("198.51.100.9")), [b"203.0.113.5".as_slice()].into_iter()),
            ClientAddress::IgnoredForwarded(ip("198.51.100.9"))
        );
    }

    #[test]
    fn an_ignored_header_is_reported_once_per_peer_for_the_first_few_peers() {
        let forwarded = ForwardedFor::new(Vec::new());
        assert!(forwarded.first_ignored(ip("192.0.2.1")));
        assert!(!forwarded.first_ignored(ip("192.0.2.1")));
        for last in 2..=u8::try_from(WARNED_PEERS).unwrap_or(u8::MAX) {
            assert!(forwarded.first_ignored(IpAddr::from([192, 0, 2, last])), "peer {last}");
        }
        assert!(!forwarded.first_ignored(ip("2001:db8::1")), "no more than {WARNED_PEERS} peers");
    }
}
