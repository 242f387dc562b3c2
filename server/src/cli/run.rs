//! `flowql run`: runs one flow with the project's endpoint, project id and key, as the SDK
//! would (a call of a file, `FILE:LINE`, or `--flow` with `--payload`), waits for an async
//! run, prints the result, and explains a failure with the catalog. Exit codes: 0 finished,
//! 1 failed, 2 not sent (set-up, arguments, a payload the flow would reject), 3 still running
//! when the time allowed ran out.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};

use super::findings;
use crate::run::answer::Outcome;
use crate::run::execute::{self, Progress, RunOptions, RunReport, RunRequest};
use crate::run::target::{self, Plan};
use crate::workspace::{check_document, Workspace};

/// What the command line asked for.
pub struct RunArgs {
    /// `FILE:LINE` of a call.
    pub call: Option<String>,
    /// A step id, an envKey, a flow of the configuration, or a flow id.
    pub flow: Option<String>,
    /// A JSON file, or `-` for standard input.
    pub payload: Option<PathBuf>,
    pub timeout: Duration,
    pub poll_interval: Duration,
    pub json: bool,
    /// Send even when the flow's input schema rejects the payload.
    pub anyway: bool,
}

pub fn run(args: &RunArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match prepare(args, &cwd) {
        Ok((_, request)) if execute::refusal(&request.endpoint).is_some() => {
            let refused = execute::refusal(&request.endpoint).unwrap_or_else(|| unreachable!());
            let _ = writeln!(err, "flowql: nothing was sent:");
            let _ = findings::write_human(&refused.findings, err);
            2
        }
        Ok((plan, request)) => send(args, &plan, request, out, err),
        Err(reason) => {
            let _ = writeln!(err, "flowql: nothing was sent: {reason}");
            2
        }
    }
}

/// The plan and the request, or why nothing can be sent.
fn prepare(args: &RunArgs, cwd: &Path) -> Result<(Plan, RunRequest), String> {
    let workspace = Workspace::new();
    let (mut plan, resolved) = match (&args.call, &args.flow) {
        (Some(call), None) => {
            let (file, line) = split_call(call)?;
            let path = cwd.join(file);
            let resolved = workspace.for_file(Some(&path));
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let analysis = check_document(&text, &resolved);
            (
                target::call_on_line(&text, &analysis.flow_calls, line)?,
                resolved,
            )
        }
        (None, Some(flow)) => {
            let resolved = workspace.for_folder(cwd);
            let plan = target::by_name(flow, &resolved.flows, resolved.kit.as_deref())?;
            (plan, resolved)
        }
        _ => return Err("give a call as FILE:LINE, or `--flow` with `--payload`".into()),
    };
    if let Some(source) = &args.payload {
        plan.payload = Ok(target::read_payload(source)?);
    }
    let payload = plan.payload.clone().map_err(|reason| {
        format!("{reason}; give one with `--payload FILE` (or `-` for standard input)")
    })?;
    if let (Some(flow), false) = (&plan.flow, args.anyway) {
        let errors = target::payload_errors(flow, &payload, resolved.strict);
        if !errors.is_empty() {
            return Err(format!(
                "the flow's input schema rejects the payload, so the platform would answer 400:\n  {}\n(`--anyway` sends it all the same)",
                errors.join("\n  ")
            ));
        }
    }
    let endpoint = target::endpoint(&resolved)?;
    let request = RunRequest {
        endpoint,
        flow_id: plan.flow_id.clone(),
        payload,
    };
    Ok((plan, request))
}

/// `path/to/file.ts:12`.
fn split_call(call: &str) -> Result<(&str, u32), String> {
    let (file, line) = call
        .rsplit_once(':')
        .ok_or_else(|| format!("`{call}` is not FILE:LINE"))?;
    let line: u32 = line
        .parse()
        .ok()
        .filter(|l| *l > 0)
        .ok_or_else(|| format!("`{line}` in `{call}` is not a line number"))?;
    Ok((file, line))
}

fn send(
    args: &RunArgs,
    plan: &Plan,
    request: RunRequest,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let interval = args.poll_interval.max(execute::MIN_POLL_INTERVAL);
    if args.poll_interval < execute::MIN_POLL_INTERVAL {
        let _ = writeln!(
            err,
            "flowql: polling every {} s, the platform's limit (asked: {} s)",
            interval.as_secs(),
            args.poll_interval.as_secs_f32()
        );
    }
    let options = RunOptions {
        timeout: args.timeout,
        poll_interval: interval,
        ..RunOptions::default()
    };
    let _ = writeln!(
        err,
        "flowql: running {} at {}",
        plan.described, request.endpoint.url
    );
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = writeln!(err, "flowql: nothing was sent: cannot start: {e}");
            return 2;
        }
    };
    let report = {
        let mut progress = |p: Progress| {
            let line = match p {
                Progress::Sent => return,
                Progress::Accepted(id) => format!(
                    "flowql: the flow is async; run {id} accepted, asking `checkStatus` every {} s",
                    interval.as_secs()
                ),
                Progress::StillRunning { polls, elapsed } => format!(
                    "flowql: still running after {} s ({polls} polls)",
                    elapsed.as_secs()
                ),
            };
            // Progress goes to the terminal as it happens, not buffered with the report.
            eprintln!("{line}");
        };
        runtime.block_on(execute::run(&request, &options, &mut progress))
    };
    let code = exit_code(&report);
    let written = if args.json {
        let text = serde_json::to_string_pretty(&report_json(plan, &report)).unwrap_or_default();
        writeln!(out, "{text}")
    } else {
        human(&report, out, err)
    };
    if written.is_err() {
        return 2;
    }
    code
}

fn exit_code(report: &RunReport) -> i32 {
    if report.succeeded() {
        0
    } else if report.timed_out() {
        3
    } else {
        1
    }
}

fn human(report: &RunReport, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<()> {
    let took = format!("{:.1} s", report.elapsed.as_secs_f32());
    match &report.explained.outcome {
        Outcome::Finished(result) => {
            let status = report.explained.run_status.as_deref().unwrap_or("success");
            writeln!(err, "flowql: finished in {took}, status \"{status}\"")?;
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(result).unwrap_or_default()
            )
        }
        _ => {
            writeln!(
                err,
                "flowql: the run did not succeed ({took}, {}):",
                report.requests_text()
            )?;
            findings::write_human(&report.explained.findings, err)
        }
    }
}

fn report_json(plan: &Plan, report: &RunReport) -> Value {
    let outcome = &report.explained.outcome;
    json!({
        "outcome": outcome.name(),
        "flow": {
            "id": plan.flow_id,
            "name": plan.flow.as_ref().and_then(|f| f.name.clone()),
            "key": plan.flow.as_ref().map(|f| f.id.clone()),
        },
        "status": report.explained.run_status,
        "requestId": report.request_id,
        "result": outcome.result(),
        "findings": findings::to_json(&report.explained.findings),
        "polls": report.polls,
        "requests": report.requests,
        "elapsedMs": report.elapsed.as_millis() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_file_and_line() {
        assert_eq!(split_call("app/route.ts:12"), Ok(("app/route.ts", 12)));
        assert!(split_call("app/route.ts").is_err());
        assert!(split_call("app/route.ts:0").is_err());
        assert!(split_call("app/route.ts:x").is_err());
    }
}
