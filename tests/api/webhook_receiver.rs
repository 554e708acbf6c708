//! A CRM's webhook on loopback: an HTTP server that keeps every POST it receives and answers
//! each with the next status of its script, then 200, as a receiver that is down, refuses or
//! takes the lead would.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

#[derive(Debug, Clone)]
pub struct Post {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Post {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }

    /// Whether the signature header is `t=<the timestamp header>,v1=<HMAC-SHA256 of "<t>.<body>">`
    /// under `secret`, checked as a receiver would: recomputed, compared in constant time.
    pub fn signed_with(&self, secret: &str) -> bool {
        let Some(signature) = self.header("X-Jobprofiles-Signature") else { return false };
        let Some((t, v1)) = signature.strip_prefix("t=").and_then(|rest| rest.split_once(",v1=")) else {
            return false;
        };
        if self.header("X-Jobprofiles-Timestamp") != Some(t) {
            return false;
        }
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).expect("any key length");
        mac.update(format!("{t}.").as_bytes());
        mac.update(&self.body);
        let Some(given) = jobprofiles::hex::decode_hex(v1) else { return false };
        mac.verify_slice(&given).is_ok()
    }
}

struct Script {
    answers: Mutex<VecDeque<u16>>,
    posts: Mutex<Vec<Post>>,
}

pub struct Receiver {
    pub url: String,
    script: Arc<Script>,
    server: ServerHandle,
}

async fn receive(request: HttpRequest, body: web::Bytes, script: web::Data<Script>) -> HttpResponse {
    let headers = request
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap_or_default().to_owned()))
        .collect();
    if let Ok(mut posts) = script.posts.lock() {
        posts.push(Post { headers, body: body.to_vec() });
    }
    let status = script.answers.lock().ok().and_then(|mut answers| answers.pop_front()).unwrap_or(200);
    let status = actix_web::http::StatusCode::from_u16(status).expect("a status code");
    HttpResponse::build(status).body(if status.is_success() { "ok" } else { "the CRM says no" })
}

impl Receiver {
    /// A receiver at `http://127.0.0.1:<port>/hooks/leads` answering `answers` in turn, then 200.
    pub async fn start(answers: &[u16]) -> Receiver {
        let script =
            Arc::new(Script { answers: Mutex::new(answers.iter().copied().collect()), posts: Mutex::default() });
        let data = web::Data::from(script.clone());
        let server =
            HttpServer::new(move || App::new().app_data(data.clone()).route("/hooks/leads", web::post().to(receive)))
                .workers(1)
                .disable_signals()
                .bind(("127.0.0.1", 0))
                .expect("the receiver binds");
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Receiver { url: format!("http://127.0.0.1:{port}/hooks/leads"), script, server: handle }
    }

    pub fn posts(&self) -> Vec<Post> {
        self.script.posts.lock().map(|posts| posts.clone()).unwrap_or_default()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let server = self.server.clone();
        drop(tokio::spawn(async move { server.stop(false).await }));
    }
}
