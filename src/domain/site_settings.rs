//! Site-wide settings from `content/site.toml`.

use serde::{Deserialize, Serialize};

use super::{Lang, Slug};

/// Site-wide settings from `content/site.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    pub name: String,
    /// Without a trailing slash, e.g. `https://jobs.example.com`.
    pub base_url: String,
    pub default_contact: Slug,
    /// Translation keys of the profiles shown on the home page.
    pub featured: Vec<Slug>,
    /// Path below the content folder of the picture shown when a page is shared.
    pub share_image: String,
    pub tagline_en: String,
    pub tagline_de: String,
    pub intro_en: String,
    pub intro_de: String,
    pub nav_en: Vec<NavLink>,
    pub nav_de: Vec<NavLink>,
    /// Every page says that the firm and its people are fictional (a sample or demo site).
    /// Defaults to off for settings stored before the field existed.
    #[serde(default)]
    pub demo_notice: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavLink {
    pub label: String,
    pub href: String,
}

impl SiteSettings {
    pub fn tagline(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.tagline_en,
            Lang::De => &self.tagline_de,
        }
    }

    pub fn intro(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.intro_en,
            Lang::De => &self.intro_de,
        }
    }

    pub fn nav(&self, lang: Lang) -> &[NavLink] {
        match lang {
            Lang::En => &self.nav_en,
            Lang::De => &self.nav_de,
        }
    }
}
