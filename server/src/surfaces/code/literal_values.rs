//! The `variables` object written beside a query: in JavaScript or TypeScript (`axios.post(url,
//! { query, variables: { workflowId: "...", payload: {...} } })`, `JSON.stringify({ query,
//! variables })`) and in Python (`requests.post(url, json={"query": QUERY, "variables": {...}})`):
//! its literal values as JSON, where each part is in the host file, and which parts are
//! expressions whose values are not known.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde_json::{Map, Number, Value};
use tree_sitter::Node;

use crate::flows::validate::Segment;
use crate::surfaces::code::syntax::{node_text, HostLanguage};
use crate::surfaces::places::Places;

/// Which query a `variables` object is sent with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryRef {
    /// `query` or `query: NAME`: the literal bound to that name.
    Binding(String),
    /// `query: \`...\`` (or a tagged template): the literal whose content is at this range.
    Inline(Range<usize>),
}

/// One `variables` object literal.
#[derive(Debug, Clone)]
pub struct VariablesLiteral {
    pub query: QueryRef,
    pub values: Map<String, Value>,
    places: LiteralPlaces,
    /// A wrapper's second argument, which may be options rather than variables: checked only
    /// when every key is a variable the operation declares.
    pub only_if_declared: bool,
}

impl VariablesLiteral {
    pub fn places(&self) -> &dyn Places {
        &self.places
    }

    /// The host range of a top-level key.
    pub fn key_range(&self, key: &str) -> Option<Range<usize>> {
        self.places
            .keys
            .get(&vec![Segment::Key(key.to_string())])
            .cloned()
    }

    /// The value of the top-level variable `key` as a value tree of its own (paths relative to
    /// it), for the flow-call checker; `None` when it is not written here.
    pub fn variable_tree(&self, key: &str) -> Option<ValueTree> {
        let value = self.values.get(key)?.clone();
        let prefix = Segment::Key(key.to_string());
        let under = |path: &Vec<Segment>| -> Option<Vec<Segment>> {
            (path.first() == Some(&prefix)).then(|| path[1..].to_vec())
        };
        let ranges = |map: &HashMap<Vec<Segment>, Range<usize>>| {
            map.iter()
                .filter_map(|(p, r)| Some((under(p)?, r.clone())))
                .collect()
        };
        let paths = |set: &HashSet<Vec<Segment>>| set.iter().filter_map(under).collect();
        let mut keys: HashMap<Vec<Segment>, Range<usize>> = ranges(&self.places.keys);
        // The variable's own key is not one of the payload's.
        keys.remove(&Vec::new());
        Some(ValueTree {
            value,
            places: LiteralPlaces {
                keys,
                values: ranges(&self.places.values),
                unknown: paths(&self.places.unknown),
                open: paths(&self.places.open),
            },
        })
    }
}

/// Where each part of a literal is in the host text, and which parts are not known.
#[derive(Debug, Clone, Default)]
pub struct LiteralPlaces {
    /// The host range of each value, by path (the root is the empty path).
    pub values: HashMap<Vec<Segment>, Range<usize>>,
    /// The host range of each object key, by the path of its value.
    pub keys: HashMap<Vec<Segment>, Range<usize>>,
    /// Values that are expressions (`null` in the JSON).
    pub unknown: HashSet<Vec<Segment>>,
    /// Objects with a spread or a computed key: they may have more keys.
    pub open: HashSet<Vec<Segment>>,
}

/// A JavaScript or Python literal read as a JSON value (expressions are `null`, and unknown),
/// with its places.
#[derive(Debug, Clone)]
pub struct ValueTree {
    pub value: Value,
    pub places: LiteralPlaces,
}

/// Reads an object, array or scalar literal of JavaScript, TypeScript or Python as JSON;
/// what is not a literal (a name, a call, a template with substitutions) is unknown.
pub fn value_tree(text: &str, node: Node<'_>) -> ValueTree {
    let mut builder = Builder {
        text,
        places: LiteralPlaces::default(),
        depth: 0,
    };
    let value = builder.value(node, &mut Vec::new());
    ValueTree {
        value,
        places: builder.places,
    }
}

impl Places for LiteralPlaces {
    fn value(&self, path: &[Segment]) -> Option<Range<usize>> {
        self.values.get(path).cloned()
    }
    fn key(&self, path: &[Segment]) -> Option<Range<usize>> {
        self.keys.get(path).cloned()
    }
    fn unknown(&self, path: &[Segment]) -> bool {
        self.unknown.contains(path)
    }
    fn open(&self, path: &[Segment]) -> bool {
        self.open.contains(path)
    }
}

