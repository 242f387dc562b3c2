//! The values sent in `variables` against the operation's variable definitions, as a server
//! coerces them (GraphQL spec, "Coercing Variable Values"): required ones present, each value
//! readable as its declared type (scalars, enums, lists, input objects, null), keys the
//! operation does not declare flagged. Values the caller cannot know (an expression in code)
//! are skipped; so are missing keys of an object that has a spread.

use apollo_compiler::ast::{OperationDefinition, Type};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::Schema;
use serde_json::Value;

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::flows::validate::Segment;

use crate::surfaces::places::Places;

/// Checks `values` (the `variables` object) against the definitions of `operation`.
pub fn check(
    values: &serde_json::Map<String, Value>,
    operation: &OperationDefinition,
    schema: &Schema,
    places: &dyn Places,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let whole = places.value(&[]).unwrap_or(0..0);
    for definition in &operation.variables {
        let name = definition.name.as_str();
        let path = [Segment::Key(name.to_string())];
        match values.get(name) {
            None => {
                if definition.ty.is_non_null()
                    && definition.default_value.is_none()
                    && !places.open(&[])
                {
                    out.push(Diagnostic::new(
                        Code::VariableValueMissing,
                        whole.clone(),
                        format!(
                            "`variables` has no `{name}`, which the operation requires (`${name}: {}`)",
                            definition.ty
                        ),
                    ));
                }
            }
            Some(value) => coerce(value, &definition.ty, &path, schema, places, &mut out),
        }
    }
    for key in values.keys() {
        if !operation.variables.iter().any(|d| d.name == key.as_str()) {
            let path = [Segment::Key(key.clone())];
            let range = places.key(&path).unwrap_or_else(|| whole.clone());
            out.push(Diagnostic::new(
                Code::VariableNotDeclared,
                range,
                format!("`{key}` is sent in `variables` but the operation declares no `${key}`: the server ignores it"),
            ));
        }
    }
    out
}

fn coerce(
    value: &Value,
    ty: &Type,
    path: &[Segment],
    schema: &Schema,
    places: &dyn Places,
    out: &mut Vec<Diagnostic>,
) {
    if places.unknown(path) {
        return;
    }
    let at = || places.value(path).unwrap_or(0..0);
    let name = path_name(path);
    let wrong = |expected: String| {
        Diagnostic::new(
            Code::VariableValueInvalid,
            at(),
            format!(
                "`{name}` is {}, but its type is `{expected}`",
                crate::flows::validate::describe(value)
            ),
        )
    };
    if value.is_null() {
        if ty.is_non_null() {
            out.push(wrong(ty.to_string()));
        }
        return;
    }
    if ty.is_list() {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut inner = path.to_vec();
                    inner.push(Segment::Index(i));
                    coerce(item, ty.item_type(), &inner, schema, places, out);
                }
            }
            // A single value stands for a list of one.
            other => coerce(other, ty.item_type(), path, schema, places, out),
        }
        return;
    }
    let named = ty.inner_named_type();
    let fits = match (named.as_str(), schema.types.get(named)) {
        ("Int", _) => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        ("Float", _) => value.is_number(),
        ("String", _) => value.is_string(),
        ("Boolean", _) => value.is_boolean(),
        ("ID", _) => value.is_string() || value.is_i64() || value.is_u64(),
        (_, Some(ExtendedType::Enum(e))) => {
            value.as_str().is_some_and(|v| e.values.contains_key(v))
        }
        (_, Some(ExtendedType::InputObject(input))) => {
            let Value::Object(fields) = value else {
                out.push(wrong(ty.to_string()));
                return;
            };
            for (field_name, field) in &input.fields {
                let mut inner = path.to_vec();
                inner.push(Segment::Key(field_name.to_string()));
                match fields.get(field_name.as_str()) {
                    Some(v) => coerce(v, &field.ty, &inner, schema, places, out),
                    None if field.is_required() && !places.open(path) => out.push(Diagnostic::new(
                        Code::VariableValueInvalid,
                        at(),
                        format!("`{name}` has no `{field_name}`, which `{named}` requires"),
                    )),
                    None => {}
                }
            }
            for key in fields.keys() {
                if !input.fields.contains_key(key.as_str()) {
                    let mut inner = path.to_vec();
                    inner.push(Segment::Key(key.clone()));
                    out.push(Diagnostic::new(
                        Code::VariableValueInvalid,
                        places.key(&inner).unwrap_or_else(at),
                        format!("`{named}` has no field `{key}`"),
                    ));
                }
            }
            true
        }
        // Custom scalars (`JSON`) take anything.
        _ => true,
    };
    if !fits {
        let mut d = wrong(ty.to_string());
        if let (Some(ExtendedType::Enum(e)), Some(v)) = (schema.types.get(named), value.as_str()) {
            let known: Vec<&str> = e.values.keys().map(|k| k.as_str()).collect();
            d.message = format!(
                "`{name}` is \"{v}\", not a value of `{named}` ({})",
                known.join(", ")
            );
        }
        out.push(d);
    }
}

