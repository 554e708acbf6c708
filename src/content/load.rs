//! Reads every file of a content folder into domain values, collecting every problem.
//! Cross-file checks (references, duplicates) live in `references`.

use std::collections::HashMap;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime};
use toml::Spanned;

use super::cache::{CacheUpdate, FileStamp, ProfileCache, fingerprint};
use super::front_matter::{PageFrontMatter, PerLanguage, PersonFile, ProfileFrontMatter, SalaryFrontMatter, SiteFile};
use super::markdown;
use super::source::SourceFile;
use super::split::{SplitError, split};
use super::{ContentError, Diagnostics, Severity};
use crate::domain::{
    Currency, Lang, MediaFile, NavLink, Page, Person, PersonText, Profile, SalaryPeriod, SalaryRow, SalaryRowError,
    SalaryRowParts, SiteContent, SiteSettings, Slug,
};

const HINT_FORMAT: &str = "the README's \"Content format\" section lists every field with an example";

/// What was read, with the spans the cross-file checks point at.
pub struct Loaded {
    pub site: Option<Located<SiteSettings, SiteSpans>>,
    pub people: Vec<Located<Person, ()>>,
    pub profiles: Vec<Located<Arc<Profile>, ProfileSpans>>,
    pub pages: Vec<Located<Page, PageSpans>>,
    /// Body HTML of the profiles read from their files this time (not taken from the cache).
    pub profile_html: HashMap<(Lang, Slug), String>,
    pub cache_update: CacheUpdate,
}

#[derive(Clone)]
pub struct Located<T, S> {
    pub value: T,
    pub file: SourceFile,
    pub spans: S,
}

pub struct SiteSpans {
    pub default_contact: Range<usize>,
    pub featured: Vec<Range<usize>>,
}

/// Where a body links to, with each link's place in the file.
#[derive(Default, Clone)]
pub struct BodyLinks {
    pub links: Vec<(String, Range<usize>)>,
    pub images: Vec<(String, Range<usize>)>,
}

#[derive(Clone)]
pub struct ProfileSpans {
    pub body: BodyLinks,
    pub slug: Range<usize>,
    pub translation_key: Range<usize>,
    pub contact: Option<Range<usize>>,
    pub related: Vec<Range<usize>>,
    pub aliases: Vec<Range<usize>>,
}

pub struct PageSpans {
    pub body: BodyLinks,
    pub slug: Range<usize>,
    pub translation_key: Range<usize>,
}

impl Loaded {
    pub fn into_content(self) -> Option<(SiteContent, CacheUpdate)> {
        let content = SiteContent {
            site: self.site?.value,
            people: self.people.into_iter().map(|p| p.value).collect(),
            profiles: self.profiles.into_iter().map(|p| p.value).collect(),
            pages: self.pages.into_iter().map(|p| p.value).collect(),
            profile_html: self.profile_html,
        };
        Some((content, self.cache_update))
    }
}

/// Reads the folder; with a cache, profile files unchanged since the last load are taken from
/// it instead of being read and rendered again.
pub fn load_folder(dir: &Path, diagnostics: &mut Diagnostics, cache: Option<&ProfileCache>) -> Loaded {
    let site =
        read_source(dir, &dir.join("site.toml"), diagnostics).and_then(|file| parse_site(file, dir, diagnostics));
    let mut people = Vec::new();
    for path in toml_files(dir, "people", diagnostics) {
        if let Some(person) = read_source(dir, &path, diagnostics).and_then(|file| parse_person(file, dir, diagnostics))
        {
            people.push(person);
        }
    }
    let files = language_files(dir, "profiles", diagnostics);
    let mut in_order: Vec<Option<Located<Arc<Profile>, ProfileSpans>>> = Vec::with_capacity(files.len());
    let mut to_read = Vec::new();
    for (lang, path) in &files {
        let stamp = FileStamp::of(path);
        let cached = cache.and_then(|cache| cache.get(path, stamp)).cloned();
        if cached.is_none() {
            to_read.push((in_order.len(), *lang, path, stamp));
        }
        in_order.push(cached);
    }
    let mut profile_html = HashMap::new();
    let mut cache_update = CacheUpdate::new(files.iter().map(|(_, path)| path.clone()).collect());
    for (position, path, stamp, parsed, found) in read_profiles(dir, &to_read) {
        for error in found.into_entries() {
            diagnostics.push(error);
        }
        if let Some((profile, html)) = parsed {
            cache_update.read(path, stamp, &profile);
            profile_html.insert((profile.value.lang, profile.value.slug.clone()), html);
            in_order[position] = Some(profile);
        }
    }
    let profiles = in_order.into_iter().flatten().collect();
    let mut pages = Vec::new();
    for (lang, path) in language_files(dir, "pages", diagnostics) {
        if let Some(page) = read_source(dir, &path, diagnostics).and_then(|file| parse_page(file, lang, diagnostics)) {
            pages.push(page);
        }
    }
    Loaded { site, people, profiles, pages, profile_html, cache_update }
}

