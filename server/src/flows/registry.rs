//! The flow registry of a project: flow id -> name, status, trigger and compiled input schema,
//! from the configuration's `flows` map and `flowExports` globs. Every input schema is compiled
//! once, when the registry is built.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::Glob;
use serde_json::Value;

use super::dialect::compile;
use super::export::{self, TriggerKind};
use super::validate::CompiledInput;

/// One flow, ready to check payloads.
pub struct Flow {
    pub id: String,
    pub name: Option<String>,
    pub status: Option<String>,
    pub trigger: TriggerKind,
    pub response_mode: Option<String>,
    pub input: CompiledInput,
    /// The keys of the `result` it answers with, when known.
    pub outputs: Vec<String>,
    /// The file the flow's schema came from.
    pub origin: PathBuf,
    /// The trigger's place in that file, when known (a kit's flow files).
    pub trigger_at: Option<std::ops::Range<usize>>,
    /// The id a run sends: the flow's own id, or for a kit's flow file the deployed id its
    /// step's environment variable (or `workflowId`, or the export) gives; `None` when unknown.
    pub deployed_id: Option<String>,
    /// For a kit's flow: the environment variable its step reads the deployed id from.
    pub env_key: Option<String>,
}

impl Flow {
    /// A flow from its export, under `id`, with its schema read from `origin`.
    pub fn from_export(id: String, export: export::FlowExport, origin: &Path) -> Flow {
        Flow {
            deployed_id: Some(id.clone()),
            id,
            name: export.name,
            status: export.status,
            trigger: export.trigger,
            response_mode: export.response_mode,
            input: CompiledInput::new(export.input),
            outputs: export.outputs,
            origin: origin.to_path_buf(),
            trigger_at: None,
            env_key: None,
        }
    }

    pub fn is_inactive(&self) -> bool {
        self.status.as_deref() == Some("inactive")
    }

    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("{name} ({})", self.id),
            None => self.id.clone(),
        }
    }
}

/// A problem with a flow's schema file, reported on that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryProblem {
    pub file: PathBuf,
    pub message: String,
}

/// The flows of a project.
#[derive(Default)]
pub struct FlowRegistry {
    flows: HashMap<String, Arc<Flow>>,
    pub problems: Vec<RegistryProblem>,
    /// Every file read, for change detection.
    pub files: Vec<PathBuf>,
    /// A source of flows is configured but could not be read yet (the REST API before its
    /// first successful fetch): an id missing here may well exist, so it is not flagged.
    pub incomplete: bool,
    /// Other names of flows: a kit's step ids and the ids `.env` gives its flows.
    aliases: HashMap<String, String>,
    /// Environment variable -> the flow whose deployed id it holds (a step's `envKey`).
    env_flows: HashMap<String, String>,
}

impl FlowRegistry {
    /// Whether any source of flows is configured: without one, flow ids are not checked.
    pub fn is_configured(&self) -> bool {
        !self.flows.is_empty() || !self.files.is_empty()
    }

    /// A digest of what resolving a flow reference depends on (the flow ids, their other names
    /// and environment variables): equal digests, equal resolutions, whatever else changed.
    pub fn names_digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        fn sorted(map: &HashMap<String, String>) -> Vec<(&String, &String)> {
            let mut pairs: Vec<(&String, &String)> = map.iter().collect();
            pairs.sort();
            pairs
        }
        let mut ids: Vec<&String> = self.flows.keys().collect();
        ids.sort();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (ids, sorted(&self.aliases), sorted(&self.env_flows)).hash(&mut hasher);
        (self.incomplete, self.files.is_empty()).hash(&mut hasher);
        hasher.finish()
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Flow>> {
        self.flows
            .get(id)
            .or_else(|| self.flows.get(self.aliases.get(id)?))
    }

    /// The flow whose deployed id the environment variable `name` holds.
    pub fn by_env(&self, name: &str) -> Option<&Arc<Flow>> {
        self.flows.get(self.env_flows.get(name)?)
    }