/// `workflowId`, `filter.kind`, `ids[2]`.
fn path_name(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(k) if out.is_empty() => out.push_str(k),
            Segment::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::document::testing::library;
    use std::ops::Range;

    /// Places from a JSON text's positions of `"key"` and values, found by search (the test
    /// texts repeat no key).
    struct Found {
        text: String,
        unknown: Vec<String>,
    }

    impl Places for Found {
        fn value(&self, path: &[Segment]) -> Option<Range<usize>> {
            let Some(Segment::Key(k)) = path.last() else {
                return Some(0..self.text.len());
            };
            let start = self.text.find(&format!("\"{k}\":"))? + k.len() + 4;
            let end = start + self.text[start..].find([',', '}'])?;
            Some(start..end)
        }
        fn key(&self, path: &[Segment]) -> Option<Range<usize>> {
            let Some(Segment::Key(k)) = path.last() else {
                return None;
            };
            let start = self.text.find(&format!("\"{k}\""))?;
            Some(start..start + k.len() + 2)
        }
        fn unknown(&self, path: &[Segment]) -> bool {
            matches!(path.last(), Some(Segment::Key(k)) if self.unknown.contains(k))
        }
        fn open(&self, _: &[Segment]) -> bool {
            false
        }
    }

    fn problems(operation: &str, values: &str, unknown: &[&str]) -> Vec<(Code, String, String)> {
        let document = apollo_compiler::ast::Document::parse(operation, "op.graphql").unwrap();
        let op = document
            .definitions
            .iter()
            .find_map(|d| match d {
                apollo_compiler::ast::Definition::OperationDefinition(op) => Some(op.clone()),
                _ => None,
            })
            .unwrap();
        let parsed: Value = serde_json::from_str(values).unwrap();
        let places = Found {
            text: values.to_string(),
            unknown: unknown.iter().map(|s| s.to_string()).collect(),
        };
        let schema = library();
        check(parsed.as_object().unwrap(), &op, &schema.schema, &places)
            .into_iter()
            .map(|d| (d.code, values[d.range.clone()].to_string(), d.message))
            .collect()
    }

    const OP: &str = "query Q($id: ID!, $first: Int, $order: Order, $filter: BookFilter, $kinds: [Kind!], $flag: Boolean! = true) { book(id: $id) { id } }";

    #[test]
    fn fitting_values_pass() {
        assert!(problems(OP, r#"{"id": 5, "first": 3, "order": "NEWEST", "filter": {"kind": "NOVEL", "published": {"from": "2020"}}, "kinds": "ESSAY"}"#, &[]).is_empty());
        // An unknown expression is not judged; a default makes a variable optional.
        assert!(problems(OP, r#"{"id": 0}"#, &[]).is_empty());
        assert!(problems(OP, r#"{"id": 1, "first": "x"}"#, &["first"]).is_empty());
    }

    #[test]
    fn missing_wrong_and_undeclared() {
        let got = problems(OP, r#"{"first": "3", "order": "NEW", "extra": 1}"#, &[]);
        let codes: Vec<Code> = got.iter().map(|p| p.0).collect();
        assert_eq!(
            codes,
            [
                Code::VariableValueMissing,
                Code::VariableValueInvalid,
                Code::VariableValueInvalid,
                Code::VariableNotDeclared
            ]
        );
        assert_eq!(
            got[0].2,
            "`variables` has no `id`, which the operation requires (`$id: ID!`)"
        );
        assert_eq!(got[1].1, "\"3\"");
        assert_eq!(got[1].2, "`first` is a string, but its type is `Int`");
        assert_eq!(
            got[2].2,
            "`order` is \"NEW\", not a value of `Order` (NEWEST, OLDEST)"
        );
        assert_eq!(got[3].1, "\"extra\"");
        let got = problems(
            OP,
            r#"{"id": null, "first": 3000000000, "filter": {"kind": "NOVEL", "published": {"to": "x"}, "nope": 1}}"#,
            &[],
        );
        let messages: Vec<&str> = got.iter().map(|p| p.2.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`id` is null, but its type is `ID!`",
                "`first` is an integer, but its type is `Int`",
                "`filter.published` has no `from`, which `DateRange` requires",
                "`BookFilter` has no field `nope`",
            ]
        );
    }
}
