//! Reading a flow export (as the platform's CLI and REST API give it): its id, name, status,
//! trigger kind, response mode, and the input schema of its trigger, compiled.

use serde_json::{json, Value};

use super::dialect::{compile, Dialect, InputSchema, SchemaProblem};

/// How a flow is started; decides where its input schema comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerKind {
    /// The API Request trigger (`graphqlNode`): `data.values.advance_schema`, a JSON string.
    ApiRequest,
    /// A webhook trigger: `data.schema`, a plain object.
    Webhook,
    Chat,
    Search,
    Mailhook,
    Other,
}

impl TriggerKind {
    pub fn name(self) -> &'static str {
        match self {
            TriggerKind::ApiRequest => "API request",
            TriggerKind::Webhook => "webhook",
            TriggerKind::Chat => "chat widget",
            TriggerKind::Search => "search widget",
            TriggerKind::Mailhook => "mailhook",
            TriggerKind::Other => "other",
        }
    }
}

/// A flow as flowql knows it.
#[derive(Debug, Clone)]
pub struct FlowExport {
    pub id: Option<String>,
    pub name: Option<String>,
    /// `active` or `inactive`, as the platform says; `None` when the export does not say.
    pub status: Option<String>,
    pub trigger: TriggerKind,
    /// `realtime` or `async` (the export spells the key `responeType`, sometimes `responseType`).
    pub response_mode: Option<String>,
    pub input: InputSchema,
    /// The keys of the `result` the flow answers with (its API response node's
    /// `outputMapping`), when it says.
    pub outputs: Vec<String>,
}

