//! From a name in an operation to its definition in the schema: fields, types (conditions and
//! variable types), arguments, enum values, input fields and directives. Gives the schema
//! source's file name, text and the byte range of the defining name; no protocol types.

use std::ops::Range;

use apollo_compiler::ast::{Type, Value};
use apollo_compiler::executable::{Directive, Selection, SelectionSet};
use apollo_compiler::parser::SourceSpan;
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::{Name, Node, Schema};

use crate::base::span::span;
use crate::checks::document::Analysis;

/// A definition of the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaTarget {
    Type(String),
    Field {
        parent: String,
        field: String,
    },
    Argument {
        parent: String,
        field: String,
        argument: String,
    },
    DirectiveArgument {
        directive: String,
        argument: String,
    },
    EnumValue {
        ty: String,
        value: String,
    },
    InputField {
        ty: String,
        field: String,
    },
    Directive(String),
}

/// Where a definition is written: the schema source's path (as the schema was built with it),
/// that source's whole text, and the defining name's bytes in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaLocation {
    pub path: std::path::PathBuf,
    pub text: String,
    pub range: Range<usize>,
}

/// The schema definition named at `offset`, if any.
pub fn target_at(analysis: &Analysis, offset: usize) -> Option<SchemaTarget> {
    let walker = Walker { analysis, offset };
    let doc = &analysis.executable;
    let own_file = analysis.ast.sources.keys().last().copied();
    for op in doc.operations.iter() {
        for var in &op.variables {
            if walker.hit(&span(var.ty.location())) {
                return Some(SchemaTarget::Type(var.ty.inner_named_type().to_string()));
            }
            if let Some(default) = &var.default_value {
                if let Some(found) = walker.value(default, Some(&var.ty)) {
                    return Some(found);
                }
            }
        }
        if let Some(found) = walker
            .directives(&op.directives)
            .or_else(|| walker.selections(&op.selection_set))
        {
            return Some(found);
        }
    }
    for fragment in doc.fragments.values() {
        if fragment.location().map(|l| l.file_id()) != own_file {
            continue;
        }
        let ty = &fragment.selection_set.ty;
        if walker.hit_name(ty) {
            return Some(SchemaTarget::Type(ty.to_string()));
        }
        if let Some(found) = walker
            .directives(&fragment.directives)
            .or_else(|| walker.selections(&fragment.selection_set))
        {
            return Some(found);
        }
    }
    None
}

struct Walker<'a> {
    analysis: &'a Analysis,
    offset: usize,
}

