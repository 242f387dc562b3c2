//! Calls that run a flow from code, as apps write them: the SDKs' `executeFlow(flowId,
//! payload)` and `executeAgent(agentId, payload)` in JavaScript and TypeScript on any receiver,
//! `execute_flow` / `async_execute_flow` in Python (positional or keyword arguments). For each,
//! where its flow id comes from (read from the code, never run) and its payload literal.
//!
//! The flow id is followed through the forms apps use: a literal; `process.env.NAME`,
//! `import.meta.env.NAME`, `os.environ[...]`, `os.getenv(...)`; a `const` (or Python name) bound
//! in an enclosing scope; `A || B` / `A ?? B` / `A or B`; a call or lookup given a string
//! literal (a step id or env name: `requireFlowId("debate-setup")`); and a function parameter,
//! through every call of that function in the file. The payload: an object literal, or a name
//! bound to one in an enclosing scope and not changed afterwards.
//!
//! A wrapper (`function run(flowId, input) { return client.executeFlow(flowId, input) }`) whose
//! flow id or payload is its parameter is a call per caller in the file: each caller's own
//! flow and payload, at the caller's arguments.

use std::ops::Range;

use tree_sitter::Node;

use super::literal_values::{value_tree, ValueTree};
use super::{node_text, walk, HostLanguage};

/// Where a call's flow id comes from, as far as the code says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowSource {
    /// A string literal: the flow's id.
    Literal(String),
    /// An environment variable.
    Env(String),
    /// A string given to a helper that looks the flow up: a step id or an env name.
    Name(String),
    /// The first of these that names a known flow (`A || B`, a call with several strings).
    Any(Vec<FlowSource>),
    /// All of these, which must name the same flow (a parameter and its callers).
    All(Vec<FlowSource>),
    /// Why it cannot be known here.
    Unknown(String),
}

/// A call's payload argument.
#[derive(Debug, Clone)]
pub enum PayloadArg {
    /// An object literal, directly or through a name bound to it.
    Literal(Box<ValueTree>),
    /// Why the payload is not judged.
    Opaque(String),
}

/// One call that runs a flow.
#[derive(Debug, Clone)]
pub struct SdkCall {
    /// `executeFlow`, `execute_flow`, ...
    pub method: String,
    pub range: Range<usize>,
    /// The flow id argument (the call's name when it has none).
    pub id_range: Range<usize>,
    pub flow: FlowSource,
    pub payload: PayloadArg,
    /// Keys are written quoted in this language (Python's dicts).
    pub quoted_keys: bool,
}

/// The methods that run a flow, and whether they take an agent.
const JS_METHODS: &[&str] = &["executeFlow", "executeAgent"];
const PY_METHODS: &[&str] = &[
    "execute_flow",
    "async_execute_flow",
    "execute_agent",
    "async_execute_agent",
];

/// How deep names and parameters are followed.
const MAX_HOPS: usize = 8;

/// Every flow call of an already parsed file.
pub fn calls_in(text: &str, tree: &tree_sitter::Tree, language: HostLanguage) -> Vec<SdkCall> {
    let python = language == HostLanguage::Python;
    let mut out = Vec::new();
    walk(tree.root_node(), |node| {
        let is_call = if python {
            node.kind() == "call"
        } else {
            node.kind() == "call_expression"
        };
        if is_call {
            out.extend(sdk_calls(text, node, python));
        }
        true
    });
    out
}

