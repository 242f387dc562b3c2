//! Validates a payload against a compiled input schema, with the semantics the platform's
//! behaviour calls for: a wrong type or a broken constraint is an error (the request would get a
//! 400 or 422); a missing or unknown field of a type-map or hybrid schema is a warning (such
//! runs often go through), an error in strict mode; a JSON Schema is followed exactly.

use serde_json::Value;

use super::dialect::{Dialect, InputSchema};
use crate::base::catalog::{Code, Severity};

/// A step into a payload: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Where a problem is, relative to the payload: the value at `path`, or one of its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The value at the path.
    Value,
    /// The key `name` of the object at the path (an unknown field).
    Key(String),
}

/// One problem of a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadProblem {
    pub code: Code,
    pub severity: Severity,
    pub path: Vec<Segment>,
    pub target: Target,
    pub message: String,
    /// For a missing field: its name (a quick fix adds it).
    pub missing: Option<String>,
}

/// A flow's input schema, compiled and ready to validate many payloads.
pub struct CompiledInput {
    pub input: InputSchema,
    validator: Option<jsonschema::Validator>,
    /// Why the schema could not be compiled by the validator, if it could not.
    pub validator_error: Option<String>,
}

impl CompiledInput {
    pub fn new(input: InputSchema) -> Self {
        // Options without any resolver: a `$ref` to the network or the file system is never
        // followed while checking a payload.
        match jsonschema::options().build(&input.schema) {
            Ok(validator) => CompiledInput {
                input,
                validator: Some(validator),
                validator_error: None,
            },
            Err(e) => CompiledInput {
                input,
                validator: None,
                validator_error: Some(e.to_string()),
            },
        }
    }
}

