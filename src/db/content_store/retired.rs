//! Paths that were public and are gone: they answer 410 Gone until something takes them again.

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::{StoreError, date_text, parse};
use crate::db::millis::millis;
use crate::db::schema::{pages, profiles, retired_paths};
use crate::domain::{Lang, Slug, paths};

/// Paths of profiles and pages as stored now: public ones, or with `all`, drafts and scheduled ones too.
pub(super) fn stored_paths(conn: &mut SqliteConnection, all: bool) -> Result<Vec<String>, StoreError> {
    let now = millis(time::OffsetDateTime::now_utc());
    let mut query = profiles::table.select((profiles::lang, profiles::slug)).into_boxed();
    if !all {
        query = query
            .filter(profiles::draft.eq(false))
            .filter(profiles::publish_at.is_null().or(profiles::publish_at.le(now)));
    }
    let profiles: Vec<(String, String)> = query.load(conn)?;
    let pages: Vec<(String, String)> = pages::table.select((pages::lang, pages::slug)).load(conn)?;
    let path = |lang: &str, slug: &str, of_profile: bool| -> Result<String, StoreError> {
        let (lang, slug): (Lang, Slug) = (parse("language", lang)?, parse("slug", slug)?);
        Ok(if of_profile { paths::profile(lang, &slug) } else { paths::page(lang, &slug) })
    };
    profiles
        .iter()
        .map(|(lang, slug)| path(lang, slug, true))
        .chain(pages.iter().map(|(lang, slug)| path(lang, slug, false)))
        .collect()
}

/// Paths that were public before this import and have no profile or page now answer 410 Gone
/// from now on (a profile turned into a draft is only hidden: 404); paths in use again are
/// taken off that list.
pub(super) fn retire_removed_paths(conn: &mut SqliteConnection, before: &[String]) -> Result<(), StoreError> {
    let now: std::collections::HashSet<String> = stored_paths(conn, true)?.into_iter().collect();
    let today = date_text(time::OffsetDateTime::now_utc().date());
    for path in before.iter().filter(|p| !now.contains(*p)) {
        diesel::insert_or_ignore_into(retired_paths::table)
            .values((retired_paths::path.eq(path), retired_paths::retired_at.eq(&today)))
            .execute(conn)?;
    }
    // The retired paths are few, the paths in use are every profile's: look up the few.
    let back: Vec<String> = read_retired_paths(conn)?.into_iter().filter(|path| now.contains(path)).collect();
    for chunk in back.chunks(500) {
        diesel::delete(retired_paths::table.filter(retired_paths::path.eq_any(chunk))).execute(conn)?;
    }
    Ok(())
}

/// Paths of profiles and pages that were removed.
pub fn read_retired_paths(conn: &mut SqliteConnection) -> Result<Vec<String>, StoreError> {
    Ok(retired_paths::table.select(retired_paths::path).load(conn)?)
}
