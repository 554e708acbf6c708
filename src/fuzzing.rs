//! What the fuzz targets in `fuzz/` and the property tests feed with arbitrary input: the parsers
//! that read text from outside, each called as the app calls it, and the check of what the
//! Markdown pipeline promises. Built only with the `fuzzing` feature, which `fuzz/` and the
//! tests turn on; no shipped build has it.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, Tag, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
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

/// Reads `html` as a browser would and checks every element and attribute against the
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
    for found in tags_in(html) {
        let tag = &*found.name;
        if !tags.contains(tag) {
            return Err(UnsafeHtml::Tag(tag.to_owned()));
        }
        for attribute in &found.attrs {
            let (attribute, value) = (&*attribute.name.local, &*attribute.value);
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

/// Every tag in `html`, start and end, with its attributes' values decoded, as a browser's
/// tokenizer reads them. Without a tree builder the tokenizer does not switch to raw text inside
/// `<script>`, `<style>`, `<textarea>` and the like; none of them is on the allow-list, so the
/// check fails at such a tag before what follows it could matter.
fn tags_in(html: &str) -> Vec<Tag> {
    let tokenizer = Tokenizer::new(Tags::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

#[derive(Default)]
struct Tags(RefCell<Vec<Tag>>);

impl TokenSink for Tags {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            self.0.borrow_mut().push(tag);
        }
        TokenSinkResult::Continue
    }
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Markdown, HTML and URL pieces that have broken sanitisers, glued together at random and
    /// mixed with any text, so most cases put them where Markdown or HTML gives them meaning.
    fn hostile_markdown() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("<script>alert(1)</script>".to_owned()),
            Just("<ScRiPt src=//x.example/a.js>".to_owned()),
            Just("<scr<script>ipt>".to_owned()),
            Just("[x](javascript:alert(1))".to_owned()),
            Just("[x](JaVaScRiPt:alert(1))".to_owned()),
            Just("[x](java\tscript:alert(1))".to_owned()),
            Just("[x](&#106;avascript:alert(1))".to_owned()),
            Just("[x](&#x6A;&#x61;vascript&colon;alert(1))".to_owned()),
            Just("[x]( \u{1}javascript:alert(1))".to_owned()),
            Just("[x](vbscript:msgbox(1))".to_owned()),
            Just("[x](data:text/html,<script>alert(1)</script>)".to_owned()),
            Just("<javascript:alert(1)>".to_owned()),
            Just("![i](javascript:alert(1))".to_owned()),
            Just("[r]: javascript:alert(1)\n\n[r]".to_owned()),
            Just("<a href=\"jav&#x09;ascript:alert(1)\">a</a>".to_owned()),
            Just("<a href=\"&#0000106&#0000097vascript:alert(1)\">a</a>".to_owned()),
            Just("<img src=x onerror=alert(1)>".to_owned()),
            Just("<svg onload=alert(1)><script>alert(2)</script></svg>".to_owned()),
            Just("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>".to_owned()),
            Just("<iframe src=\"javascript:alert(1)\"></iframe>".to_owned()),
            Just("<p style=\"background:url(javascript:alert(1))\">".to_owned()),
            Just("<form action=javascript:alert(1)><button>".to_owned()),
            Just("<!--<script>-->".to_owned()),
            Just("<![CDATA[<script>]]>".to_owned()),
            Just("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">".to_owned()),
            Just("[a](https://x.example \"t\\\"onmouseover=alert(1)\")".to_owned()),
            Just("## <img src=x onerror=alert(1)>\n".to_owned()),
            Just("```\n<script>\n```\n".to_owned()),
            Just("| a | <script> |\n|---|---|\n| `x` | [y](javascript:z) |\n".to_owned()),
            Just("\n\n".to_owned()),
            Just("> ".to_owned()),
            Just("- ".to_owned()),
            "[\\[\\]()<>\"'`*_~#|!&;:= \n\tA-Za-z/\\\\\u{0}\u{b}\u{c}\u{a0}\u{2028}]{0,12}",
            any::<String>(),
        ];
        proptest::collection::vec(pieces, 0..24).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn any_markdown_renders_within_the_sanitisers_allow_list(text in hostile_markdown()) {
            if let Err(unsafe_html) = markdown(&text) {
                return Err(TestCaseError::fail(unsafe_html.to_string()));
            }
        }

        #[test]
        fn any_content_file_is_read_or_refused_with_its_problems_never_a_panic(
            body in hostile_markdown(),
            front_matter in "(title|slug|lang|summary|updated|\\[\\[salary\\]\\]|min|max|[a-z_]{1,8}) ?= ?(\"[^\"\n]{0,12}\"|[0-9]{1,11}|2026-0[1-9]-[0-3][0-9]|\\[\"[a-z]{0,5}\"\\]|\\{|'''|\n)",
            lines in 0..12usize,
        ) {
            let text = format!("+++\n{}\n+++\n{body}", front_matter.repeat(lines));
            let problems = content_file(&text);
            prop_assert!(problems.iter().all(|problem| problem.contains("fuzz.md")), "{:?}", problems);
        }

        #[test]
        fn any_form_body_is_decoded_and_answered_never_a_panic(
            body in proptest::collection::vec(
                prop_oneof![
                    Just(b"&".to_vec()),
                    Just(b"=".to_vec()),
                    Just(b"%".to_vec()),
                    Just(b"%ff%fe".to_vec()),
                    Just(b"%0d%0aBcc:".to_vec()),
                    Just(b"company=ACME&name=Eve&email=eve%40x.example&role=Dev&headcount=2&engagement=either&work_mode=remote&message=We+need+someone+for+a+long+project".to_vec()),
                    "(company|name|email|phone|headcount|start|message|work_mode|profile|referrer)=".prop_map(String::into_bytes),
                    any::<Vec<u8>>(),
                ],
                0..12,
            )
        ) {
            let _ = form_body(&body.concat());
        }
    }

    #[test]
    fn the_check_finds_what_would_run_or_leave_the_allow_list() {
        assert_eq!(check_sanitised("<p>ok</p><script>x</script>"), Err(UnsafeHtml::Script));
        assert_eq!(check_sanitised("<iframe></iframe>"), Err(UnsafeHtml::Tag("iframe".into())));
        assert!(matches!(check_sanitised("<img src=x onerror=alert(1)>"), Err(UnsafeHtml::Attribute { .. })));
        assert!(matches!(check_sanitised("<p style=\"color:red\">"), Err(UnsafeHtml::Attribute { .. })));
        for hidden in ["jav&#x09;ascript:alert(1)", " JAVASCRIPT:alert(1)", "&#106;avascript:x", "java\nscript:x"] {
            let html = format!("<a href=\"{hidden}\">a</a>");
            assert!(matches!(check_sanitised(&html), Err(UnsafeHtml::Scheme { .. })), "{html}");
        }
        assert_eq!(check_sanitised("<p>javascript: is text here</p><a href=\"/x:y\" rel=\"noopener\">a</a>"), Ok(()));
        assert_eq!(check_sanitised("<a href=\"https://x.example/\">a</a><img src=\"/media/a.png\" alt=\"a\">"), Ok(()));
    }
}
