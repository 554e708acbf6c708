//! One mistake in the shipped content gives one error, at the mistake, with the closest known
//! name as a hint: files that fail still count for the references to them.

use jobprofiles::content::{self, ContentError};

use crate::helpers::shipped_content_with;

#[test]
fn one_mistake_in_the_shipped_content_is_one_error_with_a_did_you_mean_hint() {
    // (file, text replaced, replacement, part of the message, part of the hint)
    let cases = [
        (
            "profiles/en/backend-developer.md",
            "[[salary]]",
            "[[salry]]",
            "unknown field `salry`",
            "did you mean `salary`?",
        ),
        (
            "profiles/en/backend-developer.md",
            "summary =",
            "sumary =",
            "unknown field `sumary`",
            "did you mean `summary`?",
        ),
        (
            "profiles/en/backend-developer.md",
            "title = \"Backend Developer\"",
            "title = \"Backend Developer",
            "invalid basic string",
            "fix the TOML",
        ),
        (
            "profiles/de/backend-entwickler.md",
            "+++\n",
            "",
            "does not start with front matter",
            "put a line `+++` first",
        ),
        ("people/lena-hoffmann.toml", "name =", "nmae =", "unknown field `nmae`", "did you mean `name`?"),
        ("pages/en/about.md", "summary =", "sumary =", "unknown field `sumary`", "did you mean `summary`?"),
        (
            "profiles/en/backend-developer.md",
            "related = [\"frontend-developer\"",
            "related = [\"frontend-develper\"",
            "related profile \"frontend-develper\" does not exist",
            "did you mean `frontend-developer`?",
        ),
        (
            "profiles/en/backend-developer.md",
            "contact = \"lena-hoffmann\"",
            "contact = \"lena-hofman\"",
            "contact \"lena-hofman\" is not a person",
            "did you mean `lena-hoffmann`?",
        ),
        (
            "profiles/en/backend-developer.md",
            "(/profiles/full-stack-developer)",
            "(/profiles/full-stack-develper)",
            "the link to /profiles/full-stack-develper leads nowhere",
            "did you mean `/profiles/full-stack-developer`?",
        ),
        (
            "profiles/en/backend-developer.md",
            "(/profiles/full-stack-developer)",
            "(/profiles/full-stack-developer#frequently-asked-question)",
            "/profiles/full-stack-developer has no heading #frequently-asked-question",
            "did you mean `frequently-asked-questions`?",
        ),
    ];
    for (file, from, to, message, hint) in cases {
        let (error, _) = the_one_error(file, from, to);
        assert!(error.message.contains(message), "{}", error.message);
        assert!(error.hint.contains(hint), "{}", error.hint);
    }
}

#[test]
fn a_public_email_that_is_no_address_is_one_error_at_its_value() {
    let file = "people/lena-hoffmann.toml";
    let (error, text) = the_one_error(
        file,
        "public_email = \"lena.hoffmann@quellwerk-talent.example\"",
        "public_email = \"lena.hoffmann at quellwerk-talent.example\"",
    );
    assert!(error.message.contains("`public_email` is not an e-mail address"), "{}", error.message);
    assert!(error.hint.contains("@quellwerk-talent.example"), "{}", error.hint);
    let offset = text.find("\"lena.hoffmann at").expect("the value is in the file");
    let line = text[..offset].matches('\n').count() + 1;
    let column = text[..offset].rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    assert_eq!((error.line, error.column), (line, column), "{}", error.message);
}

/// The one error that the shipped content gives with the first `from` in `file` replaced by
/// `to`, and the file's text as changed.
pub(crate) fn the_one_error(file: &str, from: &str, to: &str) -> (ContentError, String) {
    let dir = shipped_content_with(file, from, to);
    let diagnostics = content::load(dir.path()).expect_err("the mistake is found");
    let errors: Vec<_> = diagnostics.errors().cloned().collect();
    assert_eq!(errors.len(), 1, "{file}: {from:?} -> {to:?} gave:\n{diagnostics}");
    assert_eq!(errors[0].file, file);
    let text = std::fs::read_to_string(dir.path().join(file)).expect("readable");
    (errors[0].clone(), text)
}

#[test]
fn a_profile_that_fails_leaves_its_translation_without_a_missing_translation_warning() {
    let dir = shipped_content_with("profiles/en/backend-developer.md", "[[salary]]", "[[salry]]");
    let diagnostics = content::load(dir.path()).expect_err("the mistake is found");
    let warnings: Vec<_> = diagnostics.warnings().filter(|w| w.message.contains("backend-developer")).collect();
    assert!(warnings.is_empty(), "{diagnostics}");
}
