//! Warnings for deprecated fields, arguments and enum values that an operation uses, with a
//! quick fix when the deprecation reason names the replacement (`Use \`books\`.`) and the
//! schema has it.

use apollo_compiler::ast::DirectiveList;
use apollo_compiler::ast::{Type, Value};
use apollo_compiler::executable::{ExecutableDocument, Selection, SelectionSet};
use apollo_compiler::parser::FileId;
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::{Node, Schema};

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::base::span::span;

/// The reason of a `@deprecated` directive, when the definition has one.
pub fn reason(directives: &DirectiveList) -> Option<String> {
    let directive = directives.get("deprecated")?;
    Some(
        directive
            .specified_argument_by_name("reason")
            .and_then(|v| v.as_str())
            .unwrap_or("No longer supported")
            .to_string(),
    )
}

/// The first name in backticks of a deprecation reason, when it is one of `candidates`.
fn replacement<'a>(reason: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let named = reason.split('`').nth(1)?.trim();
    candidates
        .into_iter()
        .find(|c| *c == named)
        .map(str::to_string)
}

/// Adds a warning for every deprecated definition the document's own definitions use.
pub fn check(
    document: &ExecutableDocument,
    schema: &Schema,
    own_file: Option<FileId>,
    out: &mut Vec<Diagnostic>,
) {
    let mut walker = Walker { schema, out };
    for operation in document.operations.iter() {
        walker.selections(&operation.selection_set);
        for variable in &operation.variables {
            if let Some(default) = &variable.default_value {
                walker.value(default, &variable.ty);
            }
        }
    }
    for fragment in document.fragments.values() {
        if fragment.location().map(|l| l.file_id()) == own_file {
            walker.selections(&fragment.selection_set);
        }
    }
}

struct Walker<'a> {
    schema: &'a Schema,
    out: &'a mut Vec<Diagnostic>,
}

impl Walker<'_> {
    fn selections(&mut self, set: &SelectionSet) {
        for selection in &set.selections {
            match selection {
                Selection::Field(field) => {
                    let definition = &field.definition;
                    if let Some(why) = reason(&definition.directives) {
                        let range = span(field.name.location());
                        let mut d = Diagnostic::new(
                            Code::DeprecatedUsage,
                            range.clone(),
                            format!("`{}.{}` is deprecated: {why}", set.ty, field.name),
                        );
                        let siblings = match self.schema.types.get(&set.ty) {
                            Some(ExtendedType::Object(t)) => {
                                t.fields.keys().map(|k| k.as_str()).collect()
                            }
                            Some(ExtendedType::Interface(t)) => {
                                t.fields.keys().map(|k| k.as_str()).collect()
                            }
                            _ => Vec::new(),
                        };
                        if let Some(new) = replacement(&why, siblings) {
                            d = d.with_fix(format!("Use `{new}` instead"), range, new);
                        }
                        self.out.push(d);
                    }
                    for argument in &field.arguments {
                        let Some(def) = definition.argument_by_name(&argument.name) else {
                            continue;
                        };
                        if let Some(why) = reason(&def.directives) {
                            let range = span(argument.name.location());
                            let mut d = Diagnostic::new(
                                Code::DeprecatedUsage,
                                range.clone(),
                                format!(
                                    "argument `{}` of `{}.{}` is deprecated: {why}",
                                    argument.name, set.ty, field.name
                                ),
                            );
                            let others = definition.arguments.iter().map(|a| a.name.as_str());
                            if let Some(new) = replacement(&why, others) {
                                d = d.with_fix(format!("Use `{new}` instead"), range, new);
                            }
                            self.out.push(d);
                        }
                        self.value(&argument.value, &def.ty);
                    }
                    self.selections(&field.selection_set);
                }
                Selection::InlineFragment(inline) => self.selections(&inline.selection_set),
                Selection::FragmentSpread(_) => {}
            }
        }
    }

    fn value(&mut self, value: &Node<Value>, expected: &Type) {
        let named = expected.inner_named_type();
        match (value.as_ref(), self.schema.types.get(named)) {
            (Value::Enum(name), Some(ExtendedType::Enum(e))) => {
                let Some(why) = e.values.get(name).and_then(|v| reason(&v.directives)) else {
                    return;
                };
                let range = span(value.location());
                let mut d = Diagnostic::new(
                    Code::DeprecatedUsage,
                    range.clone(),
                    format!("`{named}.{name}` is deprecated: {why}"),
                );
                if let Some(new) = replacement(&why, e.values.keys().map(|k| k.as_str())) {
                    d = d.with_fix(format!("Use `{new}` instead"), range, new);
                }
                self.out.push(d);
            }
            (Value::List(items), _) => {
                for item in items {
                    self.value(item, expected.item_type());
                }
            }
            (Value::Object(fields), Some(ExtendedType::InputObject(input))) => {
                for (name, field_value) in fields {
                    let Some(def) = input.fields.get(name) else {
                        continue;
                    };
                    if let Some(why) = reason(&def.directives) {
                        self.out.push(Diagnostic::new(
                            Code::DeprecatedUsage,
                            span(name.location()),
                            format!("input field `{named}.{name}` is deprecated: {why}"),
                        ));
                    }
                    self.value(field_value, &def.ty);
                }
            }
            _ => {}
        }
    }
}
