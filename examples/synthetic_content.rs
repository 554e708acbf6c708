//! Makes a content folder for benchmarks: the shipped sample site plus `N` synthetic roles in
//! English and German. Usage: `synthetic_content N SOURCE_DIR TARGET_DIR`.

use std::fmt::Write as _;
use std::path::Path;

const WORDS: &[&str] = &[
    "systems",
    "teams",
    "customers",
    "data",
    "services",
    "quality",
    "planning",
    "delivery",
    "security",
    "design",
    "platform",
    "reliable",
    "clear",
    "measured",
    "review",
    "release",
    "support",
    "budget",
    "roadmap",
    "users",
    "Kubernetes",
    "Python",
    "Rust",
    "Java",
    "cloud",
    "pipelines",
    "tests",
    "metrics",
    "workshops",
    "documentation",
];
const CATEGORIES: &[(&str, &str)] =
    &[("Engineering", "Technik"), ("Operations", "Betrieb"), ("Analytics", "Analytik"), ("Product", "Produkt")];

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Deterministic prose of about `words` words, different per role and section.
fn prose(seed: usize, words: usize) -> String {
    let mut text = String::new();
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(7);
    for i in 0..words {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let word = WORDS[(state >> 33) % WORDS.len()];
        text.push_str(word);
        text.push(if i % 14 == 13 { '.' } else { ' ' });
        if i % 70 == 69 {
            text.push_str("\n\n");
        }
    }
    text
}

fn profile(n: usize, lang: &str) -> String {
    let (title, slug, category) = match lang {
        "en" => (format!("Synthetic Role {n}"), format!("synthetic-role-{n}"), CATEGORIES[n % CATEGORIES.len()].0),
        _ => (format!("Synthetische Rolle {n}"), format!("synthetische-rolle-{n}"), CATEGORIES[n % CATEGORIES.len()].1),
    };
    let mut body = String::new();
    for (i, heading) in
        ["What the role is", "What it pays", "Day to day", "Skills", "How to become one"].iter().enumerate()
    {
        let _ = write!(body, "## {heading} {n}\n\n{}\n\n", prose(n * 10 + i, 130));
    }
    format!(
        "+++\ntitle = \"{title}\"\nslug = \"{slug}\"\nlang = \"{lang}\"\ntranslation_key = \"synthetic-role-{n}\"\n\
         summary = \"A synthetic role number {n} for benchmarks: what it does and what it pays.\"\ncategory = \"{category}\"\n\
         hard_skills = [\"Python\", \"Kubernetes\", \"Skill {}\"]\nsoft_skills = [\"Communication\"]\nupdated = 2026-06-01\n\
         aliases = [\"/{}/old-{n}\"]\n\n\
         [[salary]]\nregion = \"Europe\"\ncurrency = \"EUR\"\nmin = 50000\nmax = 80000\nmedian = 62000\nsource = \"Illustrative sample data\"\nas_of = 2026-01-01\n\n\
         [[salary]]\nregion = \"United States\"\ncurrency = \"USD\"\nmin = 90000\nmax = 140000\nsource = \"Illustrative sample data\"\nas_of = 2026-01-01\n+++\n{body}",
        n % 50,
        if lang == "en" { "jobs" } else { "de/jobs" }
    )
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(count), Some(source), Some(target)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: synthetic_content N SOURCE_DIR TARGET_DIR");
        std::process::exit(2);
    };
    let count: usize = count.parse().unwrap_or(10_000);
    let target = Path::new(target);
    copy_tree(Path::new(source), target)?;
    for n in 0..count {
        std::fs::write(target.join(format!("profiles/en/synthetic-role-{n}.md")), profile(n, "en"))?;
        std::fs::write(target.join(format!("profiles/de/synthetische-rolle-{n}.md")), profile(n, "de"))?;
    }
    println!("{count} synthetic roles in both languages written to {}", target.display());
    Ok(())
}
