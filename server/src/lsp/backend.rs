//! The protocol handlers: initialize (what the client offers; what the server announces is
//! `capabilities.rs`), document notifications (already applied to the store by the ordering
//! layer), hover, completion, code actions, rename, the commands (refresh, explain, run,
//! explain an answer), `flowql/status`, progress cancellation, and a panic trigger for tests.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::LSPAny;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::analysis_loop::DEBUG_PANIC_ENV;
use super::capabilities::{EXPLAIN, REFRESH_SCHEMAS};
use super::cursor::Cursor;
use super::proto;
use super::state::ServerState;
use crate::features::hover::graphql;

pub struct Backend {
    client: Client,
    state: Arc<ServerState>,
}

impl Backend {
    /// In a code file, a position outside its GraphQL literals: the file's document, its
    /// analysis (flow calls and their diagnostics) and the offset.
    async fn in_code(
        &self,
        position: &TextDocumentPositionParams,
    ) -> Option<(
        crate::base::document::Document,
        Arc<crate::checks::document::Analysis>,
        usize,
    )> {
        let (doc, analysis, offset) = self.code_position(position).await?;
        analysis
            .region_at(offset)
            .is_none()
            .then_some((doc, analysis, offset))
    }

    /// In a code file's GraphQL literal, on a flow call the host resolved (see
    /// [`graphql::hover_on_resolved_call`]): its hover.
    async fn resolved_call_in_literal(
        &self,
        position: &TextDocumentPositionParams,
    ) -> Option<(crate::base::document::Document, graphql::HoverInfo)> {
        let (doc, analysis, offset) = self.code_position(position).await?;
        analysis.region_at(offset)?;
        let info = graphql::hover_on_resolved_call(&analysis, offset, &self.state.docs_base())?;
        Some((doc, info))
    }

    /// A position in a code file: its document, its current analysis and the offset.
    async fn code_position(
        &self,
        position: &TextDocumentPositionParams,
    ) -> Option<(
        crate::base::document::Document,
        Arc<crate::checks::document::Analysis>,
        usize,
    )> {
        let uri = &position.text_document.uri;
        self.state.resolved_for(uri)?.host?;
        let (doc, analysis) = self.state.current(uri).await?;
        let offset = doc.position_to_offset(
            proto::from_position(position.position),
            self.state.encoding(),
        )?;
        Some((doc, analysis, offset))
    }

    pub fn new(client: Client, state: Arc<ServerState>) -> Self {
        state.set_client(client.clone());
        Backend { client, state }
    }

    /// Reads the editor's settings (`initializationOptions` or `didChangeConfiguration`).
    fn apply_settings(&self, value: &serde_json::Value) {
        let section = value.get("flowql").unwrap_or(value);
        match section.get("docsBaseUrl").and_then(|v| v.as_str()) {
            Some(base) if !base.trim().is_empty() => self.state.set_docs_base(base.to_string()),
            // Empty: the default (an editor sends its settings' defaults too).
            Some(_) => self.state.set_docs_base(super::state::default_docs_base()),
            None => {}
        }
        if let Some(on) = section.get("inlayHints").and_then(|v| v.as_bool()) {
            self.state.inlay_hints_setting.set(on);
        }
        let (settings, problems) = crate::config::settings::from_editor(value);
        for problem in problems {
            tracing::warn!("editor settings: {problem}");
        }
        self.state.workspace.set_editor_settings(settings);
    }

    /// `flowql/status`: what a document is checked against.
    pub async fn status(&self, params: Option<super::status::StatusParams>) -> Result<LSPAny> {
        let params = params.unwrap_or_default();
        let status = self.state.status_for(params.uri.as_ref());
        serde_json::to_value(status).map_err(|e| Error::invalid_params(e.to_string()))
    }

    /// `window/workDoneProgress/cancel`: the user stopped a run from its progress report.
    pub async fn progress_cancel(&self, params: WorkDoneProgressCancelParams) {
        self.state.cancel_run(&params.token);
    }

