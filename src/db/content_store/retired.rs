//! Paths that were public and are gone: they answer 410 Gone until something takes them again.

use std::collections::HashSet;

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::{ProfileKey, StoreError, date_text, parse};
use crate::db::millis::millis;
use crate::db::schema::{pages, profiles, retired_paths};
use crate::domain::{Lang, Slug, paths};

fn path_of(lang: &str, slug: &str, of_profile: bool) -> Result<String, StoreError> {
    let (lang, slug): (Lang, Slug) = (parse("language", lang)?, parse("slug", slug)?);
    Ok(if of_profile { paths::profile(lang, &slug) } else { paths::page(lang, &slug) })
}

/// Paths of the profiles among `keys` that are public now, read before they are deleted: only
/// the profiles an import removes can take a profile path away.
pub(super) fn public_profile_paths(
    conn: &mut SqliteConnection,
    keys: &[ProfileKey],
) -> Result<Vec<String>, StoreError> {
    let now = millis(time::OffsetDateTime::now_utc());
    let mut found = Vec::new();
    for lang in Lang::ALL {
        let slugs: Vec<&str> = keys.iter().filter(|(l, _)| l == lang.code()).map(|(_, slug)| slug.as_str()).collect();
        for chunk in slugs.chunks(500) {
            let public: Vec<String> = profiles::table
                .select(profiles::slug)
                .filter(profiles::lang.eq(lang.code()))
                .filter(profiles::slug.eq_any(chunk))
                .filter(profiles::draft.eq(false))
                .filter(profiles::publish_at.is_null().or(profiles::publish_at.le(now)))
                .load(conn)?;
            for slug in public {
                found.push(path_of(lang.code(), &slug, true)?);
            }
        }
    }
    Ok(found)
}

/// Paths of the pages as stored now.
pub(super) fn page_paths(conn: &mut SqliteConnection) -> Result<Vec<String>, StoreError> {
    let pages: Vec<(String, String)> = pages::table.select((pages::lang, pages::slug)).load(conn)?;
    pages.iter().map(|(lang, slug)| path_of(lang, slug, false)).collect()
}

/// `gone` (paths public before this import that nothing has now) answer 410 Gone from now on
/// (a profile turned into a draft keeps its path: 404). Retired paths among `taken` (the
/// paths this import added) are in use again and come off that list: every import leaves no
/// path both retired and in use, so no other path can have come back.
pub(super) fn retire_paths(
    conn: &mut SqliteConnection,
    gone: &[String],
    taken: &HashSet<String>,
) -> Result<(), StoreError> {
    let today = date_text(time::OffsetDateTime::now_utc().date());
    for path in gone.iter().filter(|p| !taken.contains(*p)) {
        diesel::insert_or_ignore_into(retired_paths::table)
            .values((retired_paths::path.eq(path), retired_paths::retired_at.eq(&today)))
            .execute(conn)?;
    }
    let back: Vec<String> = read_retired_paths(conn)?.into_iter().filter(|path| taken.contains(path)).collect();
    for chunk in back.chunks(500) {
        diesel::delete(retired_paths::table.filter(retired_paths::path.eq_any(chunk))).execute(conn)?;
    }
    Ok(())
}

/// Paths of profiles and pages that were removed.
pub fn read_retired_paths(conn: &mut SqliteConnection) -> Result<Vec<String>, StoreError> {
    Ok(retired_paths::table.select(retired_paths::path).load(conn)?)
}
