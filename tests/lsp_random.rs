//! A long editing session, at random but reproducible from its seed, against the real binary
//! over stdio: incremental edits (multi-byte and astral characters, CRLF, deep nesting,
//! fragments that spread themselves, pasted operations) across the documents of two projects
//! (GraphQL, JavaScript with literals, a payload file, a flow export, the configuration, and a
//! kit with a flow module and SDK calls), interleaved with every request the server answers at
//! random positions, and a few hostile messages. Checked: the process lives; every request gets
//! a result; no panic is logged; after the last edit each document's diagnostics are for its
//! last version and equal those of a fresh server opened on the final texts; memory stays within
//! a bound of the start.
//!
//! `FLOWQL_RANDOM_SEEDS=1,2,3` and `FLOWQL_RANDOM_STEPS=12000` make it longer
//! (`scripts/soak.sh` runs it so); a failure prints the seed to run again.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::lsp_client::LspClient;

/// A seeded generator: the same seed, the same session.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What is typed or pasted.
const PIECES: &[&str] = &[
    "a", "x", " ", "\n", "\r\n", "{", "}", "(", ")", "[", "]", ":", "\"", ",", "$", "@", "...",
    "é", "😀", "日本", "\t", "{ title }", "...BookParts", "fragment Self on Book { ...Self }\n",
    "query Pasted($id: ID!) { book(id: $id) { title author { name } } }\n",
    "executeWorkflow(workflowId: \"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\", payload: { url: 1 }) { status }",
    "[[[[[[[[[[[[[[[[[[[[", "{{{{{{{{{{{{{{{{", "\"topic\": 3, ", "`", "${x}", "gql`{ a }`",
    "client.executeFlow(process.env.ASK_FLOW_ID, { topic: 1 });\n", "# comment\n", "\u{feff}",
];

/// The documents of the session: (path, language id, text).
fn project(dir: &Path) -> Vec<(PathBuf, &'static str, String)> {
    let files: Vec<(&str, &str, &str)> = vec![
        (
            "gql/ops/books.graphql",
            "graphql",
            "query Books($first: Int) {\n  books(first: $first) { ...BookParts }\n}\n",
        ),
        (
            "gql/ops/parts.graphql",
            "graphql",
            "fragment BookParts on Book {\n  title\n  author { ...AuthorParts }\n}\nfragment AuthorParts on Author { name }\n",
        ),
        (
            "gql/ops/run.graphql",
            "graphql",
            "query Run {\n  executeWorkflow(workflowId: \"0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\", payload: { url: \"u\", maxWords: 3 }) { status result }\n}\n",
        ),
        (
            "gql/app/client.js",
            "javascript",
            "import { gql } from 'graphql-tag';\n// é 😀\nexport const Q = gql`\n  query Q { book(id: 1) { ...BookParts } }\n`;\nexport const run = (axios) => axios.post('/graphql', { query: Q, variables: {} });\n",
        ),
        (
            "gql/payloads/p.json",
            "json",
            "{\n  \"url\": \"https://example.com\",\n  \"maxWords\": 100\n}\n",
        ),
        (
            "kit/apps/run.ts",
            "typescript",
            "export async function run(client: any, topic: string) {\n  return client.executeFlow(process.env.ASK_FLOW_ID!, { topic, n: 1 });\n}\n",
        ),
        (
            "kit/flows/ask.ts",
            "typescript",
            "export const meta = { name: \"ask\" };\nexport const nodes = [\n  { id: \"triggerNode_1\", data: { nodeId: \"graphqlNode\", trigger: true, values: { advance_schema: \"{\\\"topic\\\": \\\"string\\\", \\\"n\\\": \\\"int\\\"}\" } } },\n];\nexport default { meta, nodes };\n",
        ),
    ];
    let library = "type Query { book(id: ID!): Book books(first: Int): [Book] executeWorkflow(workflowId: String!, payload: JSON!): WorkflowResult }\nscalar JSON\ntype WorkflowResult { status: String result: JSON }\ntype Book { id: ID! title: String author: Author }\ntype Author { name: String }\n";
    let export = r#"{"id": "0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c", "name": "Summarize", "nodes": [{"data": {"trigger": true, "nodeId": "graphqlNode", "values": {"advance_schema": "{\"url\": \"string\", \"maxWords\": \"int\"}"}}}]}"#;
    write(dir, "gql/schema.graphql", library);
    write(dir, "gql/flows/summarize.json", export);
    write(
        dir,
        "gql/.graphqlrc.yml",
        "schema: schema.graphql\ndocuments: ['ops/**/*.graphql', 'app/**/*.js']\nextensions:\n  flowql:\n    flowExports: 'flows/*.json'\n    payloads:\n      - files: 'payloads/*.json'\n        flow: 0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c\n",
    );
    write(
        dir,
        "kit/lamatic.config.ts",
        "export default { name: \"k\", steps: [{ id: \"ask\", type: \"mandatory\", envKey: \"ASK_FLOW_ID\" }] };\n",
    );
    files
        .into_iter()
        .map(|(path, language, text)| {
            write(dir, path, text);
            (dir.join(path), language, text.to_string())
        })
        .collect()
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Line starts of a text, breaking lines at `\n`, `\r\n` and a lone `\r` (as the LSP does).
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
                continue;
            }
            b'\r' | b'\n' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// The LSP position (UTF-16) of a byte offset at a character boundary.
