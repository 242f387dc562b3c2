//! The server's shared state: open documents, what the client negotiated, and the trackers of
//! each concern. It calls none of the files that extend it (`analysis_loop.rs` and the request
//! families); they call it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};

use tower_lsp_server::ls_types::Uri;
use tower_lsp_server::Client;

use crate::base::document::{Change, Document, Encoding};
use crate::checks::document::Analysis;
use crate::workspace::Workspace;

use super::trackers::RemoteTracker;
use super::trackers::StatusTracker;

/// Where the error codes are documented, unless the client says otherwise.
pub const DEFAULT_DOCS_BASE: &str = "https://github.com/flowql/flowql/blob/main/docs/errors.md";

/// Where error codes link to when the client names no `docsBaseUrl`: `FLOWQL_DOCS_URL`, else
/// [`DEFAULT_DOCS_BASE`].
pub fn default_docs_base() -> String {
    std::env::var("FLOWQL_DOCS_URL").unwrap_or_else(|_| DEFAULT_DOCS_BASE.to_string())
}

/// One open document and the newest analysis of it.
pub struct OpenDocument {
    pub doc: Document,
    /// Distinguishes two openings of the same URI, so a result for a closed one is dropped.
    pub(super) generation: u64,
    pub path: Option<PathBuf>,
    /// The analysis and the version it was computed for.
    pub analysis: Option<(i32, Arc<Analysis>)>,
    /// An analysis task is running for this document.
    pub(super) running: bool,
    /// The text changed since the running analysis took its snapshot.
    pub(super) pending: bool,
    /// What the document is checked against changed (a flow, a config, a watched file) since
    /// the running analysis took its snapshot: its result, even for the current version, is
    /// not the last word.
    pub(super) recheck: bool,
    /// The fragments it defines and spreads, as of its newest analysis.
    pub fragments: super::trackers::OpenFragments,
    /// A code file's syntax tree, told of every edit since it was parsed: the next analysis
    /// re-parses only around the edits.
    pub(super) tree: Option<tree_sitter::Tree>,
    /// Its newest analysis, kept when the text or what it is checked against changes: its
    /// calls stand for the document's in its project's checks until the next one.
    pub(super) newest: Option<Arc<Analysis>>,
    /// What its newest calls say to its project's configuration (see
    /// `project_wide::calls_signature`).
    pub(super) calls_signature: Option<u64>,
}

/// State shared by the protocol handlers and the ordering layer.
pub struct ServerState {
    documents: Mutex<HashMap<Uri, OpenDocument>>,
    utf8: AtomicBool,
    shutdown_requested: AtomicBool,
    next_generation: AtomicU64,
    pub workspace: Workspace,
    docs_base: RwLock<String>,
    pub(super) client: OnceLock<Client>,
    progress: AtomicBool,
    watch: AtomicBool,
    /// The client expands snippets in completion items.
    pub(super) snippets: AtomicBool,
    /// The saved fragments of each project, for documents that spread them.
    pub(super) disk_fragments: super::trackers::DiskFragments,
    pub(super) remote: RemoteTracker,
    pub(super) status: StatusTracker,
    pub(super) pull: super::trackers::PullMode,
    /// The kit files given diagnostics while closed.
    pub(super) kit_files: super::trackers::KitFiles,
    pub(super) inlay_hints_setting: super::trackers::InlayHintsSetting,
    pub(super) lens_refresh: super::trackers::LensRefresh,
    /// Flows running at the user's request (`flowql.runFlow`).
    pub(super) runs: super::trackers::Runs,
}

impl Default for ServerState {
    fn default() -> Self {
        ServerState {
            documents: Mutex::default(),
            utf8: AtomicBool::new(false),
            shutdown_requested: AtomicBool::new(false),
            next_generation: AtomicU64::new(0),
            workspace: Workspace::new(),
            docs_base: RwLock::new(default_docs_base()),
            client: OnceLock::new(),
            progress: AtomicBool::new(false),
            watch: AtomicBool::new(false),
            snippets: AtomicBool::new(false),
            disk_fragments: Default::default(),
            remote: RemoteTracker::default(),
            status: StatusTracker::default(),
            pull: super::trackers::PullMode::default(),
            kit_files: Default::default(),
            inlay_hints_setting: Default::default(),
            lens_refresh: Default::default(),
            runs: Default::default(),
        }
    }
}

/// A document flowql analyses: GraphQL, JSON (a payload file when the configuration maps it
/// to a flow; other JSON files get no diagnostics), or JavaScript, TypeScript and Python code
/// (the GraphQL in its literals).
pub fn is_graphql(uri: &Uri, language_id: &str) -> bool {
    let path = uri.path().as_str().to_ascii_lowercase();
    matches!(language_id, "graphql" | "json")
        || crate::surfaces::code::HostLanguage::of_language_id(language_id).is_some()
        || crate::surfaces::code::HostLanguage::of_path(std::path::Path::new(&path)).is_some()
        || path.ends_with(".graphql")
        || path.ends_with(".gql")
        || path.ends_with(".json")
}

