//! Parsing a profile file (`profiles/<lang>/<slug>.md`) with its salary table.

use std::sync::Arc;

use toml::Spanned;

use super::document::{front_matter, parse_body, split_links};
use super::fields::Fields;
use super::job;
use super::{Located, ParsedProfile, ProfileSpans};
use crate::content::cache::fingerprint;
use crate::content::front_matter::{ProfileFrontMatter, SalaryFrontMatter};
use crate::content::source::SourceFile;
use crate::content::suggest::hint_with_closest;
use crate::content::{Diagnostics, placeholders};
use crate::domain::{
    CountryCode, Currency, Engagement, IscoCode, Lang, Level, Profile, SalaryPeriod, SalaryRow, SalaryRowError,
    SalaryRowParts, Slug,
};

/// A profile, its body's HTML and its job-description template's Markdown.
pub(super) fn parse_profile(
    file: SourceFile,
    folder_lang: Lang,
    diagnostics: &mut Diagnostics,
) -> Option<ParsedProfile> {
    let filled_in = placeholders::check(&file, diagnostics);
    let (fm, base, body_start) = front_matter::<ProfileFrontMatter>(&file, diagnostics)?;
    let sections = job::sections(&file, body_start, diagnostics);
    let body_range = sections.as_ref().map_or(body_start..file.text().len(), |s| s.body.clone());
    let body = parse_body(&file, body_range, diagnostics);
    let mut f = Fields { file: &file, base, diagnostics };

    let lang = f.lang(&fm.lang, folder_lang);
    let slug = f.slug_matching_file_name(&fm.slug);
    let translation_key = f.slug("translation_key", &fm.translation_key);
    let title = f.text("title", &fm.title, 120);
    let summary = f.text("summary", &fm.summary, 200);
    let category = f.text("category", &fm.category, 80);
    let hard_skills = f.list("hard_skills", &fm.hard_skills, 60);
    let soft_skills = f.list("soft_skills", &fm.soft_skills, 60);
    let salaries = salary_rows(&mut f, &fm.salary);
    let isco = fm.isco.as_ref().map(|code| isco(&mut f, code));
    let related: Option<Vec<Slug>> = fm.related.iter().map(|r| f.slug("related", r)).collect();
    let contact = fm.contact.as_ref().map(|c| f.slug("contact", c));
    let updated = f.date("updated", &fm.updated);
    let publish_at = fm.publish_at.as_ref().map(|value| f.moment("publish_at", value));
    let aliases: Option<Vec<String>> = fm.aliases.iter().map(|a| f.alias(a)).collect();
    let (body, mut body_links) = split_links(body);
    let template = match sections.map(|s| s.template) {
        None => None,
        Some(None) => Some(None),
        Some(Some(range)) => {
            let for_lang = lang.unwrap_or(folder_lang);
            job::check_template(&file, range, for_lang, &mut body_links, f.diagnostics).map(Some)
        }
    };
    let spans = ProfileSpans {
        body: body_links,
        slug: f.span(&fm.slug),
        translation_key: f.span(&fm.translation_key),
        contact: fm.contact.as_ref().map(|c| f.span(c)),
        related: fm.related.iter().map(|r| f.span(r)).collect(),
        aliases: fm.aliases.iter().map(|a| f.span(a)).collect(),
    };
    let contact = match contact {
        Some(parsed) => Some(parsed?),
        None => None,
    };
    let rendered = body.filter(|_| filled_in)?;
    let job_description = template?;
    let mut profile = Profile {
        lang: lang?,
        slug: slug?,
        translation_key: translation_key?,
        title: title?,
        summary: summary?,
        category: category?,
        hard_skills: hard_skills?,
        soft_skills: soft_skills?,
        salaries: salaries?,
        isco: isco.map_or(Some(None), |parsed| parsed.map(Some))?,
        related: related?,
        contact,
        updated: updated?,
        draft: fm.draft,
        publish_at: match publish_at {
            Some(parsed) => Some(parsed?),
            None => None,
        },
        aliases: aliases?,
        toc: rendered.markdown.toc,
        source_path: file.rel_path.clone(),
        source_hash: String::new(),
    };
    profile.source_hash = fingerprint(&(&profile, &job_description), &rendered.markdown.html);
    Some((Located { value: Arc::new(profile), file, spans }, rendered.markdown.html, job_description))
}

fn isco(f: &mut Fields<'_>, code: &Spanned<String>) -> Option<IscoCode> {
    code.get_ref()
        .parse::<IscoCode>()
        .map_err(|e| {
            f.error(
                code,
                e.to_string(),
                "write the ISCO-08 unit group in quotes, e.g. isco = \"2512\" for software developers",
            );
        })
        .ok()
}

