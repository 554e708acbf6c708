use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use time::OffsetDateTime;

use super::inbox::received;
use super::{AdminFrame, MessagePage, csrf_refusal, page, see_other};
use crate::auth::StaffSession;
use crate::db::leads::{self, StatusChange};
use crate::domain::lead::{Lead, LeadStatus};
use crate::error::AppError;
use crate::routes::with_db;
use crate::startup::AppState;

pub struct NoteView {
    pub author: String,
    pub at: String,
    pub body: String,
}

pub struct EventView {
    pub at: String,
    pub actor: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "admin/lead.html")]
struct LeadPage {
    frame: AdminFrame,
    lead: Lead,
    received: String,
    start: Option<String>,
    notification: String,
    can_retry: bool,
    next_statuses: Vec<&'static str>,
    notes: Vec<NoteView>,
    history: Vec<EventView>,
    done: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn done_message(code: &str) -> Option<&'static str> {
    match code {
        "status" => Some("Status changed."),
        "note" => Some("Note added."),
        "retry" => Some("The notification will be sent again now."),
        _ => None,
    }
}

pub async fn show(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    path: web::Path<i64>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let found = with_db(&state, move |conn| {
        let Some(lead) = leads::find_lead(conn, id)? else {
            return Ok(None);
        };
        Ok(Some((lead, leads::notification_state(conn, id)?, leads::notes(conn, id)?, leads::events(conn, id)?)))
    })
    .await?;
    let Some((lead, notification, notes, events)) = found else {
        return Err(AppError::NotFound);
    };
    let (notification, can_retry) = match notification {
        None => ("none (spam gets no notification)".to_owned(), false),
        Some((state, attempts)) => match state.as_str() {
            "sent" => (format!("sent (attempt {attempts})"), false),
            "failed" => (format!("failed after {attempts} attempts"), true),
            _ if attempts > 0 => (format!("retrying ({attempts} failed attempts so far)"), true),
            _ => ("waiting to be sent".to_owned(), true),
        },
    };
    let view = LeadPage {
        frame: AdminFrame::new(&state, &session, format!("Lead #{}", lead.id)),
        received: received(lead.created_at),
        start: lead.request.start.map(|d| d.to_string()),
        notification,
        can_retry,
        next_statuses: lead.status.next().iter().map(|s| s.code()).collect(),
        notes: notes
            .into_iter()
            .map(|n| NoteView { author: n.author, at: received(n.created_at), body: n.body })
            .collect(),
        history: events
            .into_iter()
            .map(|e| EventView {
                at: received(e.created_at),
                actor: e.actor,
                text: match e.kind.as_str() {
                    "status" => format!("status {} → {}", e.from.unwrap_or_default(), e.to.unwrap_or_default()),
                    "note" => "added a note".to_owned(),
                    "retry" => format!("retried the notification (was {})", e.from.unwrap_or_default()),
                    other => other.to_owned(),
                },
            })
            .collect(),
        done: query.done.as_deref().and_then(done_message),
        lead,
    };
    page(StatusCode::OK, &view)
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

pub async fn change_status(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    path: web::Path<i64>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = csrf_refusal(&state, &session, &form.csrf) {
        return Ok(refused);
    }
    let id = path.into_inner();
    let Some(to) = LeadStatus::from_code(&form.status) else {
        return Err(AppError::BadRequest(format!("unknown status {:?}", form.status)));
    };
    let actor = session.email.clone();
    let change =
        with_db(&state, move |conn| Ok(leads::change_status(conn, id, to, &actor, OffsetDateTime::now_utc())?)).await?;
    match change {
        StatusChange::Changed { from } => {
            tracing::info!(
                lead_id = id,
                user_id = session.user_id,
                from = from.code(),
                to = to.code(),
                "lead status changed"
            );
            Ok(see_other(&format!("/admin/leads/{id}?done=status")))
        }
        StatusChange::NotAllowed { current } => {
            let message = MessagePage {
                frame: AdminFrame::new(&state, &session, "Status not changed"),
                heading: "This status change is not part of the workflow".into(),
                text: format!(
                    "A {} lead can move to: {}.",
                    current.code(),
                    current.next().iter().map(|s| s.code()).collect::<Vec<_>>().join(", ")
                ),
                back: format!("/admin/leads/{id}"),
            };
            page(StatusCode::CONFLICT, &message)
        }
        StatusChange::NoSuchLead => Err(AppError::NotFound),
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
}

pub async fn add_note(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    path: web::Path<i64>,
    form: web::Form<NoteForm>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = csrf_refusal(&state, &session, &form.csrf) {
        return Ok(refused);
    }
    let id = path.into_inner();
    let body = form.body.trim().to_owned();
    if body.is_empty() || body.chars().count() > 5_000 {
        return Err(AppError::BadRequest("a note has 1 to 5,000 characters".into()));
    }
    let author = session.email.clone();
    if with_db(&state, move |conn| Ok(leads::add_note(conn, id, &author, &body, OffsetDateTime::now_utc())?)).await? {
        Ok(see_other(&format!("/admin/leads/{id}?done=note")))
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn retry(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    path: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = csrf_refusal(&state, &session, &form.csrf) {
        return Ok(refused);
    }
    let id = path.into_inner();
    let actor = session.email.clone();
    if with_db(&state, move |conn| Ok(leads::retry_notification(conn, id, &actor, OffsetDateTime::now_utc())?)).await? {
        state.outbox_wake.notify_one();
    }
    Ok(see_other(&format!("/admin/leads/{id}?done=retry")))
}

pub async fn delete(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    path: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = csrf_refusal(&state, &session, &form.csrf) {
        return Ok(refused);
    }
    let id = path.into_inner();
    let erased = with_db(&state, move |conn| Ok(leads::erase_lead(conn, id)?)).await?;
    if erased.leads == 0 {
        return Err(AppError::NotFound);
    }
    tracing::info!(lead_id = id, user_id = session.user_id, rows = erased.rows(), "lead erased");
    let message = MessagePage {
        frame: AdminFrame::new(&state, &session, "Lead erased"),
        heading: format!("Lead #{id} erased"),
        text: format!(
            "{} rows removed: the lead, {} notification(s), {} note(s), {} history entries.",
            erased.rows(),
            erased.notifications,
            erased.notes,
            erased.events
        ),
        back: "/admin/leads".into(),
    };
    page(StatusCode::OK, &message)
}
