//! What can be read of a profile or page file without checking it: its translation key, its
//! aliases and its headings. Used where the file may be broken (the claims of a file that failed)
//! or is not being loaded (a translation scaffolded from it).

use super::load::before_template;
use super::markdown;
use super::split::split;
use crate::domain::TocEntry;

pub struct Outline {
    pub translation_key: Option<String>,
    pub aliases: Vec<String>,
    /// The body's `##` and `###` headings (not its job-description template's).
    pub headings: Vec<TocEntry>,
}

/// Reads what it can; a file without fences is searched whole for the key and the headings.
pub fn read(text: &str) -> Outline {
    let (front_matter, body) = match split(text) {
        Ok(parts) => (parts.front_matter, &text[parts.body_start..]),
        Err(_) => (text, text),
    };
    let table = toml::from_str::<toml::Table>(front_matter).ok();
    let translation_key = match &table {
        Some(table) => table.get("translation_key").and_then(toml::Value::as_str).map(str::to_owned),
        None => translation_key_line(front_matter),
    };
    let aliases = table
        .as_ref()
        .and_then(|table| table.get("aliases")?.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|alias| alias.as_str().map(str::to_owned))
        .collect();
    Outline { translation_key, aliases, headings: markdown::render(before_template(body)).markdown.toc }
}

/// The value of a `translation_key = "..."` line, for front matter that is not valid TOML.
fn translation_key_line(front_matter: &str) -> Option<String> {
    front_matter.lines().find_map(|line| {
        let (name, value) = line.split_once('=')?;
        let value = value.trim().strip_prefix('"')?.split_once('"')?.0;
        (name.trim() == "translation_key").then(|| value.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file's text, then its translation key, aliases and heading ids.
    type Case = (&'static str, Option<&'static str>, &'static [&'static str], &'static [&'static str]);

    #[test]
    fn the_outline_of_a_file_is_read_as_far_as_it_goes() {
        let cases: [Case; 6] = [
            (
                "+++\ntranslation_key = \"backend\"\n+++\n## Pay\n\n+++ job-description\n\n## About [Company]\n",
                Some("backend"),
                &[],
                &["pay"],
            ),
            (
                "+++\ntranslation_key = \"backend\"\naliases = [\"/jobs/x\"]\n+++\n## Pay\n### FAQ\n",
                Some("backend"),
                &["/jobs/x"],
                &["pay", "faq"],
            ),
            ("+++\nsalry = 1\ntranslation_key = \"backend\"\n+++\n## Pay\n", Some("backend"), &[], &["pay"]),
            ("+++\ntitle = \"no end\ntranslation_key = \"backend\"\n+++\n## Pay\n", Some("backend"), &[], &["pay"]),
            ("+++\ntitle = \"no end\n+++\n## Pay\n", None, &[], &["pay"]),
            ("translation_key = \"backend\"\n+++\n## Pay\n", Some("backend"), &[], &["pay"]),
        ];
        for (text, key, aliases, anchors) in cases {
            let outline = read(text);
            assert_eq!(outline.translation_key.as_deref(), key, "{text}");
            assert_eq!(outline.aliases, aliases, "{text}");
            let ids: Vec<&str> = outline.headings.iter().map(|h| h.id.as_str()).collect();
            assert_eq!(ids, anchors, "{text}");
        }
    }
}
