//! A fake of the platform for tests: a real HTTP server on 127.0.0.1 that speaks the project
//! GraphQL API (introspection of the bundled platform schema, with bearer-key and project-ID
//! checks; `executeWorkflow` and `checkStatus` for realtime and async flows and each way a run
//! fails) and the organisation REST API (flows and flow exports), with switches for every
//! failure the client must explain. It records every request, and when it came.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

pub const API_KEY: &str = "lt-test-project-key-0123456789";
pub const PROJECT_ID: &str = "5b0f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4";
pub const ORG_ID: &str = "acme";
pub const ORG_KEY: &str = "lt-org-test-key-9876543210";

/// Flows `executeWorkflow` knows, by how they answer.
/// Realtime: answers at once with `{summary, received}` (`received` is the payload sent).
pub const REALTIME_FLOW: &str = "0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c";
/// Async: accepted with a request id; `checkStatus` says `in-progress` twice, then `success`.
pub const ASYNC_FLOW: &str = "4d5e6f70-8192-4a3b-8c4d-5e6f70819203";
/// Realtime, and its run fails: status `error` with the failing node's message.
pub const FAILING_FLOW: &str = "e1e2e3e4-f5f6-4a7b-8c9d-0e1f2a3b4c5d";
/// Async, and the run rejects its input: `checkStatus` answers `failed` with statusCode 422.
pub const REJECTING_FLOW: &str = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
/// Async and never done: `checkStatus` always says `in-progress`.
pub const ENDLESS_FLOW: &str = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";

/// What the GraphQL endpoint does with the next requests.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// Answer introspection (checking key and project).
    Normal,
    /// Answer with this status and a GraphQL error body.
    Status(u16),
    /// 429 with this `Retry-After` (seconds), every time.
    RateLimited(u64),
    /// Answer `failures` times with this status, then normally.
    FailThenRecover { status: u16, failures: usize },
    /// Wait this long before answering.
    Slow(Duration),
    /// Close the connection without answering.
    Drop,
    /// An HTML page with status 200.
    Html,
    /// A body that is not JSON, labelled as JSON.
    Malformed,
    /// A JSON body of this many bytes.
    Oversize(usize),
    /// Introspection disabled: 200 with a GraphQL error.
    IntrospectionDisabled,
    /// Redirect (307) to this URL.
    Redirect(String),
}

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub authorization: Option<String>,
    pub project_id: Option<String>,
    pub if_none_match: Option<String>,
    pub accept_encoding: Option<String>,
    /// For GraphQL requests: the operation run (`executeWorkflow`, `checkStatus`) or
    /// `introspection`.
    pub operation: Option<String>,
    /// The request body, parsed (`Null` when it is not JSON or for REST requests).
    pub body: Value,
    pub at: Instant,
}

struct Shared {
    mode: Mode,
    seen: Vec<Seen>,
    etag: Option<String>,
    /// The schema served; the bundled platform schema unless a test sets another.
    schema: Option<Arc<flowql::schema::ProjectSchema>>,
    /// Async runs: request id -> (flow, payload, polls answered so far).
    runs: HashMap<String, (String, Value, usize)>,
}

#[derive(Clone)]
pub struct FakePlatform {
    pub addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
}

