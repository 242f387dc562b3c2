//! Where a flow's input fields are declared in the text of its file: inside the
//! `advance_schema` string of a flow module or export (its escapes undone, with a map back to
//! the file's offsets), or in a schema file of its own. Go to definition from a payload key,
//! references from a field and its rename start here.

use std::ops::Range;
use std::path::Path;

use jsonc_parser::ast::{ObjectPropName, Value as Node};
use jsonc_parser::common::Ranged;
use jsonc_parser::CollectOptions;
use serde_json::Value;

use crate::flows::validate::Segment;

/// The JSON text of a flow's input schema and where each of its bytes is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaText {
    pub text: String,
    /// For each byte of `text` (and one past its end), its offset in the file.
    map: Vec<usize>,
}

impl SchemaText {
    fn verbatim(text: &str, start: usize) -> SchemaText {
        SchemaText {
            text: text.to_string(),
            map: (start..=start + text.len()).collect(),
        }
    }

    /// A range of `text` as a range of the file.
    pub fn to_file(&self, range: &Range<usize>) -> Option<Range<usize>> {
        Some(*self.map.get(range.start)?..*self.map.get(range.end)?)
    }

    /// The offset of `text` at a file offset, when the file offset is inside the schema.
    pub fn from_file(&self, offset: usize) -> Option<usize> {
        let first = *self.map.first()?;
        let last = *self.map.last()?;
        if offset < first || offset > last {
            return None;
        }
        // The map is increasing: the last byte that starts at or before the offset.
        Some(self.map.partition_point(|&o| o <= offset).saturating_sub(1))
    }

    /// Whether `name` can be written into the schema as it is, without escapes.
    pub fn is_plain(name: &str) -> bool {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
    }
}

/// The input schema of the flow file at `path` (its text `text`), when it declares one.
pub fn schema_text(path: &Path, text: &str) -> Option<SchemaText> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    if extension == "json" {
        return json_schema_text(text);
    }
    let root = path
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("/"));
    let flow = crate::surfaces::kit::flow_module::read(path, text, root).ok()??;
    let range = flow.schema_range?;
    decode_literal(text.get(range.clone())?, range.start)
}

/// A flow export (`nodes`, the trigger's `data.values.advance_schema` as a string or an object)
/// or a schema file of its own.
fn json_schema_text(text: &str) -> Option<SchemaText> {
    let json: Value = serde_json::from_str(text).ok()?;
    let Some(nodes) = json.get("nodes").and_then(Value::as_array) else {
        return Some(SchemaText::verbatim(text, 0));
    };
    let index = nodes
        .iter()
        .position(|n| n.pointer("/data/trigger") == Some(&Value::Bool(true)))?;
    let root = parse(text)?;
    let path = [
        Segment::Key("nodes".into()),
        Segment::Index(index),
        Segment::Key("data".into()),
        Segment::Key("values".into()),
        Segment::Key("advance_schema".into()),
    ];
    let node = node_at(&root, &path)?;
    let range = node.range();
    match node {
        Node::StringLit(_) => decode_literal(text.get(range.start..range.end)?, range.start),
        Node::Object(_) => Some(SchemaText::verbatim(
            text.get(range.start..range.end)?,
            range.start,
        )),
        _ => None,
    }
}

fn parse(text: &str) -> Option<Node<'_>> {
    jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &Default::default())
        .ok()?
        .value
}

fn node_at<'a>(root: &'a Node<'a>, path: &[Segment]) -> Option<&'a Node<'a>> {
    path.iter()
        .try_fold(root, |node, segment| match (node, segment) {
            (Node::Object(object), Segment::Key(key)) => object
                .properties
                .iter()
                .rev()
                .find(|p| p.name.as_str() == key)
                .map(|p| &p.value),
            (Node::Array(array), Segment::Index(i)) => array.elements.get(*i),
            _ => None,
        })
}

