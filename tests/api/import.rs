use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use jobprofiles::{content, db, publish};

use crate::helpers::repo_path;

#[derive(QueryableByName, Debug, PartialEq)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

const TABLES: &[&str] = &[
    "site_settings",
    "people",
    "person_texts",
    "profiles",
    "profile_skills",
    "salaries",
    "profile_related",
    "profile_aliases",
    "pages",
];

fn row_counts(pool: &db::DbPool) -> Vec<(&'static str, i64)> {
    let mut conn = pool.get().expect("connection");
    TABLES
        .iter()
        .map(|table| {
            let count: Count =
                diesel::sql_query(format!("SELECT count(*) AS n FROM {table}")).get_result(&mut conn).expect("count");
            (*table, count.n)
        })
        .collect()
}

fn stored(pool: &db::DbPool) -> String {
    format!("{:?}", db::read_content(&mut pool.get().expect("connection")).expect("readable"))
}

#[test]
fn importing_the_same_content_twice_leaves_the_same_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("import.db"), Duration::from_secs(5), 2).expect("database");
    publish::publish(&repo_path("content"), &pool, None).expect("first import");
    let (counts, rows) = (row_counts(&pool), stored(&pool));
    publish::publish(&repo_path("content"), &pool, None).expect("second import");
    assert_eq!(row_counts(&pool), counts);
    assert_eq!(stored(&pool), rows);
    assert!(counts.contains(&("profiles", 24)), "{counts:?}");
}

#[test]
fn a_new_import_replaces_everything_the_last_one_stored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("replace.db"), Duration::from_secs(5), 2).expect("database");
    publish::publish(&repo_path("content"), &pool, None).expect("full import");
    publish::publish(&repo_path("tests/fixtures/minimal"), &pool, None).expect("small import");
    let counts = row_counts(&pool);
    assert!(counts.contains(&("profiles", 2)), "{counts:?}");
    assert!(counts.contains(&("people", 1)), "{counts:?}");
    assert!(counts.contains(&("profile_aliases", 1)), "{counts:?}");
}

#[test]
fn the_store_gives_back_what_was_loaded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("roundtrip.db"), Duration::from_secs(5), 2).expect("database");
    let loaded = content::load(&repo_path("content")).expect("valid").content;
    db::replace_content(&mut pool.get().expect("connection"), &loaded).expect("stored");
    let back = db::read_content(&mut pool.get().expect("connection")).expect("read");
    assert_eq!(back.site, loaded.site);
    let mut people = loaded.people.clone();
    people.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(back.people, people);
    for profile in &loaded.profiles {
        let stored = back.profiles.iter().find(|p| p.lang == profile.lang && p.slug == profile.slug).expect("stored");
        let mut expected = profile.clone();
        expected.aliases.sort();
        assert_eq!(stored, &expected);
    }
    assert_eq!(back.pages.len(), loaded.pages.len());
}

#[test]
fn a_broken_tree_changes_nothing_in_the_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("broken.db"), Duration::from_secs(5), 2).expect("database");
    publish::publish(&repo_path("content"), &pool, None).expect("good import");
    let before = stored(&pool);
    let result = publish::publish(&repo_path("tests/fixtures/broken"), &pool, None);
    assert!(matches!(result, Err(publish::PublishError::Content(_))));
    assert_eq!(stored(&pool), before);
}