/// The calls `call` stands for: itself, or, when its flow id or payload is a parameter of a
/// named function that the file calls, one call per caller (see the module's documentation).
pub(crate) fn sdk_calls(text: &str, call: Node<'_>, python: bool) -> Vec<SdkCall> {
    let Some(base) = sdk_call(text, call, python) else {
        return Vec::new();
    };
    let resolver = Resolver { text, python };
    let Some(arguments) = call.child_by_field_name("arguments") else {
        return vec![base];
    };
    let (id, payload) = arguments_of(text, arguments, python);
    let (id_parameter, payload_parameter) =
        (resolver.parameter_of(id), resolver.parameter_of(payload));
    let function = match (&id_parameter, &payload_parameter) {
        (Some((f, ..)), Some((g, ..))) if f.id() != g.id() => return vec![base],
        (Some((f, ..)), _) | (None, Some((f, ..))) => *f,
        (None, None) => return vec![base],
    };
    let Some(wrapper) = resolver.function_name(function) else {
        return vec![base];
    };
    let callers = resolver.calls_of(function, wrapper);
    if callers.is_empty() {
        return vec![base];
    }
    callers
        .into_iter()
        .map(|caller| {
            let argument = |index: usize, name: &str| resolver.argument(caller, index, name);
            let (flow, id_range) = match &id_parameter {
                Some((_, index, name)) => match argument(*index, name) {
                    Some(given) => (
                        resolver.flow(given, 1),
                        given.start_byte()..given.end_byte(),
                    ),
                    None => (
                        FlowSource::Unknown(format!("this call of `{wrapper}` gives no `{name}`")),
                        caller.start_byte()..caller.end_byte(),
                    ),
                },
                None => (base.flow.clone(), base.id_range.clone()),
            };
            let payload = match &payload_parameter {
                Some((_, index, name)) => match argument(*index, name) {
                    Some(given) => resolver.payload(given),
                    None => {
                        PayloadArg::Opaque(format!("this call of `{wrapper}` gives no `{name}`"))
                    }
                },
                None => base.payload.clone(),
            };
            SdkCall {
                method: format!("{} through `{wrapper}`", base.method),
                range: caller.start_byte()..caller.end_byte(),
                id_range,
                flow,
                payload,
                quoted_keys: python,
            }
        })
        .collect()
}

/// The method name a call invokes: `client.executeFlow(...)` and `executeFlow(...)` alike.
fn method_name<'a>(text: &'a str, function: Node<'_>) -> &'a str {
    let name = match function.kind() {
        "member_expression" => function.child_by_field_name("property"),
        "attribute" => function.child_by_field_name("attribute"),
        _ => Some(function),
    };
    name.map_or("", |n| node_text(text, n))
}

fn sdk_call(text: &str, call: Node<'_>, python: bool) -> Option<SdkCall> {
    let function = call.child_by_field_name("function")?;
    let method = method_name(text, function);
    let known = if python { PY_METHODS } else { JS_METHODS };
    if !known.contains(&method) {
        return None;
    }
    let arguments = call.child_by_field_name("arguments")?;
    let (id, payload) = arguments_of(text, arguments, python);
    let resolver = Resolver { text, python };
    let flow = match id {
        Some(id) => resolver.flow(id, 0),
        None => FlowSource::Unknown("the call names no flow".into()),
    };
    let payload = match payload {
        Some(payload) => resolver.payload(payload),
        None => PayloadArg::Opaque("the call sends no payload".into()),
    };
    let name_range = function.start_byte()..function.end_byte();
    Some(SdkCall {
        method: method.to_string(),
        range: call.start_byte()..call.end_byte(),
        id_range: id.map_or(name_range, |n| n.start_byte()..n.end_byte()),
        flow,
        payload,
        quoted_keys: python,
    })
}

/// Where the flow id written at `node` comes from (a value of a `variables` object beside a
/// query, say), followed as a call's flow id argument is.
pub(crate) fn source_at(text: &str, node: Node<'_>, python: bool) -> FlowSource {
    Resolver { text, python }.flow(node, 0)
}

/// The flow id and payload arguments: the first two positional ones, or Python's keywords.
fn arguments_of<'t>(
    text: &str,
    arguments: Node<'t>,
    python: bool,
) -> (Option<Node<'t>>, Option<Node<'t>>) {
    let mut cursor = arguments.walk();
    let all: Vec<Node<'t>> = arguments
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect();
    let mut positional = all.iter().filter(|n| n.kind() != "keyword_argument");
    let (mut id, mut payload) = (positional.next().copied(), positional.next().copied());
    if python {
        for keyword in all.iter().filter(|n| n.kind() == "keyword_argument") {
            let name = keyword
                .child_by_field_name("name")
                .map_or("", |n| node_text(text, n));
            let value = keyword.child_by_field_name("value");
            match name {
                "flow_id" | "workflow_id" | "agent_id" => id = value,
                "payload" => payload = value,
                _ => {}
            }
        }
    }
    (id, payload)
}

