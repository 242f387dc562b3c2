//! A flow's input fields across files, in protocol types: go to definition from a payload key
//! to the field's declaration in the flow's schema (inside its `advance_schema` string); find
//! references from a field (its declaration or any key that sends it) to every such key in the
//! project's code; and rename of a field: the schema's key and every payload key in one
//! `WorkspaceEdit`, refused with the reason when a payload cannot be edited safely.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::base::document::Document;
use crate::checks::document::Analysis;
use crate::features::navigate::fields::{self, KeyPlace};
use crate::flows::registry::Flow;
use crate::flows::validate::Segment;
use crate::surfaces::kit::schema_places;
use crate::workspace::{check_document, FileCalls};

/// The field at a position: its flow, its path, and the range of the name under the cursor.
struct Field {
    flow: Arc<Flow>,
    path: Vec<Segment>,
    at: Range<usize>,
}

/// Every place a field is written: its declaration and the keys that send it, by file.
struct Occurrences {
    declaration: Option<(PathBuf, String, Range<usize>)>,
    keys: Vec<(PathBuf, String, Vec<KeyPlace>)>,
    /// Calls whose payload a rename could not safely edit: where, and why.
    blockers: Vec<String>,
}

fn file_text(state: &ServerState, path: &Path) -> Option<String> {
    let open = lsp::Uri::from_file_path(path).and_then(|uri| {
        let documents = state.documents();
        documents.get(&uri).map(|d| d.doc.text())
    });
    open.or_else(|| std::fs::read_to_string(path).ok())
}

/// The range of a key's name without its quotes.
fn unquoted(text: &str, range: &Range<usize>) -> Range<usize> {
    match text.get(range.clone()) {
        Some(t) if t.len() >= 2 && (t.starts_with('"') || t.starts_with('\'')) => {
            range.start + 1..range.end - 1
        }
        _ => range.clone(),
    }
}

/// A graphql-config project's files that may send a field, most at once.
const MAX_PROJECT_FILES: usize = 2_000;

/// The calls of `flow` in the documents, payload files and variables files of a graphql-config
/// project (the kit's code is [`crate::workspace::Workspace::kit_calls`]'s), `here` left out;
/// `Err` when the project is too large to read on a request.
fn config_calls(
    state: &ServerState,
    resolved: &crate::workspace::Resolved,
    here: &Path,
    flow: &str,
) -> Result<Vec<(PathBuf, Vec<crate::surfaces::call::CallSummary>)>, String> {
    let (Some(config), Some(name)) = (&resolved.config, &resolved.project) else {
        return Ok(Vec::new());
    };
    let Some(project) = config.projects.iter().find(|p| &p.name == name) else {
        return Ok(Vec::new());
    };
    let mut files = config.document_files(project).unwrap_or_default();
    let variables: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| crate::workspace::variables_of_operation(f))
        .filter(|v| v.is_file())
        .collect();
    files.extend(variables);
    files.extend(config.payload_files(project).into_iter().map(|(p, _)| p));
    // Code under the configuration is checked whether or not `documents` names it.
    files.extend(crate::workspace::project_calls::code_files(config.dir()));
    files.sort();
    files.dedup();
    files.retain(|f| f != here);
    if files.len() > MAX_PROJECT_FILES {
        return Err(format!(
            "the project has {} files that may send it, more than flowql reads for one request ({MAX_PROJECT_FILES})",
            files.len()
        ));
    }
    Ok(files
        .into_iter()
        .filter_map(|file| {
            let text = file_text(state, &file)?;
            let calls = check_document(&text, &state.workspace.for_file(Some(&file))).flow_calls;
            let sends = fields::calls_of(&calls, flow).next().is_some();
            sends.then_some((file, calls))
        })
        .collect())
}

impl ServerState {
    /// The field under `offset` of a document: a key of a flow file's schema, or a payload key
    /// of a resolved call (code, GraphQL, payload and variables files).
    async fn field_at(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        offset: usize,
    ) -> Option<(Field, Document, Arc<Analysis>)> {
        let (doc, analysis) = self.current(uri).await?;
        let text = doc.text();
        let path = uri.to_file_path()?.into_owned();
        let resolved = self.workspace.for_file(Some(&path));
        let declared = resolved.flows.flows().find(|f| f.origin == path).cloned();
        if let Some(flow) = declared {
            let schema = schema_places::schema_text(&path, &text)?;
            let at = schema.from_file(offset)?;
            let (field, name) = schema_places::field_at(&schema.text, at)?;
            let at = schema.to_file(&name)?;
            return Some((
                Field {
                    flow,
                    path: field,
                    at,
                },
                doc,
                analysis,
            ));
        }
        if let Some(key) = fields::key_at(&analysis.flow_calls, offset) {
            let at = unquoted(&text, &key.range);
            let field = Field {
                flow: key.flow,
                path: key.path,
                at,
            };
            return Some((field, doc, analysis));
        }
        // A payload or variables file: its tree keeps only its problems' ranges.
        let call = analysis.flow_calls.first()?;
        let (flow, _) = call.target.as_ref()?;
        let (mut field, range) = crate::surfaces::json::key_path_at(&text, offset)?;
        if call.method == "variables file" && !field.is_empty() {
            field.remove(0);
        }
        if field.is_empty() {
            return None;
        }
        let field = Field {
            flow: flow.clone(),
            path: field,
            at: unquoted(&text, &range),
        };
        Some((field, doc, analysis))
    }

