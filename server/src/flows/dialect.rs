//! The three input-schema dialects of Flow triggers (type-map, JSON Schema, hybrid), detected
//! and compiled once into one JSON Schema that the `jsonschema` crate validates against.
//!
//! Type-map: `{"topic": "string", "count": "int", "tags": "[string]", "note": "string?",
//! "meta": {"lang": "string"}, "rounds": [{"n": "int"}], "extra": {}}`. JSON Schema: draft 7 or
//! 2020-12, with the non-standard per-property `"required": true` understood. Hybrid: a field
//! map whose values are JSON Schema fragments (`{"note": {"type": "string", "minLength": 10}}`),
//! possibly mixed with type strings.

use serde_json::{json, Map, Value};

/// Which dialect a flow's input schema is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    TypeMap,
    JsonSchema,
    Hybrid,
    /// No schema declared by the user: the trigger's own inputs (chat, search, mailhook), or
    /// nothing at all.
    Implicit,
    /// No schema declared, but the flow reads these fields of its trigger's output
    /// (`{{triggerNode_1.output.topic}}`): each is expected, of any type; other keys pass.
    Inferred,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::TypeMap => "type-map",
            Dialect::JsonSchema => "JSON Schema",
            Dialect::Hybrid => "hybrid",
            Dialect::Implicit => "implicit",
            Dialect::Inferred => "inferred from what the flow reads",
        }
    }
}

/// A problem in an input schema itself (reported on the schema's file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    /// Dotted path of the field, empty for the whole schema.
    pub field: String,
    pub message: String,
}

/// A top-level input field, for hovers and completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInfo {
    pub name: String,
    /// The type as the schema writes it (`string?`, `[string]`, `integer`, ...).
    pub type_label: String,
    pub required: bool,
    pub description: Option<String>,
}

/// A compiled input schema.
#[derive(Debug, Clone)]
pub struct InputSchema {
    pub dialect: Dialect,
    /// The JSON Schema the payload is validated against.
    pub schema: Value,
    pub fields: Vec<FieldInfo>,
    pub problems: Vec<SchemaProblem>,
}

const JSON_TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "array", "object", "null",
];
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "required",
    "additionalProperties",
    "description",
    "default",
    "examples",
    "anyOf",
    "oneOf",
    "allOf",
    "not",
    "$ref",
];

/// Compiles an input schema in any dialect. Never fails: what cannot be understood is a
/// problem, and that part of the payload then accepts anything.
pub fn compile(raw: &Value) -> InputSchema {
    let mut problems = Vec::new();
    let Value::Object(map) = raw else {
        problems.push(SchemaProblem {
            field: String::new(),
            message: "the input schema must be a JSON object".into(),
        });
        return InputSchema {
            dialect: Dialect::Implicit,
            schema: json!({}),
            fields: Vec::new(),
            problems,
        };
    };
    if is_json_schema(map) {
        let mut schema = raw.clone();
        normalise_required(&mut schema);
        let fields = json_schema_fields(&schema);
        return InputSchema {
            dialect: Dialect::JsonSchema,
            schema,
            fields,
            problems,
        };
    }
    let mut fragments = false;
    let schema = shape(map, "", &mut problems, &mut fragments);
    let fields = map
        .iter()
        .map(|(name, value)| {
            let (name, optional) = split_optional_key(name);
            FieldInfo {
                name: name.to_string(),
                type_label: label(value),
                required: !optional && !value.as_str().is_some_and(|t| t.ends_with('?')),
                description: value
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }
        })
        .collect();
    InputSchema {
        dialect: if fragments {
            Dialect::Hybrid
        } else {
            Dialect::TypeMap
        },
        schema,
        fields,
        problems,
    }
}

/// A JSON Schema document rather than a field map: `type: object` with `properties`, or a
/// `$schema` key.
fn is_json_schema(map: &Map<String, Value>) -> bool {
    map.contains_key("$schema")
        || (map.get("type").and_then(Value::as_str) == Some("object")
            && map.get("properties").is_some_and(Value::is_object))
        || (map.get("properties").is_some_and(Value::is_object)
            && map.get("required").is_some_and(Value::is_array))
}

/// A field name written `name?` marks an optional field in some type-maps.
fn split_optional_key(name: &str) -> (&str, bool) {
    match name.strip_suffix('?') {
        Some(base) if !base.is_empty() => (base, true),
        _ => (name, false),
    }
}

