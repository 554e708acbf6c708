//! Reading the stored content back as domain values; profiles without their body, read per page.

use std::collections::HashMap;
use std::sync::Arc;

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::{ProfileKey, StoreError, from_json, parse, parse_date};
use crate::db::millis::checked_from_millis;
use crate::db::models::{
    AliasRow, PageRow, PersonRow, PersonTextRow, ProfileRow, RelatedRow, SalaryDbRow, SiteSettingsRow, SkillRow,
};
use crate::db::schema::{
    pages, people, person_texts, profile_aliases, profile_related, profile_skills, profiles, salaries, site_settings,
};
use crate::domain::{
    Lang, Page, Person, PersonText, Profile, RenderedMarkdown, SalaryRow, SalaryRowParts, SiteContent, SkillKind, Slug,
};

/// The body of a stored profile, read when its page is rendered.
pub fn profile_html(conn: &mut SqliteConnection, lang: Lang, slug: &Slug) -> QueryResult<Option<String>> {
    profiles::table.find((lang.code(), slug.as_str())).select(profiles::body_html).first(conn).optional()
}

/// The body of a stored profile and its job-description template, read when its page is rendered.
pub fn profile_texts(
    conn: &mut SqliteConnection,
    lang: Lang,
    slug: &Slug,
) -> QueryResult<Option<(String, Option<String>)>> {
    profiles::table
        .find((lang.code(), slug.as_str()))
        .select((profiles::body_html, profiles::job_description_markdown))
        .first(conn)
        .optional()
}

/// A stored profile's job-description template: `None` for a profile that is not stored, `Some(None)`
/// for one without a template.
pub fn job_description(conn: &mut SqliteConnection, lang: Lang, slug: &Slug) -> QueryResult<Option<Option<String>>> {
    profiles::table.find((lang.code(), slug.as_str())).select(profiles::job_description_markdown).first(conn).optional()
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
        Ok(SiteContent {
            site,
            people,
            profiles,
            pages,
            profile_html: HashMap::new(),
            job_descriptions: HashMap::new(),
        })
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
                public_email: row.public_email,
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
        let kind =
            SkillKind::from_code(&row.kind).ok_or_else(|| StoreError::Corrupt(format!("skill kind {:?}", row.kind)))?;
        let list = match kind {
            SkillKind::Hard => &mut hard,
            SkillKind::Soft => &mut soft,
        };
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
            country: row.country.as_deref().map(|code| parse("country", code)).transpose()?,
            level: row.level.as_deref().map(|code| parse("level", code)).transpose()?,
            engagement: parse("engagement", &row.engagement)?,
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
                isco: row.isco.as_deref().map(|code| parse("isco", code)).transpose()?,
                related: related.remove(&key).unwrap_or_default(),
                contact: row.contact_id.as_deref().map(|id| parse("contact", id)).transpose()?,
                updated: parse_date(&row.updated)?,
                draft: row.draft,
                publish_at: row
                    .publish_at
                    .map(checked_from_millis)
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
