//! The salaries page of each language: every published role's salary rows side by side, one
//! table per currency and period (amounts are never converted, so they are compared only where
//! they share both), filtered and ordered by plain links. Rendered once per content version and
//! filter; the filters take only values the content holds, so the variants are bounded.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde_json::json;

use crate::domain::paths::Localized;
use crate::domain::{Currency, Engagement, Lang, Level, Profile, SalaryFilter, SalaryPeriod, SalaryRow, SalarySort};
use crate::error::AppError;
use crate::i18n::{Strings, format_date, strings};
use crate::read_model::Site;
use crate::routes::layout::{Layout, Link};
use crate::routes::{cache, html_of};
use crate::state::AppState;

pub async fn show(req: HttpRequest, state: web::Data<AppState>, lang: Lang) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let profiles = site.profiles(lang);
    let regions = regions(&profiles);
    let filter = SalaryFilter::parse(req.query_string(), &regions).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let base = Localized::Salaries.path(lang);
    let key = format!("{base}{}", filter.query());
    if let Some(response) = cache::cached(&req, &site, &key) {
        return Ok(response);
    }
    let latest = || profiles.iter().map(|p| p.updated).max();
    let page = salaries_page(&site, lang, &profiles, &regions, &filter);
    cache::serve(&req, &site, &key, latest, || html_of(&page))
}

/// Every region the language's published profiles name, in alphabetical order.
fn regions<'a>(profiles: &[&'a Profile]) -> Vec<&'a str> {
    let mut regions: Vec<&str> = profiles.iter().flat_map(|p| p.salaries.iter().map(SalaryRow::region)).collect();
    regions.sort_unstable();
    regions.dedup();
    regions
}

/// A filter link: what it says, where it leads, whether it is the filter shown.
pub struct FilterLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

pub struct FilterGroup {
    pub label: String,
    pub links: Vec<FilterLink>,
}

pub struct RowView {
    pub title: String,
    pub href: String,
    pub region: String,
    pub level: String,
    pub range: String,
    pub median: Option<String>,
    pub source: String,
    pub as_of: String,
    /// The bar, in hundredths of the table's highest figure: start, length, median.
    pub bar_start: u32,
    pub bar_width: u32,
    pub bar_median: Option<u32>,
}

/// Rows that share a currency and a period, the only ones whose amounts compare.
pub struct TableView {
    pub id: String,
    pub heading: String,
    pub rows: Vec<RowView>,
}

#[derive(Template)]
#[template(path = "salaries.html")]
struct SalariesPage<'a> {
    layout: Layout<'a>,
    filters: Vec<FilterGroup>,
    sorts: Vec<FilterLink>,
    tables: Vec<TableView>,
}

fn salaries_page<'a>(
    site: &'a Site,
    lang: Lang,
    profiles: &[&Profile],
    regions: &[&str],
    filter: &SalaryFilter,
) -> SalariesPage<'a> {
    let t = strings(lang);
    let base = Localized::Salaries.path(lang);
    let tables = tables(profiles, filter, lang, t);
    let layout = Layout::new(site, lang, base, &t.salaries_title, &t.salaries_intro)
        .translated_at(site, Some(Localized::Salaries.path(lang.other()).to_owned()))
        .below(Vec::<Link>::new())
        .with_structured_data(&item_list(site, t, &tables));
    SalariesPage { layout, filters: filters(base, filter, regions, t), sorts: sorts(base, filter, t), tables }
}

fn link(base: &str, label: &str, filter: &SalaryFilter, shown: &SalaryFilter) -> FilterLink {
    FilterLink { label: label.to_owned(), href: format!("{base}{}", filter.query()), current: filter == shown }
}

