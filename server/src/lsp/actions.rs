//! Code actions. For configuration files: move a literal API key into `.env` and refer to it
//! as `${VAR}` in one edit of both files.

use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use super::proto;
use super::state::ServerState;
use crate::base::document::Document;
use crate::config::{Config, ConfigProblem, SecretFix, CONFIG_FILE_NAMES};

/// The quick fixes for a configuration file at the requested range.
pub fn config_actions(
    state: &Arc<ServerState>,
    params: &CodeActionParams,
) -> Option<CodeActionResponse> {
    let uri = &params.text_document.uri;
    let path = uri.to_file_path()?.into_owned();
    let name = path.file_name()?.to_str()?;
    if !CONFIG_FILE_NAMES.contains(&name) {
        return None;
    }
    let config = state.workspace.config(&path).ok()?;
    let doc = Document::new(&config.text, 0);
    let encoding = state.encoding();
    let from = doc.position_to_offset(proto::from_position(params.range.start), encoding)?;
    let to = doc.position_to_offset(proto::from_position(params.range.end), encoding)?;
    let actions: Vec<CodeActionOrCommand> = config
        .problems
        .iter()
        .filter(|p| p.range.start <= to && from <= p.range.end)
        .filter_map(|p| Some((p, p.fix.as_ref()?)))
        .filter_map(|(problem, fix)| {
            let action = move_to_dotenv(&config, uri, &doc, problem, fix, encoding)?;
            let diagnostics = params
                .context
                .diagnostics
                .iter()
                .filter(|d| d.range == proto::range(&doc, &problem.range, encoding))
                .cloned()
                .collect::<Vec<_>>();
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                diagnostics: Some(diagnostics),
                ..action
            }))
        })
        .collect();
    (!actions.is_empty()).then_some(actions)
}

/// The variable name to use: `fix.variable`, unless `.env` already gives it another value.
fn variable_name(existing: &str, fix: &SecretFix) -> String {
    let defines = |name: &str| {
        existing.lines().find_map(|line| {
            line.trim()
                .strip_prefix(&format!("{name}="))
                .map(|v| v.trim().trim_matches('"').to_string())
        })
    };
    let mut name = fix.variable.clone();
    let mut n = 2;
    while defines(&name).is_some_and(|value| value != fix.value.expose()) {
        name = format!("{}_{n}", fix.variable);
        n += 1;
    }
    name
}

fn move_to_dotenv(
    config: &Config,
    uri: &Uri,
    doc: &Document,
    problem: &ConfigProblem,
    fix: &SecretFix,
    encoding: crate::base::document::Encoding,
) -> Option<CodeAction> {
    let env_path = config.dir().join(".env");
    let env_uri = Uri::from_file_path(&env_path)?;
    let existing = std::fs::read_to_string(&env_path).ok();
    let variable = variable_name(existing.as_deref().unwrap_or(""), fix);
    let already_there = existing.as_deref().is_some_and(|text| {
        text.lines()
            .any(|l| l.trim().starts_with(&format!("{variable}=")))
    });

    let mut changes = vec![DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier {
            uri: uri.clone(),
            version: None,
        },
        edits: vec![OneOf::Left(TextEdit {
            range: proto::range(doc, &problem.range, encoding),
            new_text: format!("${{{variable}}}"),
        })],
    })];
    if !already_there {
        let line = format!("{variable}={}\n", fix.value.expose());
        let (position, text) = match &existing {
            None => {
                changes.push(DocumentChangeOperation::Op(ResourceOp::Create(
                    CreateFile {
                        uri: env_uri.clone(),
                        options: Some(CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(true),
                        }),
                        annotation_id: None,
                    },
                )));
                (Position::new(0, 0), line)
            }
            Some(text) => {
                let env_doc = Document::new(text, 0);
                let end = proto::position(&env_doc, text.len(), encoding);
                let separator = if text.is_empty() || text.ends_with('\n') {
                    ""
                } else {
                    "\n"
                };
                (end, format!("{separator}{line}"))
            }
        };
        changes.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: env_uri,
                version: None,
            },
            edits: vec![OneOf::Left(TextEdit {
                range: Range::new(position, position),
                new_text: text,
            })],
        }));
    }
    Some(CodeAction {
        title: format!("Move the key to .env as `{variable}` (keep .env out of version control)"),
        kind: Some(CodeActionKind::QUICKFIX),
        edit: Some(WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(changes)),
            ..Default::default()
        }),
        is_preferred: Some(true),
        ..Default::default()
    })
}

fn overlaps(a: &Range, b: &Range) -> bool {
    (a.start.line, a.start.character) <= (b.end.line, b.end.character)
        && (b.start.line, b.start.character) <= (a.end.line, a.end.character)
}

/// The fixes carried in the `data` of flowql's diagnostics at the requested range: no second
/// analysis, and the edits are exactly the ones computed with the diagnostic.
pub fn fix_actions(params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let mut actions = Vec::new();
    for diagnostic in &params.context.diagnostics {
        if diagnostic.source.as_deref() != Some("flowql")
            || !overlaps(&diagnostic.range, &params.range)
        {
            continue;
        }
        let Some(fixes) = diagnostic
            .data
            .as_ref()
            .and_then(|d| d.get("fixes"))
            .and_then(|f| f.as_array())
        else {
            continue;
        };
        for fix in fixes {
            let Some(title) = fix.get("title").and_then(|t| t.as_str()) else {
                continue;
            };
            let edits: Option<Vec<TextEdit>> = fix
                .get("edits")
                .and_then(|e| serde_json::from_value(e.clone()).ok());
            let Some(edits) = edits else {
                continue;
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: title.to_string(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some([(uri.clone(), edits)].into_iter().collect()),
                    ..Default::default()
                }),
                is_preferred: Some(fixes.len() == 1),
                ..Default::default()
            }));
        }
    }
    actions
}
