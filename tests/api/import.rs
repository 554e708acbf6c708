use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use jobprofiles::db::StoreReport;
use jobprofiles::domain::{Lang, Profile, Slug};
use jobprofiles::publish::PublishCache;
use jobprofiles::{content, db, publish};

use crate::helpers::{copy_tree, repo_path};

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

fn import(dir: &std::path::Path, pool: &db::DbPool) -> Result<publish::Imported, publish::PublishError> {
    publish::import(dir, pool, &mut PublishCache::default())
}

fn body(pool: &db::DbPool, lang: Lang, slug: &str) -> Option<String> {
    let slug = Slug::parse(slug).expect("slug");
    db::profile_html(&mut pool.get().expect("connection"), lang, &slug).expect("readable")
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Found {
    #[diesel(sql_type = diesel::sql_types::Text)]
    slug: String,
}

fn search(pool: &db::DbPool, word: &str) -> Vec<String> {
    diesel::sql_query("SELECT slug FROM search_en WHERE search_en MATCH ?1 ORDER BY slug")
        .bind::<diesel::sql_types::Text, _>(word)
        .load::<Found>(&mut pool.get().expect("connection"))
        .expect("search")
        .into_iter()
        .map(|found| found.slug)
        .collect()
}

#[test]
fn importing_the_same_content_twice_leaves_the_same_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("import.db"), Duration::from_secs(5), Duration::from_secs(5), 2)
        .expect("database");
    import(&repo_path("content"), &pool).expect("first import");
    let (counts, rows) = (row_counts(&pool), stored(&pool));
    let again = import(&repo_path("content"), &pool).expect("second import");
    assert_eq!(again.written, StoreReport { added: 0, changed: 0, removed: 0 }, "unchanged files are not written");
    assert_eq!(row_counts(&pool), counts);
    assert_eq!(stored(&pool), rows);
    assert!(counts.contains(&("profiles", 24)), "{counts:?}");
}

#[test]
fn a_new_import_replaces_everything_the_last_one_stored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("replace.db"), Duration::from_secs(5), Duration::from_secs(5), 2)
        .expect("database");
    import(&repo_path("content"), &pool).expect("full import");
    import(&repo_path("tests/fixtures/minimal"), &pool).expect("small import");
    let counts = row_counts(&pool);
    assert!(counts.contains(&("profiles", 2)), "{counts:?}");
    assert!(counts.contains(&("people", 1)), "{counts:?}");
    assert!(counts.contains(&("profile_aliases", 1)), "{counts:?}");
}

#[test]
fn the_store_gives_back_what_was_loaded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("roundtrip.db"), Duration::from_secs(5), Duration::from_secs(5), 2)
        .expect("database");
    let loaded = content::load(&repo_path("content")).expect("valid").content;
    db::store_content(&mut pool.get().expect("connection"), &loaded).expect("stored");
    let back = db::read_content(&mut pool.get().expect("connection")).expect("read");
    assert_eq!(back.site, loaded.site);
    let mut people = loaded.people.clone();
    people.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(back.people, people);
    for profile in &loaded.profiles {
        let stored = back.profiles.iter().find(|p| p.lang == profile.lang && p.slug == profile.slug).expect("stored");
        let mut expected = Profile::clone(profile);
        expected.aliases.sort();
        assert_eq!(stored.as_ref(), &expected);
    }
    assert_eq!(back.pages.len(), loaded.pages.len());
    for ((lang, slug), html) in &loaded.profile_html {
        assert_eq!(body(&pool, *lang, slug.as_str()).as_ref(), Some(html), "body of {lang}/{slug}");
        let template = db::job_description(&mut pool.get().expect("connection"), *lang, slug).expect("readable");
        assert_eq!(template, Some(loaded.job_descriptions.get(&(*lang, slug.clone())).cloned()), "{lang}/{slug}");
    }
    assert_eq!(loaded.job_descriptions.len(), 24, "every shipped profile has a template");
}

