//! The shipped profiles read as a hiring manager from the trade reads them: skills filed where
//! they belong, Node.js called what it is, salary sources named plainly, and the neighbouring
//! developer profiles written each in its own words.

use std::collections::{BTreeSet, HashMap};

use crate::helpers::{Page, TestApp, spawn_app};

/// Every published profile page the index of each language shows a card for.
async fn profile_pages(app: &TestApp) -> Vec<(String, Page)> {
    let mut paths = BTreeSet::new();
    for index in ["/profiles", "/de/profile"] {
        for link in app.page(index).await.select_all("main .card h3 a[href]") {
            paths.insert(link.value().attr("href").unwrap_or_default().to_owned());
        }
    }
    assert!(paths.len() >= 20, "both indexes list the shipped profiles: {paths:?}");
    let mut pages = Vec::new();
    for path in paths {
        let page = app.page(&path).await;
        assert_eq!(page.status, 200, "{path}");
        pages.push((path, page));
    }
    pages
}

/// The hard and the soft skills of a profile page, as listed in its two boxes.
fn skills(page: &Page) -> (Vec<String>, Vec<String>) {
    let list = |heading: &str| {
        page.select_all(&format!("section[aria-labelledby={heading}] li"))
            .iter()
            .map(|li| li.text().collect::<String>().trim().to_owned())
            .collect::<Vec<_>>()
    };
    (list("hard-skills-heading"), list("soft-skills-heading"))
}

/// The running text of a page's Markdown body, one string per paragraph, list item or cell.
fn prose_blocks(page: &Page) -> Vec<String> {
    // The job-description template is a form to fill in, alike across roles by design.
    page.select_all(".prose:not(.job-template) p, .prose:not(.job-template) li, .prose:not(.job-template) td")
        .iter()
        .map(|block| block.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[tokio::test]
async fn the_backend_profile_lists_todays_stack_as_hard_skills_and_no_technical_skill_as_soft() {
    let app = spawn_app().await;
    let cases = [
        ("/profiles/backend-developer", "Understanding of servers and databases"),
        ("/de/profile/backend-entwickler", "Verständnis für Server und Datenbanken"),
    ];
    for (path, misfiled) in cases {
        let page = app.page(path).await;
        let (hard, soft) = skills(&page);
        for wanted in ["PostgreSQL", "Go", "TypeScript", "Docker"] {
            assert!(
                hard.iter().any(|skill| skill.split_whitespace().any(|word| word == wanted)),
                "{path}: {wanted} in {hard:?}"
            );
        }
        assert!(!soft.iter().any(|skill| skill == misfiled), "{path}: {misfiled:?} among the soft skills {soft:?}");
        assert!(!soft.is_empty(), "{path}: the soft skills box still lists soft skills");
    }
}

#[tokio::test]
async fn no_profile_page_calls_node_js_a_framework() {
    let app = spawn_app().await;
    for (path, page) in profile_pages(&app).await {
        let (hard, soft) = skills(&page);
        let mut blocks = prose_blocks(&page);
        blocks.extend(hard.into_iter().chain(soft));
        for block in blocks {
            // "Node.js" holds a full stop of its own, so sentences end at a full stop before a space.
            for sentence in block.split(". ").filter(|sentence| sentence.contains("Node.js")) {
                let lower = sentence.to_lowercase();
                if lower.contains("framework") {
                    assert!(
                        lower.contains("runtime") || lower.contains("laufzeitumgebung"),
                        "{path}: a sentence that names Node.js beside frameworks must call it a runtime: {sentence:?}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn every_salary_source_says_what_kind_of_source_it_is() {
    let app = spawn_app().await;
    for (path, page) in profile_pages(&app).await {
        let sources = page.select_all(".salary-sources li");
        assert!(!sources.is_empty(), "{path}: the salary box names its sources");
        for source in sources {
            let text = source.text().collect::<String>();
            for vague in ["Reference job profile", "Referenz-Berufsprofil"] {
                assert!(!text.contains(vague), "{path}: {text:?} does not say what the reference is");
            }
        }
    }
    let cases = [
        (
            "/profiles/backend-developer",
            "job profile published by a German freelancer-placement firm",
            ["United States", "Europe"],
        ),
        (
            "/de/profile/backend-entwickler",
            "veröffentlichtes Berufsprofil eines deutschen Freelancer-Vermittlers",
            ["USA", "Europa"],
        ),
    ];
    for (path, publisher, regions) in cases {
        let page = app.page(path).await;
        let sources: Vec<String> =
            page.select_all(".salary-sources li").iter().map(|li| li.text().collect::<String>()).collect();
        let named = sources.iter().find(|source| source.contains(publisher));
        let named = named.unwrap_or_else(|| panic!("{path}: no source names its publisher: {sources:?}"));
        for region in regions {
            assert!(named.contains(region), "{path}: the {region} row names its publisher: {named}");
        }
    }
}

#[tokio::test]
async fn the_backend_profile_keeps_the_published_us_band_and_says_why_it_sits_below_related_roles() {
    let app = spawn_app().await;
    let cases = [
        ("/profiles/backend-developer", "USD 85,000 to 130,000", "every experience level", "DevOps engineers"),
        ("/de/profile/backend-entwickler", "85.000 bis 130.000 US-Dollar", "alle Erfahrungsstufen", "DevOps Engineers"),
    ];
    for (path, band, reason, neighbour) in cases {
        let prose = prose_blocks(&app.page(path).await).join("\n");
        let explanation = prose.lines().find(|block| block.contains(neighbour)).unwrap_or_default();
        assert!(prose.contains(band), "{path}: the published band {band:?} is cited");
        assert!(explanation.contains(reason), "{path}: the comparison with {neighbour} says why: {explanation:?}");
    }
}

#[tokio::test]
async fn backend_frontend_and_full_stack_profiles_are_each_written_in_their_own_words() {
    let app = spawn_app().await;
    let languages = [
        ["/profiles/backend-developer", "/profiles/frontend-developer", "/profiles/full-stack-developer"],
        ["/de/profile/backend-entwickler", "/de/profile/frontend-entwickler", "/de/profile/full-stack-entwickler"],
    ];
    // Seven words in a row: enough to tell a shared sentence from a shared term ("TypeScript on
    // the Node.js runtime"). Runs with a figure in them are left out: two roles may well share a
    // salary band.
    const RUN: usize = 7;
    for paths in languages {
        let mut first_seen: HashMap<Vec<String>, &str> = HashMap::new();
        for path in paths {
            let page = app.page(path).await;
            let text = prose_blocks(&page).join(" ").to_lowercase();
            for dated in ["video call", "remote work pushed", "videokonferenz", "homeoffice", "mobiles arbeiten"] {
                assert!(!text.contains(dated), "{path}: demand is still explained by {dated:?}");
            }
            let words: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .filter(|word| !word.is_empty())
                .map(str::to_owned)
                .collect();
            let runs: BTreeSet<Vec<String>> = words
                .windows(RUN)
                .filter(|run| !run.iter().any(|word| word.chars().any(|c| c.is_ascii_digit())))
                .map(<[String]>::to_vec)
                .collect();
            for run in runs {
                if let Some(other) = first_seen.get(&run) {
                    panic!("{path} repeats {:?} from {other}", run.join(" "));
                }
                first_seen.insert(run, path);
            }
        }
    }
}
