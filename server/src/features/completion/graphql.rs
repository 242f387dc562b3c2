//! GraphQL completion from the schema, in every context [`context::scan`] tells apart: fields
//! (with type, description, deprecated ones last, required arguments as a snippet), arguments
//! (required first), values (enum values, booleans, variables of fitting types first), input
//! fields, variables after `$`, fragments whose type condition fits, type conditions, variable
//! types, directives valid at the location, and definition keywords.

use apollo_compiler::ast::{DirectiveLocation, OperationType, Type};
use apollo_compiler::schema::{ExtendedType, FieldDefinition, InputValueDefinition};
use apollo_compiler::{Node, Schema};

use crate::features::completion::context::{self, ArgOwner, Context};
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
    let scan = context::scan(text, offset, schema);
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
mod tests {
    use super::*;
    use crate::checks::document::testing::{cursor, library};

    fn fragments() -> Vec<FragmentName> {
        [
            ("BookParts", "Book"),
            ("AuthorParts", "Author"),
            ("NodeParts", "Node"),
        ]
        .iter()
        .map(|(name, on)| FragmentName {
            name: name.to_string(),
            type_condition: on.to_string(),
        })
        .collect()
    }

    /// The items at the `$0` of `fixture`, in the order the editor shows them.
    fn items(fixture: &str, snippets: bool) -> Vec<Item> {
        let (text, offset) = cursor(fixture);
        let fragments = fragments();
        let options = Options {
            snippets,
            fragments: &fragments,
        };
        let mut items = complete(&text, offset, &library().schema, &options);
        items.sort_by(|a, b| a.sort.cmp(&b.sort));
        items
    }

    fn labels(fixture: &str) -> Vec<String> {
        items(fixture, false).into_iter().map(|i| i.label).collect()
    }

    fn find(items: &[Item], label: &str) -> Item {
        items
            .iter()
            .find(|i| i.label == label)
            .unwrap_or_else(|| {
                panic!(
                    "no `{label}` in {:?}",
                    items.iter().map(|i| &i.label).collect::<Vec<_>>()
                )
            })
            .clone()
    }

    #[test]
    fn fields_of_the_type_at_the_cursor_with_deprecated_last() {
        let got = labels("{ book(id: \"1\") { $0 } }");
        assert_eq!(
            got,
            [
                "id",
                "title",
                "author",
                "pages",
                "kind",
                "identifiers",
                "isbn",
                "__typename"
            ]
        );
        let all = items("{ book(id: \"1\") { $0 } }", false);
        let title = find(&all, "title");
        assert_eq!(title.detail, "String!");
        assert_eq!(title.kind, ItemKind::Field);
        let isbn = find(&all, "isbn");
        assert!(isbn.deprecated);
        assert_eq!(
            isbn.documentation.as_deref(),
            Some("**Deprecated:** Use `identifiers`.")
        );
        let root = items("{ $0 }", false);
        assert_eq!(
            find(&root, "book").documentation.as_deref(),
            Some("A book by its id.")
        );
    }

    #[test]
    fn fields_inside_half_typed_and_broken_text() {
        // Unclosed braces, a half-typed name: the word is replaced, the parent type still known.
        let (text, offset) = cursor("query Q {\n  book(id: \"1\") {\n    ti$0");
        let got = complete(&text, offset, &library().schema, &Options::default());
        assert!(got.iter().any(|i| i.label == "title"));
        assert_eq!(got[0].replace, Some(offset - 2..offset));
        // A syntax error before the cursor (an unclosed argument list) and after it.
        let got = labels("{ books(first: 3 { author { $0 } ) ) } }");
        assert_eq!(got, ["id", "name", "books", "__typename"]);
        // After an alias; and a field without arguments before the cursor.
        assert!(labels("{ b: bo$0 }").contains(&"book".to_string()));
        assert!(labels("{ legacy $0 }").contains(&"books".to_string()));
        // Under a mutation.
        assert_eq!(labels("mutation { $0 }"), ["addBook", "__typename"]);
    }

