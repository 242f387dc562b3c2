//! What a document is checked against (configuration, project, schema source and age, flows,
//! the last fetch failure), for the editors' status items, `:checkhealth` and `flowql status`.

use std::path::PathBuf;

use serde::Serialize;

use crate::base::age::describe_age;
use crate::schema::SchemaSource;
use crate::workspace::projects::endpoint_of;
use crate::workspace::resolved::{FetchState, Resolved, EDITOR_SETTINGS};

/// Where the schema in use comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SchemaKind {
    /// Compiled into flowql.
    Bundled,
    /// Schema files named by the configuration.
    File,
    /// A copy of the endpoint's schema read from the disk cache.
    Cache,
    /// Fetched from the endpoint by this process.
    Live,
}

/// A failed fetch, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchError {
    pub code: String,
    /// The HTTP status the failure stands for, as the catalog gives it.
    pub status: String,
    pub message: String,
    pub fix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaStatus {
    pub kind: SchemaKind,
    /// A few words for a status bar: "bundled", "file", "cached 3 h ago", "live".
    pub summary: String,
    /// One sentence: which files, which endpoint, how old.
    pub detail: String,
    pub endpoint: Option<String>,
    pub age_seconds: Option<u64>,
    pub last_error: Option<FetchError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowsStatus {
    /// Flows known (from `flows`, `flowExports` and the REST API's cache).
    pub count: usize,
    /// The REST API's last failure, while it stands.
    pub last_error: Option<FetchError>,
}

/// A project of the platform's layout: its root, its steps and flows, and (from `flowql
/// status`, which reads the project's code) its flow calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KitStatus {
    pub root: PathBuf,
    pub steps: Vec<StepStatus>,
    /// The flow files read.
    pub flows: usize,
    pub flow_calls: Option<FlowCallsStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepStatus {
    pub id: String,
    pub env_key: Option<String>,
    /// Its flow file was found (`flows/<id>.*`).
    pub has_flow: bool,
    /// `.env` or `.env.local` gives its variable a real value.
    pub deployed_id_known: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowCallsStatus {
    pub found: usize,
    pub resolved: usize,
    pub checked: usize,
    pub unresolved: Vec<UnresolvedCall>,
}

/// A flow call flowql could not resolve, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnresolvedCall {
    /// Relative to the project root.
    pub file: PathBuf,
    /// 1-based.
    pub line: u32,
    pub method: String,
    pub reason: String,
}

impl KitStatus {
    fn of(kit: &crate::surfaces::kit::Kit) -> KitStatus {
        KitStatus {
            root: kit.root.clone(),
            steps: kit
                .steps
                .steps
                .iter()
                .map(|step| StepStatus {
                    id: step.id.clone(),
                    env_key: step.env_key.as_ref().map(|(k, _)| k.clone()),
                    has_flow: kit.flow_of_step(&step.id).is_some(),
                    deployed_id_known: step.workflow_id.is_some()
                        || step
                            .env_key
                            .as_ref()
                            .is_some_and(|(k, _)| kit.env.real_value(k).is_some()),
                })
                .collect(),
            flows: kit.flows.len(),
            flow_calls: None,
        }
    }
}

/// Everything a status item shows for one document's project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub version: &'static str,
    /// The graphql-config file in use; `None` without one (or with the editor's settings only).
    pub config: Option<PathBuf>,
    pub project: Option<String>,
    pub schema: SchemaStatus,
    pub flows: FlowsStatus,
    /// Why the configuration could not be used as written, when that is so.
    pub problem: Option<String>,
    /// The project of the platform's layout, when the document is in one.
    pub kit: Option<KitStatus>,
    /// Globs (absolute, `/`-separated) of the JSON files flowql checks: the configuration's
    /// payload files and `*.variables.json`, so an editor can hand them to the server.
    pub json_globs: Vec<String>,
}

fn fetch_error(state: Option<&FetchState>) -> Option<FetchError> {
    let (failure, _) = state?.failure.as_ref()?;
    let entry = failure.code.entry();
    Some(FetchError {
        code: failure.code.to_string(),
        status: crate::base::catalog::status_text(entry),
        message: failure.message.clone(),
        fix: entry.fix.to_string(),
    })
}

