//! Where a flow id written in code comes from, read from the code, never run: literals,
//! environment reads, names bound in enclosing scopes, `A || B`, lookups given strings, and
//! parameters through the calls of their function (see [`crate::surfaces::code::flow_calls`]).

use tree_sitter::Node;

use crate::surfaces::code::code_scopes::{short, Binding, Resolver};
use crate::surfaces::code::literal_values::value_tree;
use crate::surfaces::code::sdk_call::{FlowSource, MAX_HOPS};
use crate::surfaces::code::syntax::walk;

impl Resolver<'_> {
    /// A string literal's value, when `node` is one without interpolations.
    pub(super) fn string(&self, node: Node<'_>) -> Option<String> {
        match node.kind() {
            "string" => {
                let mut cursor = node.walk();
                let interpolated = node
                    .named_children(&mut cursor)
                    .any(|c| c.kind() == "interpolation");
                let raw = self.text_of(node);
                if interpolated || raw.starts_with(['f', 'F', 'b', 'B']) {
                    return None;
                }
                let value = value_tree(self.text, node).value;
                value.as_str().map(str::to_string)
            }
            "template_string" => {
                let mut cursor = node.walk();
                let substituted = node
                    .named_children(&mut cursor)
                    .any(|c| c.kind() == "template_substitution");
                let raw = self.text_of(node);
                (!substituted && raw.len() >= 2).then(|| raw[1..raw.len() - 1].to_string())
            }
            _ => None,
        }
    }

    pub(super) fn flow(&self, node: Node<'_>, hops: usize) -> FlowSource {
        if hops > MAX_HOPS {
            return FlowSource::Unknown("followed too many names".into());
        }
        if let Some(value) = self.string(node) {
            return FlowSource::Literal(value);
        }
        if let Some(name) = self.env_read(node) {
            return name;
        }
        match node.kind() {
            "parenthesized_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "await_expression" => match node.named_child(0) {
                Some(inner) => self.flow(inner, hops + 1),
                None => FlowSource::Unknown("an empty expression".into()),
            },
            "binary_expression" | "boolean_operator" => {
                let operator = node
                    .child_by_field_name("operator")
                    .map_or("", |o| self.text_of(o));
                match (
                    operator,
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    ("||" | "??" | "or", Some(left), Some(right)) => {
                        FlowSource::Any(vec![self.flow(left, hops + 1), self.flow(right, hops + 1)])
                    }
                    _ => {
                        FlowSource::Unknown(format!("`{}` is computed", short(self.text_of(node))))
                    }
                }
            }
            "identifier" | "shorthand_property_identifier" => self.identifier(node, hops),
            // A property of a config object: `FLOWS.setup` with `const FLOWS = { setup: ... }`.
            "member_expression" | "attribute" | "subscript_expression" | "subscript"
                if self.property_value(node).is_some() =>
            {
                match self.property_value(node) {
                    Some(value) => self.flow(value, hops + 1),
                    None => FlowSource::Unknown("an empty property".into()),
                }
            }
            // A helper or a lookup given strings: `requireFlowId("setup")`,
            // `steps.find(s => s.id === "setup").envKey`, `FLOWS["setup"]`.
            "call_expression"
            | "call"
            | "member_expression"
            | "attribute"
            | "subscript_expression"
            | "subscript" => {
                let strings = self.strings_inside(node);
                if strings.is_empty() {
                    FlowSource::Unknown(format!(
                        "`{}` is not a literal, an environment variable or a name bound to one",
                        short(self.text_of(node))
                    ))
                } else {
                    FlowSource::Any(strings.into_iter().map(FlowSource::Name).collect())
                }
            }
            _ => FlowSource::Unknown(format!(
                "`{}` is not a literal, an environment variable or a name bound to one",
                short(self.text_of(node))
            )),
        }
    }

    /// The value of `object.key` / `object["key"]` when `object` is a name bound to an object
    /// literal (in an enclosing scope) that has the key written out.
    pub(super) fn property_value<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        let object = node
            .child_by_field_name("object")
            .or_else(|| node.child_by_field_name("value"))?;
        if object.kind() != "identifier" {
            return None;
        }
        let key = match node.kind() {
            "member_expression" | "attribute" => {
                let property = node
                    .child_by_field_name("property")
                    .or_else(|| node.child_by_field_name("attribute"))?;
                self.text_of(property).to_string()
            }
            _ => {
                let index = node
                    .child_by_field_name("index")
                    .or_else(|| node.child_by_field_name("subscript"))?;
                self.string(index)?
            }
        };
        let Some(Binding::Value(bound)) = self.binding(object, self.text_of(object)) else {
            return None;
        };
        let bound = match bound.kind() {
            "as_expression" | "satisfies_expression" | "parenthesized_expression" => {
                bound.named_child(0)?
            }
            _ => bound,
        };
        if !matches!(bound.kind(), "object" | "dictionary") {
            return None;
        }
        let mut cursor = bound.walk();
        let found = bound
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "pair")
            .find(|pair| {
                pair.child_by_field_name("key").is_some_and(|k| {
                    let name = self.text_of(k);
                    name == key || self.string(k).as_deref() == Some(key.as_str())
                })
            })
            .and_then(|pair| pair.child_by_field_name("value"));
        found
    }

    /// `process.env.NAME`, `process.env["NAME"]`, `import.meta.env.NAME`, `os.environ["NAME"]`,
    /// `os.environ.get("NAME")`, `os.getenv("NAME")`.
    pub(super) fn env_read(&self, node: Node<'_>) -> Option<FlowSource> {
        let compact = |n: Node<'_>| -> String {
            self.text_of(n)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        let is_env = |object: &str| {
            matches!(
                object,
                "process.env" | "import.meta.env" | "os.environ" | "environ" | "Deno.env"
            )
        };
        match node.kind() {
            "member_expression" => {
                let object = node.child_by_field_name("object")?;
                let property = node.child_by_field_name("property")?;
                is_env(&compact(object))
                    .then(|| FlowSource::Env(self.text_of(property).to_string()))
            }
            "subscript_expression" | "subscript" => {
                let object = node
                    .child_by_field_name("object")
                    .or_else(|| node.child_by_field_name("value"))?;
                let index = node
                    .child_by_field_name("index")
                    .or_else(|| node.child_by_field_name("subscript"))?;
                if !is_env(&compact(object)) {
                    return None;
                }
                if let Some(name) = self.string(index) {
                    return Some(FlowSource::Env(name));
                }
                // `process.env[step.envKey]` over a lookup by step id, or a name bound to one.
                Some(match self.flow(index, 1) {
                    FlowSource::Literal(name) => FlowSource::Env(name),
                    FlowSource::Unknown(_) => FlowSource::Unknown(format!(
                        "the variable's name `{}` is computed",
                        short(self.text_of(index))
                    )),
                    other => other,
                })
            }
            "call" | "call_expression" => {
                let function = compact(node.child_by_field_name("function")?);
                let getter = matches!(
                    function.as_str(),
                    "os.getenv" | "getenv" | "os.environ.get" | "environ.get" | "Deno.env.get"
                );
                if !getter {
                    return None;
                }
                let arguments = node.child_by_field_name("arguments")?;
                let first = arguments.named_child(0)?;
                Some(match self.string(first) {
                    Some(name) => FlowSource::Env(name),
                    None => FlowSource::Unknown("the variable's name is computed".into()),
                })
            }
            _ => None,
        }
    }

    /// The string literals inside an expression (not inside nested functions' bodies' calls of
    /// other things: a lookup is short).
    pub(super) fn strings_inside(&self, node: Node<'_>) -> Vec<String> {
        let mut out = Vec::new();
        walk(node, |n| {
            if let Some(s) = self.string(n) {
                if !out.contains(&s) {
                    out.push(s);
                }
                return false;
            }
            true
        });
        out
    }

    /// A name: the value it is bound to in an enclosing scope, or, for a parameter, the
    /// arguments every call of its function in the file passes.
    pub(super) fn identifier(&self, node: Node<'_>, hops: usize) -> FlowSource {
        let name = self.text_of(node);
        match self.binding(node, name) {
            Some(Binding::Value(value)) if self.reassigned(value, name) => {
                FlowSource::Unknown(format!("`{name}` is assigned more than once"))
            }
            Some(Binding::Value(value)) => self.flow(value, hops + 1),
            Some(Binding::Parameter { function, index }) => {
                self.parameter(function, index, name, hops)
            }
            None => {
                FlowSource::Unknown(format!("`{name}` is not bound to a value flowql can read"))
            }
        }
    }

    pub(super) fn parameter(
        &self,
        function: Node<'_>,
        index: usize,
        name: &str,
        hops: usize,
    ) -> FlowSource {
        let Some(function_name) = self.function_name(function) else {
            return FlowSource::Unknown(format!(
                "`{name}` is a parameter of a function without a name"
            ));
        };
        let sources: Vec<FlowSource> = self
            .calls_of(function, function_name)
            .into_iter()
            .filter_map(|call| self.argument(call, index, name))
            .map(|argument| self.flow(argument, hops + 1))
            .collect();
        if sources.is_empty() {
            return FlowSource::Unknown(format!(
                "`{name}` is a parameter of `{function_name}`, which nothing in this file calls"
            ));
        }
        FlowSource::All(sources)
    }
}