fn filters(base: &str, shown: &SalaryFilter, regions: &[&str], t: &Strings) -> Vec<FilterGroup> {
    let group = |label: &str, links: Vec<FilterLink>| FilterGroup { label: label.to_owned(), links };
    let all = |change: fn(&mut SalaryFilter)| {
        let mut filter = shown.clone();
        change(&mut filter);
        link(base, &t.salaries_filter_all, &filter, shown)
    };
    vec![
        group(
            &t.salaries_filter_region,
            std::iter::once(all(|f| f.region = None))
                .chain(regions.iter().map(|region| {
                    link(base, region, &SalaryFilter { region: Some((*region).to_owned()), ..shown.clone() }, shown)
                }))
                .collect(),
        ),
        group(
            &t.salaries_filter_currency,
            std::iter::once(all(|f| f.currency = None))
                .chain(Currency::ALL.into_iter().map(|currency| {
                    link(base, currency.code(), &SalaryFilter { currency: Some(currency), ..shown.clone() }, shown)
                }))
                .collect(),
        ),
        group(
            &t.salaries_filter_engagement,
            std::iter::once(all(|f| f.engagement = None))
                .chain(Engagement::ALL.into_iter().map(|engagement| {
                    let filter = SalaryFilter { engagement: Some(engagement), ..shown.clone() };
                    link(base, t.engagement_heading(engagement), &filter, shown)
                }))
                .collect(),
        ),
        group(
            &t.salaries_filter_level,
            std::iter::once(all(|f| f.level = None))
                .chain(Level::ALL.into_iter().map(|level| {
                    link(base, t.level(level), &SalaryFilter { level: Some(level), ..shown.clone() }, shown)
                }))
                .collect(),
        ),
    ]
}

fn sorts(base: &str, shown: &SalaryFilter, t: &Strings) -> Vec<FilterLink> {
    [(SalarySort::Median, &t.salaries_sort_median), (SalarySort::Max, &t.salaries_sort_max)]
        .into_iter()
        .map(|(sort, label)| link(base, label, &SalaryFilter { sort, ..shown.clone() }, shown))
        .collect()
}

fn tables(profiles: &[&Profile], filter: &SalaryFilter, lang: Lang, t: &Strings) -> Vec<TableView> {
    let mut tables = Vec::new();
    for currency in Currency::ALL {
        for period in SalaryPeriod::ALL {
            let mut rows: Vec<(&Profile, &SalaryRow)> = profiles
                .iter()
                .flat_map(|profile| profile.salaries.iter().map(move |row| (*profile, row)))
                .filter(|(_, row)| row.currency() == currency && row.period() == period && filter.matches(row))
                .collect();
            if rows.is_empty() {
                continue;
            }
            rows.sort_by(|(a_profile, a), (b_profile, b)| {
                filter
                    .sort_value(b)
                    .cmp(&filter.sort_value(a))
                    .then_with(|| a_profile.title.cmp(&b_profile.title))
                    .then_with(|| a.region().cmp(b.region()))
                    .then_with(|| a.level().cmp(&b.level()))
            });
            let scale = rows.iter().map(|(_, row)| row.max()).max().unwrap_or(1).max(1);
            let hundredths = |value: u32| u32::try_from(u64::from(value) * 100 / u64::from(scale)).unwrap_or(100);
            tables.push(TableView {
                id: format!("salaries-{}-{}", currency.code().to_lowercase(), period.code()),
                heading: format!("{} {}", currency.code(), t.period(period)),
                rows: rows
                    .into_iter()
                    .map(|(profile, row)| {
                        let amount = |value| currency.format(value, lang);
                        RowView {
                            title: profile.title.clone(),
                            href: profile.path(),
                            region: row.region().to_owned(),
                            level: row.level().map_or(t.salaries_all_levels.clone(), |level| t.level(level).to_owned()),
                            range: format!("{} – {}", amount(row.min()), amount(row.max())),
                            median: row.median().map(amount),
                            source: row.source().to_owned(),
                            as_of: format_date(row.as_of(), lang),
                            bar_start: hundredths(row.min()),
                            bar_width: hundredths(row.max()).saturating_sub(hundredths(row.min())).max(1),
                            bar_median: row.median().map(hundredths),
                        }
                    })
                    .collect(),
            });
        }
    }
    tables
}

/// The roles listed, each once, in the order they first appear.
fn item_list(site: &Site, t: &Strings, tables: &[TableView]) -> serde_json::Value {
    let mut listed: Vec<(&str, &str)> = Vec::new();
    for row in tables.iter().flat_map(|table| &table.rows) {
        if !listed.iter().any(|(href, _)| *href == row.href) {
            listed.push((&row.href, &row.title));
        }
    }
    let items: Vec<serde_json::Value> = listed
        .iter()
        .enumerate()
        .map(|(i, (href, title))| {
            json!({ "@type": "ListItem", "position": i + 1, "url": site.absolute_url(href), "name": title })
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": t.salaries_title,
        "numberOfItems": items.len(),
        "itemListElement": items,
    })
}
