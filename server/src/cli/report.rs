//! Reports of `flowql check`: annotated source snippets for people, and the JSON contract that
//! other tools build on (positions exactly as the language server publishes them).

use std::io::Write;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use super::checked::FileResult;
use crate::base::catalog::{status_text, Severity};
use crate::base::document::Encoding;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the lines.
    Github,
}

#[derive(Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Notes about the project (a flow no code calls), which never fail the check.
    pub hints: usize,
    pub flow_calls: FlowCallCounts,
}

/// The calls that run a flow from code: how many were found, how many of them name a flow
/// flowql could tell, and how many of those had their payload checked.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
pub struct FlowCallCounts {
    pub found: usize,
    pub resolved: usize,
    pub checked: usize,
}

pub fn summarize(files: &[FileResult]) -> Summary {
    let mut summary = Summary {
        files: files.len(),
        ..Summary::default()
    };
    for call in files.iter().flat_map(|f| &f.flow_calls) {
        summary.flow_calls.found += 1;
        summary.flow_calls.resolved += usize::from(call.flow.is_ok());
        summary.flow_calls.checked += usize::from(call.checked);
    }
    for d in files.iter().flat_map(|f| &f.diagnostics) {
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Hint => summary.hints += 1,
            _ => {}
        }
    }
    summary
}

/// The JSON contract: `{"files":[{"path","diagnostics":[...]}],"summary":{...}}`, with 0-based
/// lines and UTF-16 characters.
pub fn write_json(
    out: &mut dyn Write,
    files: &[FileResult],
    summary: &Summary,
) -> std::io::Result<()> {
    // Typed rows, serialized in field order: the same keys, in the same order, as the contract.
    #[derive(Serialize)]
    struct Point {
        line: u32,
        character: u32,
    }
    #[derive(Serialize)]
    struct Span {
        start: Point,
        end: Point,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Row<'a> {
        severity: &'a str,
        code: &'a str,
        message: &'a str,
        range: Span,
        http_status: Option<u16>,
        fix: &'a str,
    }
    #[derive(Serialize)]
    struct File<'a> {
        path: &'a str,
        diagnostics: Vec<Row<'a>>,
    }
    #[derive(Serialize)]
    struct Report<'a> {
        files: Vec<File<'a>>,
        summary: &'a Summary,
    }
    let point = |file: &FileResult, offset: usize| {
        let at = file.document.offset_to_position(offset, Encoding::Utf16);
        Point {
            line: at.line,
            character: at.character,
        }
    };
    let files = files
        .iter()
        .map(|file| File {
            path: &file.display_path,
            diagnostics: file
                .diagnostics
                .iter()
                .map(|d| Row {
                    severity: d.severity.as_str(),
                    code: d.code.as_str(),
                    message: &d.message,
                    range: Span {
                        start: point(file, d.range.start),
                        end: point(file, d.range.end),
                    },
                    http_status: d.http_status(),
                    fix: d.fix(),
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &Report { files, summary })?;
    writeln!(out)
}

fn report_severity(severity: Severity) -> ReportSeverity {
    match severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Information => ReportSeverity::Note,
        Severity::Hint => ReportSeverity::Help,
    }
}

/// Lines longer than this (in bytes) are not shown in snippets.
const MAX_SNIPPET_LINE: usize = 1000;

/// The length of the line that holds `offset`.
fn line_length_at(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    end - start
}

/// Annotated snippets in the style of rustc, then one summary line.
pub fn write_human(
    out: &mut dyn Write,
    files: &[FileResult],
    summary: &Summary,
    docs_base: &str,
    color: bool,
) -> std::io::Result<()> {
    let mut sources = SimpleFiles::new();
    let config = term::Config::default();
    let styles = term::Styles::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for file in files {
        if file.diagnostics.is_empty() {
            continue;
        }
        let text = file.document.text();
        let id = sources.add(file.display_path.clone(), text.clone());
        for d in &file.diagnostics {
            let mut notes = vec![
                format!("if sent: {}", status_text(d.code.entry())),
                format!("fix: {}", d.fix()),
                format!("docs: {}", d.code.docs_url(docs_base)),
            ];
            // A snippet prints the whole line: a line of a megabyte, once per diagnostic on it,
            // would take seconds. Past a screen's width, the place is said instead.
            let labels = if line_length_at(&text, d.range.start) > MAX_SNIPPET_LINE {
                let at = file
                    .document
                    .offset_to_position(d.range.start, Encoding::Utf16);
                notes.insert(
                    0,
                    format!(
                        "at {}:{}:{} (the line is too long to show)",
                        file.display_path,
                        at.line + 1,
                        at.character + 1
                    ),
                );
                Vec::new()
            } else {
                vec![Label::primary(id, d.range.clone())]
            };
            let report = Report::new(report_severity(d.severity))
                .with_code(d.code.as_str())
                .with_message(&d.message)
                .with_labels(labels)
                .with_notes(notes);
            let mut writer = term::StylesWriter::new(&mut buffer, &styles);
            term::emit_to_write_style(&mut writer, &config, &sources, &report)
                .map_err(std::io::Error::other)?;
        }
    }
    out.write_all(buffer.as_slice())?;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let calls = &summary.flow_calls;
    if calls.found > 0 {
        writeln!(
            out,
            "flowql: {} in code, {} resolved to a flow, {} with the payload checked",
            plural(calls.found, "flow call"),
            calls.resolved,
            calls.checked
        )?;
    }
    let hints = match summary.hints {
        0 => String::new(),
        n => format!(" ({})", plural(n, "hint")),
    };
    writeln!(
        out,
        "flowql: {}, {}{hints} in {} checked",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.files, "file"),
    )
}
