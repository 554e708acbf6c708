//! Which profiles bring requests: views, leads, spam and conversion per profile and language over
//! the last 7, 30 or 90 days, sortable by each column, with a bar chart and a CSV export.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use time::OffsetDateTime;

use super::{AdminFrame, csv_download, page};
use crate::auth::StaffSession;
use crate::db::leads;
use crate::domain::Profile;
use crate::domain::paths::admin;
use crate::domain::stats::{ProfileStats, SortOrder, StatsColumn, StatsPeriod, StatsSort};
use crate::error::AppError;
use crate::export::stats_csv;
use crate::read_model::Site;
use crate::routes::with_leads;
use crate::state::AppState;

/// Bars in the chart: the most viewed rows, so it stays readable on a site with many profiles.
const CHART_BARS: usize = 20;
/// The chart's drawing units: labels on the left, bars after them, the figure after each bar.
const CHART_WIDTH: u64 = 640;
const BAR_X: u64 = 230;
const BAR_MAX: u64 = 250;
const ROW_HEIGHT: u64 = 26;
/// Characters of a label that fit left of the bars.
const LABEL_CHARS: usize = 32;

/// The query string as typed; an empty value takes the default, an unknown one is refused.
#[derive(Debug, Default, Deserialize)]
pub struct StatsQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    order: String,
}

/// What staff asked for: a period and an order of the rows.
#[derive(Debug, Clone, Copy)]
struct Asked {
    period: StatsPeriod,
    sort: StatsSort,
}

impl StatsQuery {
    fn parse(&self) -> Result<Asked, AppError> {
        let unknown = |name: &str, value: &str| AppError::BadRequest(format!("unknown {name} `{value}`"));
        let period = match self.period.as_str() {
            "" => StatsPeriod::default(),
            code => StatsPeriod::parse(code).ok_or_else(|| unknown("period", code))?,
        };
        let column = match self.sort.as_str() {
            "" => StatsSort::default().column,
            code => StatsColumn::parse(code).ok_or_else(|| unknown("column", code))?,
        };
        let order = match self.order.as_str() {
            "" if self.sort.is_empty() => StatsSort::default().order,
            "" => column.natural_order(),
            code => SortOrder::parse(code).ok_or_else(|| unknown("order", code))?,
        };
        Ok(Asked { period, sort: StatsSort { column, order } })
    }
}

impl Asked {
    fn href(self, path: &str) -> String {
        format!(
            "{path}?period={}&sort={}&order={}",
            self.period.days(),
            self.sort.column.code(),
            self.sort.order.code()
        )
    }
}

/// What the query asks for, and the rows of its period sorted as asked.
async fn rows(state: &AppState, query: &StatsQuery) -> Result<(Asked, Vec<ProfileStats>), AppError> {
    let asked = query.parse()?;
    let first_day = asked.period.first_day(OffsetDateTime::now_utc().date());
    let mut rows = with_leads(state, move |conn| Ok(leads::profile_stats(conn, first_day)?)).await?;
    asked.sort.sort(&mut rows);
    Ok((asked, rows))
}

pub struct RowView {
    pub label: String,
    /// The language of the label when it is a profile's title.
    pub label_lang: Option<&'static str>,
    /// The profile's page while it is published.
    pub href: Option<String>,
    pub lang: &'static str,
    pub views: u64,
    pub leads: u64,
    pub spam: u64,
    pub conversion: String,
}

impl RowView {
    fn new(site: &Site, row: &ProfileStats) -> RowView {
        let published = row.profile.as_ref().and_then(|slug| site.profile(row.lang, slug));
        RowView {
            label: label(site, row),
            label_lang: published.map(|_| row.lang.code()),
            href: published.map(Profile::path),
            lang: row.lang.code(),
            views: row.views,
            leads: row.leads,
            spam: row.spam,
            conversion: row.conversion_percent().map_or_else(|| "–".to_owned(), |rate| format!("{rate:.1} %")),
        }
    }
}

/// A published profile by its title, one no longer published by its slug.
fn label(site: &Site, row: &ProfileStats) -> String {
    match &row.profile {
        Some(slug) => site.profile(row.lang, slug).map_or_else(|| slug.to_string(), |p| p.title.clone()),
        None => "Contact form without a profile".to_owned(),
    }
}

/// A column heading: a link that sorts by it, the other way round when it sorts already.
pub struct ColumnView {
    pub label: &'static str,
    pub href: String,
    /// `aria-sort` of the column the rows are sorted by.
    pub sorted: Option<&'static str>,
    pub numeric: bool,
}

pub struct PeriodView {
    pub label: String,
    pub href: String,
    pub current: bool,
}

