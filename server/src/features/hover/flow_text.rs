//! How flows and their input fields read in hovers, whichever surface names them (GraphQL
//! calls, payload and variables files, SDK calls): a field's type in a few words, whether it is
//! required, its description, and a flow's status, trigger, inputs and result.

use serde_json::Value as Json;

use crate::checks::payloads::locate::schema_at;
use crate::flows::registry::Flow;
use crate::flows::validate::Segment;

/// A JSON Schema fragment in a few words: `string`, `[integer]`, `string or null`, with its
/// constraints.
pub(crate) fn describe_schema(schema: &Json) -> String {
    let base = match schema.get("type") {
        Some(Json::String(t)) if t == "array" => match schema.get("items") {
            Some(items) => format!("[{}]", describe_schema(items)),
            None => "array".to_string(),
        },
        Some(Json::String(t)) => t.clone(),
        Some(Json::Array(ts)) => ts
            .iter()
            .filter_map(Json::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "any".to_string(),
    };
    let constraints: Vec<String> = schema
        .as_object()
        .map(|map| {
            map.iter()
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "type"
                            | "items"
                            | "description"
                            | "properties"
                            | "required"
                            | "additionalProperties"
                    )
                })
                .map(|(k, v)| format!("{k}: {v}"))
                .collect()
        })
        .unwrap_or_default();
    if constraints.is_empty() {
        base
    } else {
        format!("{base} ({})", constraints.join(", "))
    }
}

/// The hover text of the payload field at `path` of a flow's input: its type, whether it is
/// required, its description and the flow. Shared by inline payloads and payload files.
pub(crate) fn field_hover(flow: &Flow, path: &[Segment]) -> Option<String> {
    let (schema, required) = schema_at(&flow.input.input.schema, path)?;
    let Some(Segment::Key(name)) = path.last() else {
        return None;
    };
    let mut text = format!(
        "```\n{name}: {}\n```\n{} field of the input of flow {}",
        describe_schema(schema),
        if required { "Required" } else { "Optional" },
        flow.label()
    );
    if let Some(description) = schema.get("description").and_then(Json::as_str) {
        text.push_str(&format!("\n\n{description}"));
    }
    Some(text)
}

/// A flow in Markdown, for hovers on whatever names it: its status, trigger and response mode,
/// its inputs and the keys of the `result` it returns.
pub(crate) fn flow_markdown(flow: &Flow) -> String {
    let mut text = format!(
        "**Flow {}**\n\nstatus: {}; trigger: {}; response: {}",
        flow.label(),
        flow.status.as_deref().unwrap_or("unknown"),
        flow.trigger.name(),
        flow.response_mode.as_deref().unwrap_or("realtime"),
    );
    let fields = &flow.input.input.fields;
    if fields.is_empty() {
        text.push_str("\n\nNo input schema declared: any payload is accepted.");
    } else {
        text.push_str(&format!(
            "\n\nInput ({} schema):",
            flow.input.input.dialect.name()
        ));
        for f in fields {
            let required = if f.required { "" } else { ", optional" };
            text.push_str(&format!("\n- `{}`: `{}`{required}", f.name, f.type_label));
        }
    }
    if !flow.outputs.is_empty() {
        let keys: Vec<String> = flow.outputs.iter().map(|k| format!("`{k}`")).collect();
        text.push_str(&format!("\n\nReturns `result` with {}.", keys.join(", ")));
    }
    text
}
