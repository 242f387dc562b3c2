//! Introspection: the query flowql sends, and the conversion of its JSON result (as graphql-js
//! 16 and 17 servers produce it) into SDL that apollo-compiler builds a schema from.
//!
//! No maintained crate converts introspection JSON for apollo-compiler, hence this module. It
//! is lenient where servers differ: unknown directive locations are dropped, missing optional
//! fields (`specifiedByURL`, `isRepeatable`, `isOneOf`, descriptions) are treated as absent.

use std::fmt::Write;

use apollo_compiler::response::JsonMap;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use serde_json::Value;

/// The introspection query: graphql-js's, with descriptions, `specifiedByURL`, repeatable
/// directives and deprecated arguments and input fields.
pub const INTROSPECTION_QUERY: &str = r#"query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives {
      name
      description
      isRepeatable
      locations
      args(includeDeprecated: true) { ...InputValue }
    }
  }
}
fragment FullType on __Type {
  kind
  name
  description
  specifiedByURL
  fields(includeDeprecated: true) {
    name
    description
    args(includeDeprecated: true) { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
  isDeprecated
  deprecationReason
}
fragment TypeRef on __Type {
  kind
  name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}"#;

/// The same query without the parts that servers older than graphql-js 15.x reject
/// (`specifiedByURL`, `isRepeatable`, `includeDeprecated` on arguments and input fields).
pub const INTROSPECTION_QUERY_LEGACY: &str = r#"query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind
  name
  description
  fields(includeDeprecated: true) {
    name
    description
    args { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind
  name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}"#;

const BUILT_IN_SCALARS: &[&str] = &["String", "Int", "Float", "Boolean", "ID"];
const BUILT_IN_DIRECTIVES: &[&str] = &["skip", "include", "deprecated", "specifiedBy"];
const DIRECTIVE_LOCATIONS: &[&str] = &[
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
    "SCHEMA",
    "SCALAR",
    "OBJECT",
    "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION",
    "INTERFACE",
    "UNION",
    "ENUM",
    "ENUM_VALUE",
    "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION",
];

/// Why an introspection result could not be converted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IntrospectionError {
    #[error("the JSON has no `__schema` (neither at the top nor under `data`)")]
    NoSchema,
    #[error("`__schema.{0}` is missing or not of the expected shape")]
    Shape(String),
}

/// The `__schema` object of an introspection result: `{"data":{"__schema":…}}`, `{"__schema":…}`.
pub fn find_schema(json: &Value) -> Option<&Value> {
    json.get("data")
        .and_then(|d| d.get("__schema"))
        .or_else(|| json.get("__schema"))
        .filter(|s| s.is_object())
}

/// Converts an introspection result into SDL.
pub fn to_sdl(json: &Value) -> Result<String, IntrospectionError> {
    let schema = find_schema(json).ok_or(IntrospectionError::NoSchema)?;
    let types = schema
        .get("types")
        .and_then(Value::as_array)
        .ok_or_else(|| IntrospectionError::Shape("types".into()))?;
    let mut sdl = String::new();
    let root = |key: &str| {
        schema
            .get(key)
            .and_then(|t| t.get("name"))
            .and_then(Value::as_str)
    };
    let query = root("queryType").ok_or_else(|| IntrospectionError::Shape("queryType".into()))?;
    let _ = write!(sdl, "schema {{\n  query: {query}\n");
    for (key, operation) in [
        ("mutationType", "mutation"),
        ("subscriptionType", "subscription"),
    ] {
        if let Some(name) = root(key) {
            let _ = writeln!(sdl, "  {operation}: {name}");
        }
    }
    sdl.push_str("}\n");

    if let Some(directives) = schema.get("directives").and_then(Value::as_array) {
        for directive in directives {
            write_directive(&mut sdl, directive);
        }
    }
    for ty in types {
        write_type(&mut sdl, ty)?;
    }
    Ok(sdl)
}

fn str_field<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A GraphQL string literal; JSON's escapes are all valid GraphQL escapes.
fn string_literal(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

fn description(out: &mut String, value: &Value, indent: &str) {
    if let Some(text) = str_field(value, "description").filter(|d| !d.is_empty()) {
        let _ = writeln!(out, "{indent}{}", string_literal(text));
    }
}

fn deprecated(value: &Value) -> String {
    if value.get("isDeprecated").and_then(Value::as_bool) != Some(true) {
        return String::new();
    }
    match str_field(value, "deprecationReason") {
        Some(reason) => format!(" @deprecated(reason: {})", string_literal(reason)),
        None => " @deprecated".to_string(),
    }
}

/// `[Foo!]!` from a nested type reference.
fn type_ref(value: &Value) -> Option<String> {
    match str_field(value, "kind")? {
        "NON_NULL" => Some(format!("{}!", type_ref(value.get("ofType")?)?)),
        "LIST" => Some(format!("[{}]", type_ref(value.get("ofType")?)?)),
        _ => str_field(value, "name").map(str::to_string),
    }
}

fn arguments(values: &[Value]) -> String {
    let args: Vec<String> = values.iter().filter_map(input_value).collect();
    if args.is_empty() {
        String::new()
    } else {
        format!("({})", args.join(", "))
    }
}

fn input_value(value: &Value) -> Option<String> {
    let name = str_field(value, "name")?;
    let ty = type_ref(value.get("type")?)?;
    let mut out = String::new();
    if let Some(text) = str_field(value, "description").filter(|d| !d.is_empty()) {
        let _ = write!(out, "{} ", string_literal(text));
    }
    let _ = write!(out, "{name}: {ty}");
    if let Some(default) = str_field(value, "defaultValue") {
        let _ = write!(out, " = {default}");
    }
    out.push_str(&deprecated(value));
    Some(out)
}

fn write_directive(out: &mut String, directive: &Value) {
    let Some(name) = str_field(directive, "name") else {
        return;
    };
    if BUILT_IN_DIRECTIVES.contains(&name) {
        return;
    }
    let locations: Vec<&str> = list(directive, "locations")
        .iter()
        .filter_map(Value::as_str)
        .filter(|l| DIRECTIVE_LOCATIONS.contains(l))
        .collect();
    if locations.is_empty() {
        // Only locations this GraphQL version does not know: the directive cannot be used in
        // anything flowql validates.
        return;
    }
    description(out, directive, "");
    let repeatable = if directive.get("isRepeatable").and_then(Value::as_bool) == Some(true) {
        " repeatable"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "directive @{name}{}{repeatable} on {}",
        arguments(list(directive, "args")),
        locations.join(" | ")
    );
}

fn write_type(out: &mut String, ty: &Value) -> Result<(), IntrospectionError> {
    let name =
        str_field(ty, "name").ok_or_else(|| IntrospectionError::Shape("types[].name".into()))?;
    if name.starts_with("__") {
        return Ok(());
    }
    let kind = str_field(ty, "kind").unwrap_or_default();
    if kind == "SCALAR" && BUILT_IN_SCALARS.contains(&name) {
        return Ok(());
    }
    description(out, ty, "");
    let named = |key: &str| -> Vec<String> {
        list(ty, key)
            .iter()
            .filter_map(|t| str_field(t, "name").map(str::to_string))
            .collect()
    };
    match kind {
        "SCALAR" => {
            let specified = str_field(ty, "specifiedByURL")
                .map(|url| format!(" @specifiedBy(url: {})", string_literal(url)))
                .unwrap_or_default();
            let _ = writeln!(out, "scalar {name}{specified}");
        }
        "OBJECT" | "INTERFACE" => {
            let keyword = if kind == "OBJECT" {
                "type"
            } else {
                "interface"
            };
            let interfaces = named("interfaces");
            let implements = if interfaces.is_empty() {
                String::new()
            } else {
                format!(" implements {}", interfaces.join(" & "))
            };
            let _ = writeln!(out, "{keyword} {name}{implements} {{");
            for field in list(ty, "fields") {
                let (Some(field_name), Some(field_type)) = (
                    str_field(field, "name"),
                    field.get("type").and_then(type_ref),
                ) else {
                    continue;
                };
                description(out, field, "  ");
                let _ = writeln!(
                    out,
                    "  {field_name}{}: {field_type}{}",
                    arguments(list(field, "args")),
                    deprecated(field)
                );
            }
            out.push_str("}\n");
        }
        "UNION" => {
            let _ = writeln!(out, "union {name} = {}", named("possibleTypes").join(" | "));
        }
        "ENUM" => {
            let _ = writeln!(out, "enum {name} {{");
            for value in list(ty, "enumValues") {
                if let Some(value_name) = str_field(value, "name") {
                    description(out, value, "  ");
                    let _ = writeln!(out, "  {value_name}{}", deprecated(value));
                }
            }
            out.push_str("}\n");
        }
        "INPUT_OBJECT" => {
            let _ = writeln!(out, "input {name} {{");
            for field in list(ty, "inputFields") {
                if let Some(text) = input_value(field) {
                    let _ = writeln!(out, "  {text}");
                }
            }
            out.push_str("}\n");
        }
        other => {
            return Err(IntrospectionError::Shape(format!(
                "types[{name}].kind `{other}`"
            )));
        }
    }
    Ok(())
}

/// Answers an introspection query from a schema, as a GraphQL server would (`{"data":…}` or
/// `{"errors":…}`). Used by `flowql schema show --json` and by the tests' fake platform.
pub fn execute(schema: &Valid<Schema>, query: &str) -> Value {
    let errors = |message: String| serde_json::json!({"errors": [{"message": message}]});
    let document =
        match ExecutableDocument::parse_and_validate(schema, query, "introspection.graphql") {
            Ok(document) => document,
            Err(e) => return errors(e.errors.to_string()),
        };
    let operation = match document.operations.get(None) {
        Ok(operation) => operation,
        Err(e) => return errors(e.message().to_string()),
    };
    let variables = Valid::assume_valid(JsonMap::new());
    match apollo_compiler::introspection::partial_execute(
        schema,
        &schema.implementers_map(),
        &document,
        operation,
        &variables,
    ) {
        Ok(response) => serde_json::to_value(response).unwrap_or_else(|e| errors(e.to_string())),
        Err(e) => errors(e.message().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{from_sdl, SchemaSource};
    use serde_json::json;

    fn type_ref_json(kind: &str, name: Option<&str>, of: Option<Value>) -> Value {
        json!({"kind": kind, "name": name, "ofType": of})
    }

    fn named(name: &str) -> Value {
        type_ref_json("SCALAR", Some(name), None)
    }

    fn sample() -> Value {
        json!({"data": {"__schema": {
            "queryType": {"name": "Query"},
            "mutationType": null,
            "subscriptionType": {"name": "Sub"},
            "directives": [
                {"name": "skip", "locations": ["FIELD"], "args": []},
                {"name": "cached", "description": "Cache it.", "isRepeatable": true,
                 "locations": ["FIELD_DEFINITION", "SOMETHING_NEW"],
                 "args": [{"name": "ttl", "type": named("Int"), "defaultValue": "60"}]},
                {"name": "future", "locations": ["SOMETHING_NEW"], "args": []}
            ],
            "types": [
                {"kind": "OBJECT", "name": "Query", "description": "Root \"quoted\"\nline two",
                 "interfaces": [{"kind": "INTERFACE", "name": "Node", "ofType": null}],
                 "fields": [
                    {"name": "id", "args": [], "type": type_ref_json("NON_NULL", None, Some(named("ID")))},
                    {"name": "items", "description": "Items.",
                     "args": [{"name": "first", "description": "How many", "type": named("Int"), "defaultValue": "10"},
                              {"name": "color", "type": {"kind": "ENUM", "name": "Color", "ofType": null}, "defaultValue": null}],
                     "type": type_ref_json("NON_NULL", None, Some(type_ref_json("LIST", None, Some(type_ref_json("NON_NULL", None, Some(named("JSON"))))))),
                     "isDeprecated": true, "deprecationReason": "Use `things`."},
                    {"name": "search", "args": [{"name": "filter", "type": {"kind": "INPUT_OBJECT", "name": "Filter", "ofType": null}}],
                     "type": {"kind": "UNION", "name": "Result", "ofType": null}}
                 ]},
                {"kind": "INTERFACE", "name": "Node", "fields": [{"name": "id", "args": [], "type": type_ref_json("NON_NULL", None, Some(named("ID")))}], "interfaces": []},
                {"kind": "OBJECT", "name": "Sub", "fields": [{"name": "tick", "args": [], "type": named("Int")}], "interfaces": []},
                {"kind": "UNION", "name": "Result", "possibleTypes": [{"kind": "OBJECT", "name": "Sub"}]},
                {"kind": "ENUM", "name": "Color", "enumValues": [
                    {"name": "RED", "isDeprecated": false},
                    {"name": "BLUE", "description": "Blue.", "isDeprecated": true, "deprecationReason": null}]},
                {"kind": "INPUT_OBJECT", "name": "Filter", "inputFields": [
                    {"name": "text", "type": type_ref_json("NON_NULL", None, Some(named("String"))), "defaultValue": "\"a\""}]},
                {"kind": "SCALAR", "name": "JSON", "specifiedByURL": "https://example.test/json"},
                {"kind": "SCALAR", "name": "String"},
                {"kind": "OBJECT", "name": "__Type", "fields": []}
            ]
        }}})
    }

    #[test]
    fn converts_every_kind_and_builds_a_clean_schema() {
        let sdl = to_sdl(&sample()).unwrap();
        let loaded = from_sdl(&[(&sdl, "introspection")], SchemaSource::Bundled);
        assert!(loaded.problems.is_empty(), "{:?}\n{sdl}", loaded.problems);
        let schema = &loaded.schema;
        assert_eq!(
            schema.schema_definition.query.as_ref().unwrap().as_str(),
            "Query"
        );
        let query = schema.get_object("Query").unwrap();
        assert_eq!(
            query.description.as_deref(),
            Some("Root \"quoted\"\nline two")
        );
        let items = query.fields.get("items").unwrap();
        assert_eq!(items.ty.to_string(), "[JSON!]!");
        assert_eq!(
            items.arguments[0]
                .default_value
                .as_ref()
                .unwrap()
                .to_string(),
            "10"
        );
        assert!(items.directives.get("deprecated").is_some());
        assert!(query.implements_interfaces.contains("Node"));
        assert!(
            schema
                .directive_definitions
                .get("cached")
                .unwrap()
                .repeatable
        );
        assert!(
            !schema.directive_definitions.contains_key("future"),
            "unknown-only locations drop the directive"
        );
        assert!(sdl.contains("@specifiedBy(url: \"https://example.test/json\")"));
        assert!(!sdl.contains("__Type"));
    }

    /// GitHub's schema, introspected the way a server answers, converted back and rebuilt:
    /// every type, field and argument survives.
    #[test]
    fn github_schema_round_trips_through_introspection() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/github/schema.graphql");
        let original = crate::schema::load_files(&[path]).unwrap();
        let response = execute(&original.schema, INTROSPECTION_QUERY);
        assert!(response.get("errors").is_none(), "{}", response["errors"]);
        let sdl = to_sdl(&response).unwrap();
        let rebuilt = from_sdl(&[(&sdl, "introspection")], SchemaSource::Bundled);
        assert!(
            rebuilt.problems.is_empty(),
            "{:?}",
            &rebuilt.problems[..3.min(rebuilt.problems.len())]
        );
        assert_eq!(rebuilt.schema.types.len(), original.schema.types.len());
        for (name, ty) in &original.schema.types {
            let other = rebuilt
                .schema
                .types
                .get(name)
                .unwrap_or_else(|| panic!("{name} lost"));
            if let (
                apollo_compiler::schema::ExtendedType::Object(a),
                apollo_compiler::schema::ExtendedType::Object(b),
            ) = (ty, other)
            {
                for (field, def) in &a.fields {
                    let rebuilt_field = b
                        .fields
                        .get(field)
                        .unwrap_or_else(|| panic!("{name}.{field} lost"));
                    assert_eq!(rebuilt_field.ty, def.ty, "{name}.{field}");
                    assert_eq!(
                        rebuilt_field.arguments.len(),
                        def.arguments.len(),
                        "{name}.{field}"
                    );
                }
            }
        }
    }

    #[test]
    fn accepts_a_bare_schema_object() {
        let bare = sample()["data"].clone();
        assert!(to_sdl(&bare).is_ok());
    }

    #[test]
    fn shape_errors_are_reported() {
        assert_eq!(
            to_sdl(&json!({"data": null})),
            Err(IntrospectionError::NoSchema)
        );
        assert_eq!(
            to_sdl(&json!({"__schema": {"types": []}})),
            Err(IntrospectionError::Shape("queryType".into()))
        );
        assert!(to_sdl(&json!({"__schema": {"queryType": {"name": "Q"}}})).is_err());
    }
}
