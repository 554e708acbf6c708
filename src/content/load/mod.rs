//! Reads every file of a content folder into domain values, collecting every problem.
//! Cross-file checks (references, duplicates) live in `references`.

mod claims;
mod document;
mod fields;
mod glossary;
mod job;
mod page;
mod person;
mod profile;
mod site;
mod walk;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Diagnostics;
use super::cache::{CacheUpdate, FileStamp, ProfileCache};
use super::source::SourceFile;
use crate::domain::{Lang, Page, Person, Profile, SiteContent, SiteSettings, Slug};
pub use claims::{Claim, Claims};
use glossary::Glossary;
pub(super) use job::before_template;
use page::parse_page;
use person::parse_person;
use profile::parse_profile;
use site::parse_site;
pub(super) use walk::{file_error, relative};
use walk::{language_files, read_source, toml_files};

/// What was read, with the spans the cross-file checks point at.
pub struct Loaded {
    pub site: Option<Located<SiteSettings, SiteSpans>>,
    pub people: Vec<Located<Person, ()>>,
    pub profiles: Vec<Located<Arc<Profile>, ProfileSpans>>,
    pub pages: Vec<Located<Page, PageSpans>>,
    /// Body HTML of the profiles read from their files this time (not taken from the cache).
    pub profile_html: HashMap<(Lang, Slug), String>,
    /// Job-description templates of the profiles read this time that have one.
    pub job_descriptions: HashMap<(Lang, Slug), String>,
    pub cache_update: CacheUpdate,
    /// Files that did not load, counted as present by the cross-file checks.
    pub claims: Claims,
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
            job_descriptions: self.job_descriptions,
        };
        Some((content, self.cache_update))
    }
}

/// Reads the folder; profile files unchanged since they went into `cache` are taken from it
/// instead of being read and rendered again.
pub fn load_folder(dir: &Path, diagnostics: &mut Diagnostics, cache: &ProfileCache) -> Loaded {
    let site =
        read_source(dir, &dir.join("site.toml"), diagnostics).and_then(|file| parse_site(file, dir, diagnostics));
    let glossary = Glossary::read(dir, diagnostics);
    let mut people = Vec::new();
    let mut claims = Claims::default();
    for path in toml_files(dir, "people", diagnostics) {
        let Some(file) = read_source(dir, &path, diagnostics) else { continue };
        match parse_person(file.clone(), dir, diagnostics) {
            Some(person) => people.push(person),
            None => claims.person(&file),
        }
    }
    let mut files = language_files(dir, "profiles", diagnostics);
    files.retain(|(_, path)| {
        let sibling = job::is_sibling_file(path);
        if sibling {
            let rel_path = relative(dir, path);
            let hint = job::sibling_hint(&rel_path);
            diagnostics.push(file_error(dir, path, "a job-description template in a file of its own", hint));
        }
        !sibling
    });
    let mut in_order: Vec<Option<Located<Arc<Profile>, ProfileSpans>>> = Vec::with_capacity(files.len());
    let mut to_read = Vec::new();
    for (lang, path) in &files {
        let stamp = FileStamp::of(path);
        let cached = cache.get(path, stamp).cloned();
        if cached.is_none() {
            to_read.push((in_order.len(), *lang, path, stamp));
        }
        in_order.push(cached);
    }
    let (mut profile_html, mut job_descriptions) = (HashMap::new(), HashMap::new());
    let mut cache_update = CacheUpdate::new(files.iter().map(|(_, path)| path.clone()).collect());
    for (position, path, stamp, parsed, found) in read_profiles(dir, &to_read, &glossary) {
        for error in found.into_entries() {
            diagnostics.push(error);
        }
        match parsed {
            Ok((profile, html, job_description)) => {
                cache_update.read(path, stamp, &profile);
                let key = (profile.value.lang, profile.value.slug.clone());
                if let Some(template) = job_description {
                    job_descriptions.insert(key.clone(), template);
                }
                profile_html.insert(key, html);
                in_order[position] = Some(profile);
            }
            Err(Some(failed)) => claims.profiles.push(failed),
            Err(None) => {}
        }
    }
    let profiles = in_order.into_iter().flatten().collect();
    let mut pages = Vec::new();
    for (lang, path) in language_files(dir, "pages", diagnostics) {
        let Some(file) = read_source(dir, &path, diagnostics) else { continue };
        glossary.check(&file, lang, diagnostics);
        match parse_page(file.clone(), lang, diagnostics) {
            Some(page) => pages.push(page),
            None => claims.page(&file, lang),
        }
    }
    Loaded { site, people, profiles, pages, profile_html, job_descriptions, cache_update, claims }
}

/// `text` read as a profile file and as a page file (`profiles/en/fuzz.md`, `pages/en/fuzz.md`)
/// would be, every problem reported: how the fuzz targets reach the front-matter parser.
#[cfg(feature = "fuzzing")]
pub fn read_as_profile_and_page(text: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let file = |rel_path: &str| SourceFile::new(rel_path.to_owned(), PathBuf::from(rel_path), text.into());
    let _ = parse_profile(file("profiles/en/fuzz.md"), Lang::En, &mut diagnostics);
    let _ = parse_page(file("pages/en/fuzz.md"), Lang::En, &mut diagnostics);
    diagnostics
}

/// A profile file read: the profile, its HTML and its job-description template, or what the file
/// claims when it did not load (nothing when it could not be read at all).
type ProfileRead = Result<ParsedProfile, Option<Claim>>;

/// A profile as parsed, its body's HTML and its job-description template's Markdown.
type ParsedProfile = (Located<Arc<Profile>, ProfileSpans>, String, Option<String>);

type ReadProfile<'a> = (usize, &'a Path, Option<FileStamp>, ProfileRead, Diagnostics);

/// One profile file checked against the house style and parsed, or what it claims if it failed.
fn read_profile(file: &SourceFile, lang: Lang, glossary: &Glossary, found: &mut Diagnostics) -> ProfileRead {
    glossary.check(file, lang, found);
    match parse_profile(file.clone(), lang, found) {
        // The text goes as soon as the file is parsed: an error found later reads it again.
        Some((profile, html, job_description)) => {
            Ok((Located { file: profile.file.without_text(), ..profile }, html, job_description))
        }
        None => Err(claims::claim_profile(file, lang)),
    }
}

/// Reads and renders profile files on every core: the bulk of a first load.
fn read_profiles<'a>(
    dir: &Path,
    files: &[(usize, Lang, &'a PathBuf, Option<FileStamp>)],
    glossary: &Glossary,
) -> Vec<ReadProfile<'a>> {
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
                            let parsed = match read_source(dir, path, &mut found) {
                                None => Err(None),
                                Some(file) => read_profile(&file, lang, glossary, &mut found),
                            };
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
