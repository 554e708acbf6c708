//! Storing a checked content tree: profiles by fingerprint, people, pages and settings whole.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::retired::{page_paths, public_profile_paths, read_retired_paths, retire_paths};
use super::{ProfileKey, StoreError, date_text, json, position};
use crate::db::millis::millis;
use crate::db::models::{
    AliasRow, NewPerson, NewProfile, PageRow, PersonTextRow, RelatedRow, SalaryDbRow, SiteSettingsRow, SkillRow,
};
use crate::db::schema::{
    pages, people, person_texts, profile_aliases, profile_related, profile_skills, profiles, salaries, site_settings,
};
use crate::domain::{IscoCode, Lang, Page, Person, Profile, SiteContent, SkillKind, Slug};

/// What a publish wrote: profiles whose file was unchanged are left as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreReport {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

/// Rows per statement when many profiles are written at once (SQLite takes 32,766 parameters).
const CHUNK: usize = 500;

fn key_of(profile: &Profile) -> ProfileKey {
    (profile.lang.code().to_owned(), profile.slug.to_string())
}

/// What the store held after this process last stored content: each profile's fingerprint,
/// so that the next store need not read every profile row.
pub struct StoredIndex {
    generation: i32,
    hashes: HashMap<ProfileKey, String>,
}

/// Every store counts up the database header's `user_version` in its transaction, so a store
/// by another process (or an older copy of the index) is noticed without reading any rows.
#[derive(QueryableByName)]
struct Generation {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    user_version: i32,
}

fn generation(conn: &mut SqliteConnection) -> QueryResult<i32> {
    Ok(diesel::sql_query("PRAGMA user_version").get_result::<Generation>(conn)?.user_version)
}

fn stored_hashes(conn: &mut SqliteConnection) -> QueryResult<HashMap<ProfileKey, String>> {
    Ok(profiles::table
        .select((profiles::lang, profiles::slug, profiles::source_hash))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(lang, slug, hash)| ((lang, slug), hash))
        .collect())
}

/// What one store did, and what the next one may start from.
pub struct Stored {
    pub report: StoreReport,
    /// Paths of removed profiles and pages, read in the same transaction so that nothing can
    /// fail between the commit and serving what was committed.
    pub retired_paths: Vec<String>,
    pub index: StoredIndex,
}

/// Makes the store hold `content`, in one immediate transaction. Profiles are compared by the
/// fingerprint of their file: unchanged ones are not touched, changed ones are updated in place
/// (so other profiles' links to them stay), new ones inserted, missing ones deleted. People,
/// pages and settings are few and written whole. Storing the same content twice changes nothing.
pub fn store_content(conn: &mut SqliteConnection, content: &SiteContent) -> Result<Stored, StoreError> {
    store_content_since(conn, content, None)
}

/// Like [`store_content`]; with the index the previous store returned, and no store since,
/// the fingerprints are taken from it instead of from every profile row, so that one changed
/// file costs a transaction over that file's rows only.
pub fn store_content_since(
    conn: &mut SqliteConnection,
    content: &SiteContent,
    known: Option<StoredIndex>,
) -> Result<Stored, StoreError> {
    // The content is rebuilt from its folder whenever the store loses it, so its commit need not
    // wait for the disk (in WAL mode a crash loses at most the last commits, never the file).
    // The connection is the pool's again afterwards: it gets back the setting it came with.
    conn.batch_execute("PRAGMA synchronous = NORMAL")?;
    let stored = store_in_transaction(conn, content, known);
    conn.batch_execute("PRAGMA synchronous = FULL")?;
    stored
}

