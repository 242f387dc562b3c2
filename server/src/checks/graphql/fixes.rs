//! Quick fixes for GraphQL diagnostics, computed with them: rename to the suggested name, add
//! the missing required arguments, declare an undefined variable with the type its position
//! needs, remove an unused variable or fragment, add a selection set of scalar fields, and send
//! a query field's operation as a `query`. Each edit keeps the text valid GraphQL.

use std::ops::Range;

use apollo_compiler::ast::{self, Definition, OperationType, Type, Value};
use apollo_compiler::executable::{ExecutableDocument, Selection, SelectionSet};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::{Node, Schema};

use crate::base::catalog::Code;
use crate::base::diagnostic::{Diagnostic, Edit, Fix};
use crate::base::span::span;

/// What a fix needs to read.
pub struct Inputs<'a> {
    pub text: &'a str,
    pub ast: &'a ast::Document,
    pub executable: &'a ExecutableDocument,
    pub schema: &'a Schema,
    /// The typed fields by the offset of their name.
    pub fields: &'a crate::checks::graphql::suggest::FieldIndex<'a>,
}

/// Adds the fixes that apply to `diagnostics`.
pub fn apply(inputs: &Inputs<'_>, diagnostics: &mut [Diagnostic]) {
    // One fix can answer several diagnostics (two missing arguments of one field): it is
    // offered once.
    let mut given: Vec<Fix> = Vec::new();
    for d in diagnostics.iter_mut() {
        let fix = match d.code {
            Code::UnknownField
            | Code::UnknownArgument
            | Code::UnknownType
            | Code::UnknownEnumValue
            | Code::UnknownDirective
            | Code::UnknownFragment => rename(inputs.text, d),
            Code::UnknownInputField => rename_input_field(inputs, d),
            Code::MissingRequiredArgument => add_arguments(inputs, d),
            Code::UndefinedVariable => declare_variable(inputs, d),
            Code::UnusedVariable => remove_variable(inputs, d),
            Code::UnusedFragment => remove_fragment(inputs, d),
            Code::MissingSelectionSet => add_selection(inputs, d),
            Code::QueryFieldInMutation => to_query(inputs, d),
            _ => None,
        };
        if let Some(fix) = fix.filter(|f| !given.contains(f)) {
            given.push(fix.clone());
            d.fixes.push(fix);
        }
    }
}

fn fix(title: impl Into<String>, range: Range<usize>, text: impl Into<String>) -> Fix {
    Fix {
        title: title.into(),
        edits: vec![Edit {
            range,
            text: text.into(),
        }],
    }
}

/// The name a "did you mean" message suggests.
fn suggested(message: &str) -> Option<&str> {
    let (_, rest) = message.rsplit_once("did you mean `")?;
    Some(rest.split('`').next()?.trim_start_matches('@'))
}

fn rename(text: &str, d: &Diagnostic) -> Option<Fix> {
    let new = suggested(&d.message)?;
    let old = text.get(d.range.clone())?;
    // The range is the name itself (pinned by the fixture tests); a `$` or `@` stays.
    let old = old.trim_start_matches(['$', '@']);
    let start = d.range.end - old.len();
    Some(fix(
        format!("Change `{old}` to `{new}`"),
        start..d.range.end,
        new,
    ))
}

/// An unknown input field is reported on its value: the fix renames its key.
fn rename_input_field(inputs: &Inputs<'_>, d: &Diagnostic) -> Option<Fix> {
    let new = suggested(&d.message)?;
    let key = object_key_of(inputs.ast, &d.range)?;
    let old = inputs.text.get(key.clone())?;
    Some(fix(format!("Change `{old}` to `{new}`"), key, new))
}

