//! Full-text search over published profiles (SQLite FTS5, one index per language). Any text a
//! visitor types becomes a query of quoted words, so FTS5 syntax in it is only ever searched for.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};

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

/// Adds profiles just written to the index (drafts stay out), with their body's words, each
/// under its search id.
pub fn index(conn: &mut SqliteConnection, profiles: &[(&Profile, &str, i64)]) -> QueryResult<()> {
    const ROWS_PER_INSERT: usize = 200;
    for lang in Lang::ALL {
        let entries: Vec<&(&Profile, &str, i64)> =
            profiles.iter().filter(|(profile, _, _)| profile.lang == lang && !profile.draft).collect();
        for chunk in entries.chunks(ROWS_PER_INSERT) {
            let values = vec!["(?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
            let mut insert = diesel::sql_query(format!(
                "INSERT INTO {} (rowid, slug, title, skills, summary, body) VALUES {values}",
                table(lang)
            ))
            .into_boxed::<Sqlite>();
            for &&(profile, body_html, search_id) in chunk {
                let skills = profile.hard_skills.iter().chain(&profile.soft_skills).cloned().collect::<Vec<_>>();
                insert = insert
                    .bind::<BigInt, _>(search_id)
                    .bind::<Text, _>(profile.slug.as_str())
                    .bind::<Text, _>(profile.title.as_str())
                    .bind::<Text, _>(skills.join(", "))
                    .bind::<Text, _>(profile.summary.as_str())
                    .bind::<Text, _>(plain_text(body_html));
            }
            insert.execute(conn)?;
        }
    }
    Ok(())
}

/// Words of what a visitor typed, as an FTS5 query: each word quoted, the last one a prefix
/// when it has at least `MIN_PREFIX` letters. `None` when there is no word to look for.
pub fn fts_query(input: &str) -> Option<String> {
    const MAX_WORDS: usize = 12;
    const MAX_WORD: usize = 60;
    // Without prefix indexes (they cost a third of an import), `a*` reads every term starting
    // with `a` in the whole index; two-letter words (`Go`, `QA`, `UX`) are meant whole anyway.
    const MIN_PREFIX: usize = 3;
    let words: Vec<String> = input
        .chars()
        .take(500)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .map(|w| w.chars().take(MAX_WORD).collect())
        .collect();
    let (last, rest) = words.split_last()?;
    let mut query: Vec<String> = rest.iter().map(|w| format!("\"{w}\"")).collect();
    let prefix = if last.chars().count() >= MIN_PREFIX { "*" } else { "" };
    query.push(format!("\"{last}\"{prefix}"));
    Some(query.join(" "))
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

#[derive(Debug, Clone)]
pub struct SearchHit {
    pub slug: String,
    /// The text around the match; matched words between `\u{2}` and `\u{3}`.
    pub snippet: String,
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

#[derive(QueryableByName)]
struct Snippet {
    #[diesel(sql_type = Text)]
    snippet: String,
}

/// Every profile that is not a draft, with its search id: (search id, language, slug).
pub fn indexed_profiles(conn: &mut SqliteConnection) -> QueryResult<Vec<(i64, String, String)>> {
    use crate::db::schema::profiles;
    let rows: Vec<(Option<i64>, String, String)> = profiles::table
        .filter(profiles::search_id.is_not_null().and(profiles::draft.eq(false)))
        .select((profiles::search_id, profiles::lang, profiles::slug))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(id, lang, slug)| Some((id?, lang, slug))).collect())
}

/// One page of hits, best first (FTS5's `rank`: bm25 with the weights the search migration set),
/// and how many there are in all. FTS5 hands over row ids, what a row is comes from `rows`, and
/// snippets are made for the page alone.
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
        && rows.covers_the_index()
        && let Some(found) = top_of_index(conn, lang, query, rows, offset, limit)?
    {
        return Ok(found);
    }
    every_match(conn, lang, query, rows, filter, offset, limit)
}

