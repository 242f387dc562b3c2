//! What an answer of the project endpoint says, explained with the error catalog: read from a
//! live response or from a saved one (a body, optionally after the status line and headers
//! `curl -i` prints), told apart into a finished run, a run still going, or a failure with
//! each of its causes.

use serde_json::Value;

pub use super::finding::Finding;
use super::finding::RUN_FIELDS;
use super::graphql_errors::{classify_error, clip, status_code, status_message};
use crate::base::catalog::Code;

/// An answer as it arrived: the HTTP status and headers when known, and the body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    pub status: Option<u16>,
    /// Header names in lower case, in the order they came.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    /// Reads a saved answer: a bare body, or `curl -i` / `curl -v -D -` output with one or
    /// more status blocks (an interim `100 Continue`, redirects followed with `-L`); the last
    /// block is the answer.
    pub fn parse_saved(text: &str) -> Answer {
        let mut rest = text.trim_start_matches('\u{feff}').trim_start();
        let mut answer = Answer::default();
        while let Some(status) = status_line(rest) {
            answer.status = Some(status);
            answer.headers.clear();
            let mut lines = rest.split_inclusive('\n');
            lines.next();
            let mut consumed = rest.len() - rest.split_once('\n').map_or("", |(_, r)| r).len();
            for line in lines {
                consumed += line.len();
                let line = line.trim_end_matches(['\r', '\n']);
                if line.is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    answer
                        .headers
                        .push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
                }
            }
            rest = rest.get(consumed.min(rest.len())..).unwrap_or_default();
            rest = rest.trim_start_matches(['\r', '\n']);
        }
        answer.body = rest.to_string();
        answer
    }

    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `HTTP/1.1 404 Not Found`, `HTTP/2 429`: the status, when `text` starts with such a line.
fn status_line(text: &str) -> Option<u16> {
    let line = text.lines().next()?;
    let rest = line.strip_prefix("HTTP/")?;
    let mut words = rest.split_whitespace();
    words.next()?;
    words
        .next()?
        .parse()
        .ok()
        .filter(|s| (100..600).contains(s))
}

/// How the run stands after this answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The flow ran and finished; its result.
    Finished(Value),
    /// An async run was accepted or is still going: poll `checkStatus` with the request id
    /// (the answer of `checkStatus` itself does not repeat it).
    Running(Option<String>),
    /// The request or the run failed; the findings say why.
    Failed,
}

impl Outcome {
    /// How reports name it: `finished`, `running` or `failed`.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Finished(_) => "finished",
            Outcome::Running(_) => "running",
            Outcome::Failed => "failed",
        }
    }

    /// The result of a finished run.
    pub fn result(&self) -> Option<&Value> {
        match self {
            Outcome::Finished(result) => Some(result),
            _ => None,
        }
    }

    /// The request id to poll of a run still going.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Outcome::Running(id) => id.as_deref(),
            _ => None,
        }
    }
}

/// An answer, explained.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    pub outcome: Outcome,
    pub findings: Vec<Finding>,
    /// The field that answered (`executeWorkflow`, `checkStatus`, ...), when the body says.
    pub field: Option<String>,
    /// The run's status as the platform spells it (`success`, `in-progress`, `error`, ...).
    pub run_status: Option<String>,
    /// Seconds to wait before asking again, from `Retry-After`.
    pub retry_after: Option<u64>,
}

impl Explained {
    /// Removes a secret from every message, should a server have echoed it back.
    pub fn redacted(mut self, secret: Option<&str>) -> Self {
        if let Some(secret) = secret.filter(|s| s.len() >= 4) {
            for finding in &mut self.findings {
                finding.message = finding.message.replace(secret, "<redacted>");
            }
        }
        self
    }

    fn fail(code: Code, message: impl Into<String>) -> Explained {
        Explained {
            outcome: Outcome::Failed,
            findings: vec![Finding {
                code,
                message: message.into(),
            }],
            field: None,
            run_status: None,
            retry_after: None,
        }
    }
}