struct Resolver<'a> {
    text: &'a str,
    python: bool,
}

impl Resolver<'_> {
    fn text_of(&self, node: Node<'_>) -> &str {
        node_text(self.text, node)
    }

    /// A string literal's value, when `node` is one without interpolations.
    fn string(&self, node: Node<'_>) -> Option<String> {
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

    fn flow(&self, node: Node<'_>, hops: usize) -> FlowSource {
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
    fn property_value<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
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
    fn env_read(&self, node: Node<'_>) -> Option<FlowSource> {
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
    fn strings_inside(&self, node: Node<'_>) -> Vec<String> {
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
    fn identifier(&self, node: Node<'_>, hops: usize) -> FlowSource {
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

    fn parameter(&self, function: Node<'_>, index: usize, name: &str, hops: usize) -> FlowSource {
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

    /// The function `node` is a parameter of, the parameter's index and its name.
    fn parameter_of<'t>(&self, node: Option<Node<'t>>) -> Option<(Node<'t>, usize, String)> {
        let node = node.filter(|n| n.kind() == "identifier")?;
        let name = self.text_of(node);
        match self.binding(node, name)? {
            Binding::Parameter { function, index } => Some((function, index, name.to_string())),
            Binding::Value(_) => None,
        }
    }

    /// The calls of the function named `function_name` in the file `function` is in (not the
    /// calls inside the function itself, which would be recursion).
    fn calls_of<'t>(&self, function: Node<'t>, function_name: &str) -> Vec<Node<'t>> {
        let mut out = Vec::new();
        walk(root_of(function), |n| {
            let is_call = matches!(n.kind(), "call_expression" | "call");
            let inside =
                function.start_byte() <= n.start_byte() && n.end_byte() <= function.end_byte();
            if is_call && !inside {
                let callee = n.child_by_field_name("function");
                if callee.is_some_and(|c| method_name(self.text, c) == function_name) {
                    out.push(n);
                }
            }
            true
        });
        out
    }

    /// The argument a call gives for the parameter `name` at `index`: positional, or Python's
    /// keyword.
    fn argument<'t>(&self, call: Node<'t>, index: usize, name: &str) -> Option<Node<'t>> {
        let arguments = call.child_by_field_name("arguments")?;
        let mut cursor = arguments.walk();
        let all: Vec<Node<'t>> = arguments
            .named_children(&mut cursor)
            .filter(|a| a.kind() != "comment")
            .collect();
        let keyword = all.iter().find_map(|a| {
            let named = a.kind() == "keyword_argument"
                && a.child_by_field_name("name")
                    .is_some_and(|n| self.text_of(n) == name);
            if named {
                a.child_by_field_name("value")
            } else {
                None
            }
        });
        let spread = all.iter().take(index + 1).any(|a| {
            matches!(
                a.kind(),
                "spread_element" | "list_splat" | "dictionary_splat"
            )
        });
        keyword.or_else(|| {
            (!spread)
                .then(|| {
                    all.iter()
                        .filter(|a| a.kind() != "keyword_argument")
                        .nth(index)
                        .copied()
                })
                .flatten()
        })
    }

    fn function_name<'a>(&'a self, function: Node<'_>) -> Option<&'a str> {
        if let Some(name) = function.child_by_field_name("name") {
            return Some(self.text_of(name));
        }
        // `const f = (x) => ...`, `f = function (x) {...}`
        let parent = function.parent()?;
        let name = match parent.kind() {
            "variable_declarator" => parent.child_by_field_name("name")?,
            "assignment_expression" | "assignment" => parent.child_by_field_name("left")?,
            "pair" => parent.child_by_field_name("key")?,
            _ => return None,
        };
        Some(self.text_of(name))
    }

    /// Where `name`, used at `at`, is bound: the nearest enclosing scope that declares it.
    fn binding<'t>(&self, at: Node<'t>, name: &str) -> Option<Binding<'t>> {
        let mut scope = at.parent();
        while let Some(current) = scope {
            if let Some(found) = self.declared_in(current, name, at) {
                return Some(found);
            }
            scope = current.parent();
        }
        None
    }

    /// A declaration of `name` directly in `scope` (a block, a module, a function's
    /// parameters), written before `at`.
    fn declared_in<'t>(&self, scope: Node<'t>, name: &str, at: Node<'t>) -> Option<Binding<'t>> {
        let is_function = matches!(
            scope.kind(),
            "function_declaration"
                | "function_expression"
                | "function"
                | "arrow_function"
                | "method_definition"
                | "function_definition"
                | "generator_function_declaration"
        );
        if is_function {
            let parameters = scope
                .child_by_field_name("parameters")
                .or_else(|| scope.child_by_field_name("parameter"))?;
            let mut cursor = parameters.walk();
            let list: Vec<Node<'t>> = if parameters.kind() == "identifier" {
                vec![parameters]
            } else {
                parameters.named_children(&mut cursor).collect()
            };
            let index = list.iter().position(|p| {
                let pattern = p
                    .child_by_field_name("pattern")
                    .or_else(|| p.child_by_field_name("name"))
                    .unwrap_or(*p);
                let own = if p.kind() == "typed_parameter"
                    || p.kind() == "default_parameter"
                    || p.kind() == "typed_default_parameter"
                {
                    p.named_child(0).unwrap_or(*p)
                } else {
                    pattern
                };
                own.kind() == "identifier" && self.text_of(own) == name
            })?;
            return Some(Binding::Parameter {
                function: scope,
                index,
            });
        }
        let is_block = matches!(
            scope.kind(),
            "statement_block" | "program" | "module" | "block" | "class_body"
        );
        if !is_block {
            return None;
        }
        let mut cursor = scope.walk();
        let statements: Vec<Node<'t>> = scope.named_children(&mut cursor).collect();
        // A module's bindings are there before any function of it runs; a block's only
        // after their statement.
        let module = matches!(scope.kind(), "program" | "module");
        let mut found = None;
        for statement in statements {
            let after =
                statement.start_byte() >= at.start_byte() && !statement_contains(statement, at);
            if after && !module {
                break;
            }
            if let Some(value) = self.declares(statement, name) {
                found = Some(Binding::Value(value));
            }
        }
        found
    }

    /// The value a statement binds to `name`: `const name = v`, `export const name = v`,
    /// Python's `name = v`.
    fn declares<'t>(&self, statement: Node<'t>, name: &str) -> Option<Node<'t>> {
        if !self.python {
            return super::declared_value(self.text, statement, name);
        }
        let declaration = match statement.kind() {
            "expression_statement" => statement.named_child(0)?,
            _ => statement,
        };
        match declaration.kind() {
            "assignment" => {
                let left = declaration.child_by_field_name("left")?;
                (left.kind() == "identifier" && self.text_of(left) == name)
                    .then(|| declaration.child_by_field_name("right"))
                    .flatten()
            }
            _ => None,
        }
    }

    /// Whether `name` (bound at `value`) is assigned again in the scope that holds it.
    fn reassigned(&self, value: Node<'_>, name: &str) -> bool {
        if self.python {
            // Python binds by assignment: the last one before the use was taken.
            return false;
        }
        let mut again = false;
        walk(enclosing_scope(value), |n| {
            if matches!(
                n.kind(),
                "assignment_expression" | "augmented_assignment_expression"
            ) {
                let left = n.child_by_field_name("left");
                again |= left.is_some_and(|l| l.kind() == "identifier" && self.text_of(l) == name);
            }
            !again
        });
        again
    }

    fn payload(&self, node: Node<'_>) -> PayloadArg {
        let mut node = node;
        for _ in 0..MAX_HOPS {
            match node.kind() {
                "object" | "dictionary" => {
                    return PayloadArg::Literal(Box::new(value_tree(self.text, node)))
                }
                "parenthesized_expression"
                | "as_expression"
                | "satisfies_expression"
                | "non_null_expression" => match node.named_child(0) {
                    Some(inner) => node = inner,
                    None => break,
                },
                "identifier" => {
                    let name = self.text_of(node);
                    let Some(Binding::Value(value)) = self.binding(node, name) else {
                        return PayloadArg::Opaque(format!(
                            "`{name}` is not bound to an object literal here"
                        ));
                    };
                    if self.changed_after(value, name) {
                        return PayloadArg::Opaque(format!(
                            "`{name}` is changed after it is built"
                        ));
                    }
                    node = value;
                }
                _ => break,
            }
        }
        PayloadArg::Opaque(format!(
            "`{}` is not an object literal",
            short(self.text_of(node))
        ))
    }

    /// Whether the object bound to `name` (its literal at `value`) is changed in the scope that
    /// holds it: `name.x = ...`, `name[k] = ...`, `delete name.x`, `Object.assign(name, ...)`,
    /// Python's `name["x"] = ...` and `name.update(...)`.
    fn changed_after(&self, value: Node<'_>, name: &str) -> bool {
        let scope = enclosing_scope(value);
        let mut changed = false;
        walk(scope, |n| {
            if changed {
                return false;
            }
            let target = match n.kind() {
                "assignment_expression"
                | "augmented_assignment_expression"
                | "assignment"
                | "augmented_assignment" => n.child_by_field_name("left"),
                "unary_expression" if self.text_of(n).starts_with("delete") => n.named_child(0),
                "call_expression" | "call" => {
                    let function = n.child_by_field_name("function");
                    let text = function.map_or("", |f| self.text_of(f));
                    if text == "Object.assign" {
                        n.child_by_field_name("arguments")
                            .and_then(|a| a.named_child(0))
                    } else if let Some(object) = text
                        .strip_suffix(".update")
                        .or_else(|| text.strip_suffix(".setdefault"))
                    {
                        (object == name).then_some(n)
                    } else {
                        None
                    }
                }
                _ => None,
            };
            if let Some(target) = target {
                let direct = matches!(n.kind(), "call" | "call_expression") && target == n;
                // `name = {...}` binds the name (Python's declaration); `name.x = ...` and
                // `name[k] = ...` change the object.
                let part = matches!(
                    target.kind(),
                    "member_expression" | "subscript_expression" | "attribute" | "subscript"
                );
                let object = target
                    .child_by_field_name("object")
                    .or_else(|| target.child_by_field_name("value"));
                let of_name = match n.kind() {
                    "call_expression" | "call" => self.text_of(target) == name,
                    _ => part && object.is_some_and(|o| self.text_of(o) == name),
                };
                if direct || of_name {
                    changed = true;
                }
            }
            true
        });
        changed
    }
}

enum Binding<'t> {
    Value(Node<'t>),
    Parameter { function: Node<'t>, index: usize },
}

fn statement_contains(statement: Node<'_>, at: Node<'_>) -> bool {
    statement.start_byte() <= at.start_byte() && at.end_byte() <= statement.end_byte()
}

fn root_of(node: Node<'_>) -> Node<'_> {
    let mut current = node;
    while let Some(parent) = current.parent() {
        current = parent;
    }
    current
}

/// The block or module that holds a node.
fn enclosing_scope(node: Node<'_>) -> Node<'_> {
    let mut current = node;
    while let Some(parent) = current.parent() {
        if matches!(
            parent.kind(),
            "statement_block" | "program" | "module" | "block"
        ) {
            return parent;
        }
        current = parent;
    }
    current
}

/// An expression's text for a message: one line, at most 60 characters.
fn short(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 60 {
        format!("{}...", line.chars().take(57).collect::<String>())
    } else {
        line
    }
}
