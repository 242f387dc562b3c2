//! Document and workspace symbols, folding ranges and selection ranges: the analysis's outline
//! (`features/symbols.rs`) in protocol types.

use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::{is_host, ServerState};
use crate::base::document::{Document, Encoding};
use crate::features::symbols::{self, FoldKind, Symbol, SymbolKind};

#[allow(deprecated)] // `deprecated` is a required field of the protocol type.
fn symbol(s: &Symbol, doc: &Document, encoding: Encoding) -> lsp::DocumentSymbol {
    let range = proto::range(doc, &s.range, encoding);
    let mut selection = proto::range(doc, &s.name_range, encoding);
    // The protocol wants the name inside the whole range.
    if selection.start < range.start || selection.end > range.end {
        selection = range;
    }
    lsp::DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind: match s.kind {
            SymbolKind::Operation => lsp::SymbolKind::FUNCTION,
            SymbolKind::Fragment => lsp::SymbolKind::CLASS,
            SymbolKind::Field => lsp::SymbolKind::FIELD,
        },
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: (!s.children.is_empty()).then(|| {
            s.children
                .iter()
                .map(|c| symbol(c, doc, encoding))
                .collect()
        }),
    }
}

impl ServerState {
    /// An open GraphQL document (not JSON, not code): what GraphQL tokens and formatting apply to.
    pub fn graphql_document(&self, uri: &lsp::Uri) -> Option<Document> {
        if uri.path().as_str().to_ascii_lowercase().ends_with(".json") || is_host(uri) {
            return None;
        }
        Some(self.documents().get(uri)?.doc.clone())
    }
}

/// The most workspace symbols one query answers.
const WORKSPACE_SYMBOLS: usize = 500;

impl ServerState {
    pub async fn document_symbols(self: &Arc<Self>, uri: &lsp::Uri) -> Vec<lsp::DocumentSymbol> {
        if is_host(uri) {
            return Vec::new();
        }
        let Some((doc, analysis)) = self.current(uri).await else {
            return Vec::new();
        };
        let encoding = self.encoding();
        symbols::symbols(&analysis.ast)
            .iter()
            .map(|s| symbol(s, &doc, encoding))
            .collect()
    }

    /// Operations and fragments whose names match `query`, in open documents (as edited) and in
    /// the `documents` of every configuration the server has read, at most `WORKSPACE_SYMBOLS`.
    pub fn workspace_symbols(&self, query: &str) -> Vec<lsp::WorkspaceSymbol> {
        let encoding = self.encoding();
        let open: Vec<(lsp::Uri, Document, Option<std::path::PathBuf>)> = self
            .documents()
            .iter()
            .map(|(uri, open)| (uri.clone(), open.doc.clone(), open.path.clone()))
            .collect();
        let mut seen: std::collections::HashSet<std::path::PathBuf> = open
            .iter()
            .filter_map(|(_, _, path)| path.clone())
            .collect();
        let mut files: Vec<(lsp::Uri, Document)> =
            open.into_iter().map(|(uri, doc, _)| (uri, doc)).collect();
        for config in self.workspace.configs() {
            for project in &config.projects {
                for path in config.document_files(project).unwrap_or_default() {
                    if !seen.insert(path.clone()) {
                        continue;
                    }
                    let (Some(uri), Ok(text)) = (
                        lsp::Uri::from_file_path(&path),
                        std::fs::read_to_string(&path),
                    ) else {
                        continue;
                    };
                    files.push((uri, Document::new(&text, 0)));
                }
            }
        }
        let mut found = Vec::new();
        for (uri, doc) in files {
            let text = doc.text();
            let path = uri.to_file_path().map(|p| p.into_owned());
            // GraphQL documents whole; code by its GraphQL literals.
            let symbols = crate::surfaces::code::graphql_parts(&text, path.as_deref())
                .into_iter()
                .flat_map(|(start, part)| {
                    let ast = apollo_compiler::ast::Document::parse(part, "symbols.graphql")
                        .unwrap_or_else(|e| e.partial);
                    symbols::symbols(&ast).into_iter().map(move |mut s| {
                        s.name_range = s.name_range.start + start..s.name_range.end + start;
                        s
                    })
                });
            for s in symbols {
                if !symbols::matches_query(&s.name, query) {
                    continue;
                }
                let range = proto::range(&doc, &s.name_range, encoding);
                found.push(lsp::WorkspaceSymbol {
                    name: s.name.clone(),
                    kind: match s.kind {
                        SymbolKind::Fragment => lsp::SymbolKind::CLASS,
                        _ => lsp::SymbolKind::FUNCTION,
                    },
                    tags: None,
                    container_name: s.detail.clone(),
                    location: lsp::OneOf::Left(lsp::Location::new(uri.clone(), range)),
                    data: None,
                });
                if found.len() >= WORKSPACE_SYMBOLS {
                    return found;
                }
            }
        }
        found.extend(self.flow_symbols(query, WORKSPACE_SYMBOLS - found.len()));
        found
    }

