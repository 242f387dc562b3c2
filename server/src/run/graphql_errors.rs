//! What an answer's HTTP status and GraphQL errors mean in the catalog: an error by its
//! `extensions.code`, then by the message graphql-js and the platform write, else by the status
//! it came with; and a status without a GraphQL body by itself.

use serde_json::Value;

use super::finding::{Finding, RUN_FIELDS};
use crate::base::catalog::Code;

/// One GraphQL error: by its `extensions.code` first, then by the message graphql-js and the
/// platform write, else by the HTTP status it came with.
pub(super) fn classify_error(error: &Value, failed_status: Option<u16>) -> Finding {
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("(no message)");
    let extension = error
        .get("extensions")
        .and_then(|e| e.get("code"))
        .and_then(Value::as_str);
    let code = extension
        .and_then(|c| by_extension(c, message))
        .or_else(|| by_message(message))
        .unwrap_or_else(|| match failed_status {
            Some(s) => status_code(s),
            None => Code::ResponseHasErrors,
        });
    let mut text = format!("the server says \"{}\"", clip(message));
    if let Some(c) = extension {
        text.push_str(&format!(" (`extensions.code` {c})"));
    }
    if let Some(at) = location(error) {
        text.push_str(&format!(" at {at} of the query"));
    }
    if let Some(path) = error.get("path").and_then(Value::as_array) {
        let path: Vec<String> = path
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        if !path.is_empty() {
            text.push_str(&format!(", for `{}`", path.join(".")));
        }
    }
    if let Some(s) = failed_status {
        text = format!("HTTP {s}: {text}");
    }
    Finding {
        code,
        message: text,
    }
}

fn location(error: &Value) -> Option<String> {
    let first = error.get("locations")?.get(0)?;
    Some(format!(
        "line {}, column {}",
        first.get("line")?.as_u64()?,
        first.get("column")?.as_u64()?
    ))
}

fn by_extension(code: &str, message: &str) -> Option<Code> {
    Some(match code.to_ascii_uppercase().as_str() {
        "UNAUTHENTICATED" | "UNAUTHORIZED" | "INVALID_API_KEY" => Code::Unauthorized,
        "FORBIDDEN" => Code::Forbidden,
        "NOT_FOUND" | "WORKFLOW_NOT_FOUND" | "FLOW_NOT_FOUND" => {
            if mentions_flow(message) {
                Code::FlowNotFound
            } else {
                Code::NotFound
            }
        }
        "TOO_MANY_REQUESTS" | "RATE_LIMITED" | "RATE_LIMIT_EXCEEDED" => Code::RateLimited,
        "GRAPHQL_PARSE_FAILED" => Code::SyntaxError,
        "INTERNAL_SERVER_ERROR" => return by_message(message).or(Some(Code::ServerError)),
        "BAD_USER_INPUT" => {
            return by_message(message).or(Some(if message.to_lowercase().contains("payload") {
                Code::PayloadMismatch
            } else {
                Code::VariableValueInvalid
            }))
        }
        // The standard code says only "invalid": the message says which rule.
        "GRAPHQL_VALIDATION_FAILED" => return by_message(message).or(Some(Code::BadRequest)),
        _ => return None,
    })
}

pub(super) fn mentions_flow(message: &str) -> bool {
    let lower = message.to_lowercase();
    lower.contains("workflow") || lower.contains("flow")
}

/// What graphql-js (and the platform) say for the rules flowql checks before sending.
fn by_message(message: &str) -> Option<Code> {
    let lower = message.to_lowercase();
    let has = |needle: &str| lower.contains(needle);
    Some(
        if has("on type \"mutation\"") && RUN_FIELDS.iter().any(|f| message.contains(f)) {
            Code::QueryFieldInMutation
        } else if has("syntax error") {
            Code::SyntaxError
        } else if has("cannot query field") {
            Code::UnknownField
        } else if has("unknown argument") {
            Code::UnknownArgument
        } else if has("unknown type") {
            Code::UnknownType
        } else if has("unknown fragment") {
            Code::UnknownFragment
        } else if has("of required type") && has("was not provided") {
            Code::VariableValueMissing
        } else if has("got invalid value") {
            Code::VariableValueInvalid
        } else if has("is never used") && has("variable") {
            Code::UnusedVariable
        } else if has("is not defined") && has("variable") {
            Code::UndefinedVariable
        } else if has("must have a selection of subfields") {
            Code::MissingSelectionSet
        } else if has("must not have a selection") {
            Code::SelectionOnLeafField
        } else if has("argument") && has("is required") {
            Code::MissingRequiredArgument
        } else if has("expected value of type") || has("cannot represent") {
            Code::ValueTypeMismatch
        } else if (has("not found") || has("does not exist") || has("no such"))
            && mentions_flow(message)
        {
            Code::FlowNotFound
        } else if has("not deployed") || has("inactive") {
            Code::FlowInactive
        } else if has("unauthorized") || has("api key") || has("unauthenticated") {
            Code::Unauthorized
        } else if has("forbidden") || has("permission") || has("access denied") {
            Code::Forbidden
        } else if has("too many requests") || has("rate limit") {
            Code::RateLimited
        } else if has("payload") && (has("schema") || has("invalid") || has("match")) {
            Code::PayloadMismatch
        } else {
            return None;
        },
    )
}

/// The catalog entry of an HTTP status that is not success.
pub fn status_code(status: u16) -> Code {
    match status {
        401 => Code::Unauthorized,
        403 => Code::Forbidden,
        404 => Code::NotFound,
        422 => Code::PayloadMismatch,
        429 => Code::RateLimited,
        502..=504 => Code::ModelProviderError,
        500..=599 => Code::ServerError,
        300..=399 => Code::NotFound,
        _ => Code::BadRequest,
    }
}

pub(super) fn status_message(status: u16, detail: &str) -> String {
    let what = match status {
        300..=399 => "a redirect: the endpoint URL is probably not the project's GraphQL endpoint",
        401 => "the API key was missing, wrong or not active",
        403 => "the key or `x-project-id` has no access to this project",
        404 => "no such endpoint, project or flow",
        422 => "the input did not match the flow's schema",
        429 => "too many requests",
        502..=504 => "a gateway or model provider error",
        500..=599 => "a server error",
        _ => "the request was refused",
    };
    format!("HTTP {status} ({what}), {detail}")
}

pub(super) fn clip(text: &str) -> String {
    let clipped: String = text.chars().take(300).collect();
    if clipped.len() < text.len() {
        format!("{clipped}...")
    } else {
        clipped
    }
}
