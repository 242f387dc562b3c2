//! What a run sends, decided before anything is sent: the flow id as the app would send it (the
//! id written in the call, or the deployed id the step's environment variable holds), the
//! payload written in the call or given, and the endpoint and credentials of the project.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::base::catalog::Severity;
use crate::base::document::{Document, Encoding};
use crate::flows::registry::{Flow, FlowRegistry};
use crate::platform::fetch::Endpoint;
use crate::platform::Fetchable;
use crate::surfaces::call::{CallSummary, PayloadTree};
use crate::workspace::Resolved;

/// A run, ready to send but for its payload when the call does not write it out.
#[derive(Clone)]
pub struct Plan {
    pub flow_id: String,
    /// The flow of the project it runs, when known: its input schema judges the payload.
    pub flow: Option<Arc<Flow>>,
    /// The payload the call writes out; `Err` says why it cannot be had from the call.
    pub payload: Result<Value, String>,
    /// Says what runs: "Debate setup (debate-setup), id 9c1e... from `DEBATE_FLOW_ID`".
    pub described: String,
}

/// The project endpoint and credentials of a resolved file, or why there are none.
pub fn endpoint(resolved: &Resolved) -> Result<Endpoint, String> {
    match resolved.remote.as_ref().map(|r| &r.what) {
        Some(Fetchable::Schema(remote)) => Ok(remote.endpoint.clone()),
        _ => Err("no project endpoint is configured here: set `LAMATIC_API_URL` (with `LAMATIC_PROJECT_ID` and `LAMATIC_API_KEY`) in the project's `.env`, or `endpoint` in the graphql-config's `extensions.flowql`".into()),
    }
}

/// The deployed id of a flow of the project, or why it is not known.
pub fn deployed_id(flow: &Flow) -> Result<String, String> {
    if let Some(id) = &flow.deployed_id {
        return Ok(id.clone());
    }
    if let Some(key) = &flow.env_key {
        if let Some(value) = std::env::var(key).ok().filter(|v| !v.trim().is_empty()) {
            return Ok(value);
        }
        return Err(format!(
            "the flow `{}` is deployed under the id `{key}` holds, and `{key}` is set neither in the project's `.env` nor in the environment",
            flow.id
        ));
    }
    Err(format!(
        "the flow `{}` has no deployed id here: its step names no envKey or workflowId",
        flow.id
    ))
}

/// `--flow NAME`: a step id, an envKey, a flow of the configuration, or an id sent as is.
pub fn by_name(
    name: &str,
    flows: &FlowRegistry,
    kit_env: Option<&crate::surfaces::kit::Kit>,
) -> Result<Plan, String> {
    if let Some(flow) = flows.by_step_or_env(name) {
        let id = deployed_id(flow)?;
        return Ok(Plan {
            described: describe(flow, &id),
            flow_id: id,
            flow: Some(flow.clone()),
            payload: Err("`--flow` names no payload".into()),
        });
    }
    let from_env = looks_like_env_name(name)
        .then(|| {
            kit_env
                .and_then(|k| k.env.real_value(name).map(str::to_string))
                .or_else(|| std::env::var(name).ok())
        })
        .flatten();
    if looks_like_env_name(name) && from_env.is_none() {
        return Err(format!(
            "`{name}` is no step or flow of the project and is not set in `.env` or the environment"
        ));
    }
    let id = from_env.unwrap_or_else(|| name.to_string());
    Ok(Plan {
        described: format!("the flow {id} (not one of the project's flows: its payload is not checked before sending)"),
        flow_id: id,
        flow: None,
        payload: Err("`--flow` names no payload".into()),
    })
}

