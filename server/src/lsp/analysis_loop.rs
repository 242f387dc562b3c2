//! The analysis loop that keeps each open document's diagnostics current without a debounce
//! delay: one run per document at a time, edits during a run coalesced into one more, results
//! published only for the version they were computed for. It is the one place that schedules
//! analyses: the files below it say what changed (fragments, a kit's calls, a fetch that
//! ended), and the loop decides what runs again.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use crate::base::document::Document;
use crate::checks::document::Analysis;
use crate::platform::Fetchable;

use super::state::{OpenDocument, ServerState};

impl ServerState {
    /// After an edit of a flow file or a `lamatic.config` buffer: the other open documents
    /// (whose calls may depend on it) are analysed again with its new text.
    pub fn reschedule_dependents(self: &Arc<Self>, edited: &Uri) {
        let is_kit_file = edited
            .to_file_path()
            .is_some_and(|p| crate::surfaces::kit::is_kit_file(&p));
        if !is_kit_file {
            return;
        }
        let others: Vec<Uri> = {
            let mut documents = self.documents();
            documents
                .iter_mut()
                .filter(|(uri, _)| *uri != edited)
                .map(|(uri, open)| {
                    open.mark_stale();
                    uri.clone()
                })
                .collect()
        };
        for uri in others {
            self.schedule(uri);
        }
        self.refresh_pulled();
    }

    /// Analyses every open document again (a schema or configuration changed).
    pub fn reschedule_all(self: &Arc<Self>) {
        // A watched file may be a document that defines fragments.
        self.disk_fragments.clear();
        let uris: Vec<Uri> = {
            let mut documents = self.documents();
            // The text is unchanged but its results may not be: forget them, and say so to a
            // run in progress.
            documents.values_mut().for_each(OpenDocument::mark_stale);
            documents.keys().cloned().collect()
        };
        for uri in uris {
            self.schedule(uri);
        }
        self.refresh_pulled();
    }

    /// Analyses these documents again (their results were marked stale), and asks a pulling
    /// client to pull again when there are any.
    pub(super) fn analyse_again(self: &Arc<Self>, uris: Vec<Uri>) {
        if uris.is_empty() {
            return;
        }
        for uri in uris {
            self.schedule(uri);
        }
        self.refresh_pulled();
    }

    /// Fetches a schema or a flow list in the background (see [`ServerState::claim_fetch`]),
    /// then analyses every open document again.
    pub fn start_fetch(self: &Arc<Self>, what: Fetchable, config: Option<PathBuf>, force: bool) {
        if !self.claim_fetch(&what, force) {
            return;
        }
        let state = self.clone();
        tokio::spawn(async move {
            state.fetch(what, config).await;
            state.reschedule_all();
        });
    }

    /// Forgets failures and fetches every configured endpoint again (`flowql.refreshSchemas`).
    pub fn refresh_all(self: &Arc<Self>) {
        for (what, config) in self.refresh_targets() {
            self.start_fetch(what, Some(config), true);
        }
        self.reschedule_all();
    }

    /// Makes sure the document's diagnostics will reflect its current text. Analyses run one
    /// at a time per document, off the protocol thread; edits that arrive meanwhile are
    /// coalesced into one more run, and a result for an outdated version is never published.
    pub fn schedule(self: &Arc<Self>, uri: Uri) {
        {
            let mut documents = self.documents();
            let Some(open) = documents.get_mut(&uri) else {
                return;
            };
            open.pending = true;
            if open.running {
                return;
            }
            open.running = true;
        }
        let state = self.clone();
        tokio::spawn(async move { state.analysis_loop(uri).await });
    }

