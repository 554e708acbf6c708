//! The shapes of content files exactly as editors write them. Values are still raw here;
//! `load` turns them into domain types and reports what is wrong, with spans.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// Front matter of `profiles/<lang>/<slug>.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFrontMatter {
    /// The role's name in the file's language, e.g. "Backend-Entwickler".
    pub title: Spanned<String>,
    /// The last part of the URL; must equal the file name without `.md`.
    pub slug: Spanned<String>,
    /// `en` or `de`; must match the folder the file is in.
    pub lang: Spanned<String>,
    /// The same value in every language version of one role (by convention its English slug).
    pub translation_key: Spanned<String>,
    /// One or two sentences; the meta description and the teaser in lists.
    pub summary: Spanned<String>,
    /// Groups profiles on the index page, in the file's language.
    pub category: Spanned<String>,
    pub hard_skills: Spanned<Vec<Spanned<String>>>,
    pub soft_skills: Spanned<Vec<Spanned<String>>>,
    /// One row per region, level and engagement.
    pub salary: Spanned<Vec<Spanned<SalaryFrontMatter>>>,
    /// The ISCO-08 unit group of the role, four digits in quotes: `isco = "2512"`.
    pub isco: Option<Spanned<String>>,
    /// Slugs of other profiles in the same language.
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    /// Id of a person in `people/`; the site's default contact when left out.
    pub contact: Option<Spanned<String>>,
    /// When the content last changed, as a TOML date: `updated = 2026-10-14`.
    pub updated: Spanned<toml::Value>,
    /// Drafts are loaded and checked but not published.
    #[serde(default)]
    pub draft: bool,
    /// Publish automatically from then on: a date (`2026-12-01`, midnight UTC) or a time
    /// (`2026-12-01T09:00:00+01:00`).
    pub publish_at: Option<Spanned<toml::Value>>,
    /// Old URL paths (starting with `/`) that redirect to this profile.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

/// One `[[salary]]` row of a profile.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SalaryFrontMatter {
    /// A region or country in the file's language, e.g. "Europe" or "Deutschland".
    pub region: Spanned<String>,
    /// ISO 3166-1 alpha-2 code when the region is one country, e.g. "DE"; left out for
    /// regions of several countries.
    pub country: Option<Spanned<String>>,
    /// `junior`, `mid`, `senior` or `lead`; left out when the row covers every level.
    pub level: Option<Spanned<String>>,
    /// `employee` (the default) for salaries, `freelance` for day or hour rates.
    pub engagement: Option<Spanned<String>>,
    /// ISO 4217 code: EUR, USD, GBP or CHF.
    pub currency: Spanned<String>,
    /// `year` (the default for employees) or `month` for salaries; `day` (the default for
    /// freelancers) or `hour` for rates.
    pub period: Option<Spanned<String>>,
    pub min: Spanned<u32>,
    pub max: Spanned<u32>,
    pub median: Option<Spanned<u32>>,
    /// Where the figures come from; say so when they are illustrative.
    pub source: Spanned<String>,
    /// The date the figures describe, as a TOML date.
    pub as_of: Spanned<toml::Value>,
}

/// Front matter of `pages/<lang>/<slug>.md` (about, imprint, privacy, ...).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    pub title: Spanned<String>,
    /// Served at `/<slug>` (English) or `/de/<slug>` (German); must equal the file name.
    pub slug: Spanned<String>,
    pub lang: Spanned<String>,
    /// Links the language versions of one page.
    pub translation_key: Spanned<String>,
    /// The meta description.
    pub summary: Spanned<String>,
    pub updated: Spanned<toml::Value>,
}

/// `people/<id>.toml`: a contact person.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFile {
    pub name: Spanned<String>,
    /// Where hiring requests for this person's profiles are sent.
    pub email: Spanned<String>,
    /// The address the firm publishes for this person, written out on their profiles; `email` never is.
    pub public_email: Option<Spanned<String>>,
    /// Path of the photo inside the content folder, e.g. `media/people/lena.svg`.
    pub photo: Spanned<String>,
    /// Languages the person answers in.
    pub languages: Spanned<Vec<Spanned<String>>>,
    /// Job title per language: `[role] en = "..." de = "..."`.
    pub role: Spanned<PerLanguage>,
    /// One line on what the person helps with, per language.
    pub pitch: Spanned<PerLanguage>,
}

/// `site.toml`: settings of the whole site.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    pub name: Spanned<String>,
    /// Public address without a trailing slash; `--base-url` overrides it.
    pub base_url: Spanned<String>,
    /// Id of the person who answers requests that no profile routes elsewhere.
    pub default_contact: Spanned<String>,
    /// Translation keys of the profiles shown on the home page.
    #[serde(default)]
    pub featured: Vec<Spanned<String>>,
    /// Picture shown when a page is shared (Open Graph, Twitter), inside `media/`; 1200×630 works best.
    pub share_image: Spanned<String>,
    pub tagline: Spanned<PerLanguage>,
    /// The home page's opening paragraph.
    pub intro: Spanned<PerLanguage>,
    /// Header links per language: `[[nav.en]] label = "..." href = "/..."`.
    pub nav: Spanned<BTreeMap<String, Vec<NavFrontMatter>>>,
    /// Every page says that the firm and its people are fictional: for a sample or demo site,
    /// never for a real deployment. Off when not set.
    #[serde(default)]
    pub demo_notice: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavFrontMatter {
    pub label: Spanned<String>,
    pub href: Spanned<String>,
}

/// A text given once per language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerLanguage {
    pub en: Spanned<String>,
    pub de: Spanned<String>,
}

/// `glossary.toml`: the house style, a list of entries per language (`[[en]]`, `[[de]]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryFile {
    #[serde(default)]
    pub en: Vec<GlossaryEntry>,
    #[serde(default)]
    pub de: Vec<GlossaryEntry>,
}

/// One term of the house style and the variants `check` reports.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    /// The term to write, e.g. "Gehaltsübersicht".
    pub preferred: Spanned<String>,
    /// Variants to report wherever they stand as whole words, with their capitals.
    pub avoid: Spanned<Vec<Spanned<String>>>,
    /// Why: shown with each report.
    pub reason: Spanned<String>,
}
