//! What every page's frame (`_base.html`) needs: language, head tags, navigation, footer.

use crate::domain::{Lang, NavLink};
use crate::i18n::{Strings, strings};
use crate::read_model::Site;

pub struct Link {
    pub label: String,
    pub href: String,
}

/// The other-language version of the current page.
pub struct Translation {
    pub lang: Lang,
    pub path: String,
    pub url: String,
    /// False when there is no translation and the link leads to the other language's home page.
    pub exact: bool,
}

pub struct Layout<'a> {
    pub lang: Lang,
    pub t: &'static Strings,
    pub site_name: &'a str,
    pub home_path: &'static str,
    pub title: String,
    pub description: String,
    /// `None` for pages search engines should not index, such as error pages.
    pub canonical: Option<String>,
    pub nav: &'a [NavLink],
    pub current_path: String,
    pub translation: Translation,
    pub breadcrumbs: Vec<Link>,
    pub footer: Vec<Link>,
}

impl<'a> Layout<'a> {
    /// `title` is the page's own title; the site name is added unless it is the home page.
    pub fn new(site: &'a Site, lang: Lang, path: &str, title: &str, description: &str) -> Layout<'a> {
        let home_path = lang.home_path();
        let other = lang.other();
        let full_title = if path == home_path { title.to_owned() } else { format!("{title} | {}", site.settings.name) };
        Layout {
            lang,
            t: strings(lang),
            site_name: &site.settings.name,
            home_path,
            title: full_title,
            description: description.to_owned(),
            canonical: Some(site.absolute_url(path)),
            nav: site.settings.nav(lang),
            current_path: path.to_owned(),
            translation: Translation {
                lang: other,
                path: other.home_path().to_owned(),
                url: site.absolute_url(other.home_path()),
                exact: false,
            },
            breadcrumbs: Vec::new(),
            footer: site
                .pages(lang)
                .into_iter()
                .map(|page| Link { label: page.title.clone(), href: page.path() })
                .collect(),
        }
    }

    pub fn not_indexed(mut self) -> Self {
        self.canonical = None;
        self
    }

    pub fn translated_at(mut self, site: &Site, path: Option<String>) -> Self {
        if let Some(path) = path {
            self.translation.url = site.absolute_url(&path);
            self.translation.path = path;
            self.translation.exact = true;
        }
        self
    }

    /// Breadcrumbs from the home page down to, not including, the current page.
    pub fn below(mut self, parents: Vec<Link>) -> Self {
        self.breadcrumbs =
            std::iter::once(Link { label: self.t.breadcrumb_home.clone(), href: self.home_path.to_owned() })
                .chain(parents)
                .collect();
        self
    }

    pub fn is_current(&self, href: &str) -> bool {
        self.current_path == href || (href != self.home_path && self.current_path.starts_with(&format!("{href}/")))
    }
}