    async fn analysis_loop(self: Arc<Self>, uri: Uri) {
        loop {
            let snapshot = {
                let mut documents = self.documents();
                let Some(open) = documents.get_mut(&uri) else {
                    return;
                };
                let published = open.analysis.as_ref().map(|(v, _)| *v);
                let current = published == Some(open.doc.version()) && !open.recheck;
                if !open.pending || current {
                    // Nothing new since the last result (a late schedule for an edit that the
                    // previous run already covered).
                    open.pending = false;
                    open.running = false;
                    drop(documents);
                    give_back_memory();
                    return;
                }
                open.pending = false;
                open.recheck = false;
                (
                    open.doc.clone(),
                    open.generation,
                    open.path.clone(),
                    open.tree.clone(),
                )
            };
            let (doc, generation, path, previous) = snapshot;
            let is_config = path
                .as_deref()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
                .is_some_and(|n| crate::surfaces::kit::CONFIG_NAMES.contains(&n));
            let version = doc.version();
            let state = self.clone();
            let text_doc = doc.clone();
            let analysed = uri.clone();
            let failed_path = path.clone();
            let work = move || {
                let resolved = state.workspace.for_file(path.as_deref());
                let fragments = state.project_fragments(&analysed, &resolved);
                let text = text_doc.text();
                if std::env::var_os(DEBUG_PANIC_ENV).is_some() && text.contains(DEBUG_PANIC_TEXT) {
                    panic!("a document asked for a panic (tests only)");
                }
                let analysis = crate::workspace::check_document_incremental(
                    &text,
                    &resolved,
                    &fragments,
                    previous.as_ref(),
                );
                let analysis = state.with_project_diagnostics(analysis, &resolved);
                (analysis, resolved, text)
            };
            // A project's configuration may have its project's code read for its checks.
            let light = doc.rope().len_bytes() <= INLINE_ANALYSIS_BYTES && !is_config;
            let result = if light {
                // A small document is analysed on this worker: the blocking pool would cost two
                // thread wake-ups, a good part of a fraction of a millisecond of work.
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
                    .map_err(|_| "it panicked".to_string())
            } else {
                tokio::task::spawn_blocking(work)
                    .await
                    .map_err(|e| e.to_string())
            };
            let (analysis, resolved, text) = match result {
                Ok((analysis, resolved, text)) => (Arc::new(analysis), resolved, text),
                Err(e) => {
                    // The document still gets diagnostics for this version: one that says so.
                    // (A panic's own message went to the log with its place, once.)
                    tracing::error!(
                        "analysis of {} version {version} failed: {e}; it gets an INTERNAL_ERROR diagnostic and the next edit tries again",
                        uri.as_str()
                    );
                    let resolved = self.workspace.for_file(failed_path.as_deref());
                    (
                        Arc::new(internal_error(&resolved, &e)),
                        resolved,
                        doc.text(),
                    )
                }
            };
            let signature = super::project_wide::calls_signature(&analysis);
            let (publish, calls_changed) = {
                let mut documents = self.documents();
                match documents.get_mut(&uri) {
                    Some(open)
                        if open.generation == generation && open.doc.version() == version =>
                    {
                        open.analysis = Some((version, analysis.clone()));
                        open.newest = Some(analysis.clone());
                        // No edit since the snapshot: the new tree is of the current text.
                        open.tree = analysis.host_tree.clone();
                        let changed = open.calls_signature != Some(signature);
                        open.calls_signature = Some(signature);
                        (true, changed)
                    }
                    // Closed, reopened, or edited since: this result is stale.
                    _ => (false, false),
                }
            };
            if calls_changed {
                self.analyse_again(self.kit_config_to_recheck(&resolved));
                if resolved.kit.is_some() {
                    self.refresh_lenses();
                }
            }
            // Fragments first: whoever sees these diagnostics can rely on them being known.
            if publish && !resolved.is_json {
                let users = self.record_fragments(&uri, version, &text, &analysis, &resolved);
                for user in &users {
                    self.schedule(user.clone());
                }
                if !users.is_empty() && self.pull.pulls() {
                    self.refresh_pulled();
                }
            }
            if publish && super::pull::is_ours(&resolved) && !self.pull.pulls() {
                self.publish(&uri, &doc, &analysis).await;
            }
            self.publish_files_of(&resolved).await;
            for (what, config) in self.fetches_due(&resolved) {
                self.start_fetch(what, config, false);
            }
            if publish {
                self.notify_status(&uri, &resolved).await;
            }
        }
    }

    async fn publish(&self, uri: &Uri, doc: &Document, analysis: &Analysis) {
        let Some(client) = self.client.get() else {
            return;
        };
        let diagnostics = self.protocol_diagnostics(doc, analysis);
        client
            .publish_diagnostics(uri.clone(), diagnostics, Some(doc.version()))
            .await;
    }

    /// Clears the diagnostics of a closed document.
    pub async fn clear(&self, uri: Uri) {
        self.forget_status(&uri);
        if let Some(client) = self.client.get() {
            client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }
}

/// Documents up to this size are analysed on the async worker that runs their analysis loop
/// (about a millisecond of work at most); larger ones on the blocking pool, so that a long
/// analysis never holds a worker that reads the protocol.
const INLINE_ANALYSIS_BYTES: usize = 16 * 1024;

/// The environment variable that enables `flowql/debugPanic` and [`DEBUG_PANIC_TEXT`] (tests
/// only).
pub const DEBUG_PANIC_ENV: &str = "FLOWQL_ENABLE_DEBUG_PANIC";

/// The text that makes an analysis panic when the test environment variable is set.
pub const DEBUG_PANIC_TEXT: &str = "flowql:debug-panic";

/// What a document gets when its analysis failed: one diagnostic that says so.
fn internal_error(resolved: &crate::workspace::Resolved, why: &str) -> Analysis {
    let mut analysis = crate::checks::document::analyze("", resolved.schema.clone());
    analysis.diagnostics = vec![crate::base::diagnostic::Diagnostic::new(
        crate::base::catalog::Code::InternalError,
        0..0,
        format!("flowql could not analyse this version of the document ({why}); nothing in it was checked, and the next edit tries again"),
    )];
    analysis
}

/// Gives memory freed by analyses back to the system, at most every two seconds, when a
/// document's analyses are done. glibc keeps freed memory in each thread's arena; over a long
/// session of edits analysed on several threads, that kept memory grows while the documents do
/// not (a 12,000-step random session: +29 MB without, see BENCHMARKS.md).
fn give_back_memory() {
    use std::sync::atomic::AtomicU64;
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let last = LAST.load(Ordering::Relaxed);
    if now < last + 2
        || LAST
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's heaps to the system; it
    // has no preconditions and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
