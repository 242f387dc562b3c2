//! Go to definition and find references, in protocol types: fragments and variables inside a
//! document, fragments across the project's files, and names of the schema (its file in the
//! workspace, or a read-only copy of the bundled, fetched or built-in SDL that editors open).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::proto;
use super::state::ServerState;
use crate::base::document::{Document, Encoding};
use crate::features::navigate::in_document::{self, Target};
use crate::features::navigate::to_schema::{self, SchemaLocation};

/// A location in a file whose text is known.
fn location(
    path: &Path,
    text: &str,
    range: &std::ops::Range<usize>,
    encoding: Encoding,
) -> Option<lsp::Location> {
    let uri = lsp::Uri::from_file_path(path)?;
    let doc = Document::new(text, 0);
    Some(lsp::Location::new(uri, proto::range(&doc, range, encoding)))
}

/// The file to show for a schema source: the workspace file it was read from when it still has
/// that text, else a read-only copy under the cache folder, named by its content.
fn schema_file(location: &SchemaLocation, cache_dir: &Path) -> Option<PathBuf> {
    if location.path.is_absolute()
        && std::fs::read_to_string(&location.path).is_ok_and(|t| t == location.text)
    {
        // `project/../schema.graphql` as the editor would name it.
        return Some(
            std::fs::canonicalize(&location.path).unwrap_or_else(|_| location.path.clone()),
        );
    }
    let stem = location
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "schema".to_string());
    let file = crate::platform::cache::sdl_copy_path(cache_dir, &stem, &location.text);
    if !file.is_file() {
        std::fs::create_dir_all(file.parent()?).ok()?;
        let partial = file.with_extension(format!("{}.tmp", std::process::id()));
        std::fs::write(&partial, &location.text).ok()?;
        let mut permissions = std::fs::metadata(&partial).ok()?.permissions();
        // The copy is generated: edits would be lost, so the editor opens it read-only.
        permissions.set_readonly(true);
        std::fs::set_permissions(&partial, permissions).ok()?;
        std::fs::rename(&partial, &file).ok()?;
    }
    Some(file)
}

impl ServerState {
    /// The definition of the name at a position: a fragment (here or in another file of the
    /// project), a variable, or a field, type, argument, enum value, input field or directive
    /// of the schema.
    pub async fn definition(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
    ) -> Option<lsp::Location> {
        let (doc, whole) = self.current(uri).await?;
        let encoding = self.encoding();
        let offset = doc.position_to_offset(proto::from_position(position), encoding)?;
        // A flow id (a literal, an environment variable, a step id): the flow's trigger.
        if let Some(flow) = crate::surfaces::call::flow_at(&whole.flow_calls, offset) {
            return self.flow_location(flow);
        }
        // A payload key: the field's declaration in the flow's schema.
        if let Some(location) = self.field_definition(uri, offset).await {
            return Some(location);
        }
        // In code, the GraphQL literal at the cursor, in its own offsets.
        let (analysis, offset, shift) = if super::state::is_host(uri) {
            let region = whole.region_at(offset)?;
            (region.analysis.clone(), offset - region.start, region.start)
        } else {
            (whole, offset, 0)
        };
        if let Some(target) = in_document::target_at(&analysis.ast, offset) {
            if let Some(range) = in_document::definition(&analysis.ast, &target) {
                let range = range.start + shift..range.end + shift;
                return Some(lsp::Location::new(
                    uri.clone(),
                    proto::range(&doc, &range, encoding),
                ));
            }
            let Target::Fragment(name) = target else {
                return None;
            };
            return self.foreign_fragment(uri, &name);
        }
        let target = to_schema::target_at(&analysis, offset)?;
        let found = to_schema::locate(&analysis.schema.schema, &target)?;
        let configured = self
            .resolved_for(uri)
            .and_then(|r| {
                let config = r.config?;
                let name = r.project?;
                let project = config.projects.iter().find(|p| p.name == name)?;
                project.settings.cache_dir.clone()
            })
            .or_else(|| self.workspace.editor_settings().cache_dir);
        let cache_dir = crate::platform::cache::cache_dir(configured.as_deref());
        let file = tokio::task::spawn_blocking(move || {
            schema_file(&found, &cache_dir).map(|file| (file, found))
        })
        .await
        .ok()??;
        location(&file.0, &file.1.text, &file.1.range, encoding)
    }

