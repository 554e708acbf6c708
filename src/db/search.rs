//! Full-text search over published profiles (SQLite FTS5, one index per language). Queries are
//! made by `search_words::SearchWords`, so FTS5 syntax a visitor types is only ever searched for.

use std::sync::Arc;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};

use crate::db::content_store::Written;
use crate::domain::{Lang, Profile, Slug, plain_text};
use crate::search_rows::SearchRows;

fn table(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "search_en",
        Lang::De => "search_de",
    }
}

/// Takes profiles of one language out of the index, by the search id stored with each profile.
pub fn unindex(conn: &mut SqliteConnection, lang: Lang, slugs: &[&str]) -> QueryResult<usize> {
    let table = table(lang);
    diesel::sql_query(format!(
        "DELETE FROM {table} WHERE rowid IN \
         (SELECT search_id FROM profiles WHERE lang = ?1 AND slug IN (SELECT value FROM json_each(?2)))"
    ))
    .bind::<Text, _>(lang.code())
    .bind::<Text, _>(serde_json::to_string(slugs).unwrap_or_default())
    .execute(conn)
}

/// Adds profiles just written to the index (drafts stay out), with the words of their body and
/// job-description template, each under its search id. The words of the next rows are taken out
/// of their HTML on a second thread while SQLite indexes the rows before them.
pub fn index(conn: &mut SqliteConnection, profiles: &[Written<'_>]) -> QueryResult<()> {
    const ROWS_PER_INSERT: usize = 200;
    let batches: Vec<(Lang, Vec<&Written<'_>>)> = Lang::ALL
        .iter()
        .flat_map(|&lang| {
            let entries: Vec<&Written<'_>> =
                profiles.iter().filter(|written| written.profile.lang == lang && !written.profile.draft).collect();
            entries.chunks(ROWS_PER_INSERT).map(|chunk| (lang, chunk.to_vec())).collect::<Vec<_>>()
        })
        .collect();
    std::thread::scope(|scope| {
        let (send, received) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || {
            for (lang, batch) in batches {
                let rows: Vec<IndexRow<'_>> = batch.into_iter().map(IndexRow::of).collect();
                // Nobody receives once an insert failed: the rest is not needed.
                if send.send((lang, rows)).is_err() {
                    break;
                }
            }
        });
        received.into_iter().try_for_each(|(lang, rows)| insert_rows(conn, lang, rows))
    })
}

/// A row of a language's index, as FTS5 is given it.
struct IndexRow<'a> {
    written: &'a Written<'a>,
    skills: String,
    words: String,
}

impl<'a> IndexRow<'a> {
    fn of(written: &'a Written<'a>) -> IndexRow<'a> {
        let mut words = plain_text(written.body_html);
        // The template as written: the index's tokenizer drops Markdown's `#`, `-`, `*` and
        // brackets as it drops all punctuation, so its words are found all the same.
        if let Some(template) = written.job_description {
            words.push('\n');
            words.push_str(template);
        }
        let profile = written.profile;
        let skills = profile.hard_skills.iter().chain(&profile.soft_skills).cloned().collect::<Vec<_>>().join(", ");
        IndexRow { written, skills, words }
    }
}

fn insert_rows(conn: &mut SqliteConnection, lang: Lang, rows: Vec<IndexRow<'_>>) -> QueryResult<()> {
    let values = vec!["(?, ?, ?, ?, ?, ?)"; rows.len()].join(", ");
    let mut insert = diesel::sql_query(format!(
        "INSERT INTO {} (rowid, slug, title, skills, summary, body) VALUES {values}",
        table(lang)
    ))
    .into_boxed::<Sqlite>();
    for IndexRow { written, skills, words } in rows {
        let profile = written.profile;
        insert = insert
            .bind::<BigInt, _>(written.search_id)
            .bind::<Text, _>(profile.slug.as_str())
            .bind::<Text, _>(profile.title.as_str())
            .bind::<Text, _>(skills)
            .bind::<Text, _>(profile.summary.as_str())
            .bind::<Text, _>(words);
    }
    insert.execute(conn)?;
    Ok(())
}

/// What narrows a search besides its words.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    pub category: Option<String>,
    pub skill: Option<String>,
}

impl SearchFilter {
    fn is_empty(&self) -> bool {
        self.category.is_none() && self.skill.is_none()
    }

    fn admits(&self, profile: &Profile) -> bool {
        self.category.as_ref().is_none_or(|category| *category == profile.category)
            && self
                .skill
                .as_ref()
                .is_none_or(|skill| profile.hard_skills.iter().chain(&profile.soft_skills).any(|name| name == skill))
    }
}

/// One result: the published profile a row of the index holds.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub profile: Arc<Profile>,
}

/// A row of a language's index and the profile the store says it holds.
pub struct IndexedRow {
    pub id: i64,
    pub lang: Lang,
    pub slug: Slug,
}

