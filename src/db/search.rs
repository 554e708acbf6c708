//! Full-text search over published profiles (SQLite FTS5, one index per language). Any text a
//! visitor types becomes a query of quoted words, so FTS5 syntax in it is only ever searched for.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};

use super::millis::millis;
use crate::domain::{Lang, Profile, Slug, plain_text};

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

#[derive(Debug, Clone)]
pub struct SearchHit {
    pub slug: String,
    /// The text around the match; matched words between `\u{2}` and `\u{3}`.
    pub snippet: String,
    pub rank: f64,
}

#[derive(QueryableByName)]
struct Ranked {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = Double)]
    rank: f64,
}

#[derive(QueryableByName)]
struct Snippet {
    #[diesel(sql_type = Text)]
    snippet: String,
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// `{t}` is the index table of the language.
const WHERE: &str = "{t} MATCH ?1 \
     AND (?2 = '' OR p.category = ?2) \
     AND (p.publish_at IS NULL OR p.publish_at <= ?4) \
     AND (?3 = '' OR EXISTS (SELECT 1 FROM profile_skills s WHERE s.lang = p.lang AND s.slug = p.slug AND s.name = ?3))";

/// One page of hits, best first (bm25 with title and skills weighted above summary and body),
/// and how many there are in all.
pub fn search(
    conn: &mut SqliteConnection,
    lang: Lang,
    query: &str,
    filter: &SearchFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<SearchHit>, i64)> {
    let t = table(lang);
    let from = format!("{t} JOIN profiles p ON p.lang = '{}' AND p.slug = {t}.slug AND p.draft = 0", lang.code());
    let condition = WHERE.replace("{t}", t);
    let category = filter.category.clone().unwrap_or_default();
    let skill = filter.skill.clone().unwrap_or_default();
    let now = millis(time::OffsetDateTime::now_utc());
    let total: Total = diesel::sql_query(format!("SELECT count(*) AS n FROM {from} WHERE {condition}"))
        .bind::<Text, _>(query)
        .bind::<Text, _>(&category)
        .bind::<Text, _>(&skill)
        .bind::<BigInt, _>(now)
        .get_result(conn)?;
    // Ranking first, snippets after, for the page only: FTS5 would otherwise make a snippet for
    // every match before sorting them.
    let ranked: Vec<Ranked> = diesel::sql_query(format!(
        "SELECT {t}.rowid AS id, {t}.slug AS slug, bm25({t}, 0.0, 10.0, 5.0, 3.0, 1.0) AS rank \
         FROM {from} WHERE {condition} ORDER BY rank LIMIT ?5 OFFSET ?6"
    ))
    .bind::<Text, _>(query)
    .bind::<Text, _>(&category)
    .bind::<Text, _>(&skill)
    .bind::<BigInt, _>(now)
    .bind::<BigInt, _>(limit)
    .bind::<BigInt, _>(offset)
    .load(conn)?;
    let mut hits = Vec::with_capacity(ranked.len());
    for Ranked { id, slug, rank } in ranked {
        let snippet: Snippet = diesel::sql_query(format!(
            "SELECT snippet({t}, -1, char(2), char(3), '…', 24) AS snippet FROM {t} WHERE {t} MATCH ?1 AND rowid = ?2"
        ))
        .bind::<Text, _>(query)
        .bind::<BigInt, _>(id)
        .get_result(conn)?;
        hits.push(SearchHit { slug, snippet: snippet.snippet, rank });
    }
    Ok((hits, total.n))
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
