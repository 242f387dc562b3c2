//! The server's side of the platform: background schema fetches with progress, one message per
//! distinct failure, and the diagnostics of configuration files (their own problems and the
//! fetch failures, each at the key the user has to change).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::base::age::describe_age;
use crate::base::catalog::Code;
use crate::base::document::Document;
use crate::config::{locate, Config};
use crate::platform::cache::DEFAULT_TTL;
use crate::platform::failure::FetchFailure;
use crate::platform::fetch::FetchOptions;
use crate::platform::flows_api::OrgApi;
use crate::platform::{Fetchable, Remote};
use crate::workspace::{ConfigFailure, Resolved};

/// Fetch limits; tests shorten them with `FLOWQL_FETCH_TIMEOUT_MS` and `FLOWQL_FETCH_WAIT_MS`.
pub fn fetch_options() -> FetchOptions {
    let mut options = FetchOptions::default();
    let millis = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .map(std::time::Duration::from_millis)
    };
    if let Some(timeout) = millis("FLOWQL_FETCH_TIMEOUT_MS") {
        options.timeout = timeout;
    }
    if let Some(wait) = millis("FLOWQL_FETCH_WAIT_MS") {
        options.first_wait = wait;
        options.max_wait = wait * 4;
    }
    options
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl ServerState {
    /// After a document was analysed: publish its configuration's diagnostics if they changed,
    /// and start a background fetch if its schema is missing or old.
    pub async fn after_resolution(self: &Arc<Self>, resolved: &Resolved) {
        match (&resolved.kit, &resolved.config) {
            // A kit's connection comes from its `.env`: its failures go there.
            (Some(kit), config) => self.publish_kit_files(kit, config.as_deref()).await,
            (None, Some(config)) => self.publish_config(config).await,
            (None, None) => {}
        }
        if let Some(failure) = &resolved.config_failure {
            self.publish_config_failure(failure).await;
        }
        // A kit's flow problems are among its own (published with its files above).
        if resolved.kit.is_none() {
            self.publish_flow_problems(&resolved.flows).await;
        }
        for state in resolved.remote.iter().chain(resolved.flows_api.iter()) {
            if state.fetch_due(DEFAULT_TTL) {
                self.start_fetch(
                    state.what.clone(),
                    resolved.config.as_ref().map(|c| c.path.clone()),
                    false,
                );
            }
        }
    }

    /// Fetches a schema or a flow list in the background, once per source at a time. Unless
    /// `force`d, a fresh cached copy (written by a fetch that ended meanwhile) makes it a no-op.
    pub fn start_fetch(self: &Arc<Self>, what: Fetchable, config: Option<PathBuf>, force: bool) {
        if !force && what.is_fresh(DEFAULT_TTL) {
            return;
        }
        if !lock(&self.remote.in_flight).insert(what.clone()) {
            return;
        }
        let state = self.clone();
        tracing::info!("fetching {}", what.describe());
        tokio::spawn(async move {
            let options = fetch_options();
            let http = state
                .remote
                .client
                .0
                .get_or_init(|| crate::platform::fetch::client(&options))
                .clone();
            let progress = state.begin_progress(&what.describe()).await;
            let result = what.refresh(&http, &options).await;
            if let Some(progress) = progress {
                progress.finish().await;
            }
            lock(&state.remote.in_flight).remove(&what);
            match result {
                Ok(summary) => {
                    tracing::info!("fetched {} ({summary})", what.describe());
                    state.workspace.record_success(&what);
                }
                Err(failure) => {
                    tracing::warn!("fetching {} failed: {failure}", what.describe());
                    state.workspace.record_failure(&what, failure.clone());
                    state.show_failure_once(&failure).await;
                }
            }
            if let Some(config) = config {
                if crate::surfaces::kit::is_marker(&config) {
                    let root = config.parent().unwrap_or(std::path::Path::new("."));
                    let resolved = state.workspace.for_folder(root);
                    if let Some(kit) = &resolved.kit {
                        state
                            .publish_kit_files(kit, resolved.config.as_deref())
                            .await;
                    }
                } else if let Ok(config) = state.workspace.config(&config) {
                    state.publish_config(&config).await;
                }
            }
            state.reschedule_all();
        });
    }

    async fn begin_progress(
        &self,
        url: &str,
    ) -> Option<
        tower_lsp_server::OngoingProgress<
            tower_lsp_server::Unbounded,
            tower_lsp_server::NotCancellable,
        >,
    > {
        if !self.progress_supported() {
            return None;
        }
        let client = self.client()?;
        let token = lsp::ProgressToken::String(format!("flowql/fetch/{url}"));
        let created = client
            .send_request::<lsp::request::WorkDoneProgressCreate>(
                lsp::WorkDoneProgressCreateParams {
                    token: token.clone(),
                },
            )
            .await;
        if created.is_err() {
            return None;
        }
        Some(
            client
                .progress(token, "flowql: fetching the schema")
                .with_message(url.to_string())
                .begin()
                .await,
        )
    }

    async fn show_failure_once(&self, failure: &FetchFailure) {
        let key = format!("{}|{}", failure.code, failure.message);
        if !lock(&self.remote.shown).insert(key) {
            return;
        }
        if let Some(client) = self.client() {
            client
                .show_message(
                    lsp::MessageType::WARNING,
                    format!(
                        "flowql: {} [{}]. {}",
                        failure.message,
                        failure.code,
                        failure.code.entry().fix
                    ),
                )
                .await;
        }
    }

    /// Where a document's schema comes from, and the last fetch failure, for hovers.
    pub fn schema_note(resolved: &Resolved) -> String {
        let mut note = format!("_Schema: {}._", resolved.schema.source.describe());
        if let Some((failure, _)) = resolved.remote.as_ref().and_then(|r| r.failure.as_ref()) {
            note.push_str(&format!(
                " _The last fetch failed: {} [`{}`]. {}_",
                failure.message,
                failure.code,
                failure.code.entry().fix
            ));
        }
        note
    }

    /// Forgets failures and fetches every configured endpoint again (`flowql.refreshSchemas`).
    pub fn refresh_all(self: &Arc<Self>) {
        self.workspace.clear_failures();
        lock(&self.remote.shown).clear();
        // Read each configuration again first: a key fixed in `.env` must be the one used.
        let configs: Vec<_> = self
            .workspace
            .configs()
            .iter()
            .filter_map(|c| self.workspace.config(&c.path).ok())
            .collect();
        for config in configs {
            for project in &config.projects {
                for what in fetchables(project) {
                    self.start_fetch(what, Some(config.path.clone()), true);
                }
            }
        }
        self.reschedule_all();
    }

    /// Problems of flow input schemas, on their files.
    async fn publish_flow_problems(&self, flows: &crate::flows::registry::FlowRegistry) {
        let mut by_file: HashMap<&std::path::Path, Vec<&str>> = HashMap::new();
        for problem in &flows.problems {
            by_file
                .entry(&problem.file)
                .or_default()
                .push(&problem.message);
        }
        for file in &flows.files {
            let messages = by_file.remove(file.as_path()).unwrap_or_default();
            // At the start of the file: no need to read it.
            let doc = Document::new("", 0);
            let diagnostics = messages
                .into_iter()
                .map(|message| {
                    let core = crate::base::diagnostic::Diagnostic::new(
                        Code::FlowSchemaInvalid,
                        0..0,
                        message,
                    );
                    proto::diagnostic(&core, &doc, self.encoding(), &self.docs_base())
                })
                .collect();
            self.publish_to_config(file, diagnostics).await;
        }
    }

    /// A configuration file that cannot be used: one error where the parser stopped.
    async fn publish_config_failure(&self, failure: &ConfigFailure) {
        let text = std::fs::read_to_string(&failure.path).unwrap_or_default();
        let doc = Document::new(&text, 0);
        let offset = failure.offset.unwrap_or(0).min(text.len());
        let core = crate::base::diagnostic::Diagnostic::new(
            Code::ConfigInvalid,
            offset..offset,
            format!(
                "{}; flowql checks against the bundled platform schema until it is fixed",
                failure.message
            ),
        );
        let diagnostic = proto::diagnostic(&core, &doc, self.encoding(), &self.docs_base());
        self.publish_to_config(&failure.path, vec![diagnostic])
            .await;
    }

    /// Publishes a configuration file's diagnostics when they differ from the last ones.
    pub async fn publish_config(&self, config: &Config) {
        let doc = Document::new(&config.text, 0);
        let encoding = self.encoding();
        let base = self.docs_base();
        let mut diagnostics: Vec<lsp::Diagnostic> = config
            .problems
            .iter()
            .map(|p| {
                let core = crate::base::diagnostic::Diagnostic::new(
                    p.code,
                    p.range.clone(),
                    p.message.clone(),
                );
                proto::diagnostic(&core, &doc, encoding, &base)
            })
            .collect();
        for (project, what, diagnostic) in self.standing_failures(config) {
            let prefix = project_prefix(&project);
            let mut diagnostic = diagnostic;
            diagnostic.range = failure_range(config, &prefix, &what, diagnostic.code);
            diagnostics.push(proto::diagnostic(&diagnostic, &doc, encoding, &base));
        }
        self.publish_to_config(&config.path, diagnostics).await;
    }

    /// The failures of a configuration's fetches that still stand, each a warning (at no place
    /// yet) that says what flowql uses meanwhile, with its project's name and what failed.
    pub(super) fn standing_failures(
        &self,
        config: &Config,
    ) -> Vec<(String, Fetchable, crate::base::diagnostic::Diagnostic)> {
        let mut out = Vec::new();
        for project in &config.projects {
            for what in fetchables(project) {
                let Some((failure, _)) = self.workspace.failure(&what) else {
                    continue;
                };
                let standing_in = match &what {
                    Fetchable::Schema(remote) => match remote.cached() {
                        Some(entry) => format!(
                            "checking against the copy fetched {} ago",
                            describe_age(entry.age())
                        ),
                        None => "checking against the bundled platform schema".to_string(),
                    },
                    Fetchable::Flows(api) => match api.cached() {
                        Some(cached) => {
                            format!("using the flows fetched {} ago", describe_age(cached.age()))
                        }
                        None => "payloads of these flows are not checked until they can be fetched"
                            .to_string(),
                    },
                };
                let diagnostic = crate::base::diagnostic::Diagnostic::new(
                    failure.code,
                    0..0,
                    format!("{}; {standing_in}", failure.message),
                )
                .with_severity(crate::base::catalog::Severity::Warning);
                out.push((project.name.clone(), what, diagnostic));
            }
        }
        out
    }

    /// Forgets what was published for `path` (its document is open and publishes its own), so
    /// that the next publication for it goes out.
    pub(super) fn forget_published(&self, path: &std::path::Path) {
        lock(&self.remote.published).remove(path);
    }

    pub(super) async fn publish_to_config(
        &self,
        path: &std::path::Path,
        diagnostics: Vec<lsp::Diagnostic>,
    ) {
        let fingerprint = serde_json::to_string(&diagnostics).unwrap_or_default();
        {
            let mut published = lock(&self.remote.published);
            let previous = published.insert(path.to_path_buf(), fingerprint.clone());
            // Nothing to say, and nothing said before that needs clearing.
            if previous.as_ref() == Some(&fingerprint)
                || previous.is_none() && diagnostics.is_empty()
            {
                return;
            }
        }
        let (Some(client), Some(uri)) = (self.client(), lsp::Uri::from_file_path(path)) else {
            return;
        };
        client.publish_diagnostics(uri, diagnostics, None).await;
    }
}