fn label(value: &Value) -> String {
    match value {
        Value::String(t) => t.clone(),
        Value::Array(items) if items.len() == 1 => format!("[{}]", label(&items[0])),
        Value::Array(_) => "array".into(),
        Value::Object(map) if is_fragment(map) => map
            .get("type")
            .map(|t| t.as_str().map_or_else(|| t.to_string(), str::to_string))
            .unwrap_or_else(|| "any".into()),
        Value::Object(map) if map.is_empty() => "object".into(),
        Value::Object(_) => "object".into(),
        other => other.to_string(),
    }
}

/// An object value that is a JSON Schema fragment rather than a nested shape: its `type` names
/// a JSON type, or all its keys are schema keywords.
fn is_fragment(map: &Map<String, Value>) -> bool {
    let typed = match map.get("type") {
        Some(Value::String(t)) => JSON_TYPES.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts
            .iter()
            .all(|t| t.as_str().is_some_and(|t| JSON_TYPES.contains(&t))),
        _ => false,
    };
    typed
        || (!map.is_empty()
            && map.keys().all(|k| SCHEMA_KEYWORDS.contains(&k.as_str()))
            && !map.contains_key("type"))
}

/// The JSON Schema of a field map (type-map or hybrid): every field present, no others.
fn shape(
    map: &Map<String, Value>,
    path: &str,
    problems: &mut Vec<SchemaProblem>,
    fragments: &mut bool,
) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (raw_name, value) in map {
        let (name, optional_key) = split_optional_key(raw_name);
        let field = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        let (schema, optional) = field_schema(value, &field, problems, fragments);
        if !(optional || optional_key) {
            required.push(Value::String(name.to_string()));
        }
        properties.insert(name.to_string(), schema);
    }
    json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
}

/// One field's schema, and whether it is optional.
fn field_schema(
    value: &Value,
    field: &str,
    problems: &mut Vec<SchemaProblem>,
    fragments: &mut bool,
) -> (Value, bool) {
    match value {
        Value::String(type_name) => type_string(type_name, field, problems),
        Value::Array(items) if items.len() == 1 => {
            let (item, _) = field_schema(&items[0], field, problems, fragments);
            (json!({"type": "array", "items": item}), false)
        }
        Value::Array(_) => {
            problems.push(SchemaProblem {
                field: field.to_string(),
                message: "an array in a type-map holds exactly one item shape".into(),
            });
            (json!({"type": "array"}), false)
        }
        Value::Object(map) if map.is_empty() => (json!({"type": "object"}), false),
        Value::Object(map) if is_fragment(map) => {
            *fragments = true;
            let mut fragment = value.clone();
            let optional = fragment.get("required") == Some(&Value::Bool(false));
            normalise_required(&mut fragment);
            (fragment, optional)
        }
        Value::Object(map) => (shape(map, field, problems, fragments), false),
        other => {
            problems.push(SchemaProblem {
                field: field.to_string(),
                message: format!(
                    "`{other}` is not a type; write a type name such as \"string\" or \"int\""
                ),
            });
            (json!({}), true)
        }
    }
}

/// A type-map type string: `string`, `int`, `[string]`, `string?`, ...
fn type_string(text: &str, field: &str, problems: &mut Vec<SchemaProblem>) -> (Value, bool) {
    let trimmed = text.trim();
    let (base, optional) = match trimmed.strip_suffix('?') {
        Some(base) => (base.trim(), true),
        None => (trimmed, false),
    };
    let schema = match base.to_ascii_lowercase().as_str() {
        "string" | "str" | "text" => json!({"type": "string"}),
        "int" | "integer" => json!({"type": "integer"}),
        "float" | "number" | "double" => json!({"type": "number"}),
        "bool" | "boolean" => json!({"type": "boolean"}),
        "array" | "list" | "[]" => json!({"type": "array"}),
        "object" | "json" | "{}" | "map" => json!({"type": "object"}),
        "any" => json!({}),
        other => {
            if let Some(inner) = other.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                let (item, _) = type_string(inner, field, problems);
                json!({"type": "array", "items": item})
            } else {
                problems.push(SchemaProblem {
                    field: field.to_string(),
                    message: format!(
                        "unknown type `{text}`; the type-map knows string, int, float, number, bool, boolean, array, object, [T] and T?"
                    ),
                });
                return (json!({}), true);
            }
        }
    };
    if optional {
        (nullable(schema), true)
    } else {
        (schema, false)
    }
}

/// `T?`: a value of type T or null.
fn nullable(mut schema: Value) -> Value {
    if let Some(Value::String(t)) = schema.get("type").cloned() {
        schema["type"] = json!([t, "null"]);
    }
    schema
}

