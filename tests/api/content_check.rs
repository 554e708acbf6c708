use jobprofiles::content::{self, Severity};

use crate::helpers::repo_path;

/// (file, line, column, part of the message) for every problem planted in `tests/fixtures/broken`.
const BROKEN: &[(&str, usize, usize, &str)] = &[
    ("profiles/en/bad-links.md", 26, 46, "the link to /profiles/ghost leads nowhere"),
    ("profiles/en/bad-links.md", 28, 42, "/profiles/bad-links has no heading #no-such-heading"),
    ("profiles/en/bad-links.md", 30, 1, "the image /media/missing-chart.png does not exist"),
    ("pages/en/profiles.md", 3, 8, "the slug \"profiles\" is a path the site itself uses"),
    ("people/bad-email.toml", 2, 9, "`email` is not an e-mail address"),
    (
        "profiles/en/alias-case.md",
        13,
        12,
        "alias /About differs from a path of pages/en/about.md only in capitals or a trailing slash",
    ),
    ("profiles/en/alias-two.md", 13, 12, "alias /jobs/shared is already taken by profiles/en/alias-one.md"),
    ("profiles/en/bad-date.md", 12, 11, "`updated` is not a date"),
    ("profiles/en/bad-slug.md", 3, 8, "`Bad_Slug` is not a slug"),
    ("profiles/en/dangling-related.md", 10, 12, "related profile \"ghost\" does not exist"),
    ("profiles/en/h1-in-body.md", 24, 1, "a `#` heading in the body"),
    ("profiles/en/missing-title.md", 2, 1, "missing field `title`"),
    ("profiles/en/no-front-matter.md", 1, 1, "does not start with front matter"),
    ("profiles/en/salary-reversed.md", 18, 7, "min (90000) is larger than max (50000)"),
    ("profiles/en/toml-syntax.md", 2, 18, "invalid basic string"),
    ("profiles/en/unknown-contact.md", 11, 11, "contact \"ghost\" is not a person"),
    ("profiles/en/unknown-field.md", 14, 1, "unknown field `colour`"),
    ("profiles/en/wrong-lang.md", 4, 8, "`lang` is \"de\" but the file is in the `en/` folder"),
    ("people/no-photo.toml", 3, 9, "photo \"media/people/missing.svg\" does not exist"),
    ("profiles/en/future-date.md", 12, 11, "`updated` (2999-01-01) lies in the future"),
    ("profiles/en/median-outside.md", 20, 10, "median (99000) lies outside min..max (40000..60000)"),
    ("profiles/en/no-sections.md", 24, 1, "the body has no `##` section"),
    ("profiles/en/skill-twice.md", 8, 45, "`hard_skills` lists \"Test design\" twice"),
    ("profiles/en/slug-mismatch.md", 3, 8, "`slug` is \"another-name\" but the file is named `slug-mismatch.md`"),
    ("site.toml", 4, 23, "featured profile \"ghost-role\" has no profile in en, de"),
];

/// Problems that are only warnings: they do not stop a load.
const WARNINGS: &[(&str, usize, usize, &str)] = &[
    ("profiles/de/bad-links-de.md", 5, 19, "this translation (2026-01-01) is older than the en version (2026-01-15)"),
    ("profiles/en/untranslated.md", 5, 19, "no de profile has translation_key \"untranslated\""),
];

#[test]
fn broken_tree_reports_every_error_at_once_with_file_line_column_and_hint() {
    let diagnostics = content::load(&repo_path("tests/fixtures/broken")).expect_err("the tree is broken");
    for (expected, severity) in [(BROKEN, Severity::Error), (WARNINGS, Severity::Warning)] {
        for &(file, line, column, message) in expected {
            assert!(
                diagnostics.entries().iter().any(|e| e.file == file
                    && e.line == line
                    && e.column == column
                    && e.severity == severity
                    && e.message.contains(message)),
                "expected {severity:?} {file}:{line}:{column}: {message}\ngot:\n{diagnostics}"
            );
        }
    }
    assert_eq!(diagnostics.errors().count(), BROKEN.len(), "no other errors:\n{diagnostics}");
    assert_eq!(diagnostics.warnings().count(), WARNINGS.len(), "no other warnings:\n{diagnostics}");
    assert!(diagnostics.entries().iter().all(|e| !e.hint.is_empty()), "every problem has a hint");
}

