//! What the server announces at `initialize`: the position encoding it settles on with the
//! client, and its capabilities (the requests it answers, its commands and their names, the
//! semantic tokens' legend).

use tower_lsp_server::ls_types::*;

use crate::base::document::Encoding;

/// The command that fetches every configured schema again.
pub const REFRESH_SCHEMAS: &str = "flowql.refreshSchemas";

/// The command that explains an error code (or lists them all, without an argument).
pub const EXPLAIN: &str = "flowql.explain";

/// UTF-8 positions when the client offers them (no conversion at all), else UTF-16.
pub fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

/// The capabilities of the server, with positions in `encoding`.
pub fn server_capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            // `"` and `,` for payload keys and flow ids; the others where GraphQL
            // names start: a selection, arguments, a value, a variable, a directive,
            // a spread.
            trigger_characters: Some(
                ["{", "\"", ",", "(", ":", "$", "@", "."]
                    .map(String::from)
                    .to_vec(),
            ),
            ..Default::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: super::highlight::legend(),
                range: Some(true),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                ..Default::default()
            },
        )),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("flowql".to_string()),
            // A schema, configuration or flow file changes other documents' results.
            inter_file_dependencies: true,
            workspace_diagnostics: false,
            ..Default::default()
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![
                REFRESH_SCHEMAS.to_string(),
                EXPLAIN.to_string(),
                super::run::RUN_FLOW.to_string(),
                super::run::EXPLAIN_RESPONSE.to_string(),
            ],
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Files whose change can change a document's schema or settings.
pub(super) const WATCHED: &[&str] = &[
    "**/.graphqlrc*",
    "**/graphql.config.*",
    "**/.env",
    "**/.env.*",
    "**/lamatic.config.*",
    "**/flows/**",
    "**/prompts/**",
    "**/*.graphql",
    "**/*.gql",
    "**/*.json",
];
