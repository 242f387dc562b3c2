//! `flowql explain`: prints a catalog entry, the list of codes, or the generated docs page; or,
//! with `--response`, explains a saved answer of the platform with the same catalog.

use std::io::Write;

use crate::base::catalog::{self, Code, ENTRIES};

pub enum ExplainRequest<'a> {
    Code(&'a str),
    List,
    Markdown,
    /// A saved answer (a file, or `-` for standard input), as text or JSON.
    Response {
        source: &'a std::path::Path,
        json: bool,
    },
}

/// Returns the exit code: 0, or 2 for an unknown code (with the reason on `err`).
pub fn run(request: ExplainRequest<'_>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let written = match request {
        ExplainRequest::Response { source, json } => return response(source, json, out, err),
        ExplainRequest::Markdown => out.write_all(catalog::render_markdown().as_bytes()),
        ExplainRequest::List => ENTRIES.iter().try_for_each(|e| {
            let status = e
                .http_status
                .map_or_else(|| "-".to_string(), |s| s.to_string());
            writeln!(out, "{:<32} {:>3}  {}", e.code.as_str(), status, e.title)
        }),
        ExplainRequest::Code(text) => match Code::parse(text) {
            Some(code) => out.write_all(catalog::explain(code.entry()).as_bytes()),
            None => {
                let _ = writeln!(
                    err,
                    "flowql: unknown error code `{text}`; `flowql explain --list` shows every code"
                );
                return 2;
            }
        },
    };
    match written {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "flowql: cannot write: {e}");
            2
        }
    }
}

/// Explains a saved answer. Exit 0 when it is a success (or a run still going), 1 when it is a
/// failure (explained), 2 when it cannot be read.
fn response(source: &std::path::Path, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use crate::run::answer::{explain, Answer, Outcome};
    let text = if source == std::path::Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map(|_| text)
    } else {
        std::fs::read(source).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    };
    let text = match text {
        Ok(text) => text,
        Err(e) => {
            let _ = writeln!(err, "flowql: cannot read {}: {e}", source.display());
            return 2;
        }
    };
    let answer = Answer::parse_saved(&text);
    let explained = explain(&answer);
    let (verdict, code) = match &explained.outcome {
        Outcome::Finished(_) => ("finished".to_string(), 0),
        Outcome::Running(id) => (
            match id {
                Some(id) => format!(
                    "running: poll `checkStatus(requestId: \"{id}\")`, at most once every 3 s"
                ),
                None => "running: poll `checkStatus` again, at most once every 3 s".to_string(),
            },
            0,
        ),
        Outcome::Failed => ("failed".to_string(), 1),
    };
    let written = if json {
        let report = serde_json::json!({
            "outcome": explained.outcome.name(),
            "httpStatus": answer.status,
            "field": explained.field,
            "status": explained.run_status,
            "requestId": explained.outcome.request_id(),
            "findings": super::findings::to_json(&explained.findings),
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        )
    } else {
        let status = answer
            .status
            .map_or_else(|| "no status line".to_string(), |s| format!("HTTP {s}"));
        let field = explained
            .field
            .as_deref()
            .map(|f| format!(", `{f}`"))
            .unwrap_or_default();
        writeln!(out, "{} ({status}{field}): {verdict}", source.display())
            .and_then(|()| super::findings::write_human(&explained.findings, out))
    };
    match written {
        Ok(()) => code,
        Err(_) => 2,
    }
}
