//! Why a fetch from the platform failed, mapped onto the error catalog, with a message that
//! says what happened and never contains the API key.

use std::fmt;

use crate::base::catalog::Code;

/// A failed fetch: the catalog code (its fix is the advice) and what happened this time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchFailure {
    pub code: Code,
    pub message: String,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
}

impl FetchFailure {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        FetchFailure {
            code,
            message: message.into(),
            status: None,
        }
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Removes a secret from the message, should a server have echoed it back.
    pub fn redacted(mut self, secret: Option<&str>) -> Self {
        if let Some(secret) = secret.filter(|s| s.len() >= 4) {
            self.message = self.message.replace(secret, "<redacted>");
        }
        self
    }

    /// The failure for an HTTP status that is not success.
    pub fn from_status(status: u16, url: &str, has_key: bool, detail: &str) -> Self {
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(": {detail}")
        };
        let (code, message) = match status {
            401 if !has_key => (
                Code::Unauthorized,
                format!("{url} answered 401 Unauthorized: no `apiKey` is configured{detail}"),
            ),
            401 => (
                Code::Unauthorized,
                format!("{url} answered 401 Unauthorized: the API key was refused (wrong, revoked, or not active yet){detail}"),
            ),
            403 => (
                Code::Forbidden,
                format!("{url} answered 403 Forbidden: the key or `projectId` has no access to this project{detail}"),
            ),
            404 => (
                Code::NotFound,
                format!("{url} answered 404 Not Found: check `endpoint` and `projectId`{detail}"),
            ),
            429 => (Code::RateLimited, format!("{url} answered 429 Too Many Requests{detail}")),
            502..=504 => (
                Code::ModelProviderError,
                format!("{url} answered {status}, a gateway error{detail}"),
            ),
            500..=599 => (Code::ServerError, format!("{url} answered {status}, a server error{detail}")),
            _ => (Code::BadRequest, format!("{url} answered {status}{detail}")),
        };
        FetchFailure::new(code, message).with_status(status)
    }

    /// The failure for a transport error: timeout, refused connection, DNS, TLS.
    pub fn from_transport(error: &reqwest::Error, url: &str) -> Self {
        let chain = error_chain(error);
        let lower = chain.to_lowercase();
        let (code, message) = if error.is_timeout() {
            (Code::FetchTimeout, format!("{url} did not answer in time"))
        } else if lower.contains("dns error")
            || lower.contains("failed to lookup address")
            || lower.contains("name or service not known")
        {
            (
                Code::DnsFailed,
                format!("the host of {url} was not found ({chain})"),
            )
        } else if [
            "certificate",
            "tls",
            "handshake",
            "corrupt message",
            "invalidcontenttype",
            "alert received",
        ]
        .iter()
        .any(|needle| lower.contains(needle))
        {
            (
                Code::TlsFailed,
                format!("no secure connection to {url} ({chain})"),
            )
        } else if error.is_connect() {
            (
                Code::ConnectionFailed,
                format!("cannot connect to {url} ({chain})"),
            )
        } else if error.is_redirect() {
            (
                Code::ConnectionFailed,
                format!("{url} redirected too many times ({chain})"),
            )
        } else {
            (
                Code::ConnectionFailed,
                format!("the connection to {url} failed ({chain})"),
            )
        };
        FetchFailure::new(code, message)
    }
}

impl fmt::Display for FetchFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.message, self.code)
    }
}

/// An error and its sources, joined, without the URL reqwest repeats in its own message.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut current: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        let text = text.split(" for url (").next().unwrap_or(&text).to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_the_catalog() {
        let url = "https://x.test/graphql";
        assert_eq!(
            FetchFailure::from_status(401, url, true, "").code,
            Code::Unauthorized
        );
        assert!(FetchFailure::from_status(401, url, false, "")
            .message
            .contains("no `apiKey`"));
        assert_eq!(
            FetchFailure::from_status(403, url, true, "").code,
            Code::Forbidden
        );
        assert_eq!(
            FetchFailure::from_status(404, url, true, "").code,
            Code::NotFound
        );
        assert_eq!(
            FetchFailure::from_status(429, url, true, "").code,
            Code::RateLimited
        );
        assert_eq!(
            FetchFailure::from_status(500, url, true, "").code,
            Code::ServerError
        );
        assert_eq!(
            FetchFailure::from_status(503, url, true, "").code,
            Code::ModelProviderError
        );
        assert_eq!(
            FetchFailure::from_status(418, url, true, "").code,
            Code::BadRequest
        );
        assert_eq!(
            FetchFailure::from_status(403, url, true, "").status,
            Some(403)
        );
    }

    #[test]
    fn secrets_are_redacted() {
        let failure = FetchFailure::new(Code::Unauthorized, "bad key lt-secret-123")
            .redacted(Some("lt-secret-123"));
        assert_eq!(failure.message, "bad key <redacted>");
    }
}
