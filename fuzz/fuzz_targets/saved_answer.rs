//! A saved answer of the endpoint (a body, or `curl -i` output), explained and rendered as
//! `flowql explain --response` and the editors' "Explain this answer" do.
#![no_main]
use libfuzzer_sys::fuzz_target;

use flowql::run::answer::{explain, Answer, Outcome};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let answer = Answer::parse_saved(&text);
    let explained = explain(&answer);
    // A failure always says why; a success or a run still going says nothing is wrong.
    match explained.outcome {
        Outcome::Failed => assert!(!explained.findings.is_empty(), "{answer:?}"),
        _ => assert!(explained.findings.is_empty(), "{answer:?}"),
    }
    let _ = flowql::run::markdown::answer_markdown(&explained, answer.status);
    let _ = flowql::run::markdown::looks_like_answer(&text);
});
