//! Row types: `New*` for inserts (borrowing), plain ones for reads.

use diesel::prelude::*;

use super::schema::{
    pages, people, person_texts, profile_aliases, profile_related, profile_skills, profiles, salaries, site_settings,
};

#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = site_settings)]
pub struct SiteSettingsRow {
    pub id: i32,
    pub settings_json: String,
}

/// `None` is written as NULL, so that a removed `public_email` is cleared on update.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = people, treat_none_as_null = true)]
pub struct NewPerson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub public_email: Option<&'a str>,
    pub photo: &'a str,
    pub languages: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = people)]
pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub public_email: Option<String>,
    pub photo: String,
    pub languages: String,
}

#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = person_texts)]
pub struct PersonTextRow {
    pub person_id: String,
    pub lang: String,
    pub role: String,
    pub pitch: String,
}

/// `None` is written as NULL, so that many rows fit one INSERT.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = profiles, treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct NewProfile<'a> {
    pub lang: &'a str,
    pub slug: &'a str,
    pub translation_key: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub category: &'a str,
    pub contact_id: Option<&'a str>,
    pub updated: String,
    pub draft: bool,
    pub body_html: &'a str,
    pub toc_json: String,
    pub source_path: &'a str,
    pub publish_at: Option<i64>,
    pub source_hash: &'a str,
    pub search_id: i64,
    pub job_description_markdown: Option<&'a str>,
    pub isco: Option<&'a str>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = profiles)]
pub struct ProfileRow {
    pub lang: String,
    pub slug: String,
    pub translation_key: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub contact_id: Option<String>,
    pub updated: String,
    pub draft: bool,
    pub toc_json: String,
    pub source_path: String,
    pub publish_at: Option<i64>,
    pub source_hash: String,
    pub isco: Option<String>,
}

// Rows written in batches say `treat_none_as_default_value = false`: otherwise any column might be
// left to its default, and diesel sends a batch to SQLite one statement per row.
#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = profile_skills, treat_none_as_default_value = false)]
pub struct SkillRow {
    pub lang: String,
    pub slug: String,
    pub kind: String,
    pub position: i32,
    pub name: String,
}

#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = salaries, treat_none_as_default_value = false)]
pub struct SalaryDbRow {
    pub lang: String,
    pub slug: String,
    pub position: i32,
    pub region: String,
    pub currency: String,
    pub period: String,
    pub min_amount: i64,
    pub max_amount: i64,
    pub median_amount: Option<i64>,
    pub source: String,
    pub as_of: String,
    pub level: Option<String>,
    pub engagement: String,
    pub country: Option<String>,
}

#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = profile_related, treat_none_as_default_value = false)]
pub struct RelatedRow {
    pub lang: String,
    pub slug: String,
    pub position: i32,
    pub related_slug: String,
}

#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = profile_aliases, treat_none_as_default_value = false)]
pub struct AliasRow {
    pub path: String,
    pub lang: String,
    pub slug: String,
}

#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = pages)]
pub struct PageRow {
    pub lang: String,
    pub slug: String,
    pub translation_key: String,
    pub title: String,
    pub summary: String,
    pub updated: String,
    pub body_html: String,
    pub toc_json: String,
    pub source_path: String,
}
