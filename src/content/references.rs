//! Checks that need the whole folder: references between files, duplicates, URL clashes.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use super::Diagnostics;
use super::load::Loaded;
use super::source::SourceFile;
use super::suggest::hint_with_closest;
use crate::domain::paths::{self, Fixed, Localized, is_reserved, normalize};
use crate::domain::{Lang, MediaFile, Slug};

struct Reporter<'a> {
    diagnostics: &'a mut Diagnostics,
}

impl Reporter<'_> {
    fn at(&mut self, file: &SourceFile, span: &Range<usize>, message: String, hint: impl Into<String>) {
        self.diagnostics.push(file.error_in(span, message, hint));
    }

    fn warn(&mut self, file: &SourceFile, span: &Range<usize>, message: String, hint: impl Into<String>) {
        self.diagnostics.push(file.warning_in(span, message, hint));
    }
}

pub fn check(loaded: &Loaded, dir: &Path, diagnostics: &mut Diagnostics) {
    let mut report = Reporter { diagnostics };
    // Files that failed to load count as present: their own error is the one to fix.
    let people: HashSet<&Slug> = loaded.people.iter().map(|p| &p.value.id).chain(&loaded.claims.people).collect();
    let profile_keys: HashSet<(Lang, &Slug)> = loaded
        .profiles
        .iter()
        .map(|p| (p.value.lang, &p.value.translation_key))
        .chain(loaded.claims.profiles.iter().filter_map(|c| Some((c.lang, c.translation_key.as_ref()?))))
        .collect();

    check_profiles(loaded, &people, &mut report);
    check_pages(loaded, &mut report);
    check_urls(loaded, &mut report);
    check_links(loaded, dir, &mut report);

    if let Some(site) = &loaded.site {
        if !people.contains(&site.value.default_contact) {
            let id = &site.value.default_contact;
            report.at(
                &site.file,
                &site.spans.default_contact,
                format!("default_contact \"{id}\" is not a person"),
                person_hint(id, &people),
            );
        }
        for (key, span) in site.value.featured.iter().zip(&site.spans.featured) {
            let missing: Vec<&str> = Lang::ALL
                .iter()
                .filter(|&&lang| !profile_keys.contains(&(lang, key)))
                .map(|lang| lang.code())
                .collect();
            if !missing.is_empty() {
                report.at(
                    &site.file,
                    span,
                    format!("featured profile \"{key}\" has no profile in {}", missing.join(", ")),
                    hint_with_closest(
                        "list translation keys of existing profiles",
                        key.as_str(),
                        profile_keys.iter().map(|(_, key)| key.as_str()),
                    ),
                );
            }
        }
    }
}

fn check_profiles(loaded: &Loaded, people: &HashSet<&Slug>, report: &mut Reporter<'_>) {
    let slugs: HashSet<(Lang, &Slug)> = loaded
        .profiles
        .iter()
        .map(|p| (p.value.lang, &p.value.slug))
        .chain(loaded.claims.profiles.iter().map(|c| (c.lang, &c.slug)))
        .collect();
    let translations: HashMap<(Lang, &Slug), &crate::domain::Profile> =
        loaded.profiles.iter().map(|p| ((p.value.lang, &p.value.translation_key), p.value.as_ref())).collect();
    let mut seen_keys: HashMap<(Lang, &Slug), &str> = HashMap::new();
    for located in &loaded.profiles {
        let (profile, file, spans) = (&located.value, &located.file, &located.spans);
        if let Some(first) = seen_keys.insert((profile.lang, &profile.translation_key), &file.rel_path) {
            report.at(
                file,
                &spans.translation_key,
                format!("translation_key \"{}\" is already used by {first}", profile.translation_key),
                "each role has one profile per language; give this one its own key",
            );
        }
        let other = profile.lang.other();
        match translations.get(&(other, &profile.translation_key)) {
            None if loaded.claims.has_profile_key(other, &profile.translation_key) => {}
            None => report.warn(
                file,
                &spans.translation_key,
                format!("no {other} profile has translation_key \"{}\"", profile.translation_key),
                format!("write the {other} version with the same translation_key, or fix the key"),
            ),
            Some(translation) if translation.updated > profile.updated => report.warn(
                file,
                &spans.translation_key,
                format!(
                    "this translation ({}) is older than the {other} version ({})",
                    profile.updated, translation.updated
                ),
                "bring it up to date with the other version and set `updated`",
            ),
            Some(_) => {}
        }
        for (related, span) in profile.related.iter().zip(&spans.related) {
            if related == &profile.slug {
                report.at(file, span, "a profile cannot be related to itself".into(), "list other profiles");
            } else if !slugs.contains(&(profile.lang, related)) {
                report.at(
                    file,
                    span,
                    format!("related profile \"{related}\" does not exist in `profiles/{}/`", profile.lang),
                    hint_with_closest(
                        "use the slug of a profile in the same language",
                        related.as_str(),
                        slugs.iter().filter(|(lang, _)| *lang == profile.lang).map(|(_, slug)| slug.as_str()),
                    ),
                );
            }
        }
        if let (Some(contact), Some(span)) = (&profile.contact, &spans.contact)
            && !people.contains(contact)
        {
            report.at(file, span, format!("contact \"{contact}\" is not a person"), person_hint(contact, people));
        }
    }
}

