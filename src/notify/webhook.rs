//! Leads POSTed to CRM webhooks: the versioned JSON body (`jobprofiles.lead.v1`, documented in the
//! README), its HMAC-SHA256 signature over the timestamp and the body, and one POST with a
//! timeout, whose answer says whether to try again.

use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, USER_AGENT};
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;

use crate::configuration::Webhooks;
use crate::domain::lead::{Lead, WebhookUrl};
use crate::error::with_causes;
use crate::hex::encode_hex;
use crate::security::Secret;

/// The version of the body's layout: a receiver checks it before reading the rest. A change that
/// renames or removes a field, or changes its meaning, is a new version.
pub const SCHEMA: &str = "jobprofiles.lead.v1";
pub const LEAD_ID_HEADER: &str = "X-Jobprofiles-Lead-Id";
pub const TIMESTAMP_HEADER: &str = "X-Jobprofiles-Timestamp";
pub const SIGNATURE_HEADER: &str = "X-Jobprofiles-Signature";

/// How much of a refusal's body is kept as the delivery's last error, for staff to read.
const ERROR_BODY_CHARS: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("no webhook is configured (--lead-webhook-url and --lead-webhook-secret), so this lead cannot be signed")]
    NotConfigured,
    #[error("the stored webhook URL cannot be posted to: {0}")]
    Url(String),
    #[error("the webhook URL {0} is not https:// and --allow-http-webhooks is not set")]
    NotHttps(String),
    // These three print their cause in the message and do not name it as their source: a
    // delivery's error is logged and kept for staff as this one line, and each cause's own
    // message already carries what it wraps.
    #[error("cannot write the lead as JSON: {0}")]
    Body(serde_json::Error),
    #[error("cannot write the time the lead was received: {0}")]
    Time(time::error::Format),
    #[error("cannot build the request: {0}")]
    Request(http::Error),
    #[error("no answer within {} s", .0.as_secs())]
    Timeout(Duration),
    #[error("cannot reach the receiver: {0}")]
    Unreachable(String),
    #[error("the receiver answered {status}{}", body_text(.body))]
    Refused { status: StatusCode, body: String },
}

fn body_text(body: &str) -> String {
    if body.is_empty() { String::new() } else { format!(": {body}") }
}

impl WebhookError {
    /// Whether trying again later may succeed: the receiver is down, slow or busy, or asked for a
    /// later try (408, 429). Any other refusal would be answered the same way again.
    pub fn is_transient(&self) -> bool {
        match self {
            WebhookError::Timeout(_) | WebhookError::Unreachable(_) => true,
            WebhookError::Refused { status, .. } => {
                status.is_server_error()
                    || *status == StatusCode::REQUEST_TIMEOUT
                    || *status == StatusCode::TOO_MANY_REQUESTS
            }
            WebhookError::NotConfigured
            | WebhookError::Url(_)
            | WebhookError::NotHttps(_)
            | WebhookError::Body(_)
            | WebhookError::Time(_)
            | WebhookError::Request(_) => false,
        }
    }
}

/// What the body says of the profile the request was sent from, as the site shows it now.
pub struct ProfileRef<'a> {
    pub title: Option<&'a str>,
    pub url: Option<String>,
}

#[derive(Serialize)]
struct Payload<'a> {
    schema: &'static str,
    id: i64,
    received_at: String,
    language: Option<&'static str>,
    profile: Option<ProfilePart<'a>>,
    contact_person: ContactPart<'a>,
    fields: Fields<'a>,
    attribution: AttributionPart<'a>,
}

#[derive(Serialize)]
struct ProfilePart<'a> {
    slug: &'a str,
    title: Option<&'a str>,
    url: Option<String>,
}

#[derive(Serialize)]
struct ContactPart<'a> {
    id: Option<&'a str>,
    name: &'a str,
}

#[derive(Serialize)]
struct Fields<'a> {
    company: &'a str,
    name: &'a str,
    email: &'a str,
    phone: Option<&'a str>,
    role: &'a str,
    headcount: u32,
    engagement: &'static str,
    work_mode: &'static str,
    location: Option<&'a str>,
    start: Option<String>,
    budget: Option<&'a str>,
    message: &'a str,
}

#[derive(Serialize)]
struct AttributionPart<'a> {
    referrer: Option<&'a str>,
    utm_source: Option<&'a str>,
    utm_medium: Option<&'a str>,
    utm_campaign: Option<&'a str>,
    utm_term: Option<&'a str>,
    utm_content: Option<&'a str>,
}

