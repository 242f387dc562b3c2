//! GraphQL completion from the schema, in every context the scanner
//! ([`crate::features::completion::scanner::scan`]) tells apart: fields
//! (with type, description, deprecated ones last, required arguments as a snippet), arguments
//! (required first), values (enum values, booleans, variables of fitting types first), input
//! fields, variables after `$`, fragments whose type condition fits, type conditions, variable
//! types, directives valid at the location, and definition keywords.

use apollo_compiler::ast::{DirectiveLocation, OperationType, Type};
use apollo_compiler::schema::{ExtendedType, FieldDefinition, InputValueDefinition};
use apollo_compiler::{Node, Schema};

use crate::features::completion::context::{ArgOwner, Context};
use crate::features::completion::payload::{Item, ItemKind};

/// A fragment the document can spread: its name and type condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentName {
    pub name: String,
    pub type_condition: String,
}

/// What completion may use besides the schema.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    /// The client expands `$1`-style snippets.
    pub snippets: bool,
    /// Fragments of this document and of the project's other documents.
    pub fragments: &'a [FragmentName],
}

/// The completions at byte `offset` of `text`.
pub fn complete(text: &str, offset: usize, schema: &Schema, options: &Options<'_>) -> Vec<Item> {
    let scan = crate::features::completion::scanner::scan(text, offset, schema);
    let mut items = match &scan.context {
        Context::Definition => keywords(schema),
        Context::Selection { parent } => fields(schema, parent, options.snippets),
        Context::Spread { parent } => spreads(schema, parent, options.fragments),
        Context::TypeCondition { parent } => type_conditions(schema, parent.as_deref()),
        Context::Arguments { owner, present } => arguments(schema, owner, present),
        Context::Value { expected } => values(schema, expected.as_ref(), &scan.variables),
        Context::Variable { expected } => variables(expected.as_ref(), &scan.variables),
        Context::InputFields { ty, present } => input_fields(schema, ty, present),
        Context::VariableType => input_types(schema),
        Context::Directive { location } => directives(schema, *location, options.snippets),
        Context::Nothing => Vec::new(),
    };
    for item in &mut items {
        item.replace = Some(scan.word.clone());
    }
    items
}

fn item(label: impl Into<String>, kind: ItemKind, detail: impl Into<String>) -> Item {
    let label = label.into();
    Item {
        insert: label.clone(),
        sort: label.clone(),
        label,
        kind,
        detail: detail.into(),
        documentation: None,
        replace: None,
        deprecated: false,
        snippet: false,
    }
}

fn keywords(schema: &Schema) -> Vec<Item> {
    let mut out = vec![item("query", ItemKind::Keyword, "an operation")];
    for (keyword, operation) in [
        ("mutation", OperationType::Mutation),
        ("subscription", OperationType::Subscription),
    ] {
        if schema.root_operation(operation).is_some() {
            out.push(item(keyword, ItemKind::Keyword, "an operation"));
        }
    }
    out.push(item("fragment", ItemKind::Keyword, "a fragment"));
    out
}

fn documentation(description: Option<&Node<str>>, deprecated: Option<&str>) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(reason) = deprecated {
        parts.push(format!("**Deprecated:** {reason}"));
    }
    if let Some(description) = description {
        parts.push(description.to_string());
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// Sorts items so that `rank` orders them, then the schema's order.
fn ranked(rank: u8, index: usize) -> String {
    format!("{rank}{index:05}")
}

fn is_composite(schema: &Schema, name: &str) -> bool {
    matches!(
        schema.types.get(name),
        Some(ExtendedType::Object(_) | ExtendedType::Interface(_) | ExtendedType::Union(_))
    )
}

fn fields(schema: &Schema, parent: &str, snippets: bool) -> Vec<Item> {
    let definitions: Vec<&Node<FieldDefinition>> = match schema.types.get(parent) {
        Some(ExtendedType::Object(t)) => t.fields.values().map(|f| &f.node).collect(),
        Some(ExtendedType::Interface(t)) => t.fields.values().map(|f| &f.node).collect(),
        _ => Vec::new(),
    };
    let mut out: Vec<Item> = definitions
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let deprecated = crate::checks::deprecation::reason(&field.directives);
            let mut it = item(field.name.as_str(), ItemKind::Field, field.ty.to_string());
            it.documentation = documentation(field.description.as_ref(), deprecated.as_deref());
            it.deprecated = deprecated.is_some();
            it.sort = ranked(u8::from(it.deprecated), index);
            if snippets {
                it.insert = field_snippet(schema, field);
                it.snippet = it.insert != field.name.as_str();
            }
            it
        })
        .collect();
    let mut typename = item("__typename", ItemKind::Field, "String!");
    typename.documentation = Some(format!(
        "The name of the object type (`{parent}` or a type it stands for)."
    ));
    typename.sort = ranked(2, 0);
    out.push(typename);
    if let Some(ExtendedType::Union(union)) = schema.types.get(parent) {
        for (index, member) in union.members.iter().enumerate() {
            let mut it = item(
                format!("... on {member}"),
                ItemKind::Type,
                "a member of the union",
            );
            it.insert = if snippets {
                format!("... on {member} {{\n\t$0\n}}")
            } else {
                format!("... on {member}")
            };
            it.snippet = snippets;
            it.sort = ranked(1, index);
            out.push(it);
        }
    }
    out
}

