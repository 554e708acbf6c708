//! A minimal SMTP server on loopback that accepts every message and keeps it for inspection,
//! or stands in for a mail server that is down or that never answers.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body as sent, with dot-stuffing undone.
    pub data: String,
    /// When the end of the message arrived.
    pub received_at: SystemTime,
}

impl ReceivedMail {
    pub fn header(&self, name: &str) -> Option<String> {
        let (headers, _) = self.data.split_once("\r\n\r\n")?;
        let mut value: Option<String> = None;
        for line in headers.split("\r\n") {
            if let Some(current) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    current.push_str(line.trim_start_matches([' ', '\t']));
                    continue;
                }
                break;
            }
            if let Some((key, rest)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                value = Some(rest.trim().to_owned());
            }
        }
        value
    }

    pub fn header_count(&self, name: &str) -> usize {
        let headers = self.data.split_once("\r\n\r\n").map_or("", |(h, _)| h);
        headers
            .split("\r\n")
            .filter(|line| line.split_once(':').is_some_and(|(k, _)| k.eq_ignore_ascii_case(name)))
            .count()
    }

    /// The body, decoded from quoted-printable or base64 where the message says so.
    pub fn body(&self) -> String {
        let body = self.data.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        match self.header("Content-Transfer-Encoding").map(|e| e.to_ascii_lowercase()).as_deref() {
            Some("base64") => String::from_utf8_lossy(&decode_base64(body)).into_owned(),
            Some("quoted-printable") => String::from_utf8_lossy(&decode_quoted_printable(body)).into_owned(),
            _ => body.to_owned(),
        }
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let values: Vec<u8> = text.bytes().filter_map(|b| ALPHABET.iter().position(|&a| a == b)).map(|p| p as u8).collect();
    values
        .chunks(4)
        .flat_map(|chunk| {
            let n = chunk.iter().fold(0u32, |acc, &v| (acc << 6) | u32::from(v)) << (6 * (4 - chunk.len()));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(chunk.len().saturating_sub(1))
        })
        .collect()
}

fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            if bytes.get(i + 1..i + 3) == Some(b"\r\n") {
                i += 3;
                continue;
            }
            if let Some(hex) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(hex);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

pub struct SmtpSink {
    pub port: u16,
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
    /// While false, every connection is greeted with 421, as a server that is down answers;
    /// the listener stays bound, so no other process can take the port meanwhile.
    accepting: Arc<AtomicBool>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        Self::start_with(true).await
    }

    /// A sink that refuses all mail until `accept_mail` is called.
    pub async fn start_refusing() -> SmtpSink {
        Self::start_with(false).await
    }

    async fn start_with(accepting: bool) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("sink binds");
        let port = listener.local_addr().expect("address").port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let accepting = Arc::new(AtomicBool::new(accepting));
        let (store, open) = (mails.clone(), accepting.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                let open = open.load(Ordering::SeqCst);
                tokio::spawn(async move {
                    let _ = if open { serve(stream, store).await } else { refuse(stream).await };
                });
            }
        });
        SmtpSink { port, mails, accepting }
    }

    /// The mail server is back: from now on every message is taken.
    pub fn accept_mail(&self) {
        self.accepting.store(true, Ordering::SeqCst);
    }

    pub fn mails(&self) -> Vec<ReceivedMail> {
        self.mails_after(0)
    }

    /// The mails that arrived after the first `seen`, in the order they arrived: a caller that
    /// polls a long run keeps what it read and copies only what is new.
    pub fn mails_after(&self, seen: usize) -> Vec<ReceivedMail> {
        self.mails.lock().map(|m| m.get(seen..).unwrap_or_default().to_vec()).unwrap_or_default()
    }
}

/// A mail server that takes connections and never says a word: a sender waits on it until it
/// gives up, holding whatever it claimed to send.
pub struct SilentSmtp {
    pub port: u16,
    /// Connections taken so far.
    connections: Arc<Mutex<Vec<TcpStream>>>,
}

impl SilentSmtp {
    pub async fn start() -> SilentSmtp {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("silent server binds");
        let port = listener.local_addr().expect("address").port();
        let connections = Arc::new(Mutex::new(Vec::new()));
        let held = connections.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                if let Ok(mut held) = held.lock() {
                    held.push(stream);
                }
            }
        });
        SilentSmtp { port, connections }
    }

    pub fn connections(&self) -> usize {
        self.connections.lock().map(|c| c.len()).unwrap_or_default()
    }
}

async fn refuse(mut stream: TcpStream) -> std::io::Result<()> {
    stream.write_all(b"421 sink.test Service not available\r\n").await?;
    stream.shutdown().await
}

/// Acknowledges what was read of a message at once (TCP_QUICKACK), called whenever all that
/// arrived has been read. A sender (lettre) writes a message and its closing `.` in two writes,
/// then waits for the answer; with Nagle's algorithm on, the `.` waits for the acknowledgement
/// of the message, which Linux delays by up to 40 ms on a connection that answers every command:
/// 40 ms per mail.
fn acknowledge_now(read: &OwnedReadHalf) {
    // Without it a mail only arrives more slowly, which the tests wait for anyway.
    let _ = socket2::SockRef::from(read.as_ref()).set_tcp_quickack(true);
}

async fn serve(stream: TcpStream, store: Arc<Mutex<Vec<ReceivedMail>>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = command[10..].trim().to_owned();
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(command[8..].trim().trim_matches(['<', '>']).to_owned());
            b"250 OK\r\n"
        } else if upper == "DATA" {
            write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if lines.buffer().is_empty() {
                    acknowledge_now(lines.get_ref());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
            }
            if let Ok(mut mails) = store.lock() {
                mails.push(ReceivedMail { from: from.clone(), to: to.clone(), data, received_at: SystemTime::now() });
            }
            b"250 OK queued\r\n"
        } else if upper == "RSET" {
            to.clear();
            b"250 OK\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            return Ok(());
        } else {
            b"502 Command not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}
