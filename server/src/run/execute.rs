//! Sending a run: the `executeWorkflow` request exactly as the platform's SDKs send it (the
//! same query text, variables and headers), then, for an async flow, `checkStatus` polls no
//! more often than every 3 s until the run ends or the time allowed runs out. Nothing here
//! retries a run: a second `executeWorkflow` would run the flow twice.

use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;
use serde_json::{json, Value};

use super::answer::{explain, Answer, Explained, Finding, Outcome};
use crate::base::catalog::Code;
use crate::config::Secret;
use crate::platform::failure::FetchFailure;
use crate::platform::fetch::{self, Endpoint};

/// The query the JS and Python SDKs send to run a flow.
pub const EXECUTE_QUERY: &str = "query ExecuteWorkflow($workflowId: String!, $payload: JSON!) {\n  executeWorkflow(workflowId: $workflowId, payload: $payload) {\n    status\n    result\n  }\n}";

/// The query they poll an async run with (its JSON form, without a selection set).
pub const STATUS_QUERY: &str =
    "query CheckStatus($requestId: String!) {\n  checkStatus(requestId: $requestId)\n}";

/// The platform's documented limit: one `checkStatus` per 3 s, or the CDN may block the caller.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_secs(3);

/// What to run, where, with what.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub endpoint: Endpoint,
    pub flow_id: String,
    pub payload: Value,
}

/// How long to wait and how often to ask.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// For the whole run: the `executeWorkflow` request and every poll after it.
    pub timeout: Duration,
    /// Between polls; never less than [`MIN_POLL_INTERVAL`].
    pub poll_interval: Duration,
    pub max_bytes: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            timeout: Duration::from_secs(300),
            poll_interval: MIN_POLL_INTERVAL,
            max_bytes: 20 * 1024 * 1024,
        }
    }
}

/// Where a run is, for a progress report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// `executeWorkflow` was sent.
    Sent,
    /// The flow is async: the run was accepted under this request id.
    Accepted(String),
    /// `checkStatus` answered for the `n`th time that the run goes on.
    StillRunning { polls: u32, elapsed: Duration },
}

/// What came of a run.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The last answer, explained (or the failure to get one).
    pub explained: Explained,
    /// The async run's request id, when it had one.
    pub request_id: Option<String>,
    /// `checkStatus` requests sent.
    pub polls: u32,
    pub elapsed: Duration,
    /// Requests sent in all, `executeWorkflow` included.
    pub requests: u32,
}

impl RunReport {
    pub fn succeeded(&self) -> bool {
        matches!(self.explained.outcome, Outcome::Finished(_))
    }

    /// "1 request", "4 requests": what the run sent.
    pub fn requests_text(&self) -> String {
        match self.requests {
            1 => "1 request".to_string(),
            n => format!("{n} requests"),
        }
    }

    /// The run was still going when time ran out.
    pub fn timed_out(&self) -> bool {
        self.explained
            .findings
            .iter()
            .any(|f| f.code == Code::FlowRunStillRunning)
    }
}