/// The JSON body for `lead`: the same for every attempt while the profile shows the same.
pub fn payload(lead: &Lead, profile: &ProfileRef<'_>) -> Result<Vec<u8>, WebhookError> {
    let request = &lead.request;
    let attribution = &lead.attribution;
    let body = Payload {
        schema: SCHEMA,
        id: lead.id.get(),
        received_at: lead.created_at.format(&Rfc3339).map_err(WebhookError::Time)?,
        language: attribution.page_lang.map(|lang| lang.code()),
        profile: attribution.profile.as_ref().map(|slug| ProfilePart {
            slug: slug.as_str(),
            title: profile.title,
            url: profile.url.clone(),
        }),
        contact_person: ContactPart {
            id: lead.contact_person_id.as_ref().map(|id| id.as_str()),
            name: &lead.contact_person_name,
        },
        fields: Fields {
            company: request.company.as_ref(),
            name: request.name.as_ref(),
            email: request.email.as_ref(),
            phone: request.phone.as_ref().map(AsRef::as_ref),
            role: request.role.as_ref(),
            headcount: request.headcount.get(),
            engagement: request.engagement.code(),
            work_mode: request.work_mode.code(),
            location: request.location.as_ref().map(AsRef::as_ref),
            start: request.start.map(|date| date.to_string()),
            budget: request.budget.as_ref().map(AsRef::as_ref),
            message: request.message.as_ref(),
        },
        attribution: AttributionPart {
            referrer: attribution.referrer.as_deref(),
            utm_source: attribution.utm_source.as_deref(),
            utm_medium: attribution.utm_medium.as_deref(),
            utm_campaign: attribution.utm_campaign.as_deref(),
            utm_term: attribution.utm_term.as_deref(),
            utm_content: attribution.utm_content.as_deref(),
        },
    };
    serde_json::to_vec(&body).map_err(WebhookError::Body)
}

/// The signature header's value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The
/// timestamp is signed with the body, so a receiver can refuse an old POST played again.
pub fn signature(secret: &Secret, timestamp: i64, body: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = secret.mac(format!("{timestamp}.").as_bytes());
    mac.update(body);
    format!("t={timestamp},v1={}", encode_hex(&mac.finalize().into_bytes()))
}

/// Posts leads to webhooks over HTTP/1.1, TLS by rustls with the Mozilla roots compiled in.
pub struct WebhookPoster {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    secret: Secret,
    allow_http: bool,
    timeout: Duration,
}

impl WebhookPoster {
    pub fn new(webhooks: &Webhooks) -> WebhookPoster {
        // rustls' default provider is ring, the one lettre's SMTP over TLS uses: the only one built.
        let connector = HttpsConnectorBuilder::new().with_webpki_roots().https_or_http().enable_http1().build();
        WebhookPoster {
            client: Client::builder(TokioExecutor::new()).build(connector),
            secret: webhooks.secret.clone(),
            allow_http: webhooks.allow_http,
            timeout: webhooks.timeout,
        }
    }

    /// POSTs `body` for lead `lead_id` to `url`, signed now; `Ok` on a 2xx answer.
    pub async fn post(&self, url: &str, lead_id: i64, body: Vec<u8>) -> Result<(), WebhookError> {
        let url = WebhookUrl::parse(url).map_err(|e| WebhookError::Url(e.to_string()))?;
        if !url.is_https() && !self.allow_http {
            return Err(WebhookError::NotHttps(url.to_string()));
        }
        let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
        let request = Request::post(url.uri().clone())
            .header(CONTENT_TYPE, "application/json")
            .header(USER_AGENT, concat!("jobprofiles/", env!("CARGO_PKG_VERSION")))
            .header(LEAD_ID_HEADER, lead_id)
            .header(TIMESTAMP_HEADER, timestamp)
            .header(SIGNATURE_HEADER, signature(&self.secret, timestamp, &body))
            .body(Full::new(Bytes::from(body)))
            .map_err(WebhookError::Request)?;
        let exchange = async {
            let response =
                self.client.request(request).await.map_err(|e| WebhookError::Unreachable(with_causes(&e)))?;
            let status = response.status();
            if status.is_success() {
                return Ok(());
            }
            let body = Limited::new(response.into_body(), 4_096).collect().await.map(|b| b.to_bytes());
            Err(WebhookError::Refused { status, body: body.map(|b| one_line(&b)).unwrap_or_default() })
        };
        tokio::time::timeout(self.timeout, exchange).await.unwrap_or(Err(WebhookError::Timeout(self.timeout)))
    }
}

/// An error with its causes, which say what hyper's own message leaves out (refused, DNS, TLS).
/// The start of a refusal's body on one line, for the staff's lead page.
fn one_line(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").chars().take(ERROR_BODY_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::signature;
    use crate::security::Secret;

    #[test]
    fn the_signature_is_the_hmac_of_the_timestamp_a_dot_and_the_body() {
        // The value Python's hmac.new(b"key", b"1700000000.{}", hashlib.sha256).hexdigest() gives.
        let signed = signature(&Secret::new("key".into()), 1_700_000_000, b"{}");
        assert_eq!(signed, "t=1700000000,v1=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae");
    }
}
