//! `jobprofiles healthcheck`: one `GET /healthz` to the site on its own bind address, for a
//! container's health check in an image that holds no HTTP client.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The status line is all we read; a longer first line is not an HTTP answer.
const STATUS_LINE_MAX: usize = 1024;

#[derive(Debug, thiserror::Error)]
enum ProbeError {
    #[error("`{bind}` is not an address to connect to")]
    Address { bind: String, source: io::Error },
    #[error("`{0}` names no address")]
    NoAddress(String),
    #[error("http://{address}/healthz did not answer within {millis} ms")]
    Timeout { address: SocketAddr, millis: u128 },
    #[error("cannot reach http://{address}/healthz")]
    Io { address: SocketAddr, source: io::Error },
    #[error("http://{address}/healthz answered `{status_line}`")]
    Status { address: SocketAddr, status_line: String },
}

/// Exits 0 when `/healthz` answers 200 within `timeout`, else 1 with the reason on stderr.
pub fn run(bind: &str, timeout: Duration) -> ExitCode {
    match target(bind).and_then(|address| probe(address, timeout)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("healthcheck: {}", crate::error::with_causes(&error));
            ExitCode::FAILURE
        }
    }
}

/// The site binds `0.0.0.0` or `::` in a container; the probe runs beside it, so it asks
/// loopback of the same family on that port.
fn target(bind: &str) -> Result<SocketAddr, ProbeError> {
    let address = bind
        .to_socket_addrs()
        .map_err(|source| ProbeError::Address { bind: bind.to_owned(), source })?
        .next()
        .ok_or_else(|| ProbeError::NoAddress(bind.to_owned()))?;
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    Ok(SocketAddr::new(ip, address.port()))
}

fn probe(address: SocketAddr, timeout: Duration) -> Result<(), ProbeError> {
    let deadline = Instant::now() + timeout;
    let timed_out = || ProbeError::Timeout { address, millis: timeout.as_millis() };
    let failed = |source: io::Error| match source.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => timed_out(),
        _ => ProbeError::Io { address, source },
    };
    let left = || deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()).ok_or_else(timed_out);

    let mut stream = TcpStream::connect_timeout(&address, left()?).map_err(failed)?;
    stream.set_write_timeout(Some(left()?)).map_err(failed)?;
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(failed)?;

    let mut line = Vec::new();
    let mut buffer = [0_u8; 256];
    while !line.windows(2).any(|w| w == b"\r\n") && line.len() < STATUS_LINE_MAX {
        // A server that trickles bytes must not stretch the wait past the deadline.
        stream.set_read_timeout(Some(left()?)).map_err(failed)?;
        match stream.read(&mut buffer).map_err(failed)? {
            0 => break,
            read => line.extend_from_slice(&buffer[..read]),
        }
    }
    let status_line = String::from_utf8_lossy(&line).lines().next().unwrap_or_default().to_owned();
    let mut parts = status_line.split(' ');
    match (parts.next(), parts.next()) {
        (Some(version), Some("200")) if version.starts_with("HTTP/1.") => Ok(()),
        _ => Err(ProbeError::Status { address, status_line }),
    }
}