    /// Where a flow is defined: its trigger in its flow file (as edited, when open), or the
    /// start of the file its schema came from.
    pub(super) fn flow_location(
        &self,
        flow: &crate::flows::registry::Flow,
    ) -> Option<lsp::Location> {
        let open = lsp::Uri::from_file_path(&flow.origin).and_then(|u| {
            let documents = self.documents();
            documents.get(&u).map(|d| d.doc.text())
        });
        let text = match open {
            Some(text) => text,
            None => std::fs::read_to_string(&flow.origin).unwrap_or_default(),
        };
        let range = flow
            .trigger_at
            .clone()
            .filter(|r| r.end <= text.len() && text.is_char_boundary(r.start))
            .map_or(0..0, |r| r.start..r.start);
        location(&flow.origin, &text, &range, self.encoding())
    }

    /// Where another file of the project defines fragment `name` (as edited, when open).
    fn foreign_fragment(self: &Arc<Self>, uri: &lsp::Uri, name: &str) -> Option<lsp::Location> {
        let resolved = self.resolved_for(uri)?;
        let fragments = self.project_fragments(uri, &resolved);
        let definition = fragments.get(name)?;
        let path = definition.file.as_ref()?;
        let open = lsp::Uri::from_file_path(path).and_then(|u| {
            let documents = self.documents();
            documents.get(&u).map(|d| d.doc.text())
        });
        let text = match open {
            Some(text) => text,
            None => std::fs::read_to_string(path).ok()?,
        };
        location(path, &text, &definition.name_range, self.encoding())
    }

    /// The uses of the fragment or variable at a position (and its definition, if asked); a
    /// fragment's in every file of the project.
    pub async fn references(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        position: lsp::Position,
        include_declaration: bool,
    ) -> Vec<lsp::Location> {
        // An input field (its declaration, or a key that sends it): every key that sends it.
        if let Some(found) = self
            .field_references(uri, position, include_declaration)
            .await
        {
            return found;
        }
        if let Some(found) = self.flow_references(uri).await {
            return found;
        }
        if super::state::is_host(uri) {
            return Vec::new();
        }
        let Some((doc, analysis)) = self.current(uri).await else {
            return Vec::new();
        };
        let encoding = self.encoding();
        let Some(target) = doc
            .position_to_offset(proto::from_position(position), encoding)
            .and_then(|offset| in_document::target_at(&analysis.ast, offset))
        else {
            return Vec::new();
        };
        let mut found: Vec<lsp::Location> =
            in_document::references(&analysis.ast, &target, include_declaration)
                .iter()
                .map(|range| lsp::Location::new(uri.clone(), proto::range(&doc, range, encoding)))
                .collect();
        if matches!(target, Target::Fragment(_)) {
            let state = self.clone();
            let uri = uri.clone();
            let others = tokio::task::spawn_blocking(move || {
                state.references_elsewhere(&uri, &target, include_declaration)
            })
            .await
            .unwrap_or_default();
            found.extend(others);
        }
        found
    }

    /// In a kit's flow file: every call of that flow in the kit's code (open files as edited,
    /// the others as saved), at its flow id. `None` when the document is no flow file.
    async fn flow_references(self: &Arc<Self>, uri: &lsp::Uri) -> Option<Vec<lsp::Location>> {
        self.flow_file_calls(uri).await.map(|(_, found)| found)
    }