    /// Whether `name` is a step id or an `envKey` of the project (a string an app may pass to
    /// a helper that looks the flow up), and its flow.
    pub fn by_step_or_env(&self, name: &str) -> Option<&Arc<Flow>> {
        self.by_env(name).or_else(|| self.get(name))
    }

    /// The environment variables that hold flow ids.
    pub fn env_names(&self) -> impl Iterator<Item = &str> {
        self.env_flows.keys().map(String::as_str)
    }

    /// An empty registry of a project whose deployed ids live on the platform: an id not
    /// known here is not flagged (`surfaces::kit::registry` fills it from a kit).
    pub fn of_deployed_project() -> FlowRegistry {
        FlowRegistry {
            incomplete: true,
            ..FlowRegistry::default()
        }
    }

    /// Another id the flow under `key` answers to.
    pub fn add_alias(&mut self, id: String, key: String) {
        self.aliases.insert(id, key);
    }

    /// An environment variable that holds the id of the flow under `key`.
    pub fn add_env_name(&mut self, name: String, key: String) {
        self.env_flows.insert(name, key);
    }

    /// Whether a flow is known under `key` (not an alias).
    pub fn has_key(&self, key: &str) -> bool {
        self.flows.contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.flows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.flows.is_empty()
    }

    pub fn flows(&self) -> impl Iterator<Item = &Arc<Flow>> {
        self.flows.values()
    }

    /// Reads the `flows` map and the `flowExports` globs, relative to `dir`.
    pub fn load(dir: &Path, flows: Option<&Value>, exports: &[String]) -> FlowRegistry {
        let mut registry = FlowRegistry::default();
        if let Some(Value::Object(map)) = flows {
            for (id, entry) in map {
                registry.load_entry(dir, id, entry);
            }
        }
        for pattern in exports {
            registry.load_exports(dir, pattern);
        }
        registry
    }

    fn problem(&mut self, file: &Path, message: String) {
        self.problems.push(RegistryProblem {
            file: file.to_path_buf(),
            message,
        });
    }

