//! Formatting that keeps the author's line breaks and comments: each line is indented by the
//! brackets open before it, spacing between tokens is made canonical, runs of blank lines become
//! one, and block strings are left as written. It never reflows (a payload laid out by hand
//! stays laid out), so it is idempotent by construction: the output has the input's tokens and
//! line breaks. Text that does not parse is not formatted.
//!
//! Why not a printer: apollo-compiler's printer drops comments, and graphql-parser's printer
//! drops them too and reflows every selection onto its own line; prettier is not Rust.

use apollo_parser::{Lexer, TokenKind};

/// Two spaces per open bracket.
const INDENT: &str = "  ";

/// One output line per input line (block strings give several raw lines); `None` where the
/// text does not parse or is too large.
fn lines(text: &str) -> Option<Vec<(String, bool)>> {
    if text.len() > crate::base::document::MAX_DOCUMENT_BYTES {
        return None;
    }
    // Only white space and comments: nothing to parse, still something to tidy.
    let blank = Lexer::new(text).all(|t| {
        t.is_ok_and(|t| {
            matches!(
                t.kind(),
                TokenKind::Whitespace | TokenKind::Comment | TokenKind::Eof
            )
        })
    });
    if !blank && apollo_parser::Parser::new(text).parse().errors().len() > 0 {
        return None;
    }
    let mut out = Vec::new();
    let mut line = Line::default();
    // The output line each open bracket was opened on: a line is indented once per line that
    // opened brackets still open (`(workflowId: $id, payload: {` indents its contents once).
    let mut open: Vec<usize> = Vec::new();
    let mut previous: Option<(TokenKind, &str)> = None;
    for token in Lexer::new(text) {
        let token = token.ok()?;
        let (kind, data) = (token.kind(), token.data());
        match kind {
            TokenKind::Eof => break,
            TokenKind::Whitespace => {
                let breaks = data.matches('\n').count();
                for _ in 0..breaks {
                    out.push(std::mem::take(&mut line).finish());
                }
                if breaks > 0 {
                    previous = None;
                }
                continue;
            }
            TokenKind::RCurly | TokenKind::RParen | TokenKind::RBracket => {
                open.pop();
            }
            _ => {}
        }
        if line.is_empty() {
            line.indent = distinct(&open);
        } else if spaced(previous, kind, data) {
            line.text.push(' ');
        }
        if kind == TokenKind::StringValue && data.contains('\n') {
            // A block string: its lines are part of its value and stay as they are.
            let mut parts = data.split('\n');
            line.text.push_str(parts.next().unwrap_or_default());
            for part in parts {
                out.push(std::mem::take(&mut line).finish());
                line.raw = true;
                line.text.push_str(part);
            }
        } else {
            line.text.push_str(data);
        }
        if matches!(
            kind,
            TokenKind::LCurly | TokenKind::LParen | TokenKind::LBracket
        ) {
            open.push(out.len());
        }
        previous = Some((kind, data));
    }
    out.push(line.finish());
    Some(out)
}

/// How many different values a sorted list holds.
fn distinct(sorted: &[usize]) -> usize {
    sorted.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(!sorted.is_empty())
}

#[derive(Default)]
struct Line {
    indent: usize,
    text: String,
    /// Starts inside a block string: not indented.
    raw: bool,
}

impl Line {
    fn is_empty(&self) -> bool {
        self.text.is_empty() && !self.raw
    }

    /// The line's text, and whether it starts inside a block string (kept as written).
    fn finish(self) -> (String, bool) {
        if self.raw {
            return (self.text.trim_end_matches('\r').to_string(), true);
        }
        let text = self.text.trim_end();
        if text.is_empty() {
            (String::new(), false)
        } else {
            (format!("{}{text}", INDENT.repeat(self.indent)), false)
        }
    }
}

/// Whether a space goes between the previous token and this one on the same line.
fn spaced(previous: Option<(TokenKind, &str)>, kind: TokenKind, data: &str) -> bool {
    use TokenKind as T;
    let Some((before, before_data)) = previous else {
        return false;
    };
    match (before, kind) {
        (T::LParen | T::LBracket | T::Dollar | T::At, _) => false,
        (_, T::RParen | T::RBracket | T::Comma | T::Colon | T::Bang) => false,
        (T::LCurly, T::RCurly) => false,
        (T::Spread, T::Name) => data == "on",
        (T::Spread, _) => true,
        // `field(`, `@include(`, `Q(`: a name and its arguments stay together.
        (T::Name, T::LParen) => false,
        (_, T::Comment) => true,
        _ => {
            let _ = before_data;
            true
        }
    }
}