#[test]
fn the_connection_that_stored_content_waits_for_the_disk_again_afterwards() {
    let dir = tempfile::tempdir().expect("temp dir");
    // One connection: the one that stored is the one a lead or a search gets next.
    let pool =
        db::connect(&dir.path().join("sync.db"), Duration::from_secs(5), Duration::from_secs(5), 1).expect("database");
    let loaded = content::load(&repo_path("tests/fixtures/minimal")).expect("valid").content;
    let mut conn = pool.get().expect("connection");
    db::store_content(&mut conn, &loaded).expect("stored");
    let synchronous =
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("(SELECT synchronous FROM pragma_synchronous)"))
            .get_result::<i32>(&mut conn)
            .expect("read back");
    assert_eq!(synchronous, 2, "PRAGMA synchronous is FULL again");
}

#[test]
fn a_changed_file_is_the_only_profile_written_and_links_to_it_stay() {
    let tree = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo_path("content"), tree.path());
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("changed.db"), Duration::from_secs(5), Duration::from_secs(5), 2)
        .expect("database");
    let mut cache = PublishCache::default();
    publish::import(tree.path(), &pool, &mut cache).expect("first import");
    let before = row_counts(&pool);

    let file = tree.path().join("profiles/en/data-engineer.md");
    let text = std::fs::read_to_string(&file).expect("readable");
    let edited = text.replacen("title = \"", "title = \"Quasarwrangling ", 1).replacen(
        "\n## ",
        "\nA zeppelinology paragraph.\n\n## ",
        1,
    );
    std::fs::write(&file, edited).expect("writable");
    let imported = publish::import(tree.path(), &pool, &mut cache).expect("second import");

    assert_eq!(imported.written, StoreReport { added: 0, changed: 1, removed: 0 });
    assert_eq!(row_counts(&pool), before, "profiles that relate to it keep their rows");
    let back = db::read_content(&mut pool.get().expect("connection")).expect("read");
    let changed =
        back.profiles.iter().find(|p| p.lang == Lang::En && p.slug.as_str() == "data-engineer").expect("kept");
    assert!(changed.title.starts_with("Quasarwrangling "), "{}", changed.title);
    assert!(body(&pool, Lang::En, "data-engineer").is_some_and(|html| html.contains("zeppelinology")));
    assert_eq!(search(&pool, "quasarwrangling"), ["data-engineer"]);
    assert_eq!(search(&pool, "zeppelinology"), ["data-engineer"]);
    assert!(search(&pool, "engineer").len() > 1, "the other profiles are still found");
    let mut fresh = content::load(tree.path()).expect("valid").content;
    fresh.profile_html.clear();
    fresh.job_descriptions.clear();
    assert_eq!(normalized(back), normalized(fresh));
}

#[test]
fn a_renamed_file_replaces_the_old_profile_in_the_store_and_the_index() {
    let tree = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo_path("tests/fixtures/minimal"), tree.path());
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("renamed.db"), Duration::from_secs(5), Duration::from_secs(5), 2)
        .expect("database");
    let mut cache = PublishCache::default();
    publish::import(tree.path(), &pool, &mut cache).expect("first import");
    let indexed = search(&pool, "tester");

    let old = tree.path().join("profiles/en/tester.md");
    let text = std::fs::read_to_string(&old).expect("readable");
    std::fs::remove_file(&old).expect("removed");
    let renamed = text.replacen("slug = \"tester\"", "slug = \"software-tester\"", 1);
    std::fs::write(tree.path().join("profiles/en/software-tester.md"), renamed).expect("written");
    let imported = publish::import(tree.path(), &pool, &mut cache).expect("second import");

    assert_eq!(imported.written, StoreReport { added: 1, changed: 0, removed: 1 });
    assert!(body(&pool, Lang::En, "tester").is_none());
    assert!(body(&pool, Lang::En, "software-tester").is_some());
    assert_eq!(indexed, ["tester"]);
    assert_eq!(search(&pool, "tester"), ["software-tester"], "one index entry, under the new slug");
}