/// What a project fetches from the platform: its schema (when no `schema` files are named) and
/// its flows (when the REST API is configured).
fn fetchables(project: &crate::config::Project) -> Vec<Fetchable> {
    let schema = Remote::from_settings(&project.settings)
        .filter(|_| project.schema.is_empty())
        .map(Fetchable::Schema);
    let flows = OrgApi::from_settings(&project.settings).map(Fetchable::Flows);
    schema.into_iter().chain(flows).collect()
}

/// Where a project's settings live in its file: the top level, or `projects.<name>`.
fn project_prefix(name: &str) -> String {
    if name == "default" {
        String::new()
    } else {
        format!("projects.{name}.")
    }
}

/// The key a failure is about: the key for 401, the project for 403, else the URL.
fn failure_range(
    config: &Config,
    prefix: &str,
    what: &Fetchable,
    code: Code,
) -> std::ops::Range<usize> {
    let (key, project, url) = match what {
        Fetchable::Schema(_) => ("apiKey", "projectId", "endpoint"),
        Fetchable::Flows(_) => ("orgKey", "orgId", "restApi"),
    };
    let key = match code {
        Code::Unauthorized | Code::OrgKeyOnProjectEndpoint => key,
        Code::Forbidden => project,
        _ => url,
    };
    let range = locate::key(&config.text, &format!("{prefix}extensions.flowql.{key}"));
    if range.is_empty() {
        locate::key(&config.text, &format!("{prefix}extensions.flowql.{url}"))
    } else {
        range
    }
}