/// Explains an answer: its HTTP status, its GraphQL `errors` (with `extensions.code`), and the
/// run it reports (`status` `error` / `failed`, a `statusCode` such as 422, a request id to
/// poll).
pub fn explain(answer: &Answer) -> Explained {
    let status = answer.status;
    let retry_after = answer
        .header("retry-after")
        .and_then(|v| v.trim().parse().ok());
    let failed_status = status.filter(|s| !(200..300).contains(s));
    let body = answer.body.trim();
    let mut explained = if body.is_empty() {
        match failed_status {
            Some(s) => Explained::fail(status_code(s), status_message(s, "the body is empty")),
            None => Explained::fail(Code::MalformedResponse, "the answer has no body"),
        }
    } else {
        match serde_json::from_str::<Value>(body) {
            Ok(json) => explain_json(&json, failed_status),
            Err(e) => not_json(body, failed_status, &e.to_string()),
        }
    };
    explained.retry_after = retry_after;
    if let (Some(seconds), Some(f)) = (
        retry_after,
        explained
            .findings
            .iter_mut()
            .find(|f| f.code == Code::RateLimited),
    ) {
        f.message.push_str(&format!(
            "; the server asks to wait {seconds} s (`Retry-After`)"
        ));
    }
    explained
}

fn not_json(body: &str, failed_status: Option<u16>, error: &str) -> Explained {
    let html = body.starts_with('<') || body.to_ascii_lowercase().contains("<html");
    let mut explained = match failed_status {
        // A proxy's or CDN's own page: the status says what happened.
        Some(s) => Explained::fail(
            status_code(s),
            status_message(
                s,
                if html {
                    "with an HTML page, not GraphQL JSON (a proxy, a CDN or a sign-in page answered)"
                } else {
                    "with a body that is not JSON"
                },
            ),
        ),
        None if html => Explained::fail(
            Code::NotJson,
            "the answer is an HTML page, not GraphQL JSON: is the URL the project's GraphQL endpoint (ending in `/graphql`)?",
        ),
        None => Explained::fail(
            Code::MalformedResponse,
            format!("the answer is not JSON ({error})"),
        ),
    };
    if html && failed_status.is_none() {
        return explained;
    }
    if let Some(f) = explained.findings.first_mut() {
        let excerpt: String = body.chars().take(120).collect();
        if !html {
            f.message.push_str(&format!(": `{}`", excerpt.trim()));
        }
    }
    explained
}

fn explain_json(json: &Value, failed_status: Option<u16>) -> Explained {
    let mut findings: Vec<Finding> = json
        .get("errors")
        .and_then(Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .take(20)
                .map(|e| classify_error(e, failed_status))
                .collect()
        })
        .unwrap_or_default();
    // A REST-style error body (`{"message": ...}`) from a gateway in front of the endpoint.
    if findings.is_empty() && failed_status.is_some() {
        let detail = json
            .get("message")
            .or_else(|| json.get("error"))
            .and_then(Value::as_str)
            .map(|m| format!("the server says \"{}\"", clip(m)))
            .unwrap_or_else(|| "no GraphQL error in the body".to_string());
        let s = failed_status.unwrap_or(400);
        findings.push(Finding {
            code: status_code(s),
            message: status_message(s, &detail),
        });
    }
    let data = json.get("data").filter(|d| !d.is_null());
    let field = data.and_then(|d| {
        let object = d.as_object()?;
        RUN_FIELDS
            .iter()
            .find(|f| object.contains_key(**f))
            .map(|f| f.to_string())
            .or_else(|| object.keys().next().cloned())
    });
    let run = field
        .as_deref()
        .and_then(|f| data?.get(f))
        .filter(|v| !v.is_null());
    let mut explained = Explained {
        outcome: Outcome::Failed,
        findings: Vec::new(),
        field: field.clone(),
        run_status: None,
        retry_after: None,
    };
    if json.get("data").is_none() && json.get("errors").is_none() && failed_status.is_none() {
        explained.findings = vec![Finding {
            code: Code::MalformedResponse,
            message: "the answer has neither `data` nor `errors`: it is not a GraphQL response"
                .into(),
        }];
        return explained;
    }
    match run {
        Some(run) => {
            let (outcome, run_finding, run_status) =
                explain_run(run, field.as_deref().unwrap_or_default());
            explained.run_status = run_status;
            findings.extend(run_finding);
            explained.outcome = if findings.is_empty() {
                outcome
            } else {
                Outcome::Failed
            };
        }
        None if findings.is_empty() => {
            let what = field.map_or_else(
                || "`data` is empty".to_string(),
                |f| format!("`data.{f}` is null"),
            );
            findings.push(Finding {
                code: Code::MalformedResponse,
                message: format!("{what} and no error says why"),
            });
        }
        None => {}
    }
    explained.findings = findings;
    explained
}