pub(super) fn salary_rows(
    f: &mut Fields<'_>,
    rows: &Spanned<Vec<Spanned<SalaryFrontMatter>>>,
) -> Option<Vec<SalaryRow>> {
    if rows.get_ref().is_empty() {
        f.error(
            rows,
            "no salary rows",
            "add at least one [[salary]] table with region, currency, min, max, source and as_of",
        );
        return None;
    }
    let parsed: Vec<Option<SalaryRow>> = rows.get_ref().iter().map(|row| salary_row(f, row.get_ref())).collect();
    let mut ok = true;
    for (i, (row, written)) in parsed.iter().zip(rows.get_ref()).enumerate() {
        let Some(row) = row else { continue };
        if parsed[..i].iter().flatten().any(|earlier| earlier.key() == row.key()) {
            let level = row.level().map_or(String::new(), |level| format!(", level {}", level.code()));
            f.error(
                &written.get_ref().region,
                format!("a second salary row for \"{}\"{level}, engagement {}", row.region(), row.engagement().code()),
                "merge the two rows, or tell them apart by `level` or `engagement`",
            );
            ok = false;
        }
    }
    let rows: Option<Vec<SalaryRow>> = parsed.into_iter().collect();
    rows.filter(|_| ok)
}

/// A code from `codes`, or an error at `value` that names the closest one.
fn code<T>(
    f: &mut Fields<'_>,
    field: &str,
    value: &Spanned<String>,
    codes: &[T],
    code_of: fn(&T) -> &'static str,
) -> Option<T>
where
    T: Copy,
{
    let written = value.get_ref();
    if let Some(found) = codes.iter().find(|c| code_of(c) == written) {
        return Some(*found);
    }
    let names: Vec<&str> = codes.iter().map(code_of).collect();
    let hint = format!("use {}", names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "));
    f.error(value, format!("unknown {field} `{written}`"), hint_with_closest(hint, written, names.iter().copied()));
    None
}

fn country(f: &mut Fields<'_>, value: &Spanned<String>) -> Option<CountryCode> {
    let written = value.get_ref();
    written
        .parse::<CountryCode>()
        .map_err(|e| {
            let hint = if written.to_uppercase().parse::<CountryCode>().is_ok() {
                format!("write the code in capitals: \"{}\"", written.to_uppercase())
            } else if written.eq_ignore_ascii_case("uk") {
                "the United Kingdom's ISO code is \"GB\"".to_owned()
            } else {
                "two capital letters, e.g. \"DE\"; leave `country` out for a region of several countries such as Europe"
                    .to_owned()
            };
            f.error(value, e.to_string(), hint);
        })
        .ok()
}

pub(super) fn salary_row(f: &mut Fields<'_>, row: &SalaryFrontMatter) -> Option<SalaryRow> {
    let region = f.text("region", &row.region, 60);
    let country = row.country.as_ref().map(|value| country(f, value)).map_or(Some(None), |c| c.map(Some));
    let level = row
        .level
        .as_ref()
        .map(|value| code(f, "level", value, &Level::ALL, |l| l.code()))
        .map_or(Some(None), |l| l.map(Some));
    let engagement = match &row.engagement {
        None => Some(Engagement::Employee),
        Some(value) => code(f, "engagement", value, &Engagement::ALL, |e| e.code()),
    };
    let currency = row
        .currency
        .get_ref()
        .parse::<Currency>()
        .map_err(|e| f.error(&row.currency, e.to_string(), "write the ISO 4217 code in capitals, e.g. \"EUR\""))
        .ok();
    let period = match &row.period {
        None => engagement.map(|e| e.periods()[0]),
        Some(period) => period
            .get_ref()
            .parse::<SalaryPeriod>()
            .map_err(|e| f.error(period, e.to_string(), "leave it out for yearly salaries or day rates"))
            .ok(),
    };
    let source = f.text("source", &row.source, 200);
    let as_of = f.date("as_of", &row.as_of);
    let parts = SalaryRowParts {
        region: region?,
        country: country?,
        level: level?,
        engagement: engagement?,
        currency: currency?,
        period: period?,
        min: *row.min.get_ref(),
        max: *row.max.get_ref(),
        median: row.median.as_ref().map(|m| *m.get_ref()),
        source: source?,
        as_of: as_of?,
    };
    SalaryRow::new(parts)
        .map_err(|e| {
            let (at, hint) = match (&e, &row.median, &row.period) {
                (SalaryRowError::MedianOutsideRange { .. }, Some(median), _) => {
                    (f.span(median), "min <= median <= max; swap the figures if they are reversed")
                }
                (SalaryRowError::PeriodDoesNotFit { engagement: Engagement::Freelance, .. }, _, Some(period)) => {
                    (f.span(period), "give freelance rates per day or hour, e.g. period = \"day\"")
                }
                (SalaryRowError::PeriodDoesNotFit { .. }, _, Some(period)) => (
                    f.span(period),
                    "give salaries per year or month, or set engagement = \"freelance\" for a day or hour rate",
                ),
                _ => (f.span(&row.min), "min <= median <= max; swap the figures if they are reversed"),
            };
            f.diagnostics.push(f.file.error_in(&at, format!("salary row for this region: {e}"), hint));
        })
        .ok()
}