#[test]
fn a_report_shows_the_offending_line_with_a_marker_under_it() {
    let diagnostics = content::load(&repo_path("tests/fixtures/broken")).expect_err("the tree is broken");
    let report = diagnostics.to_string();
    let expected = "error: the image /media/missing-chart.png does not exist\n   ┌─ profiles/en/bad-links.md:30:1\n   │\n30 │ ![A chart](/media/missing-chart.png)\n   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^";
    assert!(report.contains(expected), "{report}");
    assert!(report.contains("= hint: put the file into `media/` or fix the path"));
    assert!(report.ends_with("25 errors and 2 warnings in content; nothing was loaded"), "{report}");
}

#[test]
fn shipped_content_and_the_minimal_fixture_are_valid() {
    for tree in ["content", "tests/fixtures/minimal"] {
        if let Err(diagnostics) = content::load(&repo_path(tree)) {
            panic!("{tree} has errors:\n{diagnostics}");
        }
    }
}

#[test]
fn shipped_profiles_are_long_enough_to_be_worth_reading() {
    let content = content::load(&repo_path("content")).expect("valid").content;
    for profile in &content.profiles {
        let body = &content.profile_html[&(profile.lang, profile.slug.clone())];
        let words = jobprofiles::domain::plain_text(body).split_whitespace().count();
        assert!(words >= 600, "{} has {words} words", profile.source_path);
        assert!(profile.salaries.len() >= 2, "{} has fewer than two salary regions", profile.source_path);
    }
}

#[test]
fn an_alias_that_would_shadow_a_route_of_the_site_is_refused() {
    let shadowing = [
        "/feed.xml",
        "/de/feed.xml",
        "/sitemap.xml",
        "/robots.txt",
        "/preview/abc",
        "/static/site.css",
        "/media/photo.png",
        "/admin",
        "/search",
        "/de/suche",
        "/contact",
        "/de/kontakt/danke",
        "/healthz",
        "/metrics",
        "/Admin/Login",
        "/Healthz",
        "/De/Suche",
    ];
    for alias in shadowing {
        let dir = tempfile::tempdir().expect("temp dir");
        crate::helpers::copy_tree(&repo_path("tests/fixtures/minimal"), dir.path());
        let profile = dir.path().join("profiles/en/tester.md");
        let text = std::fs::read_to_string(&profile).expect("readable");
        std::fs::write(&profile, text.replace("aliases = [\"/jobs/tester\"]", &format!("aliases = [\"{alias}\"]")))
            .expect("written");
        let diagnostics = content::load(dir.path()).expect_err(alias);
        let message = format!("alias {alias} is a path the site itself uses");
        assert!(
            diagnostics.errors().any(|e| e.file == "profiles/en/tester.md" && e.message.contains(&message)),
            "{alias}:\n{diagnostics}"
        );
    }
}

/// Every problem as a line: what a full check and a check after edits must agree on.
fn problems(result: &Result<content::Checked, content::Diagnostics>) -> Vec<String> {
    let diagnostics = match result {
        Ok(checked) => &checked.warnings,
        Err(diagnostics) => diagnostics,
    };
    let line = |e: &content::ContentError| {
        format!("{:?} {}:{}:{} {} (hint: {})", e.severity, e.file, e.line, e.column, e.message, e.hint)
    };
    diagnostics.entries().iter().map(line).collect()
}

/// Saves as editors do, by renaming a new file over the old one.
fn save(path: &std::path::Path, text: &str) {
    let saving = path.with_extension("saving");
    std::fs::write(&saving, text).expect("written");
    std::fs::rename(&saving, path).expect("renamed");
}

fn edit(path: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("readable");
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    save(path, &text.replacen(from, to, 1));
}

