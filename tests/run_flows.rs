//! `flowql run` against the fake platform on 127.0.0.1: a realtime flow, an async flow polled
//! no faster than every 3 s, and every way a run fails, each explained with the catalog; and
//! `flowql explain --response` on saved answers of each kind. Nothing is sent unless asked.

mod support;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use serde_json::{json, Value};
use support::cli::{flowql, temp_dir};
use support::fake_platform::{FakePlatform, Mode, API_KEY, PROJECT_ID, REALTIME_FLOW};
use support::kit_cli::write;
use support::run_kit::kit;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn report(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(output), stderr(output)))
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// Neither stream says the key.
fn assert_no_key(output: &Output) {
    assert!(!stdout(output).contains(API_KEY) && !stderr(output).contains(API_KEY));
}

#[test]
fn a_realtime_call_runs_as_the_sdk_sends_it() {
    let fake = FakePlatform::start();
    let dir = kit("realtime", &fake);
    let output = flowql(&["run", "app/route.ts:5"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let result: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(result["summary"], "A short summary.");
    assert_eq!(
        result["received"],
        json!({"url": "https://a.example/post", "maxWords": 50})
    );
    assert!(stderr(&output).contains("summarize"), "{}", stderr(&output));
    assert_no_key(&output);
    let runs = fake.seen_running("executeWorkflow");
    assert_eq!(runs.len(), 1);
    assert_eq!(fake.requests(), 1, "only the run is sent");
    let sent = &runs[0];
    assert_eq!(
        sent.authorization.as_deref(),
        Some(format!("Bearer {API_KEY}").as_str())
    );
    assert_eq!(sent.project_id.as_deref(), Some(PROJECT_ID));
    assert_eq!(sent.body["query"], flowql::run::execute::EXECUTE_QUERY);
    assert_eq!(sent.body["variables"]["workflowId"], REALTIME_FLOW);
    assert_eq!(sent.body["operationName"], "ExecuteWorkflow");
}

#[test]
fn an_async_flow_is_polled_no_faster_than_every_three_seconds() {
    let fake = FakePlatform::start();
    let dir = kit("async", &fake);
    // Asking for 1 s is overruled: the platform's limit is one poll per 3 s.
    let output = flowql(
        &["run", "app/route.ts:9", "--json", "--poll-interval", "1"],
        &dir,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(&output);
    assert_eq!(report["outcome"], "finished");
    assert_eq!(report["requestId"], "req-1");
    assert_eq!(report["result"]["answer"], "Done.");
    assert_eq!(report["polls"], 3);
    assert!(stderr(&output).contains("every 3 s"), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("still running"),
        "{}",
        stderr(&output)
    );
    let polls = fake.seen_running("checkStatus");
    assert_eq!(polls.len(), 3);
    assert_eq!(polls[0].body["query"], flowql::run::execute::STATUS_QUERY);
    assert_eq!(polls[0].body["variables"]["requestId"], "req-1");
    let run = fake.seen_running("executeWorkflow")[0].at;
    let mut last = run;
    for poll in &polls {
        let gap = poll.at.duration_since(last);
        assert!(gap >= Duration::from_millis(2990), "polled after {gap:?}");
        last = poll.at;
    }
    assert_no_key(&output);
}

#[test]
fn a_run_that_does_not_end_in_time_says_so_and_exits_3() {
    let fake = FakePlatform::start();
    let dir = kit("endless", &fake);
    write(
        &dir,
        "payload.json",
        r#"{"url": "https://d.example", "maxWords": 5}"#,
    );
    let output = flowql(
        &[
            "run",
            "--flow",
            "forever",
            "--payload",
            "payload.json",
            "--timeout",
            "7",
            "--json",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = report(&output);
    assert_eq!(codes(&report), vec!["FLOW_RUN_STILL_RUNNING"]);
    assert_eq!(report["outcome"], "running");
    assert_eq!(report["requestId"], "req-1");
    // 7 s allow two polls at 3 s, not a third.
    assert_eq!(fake.seen_running("checkStatus").len(), 2);
}

/// Runs `--flow flow` with a good payload and gives the JSON report.
fn run_failing(fake: &FakePlatform, name: &str, flow: &str) -> (Output, Value) {
    let dir = kit(name, fake);
    write(
        &dir,
        "payload.json",
        r#"{"url": "https://e.example", "maxWords": 5}"#,
    );
    let output = flowql(
        &["run", "--flow", flow, "--payload", "payload.json", "--json"],
        &dir,
    );
    let report = report(&output);
    assert_no_key(&output);
    (output, report)
}

#[test]
fn every_failure_is_explained_with_the_catalog() {
    let fake = FakePlatform::start();
    // The run fails inside the flow.
    let (output, report) = run_failing(&fake, "fails", "draft");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(codes(&report), vec!["FLOW_RUN_FAILED"]);
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("no credentials"), "{message}");
    assert!(report["findings"][0]["fix"]
        .as_str()
        .unwrap()
        .contains("Logs"));
    // An async run rejects its input: the 422 of the run logs.
    let (output, report) = run_failing(&fake, "rejects", "intake");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(codes(&report), vec!["PAYLOAD_MISMATCH"]);
    assert!(report["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("422"));
    // A flow id the platform does not know (sent as is: it is none of the project's flows).
    let (output, report) = run_failing(&fake, "unknown", "00000000-0000-4000-8000-000000000000");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(codes(&report), vec!["FLOW_NOT_FOUND"]);
    // The statuses the endpoint answers with.
    for (status, code) in [
        (401, "UNAUTHORIZED"),
        (403, "FORBIDDEN"),
        (404, "NOT_FOUND"),
        (500, "SERVER_ERROR"),
        (503, "MODEL_PROVIDER_ERROR"),
    ] {
        fake.set_mode(Mode::Status(status));
        let (output, report) = run_failing(&fake, &format!("status-{status}"), "summarize");
        assert_eq!(output.status.code(), Some(1), "{status}");
        assert_eq!(codes(&report), vec![code], "{status}");
        assert_eq!(report["findings"][0]["httpStatus"], json!(status_of(code)));
    }
    fake.set_mode(Mode::RateLimited(30));
    let before = fake.seen_running("executeWorkflow").len();
    let (output, report) = run_failing(&fake, "limited", "summarize");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(codes(&report), vec!["RATE_LIMITED"]);
    assert!(report["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("30 s"));
    // A run is never retried: a second `executeWorkflow` would run the flow twice.
    assert_eq!(fake.seen_running("executeWorkflow").len(), before + 1);
    fake.set_mode(Mode::Html);
    let (_, report) = run_failing(&fake, "html", "summarize");
    assert_eq!(codes(&report), vec!["NOT_JSON"]);
    fake.set_mode(Mode::Slow(Duration::from_secs(5)));
    let dir = kit("slow", &fake);
    write(
        &dir,
        "payload.json",
        r#"{"url": "https://f.example", "maxWords": 5}"#,
    );
    let output = flowql(
        &[
            "run",
            "--flow",
            "summarize",
            "--payload",
            "payload.json",
            "--timeout",
            "1",
            "--json",
        ],
        &dir,
    );
    assert_eq!(codes(&report_of(&output)), vec!["FETCH_TIMEOUT"]);
}

fn report_of(output: &Output) -> Value {
    report(output)
}

fn status_of(code: &str) -> Option<u16> {
    flowql::base::catalog::Code::parse(code).and_then(|c| c.entry().http_status)
}

#[test]
fn nothing_is_sent_when_the_run_cannot_be_right() {
    let fake = FakePlatform::start();
    let dir = kit("refused", &fake);
    // The payload breaks the flow's schema: the platform would answer 400.
    let output = flowql(&["run", "app/route.ts:17"], &dir);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("PAYLOAD_TYPE_MISMATCH"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("--anyway"));
    // The payload is only known at run time.
    let output = flowql(&["run", "app/route.ts:13"], &dir);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--payload"), "{}", stderr(&output));
    // No call on that line.
    let output = flowql(&["run", "app/route.ts:2"], &dir);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("start on line 5, 9, 13, 17"),
        "{}",
        stderr(&output)
    );
    // No key: the platform would answer 401.
    let env = std::fs::read_to_string(dir.join(".env")).unwrap();
    let without_key: String = env
        .lines()
        .filter(|l| !l.starts_with("LAMATIC_API_KEY"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join(".env"), without_key).unwrap();
    let output = flowql(&["run", "app/route.ts:5"], &dir);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("[UNAUTHORIZED]"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fake.requests(), 0, "{:?}", fake.seen());
    // Checking the project, with lenses and all, sends no run either.
    std::fs::write(dir.join(".env"), env).unwrap();
    let output = flowql(&["check", "."], &dir);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(fake.seen_running("executeWorkflow").is_empty());
    assert!(fake.seen_running("checkStatus").is_empty());
}

#[test]
fn anyway_sends_what_the_schema_rejects_and_the_answer_is_explained() {
    let fake = FakePlatform::start();
    let dir = kit("anyway", &fake);
    let output = flowql(&["run", "app/route.ts:17", "--anyway"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(fake.seen_running("executeWorkflow").len(), 1);
}

/// Saved answers, as a file of `dir`, explained.
fn explain_saved(dir: &Path, name: &str, text: &str) -> (Option<i32>, Value, String) {
    write(dir, name, text);
    let json = flowql(&["explain", "--response", name, "--json"], dir);
    let human = flowql(&["explain", "--response", name], dir);
    assert_eq!(json.status.code(), human.status.code());
    (json.status.code(), report(&json), stdout(&human))
}

#[test]
fn saved_answers_of_each_kind_are_explained() {
    let dir = temp_dir("explain-response");
    let (code, report, human) = explain_saved(
        &dir,
        "ok.json",
        r#"{"data":{"executeWorkflow":{"status":"success","result":{"a":1}}}}"#,
    );
    assert_eq!(
        (code, report["outcome"].as_str()),
        (Some(0), Some("finished"))
    );
    assert!(human.contains("finished"), "{human}");
    let (code, report, human) = explain_saved(
        &dir,
        "accepted.json",
        r#"{"data":{"executeWorkflow":{"status":"success","result":{"requestId":"r-9"}}}}"#,
    );
    assert_eq!((code, report["requestId"].as_str()), (Some(0), Some("r-9")));
    assert!(human.contains("checkStatus(requestId: \"r-9\")"), "{human}");
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "mutation.txt",
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\r\n{\"errors\":[{\"message\":\"Cannot query field \\\"executeWorkflow\\\" on type \\\"Mutation\\\".\",\"extensions\":{\"code\":\"GRAPHQL_VALIDATION_FAILED\"}}]}",
            &["QUERY_FIELD_IN_MUTATION"],
        ),
        (
            "limited.txt",
            "HTTP/2 429\r\nretry-after: 12\r\n\r\n{\"errors\":[{\"message\":\"Too many requests\"}]}",
            &["RATE_LIMITED"],
        ),
        ("key.txt", "HTTP/1.1 401 Unauthorized\n\n{\"message\":\"Unauthorized\"}", &["UNAUTHORIZED"]),
        ("project.txt", "HTTP/1.1 403 Forbidden\n\n", &["FORBIDDEN"]),
        (
            "unknown.json",
            r#"{"data":{"executeWorkflow":null},"errors":[{"message":"Workflow x not found","extensions":{"code":"NOT_FOUND"}}]}"#,
            &["FLOW_NOT_FOUND"],
        ),
        (
            "failed.json",
            r#"{"data":{"executeWorkflow":{"status":"error","result":{"message":"boom"}}}}"#,
            &["FLOW_RUN_FAILED"],
        ),
        (
            "rejected.json",
            r#"{"data":{"checkStatus":{"status":"failed","statusCode":422}}}"#,
            &["PAYLOAD_MISMATCH"],
        ),
        ("gateway.txt", "HTTP/1.1 504 Gateway Timeout\n\n<html>upstream</html>", &["MODEL_PROVIDER_ERROR"]),
        ("broken.json", "{\"data\": ", &["MALFORMED_RESPONSE"]),
        (
            "two.json",
            r#"{"errors":[{"message":"Variable \"$payload\" got invalid value 3; Expected type \"JSON\"."},{"message":"Syntax Error: Expected Name, found <EOF>."}]}"#,
            &["VARIABLE_VALUE_INVALID", "SYNTAX_ERROR"],
        ),
    ];
    for (name, text, expected) in cases {
        let (code, report, human) = explain_saved(&dir, name, text);
        assert_eq!(code, Some(1), "{name}");
        assert_eq!(codes(&report), *expected, "{name}");
        for expected in *expected {
            assert!(human.contains(&format!("[{expected}]")), "{name}: {human}");
        }
        assert!(human.contains("fix: "), "{name}: {human}");
    }
    let missing = flowql(&["explain", "--response", "nope.json"], &dir);
    assert_eq!(missing.status.code(), Some(2));
}