/// `{t}` is the index table of the language.
const SNIPPET: &str = "snippet({t}, -1, char(2), char(3), '…', 24) AS snippet";

#[derive(QueryableByName)]
struct RankedHit {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    snippet: String,
}

fn hit(profile: &Profile, snippet: String) -> SearchHit {
    SearchHit { slug: profile.slug.as_str().to_owned(), snippet }
}

/// The page as FTS5 ranks it, `LIMIT` inside the index so that only the page gets snippets, and
/// the matches as FTS5 counts them (no ranking needed): right when every row is a profile this
/// version publishes. `None` when a row turns out not to be (the index changed since `rows`
/// was read).
fn top_of_index(
    conn: &mut SqliteConnection,
    lang: Lang,
    query: &str,
    rows: &SearchRows,
    offset: i64,
    limit: i64,
) -> QueryResult<Option<(Vec<SearchHit>, i64)>> {
    let t = table(lang);
    let ranked: Vec<RankedHit> = diesel::sql_query(format!(
        "SELECT rowid AS id, {} FROM {t} WHERE {t} MATCH ?1 ORDER BY rank LIMIT ?2 OFFSET ?3",
        SNIPPET.replace("{t}", t)
    ))
    .bind::<Text, _>(query)
    .bind::<BigInt, _>(limit)
    .bind::<BigInt, _>(offset)
    .load(conn)?;
    let Some(hits) =
        ranked.into_iter().map(|RankedHit { id, snippet }| Some(hit(rows.profile(lang, id)?, snippet))).collect()
    else {
        return Ok(None);
    };
    let total: Total = diesel::sql_query(format!("SELECT count(*) AS n FROM {t} WHERE {t} MATCH ?1"))
        .bind::<Text, _>(query)
        .get_result(conn)?;
    Ok(Some((hits, total.n)))
}

/// Every match in rank order, each looked up in `rows` and kept when `filter` takes it: for
/// filtered searches, and while the index holds rows this version does not publish.
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
    let admitted = ranked
        .into_iter()
        .filter_map(|RowId { id }| Some((id, rows.profile(lang, id).filter(|profile| filter.admits(profile))?)));
    let (offset, limit) = (usize::try_from(offset).unwrap_or(0), usize::try_from(limit).unwrap_or(0));
    let (mut page, mut total) = (Vec::with_capacity(limit), 0);
    for found in admitted {
        if total >= offset && page.len() < limit {
            page.push(found);
        }
        total += 1;
    }
    let mut hits = Vec::with_capacity(page.len());
    for (id, profile) in page {
        let snippet: Snippet = diesel::sql_query(format!(
            "SELECT {} FROM {t} WHERE {t} MATCH ?1 AND rowid = ?2",
            SNIPPET.replace("{t}", t)
        ))
        .bind::<Text, _>(query)
        .bind::<BigInt, _>(id)
        .get_result(conn)?;
        hits.push(hit(profile, snippet.snippet));
    }
    Ok((hits, i64::try_from(total).unwrap_or(i64::MAX)))
}

/// A slug from the index, checked.
pub fn hit_slug(hit: &SearchHit) -> Option<Slug> {
    Slug::parse(&hit.slug).ok()
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn typed_text_becomes_quoted_words_with_a_prefix_on_the_last() {
        assert_eq!(fts_query("Backend Entw").as_deref(), Some("\"Backend\" \"Entw\"*"));
        assert_eq!(fts_query("\"a\" NEAR(b AND c*").as_deref(), Some("\"a\" \"NEAR\" \"b\" \"AND\" \"c\""));
        assert_eq!(fts_query("sc"), Some("\"sc\"".into()), "no prefix below three letters");
        assert_eq!(fts_query("Go ü"), Some("\"Go\" \"ü\"".into()));
        assert_eq!(fts_query("scr"), Some("\"scr\"*".into()));
        assert_eq!(fts_query("  ((( **  "), None);
        assert_eq!(fts_query(""), None);
        assert!(fts_query(&"x".repeat(10_000)).is_some_and(|q| q.len() < 100));
    }
}