#[derive(QueryableByName)]
struct RowId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Every profile that is not a draft, under its search id. The store holds only languages and
/// slugs it was given parsed, so one that does not parse is a corrupt row.
pub fn indexed_profiles(conn: &mut SqliteConnection) -> QueryResult<Vec<IndexedRow>> {
    use crate::db::schema::profiles;
    let rows: Vec<(Option<i64>, String, String)> = profiles::table
        .filter(profiles::search_id.is_not_null().and(profiles::draft.eq(false)))
        .select((profiles::search_id, profiles::lang, profiles::slug))
        .load(conn)?;
    rows.into_iter()
        .filter_map(|(id, lang, slug)| Some((id?, lang, slug)))
        .map(|(id, lang, slug)| {
            let corrupt = |what: String| diesel::result::Error::DeserializationError(what.into());
            Ok(IndexedRow {
                id,
                lang: lang.parse().map_err(|_| corrupt(format!("the language {lang:?} of search row {id}")))?,
                slug: Slug::parse(&slug).map_err(|_| corrupt(format!("the slug {slug:?} of search row {id}")))?,
            })
        })
        .collect()
}
/// One page of hits, best first (FTS5's `rank`: bm25 with the weights the search migration set),
/// and how many there are in all. FTS5 hands over row ids; what a row is comes from `rows`.
pub fn search(
    conn: &mut SqliteConnection,
    lang: Lang,
    query: &str,
    rows: &SearchRows,
    filter: &SearchFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<SearchHit>, i64)> {
    if filter.is_empty()
        && let Some(found) = top_of_index(conn, lang, query, rows, offset, limit)?
    {
        return Ok(found);
    }
    every_match(conn, lang, query, rows, filter, offset, limit)
}

/// Past this many indexed rows that this version does not publish (scheduled profiles), a
/// search walks every match instead of asking FTS5 for that many rows more than a page.
const MAX_HIDDEN_ROWS: usize = 100;

/// The page as FTS5 ranks it, `LIMIT` inside the index, and the matches as FTS5 counts them (no
/// ranking needed). Rows this version does not publish are asked for in excess and left out,
/// and left out of the count. `None` when there are too many of them, or when a row turns out
/// to be unknown (the index changed since `rows` was read).
fn top_of_index(
    conn: &mut SqliteConnection,
    lang: Lang,
    query: &str,
    rows: &SearchRows,
    offset: i64,
    limit: i64,
) -> QueryResult<Option<(Vec<SearchHit>, i64)>> {
    let t = table(lang);
    let hidden = rows.hidden(lang);
    if hidden.len() > MAX_HIDDEN_ROWS {
        return Ok(None);
    }
    // A hidden row ranked before the page moves the page: read from the first row then.
    let (skip, asked) = if hidden.is_empty() {
        (0, (offset, limit))
    } else {
        (offset, (0, offset + limit + i64::try_from(hidden.len()).unwrap_or(i64::MAX)))
    };
    let ranked: Vec<RowId> =
        diesel::sql_query(format!("SELECT rowid AS id FROM {t} WHERE {t} MATCH ?1 ORDER BY rank LIMIT ?2 OFFSET ?3"))
            .bind::<Text, _>(query)
            .bind::<BigInt, _>(asked.1)
            .bind::<BigInt, _>(asked.0)
            .load(conn)?;
    let mut hits = Vec::with_capacity(usize::try_from(limit).unwrap_or(0));
    for RowId { id } in ranked {
        match rows.profile(lang, id) {
            Some(profile) => hits.push(SearchHit { profile: profile.clone() }),
            None if hidden.contains(&id) => {}
            None => return Ok(None),
        }
    }
    let hits: Vec<SearchHit> =
        hits.into_iter().skip(usize::try_from(skip).unwrap_or(0)).take(usize::try_from(limit).unwrap_or(0)).collect();
    let total: Total = if hidden.is_empty() {
        diesel::sql_query(format!("SELECT count(*) AS n FROM {t} WHERE {t} MATCH ?1"))
            .bind::<Text, _>(query)
            .get_result(conn)?
    } else {
        diesel::sql_query(format!(
            "SELECT count(*) AS n FROM {t} WHERE {t} MATCH ?1 AND rowid NOT IN (SELECT value FROM json_each(?2))"
        ))
        .bind::<Text, _>(query)
        .bind::<Text, _>(serde_json::to_string(hidden).unwrap_or_default())
        .get_result(conn)?
    };
    Ok(Some((hits, total.n)))
}

/// Every match in rank order, each looked up in `rows` and kept when `filter` takes it: for
/// filtered searches, and while the index holds many rows this version does not publish.
fn every_match(
    conn: &mut SqliteConnection,
    lang: Lang,
    query: &str,
    rows: &SearchRows,
    filter: &SearchFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<SearchHit>, i64)> {
    let t = table(lang);
    let ranked: Vec<RowId> = diesel::sql_query(format!("SELECT rowid AS id FROM {t} WHERE {t} MATCH ?1 ORDER BY rank"))
        .bind::<Text, _>(query)
        .load(conn)?;
    let admitted =
        ranked.into_iter().filter_map(|RowId { id }| rows.profile(lang, id).filter(|profile| filter.admits(profile)));
    let (offset, limit) = (usize::try_from(offset).unwrap_or(0), usize::try_from(limit).unwrap_or(0));
    let (mut hits, mut total) = (Vec::with_capacity(limit), 0);
    for profile in admitted {
        if total >= offset && hits.len() < limit {
            hits.push(SearchHit { profile: profile.clone() });
        }
        total += 1;
    }
    Ok((hits, i64::try_from(total).unwrap_or(i64::MAX)))
}
