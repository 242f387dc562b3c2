//! Fetching the project's schema by introspection: one POST with the platform's headers, a
//! timeout, gzip, a size cap, bounded retries for 429 and 5xx, and every failure explained.

use std::time::Duration;

use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, ETAG, IF_NONE_MATCH, RETRY_AFTER,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::failure::FetchFailure;
use crate::base::catalog::Code;
use crate::config::Secret;
use crate::schema::introspection::{self, INTROSPECTION_QUERY, INTROSPECTION_QUERY_LEGACY};

/// Where to fetch from and with what credentials.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    pub url: String,
    pub project_id: Option<String>,
    pub api_key: Option<Secret>,
}

/// Limits of one fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub timeout: Duration,
    pub max_bytes: usize,
    /// Tries in all, for 429 and 5xx answers.
    pub max_attempts: u32,
    /// The first wait between tries; doubled each time up to `max_wait`.
    pub first_wait: Duration,
    /// No wait is longer than this, whatever `Retry-After` asks.
    pub max_wait: Duration,
    /// The `ETag` of the cached copy, sent as `If-None-Match`.
    pub etag: Option<String>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(15),
            max_bytes: 20 * 1024 * 1024,
            max_attempts: 4,
            first_wait: Duration::from_millis(500),
            max_wait: Duration::from_secs(10),
            etag: None,
        }
    }
}

/// A successful fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    Schema {
        sdl: String,
        etag: Option<String>,
    },
    /// The server says the cached copy (sent as `If-None-Match`) is still current.
    NotModified,
}

/// The HTTP client: rustls, gzip, and redirects that never carry `Authorization` to another
/// host (reqwest drops it, with cookies, whenever a redirect leaves the original host).
pub fn client(options: &FetchOptions) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(options.timeout)
        .connect_timeout(options.timeout.min(Duration::from_secs(10)))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!("flowql/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// The platform's headers: JSON, the key as a bearer token (marked sensitive), the project.
pub(crate) fn headers(endpoint: &Endpoint, etag: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    if let Some(key) = &endpoint.api_key {
        if let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {}", key.expose())) {
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
    }
    if let Some(project) = endpoint
        .project_id
        .as_deref()
        .and_then(|p| HeaderValue::from_str(p).ok())
    {
        headers.insert("x-project-id", project);
    }
    if let Some(etag) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
        headers.insert(IF_NONE_MATCH, etag);
    }
    headers
}

/// Fetches the schema at `endpoint`. Never panics; every failure is a [`FetchFailure`].
pub async fn fetch_schema(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    options: &FetchOptions,
) -> Result<Fetched, FetchFailure> {
    let key = endpoint.api_key.as_ref().map(Secret::expose);
    if endpoint.api_key.as_ref().is_some_and(Secret::is_org_key) {
        return Err(FetchFailure::new(
            Code::OrgKeyOnProjectEndpoint,
            "`apiKey` is an organisation key (`lt-org-...`), which the project endpoint refuses; nothing was sent",
        ));
    }
    let result = match fetch_with(client, endpoint, options, INTROSPECTION_QUERY).await {
        // Servers before graphql-js 15 reject the newer introspection fields: ask again without.
        Err(failure)
            if failure.code == Code::IntrospectionDisabled
                && mentions_newer_fields(&failure.message) =>
        {
            fetch_with(client, endpoint, options, INTROSPECTION_QUERY_LEGACY).await
        }
        other => other,
    };
    result.map_err(|f| f.redacted(key))
}

fn mentions_newer_fields(message: &str) -> bool {
    [
        "specifiedByURL",
        "isRepeatable",
        "includeDeprecated",
        "isDeprecated",
    ]
    .iter()
    .any(|field| message.contains(field))
}

async fn fetch_with(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    options: &FetchOptions,
    query: &str,
) -> Result<Fetched, FetchFailure> {
    let url = endpoint.url.as_str();
    let body = json!({"query": query, "operationName": "IntrospectionQuery"}).to_string();
    let answer = send(options, url, endpoint.api_key.is_some(), || {
        client
            .post(url)
            .headers(headers(endpoint, options.etag.as_deref()))
            .body(body.clone())
    })
    .await?;
    if answer.status == StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    parse_schema(
        &answer.body,
        &answer.content_type,
        url,
        answer.etag,
        answer.status.as_u16(),
    )
}