    /// Go to definition on a payload key: the field's declaration in the flow's schema.
    pub(super) async fn field_definition(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        offset: usize,
    ) -> Option<lsp::Location> {
        let (field, _, _) = self.field_at(uri, offset).await?;
        let (path, text, range) = self.declaration(&field.flow, &field.path)?;
        let doc = Document::new(&text, 0);
        Some(lsp::Location::new(
            lsp::Uri::from_file_path(&path)?,
            proto::range(&doc, &range, self.encoding()),
        ))
    }

    fn declaration(
        &self,
        flow: &Flow,
        path: &[Segment],
    ) -> Option<(PathBuf, String, Range<usize>)> {
        let text = file_text(self, &flow.origin)?;
        let schema = schema_places::schema_text(&flow.origin, &text)?;
        let range = schema.to_file(&schema_places::declaration(&schema.text, path)?)?;
        Some((flow.origin.clone(), text, range))
    }

    /// Every place the field is written: the project's code (open files as edited, the others
    /// as saved) and the document itself.
    async fn occurrences(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        field: &Field,
        analysis: &Arc<Analysis>,
    ) -> Occurrences {
        let mut found = Occurrences {
            declaration: self.declaration(&field.flow, &field.path),
            keys: Vec::new(),
            blockers: Vec::new(),
        };
        let Some(here) = uri.to_file_path().map(|p| p.into_owned()) else {
            return found;
        };
        let resolved = self.workspace.for_file(Some(&here));
        let open: Vec<(PathBuf, Arc<Analysis>)> = self
            .documents()
            .values()
            .filter_map(|d| Some((d.path.clone()?, d.newest.clone()?)))
            .collect();
        let state = self.clone();
        let flow_id = field.flow.id.clone();
        let path = field.path.clone();
        let analysis = analysis.clone();
        let files = tokio::task::spawn_blocking(move || {
            let mut files: Vec<(PathBuf, Vec<crate::surfaces::call::CallSummary>)> = state
                .workspace
                .kit_calls(&resolved, &open)
                .into_iter()
                .filter(|(_, calls)| fields::calls_of(calls.calls(), &flow_id).next().is_some())
                .map(|(file, calls)| match calls {
                    FileCalls::Open(analysis) => (file, analysis.flow_calls.clone()),
                    // Saved files' calls are kept without their payloads: read them again.
                    FileCalls::Saved(_) => {
                        let text = std::fs::read_to_string(&file).unwrap_or_default();
                        let calls = check_document(&text, &state.workspace.for_file(Some(&file)))
                            .flow_calls;
                        (file, calls)
                    }
                })
                .collect();
            let mut blockers = Vec::new();
            if resolved.kit.is_none() {
                match config_calls(&state, &resolved, &here, &flow_id) {
                    Ok(more) => files.extend(more),
                    Err(reason) => blockers.push(reason),
                }
            }
            files.push((here, analysis.flow_calls.clone()));
            let mut keys = Vec::new();
            for (file, calls) in files {
                let mine: Vec<_> = fields::calls_of(&calls, &flow_id).collect();
                if mine.is_empty() {
                    continue;
                }
                let Some(text) = file_text(&state, &file) else {
                    continue;
                };
                let json = file
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"));
                let mut places = Vec::new();
                for call in mine {
                    let mut these = fields::keys_of_field(call, &path);
                    if these.is_empty() && json {
                        these = crate::surfaces::json::key_ranges(&text, &path)
                            .into_iter()
                            .map(|range| KeyPlace {
                                range,
                                shorthand: false,
                            })
                            .collect();
                    }
                    if let Some(reason) = fields::rename_blocker(call, &path) {
                        let doc = Document::new(&text, 0);
                        let line = doc
                            .offset_to_position(
                                call.range.start,
                                crate::base::document::Encoding::Utf16,
                            )
                            .line
                            + 1;
                        blockers.push(format!("{}:{line}: {reason}", file.display()));
                    }
                    places.extend(these);
                }
                places.sort_by_key(|p| p.range.start);
                places.dedup();
                if !places.is_empty() {
                    keys.push((file, text, places));
                }
            }
            (keys, blockers)
        })
        .await;
        if let Ok((keys, blockers)) = files {
            found.keys = keys;
            found.blockers = blockers;
        }
        found
    }

