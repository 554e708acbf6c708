//! Settings of the CRM webhooks every lead that is not spam is POSTed to.

use std::time::Duration;

use crate::domain::lead::WebhookUrl;
use crate::security::Secret;

/// Where leads go besides the mail, and the key their POSTs are signed with.
#[derive(Debug, Clone, clap::Args)]
pub struct WebhookSettings {
    /// A URL every lead that is not spam is POSTed to as JSON (repeatable; the variable takes a
    /// comma-separated list). `https://` only, unless `--allow-http-webhooks`.
    #[arg(
        long = "lead-webhook-url",
        env = "JOBPROFILES_LEAD_WEBHOOK_URLS",
        value_delimiter = ',',
        value_parser = parse_url,
        global = true
    )]
    pub urls: Vec<WebhookUrl>,
    /// The key (32+ characters) each POST is signed with (HMAC-SHA256); needed with a URL.
    #[arg(
        long = "lead-webhook-secret",
        env = "JOBPROFILES_LEAD_WEBHOOK_SECRET",
        value_parser = parse_secret,
        hide_env_values = true,
        global = true
    )]
    pub secret: Option<Secret>,
    /// Lets `http://` webhook URLs through: for receivers on the same machine, as in tests.
    #[arg(
        long = "allow-http-webhooks",
        env = "JOBPROFILES_ALLOW_HTTP_WEBHOOKS",
        default_value_t = false,
        global = true
    )]
    pub allow_http: bool,
    /// How long one POST may take, connecting included, before it counts as failed and is retried.
    #[arg(
        long = "lead-webhook-timeout-secs",
        env = "JOBPROFILES_LEAD_WEBHOOK_TIMEOUT_SECS",
        default_value_t = 5,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub post_timeout_secs: u64,
}

/// Why the site refuses to start with these webhook settings.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookSettingsError {
    #[error(
        "--lead-webhook-url is set but --lead-webhook-secret (JOBPROFILES_LEAD_WEBHOOK_SECRET) is not: every lead is \
         signed with it, so that a receiver can tell it came from this site"
    )]
    NoSecret,
    #[error(
        "the lead webhook {0} is not https://: leads carry personal data and travel only encrypted \
         (--allow-http-webhooks lets http:// through, for a receiver on this machine)"
    )]
    NotHttps(String),
}

/// The webhooks in effect: where to POST and how to sign.
#[derive(Debug, Clone)]
pub struct Webhooks {
    pub urls: Vec<WebhookUrl>,
    pub secret: Secret,
    pub allow_http: bool,
    pub timeout: Duration,
}

impl WebhookSettings {
    /// The webhooks to POST leads to, `None` when no URL is set; refused without a secret, or
    /// with a plain `http://` URL that `--allow-http-webhooks` does not let through.
    pub fn webhooks(&self) -> Result<Option<Webhooks>, WebhookSettingsError> {
        if self.urls.is_empty() {
            return Ok(None);
        }
        let secret = self.secret.clone().ok_or(WebhookSettingsError::NoSecret)?;
        if let Some(plain) = self.urls.iter().find(|url| !url.is_https() && !self.allow_http) {
            return Err(WebhookSettingsError::NotHttps(plain.to_string()));
        }
        // A URL named twice is one receiver: the outbox holds one delivery per lead and URL.
        let mut urls: Vec<WebhookUrl> = Vec::with_capacity(self.urls.len());
        for url in &self.urls {
            if !urls.iter().any(|kept| kept.to_string() == url.to_string()) {
                urls.push(url.clone());
            }
        }
        Ok(Some(Webhooks {
            urls,
            secret,
            allow_http: self.allow_http,
            timeout: Duration::from_secs(self.post_timeout_secs),
        }))
    }
}

fn parse_url(value: &str) -> Result<WebhookUrl, String> {
    WebhookUrl::parse(value).map_err(|e| e.to_string())
}

fn parse_secret(value: &str) -> Result<Secret, String> {
    Secret::key(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::WebhookSettingsError;
    use crate::configuration::tests::parse;

    const SECRET: &str = "a webhook secret that is long enough";

    #[test]
    fn webhook_urls_are_repeatable_or_comma_separated_and_each_is_posted_to_once() {
        let settings = parse(&[
            "--lead-webhook-url",
            "https://a.example/in,https://b.example/in",
            "--lead-webhook-url",
            "https://c.example/in",
            "--lead-webhook-url",
            "https://a.example/in",
            "--lead-webhook-secret",
            SECRET,
        ]);
        let webhooks = settings.webhooks.webhooks().expect("valid").expect("configured");
        let urls: Vec<String> = webhooks.urls.iter().map(ToString::to_string).collect();
        assert_eq!(urls, ["https://a.example/in", "https://b.example/in", "https://c.example/in"]);
        assert!(parse(&[]).webhooks.webhooks().expect("valid").is_none());
    }

    #[test]
    fn a_webhook_needs_a_secret_and_https_unless_http_is_allowed() {
        let no_secret = parse(&["--lead-webhook-url", "https://a.example/in"]);
        assert_eq!(no_secret.webhooks.webhooks().err(), Some(WebhookSettingsError::NoSecret));
        let plain = ["--lead-webhook-url", "http://127.0.0.1:9/in", "--lead-webhook-secret", SECRET];
        assert_eq!(
            parse(&plain).webhooks.webhooks().err(),
            Some(WebhookSettingsError::NotHttps("http://127.0.0.1:9/in".into()))
        );
        let allowed = parse(&[&plain[..], &["--allow-http-webhooks"]].concat());
        assert!(allowed.webhooks.webhooks().is_ok_and(|w| w.is_some()));
    }
}
