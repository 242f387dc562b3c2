//! Conversions between the core's types and the protocol's: positions in the negotiated
//! encoding, diagnostics with code, link and fix, hovers.

use std::str::FromStr;

use tower_lsp_server::ls_types as lsp;

use crate::base::catalog::{Code, Severity};
use crate::base::diagnostic::Diagnostic;
use crate::base::document::{Change, Document, Encoding, Position};
use crate::features::hover::graphql::HoverInfo;

pub fn position(doc: &Document, offset: usize, encoding: Encoding) -> lsp::Position {
    let p = doc.offset_to_position(offset, encoding);
    lsp::Position::new(p.line, p.character)
}

pub fn range(doc: &Document, range: &std::ops::Range<usize>, encoding: Encoding) -> lsp::Range {
    lsp::Range::new(
        position(doc, range.start, encoding),
        position(doc, range.end, encoding),
    )
}

pub fn from_position(p: lsp::Position) -> Position {
    Position::new(p.line, p.character)
}

pub fn change(event: lsp::TextDocumentContentChangeEvent) -> Change {
    Change {
        range: event
            .range
            .map(|r| (from_position(r.start), from_position(r.end))),
        text: event.text,
    }
}

pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// A diagnostic as published: code, link to its documentation, and the status and fix in
/// `data` so that clients and later code actions need no second analysis.
pub fn diagnostic(
    d: &Diagnostic,
    doc: &Document,
    encoding: Encoding,
    docs_base: &str,
) -> lsp::Diagnostic {
    let href = lsp::Uri::from_str(&d.code.docs_url(docs_base)).ok();
    lsp::Diagnostic {
        range: range(doc, &d.range, encoding),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        code_description: href.map(|href| lsp::CodeDescription { href }),
        source: Some("flowql".to_string()),
        message: d.message.clone(),
        related_information: None,
        // Editors strike deprecated names through and fade unused ones.
        tags: match d.code {
            Code::DeprecatedUsage => Some(vec![lsp::DiagnosticTag::DEPRECATED]),
            Code::UnusedVariable | Code::UnusedFragment => {
                Some(vec![lsp::DiagnosticTag::UNNECESSARY])
            }
            _ => None,
        },
        data: Some(serde_json::json!({
            "httpStatus": d.http_status(),
            "fix": d.fix(),
            "fixes": d.fixes.iter().map(|f| serde_json::json!({
                "title": f.title,
                "edits": f.edits.iter().map(|e| serde_json::json!({
                    "range": range(doc, &e.range, encoding),
                    "newText": e.text,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })),
    }
}

pub fn hover(info: &HoverInfo, doc: &Document, encoding: Encoding) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: info.markdown.clone(),
        }),
        range: Some(range(doc, &info.range, encoding)),
    }
}

pub fn completion(
    item: &crate::features::completion::payload::Item,
    doc: &Document,
    encoding: Encoding,
) -> lsp::CompletionItem {
    use crate::features::completion::payload::ItemKind;
    use lsp::CompletionItemKind as K;
    let text_edit = item.replace.as_ref().map(|r| {
        lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: range(doc, r, encoding),
            new_text: item.insert.clone(),
        })
    });
    lsp::CompletionItem {
        label: item.label.clone(),
        kind: Some(match item.kind {
            ItemKind::Field => K::FIELD,
            ItemKind::Flow | ItemKind::Value => K::VALUE,
            ItemKind::Argument => K::PROPERTY,
            ItemKind::InputField => K::FIELD,
            ItemKind::EnumValue => K::ENUM_MEMBER,
            ItemKind::Variable => K::VARIABLE,
            ItemKind::Fragment => K::REFERENCE,
            ItemKind::Type => K::CLASS,
            ItemKind::Directive => K::FUNCTION,
            ItemKind::Keyword => K::KEYWORD,
        }),
        detail: Some(item.detail.clone()),
        documentation: item.documentation.clone().map(|value| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            })
        }),
        tags: item
            .deprecated
            .then(|| vec![lsp::CompletionItemTag::DEPRECATED]),
        sort_text: Some(item.sort.clone()),
        // What the client matches the typed word against: the label, unless the inserted text
        // starts differently (a payload key inserted with its quotes).
        filter_text: Some(if item.snippet || item.insert.starts_with(&item.label) {
            item.label.clone()
        } else {
            item.insert.clone()
        }),
        insert_text: text_edit.is_none().then(|| item.insert.clone()),
        insert_text_format: Some(if item.snippet {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
        text_edit,
        ..Default::default()
    }
}