impl FakePlatform {
    /// Starts the server on a free port of 127.0.0.1, on its own thread and runtime.
    pub fn start() -> FakePlatform {
        let shared = Arc::new(Mutex::new(Shared {
            mode: Mode::Normal,
            seen: Vec::new(),
            etag: None,
            schema: None,
            runs: HashMap::new(),
        }));
        let state = shared.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let app = Router::new()
                    .route("/graphql", post(graphql))
                    .route("/organizations/{org}/project/{project}", get(project))
                    .route("/organizations/{org}/project/{project}/flows", get(flows))
                    .route(
                        "/organizations/{org}/project/{project}/flows/{flow}",
                        get(flow),
                    )
                    .with_state(state);
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        });
        let addr = rx.recv().expect("fake platform started");
        FakePlatform { addr, shared }
    }

    pub fn url(&self) -> String {
        format!("http://{}/graphql", self.addr)
    }

    /// The same server under another host name, for redirect tests.
    pub fn url_via_localhost(&self) -> String {
        format!("http://localhost:{}/graphql", self.addr.port())
    }

    pub fn set_mode(&self, mode: Mode) {
        self.shared.lock().unwrap().mode = mode;
    }

    /// Makes the endpoint send this `ETag` and answer 304 to `If-None-Match` with it.
    pub fn set_etag(&self, etag: &str) {
        self.shared.lock().unwrap().etag = Some(etag.to_string());
    }

    /// Serves this SDL instead of the bundled schema.
    pub fn set_schema(&self, sdl: &str) {
        let schema = flowql::schema::from_sdl(
            &[(sdl, "served.graphql")],
            flowql::schema::SchemaSource::Bundled,
        );
        self.shared.lock().unwrap().schema = Some(Arc::new(schema));
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.lock().unwrap().seen.clone()
    }

    pub fn requests(&self) -> usize {
        self.shared.lock().unwrap().seen.len()
    }

    /// The requests that ran `operation` (`executeWorkflow`, `checkStatus`).
    pub fn seen_running(&self, operation: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.operation.as_deref() == Some(operation))
            .collect()
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn json_response(status: u16, body: Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn graphql_error(status: u16, message: &str) -> Response<Body> {
    json_response(
        status,
        json!({"errors": [{"message": message, "extensions": {"code": "ERROR"}}]}),
    )
}

async fn graphql(
    State(state): State<Arc<Mutex<Shared>>>,
    headers: HeaderMap,
    body: String,
) -> Response<Body> {
    let request: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let query = request["query"].as_str().unwrap_or_default().to_string();
    let operation = ["executeWorkflow", "checkStatus"]
        .into_iter()
        .find(|op| query.contains(op))
        .unwrap_or("introspection");
    let (mode, etag, schema) = {
        let mut shared = state.lock().unwrap();
        shared.seen.push(Seen {
            path: "/graphql".into(),
            authorization: header(&headers, "authorization"),
            project_id: header(&headers, "x-project-id"),
            if_none_match: header(&headers, "if-none-match"),
            accept_encoding: header(&headers, "accept-encoding"),
            operation: Some(operation.to_string()),
            body: request.clone(),
            at: Instant::now(),
        });
        let mode = shared.mode.clone();
        if let Mode::FailThenRecover { status, failures } = &mode {
            if *failures > 0 {
                shared.mode = Mode::FailThenRecover {
                    status: *status,
                    failures: failures - 1,
                };
                return graphql_error(*status, "temporarily unavailable");
            }
        }
        (mode, shared.etag.clone(), shared.schema.clone())
    };
    match mode {
        Mode::Normal | Mode::FailThenRecover { .. } => {}
        Mode::Status(status) => return graphql_error(status, "the platform says no"),
        Mode::RateLimited(seconds) => {
            return Response::builder()
                .status(429)
                .header("retry-after", seconds.to_string())
                .header("content-type", "application/json")
                .body(Body::from(
                    r#"{"errors":[{"message":"Too many requests"}]}"#,
                ))
                .unwrap()
        }
        Mode::Slow(delay) => tokio::time::sleep(delay).await,
        Mode::Drop => {
            // The body fails half-way: the server aborts the connection mid-response.
            let chunks: Vec<Result<&'static str, std::io::Error>> = vec![
                Ok("{\"data\":"),
                Err(std::io::Error::other("dropped on purpose")),
            ];
            return Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Body::from_stream(futures::stream::iter(chunks)))
                .unwrap();
        }
        Mode::Html => {
            return Response::builder()
                .status(200)
                .header("content-type", "text/html")
                .body(Body::from(
                    "<!doctype html><html><body>Sign in</body></html>",
                ))
                .unwrap()
        }
        Mode::Malformed => {
            return Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Body::from("{\"data\": {\"__schema\": "))
                .unwrap()
        }
        Mode::Oversize(bytes) => {
            let padding = "x".repeat(bytes);
            return json_response(200, json!({"data": null, "padding": padding}));
        }
        Mode::IntrospectionDisabled => {
            return graphql_error(
                200,
                "GraphQL introspection is not allowed, but the query contained __schema or __type",
            );
        }
        Mode::Redirect(to) => {
            return Response::builder()
                .status(307)
                .header("location", to)
                .body(Body::empty())
                .unwrap()
        }
    }
    if header(&headers, "authorization").as_deref() != Some(&format!("Bearer {API_KEY}")) {
        return graphql_error(401, "Unauthorized");
    }
    if header(&headers, "x-project-id").as_deref() != Some(PROJECT_ID) {
        return graphql_error(403, "Forbidden");
    }
    if let (Some(etag), Some(sent)) = (&etag, header(&headers, "if-none-match")) {
        if &sent == etag {
            return Response::builder().status(304).body(Body::empty()).unwrap();
        }
    }
    match operation {
        "executeWorkflow" => return execute_workflow(&state, &query, &request["variables"]),
        "checkStatus" => return check_status(&state, &request["variables"]),
        _ => {}
    }
    let schema = schema.unwrap_or_else(flowql::schema::bundled);
    let answer = flowql::schema::introspection::execute(&schema.schema, &query);
    let mut response = json_response(200, answer);
    if let Some(etag) = etag {
        response.headers_mut().insert("etag", etag.parse().unwrap());
    }
    response
}

