//! Pull diagnostics (`textDocument/diagnostic`, LSP 3.17) for clients that ask for them; the
//! others get the same diagnostics pushed. One conversion serves both, so they cannot differ.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::base::document::Document;
use crate::checks::document::Analysis;
use crate::workspace::Resolved;

/// Whether flowql judges this document: a JSON file that no `payloads` glob maps to a flow, and
/// that is no operation's variables file, is not flowql's.
pub fn is_ours(resolved: &Resolved) -> bool {
    !(resolved.is_json && resolved.payload_flow.is_none() && resolved.variables_of.is_none())
}

impl ServerState {
    /// A document's diagnostics as the protocol carries them, pushed or pulled.
    pub fn protocol_diagnostics(
        &self,
        doc: &Document,
        analysis: &Analysis,
    ) -> Vec<lsp::Diagnostic> {
        let encoding = self.encoding();
        let base = self.docs_base();
        analysis
            .diagnostics
            .iter()
            .map(|d| proto::diagnostic(d, doc, encoding, &base))
            .collect()
    }

    /// The answer to `textDocument/diagnostic`: the current text's diagnostics (analysed now if
    /// the newest result is stale), identified by the document's version.
    pub async fn pulled(self: &Arc<Self>, uri: &lsp::Uri) -> lsp::DocumentDiagnosticReportResult {
        let (items, result_id) = match self.current(uri).await {
            Some((doc, analysis)) if self.resolved_for(uri).is_none_or(|r| is_ours(&r)) => {
                let id = doc.version().to_string();
                (self.protocol_diagnostics(&doc, &analysis), Some(id))
            }
            _ => (Vec::new(), None),
        };
        lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(
            lsp::RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                    result_id,
                    items,
                },
            },
        ))
    }

    /// Asks a pulling client to pull again (a schema, configuration or flow changed).
    pub fn refresh_pulled(&self) {
        if !self.pull.refresh.load(Ordering::Relaxed) {
            return;
        }
        if let Some(client) = self.client().cloned() {
            tokio::spawn(async move {
                if let Err(e) = client.workspace_diagnostic_refresh().await {
                    tracing::warn!("the client refused to refresh diagnostics: {e}");
                }
            });
        }
    }
}