fn position(text: &str, offset: usize) -> Value {
    let starts = line_starts(text);
    let line = starts.partition_point(|s| *s <= offset) - 1;
    let character: usize = text[starts[line]..offset].encode_utf16().count();
    json!({"line": line, "character": character})
}

/// A character boundary at or before `offset`, never inside a `\r\n` (no LSP position is there).
fn boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    if offset > 0 && text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
        offset -= 1;
    }
    offset
}

struct Doc {
    uri: String,
    language: &'static str,
    text: String,
    version: i64,
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn resident_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn start_server() -> LspClient {
    let mut client = LspClient::start(&["lsp"], &[]);
    client.initialize_with(
        json!({"general": {"positionEncodings": ["utf-16"]},
               "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}),
        json!({"flowql": {"offline": true}}),
    );
    client
}

/// Waits until every document's newest publication is for its version and nothing more
/// arrives for a moment; returns the newest diagnostics of each.
type Latest = HashMap<String, (i64, Vec<Value>)>;

/// Reads the publications that arrived, keeping each document's newest; whether any came.
fn read_publications(client: &mut LspClient, latest: &mut Latest) -> bool {
    let mut any = false;
    for message in client.drain("textDocument/publishDiagnostics") {
        let params = &message["params"];
        let uri = params["uri"].as_str().unwrap_or("").to_string();
        let version = params["version"].as_i64().unwrap_or(-1);
        let diagnostics = params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        latest.insert(uri, (version, diagnostics));
        any = true;
    }
    any
}

fn settled(
    client: &mut LspClient,
    docs: &[Doc],
    latest: &mut Latest,
) -> HashMap<String, Vec<Value>> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut quiet_since = Instant::now();
    loop {
        if read_publications(client, latest) {
            quiet_since = Instant::now();
        }
        let all_current = docs
            .iter()
            .all(|d| latest.get(&d.uri).is_some_and(|(v, _)| *v == d.version));
        if all_current && quiet_since.elapsed() > Duration::from_millis(400) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "stale documents: {:?}",
            docs.iter()
                .map(|d| (
                    d.uri.clone(),
                    d.version,
                    latest.get(&d.uri).map(|(v, _)| *v)
                ))
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    latest
        .iter()
        .map(|(u, (_, d))| (u.clone(), d.clone()))
        .collect()
}

/// What a diagnostic says, without what may differ between two servers.
fn essence(diagnostics: &[Value]) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].to_string(),
                d["range"].to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn request_params(method: &str, doc: &Doc, random: &mut Random) -> Value {
    let lines = line_starts(&doc.text).len();
    let at = json!({"line": random.below(lines + 1), "character": random.below(90)});
    let other = json!({"line": random.below(lines + 1), "character": random.below(90)});
    let id = json!({"uri": doc.uri});
    match method {
        "textDocument/hover" | "textDocument/completion" | "textDocument/definition" => {
            json!({"textDocument": id, "position": at})
        }
        "textDocument/references" => {
            json!({"textDocument": id, "position": at, "context": {"includeDeclaration": true}})
        }
        "textDocument/codeAction" => json!({"textDocument": id,
            "range": {"start": at, "end": other}, "context": {"diagnostics": []}}),
        "textDocument/semanticTokens/full"
        | "textDocument/documentSymbol"
        | "textDocument/foldingRange"
        | "textDocument/diagnostic" => json!({"textDocument": id}),
        "textDocument/semanticTokens/range" => {
            json!({"textDocument": id, "range": {"start": {"line": 0, "character": 0}, "end": at}})
        }
        "textDocument/formatting" => {
            json!({"textDocument": id, "options": {"tabSize": 2, "insertSpaces": true}})
        }
        "textDocument/rangeFormatting" => json!({"textDocument": id,
            "range": {"start": {"line": 0, "character": 0}, "end": at},
            "options": {"tabSize": 2, "insertSpaces": true}}),
        "textDocument/selectionRange" => json!({"textDocument": id, "positions": [at, other]}),
        "workspace/symbol" => {
            let query = ["", "B", "run", "é"][random.below(4)];
            json!({ "query": query })
        }
        "textDocument/prepareRename" | "textDocument/codeLens" => {
            json!({"textDocument": id, "position": at})
        }
        "textDocument/rename" => {
            let name = ["renamed", "x1", "_", "not a name"][random.below(4)];
            json!({"textDocument": id, "position": at, "newName": name})
        }
        // No endpoint is configured here: a run is never sent, only judged.
        "workspace/executeCommand" => match random.below(2) {
            0 => {
                json!({"command": "flowql.runFlow", "arguments": [{"uri": doc.uri, "position": at}]})
            }
            _ => json!({"command": "flowql.explainResponse", "arguments": [doc.uri]}),
        },
        _ => json!({}),
    }
}

const REQUESTS: &[&str] = &[
    "textDocument/hover",
    "textDocument/completion",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/codeAction",
    "textDocument/semanticTokens/full",
    "textDocument/semanticTokens/range",
    "textDocument/formatting",
    "textDocument/rangeFormatting",
    "textDocument/documentSymbol",
    "textDocument/foldingRange",
    "textDocument/selectionRange",
    "workspace/symbol",
    "textDocument/prepareRename",
    "textDocument/rename",
    "textDocument/codeLens",
    "workspace/executeCommand",
];

/// Requests that may refuse with a reason (invalid params): a rename that is not safe or a
/// name that is not one, a run at a position with no call. Never an internal error.
const MAY_REFUSE: &[&str] = &["textDocument/rename", "workspace/executeCommand"];

/// One session; returns the number of requests made.
fn session(seed: u64, steps: usize) -> usize {
    eprintln!("random session: seed {seed}, {steps} steps (FLOWQL_RANDOM_SEEDS={seed} FLOWQL_RANDOM_STEPS={steps} to run it again)");
    let dir = std::env::temp_dir().join(format!("flowql-random-{seed}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let files = project(&dir);
    let mut random = Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut client = start_server();
    let mut docs: Vec<Doc> = files
        .into_iter()
        .map(|(path, language, text)| Doc {
            uri: uri_of(&path),
            language,
            text,
            version: 1,
        })
        .collect();
    for doc in &docs {
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": doc.uri, "languageId": doc.language, "version": 1, "text": doc.text}}),
        );
    }
    let mut latest = Latest::new();
    settled(&mut client, &docs, &mut latest);
    let start_kb = resident_kb(client.pid());
    let mut requests = 0;
    for step in 0..steps {
        let roll = random.below(100);
        let which = random.below(docs.len());
        if roll < 50 {
            // An edit: replace a few characters somewhere with a piece.
            let doc = &mut docs[which];
            let from = boundary(&doc.text, random.below(doc.text.len() + 1));
            let to = boundary(&doc.text, from + random.below(6)).max(from);
            let piece = if random.below(10) == 0 {
                String::new()
            } else {
                random.pick(PIECES).to_string()
            };
            let (start, end) = (position(&doc.text, from), position(&doc.text, to));
            // Keep documents small enough that a run stays quick: grow only below 17 KB.
            if doc.text.len() > 17_000 && !piece.is_empty() {
                continue;
            }
            doc.text.replace_range(from..to, &piece);
            doc.version += 1;
            if let Ok(dump) = std::env::var("FLOWQL_RANDOM_DUMP") {
                // Every version of every document, to reproduce a failure outside the session.
                let name = doc.uri.rsplit('/').next().unwrap_or("doc");
                let _ = std::fs::create_dir_all(&dump);
                let _ = std::fs::write(format!("{dump}/{name}.{}", doc.version), &doc.text);
            }
            client.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": doc.uri, "version": doc.version},
                       "contentChanges": [{"range": {"start": start, "end": end}, "text": piece}]}),
            );
        } else if roll < 97 {
            let method = *random.pick(REQUESTS);
            let params = request_params(method, &docs[which], &mut random);
            let response = client.request(method, params.clone());
            requests += 1;
            let refused = MAY_REFUSE.contains(&method) && response["error"]["code"] == -32602;
            assert!(
                response.get("error").is_none() || refused,
                "seed {seed}, step {step}: {method} {params} failed: {response}\nits text: {:?}",
                docs[which].text
            );
        } else {
            // Hostile: an unknown method, broken params, a notification of nonsense.
            match random.below(3) {
                0 => {
                    let r = client.request("flowql/noSuchMethod", json!({"x": 1}));
                    assert_eq!(r["error"]["code"], -32601, "{r}");
                }
                1 => {
                    let r = client.request("textDocument/hover", json!({"textDocument": 3}));
                    assert_eq!(r["error"]["code"], -32602, "{r}");
                }
                _ => client.notify("textDocument/didChange", json!({"nonsense": [1, 2]})),
            }
        }
        if step % 500 == 499 {
            // Keep the unread queue short: publications are only looked at when settled.
            read_publications(&mut client, &mut latest);
            client.drain("window/logMessage");
            client.drain("flowql/status");
        }
    }
    let final_diagnostics = settled(&mut client, &docs, &mut latest);
    let end_kb = resident_kb(client.pid());
    let log = client.stderr.lock().unwrap().clone();
    if let Ok(path) = std::env::var("FLOWQL_RANDOM_LOG") {
        let _ = std::fs::write(path, &log);
    }
    assert!(
        !log.contains("panicked") && !log.contains("failed unexpectedly"),
        "seed {seed}: the log has panics:\n{}",
        log.lines()
            .filter(|l| l.contains("panic"))
            .take(10)
            .collect::<Vec<_>>()
            .join("\n")
    );
    client.finish();

