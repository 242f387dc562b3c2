//! Running a flow from the editor (`flowql.runFlow`, behind the "Run" lens) and explaining an
//! answer saved as JSON (`flowql.explainResponse`). A run happens only when the user asks; it
//! reports progress with a cancel button (`window/workDoneProgress/cancel` stops it, as does
//! `$/cancelRequest`), and hands back Markdown the editor shows in a read-only document.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tower_lsp_server::ls_types as lsp;

use super::state::ServerState;
use crate::run::answer;
use crate::run::execute::{self, Progress, RunOptions, RunRequest};
use crate::run::{markdown, target};

/// The server command that runs a call: `[{uri, position, payload?, anyway?}]`.
pub const RUN_FLOW: &str = "flowql.runFlow";
/// The server command that explains a saved answer: `[uri]` of a document (open or on disk),
/// or `[{text}]` (a body, or `curl -i` output).
pub const EXPLAIN_RESPONSE: &str = "flowql.explainResponse";
/// The editor-side command of the "Run" lens (`[uri, position]`): it calls [`RUN_FLOW`], asks
/// for a payload when the call does not write one out, and shows the report.
pub const RUN_LENS: &str = "flowql.run";
/// The editor-side command of the "Explain this answer" lens (`[uri]`).
pub const EXPLAIN_LENS: &str = "flowql.explainAnswer";

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(serde::Deserialize)]
struct RunArgs {
    uri: lsp::Uri,
    position: lsp::Position,
    #[serde(default)]
    payload: Option<Value>,
    #[serde(default)]
    anyway: bool,
}

fn not_sent(title: &str, reason: &str, can_force: bool) -> Value {
    json!({
        "kind": "notSent",
        "title": title,
        "canForce": can_force,
        "markdown": format!("# Not sent: {title}\n\n{reason}\n"),
    })
}

type RunProgress =
    tower_lsp_server::OngoingProgress<tower_lsp_server::Unbounded, tower_lsp_server::Cancellable>;

/// A run going on: dropped, it is forgotten and its progress report ends.
struct RunGuard {
    state: Arc<ServerState>,
    token: String,
    progress: Option<RunProgress>,
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        lock(&self.state.runs.stops).remove(&self.token);
        if let Some(progress) = self.progress.take() {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move { progress.finish_with_message("cancelled").await });
            }
        }
    }
}

impl ServerState {
    /// `flowql.runFlow`: runs the call at the position, or says why it is not sent.
    pub async fn run_flow(self: &Arc<Self>, arguments: &[Value]) -> Result<Value, String> {
        let args: RunArgs = arguments
            .first()
            .cloned()
            .ok_or("`flowql.runFlow` takes {uri, position}")
            .and_then(|v| {
                serde_json::from_value(v).map_err(|_| "`flowql.runFlow` takes {uri, position}")
            })?;
        let (doc, analysis) = self
            .current(&args.uri)
            .await
            .ok_or("the document is not open")?;
        let offset = doc
            .position_to_offset(super::proto::from_position(args.position), self.encoding())
            .ok_or("the position is outside the document")?;
        let text = doc.text();
        let call = analysis
            .flow_calls
            .iter()
            .filter(|c| c.range.start <= offset && offset <= c.range.end)
            .min_by_key(|c| c.range.len())
            .ok_or("no flow call is at this position")?;
        let plan = target::plan_of_call(&text, call)?;
        let title = plan.described.clone();
        let payload = match args.payload.or_else(|| plan.payload.clone().ok()) {
            Some(payload) if payload.is_object() => payload,
            Some(_) => return Ok(not_sent(&title, "The payload is not a JSON object.", false)),
            None => {
                let reason = plan.payload.clone().err().unwrap_or_default();
                return Ok(json!({"kind": "needsPayload", "title": title, "reason": reason}));
            }
        };
        let resolved = self.workspace.for_file(args.uri.to_file_path().as_deref());
        if let (Some(flow), false) = (&plan.flow, args.anyway) {
            let errors = target::payload_errors(flow, &payload, resolved.strict);
            if !errors.is_empty() {
                let reason = format!(
                    "The flow's input schema rejects the payload, so the platform would answer 400:\n\n- {}\n",
                    errors.join("\n- ")
                );
                return Ok(not_sent(&title, &reason, true));
            }
        }
        let endpoint = match target::endpoint(&resolved) {
            Ok(endpoint) => endpoint,
            Err(reason) => return Ok(not_sent(&title, &reason, false)),
        };
        if let Some(refused) = execute::refusal(&endpoint) {
            let reason = refused
                .findings
                .iter()
                .map(|f| format!("`{}`: {}", f.code, f.message))
                .collect::<Vec<_>>()
                .join("\n\n");
            return Ok(not_sent(&title, &reason, false));
        }
        let request = RunRequest {
            endpoint,
            flow_id: plan.flow_id.clone(),
            payload,
        };
        Ok(self.send_run(&title, request).await)
    }

