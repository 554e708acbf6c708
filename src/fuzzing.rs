//! What the fuzz targets in `fuzz/` and the property tests feed with arbitrary input: the parsers
//! that read text from outside, each called as the app calls it, and the check of what the
//! Markdown pipeline promises. Built only with the `fuzzing` feature, which `fuzz/` and the
//! tests turn on; no shipped build has it.

use scraper::Html;
use time::OffsetDateTime;

use crate::content::markdown::{self, SANITIZER};
use crate::domain::Lang;
use crate::routes::contact::body;
use crate::routes::contact::lead_form::{attribution, new_lead};

/// A content file's text read as a profile and as a page, each problem as `check` prints it.
pub fn content_file(text: &str) -> Vec<String> {
    crate::content::load::read_as_profile_and_page(text).entries().iter().map(ToString::to_string).collect()
}

/// A hiring form's body as the handler reads it: decoded, then parsed into a lead and its
/// attribution. Whether it was a valid request.
pub fn form_body(body: &[u8]) -> bool {
    let Ok(form) = body::decode("application/x-www-form-urlencoded", body) else {
        return false;
    };
    let _ = attribution(&form, Lang::En, |_| true);
    new_lead(&form, OffsetDateTime::now_utc().date()).is_ok()
}

/// Markdown rendered as a body is, and checked against what the page promises its visitors.
pub fn markdown(text: &str) -> Result<String, UnsafeHtml> {
    let html = markdown::render(text).markdown.html;
    check_sanitised(&html)?;
    Ok(html)
}

/// Why rendered HTML could run a script or otherwise goes beyond the sanitiser's allow-list.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UnsafeHtml {
    #[error("`<script` in the HTML")]
    Script,
    #[error("<{0}> is not on the sanitiser's allow-list")]
    Tag(String),
    #[error("<{tag} {attribute}> is not on the sanitiser's allow-list")]
    Attribute { tag: String, attribute: String },
    #[error("<{tag} {attribute}=\"{value}\">: a URL scheme not on the sanitiser's allow-list")]
    Scheme { tag: String, attribute: String, value: String },
}

/// Parses `html` as a browser would and checks every element and attribute against the
/// sanitiser's own allow-list, and every URL's scheme as a browser reads it (entities decoded,
/// tabs and line breaks dropped, any case), so `javascript:` cannot hide in an encoding.
pub fn check_sanitised(html: &str) -> Result<(), UnsafeHtml> {
    if html.to_ascii_lowercase().contains("<script") {
        return Err(UnsafeHtml::Script);
    }
    let (tags, generic, per_tag, schemes) = (
        SANITIZER.clone_tags(),
        SANITIZER.clone_generic_attributes(),
        SANITIZER.clone_tag_attributes(),
        SANITIZER.clone_url_schemes(),
    );
    let fragment = Html::parse_fragment(html);
    // The first is the `<html>` the parser puts around a fragment.
    for element in fragment.root_element().descendent_elements().skip(1) {
        let tag = element.value().name();
        if !tags.contains(tag) {
            return Err(UnsafeHtml::Tag(tag.to_owned()));
        }
        for (attribute, value) in element.value().attrs() {
            let allowed =
                generic.contains(attribute) || per_tag.get(tag).is_some_and(|allowed| allowed.contains(attribute));
            if !allowed {
                return Err(UnsafeHtml::Attribute { tag: tag.to_owned(), attribute: attribute.to_owned() });
            }
            let is_url = matches!(attribute, "href" | "src" | "cite" | "longdesc" | "poster" | "action" | "data");
            if is_url && scheme(value).is_some_and(|scheme| !schemes.contains(scheme.as_str())) {
                return Err(UnsafeHtml::Scheme {
                    tag: tag.to_owned(),
                    attribute: attribute.to_owned(),
                    value: value.to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// A URL's scheme as a browser finds it (WHATWG URL): leading and trailing controls and spaces
/// trimmed, tabs and line breaks removed anywhere, in lower case. `None` for a relative URL.
fn scheme(url: &str) -> Option<String> {
    let cleaned: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    well_formed.then(|| scheme.to_ascii_lowercase())
}