/// A string literal of JSON or JavaScript (`"..."`, `'...'`, a template without `${`), its
/// escapes undone, each byte mapped to its offset in the file (`start`: the literal's).
pub fn decode_literal(source: &str, start: usize) -> Option<SchemaText> {
    let quote = source.chars().next()?;
    if !matches!(quote, '"' | '\'' | '`') || source.len() < 2 || !source.ends_with(quote) {
        return None;
    }
    let inner = &source[1..source.len() - 1];
    if quote == '`' && inner.contains("${") {
        return None;
    }
    let mut text = String::with_capacity(inner.len());
    let mut map = Vec::with_capacity(inner.len() + 1);
    let base = start + 1;
    let mut chars = inner.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let decoded = if c == '\\' {
            let (_, escaped) = chars.next()?;
            match escaped {
                'n' => Some('\n'),
                't' => Some('\t'),
                'r' => Some('\r'),
                'b' => Some('\u{8}'),
                'f' => Some('\u{c}'),
                'v' => Some('\u{b}'),
                '0' => Some('\0'),
                'u' => {
                    let mut digits = String::new();
                    if chars.peek().map(|(_, c)| *c) == Some('{') {
                        chars.next();
                        for (_, d) in chars.by_ref() {
                            if d == '}' {
                                break;
                            }
                            digits.push(d);
                        }
                    } else {
                        for _ in 0..4 {
                            digits.push(chars.next()?.1);
                        }
                    }
                    char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
                }
                'x' => {
                    let digits: String = [chars.next()?.1, chars.next()?.1].iter().collect();
                    char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
                }
                // A line continuation adds nothing.
                '\n' => None,
                other => Some(other),
            }
        } else {
            Some(c)
        };
        if let Some(d) = decoded {
            for _ in 0..d.len_utf8() {
                map.push(base + at);
            }
            text.push(d);
        }
    }
    map.push(base + inner.len());
    Some(SchemaText { text, map })
}

/// Where the field at `path` (a payload's path) is declared in a schema's JSON text: its key
/// (without quotes), in the type map (`name` or `name?`), under a JSON Schema's `properties`,
/// through `items` and one-element arrays for list indexes.
pub fn declaration(schema: &str, path: &[Segment]) -> Option<Range<usize>> {
    declared_in(&parse(schema)?, path)
}

fn declared_in(node: &Node<'_>, path: &[Segment]) -> Option<Range<usize>> {
    let (first, rest) = path.split_first()?;
    match first {
        Segment::Index(_) if rest.is_empty() => None,
        Segment::Index(_) => declared_in(schema_of_list(node)?, rest),
        Segment::Key(key) => {
            let Node::Object(object) = properties(node).unwrap_or(node) else {
                return None;
            };
            // Of duplicate keys, the first that leads along the whole path.
            object
                .properties
                .iter()
                .filter(|p| {
                    let name = p.name.as_str();
                    name == key || name.strip_suffix('?') == Some(key.as_str())
                })
                .find_map(|p| match rest.is_empty() {
                    true => Some(name_range(&p.name, key)),
                    false => declared_in(&p.value, rest),
                })
        }
    }
}

/// The field whose declaration's key is at `offset` of a schema's JSON text: its payload path
/// and the range of its name.
pub fn field_at(schema: &str, offset: usize) -> Option<(Vec<Segment>, Range<usize>)> {
    let root = parse(schema)?;
    let mut path = Vec::new();
    field_in(&root, offset, &mut path)
}

fn field_in(
    node: &Node<'_>,
    offset: usize,
    path: &mut Vec<Segment>,
) -> Option<(Vec<Segment>, Range<usize>)> {
    let node = match schema_of_list(node) {
        Some(inner) => {
            path.push(Segment::Index(0));
            let found = field_in(inner, offset, path);
            path.pop();
            return found;
        }
        None => node,
    };
    let fields = properties(node).unwrap_or(node);
    let Node::Object(object) = fields else {
        return None;
    };
    for property in &object.properties {
        let raw = property.name.as_str();
        let key = raw
            .strip_suffix('?')
            .filter(|k| !k.is_empty())
            .unwrap_or(raw);
        let whole = property.name.range();
        path.push(Segment::Key(key.to_string()));
        if whole.start <= offset && offset <= whole.end {
            let found = (path.clone(), name_range(&property.name, key));
            path.pop();
            return Some(found);
        }
        let value = property.value.range();
        if value.start <= offset && offset <= value.end {
            let found = field_in(&property.value, offset, path);
            path.pop();
            return found;
        }
        path.pop();
    }
    None
}

/// A list's element schema: `[ {...} ]` in a type map, `items` of a JSON Schema array.
fn schema_of_list<'a>(node: &'a Node<'a>) -> Option<&'a Node<'a>> {
    match node {
        Node::Array(array) if array.elements.len() == 1 => array.elements.first(),
        Node::Object(_) if is_array_schema(node) => items(node),
        _ => None,
    }
}

fn is_array_schema(node: &Node<'_>) -> bool {
    let Node::Object(object) = node else {
        return false;
    };
    object.properties.iter().any(|p| {
        p.name.as_str() == "type" && matches!(&p.value, Node::StringLit(s) if s.value == "array")
    })
}

