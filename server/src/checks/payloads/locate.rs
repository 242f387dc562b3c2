//! Where a payload problem goes and how to fix it: each problem the validator finds in a flow
//! call's payload becomes a diagnostic at the key or value it is about, with the quick fixes
//! (rename a misspelt key, add a missing one, remove an unknown one, fix the quoting). Every
//! surface's payload comes here as a [`PayloadTree`].

use std::collections::HashMap;
use std::ops::Range;

use serde_json::Value as Json;

use crate::base::catalog::{Code, Severity};
use crate::base::diagnostic::Diagnostic;
use crate::flows::registry::Flow;
use crate::flows::validate::{PayloadProblem, Segment, Target};
use crate::surfaces::call::{PayloadTree, TypedLeaf};

/// The variable leaf a path is at or under, with its path.
fn leaf_for<'a>(
    path: &[Segment],
    leaves: &'a HashMap<Vec<Segment>, TypedLeaf>,
) -> Option<(&'a [Segment], &'a TypedLeaf)> {
    (0..=path.len()).rev().find_map(|n| {
        leaves
            .get_key_value(&path[..n])
            .map(|(k, v)| (k.as_slice(), v))
    })
}

fn range_at(path: &[Segment], payload: &PayloadTree) -> Option<Range<usize>> {
    (0..=path.len())
        .rev()
        .find_map(|n| payload.values.get(&path[..n]).cloned())
}

/// Turns a validation problem into a diagnostic at the right range, or drops it when it only
/// concerns the placeholder of a variable.
fn locate(
    problem: PayloadProblem,
    payload: &PayloadTree,
    payload_name: &Range<usize>,
    flow: &str,
    schema: &Json,
    text: &str,
) -> Option<Diagnostic> {
    if let Some((leaf_path, leaf)) = leaf_for(&problem.path, &payload.leaves) {
        if leaf.opaque || problem.code != Code::PayloadTypeMismatch {
            // The value is only known at run time: only its declared type can be wrong.
            return None;
        }
        let expected = problem
            .message
            .split(", found")
            .next()
            .unwrap_or(&problem.message)
            .to_string();
        let range = payload.values.get(leaf_path).cloned()?;
        return Some(Diagnostic::new(
            Code::PayloadTypeMismatch,
            range,
            format!(
                "{expected} for flow {flow}, but `${}` is declared `{}`",
                leaf.name, leaf.ty
            ),
        ));
    }
    let range = match (&problem.target, problem.code) {
        (Target::Key(name), _) => {
            let mut path = problem.path.clone();
            path.push(Segment::Key(name.clone()));
            payload.keys.get(&path).cloned()?
        }
        (Target::Value, Code::PayloadMissingField) if problem.path.is_empty() => {
            payload_name.clone()
        }
        (Target::Value, Code::PayloadMissingField) => payload
            .keys
            .get(&problem.path)
            .cloned()
            .or_else(|| range_at(&problem.path, payload))?,
        (Target::Value, _) => range_at(&problem.path, payload)?,
    };
    let mut message = problem.message.clone();
    let mut fixes = Vec::new();
    let mut renames: Vec<(String, Range<usize>, String)> = Vec::new();
    if let Some(missing) = &problem.missing {
        // A misspelt key is both missing and (when the schema allows others) silently sent.
        let written = payload
            .keys
            .iter()
            .filter_map(|(path, range)| match path.split_last() {
                Some((Segment::Key(key), parent)) if parent == problem.path.as_slice() => {
                    Some((key.as_str(), range))
                }
                _ => None,
            });
        let written: Vec<(&str, &Range<usize>)> = written.collect();
        if let Some(close) =
            crate::base::spelling::closest(missing, written.iter().map(|(k, _)| *k))
        {
            if let Some((_, at)) = written.iter().find(|(k, _)| *k == close) {
                message.push_str(&format!(
                    "; `{close}` is written: did you mean `{missing}`?"
                ));
                let text = if payload.quoted_keys {
                    format!("\"{missing}\"")
                } else {
                    missing.clone()
                };
                renames.push((
                    format!("Rename `{close}` to `{missing}`"),
                    (*at).clone(),
                    text,
                ));
            }
        }
    }
    if let (Target::Key(name), Code::PayloadUnknownField) = (&problem.target, problem.code) {
        let declared = schema_at(schema, &problem.path)
            .and_then(|(s, _)| s.get("properties"))
            .and_then(Json::as_object);
        if let Some(suggestion) = declared
            .and_then(|d| crate::base::spelling::closest(name, d.keys().map(String::as_str)))
        {
            message.push_str(&format!("; did you mean `{suggestion}`?"));
            let text = if payload.quoted_keys {
                format!("\"{suggestion}\"")
            } else {
                suggestion.clone()
            };
            fixes.push((format!("Rename `{name}` to `{suggestion}`"), text));
        }
    }
    if problem.code == Code::PayloadTypeMismatch {
        if let Some(fix) = text
            .get(range.clone())
            .and_then(|w| quoting_fix(&problem, w))
        {
            fixes.push(fix);
        }
    }
    let mut other_edits: Vec<(String, Range<usize>, String)> = Vec::new();
    if let (Target::Key(name), Code::PayloadUnknownField) = (&problem.target, problem.code) {
        let mut key_path = problem.path.clone();
        key_path.push(Segment::Key(name.clone()));
        if let Some(value) = payload.values.get(&key_path) {
            let remove = removal(text, range.start, value.end);
            other_edits.push((format!("Remove `{name}`"), remove, String::new()));
        }
    }
    if let (Some(missing), Some(object)) = (&problem.missing, payload.values.get(&problem.path)) {
        let mut field_path = problem.path.clone();
        field_path.push(Segment::Key(missing.clone()));
        if let Some((field_schema, _)) = schema_at(schema, &field_path) {
            if let Some(insert) =
                insertion(text, payload.quoted_keys, object, missing, field_schema)
            {
                other_edits.push((format!("Add `{missing}`"), insert.0, insert.1));
            }
        }
    }
    message.push_str(&format!(" (flow {flow})"));
    let mut diagnostic =
        Diagnostic::new(problem.code, range.clone(), message).with_severity(problem.severity);
    for (title, text) in fixes {
        diagnostic = diagnostic.with_fix(title, range.clone(), text);
    }
    for (title, at, text) in renames.into_iter().chain(other_edits) {
        diagnostic = diagnostic.with_fix(title, at, text);
    }
    Some(diagnostic)
}