/// Calls `visit` with every value of the document's arguments, variable defaults and
/// directives, nested ones included.
fn each_value(document: &ast::Document, visit: &mut dyn FnMut(&Node<Value>)) {
    fn value(v: &Node<Value>, visit: &mut dyn FnMut(&Node<Value>)) {
        visit(v);
        match v.as_ref() {
            Value::List(items) => items.iter().for_each(|i| value(i, visit)),
            Value::Object(fields) => fields.iter().for_each(|(_, f)| value(f, visit)),
            _ => {}
        }
    }
    fn directives(list: &ast::DirectiveList, visit: &mut dyn FnMut(&Node<Value>)) {
        for d in list.iter() {
            d.arguments.iter().for_each(|a| value(&a.value, visit));
        }
    }
    fn selections(set: &[ast::Selection], visit: &mut dyn FnMut(&Node<Value>)) {
        for s in set {
            match s {
                ast::Selection::Field(f) => {
                    f.arguments.iter().for_each(|a| value(&a.value, visit));
                    directives(&f.directives, visit);
                    selections(&f.selection_set, visit);
                }
                ast::Selection::InlineFragment(i) => {
                    directives(&i.directives, visit);
                    selections(&i.selection_set, visit);
                }
                ast::Selection::FragmentSpread(s) => directives(&s.directives, visit),
            }
        }
    }
    for definition in &document.definitions {
        match definition {
            Definition::OperationDefinition(op) => {
                for var in &op.variables {
                    if let Some(default) = &var.default_value {
                        value(default, visit);
                    }
                }
                directives(&op.directives, visit);
                selections(&op.selection_set, visit);
            }
            Definition::FragmentDefinition(f) => {
                directives(&f.directives, visit);
                selections(&f.selection_set, visit);
            }
            _ => {}
        }
    }
}

/// The key of the object field whose value is at `value_range`.
fn object_key_of(document: &ast::Document, value_range: &Range<usize>) -> Option<Range<usize>> {
    let mut found = None;
    each_value(document, &mut |v| {
        if let Value::Object(fields) = v.as_ref() {
            for (name, field_value) in fields {
                if &span(field_value.location()) == value_range {
                    found = Some(span(name.location()));
                }
            }
        }
    });
    found
}

/// A value of `ty` that is valid GraphQL, to be edited: `""`, `0`, `false`, the first enum
/// value, `[]`, or an input object with its required fields.
fn placeholder(schema: &Schema, ty: &Type, depth: usize) -> String {
    if ty.is_list() {
        return "[]".to_string();
    }
    let named = ty.inner_named_type();
    match (named.as_str(), schema.types.get(named)) {
        ("Int", _) => "0".to_string(),
        ("Float", _) => "0.0".to_string(),
        ("Boolean", _) => "false".to_string(),
        (_, Some(ExtendedType::Enum(e))) => e
            .values
            .keys()
            .next()
            .map_or_else(|| "\"\"".to_string(), |v| v.to_string()),
        (_, Some(ExtendedType::InputObject(input))) if depth < 3 => {
            let required: Vec<String> = input
                .fields
                .values()
                .filter(|f| f.is_required())
                .map(|f| format!("{}: {}", f.name, placeholder(schema, &f.ty, depth + 1)))
                .collect();
            if required.is_empty() {
                "{}".to_string()
            } else {
                format!("{{ {} }}", required.join(", "))
            }
        }
        // JSON and other object-like custom scalars of the platform take an object.
        ("JSON" | "JSONObject" | "Object", _) => "{}".to_string(),
        _ => "\"\"".to_string(),
    }
}

/// The syntax tree's field whose name is at `range`, anywhere in the document.
fn ast_field_named(document: &ast::Document, range: &Range<usize>) -> Option<Node<ast::Field>> {
    fn walk(set: &[ast::Selection], range: &Range<usize>) -> Option<Node<ast::Field>> {
        set.iter().find_map(|s| match s {
            ast::Selection::Field(f) if &span(f.name.location()) == range => Some(f.clone()),
            ast::Selection::Field(f) => walk(&f.selection_set, range),
            ast::Selection::InlineFragment(i) => walk(&i.selection_set, range),
            ast::Selection::FragmentSpread(_) => None,
        })
    }
    document.definitions.iter().find_map(|d| match d {
        Definition::OperationDefinition(op) => walk(&op.selection_set, range),
        Definition::FragmentDefinition(f) => walk(&f.selection_set, range),
        _ => None,
    })
}

