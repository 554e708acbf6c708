//! The house style in `glossary.toml`: each variant in a profile or page is a warning at its
//! file:line:col with the preferred term; `check --strict` fails on them; the shipped content
//! keeps to its glossary.

use std::path::Path;
use std::process::Output;

use crate::cli::jobprofiles;
use crate::helpers::{copy_tree, repo_path, shipped_content_with};

fn check(content: &Path, strict: bool) -> Output {
    let mut command = jobprofiles();
    command.arg("check").arg("--content").arg(content);
    if strict {
        command.arg("--strict");
    }
    command.output().expect("runs")
}

#[test]
fn the_shipped_content_passes_check_strict_with_its_glossary() {
    assert!(repo_path("content/glossary.toml").is_file());
    let output = check(&repo_path("content"), true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "no warnings either:\n{stderr}");
}

#[test]
fn a_variant_the_glossary_avoids_is_a_warning_at_its_place_and_an_error_under_strict() {
    // (file, text replaced, replacement, file:line:col, message, hint)
    let cases = [
        (
            "profiles/de/scrum-master.md",
            "Die Gehaltsübersicht zeigt",
            "Der Gehaltskasten zeigt",
            "profiles/de/scrum-master.md:95:5",
            "\"Gehaltskasten\" is not our word here",
            "write \"Gehaltsübersicht\"",
        ),
        (
            "profiles/de/app-entwickler.md",
            "## Persönliche Kompetenzen, auf die es ankommt",
            "## Soft Skills, auf die es ankommt",
            "profiles/de/app-entwickler.md:121:4",
            "\"Soft Skills\" is not our word here",
            "write \"Persönliche Kompetenzen\"",
        ),
        (
            "profiles/de/it-security-engineer.md",
            "title = \"IT Security Engineer\"",
            "title = \"IT-Security-Engineer\"",
            "profiles/de/it-security-engineer.md:2:10",
            "\"IT-Security-Engineer\" is not our word here",
            "write \"IT Security Engineer\"",
        ),
        (
            "pages/de/ueber-uns.md",
            "einen DevOps Engineer",
            "einen DevOps-Engineer",
            "pages/de/ueber-uns.md:28:98",
            "\"DevOps-Engineer\" is not our word here",
            "write \"DevOps Engineer\"",
        ),
    ];
    for (file, from, to, at, message, hint) in cases {
        let dir = shipped_content_with(file, from, to);

        let relaxed = check(dir.path(), false);
        let report = String::from_utf8_lossy(&relaxed.stderr).into_owned();
        assert!(relaxed.status.success(), "a warning does not fail check: {report}");
        assert!(report.contains(&format!("warning: {message}")), "{report}");
        assert!(report.contains(&format!("┌─ {at}")), "{at} in {report}");
        assert!(report.contains(hint), "{report}");
        assert!(report.ends_with("1 warning\n"), "exactly one: {report}");

        let strict = check(dir.path(), true);
        assert_eq!(strict.status.code(), Some(1), "{file}: --strict fails on the variant");
    }
}

#[test]
fn a_glossary_in_the_other_language_leaves_a_file_alone() {
    // A German variant in an English file: the English glossary does not list it.
    let dir = shipped_content_with("profiles/en/backend-developer.md", "The salary box", "The Gehaltsbox");
    let output = check(dir.path(), true);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn a_broken_glossary_is_an_error_with_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo_path("content"), dir.path());
    std::fs::write(
        dir.path().join("glossary.toml"),
        "[[de]]\npreferred = \"Gehaltsübersicht\"\navoid = []\nreason = \"x\"\n",
    )
    .expect("written");
    let output = check(dir.path(), false);
    let report = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(report.contains("error: `avoid` is empty\n  ┌─ glossary.toml:3:9"), "{report}");
}