fn store_in_transaction(
    conn: &mut SqliteConnection,
    content: &SiteContent,
    known: Option<StoredIndex>,
) -> Result<Stored, StoreError> {
    conn.immediate_transaction(|conn| {
        let generation_now = generation(conn)?;
        let mut stored = match known {
            Some(index) if index.generation == generation_now => index.hashes,
            _ => stored_hashes(conn)?,
        };
        let wanted: HashSet<ProfileKey> = content.profiles.iter().map(|p| key_of(p)).collect();
        let removed: Vec<ProfileKey> = stored.keys().filter(|key| !wanted.contains(*key)).cloned().collect();
        let (mut added, mut changed) = (Vec::new(), Vec::new());
        for profile in content.profiles.iter().map(Arc::as_ref) {
            match stored.get(&key_of(profile)) {
                None => added.push(profile),
                Some(hash) if *hash != profile.source_hash => changed.push(profile),
                Some(_) => {}
            }
        }
        let changed_keys: Vec<ProfileKey> = changed.iter().map(|p| key_of(p)).collect();
        let pages_before = page_paths(conn)?;
        let mut gone = public_profile_paths(conn, &removed)?;

        upsert_people(conn, &content.people)?;
        let leaving: Vec<ProfileKey> = removed.iter().chain(&changed_keys).cloned().collect();
        for_each_chunk(&leaving, |lang, slugs| crate::db::search::unindex(conn, lang, slugs))?;
        delete_profile_parts(conn, &changed_keys)?;
        free_translation_keys(conn, &changed_keys)?;
        for_each_chunk(&removed, |lang, slugs| {
            diesel::delete(profiles::table.filter(profiles::lang.eq(lang.code())).filter(profiles::slug.eq_any(slugs)))
                .execute(conn)
        })?;
        let (changed, added) = (with_bodies(content, &changed)?, with_bodies(content, &added)?);
        let mut next_search_id =
            profiles::table.select(diesel::dsl::max(profiles::search_id)).first::<Option<i64>>(conn)?.unwrap_or(0) + 1;
        let mut search_id = || {
            next_search_id += 1;
            next_search_id - 1
        };
        let written: Vec<Written<'_>> = changed
            .iter()
            .chain(&added)
            .map(|&(profile, body_html, job_description)| Written {
                profile,
                body_html,
                job_description,
                search_id: search_id(),
            })
            .collect();
        let (changed, added) = written.split_at(changed.len());
        for written in changed {
            let row = profile_row(written);
            diesel::update(profiles::table.find((row.lang, row.slug))).set(&row).execute(conn)?;
        }
        for chunk in added.chunks(CHUNK) {
            let rows: Vec<NewProfile<'_>> = chunk.iter().map(profile_row).collect();
            diesel::insert_into(profiles::table).values(&rows).execute(conn)?;
        }
        insert_profile_parts(conn, written.iter().map(|written| written.profile))?;
        crate::db::search::index(conn, &written)?;

        let ids: Vec<&str> = content.people.iter().map(|p| p.id.as_str()).collect();
        diesel::delete(people::table.filter(people::id.ne_all(ids))).execute(conn)?;
        diesel::delete(pages::table).execute(conn)?;
        for page in &content.pages {
            insert_page(conn, page)?;
        }
        diesel::delete(site_settings::table).execute(conn)?;
        diesel::insert_into(site_settings::table)
            .values(SiteSettingsRow { id: 1, settings_json: json(&content.site) })
            .execute(conn)?;
        let pages_now: HashSet<String> = content.pages.iter().map(Page::path).collect();
        gone.extend(pages_before.into_iter().filter(|path| !pages_now.contains(path)));
        let taken: HashSet<String> = added.iter().map(|written| written.profile.path()).chain(pages_now).collect();
        retire_paths(conn, &gone, &taken)?;

        for key in &removed {
            stored.remove(key);
        }
        for Written { profile, .. } in &written {
            stored.insert(key_of(profile), profile.source_hash.clone());
        }
        let next_generation = generation_now.wrapping_add(1);
        diesel::sql_query(format!("PRAGMA user_version = {next_generation}")).execute(conn)?;
        let report = StoreReport { added: added.len(), changed: changed.len(), removed: removed.len() };
        let index = StoredIndex { generation: next_generation, hashes: stored };
        Ok(Stored { report, retired_paths: read_retired_paths(conn)?, index })
    })
}

/// A profile to write, with what is stored beside its values.
pub struct Written<'a> {
    pub profile: &'a Profile,
    pub body_html: &'a str,
    pub job_description: Option<&'a str>,
    pub search_id: i64,
}

