//! Job-description templates: the box on the profile page, the plain-text download in both
//! languages, search, reloads, and the check's answers to a template gone wrong.

use jobprofiles::content;
use reqwest::header;

use crate::content_mistakes::the_one_error;
use crate::helpers::{copy_tree, repo_path, spawn_app, spawn_app_with};
use crate::reload::{app_on_editable_sample_site, until};

#[tokio::test]
async fn a_profile_page_shows_its_template_in_a_box_with_the_placeholders_it_uses_explained() {
    let app = spawn_app().await;
    for (path, download, explained) in [
        (
            "/profiles/backend-developer",
            "/profiles/backend-developer/job-description.txt",
            ("[Company]", "Your company's name as applicants know it."),
        ),
        (
            "/de/profile/backend-entwickler",
            "/de/profile/backend-entwickler/stellenbeschreibung.txt",
            ("[Unternehmen]", "Der Name Ihres Unternehmens, wie Bewerbende ihn kennen."),
        ),
    ] {
        let page = app.page(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.text_of(".job-box #job-heading").is_empty(), "{path}: the box has a heading");
        assert!(page.text_of(".job-box .job-template").contains(explained.0), "{path}: the template is shown");
        assert_eq!(page.attr(".job-box a[download]", "href").as_deref(), Some(download), "{path}");
        let terms: Vec<String> = page.select_all(".job-placeholders dt").iter().map(|dt| dt.text().collect()).collect();
        let meanings: Vec<String> =
            page.select_all(".job-placeholders dd").iter().map(|dd| dd.text().collect()).collect();
        let at = terms.iter().position(|term| term == explained.0).expect("the placeholder is explained");
        assert_eq!(meanings[at], explained.1, "{path}");
        let template_headings = page.select_all(".job-template h3");
        assert!(!template_headings.is_empty(), "{path}: the template's sections sit below the box's heading");
    }
}

#[tokio::test]
async fn the_template_downloads_as_plain_text_in_both_languages_with_a_file_name() {
    let app = spawn_app().await;
    for (path, file_name, title, heading) in [
        (
            "/profiles/backend-developer/job-description.txt",
            "backend-developer-job-description.txt",
            "Job description template: Backend Developer",
            "What you bring\n--------------",
        ),
        (
            "/de/profile/backend-entwickler/stellenbeschreibung.txt",
            "backend-entwickler-stellenbeschreibung.txt",
            "Vorlage für die Stellenausschreibung: Backend-Entwickler",
            "Ihr Profil\n----------",
        ),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert_eq!(headers[header::CONTENT_TYPE], "text/plain; charset=utf-8", "{path}");
        let disposition = headers[header::CONTENT_DISPOSITION].to_str().expect("ASCII");
        assert_eq!(disposition, format!("attachment; filename=\"{file_name}\""), "{path}");
        assert!(headers.contains_key(header::ETAG), "{path}");
        assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=60, must-revalidate", "{path}");
        let text = response.text().await.expect("body");
        assert!(text.starts_with(&format!("{title}\n")), "{path}: {text}");
        assert!(text.contains(heading), "{path}: headings are underlined\n{text}");
        assert!(text.contains("\n- "), "{path}: list items start with a dash");
        assert!(!text.contains('<') && !text.contains("##") && !text.contains("**"), "{path}: no markup\n{text}");

        let etag = headers[header::ETAG].clone();
        let again = app.client.get(format!("{}{path}", app.address)).header(header::IF_NONE_MATCH, etag).send().await;
        assert_eq!(again.expect("sent").status(), 304, "{path}: the ETag is honoured");
        let head = app.client.head(format!("{}{path}", app.address)).send().await.expect("sent");
        assert_eq!(head.status(), 200, "{path}");
        assert_eq!(head.headers()[header::CONTENT_DISPOSITION], disposition, "{path}");
        let post = app.client.post(format!("{}{path}", app.address)).send().await.expect("sent");
        assert_eq!(post.status(), 405, "{path}");
        assert_eq!(post.headers()[header::ALLOW], "GET, HEAD", "{path}");
    }
}