/// Records a REST request and answers the refusal it earns (wrong key or project), if any.
fn admit(
    state: &Arc<Mutex<Shared>>,
    headers: &HeaderMap,
    org: &str,
    project: &str,
    path: String,
) -> Option<Response<Body>> {
    record(state, headers, path);
    org_refusal(headers, org, project)
}

/// The refusal for a REST request with the wrong key or project, if any.
fn org_refusal(headers: &HeaderMap, org: &str, project: &str) -> Option<Response<Body>> {
    if header(headers, "authorization").as_deref() != Some(&format!("Bearer {ORG_KEY}")) {
        return Some(json_response(401, json!({"message": "Unauthorized"})));
    }
    if org != ORG_ID || project != PROJECT_ID {
        return Some(json_response(404, json!({"message": "Not found"})));
    }
    None
}

async fn project(
    State(state): State<Arc<Mutex<Shared>>>,
    headers: HeaderMap,
    Path((org, project)): Path<(String, String)>,
) -> Response<Body> {
    if let Some(response) = admit(
        &state,
        &headers,
        &org,
        &project,
        format!("/organizations/{org}/project/{project}"),
    ) {
        return response;
    }
    json_response(
        200,
        json!({"id": PROJECT_ID, "name": "Acme", "endpoint": "http://127.0.0.1/graphql"}),
    )
}

async fn flows(
    State(state): State<Arc<Mutex<Shared>>>,
    headers: HeaderMap,
    Path((org, project)): Path<(String, String)>,
) -> Response<Body> {
    if let Some(response) = admit(
        &state,
        &headers,
        &org,
        &project,
        format!("/organizations/{org}/project/{project}/flows"),
    ) {
        return response;
    }
    json_response(
        200,
        json!({"flows": [
            {"id": "0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c", "name": "Summarize article", "slug": "summarize-article", "status": "active"},
            {"id": "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d", "name": "Old draft", "slug": "old-draft", "status": "inactive"}
        ]}),
    )
}

async fn flow(
    State(state): State<Arc<Mutex<Shared>>>,
    headers: HeaderMap,
    Path((org, project, flow)): Path<(String, String, String)>,
) -> Response<Body> {
    if let Some(response) = admit(
        &state,
        &headers,
        &org,
        &project,
        format!("/organizations/{org}/project/{project}/flows/{flow}"),
    ) {
        return response;
    }
    if flow != "0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c" {
        return json_response(404, json!({"message": "Flow not found"}));
    }
    let schema =
        json!({"url": "string", "maxWords": "int", "tags": "[string]", "style?": "string"})
            .to_string();
    json_response(
        200,
        json!({
            "id": flow, "name": "Summarize article", "status": "active",
            "nodes": [{"id": "trigger", "data": {"trigger": true, "nodeId": "graphqlNode",
                       "values": {"advance_schema": schema, "responeType": "realtime"}}}],
            "edges": []
        }),
    )
}

