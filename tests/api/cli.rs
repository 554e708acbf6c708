use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::repo_path;

pub(crate) fn jobprofiles() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jobprofiles"));
    command.current_dir(repo_path(""));
    for (key, _) in std::env::vars().filter(|(key, _)| key.starts_with("JOBPROFILES_")) {
        command.env_remove(key);
    }
    command
}

#[test]
fn check_passes_on_the_shipped_content_and_prints_counts_per_language() {
    let output = jobprofiles().args(["check", "--content", "content"]).output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("en: 12 profiles"), "{stdout}");
    assert!(stdout.contains("de: 12 profiles"), "{stdout}");
}

#[test]
fn check_on_a_broken_tree_lists_every_error_with_file_line_column_and_fails() {
    let output = jobprofiles().args(["check", "--content", "tests/fixtures/broken"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: salary row for this region: min (90000) is larger than max (50000)\n   ┌─ profiles/en/salary-reversed.md:18:7"), "{stderr}");
    assert!(stderr.contains("┌─ people/bad-email.toml:2:9"), "{stderr}");
    assert!(stderr.contains("= hint:"), "{stderr}");
    assert!(stderr.contains("25 errors and 2 warnings in content; nothing was loaded"), "{stderr}");
}

/// `serve` with `args` on a fresh database, which must refuse to start (exit 1): what it printed.
pub(crate) fn serve_refused(args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = jobprofiles()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(args)
        .arg("--database")
        .arg(dir.path().join("x.db"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    stderr
}

#[test]
fn serve_without_its_share_image_fonts_exits_naming_the_font_and_the_os_reason_once() {
    let font = "/nonexistent-fonts/DejaVuSans-Bold.ttf";
    let reason = std::fs::read(font).expect_err("no such font").to_string();
    let stderr = serve_refused(&["--fonts-dir", "/nonexistent-fonts"]);
    assert!(stderr.contains(&format!("error: the share image font {font} cannot be read: {reason}\n")), "{stderr}");
    assert_eq!(stderr.matches(font).count(), 1, "the path once: {stderr}");
    assert_eq!(stderr.matches(&reason).count(), 1, "the OS reason once: {stderr}");
}

#[test]
fn serve_with_a_broken_share_image_font_exits_naming_it() {
    let fonts = tempfile::tempdir().expect("temp dir");
    std::fs::copy(repo_path("fonts/DejaVuSans-Bold.ttf"), fonts.path().join("DejaVuSans-Bold.ttf")).expect("copied");
    std::fs::write(fonts.path().join("DejaVuSans.ttf"), b"<html>not a font</html>").expect("written");
    let stderr = serve_refused(&["--fonts-dir", &fonts.path().to_string_lossy()]);
    assert!(stderr.contains("DejaVuSans.ttf is not usable"), "{stderr}");
}

#[test]
fn serve_with_broken_content_exits_non_zero_with_the_check_report() {
    let stderr = serve_refused(&["--content", "tests/fixtures/broken"]);
    assert!(stderr.contains("error: unknown field `colour`"), "{stderr}");
    assert!(stderr.contains("┌─ profiles/en/unknown-field.md:14:1"), "{stderr}");
}

#[test]
fn environment_variables_configure_the_command_and_flags_win() {
    let output = jobprofiles()
        .env("JOBPROFILES_CONTENT", "tests/fixtures/broken")
        .args(["check", "--content", "tests/fixtures/minimal"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "the flag wins over the variable");
    let output = jobprofiles().env("JOBPROFILES_CONTENT", "tests/fixtures/broken").arg("check").output().expect("runs");
    assert_eq!(output.status.code(), Some(1), "the variable is read");
}

#[test]
fn import_stores_the_content_without_serving() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("imported.db");
    let output =
        jobprofiles().args(["import", "--content", "content"]).arg("--database").arg(&database).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(database.exists());
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = jobprofiles()
        .args(["--bind", "127.0.0.1:0", "--content", "tests/fixtures/minimal"])
        .arg("--database")
        .arg(dir.path().join("serve.db"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let started = Instant::now();
    loop {
        let line = lines.next().expect("the server logs until it listens").expect("utf-8 log");
        if line.contains("listening") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "server did not start");
    }
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill runs");
    assert!(status.success());
    let exit = child.wait().expect("exits");
    assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");
}

/// Serves the minimal site with JSON logs, asks for `paths` one connection each, and returns
/// the request log lines and everything the server wrote.
fn json_request_logs(paths: &[&str]) -> (Vec<serde_json::Value>, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = jobprofiles()
        .args(["--bind", "127.0.0.1:0", "--content", "tests/fixtures/minimal", "--log-format", "json"])
        .arg("--database")
        .arg(dir.path().join("serve.db"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut raw = String::new();
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines().map(|line| {
        let line = line.expect("utf-8 log");
        raw.push_str(&line);
        raw.push('\n');
        serde_json::from_str::<serde_json::Value>(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    });
    let listening = lines.find(|line| line["fields"]["message"] == "listening").expect("the server listens");
    let port = u16::try_from(listening["fields"]["port"].as_u64().expect("port logged")).expect("a port");
    for path in paths {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connects");
        write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").expect("request sent");
        std::io::Read::read_to_end(&mut stream, &mut Vec::new()).expect("response read");
    }
    let requests: Vec<serde_json::Value> =
        lines.by_ref().filter(|line| line["fields"]["message"] == "request").take(paths.len()).collect();
    let _ = child.kill();
    lines.for_each(drop);
    let _ = child.wait();
    (requests, raw)
}

#[test]
fn json_logs_have_one_line_per_request_each_with_its_own_request_id() {
    let (requests, _) = json_request_logs(&["/profiles", "/profiles", "/no-such-page"]);
    let seen: Vec<(&str, u64)> = requests
        .iter()
        .map(|line| (line["fields"]["path"].as_str().unwrap_or(""), line["fields"]["status"].as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(seen, [("/profiles", 200), ("/profiles", 200), ("/no-such-page", 404)]);
    let ids: std::collections::HashSet<&str> =
        requests.iter().filter_map(|line| line["span"]["request_id"].as_str()).collect();
    assert_eq!(ids.len(), 3, "each request has its own id: {requests:?}");
}

/// What the server logs in `format` until it listens, with the minimal site published at start.
fn start_up_log(format: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = jobprofiles()
        .args(["--bind", "127.0.0.1:0", "--content", "tests/fixtures/minimal", "--log-format", format])
        .arg("--database")
        .arg(dir.path().join("serve.db"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut logged = Vec::new();
    for line in BufReader::new(child.stderr.take().expect("stderr")).lines() {
        let line = line.expect("utf-8 log");
        let listening = line.contains("listening");
        logged.push(line);
        if listening {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    logged
}

#[test]
fn the_content_publish_at_start_logs_how_long_it_took_in_both_formats() {
    let json = start_up_log("json");
    let timed = json
        .iter()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
        })
        .find(|line| line["span"]["name"] == "content_publish" && line["fields"]["message"] == "close")
        .unwrap_or_else(|| panic!("no timing line: {json:?}"));
    assert!(timed["fields"]["time.busy"].as_str().is_some_and(|busy| !busy.is_empty()), "{timed}");
    let human = start_up_log("human");
    assert!(
        human.iter().any(|line| line.contains("content_publish") && line.contains("close time.busy=")),
        "no timing line: {human:?}"
    );
}

#[test]
fn without_an_smtp_host_the_start_up_log_says_which_folder_mail_is_written_to() {
    let human = start_up_log("human");
    let said = human.iter().find(|line| line.contains("mail goes to .eml files in"));
    assert!(said.is_some_and(|line| line.trim_end().ends_with("/mail")), "{human:?}");
}

#[test]
fn preview_tokens_stay_out_of_request_logs() {
    let token = "1893456000000.en.backend-developer.0123456789abcdef";
    let (requests, raw) = json_request_logs(&[&format!("/preview/{token}")]);
    assert_eq!(requests.len(), 1, "{raw}");
    assert_eq!(requests[0]["fields"]["path"], "/preview/{token}", "{raw}");
    assert!(!raw.contains(token), "the token is in the log: {raw}");
}

#[test]
fn warnings_pass_check_unless_strict() {
    let dir = tempfile::tempdir().expect("temp dir");
    let status = Command::new("cp")
        .arg("-r")
        .arg(repo_path("tests/fixtures/minimal"))
        .arg(dir.path().join("site"))
        .status()
        .expect("copied");
    assert!(status.success());
    let german = dir.path().join("site/profiles/de/testerin.md");
    let older = std::fs::read_to_string(&german).expect("read").replace("updated = 2026-01-15", "updated = 2026-01-01");
    std::fs::write(&german, older).expect("written");
    let content = dir.path().join("site");
    let relaxed = jobprofiles().arg("check").arg("--content").arg(&content).output().expect("runs");
    let stderr = String::from_utf8_lossy(&relaxed.stderr);
    assert!(relaxed.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: this translation (2026-01-01) is older than the en version (2026-01-15)"),
        "{stderr}"
    );
    let strict = jobprofiles().args(["check", "--strict"]).arg("--content").arg(&content).output().expect("runs");
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn trusted_proxies_are_ranges_from_repeated_flags_or_a_comma_separated_variable() {
    let check = |command: &mut Command| command.args(["check", "--content", "content"]).output().expect("runs");
    let flags = check(jobprofiles().args(["--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "::1"]));
    assert!(flags.status.success(), "{}", String::from_utf8_lossy(&flags.stderr));
    let listed = check(jobprofiles().env("JOBPROFILES_TRUSTED_PROXIES", "10.0.0.0/8,192.0.2.7,2001:db8::/32"));
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let bad = check(jobprofiles().env("JOBPROFILES_TRUSTED_PROXIES", "10.0.0.0/8,proxy.example"));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`proxy.example` is not an address range"), "{stderr}");
    let old = jobprofiles().args(["--trust-forwarded-for", "check", "--content", "content"]).output().expect("runs");
    assert_eq!(old.status.code(), Some(2), "the old switch is gone");
}

#[tokio::test]
async fn forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored_with_one_warning_per_peer() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = jobprofiles()
        .args(["--bind", "127.0.0.1:0", "--content", "tests/fixtures/minimal", "--log-format", "json"])
        .args(["--trusted-proxy", "10.0.0.0/8"])
        .arg("--database")
        .arg(dir.path().join("serve.db"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines().map(|line| {
        let line = line.expect("utf-8 log");
        serde_json::from_str::<serde_json::Value>(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    });
    let listening = lines.find(|line| line["fields"]["message"] == "listening").expect("the server listens");
    let port = listening["fields"]["port"].as_u64().and_then(|p| u16::try_from(p).ok()).expect("port logged");
    // Every 127.x.y.z address is this machine, so each is a peer of its own: ten peers, each twice.
    let peers: Vec<std::net::SocketAddr> = (1..=10).map(|last| ([127, 0, 0, last], 0).into()).collect();
    for peer in peers.iter().chain(&peers) {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.bind(*peer).expect("a loopback address of its own");
        let mut stream = socket.connect(([127, 0, 0, 1], port).into()).await.expect("connects");
        let request = "GET /search?q=kubernetes HTTP/1.0\r\nHost: localhost\r\nX-Forwarded-For: 203.0.113.1\r\n\r\n";
        stream.write_all(request.as_bytes()).await.expect("request sent");
        stream.read_to_end(&mut Vec::new()).await.expect("response read");
    }
    let (mut seen, mut requests) = (Vec::new(), 0);
    for line in lines.by_ref() {
        requests += usize::from(line["fields"]["message"] == "request");
        seen.push(line);
        if requests == 2 * peers.len() {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let warned: Vec<&str> = seen
        .iter()
        .filter(|line| {
            line["level"] == "WARN" && line["fields"]["message"].as_str().is_some_and(|m| m.contains("X-Forwarded-For"))
        })
        .filter_map(|line| line["fields"]["peer"].as_str())
        .collect();
    let first_eight: Vec<String> = (1..=8).map(|last| format!("127.0.0.{last}")).collect();
    assert_eq!(warned, first_eight, "once per peer, for the first eight peers: {seen:?}");
}

#[test]
fn a_search_cap_or_pool_wait_of_zero_is_refused() {
    for flag in ["--search-max-concurrent", "--db-pool-timeout-ms"] {
        let zero = jobprofiles().args([flag, "0", "check", "--content", "content"]).output().expect("runs");
        assert_eq!(zero.status.code(), Some(2), "{flag}: {}", String::from_utf8_lossy(&zero.stderr));
    }
}
