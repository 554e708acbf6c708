//! The checks across files, one file or one URL at a time. Each asks `Lookup` what the rest of
//! the folder holds, so it finds the same whether the whole folder is checked or only what an
//! edit touched.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::super::ContentError;
use super::super::load::{BodyLinks, Loaded, Located, PageSpans, ProfileSpans};
use super::super::source::SourceFile;
use super::super::suggest::hint_with_closest;
use super::{Checked, Lookup};
use crate::domain::paths::{self, Fixed, Localized, is_reserved, normalize};
use crate::domain::{Lang, MediaFile, Page, Profile, Slug};

/// A profile's checks against the other profiles and people: its translation key, translation,
/// related profiles, contact and links. Notes in `checked` every path it looked up.
pub(super) fn profile(folder: &Lookup<'_>, located: &Located<Arc<Profile>, ProfileSpans>, checked: &mut Checked) {
    let (profile, file, spans) = (&located.value, &located.file, &located.spans);
    let found = &mut checked.found;
    if let Some(first) = folder.earlier_with_key(profile.lang, &profile.translation_key, &file.rel_path) {
        found.push(file.error_in(
            &spans.translation_key,
            format!("translation_key \"{}\" is already used by {first}", profile.translation_key),
            "each role has one profile per language; give this one its own key",
        ));
    }
    let other = profile.lang.other();
    match folder.translation(other, &profile.translation_key) {
        None if folder.claimed_key(other, &profile.translation_key) => {}
        None => found.push(file.warning_in(
            &spans.translation_key,
            format!("no {other} profile has translation_key \"{}\"", profile.translation_key),
            format!("write the {other} version with the same translation_key, or fix the key"),
        )),
        Some(translation) if translation.updated > profile.updated => found.push(file.warning_in(
            &spans.translation_key,
            format!(
                "this translation ({}) is older than the {other} version ({})",
                profile.updated, translation.updated
            ),
            "bring it up to date with the other version and set `updated`",
        )),
        Some(_) => {}
    }
    for (related, span) in profile.related.iter().zip(&spans.related) {
        if related == &profile.slug {
            found.push(file.error_in(span, "a profile cannot be related to itself", "list other profiles"));
            continue;
        }
        let path = paths::profile(profile.lang, related);
        if !folder.is_profile(&path) {
            found.push(file.error_in(
                span,
                format!("related profile \"{related}\" does not exist in `profiles/{}/`", profile.lang),
                hint_with_closest(
                    "use the slug of a profile in the same language",
                    related.as_str(),
                    folder.slugs(profile.lang),
                ),
            ));
        }
        checked.refers_to.push(path);
    }
    if let (Some(contact), Some(span)) = (&profile.contact, &spans.contact)
        && !folder.is_person(contact)
    {
        found.push(file.error_in(span, format!("contact \"{contact}\" is not a person"), person_hint(folder, contact)));
    }
    links(folder, file, &profile.path(), &spans.body, found, &mut checked.refers_to);
}

pub(super) fn pages(loaded: &Loaded, found: &mut Vec<ContentError>) {
    let claimed = loaded.claims.pages.iter().filter_map(|c| Some((c.lang, c.translation_key.as_ref()?)));
    let keys: HashSet<(Lang, &Slug)> =
        loaded.pages.iter().map(|p| (p.value.lang, &p.value.translation_key)).chain(claimed).collect();
    let mut seen_keys: HashMap<(Lang, &Slug), &str> = HashMap::new();
    for located in &loaded.pages {
        let (page, file, spans) = (&located.value, &located.file, &located.spans);
        if is_reserved(page.slug.as_str()) {
            found.push(file.error_in(
                &spans.slug,
                format!("the slug \"{}\" is a path the site itself uses", page.slug),
                "choose another slug",
            ));
        }
        if let Some(first) = seen_keys.insert((page.lang, &page.translation_key), &file.rel_path) {
            found.push(file.error_in(
                &spans.translation_key,
                format!("translation_key \"{}\" is already used by {first}", page.translation_key),
                "give this page its own key",
            ));
        }
        let other = page.lang.other();
        if !keys.contains(&(other, &page.translation_key)) {
            found.push(file.warning_in(
                &spans.translation_key,
                format!("no {other} page has translation_key \"{}\"", page.translation_key),
                format!("write the {other} version with the same translation_key, or fix the key"),
            ));
        }
    }
}

