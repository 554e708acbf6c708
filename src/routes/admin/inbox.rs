//! The staff inbox of leads (filters, pages) and its CSV export.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::{AdminFrame, csv_download, page};
use crate::auth::StaffSession;
use crate::db::leads;
use crate::domain::Slug;
use crate::domain::lead::{Lead, LeadFilter, LeadStatus};
use crate::domain::paths::admin;
use crate::error::AppError;
use crate::export::leads_csv;
use crate::routes::with_leads;
use crate::state::AppState;

/// The inbox's query string as typed; values that do not parse are ignored, not errors.
#[derive(Debug, Default, Deserialize)]
pub struct InboxQuery {
    #[serde(default)]
    view: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    profile: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

fn date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), crate::domain::ISO_DATE).ok()
}

impl InboxQuery {
    fn filter(&self) -> LeadFilter {
        let search = self.q.trim();
        LeadFilter {
            spam: self.view == "spam",
            status: LeadStatus::from_code(&self.status).filter(|s| *s != LeadStatus::Spam),
            profile: Slug::parse(self.profile.trim()).ok(),
            from: date(&self.from),
            to: date(&self.to),
            search: (!search.is_empty()).then(|| search.chars().take(200).collect()),
        }
    }

    /// The query string for the same filters, on another page.
    fn with_page(&self, page: u32) -> String {
        let pairs = [
            ("view", self.view.as_str()),
            ("status", self.status.as_str()),
            ("profile", self.profile.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("q", self.q.as_str()),
        ];
        let mut query: Vec<(&str, String)> =
            pairs.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k, v.to_owned())).collect();
        if page > 1 {
            query.push(("page", page.to_string()));
        }
        serde_urlencoded::to_string(query).unwrap_or_default()
    }
}

pub struct LeadRowView {
    pub href: String,
    pub received: String,
    pub status: &'static str,
    pub company: String,
    pub name: String,
    pub role: String,
    pub profile: String,
    pub lang: &'static str,
}

impl LeadRowView {
    fn new(lead: &Lead) -> LeadRowView {
        LeadRowView {
            href: admin::lead(lead.id),
            received: received(lead.created_at),
            status: lead.status.code(),
            company: lead.request.company.as_ref().to_owned(),
            name: lead.request.name.as_ref().to_owned(),
            role: lead.request.role.as_ref().to_owned(),
            profile: lead.attribution.profile.as_ref().map(ToString::to_string).unwrap_or_default(),
            lang: lead.attribution.page_lang.map_or("", |l| l.code()),
        }
    }
}

pub fn received(at: OffsetDateTime) -> String {
    at.format(time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC")).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "admin/leads.html")]
struct InboxPage {
    frame: AdminFrame,
    query: InboxQuery,
    spam_view: bool,
    statuses: Vec<(&'static str, bool)>,
    rows: Vec<LeadRowView>,
    total: i64,
    page: u32,
    pages: u32,
    previous: Option<String>,
    next: Option<String>,
    export_href: String,
}

pub async fn list(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    query: web::Query<InboxQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = query.filter();
    let per_page = i64::from(state.admin.page_size.max(1));
    let page_number = query.page.trim().parse::<u32>().unwrap_or(1).max(1);
    let offset = (i64::from(page_number) - 1) * per_page;
    let (found, total) =
        with_leads(&state, move |conn| Ok(leads::list_leads(conn, &filter, offset, per_page)?)).await?;
    let pages = u32::try_from(((total + per_page - 1) / per_page).max(1)).unwrap_or(u32::MAX);
    let spam_view = query.view == "spam";
    let view = InboxPage {
        frame: AdminFrame::new(&state, &session, if spam_view { "Spam" } else { "Leads" }),
        statuses: LeadStatus::ALL
            .iter()
            .filter(|s| **s != LeadStatus::Spam)
            .map(|s| (s.code(), s.code() == query.status))
            .collect(),
        rows: found.iter().map(LeadRowView::new).collect(),
        total,
        page: page_number,
        pages,
        previous: (page_number > 1).then(|| format!("{}?{}", admin::LEADS, query.with_page(page_number - 1))),
        next: (page_number < pages).then(|| format!("{}?{}", admin::LEADS, query.with_page(page_number + 1))),
        export_href: format!("{}?{}", admin::EXPORT, query.with_page(1)),
        spam_view,
        query,
    };
    page(StatusCode::OK, &view)
}

#[tracing::instrument(name = "leads_export", skip_all)]
pub async fn export(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    query: web::Query<InboxQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = query.filter();
    let found = with_leads(&state, move |conn| Ok(leads::all_leads(conn, &filter)?)).await?;
    let csv = leads_csv(&found).map_err(|e| AppError::Internal(anyhow::Error::new(e).context("writing CSV")))?;
    tracing::info!(user_id = session.user_id.get(), leads = found.len(), "leads exported");
    let filename = format!("leads-{}.csv", OffsetDateTime::now_utc().date());
    Ok(csv_download(filename, csv))
}
