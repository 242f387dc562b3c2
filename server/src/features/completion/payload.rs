//! Completion for Flow calls: payload keys (from the flow's input schema, required ones first,
//! with their types) inside an inline payload or a payload JSON file, and flow ids inside a
//! `workflowId` string (labelled with the flow's name).

use std::ops::Range;

use apollo_compiler::ast::{self, Value};
use apollo_compiler::Node;
use jsonc_parser::ast::Value as JsonNode;
use jsonc_parser::common::Ranged;
use serde_json::Value as Json;

use crate::base::span::span;
use crate::flows::registry::{Flow, FlowRegistry};
use crate::flows::validate::{value_at, Segment};
use crate::surfaces::call::{inside, CallSummary};

/// What a completion item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Field,
    Flow,
    Argument,
    InputField,
    EnumValue,
    Variable,
    Fragment,
    Type,
    Directive,
    Keyword,
    Value,
}

/// One completion, in core terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: String,
    pub insert: String,
    /// Orders required fields before optional ones.
    pub sort: String,
    pub documentation: Option<String>,
    /// The text range the item replaces (bytes), when not just the word at the cursor.
    pub replace: Option<Range<usize>>,
    /// Marked as deprecated (and sorted last).
    pub deprecated: bool,
    /// `insert` is a snippet with `$1`-style tab stops.
    pub snippet: bool,
}

/// Strictly inside: not at either end (a call's `inside` counts both ends).
fn strictly_inside(range: &Range<usize>, offset: usize) -> bool {
    range.start < offset && offset < range.end
}

/// Completions in a GraphQL document at `offset`.
pub fn in_graphql(ast: &ast::Document, flows: &FlowRegistry, offset: usize) -> Vec<Item> {
    for call in crate::surfaces::graphql::flow_calls(ast) {
        let field = call.field;
        let argument = |name: &str| field.arguments.iter().find(|a| a.name == name);
        let id_arg = call.id();
        if let Some(id) = id_arg {
            let range = span(id.value.location());
            if matches!(id.value.as_ref(), Value::String(_)) && strictly_inside(&range, offset) {
                // Replace what is between the quotes.
                let inner = range.start + 1..range.end.saturating_sub(1).max(range.start + 1);
                return flow_ids(flows)
                    .into_iter()
                    .map(|item| Item {
                        replace: Some(inner.clone()),
                        ..item
                    })
                    .collect();
            }
        }
        let (Some(id), Some(payload)) = (id_arg, argument("payload")) else {
            continue;
        };
        let Value::String(id) = id.value.as_ref() else {
            continue;
        };
        let Some(flow) = flows.get(id) else {
            continue;
        };
        if let Some((path, present)) = object_at(&payload.value, offset, &mut Vec::new()) {
            return fields(flow, &path, &present, false);
        }
    }
    Vec::new()
}

/// The innermost object literal around `offset`: its path and the keys it already has.
fn object_at(
    value: &Node<Value>,
    offset: usize,
    path: &mut Vec<Segment>,
) -> Option<(Vec<Segment>, Vec<String>)> {
    if !strictly_inside(&span(value.location()), offset) {
        return None;
    }
    match value.as_ref() {
        Value::Object(entries) => {
            for (name, item) in entries {
                path.push(Segment::Key(name.to_string()));
                if let Some(found) = object_at(item, offset, path) {
                    return Some(found);
                }
                path.pop();
            }
            Some((
                path.clone(),
                entries.iter().map(|(n, _)| n.to_string()).collect(),
            ))
        }
        Value::List(items) => items.iter().enumerate().find_map(|(i, item)| {
            path.push(Segment::Index(i));
            let found = object_at(item, offset, path);
            path.pop();
            found
        }),
        _ => None,
    }
}

fn flow_ids(flows: &FlowRegistry) -> Vec<Item> {
    let mut items: Vec<Item> = flows
        .flows()
        .map(|flow| Item {
            label: flow.name.clone().unwrap_or_else(|| flow.id.clone()),
            kind: ItemKind::Flow,
            detail: format!(
                "{} · {}",
                flow.id,
                flow.status.as_deref().unwrap_or("status unknown")
            ),
            insert: flow.id.clone(),
            // Active flows first.
            sort: format!(
                "{}{}",
                u8::from(flow.is_inactive()),
                flow.name.as_deref().unwrap_or(&flow.id)
            ),
            documentation: None,
            replace: None,
            deprecated: false,
            snippet: false,
        })
        .collect();
    items.sort_by(|a, b| a.sort.cmp(&b.sort));
    items
}

