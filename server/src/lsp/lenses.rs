//! `textDocument/codeLens`: above each resolved flow call, the flow's name, inputs and how it
//! answers (opening the flow's trigger); above a kit flow file's trigger, how many calls of the
//! kit's code run it (opening them), or that none does. Each lens runs `flowql.showLocations`,
//! a command of the editor's side (the VS Code extension and the Neovim plugin have it), with
//! the document, the lens's position and the locations to show. Where the project has an
//! endpoint, each call whose flow id is known also gets "Run" (see [`super::run`]); a JSON
//! document that is a saved answer of the endpoint gets "Explain this answer".

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::features::lenses;

/// The editor-side command the lenses run: `[uri, position, locations]`.
pub const SHOW_LOCATIONS: &str = "flowql.showLocations";

fn lens(
    range: lsp::Range,
    title: String,
    uri: &lsp::Uri,
    locations: Vec<lsp::Location>,
) -> lsp::CodeLens {
    let arguments = vec![
        serde_json::json!(uri.as_str()),
        serde_json::to_value(range.start).unwrap_or_default(),
        serde_json::to_value(locations).unwrap_or_default(),
    ];
    lsp::CodeLens {
        range,
        command: Some(lsp::Command {
            title,
            command: SHOW_LOCATIONS.to_string(),
            arguments: Some(arguments),
        }),
        data: None,
    }
}

impl ServerState {
    /// The lenses of an open document.
    pub async fn code_lenses(self: &Arc<Self>, uri: &lsp::Uri) -> Vec<lsp::CodeLens> {
        if let Some((flow, calls)) = self.flow_file_calls(uri).await {
            let Some(trigger) = self.flow_location(&flow) else {
                return Vec::new();
            };
            let title = lenses::calls_title(calls.len());
            return vec![lens(trigger.range, title, uri, calls)];
        }
        let Some((doc, analysis)) = self.current(uri).await else {
            return Vec::new();
        };
        let encoding = self.encoding();
        if uri.path().as_str().ends_with(".json") && analysis.flow_calls.is_empty() {
            // A saved answer of the endpoint: explained on request.
            if !crate::run::markdown::looks_like_answer(&doc.text()) {
                return Vec::new();
            }
            return vec![lsp::CodeLens {
                range: lsp::Range::default(),
                command: Some(lsp::Command {
                    title: "Explain this answer".to_string(),
                    command: super::run::EXPLAIN_LENS.to_string(),
                    arguments: Some(vec![serde_json::json!(uri.as_str())]),
                }),
                data: None,
            }];
        }
        let mut lenses = self.run_lenses(uri, &doc, &analysis);
        // One flow's trigger is looked up once, however many calls run it.
        let mut triggers: HashMap<String, Option<lsp::Location>> = HashMap::new();
        lenses.extend(
            lenses::call_lenses(&analysis.flow_calls)
                .into_iter()
                .filter_map(|call| {
                    let trigger = triggers
                        .entry(call.flow.id.clone())
                        .or_insert_with(|| self.flow_location(&call.flow))
                        .clone()?;
                    let range = proto::range(&doc, &call.at, encoding);
                    Some(lens(range, call.title, uri, vec![trigger]))
                }),
        );
        lenses
    }

    /// "Run" over each call whose flow id is known, when the project has an endpoint to run it
    /// at: the editor's `flowql.run` asks the server to run it (and for a payload if needed).
    fn run_lenses(
        &self,
        uri: &lsp::Uri,
        doc: &crate::base::document::Document,
        analysis: &crate::checks::document::Analysis,
    ) -> Vec<lsp::CodeLens> {
        let resolved = self.workspace.for_file(uri.to_file_path().as_deref());
        if crate::run::target::endpoint(&resolved).is_err() {
            return Vec::new();
        }
        let text = doc.text();
        let mut starts: Vec<usize> = analysis
            .flow_calls
            .iter()
            .filter(|c| crate::run::target::plan_of_call(&text, c).is_ok())
            .map(|c| c.range.start)
            .collect();
        starts.sort_unstable();
        starts.dedup();
        starts
            .into_iter()
            .map(|start| {
                let range = proto::range(doc, &(start..start), self.encoding());
                lsp::CodeLens {
                    range,
                    command: Some(lsp::Command {
                        title: "Run".to_string(),
                        command: super::run::RUN_LENS.to_string(),
                        arguments: Some(vec![
                            serde_json::json!(uri.as_str()),
                            serde_json::to_value(range.start).unwrap_or_default(),
                        ]),
                    }),
                    data: None,
                }
            })
            .collect()
    }

    /// Asks the client for the lenses again (a call changed which flow it runs).
    pub(super) fn refresh_lenses(&self) {
        if !self.lens_refresh.0.load(Ordering::Relaxed) {
            return;
        }
        if let Some(client) = self.client().cloned() {
            tokio::spawn(async move {
                if let Err(e) = client.code_lens_refresh().await {
                    tracing::warn!("the client refused to refresh code lenses: {e}");
                }
            });
        }
    }
}