/// Every problem placed at its key or value of `payload` (written in `text`), with its fixes;
/// problems of the whole payload go at `root`. Problems that only concern a variable's
/// stand-in value are dropped.
pub(crate) fn locate_all(
    problems: impl IntoIterator<Item = PayloadProblem>,
    payload: &PayloadTree,
    root: &Range<usize>,
    flow: &Flow,
    text: &str,
) -> Vec<Diagnostic> {
    let label = flow.label();
    problems
        .into_iter()
        .filter_map(|problem| {
            locate(
                problem,
                payload,
                root,
                &label,
                &flow.input.input.schema,
                text,
            )
        })
        .collect()
}

/// The range that removes an object entry from `start` (its key) to `end` (its value's end),
/// with one comma and the spaces around it, so the object stays well formed.
fn removal(text: &str, start: usize, end: usize) -> Range<usize> {
    let after = &text[end..];
    let trimmed = after.trim_start_matches([' ', '\t']);
    if let Some(rest) = trimmed.strip_prefix(',') {
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
        return start..end + (after.len() - rest.len()) + spaces;
    }
    // The last entry: take the comma before it instead.
    let before = &text[..start];
    let trimmed = before.trim_end_matches([' ', '\t', '\n', '\r']);
    match trimmed.strip_suffix(',') {
        Some(rest) => rest.len()..end,
        None => start..end,
    }
}

/// A placeholder value of a JSON Schema type, as GraphQL and JSON both write it.
fn placeholder_for(schema: &Json) -> &'static str {
    let kind = match schema.get("type") {
        Some(Json::String(t)) => t.as_str(),
        Some(Json::Array(ts)) => ts
            .iter()
            .filter_map(Json::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ => "",
    };
    match kind {
        "string" => "\"\"",
        "integer" | "number" => "0",
        "boolean" => "false",
        "array" => "[]",
        "object" => "{}",
        _ => "null",
    }
}

