//! A run's report and an explained answer as Markdown, the read-only document the editors
//! open after a Run or an "Explain this answer".

use super::answer::{Explained, Finding, Outcome};
use super::execute::RunReport;

/// Whether a JSON text looks like an answer of the project endpoint: an object with `errors`,
/// or with `data` holding one of the fields that run flows.
pub fn looks_like_answer(text: &str) -> bool {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str(text) else {
        return false;
    };
    let errors = object
        .get("errors")
        .and_then(serde_json::Value::as_array)
        .is_some_and(|e| e.iter().any(|e| e.get("message").is_some()));
    let run = object
        .get("data")
        .and_then(serde_json::Value::as_object)
        .is_some_and(|d| {
            ["executeWorkflow", "checkStatus", "executeAgent"]
                .iter()
                .any(|f| d.contains_key(*f))
        });
    errors || run
}

/// The report of a run: what ran, how it ended, the result or each cause of the failure.
pub fn run_markdown(described: &str, report: &RunReport) -> String {
    let took = format!("{:.1} s", report.elapsed.as_secs_f32());
    let requests = report.requests_text();
    let mut text = format!("# Run of {described}\n\n");
    let verdict = match &report.explained.outcome {
        Outcome::Finished(_) => "**Finished**",
        Outcome::Running(_) => "**Still running** when flowql stopped waiting",
        Outcome::Failed => "**Failed**",
    };
    text.push_str(&format!("{verdict} after {took} ({requests}"));
    if report.polls > 0 {
        text.push_str(&format!(", {} `checkStatus` polls", report.polls));
    }
    text.push(')');
    if let Some(status) = &report.explained.run_status {
        text.push_str(&format!(", status `{status}`"));
    }
    if let Some(id) = &report.request_id {
        text.push_str(&format!(", request `{id}`"));
    }
    text.push_str(".\n\n");
    match &report.explained.outcome {
        Outcome::Finished(result) => {
            text.push_str("## Result\n\n```json\n");
            text.push_str(&serde_json::to_string_pretty(result).unwrap_or_default());
            text.push_str("\n```\n");
        }
        _ => text.push_str(&findings_markdown(&report.explained.findings)),
    }
    text
}

/// An explained answer: its verdict and each cause of a failure.
pub fn answer_markdown(explained: &Explained, status: Option<u16>) -> String {
    let status = status.map_or_else(|| "no HTTP status".to_string(), |s| format!("HTTP {s}"));
    let field = explained
        .field
        .as_deref()
        .map(|f| format!(", `{f}`"))
        .unwrap_or_default();
    let verdict = match &explained.outcome {
        Outcome::Finished(_) => "The request succeeded and the flow finished".to_string(),
        Outcome::Running(Some(id)) => format!(
            "The run goes on: poll `checkStatus(requestId: \"{id}\")`, at most once every 3 s"
        ),
        Outcome::Running(None) => {
            "The run goes on: poll `checkStatus` again, at most once every 3 s".to_string()
        }
        Outcome::Failed => "The request failed".to_string(),
    };
    let mut text = format!("# The answer ({status}{field})\n\n{verdict}.\n\n");
    text.push_str(&findings_markdown(&explained.findings));
    text
}

fn findings_markdown(findings: &[Finding]) -> String {
    let mut text = String::new();
    for finding in findings {
        let entry = finding.code.entry();
        let status = finding.status_note();
        text.push_str(&format!(
            "## `{}`{status}: {}\n\n{}.\n\n**Fix:** {}\n\n",
            finding.code,
            entry.title,
            capitalized(&finding.message),
            entry.fix
        ));
    }
    text
}

/// A message as a sentence: its first letter in capitals.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_told_from_other_json() {
        assert!(looks_like_answer(r#"{"errors":[{"message":"x"}]}"#));
        assert!(looks_like_answer(
            r#"{"data":{"checkStatus":{"status":"success"}}}"#
        ));
        assert!(!looks_like_answer(r#"{"topic":"x","errors":3}"#));
        assert!(!looks_like_answer(r#"{"data":{"user":1}}"#));
        assert!(!looks_like_answer("[1, 2"));
    }
}
