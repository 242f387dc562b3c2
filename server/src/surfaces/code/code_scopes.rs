//! Names and scopes in code, for following a flow id or a payload to what it is bound to:
//! the binding of a name (a value, or a parameter of a function), the calls of a function and
//! their arguments, and whether a bound object is changed after it is built. The `Resolver`
//! that reads one file is here; `flow_source.rs` adds how it follows a flow id.

use tree_sitter::Node;

use crate::surfaces::code::sdk_call::{method_name, PayloadArg, MAX_HOPS};

use crate::surfaces::code::literal_values::value_tree;
use crate::surfaces::code::syntax::{node_text, walk};

/// Reads one file's code for flow ids and payloads.
pub(super) struct Resolver<'a> {
    pub(super) text: &'a str,
    pub(super) python: bool,
}

impl Resolver<'_> {
    pub(super) fn text_of(&self, node: Node<'_>) -> &str {
        node_text(self.text, node)
    }

    /// The function `node` is a parameter of, the parameter's index and its name.
    pub(super) fn parameter_of<'t>(
        &self,
        node: Option<Node<'t>>,
    ) -> Option<(Node<'t>, usize, String)> {
        let node = node.filter(|n| n.kind() == "identifier")?;
        let name = self.text_of(node);
        match self.binding(node, name)? {
            Binding::Parameter { function, index } => Some((function, index, name.to_string())),
            Binding::Value(_) => None,
        }
    }

    /// The calls of the function named `function_name` in the file `function` is in (not the
    /// calls inside the function itself, which would be recursion).
    pub(super) fn calls_of<'t>(&self, function: Node<'t>, function_name: &str) -> Vec<Node<'t>> {
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
    pub(super) fn argument<'t>(
        &self,
        call: Node<'t>,
        index: usize,
        name: &str,
    ) -> Option<Node<'t>> {
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

    pub(super) fn function_name<'a>(&'a self, function: Node<'_>) -> Option<&'a str> {
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
    pub(super) fn binding<'t>(&self, at: Node<'t>, name: &str) -> Option<Binding<'t>> {
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
    pub(super) fn declared_in<'t>(
        &self,
        scope: Node<'t>,
        name: &str,
        at: Node<'t>,
    ) -> Option<Binding<'t>> {
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
    pub(super) fn declares<'t>(&self, statement: Node<'t>, name: &str) -> Option<Node<'t>> {
        if !self.python {
            return crate::surfaces::code::syntax::declared_value(self.text, statement, name);
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
    pub(super) fn reassigned(&self, value: Node<'_>, name: &str) -> bool {
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

    pub(super) fn payload(&self, node: Node<'_>) -> PayloadArg {
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
    pub(super) fn changed_after(&self, value: Node<'_>, name: &str) -> bool {
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

pub(super) enum Binding<'t> {
    Value(Node<'t>),
    Parameter { function: Node<'t>, index: usize },
}

pub(super) fn statement_contains(statement: Node<'_>, at: Node<'_>) -> bool {
    statement.start_byte() <= at.start_byte() && at.end_byte() <= statement.end_byte()
}

pub(super) fn root_of(node: Node<'_>) -> Node<'_> {
    let mut current = node;
    while let Some(parent) = current.parent() {
        current = parent;
    }
    current
}

/// The block or module that holds a node.
pub(super) fn enclosing_scope(node: Node<'_>) -> Node<'_> {
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
pub(super) fn short(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 60 {
        format!("{}...", line.chars().take(57).collect::<String>())
    } else {
        line
    }
}