    // A fresh server on the final texts says the same.
    let mut fresh = start_server();
    let fresh_docs: Vec<Doc> = docs
        .iter()
        .map(|d| Doc {
            uri: d.uri.clone(),
            language: d.language,
            text: d.text.clone(),
            version: 1,
        })
        .collect();
    for doc in &fresh_docs {
        fresh.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": doc.uri, "languageId": doc.language, "version": 1, "text": doc.text}}),
        );
    }
    let expected = settled(&mut fresh, &fresh_docs, &mut Latest::new());
    let fresh_kb = resident_kb(fresh.pid());
    fresh.finish();
    for doc in &docs {
        assert_eq!(
            essence(&final_diagnostics[&doc.uri]),
            essence(&expected[&doc.uri]),
            "seed {seed}: {} differs from a fresh server's; its text:\n{:?}",
            doc.uri,
            doc.text
        );
    }
    let growth_mb = (end_kb as f64 - start_kb as f64) / 1024.0;
    eprintln!(
        "seed {seed}: {requests} requests; resident memory {:.1} MB at start, {:.1} MB at the end ({growth_mb:+.1} MB); a fresh server on the final texts {:.1} MB; sizes {:?}",
        start_kb as f64 / 1024.0,
        end_kb as f64 / 1024.0,
        fresh_kb as f64 / 1024.0,
        docs.iter().map(|d| d.text.len()).collect::<Vec<_>>()
    );
    let bound: f64 = std::env::var("FLOWQL_RANDOM_MAX_GROWTH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30.0);
    assert!(
        growth_mb < bound,
        "seed {seed}: memory grew by {growth_mb:.1} MB"
    );
    let _ = std::fs::remove_dir_all(&dir);
    requests
}

#[test]
fn random_editing_sessions_keep_the_server_well() {
    let seeds: Vec<u64> = std::env::var("FLOWQL_RANDOM_SEEDS")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 2]);
    let steps: usize = std::env::var("FLOWQL_RANDOM_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1500);
    for seed in seeds {
        let requests = session(seed, steps);
        assert!(
            requests > steps / 3,
            "seed {seed}: only {requests} requests"
        );
    }
}