impl Walker<'_> {
    fn hit(&self, range: &Range<usize>) -> bool {
        !range.is_empty() && range.start <= self.offset && self.offset <= range.end
    }

    fn hit_name(&self, name: &Name) -> bool {
        self.hit(&span(name.location()))
    }

    fn schema(&self) -> &Schema {
        &self.analysis.schema.schema
    }

    fn selections(&self, set: &SelectionSet) -> Option<SchemaTarget> {
        for selection in &set.selections {
            let found = match selection {
                Selection::Field(field) => {
                    if !self.hit(&span(field.location())) {
                        continue;
                    }
                    if self.hit_name(&field.name) {
                        return Some(SchemaTarget::Field {
                            parent: set.ty.to_string(),
                            field: field.name.to_string(),
                        });
                    }
                    for argument in &field.arguments {
                        let def = field.definition.argument_by_name(&argument.name);
                        if self.hit_name(&argument.name) {
                            return Some(SchemaTarget::Argument {
                                parent: set.ty.to_string(),
                                field: field.name.to_string(),
                                argument: argument.name.to_string(),
                            });
                        }
                        if let Some(found) = self.value(&argument.value, def.map(|d| &*d.ty)) {
                            return Some(found);
                        }
                    }
                    self.directives(&field.directives)
                        .or_else(|| self.selections(&field.selection_set))
                }
                Selection::FragmentSpread(spread) => self.directives(&spread.directives),
                Selection::InlineFragment(inline) => {
                    if let Some(ty) = &inline.type_condition {
                        if self.hit_name(ty) {
                            return Some(SchemaTarget::Type(ty.to_string()));
                        }
                    }
                    self.directives(&inline.directives)
                        .or_else(|| self.selections(&inline.selection_set))
                }
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    fn directives(
        &self,
        directives: &apollo_compiler::executable::DirectiveList,
    ) -> Option<SchemaTarget> {
        directives.iter().find_map(|d| self.directive(d))
    }

    fn directive(&self, directive: &Node<Directive>) -> Option<SchemaTarget> {
        if !self.hit(&span(directive.location())) {
            return None;
        }
        if self.hit_name(&directive.name) {
            return Some(SchemaTarget::Directive(directive.name.to_string()));
        }
        let definition = self.schema().directive_definitions.get(&directive.name);
        for argument in &directive.arguments {
            if self.hit_name(&argument.name) {
                return Some(SchemaTarget::DirectiveArgument {
                    directive: directive.name.to_string(),
                    argument: argument.name.to_string(),
                });
            }
            let ty = definition
                .and_then(|d| d.argument_by_name(&argument.name))
                .map(|a| &*a.ty);
            if let Some(found) = self.value(&argument.value, ty) {
                return Some(found);
            }
        }
        None
    }

    fn value(&self, value: &Node<Value>, expected: Option<&Type>) -> Option<SchemaTarget> {
        if !self.hit(&span(value.location())) {
            return None;
        }
        let named = expected.map(|t| t.inner_named_type().to_string());
        match value.as_ref() {
            Value::Enum(name) => Some(SchemaTarget::EnumValue {
                ty: named?,
                value: name.to_string(),
            }),
            Value::List(items) => items
                .iter()
                .find_map(|item| self.value(item, expected.map(Type::item_type))),
            Value::Object(fields) => {
                let ty = named?;
                let input = match self.schema().types.get(ty.as_str()) {
                    Some(ExtendedType::InputObject(input)) => Some(input),
                    _ => None,
                };
                for (name, field_value) in fields {
                    if self.hit_name(name) {
                        return Some(SchemaTarget::InputField {
                            ty,
                            field: name.to_string(),
                        });
                    }
                    let field_ty = input.and_then(|i| i.fields.get(name)).map(|f| &*f.ty);
                    if let Some(found) = self.value(field_value, field_ty) {
                        return Some(found);
                    }
                }
                None
            }
            _ => None,
        }
    }
}

/// Where `target` is defined in `schema`: built-in definitions (`String`, `@skip`) have no
/// source and give `None`.
pub fn locate(schema: &Schema, target: &SchemaTarget) -> Option<SchemaLocation> {
    let name_span = |name: &Name| name.location();
    let located: Option<SourceSpan> = match target {
        SchemaTarget::Type(name) => type_name_location(schema, name),
        SchemaTarget::Field { parent, field } => schema
            .type_field(parent, field)
            .ok()
            .and_then(|f| name_span(&f.name)),
        SchemaTarget::Argument {
            parent,
            field,
            argument,
        } => schema
            .type_field(parent, field)
            .ok()?
            .argument_by_name(argument)
            .and_then(|a| name_span(&a.name)),
        SchemaTarget::DirectiveArgument {
            directive,
            argument,
        } => schema
            .directive_definitions
            .get(directive.as_str())?
            .argument_by_name(argument)
            .and_then(|a| name_span(&a.name)),
        SchemaTarget::EnumValue { ty, value } => match schema.types.get(ty.as_str())? {
            ExtendedType::Enum(e) => e.values.get(value.as_str())?.value.location(),
            _ => None,
        },
        SchemaTarget::InputField { ty, field } => match schema.types.get(ty.as_str())? {
            ExtendedType::InputObject(i) => name_span(&i.fields.get(field.as_str())?.name),
            _ => None,
        },
        SchemaTarget::Directive(name) => schema
            .directive_definitions
            .get(name.as_str())
            .and_then(|d| name_span(&d.name)),
    };
    let located = located?;
    let source = schema.sources.get(&located.file_id())?;
    Some(SchemaLocation {
        path: source.path().to_path_buf(),
        text: source.source_text().to_string(),
        range: located.offset()..located.end_offset(),
    })
}

fn type_name_location(schema: &Schema, name: &str) -> Option<SourceSpan> {
    let ty = schema.types.get(name)?;
    let name = match ty {
        ExtendedType::Scalar(t) => &t.name,
        ExtendedType::Object(t) => &t.name,
        ExtendedType::Interface(t) => &t.name,
        ExtendedType::Union(t) => &t.name,
        ExtendedType::Enum(t) => &t.name,
        ExtendedType::InputObject(t) => &t.name,
    };
    name.location()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::document::analyze;
    use crate::checks::document::testing::{cursor, library, LIBRARY_SDL};

    /// The schema text the `$0` of `fixture` leads to (the defining name, and the line it is on).
    fn goes_to(fixture: &str) -> Option<(String, String)> {
        let (location, name, line) = located(fixture)?;
        assert_eq!(location.text, LIBRARY_SDL);
        Some((name, line))
    }

    fn located(fixture: &str) -> Option<(SchemaLocation, String, String)> {
        let (text, offset) = cursor(fixture);
        let analysis = analyze(&text, library());
        let target = target_at(&analysis, offset)?;
        let location = locate(&analysis.schema.schema, &target)?;
        let name = location.text[location.range.clone()].to_string();
        let line_start = location.text[..location.range.start]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line_end = location.text[location.range.start..]
            .find('\n')
            .map_or(location.text.len(), |i| location.range.start + i);
        let line = location.text[line_start..line_end].trim().to_string();
        Some((location, name, line))
    }

    fn line(fixture: &str) -> String {
        goes_to(fixture).expect("a definition").1
    }

    #[test]
    fn fields_arguments_and_types() {
        assert_eq!(line("{ bo$0ok(id: 1) { id } }"), "book(id: ID!): Book");
        assert_eq!(line("{ book(id: 1) { ti$0tle } }"), "title: String!");
        assert_eq!(
            goes_to("{ search(te$0xt: \"a\") { __typename } }"),
            Some((
                "text".into(),
                "search(text: String!, kinds: [Kind!]): [SearchResult]".into()
            ))
        );
        assert_eq!(
            line("{ node(id: 1) { ... on Bo$0ok { id } } }"),
            "type Book implements Node {"
        );
        assert_eq!(
            line("fragment F on Aut$0hor { id }\nquery { node(id: 1) { ...F } }"),
            "type Author implements Node {"
        );
        assert_eq!(
            line("query Q($f: BookFil$0ter) { books(filter: $f) { id } }"),
            "input BookFilter {"
        );
        assert_eq!(
            line("query Q($f: [Ki$0nd!]) { search(text: \"\", kinds: $f) { __typename } }"),
            "enum Kind {"
        );
    }

    #[test]
    fn enum_values_input_fields_and_directives() {
        assert_eq!(line("{ books(order: NEW$0EST) { id } }"), "NEWEST");
        assert_eq!(
            line("{ search(text: \"\", kinds: [NOVEL, POE$0TRY]) { __typename } }"),
            "POETRY"
        );
        assert_eq!(
            line("{ books(filter: { published: { fr$0om: \"2020\" } }) { id } }"),
            "from: String!"
        );
        assert_eq!(line("{ books(filter: { kind: ESS$0AY }) { id } }"), "ESSAY");
        assert_eq!(
            line("{ book(id: 1) @cach$0ed(ttl: 5) { id } }"),
            "directive @cached(ttl: Int!) on FIELD"
        );
        assert_eq!(
            goes_to("{ book(id: 1) @cached(tt$0l: 5) { id } }")
                .unwrap()
                .0,
            "ttl"
        );
    }

    #[test]
    fn built_ins_lead_to_their_specified_definitions_and_unknown_names_nowhere() {
        let (location, _, line) = located("query Q($s: Stri$0ng) { book(id: $s) { id } }").unwrap();
        assert_eq!(line, "scalar String");
        assert_ne!(location.text, LIBRARY_SDL);
        let (_, name, _) = located("{ book(id: 1) @inclu$0de(if: true) { id } }").unwrap();
        assert_eq!(name, "include");
        assert_eq!(goes_to("{ bok$0 { id } }"), None);
        assert_eq!(goes_to("{ book(id: 1) { id } }\n$0"), None);
    }
}