/// The edit that adds `name` with a placeholder before the closing brace of `object`.
fn insertion(
    source: &str,
    quoted_keys: bool,
    object: &Range<usize>,
    name: &str,
    schema: &Json,
) -> Option<(Range<usize>, String)> {
    let text = source.get(object.clone())?;
    if !text.ends_with('}') {
        return None;
    }
    let close = object.end - 1;
    let inner = source[object.start + 1..close].trim();
    let key = if quoted_keys {
        format!("\"{name}\"")
    } else {
        name.to_string()
    };
    let entry = format!("{key}: {}", placeholder_for(schema));
    let new_text = if inner.is_empty() || inner.ends_with(',') {
        format!(" {entry} ")
    } else {
        format!(", {entry} ")
    };
    // Insert right after the last entry, before the spaces that precede the brace.
    let before_brace = source[..close]
        .trim_end_matches([' ', '\t', '\n', '\r'])
        .len();
    let at = if inner.is_empty() {
        close
    } else {
        before_brace
    };
    let new_text = if inner.is_empty() {
        new_text
    } else {
        new_text.trim_end().to_string()
    };
    Some((at..at, new_text))
}

/// A value that is off by quoting: `"5"` where a number is wanted, `5` where a string is.
fn quoting_fix(problem: &PayloadProblem, written: &str) -> Option<(String, String)> {
    let wants = |t: &str| problem.message.contains(&format!("should be {t}"));
    let unquoted = written.strip_prefix('"').and_then(|w| w.strip_suffix('"'));
    match unquoted {
        Some(inner)
            if (wants("an integer") && inner.parse::<i64>().is_ok())
                || (wants("a number") && inner.parse::<f64>().is_ok())
                || (wants("a boolean") && (inner == "true" || inner == "false")) =>
        {
            Some(("Remove the quotes".to_string(), inner.to_string()))
        }
        None if wants("a string")
            && !written.is_empty()
            && !written.starts_with(['{', '[', '$']) =>
        {
            Some(("Quote the value".to_string(), format!("\"{written}\"")))
        }
        _ => None,
    }
}

/// A nullable variable where the flow requires a value: a warning, since the run gets `null`
/// whenever the variable is left out.
pub(crate) fn nullable_leaves(schema: &Json, payload: &PayloadTree, out: &mut Vec<Diagnostic>) {
    for (path, leaf) in &payload.leaves {
        if leaf.non_null || leaf.opaque {
            continue;
        }
        let Some((field_schema, required)) = schema_at(schema, path) else {
            continue;
        };
        let accepts_null = match field_schema.get("type") {
            None => true,
            Some(Json::String(t)) => t == "null",
            Some(Json::Array(ts)) => ts.iter().any(|t| t == "null"),
            _ => true,
        };
        if required && !accepts_null {
            let Some(range) = payload.values.get(path) else {
                continue;
            };
            // A variable of the wrong type already has its error; one message is enough.
            if out
                .iter()
                .any(|d| d.range == *range && d.severity == Severity::Error)
            {
                continue;
            }
            {
                out.push(
                    Diagnostic::new(
                        Code::PayloadTypeMismatch,
                        range.clone(),
                        format!(
                            "`${}` is nullable (`{}`) but the flow requires this field; declare it `{}!` or always send it",
                            leaf.name, leaf.ty, leaf.ty
                        ),
                    )
                    .with_severity(Severity::Warning),
                );
            }
        }
    }
}

/// The schema of the value at `path`, and whether its parent requires it.
pub(crate) fn schema_at<'a>(schema: &'a Json, path: &[Segment]) -> Option<(&'a Json, bool)> {
    let mut current = schema;
    let mut required = false;
    for segment in path {
        match segment {
            Segment::Key(key) => {
                required = current
                    .get("required")
                    .and_then(Json::as_array)
                    .is_some_and(|r| r.iter().any(|n| n == key.as_str()));
                current = current.get("properties")?.get(key)?;
            }
            Segment::Index(_) => {
                required = false;
                current = current.get("items")?;
            }
        }
    }
    Some((current, required))
}
