//! One lead's page for staff: its details, history and notes, status changes, resending, deleting.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use time::OffsetDateTime;

use super::csrf::CsrfChecked;
use super::inbox::received;
use super::wording::counted;
use super::{AdminFrame, MessagePage, erased_page, page, see_other};
use crate::auth::StaffSession;
use crate::db::leads::{self, Event, Retry, RetryTarget, StatusChange, WebhookDelivery};
use crate::domain::lead::{EventKind, Lead, LeadStatus, NotificationState, OutboxKind};
use crate::domain::paths::admin;
use crate::domain::{LeadId, OutboxId};
use crate::error::AppError;
use crate::routes::with_leads;
use crate::state::AppState;

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

impl EventView {
    fn new(event: Event) -> EventView {
        let (from, to) = (event.from.unwrap_or_default(), event.to.unwrap_or_default());
        EventView {
            at: received(event.created_at),
            actor: event.actor,
            text: match event.kind {
                EventKind::Status => format!("status {from} → {to}"),
                EventKind::Note => "added a note".to_owned(),
                EventKind::Retry => format!("retried the notification (was {from})"),
                EventKind::WebhookRetry => format!("posted the lead to {to} again (was {from})"),
            },
        }
    }
}

fn describe(notification: Option<NotificationState>) -> String {
    match notification {
        None => "none (spam gets no notification)".to_owned(),
        Some(NotificationState::Waiting) => "waiting to be sent".to_owned(),
        Some(NotificationState::Retrying { failed_attempts }) => {
            format!("retrying ({} so far)", counted(failed_attempts, "failed attempt", "failed attempts"))
        }
        Some(NotificationState::Sent { attempts }) => format!("sent (attempt {attempts})"),
        Some(NotificationState::Failed { attempts }) => {
            format!("failed after {}", counted(attempts, "attempt", "attempts"))
        }
    }
}

/// One webhook delivery as the lead page shows it.
pub struct WebhookView {
    pub outbox_id: OutboxId,
    pub url: String,
    pub state: String,
    pub last_error: Option<String>,
    pub can_retry: bool,
}

