//! `jobprofiles new profile|page`: a scaffold whose placeholders `check` lists, one by one, until
//! they are filled in; then the file loads and the running site serves it.

use std::path::Path;
use std::process::Output;

use crate::cli::jobprofiles;
use crate::helpers::{Page, copy_tree, repo_path, spawn_app_with};

fn run(content: &Path, args: &[&str]) -> Output {
    jobprofiles().args(args).arg("--content").arg(content).output().expect("runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A copy of the small valid fixture to add files to.
fn content_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo_path("tests/fixtures/minimal"), dir.path());
    dir
}

/// file:line:col of every `TODO` in the file, as `check` prints them.
fn placeholders_in(content: &Path, rel_path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(content.join(rel_path)).expect("written");
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for (at, _) in line.match_indices("TODO") {
            found.push(format!("{rel_path}:{}:{}", i + 1, line[..at].chars().count() + 1));
        }
    }
    found
}

/// file:line:col of every error `check` printed.
fn reported(check: &Output) -> Vec<String> {
    stderr(check).lines().filter_map(|line| line.split_once("┌─ ").map(|(_, at)| at.trim().to_owned())).collect()
}

/// `check` fails with one error per placeholder in `file` and no other; how many there are.
fn check_lists_exactly_the_placeholders_of(content: &Path, file: &str) -> usize {
    let check = run(content, &["check"]);
    assert!(!check.status.success());
    let placeholders = placeholders_in(content, file);
    assert_eq!(reported(&check), placeholders, "{}", stderr(&check));
    assert!(stderr(&check).contains(&format!("{} errors in content", placeholders.len())), "{}", stderr(&check));
    placeholders.len()
}

