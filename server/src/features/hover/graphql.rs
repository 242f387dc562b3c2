//! Hover: what the thing under the cursor is (type and schema description), and what every
//! diagnostic there means (message, code, HTTP status, fix).

use std::ops::Range;

use apollo_compiler::ast::{Type, Value};
use apollo_compiler::executable::{Operation, Selection, SelectionSet};
use apollo_compiler::schema::{ExtendedType, FieldDefinition, InputValueDefinition};
use apollo_compiler::{Name, Node};

use crate::base::catalog::status_text;
use crate::base::span::span;
use crate::checks::document::Analysis;

/// Markdown to show, and the range it is about (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverInfo {
    pub range: Range<usize>,
    pub markdown: String,
}

/// The hover at a byte offset, or `None` when there is nothing to say.
pub fn hover(analysis: &Analysis, offset: usize, docs_base: &str) -> Option<HoverInfo> {
    // A flow call's flow id or payload key; other names (a variable as the id) are GraphQL's.
    let symbol = crate::features::hover::flows::hover(&analysis.flow_calls, offset, true)
        .or_else(|| Finder::new(analysis, offset).find());
    compose(symbol, analysis, offset, docs_base)
}

/// Hover in a code file outside its GraphQL literals: a flow call's flow or payload key, and
/// the diagnostics there.
pub fn hover_in_code(analysis: &Analysis, offset: usize, docs_base: &str) -> Option<HoverInfo> {
    let symbol = crate::features::hover::flows::hover(&analysis.flow_calls, offset, false);
    compose(symbol, analysis, offset, docs_base)
}

/// In a code file's GraphQL literal: the hover of a flow call the host resolved there (a raw
/// query's flow id, followed into the `variables` object beside it), if the offset is on one.
pub fn hover_on_resolved_call(
    analysis: &Analysis,
    offset: usize,
    docs_base: &str,
) -> Option<HoverInfo> {
    let symbol = crate::features::hover::flows::hover(&analysis.flow_calls, offset, true)?;
    compose(Some(symbol), analysis, offset, docs_base)
}

/// A symbol's text, then every diagnostic at the offset with its status and fix.
fn compose(
    symbol: Option<(Range<usize>, String)>,
    analysis: &Analysis,
    offset: usize,
    docs_base: &str,
) -> Option<HoverInfo> {
    let diagnostics: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| contains(&d.range, offset))
        .collect();
    if symbol.is_none() && diagnostics.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    let mut range = None;
    if let Some((symbol_range, text)) = symbol {
        parts.push(text);
        range = Some(symbol_range);
    }
    for d in &diagnostics {
        parts.push(format!(
            "**{severity} [`{code}`]({url})**: {message}\n\n{status}\n\n**Fix:** {fix}",
            severity = d.severity.as_str(),
            code = d.code,
            url = d.code.docs_url(docs_base),
            message = d.message,
            status = status_text(d.code.entry()),
            fix = d.fix(),
        ));
    }
    let range = range.unwrap_or_else(|| diagnostics[0].range.clone());
    Some(HoverInfo {
        range,
        markdown: parts.join("\n\n---\n\n"),
    })
}

/// An offset inside a range; an empty range matches its own position.
fn contains(range: &Range<usize>, offset: usize) -> bool {
    range.contains(&offset) || (range.is_empty() && range.start == offset) || range.end == offset
}

fn name_range(name: &Name) -> Range<usize> {
    span(name.location())
}

struct Finder<'a> {
    analysis: &'a Analysis,
    offset: usize,
}

type Found = Option<(Range<usize>, String)>;

impl<'a> Finder<'a> {
    fn new(analysis: &'a Analysis, offset: usize) -> Self {
        Finder { analysis, offset }
    }

    fn hit(&self, range: &Range<usize>) -> bool {
        !range.is_empty() && range.start <= self.offset && self.offset <= range.end
    }

    fn find(&self) -> Found {
        let doc = &self.analysis.executable;
        for op in doc.operations.iter() {
            if let Some(found) = self.in_operation(op) {
                return Some(found);
            }
        }
        let own_file = self.analysis.ast.sources.keys().last().copied();
        // Fragments of other documents (added for validation) have their own files' ranges.
        let own = doc
            .fragments
            .values()
            .filter(|f| f.location().map(|l| l.file_id()) == own_file);
        for fragment in own {
            let ty = &fragment.selection_set.ty;
            if self.hit(&name_range(ty)) {
                return Some((name_range(ty), self.type_text(ty)));
            }
            if let Some(found) = self.in_selection_set(&fragment.selection_set) {
                return Some(found);
            }
        }
        None
    }

    fn in_operation(&self, op: &Node<Operation>) -> Found {
        for var in &op.variables {
            let ty_range = span(var.ty.location());
            if self.hit(&ty_range) {
                return Some((ty_range, self.type_text(var.ty.inner_named_type())));
            }
            let var_range = span(var.location());
            if self.hit(&var_range) {
                return Some((var_range, variable_text(&var.name, &var.ty)));
            }
        }
        self.in_selection_set(&op.selection_set)
    }

