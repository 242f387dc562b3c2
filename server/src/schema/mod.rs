//! The GraphQL schema a project is checked against: the bundled platform schema, or SDL files.
//! A schema with errors is still used: operations are validated against what could be built.

pub mod introspection;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use apollo_compiler::validation::Valid;
use apollo_compiler::Schema;

/// The SDL of the platform's project API, compiled into the binary.
pub const BUNDLED_SDL: &str = include_str!("bundled.graphql");

/// Where the schema in use came from; shown in hovers and by `flowql check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaSource {
    /// The schema compiled into flowql, reconstructed from the platform's public docs.
    Bundled,
    /// SDL files named by the configuration.
    Files(Vec<PathBuf>),
    /// Fetched from a project endpoint (and cached on disk) at this Unix time.
    Remote { endpoint: String, fetched_at: u64 },
}

impl SchemaSource {
    pub fn describe(&self) -> String {
        match self {
            SchemaSource::Bundled => "the bundled platform schema".to_string(),
            SchemaSource::Files(paths) => {
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                format!("schema file {}", names.join(", "))
            }
            SchemaSource::Remote {
                endpoint,
                fetched_at,
            } => {
                let age = crate::base::age::age_since(*fetched_at);
                format!(
                    "the schema of {endpoint} (fetched {} ago)",
                    crate::base::age::describe_age(age)
                )
            }
        }
    }
}

/// A schema ready to validate operations, with the problems found while building it.
#[derive(Debug)]
pub struct ProjectSchema {
    pub schema: Valid<Schema>,
    pub source: SchemaSource,
    /// The schema's own errors, as messages (empty for a clean schema). Operations are still
    /// validated against the partial schema that could be built.
    pub problems: Vec<String>,
}

impl ProjectSchema {
    pub fn is_bundled(&self) -> bool {
        self.source == SchemaSource::Bundled
    }
}

/// Why a schema could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum SchemaLoadError {
    #[error("cannot read schema file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("schema file {path} is not an introspection result: {message}")]
    Introspection { path: PathBuf, message: String },
    #[error("schema file {path} defines no types")]
    Empty { path: PathBuf },
}

/// The bundled schema, built once per process and shared.
pub fn bundled() -> Arc<ProjectSchema> {
    static BUNDLED: OnceLock<Arc<ProjectSchema>> = OnceLock::new();
    BUNDLED
        .get_or_init(|| {
            Arc::new(from_sdl(
                &[(BUNDLED_SDL, "bundled.graphql")],
                SchemaSource::Bundled,
            ))
        })
        .clone()
}

/// Builds a schema from SDL texts (several files form one schema), keeping it even when it has
/// errors.
pub fn from_sdl(sources: &[(&str, &str)], source: SchemaSource) -> ProjectSchema {
    let mut builder = Schema::builder().adopt_orphan_extensions();
    for (text, path) in sources {
        builder = builder.parse(*text, *path);
    }
    let mut problems = Vec::new();
    let schema = match builder.build() {
        Ok(schema) => schema,
        Err(with_errors) => {
            problems.extend(with_errors.errors.iter().map(|d| d.error.to_string()));
            with_errors.partial
        }
    };
    let schema = match schema.validate() {
        Ok(valid) => valid,
        Err(with_errors) => {
            problems.extend(with_errors.errors.iter().map(|d| d.error.to_string()));
            // The partial schema is what a tolerant server would serve; validating operations
            // against it gives exact diagnostics even when the schema breaks a rule.
            Valid::assume_valid(with_errors.partial)
        }
    };
    problems.dedup();
    ProjectSchema {
        schema,
        source,
        problems,
    }
}

/// Loads SDL files named by the configuration (already resolved against its folder).
pub fn load_files(paths: &[PathBuf]) -> Result<ProjectSchema, SchemaLoadError> {
    let mut texts = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|source| SchemaLoadError::Read {
            path: path.clone(),
            source,
        })?;
        let text = if path.extension().is_some_and(|e| e == "json") {
            introspection_file_to_sdl(path, &text)?
        } else {
            text
        };
        if text.trim().is_empty() {
            return Err(SchemaLoadError::Empty { path: path.clone() });
        }
        texts.push((text, path.display().to_string()));
    }
    let sources: Vec<(&str, &str)> = texts
        .iter()
        .map(|(t, p)| (t.as_str(), p.as_str()))
        .collect();
    Ok(from_sdl(&sources, SchemaSource::Files(paths.to_vec())))
}

fn introspection_file_to_sdl(path: &Path, text: &str) -> Result<String, SchemaLoadError> {
    let failed = |message: String| SchemaLoadError::Introspection {
        path: path.to_path_buf(),
        message,
    };
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| failed(format!("invalid JSON: {e}")))?;
    introspection::to_sdl(&json).map_err(|e| failed(e.to_string()))
}

/// `http://` or `https://`: a schema location that would need fetching.
pub fn is_url(location: &str) -> bool {
    location.starts_with("http://") || location.starts_with("https://")
}

/// A path for diagnostics: relative to `base` when it is inside it.
pub fn display_path(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_schema_is_clean_and_has_the_platform_fields() {
        let bundled = bundled();
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        let schema = &bundled.schema;
        let query = schema.get_object("Query").unwrap();
        assert!(query.fields.contains_key("executeWorkflow"));
        assert!(query.fields.contains_key("executeAgent"));
        assert!(query.fields.contains_key("checkStatus"));
        let mutation = schema.get_object("Mutation").unwrap();
        assert!(mutation.fields.contains_key("submitFeedback"));
        let subscription = schema.get_object("Subscription").unwrap();
        assert!(subscription
            .fields
            .contains_key("executeWorkflowWithStream"));
        assert!(schema.types.contains_key("JSON"));
    }

    #[test]
    fn schema_with_duplicate_fields_is_kept_with_problems() {
        let sdl = "type Query { a: Int a: String b: Int }";
        let loaded = from_sdl(&[(sdl, "dup.graphql")], SchemaSource::Bundled);
        assert!(!loaded.problems.is_empty());
        let query = loaded.schema.get_object("Query").unwrap();
        assert!(query.fields.contains_key("b"));
    }

    #[test]
    fn introspection_json_files_load() {
        let dir = std::env::temp_dir().join(format!("flowql-introspection-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let json = introspection::execute(&bundled().schema, introspection::INTROSPECTION_QUERY);
        let good = dir.join("schema.json");
        std::fs::write(&good, json.to_string()).unwrap();
        let loaded = load_files(&[good]).unwrap();
        assert!(loaded
            .schema
            .get_object("Query")
            .unwrap()
            .fields
            .contains_key("executeWorkflow"));
        let bad = dir.join("bad.json");
        std::fs::write(&bad, "{\"data\": {}}").unwrap();
        let err = load_files(&[bad]).unwrap_err().to_string();
        assert!(
            err.contains("not an introspection result") && err.contains("__schema"),
            "{err}"
        );
    }

    #[test]
    fn missing_file_is_a_read_error() {
        let err = load_files(&[PathBuf::from("/nonexistent/schema.graphql")]).unwrap_err();
        assert!(matches!(err, SchemaLoadError::Read { .. }));
        assert!(err.to_string().contains("/nonexistent/schema.graphql"));
    }
}