    /// The flows of the projects of the open documents, by name (or id), at their triggers.
    fn flow_symbols(&self, query: &str, at_most: usize) -> Vec<lsp::WorkspaceSymbol> {
        let paths: Vec<std::path::PathBuf> = self
            .documents()
            .values()
            .filter_map(|d| d.path.clone())
            .collect();
        let mut registries: Vec<Arc<crate::flows::registry::FlowRegistry>> = Vec::new();
        for path in paths {
            let flows = self.workspace.for_file(Some(&path)).flows;
            if !registries.iter().any(|r| Arc::ptr_eq(r, &flows)) {
                registries.push(flows);
            }
        }
        let mut flows: Vec<&Arc<crate::flows::registry::Flow>> = registries
            .iter()
            .flat_map(|r| r.flows())
            .filter(|f| {
                symbols::matches_query(f.name.as_deref().unwrap_or(&f.id), query)
                    || symbols::matches_query(&f.id, query)
            })
            .collect();
        flows.sort_by(|a, b| (&a.origin, &a.id).cmp(&(&b.origin, &b.id)));
        flows.dedup_by(|a, b| a.origin == b.origin && a.id == b.id);
        flows
            .into_iter()
            .take(at_most)
            .filter_map(|flow| {
                Some(lsp::WorkspaceSymbol {
                    name: flow.name.clone().unwrap_or_else(|| flow.id.clone()),
                    kind: lsp::SymbolKind::EVENT,
                    tags: None,
                    container_name: Some(format!("flow {}", flow.id)),
                    location: lsp::OneOf::Left(self.flow_location(flow)?),
                    data: None,
                })
            })
            .collect()
    }

    pub async fn folding_ranges(self: &Arc<Self>, uri: &lsp::Uri) -> Vec<lsp::FoldingRange> {
        if is_host(uri) {
            return Vec::new();
        }
        let Some((doc, analysis)) = self.current(uri).await else {
            return Vec::new();
        };
        let encoding = self.encoding();
        symbols::folding_ranges(&analysis.ast, &doc.text())
            .into_iter()
            .map(|(range, kind)| {
                let range = proto::range(&doc, &range, encoding);
                lsp::FoldingRange {
                    start_line: range.start.line,
                    start_character: None,
                    end_line: range.end.line,
                    end_character: None,
                    kind: Some(match kind {
                        FoldKind::Region => lsp::FoldingRangeKind::Region,
                        FoldKind::Comment => lsp::FoldingRangeKind::Comment,
                    }),
                    collapsed_text: None,
                }
            })
            .collect()
    }

    pub async fn selection_ranges(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        positions: &[lsp::Position],
    ) -> Vec<lsp::SelectionRange> {
        if is_host(uri) {
            return Vec::new();
        }
        let Some((doc, analysis)) = self.current(uri).await else {
            return Vec::new();
        };
        let encoding = self.encoding();
        let text = doc.text();
        positions
            .iter()
            .map(|position| {
                let offset = doc
                    .position_to_offset(proto::from_position(*position), encoding)
                    .unwrap_or(text.len());
                // Outermost first, each wrapping the next inner one.
                let chain = symbols::selection_ranges(&analysis.ast, &text, offset);
                let mut current: Option<lsp::SelectionRange> = None;
                for range in chain.iter().rev() {
                    current = Some(lsp::SelectionRange {
                        range: proto::range(&doc, range, encoding),
                        parent: current.map(Box::new),
                    });
                }
                current.unwrap_or(lsp::SelectionRange {
                    range: lsp::Range::new(*position, *position),
                    parent: None,
                })
            })
            .collect()
    }
}