/// Code with GraphQL in its literals (JavaScript, TypeScript, Python): the editor's own
/// language server outlines it, and requests are answered in the literal at the position.
pub fn is_host(uri: &Uri) -> bool {
    crate::surfaces::code::HostLanguage::of_path(std::path::Path::new(uri.path().as_str()))
        .is_some()
}

impl OpenDocument {
    /// A JSON file (a payload or variables file): it defines no fragments.
    pub(super) fn is_json(&self) -> bool {
        self.path
            .as_ref()
            .and_then(|p| p.extension())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    }

    /// What it is checked against changed: its newest result is not the last word.
    pub(super) fn mark_stale(&mut self) {
        self.analysis = None;
        self.recheck = true;
    }
}

impl ServerState {
    pub fn set_client(&self, client: Client) {
        let _ = self.client.set(client);
    }

    pub fn client(&self) -> Option<&Client> {
        self.client.get()
    }

    /// Whether the client accepts server-initiated `$/progress`.
    pub fn progress_supported(&self) -> bool {
        self.progress.load(Ordering::Relaxed)
    }

    pub fn set_progress_supported(&self, supported: bool) {
        self.progress.store(supported, Ordering::Relaxed);
    }

    /// The configuration, schema and flows that apply to an open document.
    pub fn resolved_for(&self, uri: &Uri) -> Option<crate::workspace::Resolved> {
        let path = self.documents().get(uri)?.path.clone();
        Some(self.workspace.for_file(path.as_deref()))
    }

    /// Whether the client lets us register file watchers.
    pub fn watch_supported(&self) -> bool {
        self.watch.load(Ordering::Relaxed)
    }

    pub fn set_watch_supported(&self, supported: bool) {
        self.watch.store(supported, Ordering::Relaxed);
    }

    pub fn encoding(&self) -> Encoding {
        if self.utf8.load(Ordering::Relaxed) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn set_encoding(&self, encoding: Encoding) {
        self.utf8
            .store(encoding == Encoding::Utf8, Ordering::Relaxed);
    }

    pub fn docs_base(&self) -> String {
        self.docs_base
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_docs_base(&self, base: String) {
        *self.docs_base.write().unwrap_or_else(|e| e.into_inner()) = base;
    }

    pub fn mark_shutdown(&self) {
        self.shutdown_requested.store(true, Ordering::SeqCst);
    }

    pub fn shutdown_requested(&self) -> bool {
        self.shutdown_requested.load(Ordering::SeqCst)
    }

    /// The documents, even if a panicking handler poisoned the lock: a document map is never
    /// left half-updated by the code that holds it.
    pub fn documents(&self) -> MutexGuard<'_, HashMap<Uri, OpenDocument>> {
        self.documents.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn open(&self, uri: Uri, text: &str, version: i32) {
        let path = uri.to_file_path().map(|p| p.into_owned());
        if let Some(path) = &path {
            self.workspace.set_overlay(path, Some(text));
        }
        let generation = self.next_generation.fetch_add(1, Ordering::Relaxed);
        self.documents().insert(
            uri,
            OpenDocument {
                doc: Document::new(text, version),
                generation,
                path,
                analysis: None,
                running: false,
                pending: false,
                recheck: false,
                fragments: Default::default(),
                tree: None,
                newest: None,
                calls_signature: None,
            },
        );
    }

    /// Applies one `didChange`; returns false when the document is not open.
    pub fn change(&self, uri: &Uri, version: i32, changes: &[Change]) -> bool {
        let encoding = self.encoding();
        let mut documents = self.documents();
        let Some(open) = documents.get_mut(uri) else {
            tracing::warn!("change for {} which is not open; ignored", uri.as_str());
            return false;
        };
        let (errors, edits) = open.doc.apply_changes_tracked(version, changes, encoding);
        for error in errors {
            tracing::warn!("skipped an edit of {}: {error}", uri.as_str());
        }
        if let Some(tree) = &mut open.tree {
            for edit in &edits {
                crate::surfaces::code::edit_tree(tree, edit);
            }
        }
        if let Some(path) = open.path.clone() {
            if crate::surfaces::kit::is_kit_file(&path) {
                let text = open.doc.text();
                drop(documents);
                self.workspace.set_overlay(&path, Some(&text));
            }
        }
        true
    }

    pub fn close(&self, uri: &Uri) -> bool {
        let closed = self.documents().remove(uri);
        if let Some(path) = closed.as_ref().and_then(|c| c.path.as_deref()) {
            self.workspace.set_overlay(path, None);
        }
        closed.is_some()
    }
}