/// What kind of JSON value this is, in words ("a string", "an integer").
pub(crate) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn path_text(path: &[Segment]) -> String {
    let mut out = String::from("payload");
    for segment in path {
        match segment {
            Segment::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The value at `path` of a payload, if it has one.
pub fn value_at<'a>(payload: &'a Value, path: &[Segment]) -> Option<&'a Value> {
    path.iter()
        .try_fold(payload, |value, segment| match segment {
            Segment::Key(k) => value.get(k),
            Segment::Index(i) => value.get(i),
        })
}

impl CompiledInput {
    /// The fast check: no problem at all (then nothing needs locating).
    pub fn is_valid(&self, payload: &Value) -> bool {
        self.validator.as_ref().is_none_or(|v| v.is_valid(payload))
    }
}

/// Every problem of `payload` against `input`.
pub fn validate(input: &CompiledInput, payload: &Value, strict: bool) -> Vec<PayloadProblem> {
    let Some(validator) = &input.validator else {
        return Vec::new();
    };
    let exact = input.input.dialect == Dialect::JsonSchema;
    let presence = if exact || strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut problems = Vec::new();
    for error in validator.iter_errors(payload) {
        let path: Vec<Segment> = error
            .instance_path()
            .as_str()
            .split('/')
            .skip(1)
            .map(|s| {
                let s = s.replace("~1", "/").replace("~0", "~");
                match s.parse::<usize>() {
                    Ok(i) => Segment::Index(i),
                    Err(_) => Segment::Key(s),
                }
            })
            .collect();
        let path = fix_numeric_keys(payload, path);
        let at = path_text(&path);
        let found = value_at(payload, &path).map_or("nothing", describe);
        use jsonschema::error::ValidationErrorKind as Kind;
        match error.kind() {
            Kind::Required { property } => {
                let name = property.as_str().unwrap_or_default().to_string();
                // A flow that declares nothing expects what it reads: say where.
                let inferred = (input.input.dialect == Dialect::Inferred && path.is_empty())
                    .then(|| input.input.fields.iter().find(|f| f.name == name))
                    .flatten()
                    .and_then(|f| f.description.as_deref());
                let message = match inferred {
                    Some(read_at) => format!(
                        "`{at}` is missing `{name}`, which the flow reads {} (it declares no input schema)",
                        read_at.trim_start_matches("read by the flow ")
                    ),
                    None => format!(
                        "`{at}` is missing `{name}`, which the flow's input schema declares"
                    ),
                };
                problems.push(PayloadProblem {
                    code: Code::PayloadMissingField,
                    severity: presence,
                    message,
                    path,
                    target: Target::Value,
                    missing: Some(name),
                });
            }
            Kind::AdditionalProperties { unexpected } => {
                for name in unexpected {
                    problems.push(PayloadProblem {
                        code: Code::PayloadUnknownField,
                        severity: presence,
                        message: format!("`{at}.{name}` is not in the flow's input schema"),
                        path: path.clone(),
                        target: Target::Key(name.clone()),
                        missing: None,
                    });
                }
            }
            Kind::Type { kind } => {
                let expected = format!("{kind:?}")
                    .trim_start_matches("Single(")
                    .trim_start_matches("Multiple(")
                    .trim_end_matches(')')
                    .to_lowercase();
                problems.push(PayloadProblem {
                    code: Code::PayloadTypeMismatch,
                    severity: Severity::Error,
                    message: format!("`{at}` should be {}, found {found}", article(&expected)),
                    path,
                    target: Target::Value,
                    missing: None,
                });
            }
            _ => problems.push(PayloadProblem {
                code: Code::PayloadConstraint,
                severity: Severity::Error,
                message: format!("`{at}`: {}", error.masked()),
                path,
                target: Target::Value,
                missing: None,
            }),
        }
    }
    problems
}

/// JSON pointers do not say whether `0` is a key or an index: ask the payload.
fn fix_numeric_keys(payload: &Value, path: Vec<Segment>) -> Vec<Segment> {
    let mut fixed = Vec::with_capacity(path.len());
    let mut current = Some(payload);
    for segment in path {
        let segment = match (segment, current) {
            (Segment::Index(i), Some(Value::Object(_))) => Segment::Key(i.to_string()),
            (segment, _) => segment,
        };
        current = current.and_then(|v| match &segment {
            Segment::Key(k) => v.get(k),
            Segment::Index(i) => v.get(i),
        });
        fixed.push(segment);
    }
    fixed
}

fn article(type_name: &str) -> String {
    let name = type_name.replace("bigint", "integer");
    match name.as_str() {
        "integer" | "object" | "array" => format!("an {name}"),
        "null" => "null".to_string(),
        _ => format!("a {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::dialect::compile;
    use serde_json::json;

    /// Code, severity and target path of each problem found.
    fn summarize(found: &[(Code, Severity, String, String)]) -> Vec<(Code, Severity, &str)> {
        found
            .iter()
            .map(|(c, s, t, _)| (*c, *s, t.as_str()))
            .collect()
    }

    fn check(schema: Value, payload: Value, strict: bool) -> Vec<(Code, Severity, String, String)> {
        let input = CompiledInput::new(compile(&schema));
        assert!(
            input.validator_error.is_none(),
            "{:?}",
            input.validator_error
        );
        let mut found: Vec<_> = validate(&input, &payload, strict)
            .into_iter()
            .map(|p| {
                let target = match &p.target {
                    Target::Value => path_text(&p.path),
                    Target::Key(k) => format!("{}.{k}", path_text(&p.path)),
                };
                (p.code, p.severity, target, p.message)
            })
            .collect();
        found.sort();
        found
    }

    fn type_map() -> Value {
        json!({"topic": "string", "count": "int", "tags": "[string]", "note": "string?",
               "meta": {"lang": "string"}, "rounds": [{"round": "int", "side": "string"}]})
    }

    #[test]
    fn a_right_payload_has_no_problems() {
        let payload = json!({"topic": "t", "count": 3, "tags": ["a"], "note": null,
                             "meta": {"lang": "en"}, "rounds": [{"round": 1, "side": "a"}]});
        assert!(check(type_map(), payload, false).is_empty());
    }

    #[test]
    fn wrong_types_are_errors_at_every_depth() {
        let payload = json!({"topic": 5, "count": "3", "tags": ["a", 2], "note": "n",
                             "meta": {"lang": true}, "rounds": [{"round": 1.5, "side": "a"}]});
        let found = check(type_map(), payload, false);
        let targets: Vec<(&str, &Code)> =
            found.iter().map(|(c, _, t, _)| (t.as_str(), c)).collect();
        assert_eq!(
            targets,
            vec![
                ("payload.count", &Code::PayloadTypeMismatch),
                ("payload.meta.lang", &Code::PayloadTypeMismatch),
                ("payload.rounds[0].round", &Code::PayloadTypeMismatch),
                ("payload.tags[1]", &Code::PayloadTypeMismatch),
                ("payload.topic", &Code::PayloadTypeMismatch),
            ]
        );
        assert!(found.iter().all(|(_, s, _, _)| *s == Severity::Error));
        let count = found.iter().find(|f| f.2 == "payload.count").unwrap();
        assert_eq!(
            count.3,
            "`payload.count` should be an integer, found a string"
        );
    }

    #[test]
    fn missing_and_unknown_fields_warn_and_are_errors_when_strict() {
        let payload = json!({"topic": "t", "extra": 1, "meta": {"lang": "en", "x": 2}, "rounds": [{"round": 1}]});
        let found = check(type_map(), payload.clone(), false);
        let summary = summarize(&found);
        assert_eq!(
            summary,
            vec![
                (Code::PayloadMissingField, Severity::Warning, "payload"),
                (Code::PayloadMissingField, Severity::Warning, "payload"),
                (
                    Code::PayloadMissingField,
                    Severity::Warning,
                    "payload.rounds[0]"
                ),
                (
                    Code::PayloadUnknownField,
                    Severity::Warning,
                    "payload.extra"
                ),
                (
                    Code::PayloadUnknownField,
                    Severity::Warning,
                    "payload.meta.x"
                ),
            ]
        );
        assert!(found.iter().any(|f| f.3.contains("missing `count`")));
        let strict = check(type_map(), payload, true);
        assert!(strict.iter().all(|(_, s, _, _)| *s == Severity::Error));
    }

    #[test]
    fn hybrid_constraints_are_errors_and_presence_warns() {
        let schema = json!({"note": {"type": "string", "minLength": 10, "pattern": "^.*\\S.*$"}, "n": "int"});
        let found = check(schema.clone(), json!({"note": "short"}), false);
        let summary: Vec<(Code, Severity)> = found.iter().map(|(c, s, _, _)| (*c, *s)).collect();
        assert_eq!(
            summary,
            vec![
                (Code::PayloadMissingField, Severity::Warning),
                (Code::PayloadConstraint, Severity::Error)
            ]
        );
        assert!(found[1].3.contains("payload.note"), "{}", found[1].3);
        assert!(check(schema, json!({"note": "long enough text", "n": 1}), false).is_empty());
    }

    #[test]
    fn json_schema_is_followed_exactly() {
        let schema = json!({"type": "object", "properties": {
            "mode": {"type": "string", "enum": ["fast", "slow"]},
            "items": {"type": "array", "maxItems": 2, "items": {"type": "string"}}
        }, "required": ["mode"], "additionalProperties": false});
        let found = check(
            schema,
            json!({"mode": "medium", "items": ["a", "b", "c"], "x": 1}),
            false,
        );
        let summary = summarize(&found);
        assert_eq!(
            summary,
            vec![
                (Code::PayloadUnknownField, Severity::Error, "payload.x"),
                (Code::PayloadConstraint, Severity::Error, "payload.items"),
                (Code::PayloadConstraint, Severity::Error, "payload.mode"),
            ]
        );
    }

    #[test]
    fn numeric_object_keys_stay_keys() {
        let schema = json!({"type": "object", "properties": {"0": {"type": "integer"}}});
        let found = check(schema, json!({"0": "x"}), false);
        assert_eq!(found[0].2, "payload.0");
    }

    #[test]
    fn refs_to_the_network_are_never_followed() {
        let input = CompiledInput::new(compile(&json!({
            "type": "object", "properties": {"a": {"$ref": "http://127.0.0.1:9/schema.json"}}
        })));
        // Either the schema is refused or the reference is left unresolved: no request, no panic.
        let problems = validate(&input, &json!({"a": 1}), false);
        assert!(input.validator_error.is_some() || problems.is_empty());
    }
}