pub(super) fn site(loaded: &Loaded, folder: &Lookup<'_>, found: &mut Vec<ContentError>) {
    let Some(site) = &loaded.site else { return };
    if !folder.is_person(&site.value.default_contact) {
        let id = &site.value.default_contact;
        found.push(site.file.error_in(
            &site.spans.default_contact,
            format!("default_contact \"{id}\" is not a person"),
            person_hint(folder, id),
        ));
    }
    for (key, span) in site.value.featured.iter().zip(&site.spans.featured) {
        let missing: Vec<&str> =
            Lang::ALL.iter().filter(|&&lang| !folder.has_key(lang, key)).map(|lang| lang.code()).collect();
        if !missing.is_empty() {
            found.push(site.file.error_in(
                span,
                format!("featured profile \"{key}\" has no profile in {}", missing.join(", ")),
                hint_with_closest("list translation keys of existing profiles", key.as_str(), folder.keys()),
            ));
        }
    }
}

/// The paths the site itself and the plain pages take, by URL group (see `urls`): few, and
/// gathered once per load rather than once per group.
#[derive(Default)]
pub(super) struct Taken<'a> {
    site: Vec<&'static str>,
    pages: Vec<&'a Located<Page, PageSpans>>,
}

pub(super) fn taken_by_site_and_pages(loaded: &Loaded) -> HashMap<String, Taken<'_>> {
    let mut taken: HashMap<String, Taken<'_>> = HashMap::new();
    for lang in Lang::ALL {
        for page in [Localized::Home, Localized::Profiles, Localized::Contact] {
            taken.entry(normalize(page.path(lang))).or_default().site.push(page.path(lang));
        }
    }
    for page in loaded.pages.iter().filter(|p| !is_reserved(p.value.slug.as_str())) {
        taken.entry(normalize(&page.value.path())).or_default().pages.push(page);
    }
    taken
}

/// Every URL answers one thing: pages, profiles and aliases may not share a path. Checked per
/// `group`, the paths that are the same ignoring capitals and a trailing slash: no clash crosses
/// groups. `profiles` are those with their path or an alias in the group, in folder order.
pub(super) fn urls(
    group: &str,
    taken: Option<&Taken<'_>>,
    profiles: &[&Located<Arc<Profile>, ProfileSpans>],
    found: &mut Vec<ContentError>,
) {
    let in_group = |path: &str| normalize(path) == group;
    let mut owners: HashMap<String, String> = HashMap::new();
    let (site, pages) = taken.map_or((&[][..], &[][..]), |taken| (&taken.site[..], &taken.pages[..]));
    for path in site {
        owners.insert((*path).to_owned(), "the site itself".to_owned());
    }
    let pages = pages.iter().map(|p| (&p.file, &p.spans.slug, p.value.path()));
    let profiles_here = profiles.iter().map(|p| (&p.file, &p.spans.slug, p.value.path()));
    for (file, span, path) in pages.chain(profiles_here.filter(|(_, _, path)| in_group(path))) {
        if let Some(first) = owners.insert(path.clone(), file.rel_path.clone()) {
            found.push(file.error_in(
                span,
                format!("the URL {path} is already taken by {first}"),
                "choose another slug",
            ));
        }
    }
    let mut normalized: HashMap<String, String> =
        owners.iter().map(|(path, owner)| (normalize(path), owner.clone())).collect();
    for p in profiles {
        for (alias, span) in p.value.aliases.iter().zip(&p.spans.aliases).filter(|(alias, _)| in_group(alias)) {
            if let Some(first) = normalized.get(&normalize(alias)).filter(|_| !owners.contains_key(alias)) {
                found.push(p.file.error_in(
                    span,
                    format!("alias {alias} differs from a path of {first} only in capitals or a trailing slash"),
                    "aliases must differ from every other URL in more than case",
                ));
                continue;
            }
            normalized.insert(normalize(alias), p.file.rel_path.clone());
            if paths::is_reserved_path(alias) {
                found.push(p.file.error_in(
                    span,
                    format!("alias {alias} is a path the site itself uses"),
                    "choose the old URL that should redirect here",
                ));
            } else if let Some(first) = owners.insert(alias.clone(), p.file.rel_path.clone()) {
                found.push(p.file.error_in(
                    span,
                    format!("alias {alias} is already taken by {first}"),
                    "an old URL can redirect to one place only; remove one of them",
                ));
            }
        }
    }
}

