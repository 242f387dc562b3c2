//! The server's side of the platform: which fetches a resolution needs, one fetch of a schema
//! or a flow list with progress, and one message per distinct failure. The analysis loop starts
//! the fetches in the background and analyses again when one ends (`analysis_loop.rs`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tower_lsp_server::ls_types as lsp;

use super::closed_files::fetchables;
use super::state::ServerState;
use crate::platform::cache::DEFAULT_TTL;
use crate::platform::failure::FetchFailure;
use crate::platform::fetch::FetchOptions;
use crate::platform::Fetchable;
use crate::workspace::Resolved;

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
    /// The fetches a resolution needs: its schema or flows, when missing or old, each with the
    /// configuration they are for.
    pub(super) fn fetches_due(&self, resolved: &Resolved) -> Vec<(Fetchable, Option<PathBuf>)> {
        resolved
            .remote
            .iter()
            .chain(resolved.flows_api.iter())
            .filter(|state| state.fetch_due(DEFAULT_TTL))
            .map(|state| {
                (
                    state.what.clone(),
                    resolved.config.as_ref().map(|c| c.path.clone()),
                )
            })
            .collect()
    }

    /// Whether a fetch of `what` is to start now: once per source at a time and, unless
    /// `force`d, not when a fresh cached copy (written by a fetch that ended meanwhile) is there.
    /// A true answer holds the source until [`ServerState::fetch`] ends.
    pub(super) fn claim_fetch(&self, what: &Fetchable, force: bool) -> bool {
        if !force && what.is_fresh(DEFAULT_TTL) {
            return false;
        }
        lock(&self.remote.in_flight).insert(what.clone())
    }

    /// Fetches a claimed schema or flow list, records how it went, and publishes the
    /// diagnostics of the configuration (or kit) it is for.
    pub(super) async fn fetch(self: &Arc<Self>, what: Fetchable, config: Option<PathBuf>) {
        tracing::info!("fetching {}", what.describe());
        let options = fetch_options();
        let http = self
            .remote
            .client
            .0
            .get_or_init(|| crate::platform::fetch::client(&options))
            .clone();
        let progress = self.begin_progress(&what.describe()).await;
        let result = what.refresh(&http, &options).await;
        if let Some(progress) = progress {
            progress.finish().await;
        }
        lock(&self.remote.in_flight).remove(&what);
        match result {
            Ok(summary) => {
                tracing::info!("fetched {} ({summary})", what.describe());
                self.workspace.record_success(&what);
            }
            Err(failure) => {
                tracing::warn!("fetching {} failed: {failure}", what.describe());
                self.workspace.record_failure(&what, failure.clone());
                self.show_failure_once(&failure).await;
            }
        }
        if let Some(config) = config {
            if crate::surfaces::kit::is_marker(&config) {
                let root = config.parent().unwrap_or(std::path::Path::new("."));
                let resolved = self.workspace.for_folder(root);
                if let Some(kit) = &resolved.kit {
                    self.publish_kit_files(kit, resolved.config.as_deref())
                        .await;
                }
            } else if let Ok(config) = self.workspace.config(&config) {
                self.publish_config(&config).await;
            }
        }
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

    /// Forgets failures and says what every configuration fetches, read again (a key fixed
    /// in `.env` must be the one used), for `flowql.refreshSchemas`.
    pub(super) fn refresh_targets(&self) -> Vec<(Fetchable, PathBuf)> {
        self.workspace.clear_failures();
        lock(&self.remote.shown).clear();
        let configs: Vec<_> = self
            .workspace
            .configs()
            .iter()
            .filter_map(|c| self.workspace.config(&c.path).ok())
            .collect();
        configs
            .iter()
            .flat_map(|config| {
                config.projects.iter().flat_map(|project| {
                    fetchables(project)
                        .into_iter()
                        .map(|what| (what, config.path.clone()))
                })
            })
            .collect()
    }
}