/// Turns per-property `"required": true` (a common non-standard form) into the parent's
/// `required` list, at every depth.
fn normalise_required(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        let mut flagged = Vec::new();
        for (name, property) in properties.iter_mut() {
            if let Value::Object(p) = property {
                if let Some(Value::Bool(flag)) = p.get("required").cloned() {
                    p.remove("required");
                    if flag {
                        flagged.push(Value::String(name.clone()));
                    }
                }
            }
            normalise_required(property);
        }
        if !flagged.is_empty() {
            let list = map.entry("required").or_insert_with(|| json!([]));
            if let Value::Array(list) = list {
                for name in flagged {
                    if !list.contains(&name) {
                        list.push(name);
                    }
                }
            }
        }
    } else if matches!(map.get("required"), Some(Value::Bool(_))) {
        map.remove("required");
    }
    if let Some(items) = map.get_mut("items") {
        normalise_required(items);
    }
}

fn json_schema_fields(schema: &Value) -> Vec<FieldInfo> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|properties| {
            properties
                .iter()
                .map(|(name, property)| FieldInfo {
                    name: name.clone(),
                    type_label: label(property),
                    required: required.contains(&name.as_str()),
                    description: property
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_map_compiles_every_observed_type() {
        let compiled = compile(&json!({
            "topic": "string", "tags": "[string]", "count": "int", "done": "bool", "ratio": "float",
            "score": "number", "note": "string?", "list": "array", "meta": "object", "flag": "boolean",
            "free": {}, "nested": {"lang": "string"}, "rounds": [{"round": "int", "side": "string"}]
        }));
        assert_eq!(compiled.dialect, Dialect::TypeMap);
        assert!(compiled.problems.is_empty(), "{:?}", compiled.problems);
        let s = &compiled.schema;
        assert_eq!(s["properties"]["count"], json!({"type": "integer"}));
        assert_eq!(
            s["properties"]["tags"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(s["properties"]["note"], json!({"type": ["string", "null"]}));
        assert_eq!(
            s["properties"]["rounds"]["items"]["properties"]["round"],
            json!({"type": "integer"})
        );
        assert_eq!(
            s["properties"]["nested"]["additionalProperties"],
            json!(false)
        );
        let required: Vec<&str> = s["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(required.contains(&"topic") && !required.contains(&"note"));
        let note = compiled.fields.iter().find(|f| f.name == "note").unwrap();
        assert!(!note.required);
        assert_eq!(note.type_label, "string?");
    }

    #[test]
    fn json_schema_is_kept_and_per_property_required_is_understood() {
        let compiled = compile(&json!({
            "type": "object",
            "properties": {
                "a": {"type": "string", "required": true, "description": "The A."},
                "b": {"type": "object", "properties": {"c": {"type": "integer", "required": true}}}
            }
        }));
        assert_eq!(compiled.dialect, Dialect::JsonSchema);
        assert_eq!(compiled.schema["required"], json!(["a"]));
        assert_eq!(compiled.schema["properties"]["b"]["required"], json!(["c"]));
        assert!(compiled.schema["properties"]["a"].get("required").is_none());
        assert_eq!(compiled.fields[0].description.as_deref(), Some("The A."));
        assert!(compiled.fields[0].required);
    }

    #[test]
    fn hybrid_mixes_fragments_and_type_strings() {
        let compiled = compile(&json!({
            "note": {"type": "string", "minLength": 10, "pattern": "^.*\\S.*$"},
            "count": "int"
        }));
        assert_eq!(compiled.dialect, Dialect::Hybrid);
        assert_eq!(
            compiled.schema["properties"]["note"]["minLength"],
            json!(10)
        );
        assert_eq!(compiled.schema["required"], json!(["note", "count"]));
    }

    #[test]
    fn unknown_type_strings_are_schema_problems() {
        let compiled = compile(&json!({"a": "strng", "b": 5, "c": "string"}));
        let fields: Vec<&str> = compiled.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["a", "b"]);
        assert!(compiled.problems[0]
            .message
            .contains("unknown type `strng`"));
        assert_eq!(compiled.schema["properties"]["a"], json!({}));
        assert_eq!(compiled.schema["required"], json!(["c"]));
    }

    #[test]
    fn a_schema_that_is_not_an_object_is_a_problem() {
        let compiled = compile(&json!(["string"]));
        assert_eq!(compiled.problems.len(), 1);
        assert_eq!(compiled.schema, json!({}));
    }
}