    fn read_json(&mut self, path: &Path) -> Option<Value> {
        self.files.push(path.to_path_buf());
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                self.problem(path, format!("cannot read {}: {e}", path.display()));
                return None;
            }
        };
        match serde_json::from_str(&text) {
            Ok(value) => Some(value),
            Err(e) => {
                self.problem(path, format!("{} is not valid JSON: {e}", path.display()));
                None
            }
        }
    }

    /// One entry of `flows`: `{ name?, schema: <path>, status? }`, where the file holds an
    /// input schema in any dialect or a whole flow export.
    fn load_entry(&mut self, dir: &Path, id: &str, entry: &Value) {
        let Some(schema_path) = entry.get("schema").and_then(Value::as_str) else {
            self.problem(dir, format!("flow `{id}` in `flows` has no `schema` path"));
            return;
        };
        let path = dir.join(schema_path);
        let Some(json) = self.read_json(&path) else {
            return;
        };
        let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_string);
        let flow = if json.get("nodes").is_some() {
            match export::parse(&json) {
                Ok(export) => Flow {
                    id: id.to_string(),
                    name: text("name").or(export.name),
                    status: text("status").or(export.status),
                    trigger: export.trigger,
                    response_mode: export.response_mode,
                    input: CompiledInput::new(export.input),
                    outputs: export.outputs,
                    origin: path.clone(),
                    trigger_at: None,
                    deployed_id: Some(id.to_string()),
                    env_key: None,
                },
                Err(message) => {
                    self.problem(&path, message);
                    return;
                }
            }
        } else {
            Flow {
                id: id.to_string(),
                name: text("name"),
                status: text("status"),
                trigger: TriggerKind::ApiRequest,
                response_mode: None,
                input: CompiledInput::new(compile(&json)),
                outputs: Vec::new(),
                origin: path.clone(),
                trigger_at: None,
                deployed_id: Some(id.to_string()),
                env_key: None,
            }
        };
        self.add(flow);
    }

    fn load_exports(&mut self, dir: &Path, pattern: &str) {
        let Ok(glob) = Glob::new(pattern.trim_start_matches("./")) else {
            self.problem(dir, format!("`flowExports`: invalid glob `{pattern}`"));
            return;
        };
        let matcher = glob.compile_matcher();
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_entry(|e| e.file_name() != "node_modules" && e.file_name() != ".git")
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter(|e| {
                e.path()
                    .strip_prefix(dir)
                    .is_ok_and(|r| matcher.is_match(r))
            })
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for path in files {
            let Some(json) = self.read_json(&path) else {
                continue;
            };
            match export::parse(&json) {
                Ok(export) => {
                    let Some(id) = export.id.clone() else {
                        self.problem(&path, "the flow export has no `id`".into());
                        continue;
                    };
                    self.add(Flow::from_export(id, export, &path));
                }
                Err(message) => self.problem(&path, message),
            }
        }
    }

    /// Adds flow exports fetched from the platform (cached in `origin`).
    pub fn add_exports(&mut self, exports: &[Value], origin: &Path) {
        for json in exports {
            match export::parse(json) {
                Ok(export) => {
                    let Some(id) = export.id.clone() else {
                        continue;
                    };
                    self.add(Flow::from_export(id, export, origin));
                }
                Err(message) => self.problem(origin, message),
            }
        }
        // The cache file counts as read, so the registry is "configured".
        self.files.push(origin.to_path_buf());
    }

    pub fn add(&mut self, flow: Flow) {
        for problem in &flow.input.input.problems {
            let at = if problem.field.is_empty() {
                String::new()
            } else {
                format!("`{}`: ", problem.field)
            };
            self.problems.push(RegistryProblem {
                file: flow.origin.clone(),
                message: format!(
                    "input schema of flow {}: {at}{}",
                    flow.label(),
                    problem.message
                ),
            });
        }
        if let Some(error) = &flow.input.validator_error {
            self.problems.push(RegistryProblem {
                file: flow.origin.clone(),
                message: format!(
                    "input schema of flow {} cannot be used: {error}",
                    flow.label()
                ),
            });
        }
        self.flows.insert(flow.id.clone(), Arc::new(flow));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("flowql-registry-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("flows")).unwrap();
        dir
    }

    #[test]
    fn loads_config_entries_and_exports() {
        let dir = dir("load");
        std::fs::write(
            dir.join("summarize.json"),
            r#"{"url": "string", "maxWords": "int"}"#,
        )
        .unwrap();
        let export = json!({"id": "f-2", "name": "Translate", "status": "inactive", "nodes": [
            {"data": {"trigger": true, "nodeId": "graphqlNode", "values": {"advance_schema": "{\"text\": \"string\"}"}}}]});
        std::fs::write(dir.join("flows/translate.json"), export.to_string()).unwrap();
        std::fs::write(dir.join("flows/broken.json"), "{nope").unwrap();
        let flows = json!({"f-1": {"name": "Summarize", "schema": "summarize.json"}});
        let registry = FlowRegistry::load(&dir, Some(&flows), &["flows/*.json".to_string()]);
        assert_eq!(registry.len(), 2);
        let summarize = registry.get("f-1").unwrap();
        assert_eq!(summarize.name.as_deref(), Some("Summarize"));
        assert_eq!(summarize.input.input.fields.len(), 2);
        let translate = registry.get("f-2").unwrap();
        assert!(translate.is_inactive());
        assert_eq!(registry.problems.len(), 1);
        assert!(registry.problems[0].message.contains("not valid JSON"));
        assert_eq!(registry.files.len(), 3);
    }

    #[test]
    fn schema_problems_name_the_flow_and_the_file() {
        let dir = dir("problems");
        std::fs::write(dir.join("s.json"), r#"{"a": "strng"}"#).unwrap();
        let flows = json!({"f-9": {"schema": "s.json"}, "f-10": {"name": "no schema"}});
        let registry = FlowRegistry::load(&dir, Some(&flows), &[]);
        let messages: Vec<&str> = registry
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("f-9") && m.contains("unknown type `strng`")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`f-10`") && m.contains("no `schema`")),
            "{messages:?}"
        );
        assert!(
            registry.get("f-9").is_some(),
            "a flow with a broken field still checks the rest"
        );
    }
}
