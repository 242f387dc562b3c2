//! Payload and variables files as JSON: parsed strictly (what the platform accepts), and the
//! ranges of their keys and values read with jsonc-parser on demand, as a payload tree or as
//! the places of a variables object.

use crate::flows::validate::{validate, Segment, Target};
use crate::surfaces::call::PayloadTree;
use jsonc_parser::ast::{ObjectPropName, Value as Node};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use serde_json::Value;
use std::ops::Range;

/// Strict JSON: what the platform's API accepts.
pub fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_extended_string_escapes: false,
        allow_non_finite_numbers: false,
    }
}

/// The file's syntax tree with ranges (strict JSON), when it parses.
pub fn parse_ranged(text: &str) -> Option<Node<'_>> {
    jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict())
        .ok()?
        .value
}

/// The payload at `base` of a file's JSON as a tree. Its ranges are read only when the flow
/// is known and the payload breaks its schema, and then only those the problems need: each
/// problem's path and key, and the keys beside a missing field (a misspelt one is named
/// there). A table of every node's range took ten times as long on a 1 MB file. `None` when
/// the text then does not parse.
pub fn payload_tree(
    text: &str,
    mut json: Value,
    base: &[Segment],
    target: &crate::surfaces::call::CallTarget,
    strict_mode: bool,
) -> Option<PayloadTree> {
    let value = base
        .iter()
        .try_fold(&mut json, |value, segment| match segment {
            Segment::Key(k) => value.get_mut(k),
            Segment::Index(i) => value.get_mut(*i),
        })
        .map(Value::take)
        .unwrap_or(Value::Null);
    let mut tree = PayloadTree {
        quoted_keys: true,
        ..PayloadTree::default()
    };
    let crate::surfaces::call::CallTarget::Flow { flow, .. } = target else {
        tree.value = value;
        return Some(tree);
    };
    if flow.input.is_valid(&value) {
        tree.value = value;
        return Some(tree);
    }
    let root = parse_ranged(text)?;
    let mut whole = PayloadTree::default();
    record_path(&root, base, &mut whole);
    for problem in validate(&flow.input, &value, strict_mode) {
        let mut path = base.to_vec();
        path.extend(problem.path);
        if let Target::Key(name) = &problem.target {
            let mut key = path.clone();
            key.push(Segment::Key(name.clone()));
            record_path(&root, &key, &mut whole);
        }
        let node = record_path(&root, &path, &mut whole);
        if let (Some(_), Some(Node::Object(object))) = (&problem.missing, node) {
            for property in &object.properties {
                let mut key = path.clone();
                key.push(Segment::Key(property.name.as_str().to_string()));
                record_path(&root, &key, &mut whole);
            }
        }
    }
    let under = |path: &Vec<Segment>| path.strip_prefix(base).map(<[Segment]>::to_vec);
    let relative = |map: &std::collections::HashMap<Vec<Segment>, Range<usize>>| {
        map.iter()
            .filter_map(|(p, r)| Some((under(p)?, r.clone())))
            .collect()
    };
    tree.values = relative(&whole.values);
    tree.keys = relative(&whole.keys);
    // The payload's own key (a variables file's variable) is not one of the payload's.
    tree.keys.remove(&Vec::new());
    tree.root_at = match base {
        [] => tree
            .values
            .get(&Vec::new())
            .map(|r| r.start..(r.start + 1).min(r.end)),
        _ => whole.keys.get(base).cloned(),
    };
    tree.value = value;
    Some(tree)
}

