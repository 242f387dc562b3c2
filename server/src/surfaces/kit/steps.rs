//! The steps of `lamatic.config.ts` (its default export, read as a JavaScript literal with
//! tree-sitter, never run) or `lamatic.config.yaml`: each step's id (the flow file
//! `flows/<id>.ts`), the `envKey` that holds its deployed flow's id, and the options of
//! `any-of` steps, which are steps too.

use std::ops::Range;
use std::path::Path;

use serde_json::Value;
use tree_sitter::Node;

use crate::flows::validate::Segment;
use crate::surfaces::code::literal_values::{value_tree, LiteralPlaces};
use crate::surfaces::code::HostLanguage;

/// One step of the kit's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub id: String,
    pub id_range: Range<usize>,
    /// The environment variable that holds the deployed flow's id, and where it is written.
    pub env_key: Option<(String, Range<usize>)>,
    /// A flow id written in the configuration itself (`workflowId`, or a UUID as `envKey`).
    pub workflow_id: Option<String>,
}

/// What the configuration file says, or why it could not be read.
#[derive(Debug, Clone, Default)]
pub struct StepsFile {
    pub steps: Vec<Step>,
    /// `None` when the steps could be read; else the reason and where.
    pub problem: Option<(String, Range<usize>)>,
}

/// Reads the steps of a `lamatic.config.ts` / `.js` / `.yaml` text.
pub fn read(text: &str, path: &Path) -> StepsFile {
    let yaml = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    if yaml {
        return read_yaml(text);
    }
    let language = HostLanguage::of_path(path).unwrap_or(HostLanguage::TypeScript);
    let Some(tree) = crate::surfaces::code::js::parse(text, language) else {
        return StepsFile::default();
    };
    let Some(object) = default_export(text, tree.root_node()) else {
        return StepsFile {
            steps: Vec::new(),
            problem: Some((
                "the default export is not an object literal, so its steps (and the flows' environment variables) are not read".into(),
                0..0,
            )),
        };
    };
    let tree = value_tree(text, object);
    let mut steps = Vec::new();
    collect(&tree.value, &tree.places, &mut vec![], &mut steps);
    StepsFile {
        steps,
        problem: None,
    }
}

/// The object of `export default { ... }`, also through `as const`, `satisfies`, a name
/// bound at the top level (`const config = {...}; export default config`) or a call such as
/// `defineConfig({...})`.
fn default_export<'t>(text: &str, root: Node<'t>) -> Option<Node<'t>> {
    let mut cursor = root.walk();
    let statements: Vec<Node<'t>> = root.named_children(&mut cursor).collect();
    let exported = statements.iter().find_map(|s| {
        (s.kind() == "export_statement"
            && crate::surfaces::code::node_text(text, *s).contains("default"))
        .then(|| s.child_by_field_name("value"))
        .flatten()
    })?;
    let mut node = exported;
    for _ in 0..8 {
        match node.kind() {
            "object" => return Some(node),
            "as_expression" | "satisfies_expression" | "parenthesized_expression" => {
                node = node.named_child(0)?;
            }
            "call_expression" => {
                let arguments = node.child_by_field_name("arguments")?;
                node = arguments.named_child(0)?;
            }
            "identifier" => {
                let name = crate::surfaces::code::node_text(text, node);
                node = top_level_binding(text, &statements, name)?;
            }
            _ => return None,
        }
    }
    None
}

/// The value bound to `name` by a top-level `const`/`let`/`var` (exported or not).
pub(crate) fn top_level_binding<'t>(
    text: &str,
    statements: &[Node<'t>],
    name: &str,
) -> Option<Node<'t>> {
    statements
        .iter()
        .find_map(|statement| crate::surfaces::code::declared_value(text, *statement, name))
}

