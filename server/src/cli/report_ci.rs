//! Reports for CI systems: SARIF 2.1.0 (code scanning: one rule per catalog code, results with
//! 1-based UTF-16 regions relative to the working directory) and GitHub Actions workflow
//! commands (annotations on the pull request's lines).

use std::io::Write;

use serde_json::{json, Value};

use super::checked::FileResult;
use super::report::Summary;
use crate::base::catalog::{Code, Severity};
use crate::base::document::Encoding;

/// 1-based line and UTF-16 column of a byte offset, as SARIF and GitHub count.
fn one_based(file: &FileResult, offset: usize) -> (u32, u32) {
    let at = file.document.offset_to_position(offset, Encoding::Utf16);
    (at.line + 1, at.character + 1)
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// The SARIF log: one run of flowql, the rules of the codes it reports, and the results.
pub fn write_sarif(
    out: &mut dyn Write,
    files: &[FileResult],
    docs_base: &str,
    root: &std::path::Path,
) -> std::io::Result<()> {
    let mut codes: Vec<Code> = files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(|d| d.code))
        .collect();
    codes.sort();
    codes.dedup();
    let rules: Vec<Value> = codes
        .iter()
        .map(|code| {
            let entry = code.entry();
            json!({
                "id": code.as_str(),
                "shortDescription": {"text": entry.title},
                "fullDescription": {"text": entry.cause},
                "help": {"text": entry.fix, "markdown": entry.fix},
                "helpUri": code.docs_url(docs_base),
                "defaultConfiguration": {"level": sarif_level(entry.severity)},
                "properties": {"httpStatus": entry.http_status},
            })
        })
        .collect();
    let codes = &codes;
    let results: Vec<Value> = files
        .iter()
        .flat_map(|file| {
            file.diagnostics.iter().map(move |d| {
                let (start_line, start_column) = one_based(file, d.range.start);
                let (end_line, end_column) = one_based(file, d.range.end);
                let rule_index = codes.binary_search(&d.code).unwrap_or(0);
                json!({
                    "ruleId": d.code.as_str(),
                    "ruleIndex": rule_index,
                    "level": sarif_level(d.severity),
                    "message": {"text": d.message},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": file.display_path.replace('\\', "/"),
                                "uriBaseId": "%SRCROOT%",
                            },
                            "region": {
                                "startLine": start_line,
                                "startColumn": start_column,
                                "endLine": end_line,
                                "endColumn": end_column,
                            },
                        },
                    }],
                    "properties": {"httpStatus": d.http_status()},
                })
            })
        })
        .collect();
    let root_uri = format!(
        "file://{}/",
        root.display().to_string().trim_end_matches('/')
    );
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "flowql",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/flowql/flowql",
                    "rules": rules,
                },
            },
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// A workflow command's data: `%`, CR and LF escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error`/`::warning`/`::notice` line per diagnostic, then the summary as plain text.
pub fn write_github(
    out: &mut dyn Write,
    files: &[FileResult],
    summary: &Summary,
) -> std::io::Result<()> {
    for file in files {
        for d in &file.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information | Severity::Hint => "notice",
            };
            let (line, column) = one_based(file, d.range.start);
            let (end_line, end_column) = one_based(file, d.range.end);
            let status = d
                .http_status()
                .map(|s| format!(" (HTTP {s} if sent)"))
                .unwrap_or_default();
            writeln!(
                out,
                "::{command} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}",
                escape_property(&file.display_path),
                escape_property(&format!("flowql {}", d.code.as_str())),
                escape_data(&format!("{}{status}. Fix: {}", d.message, d.fix())),
            )?;
        }
    }
    writeln!(
        out,
        "flowql: {} errors, {} warnings in {} files checked",
        summary.errors, summary.warnings, summary.files
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_what_would_end_them() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
