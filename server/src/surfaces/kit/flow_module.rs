//! Flow files of a project: TypeScript modules (`flows/<id>.ts`: `export const meta, nodes,
//! ...` and a default export), read as JavaScript literals with tree-sitter and never run; the
//! CLI's `flows/<slug>.json`; and the older `flows/<name>/{config,meta}.json`. Each becomes the
//! flow export that `flows::export` understands, with the place of its input schema, the fields
//! it reads from its trigger (its inputs when it declares none) and the keys it returns.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::flows::dialect::{Dialect, FieldInfo, InputSchema};
use crate::flows::export::{self, FlowExport, TriggerKind};
use crate::flows::validate::Segment;
use crate::surfaces::code::literal_values::{value_tree, ValueTree};

/// One flow of a project's folder.
#[derive(Debug, Clone)]
pub struct FlowFile {
    /// The name a step refers to it by: the file's stem (`flows/<id>.ts`) or folder name.
    pub key: String,
    pub file: PathBuf,
    pub export: FlowExport,
    /// The input schema's place in the file (the `advance_schema` string), when known.
    pub schema_range: Option<Range<usize>>,
    /// The trigger's place in the file, when known.
    pub trigger_range: Option<Range<usize>>,
    /// Other files the flow reads (`@prompts/...`), found and read.
    pub references: Vec<PathBuf>,
}

/// A flow file that could not be read as a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowFileProblem {
    pub file: PathBuf,
    pub range: Range<usize>,
    pub message: String,
}

/// Flow modules larger than this are not read (a generated or mistaken file).
pub const MAX_FLOW_BYTES: usize = 8 * 1024 * 1024;

/// Referenced files larger than this are not searched for the fields a flow reads.
const MAX_REFERENCE_BYTES: u64 = 1024 * 1024;

