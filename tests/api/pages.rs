use jobprofiles::domain::Lang;

use crate::helpers::{repo_path, shipped_content_with, spawn_app, spawn_app_with};

struct Expect {
    path: &'static str,
    lang: &'static str,
    title: &'static str,
    h1: &'static str,
    translation: &'static str,
    content: &'static str,
}

#[tokio::test]
async fn every_page_type_answers_in_both_languages_with_title_content_and_translation_link() {
    let app = spawn_app().await;
    let cases = [
        Expect {
            path: "/",
            lang: "en",
            title: "Quellwerk Talent",
            h1: "Quellwerk Talent",
            translation: "/de",
            content: "Featured job profiles",
        },
        Expect {
            path: "/de",
            lang: "de",
            title: "Quellwerk Talent",
            h1: "Quellwerk Talent",
            translation: "/",
            content: "Ausgewählte Berufsprofile",
        },
        Expect {
            path: "/profiles",
            lang: "en",
            title: "Job profiles | Quellwerk Talent",
            h1: "Job profiles",
            translation: "/de/profile",
            content: "Software development",
        },
        Expect {
            path: "/de/profile",
            lang: "de",
            title: "Berufsprofile | Quellwerk Talent",
            h1: "Berufsprofile",
            translation: "/profiles",
            content: "Softwareentwicklung",
        },
        Expect {
            path: "/profiles/backend-developer",
            lang: "en",
            title: "Backend Developer – job profile with salary and skills | Quellwerk Talent",
            h1: "Backend Developer",
            translation: "/de/profile/backend-entwickler",
            content: "Hard skills",
        },
        Expect {
            path: "/de/profile/backend-entwickler",
            lang: "de",
            title: "Backend-Entwickler – Berufsprofil mit Gehalt und Kompetenzen | Quellwerk Talent",
            h1: "Backend-Entwickler",
            translation: "/profiles/backend-developer",
            content: "Fachliche Kompetenzen",
        },
        Expect {
            path: "/about",
            lang: "en",
            title: "About us | Quellwerk Talent",
            h1: "About us",
            translation: "/de/ueber-uns",
            content: "Quellwerk Talent",
        },
        Expect {
            path: "/de/ueber-uns",
            lang: "de",
            title: "Über uns | Quellwerk Talent",
            h1: "Über uns",
            translation: "/about",
            content: "Quellwerk Talent",
        },
        Expect {
            path: "/imprint",
            lang: "en",
            title: "Imprint | Quellwerk Talent",
            h1: "Imprint",
            translation: "/de/impressum",
            content: "fictional",
        },
        Expect {
            path: "/de/datenschutz",
            lang: "de",
            title: "Datenschutzerklärung | Quellwerk Talent",
            h1: "Datenschutzerklärung",
            translation: "/privacy",
            content: "Auskunft",
        },
        Expect {
            path: "/contact",
            lang: "en",
            title: "Send a hiring request | Quellwerk Talent",
            h1: "Send a hiring request",
            translation: "/de/kontakt",
            content: "Lena Hoffmann",
        },
        Expect {
            path: "/de/kontakt",
            lang: "de",
            title: "Personalanfrage senden | Quellwerk Talent",
            h1: "Personalanfrage senden",
            translation: "/contact",
            content: "Geschäftliche E-Mail-Adresse",
        },
    ];
    for case in cases {
        let page = app.page(case.path).await;
        assert_eq!(page.status, 200, "{}", case.path);
        assert_eq!(page.attr("html", "lang").as_deref(), Some(case.lang), "{}", case.path);
        assert!(page.text_of("title").contains(case.title), "{}: title {:?}", case.path, page.text_of("title"));
        assert_eq!(page.text_of("h1").trim(), case.h1, "{}", case.path);
        assert_eq!(page.attr("a.lang-switch", "href").as_deref(), Some(case.translation), "{}", case.path);
        assert!(page.text.contains(case.content), "{} lacks {:?}", case.path, case.content);
        assert_eq!(page.select_all("main").len(), 1, "{}: one main landmark", case.path);
        assert!(page.attr("meta[name=description]", "content").is_some_and(|d| !d.is_empty()), "{}", case.path);
    }
}