/// Every object literal with a `query` and a `variables: { ... }` property.
pub fn variables_literals(text: &str, language: HostLanguage) -> Vec<VariablesLiteral> {
    // The one parse of code (with its budget), as everywhere else.
    match crate::surfaces::code::syntax::parse(text, language) {
        Some(tree) => variables_literals_in(text, &tree),
        None => Vec::new(),
    }
}

/// [`variables_literals`] of an already parsed file.
pub fn variables_literals_in(text: &str, tree: &tree_sitter::Tree) -> Vec<VariablesLiteral> {
    let mut out = Vec::new();
    crate::surfaces::code::syntax::walk(tree.root_node(), |node| {
        if matches!(node.kind(), "object" | "dictionary") {
            out.extend(literal(text, node));
        }
        true
    });
    out
}

/// The name of a property key: `a`, `"a"`, `'a'`, `1`; `None` for a computed key.
fn key_name(text: &str, key: Node<'_>) -> Option<String> {
    match key.kind() {
        "property_identifier" | "number" => Some(node_text(text, key).to_string()),
        "string" => Some(string_value(text, key)),
        _ => None,
    }
}

/// The content of a string literal: between its quotes (Python's prefixes and triple quotes
/// included).
fn string_content(node: Node<'_>) -> Range<usize> {
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
    let start = children.iter().find(|c| c.kind() == "string_start");
    let end = children.iter().rev().find(|c| c.kind() == "string_end");
    match (start, end) {
        (Some(start), Some(end)) => start.end_byte()..end.start_byte(),
        _ => node.start_byte() + 1..node.end_byte().saturating_sub(1).max(node.start_byte() + 1),
    }
}

/// A string literal's value (the common escapes).
fn string_value(text: &str, node: Node<'_>) -> String {
    unescape(text.get(string_content(node)).unwrap_or(""))
}

/// Whether a Python string is an f-string (its value depends on expressions).
fn is_formatted(text: &str, node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    let interpolated = node
        .children(&mut cursor)
        .any(|c| c.kind() == "interpolation");
    interpolated || node_text(text, node).starts_with(['f', 'F'])
}