fn check_pages(loaded: &Loaded, report: &mut Reporter<'_>) {
    let keys: HashSet<(Lang, &Slug)> = loaded
        .pages
        .iter()
        .map(|p| (p.value.lang, &p.value.translation_key))
        .chain(loaded.claims.pages.iter().filter_map(|c| Some((c.lang, c.translation_key.as_ref()?))))
        .collect();
    let mut seen_keys: HashMap<(Lang, &Slug), &str> = HashMap::new();
    for located in &loaded.pages {
        let (page, file, spans) = (&located.value, &located.file, &located.spans);
        if is_reserved(page.slug.as_str()) {
            report.at(
                file,
                &spans.slug,
                format!("the slug \"{}\" is a path the site itself uses", page.slug),
                "choose another slug",
            );
        }
        if let Some(first) = seen_keys.insert((page.lang, &page.translation_key), &file.rel_path) {
            report.at(
                file,
                &spans.translation_key,
                format!("translation_key \"{}\" is already used by {first}", page.translation_key),
                "give this page its own key",
            );
        }
        let other = page.lang.other();
        if !keys.contains(&(other, &page.translation_key)) {
            report.warn(
                file,
                &spans.translation_key,
                format!("no {other} page has translation_key \"{}\"", page.translation_key),
                format!("write the {other} version with the same translation_key, or fix the key"),
            );
        }
    }
}

/// Every URL answers one thing: pages, profiles and aliases may not share a path.
fn check_urls(loaded: &Loaded, report: &mut Reporter<'_>) {
    let mut owners: HashMap<String, String> = HashMap::new();
    for lang in Lang::ALL {
        for page in [Localized::Home, Localized::Profiles, Localized::Contact] {
            owners.insert(page.path(lang).to_owned(), "the site itself".to_owned());
        }
    }
    for p in loaded.pages.iter().filter(|p| !is_reserved(p.value.slug.as_str())) {
        if let Some(first) = owners.insert(p.value.path(), p.file.rel_path.clone()) {
            report.at(
                &p.file,
                &p.spans.slug,
                format!("the URL {} is already taken by {first}", p.value.path()),
                "choose another slug",
            );
        }
    }
    for p in &loaded.profiles {
        if let Some(first) = owners.insert(p.value.path(), p.file.rel_path.clone()) {
            report.at(
                &p.file,
                &p.spans.slug,
                format!("the URL {} is already taken by {first}", p.value.path()),
                "choose another slug",
            );
        }
    }
    // Requests are matched ignoring capitals and a trailing slash, so two paths that differ only
    // in those would send visitors somewhere they did not expect.
    let mut normalized: HashMap<String, String> =
        owners.iter().map(|(path, owner)| (normalize(path), owner.clone())).collect();
    for p in &loaded.profiles {
        for (alias, span) in p.value.aliases.iter().zip(&p.spans.aliases) {
            if let Some(first) = normalized.get(&normalize(alias)).filter(|_| !owners.contains_key(alias)) {
                report.at(
                    &p.file,
                    span,
                    format!("alias {alias} differs from a path of {first} only in capitals or a trailing slash"),
                    "aliases must differ from every other URL in more than case",
                );
                continue;
            }
            normalized.insert(normalize(alias), p.file.rel_path.clone());
            if paths::is_reserved_path(alias) {
                report.at(
                    &p.file,
                    span,
                    format!("alias {alias} is a path the site itself uses"),
                    "choose the old URL that should redirect here",
                );
            } else if let Some(first) = owners.insert(alias.clone(), p.file.rel_path.clone()) {
                report.at(
                    &p.file,
                    span,
                    format!("alias {alias} is already taken by {first}"),
                    "an old URL can redirect to one place only; remove one of them",
                );
            }
        }
    }
}