fn add_arguments(inputs: &Inputs<'_>, d: &Diagnostic) -> Option<Fix> {
    let field = ast_field_named(inputs.ast, &d.range)?;
    let typed = inputs.fields.at(d.range.start)?;
    let missing: Vec<String> = typed
        .definition
        .arguments
        .iter()
        .filter(|a| a.is_required() && !field.arguments.iter().any(|g| g.name == a.name))
        .map(|a| format!("{}: {}", a.name, placeholder(inputs.schema, &a.ty, 0)))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let names: Vec<&str> = missing.iter().filter_map(|m| m.split(':').next()).collect();
    let title = if names.len() == 1 {
        format!("Add the required argument `{}`", names[0])
    } else {
        format!(
            "Add the required arguments {}",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let list = missing.join(", ");
    let edit = match field.arguments.last() {
        Some(last) => {
            let end = span(last.location()).end;
            fix(title, end..end, format!(", {list}"))
        }
        None => {
            let end = d.range.end;
            fix(title, end..end, format!("({list})"))
        }
    };
    Some(edit)
}

/// The type a variable at `range` must have where it is used.
fn expected_type(inputs: &Inputs<'_>, range: &Range<usize>) -> Option<(Type, Range<usize>)> {
    fn in_value(value: &Node<Value>, ty: &Type, range: &Range<usize>) -> Option<Type> {
        if &span(value.location()) == range {
            return Some(ty.clone());
        }
        match value.as_ref() {
            Value::List(items) => items
                .iter()
                .find_map(|i| in_value(i, ty.item_type(), range)),
            _ => None,
        }
    }
    fn walk(set: &SelectionSet, schema: &Schema, range: &Range<usize>) -> Option<Type> {
        set.selections.iter().find_map(|s| match s {
            Selection::Field(f) => f
                .arguments
                .iter()
                .find_map(|a| {
                    let def = f.definition.argument_by_name(&a.name)?;
                    in_value(&a.value, &def.ty, range)
                        .or_else(|| in_object(&a.value, &def.ty, schema, range))
                })
                .or_else(|| walk(&f.selection_set, schema, range)),
            Selection::InlineFragment(i) => walk(&i.selection_set, schema, range),
            Selection::FragmentSpread(_) => None,
        })
    }
    fn in_object(
        value: &Node<Value>,
        ty: &Type,
        schema: &Schema,
        range: &Range<usize>,
    ) -> Option<Type> {
        match value.as_ref() {
            Value::Object(fields) => {
                let Some(ExtendedType::InputObject(input)) =
                    schema.types.get(ty.inner_named_type())
                else {
                    return None;
                };
                fields.iter().find_map(|(name, v)| {
                    let def = input.fields.get(name)?;
                    in_value(v, &def.ty, range).or_else(|| in_object(v, &def.ty, schema, range))
                })
            }
            Value::List(items) => items
                .iter()
                .find_map(|i| in_object(i, ty.item_type(), schema, range)),
            _ => None,
        }
    }
    inputs.executable.operations.iter().find_map(|op| {
        let ty = walk(&op.selection_set, inputs.schema, range)?;
        Some((ty, span(op.location())))
    })
}

fn declare_variable(inputs: &Inputs<'_>, d: &Diagnostic) -> Option<Fix> {
    let name = inputs.text.get(d.range.clone())?.trim_start_matches('$');
    let (ty, operation) = expected_type(inputs, &d.range)?;
    let op = inputs.ast.definitions.iter().find_map(|def| match def {
        Definition::OperationDefinition(op) if span(op.location()) == operation => Some(op),
        _ => None,
    })?;
    let declaration = format!("${name}: {ty}");
    let title = format!("Declare `{declaration}` in the operation");
    if let Some(last) = op.variables.last() {
        let end = span(last.location()).end;
        return Some(fix(title, end..end, format!(", {declaration}")));
    }
    if let Some(op_name) = &op.name {
        let end = span(op_name.location()).end;
        return Some(fix(title, end..end, format!("({declaration})")));
    }
    let keyword = op.operation_type.name();
    if inputs.text[operation.start..].starts_with(keyword) {
        let end = operation.start + keyword.len();
        return Some(fix(title, end..end, format!("({declaration})")));
    }
    // The `{ ... }` shorthand: it becomes a query with a header.
    Some(fix(
        title,
        operation.start..operation.start,
        format!("query({declaration}) "),
    ))
}

fn remove_variable(inputs: &Inputs<'_>, d: &Diagnostic) -> Option<Fix> {
    let op = inputs.ast.definitions.iter().find_map(|def| match def {
        Definition::OperationDefinition(op)
            if op
                .variables
                .iter()
                .any(|v| span(v.location()).start == d.range.start) =>
        {
            Some(op)
        }
        _ => None,
    })?;
    let index = op
        .variables
        .iter()
        .position(|v| span(v.location()).start == d.range.start)?;
    let this = span(op.variables[index].location());
    let name = inputs.text.get(d.range.clone())?;
    let title = format!("Remove the unused variable `{name}`");
    let range = if op.variables.len() == 1 {
        // The whole `( ... )`.
        let open = inputs.text[..this.start].rfind('(')?;
        let close = this.end + inputs.text[this.end..].find(')')? + 1;
        open..close
    } else if index > 0 {
        span(op.variables[index - 1].location()).end..this.end
    } else {
        this.start..span(op.variables[1].location()).start
    };
    Some(fix(title, range, ""))
}

fn remove_fragment(inputs: &Inputs<'_>, d: &Diagnostic) -> Option<Fix> {
    let fragment = inputs.ast.definitions.iter().find_map(|def| match def {
        Definition::FragmentDefinition(f) if span(f.name.location()) == d.range => Some(f),
        _ => None,
    })?;
    let whole = span(fragment.location());
    let text = inputs.text;
    // With the white space after it; at the end of the text, the white space before it.
    let after = text[whole.end..].len() - text[whole.end..].trim_start().len();
    let range = if whole.end + after == text.len() {
        let before = text[..whole.start].len() - text[..whole.start].trim_end().len();
        whole.start - before..whole.end
    } else {
        whole.start..whole.end + after
    };
    Some(fix(
        format!("Remove the unused fragment `{}`", fragment.name),
        range,
        "",
    ))
}

fn add_selection(inputs: &Inputs<'_>, d: &Diagnostic) -> Option<Fix> {
    let field = ast_field_named(inputs.ast, &d.range)?;
    let typed = inputs.fields.at(d.range.start)?;
    let ty = typed.definition.ty.inner_named_type();
    let mut leaves = match inputs.schema.types.get(ty) {
        Some(ExtendedType::Object(t)) => crate::checks::graphql::suggest::leaf_fields(
            inputs.schema,
            t.fields.values().map(|f| &*f.node),
        ),
        Some(ExtendedType::Interface(t)) => crate::checks::graphql::suggest::leaf_fields(
            inputs.schema,
            t.fields.values().map(|f| &*f.node),
        ),
        _ => Vec::new(),
    };
    if leaves.is_empty() {
        leaves.push("__typename");
    }
    let end = span(field.location()).end;
    let line_start = inputs.text[..d.range.start]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent: String = inputs.text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let field_start = span(field.location()).start.max(line_start);
    let on_own_line = inputs.text[line_start..field_start].trim().is_empty();
    let body = if on_own_line {
        let inner: Vec<String> = leaves.iter().map(|l| format!("{indent}  {l}")).collect();
        format!(" {{\n{}\n{indent}}}", inner.join("\n"))
    } else {
        format!(" {{ {} }}", leaves.join(" "))
    };
    Some(fix(
        format!(
            "Select {}",
            leaves
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        end..end,
        body,
    ))
}

fn to_query(inputs: &Inputs<'_>, d: &Diagnostic) -> Option<Fix> {
    let op = inputs.ast.definitions.iter().find_map(|def| match def {
        Definition::OperationDefinition(op)
            if op.operation_type == OperationType::Mutation
                && span(op.location()).contains(&d.range.start) =>
        {
            Some(op)
        }
        _ => None,
    })?;
    // Only when every root field is one the query type has.
    let query = inputs.schema.root_operation(OperationType::Query)?;
    let all_queries = op.selection_set.iter().all(|s| match s {
        ast::Selection::Field(f) => inputs.schema.type_field(query, &f.name).is_ok(),
        _ => false,
    });
    let start = span(op.location()).start;
    if !all_queries || !inputs.text[start..].starts_with("mutation") {
        return None;
    }
    Some(fix(
        "Send it as a `query`",
        start..start + "mutation".len(),
        "query",
    ))
}

#[cfg(test)]
#[path = "fixes_tests.rs"]
mod tests;