fn unescape(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

pub(crate) fn literal(text: &str, object: Node<'_>) -> Option<VariablesLiteral> {
    let mut query = None;
    let mut variables = None;
    let mut cursor = object.walk();
    for child in object.named_children(&mut cursor) {
        match child.kind() {
            "shorthand_property_identifier" if node_text(text, child) == "query" => {
                query = Some(QueryRef::Binding("query".into()));
            }
            "pair" => {
                let key = child.child_by_field_name("key")?;
                let value = child.child_by_field_name("value")?;
                match key_name(text, key).as_deref() {
                    Some("query") => query = query_ref(text, value),
                    Some("variables") if matches!(value.kind(), "object" | "dictionary") => {
                        variables = Some(value)
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let (query, variables) = (query?, variables?);
    with_query(query, value_tree(text, variables))
}

/// A variables object read, with the query it is sent with.
fn with_query(query: QueryRef, tree: ValueTree) -> Option<VariablesLiteral> {
    let Value::Object(values) = tree.value else {
        return None;
    };
    Some(VariablesLiteral {
        query,
        values,
        places: tree.places,
        only_if_declared: false,
    })
}

/// A raw GraphQL document sent through a wrapper with its variables: `request(QUERY, {
/// workflowId, payload })`, `run_query(QUERY, {"payload": {...}})`. The first argument names the
/// query (a name bound to a literal, or the literal itself), the second is the variables object;
/// a first argument that is not a GraphQL literal of the file matches no query and is ignored.
pub(crate) fn wrapper_call(text: &str, call: Node<'_>) -> Option<VariablesLiteral> {
    let arguments = call.child_by_field_name("arguments")?;
    let mut cursor = arguments.walk();
    let mut args = arguments
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment");
    let (first, second) = (args.next()?, args.next()?);
    if !matches!(second.kind(), "object" | "dictionary") {
        return None;
    }
    let query = query_ref(text, first)?;
    // Apollo's and urql's style: `useQuery(QUERY, { variables: {...}, ...options })`.
    let mut cursor = second.walk();
    let nested = second
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "pair")
        .find(|c| {
            c.child_by_field_name("key")
                .and_then(|k| key_name(text, k))
                .as_deref()
                == Some("variables")
        })
        .and_then(|c| c.child_by_field_name("value"));
    match nested {
        Some(variables) if matches!(variables.kind(), "object" | "dictionary") => {
            with_query(query, value_tree(text, variables))
        }
        // Options without literal variables: nothing to check.
        Some(_) => None,
        None => {
            let mut literal = with_query(query, value_tree(text, second))?;
            literal.only_if_declared = true;
            Some(literal)
        }
    }
}

fn query_ref(text: &str, value: Node<'_>) -> Option<QueryRef> {
    match value.kind() {
        "identifier" => Some(QueryRef::Binding(node_text(text, value).to_string())),
        "string" => Some(QueryRef::Inline(string_content(value))),
        "template_string" => Some(QueryRef::Inline(
            value.start_byte() + 1..value.end_byte() - 1,
        )),
        // gql`...`
        "call_expression" => {
            let template = value.child_by_field_name("arguments")?;
            (template.kind() == "template_string")
                .then(|| QueryRef::Inline(template.start_byte() + 1..template.end_byte() - 1))
        }
        _ => None,
    }
}

struct Builder<'a> {
    text: &'a str,
    places: LiteralPlaces,
    /// How deep the value being read is: past [`MAX_DEPTH`] values are unknown.
    depth: usize,
}

/// Literals nested deeper than this are not read (their value is unknown): no real payload or
/// flow is near it, and the recursion must stay bounded.
const MAX_DEPTH: usize = 128;

impl Builder<'_> {
    fn value(&mut self, node: Node<'_>, path: &mut Vec<Segment>) -> Value {
        if self.depth >= MAX_DEPTH {
            return self.unknown(path);
        }
        self.depth += 1;
        let value = self.value_inner(node, path);
        self.depth -= 1;
        value
    }

    fn value_inner(&mut self, node: Node<'_>, path: &mut Vec<Segment>) -> Value {
        let host = node.start_byte()..node.end_byte();
        let value = match node.kind() {
            "object" | "dictionary" => self.object(node, path),
            "array" | "list" => {
                let mut items = Vec::new();
                let mut cursor = node.walk();
                let elements: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
                for element in elements {
                    if element.kind() == "comment" {
                        continue;
                    }
                    path.push(Segment::Index(items.len()));
                    let item = self.value(element, path);
                    path.pop();
                    items.push(item);
                }
                Value::Array(items)
            }
            "string" if is_formatted(self.text, node) => self.unknown(path),
            "string" => Value::String(string_value(self.text, node)),
            "template_string" if node.named_child_count() == 0 || !has_substitution(node) => {
                Value::String(string_value(self.text, node))
            }
            "number" | "integer" | "float" => match number(node_text(self.text, node)) {
                Some(n) => Value::Number(n),
                None => self.unknown(path),
            },
            "unary_expression" | "unary_operator"
                if node_text(self.text, node).starts_with('-') =>
            {
                match number(node_text(self.text, node)) {
                    Some(n) => Value::Number(n),
                    None => self.unknown(path),
                }
            }
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" | "none" => Value::Null,
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression" => match node.named_child(0) {
                Some(inner) => return self.value(inner, path),
                None => self.unknown(path),
            },
            _ => self.unknown(path),
        };
        self.places.values.insert(path.clone(), host);
        value
    }

    /// An expression: `null`, and remembered as unknown.
    fn unknown(&mut self, path: &[Segment]) -> Value {
        self.places.unknown.insert(path.to_vec());
        Value::Null
    }

    fn object(&mut self, node: Node<'_>, path: &mut Vec<Segment>) -> Value {
        let mut map = Map::new();
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        for child in children {
            let (key, value_node) = match child.kind() {
                "pair" => {
                    let (Some(key), Some(value)) = (
                        child.child_by_field_name("key"),
                        child.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    match key_name(self.text, key) {
                        Some(name) => ((name, key), Some(value)),
                        None => {
                            self.places.open.insert(path.clone());
                            continue;
                        }
                    }
                }
                "shorthand_property_identifier" => {
                    ((node_text(self.text, child).to_string(), child), None)
                }
                "comment" => continue,
                // `...rest`, methods: other keys may be there.
                _ => {
                    self.places.open.insert(path.clone());
                    continue;
                }
            };
            let ((name, key_node), value_node) = (key, value_node);
            let key_host = key_node.start_byte()..key_node.end_byte();
            path.push(Segment::Key(name.clone()));
            self.places.keys.insert(path.clone(), key_host.clone());
            let value = match value_node {
                Some(v) => self.value(v, path),
                None => {
                    // `{ prompt }`: the variable's value is not known here.
                    let v = self.unknown(path);
                    self.places.values.insert(path.clone(), key_host);
                    v
                }
            };
            path.pop();
            map.insert(name, value);
        }
        Value::Object(map)
    }
}

fn has_substitution(template: Node<'_>) -> bool {
    let mut cursor = template.walk();
    let found = template
        .named_children(&mut cursor)
        .any(|c| c.kind() == "template_substitution");
    found
}

fn number(text: &str) -> Option<Number> {
    let cleaned: String = text
        .chars()
        .filter(|c| *c != '_' && !c.is_whitespace())
        .collect();
    if let Ok(n) = cleaned.parse::<i64>() {
        return Some(Number::from(n));
    }
    cleaned.parse::<f64>().ok().and_then(Number::from_f64)
}