/// Internal links must lead to a page that exists (and to a heading on it, with `#anchor`);
/// images must be files in `media/`.
fn check_links(loaded: &Loaded, dir: &Path, report: &mut Reporter<'_>) {
    let mut anchors: HashMap<String, HashSet<&str>> = HashMap::new();
    for p in &loaded.profiles {
        anchors.insert(p.value.path(), p.value.toc.iter().map(|t| t.id.as_str()).collect());
    }
    for p in &loaded.pages {
        anchors.insert(p.value.path(), p.value.body.toc.iter().map(|t| t.id.as_str()).collect());
    }
    for claim in loaded.claims.documents() {
        anchors.insert(claim.path.clone(), claim.anchors.iter().map(String::as_str).collect());
    }
    let site_paths: HashSet<&str> = Lang::ALL
        .iter()
        .flat_map(|&lang| {
            [Localized::Home, Localized::Profiles, Localized::Contact, Localized::Search].map(|page| page.path(lang))
        })
        .collect();
    let bodies = loaded
        .profiles
        .iter()
        .map(|p| (&p.file, p.value.path(), &p.spans.body))
        .chain(loaded.pages.iter().map(|p| (&p.file, p.value.path(), &p.spans.body)));
    for (file, own_path, body) in bodies {
        for (target, span) in &body.links {
            let (path, anchor) = match target.split_once('#') {
                Some((path, anchor)) => (path, Some(anchor)),
                None => (target.as_str(), None),
            };
            let path = if path.is_empty() { own_path.as_str() } else { path };
            if !path.starts_with('/') || path.starts_with("//") {
                continue;
            }
            let path = path.split('?').next().unwrap_or(path);
            match (anchors.get(path), anchor) {
                (None, _) if site_paths.contains(path) => {}
                (None, _) => report.at(file, span, format!("the link to {path} leads nowhere"), link_hint(path, &anchors, &site_paths)),
                (Some(ids), Some(anchor)) if !ids.contains(anchor) => report.at(file, span, format!("{path} has no heading #{anchor}"), hint_with_closest("use the id of a `##` or `###` heading on that page; ids are its words in lower case joined by hyphens", anchor, ids.iter().copied())),
                _ => {}
            }
        }
        for (target, span) in &body.images {
            if target.starts_with("http://") || target.starts_with("https://") {
                continue;
            }
            let in_media = target
                .strip_prefix(Fixed::Media.path())
                .and_then(|rest| rest.strip_prefix('/'))
                .filter(|rest| !rest.split('/').any(|part| part.is_empty() || part == ".."));
            match in_media {
                Some(rest) if MediaFile::find(&dir.join("media"), rest).is_some() => {}
                Some(rest) if dir.join("media").join(rest).is_file() => {
                    report.at(file, span, format!("the image {target} will not be served"), MediaFile::served_hint());
                }
                Some(_) => report.at(
                    file,
                    span,
                    format!("the image {target} does not exist"),
                    "put the file into `media/` or fix the path",
                ),
                None => report.at(
                    file,
                    span,
                    format!("the image {target} is not in /media/"),
                    "put images into the content folder's `media/` and write their path as /media/...",
                ),
            }
        }
    }
}

fn person_hint(id: &Slug, people: &HashSet<&Slug>) -> String {
    hint_with_closest(
        format!("add `people/{id}.toml` or name an existing person"),
        id.as_str(),
        people.iter().map(|person| person.as_str()),
    )
}

fn link_hint(path: &str, pages: &HashMap<String, HashSet<&str>>, site_paths: &HashSet<&str>) -> String {
    hint_with_closest(
        "link to an existing profile or page, e.g. /profiles/backend-developer",
        path,
        pages.keys().map(String::as_str).chain(site_paths.iter().copied()),
    )
}
