//! Where leads are POSTed for a CRM: an absolute `https://` or `http://` URL, checked when the
//! settings are read, so the outbox worker never meets a URL it cannot send to.

use std::fmt;

/// An absolute http(s) URL with a host, without a user name or password (the signature is what
/// proves the sender, and a password in a URL ends up in logs and on the staff pages) and without
/// a fragment (never sent to the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    uri: http::Uri,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookUrlError {
    #[error("`{0}` is not an http:// or https:// URL with a host, such as https://crm.example.com/hooks/leads")]
    NotHttp(String),
    #[error("`{0}` carries a user name or password: leave it out, the signature header proves the sender")]
    Credentials(String),
    #[error("`{0}` has a fragment (#…), which is never sent to the receiver")]
    Fragment(String),
}

impl WebhookUrl {
    pub fn parse(input: &str) -> Result<WebhookUrl, WebhookUrlError> {
        let text = input.trim();
        if text.contains('#') {
            return Err(WebhookUrlError::Fragment(text.to_owned()));
        }
        let not_http = || WebhookUrlError::NotHttp(text.to_owned());
        let uri: http::Uri = text.parse().map_err(|_| not_http())?;
        let scheme = uri.scheme_str().ok_or_else(not_http)?;
        if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
            return Err(not_http());
        }
        let authority = uri.authority().ok_or_else(not_http)?;
        if authority.as_str().contains('@') {
            return Err(WebhookUrlError::Credentials(text.to_owned()));
        }
        if authority.host().is_empty() {
            return Err(not_http());
        }
        Ok(WebhookUrl { uri })
    }

    /// Whether the lead travels encrypted.
    pub fn is_https(&self) -> bool {
        self.uri.scheme_str().is_some_and(|scheme| scheme.eq_ignore_ascii_case("https"))
    }

    pub fn uri(&self) -> &http::Uri {
        &self.uri
    }

    /// The receiver's host, for logs: the path of a webhook URL often holds a token.
    pub fn host(&self) -> &str {
        self.uri.host().unwrap_or_default()
    }
}

impl fmt::Display for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.uri.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::{WebhookUrl, WebhookUrlError};

    #[test]
    fn http_and_https_urls_with_a_host_are_webhook_urls() {
        for (text, https) in [
            ("https://crm.example.com/hooks/leads?source=site", true),
            ("HTTPS://crm.example.com:8443/in", true),
            ("http://127.0.0.1:9000/", false),
        ] {
            let url = WebhookUrl::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(url.is_https(), https, "{text}");
        }
        assert_eq!(
            WebhookUrl::parse("https://crm.example.com/hooks/leads").map(|u| u.to_string()).as_deref(),
            Ok("https://crm.example.com/hooks/leads")
        );
    }

    #[test]
    fn other_schemes_relative_urls_credentials_and_fragments_are_refused() {
        for text in ["ftp://crm.example.com/x", "crm.example.com/hooks", "/hooks", "https://", "", "https://a b/"] {
            assert!(matches!(WebhookUrl::parse(text), Err(WebhookUrlError::NotHttp(_))), "{text}");
        }
        assert!(matches!(
            WebhookUrl::parse("https://user:pw@crm.example.com/in"),
            Err(WebhookUrlError::Credentials(_))
        ));
        assert!(matches!(WebhookUrl::parse("https://crm.example.com/in#top"), Err(WebhookUrlError::Fragment(_))));
    }
}
