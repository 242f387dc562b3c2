//! The diagnostics of files that are not open documents of the server, published when they
//! change: a configuration's own problems and the fetch failures that stand, each at the key
//! the user has to change; flow schema files; and a kit's own files while closed: its env files
//! (editors do not hand `.env` buffers to a language server of code), with the failures of
//! fetching with the connection they give at the name to change, and its flow files and
//! configuration (a JSON flow or `lamatic.config.yaml` is never opened with the server), so
//! that the Problems panel lists them. An open document publishes its own.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::base::age::describe_age;
use crate::base::catalog::Code;
use crate::base::document::Document;
use crate::config::{locate, Config};
use crate::platform::flows_api::OrgApi;
use crate::platform::{Fetchable, Remote};
use crate::surfaces::kit::Kit;
use crate::workspace::{ConfigFailure, Resolved};

/// The `.env` names a failure is about: the key for 401, the project for 403, else the URL.
fn names_for(code: Code) -> &'static [&'static str] {
    match code {
        Code::Unauthorized | Code::OrgKeyOnProjectEndpoint => {
            &["LAMATIC_API_KEY", "LAMATIC_PROJECT_API_KEY"]
        }
        Code::Forbidden => &["LAMATIC_PROJECT_ID"],
        _ => crate::surfaces::kit::env_checks::ENDPOINT_NAMES,
    }
}

impl ServerState {
    /// Publishes what the files behind a resolution say, where it changed: its kit's files
    /// (a kit's connection comes from its `.env`, so its failures go there) or its
    /// configuration, a configuration that cannot be used, and its flows' schema files.
    pub(super) async fn publish_files_of(&self, resolved: &Resolved) {
        match (&resolved.kit, &resolved.config) {
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
    }

    /// Publishes the diagnostics of `kit`'s files that are not open documents, when they
    /// changed; `config` is the connection the kit stands for (its failures are placed at the
    /// `.env` names it read).
    pub(super) async fn publish_kit_files(&self, kit: &Kit, config: Option<&Config>) {
        let failures = config
            .map(|c| self.standing_failures(c))
            .unwrap_or_default();
        let encoding = self.encoding();
        let base = self.docs_base();
        let open: HashSet<PathBuf> = self
            .documents()
            .values()
            .filter_map(|d| d.path.clone())
            .collect();
        let mut files: BTreeSet<PathBuf> = kit.env.files.iter().cloned().collect();
        files.extend(kit.problems.iter().map(|p| p.file.clone()));
        // Made from the same reading of the kit, failures and open files: nothing to do (the
        // files are not read again on every keystroke of every document of the kit).
        let made_from = format!(
            "{}|{:?}|{:?}",
            kit.reading,
            failures
                .iter()
                .map(|(_, _, d)| &d.message)
                .collect::<Vec<_>>(),
            files
                .iter()
                .filter(|f| open.contains(*f))
                .collect::<Vec<_>>()
        );
        let before = {
            let mut published = self.kit_files.0.lock().unwrap_or_else(|e| e.into_inner());
            let entry = (made_from.clone(), files.iter().cloned().collect());
            match published.insert(kit.root.clone(), entry) {
                Some((previous, _)) if previous == made_from => return,
                Some((_, before)) => before,
                None => HashSet::new(),
            }
        };
        // Files that had diagnostics and have none now are cleared.
        files.extend(before);
        for file in &files {
            if open.contains(file) {
                self.forget_published(file);
                continue;
            }
            // A file too large to be read by the kit has its problem at its start: no need to
            // read it here either.
            let too_large = kit.env.too_large.contains(file)
                || std::fs::metadata(file).is_ok_and(|m| {
                    m.len() > crate::surfaces::kit::flow_module::MAX_FLOW_BYTES as u64
                });
            let text = if too_large {
                String::new()
            } else {
                crate::surfaces::kit::env_files::read_lossy(file).unwrap_or_default()
            };
            let mut found = crate::workspace::kit_problems_of(kit, file, &text);
            for (_, _, failure) in &failures {
                let at = names_for(failure.code)
                    .iter()
                    .find_map(|name| kit.env.values.get(*name));
                if let Some(entry) = at.filter(|e| e.file == *file) {
                    let mut failure = failure.clone();
                    failure.range = entry.range.clone();
                    found.push(failure);
                }
            }
            found.sort_by_key(|d| (d.range.start, d.range.end));
            let doc = Document::new(&text, 0);
            let diagnostics = found
                .iter()
                .map(|d| proto::diagnostic(d, &doc, encoding, &base))
                .collect();
            self.publish_to_config(Path::new(file), diagnostics).await;
        }
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
        self.remote
            .published
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(path);
    }

    /// Publishes diagnostics on a file that is not an open document, unless they are the ones
    /// last published there (or there are none, and none were published).
    pub(super) async fn publish_to_config(
        &self,
        path: &std::path::Path,
        diagnostics: Vec<lsp::Diagnostic>,
    ) {
        let fingerprint = serde_json::to_string(&diagnostics).unwrap_or_default();
        {
            let mut published = self
                .remote
                .published
                .lock()
                .unwrap_or_else(|e| e.into_inner());
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
pub(super) fn fetchables(project: &crate::config::Project) -> Vec<Fetchable> {
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
