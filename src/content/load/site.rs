//! Parsing the site file (`site.toml`): name, origin, navigation and the home page's texts.

use std::path::Path;

use toml::Spanned;

use super::document::parse_toml;
use super::fields::{Fields, media_file};
use super::{Located, SiteSpans};
use crate::content::Diagnostics;
use crate::content::front_matter::SiteFile;
use crate::content::source::SourceFile;
use crate::domain::{Lang, NavLink, SiteSettings, Slug};

pub(super) fn parse_site(
    file: SourceFile,
    dir: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<Located<SiteSettings, SiteSpans>> {
    let fm: SiteFile = parse_toml(&file, file.text(), 0, diagnostics)?;
    let mut f = Fields { file: &file, base: 0, diagnostics };
    let name = f.text("name", &fm.name, 80);
    let base_url = base_url(&mut f, &fm.base_url);
    let default_contact = f.slug("default_contact", &fm.default_contact);
    let featured: Option<Vec<Slug>> = fm.featured.iter().map(|key| f.slug("featured", key)).collect();
    let share_image = media_file(&mut f, "share_image", &fm.share_image, dir);
    let tagline = f.per_language("tagline", &fm.tagline, 120);
    let intro = f.per_language("intro", &fm.intro, 600);
    let nav_en = nav(&mut f, &fm.nav, Lang::En);
    let nav_de = nav(&mut f, &fm.nav, Lang::De);
    for key in fm.nav.get_ref().keys() {
        if key.parse::<Lang>().is_err() {
            f.error(&fm.nav, format!("`nav.{key}` is not a language of the site"), "use [[nav.en]] and [[nav.de]]");
        }
    }
    let spans = SiteSpans {
        default_contact: f.span(&fm.default_contact),
        featured: fm.featured.iter().map(|key| f.span(key)).collect(),
    };
    let (tagline_en, tagline_de) = tagline?;
    let (intro_en, intro_de) = intro?;
    let settings = SiteSettings {
        name: name?,
        base_url: base_url?,
        default_contact: default_contact?,
        featured: featured?,
        share_image: share_image?,
        tagline_en,
        tagline_de,
        intro_en,
        intro_de,
        nav_en: nav_en?,
        nav_de: nav_de?,
        demo_notice: fm.demo_notice,
    };
    Some(Located { value: settings, file, spans })
}

pub(super) fn base_url(f: &mut Fields<'_>, value: &Spanned<String>) -> Option<String> {
    let url = value.get_ref().trim_end_matches('/');
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => Some(url.to_owned()),
        _ => {
            f.error(
                value,
                format!("base_url \"{url}\" is not an http(s) origin"),
                "e.g. base_url = \"https://jobs.example.com\" (no path)",
            );
            None
        }
    }
}

pub(super) fn nav(
    f: &mut Fields<'_>,
    nav: &Spanned<std::collections::BTreeMap<String, Vec<crate::content::front_matter::NavFrontMatter>>>,
    lang: Lang,
) -> Option<Vec<NavLink>> {
    let Some(links) = nav.get_ref().get(lang.code()) else {
        f.error(nav, format!("no navigation for \"{lang}\""), format!("add [[nav.{lang}]] tables with label and href"));
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for link in links {
        let label = f.text("label", &link.label, 40);
        let href = link.href.get_ref();
        if !href.starts_with('/') || href.starts_with("//") {
            f.error(
                &link.href,
                format!("nav href \"{href}\" is not a path of this site"),
                "navigation links start with `/`, e.g. \"/profiles\"",
            );
            ok = false;
        }
        match label {
            Some(label) => out.push(NavLink { label, href: href.clone() }),
            None => ok = false,
        }
    }
    ok.then_some(out)
}
