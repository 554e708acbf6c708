//! A content file's two parts: its TOML front matter and its Markdown body, each parsed with errors in place.

use std::ops::Range;

use serde::de::DeserializeOwned;

use super::BodyLinks;
use crate::content::Diagnostics;
use crate::content::markdown;
use crate::content::source::SourceFile;
use crate::content::split::{SplitError, split};

const HINT_FORMAT: &str = "the README's \"Content format\" section lists every field with an example";

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
            let hint = if message.contains("unknown field") {
                format!("remove the field or fix its spelling; {HINT_FORMAT}")
            } else if message.contains("missing field") {
                format!("add the field; {HINT_FORMAT}")
            } else {
                format!("fix the TOML at this point; {HINT_FORMAT}")
            };
            diagnostics.push(file.error_at(at, message, hint));
        })
        .ok()
}

pub(super) fn parse_body(
    file: &SourceFile,
    body_start: usize,
    diagnostics: &mut Diagnostics,
) -> Option<(markdown::Rendered, BodyLinks)> {
    let body = &file.text()[body_start..];
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
