//! What applies to one file: its configuration (or kit), schema and flows, and why it is not
//! the configured one when it is not.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::{Config, ConfigError};
use crate::flows::registry::FlowRegistry;
use crate::platform::failure::FetchFailure;
use crate::platform::Fetchable;
use crate::schema::{self, ProjectSchema, SchemaLoadError};
use crate::surfaces::kit::Kit;

/// The schema to check a file against, and why it is not the configured one when it is not.
#[derive(Clone)]
pub struct Resolved {
    pub config: Option<Arc<Config>>,
    /// The name of the document's project in `config`.
    pub project: Option<String>,
    pub schema: Arc<ProjectSchema>,
    /// Set when the configuration or its schema could not be used and the bundled schema
    /// stands in: the reason, for a diagnostic.
    pub fallback_reason: Option<String>,
    /// The project's endpoint, when its schema comes from one.
    pub remote: Option<FetchState>,
    /// The organisation REST API, when the project's flows come from it.
    pub flows_api: Option<FetchState>,
    /// A configuration file that could not be used at all, for a diagnostic on it.
    pub config_failure: Option<ConfigFailure>,
    /// The project's flows, for payload checks.
    pub flows: Arc<FlowRegistry>,
    /// `strict`: missing and unknown payload fields are errors.
    pub strict: bool,
    /// For a payload JSON file: the flow the configuration sends it to.
    pub payload_flow: Option<String>,
    /// The file is JSON (a payload file, or not for flowql at all).
    pub is_json: bool,
    /// The file is code with GraphQL in its literals (JavaScript, TypeScript, Python).
    pub host: Option<crate::surfaces::code::HostLanguage>,
    /// For `name.variables.json`: the operation file beside it (`name.graphql` or `.gql`).
    pub variables_of: Option<PathBuf>,
    /// The project in the platform's own layout (`lamatic.config.ts`, `flows/`), when the file
    /// is in one and no graphql-config is nearer.
    pub kit: Option<Arc<Kit>>,
    /// The file checked, when on disk.
    pub file: Option<PathBuf>,
    /// The file is one of the project's schema files: not an operation.
    pub is_schema: bool,
}

impl Resolved {
    /// The bundled schema and nothing else: no configuration applies.
    pub(crate) fn bundled(
        config_failure: Option<ConfigFailure>,
        fallback_reason: Option<String>,
    ) -> Resolved {
        Resolved {
            config: None,
            project: None,
            schema: schema::bundled(),
            fallback_reason,
            remote: None,
            flows_api: None,
            config_failure,
            flows: Arc::default(),
            strict: false,
            payload_flow: None,
            is_json: false,
            host: None,
            variables_of: None,
            kit: None,
            file: None,
            is_schema: false,
        }
    }
}

/// The operation file a variables file belongs to, by convention: `op.variables.json` beside
/// `op.graphql` (or `op.gql`).
pub fn operation_of_variables(file: &Path) -> Option<PathBuf> {
    let name = file.file_name()?.to_str()?;
    let stem = name.strip_suffix(".variables.json")?;
    ["graphql", "gql"]
        .iter()
        .map(|ext| file.with_file_name(format!("{stem}.{ext}")))
        .find(|candidate| candidate.is_file())
}

/// The variables file beside an operation file, if there is one.
pub fn variables_of_operation(file: &Path) -> Option<PathBuf> {
    let stem = file.file_stem()?.to_str()?;
    let candidate = file.with_file_name(format!("{stem}.variables.json"));
    candidate.is_file().then_some(candidate)
}

/// A configuration file that could not be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFailure {
    pub path: PathBuf,
    pub message: String,
    /// Where in the file, when the parser says.
    pub offset: Option<usize>,
}

/// Something of the project's that is fetched (schema or flows) and what is known of it.
#[derive(Debug, Clone)]
pub struct FetchState {
    pub what: Fetchable,
    /// Age of the cached copy in use; `None` when there is none.
    pub age: Option<Duration>,
    /// The last fetch failure, while it stands.
    pub failure: Option<(FetchFailure, Instant)>,
    /// The copy in use was fetched by this process (not only read from the disk cache).
    pub live: bool,
}

impl FetchState {
    /// Whether a background fetch is due: no copy or an old one, not offline, and no failure
    /// in the last minute (a refresh command clears failures).
    pub fn fetch_due(&self, ttl: Duration) -> bool {
        let recently_failed = self
            .failure
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() < crate::platform::RETRY_AFTER_FAILURE);
        !self.what.offline() && !recently_failed && self.age.is_none_or(|age| age >= ttl)
    }
}

/// What can stop a configured project from being checked.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Schema(#[from] SchemaLoadError),
}

/// The name under which the editor's settings stand in for a configuration file.
pub const EDITOR_SETTINGS: &str = "<editor settings>";