/// A profile with its body's HTML and its job-description template.
type WithTexts<'a> = (&'a Profile, &'a str, Option<&'a str>);

/// Profiles to write, each with its body and template: only profiles read from their files have one.
fn with_bodies<'a>(content: &'a SiteContent, profiles: &[&'a Profile]) -> Result<Vec<WithTexts<'a>>, StoreError> {
    profiles
        .iter()
        .map(|profile| {
            let body = content.profile_html.get(&(profile.lang, profile.slug.clone())).ok_or_else(|| {
                StoreError::Stale(format!("{} changed in the store since its file was last read", profile.source_path))
            })?;
            let job_description = content.job_descriptions.get(&(profile.lang, profile.slug.clone()));
            Ok((*profile, body.as_str(), job_description.map(String::as_str)))
        })
        .collect()
}

/// Runs `work` for the slugs of `keys`, a language and a bounded number of slugs at a time.
fn for_each_chunk(
    keys: &[ProfileKey],
    mut work: impl FnMut(Lang, &[&str]) -> QueryResult<usize>,
) -> Result<(), StoreError> {
    for lang in Lang::ALL {
        let slugs: Vec<&str> = keys.iter().filter(|(l, _)| l == lang.code()).map(|(_, slug)| slug.as_str()).collect();
        for chunk in slugs.chunks(CHUNK) {
            work(lang, chunk)?;
        }
    }
    Ok(())
}

fn delete_profile_parts(conn: &mut SqliteConnection, keys: &[ProfileKey]) -> Result<(), StoreError> {
    for_each_chunk(keys, |lang, slugs| {
        diesel::delete(
            profile_skills::table
                .filter(profile_skills::lang.eq(lang.code()))
                .filter(profile_skills::slug.eq_any(slugs)),
        )
        .execute(conn)?;
        diesel::delete(salaries::table.filter(salaries::lang.eq(lang.code())).filter(salaries::slug.eq_any(slugs)))
            .execute(conn)?;
        diesel::delete(
            profile_related::table
                .filter(profile_related::lang.eq(lang.code()))
                .filter(profile_related::slug.eq_any(slugs)),
        )
        .execute(conn)?;
        diesel::delete(
            profile_aliases::table
                .filter(profile_aliases::lang.eq(lang.code()))
                .filter(profile_aliases::slug.eq_any(slugs)),
        )
        .execute(conn)
    })
}

/// Two changed profiles may swap translation keys: each first gets a key no file can have
/// (`~` is not allowed in one), so the unique index never sees the same key twice.
fn free_translation_keys(conn: &mut SqliteConnection, keys: &[ProfileKey]) -> Result<(), StoreError> {
    for_each_chunk(keys, |lang, slugs| {
        diesel::update(profiles::table.filter(profiles::lang.eq(lang.code())).filter(profiles::slug.eq_any(slugs)))
            .set(profiles::translation_key.eq(diesel::dsl::sql::<diesel::sql_types::Text>("'~' || slug")))
            .execute(conn)
    })
}

fn profile_row<'a>(written: &Written<'a>) -> NewProfile<'a> {
    let &Written { profile, body_html, job_description, search_id } = written;
    NewProfile {
        lang: profile.lang.code(),
        slug: profile.slug.as_str(),
        translation_key: profile.translation_key.as_str(),
        title: &profile.title,
        summary: &profile.summary,
        category: &profile.category,
        contact_id: profile.contact.as_ref().map(Slug::as_str),
        updated: date_text(profile.updated),
        draft: profile.draft,
        body_html,
        toc_json: json(&profile.toc),
        source_path: &profile.source_path,
        publish_at: profile.publish_at.map(millis),
        source_hash: &profile.source_hash,
        search_id,
        job_description_markdown: job_description,
        isco: profile.isco.as_ref().map(IscoCode::as_str),
    }
}

