//! A profile's job-description template: the end of the profile's own file, after a line
//! `+++ job-description`, with placeholders such as `[Company]` checked against the language's set.
//!
//! Kept in the profile's file rather than in a file beside it: an editor who reworks a role's
//! skills sees the template's requirements on the same screen, one `updated` date covers both,
//! a renamed or removed profile cannot leave a template behind, and a template's edit reloads
//! exactly like any other edit of the profile.

use std::ops::Range;
use std::path::Path;

use super::BodyLinks;
use crate::content::Diagnostics;
use crate::content::markdown::{self, Nesting};
use crate::content::source::SourceFile;
use crate::content::suggest::hint_with_closest;
use crate::domain::Lang;
use crate::domain::job_description::{bracketed, placeholders};

/// The line that ends a profile's body and starts its template.
pub(super) const MARKER: &str = "+++ job-description";

/// What a file named like a template beside its profile ends with.
const SIBLING_SUFFIX: &str = ".job.md";

/// What comes before a profile's template: its body alone, for readers that skip the checks.
pub(in crate::content) fn before_template(body: &str) -> &str {
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        if line.trim_end() == MARKER {
            return &body[..line_start];
        }
        line_start += line.len();
    }
    body
}

/// Where a profile file's body ends and its template, if it has one, lies.
pub(super) struct Sections {
    pub body: Range<usize>,
    pub template: Option<Range<usize>>,
}

/// Cuts what follows the front matter at the marker line. Any other line that starts with `+++`
/// there is reported: it is a misspelt marker or a second one.
pub(super) fn sections(file: &SourceFile, body_start: usize, diagnostics: &mut Diagnostics) -> Option<Sections> {
    let text = file.text();
    let mut found = Sections { body: body_start..text.len(), template: None };
    let mut ok = true;
    let mut line_start = body_start;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line.starts_with("+++") {
            let span = line_start..line_start + line.len();
            if line != MARKER {
                diagnostics.push(file.error_in(
                    &span,
                    format!("`{line}` is not a section this file can have"),
                    hint_with_closest(
                        format!("a profile may end with one job-description template after a line `{MARKER}`"),
                        line,
                        [MARKER],
                    ),
                ));
                ok = false;
            } else if found.template.is_some() {
                diagnostics.push(file.error_in(
                    &span,
                    "a second job-description template",
                    "a profile has one template: merge the two, or remove this line",
                ));
                ok = false;
            } else {
                found.body.end = line_start;
                found.template = Some((line_end + 1).min(text.len())..text.len());
            }
        }
        line_start = line_end + 1;
    }
    ok.then_some(found)
}

/// The template's Markdown if it is well formed; its links join the body's for the checks across files.
pub(super) fn check_template(
    file: &SourceFile,
    range: Range<usize>,
    lang: Lang,
    links: &mut BodyLinks,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let template = &file.text()[range.clone()];
    let marker_at = range.start.saturating_sub(MARKER.len() + 1);
    if template.trim().is_empty() {
        diagnostics.push(file.error_at(
            marker_at,
            "the job-description template is empty",
            format!("write the template below the line `{MARKER}`, or remove the line"),
        ));
        return None;
    }
    let mut ok = true;
    let rendered = markdown::render_nested(template, Nesting::JOB_DESCRIPTION);
    for offset in &rendered.top_level_headings {
        diagnostics.push(file.error_at(
            range.start + offset,
            "a `#` heading in the job-description template",
            "the box on the profile page gives the template its title: start its sections with `##`",
        ));
        ok = false;
    }
    let absolute = |targets: &[(String, Range<usize>)]| -> Vec<(String, Range<usize>)> {
        targets
            .iter()
            .map(|(target, span)| (target.clone(), range.start + span.start..range.start + span.end))
            .collect()
    };
    links.links.extend(absolute(&rendered.links));
    links.images.extend(absolute(&rendered.images));
    let known = placeholders(lang);
    for placeholder in bracketed(template) {
        match placeholder {
            Ok(written) if known.iter().any(|p| p.name == written.name) => {}
            Ok(written) => {
                let span = range.start + written.span.start..range.start + written.span.end;
                diagnostics.push(file.error_in(
                    &span,
                    format!("unknown placeholder `[{}]`", written.name),
                    hint_with_closest(
                        "docs/content.md lists each language's placeholders; write `\\[` for a bracket that is not one",
                        written.name,
                        known.iter().map(|p| p.name),
                    ),
                ));
                ok = false;
            }
            Err(offset) => {
                diagnostics.push(file.error_at(
                    range.start + offset,
                    "a placeholder that is never closed",
                    "end the placeholder with `]` on the same line, or write `\\[` for a bracket that is not one",
                ));
                ok = false;
            }
        }
    }
    ok.then(|| template.trim().to_owned())
}

/// Whether `path` is named like a template kept beside its profile, which the loader does not read.
pub(super) fn is_sibling_file(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name.to_string_lossy().ends_with(SIBLING_SUFFIX))
}

/// The hint for a template in a file of its own: where its text belongs.
pub(super) fn sibling_hint(rel_path: &str) -> String {
    let profile =
        rel_path.strip_suffix(SIBLING_SUFFIX).map_or_else(|| rel_path.to_owned(), |stem| format!("{stem}.md"));
    format!("templates live at the end of their profile's file: move this text below a line `{MARKER}` in `{profile}`")
}