fn record(state: &Arc<Mutex<Shared>>, headers: &HeaderMap, path: String) {
    state.lock().unwrap().seen.push(Seen {
        path,
        authorization: header(headers, "authorization"),
        project_id: header(headers, "x-project-id"),
        if_none_match: None,
        accept_encoding: header(headers, "accept-encoding"),
        operation: None,
        body: Value::Null,
        at: Instant::now(),
    });
}

fn data(field: &str, value: Value) -> Response<Body> {
    json_response(200, json!({"data": {field: value}}))
}

/// `executeWorkflow` as the platform answers it: a query (as a mutation it is refused), a
/// known flow id, and the flow's own way of answering.
fn execute_workflow(state: &Arc<Mutex<Shared>>, query: &str, variables: &Value) -> Response<Body> {
    if query.trim_start().starts_with("mutation") {
        return json_response(
            400,
            json!({"errors": [{"message": "Cannot query field \"executeWorkflow\" on type \"Mutation\".",
                "locations": [{"line": 1, "column": 12}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]}),
        );
    }
    let flow = variables["workflowId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let payload = variables["payload"].clone();
    if payload.is_null() {
        return json_response(
            400,
            json!({"errors": [{"message": "Variable \"$payload\" of required type \"JSON!\" was not provided.",
                "extensions": {"code": "BAD_USER_INPUT"}}]}),
        );
    }
    match flow.as_str() {
        REALTIME_FLOW => data(
            "executeWorkflow",
            json!({"status": "success", "result": {"summary": "A short summary.", "received": payload}}),
        ),
        FAILING_FLOW => data(
            "executeWorkflow",
            json!({"status": "error", "result": {"message": "Node \"Generate\" failed: no credentials for the model"}}),
        ),
        ASYNC_FLOW | REJECTING_FLOW | ENDLESS_FLOW => {
            let mut shared = state.lock().unwrap();
            let id = format!("req-{}", shared.runs.len() + 1);
            shared.runs.insert(id.clone(), (flow, payload, 0));
            data(
                "executeWorkflow",
                json!({"status": "success", "result": {"requestId": id}}),
            )
        }
        _ => json_response(
            200,
            json!({"data": {"executeWorkflow": null},
                   "errors": [{"message": format!("Workflow {flow} not found"), "path": ["executeWorkflow"],
                               "extensions": {"code": "NOT_FOUND"}}]}),
        ),
    }
}

/// `checkStatus` of an async run: how it stands now.
fn check_status(state: &Arc<Mutex<Shared>>, variables: &Value) -> Response<Body> {
    let id = variables["requestId"].as_str().unwrap_or_default();
    let mut shared = state.lock().unwrap();
    let Some((flow, payload, polls)) = shared.runs.get_mut(id) else {
        return json_response(
            200,
            json!({"data": {"checkStatus": null},
                   "errors": [{"message": format!("No request {id}"), "extensions": {"code": "NOT_FOUND"}}]}),
        );
    };
    *polls += 1;
    let answer = match (flow.as_str(), *polls) {
        (ASYNC_FLOW, n) if n <= 2 => json!({"status": "in-progress"}),
        (ASYNC_FLOW, _) => json!({"status": "success", "statusCode": 200,
            "output": {"answer": "Done.", "received": payload.clone()}, "timeTakenInSeconds": 7}),
        (REJECTING_FLOW, _) => json!({"status": "failed", "statusCode": 422,
            "output": {"error": "Input did not match the expected schema"},
            "nodes": [{"nodeName": "API Request", "status": "failed", "output": null}]}),
        _ => json!({"status": "in-progress"}),
    };
    data("checkStatus", answer)
}