/// The schema of the object at `path` in a flow's input.
fn object_schema<'a>(schema: &'a Json, path: &[Segment]) -> Option<&'a Json> {
    path.iter()
        .try_fold(schema, |current, segment| match segment {
            Segment::Key(key) => current.get("properties")?.get(key),
            Segment::Index(_) => current.get("items"),
        })
}

/// The fields of the object at `path` that are not written yet.
pub(crate) fn fields(flow: &Flow, path: &[Segment], present: &[String], json: bool) -> Vec<Item> {
    let Some(schema) = object_schema(&flow.input.input.schema, path) else {
        return Vec::new();
    };
    let Some(properties) = schema.get("properties").and_then(Json::as_object) else {
        return Vec::new();
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Json::as_array)
        .map(|r| r.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    properties
        .iter()
        .filter(|(name, _)| !present.contains(name))
        .map(|(name, property)| {
            let is_required = required.contains(&name.as_str());
            let type_name = property
                .get("type")
                .map(|t| t.as_str().map_or_else(|| t.to_string(), str::to_string))
                .unwrap_or_else(|| "any".into());
            Item {
                label: name.clone(),
                kind: ItemKind::Field,
                detail: format!(
                    "{type_name}{}",
                    if is_required { "" } else { " (optional)" }
                ),
                insert: if json {
                    format!("\"{name}\": ")
                } else {
                    format!("{name}: ")
                },
                sort: format!("{}{name}", if is_required { 0 } else { 1 }),
                documentation: property
                    .get("description")
                    .and_then(Json::as_str)
                    .map(str::to_string),
                replace: None,
                deprecated: false,
                snippet: false,
            }
        })
        .collect()
}

/// Completions in a payload JSON file sent to `flow_id` (keys of the object at the cursor).
pub fn in_payload_file(
    text: &str,
    flow_id: &str,
    flows: &FlowRegistry,
    offset: usize,
) -> Vec<Item> {
    let Some(flow) = flows.get(flow_id) else {
        return Vec::new();
    };
    // Tolerant parsing: the file is being typed.
    let Ok(parsed) = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
    else {
        return Vec::new();
    };
    let Some(root) = parsed.value else {
        return Vec::new();
    };
    match json_object_at(&root, offset, &mut Vec::new()) {
        Some((path, present)) => fields(flow, &path, &present, true),
        None => Vec::new(),
    }
}

fn json_object_at(
    node: &JsonNode<'_>,
    offset: usize,
    path: &mut Vec<Segment>,
) -> Option<(Vec<Segment>, Vec<String>)> {
    let range = node.range();
    if !strictly_inside(&(range.start..range.end), offset) {
        return None;
    }
    match node {
        JsonNode::Object(object) => {
            for property in &object.properties {
                path.push(Segment::Key(property.name.as_str().to_string()));
                if let Some(found) = json_object_at(&property.value, offset, path) {
                    return Some(found);
                }
                path.pop();
            }
            let present = object
                .properties
                .iter()
                .map(|p| p.name.as_str().to_string())
                .collect();
            Some((path.clone(), present))
        }
        JsonNode::Array(array) => array.elements.iter().enumerate().find_map(|(i, element)| {
            path.push(Segment::Index(i));
            let found = json_object_at(element, offset, path);
            path.pop();
            found
        }),
        _ => None,
    }
}

/// Completion of payload keys inside a call's object literal: the fields of the flow's input
/// at that depth that are not written yet, at a key's position only.
pub fn in_calls(calls: &[CallSummary], text: &str, offset: usize) -> Vec<Item> {
    let Some(call) = calls.iter().find(|c| inside(&c.range, offset)) else {
        return Vec::new();
    };
    let (Some((flow, _)), Some(payload)) = (&call.target, &call.payload) else {
        return Vec::new();
    };
    // The innermost object of the payload around the cursor (inside its braces).
    let object = payload
        .values
        .iter()
        .filter(|(path, r)| {
            r.start < offset
                && offset < r.end
                && value_at(&payload.value, path).is_some_and(Json::is_object)
        })
        .max_by_key(|(path, _)| path.len());
    let Some((path, _)) = object else {
        return Vec::new();
    };
    if !at_key_position(text, offset) {
        return Vec::new();
    }
    let present: Vec<String> = value_at(&payload.value, path)
        .and_then(Json::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    fields(flow, path, &present, payload.quoted_keys)
}

/// Whether the cursor is where a key is written: after `{` or `,`, and the start of a name or
/// a quoted name, not after a `:`.
fn at_key_position(text: &str, offset: usize) -> bool {
    let Some(before) = text.get(..offset) else {
        return false;
    };
    let trimmed = before.trim_end_matches(|c: char| {
        c.is_alphanumeric() || c == '_' || c == '$' || c == '"' || c == '\''
    });
    matches!(trimmed.trim_end().chars().next_back(), Some('{' | ','))
}