fn insert_profile_parts<'a>(
    conn: &mut SqliteConnection,
    written: impl Iterator<Item = &'a Profile> + Clone,
) -> QueryResult<()> {
    let skills: Vec<SkillRow> = written
        .clone()
        .flat_map(|profile| {
            [(SkillKind::Hard, &profile.hard_skills), (SkillKind::Soft, &profile.soft_skills)].into_iter().flat_map(
                move |(kind, names)| {
                    names.iter().enumerate().map(move |(i, name)| SkillRow {
                        lang: profile.lang.code().into(),
                        slug: profile.slug.to_string(),
                        kind: kind.code().into(),
                        position: position(i),
                        name: name.clone(),
                    })
                },
            )
        })
        .collect();
    for chunk in skills.chunks(CHUNK) {
        diesel::insert_into(profile_skills::table).values(chunk).execute(conn)?;
    }
    let salary_rows: Vec<SalaryDbRow> = written
        .clone()
        .flat_map(|profile| {
            profile.salaries.iter().enumerate().map(move |(i, row)| SalaryDbRow {
                lang: profile.lang.code().into(),
                slug: profile.slug.to_string(),
                position: position(i),
                region: row.region().into(),
                currency: row.currency().code().into(),
                period: row.period().code().into(),
                min_amount: row.min().into(),
                max_amount: row.max().into(),
                median_amount: row.median().map(i64::from),
                source: row.source().into(),
                as_of: date_text(row.as_of()),
                level: row.level().map(|level| level.code().into()),
                engagement: row.engagement().code().into(),
                country: row.country().map(|country| country.to_string()),
            })
        })
        .collect();
    for chunk in salary_rows.chunks(CHUNK) {
        diesel::insert_into(salaries::table).values(chunk).execute(conn)?;
    }
    let related: Vec<RelatedRow> = written
        .clone()
        .flat_map(|profile| {
            profile.related.iter().enumerate().map(move |(i, slug)| RelatedRow {
                lang: profile.lang.code().into(),
                slug: profile.slug.to_string(),
                position: position(i),
                related_slug: slug.to_string(),
            })
        })
        .collect();
    for chunk in related.chunks(CHUNK) {
        diesel::insert_into(profile_related::table).values(chunk).execute(conn)?;
    }
    let aliases: Vec<AliasRow> = written
        .flat_map(|profile| {
            profile.aliases.iter().map(|path| AliasRow {
                path: path.clone(),
                lang: profile.lang.code().into(),
                slug: profile.slug.to_string(),
            })
        })
        .collect();
    for chunk in aliases.chunks(CHUNK) {
        diesel::insert_into(profile_aliases::table).values(chunk).execute(conn)?;
    }
    Ok(())
}

/// People are updated in place: profiles point at them. Those no longer in the folder are
/// deleted once no profile points at them.
fn upsert_people(conn: &mut SqliteConnection, people: &[Person]) -> QueryResult<()> {
    diesel::delete(person_texts::table).execute(conn)?;
    for person in people {
        let languages: Vec<&str> = person.languages.iter().map(|l| l.code()).collect();
        let row = NewPerson {
            id: person.id.as_str(),
            name: &person.name,
            email: &person.email,
            public_email: person.public_email.as_deref(),
            photo: &person.photo,
            languages: languages.join(","),
        };
        diesel::insert_into(people::table).values(&row).on_conflict(people::id).do_update().set(&row).execute(conn)?;
        let texts: Vec<PersonTextRow> = Lang::ALL
            .iter()
            .map(|&lang| PersonTextRow {
                person_id: person.id.to_string(),
                lang: lang.code().into(),
                role: person.text(lang).role.clone(),
                pitch: person.text(lang).pitch.clone(),
            })
            .collect();
        diesel::insert_into(person_texts::table).values(&texts).execute(conn)?;
    }
    Ok(())
}

fn insert_page(conn: &mut SqliteConnection, page: &Page) -> QueryResult<()> {
    diesel::insert_into(pages::table)
        .values(PageRow {
            lang: page.lang.code().into(),
            slug: page.slug.to_string(),
            translation_key: page.translation_key.to_string(),
            title: page.title.clone(),
            summary: page.summary.clone(),
            updated: date_text(page.updated),
            body_html: page.body.html.clone(),
            toc_json: json(&page.body.toc),
            source_path: page.source_path.clone(),
        })
        .execute(conn)?;
    Ok(())
}
