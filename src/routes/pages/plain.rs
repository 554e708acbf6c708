//! Plain pages (about us, imprint) at their own address.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::paths;
use crate::domain::{Lang, Slug, TocEntry};
use crate::error::AppError;
use crate::i18n::format_date;
use crate::routes::layout::Layout;
use crate::routes::{cache, html_of};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "page.html")]
struct PlainPage<'a> {
    layout: Layout<'a>,
    title: &'a str,
    body_html: &'a str,
    toc: &'a [TocEntry],
    updated: String,
}

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
        let view = PlainPage {
            layout: Layout::new(&site, lang, &page.path(), &page.title, &page.summary)
                .translated_at(&site, site.page_translation(page).map(|p| p.path()))
                .below(Vec::new()),
            title: &page.title,
            body_html: &page.body.html,
            toc: &page.body.toc,
            updated: format_date(page.updated, lang),
        };
        html_of(&view)
    })
}