/// Reads a flow file (`.ts`, `.js` or `.json`); `Ok(None)` when the file is not a flow at all
/// (it has no `nodes`), `Err` when it is one that cannot be understood.
pub fn read(path: &Path, text: &str, root: &Path) -> Result<Option<FlowFile>, FlowFileProblem> {
    let problem = |range: Range<usize>, message: String| FlowFileProblem {
        file: path.to_path_buf(),
        range,
        message,
    };
    if text.len() > MAX_FLOW_BYTES {
        return Err(problem(
            0..0,
            format!(
                "the flow file is {:.1} MB; flowql reads flow files up to {} MB, so its inputs are not known",
                text.len() as f64 / 1_048_576.0,
                MAX_FLOW_BYTES / 1_048_576
            ),
        ));
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let key = flow_key(path);
    let (json, places) = if is_json {
        match serde_json::from_str::<Value>(text) {
            Ok(json) => (json, None),
            Err(e) => return Err(problem(0..0, format!("not valid JSON: {e}"))),
        }
    } else {
        match module_value(text, path) {
            Ok(Some((json, places))) => (json, Some(places)),
            Ok(None) => return Ok(None),
            Err(at) => return Err(problem(
                at,
                "the flow module does not parse as TypeScript here, so its inputs are not known"
                    .into(),
            )),
        }
    };
    let Some(nodes) = json.get("nodes") else {
        return Ok(None);
    };
    let mut export = export::parse(&json).map_err(|m| {
        let at = places
            .as_ref()
            .and_then(|p| p.range(&[Segment::Key("nodes".into())]))
            .unwrap_or(0..0);
        problem(at, m)
    })?;
    let trigger_index = nodes.as_array().and_then(|nodes| {
        nodes
            .iter()
            .position(|n| n.pointer("/data/trigger") == Some(&Value::Bool(true)))
    });
    let trigger_path = |tail: &[&str]| -> Vec<Segment> {
        let mut path = vec![
            Segment::Key("nodes".into()),
            Segment::Index(trigger_index.unwrap_or(0)),
        ];
        path.extend(tail.iter().map(|k| Segment::Key(k.to_string())));
        path
    };
    let schema_range = places
        .as_ref()
        .and_then(|p| p.range(&trigger_path(&["data", "values", "advance_schema"])));
    let trigger_range = places.as_ref().and_then(|p| p.range(&trigger_path(&[])));
    let mut references = Vec::new();
    if export.trigger == TriggerKind::ApiRequest && declares_nothing(&export.input) {
        let trigger_id = trigger_index
            .and_then(|i| nodes.get(i))
            .and_then(|n| n.get("id").or_else(|| n.pointer("/data/values/id")))
            .and_then(Value::as_str)
            .unwrap_or("triggerNode_1")
            .to_string();
        let read = reads_of(&json, &trigger_id, root, &mut references);
        if !read.is_empty() {
            export.input = inferred_input(read);
        }
    }
    if export.id.is_none() {
        export.id = json
            .pointer("/meta/id")
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    Ok(Some(FlowFile {
        key,
        file: path.to_path_buf(),
        export,
        schema_range,
        trigger_range,
        references,
    }))
}

/// The name a flow file is referred to by: `flows/<id>.ts` -> `id`, `flows/<name>/config.json`
/// -> `name`.
pub fn flow_key(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem == "config" {
        if let Some(folder) = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
        {
            return folder.to_string();
        }
    }
    stem.to_string()
}

/// Whether an input schema says nothing: no fields and no problems.
fn declares_nothing(input: &InputSchema) -> bool {
    input.dialect == Dialect::Implicit && input.fields.is_empty() && input.problems.is_empty()
}

/// Where the parts of a module's values are.
struct ModulePlaces {
    /// Each part (`meta`, `nodes`, ...) with the path its tree is at in the whole value.
    parts: Vec<(Vec<Segment>, ValueTree)>,
}

impl ModulePlaces {
    fn range(&self, path: &[Segment]) -> Option<Range<usize>> {
        self.parts.iter().find_map(|(prefix, tree)| {
            let rest = path.strip_prefix(prefix.as_slice())?;
            tree.places.values.get(rest).cloned()
        })
    }
}

/// The module's flow as one JSON value: each of `meta`, `nodes`, `edges`, `inputs`,
/// `references`, `id`, `name` from its own top-level binding, else from the default export.
/// `Err` with the place of the first syntax error of a module that would otherwise be read.
fn module_value(text: &str, path: &Path) -> Result<Option<(Value, ModulePlaces)>, Range<usize>> {
    let language = crate::surfaces::code::HostLanguage::of_path(path)
        .unwrap_or(crate::surfaces::code::HostLanguage::TypeScript);
    let Some(tree) = crate::surfaces::code::js::parse(text, language) else {
        return Ok(None);
    };
    let root = tree.root_node();
    if root.has_error() {
        // Only a module that looks like a flow is worth a word.
        if !text.contains("nodes") {
            return Ok(None);
        }
        let mut at = 0..0;
        crate::surfaces::code::walk(root, |n| {
            if at == (0..0) && (n.is_error() || n.is_missing()) {
                at = n.start_byte()..n.end_byte().max(n.start_byte());
            }
            at == (0..0) && n.has_error()
        });
        return Err(at);
    }
    let mut cursor = root.walk();
    let statements: Vec<tree_sitter::Node<'_>> = root.named_children(&mut cursor).collect();
    let default = statements
        .iter()
        .find(|s| {
            s.kind() == "export_statement"
                && s.child_by_field_name("value").is_some()
                && crate::surfaces::code::node_text(text, **s).contains("default")
        })
        .and_then(|s| s.child_by_field_name("value"))
        .map(|node| {
            // `export default flowConfig` names a binding.
            match node.kind() {
                "identifier" => crate::surfaces::kit::steps::top_level_binding(
                    text,
                    &statements,
                    crate::surfaces::code::node_text(text, node),
                )
                .unwrap_or(node),
                _ => node,
            }
        })
        .map(|node| value_tree(text, node));
    let mut whole = serde_json::Map::new();
    let mut parts = Vec::new();
    for name in ["id", "name", "meta", "nodes", "edges", "references"] {
        let own = crate::surfaces::kit::steps::top_level_binding(text, &statements, name);
        if let Some(node) = own {
            let tree = value_tree(text, node);
            whole.insert(name.to_string(), tree.value.clone());
            parts.push((vec![Segment::Key(name.to_string())], tree));
        } else if let Some(value) = default
            .as_ref()
            .and_then(|d| d.value.get(name))
            .filter(|v| !v.is_null())
        {
            whole.insert(name.to_string(), value.clone());
        }
    }
    if let Some(default) = default {
        parts.push((Vec::new(), default));
    }
    if whole.get("name").is_none() {
        if let Some(name) = whole.get("meta").and_then(|m| m.get("name")).cloned() {
            whole.insert("name".into(), name);
        }
    }
    Ok(Some((Value::Object(whole), ModulePlaces { parts })))
}

/// The fields of `trigger`'s output that the flow reads, each with where it reads it first:
/// `{{trigger.output.field}}` in the flow's values and in the files it references
/// (`@prompts/x.md`, `@scripts/y.ts`, relative to the project root).
fn reads_of(
    flow: &Value,
    trigger: &str,
    root: &Path,
    references: &mut Vec<PathBuf>,
) -> BTreeMap<String, String> {
    let mut read = BTreeMap::new();
    let mut strings = Vec::new();
    strings_in(flow, &mut Vec::new(), &mut strings);
    for (node, text) in &strings {
        for field in fields_read(text, trigger) {
            read.entry(field)
                .or_insert_with(|| format!("node `{node}`"));
        }
        if let Some(relative) = text.strip_prefix('@') {
            if relative.contains("..") || relative.contains('\n') || relative.len() > 300 {
                continue;
            }
            let path = root.join(relative);
            if references.contains(&path) {
                continue;
            }
            let small = std::fs::metadata(&path)
                .is_ok_and(|m| m.is_file() && m.len() <= MAX_REFERENCE_BYTES);
            if !small {
                continue;
            }
            references.push(path.clone());
            let Ok(content) = std::fs::read(&path) else {
                continue;
            };
            for field in fields_read(&String::from_utf8_lossy(&content), trigger) {
                read.entry(field).or_insert_with(|| format!("`{relative}`"));
            }
        }
    }
    read
}

/// Every string of a value, with the id of the node it is in (or the top key).
fn strings_in<'a>(value: &'a Value, owner: &mut Vec<String>, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::String(s) => out.push((owner.last().cloned().unwrap_or_default(), s)),
        Value::Array(items) => items.iter().for_each(|v| strings_in(v, owner, out)),
        Value::Object(map) => {
            let id = map.get("id").and_then(Value::as_str).map(str::to_string);
            if let Some(id) = &id {
                owner.push(id.clone());
            }
            map.values().for_each(|v| strings_in(v, owner, out));
            if id.is_some() {
                owner.pop();
            }
        }
        _ => {}
    }
}

