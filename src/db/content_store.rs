//! Writing a whole checked content tree, and reading it back as domain values.

use std::collections::HashMap;

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

/// Replaces everything loaded before with `content`, in one immediate transaction.
/// Running it twice with the same content leaves the same rows.
pub fn replace_content(conn: &mut SqliteConnection, content: &SiteContent) -> Result<(), StoreError> {
    conn.immediate_transaction(|conn| {
        let before = stored_paths(conn, false)?;
        diesel::delete(pages::table).execute(conn)?;
        diesel::delete(profiles::table).execute(conn)?;
        diesel::delete(people::table).execute(conn)?;
        diesel::delete(site_settings::table).execute(conn)?;

        diesel::insert_into(site_settings::table)
            .values(SiteSettingsRow { id: 1, settings_json: json(&content.site) })
            .execute(conn)?;
        for person in &content.people {
            insert_person(conn, person)?;
        }
        for profile in &content.profiles {
            insert_profile(conn, profile)?;
        }
        for profile in &content.profiles {
            let related: Vec<RelatedRow> = profile
                .related
                .iter()
                .enumerate()
                .map(|(i, slug)| RelatedRow {
                    lang: profile.lang.code().into(),
                    slug: profile.slug.to_string(),
                    position: position(i),
                    related_slug: slug.to_string(),
                })
                .collect();
            diesel::insert_into(profile_related::table).values(&related).execute(conn)?;
        }
        for page in &content.pages {
            insert_page(conn, page)?;
        }
        super::search::replace_index(conn, &content.profiles)?;
        retire_removed_paths(conn, &before)?;
        Ok(())
    })
}

fn insert_person(conn: &mut SqliteConnection, person: &Person) -> QueryResult<()> {
    let languages: Vec<&str> = person.languages.iter().map(|l| l.code()).collect();
    diesel::insert_into(people::table)
        .values(NewPerson {
            id: person.id.as_str(),
            name: &person.name,
            email: &person.email,
            photo: &person.photo,
            languages: languages.join(","),
        })
        .execute(conn)?;
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
    Ok(())
}

fn insert_profile(conn: &mut SqliteConnection, profile: &Profile) -> QueryResult<()> {
    let lang = profile.lang.code();
    let slug = profile.slug.as_str();
    diesel::insert_into(profiles::table)
        .values(NewProfile {
            lang,
            slug,
            translation_key: profile.translation_key.as_str(),
            title: &profile.title,
            summary: &profile.summary,
            category: &profile.category,
            contact_id: profile.contact.as_ref().map(Slug::as_str),
            updated: date_text(profile.updated),
            draft: profile.draft,
            body_markdown: &profile.body_markdown,
            body_html: &profile.body.html,
            toc_json: json(&profile.body.toc),
            source_path: &profile.source_path,
            publish_at: profile
                .publish_at
                .map(|at| i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)),
        })
        .execute(conn)?;

    let skills: Vec<SkillRow> = [(SkillKind::Hard, &profile.hard_skills), (SkillKind::Soft, &profile.soft_skills)]
        .into_iter()
        .flat_map(|(kind, names)| {
            names.iter().enumerate().map(move |(i, name)| SkillRow {
                lang: lang.into(),
                slug: slug.into(),
                kind: kind.code().into(),
                position: position(i),
                name: name.clone(),
            })
        })
        .collect();
    diesel::insert_into(profile_skills::table).values(&skills).execute(conn)?;

    let rows: Vec<SalaryDbRow> = profile
        .salaries
        .iter()
        .enumerate()
        .map(|(i, row)| SalaryDbRow {
            lang: lang.into(),
            slug: slug.into(),
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
        .collect();
    diesel::insert_into(salaries::table).values(&rows).execute(conn)?;

    let aliases: Vec<AliasRow> = profile
        .aliases
        .iter()
        .map(|path| AliasRow { path: path.clone(), lang: lang.into(), slug: slug.into() })
        .collect();
    diesel::insert_into(profile_aliases::table).values(&aliases).execute(conn)?;
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
            body_markdown: page.body_markdown.clone(),
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

type ProfileKey = (String, String);

/// Reads back everything the last import stored, in a stable order.
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
        Ok(SiteContent { site, people, profiles, pages })
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
                body_markdown: row.body_markdown,
                body: RenderedMarkdown { html: row.body_html, toc: from_json("table of contents", &row.toc_json)? },
                source_path: row.source_path,
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
        body_markdown: row.body_markdown,
        body: RenderedMarkdown { html: row.body_html, toc: from_json("table of contents", &row.toc_json)? },
        source_path: row.source_path,
    })
}