/// Records the ranges of every node along `path` (keys and values); the node at its end.
pub fn record_path<'a>(
    root: &'a Node<'a>,
    path: &[Segment],
    tree: &mut PayloadTree,
) -> Option<&'a Node<'a>> {
    let mut node = root;
    let range = node.range();
    tree.values.insert(Vec::new(), range.start..range.end);
    for (depth, segment) in path.iter().enumerate() {
        let here = path[..=depth].to_vec();
        let next = match (node, segment) {
            (Node::Object(object), Segment::Key(key)) => {
                // The last of duplicate keys is the one serde_json keeps.
                let property = object
                    .properties
                    .iter()
                    .rev()
                    .find(|p| p.name.as_str() == key)?;
                let name = match &property.name {
                    ObjectPropName::String(s) => s.range(),
                    ObjectPropName::Word(w) => w.range(),
                };
                tree.keys.insert(here.clone(), name.start..name.end);
                &property.value
            }
            (Node::Array(array), Segment::Index(i)) => array.elements.get(*i)?,
            _ => return None,
        };
        let range = next.range();
        tree.values.insert(here, range.start..range.end);
        node = next;
    }
    Some(node)
}

/// Where the parts of a variables file are, for the check of its values: looked up along each
/// path asked for, not tabled for the whole file (which may hold a large payload).
pub struct JsonPlaces<'a> {
    pub root: Node<'a>,
}

impl JsonPlaces<'_> {
    fn along(&self, path: &[Segment]) -> PayloadTree {
        let mut places = PayloadTree::default();
        record_path(&self.root, path, &mut places);
        places
    }
}

impl crate::surfaces::places::Places for JsonPlaces<'_> {
    fn value(&self, path: &[Segment]) -> Option<Range<usize>> {
        self.along(path).values.get(path).cloned()
    }
    fn key(&self, path: &[Segment]) -> Option<Range<usize>> {
        self.along(path).keys.get(path).cloned()
    }
    fn unknown(&self, _: &[Segment]) -> bool {
        false
    }
    fn open(&self, _: &[Segment]) -> bool {
        false
    }
}

/// The path of the key under `offset` of a JSON text, and the key's range (with its quotes).
pub fn key_path_at(text: &str, offset: usize) -> Option<(Vec<Segment>, Range<usize>)> {
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &Default::default()).ok()?;
    key_at(&parsed.value?, offset, &mut Vec::new())
}

/// The ranges (with quotes) of the keys of a JSON text that send the field at `path`: from the
/// top (a payload file) or under one top-level key (a variables file's payload variable); list
/// indexes match every element.
pub fn key_ranges(text: &str, path: &[Segment]) -> Vec<Range<usize>> {
    let Some(root) = parse_ranged(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    keys_along(&root, path, &mut found);
    if let Node::Object(object) = &root {
        for property in &object.properties {
            keys_along(&property.value, path, &mut found);
        }
    }
    found.sort_by_key(|r| r.start);
    found.dedup();
    found
}

pub fn keys_along(node: &Node<'_>, path: &[Segment], found: &mut Vec<Range<usize>>) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    match (node, first) {
        (Node::Object(object), Segment::Key(key)) => {
            for property in object.properties.iter().filter(|p| p.name.as_str() == key) {
                if rest.is_empty() {
                    let name = match &property.name {
                        ObjectPropName::String(s) => s.range(),
                        ObjectPropName::Word(w) => w.range(),
                    };
                    found.push(name.start..name.end);
                } else {
                    keys_along(&property.value, rest, found);
                }
            }
        }
        (Node::Array(array), Segment::Index(_)) => {
            for element in &array.elements {
                keys_along(element, rest, found);
            }
        }
        _ => {}
    }
}

/// The key under `offset`, with its path.
pub fn key_at(
    node: &Node<'_>,
    offset: usize,
    path: &mut Vec<Segment>,
) -> Option<(Vec<Segment>, Range<usize>)> {
    match node {
        Node::Object(object) => object.properties.iter().find_map(|property| {
            path.push(Segment::Key(property.name.as_str().to_string()));
            let name = match &property.name {
                ObjectPropName::String(s) => s.range(),
                ObjectPropName::Word(w) => w.range(),
            };
            let found = if name.start <= offset && offset <= name.end {
                Some((path.clone(), name.start..name.end))
            } else {
                key_at(&property.value, offset, path)
            };
            path.pop();
            found
        }),
        Node::Array(array) => array.elements.iter().enumerate().find_map(|(i, element)| {
            path.push(Segment::Index(i));
            let found = key_at(element, offset, path);
            path.pop();
            found
        }),
        _ => None,
    }
}