/// `name(required: $1, ...) {\n\t$0\n}` as a snippet: the required arguments to fill in, and a
/// selection set when the field's type has fields.
fn field_snippet(schema: &Schema, field: &FieldDefinition) -> String {
    let mut text = field.name.to_string();
    let required: Vec<&Node<InputValueDefinition>> =
        field.arguments.iter().filter(|a| a.is_required()).collect();
    if !required.is_empty() {
        let list: Vec<String> = required
            .iter()
            .enumerate()
            .map(|(i, a)| format!("{}: ${}", a.name, i + 1))
            .collect();
        text.push_str(&format!("({})", list.join(", ")));
    }
    if is_composite(schema, field.ty.inner_named_type()) {
        text.push_str(" {\n\t$0\n}");
    }
    text
}

/// Every object type `name` may stand for.
fn possible_types(schema: &Schema, name: &str) -> Vec<String> {
    match schema.types.get(name) {
        Some(ExtendedType::Object(_)) => vec![name.to_string()],
        Some(ExtendedType::Interface(_) | ExtendedType::Union(_)) => schema
            .types
            .iter()
            .filter(|(n, t)| {
                matches!(t, ExtendedType::Object(_)) && schema.is_subtype(name, n.as_str())
            })
            .map(|(n, _)| n.to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a fragment on `condition` can apply inside a selection of `parent`.
fn fits(schema: &Schema, condition: &str, parent: &str) -> bool {
    if condition == parent {
        return true;
    }
    let within = possible_types(schema, parent);
    possible_types(schema, condition)
        .iter()
        .any(|t| within.contains(t))
}

fn spreads(schema: &Schema, parent: &str, fragments: &[FragmentName]) -> Vec<Item> {
    let mut out: Vec<Item> = fragments
        .iter()
        .filter(|f| fits(schema, &f.type_condition, parent))
        .map(|f| {
            let mut it = item(
                f.name.as_str(),
                ItemKind::Fragment,
                format!("fragment on {}", f.type_condition),
            );
            it.sort = ranked(u8::from(f.type_condition != parent), 0) + &f.name;
            it
        })
        .collect();
    out.dedup_by(|a, b| a.label == b.label);
    let mut on = item("on", ItemKind::Keyword, "an inline fragment on a type");
    on.sort = ranked(3, 0);
    out.push(on);
    out
}

fn type_conditions(schema: &Schema, parent: Option<&str>) -> Vec<Item> {
    let mut out: Vec<Item> = schema
        .types
        .iter()
        .filter(|(name, _)| !name.starts_with("__") && is_composite(schema, name))
        .filter(|(name, _)| parent.is_none_or(|p| fits(schema, name, p)))
        .map(|(name, ty)| {
            let kind = match ty {
                ExtendedType::Interface(_) => "interface",
                ExtendedType::Union(_) => "union",
                _ => "type",
            };
            let mut it = item(name.as_str(), ItemKind::Type, kind);
            it.documentation = ty.description().map(|d| d.to_string());
            // The enclosing type itself first.
            it.sort = format!("{}{name}", u8::from(parent != Some(name.as_str())));
            it
        })
        .collect();
    if parent.is_none() && out.is_empty() {
        out.push(item(
            "on",
            ItemKind::Keyword,
            "the fragment's type condition",
        ));
    }
    out
}

fn owner_arguments<'s>(
    schema: &'s Schema,
    owner: &ArgOwner,
) -> Option<&'s [Node<InputValueDefinition>]> {
    match owner {
        ArgOwner::Field { parent, field } => schema
            .type_field(parent, field)
            .ok()
            .map(|f| f.arguments.as_slice()),
        ArgOwner::Directive(name) => schema
            .directive_definitions
            .get(name.as_str())
            .map(|d| d.arguments.as_slice()),
    }
}

fn input_value(index: usize, value: &InputValueDefinition, kind: ItemKind) -> Item {
    let deprecated = crate::checks::deprecation::reason(&value.directives);
    let mut it = item(value.name.as_str(), kind, value.ty.to_string());
    it.insert = format!("{}: ", value.name);
    it.documentation = documentation(value.description.as_ref(), deprecated.as_deref());
    it.deprecated = deprecated.is_some();
    // Required first, deprecated last.
    let rank = if it.deprecated {
        2
    } else {
        u8::from(!value.is_required())
    };
    it.sort = ranked(rank, index);
    if value.is_required() {
        it.detail.push_str(" (required)");
    }
    it
}

fn arguments(schema: &Schema, owner: &ArgOwner, present: &[String]) -> Vec<Item> {
    owner_arguments(schema, owner)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(_, a)| !present.iter().any(|p| p == a.name.as_str()))
        .map(|(i, a)| input_value(i, a, ItemKind::Argument))
        .collect()
}

