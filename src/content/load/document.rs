//! A content file's two parts: its TOML front matter and its Markdown body, each parsed with errors in place.

use std::ops::Range;

use serde::de::DeserializeOwned;

use super::BodyLinks;
use crate::content::Diagnostics;
use crate::content::markdown;
use crate::content::source::SourceFile;
use crate::content::split::{SplitError, split};
use crate::content::suggest::hint_with_closest;

const HINT_FORMAT: &str = "docs/content.md lists every field with an example";

/// Splits front matter from body and deserialises it, reporting TOML errors in place.
pub(super) fn front_matter<T: DeserializeOwned>(
    file: &SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<(T, usize, usize)> {
    let parts = match split(file.text()) {
        Ok(parts) => parts,
        Err(SplitError::MissingOpening) => {
            diagnostics.push(file.error_at(
                0,
                "the file does not start with front matter",
                "put a line `+++` first, the TOML fields, then another `+++` line, then the Markdown",
            ));
            return None;
        }
        Err(SplitError::MissingClosing { opening }) => {
            diagnostics.push(file.error_in(
                &opening,
                "the front matter is never closed",
                "add a line `+++` after the last TOML field",
            ));
            return None;
        }
    };
    let (base, body_start) = (parts.front_matter_start, parts.body_start);
    parse_toml(file, parts.front_matter, base, diagnostics).map(|value| (value, base, body_start))
}

pub(super) fn parse_toml<T: DeserializeOwned>(
    file: &SourceFile,
    text: &str,
    base: usize,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    toml::from_str(text)
        .map_err(|e| {
            let at = base + e.span().map_or(0, |s| s.start);
            let message = e.message().trim().to_owned();
            let hint = if let Some((field, known)) = unknown_field(&message) {
                hint_with_closest(format!("remove the field or fix its spelling; {HINT_FORMAT}"), field, known)
            } else if message.contains("missing field") {
                format!("add the field; {HINT_FORMAT}")
            } else {
                format!("fix the TOML at this point; {HINT_FORMAT}")
            };
            diagnostics.push(file.error_at(at, message, hint));
        })
        .ok()
}

/// The field serde did not know and the fields it expected, from its message
/// "unknown field `salry`, expected one of `title`, `slug`, ...".
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let (field, expected) = message.strip_prefix("unknown field `")?.split_once('`')?;
    Some((field, expected.split('`').skip(1).step_by(2).collect()))
}

pub(super) fn parse_body(
    file: &SourceFile,
    body: Range<usize>,
    diagnostics: &mut Diagnostics,
) -> Option<(markdown::Rendered, BodyLinks)> {
    let body_start = body.start;
    let body = &file.text()[body];
    let rendered = markdown::render(body);
    let mut ok = true;
    for offset in &rendered.top_level_headings {
        diagnostics.push(file.error_at(
            body_start + offset,
            "a `#` heading in the body",
            "the page title is the only top-level heading: start sections with `##`",
        ));
        ok = false;
    }
    if rendered.markdown.toc.iter().all(|entry| entry.level != 2) {
        diagnostics.push(file.error_at(
            body_start,
            "the body has no `##` section",
            "structure the text in sections that start with `## Heading`",
        ));
        ok = false;
    }
    let absolute = |targets: &[(String, Range<usize>)]| -> Vec<(String, Range<usize>)> {
        targets.iter().map(|(target, span)| (target.clone(), body_start + span.start..body_start + span.end)).collect()
    };
    let links = BodyLinks { links: absolute(&rendered.links), images: absolute(&rendered.images) };
    ok.then_some((rendered, links))
}

/// The links of a body go to the cross-file checks; the rest into the domain value.
pub(super) fn split_links(body: Option<(markdown::Rendered, BodyLinks)>) -> (Option<markdown::Rendered>, BodyLinks) {
    match body {
        Some((rendered, links)) => (Some(rendered), links),
        None => (None, BodyLinks::default()),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::content::front_matter::{PageFrontMatter, ProfileFrontMatter};

    fn first_problem<T: DeserializeOwned>(text: &str) -> (String, String) {
        let file = SourceFile::new("profiles/en/x.md".into(), PathBuf::from("x.md"), text.into());
        let mut diagnostics = Diagnostics::default();
        assert!(front_matter::<T>(&file, &mut diagnostics).is_none(), "{text}");
        let error = diagnostics.into_entries().remove(0);
        (error.message, error.hint)
    }

    #[test]
    fn an_unknown_field_is_answered_with_the_closest_field_the_parser_knows() {
        let cases = [
            ("+++\nsalry = 1\n+++\n", "salry", Some("salary")),
            ("+++\ntitel = \"x\"\n+++\n", "titel", Some("title")),
            ("+++\nsoft-skills = []\n+++\n", "soft-skills", Some("soft_skills")),
            ("+++\n[[salary]]\nregoin = \"x\"\n+++\n", "regoin", Some("region")),
            ("+++\nfavourite_colour = \"red\"\n+++\n", "favourite_colour", None),
        ];
        for (text, field, suggestion) in cases {
            let (message, hint) = first_problem::<ProfileFrontMatter>(text);
            assert!(message.starts_with(&format!("unknown field `{field}`")), "{message}");
            match suggestion {
                Some(name) => assert!(hint.starts_with(&format!("did you mean `{name}`?")), "{hint}"),
                None => assert!(!hint.contains("did you mean"), "{hint}"),
            }
        }
        let (_, hint) = first_problem::<PageFrontMatter>("+++\nsumary = \"x\"\n+++\n");
        assert!(hint.starts_with("did you mean `summary`?"), "{hint}");
    }
}