    fn in_selection_set(&self, set: &SelectionSet) -> Found {
        for selection in &set.selections {
            let found = match selection {
                Selection::Field(field) => {
                    if !self.hit(&span(field.location())) {
                        continue;
                    }
                    let name = name_range(&field.name);
                    let alias = field.alias.as_ref().map(name_range);
                    if self.hit(&name) || alias.as_ref().is_some_and(|a| self.hit(a)) {
                        return Some((name, field_text(&set.ty, &field.definition)));
                    }
                    for arg in &field.arguments {
                        let arg_name = name_range(&arg.name);
                        let def = field.definition.argument_by_name(&arg.name);
                        if self.hit(&arg_name) {
                            if let Some(def) = def {
                                return Some((arg_name, argument_text(def)));
                            }
                        }
                        if let Some(found) = self.in_value(&arg.value, def.map(|d| d.ty.as_ref())) {
                            return Some(found);
                        }
                    }
                    self.in_selection_set(&field.selection_set)
                }
                Selection::FragmentSpread(spread) => {
                    let name = name_range(&spread.fragment_name);
                    if !self.hit(&name) {
                        continue;
                    }
                    let fragment = self
                        .analysis
                        .executable
                        .fragments
                        .get(&spread.fragment_name);
                    let text = match fragment {
                        Some(f) => format!(
                            "```graphql\nfragment {} on {}\n```{}",
                            spread.fragment_name,
                            f.selection_set.ty,
                            self.description_of(&f.selection_set.ty)
                        ),
                        None => format!(
                            "fragment `{}` (not defined in this document)",
                            spread.fragment_name
                        ),
                    };
                    Some((name, text))
                }
                Selection::InlineFragment(inline) => {
                    if let Some(ty) = &inline.type_condition {
                        if self.hit(&name_range(ty)) {
                            return Some((name_range(ty), self.type_text(ty)));
                        }
                    }
                    self.in_selection_set(&inline.selection_set)
                }
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// Variables and enum values inside an argument's value.
    fn in_value(&self, value: &Node<Value>, expected: Option<&Type>) -> Found {
        if !self.hit(&span(value.location())) {
            return None;
        }
        match value.as_ref() {
            Value::Variable(name) => {
                let range = span(value.location());
                let declared = self
                    .analysis
                    .executable
                    .operations
                    .iter()
                    .flat_map(|op| op.variables.iter())
                    .find(|v| v.name == *name);
                Some(match declared {
                    Some(var) => (range, variable_text(&var.name, &var.ty)),
                    None => (range, format!("`${name}` is not declared by the operation")),
                })
            }
            Value::Enum(name) => {
                let ty = expected?.inner_named_type();
                let ExtendedType::Enum(e) = self.analysis.schema.schema.types.get(ty)? else {
                    return None;
                };
                let def = e.values.get(name)?;
                let description = def
                    .description
                    .as_ref()
                    .map(|d| format!("\n\n{d}"))
                    .unwrap_or_default();
                Some((
                    span(value.location()),
                    format!("```graphql\n{ty}.{name}\n```{description}"),
                ))
            }
            Value::List(items) => items
                .iter()
                .find_map(|item| self.in_value(item, expected.map(|t| t.item_type()))),
            Value::Object(fields) => fields.iter().find_map(|(_, v)| self.in_value(v, None)),
            _ => None,
        }
    }

    fn type_text(&self, name: &Name) -> String {
        let kind = match self.analysis.schema.schema.types.get(name) {
            Some(ExtendedType::Scalar(_)) => "scalar",
            Some(ExtendedType::Object(_)) => "type",
            Some(ExtendedType::Interface(_)) => "interface",
            Some(ExtendedType::Union(_)) => "union",
            Some(ExtendedType::Enum(_)) => "enum",
            Some(ExtendedType::InputObject(_)) => "input",
            None => {
                return format!(
                    "`{name}`: not a type of {}",
                    self.analysis.schema.source.describe()
                )
            }
        };
        format!(
            "```graphql\n{kind} {name}\n```{}",
            self.description_of(name)
        )
    }

    fn description_of(&self, name: &Name) -> String {
        self.analysis
            .schema
            .schema
            .types
            .get(name)
            .and_then(|t| t.description())
            .map(|d| format!("\n\n{}", d.trim()))
            .unwrap_or_default()
    }
}

fn field_text(parent: &Name, def: &FieldDefinition) -> String {
    let args: Vec<String> = def
        .arguments
        .iter()
        .map(|a| format!("{}: {}", a.name, a.ty))
        .collect();
    let args = if args.is_empty() {
        String::new()
    } else {
        format!("({})", args.join(", "))
    };
    let description = def
        .description
        .as_ref()
        .map(|d| format!("\n\n{}", d.trim()))
        .unwrap_or_default();
    format!(
        "```graphql\n{parent}.{}{args}: {}\n```{description}",
        def.name, def.ty
    )
}

fn argument_text(def: &InputValueDefinition) -> String {
    let default = def
        .default_value
        .as_ref()
        .map(|v| format!(" = {v}"))
        .unwrap_or_default();
    let description = def
        .description
        .as_ref()
        .map(|d| format!("\n\n{}", d.trim()))
        .unwrap_or_default();
    format!(
        "```graphql\n{}: {}{default}\n```{description}",
        def.name, def.ty
    )
}

fn variable_text(name: &Name, ty: &Type) -> String {
    format!("```graphql\n${name}: {ty}\n```")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::checks::document::analyze;
    use crate::schema::{from_sdl, SchemaSource};

    const SDL: &str = r#"
"Where the work is."
type Query {
  "Runs a job."
  run(
    "The job's ID."
    id: String!
    "How urgent."
    priority: Priority = NORMAL
  ): Job
}
"How urgent a job is."
enum Priority {
  "Whenever."
  LOW
  NORMAL
  "Right now."
  HIGH
}
"A job."
type Job { status: String }
"#;

    /// Hover at the `$0` marker of `fixture` (the marker is removed before analysis).
    fn hover_at(fixture: &str) -> Option<HoverInfo> {
        let offset = fixture.find("$0").expect("fixture has $0");
        let text = fixture.replace("$0", "");
        let schema = Arc::new(from_sdl(
            &[(SDL, "schema.graphql")],
            SchemaSource::Files(vec![]),
        ));
        let analysis = analyze(&text, schema);
        hover(&analysis, offset, "https://docs.test/errors.md")
    }

    fn markdown(fixture: &str) -> String {
        hover_at(fixture).expect("a hover").markdown
    }

    #[test]
    fn field_shows_signature_and_description() {
        let text = markdown("query Q($id: String!) { r$0un(id: $id) { status } }");
        assert!(
            text.contains("Query.run(id: String!, priority: Priority): Job"),
            "{text}"
        );
        assert!(text.contains("Runs a job."), "{text}");
    }

    #[test]
    fn field_range_is_its_name() {
        let info = hover_at("query Q($id: String!) { run(id: $id) { sta$0tus } }").unwrap();
        assert_eq!(info.range, 39..45);
        assert!(
            info.markdown.contains("Job.status: String"),
            "{}",
            info.markdown
        );
    }

    #[test]
    fn argument_shows_type_default_and_description() {
        let text = markdown("query Q($id: String!) { run(id: $id, prio$0rity: HIGH) { status } }");
        assert!(text.contains("priority: Priority = NORMAL"), "{text}");
        assert!(text.contains("How urgent."), "{text}");
    }

    #[test]
    fn enum_value_shows_its_description() {
        let text = markdown("query Q($id: String!) { run(id: $id, priority: HI$0GH) { status } }");
        assert!(text.contains("Priority.HIGH"), "{text}");
        assert!(text.contains("Right now."), "{text}");
    }

    #[test]
    fn variable_use_shows_its_declared_type() {
        let text = markdown("query Q($id: String!) { run(id: $i$0d) { status } }");
        assert!(text.contains("$id: String!"), "{text}");
    }

    #[test]
    fn variable_definition_and_its_type() {
        assert!(
            markdown("query Q($i$0d: String!) { run(id: $id) { status } }")
                .contains("$id: String!")
        );
        let text = markdown("query Q($id: Str$0ing!) { run(id: $id) { status } }");
        assert!(text.contains("scalar String"), "{text}");
    }

    #[test]
    fn fragment_spread_and_type_condition() {
        let doc =
            "query Q { run(id: \"a\") { ...Job$0Fields } }\nfragment JobFields on Job { status }";
        let text = markdown(doc);
        assert!(text.contains("fragment JobFields on Job"), "{text}");
        assert!(text.contains("A job."), "{text}");
        let doc =
            "query Q { run(id: \"a\") { ...JobFields } }\nfragment JobFields on J$0ob { status }";
        assert!(markdown(doc).contains("type Job"));
    }

    #[test]
    fn diagnostic_hover_has_code_status_fix_and_link() {
        let text = markdown("query Q { run(id: \"a\") { stat$0su } }");
        assert!(
            text.contains("[`UNKNOWN_FIELD`](https://docs.test/errors.md#UNKNOWN_FIELD)"),
            "{text}"
        );
        assert!(text.contains("HTTP 400"), "{text}");
        assert!(text.contains("**Fix:**"), "{text}");
        assert!(text.contains("did you mean `status`?"), "{text}");
    }

    #[test]
    fn nothing_to_say_on_punctuation() {
        assert_eq!(hover_at("query Q { run(id: \"a\") $0 { status } }"), None);
    }
}