/// A finished, running or failed run, from the object `executeWorkflow` or `checkStatus`
/// answered with.
fn explain_run(run: &Value, field: &str) -> (Outcome, Option<Finding>, Option<String>) {
    let status = run
        .get("status")
        .and_then(Value::as_str)
        .map(str::to_string);
    let lower = status.as_deref().map(str::to_ascii_lowercase);
    let result = run
        .get("result")
        .or_else(|| run.get("output"))
        .or_else(|| run.get("data").and_then(|d| d.get("output")))
        .cloned()
        .unwrap_or(Value::Null);
    let request_id = run
        .get("requestId")
        .or_else(|| result.get("requestId"))
        .and_then(Value::as_str)
        .map(str::to_string);
    match lower.as_deref() {
        Some("error" | "failed" | "failure") => {
            let finding = run_failure(run, &result, field, status.as_deref().unwrap_or("error"));
            (Outcome::Failed, Some(finding), status)
        }
        Some(
            "in-progress" | "in_progress" | "inprogress" | "pending" | "running" | "queued"
            | "processing" | "started",
        ) => (Outcome::Running(request_id), None, status),
        _ => {
            // An async flow answers at once with only a request id to poll.
            let only_id = result.as_object().is_some_and(|o| {
                o.contains_key("requestId")
                    && o.keys()
                        .all(|k| matches!(k.as_str(), "requestId" | "status" | "message"))
            });
            if field == "executeWorkflow" && only_id {
                (Outcome::Running(request_id), None, status)
            } else {
                (Outcome::Finished(result), None, status)
            }
        }
    }
}