    #[test]
    fn snippets_fill_required_arguments_and_open_a_selection() {
        let root = items("{ $0 }", true);
        let book = find(&root, "book");
        assert!(book.snippet);
        assert_eq!(book.insert, "book(id: $1) {\n\t$0\n}");
        assert_eq!(find(&root, "legacy").insert, "legacy");
        assert!(!find(&root, "legacy").snippet);
        assert_eq!(find(&root, "books").insert, "books {\n\t$0\n}");
        assert_eq!(
            find(&root, "executeWorkflow").insert,
            "executeWorkflow(workflowId: $1, payload: $2) {\n\t$0\n}"
        );
        // Without snippet support: the name alone.
        assert_eq!(find(&items("{ $0 }", false), "book").insert, "book");
    }

    #[test]
    fn arguments_required_first_and_not_repeated() {
        assert_eq!(labels("{ search($0) }"), ["text", "kinds"]);
        assert_eq!(labels("{ search(text: \"a\", $0) }"), ["kinds"]);
        assert_eq!(labels("{ search(kinds: [NOVEL] $0"), ["text"]);
        assert_eq!(labels("{ books($0) { id } }"), ["filter", "first", "order"]);
        let text = find(&items("{ search(t$0) }", false), "text");
        assert_eq!(text.detail, "String! (required)");
        assert_eq!(text.insert, "text: ");
        assert_eq!(text.kind, ItemKind::Argument);
        // A directive's arguments.
        assert_eq!(labels("{ book(id: 1) @cached($0) { id } }"), ["ttl"]);
        assert_eq!(labels("{ book(id: 1) @include($0) { id } }"), ["if"]);
    }

    #[test]
    fn enum_values_with_deprecated_last_and_booleans() {
        assert_eq!(labels("{ books(order: $0) { id } }"), ["NEWEST", "OLDEST"]);
        assert_eq!(
            labels("{ search(text: \"\", kinds: [NOVEL, $0]) }"),
            ["NOVEL", "POETRY", "ESSAY", "COMIC"]
        );
        assert!(find(&items("{ search(text: \"\", kinds: [$0", false), "COMIC").deprecated);
        assert_eq!(
            labels("{ book(id: 1) @include(if: $0) { id } }"),
            ["true", "false"]
        );
        // Half-typed value with nothing after it.
        assert_eq!(labels("{ books(order: NE$0"), ["NEWEST", "OLDEST"]);
    }

    #[test]
    fn input_object_fields_nested_and_required_first() {
        assert_eq!(
            labels("{ books(filter: { $0 }) { id } }"),
            ["kind", "author", "published"]
        );
        assert_eq!(
            labels("{ books(filter: { kind: NOVEL, $0 }) { id } }"),
            ["author", "published"]
        );
        assert_eq!(
            labels("{ books(filter: { published: { $0 } }) { id } }"),
            ["from", "to"]
        );
        assert_eq!(
            labels("mutation { addBook(input: { $0"),
            ["title", "kind", "pages"]
        );
        // A value inside an input object.
        assert_eq!(
            labels("{ books(filter: { kind: $0 }) { id } }"),
            ["NOVEL", "POETRY", "ESSAY", "COMIC"]
        );
        // A default value of a variable.
        assert_eq!(
            labels("query Q($f: BookFilter = { $0 }) { books { id } }"),
            ["kind", "author", "published"]
        );
    }

    #[test]
    fn variables_in_scope_with_fitting_types_first() {
        let fixture =
            "query Q($k: Kind, $n: Int, $t: String!, $m: Int!) { books(first: $0) { id } }";
        assert_eq!(labels(fixture), ["$n", "$m", "$k", "$t"]);
        // After `$`, the item replaces the `$` too.
        let (text, offset) = cursor("query Q($k: Kind, $s: String!) { search(text: $$0) }");
        let got = complete(&text, offset, &library().schema, &Options::default());
        assert_eq!(got.len(), 2);
        let s = got.iter().find(|i| i.label == "$s").unwrap();
        assert_eq!(s.replace, Some(offset - 1..offset));
        assert!(s.sort < got.iter().find(|i| i.label == "$k").unwrap().sort);
        assert!(got
            .iter()
            .find(|i| i.label == "$k")
            .unwrap()
            .detail
            .contains("expected String!"));
        // In a list: the item type decides; variables of another operation are not in scope.
        let fixture = "query A($x: Kind) { book(id: 1) { id } }\nquery B($k: Kind!, $n: Int) { search(text: \"\", kinds: [$$0]) }";
        assert_eq!(labels(fixture), ["$k", "$n"]);
    }