#[tokio::test]
async fn profile_page_shows_salary_box_skills_toc_related_contact_and_call_to_action() {
    let app = spawn_app().await;
    let en = app.page("/profiles/backend-developer").await;
    let salary = en.text_of(".salary-box");
    assert!(salary.contains("$85,000 – $130,000"), "{salary}");
    assert!(salary.contains("€45,000 – €70,000"), "{salary}");
    assert!(salary.contains("per year"), "{salary}");
    for skill in ["Java", "Python", "MySQL", "AWS"] {
        assert!(en.text_of(".profile-aside .tags").contains(skill), "missing hard skill {skill}");
    }
    assert!(en.text_of(".profile-aside").contains("Problem solving"));

    let toc_targets: Vec<String> = en
        .select_all(".toc a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches('#').to_owned())
        .collect();
    assert!(toc_targets.len() >= 8, "a table of contents with every section: {toc_targets:?}");
    for id in &toc_targets {
        assert_eq!(en.select_all(&format!(".prose [id=\"{id}\"]")).len(), 1, "toc target {id} exists once");
    }

    let related: Vec<String> = en
        .select_all(".profile-aside .card a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_owned)
        .collect();
    assert!(related.contains(&"/profiles/frontend-developer".to_owned()), "{related:?}");
    assert!(en.text_of(".contact-card").contains("Lena Hoffmann"));
    assert_eq!(en.attr(".contact-card img", "src").as_deref(), Some("/media/people/lena-hoffmann.svg"));
    let cta: Vec<String> =
        en.select_all("a.button").iter().filter_map(|a| a.value().attr("href")).map(str::to_owned).collect();
    assert!(cta.contains(&"/contact?profile=backend-developer".to_owned()), "{cta:?}");

    let de = app.page("/de/profile/backend-entwickler").await;
    let salary = de.text_of(".salary-box");
    assert!(salary.contains("45.000\u{a0}€ – 70.000\u{a0}€"), "{salary}");
    assert!(salary.contains("85.000\u{a0}$ – 130.000\u{a0}$"), "{salary}");
    assert!(salary.contains("pro Jahr"), "{salary}");
    assert!(de.text_of(".profile-aside").contains("Backend-Entwickler gesucht?"));
}

#[tokio::test]
async fn salary_box_puts_employee_salaries_and_freelance_day_rates_under_their_own_headings_with_levels() {
    let app = spawn_app().await;
    for (path, headings, senior, per_day) in [
        (
            "/profiles/backend-developer",
            ["Employees: salary", "Freelancers: day and hour rates"],
            "Germany Senior",
            "€560 – €940 per day",
        ),
        (
            "/de/profile/backend-entwickler",
            ["Festanstellung: Gehalt", "Freiberuflich: Tages- und Stundensätze"],
            "Deutschland Senior",
            "560\u{a0}€ – 940\u{a0}€ pro Tag",
        ),
    ] {
        let page = app.page(path).await;
        let groups: Vec<String> = page.select_all(".salary-box h3").iter().map(|h| h.text().collect()).collect();
        assert_eq!(groups, headings, "{path}");
        for (i, id) in ["salary-employee", "salary-freelance"].into_iter().enumerate() {
            let table = format!(".salary-box table[aria-labelledby=\"{id}\"]");
            assert_eq!(page.select_all(&table).len(), 1, "{path}: the table is named by heading {i}");
        }
        let employee = page.text_of(".salary-box table[aria-labelledby=\"salary-employee\"] tbody");
        let employee = employee.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(employee.contains(senior), "{path}: {employee}");
        assert!(!employee.contains("pro Tag") && !employee.contains("per day"), "{path}: {employee}");
        let freelance = page.text_of(".salary-box table[aria-labelledby=\"salary-freelance\"] tbody");
        assert!(freelance.contains(per_day), "{path}: {freelance}");
        let rows: Vec<String> = page
            .select_all(".salary-box table[aria-labelledby=\"salary-employee\"] tbody th")
            .iter()
            .map(|th| th.text().collect::<String>())
            .collect();
        let region = &senior[..senior.len() - " Senior".len()];
        let germany: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].starts_with(region)).collect();
        assert_eq!(germany.len(), 3, "{path}: all levels, junior and senior: {rows:?}");
        assert_eq!(germany[2] - germany[0], 2, "{path}: each region's levels stand together: {rows:?}");
    }
}

