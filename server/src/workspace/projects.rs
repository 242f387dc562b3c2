//! The projects of a session: configurations and kits read once and kept until a file they
//! came from changes, their schemas built once, the failures of their fetches.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use crate::config::{self, Config, ConfigError, FlowqlSettings};
use crate::flows::registry::FlowRegistry;
use crate::platform::failure::FetchFailure;
use crate::platform::flows_api::OrgApi;
use crate::platform::{Fetchable, Remote};
use crate::schema::{self, ProjectSchema, SchemaSource};
use crate::surfaces::kit::Kit;
use crate::workspace::check::check_document;
use crate::workspace::resolved::{
    operation_of_variables, ConfigFailure, FetchState, ResolveError, Resolved, EDITOR_SETTINGS,
};

struct Cached {
    stamps: Vec<(PathBuf, Option<SystemTime>)>,
    schemas: HashMap<String, Arc<ProjectSchema>>,
    registries: HashMap<String, Arc<FlowRegistry>>,
    config: Arc<Config>,
    /// For a project of the platform's layout: what it holds.
    kit: Option<Arc<Kit>>,
    /// The overlay changes it was read with (kits only).
    overlay_changes: u64,
}

/// The calls of one code file of a kit: kept from the file as saved, or of its open document.
pub enum FileCalls {
    Saved(Arc<Vec<crate::surfaces::call::CallSummary>>),
    Open(Arc<crate::checks::document::Analysis>),
}

impl FileCalls {
    pub fn calls(&self) -> &[crate::surfaces::call::CallSummary] {
        match self {
            FileCalls::Saved(calls) => calls,
            FileCalls::Open(analysis) => &analysis.flow_calls,
        }
    }
}

/// Caches configurations and their schemas by config file.
#[derive(Default)]
pub struct Workspace {
    cache: Mutex<HashMap<PathBuf, Cached>>,
    /// The editor's settings, underneath every configuration file's.
    editor: Mutex<FlowqlSettings>,
    /// The last failure of each endpoint, until a fetch succeeds.
    failures: Mutex<HashMap<Fetchable, (FetchFailure, Instant)>>,
    /// What this process fetched successfully.
    fetched: Mutex<std::collections::HashSet<Fetchable>>,
    /// Open buffers of the platform layout's files (flows, `lamatic.config`), read instead of
    /// their files, and a counter of their changes (a kit read before a change is stale).
    overlays: Mutex<crate::surfaces::kit::Overlays>,
    overlay_changes: std::sync::atomic::AtomicU64,
    /// The calls of projects' code files as saved, for their configurations' checks.
    project_calls: crate::workspace::project_calls::ProjectCalls,
}

