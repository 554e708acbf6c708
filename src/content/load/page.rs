//! Parsing a plain page file (`pages/<lang>/<slug>.md`).

use super::document::{front_matter, parse_body, split_links};
use super::fields::Fields;
use super::{Located, PageSpans};
use crate::content::front_matter::PageFrontMatter;
use crate::content::source::SourceFile;
use crate::content::{Diagnostics, placeholders};
use crate::domain::{Lang, Page};

pub(super) fn parse_page(
    file: SourceFile,
    folder_lang: Lang,
    diagnostics: &mut Diagnostics,
) -> Option<Located<Page, PageSpans>> {
    let filled_in = placeholders::check(&file, diagnostics);
    let (fm, base, body_start) = front_matter::<PageFrontMatter>(&file, diagnostics)?;
    let body = parse_body(&file, body_start..file.text().len(), diagnostics);
    let mut f = Fields { file: &file, base, diagnostics };
    let lang = f.lang(&fm.lang, folder_lang);
    let slug = f.slug_matching_file_name(&fm.slug);
    let translation_key = f.slug("translation_key", &fm.translation_key);
    let title = f.text("title", &fm.title, 120);
    let summary = f.text("summary", &fm.summary, 200);
    let updated = f.date("updated", &fm.updated);
    let (body, body_links) = split_links(body);
    let spans = PageSpans { body: body_links, slug: f.span(&fm.slug), translation_key: f.span(&fm.translation_key) };
    let rendered = body.filter(|_| filled_in)?;
    let page = Page {
        lang: lang?,
        slug: slug?,
        translation_key: translation_key?,
        title: title?,
        summary: summary?,
        updated: updated?,
        body: rendered.markdown,
        source_path: file.rel_path.clone(),
    };
    Some(Located { value: page, file, spans })
}