#[tokio::test]
async fn profiles_index_lists_every_profile_under_its_first_letter_with_summary_and_salary() {
    let app = spawn_app().await;
    let page = app.page("/profiles").await;
    let letters: Vec<String> = page.select_all("main section h2").iter().map(|h| h.text().collect()).collect();
    assert_eq!(letters, ["B", "C", "D", "F", "M", "Q", "S", "U"]);
    let cards = page.select_all("main .card");
    assert_eq!(cards.len(), 12);
    for card in cards {
        let text: String = card.text().collect();
        assert!(text.contains("per year"), "salary on every card: {text}");
    }
    assert!(page.select_all(".index-pages").is_empty(), "one page needs no page links");
}

#[tokio::test]
async fn every_shipped_profile_renders_in_both_languages_and_links_its_translation() {
    let app = spawn_app().await;
    let content = jobprofiles::content::load(&repo_path("content")).expect("shipped content is valid").content;
    assert!(content.profiles.iter().filter(|p| p.lang == Lang::En).count() >= 10);
    for profile in &content.profiles {
        let page = app.page(&profile.path()).await;
        assert_eq!(page.status, 200, "{}", profile.path());
        let translation = content
            .profiles
            .iter()
            .find(|p| p.lang != profile.lang && p.translation_key == profile.translation_key)
            .expect("every shipped profile has a translation");
        assert_eq!(page.attr("a.lang-switch", "href"), Some(translation.path()));
        assert_eq!(
            page.attr(&format!("link[rel=alternate][hreflang={}]", translation.lang), "href"),
            Some(format!("https://jobs.example.test{}", translation.path()))
        );
        assert_eq!(
            page.attr("link[rel=canonical]", "href"),
            Some(format!("https://jobs.example.test{}", profile.path()))
        );
    }
}