    /// References of a field: every payload key that sends it (and its declaration, if asked).
    /// `None` when the position is on no field.
    pub(super) async fn field_references(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
        include_declaration: bool,
    ) -> Option<Vec<lsp::Location>> {
        let doc = self.documents().get(uri).map(|d| d.doc.clone())?;
        let offset = doc.position_to_offset(proto::from_position(position), self.encoding())?;
        let (field, _, analysis) = self.field_at(uri, offset).await?;
        let found = self.occurrences(uri, &field, &analysis).await;
        let encoding = self.encoding();
        let mut locations = Vec::new();
        if include_declaration {
            if let Some((path, text, range)) = &found.declaration {
                let doc = Document::new(text, 0);
                locations.extend(
                    lsp::Uri::from_file_path(path)
                        .map(|u| lsp::Location::new(u, proto::range(&doc, range, encoding))),
                );
            }
        }
        for (path, text, places) in &found.keys {
            let doc = Document::new(text, 0);
            let Some(uri) = lsp::Uri::from_file_path(path) else {
                continue;
            };
            locations.extend(places.iter().map(|p| {
                lsp::Location::new(
                    uri.clone(),
                    proto::range(&doc, &unquoted(text, &p.range), encoding),
                )
            }));
        }
        Some(locations)
    }

    /// `textDocument/prepareRename` on a field: the name's range and text.
    pub(super) async fn prepare_field_rename(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
    ) -> Option<lsp::PrepareRenameResponse> {
        let doc = self.documents().get(uri).map(|d| d.doc.clone())?;
        let offset = doc.position_to_offset(proto::from_position(position), self.encoding())?;
        let (field, doc, _) = self.field_at(uri, offset).await?;
        let text = doc.text();
        Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
            range: proto::range(&doc, &field.at, self.encoding()),
            placeholder: text.get(field.at.clone()).unwrap_or_default().to_string(),
        })
    }

    /// `textDocument/rename` on a field: the schema's key and every key that sends it. `Ok(None)`
    /// when the position is on no field; `Err` with the reason when it may not be renamed.
    pub(super) async fn rename_field(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
        name: &str,
    ) -> Result<Option<lsp::WorkspaceEdit>, String> {
        let Some(doc) = self.documents().get(uri).map(|d| d.doc.clone()) else {
            return Ok(None);
        };
        let Some(offset) = doc.position_to_offset(proto::from_position(position), self.encoding())
        else {
            return Ok(None);
        };
        let Some((field, _, analysis)) = self.field_at(uri, offset).await else {
            return Ok(None);
        };
        if !fields::is_field_name(name) {
            return Err(format!("`{name}` is not a name every payload can take unquoted (letters, digits and `_`, not starting with a digit)"));
        }
        let found = self.occurrences(uri, &field, &analysis).await;
        let Some((schema_file, schema_text, declared)) = &found.declaration else {
            return Err(format!("the field is not declared in a schema flowql can edit (the flow's schema comes from {})", field.flow.origin.display()));
        };
        if !found.blockers.is_empty() {
            return Err(format!(
                "flowql cannot rename this field safely: {}",
                found.blockers.join("; ")
            ));
        }
        let encoding = self.encoding();
        let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
        let schema_uri =
            lsp::Uri::from_file_path(schema_file).ok_or("the schema's file has no URI")?;
        let schema_doc = Document::new(schema_text, 0);
        changes.entry(schema_uri).or_default().push(lsp::TextEdit {
            range: proto::range(&schema_doc, declared, encoding),
            new_text: name.to_string(),
        });
        for (path, text, places) in &found.keys {
            let Some(uri) = lsp::Uri::from_file_path(path) else {
                continue;
            };
            let doc = Document::new(text, 0);
            let edits = changes.entry(uri).or_default();
            for place in places {
                let written = text.get(place.range.clone()).unwrap_or_default();
                edits.push(lsp::TextEdit {
                    range: proto::range(&doc, &place.range, encoding),
                    new_text: fields::renamed_key(written, name, place.shorthand),
                });
            }
        }
        Ok(Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }))
    }
}