#[test]
fn a_check_after_edits_finds_exactly_what_a_full_check_finds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    crate::helpers::copy_tree(&repo_path("content"), root);
    let (en, de) = (root.join("profiles/en"), root.join("profiles/de"));
    let links = "\nThe [pay section](/profiles/frontend-developer#pay-and-what-drives-it) and [who we are](/about#who-we-are) say more.\n";
    let backend = std::fs::read_to_string(en.join("backend-developer.md")).expect("readable");
    save(&en.join("backend-developer.md"), &format!("{backend}{links}"));
    let german_backend = std::fs::read_to_string(de.join("backend-entwickler.md")).expect("readable");
    let lena = std::fs::read_to_string(root.join("people/lena-hoffmann.toml")).expect("readable");

    let rename = |from: &str, to: &str| {
        let text = std::fs::read_to_string(en.join(format!("{from}.md"))).expect("readable");
        std::fs::remove_file(en.join(format!("{from}.md"))).expect("removed");
        save(&en.join(format!("{to}.md")), &text.replace(&format!("slug = \"{from}\""), &format!("slug = \"{to}\"")));
    };
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>, Option<&'a str>);
    let steps: Vec<Step<'_>> = vec![
        ("unchanged", Box::new(|| {}), None),
        (
            "rename a slug",
            Box::new(|| rename("full-stack-developer", "fullstack-developer")),
            Some("related profile \"full-stack-developer\" does not exist"),
        ),
        ("rename it back", Box::new(|| rename("fullstack-developer", "full-stack-developer")), None),
        (
            "remove an anchor",
            Box::new(|| edit(&en.join("frontend-developer.md"), "## Pay and what drives it", "## Pay and its drivers")),
            Some("/profiles/frontend-developer has no heading #pay-and-what-drives-it"),
        ),
        (
            "a plain page loses a heading",
            Box::new(|| edit(&root.join("pages/en/about.md"), "## Who we are", "## About us")),
            Some("/about has no heading #who-we-are"),
        ),
        (
            "break a link",
            Box::new(|| edit(&en.join("data-engineer.md"), "## ", "See [a role](/profiles/ghost-role).\n\n## ")),
            Some("the link to /profiles/ghost-role leads nowhere"),
        ),
        (
            "fix it, and the anchors",
            Box::new(|| {
                edit(&en.join("data-engineer.md"), "/profiles/ghost-role", "/profiles/backend-developer");
                edit(&en.join("frontend-developer.md"), "## Pay and its drivers", "## Pay and what drives it");
                edit(&root.join("pages/en/about.md"), "## About us", "## Who we are");
            }),
            None,
        ),
        (
            "delete a file",
            Box::new(|| std::fs::remove_file(de.join("backend-entwickler.md")).expect("removed")),
            Some("no de profile has translation_key \"backend-developer\""),
        ),
        ("put it back", Box::new(|| save(&de.join("backend-entwickler.md"), &german_backend)), None),
        (
            "an alias another profile has",
            Box::new(|| edit(&en.join("qa-engineer.md"), "aliases = [", "aliases = [\"/jobs/frontend-developer\", ")),
            Some("alias /jobs/frontend-developer is already taken by profiles/en/frontend-developer.md"),
        ),
        (
            "the same key twice",
            Box::new(|| {
                edit(
                    &en.join("scrum-master.md"),
                    "translation_key = \"scrum-master\"",
                    "translation_key = \"qa-engineer\"",
                );
            }),
            Some("translation_key \"qa-engineer\" is already used by profiles/en/qa-engineer.md"),
        ),
        (
            "a newer original",
            Box::new(|| edit(&en.join("backend-developer.md"), "updated = 2026-", "updated = 2026-11-30\n#")),
            Some("is older than the en version (2026-11-30)"),
        ),
        (
            "a contact leaves",
            Box::new(|| std::fs::remove_file(root.join("people/lena-hoffmann.toml")).expect("removed")),
            Some("contact \"lena-hoffmann\" is not a person"),
        ),
        ("and comes back", Box::new(|| save(&root.join("people/lena-hoffmann.toml"), &lena)), None),
    ];
    let mut cache = content::LoadCache::default();
    for (step, change, expected) in steps {
        change();
        let incremental = content::load_with(root, &mut cache);
        let full = content::load(root);
        let found = problems(&full);
        assert_eq!(problems(&incremental), found, "after \"{step}\"");
        if let Some(expected) = expected {
            assert!(found.iter().any(|problem| problem.contains(expected)), "after \"{step}\": {found:#?}");
        }
        if let Ok(checked) = incremental {
            cache.apply(checked.cache_update);
        }
    }
}