type ReadProfile<'a> =
    (usize, &'a Path, Option<FileStamp>, Option<(Located<Arc<Profile>, ProfileSpans>, String)>, Diagnostics);

/// Reads and renders profile files on every core: the bulk of a first load.
fn read_profiles<'a>(dir: &Path, files: &[(usize, Lang, &'a PathBuf, Option<FileStamp>)]) -> Vec<ReadProfile<'a>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(8);
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|files| {
                scope.spawn(move || {
                    files
                        .iter()
                        .map(|&(position, lang, path, stamp)| {
                            let mut found = Diagnostics::default();
                            // The text goes as soon as the file is parsed: an error found later reads it again.
                            let parsed = read_source(dir, path, &mut found)
                                .and_then(|file| parse_profile(file, lang, &mut found))
                                .map(|(profile, html)| {
                                    (Located { file: profile.file.without_text(), ..profile }, html)
                                });
                            (position, path.as_path(), stamp, parsed, found)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

pub(super) fn relative(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

pub(super) fn file_error(dir: &Path, path: &Path, message: impl Into<String>, hint: impl Into<String>) -> ContentError {
    ContentError {
        file: relative(dir, path),
        line: 1,
        column: 1,
        message: message.into(),
        hint: hint.into(),
        severity: Severity::Error,
        span: 0..0,
        source: None,
    }
}

fn read_source(dir: &Path, path: &Path, diagnostics: &mut Diagnostics) -> Option<SourceFile> {
    match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(SourceFile::new(relative(dir, path), path.to_owned(), text.into())),
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let file = SourceFile::new(relative(dir, path), path.to_owned(), String::from_utf8_lossy(valid).into());
                diagnostics.push(file.error_at(valid.len(), "the file is not valid UTF-8", "save the file as UTF-8"));
                None
            }
        },
        Err(e) => {
            diagnostics.push(file_error(
                dir,
                path,
                format!("cannot read the file: {e}"),
                "check that it exists and is readable",
            ));
            None
        }
    }
}

/// Whether a directory entry is an editor's or the system's and not content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

fn sorted_entries(dir: &Path, folder: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) => {
            diagnostics.push(file_error(
                dir,
                folder,
                format!("cannot read the folder: {e}"),
                "create it; the README shows the layout of a content folder",
            ));
            return Vec::new();
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| !path.file_name().is_some_and(|n| is_ignored(&n.to_string_lossy())))
        .collect();
    paths.sort();
    paths
}

fn toml_files(dir: &Path, folder: &str, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in sorted_entries(dir, &dir.join(folder), diagnostics) {
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            files.push(path);
        } else {
            diagnostics.push(file_error(
                dir,
                &path,
                format!("unexpected entry in `{folder}/`"),
                format!("`{folder}/` holds only `.toml` files, one per person"),
            ));
        }
    }
    files
}

fn language_files(dir: &Path, folder: &str, diagnostics: &mut Diagnostics) -> Vec<(Lang, PathBuf)> {
    let mut files = Vec::new();
    for lang_dir in sorted_entries(dir, &dir.join(folder), diagnostics) {
        let name = lang_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let lang = match name.parse::<Lang>() {
            Ok(lang) if lang_dir.is_dir() => lang,
            _ => {
                diagnostics.push(file_error(
                    dir,
                    &lang_dir,
                    format!("unexpected entry `{name}` in `{folder}/`"),
                    format!("`{folder}/` holds one folder per language: `en/` and `de/`"),
                ));
                continue;
            }
        };
        for path in sorted_entries(dir, &lang_dir, diagnostics) {
            if path.extension().is_some_and(|e| e == "md") && path.is_file() {
                files.push((lang, path));
            } else {
                diagnostics.push(file_error(
                    dir,
                    &path,
                    format!("unexpected entry in `{folder}/{lang}/`"),
                    "only Markdown files ending in `.md` belong here",
                ));
            }
        }
    }
    files
}

fn file_stem(file: &SourceFile) -> &str {
    let name = file.rel_path.rsplit('/').next().unwrap_or(&file.rel_path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// Checks one file's values, remembering where in the file each came from.
struct Fields<'a> {
    file: &'a SourceFile,
    /// Offset of the TOML text inside the file.
    base: usize,
    diagnostics: &'a mut Diagnostics,
}

impl Fields<'_> {
    fn span<T>(&self, value: &Spanned<T>) -> Range<usize> {
        let span = value.span();
        self.base + span.start..self.base + span.end
    }

    fn error<T>(&mut self, at: &Spanned<T>, message: impl Into<String>, hint: impl Into<String>) {
        let span = self.span(at);
        self.diagnostics.push(self.file.error_in(&span, message, hint));
    }

    fn text(&mut self, field: &str, value: &Spanned<String>, max_chars: usize) -> Option<String> {
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

    fn slug(&mut self, field: &str, value: &Spanned<String>) -> Option<Slug> {
        Slug::parse(value.get_ref())
            .map_err(|e| self.error(value, format!("`{field}`: {e}"), "e.g. \"backend-developer\""))
            .ok()
    }

    fn lang(&mut self, value: &Spanned<String>, expected: Lang) -> Option<Lang> {
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

    fn slug_matching_file_name(&mut self, value: &Spanned<String>) -> Option<Slug> {
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

    fn date(&mut self, field: &str, value: &Spanned<toml::Value>) -> Option<Date> {
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
        let tomorrow = time::OffsetDateTime::now_utc().date().next_day().unwrap_or(Date::MAX);
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
    fn moment(&mut self, field: &str, value: &Spanned<toml::Value>) -> Option<OffsetDateTime> {
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

    fn list(&mut self, field: &str, values: &Spanned<Vec<Spanned<String>>>, max_chars: usize) -> Option<Vec<String>> {
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

    fn alias(&mut self, value: &Spanned<String>) -> Option<String> {
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

    fn per_language(
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

/// Splits front matter from body and deserialises it, reporting TOML errors in place.
fn front_matter<T: DeserializeOwned>(file: &SourceFile, diagnostics: &mut Diagnostics) -> Option<(T, usize, usize)> {
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

fn parse_toml<T: DeserializeOwned>(
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

fn parse_body(
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
fn split_links(body: Option<(markdown::Rendered, BodyLinks)>) -> (Option<markdown::Rendered>, BodyLinks) {
    match body {
        Some((rendered, links)) => (Some(rendered), links),
        None => (None, BodyLinks::default()),
    }
}

/// A profile and its body's HTML.
fn parse_profile(
    file: SourceFile,
    folder_lang: Lang,
    diagnostics: &mut Diagnostics,
) -> Option<(Located<Arc<Profile>, ProfileSpans>, String)> {
    let (fm, base, body_start) = front_matter::<ProfileFrontMatter>(&file, diagnostics)?;
    let body = parse_body(&file, body_start, diagnostics);
    let mut f = Fields { file: &file, base, diagnostics };

    let lang = f.lang(&fm.lang, folder_lang);
    let slug = f.slug_matching_file_name(&fm.slug);
    let translation_key = f.slug("translation_key", &fm.translation_key);
    let title = f.text("title", &fm.title, 120);
    let summary = f.text("summary", &fm.summary, 200);
    let category = f.text("category", &fm.category, 80);
    let hard_skills = f.list("hard_skills", &fm.hard_skills, 60);
    let soft_skills = f.list("soft_skills", &fm.soft_skills, 60);
    let salaries = salary_rows(&mut f, &fm.salary);
    let related: Option<Vec<Slug>> = fm.related.iter().map(|r| f.slug("related", r)).collect();
    let contact = fm.contact.as_ref().map(|c| f.slug("contact", c));
    let updated = f.date("updated", &fm.updated);
    let publish_at = fm.publish_at.as_ref().map(|value| f.moment("publish_at", value));
    let aliases: Option<Vec<String>> = fm.aliases.iter().map(|a| f.alias(a)).collect();
    let (body, body_links) = split_links(body);
    let spans = ProfileSpans {
        body: body_links,
        slug: f.span(&fm.slug),
        translation_key: f.span(&fm.translation_key),
        contact: fm.contact.as_ref().map(|c| f.span(c)),
        related: fm.related.iter().map(|r| f.span(r)).collect(),
        aliases: fm.aliases.iter().map(|a| f.span(a)).collect(),
    };
    let contact = match contact {
        Some(parsed) => Some(parsed?),
        None => None,
    };
    let rendered = body?;
    let mut profile = Profile {
        lang: lang?,
        slug: slug?,
        translation_key: translation_key?,
        title: title?,
        summary: summary?,
        category: category?,
        hard_skills: hard_skills?,
        soft_skills: soft_skills?,
        salaries: salaries?,
        related: related?,
        contact,
        updated: updated?,
        draft: fm.draft,
        publish_at: match publish_at {
            Some(parsed) => Some(parsed?),
            None => None,
        },
        aliases: aliases?,
        toc: rendered.markdown.toc,
        source_path: file.rel_path.clone(),
        source_hash: String::new(),
    };
    profile.source_hash = fingerprint(&profile, &rendered.markdown.html);
    Some((Located { value: Arc::new(profile), file, spans }, rendered.markdown.html))
}

fn salary_rows(f: &mut Fields<'_>, rows: &Spanned<Vec<Spanned<SalaryFrontMatter>>>) -> Option<Vec<SalaryRow>> {
    if rows.get_ref().is_empty() {
        f.error(
            rows,
            "no salary rows",
            "add at least one [[salary]] table with region, currency, min, max, source and as_of",
        );
        return None;
    }
    let parsed: Vec<Option<SalaryRow>> = rows.get_ref().iter().map(|row| salary_row(f, row.get_ref())).collect();
    parsed.into_iter().collect()
}

fn salary_row(f: &mut Fields<'_>, row: &SalaryFrontMatter) -> Option<SalaryRow> {
    let region = f.text("region", &row.region, 60);
    let currency = row
        .currency
        .get_ref()
        .parse::<Currency>()
        .map_err(|e| f.error(&row.currency, e.to_string(), "write the ISO 4217 code in capitals, e.g. \"EUR\""))
        .ok();
    let period = match &row.period {
        None => Some(SalaryPeriod::Year),
        Some(period) => period
            .get_ref()
            .parse::<SalaryPeriod>()
            .map_err(|e| f.error(period, e.to_string(), "leave it out for yearly figures"))
            .ok(),
    };
    let source = f.text("source", &row.source, 200);
    let as_of = f.date("as_of", &row.as_of);
    let parts = SalaryRowParts {
        region: region?,
        currency: currency?,
        period: period?,
        min: *row.min.get_ref(),
        max: *row.max.get_ref(),
        median: row.median.as_ref().map(|m| *m.get_ref()),
        source: source?,
        as_of: as_of?,
    };
    SalaryRow::new(parts)
        .map_err(|e| {
            let at = match (&e, &row.median) {
                (SalaryRowError::MedianOutsideRange { .. }, Some(median)) => f.span(median),
                _ => f.span(&row.min),
            };
            f.diagnostics.push(f.file.error_in(
                &at,
                format!("salary row for this region: {e}"),
                "min <= median <= max; swap the figures if they are reversed",
            ));
        })
        .ok()
}

fn parse_page(file: SourceFile, folder_lang: Lang, diagnostics: &mut Diagnostics) -> Option<Located<Page, PageSpans>> {
    let (fm, base, body_start) = front_matter::<PageFrontMatter>(&file, diagnostics)?;
    let body = parse_body(&file, body_start, diagnostics);
    let mut f = Fields { file: &file, base, diagnostics };
    let lang = f.lang(&fm.lang, folder_lang);
    let slug = f.slug_matching_file_name(&fm.slug);
    let translation_key = f.slug("translation_key", &fm.translation_key);
    let title = f.text("title", &fm.title, 120);
    let summary = f.text("summary", &fm.summary, 200);
    let updated = f.date("updated", &fm.updated);
    let (body, body_links) = split_links(body);
    let spans = PageSpans { body: body_links, slug: f.span(&fm.slug), translation_key: f.span(&fm.translation_key) };
    let rendered = body?;
    let page = Page {
        lang: lang?,
        slug: slug?,
        translation_key: translation_key?,
        title: title?,
        summary: summary?,
        updated: updated?,
        body: rendered.markdown,
        source_path: file.rel_path.clone(),
    };
    Some(Located { value: page, file, spans })
}

fn parse_person(file: SourceFile, dir: &Path, diagnostics: &mut Diagnostics) -> Option<Located<Person, ()>> {
    let fm: PersonFile = parse_toml(&file, file.text(), 0, diagnostics)?;
    let id = match Slug::parse(file_stem(&file)) {
        Ok(id) => Some(id),
        Err(e) => {
            diagnostics.push(file.error_at(
                0,
                format!("the file name is the person's id: {e}"),
                "rename the file, e.g. `people/lena-hoffmann.toml`",
            ));
            None
        }
    };
    let mut f = Fields { file: &file, base: 0, diagnostics };
    let name = f.text("name", &fm.name, 80);
    let email = match email_address::EmailAddress::parse_with_options(
        fm.email.get_ref(),
        email_address::Options::default().without_display_text(),
    ) {
        Ok(address) => Some(address.to_string()),
        Err(e) => {
            f.error(&fm.email, format!("`email` is not an e-mail address: {e}"), "e.g. \"lena.hoffmann@example.com\"");
            None
        }
    };
    let photo = media_file(&mut f, "photo", &fm.photo, dir);
    let languages: Option<Vec<Lang>> = if fm.languages.get_ref().is_empty() {
        f.error(
            &fm.languages,
            "`languages` is empty",
            "list the languages the person answers in, e.g. [\"de\", \"en\"]",
        );
        None
    } else {
        fm.languages
            .get_ref()
            .iter()
            .map(|l| {
                l.get_ref()
                    .parse::<Lang>()
                    .map_err(|e| f.error(l, format!("`languages`: {e}"), "use \"en\" and/or \"de\""))
                    .ok()
            })
            .collect()
    };
    let role = f.per_language("role", &fm.role, 80);
    let pitch = f.per_language("pitch", &fm.pitch, 240);
    let (role_en, role_de) = role?;
    let (pitch_en, pitch_de) = pitch?;
    let person = Person {
        id: id?,
        name: name?,
        email: email?,
        photo: photo?,
        languages: languages?,
        en: PersonText { role: role_en, pitch: pitch_en },
        de: PersonText { role: role_de, pitch: pitch_de },
    };
    Some(Located { value: person, file, spans: () })
}

fn media_file(f: &mut Fields<'_>, field: &str, value: &Spanned<String>, dir: &Path) -> Option<String> {
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

fn parse_site(file: SourceFile, dir: &Path, diagnostics: &mut Diagnostics) -> Option<Located<SiteSettings, SiteSpans>> {
    let fm: SiteFile = parse_toml(&file, file.text(), 0, diagnostics)?;
    let mut f = Fields { file: &file, base: 0, diagnostics };
    let name = f.text("name", &fm.name, 80);
    let base_url = base_url(&mut f, &fm.base_url);
    let default_contact = f.slug("default_contact", &fm.default_contact);
    let featured: Option<Vec<Slug>> = fm.featured.iter().map(|key| f.slug("featured", key)).collect();
    let share_image = media_file(&mut f, "share_image", &fm.share_image, dir);
    let tagline = f.per_language("tagline", &fm.tagline, 120);
    let intro = f.per_language("intro", &fm.intro, 600);
    let nav_en = nav(&mut f, &fm.nav, Lang::En);
    let nav_de = nav(&mut f, &fm.nav, Lang::De);
    for key in fm.nav.get_ref().keys() {
        if key.parse::<Lang>().is_err() {
            f.error(&fm.nav, format!("`nav.{key}` is not a language of the site"), "use [[nav.en]] and [[nav.de]]");
        }
    }
    let spans = SiteSpans {
        default_contact: f.span(&fm.default_contact),
        featured: fm.featured.iter().map(|key| f.span(key)).collect(),
    };
    let (tagline_en, tagline_de) = tagline?;
    let (intro_en, intro_de) = intro?;
    let settings = SiteSettings {
        name: name?,
        base_url: base_url?,
        default_contact: default_contact?,
        featured: featured?,
        share_image: share_image?,
        tagline_en,
        tagline_de,
        intro_en,
        intro_de,
        nav_en: nav_en?,
        nav_de: nav_de?,
    };
    Some(Located { value: settings, file, spans })
}

fn base_url(f: &mut Fields<'_>, value: &Spanned<String>) -> Option<String> {
    let url = value.get_ref().trim_end_matches('/');
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => Some(url.to_owned()),
        _ => {
            f.error(
                value,
                format!("base_url \"{url}\" is not an http(s) origin"),
                "e.g. base_url = \"https://jobs.example.com\" (no path)",
            );
            None
        }
    }
}

fn nav(
    f: &mut Fields<'_>,
    nav: &Spanned<std::collections::BTreeMap<String, Vec<super::front_matter::NavFrontMatter>>>,
    lang: Lang,
) -> Option<Vec<NavLink>> {
    let Some(links) = nav.get_ref().get(lang.code()) else {
        f.error(nav, format!("no navigation for \"{lang}\""), format!("add [[nav.{lang}]] tables with label and href"));
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for link in links {
        let label = f.text("label", &link.label, 40);
        let href = link.href.get_ref();
        if !href.starts_with('/') || href.starts_with("//") {
            f.error(
                &link.href,
                format!("nav href \"{href}\" is not a path of this site"),
                "navigation links start with `/`, e.g. \"/profiles\"",
            );
            ok = false;
        }
        match label {
            Some(label) => out.push(NavLink { label, href: href.clone() }),
            None => ok = false,
        }
    }
    ok.then_some(out)
}