impl WebhookView {
    fn new(delivery: WebhookDelivery) -> WebhookView {
        WebhookView {
            outbox_id: delivery.outbox_id,
            url: delivery.url,
            state: describe(Some(delivery.state)),
            last_error: delivery.last_error,
            can_retry: delivery.state.can_retry(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/lead.html")]
struct LeadPage {
    frame: AdminFrame,
    lead: Lead,
    received: String,
    start: Option<String>,
    notification: String,
    /// Where the confirmation to the company stands.
    confirmation: String,
    can_retry: bool,
    /// The lead's deliveries to CRM webhooks, in the order they were queued.
    webhooks: Vec<WebhookView>,
    next_statuses: Vec<&'static str>,
    notes: Vec<NoteView>,
    history: Vec<EventView>,
    done: Option<&'static str>,
    note_error: Option<&'static str>,
    note_draft: String,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn done_message(code: &str) -> Option<&'static str> {
    match code {
        "status" => Some("Status changed."),
        "notified" => Some("Status changed; the notification is on its way now."),
        "note" => Some("Note added."),
        "retry" => Some("The notification will be sent again now."),
        "nothing-to-retry" => Some("There is no failed notification to send again."),
        "webhook-retry" => Some("The lead will be posted to the webhook again now."),
        "nothing-to-post" => Some("That webhook delivery has not failed: there is nothing to post again."),
        _ => None,
    }
}

async fn lead_page(
    state: &AppState,
    session: &StaffSession,
    id: LeadId,
    done: Option<&'static str>,
    note: (Option<&'static str>, String),
) -> Result<LeadPage, AppError> {
    let found = with_leads(state, move |conn| {
        let Some(lead) = leads::find_lead(conn, id)? else {
            return Ok(None);
        };
        let confirmation = leads::mail_state(conn, id, OutboxKind::Confirmation)?;
        Ok(Some((
            lead,
            leads::notification_state(conn, id)?,
            confirmation,
            leads::webhook_deliveries(conn, id)?,
            leads::notes(conn, id)?,
            leads::events(conn, id)?,
        )))
    })
    .await?;
    let (lead, notification, confirmation, webhooks, notes, events) = found.ok_or(AppError::NotFound)?;
    Ok(LeadPage {
        frame: AdminFrame::new(state, session, format!("Lead #{}", lead.id)),
        received: received(lead.created_at),
        start: lead.request.start.map(|d| d.to_string()),
        notification: describe(notification),
        confirmation: match confirmation {
            Some(state) => describe(Some(state)),
            None => "none (spam, --confirmation-mail false, or past the limit of confirmations per address)".to_owned(),
        },
        can_retry: notification.is_some_and(NotificationState::can_retry),
        webhooks: webhooks.into_iter().map(WebhookView::new).collect(),
        next_statuses: lead.status.next().iter().map(|s| s.code()).collect(),
        notes: notes
            .into_iter()
            .map(|n| NoteView { author: n.author, at: received(n.created_at), body: n.body })
            .collect(),
        history: events.into_iter().map(EventView::new).collect(),
        done,
        note_error: note.0,
        note_draft: note.1,
        lead,
    })
}

pub async fn show(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    path: web::Path<LeadId>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let done = query.done.as_deref().and_then(done_message);
    page(StatusCode::OK, &lead_page(&state, &session, path.into_inner(), done, (None, String::new())).await?)
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

pub async fn change_status(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    path: web::Path<LeadId>,
    CsrfChecked(form): CsrfChecked<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let Some(to) = LeadStatus::from_code(&form.status) else {
        return Err(AppError::BadRequest(format!("unknown status {:?}", form.status)));
    };
    let lead = with_leads(&state, move |conn| Ok(leads::find_lead(conn, id)?)).await?.ok_or(AppError::NotFound)?;
    // Restored from spam, the lead goes to whoever answers it now.
    let site = state.site.current();
    let recipient = lead
        .contact_person_id
        .as_ref()
        .and_then(|person| site.person(person))
        .or_else(|| site.contact_for(None))
        .map(|person| person.email.clone())
        .unwrap_or_default();
    let actor = session.email.clone();
    let webhooks = state.webhooks.clone();
    let change = with_leads(&state, move |conn| {
        Ok(leads::change_status(conn, id, to, &actor, &recipient, &webhooks, OffsetDateTime::now_utc())?)
    })
    .await?;
    match change {
        StatusChange::Changed { from, notify } => {
            tracing::info!(
                lead_id = id.get(),
                user_id = session.user_id.get(),
                from = from.code(),
                to = to.code(),
                "lead status changed"
            );
            if notify {
                state.outbox_wake.notify_one();
            }
            Ok(see_other(&format!("{}?done={}", admin::lead(id), if notify { "notified" } else { "status" })))
        }
        StatusChange::NotAllowed { current } => {
            let allowed: Vec<&str> = current.next().iter().map(|s| s.code()).collect();
            let message = MessagePage {
                frame: AdminFrame::new(&state, &session, "Status not changed"),
                heading: "This status change is not part of the workflow".into(),
                text: format!("A {} lead can move to: {}.", current.code(), allowed.join(", ")),
                back: admin::lead(id),
            };
            page(StatusCode::CONFLICT, &message)
        }
        StatusChange::NoSuchLead => Err(AppError::NotFound),
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
}

const MAX_NOTE: usize = 5_000;

pub async fn add_note(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    path: web::Path<LeadId>,
    CsrfChecked(form): CsrfChecked<NoteForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let body = form.body.trim().to_owned();
    if body.is_empty() || body.chars().count() > MAX_NOTE {
        let error = Some("A note needs 1 to 5,000 characters.");
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &lead_page(&state, &session, id, None, (error, form.body.clone())).await?,
        );
    }
    let author = session.email.clone();
    if with_leads(&state, move |conn| Ok(leads::add_note(conn, id, &author, &body, OffsetDateTime::now_utc())?)).await?
    {
        Ok(see_other(&format!("{}?done=note", admin::lead(id))))
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn retry(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    path: web::Path<LeadId>,
    _token: CsrfChecked<()>,
) -> Result<HttpResponse, AppError> {
    retry_target(&state, &session, path.into_inner(), RetryTarget::Notification).await
}

#[derive(Deserialize)]
pub struct RetryWebhookForm {
    #[serde(default)]
    delivery: String,
}

/// Puts one of the lead's webhook deliveries that failed back in line, named by its outbox id.
pub async fn retry_webhook(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    path: web::Path<LeadId>,
    CsrfChecked(form): CsrfChecked<RetryWebhookForm>,
) -> Result<HttpResponse, AppError> {
    let Ok(delivery) = form.delivery.trim().parse::<i64>().map(OutboxId::from) else {
        return Err(AppError::BadRequest(format!("no webhook delivery {:?}", form.delivery)));
    };
    retry_target(&state, &session, path.into_inner(), RetryTarget::Webhook(delivery)).await
}

/// Puts a failed delivery back in line, wakes the outbox worker, and says so on the lead's page.
async fn retry_target(
    state: &AppState,
    session: &StaffSession,
    id: LeadId,
    target: RetryTarget,
) -> Result<HttpResponse, AppError> {
    let actor = session.email.clone();
    let retried =
        with_leads(state, move |conn| Ok(leads::retry_delivery(conn, id, target, &actor, OffsetDateTime::now_utc())?))
            .await?;
    let done = match (retried, target) {
        (Retry::NoSuchLead, _) => return Err(AppError::NotFound),
        (Retry::Queued, RetryTarget::Notification) => "retry",
        (Retry::Queued, RetryTarget::Webhook(_)) => "webhook-retry",
        (Retry::NothingToRetry, RetryTarget::Notification) => "nothing-to-retry",
        (Retry::NothingToRetry, RetryTarget::Webhook(_)) => "nothing-to-post",
    };
    if retried == Retry::Queued {
        tracing::info!(lead_id = id.get(), user_id = session.user_id.get(), target = ?target, "delivery retried");
        state.outbox_wake.notify_one();
    }
    Ok(see_other(&format!("{}?done={done}", admin::lead(id))))
}

pub async fn delete(
    state: web::Data<AppState>,
    session: web::ReqData<StaffSession>,
    path: web::Path<LeadId>,
    _token: CsrfChecked<()>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let erased = with_leads(&state, move |conn| Ok(leads::erase_lead(conn, id)?)).await?;
    if erased.leads == 0 {
        return Err(AppError::NotFound);
    }
    tracing::info!(lead_id = id.get(), user_id = session.user_id.get(), rows = erased.rows(), "lead erased");
    erased_page(&state, &session, format!("Lead #{id} erased"), erased)
}
