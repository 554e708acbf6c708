//! What every page's frame (`_base.html`) needs: language, head tags, navigation, footer.

use crate::domain::paths::{self, Localized};
use crate::domain::{Lang, NavLink};
use crate::i18n::{Strings, strings};
use crate::read_model::Site;
use crate::structured_data::{breadcrumbs, script_safe};

fn og_locale(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en_US",
        Lang::De => "de_DE",
    }
}

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
    base_url: &'a str,
    pub home_path: &'static str,
    /// The page's own title, as in its heading.
    pub page_title: String,
    /// The `<title>`: the page's title with the site's name.
    pub title: String,
    pub description: String,
    /// `None` for pages search engines should not index, such as error pages.
    pub canonical: Option<String>,
    pub nav: &'a [NavLink],
    pub current_path: String,
    pub translation: Translation,
    pub breadcrumbs: Vec<Link>,
    pub footer: Vec<Link>,
    /// `website` or `article`, for Open Graph.
    pub og_type: &'static str,
    pub og_image: String,
    pub og_image_alt: String,
    /// Width and height, when the page's image is one whose size is known.
    pub og_image_size: Option<(u32, u32)>,
    pub feed_url: String,
    /// JSON-LD documents of this page, ready for a script element.
    pub structured_data: Vec<String>,
    /// Whether the page says that the firm and its people are fictional (`demo_notice`).
    pub demo_notice: bool,
    assets: &'a crate::assets::Assets,
}

impl<'a> Layout<'a> {
    /// `title` is the page's own title; the site name is added unless it is the home page.
    pub fn new(site: &'a Site, lang: Lang, path: &str, title: &str, description: &str) -> Layout<'a> {
        let home_path = Localized::Home.path(lang);
        let other = lang.other();
        let full_title = if path == home_path { title.to_owned() } else { format!("{title} | {}", site.settings.name) };
        Layout {
            lang,
            t: strings(lang),
            site_name: &site.settings.name,
            base_url: &site.settings.base_url,
            home_path,
            page_title: title.to_owned(),
            title: full_title,
            description: description.to_owned(),
            canonical: Some(site.absolute_url(path)),
            nav: site.settings.nav(lang),
            current_path: path.to_owned(),
            translation: Translation {
                lang: other,
                path: Localized::Home.path(other).to_owned(),
                url: site.absolute_url(Localized::Home.path(other)),
                exact: false,
            },
            breadcrumbs: Vec::new(),
            footer: site
                .pages(lang)
                .into_iter()
                .map(|page| Link { label: page.title.clone(), href: page.path() })
                .collect(),
            og_type: "website",
            og_image: site.absolute_url(&paths::media_file(&site.settings.share_image)),
            og_image_alt: site.settings.name.clone(),
            og_image_size: None,
            feed_url: site.absolute_url(Localized::Feed.path(lang)),
            structured_data: Vec::new(),
            demo_notice: site.settings.demo_notice,
            assets: &site.assets,
        }
    }

    /// A `<title>` that says more than the heading, e.g. the kind of page.
    pub fn head_title(mut self, title: &str) -> Self {
        self.title = format!("{title} | {}", self.site_name);
        self
    }

    /// Where the header's search form sends its query.
    pub fn search_path(&self) -> &'static str {
        Localized::Search.path(self.lang)
    }

    /// Under `serve --dev`: the script that follows the editor's saves.
    pub fn live_reload_script(&self) -> Option<String> {
        self.assets.live_reload_script()
    }

    /// The URL of a static file, under its fingerprinted name.
    pub fn asset(&self, name: &str) -> String {
        self.assets.url(name)
    }

    /// A share image of this page's own, drawn at the size of every share image.
    pub fn share_image(mut self, url: String, alt: String) -> Self {
        self.og_image = url;
        self.og_image_alt = alt;
        self.og_image_size = Some((crate::share_image::WIDTH, crate::share_image::HEIGHT));
        self
    }

    pub fn article(mut self) -> Self {
        self.og_type = "article";
        self
    }

    pub fn with_structured_data(mut self, document: &serde_json::Value) -> Self {
        self.structured_data.push(script_safe(document));
        self
    }

    /// `hreflang` links: this page, its translation, and `x-default` (the English version).
    /// Both versions compute the same pair, so the links are reciprocal by construction.
    pub fn alternates(&self) -> Vec<(&'static str, &str)> {
        let Some(canonical) = self.canonical.as_deref() else {
            return Vec::new();
        };
        if !self.translation.exact {
            return vec![(self.lang.code(), canonical), ("x-default", canonical)];
        }
        let other = self.translation.url.as_str();
        let english = if self.lang == Lang::En { canonical } else { other };
        vec![(self.lang.code(), canonical), (self.translation.lang.code(), other), ("x-default", english)]
    }

    /// The `BreadcrumbList` of a page below the home page.
    pub fn breadcrumb_json(&self) -> Option<String> {
        let canonical = self.canonical.as_ref().filter(|_| !self.breadcrumbs.is_empty())?;
        let mut trail: Vec<(&str, String)> = self
            .breadcrumbs
            .iter()
            .map(|crumb| (crumb.label.as_str(), format!("{}{}", self.base_url, crumb.href)))
            .collect();
        trail.push((&self.page_title, canonical.clone()));
        Some(script_safe(&breadcrumbs(&trail)))
    }

    pub fn og_locale(&self) -> &'static str {
        og_locale(self.lang)
    }

    pub fn og_locale_alternate(&self) -> &'static str {
        og_locale(self.lang.other())
    }

    pub fn not_indexed(mut self) -> Self {
        self.canonical = None;
        self
    }

    /// A later page of a list, indexed apart from its first page at an address of its own.
    pub fn canonical_at(mut self, site: &Site, path: &str) -> Self {
        if self.canonical.is_some() {
            self.canonical = Some(site.absolute_url(path));
        }
        self
    }

    /// What the language switch says where it leads: this page translated, or only nearby.
    pub fn language_switch_title(&self) -> &str {
        if self.translation.exact { &self.t.language_switch_title } else { &self.t.language_switch_nearest_title }
    }

    /// The language switch leads to `path`, the nearest page of the other language, which is
    /// not this page's translation (so no `hreflang` claims it is).
    pub fn switching_to(mut self, site: &Site, path: &str) -> Self {
        self.translation.url = site.absolute_url(path);
        self.translation.path = path.to_owned();
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