#[test]
fn search_rows_follow_their_profile_even_when_the_database_renumbers_rows() {
    let tree = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo_path("tests/fixtures/minimal"), tree.path());
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("renumbered.db"), Duration::from_secs(5), Duration::from_secs(5), 2)
        .expect("database");
    let mut cache = PublishCache::default();
    publish::import(tree.path(), &pool, &mut cache).expect("first import");
    // What VACUUM or a dump and restore may do to a table without an integer primary key.
    diesel::sql_query("UPDATE profiles SET rowid = rowid + 1000")
        .execute(&mut pool.get().expect("connection"))
        .expect("renumbered");
    let file = tree.path().join("profiles/en/tester.md");
    let text = std::fs::read_to_string(&file).expect("readable");
    std::fs::write(&file, text.replacen("title = \"Tester\"", "title = \"Tester Quokka\"", 1)).expect("written");
    publish::import(tree.path(), &pool, &mut cache).expect("second import");
    assert_eq!(search(&pool, "tester"), ["tester"], "one entry, not the old one beside the new");
    assert_eq!(search(&pool, "quokka"), ["tester"]);
}

#[test]
fn a_store_changed_by_another_process_is_caught_up_by_reading_every_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool =
        db::connect(&dir.path().join("stale.db"), Duration::from_secs(5), Duration::from_secs(5), 2).expect("database");
    let mut cache = PublishCache::default();
    publish::import(&repo_path("content"), &pool, &mut cache).expect("first import");
    import(&repo_path("tests/fixtures/minimal"), &pool).expect("another process imports other content");
    let imported = publish::import(&repo_path("content"), &pool, &mut cache).expect("caught up");
    assert_eq!(imported.written, StoreReport { added: 24, changed: 0, removed: 2 });
    let back = db::read_content(&mut pool.get().expect("connection")).expect("read");
    let mut loaded = content::load(&repo_path("content")).expect("valid").content;
    loaded.profile_html.clear();
    loaded.job_descriptions.clear();
    assert_eq!(normalized(back), normalized(loaded));
    assert!(body(&pool, Lang::En, "backend-developer").is_some_and(|html| html.contains("<h2")));
}

#[test]
fn a_broken_tree_changes_nothing_in_the_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("broken.db"), Duration::from_secs(5), Duration::from_secs(5), 2)
        .expect("database");
    import(&repo_path("content"), &pool).expect("good import");
    let before = stored(&pool);
    let result = import(&repo_path("tests/fixtures/broken"), &pool);
    assert!(matches!(result, Err(publish::PublishError::Content(_))));
    assert_eq!(stored(&pool), before);
}

/// Content in the order the store gives it back.
fn normalized(mut content: jobprofiles::domain::SiteContent) -> String {
    content.people.sort_by(|a, b| a.id.cmp(&b.id));
    content.profiles.sort_by(|a, b| (a.lang, &a.slug).cmp(&(b.lang, &b.slug)));
    for profile in &mut content.profiles {
        std::sync::Arc::make_mut(profile).aliases.sort();
    }
    content.pages.sort_by(|a, b| (a.lang, &a.slug).cmp(&(b.lang, &b.slug)));
    format!("{content:?}")
}

#[test]
fn a_public_address_taken_out_of_a_person_is_cleared_in_the_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&dir.path().join("public-email.db"), Duration::from_secs(5), Duration::from_secs(5), 2)
        .expect("database");
    let mut loaded = content::load(&repo_path("content")).expect("valid").content;
    db::store_content(&mut pool.get().expect("connection"), &loaded).expect("stored");
    let back = db::read_content(&mut pool.get().expect("connection")).expect("read");
    let lena = |people: &[jobprofiles::domain::Person]| {
        people.iter().find(|p| p.id.as_str() == "lena-hoffmann").expect("Lena").public_email.clone()
    };
    assert_eq!(lena(&back.people).as_deref(), Some("lena.hoffmann@quellwerk-talent.example"));
    for person in &mut loaded.people {
        person.public_email = None;
    }
    db::store_content(&mut pool.get().expect("connection"), &loaded).expect("stored again");
    let back = db::read_content(&mut pool.get().expect("connection")).expect("read");
    assert_eq!(lena(&back.people), None, "written as NULL, not left as it was");
}

/// Runs `jobprofiles import` of `content` into `database`, as an operator does.
fn import_over_cli(content: &str, database: &std::path::Path) -> std::process::Output {
    crate::cli::jobprofiles()
        .args(["import", "--content", content])
        .arg("--database")
        .arg(database)
        .output()
        .expect("runs")
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    row: String,
}