impl Status {
    pub fn of(resolved: &Resolved) -> Status {
        let remote = resolved.remote.as_ref();
        let (kind, summary, endpoint, age) = match &resolved.schema.source {
            SchemaSource::Bundled => (SchemaKind::Bundled, "bundled".to_string(), None, None),
            SchemaSource::Files(_) => (SchemaKind::File, "file".to_string(), None, None),
            SchemaSource::Remote {
                endpoint,
                fetched_at,
            } => {
                let age = crate::base::age::age_since(*fetched_at);
                if remote.is_some_and(|r| r.live) {
                    (
                        SchemaKind::Live,
                        "live".to_string(),
                        Some(endpoint),
                        Some(age),
                    )
                } else {
                    let summary = format!("cached {} ago", describe_age(age));
                    (SchemaKind::Cache, summary, Some(endpoint), Some(age))
                }
            }
        };
        let endpoint = endpoint
            .cloned()
            .or_else(|| remote.map(|r| endpoint_of(&r.what).to_string()));
        let config = resolved
            .config
            .as_ref()
            .map(|c| c.path.clone())
            .filter(|p| p.as_os_str() != EDITOR_SETTINGS);
        let mut json_globs = Vec::new();
        if let Some(config) = &resolved.config {
            let dir = config.path.parent().map(PathBuf::from).unwrap_or_default();
            for project in &config.projects {
                for mapping in &project.settings.payloads {
                    let glob = dir.join(mapping.files.trim_start_matches("./"));
                    json_globs.push(glob.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        if let Some(kit) = &resolved.kit {
            // The JSON flow files, for their own problems.
            for glob in ["flows/*.json", "flows/*/config.json"] {
                json_globs.push(kit.root.join(glob).to_string_lossy().replace('\\', "/"));
            }
        }
        json_globs.push("**/*.variables.json".to_string());
        json_globs.dedup();
        Status {
            version: env!("CARGO_PKG_VERSION"),
            config,
            project: resolved.project.clone(),
            schema: SchemaStatus {
                kind,
                summary,
                detail: resolved.schema.source.describe(),
                endpoint,
                age_seconds: age.map(|a| a.as_secs()),
                last_error: fetch_error(remote),
            },
            flows: FlowsStatus {
                count: resolved.flows.len(),
                last_error: fetch_error(resolved.flows_api.as_ref()),
            },
            problem: resolved.fallback_reason.clone(),
            kit: resolved.kit.as_deref().map(KitStatus::of),
            json_globs,
        }
    }

    /// A few lines for people (`flowql status`, `:checkhealth`).
    pub fn render(&self) -> String {
        let mut out = format!("flowql {}\n", self.version);
        match &self.config {
            Some(path) => out.push_str(&format!("configuration: {}\n", path.display())),
            None => out.push_str("configuration: none found (the bundled schema is used)\n"),
        }
        if let Some(project) = &self.project {
            out.push_str(&format!("project: {project}\n"));
        }
        out.push_str(&format!(
            "schema: {} ({})\n",
            self.schema.summary, self.schema.detail
        ));
        if let Some(error) = &self.schema.last_error {
            out.push_str(&format!(
                "last schema fetch failed: {} [{}, {}]; {}\n",
                error.message, error.code, error.status, error.fix
            ));
        }
        out.push_str(&format!("flows known: {}\n", self.flows.count));
        if let Some(error) = &self.flows.last_error {
            out.push_str(&format!(
                "last flow fetch failed: {} [{}, {}]; {}\n",
                error.message, error.code, error.status, error.fix
            ));
        }
        if let Some(problem) = &self.problem {
            out.push_str(&format!("problem: {problem}\n"));
        }
        if let Some(kit) = &self.kit {
            out.push_str(&format!(
                "platform project: {} ({} flow files, {} steps)\n",
                kit.root.display(),
                kit.flows,
                kit.steps.len()
            ));
            for step in &kit.steps {
                out.push_str(&format!(
                    "  step {}: {}{}{}\n",
                    step.id,
                    step.env_key
                        .as_deref()
                        .map_or("no envKey".to_string(), |k| format!("envKey {k}")),
                    if step.has_flow { "" } else { ", no flow file" },
                    if step.deployed_id_known {
                        ", deployed id in .env"
                    } else {
                        ""
                    },
                ));
            }
            if let Some(calls) = &kit.flow_calls {
                out.push_str(&format!(
                    "flow calls: {} found, {} resolved, {} with the payload checked\n",
                    calls.found, calls.resolved, calls.checked
                ));
                for call in &calls.unresolved {
                    out.push_str(&format!(
                        "  unresolved: {}:{} {}: {}\n",
                        call.file.display(),
                        call.line,
                        call.method,
                        call.reason
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::projects::Workspace;

    #[test]
    fn without_configuration_the_bundled_schema_is_reported() {
        let dir = std::env::temp_dir().join(format!("flowql-status-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let status = Status::of(&Workspace::new().for_file(Some(&dir.join("a.graphql"))));
        assert_eq!(status.schema.kind, SchemaKind::Bundled);
        assert_eq!(status.config, None);
        assert_eq!(status.json_globs, vec!["**/*.variables.json".to_string()]);
        assert!(status.render().contains("schema: bundled"));
    }

    #[test]
    fn payload_globs_are_made_absolute() {
        let dir = std::env::temp_dir().join(format!("flowql-status-globs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(".graphqlrc.yml"),
            "schema: s.graphql\nextensions:\n  flowql:\n    payloads:\n      - files: ./payloads/*.json\n        flow: f1\n",
        )
        .unwrap();
        std::fs::write(dir.join("s.graphql"), "type Query { a: Int }").unwrap();
        let status = Status::of(&Workspace::new().for_file(Some(&dir.join("a.graphql"))));
        assert_eq!(status.schema.kind, SchemaKind::File);
        assert_eq!(status.config, Some(dir.join(".graphqlrc.yml")));
        assert_eq!(
            status.json_globs[0],
            format!("{}/payloads/*.json", dir.display())
        );
        let json = serde_json::to_value(&status).unwrap();
        assert_eq!(json["schema"]["kind"], "file");
        assert_eq!(json["project"], "default");
    }
}
