//! The crash harness: the release server under 32 hiring requests at once (each from a fresh form),
//! killed with SIGKILL at a random moment and started again, `ROUNDS` times (default 20). It then
//! checks what the site promises: every request answered with the 303 redirect is stored exactly
//! once, `PRAGMA integrity_check` says `ok` after every kill, and every stored lead's notification
//! and confirmation reach the SMTP sink, a second time only when a kill interrupted its send (the
//! mail worker records the outcomes of a claimed batch together, so at most a batch,
//! `CLAIM_BATCH` mails, per kill). A request a kill cut off is sent again, same form and token,
//! once the server is back, as a visitor would: it must be acknowledged then.
//!
//! `ROUNDS=20 cargo run --example crash_harness -- [target/release/jobprofiles]`; `SEED=` repeats a
//! run's kill moments. Needs the `sqlite3` shell; run from the repository (it serves `content/`).
//! Prints its figures and exits 1 when a promise was broken.

#[path = "../tests/api/smtp_sink.rs"]
#[expect(dead_code, reason = "the tests' SMTP sink, of which the harness needs only the mails as they arrive")]
mod smtp_sink;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jobprofiles::notify::CLAIM_BATCH;
use smtp_sink::SmtpSink;

const CONCURRENCY: usize = 32;
/// The kill comes this many milliseconds after the requests start, at random.
const KILL_AFTER_MS: std::ops::Range<u64> = 20..500;
const MARKER_DOMAIN: &str = "crash.example";
/// Broken promises printed one by one; the rest are counted.
const SHOWN_PROBLEMS: usize = 20;
/// After the last start, no new mail for this long means the outbox stalled.
const STALLED: Duration = Duration::from_secs(30);

/// A form a request was sent with: enough to send it again.
struct SentForm {
    email: String,
    cookie: String,
    token: String,
}

#[derive(Default)]
struct Outcomes {
    acknowledged: Vec<String>,
    /// Sent, but answered with something other than the redirect or not at all.
    cut_off: Vec<SentForm>,
}

struct Harness {
    binary: PathBuf,
    work: PathBuf,
    port: u16,
    sink_port: u16,
    secret: String,
}