fn looks_like_env_name(name: &str) -> bool {
    name.len() > 1
        && name.contains('_')
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn describe(flow: &Flow, id: &str) -> String {
    let name = flow.name.as_deref().unwrap_or(&flow.id);
    let mut text = if name == flow.id {
        format!("the flow {name}")
    } else {
        format!("the flow \"{name}\" ({})", flow.id)
    };
    if id != flow.id {
        text.push_str(&format!(", deployed as {id}"));
        if let Some(key) = &flow.env_key {
            text.push_str(&format!(" (from `{key}`)"));
        }
    }
    text
}

/// The call of `text` that covers line `line` (1-based), as a plan.
pub fn call_on_line(text: &str, calls: &[CallSummary], line: u32) -> Result<Plan, String> {
    let doc = Document::new(text, 0);
    let line_of = |offset: usize| doc.offset_to_position(offset, Encoding::Utf16).line + 1;
    let covering = calls
        .iter()
        .filter(|c| line_of(c.range.start) <= line && line <= line_of(c.range.end))
        .min_by_key(|c| c.range.len());
    let Some(call) = covering else {
        let lines: Vec<String> = calls
            .iter()
            .map(|c| line_of(c.range.start).to_string())
            .collect();
        return Err(if lines.is_empty() {
            "the file has no flow call".into()
        } else {
            format!(
                "no flow call is on line {line}; the file's calls start on line {}",
                lines.join(", ")
            )
        });
    };
    plan_of_call(text, call)
}

/// A call of a document as a plan.
pub fn plan_of_call(text: &str, call: &CallSummary) -> Result<Plan, String> {
    let written = text
        .get(call.id_range.clone())
        .and_then(string_literal)
        .filter(|s| !s.is_empty());
    let flow = call.target.as_ref().map(|(flow, _)| flow.clone());
    let flow_id = match (&written, &flow) {
        (Some(id), _) => id.clone(),
        (None, Some(flow)) => deployed_id(flow)?,
        (None, None) => {
            return Err(match &call.flow {
                Err(reason) => format!("flowql cannot tell which flow this call runs: {reason}"),
                Ok(label) => format!("the id of {label} is not known"),
            })
        }
    };
    let described = match &flow {
        Some(flow) => describe(flow, &flow_id),
        None => format!("the flow {flow_id}"),
    };
    Ok(Plan {
        flow_id,
        payload: match &call.payload {
            Some(tree) => known_payload(tree),
            None => Err("the call's payload is not written out in it".into()),
        },
        flow,
        described,
    })
}

/// The text of a quoted string literal (code or GraphQL), without escapes to undo.
fn string_literal(text: &str) -> Option<String> {
    let text = text.trim();
    let quote = text.chars().next()?;
    if !matches!(quote, '"' | '\'' | '`') || text.len() < 2 || !text.ends_with(quote) {
        return None;
    }
    let inner = &text[1..text.len() - 1];
    (!inner.contains('\\') && !inner.contains("${")).then(|| inner.to_string())
}

/// The payload of a call when every part of it is written out in the call.
pub fn known_payload(tree: &PayloadTree) -> Result<Value, String> {
    if !tree.leaves.is_empty() {
        let mut names: Vec<&str> = tree.leaves.values().map(|l| l.name.as_str()).collect();
        names.sort_unstable();
        return Err(format!(
            "the payload takes GraphQL variables (${}): give the payload as JSON",
            names.join(", $")
        ));
    }
    if !tree.unknown.is_empty() {
        return Err("parts of the payload are only known when the app runs (variables, function calls): give the payload as JSON".into());
    }
    if !tree.open.is_empty() {
        return Err(
            "the payload spreads another object into itself: give the payload as JSON".into(),
        );
    }
    Ok(tree.value.clone())
}

/// The errors the flow's input schema finds in `payload` (what the platform would reject).
pub fn payload_errors(flow: &Flow, payload: &Value, strict: bool) -> Vec<String> {
    if !payload.is_object() {
        return vec!["the payload is not a JSON object".into()];
    }
    crate::flows::validate::validate(&flow.input, payload, strict)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| format!("{}: {}", p.code, p.message))
        .collect()
}

/// Reads a payload: a JSON file, or standard input for `-`.
pub fn read_payload(source: &Path) -> Result<Value, String> {
    let text = if source == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| format!("cannot read the payload from standard input: {e}"))?;
        text
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| format!("cannot read the payload {}: {e}", source.display()))?
    };
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| format!("the payload {} is not JSON: {e}", source.display()))?;
    if !value.is_object() {
        return Err(format!(
            "the payload {} is not a JSON object",
            source.display()
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_read_without_their_quotes() {
        assert_eq!(string_literal("\"abc\"").as_deref(), Some("abc"));
        assert_eq!(string_literal("'abc'").as_deref(), Some("abc"));
        assert_eq!(string_literal("`a${b}`"), None);
        assert_eq!(string_literal("process.env.X"), None);
        assert_eq!(string_literal("\""), None);
    }

    #[test]
    fn env_names_are_told_from_ids() {
        assert!(looks_like_env_name("DEBATE_FLOW_ID"));
        assert!(!looks_like_env_name("debate-setup"));
        assert!(!looks_like_env_name("9c1e2d3f-0000-4000-8000-000000000000"));
    }
}