/// The steps at `steps` of `value`, and the options of each (recursively).
fn collect(value: &Value, places: &LiteralPlaces, base: &mut Vec<Segment>, out: &mut Vec<Step>) {
    let Some(list) = value.get("steps").or_else(|| value.get("options")) else {
        return;
    };
    let key = if value.get("steps").is_some() {
        "steps"
    } else {
        "options"
    };
    let Some(items) = list.as_array() else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        base.push(Segment::Key(key.to_string()));
        base.push(Segment::Index(i));
        let at = |field: &str| {
            let mut path = base.clone();
            path.push(Segment::Key(field.to_string()));
            places.values.get(&path).cloned().unwrap_or(0..0)
        };
        let text = |field: &str| item.get(field).and_then(Value::as_str).map(str::to_string);
        if let Some(id) = text("id") {
            let env_key = text("envKey");
            let uuid_key = env_key.as_deref().filter(|k| looks_like_uuid(k));
            let workflow_id = text("workflowId")
                .or(text("flowId"))
                .or(uuid_key.map(str::to_string));
            out.push(Step {
                id_range: at("id"),
                env_key: env_key
                    .filter(|k| !looks_like_uuid(k))
                    .map(|k| (k, at("envKey"))),
                workflow_id,
                id,
            });
        }
        if item.get("options").is_some() {
            collect(item, places, base, out);
        }
        base.pop();
        base.pop();
    }
}

/// `8-4-4-4-12` hexadecimal digits.
pub fn looks_like_uuid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn read_yaml(text: &str) -> StepsFile {
    let value: Value = match serde_yaml_ng::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            let at = e.location().map_or(0, |l| l.index());
            return StepsFile {
                steps: Vec::new(),
                problem: Some((format!("not valid YAML: {e}"), at..at)),
            };
        }
    };
    // YAML keeps no places: each id and envKey is found in the text after the previous one.
    let mut steps = Vec::new();
    collect(&value, &LiteralPlaces::default(), &mut vec![], &mut steps);
    let mut from = 0;
    for step in &mut steps {
        if let Some(range) = find_from(text, &step.id, from) {
            from = range.end;
            step.id_range = range;
        }
        if let Some((key, range)) = &mut step.env_key {
            if let Some(found) = find_from(text, key, from) {
                from = found.end;
                *range = found;
            }
        }
    }
    StepsFile {
        steps,
        problem: None,
    }
}

fn find_from(text: &str, needle: &str, from: usize) -> Option<Range<usize>> {
    let i = text.get(from..)?.find(needle)?;
    Some(from + i..from + i + needle.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_options_and_env_keys_of_a_typescript_config() {
        let text = r#"const config = {
  name: "Debates",
  type: "kit" as const,
  steps: [
    { id: "setup", type: "mandatory" as const, envKey: "SETUP_FLOW" },
    { id: "pick", type: "any-of", options: [
      { id: "fast", envKey: 'FAST_FLOW' },
      { id: "slow", envKey: "3f1c2a9e-0b7d-4c55-9a51-2a7f0c1d9e44" },
    ] },
  ],
} satisfies KitConfig;
export default config;
"#;
        let file = read(text, Path::new("lamatic.config.ts"));
        assert!(file.problem.is_none());
        let found: Vec<(&str, Option<&str>, Option<&str>)> = file
            .steps
            .iter()
            .map(|s| {
                (
                    &text[s.id_range.clone()],
                    s.env_key.as_ref().map(|(_, r)| &text[r.clone()]),
                    s.workflow_id.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("\"setup\"", Some("\"SETUP_FLOW\""), None),
                ("\"pick\"", None, None),
                ("\"fast\"", Some("'FAST_FLOW'"), None),
                (
                    "\"slow\"",
                    None,
                    Some("3f1c2a9e-0b7d-4c55-9a51-2a7f0c1d9e44")
                ),
            ]
        );
    }

    #[test]
    fn a_default_export_that_is_not_a_literal_is_said() {
        let file = read(
            "export default makeConfig(loadSteps());\n",
            Path::new("lamatic.config.ts"),
        );
        assert!(file.steps.is_empty());
        assert!(file.problem.unwrap().0.contains("not an object literal"));
    }

    #[test]
    fn yaml_steps_with_places() {
        let text = "name: x\nsteps:\n  - id: setup\n    envKey: SETUP_FLOW\n";
        let file = read(text, Path::new("lamatic.config.yaml"));
        assert_eq!(file.steps.len(), 1);
        let (key, range) = file.steps[0].env_key.clone().unwrap();
        assert_eq!((key.as_str(), &text[range]), ("SETUP_FLOW", "SETUP_FLOW"));
        let broken = read("steps: [\n", Path::new("lamatic.config.yaml"));
        assert!(broken.problem.unwrap().0.contains("YAML"));
    }
}