/// The formatted document, or `None` when it does not parse (nothing is changed then).
pub fn format(text: &str) -> Option<String> {
    let lines = lines(text)?;
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for (line, raw) in lines {
        if line.is_empty() && !raw {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        out.push_str(&line);
        out.push('\n');
    }
    if text.contains("\r\n") {
        // Keep Windows line ends.
        out = out.replace('\n', "\r\n");
    }
    Some(out)
}

/// The formatted text of lines `first..=last` (0-based) of `text`: the same number of lines,
/// so that the rest of the document keeps its positions. `None` when it does not parse.
pub fn format_lines(text: &str, first: usize, last: usize) -> Option<String> {
    let lines = lines(text)?;
    let last = last.min(lines.len().saturating_sub(1));
    if first > last {
        return None;
    }
    let lines: Vec<&str> = lines[first..=last]
        .iter()
        .map(|(l, _)| l.as_str())
        .collect();
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_spaces_and_keeps_comments_and_line_breaks() {
        let text = "# The run.\nquery   Run( $id :ID! ,$n:Int=3 )@cached( ttl:5 ){\n    # the call\nexecuteWorkflow( workflowId:$id,payload:{\n prompt :\"hi\" , tags:[ \"a\",\"b\" ] }){status   # why\n ... on WorkflowResult{result}\n...Parts\n}\n}\n\n\n\nfragment Parts on WorkflowResult{ requestId }";
        let expected = "# The run.\nquery Run($id: ID!, $n: Int = 3) @cached(ttl: 5) {\n  # the call\n  executeWorkflow(workflowId: $id, payload: {\n    prompt: \"hi\", tags: [\"a\", \"b\"] }) { status # why\n    ... on WorkflowResult { result }\n    ...Parts\n  }\n}\n\nfragment Parts on WorkflowResult { requestId }\n";
        assert_eq!(format(text).unwrap(), expected);
    }

    #[test]
    fn is_idempotent_on_every_fixture() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut checked = 0;
        for dir in [
            "examples/operations",
            "tests/fixtures/diagnostics",
            "tests/fixtures/library",
            "tests/fixtures/github",
        ] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_none_or(|e| e != "graphql") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let Some(once) = format(&text) else {
                    continue;
                };
                assert_eq!(
                    format(&once).as_deref(),
                    Some(once.as_str()),
                    "{}",
                    path.display()
                );
                // Same tokens, comments included, in the same order.
                let tokens = |t: &str| -> Vec<String> {
                    Lexer::new(t)
                        .filter_map(Result::ok)
                        .filter(|t| !matches!(t.kind(), TokenKind::Whitespace | TokenKind::Eof))
                        .map(|t| t.data().to_string())
                        .collect()
                };
                let (before, after) = (tokens(&text), tokens(&once));
                let first_difference = before.iter().zip(&after).position(|(a, b)| a != b);
                assert!(
                    before.len() == after.len() && first_difference.is_none(),
                    "{}: tokens differ at {first_difference:?}: {:?} / {:?}",
                    path.display(),
                    first_difference.map(|i| &before[i]),
                    first_difference.map(|i| &after[i]),
                );
                checked += 1;
            }
        }
        assert!(checked >= 5, "only {checked} files checked");
    }

    #[test]
    fn block_strings_stay_as_written_and_broken_text_is_left_alone() {
        let text = "query Q {\n  a(text: \"\"\"\n    keep   this\n  as is\n  \"\"\")\n}\n";
        assert_eq!(format(text).unwrap(), text);
        assert_eq!(format("query Q { a(b: 1 }"), None);
        assert_eq!(format(""), Some(String::new()));
        assert_eq!(
            format("# only\n\n\n# notes  \n"),
            Some("# only\n\n# notes\n".into())
        );
        assert_eq!(
            format("query Q {\r\nbook { id }\r\n}\r\n").unwrap(),
            "query Q {\r\n  book { id }\r\n}\r\n"
        );
    }

    #[test]
    fn a_range_keeps_its_line_count() {
        let text = "query Q {\nbook(id:1){\nid\n}\n\n\n}\n";
        assert_eq!(
            format_lines(text, 1, 3).unwrap(),
            "  book(id: 1) {\n    id\n  }"
        );
        assert_eq!(format_lines(text, 4, 5).unwrap(), "\n");
    }
}