/// Every row of both search indexes, whole, in row order.
fn indexed(pool: &db::DbPool) -> Vec<String> {
    let mut conn = pool.get().expect("connection");
    ["search_en", "search_de"]
        .iter()
        .flat_map(|table| {
            diesel::sql_query(format!(
                "SELECT rowid || '|' || slug || '|' || title || '|' || skills || '|' || summary || '|' || body AS row \
                 FROM {table} ORDER BY rowid"
            ))
            .load::<IndexRow>(&mut conn)
            .expect("index rows")
        })
        .map(|found| found.row)
        .collect()
}

fn open(database: &std::path::Path) -> db::DbPool {
    db::connect(database, Duration::from_secs(5), Duration::from_secs(5), 1).expect("database")
}

#[test]
fn an_import_into_a_new_path_stores_what_an_import_into_an_existing_database_stores() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (fresh, existing) = (dir.path().join("fresh.db"), dir.path().join("existing.db"));
    drop(open(&existing));
    for database in [&fresh, &existing] {
        let output = import_over_cli("content", database);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("listed")
        .map(|entry| entry.expect("entry").file_name().into_string().expect("utf-8"))
        .collect();
    names.sort();
    assert!(names.iter().all(|name| !name.contains("importing")), "the file it was built in is gone: {names:?}");
    let mut fresh_conn = SqliteConnection::establish(&fresh.to_string_lossy()).expect("opens");
    let journal_mode =
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>("(SELECT journal_mode FROM pragma_journal_mode)"))
            .get_result::<String>(&mut fresh_conn)
            .expect("read back");
    assert_eq!(journal_mode, "wal", "the new file is a store like any other");
    let (fresh, existing) = (open(&fresh), open(&existing));
    assert_eq!(row_counts(&fresh), row_counts(&existing));
    assert_eq!(stored(&fresh), stored(&existing));
    assert_eq!(indexed(&fresh), indexed(&existing));
    assert_eq!(search(&fresh, "python"), search(&existing, "python"));
    assert!(!search(&fresh, "python").is_empty(), "the index answers");
}

#[test]
fn a_broken_folder_imported_into_a_new_path_leaves_no_file_and_names_every_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = import_over_cli("tests/fixtures/broken", &dir.path().join("never.db"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("┌─ profiles/en/salary-reversed.md:18:7"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("listed").collect();
    assert!(left.is_empty(), "neither the database nor the file it was built in: {left:?}");
}

#[test]
fn a_broken_folder_imported_into_an_existing_database_leaves_it_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("kept.db");
    assert!(import_over_cli("content", &database).status.success());
    let before = {
        let pool = open(&database);
        (stored(&pool), indexed(&pool))
    };
    let output = import_over_cli("tests/fixtures/broken", &database);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let pool = open(&database);
    assert_eq!((stored(&pool), indexed(&pool)), before);
}

#[test]
fn a_database_made_at_the_path_during_a_fresh_import_is_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("raced.db");
    let fresh = db::FreshDatabase::create(&target, Duration::from_secs(5), Duration::from_secs(5)).expect("building");
    import(&repo_path("tests/fixtures/minimal"), fresh.pool()).expect("stored in the file being built");
    std::fs::write(&target, "made by someone else").expect("written");
    assert!(fresh.finish().is_err(), "the import reports that it could not put its file in place");
    assert_eq!(std::fs::read_to_string(&target).expect("still there"), "made by someone else");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("listed").collect();
    assert_eq!(left.len(), 1, "only the other database, not the file the import built: {left:?}");
}

#[test]
fn a_fresh_import_removes_the_files_of_imports_killed_before_but_not_of_one_still_running() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("site.db");
    let mut ended = std::process::Command::new("true").spawn().expect("a process that ends at once");
    let gone = ended.id();
    ended.wait().expect("ended");
    let abandoned = dir.path().join(format!("site.db.importing-{gone}"));
    let running = dir.path().join(format!("site.db.importing-{}", std::process::id()));
    let other = dir.path().join(format!("other.db.importing-{gone}"));
    for file in [&abandoned, &running, &other] {
        std::fs::write(file, "half a database").expect("written");
    }
    let output = import_over_cli("content", &target);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!abandoned.exists(), "the killed import's file is removed");
    assert!(running.exists(), "a running process's file is left alone");
    assert!(other.exists(), "another database's file is left alone");
    assert!(target.exists());
}
