//! Plain pages (about us, imprint, privacy) at their own address.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::paths;
use crate::domain::{Lang, Slug, TocEntry};
use crate::error::AppError;
use crate::i18n::{format_date, strings};
use crate::routes::layout::Layout;
use crate::routes::{cache, html_of};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "page.html")]
struct PlainPage<'a> {
    layout: Layout<'a>,
    title: &'a str,
    body_html: &'a str,
    /// Where the page asked for it: the sentence on how long leads are kept, and the rest of the body.
    lead_retention: Option<(String, &'a str)>,
    toc: &'a [TocEntry],
    updated: String,
}

/// A paragraph of its own in a page's Markdown that says `{lead_retention}` stands for the sentence
/// on how long hiring requests are kept, written from `--lead-retention-days`, so the privacy notice
/// says what the site does.
const LEAD_RETENTION: &str = "<p>{lead_retention}</p>";

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let slug = Slug::parse(&path).map_err(|_| AppError::NotFound)?;
    let page = site.page(lang, &slug).ok_or_else(|| AppError::missing(&site, &paths::page(lang, &slug)))?;
    let updated = || Some(page.updated);
    cache::serve(&req, &site, &page.path(), updated, || {
        let (body_html, rest) = match page.body.html.split_once(LEAD_RETENTION) {
            Some((before, after)) => (before, Some(after)),
            None => (page.body.html.as_str(), None),
        };
        let lead_retention = rest.map(|after| (strings(lang).lead_retention(state.admin.retention_days), after));
        let view = PlainPage {
            layout: Layout::new(&site, lang, &page.path(), &page.title, &page.summary)
                .translated_at(&site, site.page_translation(page).map(|p| p.path()))
                .below(Vec::new()),
            title: &page.title,
            body_html,
            lead_retention,
            toc: &page.body.toc,
            updated: format_date(page.updated, lang),
        };
        html_of(&view)
    })
}