/// The site's own pages that content may link to.
fn site_paths() -> impl Iterator<Item = &'static str> {
    Lang::ALL.into_iter().flat_map(|lang| {
        [Localized::Home, Localized::Profiles, Localized::Contact, Localized::Search, Localized::Salaries]
            .map(|page| page.path(lang))
    })
}

fn is_site_path(path: &str) -> bool {
    site_paths().any(|site_path| site_path == path)
}

fn person_hint(folder: &Lookup<'_>, id: &Slug) -> String {
    hint_with_closest(format!("add `people/{id}.toml` or name an existing person"), id.as_str(), folder.people())
}

fn link_hint(folder: &Lookup<'_>, path: &str) -> String {
    let mut candidates: Vec<&str> = folder.paths().collect();
    for site_path in site_paths() {
        candidates.push(site_path);
    }
    hint_with_closest("link to an existing profile or page, e.g. /profiles/backend-developer", path, candidates)
}

/// Internal links must lead to a page that exists (and to a heading on it, with `#anchor`).
/// `refers_to` gets each path looked up.
pub(super) fn links(
    folder: &Lookup<'_>,
    file: &SourceFile,
    own_path: &str,
    body: &BodyLinks,
    found: &mut Vec<ContentError>,
    refers_to: &mut Vec<String>,
) {
    for (target, span) in &body.links {
        let (path, anchor) = match target.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (target.as_str(), None),
        };
        let path = if path.is_empty() { own_path } else { path };
        if !path.starts_with('/') || path.starts_with("//") {
            continue;
        }
        let path = path.split('?').next().unwrap_or(path);
        match (folder.headings(path), anchor) {
            (None, _) if is_site_path(path) => {}
            (None, _) => found.push(file.error_in(span, format!("the link to {path} leads nowhere"), link_hint(folder, path))),
            (Some(ids), Some(anchor)) if !ids.contains(&anchor) => found.push(file.error_in(span, format!("{path} has no heading #{anchor}"), hint_with_closest("use the id of a `##` or `###` heading on that page; ids are its words in lower case joined by hyphens", anchor, ids.iter().copied()))),
            _ => {}
        }
        refers_to.push(path.to_owned());
    }
}

/// Images must be files in `media/` that will be served. Asks the file system, so it runs on
/// every load.
pub(super) fn images(dir: &Path, file: &SourceFile, body: &BodyLinks, found: &mut Vec<ContentError>) {
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
                found.push(file.error_in(
                    span,
                    format!("the image {target} will not be served"),
                    MediaFile::served_hint(),
                ));
            }
            Some(_) => found.push(file.error_in(
                span,
                format!("the image {target} does not exist"),
                "put the file into `media/` or fix the path",
            )),
            None => found.push(file.error_in(
                span,
                format!("the image {target} is not in /media/"),
                "put images into the content folder's `media/` and write their path as /media/...",
            )),
        }
    }
}
