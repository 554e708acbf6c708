//! The one place that owns Markdown options and turns a body into safe HTML.
//!
//! Raw HTML in Markdown is allowed through the parser and then sanitised with ammonia:
//! scripts, event handlers, styles and `javascript:` URLs are removed, harmless markup stays.

use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::domain::{RenderedMarkdown, TocEntry};

/// A rendered body plus what the loader needs to report problems in it.
pub struct Rendered {
    pub markdown: RenderedMarkdown,
    /// Byte offsets (within the body) of `#` headings, which the page title already provides.
    pub top_level_headings: Vec<usize>,
    /// Link targets as written, with their place in the body.
    pub links: Vec<(String, std::ops::Range<usize>)>,
    pub images: Vec<(String, std::ops::Range<usize>)>,
}

pub(crate) static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder.link_rel(None).add_tag_attributes("a", &["rel"]);
    for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        builder.add_tag_attributes(heading, &["id"]);
    }
    builder
});

const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH);

/// Where a rendered text sits in a page: a body's `##` is the page's second level; a text shown
/// inside a section of its own (a job-description template) sits one level deeper, and its ids
/// carry a prefix so they never meet the body's.
#[derive(Clone, Copy)]
pub struct Nesting {
    pub levels_down: usize,
    pub id_prefix: &'static str,
}

impl Nesting {
    pub const BODY: Nesting = Nesting { levels_down: 0, id_prefix: "" };
    pub const JOB_DESCRIPTION: Nesting = Nesting { levels_down: 1, id_prefix: "job-" };
}

pub fn render(markdown: &str) -> Rendered {
    render_nested(markdown, Nesting::BODY)
}

pub fn render_nested(markdown: &str, nesting: Nesting) -> Rendered {
    let options = OPTIONS;
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut toc = Vec::new();
    let mut top_level_headings = Vec::new();
    let mut ids = HeadingIds::default();
    let mut open_heading: Option<(HeadingLevel, usize, String)> = None;
    let (mut links, mut images) = (Vec::new(), Vec::new());

    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if level == HeadingLevel::H1 {
                    top_level_headings.push(range.start);
                }
                let level = nested(level, nesting);
                open_heading = Some((level, events.len(), String::new()));
                events.push(Event::Start(Tag::Heading { level, id: None, classes: vec![], attrs: vec![] }));
            }
            Event::End(TagEnd::Heading(level)) => {
                let level = nested(level, nesting);
                if let Some((_, start, text)) = open_heading.take() {
                    let id = format!("{}{}", nesting.id_prefix, ids.claim(&text));
                    if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                        toc.push(TocEntry { level: level as u8, id: id.clone(), text: text.trim().to_owned() });
                    }
                    events[start] = Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id)),
                        classes: vec![],
                        attrs: vec![],
                    });
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link { dest_url, title, .. }) if is_external(&dest_url) => {
                events.push(Event::Html(external_link_start(&dest_url, &title).into()));
            }
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                links.push((dest_url.to_string(), range.clone()));
                events.push(event);
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                images.push((dest_url.to_string(), range.clone()));
                events.push(event);
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                if let Some((_, _, heading_text)) = open_heading.as_mut() {
                    heading_text.push_str(text);
                }
                events.push(event);
            }
            other => events.push(other),
        }
    }

    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events.into_iter());
    let html = SANITIZER.clean(&unsafe_html).to_string();
    Rendered { markdown: RenderedMarkdown { html, toc }, top_level_headings, links, images }
}

fn nested(level: HeadingLevel, nesting: Nesting) -> HeadingLevel {
    HeadingLevel::try_from(level as usize + nesting.levels_down).unwrap_or(HeadingLevel::H6)
}

/// Markdown as readable plain text, for a file to download: a heading on its own line with a
/// line of dashes under it, list items as `- ` or `1. `, links followed by their address, and
/// no markup left.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut heading_from: Option<usize> = None;
    let mut links: Vec<String> = Vec::new();
    for event in Parser::new_ext(markdown, OPTIONS) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                blank_line(&mut text);
                heading_from = Some(text.len());
            }
            Event::End(TagEnd::Heading(_)) => {
                let width = heading_from.take().map_or(0, |from| text[from..].chars().count());
                text.push('\n');
                text.push_str(&"-".repeat(width));
                text.push_str("\n\n");
            }
            Event::Start(Tag::List(first)) => {
                if lists.is_empty() {
                    blank_line(&mut text);
                }
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    blank_line(&mut text);
                }
            }
            Event::Start(Tag::Item) => {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&"  ".repeat(lists.len().saturating_sub(1)));
                match lists.last_mut() {
                    Some(Some(number)) => {
                        text.push_str(&format!("{number}. "));
                        *number += 1;
                    }
                    _ => text.push_str("- "),
                }
            }
            Event::End(TagEnd::Item) | Event::HardBreak => text.push('\n'),
            Event::End(TagEnd::Paragraph) if lists.is_empty() => text.push_str("\n\n"),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = links.pop().filter(|url| !text.ends_with(url.as_str())) {
                    text.push_str(&format!(" ({url})"));
                }
            }
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak => text.push(' '),
            _ => {}
        }
    }
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.dedup_by(|next, previous| next.is_empty() && previous.is_empty());
    let joined = lines.join("\n");
    format!("{}\n", joined.trim())
}