/// Fills in the scaffold as an editor would; `check` then passes.
fn fill_in_until_check_passes(content: &Path, file: &str, title: &str) {
    fill_in(content, file, title);
    let check = run(content, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

/// The running site on `content` answers each path with the page titled as given.
async fn served<const N: usize>(content: &Path, pages: [(&str, &str); N]) -> [Page; N] {
    let app = spawn_app_with(content.to_owned()).await;
    let mut answered = Vec::new();
    for (path, title) in pages {
        let page = app.page(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.text_of("h1"), title, "{path}");
        answered.push(page);
    }
    app.stop().await;
    answered.try_into().unwrap_or_else(|_| unreachable!("one page per path"))
}

/// The scaffold with every placeholder replaced the way an editor would.
fn fill_in(content: &Path, rel_path: &str, title: &str) {
    let path = content.join(rel_path);
    let text = std::fs::read_to_string(&path).expect("written");
    let filled: Vec<String> = text
        .lines()
        .map(|line| match line.split_once(" = ") {
            Some(("title", _)) => format!("title = \"{title}\""),
            Some(("min", _)) => "min = 52000".to_owned(),
            Some(("max", _)) => "max = 78000".to_owned(),
            Some((field, value)) if value.contains("TODO") => {
                let filled = format!("{title}, {field}");
                if value.starts_with('[') {
                    format!("{field} = [\"{filled}\"]")
                } else {
                    format!("{field} = \"{filled}\"")
                }
            }
            _ if line.starts_with("## TODO") => format!("## {title} in a few words"),
            _ if line.starts_with("TODO") => format!("What an editor wrote about the {title}."),
            _ => line.to_owned(),
        })
        .collect();
    std::fs::write(&path, filled.join("\n") + "\n").expect("filled in");
}

#[tokio::test]
async fn a_new_profile_lists_exactly_its_placeholders_until_filled_in_and_then_appears_on_the_site() {
    let dir = content_copy();
    let new = run(dir.path(), &["new", "profile", "platform-engineer", "--lang", "en"]);
    assert!(new.status.success(), "{}", stderr(&new));
    let file = "profiles/en/platform-engineer.md";
    let text = std::fs::read_to_string(dir.path().join(file)).expect("written");
    for optional in ["# related = ", "# contact = ", "# draft = ", "# publish_at = ", "# aliases = ", "# median = "] {
        assert!(text.contains(optional), "the optional field is offered as a comment: {optional}\n{text}");
    }
    assert!(text.contains("\n## Salary: what the figures mean\n"), "{text}");

    assert!(check_lists_exactly_the_placeholders_of(dir.path(), file) > 10);
    fill_in_until_check_passes(dir.path(), file, "Platform Engineer");
    let [_, index] =
        served(dir.path(), [("/profiles/platform-engineer", "Platform Engineer"), ("/profiles", "Job profiles")]).await;
    assert!(index.text.contains("/profiles/platform-engineer"));
}

#[tokio::test]
async fn a_translation_shares_the_key_takes_known_headings_from_the_locales_and_links_its_original() {
    let dir = content_copy();
    assert!(run(dir.path(), &["new", "profile", "platform-engineer", "--lang", "en"]).status.success());
    fill_in(dir.path(), "profiles/en/platform-engineer.md", "Platform Engineer");
    let new = run(
        dir.path(),
        &["new", "profile", "plattform-ingenieur", "--lang", "de", "--translation-of", "platform-engineer"],
    );
    assert!(new.status.success(), "{}", stderr(&new));
    let file = "profiles/de/plattform-ingenieur.md";
    let text = std::fs::read_to_string(dir.path().join(file)).expect("written");
    assert!(text.contains("translation_key = \"platform-engineer\""), "{text}");
    assert!(text.contains("lang = \"de\""), "{text}");
    // The English sections came from `new`, so each has its German name in locales/de.toml.
    for heading in ["## Gehalt: Was die Spannen bedeuten", "## Häufige Fragen"] {
        assert!(text.contains(heading), "{heading} in\n{text}");
    }
    check_lists_exactly_the_placeholders_of(dir.path(), file);
    fill_in_until_check_passes(dir.path(), file, "Plattform-Ingenieur");
    let strict = run(dir.path(), &["check", "--strict"]);
    assert!(strict.status.success(), "with both languages nothing is left to warn about: {}", stderr(&strict));
    let [page] = served(dir.path(), [("/de/profile/plattform-ingenieur", "Plattform-Ingenieur")]).await;
    assert_eq!(
        page.attr("link[hreflang=en]", "href").as_deref().map(|h| h.ends_with("/profiles/platform-engineer")),
        Some(true)
    );
}

#[test]
fn headings_without_a_known_translation_become_placeholders_that_quote_them() {
    let dir = content_copy();
    let new = run(dir.path(), &["new", "profile", "tester-neu", "--lang", "de", "--translation-of", "tester"]);
    // The minimal fixture already has the German tester: its key is taken.
    assert!(stderr(&new).contains("already has translation_key \"tester\""), "{}", stderr(&new));
    std::fs::remove_file(dir.path().join("profiles/de/testerin.md")).expect("removed");
    let new = run(dir.path(), &["new", "profile", "tester-neu", "--lang", "de", "--translation-of", "tester"]);
    assert!(new.status.success(), "{}", stderr(&new));
    let text = std::fs::read_to_string(dir.path().join("profiles/de/tester-neu.md")).expect("written");
    let source = std::fs::read_to_string(dir.path().join("profiles/en/tester.md")).expect("readable");
    let first = source.lines().find_map(|line| line.strip_prefix("## ")).expect("a section");
    assert!(text.contains(&format!("## TODO: translate \"{first}\"")), "{text}");
}

#[tokio::test]
async fn a_new_page_is_served_once_filled_in() {
    let dir = content_copy();
    let new = run(dir.path(), &["new", "page", "team", "--lang", "en"]);
    assert!(new.status.success(), "{}", stderr(&new));
    let file = "pages/en/team.md";
    check_lists_exactly_the_placeholders_of(dir.path(), file);
    fill_in_until_check_passes(dir.path(), file, "Our team");
    served(dir.path(), [("/team", "Our team")]).await;
}

#[test]
fn new_refuses_to_overwrite_and_slugs_that_clash_and_leaves_the_folder_as_it_was() {
    // (arguments, part of the message)
    let cases: [(&[&str], &str); 8] = [
        (&["new", "profile", "tester", "--lang", "en"], "profiles/en/tester.md already exists"),
        (&["new", "page", "about", "--lang", "en"], "pages/en/about.md already exists"),
        (&["new", "page", "search", "--lang", "en"], "the slug \"search\" is a path the site itself uses"),
        (&["new", "page", "admin", "--lang", "de"], "the slug \"admin\" is a path the site itself uses"),
        (
            &["new", "profile", "ghost", "--lang", "de", "--translation-of", "nobody"],
            "there is no profiles/en/nobody.md to translate",
        ),
        (
            &["new", "profile", "testerin-neu", "--lang", "de", "--translation-of", "testr"],
            "there is no profiles/en/testr.md to translate; did you mean `tester`?",
        ),
        (&["new", "profile", "Bad_Slug", "--lang", "en"], "is not a slug"),
        (&["new", "profile", "fine", "--lang", "fr"], "unknown language `fr`"),
    ];
    for (args, message) in cases {
        let dir = content_copy();
        let output = run(dir.path(), args);
        assert!(!output.status.success(), "{args:?}");
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
        let untouched = tempfile::tempdir().expect("temp dir");
        copy_tree(&repo_path("tests/fixtures/minimal"), untouched.path());
        assert_eq!(tree(dir.path()), tree(untouched.path()), "{args:?} changed the folder");
    }
}

#[test]
fn a_path_that_is_an_alias_of_a_profile_cannot_become_a_new_page() {
    let dir = content_copy();
    let profile = dir.path().join("profiles/en/tester.md");
    let text = std::fs::read_to_string(&profile).expect("readable");
    std::fs::write(&profile, text.replace("aliases = [\"/jobs/tester\"]", "aliases = [\"/jobs/tester\", \"/team\"]"))
        .expect("written");
    let output = run(dir.path(), &["new", "page", "team", "--lang", "en"]);
    assert!(
        stderr(&output).contains("the URL /team is already an alias in profiles/en/tester.md"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("pages/en/team.md").exists());
}

/// Every file below `dir` with its text.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).expect("readable").map(|e| e.expect("entry")) {
            if entry.file_type().expect("type").is_dir() {
                folders.push(entry.path());
            } else {
                let name = entry.path().strip_prefix(dir).expect("inside").display().to_string();
                files.push((name, std::fs::read(entry.path()).expect("readable")));
            }
        }
    }
    files.sort();
    files
}