#[tokio::test]
async fn a_profile_without_a_template_has_no_box_and_no_download() {
    let app = spawn_app_with(repo_path("tests/fixtures/minimal")).await;
    let page = app.page("/profiles/tester").await;
    assert_eq!(page.status, 200);
    assert!(page.select_all(".job-box").is_empty());
    for path in [
        "/profiles/tester/job-description.txt",
        "/de/profile/testerin/stellenbeschreibung.txt",
        "/profiles/no-such-role/job-description.txt",
        "/profiles/tester/stellenbeschreibung.txt",
    ] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn search_finds_a_word_that_only_a_template_holds() {
    let app = spawn_app().await;
    for (lang, word, search, expected) in [
        ("en", "rota", "/search?q=rota", "/profiles/devops-engineer"),
        ("de", "Freizeitausgleich", "/de/suche?q=Freizeitausgleich", "/de/profile/devops-engineer"),
    ] {
        for entry in std::fs::read_dir(repo_path(&format!("content/profiles/{lang}"))).expect("readable") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("readable");
            let (before, template) = text.split_once("+++ job-description").expect("a template");
            assert!(!before.contains(word), "{word} must be in templates only");
            assert_eq!(
                template.contains(word),
                text.contains(&format!("slug = \"{}\"", expected.rsplit('/').next().unwrap_or_default()))
            );
        }
        let page = app.page(search).await;
        let hits: Vec<String> = page
            .select_all(".search-results h2 a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .map(str::to_owned)
            .collect();
        assert_eq!(hits, [expected], "{word}");
    }
}

#[tokio::test]
async fn an_edit_to_a_template_shows_on_the_page_and_in_the_download() {
    let (app, _dir, content) = app_on_editable_sample_site().await;
    let file = content.join("profiles/en/qa-engineer.md");
    let text = std::fs::read_to_string(&file).expect("readable");
    assert_eq!(app.get("/profiles/qa-engineer/job-description.txt").await.status(), 200);
    std::fs::write(&file, text.replace("Diplomacy when the news is not good", "Tact with flaky builds"))
        .expect("written");
    assert!(until(&app, "/profiles/qa-engineer", |s, b| s == 200 && b.contains("Tact with flaky builds")).await);
    assert!(
        until(&app, "/profiles/qa-engineer/job-description.txt", |s, b| s == 200
            && b.contains("- Tact with flaky builds"))
        .await
    );
    assert!(until(&app, "/search?q=flaky", |_, b| b.contains("/profiles/qa-engineer")).await, "and in search");
}

#[test]
fn a_template_gone_wrong_is_one_error_at_the_mistake_with_a_hint() {
    // (file, text replaced, replacement, part of the message, part of the hint)
    let cases = [
        (
            "profiles/en/backend-developer.md",
            "by [Application deadline]",
            "by [Aplication deadline]",
            "unknown placeholder `[Aplication deadline]`",
            "did you mean `Application deadline`?",
        ),
        (
            "profiles/de/backend-entwickler.md",
            "[Gehaltsspanne]",
            "[Gehalt]",
            "unknown placeholder `[Gehalt]`",
            "docs/content.md lists each language's placeholders",
        ),
        (
            "profiles/de/backend-entwickler.md",
            "[Unternehmen]",
            "[Company]",
            "unknown placeholder `[Company]`",
            "docs/content.md lists",
        ),
        (
            "profiles/en/backend-developer.md",
            "via [Application link]",
            "via [Application link",
            "a placeholder that is never closed",
            "end the placeholder with `]`",
        ),
        (
            "profiles/en/backend-developer.md",
            "+++ job-description",
            "+++ job-desciption",
            "`+++ job-desciption` is not a section this file can have",
            "did you mean `+++ job-description`?",
        ),
        (
            "profiles/en/backend-developer.md",
            "## What you bring",
            "# What you bring",
            "a `#` heading in the job-description template",
            "start its sections with `##`",
        ),
        (
            "profiles/en/backend-developer.md",
            "## What we offer",
            "+++ job-description\n\n## What we offer",
            "a second job-description template",
            "a profile has one template",
        ),
    ];
    for (file, from, to, message, hint) in cases {
        let (error, text) = the_one_error(file, from, to);
        let first_line_of_change = to.lines().next().unwrap_or(to);
        let line = text[..text.rfind(first_line_of_change).expect("replaced")].matches('\n').count() + 1;
        assert_eq!(error.line, line, "{file}: {message}");
        assert!(error.message.contains(message), "{}", error.message);
        assert!(error.hint.contains(hint), "{}", error.hint);
    }
}

#[test]
fn a_template_in_a_file_of_its_own_or_left_empty_is_refused_with_where_it_belongs() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo_path("content"), dir.path());
    std::fs::write(dir.path().join("profiles/en/qa-engineer.job.md"), "## About [Company]\n").expect("written");
    let diagnostics = content::load(dir.path()).expect_err("the orphan file is found");
    let errors: Vec<_> = diagnostics.errors().collect();
    assert_eq!(errors.len(), 1, "{diagnostics}");
    assert_eq!(errors[0].file, "profiles/en/qa-engineer.job.md");
    assert_eq!((errors[0].line, errors[0].column), (1, 1));
    assert_eq!(errors[0].message, "a job-description template in a file of its own");
    assert!(errors[0].hint.contains("`profiles/en/qa-engineer.md`"), "{}", errors[0].hint);

    let profile = std::fs::read_to_string(repo_path("content/profiles/en/qa-engineer.md")).expect("readable");
    let (body, _) = profile.split_once("+++ job-description").expect("a template");
    let empty = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo_path("content"), empty.path());
    std::fs::write(empty.path().join("profiles/en/qa-engineer.md"), format!("{body}+++ job-description\n\n"))
        .expect("written");
    let diagnostics = content::load(empty.path()).expect_err("the empty template is found");
    let errors: Vec<_> = diagnostics.errors().collect();
    assert_eq!(errors.len(), 1, "{diagnostics}");
    assert_eq!(errors[0].message, "the job-description template is empty");
    assert_eq!(errors[0].line, body.matches('\n').count() + 1, "at the marker line");
}