/// A successful (2xx or 304) answer, read to the end within the size cap.
pub struct Answer {
    pub status: StatusCode,
    pub etag: Option<String>,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Sends the request `make` builds, retrying 429 and 5xx answers with capped exponential
/// backoff (honouring `Retry-After` up to the cap) at most `max_attempts` times in all, and
/// maps every other failure onto the catalog. `has_key` says whether a key was sent (for the
/// 401 message).
pub async fn send(
    options: &FetchOptions,
    url: &str,
    has_key: bool,
    make: impl Fn() -> reqwest::RequestBuilder,
) -> Result<Answer, FetchFailure> {
    let mut wait = options.first_wait;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let response = make()
            .send()
            .await
            .map_err(|e| FetchFailure::from_transport(&e, url))?;
        let status = response.status();
        let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
        if retryable && attempt < options.max_attempts {
            let asked = retry_after(response.headers());
            let pause = asked.unwrap_or(wait).min(options.max_wait);
            tracing::info!(
                "{url} answered {status}; try {attempt} of {}, next in {pause:?}",
                options.max_attempts
            );
            tokio::time::sleep(pause).await;
            wait = (wait * 2).min(options.max_wait);
            continue;
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let etag = header(ETAG);
        let content_type = header(CONTENT_TYPE)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let body = read_capped(response, options.max_bytes, url).await?;
        if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
            let detail = graphql_error_message(&body).unwrap_or_default();
            let mut failure = FetchFailure::from_status(status.as_u16(), url, has_key, &detail);
            if retryable {
                failure
                    .message
                    .push_str(&format!(" (after {attempt} tries)"));
            }
            return Err(failure);
        }
        return Ok(Answer {
            status,
            etag,
            content_type,
            body,
        });
    }
}

/// `Retry-After` in seconds (the HTTP-date form is treated as "a while": the cap).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    match value.parse::<u64>() {
        Ok(seconds) => Some(Duration::from_secs(seconds)),
        Err(_) => Some(Duration::MAX),
    }
}

/// The body of `response`, read to the end unless it is larger than `max` bytes.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    max: usize,
    url: &str,
) -> Result<Vec<u8>, FetchFailure> {
    let too_large = || {
        FetchFailure::new(
            Code::ResponseTooLarge,
            format!(
                "the answer of {url} is larger than {} MB; it was not read",
                max / (1024 * 1024)
            ),
        )
    };
    if response
        .content_length()
        .is_some_and(|len| len as usize > max)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > max {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(FetchFailure::from_transport(&e, url)),
        }
    }
}

/// The first error message of a body: GraphQL's `errors[0].message`, or a REST `message`.
fn graphql_error_message(bytes: &[u8]) -> Option<String> {
    let json: Value = serde_json::from_slice(bytes).ok()?;
    let message = json
        .get("errors")
        .and_then(|e| e.get(0))
        .and_then(|e| e.get("message"))
        .or_else(|| json.get("message"))?
        .as_str()?;
    Some(message.chars().take(300).collect())
}

fn parse_schema(
    bytes: &[u8],
    content_type: &str,
    url: &str,
    etag: Option<String>,
    status: u16,
) -> Result<Fetched, FetchFailure> {
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.trim_start();
    if content_type.contains("html") || trimmed.starts_with('<') {
        return Err(FetchFailure::new(
            Code::NotJson,
            format!(
                "{url} answered with an HTML page, not GraphQL JSON; is it the GraphQL endpoint?"
            ),
        )
        .with_status(status));
    }
    let json: Value = serde_json::from_str(trimmed).map_err(|e| {
        FetchFailure::new(
            Code::MalformedResponse,
            format!("the answer of {url} is not valid JSON: {e}"),
        )
        .with_status(status)
    })?;
    if introspection::find_schema(&json).is_none() {
        if let Some(message) = graphql_error_message(bytes) {
            return Err(FetchFailure::new(
                Code::IntrospectionDisabled,
                format!("{url} answered the schema request with an error: {message}"),
            )
            .with_status(status));
        }
        return Err(FetchFailure::new(
            Code::MalformedResponse,
            format!("the answer of {url} has no `data.__schema`"),
        )
        .with_status(status));
    }
    let sdl = introspection::to_sdl(&json).map_err(|e| {
        FetchFailure::new(
            Code::MalformedResponse,
            format!("the schema from {url} is malformed: {e}"),
        )
        .with_status(status)
    })?;
    Ok(Fetched::Schema { sdl, etag })
}
