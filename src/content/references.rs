//! Checks that need the whole folder: references between files, duplicates, URL clashes.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::Diagnostics;
use super::load::Loaded;
use super::source::SourceFile;
use crate::domain::{Lang, Slug};

/// First path segments the application itself answers; a page or alias may not take them.
pub const RESERVED_SEGMENTS: &[&str] = &[
    "profiles",
    "profile",
    "contact",
    "kontakt",
    "de",
    "en",
    "static",
    "media",
    "admin",
    "healthz",
    "readyz",
    "metrics",
    "search",
    "suche",
    "feed",
    "sitemap.xml",
    "robots.txt",
    "favicon.ico",
];

struct Reporter<'a> {
    diagnostics: &'a mut Diagnostics,
}

impl Reporter<'_> {
    fn at(&mut self, file: &SourceFile, span: &Range<usize>, message: String, hint: impl Into<String>) {
        self.diagnostics.push(file.error_in(span, message, hint));
    }
}

pub fn check(loaded: &Loaded, diagnostics: &mut Diagnostics) {
    let mut report = Reporter { diagnostics };
    let people: HashSet<&Slug> = loaded.people.iter().map(|p| &p.value.id).collect();
    let profile_keys: HashSet<(Lang, &Slug)> =
        loaded.profiles.iter().map(|p| (p.value.lang, &p.value.translation_key)).collect();

    check_profiles(loaded, &people, &profile_keys, &mut report);
    check_pages(loaded, &mut report);
    check_urls(loaded, &mut report);

    if let Some(site) = &loaded.site {
        if !people.contains(&site.value.default_contact) {
            let id = &site.value.default_contact;
            report.at(
                &site.file,
                &site.spans.default_contact,
                format!("default_contact \"{id}\" is not a person"),
                format!("add `people/{id}.toml` or name an existing person"),
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
                    "list translation keys of existing profiles",
                );
            }
        }
    }
}

fn check_profiles(loaded: &Loaded, people: &HashSet<&Slug>, keys: &HashSet<(Lang, &Slug)>, report: &mut Reporter<'_>) {
    let slugs: HashSet<(Lang, &Slug)> = loaded.profiles.iter().map(|p| (p.value.lang, &p.value.slug)).collect();
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
        if !keys.contains(&(other, &profile.translation_key)) {
            report.at(
                file,
                &spans.translation_key,
                format!("no {other} profile has translation_key \"{}\"", profile.translation_key),
                format!("write the {other} version with the same translation_key, or fix the key"),
            );
        }
        for (related, span) in profile.related.iter().zip(&spans.related) {
            if related == &profile.slug {
                report.at(file, span, "a profile cannot be related to itself".into(), "list other profiles");
            } else if !slugs.contains(&(profile.lang, related)) {
                report.at(
                    file,
                    span,
                    format!("related profile \"{related}\" does not exist in `profiles/{}/`", profile.lang),
                    "use the slug of a profile in the same language",
                );
            }
        }
        if let (Some(contact), Some(span)) = (&profile.contact, &spans.contact)
            && !people.contains(contact)
        {
            report.at(
                file,
                span,
                format!("contact \"{contact}\" is not a person"),
                format!("add `people/{contact}.toml` or name an existing person"),
            );
        }
    }
}

fn check_pages(loaded: &Loaded, report: &mut Reporter<'_>) {
    let keys: HashSet<(Lang, &Slug)> = loaded.pages.iter().map(|p| (p.value.lang, &p.value.translation_key)).collect();
    let mut seen_keys: HashMap<(Lang, &Slug), &str> = HashMap::new();
    for located in &loaded.pages {
        let (page, file, spans) = (&located.value, &located.file, &located.spans);
        if RESERVED_SEGMENTS.contains(&page.slug.as_str()) {
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
            report.at(
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
        for path in [lang.home_path(), lang.profiles_path(), lang.contact_path()] {
            owners.insert(path.to_owned(), "the site itself".to_owned());
        }
    }
    for p in loaded.pages.iter().filter(|p| !RESERVED_SEGMENTS.contains(&p.value.slug.as_str())) {
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
            let first_segment = alias.trim_start_matches('/').split('/').next().unwrap_or_default();
            let reserved_root = alias.split('/').count() == 2 && RESERVED_SEGMENTS.contains(&first_segment);
            if reserved_root {
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

fn normalize(path: &str) -> String {
    let trimmed = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    trimmed.to_lowercase()
}