/// The URL a fetchable is fetched from.
pub fn endpoint_of(what: &Fetchable) -> &str {
    match what {
        Fetchable::Schema(remote) => &remote.endpoint.url,
        Fetchable::Flows(api) => &api.base,
    }
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

fn stamp(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl Workspace {
    pub fn new() -> Self {
        Workspace::default()
    }

    pub fn editor_settings(&self) -> FlowqlSettings {
        self.editor
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the editor's settings; configurations are read again with them.
    pub fn set_editor_settings(&self, settings: FlowqlSettings) {
        *self.editor.lock().unwrap_or_else(|e| e.into_inner()) = settings;
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The configuration and schema for a file on disk (found upward from its folder), or the
    /// bundled schema for a file that has no configuration or is not on disk. Never fails: a
    /// problem is reported in `fallback_reason` and the bundled schema is used.
    pub fn for_file(&self, file: Option<&Path>) -> Resolved {
        let mut resolved = self.for_file_inner(file);
        resolved.file = file.map(Path::to_path_buf);
        resolved.is_json = file.is_some_and(is_json);
        resolved.host = file.and_then(crate::surfaces::code::HostLanguage::of_path);
        if resolved.variables_of.is_none() {
            resolved.variables_of = file.and_then(operation_of_variables);
        }
        resolved
    }

    /// For a project's `lamatic.config` (`resolved` is its): the diagnostics that need every
    /// call of the project, read from its code files as saved, or from `open`, the analyses of
    /// open documents as edited.
    pub fn config_diagnostics(
        &self,
        resolved: &Resolved,
        open: &[(PathBuf, Arc<crate::checks::document::Analysis>)],
    ) -> Vec<crate::base::diagnostic::Diagnostic> {
        let (Some(kit), Some(file)) = (&resolved.kit, &resolved.file) else {
            return Vec::new();
        };
        if kit.config_file.as_ref() != Some(file) || kit.steps.steps.is_empty() {
            return Vec::new();
        }
        let files = self.kit_calls(resolved, open);
        let shown = |p: &Path| p.strip_prefix(&kit.root).unwrap_or(p).display().to_string();
        let names: Vec<String> = files.iter().map(|(p, _)| shown(p)).collect();
        let calls: Vec<_> = files
            .iter()
            .zip(&names)
            .flat_map(|((_, calls), name)| calls.calls().iter().map(move |c| (name.as_str(), c)))
            .collect();
        crate::checks::project::unread_steps::check(kit, &resolved.flows, &calls)
    }

    /// The calls of every code file of `resolved`'s kit (but `resolved`'s own file): those of
    /// the open documents in `open` as edited, the others as saved.
    pub fn kit_calls(
        &self,
        resolved: &Resolved,
        open: &[(PathBuf, Arc<crate::checks::document::Analysis>)],
    ) -> Vec<(PathBuf, FileCalls)> {
        let Some(kit) = &resolved.kit else {
            return Vec::new();
        };
        let ours = |p: &Path| {
            Some(p) != resolved.file.as_deref()
                && p.parent()
                    .and_then(crate::surfaces::kit::find_root)
                    .is_some_and(|root| root == kit.root)
        };
        let open: Vec<_> = open.iter().filter(|(p, _)| ours(p)).collect();
        let saved = self.project_calls.of_kit(
            kit,
            &resolved.flows,
            &|p| Some(p) == resolved.file.as_deref() || open.iter().any(|(o, _)| o == p),
            &|p, text| check_document(text, &self.for_file(Some(p))).flow_calls,
        );
        saved
            .into_iter()
            .map(|(path, calls)| (path, FileCalls::Saved(calls)))
            .chain(
                open.into_iter()
                    .map(|(path, analysis)| (path.clone(), FileCalls::Open(analysis.clone()))),
            )
            .collect()
    }

    /// What a document in `dir` (which need not exist) would be checked against.
    pub fn for_folder(&self, dir: &Path) -> Resolved {
        self.for_file(Some(&dir.join("flowql-folder.graphql")))
    }

    /// The configuration that applies to a file: the nearest graphql-config file, or the
    /// nearest project of the platform's layout when it is nearer (its `lamatic.config` file,
    /// or its `flows/` folder when it has none).
    pub fn config_path_for(file: &Path) -> Option<PathBuf> {
        let dir = file.parent()?;
        let graphql = config::find(dir);
        let kit = crate::surfaces::kit::find_root(dir);
        match (graphql, kit) {
            (Some(graphql), Some(kit)) => {
                let graphql_dir = graphql.parent().unwrap_or(Path::new(""));
                if kit != graphql_dir && kit.starts_with(graphql_dir) {
                    Some(crate::surfaces::kit::marker(&kit))
                } else {
                    Some(graphql)
                }
            }
            (Some(graphql), None) => Some(graphql),
            (None, Some(kit)) => Some(crate::surfaces::kit::marker(&kit)),
            (None, None) => None,
        }
    }

    fn for_file_inner(&self, file: Option<&Path>) -> Resolved {
        let config_path = file.and_then(Workspace::config_path_for).or_else(|| {
            // No configuration file: the editor's settings, if they name an endpoint, act as one.
            self.editor_settings()
                .endpoint
                .is_some()
                .then(|| PathBuf::from(EDITOR_SETTINGS))
        });
        let Some(config_path) = config_path else {
            return Resolved::bundled(None, None);
        };
        match self.resolve(&config_path, file) {
            Ok(resolved) => resolved,
            Err(e) => {
                let offset = match &e {
                    ResolveError::Config(ConfigError::Syntax { offset, .. }) => *offset,
                    _ => None,
                };
                let config_failure = matches!(e, ResolveError::Config(_)).then(|| ConfigFailure {
                    path: config_path.clone(),
                    message: e.to_string(),
                    offset,
                });
                Resolved::bundled(
                    config_failure,
                    Some(format!("{e}; checking against the bundled platform schema")),
                )
            }
        }
    }

    /// Records a failed fetch, shown until the next success.
    pub fn record_failure(&self, what: &Fetchable, failure: FetchFailure) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(what.clone(), (failure, Instant::now()));
    }

    /// Records a successful fetch: its failure is forgotten and its copy counts as live.
    pub fn record_success(&self, what: &Fetchable) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(what);
        self.fetched
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(what.clone());
    }

    fn fetched_live(&self, what: &Fetchable) -> bool {
        self.fetched
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(what)
    }

    /// Forgets every failure, so the next resolution fetches again (the refresh command).
    pub fn clear_failures(&self) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub fn failure(&self, what: &Fetchable) -> Option<(FetchFailure, Instant)> {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(what)
            .cloned()
    }

    /// Every configuration read so far.
    pub fn configs(&self) -> Vec<Arc<Config>> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let mut configs: Vec<Arc<Config>> = cache.values().map(|c| c.config.clone()).collect();
        configs.sort_by(|a, b| a.path.cmp(&b.path));
        configs
    }

    /// The configuration at `config_path`, read once and again only when the file changes.
    pub fn config(&self, config_path: &Path) -> Result<Arc<Config>, ConfigError> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        self.refresh(&mut cache, config_path)?;
        Ok(cache[config_path].config.clone())
    }

    fn refresh(
        &self,
        cache: &mut HashMap<PathBuf, Cached>,
        config_path: &Path,
    ) -> Result<(), ConfigError> {
        let overlay_changes = self
            .overlay_changes
            .load(std::sync::atomic::Ordering::Relaxed);
        let fresh = cache.get(config_path).is_some_and(|c| {
            c.stamps.iter().all(|(p, t)| stamp(p) == *t)
                && (c.kit.is_none() || c.overlay_changes == overlay_changes)
        });
        if !fresh && crate::surfaces::kit::is_marker(config_path) {
            let (cached, _) = self.load_kit(config_path);
            cache.insert(config_path.to_path_buf(), cached);
        } else if !fresh && config_path == Path::new(EDITOR_SETTINGS) {
            let config = Arc::new(Config::from_settings(config_path, self.editor_settings()));
            cache.insert(
                config_path.to_path_buf(),
                Cached {
                    // Replaced whenever the editor sends new settings.
                    stamps: Vec::new(),
                    schemas: HashMap::new(),
                    registries: HashMap::new(),
                    config,
                    kit: None,
                    overlay_changes: 0,
                },
            );
        } else if !fresh {
            let config = Arc::new(Config::load_with(config_path, &self.editor_settings())?);
            let dotenv = config.dir().join(".env");
            cache.insert(
                config_path.to_path_buf(),
                Cached {
                    stamps: vec![
                        (config_path.to_path_buf(), stamp(config_path)),
                        (dotenv.clone(), stamp(&dotenv)),
                    ],
                    schemas: HashMap::new(),
                    registries: HashMap::new(),
                    config,
                    kit: None,
                    overlay_changes: 0,
                },
            );
        }
        Ok(())
    }

    /// Reads a project of the platform's layout: its flows, steps and env files, and the
    /// connection its `.env` gives (over the editor's settings).
    fn load_kit(&self, marker: &Path) -> (Cached, Arc<Kit>) {
        let root = marker.parent().unwrap_or(Path::new("."));
        let overlay_changes = self
            .overlay_changes
            .load(std::sync::atomic::Ordering::Relaxed);
        let overlays = self
            .overlays
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut kit = Kit::load_with(root, &overlays);
        let mut registry = crate::surfaces::kit::registry::registry(&kit);
        // Problems of the flows' input schemas belong in their flow files, at the schema.
        for problem in std::mem::take(&mut registry.problems) {
            let range = kit
                .flows
                .iter()
                .find(|f| f.file == problem.file)
                .and_then(|f| f.schema_range.clone())
                .unwrap_or(0..0);
            kit.problems.push(crate::surfaces::kit::KitProblem {
                file: problem.file,
                range,
                code: crate::base::catalog::Code::FlowSchemaInvalid,
                severity: crate::base::catalog::Severity::Warning,
                message: problem.message,
            });
        }
        let mut settings = kit.settings();
        let editor = self.editor_settings();
        settings.endpoint = settings.endpoint.or(editor.endpoint.clone());
        settings.project_id = settings.project_id.or(editor.project_id.clone());
        settings.api_key = settings.api_key.or(editor.api_key.clone());
        settings.cache_dir = editor.cache_dir.clone();
        settings.offline = editor.offline;
        settings.strict = editor.strict;
        let config = Arc::new(Config::from_settings(marker, settings));
        let mut stamps: Vec<(PathBuf, Option<SystemTime>)> =
            kit.files.iter().map(|p| (p.clone(), stamp(p))).collect();
        stamps.push((root.to_path_buf(), stamp(root)));
        let kit = Arc::new(kit);
        let mut registries = HashMap::new();
        registries.insert(config.projects[0].name.clone(), Arc::new(registry));
        (
            Cached {
                stamps,
                schemas: HashMap::new(),
                registries,
                config,
                kit: Some(kit.clone()),
                overlay_changes,
            },
            kit,
        )
    }

    /// An open buffer of a file of the platform's layout (`None` when it closes): projects are
    /// read with it from now on. Returns whether it is such a file.
    pub fn set_overlay(&self, path: &Path, text: Option<&str>) -> bool {
        if !crate::surfaces::kit::is_kit_file(path) {
            return false;
        }
        let mut overlays = self.overlays.lock().unwrap_or_else(|e| e.into_inner());
        match text {
            Some(text) => overlays.insert(path.to_path_buf(), Arc::from(text)),
            None => overlays.remove(path),
        };
        self.overlay_changes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        true
    }

    /// The configuration at `config_path` and the schema of the project `file` belongs to.
    pub fn resolve(
        &self,
        config_path: &Path,
        file: Option<&Path>,
    ) -> Result<Resolved, ResolveError> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        self.refresh(&mut cache, config_path)?;
        let cached = cache.get_mut(config_path).expect("inserted above");
        let config = cached.config.clone();
        let kit = cached.kit.clone();
        let project = match file {
            Some(file) => config.project_for(file),
            None => &config.projects[0],
        };
        let remote = if project.schema.is_empty() {
            Remote::from_settings(&project.settings)
        } else {
            None
        };
        let schema = match cached.schemas.get(&project.name) {
            Some(schema) => schema.clone(),
            None => {
                let schema = if let Some(remote) = &remote {
                    // The cache file is stamped too: when a fetch rewrites it, the schema is
                    // rebuilt on the next resolution.
                    cached
                        .stamps
                        .push((remote.cache_path.clone(), stamp(&remote.cache_path)));
                    match remote.cached() {
                        Some(entry) => Arc::new(schema::from_sdl(
                            &[(&entry.sdl, &remote.endpoint.url)],
                            SchemaSource::Remote {
                                endpoint: remote.endpoint.url.clone(),
                                fetched_at: entry.fetched_at,
                            },
                        )),
                        None => schema::bundled(),
                    }
                } else if project.schema.is_empty() {
                    schema::bundled()
                } else {
                    let paths: Vec<PathBuf> =
                        project.schema.iter().map(|s| config.resolve(s)).collect();
                    let loaded = Arc::new(schema::load_files(&paths)?);
                    if !loaded.problems.is_empty() {
                        tracing::info!(
                            "{} has {} errors; operations are validated against what could be built (first: {})",
                            loaded.source.describe(),
                            loaded.problems.len(),
                            loaded.problems[0]
                        );
                    }
                    cached
                        .stamps
                        .extend(paths.iter().map(|p| (p.clone(), stamp(p))));
                    loaded
                };
                cached.schemas.insert(project.name.clone(), schema.clone());
                schema
            }
        };
        let flows = match cached.registries.get(&project.name) {
            Some(flows) => flows.clone(),
            None => {
                let mut flows = FlowRegistry::load(
                    config.dir(),
                    project.settings.flows.as_ref(),
                    &project.settings.flow_exports,
                );
                if let Some(api) = OrgApi::from_settings(&project.settings) {
                    // Stamped, so that a fetch that rewrites it rebuilds the registry.
                    cached
                        .stamps
                        .push((api.cache_path.clone(), stamp(&api.cache_path)));
                    match api.cached() {
                        Some(fetched) => flows.add_exports(&fetched.flows, &api.cache_path),
                        None => flows.incomplete = true,
                    }
                }
                let flows = Arc::new(flows);
                cached
                    .stamps
                    .extend(flows.files.iter().map(|p| (p.clone(), stamp(p))));
                cached
                    .registries
                    .insert(project.name.clone(), flows.clone());
                flows
            }
        };
        let flows_api = OrgApi::from_settings(&project.settings).map(|api| {
            let age = api.cached().map(|c| c.age());
            let what = Fetchable::Flows(api);
            FetchState {
                failure: self.failure(&what),
                live: self.fetched_live(&what),
                what,
                age,
            }
        });
        let strict = project.settings.strict;
        let payload_flow = file.and_then(|f| config.payload_flow(project, f));
        let remote = remote.map(|remote| {
            let age = match &schema.source {
                SchemaSource::Remote { fetched_at, .. } => {
                    Some(crate::base::age::age_since(*fetched_at))
                }
                _ => None,
            };
            let what = Fetchable::Schema(remote);
            FetchState {
                failure: self.failure(&what),
                live: self.fetched_live(&what),
                what,
                age,
            }
        });
        let fallback_reason = remote.as_ref().and_then(|state| {
            let (failure, _) = state.failure.as_ref()?;
            state.age.is_none().then(|| {
                format!(
                    "the schema of {} could not be fetched ({}); checking against the bundled platform schema",
                    endpoint_of(&state.what), failure.message
                )
            })
        });
        let is_schema = file.is_some_and(|f| config.schema_files(project).iter().any(|s| s == f));
        Ok(Resolved {
            kit,
            file: file.map(Path::to_path_buf),
            is_schema,
            is_json: file.is_some_and(is_json),
            host: file.and_then(crate::surfaces::code::HostLanguage::of_path),
            variables_of: file.and_then(|f| {
                config
                    .operation_of_variables(project, f)
                    .or_else(|| operation_of_variables(f))
            }),
            project: Some(project.name.clone()),
            config: Some(config),
            schema,
            fallback_reason,
            remote,
            config_failure: None,
            flows,
            flows_api,
            strict,
            payload_flow,
        })
    }
}