fn blank_line(text: &mut String) {
    if !text.is_empty() && !text.ends_with("\n\n") {
        text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
    }
}

fn is_external(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//")
}

fn external_link_start(url: &str, title: &str) -> String {
    let mut out = String::from("<a href=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut out, url);
    if !title.is_empty() {
        out.push_str("\" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut out, title);
    }
    out.push_str("\" rel=\"noopener noreferrer\">");
    out
}

/// Gives each heading an id derived from its text, stable across renders, unique in a page.
#[derive(Default)]
struct HeadingIds {
    used: HashMap<String, usize>,
}

impl HeadingIds {
    fn claim(&mut self, text: &str) -> String {
        let base = heading_slug(text);
        let seen = self.used.entry(base.clone()).or_insert(0);
        *seen += 1;
        if *seen == 1 { base } else { format!("{base}-{seen}") }
    }
}

fn heading_slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => slug.push_str("ae"),
            'ö' => slug.push_str("oe"),
            'ü' => slug.push_str("ue"),
            'ß' => slug.push_str("ss"),
            c if c.is_ascii_alphanumeric() => slug.push(c),
            _ if !slug.is_empty() && !slug.ends_with('-') => slug.push('-'),
            _ => {}
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() { "section".to_owned() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_stable_unique_ids_and_a_table_of_contents() {
        let rendered = render("## Was verdient ein Backend-Entwickler?\n\n### FAQ\n\n### FAQ\n\n#### Deep\n");
        let ids: Vec<_> = rendered.markdown.toc.iter().map(|e| (e.level, e.id.as_str())).collect();
        assert_eq!(ids, [(2, "was-verdient-ein-backend-entwickler"), (3, "faq"), (3, "faq-2")]);
        assert!(rendered.markdown.html.contains(r#"<h2 id="was-verdient-ein-backend-entwickler">"#));
        assert!(rendered.markdown.html.contains(r#"<h4 id="deep">"#));
    }

    #[test]
    fn scripts_and_event_handlers_in_markdown_are_removed() {
        let html =
            render("Hi <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))").markdown.html;
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }

    #[test]
    fn only_external_links_get_noopener() {
        let html = render("[a](https://example.com/?a=1&b=\"2\") [b](/profiles/x) [c](#faq)").markdown.html;
        assert!(
            html.contains(r#"<a href="https://example.com/?a=1&amp;b=%222%22" rel="noopener noreferrer">a</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"<a href="/profiles/x">b</a>"#), "{html}");
        assert!(html.contains(r##"<a href="#faq">c</a>"##), "{html}");
    }

    #[test]
    fn a_body_with_everything_an_editor_may_write_renders_as_last_reviewed() {
        let body = r#"## Was verdient ein Backend-Entwickler?

A paragraph with **strong**, *emphasis*, `inline code`, ~~struck~~ text and a line
break across lines. [Inside the site](/profiles/tester), [to a section](#faq) and
[elsewhere](https://example.com/guide?a=1&b=2).

![A chart](/media/chart.png "Salaries")

- one
- two
  1. nested first
  2. nested second

> A quotation, with **markup**.

```rust
fn main() { println!("<not html>"); }
```

| Level | Pay | Note |
|:------|----:|:----:|
| Junior | 40k | *fair* |

### FAQ

### FAQ

<p onclick="steal()">Raw HTML <script>alert(1)</script><a href="javascript:alert(2)">kept safe</a></p>

---
"#;
        insta::assert_snapshot!(render(body).markdown.html);
    }

    #[test]
    fn a_nested_text_has_its_headings_one_level_down_with_prefixed_ids() {
        let rendered = render_nested("## About us\n\n### The team\n", Nesting { levels_down: 1, id_prefix: "job-" });
        assert!(
            rendered.markdown.html.contains(r#"<h3 id="job-about-us">About us</h3>"#),
            "{}",
            rendered.markdown.html
        );
        assert!(rendered.markdown.html.contains(r#"<h4 id="job-the-team">"#), "{}", rendered.markdown.html);
    }

    #[test]
    fn plain_text_keeps_headings_lists_and_link_addresses_readable() {
        let markdown = "## About [Company]\n\nWe build *tools* for\nshops.\n\n- one\n- two **bold**\n  - nested\n\n\
                        1. first\n2. second\n\nApply at [our page](https://jobs.example) or <b>here</b>.\n";
        assert_eq!(
            plain_text(markdown),
            "About [Company]\n---------------\n\nWe build tools for shops.\n\n- one\n- two bold\n  - nested\n\n\
             1. first\n2. second\n\nApply at our page (https://jobs.example) or here.\n"
        );
    }

    #[test]
    fn tables_are_rendered_and_top_level_headings_are_reported() {
        let rendered = render("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert_eq!(rendered.top_level_headings, [0]);
        assert!(rendered.markdown.html.contains("<table>"));
    }
}