    /// `flowql/debugPanic`: panics on purpose when the test environment variable is set, to
    /// prove that a panicking request does not take the server down.
    pub async fn debug_panic(&self) -> Result<()> {
        if std::env::var_os(DEBUG_PANIC_ENV).is_some() {
            panic!("flowql/debugPanic was called");
        }
        Err(Error::method_not_found())
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = super::capabilities::negotiate_encoding(&params);
        self.state.set_encoding(encoding);
        if let Some(options) = &params.initialization_options {
            self.apply_settings(options);
        }
        let progress = params
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        self.state.set_progress_supported(progress);
        let watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        self.state.set_watch_supported(watch);
        let status = params
            .capabilities
            .experimental
            .as_ref()
            .and_then(|e| e.get(super::status::STATUS_CAPABILITY))
            .and_then(LSPAny::as_bool)
            .unwrap_or(false);
        self.state.status.set_wanted(status);
        let pulls = params
            .capabilities
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        let refresh = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        self.state.pull.set(pulls, refresh);
        let lens_refresh = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false);
        self.state.lens_refresh.set(lens_refresh);
        let snippets = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        self.state
            .snippets
            .store(snippets, std::sync::atomic::Ordering::Relaxed);
        tracing::info!("initialized with {encoding:?} positions");
        Ok(InitializeResult {
            capabilities: super::capabilities::server_capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "flowql".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if self.state.watch_supported() {
            let watchers = super::capabilities::WATCHED
                .iter()
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob.to_string()),
                    kind: None,
                })
                .collect();
            let registration = Registration {
                id: "flowql-watch".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                tracing::warn!("the client refused file watching: {e}");
            }
        }
        self.client
            .log_message(MessageType::INFO, "flowql is ready")
            .await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.apply_settings(&params.settings);
        self.state.reschedule_all();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        tracing::info!(
            "{} watched files changed; checking open documents again",
            params.changes.len()
        );
        self.state.reschedule_all();
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        match params.command.as_str() {
            REFRESH_SCHEMAS => {
                self.state.refresh_all();
                Ok(None)
            }
            EXPLAIN => super::status::explain(&params.arguments)
                .map(Some)
                .map_err(Error::invalid_params),
            super::run::RUN_FLOW => self
                .state
                .run_flow(&params.arguments)
                .await
                .map(Some)
                .map_err(Error::invalid_params),
            super::run::EXPLAIN_RESPONSE => self
                .state
                .explain_response(&params.arguments)
                .await
                .map(Some)
                .map_err(Error::invalid_params),
            other => Err(Error::invalid_params(format!("unknown command `{other}`"))),
        }
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        if let Some((doc, analysis, offset)) = self.in_code(&params.text_document_position).await {
            let items = crate::features::completion::payload::in_calls(
                &analysis.flow_calls,
                &doc.text(),
                offset,
            );
            if items.is_empty() {
                return Ok(None);
            }
            let encoding = self.state.encoding();
            let items = items
                .iter()
                .map(|item| proto::completion(item, &doc, encoding))
                .collect();
            return Ok(Some(CompletionResponse::Array(items)));
        }
        let Some(cursor) = self.state.cursor(&params.text_document_position).await else {
            return Ok(None);
        };
        let (text, shift) = (cursor.text(), cursor.shift());
        let Cursor {
            doc,
            analysis,
            offset,
            resolved,
            ..
        } = cursor;
        let encoding = self.state.encoding();
        let items = match resolved.as_ref().and_then(|r| r.payload_flow.clone()) {
            Some(flow) => crate::features::completion::payload::in_payload_file(
                &doc.text(),
                &flow,
                &analysis.flows,
                offset,
            ),
            None if resolved.as_ref().is_some_and(|r| r.is_json) => Vec::new(),
            None => {
                let flows = crate::features::completion::payload::in_graphql(
                    &analysis.ast,
                    &analysis.flows,
                    offset,
                );
                if flows.is_empty() {
                    self.state.graphql_completion(
                        &params.text_document_position.text_document.uri,
                        &text,
                        &analysis,
                        offset,
                    )
                } else {
                    flows
                }
            }
        };
        if items.is_empty() {
            return Ok(None);
        }
        let items = items
            .into_iter()
            .map(|mut item| {
                // From the literal's offsets to the host's.
                item.replace = item.replace.map(|r| r.start + shift..r.end + shift);
                proto::completion(&item, &doc, encoding)
            })
            .collect();
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        Ok(self
            .state
            .definition(&at.text_document.uri, at.position)
            .await
            .map(GotoDefinitionResponse::Scalar))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let hints = self
            .state
            .inlay_hints(&params.text_document.uri, params.range)
            .await;
        Ok(Some(hints))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        Ok(Some(
            self.state.code_lenses(&params.text_document.uri).await,
        ))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        Ok(self
            .state
            .prepare_rename(&params.text_document.uri, params.position)
            .await)
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let at = params.text_document_position;
        self.state
            .rename(&at.text_document.uri, at.position, &params.new_name)
            .await
            .map_err(Error::invalid_params)
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        let found = self
            .state
            .references(
                &at.text_document.uri,
                at.position,
                params.context.include_declaration,
            )
            .await;
        Ok((!found.is_empty()).then_some(found))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let state = self.state.clone();
        let symbols = tokio::task::spawn_blocking(move || state.workspace_symbols(&params.query))
            .await
            .unwrap_or_default();
        Ok(Some(WorkspaceSymbolResponse::Nested(symbols)))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let symbols = self.state.document_symbols(&params.text_document.uri).await;
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        Ok(Some(
            self.state.folding_ranges(&params.text_document.uri).await,
        ))
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        Ok(Some(
            self.state
                .selection_ranges(&params.text_document.uri, &params.positions)
                .await,
        ))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        Ok(self
            .state
            .semantic_tokens(&params.text_document.uri, None)
            .await
            .map(SemanticTokensResult::Tokens))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        Ok(self
            .state
            .semantic_tokens(&params.text_document.uri, Some(params.range))
            .await
            .map(SemanticTokensRangeResult::Tokens))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        Ok(self
            .state
            .format(&params.text_document.uri, None, &params.options)
            .await)
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        Ok(self
            .state
            .format(
                &params.text_document.uri,
                Some(params.range),
                &params.options,
            )
            .await)
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        Ok(self.state.pulled(&params.text_document.uri).await)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let mut actions = super::actions::config_actions(&self.state, &params).unwrap_or_default();
        actions.extend(super::actions::fix_actions(&params));
        Ok((!actions.is_empty()).then_some(actions))
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.state.reschedule_dependents(&params.text_document.uri);
        self.state.schedule(params.text_document.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.state.reschedule_dependents(&params.text_document.uri);
        self.state.schedule(params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        // Cleared first: a kit's file gets its diagnostics while closed from what follows.
        self.state.clear(params.text_document.uri.clone()).await;
        // Its saved text counts again.
        self.state.reschedule_dependents(&params.text_document.uri);
        if let Some(path) = params.text_document.uri.to_file_path() {
            let resolved = self.state.workspace.for_file(Some(&path));
            let config = self.state.kit_config_to_recheck(&resolved);
            self.state.analyse_again(config);
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        if let Some((doc, analysis, offset)) =
            self.in_code(&params.text_document_position_params).await
        {
            let info = graphql::hover_in_code(&analysis, offset, &self.state.docs_base());
            return Ok(info.map(|info| proto::hover(&info, &doc, self.state.encoding())));
        }
        if let Some((doc, info)) = self
            .resolved_call_in_literal(&params.text_document_position_params)
            .await
        {
            return Ok(Some(proto::hover(&info, &doc, self.state.encoding())));
        }
        let Some(cursor) = self
            .state
            .cursor(&params.text_document_position_params)
            .await
        else {
            return Ok(None);
        };
        let shift = cursor.shift();
        let Cursor {
            doc,
            analysis,
            offset,
            resolved,
            ..
        } = cursor;
        let encoding = self.state.encoding();
        let on_payload_key = resolved
            .as_ref()
            .and_then(|r| r.payload_flow.clone())
            .and_then(|flow| {
                crate::features::hover::flows::in_payload_file(
                    &doc.text(),
                    &flow,
                    &analysis.flows,
                    offset,
                )
            });
        if let Some((range, markdown)) = on_payload_key {
            let info = graphql::HoverInfo { range, markdown };
            return Ok(Some(proto::hover(&info, &doc, encoding)));
        }
        let Some(mut info) = graphql::hover(&analysis, offset, &self.state.docs_base()) else {
            return Ok(None);
        };
        if let Some(resolved) = &resolved {
            let note = ServerState::schema_note(resolved);
            info.markdown.push_str(&format!("\n\n---\n\n{note}"));
        }
        info.range = info.range.start + shift..info.range.end + shift;
        Ok(Some(proto::hover(&info, &doc, encoding)))
    }
}
