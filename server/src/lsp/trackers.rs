//! The small state each concern of the server keeps between requests, held by `ServerState`:
//! fragments of open and saved documents, fetches in flight, the status last sent, the pull
//! mode, kit files given diagnostics, the inlay hints setting, lens refreshes, running flows.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tower_lsp_server::ls_types::Uri;

use crate::checks::graphql::fragments::{FragmentDef, ProjectFragments};
use crate::platform::Fetchable;
use crate::workspace::Resolved;

/// Which project a document belongs to: its configuration file and project name (none for a
/// document outside any configuration).
pub type ProjectKey = Option<(PathBuf, String)>;

pub fn project_key(resolved: &Resolved) -> ProjectKey {
    let config = resolved.config.as_ref()?;
    Some((
        config.path.clone(),
        resolved.project.clone().unwrap_or_default(),
    ))
}

/// What the server remembers of an open document's fragments, after its newest analysis.
#[derive(Debug, Default, Clone)]
pub struct OpenFragments {
    /// The version of the text they were read from (none before the first analysis).
    pub version: Option<i32>,
    pub project: ProjectKey,
    pub defined: Vec<Arc<FragmentDef>>,
    pub spreads: HashSet<String>,
}

/// The saved fragments of each project's document files.
#[derive(Default)]
pub struct DiskFragments {
    pub(super) projects: Mutex<HashMap<(PathBuf, String), Arc<ProjectFragments>>>,
}

impl DiskFragments {
    pub(super) fn projects(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(PathBuf, String), Arc<ProjectFragments>>> {
        self.projects.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets everything read (a watched file changed).
    pub fn clear(&self) {
        self.projects().clear();
    }

    pub(super) fn of(&self, resolved: &Resolved) -> Arc<ProjectFragments> {
        let Some(key) = project_key(resolved) else {
            return Arc::default();
        };
        if let Some(found) = self.projects().get(&key) {
            return found.clone();
        }
        let files: Vec<PathBuf> = resolved
            .config
            .as_ref()
            .and_then(|config| {
                let project = config.projects.iter().find(|p| p.name == key.1)?;
                config.document_files(project).ok()
            })
            .unwrap_or_default()
            .into_iter()
            .filter(|p| {
                p.extension().is_some_and(|e| e == "graphql" || e == "gql")
                    || crate::surfaces::code::HostLanguage::of_path(p).is_some()
            })
            .collect();
        let read = Arc::new(ProjectFragments::from_files(&files));
        self.projects().insert(key, read.clone());
        read
    }
}

/// What the fetch side of the server keeps.
#[derive(Default)]
pub struct RemoteTracker {
    pub(super) in_flight: Mutex<HashSet<Fetchable>>,
    /// Failure messages already shown with `window/showMessage`.
    pub(super) shown: Mutex<HashSet<String>>,
    /// What was last published for each configuration file, to publish only changes.
    pub(super) published: Mutex<HashMap<PathBuf, String>>,
    pub(super) client: OnceHttp,
}

/// The HTTP client, built on first use (building it reads the system's certificates).
#[derive(Default)]
pub(super) struct OnceHttp(pub(super) std::sync::OnceLock<reqwest::Client>);

/// Whether the client wants `flowql/status` notifications, and the last status sent per
/// document, so that only changes are sent.
#[derive(Default)]
pub struct StatusTracker {
    pub(super) wanted: AtomicBool,
    pub(super) sent: Mutex<HashMap<Uri, Value>>,
}

impl StatusTracker {
    pub fn set_wanted(&self, wanted: bool) {
        self.wanted.store(wanted, Ordering::Relaxed);
    }
}

/// What the client said it supports.
#[derive(Default)]
pub struct PullMode {
    /// The client pulls document diagnostics: none are pushed for open documents.
    pub(super) pulls: AtomicBool,
    /// The client accepts `workspace/diagnostic/refresh` (asked when a schema or configuration
    /// changes every document's results).
    pub(super) refresh: AtomicBool,
}

impl PullMode {
    pub fn set(&self, pulls: bool, refresh: bool) {
        self.pulls.store(pulls, Ordering::Relaxed);
        self.refresh.store(pulls && refresh, Ordering::Relaxed);
    }

    pub fn pulls(&self) -> bool {
        self.pulls.load(Ordering::Relaxed)
    }
}

/// For each kit (by root): what its files' diagnostics were last made from, and the files
/// given diagnostics (to clear them once they have none).
#[derive(Default)]
pub struct KitFiles(pub(super) Mutex<HashMap<PathBuf, (String, HashSet<PathBuf>)>>);

/// Whether the editor wants the hints (`flowql.inlayHints`, on unless set to false).
pub struct InlayHintsSetting(pub(super) AtomicBool);

impl Default for InlayHintsSetting {
    fn default() -> Self {
        InlayHintsSetting(AtomicBool::new(true))
    }
}

impl InlayHintsSetting {
    pub fn set(&self, on: bool) {
        self.0.store(on, Ordering::Relaxed);
    }

    pub fn on(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Whether the client accepts `workspace/codeLens/refresh`, asked when a call changes which
/// flow it runs: the call counts over an open flow file change with it.
#[derive(Default)]
pub struct LensRefresh(pub(super) AtomicBool);

impl LensRefresh {
    pub fn set(&self, supported: bool) {
        self.0.store(supported, Ordering::Relaxed);
    }
}

/// The runs going on, by progress token, each with the switch that stops it.
#[derive(Default)]
pub struct Runs {
    pub(super) next: AtomicU64,
    pub(super) stops: Mutex<HashMap<String, tokio::sync::oneshot::Sender<()>>>,
}
