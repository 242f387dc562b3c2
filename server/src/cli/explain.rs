//! `flowql explain`: prints a catalog entry, the list of codes, or the generated docs page.

use std::io::Write;

use crate::catalog::{self, Code, ENTRIES};

pub enum ExplainRequest<'a> {
    Code(&'a str),
    List,
    Markdown,
}

/// Returns the exit code: 0, or 2 for an unknown code (with the reason on `err`).
pub fn run(request: ExplainRequest<'_>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let written = match request {
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
