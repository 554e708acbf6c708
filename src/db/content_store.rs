//! Writing a whole checked content tree, and reading it back as domain values.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use time::Date;

use super::models::{
    AliasRow, NewPerson, NewProfile, PageRow, PersonRow, PersonTextRow, ProfileRow, RelatedRow, SalaryDbRow,
    SiteSettingsRow, SkillRow,
};
use super::schema::{
    pages, people, person_texts, profile_aliases, profile_related, profile_skills, profiles, retired_paths, salaries,
    site_settings,
};
use crate::domain::{
    ISO_DATE, Lang, Page, Person, PersonText, Profile, RenderedMarkdown, SalaryRow, SalaryRowParts, SiteContent,
    SkillKind, Slug,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database query failed")]
    Query(#[from] diesel::result::Error),
    #[error("stored content is inconsistent: {0}")]
    Corrupt(String),
    #[error("the store no longer holds what was loaded before: {0}")]
    Stale(String),
}

fn date_text(date: Date) -> String {
    date.format(ISO_DATE).unwrap_or_default()
}

fn parse_date(text: &str) -> Result<Date, StoreError> {
    Date::parse(text, ISO_DATE).map_err(|e| StoreError::Corrupt(format!("date `{text}`: {e}")))
}

fn parse<T: std::str::FromStr>(what: &str, text: &str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e| StoreError::Corrupt(format!("{what} `{text}`: {e}")))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

/// What a publish wrote: profiles whose file was unchanged are left as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreReport {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

/// Rows per statement when many profiles are written at once (SQLite takes 32,766 parameters).
const CHUNK: usize = 500;

type ProfileKey = (String, String);

fn key_of(profile: &Profile) -> ProfileKey {
    (profile.lang.code().to_owned(), profile.slug.to_string())
}

/// Makes the store hold `content`, in one immediate transaction. Profiles are compared by the
/// fingerprint of their file: unchanged ones are not touched, changed ones are updated in place
/// (so other profiles' links to them stay), new ones inserted, missing ones deleted. People,
/// pages and settings are few and written whole. Storing the same content twice changes nothing.
/// Returns what was written and the paths of removed profiles and pages, read in the same
/// transaction so that nothing can fail between the commit and serving what was committed.
pub fn store_content(
    conn: &mut SqliteConnection,
    content: &SiteContent,
) -> Result<(StoreReport, Vec<String>), StoreError> {
    conn.immediate_transaction(|conn| {
        let before = stored_paths(conn, false)?;
        let stored: HashMap<ProfileKey, String> = profiles::table
            .select((profiles::lang, profiles::slug, profiles::source_hash))
            .load::<(String, String, String)>(conn)?
            .into_iter()
            .map(|(lang, slug, hash)| ((lang, slug), hash))
            .collect();
        let wanted: HashSet<ProfileKey> = content.profiles.iter().map(|p| key_of(p)).collect();
        let removed: Vec<&ProfileKey> = stored.keys().filter(|key| !wanted.contains(*key)).collect();
        let (mut added, mut changed) = (Vec::new(), Vec::new());
        for profile in content.profiles.iter().map(Arc::as_ref) {
            match stored.get(&key_of(profile)) {
                None => added.push(profile),
                Some(hash) if *hash != profile.source_hash => changed.push(profile),
                Some(_) => {}
            }
        }
        let changed_keys: Vec<ProfileKey> = changed.iter().map(|p| key_of(p)).collect();

        upsert_people(conn, &content.people)?;
        let removed: Vec<ProfileKey> = removed.into_iter().cloned().collect();
        let leaving: Vec<ProfileKey> = removed.iter().chain(&changed_keys).cloned().collect();
        for_each_chunk(&leaving, |lang, slugs| super::search::unindex(conn, lang, slugs))?;
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
        let written: Vec<(&Profile, &str, i64)> =
            changed.iter().chain(&added).map(|&(profile, body)| (profile, body, search_id())).collect();
        let (changed, added) = written.split_at(changed.len());
        for &(profile, body, search_id) in changed {
            let row = profile_row(profile, body, search_id);
            diesel::update(profiles::table.find((row.lang, row.slug))).set(&row).execute(conn)?;
        }
        for chunk in added.chunks(CHUNK) {
            let rows: Vec<NewProfile> =
                chunk.iter().map(|&(profile, body, id)| profile_row(profile, body, id)).collect();
            diesel::insert_into(profiles::table).values(&rows).execute(conn)?;
        }
        insert_profile_parts(conn, written.iter().map(|(profile, _, _)| *profile))?;
        super::search::index(conn, &written)?;

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
        retire_removed_paths(conn, &before)?;
        let report = StoreReport { added: added.len(), changed: changed.len(), removed: removed.len() };
        Ok((report, read_retired_paths(conn)?))
    })
}

/// Profiles to write, each with its body: only profiles read from their files have one.
fn with_bodies<'a>(
    content: &'a SiteContent,
    profiles: &[&'a Profile],
) -> Result<Vec<(&'a Profile, &'a str)>, StoreError> {
    profiles
        .iter()
        .map(|profile| {
            let body = content.profile_html.get(&(profile.lang, profile.slug.clone())).ok_or_else(|| {
                StoreError::Stale(format!("{} changed in the store since its file was last read", profile.source_path))
            })?;
            Ok((*profile, body.as_str()))
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

fn profile_row<'a>(profile: &'a Profile, body_html: &'a str, search_id: i64) -> NewProfile<'a> {
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
        publish_at: profile
            .publish_at
            .map(|at| i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)),
        source_hash: &profile.source_hash,
        search_id,
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

/// Paths of profiles and pages as stored now: public ones, or with `all`, drafts and scheduled ones too.
fn stored_paths(conn: &mut SqliteConnection, all: bool) -> Result<Vec<String>, StoreError> {
    let now = i64::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
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
        Ok(if of_profile { lang.profile_path(&slug) } else { lang.page_path(&slug) })
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
fn retire_removed_paths(conn: &mut SqliteConnection, before: &[String]) -> Result<(), StoreError> {
    let now: std::collections::HashSet<String> = stored_paths(conn, true)?.into_iter().collect();
    let today = date_text(time::OffsetDateTime::now_utc().date());
    for path in before.iter().filter(|p| !now.contains(*p)) {
        diesel::insert_or_ignore_into(retired_paths::table)
            .values((retired_paths::path.eq(path), retired_paths::retired_at.eq(&today)))
            .execute(conn)?;
    }
    let back: Vec<&String> = now.iter().collect();
    diesel::delete(retired_paths::table.filter(retired_paths::path.eq_any(back))).execute(conn)?;
    Ok(())
}

/// Paths of profiles and pages that were removed.
pub fn read_retired_paths(conn: &mut SqliteConnection) -> Result<Vec<String>, StoreError> {
    Ok(retired_paths::table.select(retired_paths::path).load(conn)?)
}

/// The body of a stored profile, read when its page is rendered.
pub fn profile_html(conn: &mut SqliteConnection, lang: Lang, slug: &Slug) -> QueryResult<Option<String>> {
    profiles::table.find((lang.code(), slug.as_str())).select(profiles::body_html).first(conn).optional()
}

/// Reads back everything the last import stored, in a stable order; profiles without their body.
pub fn read_content(conn: &mut SqliteConnection) -> Result<SiteContent, StoreError> {
    conn.transaction(|conn| {
        let settings: SiteSettingsRow = site_settings::table.select(SiteSettingsRow::as_select()).first(conn)?;
        let site = from_json("site settings", &settings.settings_json)?;
        let people = read_people(conn)?;
        let profiles = read_profiles(conn)?;
        let pages = pages::table
            .order((pages::lang, pages::slug))
            .select(PageRow::as_select())
            .load(conn)?
            .into_iter()
            .map(page_from_row)
            .collect::<Result<_, _>>()?;
        let profiles = profiles.into_iter().map(Arc::new).collect();
        Ok(SiteContent { site, people, profiles, pages, profile_html: HashMap::new() })
    })
}

fn read_people(conn: &mut SqliteConnection) -> Result<Vec<Person>, StoreError> {
    let mut texts: HashMap<(String, String), PersonText> = person_texts::table
        .select(PersonTextRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| ((row.person_id, row.lang), PersonText { role: row.role, pitch: row.pitch }))
        .collect();
    let rows: Vec<PersonRow> = people::table.order(people::id).select(PersonRow::as_select()).load(conn)?;
    rows.into_iter()
        .map(|row| {
            let mut text = |lang: Lang| {
                texts
                    .remove(&(row.id.clone(), lang.code().to_owned()))
                    .ok_or_else(|| StoreError::Corrupt(format!("person {} has no {lang} text", row.id)))
            };
            let (en, de) = (text(Lang::En)?, text(Lang::De)?);
            Ok(Person {
                id: parse("person id", &row.id)?,
                languages: row.languages.split(',').map(|code| parse("language", code)).collect::<Result<_, _>>()?,
                name: row.name,
                email: row.email,
                photo: row.photo,
                en,
                de,
            })
        })
        .collect()
}

fn read_profiles(conn: &mut SqliteConnection) -> Result<Vec<Profile>, StoreError> {
    let mut hard: HashMap<ProfileKey, Vec<String>> = HashMap::new();
    let mut soft: HashMap<ProfileKey, Vec<String>> = HashMap::new();
    for row in profile_skills::table
        .order((profile_skills::lang, profile_skills::slug, profile_skills::kind, profile_skills::position))
        .select(SkillRow::as_select())
        .load(conn)?
    {
        let list = if row.kind == SkillKind::Hard.code() { &mut hard } else { &mut soft };
        list.entry((row.lang, row.slug)).or_default().push(row.name);
    }
    let mut salary_rows: HashMap<ProfileKey, Vec<SalaryRow>> = HashMap::new();
    for row in salaries::table
        .order((salaries::lang, salaries::slug, salaries::position))
        .select(SalaryDbRow::as_select())
        .load(conn)?
    {
        let amount =
            |value: i64| u32::try_from(value).map_err(|e| StoreError::Corrupt(format!("salary amount {value}: {e}")));
        let salary = SalaryRow::new(SalaryRowParts {
            region: row.region,
            currency: parse("currency", &row.currency)?,
            period: parse("period", &row.period)?,
            min: amount(row.min_amount)?,
            max: amount(row.max_amount)?,
            median: row.median_amount.map(amount).transpose()?,
            source: row.source,
            as_of: parse_date(&row.as_of)?,
        })
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        salary_rows.entry((row.lang, row.slug)).or_default().push(salary);
    }
    let mut related: HashMap<ProfileKey, Vec<Slug>> = HashMap::new();
    for row in profile_related::table
        .order((profile_related::lang, profile_related::slug, profile_related::position))
        .select(RelatedRow::as_select())
        .load(conn)?
    {
        related.entry((row.lang, row.slug)).or_default().push(parse("related slug", &row.related_slug)?);
    }
    let mut aliases: HashMap<ProfileKey, Vec<String>> = HashMap::new();
    for row in profile_aliases::table.order(profile_aliases::path).select(AliasRow::as_select()).load(conn)? {
        aliases.entry((row.lang, row.slug)).or_default().push(row.path);
    }

    let rows: Vec<ProfileRow> =
        profiles::table.order((profiles::lang, profiles::slug)).select(ProfileRow::as_select()).load(conn)?;
    rows.into_iter()
        .map(|row| {
            let key = (row.lang.clone(), row.slug.clone());
            Ok(Profile {
                lang: parse("language", &row.lang)?,
                slug: parse("slug", &row.slug)?,
                translation_key: parse("translation key", &row.translation_key)?,
                title: row.title,
                summary: row.summary,
                category: row.category,
                hard_skills: hard.remove(&key).unwrap_or_default(),
                soft_skills: soft.remove(&key).unwrap_or_default(),
                salaries: salary_rows.remove(&key).unwrap_or_default(),
                related: related.remove(&key).unwrap_or_default(),
                contact: row.contact_id.as_deref().map(|id| parse("contact", id)).transpose()?,
                updated: parse_date(&row.updated)?,
                draft: row.draft,
                publish_at: row
                    .publish_at
                    .map(|ms| time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000))
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(format!("publish_at: {e}")))?,
                aliases: aliases.remove(&key).unwrap_or_default(),
                toc: from_json("table of contents", &row.toc_json)?,
                source_path: row.source_path,
                source_hash: row.source_hash,
            })
        })
        .collect()
}

fn page_from_row(row: PageRow) -> Result<Page, StoreError> {
    Ok(Page {
        lang: parse("language", &row.lang)?,
        slug: parse("slug", &row.slug)?,
        translation_key: parse("translation key", &row.translation_key)?,
        title: row.title,
        summary: row.summary,
        updated: parse_date(&row.updated)?,
        body: RenderedMarkdown { html: row.body_html, toc: from_json("table of contents", &row.toc_json)? },
        source_path: row.source_path,
    })
}
