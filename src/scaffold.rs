//! New content files for editors (`jobprofiles new profile|page`): every field in place, the
//! required ones as placeholders that `check` reports until they are filled in, the optional
//! ones as comments, and the usual sections, translated from a profile in the other language
//! when the new file is its translation.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use askama::Template;
use time::Date;

use crate::content::{outline, placeholders, suggest};
use crate::domain::{Lang, Slug, paths};
use crate::i18n;

/// What `new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Profile,
    Page,
}

impl Kind {
    fn folder(self) -> &'static str {
        match self {
            Kind::Profile => "profiles",
            Kind::Page => "pages",
        }
    }

    fn path(self, lang: Lang, slug: &Slug) -> String {
        match self {
            Kind::Profile => paths::profile(lang, slug),
            Kind::Page => paths::page(lang, slug),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} already exists; `new` never overwrites a file")]
    Exists(String),
    #[error("the slug \"{0}\" is a path the site itself uses")]
    ReservedSlug(Slug),
    #[error("the URL {path} is already an alias in {file}")]
    AliasTaken { path: String, file: String },
    /// `suggestion` is empty or "; did you mean `<slug>`?".
    #[error("there is no {path} to translate{suggestion}")]
    NoSource { path: String, suggestion: String },
    #[error("{0} has no translation_key that a translation could share")]
    NoTranslationKey(String),
    #[error("{file} already has translation_key \"{key}\": that role has its {lang} version")]
    TranslationExists { file: String, key: String, lang: Lang },
    #[error("cannot read {path}")]
    Read { path: String, source: std::io::Error },
    #[error("cannot write {path}")]
    Write { path: String, source: std::io::Error },
    #[error("the scaffold could not be rendered")]
    Render(#[from] askama::Error),
}

#[derive(Template)]
#[template(path = "new/profile.md")]
struct ProfileFile<'a> {
    slug: &'a Slug,
    lang: Lang,
    translation_key: &'a str,
    today: Date,
    headings: Vec<String>,
}

#[derive(Template)]
#[template(path = "new/page.md")]
struct PageFile<'a> {
    slug: &'a Slug,
    lang: Lang,
    translation_key: &'a str,
    today: Date,
    headings: Vec<String>,
}

/// Writes `<kind>/<lang>/<slug>.md` in the content folder `dir` and returns its path; with
/// `translation_of`, the new file shares that file's translation key and follows its sections.
pub fn create(
    dir: &Path,
    kind: Kind,
    slug: &Slug,
    lang: Lang,
    translation_of: Option<&Slug>,
    today: Date,
) -> Result<PathBuf, ScaffoldError> {
    let rel_path = format!("{}/{lang}/{slug}.md", kind.folder());
    let target = dir.join(&rel_path);
    if target.exists() {
        return Err(ScaffoldError::Exists(rel_path));
    }
    if kind == Kind::Page && paths::is_reserved(slug.as_str()) {
        return Err(ScaffoldError::ReservedSlug(slug.clone()));
    }
    let path = kind.path(lang, slug);
    // Only profiles have aliases, in either language, and any path may be one.
    for alias_lang in Lang::ALL {
        let profiles = read_folder(dir, Kind::Profile, alias_lang)?;
        if let Some((file, _)) = profiles.iter().find(|(_, outline)| outline.aliases.contains(&path)) {
            return Err(ScaffoldError::AliasTaken { path, file: file.clone() });
        }
    }
    let siblings = read_folder(dir, kind, lang)?;
    let (translation_key, headings) = match translation_of {
        None => (slug.to_string(), usual_sections(kind, lang)),
        Some(source) => {
            let (key, headings) = translated_outline(dir, kind, source, lang.other(), lang)?;
            if let Some((file, _)) =
                siblings.iter().find(|(_, outline)| outline.translation_key.as_deref() == Some(key.as_str()))
            {
                return Err(ScaffoldError::TranslationExists { file: file.clone(), key, lang });
            }
            (key, headings)
        }
    };
    let text = match kind {
        Kind::Profile => ProfileFile { slug, lang, translation_key: &translation_key, today, headings }.render()?,
        Kind::Page => PageFile { slug, lang, translation_key: &translation_key, today, headings }.render()?,
    };
    write_new(&target, &rel_path, &text)?;
    Ok(target)
}

fn usual_sections(kind: Kind, lang: Lang) -> Vec<String> {
    match kind {
        Kind::Profile => i18n::strings(lang).new_profile_sections.clone(),
        Kind::Page => vec![format!("{}: the first section's heading", placeholders::MARKER)],
    }
}

/// The source's translation key and its `##` headings in `to`: known sections from the locale
/// files, the rest as placeholders that quote the heading to translate.
fn translated_outline(
    dir: &Path,
    kind: Kind,
    source: &Slug,
    from: Lang,
    to: Lang,
) -> Result<(String, Vec<String>), ScaffoldError> {
    let rel_path = format!("{}/{from}/{source}.md", kind.folder());
    let text = match std::fs::read_to_string(dir.join(&rel_path)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let others = read_folder(dir, kind, from)?;
            let stems = others.iter().filter_map(|(file, _)| file.rsplit('/').next()?.strip_suffix(".md"));
            let suggestion = suggest::closest(source.as_str(), stems)
                .map(|slug| format!("; did you mean `{slug}`?"))
                .unwrap_or_default();
            return Err(ScaffoldError::NoSource { path: rel_path, suggestion });
        }
        Err(source) => return Err(ScaffoldError::Read { path: rel_path, source }),
    };
    let outline = outline::read(&text);
    let key = outline.translation_key.ok_or_else(|| ScaffoldError::NoTranslationKey(rel_path.clone()))?;
    let (known, wanted) = (&i18n::strings(from).new_profile_sections, &i18n::strings(to).new_profile_sections);
    let headings = outline
        .headings
        .iter()
        .filter(|heading| heading.level == 2)
        .map(|heading| match known.iter().position(|section| *section == heading.text) {
            Some(i) => wanted[i].clone(),
            None => format!("{}: translate \"{}\"", placeholders::MARKER, heading.text),
        })
        .collect();
    Ok((key, headings))
}

/// The outlines of the other files of one kind and language, by their path in the content folder.
fn read_folder(dir: &Path, kind: Kind, lang: Lang) -> Result<Vec<(String, outline::Outline)>, ScaffoldError> {
    let folder = dir.join(kind.folder()).join(lang.code());
    let rel = |name: &str| format!("{}/{lang}/{name}", kind.folder());
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(ScaffoldError::Read { path: rel(""), source }),
    };
    let mut outlines = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".md") {
            continue;
        }
        let text =
            std::fs::read_to_string(entry.path()).map_err(|source| ScaffoldError::Read { path: rel(&name), source })?;
        outlines.push((rel(&name), outline::read(&text)));
    }
    Ok(outlines)
}

/// Creates the file, never replacing one that appeared in the meantime.
fn write_new(target: &Path, rel_path: &str, text: &str) -> Result<(), ScaffoldError> {
    let write_error = |source| ScaffoldError::Write { path: rel_path.to_owned(), source };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(write_error)?;
    }
    let mut file = OpenOptions::new().write(true).create_new(true).open(target).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            ScaffoldError::Exists(rel_path.to_owned())
        } else {
            write_error(e)
        }
    })?;
    file.write_all(text.as_bytes()).map_err(write_error)
}
