//! The language server over stdio: the only module that knows protocol types.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod actions;
mod analysis_loop;
mod backend;
mod capabilities;
mod closed_files;
mod completion;
mod cursor;
mod flow_fields;
mod format;
mod fragments;
mod highlight;
mod inlay;
mod lenses;
mod navigate;
mod ordered;
mod outline;
mod project_wide;
mod proto;
mod pull;
mod remote;
mod rename;
mod run;
mod state;
mod status;
mod trackers;

use std::sync::Arc;

use tower_lsp_server::{LspService, Server};

pub use analysis_loop::DEBUG_PANIC_ENV;
pub use state::DEFAULT_DOCS_BASE;

/// Serves the protocol on stdin/stdout until `exit` or end of input. Returns the process exit
/// code the LSP specification asks for: 0 after a `shutdown` request, 1 without.
pub async fn serve_stdio() -> i32 {
    let state = Arc::new(state::ServerState::default());
    let backend_state = state.clone();
    let (service, socket) =
        LspService::build(move |client| backend::Backend::new(client, backend_state))
            .custom_method("flowql/debugPanic", backend::Backend::debug_panic)
            .custom_method(status::STATUS_METHOD, backend::Backend::status)
            .custom_method(
                "window/workDoneProgress/cancel",
                backend::Backend::progress_cancel,
            )
            .finish();
    let service = ordered::Ordered::new(service, state.clone());
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
    if state.shutdown_requested() {
        0
    } else {
        1
    }
}

/// The server's work for one edit, without I/O, for the benches: apply the change, analyse the
/// text for its project, convert the diagnostics to protocol types.
#[doc(hidden)]
pub fn edit_cycle(
    doc: &mut crate::base::document::Document,
    version: i32,
    changes: &[crate::base::document::Change],
    resolved: &crate::workspace::Resolved,
) -> Vec<tower_lsp_server::ls_types::Diagnostic> {
    let encoding = crate::base::document::Encoding::Utf16;
    let _ = doc.apply_changes(version, changes, encoding);
    let analysis = crate::workspace::check_document(&doc.text(), resolved);
    analysis
        .diagnostics
        .iter()
        .map(|d| proto::diagnostic(d, doc, encoding, state::DEFAULT_DOCS_BASE))
        .collect()
}
