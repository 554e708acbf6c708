//! Receiving the form: CSRF, validation, rate limit, spam traps, then one durable write and
//! a 303 to the thank-you page. A resubmitted form finds its lead and gets the same redirect.
//! The write is the lead writer's: leads that arrive together share one transaction.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use time::OffsetDateTime;

use super::body;
use super::form::FormPage;
use super::lead_form::{LeadForm, attribution, new_lead};
use crate::db::leads::{Recipient, Stored, Submission};
use crate::domain::lead::{FieldErrors, SpamReason};
use crate::domain::paths::{Localized, below};
use crate::domain::{Lang, Slug};
use crate::error::{AppError, UNAVAILABLE_RETRY_AFTER_SECS};
use crate::i18n::strings;
use crate::lead_writer::{BatchError, WriteError};
use crate::read_model::Site;
use crate::routes::client::{client_key, csrf_cookie};
use crate::routes::layout::Layout;
use crate::routes::render_private;
use crate::security::{FormTokenError, RateLimited};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage<'a> {
    layout: Layout<'a>,
    heading: &'a str,
    text: String,
    link: Option<(String, &'a str)>,
}

#[tracing::instrument(name = "lead_submission", skip_all, fields(%lang))]
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let form = body::parse(&req, &body)?;
    let now = OffsetDateTime::now_utc();
    let cookie = csrf_cookie(&req, &state);

    let token = match state.forms.verify(&form.csrf_token, cookie.as_deref(), now) {
        Ok(token) => token,
        Err(FormTokenError::Expired) => {
            // The visitor did fill the form in: the renewed token must not look freshly issued.
            let renewed =
                match (cookie.as_deref(), state.forms.verify_ignoring_age(&form.csrf_token, cookie.as_deref())) {
                    (Some(cookie), Some(old)) => state.forms.renew(&old, cookie, now - state.form_min_fill),
                    _ => return refuse_forged(&site, lang, &form),
                };
            let notice = Some(strings(lang).form_expired_notice.clone());
            return render_private(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(&site, lang, &form, &FieldErrors::new(), renewed, notice),
            );
        }
        Err(error) => {
            tracing::info!(%error, "form refused");
            return refuse_forged(&site, lang, &form);
        }
    };
    let request = match new_lead(&form, now.date()) {
        Ok(request) => request,
        Err(errors) => {
            let page = FormPage::new(&site, lang, &form, &errors, form.csrf_token.clone(), None);
            return render_private(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    // Counted only for complete requests, so a visitor correcting mistakes is not locked out.
    if let Err(limited) = state.limiter.check(client_key(&req, &state)) {
        return too_many(&site, lang, limited);
    }

    let spam = SpamReason::classify(&form.website, now - token.issued_at, state.form_min_fill);
    let attribution = attribution(&form, lang, |slug| site.profile(lang, slug).is_some());
    let profile = attribution.profile.as_ref().and_then(|slug| site.profile(lang, slug));
    // Spam is not confirmed, so a bot's form spends no address's allowance.
    let confirm = spam.is_none()
        && state.confirmations.as_ref().is_some_and(|confirmations| confirmations.allows(request.email.as_ref()));
    let person = site
        .contact_for(profile)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the site has no contact person")))?;
    let submission = Submission {
        submission_id: token.submission_id.clone(),
        request,
        attribution,
        page_lang: lang,
        spam,
        recipient: Recipient {
            person_id: Some(person.id.clone()),
            name: person.name.clone(),
            email: person.email.clone(),
        },
        confirm,
        webhooks: state.webhooks.clone(),
        now,
    };
    let stored = match state.lead_writer.store(submission).await {
        Ok(stored) => stored,
        Err(WriteError::Full | WriteError::Stopped) => return busy(&site, lang, &form),
        Err(WriteError::Batch(error)) => return unavailable(&site, lang, &form, &error),
        Err(failed) => return Err(AppError::Internal(anyhow::Error::new(failed))),
    };

    match stored {
        Stored::New { lead_id, .. } => {
            tracing::info!(lead_id = lead_id.get(), spam = spam.map(SpamReason::code), "lead stored");
            state.metrics.lead_created(spam.map_or("person", SpamReason::code));
        }
        Stored::Duplicate { lead_id } => {
            tracing::info!(lead_id = lead_id.get(), "form sent again; lead already stored");
        }
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, below(Localized::Thanks.path(lang), &token.submission_id)))
        .finish())
}

fn too_many(site: &Site, lang: Lang, limited: RateLimited) -> Result<HttpResponse, AppError> {
    let t = strings(lang);
    let seconds = limited.retry_after.as_secs() + 1;
    let page = NoticePage {
        layout: Layout::new(site, lang, Localized::Contact.path(lang), &t.rate_title, &t.rate_title).not_indexed(),
        heading: &t.rate_title,
        text: t.rate_text(seconds.div_ceil(60)),
        link: None,
    };
    let mut response = render_private(StatusCode::TOO_MANY_REQUESTS, &page)?;
    response.headers_mut().insert(RETRY_AFTER, header::HeaderValue::from(seconds));
    Ok(response)
}

/// More leads wait for the disk than the queue holds: 503, the form again with its input, so
/// the visitor can send it once more.
fn busy(site: &Site, lang: Lang, form: &LeadForm) -> Result<HttpResponse, AppError> {
    tracing::warn!("hiring request refused: the queue of leads to store is full");
    let notice = Some(strings(lang).form_busy_notice.clone());
    let page = FormPage::new(site, lang, form, &FieldErrors::new(), form.csrf_token.clone(), notice);
    let mut response = render_private(StatusCode::SERVICE_UNAVAILABLE, &page)?;
    response.headers_mut().insert(RETRY_AFTER, header::HeaderValue::from(BUSY_RETRY_AFTER_SECS));
    Ok(response)
}

/// The lead store could not commit (a PostgreSQL that went away, a lock held too long): 503, the
/// form again with its input. What a single lead did wrong is a 500 instead.
fn unavailable(site: &Site, lang: Lang, form: &LeadForm, error: &BatchError) -> Result<HttpResponse, AppError> {
    tracing::warn!(%error, "hiring request refused: the lead store is unavailable");
    let notice = Some(strings(lang).form_unavailable_notice.clone());
    let page = FormPage::new(site, lang, form, &FieldErrors::new(), form.csrf_token.clone(), notice);
    let mut response = render_private(StatusCode::SERVICE_UNAVAILABLE, &page)?;
    response.headers_mut().insert(RETRY_AFTER, header::HeaderValue::from(UNAVAILABLE_RETRY_AFTER_SECS));
    Ok(response)
}

/// A batch commits in milliseconds: a second later the queue has room again.
const BUSY_RETRY_AFTER_SECS: u64 = 1;

/// A missing or forged token: 403, nothing stored, and the way back to a fresh form.
fn refuse_forged(site: &Site, lang: Lang, form: &LeadForm) -> Result<HttpResponse, AppError> {
    let t = strings(lang);
    let fresh = match Slug::parse(&form.profile) {
        Ok(slug) if site.profile(lang, &slug).is_some() => format!("{}?profile={slug}", Localized::Contact.path(lang)),
        _ => Localized::Contact.path(lang).to_owned(),
    };
    let page = NoticePage {
        layout: Layout::new(site, lang, Localized::Contact.path(lang), &t.csrf_title, &t.csrf_title).not_indexed(),
        heading: &t.csrf_title,
        text: t.csrf_text.clone(),
        link: Some((fresh, &t.csrf_link)),
    };
    render_private(StatusCode::FORBIDDEN, &page)
}
