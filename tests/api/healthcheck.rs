//! `jobprofiles healthcheck`, the container's health check: the real binary against the running
//! site and against servers that misbehave.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Output;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread;
use std::time::Duration;

use crate::cli::jobprofiles;
use crate::helpers::spawn_app;

fn port_of(address: &str) -> u16 {
    address.rsplit(':').next().and_then(|port| port.parse().ok()).expect("the test app's address has a port")
}

async fn healthcheck(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || jobprofiles().arg("healthcheck").args(args).output().expect("runs"))
        .await
        .expect("the probe finishes")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The probe's connection, or `None` once the probe has finished without connecting: a probe
/// that never connects must fail the test, not hang it.
fn accept_until_finished(listener: &TcpListener, finished: &Receiver<()>) -> Option<TcpStream> {
    listener.set_nonblocking(true).expect("non-blocking");
    loop {
        match listener.accept() {
            Ok((connection, _)) => {
                connection.set_nonblocking(false).expect("blocking");
                return Some(connection);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                if let Err(TryRecvError::Disconnected) = finished.try_recv() {
                    return None;
                }
                thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("accept: {e}"),
        }
    }
}

#[tokio::test]
async fn healthcheck_succeeds_while_the_site_serves_on_its_bind_address() {
    let app = spawn_app().await;
    let port = port_of(&app.address);

    let output = healthcheck(vec!["--bind".into(), format!("127.0.0.1:{port}")]).await;
    assert!(output.status.success(), "{}", stderr(&output));
}

#[tokio::test]
async fn healthcheck_asks_loopback_when_the_site_binds_every_interface() {
    let app = spawn_app().await;
    let port = port_of(&app.address);

    let output = healthcheck(vec!["--bind".into(), format!("0.0.0.0:{port}")]).await;
    assert!(output.status.success(), "{}", stderr(&output));
}

#[tokio::test]
async fn healthcheck_fails_when_nothing_listens() {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();

    let output = healthcheck(vec!["--bind".into(), format!("127.0.0.1:{port}")]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains(&format!("cannot reach http://127.0.0.1:{port}/healthz")), "{}", stderr(&output));
}

#[tokio::test]
async fn healthcheck_gives_up_on_a_server_that_does_not_answer_in_time() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("listens");
    let port = listener.local_addr().expect("address").port();
    let (done, finished) = mpsc::channel::<()>();
    // Accepts and holds the connection without a word until the probe has finished.
    let server = thread::spawn(move || {
        let connection = accept_until_finished(&listener, &finished);
        let _ = finished.recv();
        drop(connection);
    });

    let output =
        healthcheck(vec!["--bind".into(), format!("127.0.0.1:{port}"), "--timeout-ms".into(), "100".into()]).await;
    drop(done);
    server.join().expect("server thread");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("/healthz did not answer within 100 ms"), "{}", stderr(&output));
}

#[tokio::test]
async fn healthcheck_sends_a_get_of_healthz_and_fails_on_any_answer_but_200() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("listens");
    let port = listener.local_addr().expect("address").port();
    let (done, finished) = mpsc::channel::<()>();
    let server = thread::spawn(move || {
        let Some(mut connection) = accept_until_finished(&listener, &finished) else { return String::new() };
        let mut request = Vec::new();
        let mut buffer = [0_u8; 512];
        while !request.ends_with(b"\r\n\r\n") {
            match connection.read(&mut buffer).expect("reads") {
                0 => break,
                read => request.extend_from_slice(&buffer[..read]),
            }
        }
        connection.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n").expect("answers");
        String::from_utf8_lossy(&request).into_owned()
    });

    let output = healthcheck(vec!["--bind".into(), format!("127.0.0.1:{port}")]).await;
    drop(done);
    let request = server.join().expect("server thread");
    assert!(request.starts_with("GET /healthz HTTP/1.1\r\n"), "{request}");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("answered `HTTP/1.1 503 Service Unavailable`"), "{}", stderr(&output));
}