/// The fields named by `{{trigger.output.<field>...}}` in `text` (spaces allowed inside the
/// braces).
pub fn fields_read(text: &str, trigger: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        rest = &rest[open + 2..];
        let inner = rest.trim_start();
        let Some(after) = inner
            .strip_prefix(trigger)
            .and_then(|r| r.strip_prefix(".output."))
        else {
            continue;
        };
        let field: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if !field.is_empty() && !out.contains(&field) {
            out.push(field);
        }
    }
    out
}

/// The input of a flow that declares none, from the fields it reads: each expected, of any
/// type, with where it is read; other keys are not flagged.
fn inferred_input(read: BTreeMap<String, String>) -> InputSchema {
    let properties: serde_json::Map<String, Value> = read
        .iter()
        .map(|(name, at)| {
            (
                name.clone(),
                json!({"description": format!("read by the flow in {at}")}),
            )
        })
        .collect();
    let required: Vec<&String> = read.keys().collect();
    InputSchema {
        dialect: Dialect::Inferred,
        schema: json!({"type": "object", "properties": properties, "required": required}),
        fields: read
            .iter()
            .map(|(name, at)| FieldInfo {
                name: name.clone(),
                type_label: "any".into(),
                required: true,
                description: Some(format!("read by the flow in {at}")),
            })
            .collect(),
        problems: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = r#"// Flow: debate
export const meta = { name: 'Debate setup', tags: ["a"] } as const;
export const nodes = [
  { id: "llm_1", data: { nodeId: "LLMNode", values: { note: "{{ triggerNode_1.output.topic }}", prompt: "@prompts/p.md" } } },
  { id: "triggerNode_1", type: "triggerNode", data: { nodeId: "graphqlNode", trigger: true,
    values: { responeType: "realtime", advance_schema: "" } } },
];
export default { meta, nodes };
"#;

    fn root(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("flowql-module-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("prompts")).unwrap();
        dir
    }

    #[test]
    fn a_module_without_a_schema_expects_what_it_reads() {
        let dir = root("inferred");
        std::fs::write(
            dir.join("prompts/p.md"),
            "Argue {{triggerNode_1.output.side}} about {{triggerNode_1.output.topic}}",
        )
        .unwrap();
        let flow = read(&dir.join("flows/debate.ts"), MODULE, &dir)
            .unwrap()
            .unwrap();
        assert_eq!(flow.key, "debate");
        assert_eq!(flow.export.name.as_deref(), Some("Debate setup"));
        assert_eq!(flow.export.input.dialect, Dialect::Inferred);
        let fields: Vec<(&str, Option<&str>)> = flow
            .export
            .input
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.description.as_deref()))
            .collect();
        assert_eq!(
            fields,
            [
                ("side", Some("read by the flow in `prompts/p.md`")),
                ("topic", Some("read by the flow in node `llm_1`")),
            ]
        );
        let schema = &MODULE[flow.schema_range.unwrap()];
        assert_eq!(schema, "\"\"");
    }

    #[test]
    fn a_declared_schema_is_placed_and_not_a_flow_is_none() {
        let dir = root("declared");
        let text = MODULE.replace(
            "advance_schema: \"\"",
            "advance_schema: \"{\\\"topic\\\": \\\"string\\\"}\"",
        );
        let flow = read(&dir.join("flows/debate.ts"), &text, &dir)
            .unwrap()
            .unwrap();
        assert_eq!(flow.export.input.dialect, Dialect::TypeMap);
        assert!(text[flow.schema_range.unwrap()].contains("topic"));
        assert!(
            read(&dir.join("flows/util.ts"), "export const x = 1;", &dir)
                .unwrap()
                .is_none()
        );
        let broken = read(
            &dir.join("flows/b.ts"),
            "export const nodes = [{ id: 'a' }];",
            &dir,
        )
        .unwrap_err();
        assert!(broken.message.contains("no trigger"), "{}", broken.message);
    }

    #[test]
    fn fields_read_in_templates() {
        assert_eq!(
            fields_read(
                "{{t.output.a}} {{ t.output.b.c }} {{other.output.x}} {{t.output.a}}",
                "t"
            ),
            ["a", "b"]
        );
    }
}