pub struct BarView {
    pub label: String,
    pub figure: String,
    pub y: u64,
    pub text_y: u64,
    pub width: u64,
    pub figure_x: u64,
}

pub struct ChartView {
    pub width: u64,
    pub height: u64,
    pub bar_x: u64,
    pub bar_height: u64,
    pub description: String,
    pub bars: Vec<BarView>,
}

impl ChartView {
    /// Bars of the most viewed rows; none when nothing was viewed.
    fn new(rows: &[ProfileStats], site: &Site, period: StatsPeriod) -> Option<ChartView> {
        let mut viewed: Vec<&ProfileStats> = rows.iter().filter(|row| row.views > 0).collect();
        viewed.sort_by(|a, b| b.views.cmp(&a.views).then_with(|| a.profile.cmp(&b.profile)));
        viewed.truncate(CHART_BARS);
        let most = viewed.first()?.views;
        let bars = (0u64..)
            .zip(&viewed)
            .map(|(index, row)| {
                let width = (row.views * BAR_MAX / most).max(1);
                let label = label(site, row);
                BarView {
                    label: format!("{} ({})", shortened(&label), row.lang),
                    figure: format!("{}, {}", counted(row.views, "view"), counted(row.leads, "lead")),
                    y: index * ROW_HEIGHT + 4,
                    text_y: index * ROW_HEIGHT + 18,
                    width,
                    figure_x: BAR_X + width + 6,
                }
            })
            .collect::<Vec<_>>();
        Some(ChartView {
            width: CHART_WIDTH,
            height: ROW_HEIGHT * bars.len() as u64,
            bar_x: BAR_X,
            bar_height: ROW_HEIGHT - 8,
            description: format!(
                "Bar chart of the views of the {} most viewed profile pages in the last {} days; the table below \
                 holds every figure.",
                bars.len(),
                period.days()
            ),
            bars,
        })
    }
}

fn counted(count: u64, noun: &str) -> String {
    if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") }
}

fn shortened(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut short: String = label.chars().take(LABEL_CHARS - 1).collect();
    short.push('…');
    short
}

#[derive(Template)]
#[template(path = "admin/stats.html")]
struct StatsPage {
    frame: AdminFrame,
    days: u16,
    periods: Vec<PeriodView>,
    columns: Vec<ColumnView>,
    rows: Vec<RowView>,
    chart: Option<ChartView>,
    export_href: String,
}

fn column_label(column: StatsColumn) -> &'static str {
    match column {
        StatsColumn::Profile => "Profile",
        StatsColumn::Lang => "Language",
        StatsColumn::Views => "Views",
        StatsColumn::Leads => "Leads",
        StatsColumn::Spam => "Spam",
        StatsColumn::Conversion => "Conversion",
    }
}

pub async fn show(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, AppError> {
    let (asked, rows) = rows(&state, &query).await?;
    let site = state.site.current();
    let columns = StatsColumn::ALL
        .into_iter()
        .map(|column| {
            let current = asked.sort.column == column;
            let order = if current { asked.sort.order.reversed() } else { column.natural_order() };
            ColumnView {
                label: column_label(column),
                href: Asked { sort: StatsSort { column, order }, ..asked }.href(admin::STATS),
                sorted: current.then_some(match asked.sort.order {
                    SortOrder::Ascending => "ascending",
                    SortOrder::Descending => "descending",
                }),
                numeric: column.natural_order() == SortOrder::Descending,
            }
        })
        .collect();
    let periods = StatsPeriod::ALL
        .into_iter()
        .map(|period| PeriodView {
            label: format!("Last {} days", period.days()),
            href: Asked { period, ..asked }.href(admin::STATS),
            current: period == asked.period,
        })
        .collect();
    let view = StatsPage {
        frame: AdminFrame::new(&state, &session, "Stats"),
        days: asked.period.days(),
        periods,
        columns,
        chart: ChartView::new(&rows, &site, asked.period),
        rows: rows.iter().map(|row| RowView::new(&site, row)).collect(),
        export_href: asked.href(admin::STATS_CSV),
    };
    page(StatusCode::OK, &view)
}

#[tracing::instrument(name = "stats_export", skip_all)]
pub async fn export(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, AppError> {
    let (asked, rows) = rows(&state, &query).await?;
    let csv = stats_csv(&rows).map_err(|e| AppError::Internal(anyhow::Error::new(e).context("writing CSV")))?;
    tracing::info!(user_id = session.user_id.get(), rows = rows.len(), "stats exported");
    let filename = format!("stats-{}-days-{}.csv", asked.period.days(), OffsetDateTime::now_utc().date());
    Ok(csv_download(filename, csv))
}
