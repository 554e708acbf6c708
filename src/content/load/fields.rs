//! The front-matter field checker: each value is checked on its own and an error points at where it stands.

use std::ops::Range;
use std::path::Path;

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime};
use toml::Spanned;

use crate::content::Diagnostics;
use crate::content::front_matter::PerLanguage;
use crate::content::source::SourceFile;
use crate::domain::{Lang, MediaFile, Slug};

pub(super) fn file_stem(file: &SourceFile) -> &str {
    let name = file.rel_path.rsplit('/').next().unwrap_or(&file.rel_path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// Checks one file's values, remembering where in the file each came from.
pub(super) struct Fields<'a> {
    pub(super) file: &'a SourceFile,
    /// Offset of the TOML text inside the file.
    pub(super) base: usize,
    pub(super) diagnostics: &'a mut Diagnostics,
}

impl Fields<'_> {
    pub(super) fn span<T>(&self, value: &Spanned<T>) -> Range<usize> {
        let span = value.span();
        self.base + span.start..self.base + span.end
    }

    pub(super) fn error<T>(&mut self, at: &Spanned<T>, message: impl Into<String>, hint: impl Into<String>) {
        let span = self.span(at);
        self.diagnostics.push(self.file.error_in(&span, message, hint));
    }

    pub(super) fn text(&mut self, field: &str, value: &Spanned<String>, max_chars: usize) -> Option<String> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.error(value, format!("`{field}` is empty"), format!("write the {field}"));
            return None;
        }
        let chars = text.chars().count();
        if chars > max_chars {
            self.error(
                value,
                format!("`{field}` has {chars} characters, at most {max_chars} are allowed"),
                "shorten it",
            );
            return None;
        }
        if text.contains(['\n', '\r']) {
            self.error(value, format!("`{field}` spans several lines"), "write it on one line");
            return None;
        }
        Some(text.to_owned())
    }

    pub(super) fn slug(&mut self, field: &str, value: &Spanned<String>) -> Option<Slug> {
        Slug::parse(value.get_ref())
            .map_err(|e| self.error(value, format!("`{field}`: {e}"), "e.g. \"backend-developer\""))
            .ok()
    }

    pub(super) fn lang(&mut self, value: &Spanned<String>, expected: Lang) -> Option<Lang> {
        match value.get_ref().parse::<Lang>() {
            Ok(lang) if lang == expected => Some(lang),
            Ok(lang) => {
                self.error(
                    value,
                    format!("`lang` is \"{lang}\" but the file is in the `{expected}/` folder"),
                    format!("set lang = \"{expected}\" or move the file to `{lang}/`"),
                );
                None
            }
            Err(e) => {
                self.error(
                    value,
                    format!("`lang`: {e}"),
                    format!("this file is in `{expected}/`, so lang = \"{expected}\""),
                );
                None
            }
        }
    }

    pub(super) fn slug_matching_file_name(&mut self, value: &Spanned<String>) -> Option<Slug> {
        let slug = self.slug("slug", value)?;
        let stem = file_stem(self.file).to_owned();
        if slug.as_str() != stem {
            self.error(
                value,
                format!("`slug` is \"{slug}\" but the file is named `{stem}.md`"),
                format!("rename the file to `{slug}.md` or set slug = \"{stem}\""),
            );
            return None;
        }
        Some(slug)
    }

    pub(super) fn date(&mut self, field: &str, value: &Spanned<toml::Value>) -> Option<Date> {
        let hint = format!("write a date without quotes, e.g. {field} = 2026-01-15");
        let parsed = match value.get_ref() {
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.date.and_then(|d| {
                Month::try_from(d.month).ok().and_then(|m| Date::from_calendar_date(i32::from(d.year), m, d.day).ok())
            }),
            toml::Value::String(s) => Date::parse(s, crate::domain::ISO_DATE).ok(),
            _ => None,
        };
        let Some(date) = parsed else {
            self.error(value, format!("`{field}` is not a date"), hint);
            return None;
        };
        let tomorrow = OffsetDateTime::now_utc().date().next_day().unwrap_or(Date::MAX);
        if date > tomorrow {
            self.error(
                value,
                format!("`{field}` ({date}) lies in the future"),
                "use the date the content was last changed",
            );
            return None;
        }
        Some(date)
    }

    /// A TOML date (midnight UTC) or offset date-time.
    pub(super) fn moment(&mut self, field: &str, value: &Spanned<toml::Value>) -> Option<OffsetDateTime> {
        let parsed = match value.get_ref() {
            toml::Value::Datetime(dt) => {
                let text = dt.to_string();
                match (dt.date, dt.time, dt.offset) {
                    (Some(_), None, None) => {
                        Date::parse(&text, crate::domain::ISO_DATE).ok().map(|d| d.midnight().assume_utc())
                    }
                    (Some(_), Some(_), Some(_)) => OffsetDateTime::parse(&text, &Rfc3339).ok(),
                    _ => None,
                }
            }
            _ => None,
        };
        if parsed.is_none() {
            self.error(
                value,
                format!("`{field}` is not a date or a time with an offset"),
                format!("e.g. {field} = 2026-12-01 or {field} = 2026-12-01T09:00:00+01:00"),
            );
        }
        parsed
    }

    pub(super) fn list(
        &mut self,
        field: &str,
        values: &Spanned<Vec<Spanned<String>>>,
        max_chars: usize,
    ) -> Option<Vec<String>> {
        if values.get_ref().is_empty() {
            self.error(
                values,
                format!("`{field}` is empty"),
                format!("list at least one entry, e.g. {field} = [\"...\"]"),
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for value in values.get_ref() {
            match self.text(field, value, max_chars) {
                Some(text) if out.contains(&text) => {
                    self.error(value, format!("`{field}` lists \"{text}\" twice"), "remove the repetition");
                    ok = false;
                }
                Some(text) => out.push(text),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub(super) fn alias(&mut self, value: &Spanned<String>) -> Option<String> {
        let path = value.get_ref();
        let valid = path.starts_with('/')
            && !path.starts_with("//")
            && path.len() > 1
            && !path.ends_with('/')
            && !path.contains(['?', '#', ' ', '\t', '\n', '\\', '%']);
        if !valid {
            self.error(value, format!("alias \"{path}\" is not a site path"), "aliases are old paths like \"/jobs/backend-developer\": starting with `/`, no trailing slash, no query or fragment");
            return None;
        }
        Some(path.clone())
    }

    pub(super) fn per_language(
        &mut self,
        field: &str,
        value: &Spanned<PerLanguage>,
        max_chars: usize,
    ) -> Option<(String, String)> {
        let en = self.text(&format!("{field}.en"), &value.get_ref().en, max_chars);
        let de = self.text(&format!("{field}.de"), &value.get_ref().de, max_chars);
        Some((en?, de?))
    }
}

pub(super) fn media_file(f: &mut Fields<'_>, field: &str, value: &Spanned<String>, dir: &Path) -> Option<String> {
    let path = value.get_ref();
    let inside_media =
        path.starts_with("media/") && !path.split('/').any(|part| part.is_empty() || part == ".." || part == ".");
    if !inside_media {
        f.error(
            value,
            format!("{field} \"{path}\" is not a path inside `media/`"),
            format!("e.g. {field} = \"media/people/lena-hoffmann.svg\""),
        );
        return None;
    }
    if !dir.join(path).is_file() {
        f.error(value, format!("{field} \"{path}\" does not exist"), "put the file there or fix the path");
        return None;
    }
    let in_media = path.strip_prefix("media/").unwrap_or(path);
    if MediaFile::find(&dir.join("media"), in_media).is_none() {
        f.error(value, format!("{field} \"{path}\" will not be served"), MediaFile::served_hint());
        return None;
    }
    Some(path.clone())
}