    /// A kit's flow file's flow and the places that call it (see [`Self::flow_references`]).
    pub(super) async fn flow_file_calls(
        self: &Arc<Self>,
        uri: &lsp::Uri,
    ) -> Option<(Arc<crate::flows::registry::Flow>, Vec<lsp::Location>)> {
        let resolved = self.resolved_for(uri)?;
        let kit = resolved.kit.clone()?;
        let path = uri.to_file_path()?.into_owned();
        let key = kit.flows.iter().find(|f| f.file == path)?.key.clone();
        let flow = resolved.flows.get(&key)?.clone();
        let flow_id = flow.id.clone();
        let open: Vec<(PathBuf, Arc<crate::checks::document::Analysis>)> = self
            .documents()
            .values()
            .filter_map(|d| Some((d.path.clone()?, d.newest.clone()?)))
            .collect();
        let texts: std::collections::HashMap<PathBuf, String> = self
            .documents()
            .values()
            .filter_map(|d| Some((d.path.clone()?, d.doc.text())))
            .collect();
        let state = self.clone();
        let encoding = self.encoding();
        let found = tokio::task::spawn_blocking(move || {
            let mut found = Vec::new();
            for (file, calls) in state.workspace.kit_calls(&resolved, &open) {
                let ids: Vec<_> = calls
                    .calls()
                    .iter()
                    .filter(|c| c.target.as_ref().is_some_and(|(f, _)| f.id == flow_id))
                    .map(|c| c.id_range.clone())
                    .collect();
                if ids.is_empty() {
                    continue;
                }
                let text = match texts.get(&file) {
                    Some(text) => text.clone(),
                    None => std::fs::read_to_string(&file).unwrap_or_default(),
                };
                found.extend(
                    ids.iter()
                        .filter_map(|r| location(&file, &text, r, encoding)),
                );
            }
            found
        })
        .await
        .unwrap_or_default();
        Some((flow, found))
    }

    /// The references of a fragment in the project's other files: open ones as edited, the
    /// others as saved.
    pub(super) fn references_elsewhere(
        &self,
        uri: &lsp::Uri,
        target: &Target,
        include_declaration: bool,
    ) -> Vec<lsp::Location> {
        let Some(resolved) = self.resolved_for(uri) else {
            return Vec::new();
        };
        let key = super::trackers::project_key(&resolved);
        let encoding = self.encoding();
        let mut files: Vec<(lsp::Uri, String)> = Vec::new();
        let mut seen: std::collections::HashSet<lsp::Uri> = [uri.clone()].into();
        {
            let documents = self.documents();
            for (other, open) in documents.iter() {
                if other == uri {
                    continue;
                }
                // Not analysed yet: its project is found the way its analysis will find it.
                let project = if open.fragments.version.is_some() {
                    open.fragments.project.clone()
                } else {
                    super::trackers::project_key(&self.workspace.for_file(open.path.as_deref()))
                };
                if project == key {
                    seen.insert(other.clone());
                    files.push((other.clone(), open.doc.text()));
                }
            }
        }
        if let (Some(config), Some(project)) = (&resolved.config, &resolved.project) {
            let project = config.projects.iter().find(|p| &p.name == project);
            for path in project
                .and_then(|p| config.document_files(p).ok())
                .unwrap_or_default()
                .into_iter()
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "graphql" || e == "gql")
                        || crate::surfaces::code::HostLanguage::of_path(p).is_some()
                })
            {
                let Some(other) = lsp::Uri::from_file_path(&path) else {
                    continue;
                };
                if seen.insert(other.clone()) {
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        files.push((other, text));
                    }
                }
            }
        }
        let Target::Fragment(name) = target else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (other, text) in files {
            if !text.contains(name.as_str()) {
                continue;
            }
            let path = other.to_file_path().map(|p| p.into_owned());
            let doc = Document::new(&text, 0);
            for (start, part) in crate::surfaces::code::graphql_parts(&text, path.as_deref()) {
                let ast = apollo_compiler::ast::Document::parse(part, "references.graphql")
                    .unwrap_or_else(|e| e.partial);
                out.extend(
                    in_document::references(&ast, target, include_declaration)
                        .iter()
                        .map(|range| {
                            let range = range.start + start..range.end + start;
                            lsp::Location::new(other.clone(), proto::range(&doc, &range, encoding))
                        }),
                );
            }
        }
        out
    }
}