    #[test]
    fn fragments_whose_type_condition_fits() {
        assert_eq!(
            labels("{ book(id: 1) { ...$0 } }"),
            ["BookParts", "NodeParts", "on"]
        );
        // On an interface: the fragments on its implementations fit too.
        assert_eq!(
            labels("{ node(id: 1) { ...$0 } }"),
            ["NodeParts", "AuthorParts", "BookParts", "on"]
        );
        // Half-typed.
        assert!(labels("{ node(id: 1) { ...Bo$0").contains(&"BookParts".to_string()));
        assert_eq!(
            find(&items("{ book(id: 1) { ...$0", false), "BookParts").detail,
            "fragment on Book"
        );
    }

    #[test]
    fn type_names_in_conditions_and_variable_definitions() {
        // Every type whose objects may be there: implementations, and unions sharing one.
        assert_eq!(
            labels("{ node(id: 1) { ... on $0 } }"),
            ["Node", "Author", "Book", "SearchResult"]
        );
        assert_eq!(
            labels("{ search(text: \"\") { ... on $0 } }"),
            ["SearchResult", "Author", "Book", "Node"]
        );
        assert!(!labels("{ book(id: 1) { ... on $0 } }").contains(&"Author".to_string()));
        let all = labels("fragment F on $0");
        for name in ["Book", "Author", "Node", "SearchResult", "Query"] {
            assert!(all.contains(&name.to_string()), "{name} in {all:?}");
        }
        assert!(!all.contains(&"Kind".to_string()));
        let types = labels("query Q($a: $0");
        for name in ["Kind", "BookFilter", "BookInput", "Int", "String", "JSON"] {
            assert!(types.contains(&name.to_string()), "{name} in {types:?}");
        }
        assert!(!types.contains(&"Book".to_string()));
        // Inside a list type, after another variable.
        assert!(labels("query Q($a: Int, $b: [Ki$0").contains(&"Kind".to_string()));
    }

    #[test]
    fn union_members_as_inline_fragments() {
        let all = items("{ search(text: \"x\") { $0 } }", true);
        let labels: Vec<&str> = all.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["... on Book", "... on Author", "__typename"]);
        assert_eq!(all[0].insert, "... on Book {\n\t$0\n}");
    }

    #[test]
    fn directives_valid_at_the_location() {
        assert_eq!(
            labels("{ book(id: 1) @$0 { id } }"),
            ["cached", "include", "skip"]
        );
        let at_field = items("{ book(id: 1) @$0 { id } }", true);
        assert_eq!(find(&at_field, "cached").insert, "cached(ttl: $1)");
        assert_eq!(find(&at_field, "include").insert, "include(if: $1)");
        // On an inline fragment: no @cached (FIELD only).
        assert_eq!(
            labels("{ node(id: 1) { ... on Book @$0 { id } } }"),
            ["include", "skip"]
        );
        // On a fragment spread: no @cached either.
        assert_eq!(
            labels("{ node(id: 1) { ...NodeParts @$0 } }"),
            ["include", "skip"]
        );
        // On the operation: none of these.
        assert!(labels("query Q @$0 { book(id: 1) { id } }").is_empty());
    }

    #[test]
    fn definition_keywords_and_nothing_in_strings_or_comments() {
        assert_eq!(labels("$0"), ["fragment", "mutation", "query"]);
        assert_eq!(
            labels("query A { legacy }\nqu$0"),
            ["fragment", "mutation", "query"]
        );
        assert!(labels("{ book(id: \"ab$0c\") { id } }").is_empty());
        assert!(labels("{ book(id: \"ab$0").is_empty());
        assert!(labels("{ # a comment $0\n book(id: 1) { id } }").is_empty());
        // An operation's own name is being defined.
        assert!(labels("query Na$0").is_empty());
        // A field of a scalar: nothing, rather than a wrong list.
        assert!(labels("{ legacy { $0 } }").is_empty());
    }
}
