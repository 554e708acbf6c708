//! A load generator for the hiring form: every submission needs a fresh form and its CSRF
//! cookie, which wrk cannot do. Usage: `post_load BASE_URL[,BASE_URL...] SECONDS CONCURRENCY`.
//! With several instances' URLs the clients take turns: client `i` opens and sends its forms on
//! instance `i mod n`. Prints the number of leads stored (303 answers) per second.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    Some(&text[from..from + text[from..].find(end)?])
}

async fn one(client: &reqwest::Client, base: &str) -> Option<()> {
    let form = client.get(format!("{base}/contact?profile=backend-developer")).send().await.ok()?;
    let cookie = form.headers().get("set-cookie")?.to_str().ok()?.split(';').next()?.to_owned();
    let html = form.text().await.ok()?;
    let token = between(&html, "name=\"csrf_token\" value=\"", "\"")?.to_owned();
    let response = client
        .post(format!("{base}/contact"))
        .header("Cookie", cookie)
        .form(&[
            ("csrf_token", token.as_str()),
            ("company", "Benchmark GmbH"),
            ("name", "Load Test"),
            ("email", "load@bench.example"),
            ("role", "Backend Developer"),
            ("headcount", "1"),
            ("engagement", "either"),
            ("work_mode", "remote"),
            ("message", "A hiring request sent by the benchmark load generator."),
            ("consent", "yes"),
        ])
        .send()
        .await
        .ok()?;
    (response.status().as_u16() == 303).then_some(())
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bases: Vec<String> =
        args.get(1).map_or("http://127.0.0.1:18080", String::as_str).split(',').map(str::to_owned).collect();
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let concurrency: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(64);
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default();
    let (ok, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..concurrency)
        .map(|i| {
            let base = bases[i % bases.len()].clone();
            let (client, ok, failed) = (client.clone(), ok.clone(), failed.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    match one(&client, &base).await {
                        Some(()) => ok.fetch_add(1, Ordering::Relaxed),
                        None => failed.fetch_add(1, Ordering::Relaxed),
                    };
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    println!("leads_per_second={:.0} stored={ok} failed={failed} seconds={elapsed:.1}", ok as f64 / elapsed);
}