impl Harness {
    fn database(&self) -> PathBuf {
        self.work.join("crash.db")
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn start(&self) -> Result<Child, String> {
        let log =
            File::options().create(true).append(true).open(self.work.join("server.log")).map_err(|e| e.to_string())?;
        let port = self.port.to_string();
        let sink_port = self.sink_port.to_string();
        let database = self.database();
        let mut command = Command::new(&self.binary);
        for (key, _) in std::env::vars().filter(|(key, _)| key.starts_with("JOBPROFILES_")) {
            command.env_remove(key);
        }
        let mut child = command
            .env("RUST_LOG", "warn")
            .args(["serve", "--no-watch", "--content", "content", "--static-dir", "static"])
            .args(["--bind", &format!("127.0.0.1:{port}"), "--base-url", &self.base()])
            .arg("--database")
            .arg(&database)
            .args(["--secret-key", &self.secret, "--form-min-fill-ms", "0", "--lead-rate-limit", "1000000000"])
            .args(["--smtp-host", "127.0.0.1", "--smtp-port", &sink_port, "--smtp-tls", "none"])
            // A claim a kill left behind is due again after a second.
            .args(["--outbox-lease-ms", "1000", "--outbox-poll-ms", "50", "--outbox-retry-base-ms", "50"])
            .args(["--outbox-retry-max-ms", "1000", "--outbox-max-attempts", "1000"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        let started = Instant::now();
        let probe = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!(
                    "the server exited with {status} at start; see {}",
                    self.work.join("server.log").display()
                ));
            }
            if std::net::TcpStream::connect_timeout(&probe, Duration::from_millis(100)).is_ok() {
                return Ok(child);
            }
            if started.elapsed() > Duration::from_secs(120) {
                let _ = child.kill();
                return Err("the server did not listen within two minutes".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `PRAGMA integrity_check` of a copy of the files a kill left, so the server still finds
    /// them as the crash left them and recovers them itself.
    fn integrity_after_crash(&self, round: usize) -> Result<String, String> {
        let copy = self.work.join(format!("after-kill-{round}"));
        std::fs::create_dir_all(&copy).map_err(|e| e.to_string())?;
        for suffix in ["", "-wal"] {
            let from = PathBuf::from(format!("{}{suffix}", self.database().display()));
            if from.exists() {
                std::fs::copy(&from, copy.join(format!("crash.db{suffix}"))).map_err(|e| e.to_string())?;
            }
        }
        let verdict = sqlite(&copy.join("crash.db"), "PRAGMA integrity_check;");
        let _ = std::fs::remove_dir_all(&copy);
        verdict
    }
}

fn sqlite(database: &Path, sql: &str) -> Result<String, String> {
    let output = Command::new("sqlite3").arg(database).arg(sql).output().map_err(|e| format!("sqlite3: {e}"))?;
    if !output.status.success() {
        return Err(format!("sqlite3: {}", String::from_utf8_lossy(&output.stderr)));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    Some(&text[from..from + text[from..].find(end)?])
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default()
}

async fn open_form(client: &reqwest::Client, base: &str, email: String) -> Option<SentForm> {
    let form = client.get(format!("{base}/contact?profile=backend-developer")).send().await.ok()?;
    let cookie = form.headers().get("set-cookie")?.to_str().ok()?.split(';').next()?.to_owned();
    let html = form.text().await.ok()?;
    let token = between(&html, "name=\"csrf_token\" value=\"", "\"")?.to_owned();
    Some(SentForm { email, cookie, token })
}

/// Whether the request was answered with the redirect that says it is stored.
async fn send(client: &reqwest::Client, base: &str, form: &SentForm) -> bool {
    let sent = client
        .post(format!("{base}/contact"))
        .header("Cookie", &form.cookie)
        .form(&[
            ("csrf_token", form.token.as_str()),
            ("company", "Crash Harness GmbH"),
            ("name", "Crash Test"),
            ("email", form.email.as_str()),
            ("role", "Backend Developer"),
            ("headcount", "1"),
            ("engagement", "either"),
            ("work_mode", "remote"),
            ("message", "A hiring request sent by the crash harness, which kills the server meanwhile."),
            ("consent", "yes"),
        ])
        .send()
        .await;
    sent.is_ok_and(|response| response.status() == 303)
}

/// Requests from `CONCURRENCY` visitors, each with a fresh form, until `stop`.
async fn load(base: String, round: usize, stop: Arc<AtomicBool>) -> Outcomes {
    let outcomes = Arc::new(Mutex::new(Outcomes::default()));
    let client = client();
    let visitors: Vec<_> = (0..CONCURRENCY)
        .map(|visitor| {
            let (client, base, stop, outcomes) = (client.clone(), base.clone(), stop.clone(), outcomes.clone());
            tokio::spawn(async move {
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let email = format!("r{round}-v{visitor}-{n}@{MARKER_DOMAIN}");
                    let Some(form) = open_form(&client, &base, email).await else { continue };
                    let acknowledged = send(&client, &base, &form).await;
                    let mut outcomes = outcomes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    if acknowledged {
                        outcomes.acknowledged.push(form.email);
                    } else {
                        outcomes.cut_off.push(form);
                    }
                }
            })
        })
        .collect();
    for visitor in visitors {
        let _ = visitor.await;
    }
    Arc::try_unwrap(outcomes).ok().and_then(|m| m.into_inner().ok()).unwrap_or_default()
}

/// xorshift64*: kill moments that a seed repeats.
struct Moments(u64);

impl Moments {
    fn next_ms(&mut self, range: &std::ops::Range<u64>) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        range.start + self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % (range.end - range.start)
    }
}

fn kill(mut server: Child) -> Result<(), String> {
    // `Child::kill` sends SIGKILL: no shutdown code runs, as in a crash or a power cut.
    server.kill().map_err(|e| format!("kill: {e}"))?;
    server.wait().map(|_| ()).map_err(|e| format!("wait: {e}"))
}

/// The Message-ID of every mail the sink received, in the order they arrived, read from the sink
/// a few at a time: polling it while thousands of mails arrive costs what is new, not all so far.
#[derive(Default)]
struct Arrivals(Vec<String>);

impl Arrivals {
    /// Reads the mails that arrived since the last call; how many there were.
    fn catch_up(&mut self, sink: &SmtpSink) -> usize {
        let new = sink.mails_after(self.0.len());
        self.0.extend(new.iter().map(|mail| mail.header("Message-ID").unwrap_or_default()));
        new.len()
    }

    fn count(&self) -> usize {
        self.0.len()
    }
}

#[derive(Default)]
struct Figures {
    acknowledged: BTreeSet<String>,
    resent: usize,
    resent_refused: Vec<String>,
    integrity: Vec<String>,
    /// How many mails the sink held after each kill, just before the next start: the borders
    /// between server lives (a new life cannot send before it starts).
    mails_at_kill: Vec<usize>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(error) => {
            eprintln!("crash harness: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<bool, String> {
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(20);
    let seed =
        std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| getrandom::u64().unwrap_or(1)) | 1;
    let binary = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/release/jobprofiles".into()));
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let sink = SmtpSink::start().await;
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let harness = Harness {
        binary,
        work: dir.path().to_owned(),
        port,
        sink_port: sink.port,
        secret: format!("crash-harness-{seed:016x}-{:016x}", getrandom::u64().unwrap_or(seed)),
    };
    println!("crash harness: {rounds} rounds, {CONCURRENCY} requests at once, SEED={seed}");
    let mut moments = Moments(seed);
    let mut figures = Figures::default();
    let mut arrivals = Arrivals::default();
    let mut cut_off: Vec<SentForm> = Vec::new();
    let started = Instant::now();
    for round in 1..=rounds {
        if round > 1 {
            arrivals.catch_up(&sink);
            figures.mails_at_kill.push(arrivals.count());
        }
        let server = harness.start()?;
        resend(&harness, &mut cut_off, &mut figures).await;
        let stop = Arc::new(AtomicBool::new(false));
        let requests = tokio::spawn(load(harness.base(), round, stop.clone()));
        tokio::time::sleep(Duration::from_millis(moments.next_ms(&KILL_AFTER_MS))).await;
        kill(server)?;
        // What the killed process had written to its sockets still arrives: let the sink read it.
        tokio::time::sleep(Duration::from_millis(100)).await;
        stop.store(true, Ordering::SeqCst);
        let outcomes = requests.await.map_err(|e| e.to_string())?;
        figures.acknowledged.extend(outcomes.acknowledged);
        cut_off = outcomes.cut_off;
        let verdict = harness.integrity_after_crash(round)?;
        if verdict != "ok" {
            figures.integrity.push(format!("after kill {round}: {verdict}"));
        }
    }

    arrivals.catch_up(&sink);
    figures.mails_at_kill.push(arrivals.count());
    let mut server = harness.start()?;
    resend(&harness, &mut cut_off, &mut figures).await;
    let database = harness.database();
    let expected: BTreeSet<String> = sqlite(
        &database,
        "SELECT '<' || kind || '-' || id || '-' || submission_id || '@localhost.localdomain>' \
         FROM leads, (SELECT 'lead' AS kind UNION ALL SELECT 'confirmation') WHERE spam_reason IS NULL;",
    )?
    .lines()
    .map(str::to_owned)
    .collect();
    // Waits while mails keep arriving: a stalled outbox fails, a slow machine does not.
    let waiting = Instant::now();
    let mut undelivered: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    let (mut read, mut last_progress) = (0, Instant::now());
    loop {
        if arrivals.catch_up(&sink) > 0 {
            last_progress = Instant::now();
        }
        for id in &arrivals.0[read..] {
            undelivered.remove(id.as_str());
        }
        read = arrivals.count();
        if undelivered.is_empty() || last_progress.elapsed() >= STALLED {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let drained = waiting.elapsed();
    let _ = Command::new("kill").args(["-TERM", &server.id().to_string()]).status();
    server.wait().map_err(|e| e.to_string())?;
    let final_check = sqlite(&database, "PRAGMA integrity_check;")?;
    if final_check != "ok" {
        figures.integrity.push(format!("after the last stop: {final_check}"));
    }
    let backlog = arrivals.count() - figures.mails_at_kill.last().copied().unwrap_or_default();
    println!(
        "after the last start, the outbox took {:.1} s to deliver {backlog} mails ({:.0} a second)",
        drained.as_secs_f64(),
        backlog as f64 / drained.as_secs_f64().max(0.001)
    );
    arrivals.catch_up(&sink);
    Ok(report(
        &figures,
        &sqlite(&database, "SELECT email FROM leads;")?,
        &expected,
        &arrivals,
        rounds,
        started.elapsed(),
    ))
}

/// Sends again, as its visitor would, each request a kill cut off: same form, same token.
async fn resend(harness: &Harness, cut_off: &mut Vec<SentForm>, figures: &mut Figures) {
    let client = client();
    for form in cut_off.drain(..) {
        figures.resent += 1;
        if send(&client, &harness.base(), &form).await {
            figures.acknowledged.insert(form.email);
        } else {
            figures.resent_refused.push(form.email);
        }
    }
}

fn report(
    figures: &Figures,
    stored_emails: &str,
    expected_mails: &BTreeSet<String>,
    arrivals: &Arrivals,
    rounds: usize,
    took: Duration,
) -> bool {
    let mut stored: BTreeMap<&str, usize> = BTreeMap::new();
    for email in stored_emails.lines().filter(|e| e.ends_with(MARKER_DOMAIN)) {
        *stored.entry(email).or_default() += 1;
    }
    let missing: Vec<_> = figures.acknowledged.iter().filter(|e| !stored.contains_key(e.as_str())).collect();
    let duplicate_leads: Vec<_> = stored.iter().filter(|(_, n)| **n > 1).collect();

    // Each mail with the server life it arrived in (life k ends with kill k).
    let mut copies: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, message_id) in arrivals.0.iter().enumerate() {
        let life = figures.mails_at_kill.iter().filter(|&&at| at <= index).count();
        copies.entry(message_id).or_default().push(life);
    }
    let unsent: Vec<_> = expected_mails.iter().filter(|id| !copies.contains_key(id.as_str())).collect();
    let duplicated: Vec<_> = copies.iter().filter(|(_, lives)| lives.len() > 1).collect();
    // Each further copy is allowed only after a kill that came after the copy before it (the
    // oldest waiting mail is the one in flight, so one mail may be cut off by several kills),
    // and one kill can interrupt the sends of one claimed batch.
    let mut per_kill: BTreeMap<usize, usize> = BTreeMap::new();
    let mut unexplained = Vec::new();
    for (id, lives) in &duplicated {
        for pair in lives.windows(2) {
            if pair[0] == pair[1] {
                unexplained.push(format!("{id} in lives {lives:?}"));
            } else {
                *per_kill.entry(pair[0]).or_default() += 1;
            }
        }
    }
    unexplained.extend(
        per_kill
            .iter()
            .filter(|(_, n)| **n > CLAIM_BATCH)
            .map(|(life, n)| format!("{n} repeated mails after kill {}", life + 1)),
    );

    println!("rounds (kills)            {rounds}");
    println!("acknowledged              {}", figures.acknowledged.len());
    println!(
        "  of which sent again     {} after a kill cut them off ({} refused)",
        figures.resent,
        figures.resent_refused.len()
    );
    println!("stored                    {}", stored.len());
    println!("missing                   {}", missing.len());
    println!("duplicate leads           {}", duplicate_leads.len());
    println!(
        "integrity_check           {}",
        if figures.integrity.is_empty() { "ok after every kill and at the end" } else { "FAILED" }
    );
    println!(
        "mails                     {} for {} expected (a notification and a confirmation per lead), {} not delivered",
        arrivals.count(),
        expected_mails.len(),
        unsent.len()
    );
    println!(
        "duplicate mails           {} copies of {} mails (bound: {CLAIM_BATCH} copies per kill, {})",
        arrivals.count() - copies.len(),
        duplicated.len(),
        CLAIM_BATCH * rounds
    );
    println!("took                      {:.0} s", took.as_secs_f64());
    let broken: Vec<String> = [
        missing.iter().map(|e| format!("acknowledged but not stored: {e}")).collect::<Vec<_>>(),
        duplicate_leads.iter().map(|(e, n)| format!("stored {n} times: {e}")).collect(),
        figures.resent_refused.iter().map(|e| format!("sent again, not acknowledged: {e}")).collect(),
        figures.integrity.clone(),
        unsent.iter().map(|id| format!("mail never arrived: {id}")).collect(),
        unexplained.iter().map(|u| format!("mail repeated without a kill to explain it: {u}")).collect(),
    ]
    .concat();
    for problem in broken.iter().take(SHOWN_PROBLEMS) {
        println!("BROKEN: {problem}");
    }
    if broken.len() > SHOWN_PROBLEMS {
        println!("BROKEN: … and {} more", broken.len() - SHOWN_PROBLEMS);
    }
    broken.is_empty()
}