fn run_failure(run: &Value, result: &Value, field: &str, status: &str) -> Finding {
    let status_code = run
        .get("statusCode")
        .or_else(|| result.get("statusCode"))
        .and_then(Value::as_u64);
    let said = [run, result]
        .iter()
        .flat_map(|v| ["error", "message", "errorMessage", "reason"].map(|k| v.get(k)))
        .flatten()
        .find_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("message").and_then(Value::as_str).map(str::to_string),
            _ => None,
        });
    let node = run
        .get("nodes")
        .and_then(Value::as_array)
        .and_then(|nodes| {
            nodes.iter().find(|n| {
                n.get("status")
                    .and_then(Value::as_str)
                    .is_some_and(|s| matches!(s, "error" | "failed"))
            })
        })
        .and_then(|n| n.get("nodeName").or_else(|| n.get("nodeId")))
        .and_then(Value::as_str);
    let code = match status_code {
        Some(422) => Code::PayloadMismatch,
        Some(400) => Code::PayloadMismatch,
        Some(401) => Code::Unauthorized,
        Some(403) => Code::Forbidden,
        Some(404) => Code::NotFound,
        Some(429) => Code::RateLimited,
        Some(502..=504) => Code::ModelProviderError,
        _ => Code::FlowRunFailed,
    };
    let mut message = format!("`{field}` answered status \"{status}\"");
    if let Some(code) = status_code {
        message.push_str(&format!(" with statusCode {code}"));
        if code == 422 {
            message.push_str(" (the run rejected its input: it does not match the flow's schema)");
        }
    }
    if let Some(node) = node {
        message.push_str(&format!("; the node \"{}\" failed", clip(node)));
    }
    if let Some(said) = said {
        message.push_str(&format!(": \"{}\"", clip(&said)));
    }
    Finding { code, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(e: &Explained) -> Vec<Code> {
        e.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn curl_output_gives_the_last_status_and_its_headers() {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/2 429 \r\nretry-after: 7\r\ncontent-type: application/json\r\n\r\n{\"errors\":[{\"message\":\"Too many requests\"}]}";
        let answer = Answer::parse_saved(text);
        assert_eq!(answer.status, Some(429));
        assert_eq!(answer.header("retry-after"), Some("7"));
        assert!(answer.body.starts_with("{\"errors\""));
        let explained = explain(&answer);
        assert_eq!(codes(&explained), vec![Code::RateLimited]);
        assert_eq!(explained.retry_after, Some(7));
        assert!(explained.findings[0].message.contains("7 s"));
    }

    #[test]
    fn a_bare_body_has_no_status() {
        let answer = Answer::parse_saved(
            "  {\"data\":{\"executeWorkflow\":{\"status\":\"success\",\"result\":{\"a\":1}}}}\n",
        );
        assert_eq!(answer.status, None);
        let explained = explain(&answer);
        assert_eq!(
            explained.outcome,
            Outcome::Finished(serde_json::json!({"a": 1}))
        );
        assert!(explained.findings.is_empty());
    }

    #[test]
    fn an_async_acceptance_is_running_with_its_request_id() {
        let answer = Answer::parse_saved(
            r#"{"data":{"executeWorkflow":{"status":"success","result":{"requestId":"r-1"}}}}"#,
        );
        assert_eq!(
            explain(&answer).outcome,
            Outcome::Running(Some("r-1".into()))
        );
        let polled = Answer::parse_saved(r#"{"data":{"checkStatus":{"status":"in_progress"}}}"#);
        assert_eq!(explain(&polled).outcome, Outcome::Running(None));
    }

    #[test]
    fn graphql_errors_are_classified_by_code_then_message() {
        let body = r#"{"errors":[
            {"message":"Cannot query field \"executeWorkflow\" on type \"Mutation\".","locations":[{"line":1,"column":12}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}},
            {"message":"Variable \"$payload\" of required type \"JSON!\" was not provided."},
            {"message":"Workflow not found","extensions":{"code":"NOT_FOUND"}},
            {"message":"something odd"}
        ]}"#;
        let explained = explain(&Answer::parse_saved(body));
        assert_eq!(
            codes(&explained),
            vec![
                Code::QueryFieldInMutation,
                Code::VariableValueMissing,
                Code::FlowNotFound,
                Code::ResponseHasErrors
            ]
        );
        assert!(explained.findings[0].message.contains("line 1, column 12"));
        assert_eq!(explained.outcome, Outcome::Failed);
    }

    #[test]
    fn statuses_without_graphql_errors_are_explained_by_the_status() {
        for (status, code) in [
            (401, Code::Unauthorized),
            (403, Code::Forbidden),
            (404, Code::NotFound),
            (422, Code::PayloadMismatch),
            (500, Code::ServerError),
            (503, Code::ModelProviderError),
            (400, Code::BadRequest),
        ] {
            let text = format!("HTTP/1.1 {status} X\r\n\r\n{{\"message\":\"no\"}}");
            let explained = explain(&Answer::parse_saved(&text));
            assert_eq!(codes(&explained), vec![code], "{status}");
            assert!(explained.findings[0].message.contains("\"no\""));
        }
        let html = explain(&Answer::parse_saved(
            "HTTP/1.1 403 Forbidden\n\n<html>blocked</html>",
        ));
        assert_eq!(codes(&html), vec![Code::Forbidden]);
        assert!(html.findings[0].message.contains("HTML"));
    }

    #[test]
    fn failed_runs_name_the_node_and_a_422() {
        let body = r#"{"data":{"checkStatus":{"status":"failed","statusCode":422,"output":{"error":"Input did not match"},"nodes":[{"nodeName":"Trigger","status":"failed"}]}}}"#;
        let explained = explain(&Answer::parse_saved(body));
        assert_eq!(codes(&explained), vec![Code::PayloadMismatch]);
        let message = &explained.findings[0].message;
        assert!(
            message.contains("422") && message.contains("Trigger"),
            "{message}"
        );
        assert!(message.contains("Input did not match"), "{message}");
        let plain = explain(&Answer::parse_saved(
            r#"{"data":{"executeWorkflow":{"status":"error","result":{"message":"LLM node: no credentials"}}}}"#,
        ));
        assert_eq!(codes(&plain), vec![Code::FlowRunFailed]);
        assert!(plain.findings[0].message.contains("no credentials"));
    }

    #[test]
    fn what_is_not_a_graphql_answer_says_so() {
        assert_eq!(
            codes(&explain(&Answer::parse_saved("<!doctype html><p>hi"))),
            vec![Code::NotJson]
        );
        assert_eq!(
            codes(&explain(&Answer::parse_saved("{\"data\": "))),
            vec![Code::MalformedResponse]
        );
        assert_eq!(
            codes(&explain(&Answer::parse_saved("{\"hello\": 1}"))),
            vec![Code::MalformedResponse]
        );
        assert_eq!(
            codes(&explain(&Answer::parse_saved(
                "{\"data\":{\"executeWorkflow\":null}}"
            ))),
            vec![Code::MalformedResponse]
        );
        assert_eq!(
            codes(&explain(&Answer::parse_saved(""))),
            vec![Code::MalformedResponse]
        );
    }

    #[test]
    fn echoed_secrets_are_redacted() {
        let explained = explain(&Answer::parse_saved(
            r#"{"errors":[{"message":"key lt-secret-9 is revoked"}]}"#,
        ))
        .redacted(Some("lt-secret-9"));
        assert!(!explained.findings[0].message.contains("lt-secret-9"));
    }

    #[test]
    fn hostile_text_never_panics() {
        for text in [
            "HTTP/",
            "HTTP/1.1",
            "HTTP/1.1 99999",
            "HTTP/1.1 200\n",
            "\u{feff}",
            "HTTP/1.1 200 OK\r\nx\r\n",
        ] {
            let _ = explain(&Answer::parse_saved(text));
        }
    }
}
