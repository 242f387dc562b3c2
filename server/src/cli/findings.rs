//! How `flowql run` and `flowql explain --response` print the causes of a failed request: each
//! with its code, the HTTP status, the catalog's title and fix, and what this answer said; as
//! text for people and as JSON for scripts.

use std::io::Write;

use serde_json::{json, Value};

use crate::run::answer::Finding;

/// Writes the findings for people: one block per cause.
pub fn write_human(findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    for finding in findings {
        let entry = finding.code.entry();
        let status = finding.status_note();
        writeln!(
            out,
            "{}[{}]{status}: {}",
            entry.severity.as_str(),
            finding.code,
            entry.title
        )?;
        writeln!(out, "  {}", finding.message)?;
        writeln!(out, "  fix: {}", entry.fix)?;
    }
    Ok(())
}

/// The findings as JSON objects.
pub fn to_json(findings: &[Finding]) -> Value {
    Value::Array(
        findings
            .iter()
            .map(|f| {
                let entry = f.code.entry();
                json!({
                    "code": f.code.as_str(),
                    "severity": entry.severity.as_str(),
                    "httpStatus": entry.http_status,
                    "title": entry.title,
                    "message": f.message,
                    "fix": entry.fix,
                })
            })
            .collect(),
    )
}