/// The keys of the API response node's `outputMapping` (a JSON string, or an object).
fn outputs(nodes: &[Value]) -> Vec<String> {
    let mapping = nodes
        .iter()
        .find(|n| n.pointer("/data/nodeId").and_then(Value::as_str) == Some("graphqlResponseNode"))
        .and_then(|n| n.pointer("/data/values/outputMapping"));
    let parsed = match mapping {
        Some(Value::String(text)) => serde_json::from_str::<Value>(text).ok(),
        Some(other) => Some(other.clone()),
        None => None,
    };
    match parsed {
        Some(Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The inputs of triggers that declare none themselves.
fn implicit_inputs(kind: TriggerKind) -> Option<Value> {
    match kind {
        TriggerKind::Chat => Some(json!({
            "userId": "string?", "sessionId": "string?", "chatMessage": "string",
            "chatHistory": [{"content": "string", "role": "string", "timestamp": "string?", "sessionId": "string?"}]
        })),
        TriggerKind::Search => Some(json!({"searchQuery": "string"})),
        TriggerKind::Mailhook => Some(json!({
            "webhookId": "string?", "to": "string", "from": "string", "subject": "string?",
            "text": "string?", "html": "string?", "attachments": "array?"
        })),
        _ => None,
    }
}

fn trigger_kind(node_id: &str) -> TriggerKind {
    let id = node_id.to_ascii_lowercase();
    if id.contains("graphql") || id.contains("apirequest") {
        TriggerKind::ApiRequest
    } else if id.contains("chat") {
        TriggerKind::Chat
    } else if id.contains("search") {
        TriggerKind::Search
    } else if id.contains("mail") {
        TriggerKind::Mailhook
    } else if id.contains("webhook") {
        TriggerKind::Webhook
    } else {
        TriggerKind::Other
    }
}

/// A schema that accepts any payload (no schema declared).
fn accept_anything(problems: Vec<SchemaProblem>) -> InputSchema {
    InputSchema {
        dialect: Dialect::Implicit,
        schema: json!({}),
        fields: Vec::new(),
        problems,
    }
}

/// Reads a flow export. Fails only when the JSON is not a flow at all; a flow whose input
/// schema is broken is returned with the problem, accepting what cannot be known.
pub fn parse(export: &Value) -> Result<FlowExport, String> {
    let nodes = export
        .get("nodes")
        .and_then(Value::as_array)
        .ok_or("not a flow export: it has no `nodes` list")?;
    let trigger = nodes
        .iter()
        .find(|n| n.pointer("/data/trigger") == Some(&Value::Bool(true)))
        .ok_or("the flow has no trigger node (a node whose `data.trigger` is true)")?;
    let node_id = trigger
        .pointer("/data/nodeId")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = trigger_kind(node_id);
    let values = trigger.pointer("/data/values");
    let response_mode = values
        .and_then(|v| v.get("responeType").or_else(|| v.get("responseType")))
        .and_then(Value::as_str)
        .map(str::to_string);
    let input = match kind {
        TriggerKind::ApiRequest => match values.and_then(|v| v.get("advance_schema")) {
            Some(Value::String(text)) if text.trim().is_empty() => accept_anything(Vec::new()),
            Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
                Ok(schema) => compile(&schema),
                Err(e) => accept_anything(vec![SchemaProblem {
                    field: String::new(),
                    message: format!("`advance_schema` is not valid JSON: {e}"),
                }]),
            },
            // Some exports already hold the object.
            Some(schema @ Value::Object(_)) => compile(schema),
            _ => accept_anything(Vec::new()),
        },
        TriggerKind::Webhook => match trigger.pointer("/data/schema") {
            Some(schema @ Value::Object(map)) if !map.is_empty() => compile(schema),
            _ => accept_anything(Vec::new()),
        },
        other => match implicit_inputs(other) {
            Some(schema) => InputSchema {
                dialect: Dialect::Implicit,
                ..compile(&schema)
            },
            None => accept_anything(Vec::new()),
        },
    };
    let text = |key: &str| export.get(key).and_then(Value::as_str).map(str::to_string);
    Ok(FlowExport {
        id: text("id"),
        name: text("name"),
        status: text("status"),
        trigger: kind,
        response_mode,
        input,
        outputs: outputs(nodes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(trigger: Value) -> Value {
        json!({"id": "f-1", "name": "Summarize", "status": "active", "nodes": [
            {"id": "other", "data": {"nodeId": "llmNode"}}, trigger
        ], "edges": []})
    }

    #[test]
    fn api_request_trigger_reads_advance_schema_from_a_string() {
        let flow = parse(&export(json!({"id": "t", "data": {"trigger": true, "nodeId": "graphqlNode",
            "values": {"advance_schema": "{\"url\": \"string\", \"n\": \"int\"}", "responeType": "async"}}})))
        .unwrap();
        assert_eq!(flow.trigger, TriggerKind::ApiRequest);
        assert_eq!(flow.input.dialect, Dialect::TypeMap);
        assert_eq!(flow.response_mode.as_deref(), Some("async"));
        assert_eq!(flow.name.as_deref(), Some("Summarize"));
        assert_eq!(flow.input.fields.len(), 2);
    }

    #[test]
    fn empty_or_broken_advance_schema() {
        let empty = parse(&export(json!({"data": {"trigger": true, "nodeId": "graphqlNode", "values": {"advance_schema": ""}}}))).unwrap();
        assert_eq!(empty.input.dialect, Dialect::Implicit);
        assert!(empty.input.problems.is_empty());
        let broken = parse(&export(json!({"data": {"trigger": true, "nodeId": "graphqlNode", "values": {"advance_schema": "{url: string"}}}))).unwrap();
        assert!(broken.input.problems[0].message.contains("not valid JSON"));
    }

    #[test]
    fn webhook_and_implicit_triggers() {
        let webhook = parse(&export(json!({"data": {"trigger": true, "nodeId": "webhookTriggerNode", "schema": {"event": "string"}}}))).unwrap();
        assert_eq!(webhook.trigger, TriggerKind::Webhook);
        assert_eq!(webhook.input.fields[0].name, "event");
        let chat = parse(&export(
            json!({"data": {"trigger": true, "nodeId": "chatTriggerNode", "values": {}}}),
        ))
        .unwrap();
        assert_eq!(chat.trigger, TriggerKind::Chat);
        assert_eq!(chat.input.dialect, Dialect::Implicit);
        assert!(chat
            .input
            .fields
            .iter()
            .any(|f| f.name == "chatMessage" && f.required));
    }

    #[test]
    fn not_a_flow() {
        assert!(parse(&json!({"name": "x"}))
            .unwrap_err()
            .contains("no `nodes`"));
        assert!(parse(&json!({"nodes": [{"data": {}}]}))
            .unwrap_err()
            .contains("no trigger"));
    }
}