#[tokio::test]
async fn unknown_pages_answer_404_with_a_page_in_the_language_of_the_url() {
    let app = spawn_app().await;
    for (path, lang, heading) in [
        ("/profiles/no-such-role", "en", "Page not found"),
        ("/profiles/Not_A_Slug", "en", "Page not found"),
        ("/de/profile/keine-rolle", "de", "Seite nicht gefunden"),
        ("/no-such-page", "en", "Page not found"),
        ("/de/keine-seite", "de", "Seite nicht gefunden"),
        ("/a/b/c", "en", "Page not found"),
        ("/static/missing.css", "en", "Page not found"),
    ] {
        let page = app.page(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert_eq!(page.attr("html", "lang").as_deref(), Some(lang), "{path}");
        assert_eq!(page.text_of("h1"), heading, "{path}");
        assert_eq!(page.attr("meta[name=robots]", "content").as_deref(), Some("noindex"), "{path}");
    }
}

#[tokio::test]
async fn an_old_url_in_aliases_redirects_permanently_and_keeps_the_query() {
    let app = spawn_app().await;
    let response = app.get("/jobs/backend-developer?utm_source=news").await;
    assert_eq!(response.status(), 301);
    assert_eq!(response.headers()["location"], "/profiles/backend-developer?utm_source=news");
    let response = app.get("/de/jobs/backend-entwickler").await;
    assert_eq!(response.status(), 301);
    assert_eq!(response.headers()["location"], "/de/profile/backend-entwickler");
}

#[tokio::test]
async fn script_in_markdown_is_removed_and_external_links_get_noopener() {
    let app = spawn_app_with(repo_path("tests/fixtures/minimal")).await;
    let page = app.page("/profiles/tester").await;
    assert_eq!(page.status, 200);
    let prose = page.select_all(".prose")[0].html();
    assert!(!prose.contains("<script"), "{prose}");
    assert!(!prose.contains("alert"), "{prose}");
    assert!(!prose.contains("onerror"), "{prose}");
    assert!(!prose.contains("javascript:"), "{prose}");
    assert!(prose.contains(r#"<a href="https://example.com/guide" rel="noopener noreferrer">"#), "{prose}");
    assert!(prose.contains("<table>"), "{prose}");
    assert!(page.text.contains("Testers test things."));
}

#[tokio::test]
async fn stylesheet_and_contact_photos_are_served() {
    let app = spawn_app().await;
    let css = app.get("/static/site.css").await;
    assert_eq!(css.status(), 200);
    assert!(css.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/css"));
    let photo = app.get("/media/people/lena-hoffmann.svg").await;
    assert_eq!(photo.status(), 200);
}

#[tokio::test]
async fn the_hiring_form_names_the_person_who_looks_after_the_profile_a_visitor_came_from() {
    let app = spawn_app().await;
    let page = app.page("/contact?profile=data-scientist").await;
    assert!(page.text_of(".form-aside").contains("Jonas Berger"));
    let unknown = app.page("/contact?profile=%3Cscript%3E").await;
    assert_eq!(unknown.status, 200);
    assert!(!unknown.text.contains("<script>"));
    assert!(unknown.text_of(".form-aside").contains("Lena Hoffmann"), "the site's default contact");
}

#[tokio::test]
async fn a_profile_page_renders_as_last_reviewed() {
    let app = spawn_app_with(repo_path("tests/fixtures/minimal")).await;
    let html = app.get("/profiles/tester").await.text().await.expect("body");
    insta::with_settings!({
        // Fingerprints change with every edit of a stylesheet or an icon, not with the page.
        filters => vec![(r"/static/([\w-]+)\.[0-9a-f]{10}\.", "/static/$1.[fingerprint].")],
    }, {
        insta::assert_snapshot!(html);
    });
}

#[tokio::test]
async fn the_contact_card_writes_out_the_persons_public_address_in_both_languages() {
    let app = spawn_app().await;
    for (path, label) in [("/profiles/backend-developer", "E-mail:"), ("/de/profile/backend-entwickler", "E-Mail:")] {
        let page = app.page(path).await;
        let line = page.text_of(".cta .contact-card .contact-email");
        assert!(line.contains(label), "{path}: {line}");
        assert!(line.contains("lena.hoffmann@quellwerk-talent.example"), "{path}: {line}");
        assert!(!page.text.contains("mailto:"), "{path}: written out, not a link");
        assert!(!page.text.contains("lena.hoffmann@example.com"), "{path}: the request address stays private");
    }
}

#[tokio::test]
async fn a_person_without_a_public_address_has_none_on_the_card() {
    let dir = shipped_content_with(
        "people/lena-hoffmann.toml",
        "public_email = \"lena.hoffmann@quellwerk-talent.example\"\n",
        "",
    );
    let app = spawn_app_with(dir.path().to_path_buf()).await;
    let page = app.page("/profiles/backend-developer").await;
    assert!(page.text_of(".contact-card").contains("Lena Hoffmann"));
    assert!(page.select_all(".contact-card .contact-email").is_empty(), "no address line");
    assert!(!page.text.contains("@quellwerk-talent.example"));
    assert!(!page.text.contains("lena.hoffmann@example.com"));
}