/// Runs a flow and, when it is async, waits for it. Never panics; every failure is in the
/// report's findings, with the key removed from every message.
pub async fn run(
    request: &RunRequest,
    options: &RunOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> RunReport {
    let key = request.endpoint.api_key.as_ref().map(Secret::expose);
    let mut report = run_unredacted(request, options, progress).await;
    report.explained = report.explained.redacted(key);
    report
}

async fn run_unredacted(
    request: &RunRequest,
    options: &RunOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> RunReport {
    let started = Instant::now();
    let mut report = RunReport {
        explained: refused(Code::ServerError, String::new()),
        request_id: None,
        polls: 0,
        elapsed: Duration::ZERO,
        requests: 0,
    };
    if let Some(reason) = refusal(&request.endpoint) {
        report.explained = reason;
        return report;
    }
    let client = fetch::client(&fetch::FetchOptions {
        timeout: options.timeout,
        ..fetch::FetchOptions::default()
    });
    let variables = json!({"workflowId": request.flow_id, "payload": request.payload});
    progress(Progress::Sent);
    report.requests += 1;
    let first = post(
        &client,
        &request.endpoint,
        EXECUTE_QUERY,
        "ExecuteWorkflow",
        &variables,
        options,
    )
    .await;
    let mut explained = match first {
        Ok(answer) => explain(&answer),
        Err(failure) => from_failure(failure),
    };
    let request_id = match &explained.outcome {
        Outcome::Running(Some(id)) => id.clone(),
        Outcome::Running(None) => {
            explained = refused(
                Code::MalformedResponse,
                "`executeWorkflow` says the run goes on but gives no `requestId` to poll".into(),
            );
            report.explained = explained;
            report.elapsed = started.elapsed();
            return report;
        }
        _ => {
            report.explained = explained;
            report.elapsed = started.elapsed();
            return report;
        }
    };
    progress(Progress::Accepted(request_id.clone()));
    report.request_id = Some(request_id.clone());
    let mut interval = options.poll_interval.max(MIN_POLL_INTERVAL);
    let variables = json!({"requestId": request_id});
    loop {
        let elapsed = started.elapsed();
        if elapsed + interval > options.timeout {
            let mut finding = Finding {
                code: Code::FlowRunStillRunning,
                message: format!(
                    "the run {request_id} was still in progress after {} s and {} polls",
                    elapsed.as_secs(),
                    report.polls
                ),
            };
            if let Some(status) = &explained.run_status {
                finding
                    .message
                    .push_str(&format!(" (last status \"{status}\")"));
            }
            explained.findings = vec![finding];
            explained.outcome = Outcome::Running(Some(request_id));
            break;
        }
        tokio::time::sleep(interval).await;
        report.polls += 1;
        report.requests += 1;
        let answer = post(
            &client,
            &request.endpoint,
            STATUS_QUERY,
            "CheckStatus",
            &variables,
            options,
        )
        .await;
        explained = match answer {
            Ok(answer) if answer.status == Some(429) => {
                // Slow down as asked (or twice as slow), and ask again.
                let asked = explain(&answer)
                    .retry_after
                    .map_or(interval * 2, Duration::from_secs);
                interval = asked.clamp(MIN_POLL_INTERVAL, Duration::from_secs(60));
                continue;
            }
            Ok(answer) => explain(&answer),
            Err(failure) => from_failure(failure),
        };
        match explained.outcome {
            Outcome::Running(_) => progress(Progress::StillRunning {
                polls: report.polls,
                elapsed: started.elapsed(),
            }),
            _ => break,
        }
    }
    report.explained = explained;
    report.elapsed = started.elapsed();
    report
}

/// Why nothing may be sent to this endpoint (no key, an organisation key), if so.
pub fn refusal(endpoint: &Endpoint) -> Option<Explained> {
    match &endpoint.api_key {
        None => Some(refused(
            Code::Unauthorized,
            "no API key is configured (`LAMATIC_API_KEY` in `.env`, or `apiKey` in the configuration): the platform would answer 401, so nothing was sent".into(),
        )),
        Some(key) if key.is_org_key() => Some(refused(
            Code::OrgKeyOnProjectEndpoint,
            "the API key is an organisation key (`lt-org-...`), which the project endpoint refuses; nothing was sent".into(),
        )),
        Some(_) => None,
    }
}

fn refused(code: Code, message: String) -> Explained {
    Explained {
        outcome: Outcome::Failed,
        findings: vec![Finding { code, message }],
        field: None,
        run_status: None,
        retry_after: None,
    }
}

fn from_failure(failure: FetchFailure) -> Explained {
    refused(failure.code, failure.message)
}

/// One POST of `query` with `variables`; the answer whatever its status (a 4xx body says why).
async fn post(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    query: &str,
    operation: &str,
    variables: &Value,
    options: &RunOptions,
) -> Result<Answer, FetchFailure> {
    let url = endpoint.url.as_str();
    let body = json!({"query": query, "variables": variables, "operationName": operation});
    let mut headers = fetch::headers(endpoint, None);
    headers.insert(
        reqwest::header::ACCEPT,
        HeaderValue::from_static("application/json"),
    );
    let response = client
        .post(url)
        .headers(headers)
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| FetchFailure::from_transport(&e, url))?;
    let status = response.status().as_u16();
    let response_headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let bytes = fetch::read_capped(response, options.max_bytes, url).await?;
    Ok(Answer {
        status: Some(status),
        headers: response_headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}