fn input_fields(schema: &Schema, ty: &str, present: &[String]) -> Vec<Item> {
    let Some(ExtendedType::InputObject(input)) = schema.types.get(ty) else {
        return Vec::new();
    };
    input
        .fields
        .values()
        .enumerate()
        .filter(|(_, f)| !present.iter().any(|p| p == f.name.as_str()))
        .map(|(i, f)| input_value(i, f, ItemKind::InputField))
        .collect()
}

/// How well a variable of type `declared` fits where `expected` is wanted: 0 it is allowed,
/// 1 the same named type with another wrapping, 2 another type.
fn fitness(declared: &Type, expected: Option<&Type>) -> u8 {
    match expected {
        None => 0,
        Some(expected) if declared.is_assignable_to(expected) => 0,
        Some(expected) if declared.inner_named_type() == expected.inner_named_type() => 1,
        Some(_) => 2,
    }
}

fn variables(expected: Option<&Type>, declared: &[(String, Type)]) -> Vec<Item> {
    declared
        .iter()
        .enumerate()
        .map(|(index, (name, ty))| {
            let fit = fitness(ty, expected);
            let mut it = item(format!("${name}"), ItemKind::Variable, ty.to_string());
            if fit == 2 {
                if let Some(expected) = expected {
                    it.detail = format!("{ty} (expected {expected})");
                }
            }
            it.sort = ranked(fit, index);
            it
        })
        .collect()
}

fn values(schema: &Schema, expected: Option<&Type>, declared: &[(String, Type)]) -> Vec<Item> {
    let mut out = Vec::new();
    if let Some(expected) = expected {
        let named = expected.inner_named_type();
        match schema.types.get(named) {
            Some(ExtendedType::Enum(e)) => {
                for (index, value) in e.values.values().enumerate() {
                    let deprecated = crate::checks::deprecation::reason(&value.directives);
                    let mut it = item(value.value.as_str(), ItemKind::EnumValue, named.as_str());
                    it.documentation =
                        documentation(value.description.as_ref(), deprecated.as_deref());
                    it.deprecated = deprecated.is_some();
                    it.sort = ranked(u8::from(it.deprecated), index);
                    out.push(it);
                }
            }
            Some(ExtendedType::Scalar(_)) if named == "Boolean" => {
                for (index, literal) in ["true", "false"].into_iter().enumerate() {
                    let mut it = item(literal, ItemKind::Value, "Boolean");
                    it.sort = ranked(0, index);
                    out.push(it);
                }
            }
            _ => {}
        }
    }
    // Variables after the literal values; the fitting ones first.
    out.extend(variables(expected, declared).into_iter().map(|mut it| {
        it.sort = format!("5{}", it.sort);
        it
    }));
    out
}

fn input_types(schema: &Schema) -> Vec<Item> {
    schema
        .types
        .iter()
        .filter(|(name, ty)| !name.starts_with("__") && ty.is_input_type())
        .map(|(name, ty)| {
            let kind = match ty {
                ExtendedType::Enum(_) => "enum",
                ExtendedType::InputObject(_) => "input",
                _ => "scalar",
            };
            let mut it = item(name.as_str(), ItemKind::Type, kind);
            it.documentation = ty.description().map(|d| d.to_string());
            // Built-in scalars after the schema's own types.
            it.sort = format!("{}{name}", u8::from(ty.is_built_in()));
            it
        })
        .collect()
}

fn directives(schema: &Schema, location: DirectiveLocation, snippets: bool) -> Vec<Item> {
    schema
        .directive_definitions
        .values()
        .filter(|d| d.locations.contains(&location))
        .map(|d| {
            let mut it = item(d.name.as_str(), ItemKind::Directive, format!("@{}", d.name));
            it.documentation = d.description.as_ref().map(|s| s.to_string());
            let required: Vec<String> = d
                .arguments
                .iter()
                .filter(|a| a.is_required())
                .enumerate()
                .map(|(i, a)| format!("{}: ${}", a.name, i + 1))
                .collect();
            if snippets && !required.is_empty() {
                it.insert = format!("{}({})", d.name, required.join(", "));
                it.snippet = true;
            }
            it
        })
        .collect()
}

#[cfg(test)]
#[path = "graphql_tests.rs"]
mod tests;