fn member<'a>(node: &'a Node<'a>, name: &str) -> Option<&'a Node<'a>> {
    let Node::Object(object) = node else {
        return None;
    };
    object
        .properties
        .iter()
        .find(|p| p.name.as_str() == name)
        .map(|p| &p.value)
}

fn properties<'a>(node: &'a Node<'a>) -> Option<&'a Node<'a>> {
    member(node, "properties").filter(|p| matches!(p, Node::Object(_)))
}

fn items<'a>(node: &'a Node<'a>) -> Option<&'a Node<'a>> {
    member(node, "items")
}

/// The range of a key's name without its quotes and its `?`.
fn name_range(name: &ObjectPropName<'_>, key: &str) -> Range<usize> {
    let range = name.range();
    let start = match name {
        ObjectPropName::String(_) => range.start + 1,
        ObjectPropName::Word(_) => range.start,
    };
    start..start + key.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Segment {
        Segment::Key(k.to_string())
    }

    #[test]
    fn escaped_literals_map_back_to_the_file() {
        let file = r#"x = "{\n  \"topic\": \"string\"}";"#;
        let start = file.find('"').unwrap();
        let end = file.rfind('"').unwrap() + 1;
        let schema = decode_literal(&file[start..end], start).unwrap();
        assert_eq!(schema.text, "{\n  \"topic\": \"string\"}");
        let range = declaration(&schema.text, &[key("topic")]).unwrap();
        let in_file = schema.to_file(&range).unwrap();
        assert_eq!(&file[in_file.clone()], "topic");
        let back = schema.from_file(in_file.start + 2).unwrap();
        assert_eq!(field_at(&schema.text, back).unwrap().0, vec![key("topic")]);
    }

    #[test]
    fn fields_are_found_in_each_dialect() {
        let map = r#"{"topic": "string", "audience?": "string", "meta": {"lang": "string"}, "tags": [{"name": "string"}]}"#;
        let at = |path: &[Segment]| declaration(map, path).map(|r| &map[r]);
        assert_eq!(at(&[key("topic")]), Some("topic"));
        assert_eq!(at(&[key("audience")]), Some("audience"));
        assert_eq!(at(&[key("meta"), key("lang")]), Some("lang"));
        assert_eq!(
            at(&[key("tags"), Segment::Index(3), key("name")]),
            Some("name")
        );
        assert_eq!(at(&[key("nope")]), None);
        let schema = r#"{"type": "object", "properties": {"topic": {"type": "string"}, "items": {"type": "array", "items": {"type": "object", "properties": {"q": {"type": "string"}}}}}}"#;
        let at = |path: &[Segment]| declaration(schema, path).map(|r| &schema[r]);
        assert_eq!(at(&[key("topic")]), Some("topic"));
        assert_eq!(at(&[key("items"), Segment::Index(0), key("q")]), Some("q"));
        let q = schema.find("\"q\"").unwrap() + 1;
        assert_eq!(
            field_at(schema, q).unwrap().0,
            vec![key("items"), Segment::Index(0), key("q")]
        );
        let audience = map.find("audience").unwrap();
        let (path, range) = field_at(map, audience + 3).unwrap();
        assert_eq!((path, &map[range]), (vec![key("audience")], "audience"));
    }

    #[test]
    fn flow_exports_and_schema_files_have_their_schema_text() {
        let export = r#"{"nodes": [{"id": "t", "data": {"trigger": true, "nodeId": "graphqlNode", "values": {"advance_schema": "{\"url\": \"string\"}"}}}]}"#;
        let schema = schema_text(Path::new("/p/flows/a.json"), export).unwrap();
        let range = schema
            .to_file(&declaration(&schema.text, &[key("url")]).unwrap())
            .unwrap();
        assert_eq!(&export[range], "url");
        let plain = r#"{"url": "string"}"#;
        let schema = schema_text(Path::new("/p/schemas/a.json"), plain).unwrap();
        assert_eq!(schema.to_file(&(2..5)), Some(2..5));
    }

    #[test]
    fn hostile_literals_never_panic() {
        for text in [
            "\"\\",
            "\"\\u12\"",
            "\"\\x\"",
            "'",
            "``",
            "\"é\\u{1F600}\"",
            "\"\\u{zz}\"",
        ] {
            if let Some(schema) = decode_literal(text, 0) {
                let _ = schema.from_file(1);
                let _ = schema.to_file(&(0..schema.text.len()));
            }
        }
    }
}