    /// Sends the run with progress and a cancel button; the report as Markdown.
    async fn send_run(self: &Arc<Self>, title: &str, request: RunRequest) -> Value {
        let number = self.runs.next.fetch_add(1, Ordering::Relaxed);
        let token = format!("flowql/run/{number}");
        let (stop, mut stopped) = tokio::sync::oneshot::channel();
        lock(&self.runs.stops).insert(token.clone(), stop);
        // Whatever ends this future (the run, a cancel button, `$/cancelRequest` dropping it),
        // the guard forgets the run and ends its progress report.
        let mut guard = RunGuard {
            state: self.clone(),
            token: token.clone(),
            progress: self.begin_run_progress(&token, title).await,
        };
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut on_progress = move |p: Progress| {
            let _ = tx.send(p);
        };
        let options = RunOptions::default();
        let run = execute::run(&request, &options, &mut on_progress);
        tokio::pin!(run);
        let report = loop {
            tokio::select! {
                report = &mut run => break Some(report),
                Some(p) = rx.recv() => {
                    if let Some(progress) = &guard.progress {
                        let message = match p {
                            Progress::Sent => "executeWorkflow sent".to_string(),
                            Progress::Accepted(id) => format!("async run {id} accepted; polling checkStatus every 3 s"),
                            Progress::StillRunning { polls, elapsed } => format!("still running after {} s ({polls} polls)", elapsed.as_secs()),
                        };
                        progress.report_with_message(message, None).await;
                    }
                }
                _ = &mut stopped => break None,
            }
        };
        if let Some(progress) = guard.progress.take() {
            progress
                .finish_with_message(if report.is_some() {
                    "done"
                } else {
                    "cancelled"
                })
                .await;
        }
        drop(guard);
        match report {
            Some(report) => {
                json!({
                    "kind": "report",
                    "outcome": report.explained.outcome.name(),
                    "title": title,
                    "markdown": markdown::run_markdown(title, &report),
                })
            }
            None => json!({
                "kind": "report",
                "outcome": "cancelled",
                "title": title,
                "markdown": format!("# Run of {title}\n\n**Cancelled** before an answer came; a run the platform had already accepted may go on there.\n"),
            }),
        }
    }

    async fn begin_run_progress(&self, token: &str, title: &str) -> Option<RunProgress> {
        if !self.progress_supported() {
            return None;
        }
        let client = self.client()?;
        let token = lsp::ProgressToken::String(token.to_string());
        client
            .send_request::<lsp::request::WorkDoneProgressCreate>(
                lsp::WorkDoneProgressCreateParams {
                    token: token.clone(),
                },
            )
            .await
            .ok()?;
        Some(
            client
                .progress(token, format!("flowql: running {title}"))
                .with_cancel_button()
                .begin()
                .await,
        )
    }

    /// `window/workDoneProgress/cancel`: stops the run with that token, if one is going on.
    pub fn cancel_run(&self, token: &lsp::ProgressToken) {
        let lsp::ProgressToken::String(token) = token else {
            return;
        };
        if let Some(stop) = lock(&self.runs.stops).remove(token) {
            let _ = stop.send(());
        }
    }

    /// `flowql.explainResponse`: a saved answer (a document, or text) explained.
    pub async fn explain_response(self: &Arc<Self>, arguments: &[Value]) -> Result<Value, String> {
        const USAGE: &str = "`flowql.explainResponse` takes a document's URI or {text}";
        let argument = arguments.first().ok_or(USAGE)?;
        let text = if let Some(text) = argument.get("text").and_then(Value::as_str) {
            text.to_string()
        } else {
            let uri: lsp::Uri = serde_json::from_value(argument.clone()).map_err(|_| USAGE)?;
            match self.current(&uri).await {
                Some((doc, _)) => doc.text(),
                None => {
                    let path = uri.to_file_path().ok_or("the URI is not a file")?;
                    std::fs::read_to_string(&path).map_err(|e| format!("cannot read it: {e}"))?
                }
            }
        };
        let saved = answer::Answer::parse_saved(&text);
        let explained = answer::explain(&saved);
        Ok(json!({
            "kind": "report",
            "outcome": explained.outcome.name(),
            "title": "the answer",
            "markdown": markdown::answer_markdown(&explained, saved.status),
        }))
    }
}
