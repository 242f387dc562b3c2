#!/usr/bin/env python3
"""Projects as they are: a repository of kit-shaped projects (lamatic.config.ts, flows as
TypeScript modules, .env.example, Next.js-style apps calling the SDK with every form of flow id
apps use, ordinary code around them, a node_modules folder), written by this script.

`check`: `flowql check --format json` at the repository's root, as a user would run it with
no configuration: wall time (median of N runs, process start included), and what it reports:
diagnostics on files that hold no mistake (must be 0), flow calls found / resolved / checked.

`edit`: the language server over stdio on one 1,500-line TypeScript file of such a kit with 20
SDK calls: didOpen -> diagnostics, then didChange -> diagnostics over N alternating one-character
edits (p50/p99).

`config`: the language server on one kit's lamatic.config.ts (its app: 50 files, 6 with SDK
calls, one reading an env name one slip from a step's envKey): didOpen -> diagnostics (the
kit's code read for the first time), then didChange -> diagnostics over N edits of the config,
each of which changes the kit and so has its calls resolved again. Standard library only.

`fields`: the language server on one kit's flow file (its app: 50 files, 36 calls, 12 of this
flow): `textDocument/references` and `textDocument/rename` of the input field `topic` from its
key inside the `advance_schema` string, N times each (the first reads the kit's code): p50/p99,
and how many places each finds (the declaration and every payload key that sends the field).

Usage: python3 tests/bench/kit_corpus.py check  [path/to/flowql] [files] [runs]
       python3 tests/bench/kit_corpus.py edit   [path/to/flowql] [edits]
       python3 tests/bench/kit_corpus.py config [path/to/flowql] [edits]
       python3 tests/bench/kit_corpus.py fields [path/to/flowql] [requests]
"""
import json, os, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_wire import diagnostics_of, send, start_server, wait_for  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODE = sys.argv[1] if len(sys.argv) > 1 else "check"
BINARY = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(ROOT, "target/release/flowql")

FLOW = """// Flow: %(id)s
export const meta = { name: "%(id)s", description: "Benchmark flow" };
export const inputs = {};
export const references = {};
export const nodes = [
  { id: "triggerNode_1", type: "triggerNode", data: { nodeId: "graphqlNode", trigger: true,
    values: { nodeName: "API Request", responeType: "realtime",
      advance_schema: "{\\n  \\"topic\\": \\"string\\",\\n  \\"count\\": \\"int\\",\\n  \\"tags\\": \\"[string]\\"\\n}" } } },
  { id: "LLMNode_1", type: "dynamicNode", data: { nodeId: "LLMNode", values: { prompt: "About {{triggerNode_1.output.topic}}" } } },
  { id: "responseNode_triggerNode_1", type: "responseNode", data: { nodeId: "graphqlResponseNode",
    values: { outputMapping: "{\\"answer\\": \\"{{LLMNode_1.output.text}}\\"}" } } },
];
export const edges = [{ id: "e1", source: "triggerNode_1", target: "LLMNode_1" }];
export default { meta, inputs, references, nodes, edges };
"""

CONFIG = """export default {
  name: "Kit %(n)d",
  type: "kit" as const,
  steps: [
%(steps)s
  ],
};
"""

CLIENT = """import { Lamatic } from "lamatic";
import kit from "../../lamatic.config";

export const getLamaticClient = () =>
  new Lamatic({ endpoint: process.env.LAMATIC_API_URL!, projectId: process.env.LAMATIC_PROJECT_ID!, apiKey: process.env.LAMATIC_API_KEY! });

export function requireFlowId(step: string): string {
  const found = kit.steps.find((s) => s.id === step);
  return process.env[found!.envKey] as string;
}
"""

# Six call forms, all resolvable, all with right payloads; `mistake` adds one wrong call.
CALLS = [
    "  return getLamaticClient().executeFlow(process.env.FLOW_%(s)d_ID!, { topic: input, count: 2, tags: [] });",
    "  const id = process.env.FLOW_%(s)d_ID || \"\";\n  return client.executeFlow(id, { topic: input, count: 1, tags: [\"a\"] });",
    "  return client.executeFlow(requireFlowId(\"flow-%(s)d\"), { topic: input, count: 3, tags: [] });",
    "  const payload = { topic: input, count: 4, tags: [\"x\", \"y\"] };\n  return client.executeFlow(process.env[\"FLOW_%(s)d_ID\"]!, payload);",
    "  return run(process.env.FLOW_%(s)d_ID!, { topic: input, count: 5, tags: [] });",
    "  return client.executeFlow(import.meta.env.FLOW_%(s)d_ID, { topic: input, count: 6, tags: [] });",
]

NOISE = """// Ordinary application code: no GraphQL, no flow calls.
import { useState } from "react";

export function Widget%(n)d({ query }: { query: string }) {
  const [state, setState] = useState<string>("query the database");
  const mutation = { query, variables: { id: %(n)d } };
  return <div onClick={() => setState(`${state} ${mutation.query}`)}>{state}</div>;
}
"""


def action(n, steps, mistake):
    body = ["\"use server\";", "import { getLamaticClient, requireFlowId } from \"../lib/lamatic\";", "",
            "const client = getLamaticClient();",
            "async function run(flowId: string, input: object) {\n  return client.executeFlow(flowId, input);\n}", ""]
    for i, form in enumerate(CALLS):
        s = (n + i) % steps
        body.append("export async function call%d(input: string) {\n%s\n}\n" % (i, form % {"s": s}))
    if mistake:
        body.append("export async function wrong(input: string) {\n  return client.executeFlow(process.env.FLOW_0_ID!, { topic: input, count: \"2\", tags: [] });\n}\n")
    return "\n".join(body)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def make_repository(files):
    work = tempfile.mkdtemp(prefix="flowql-kits-")
    per_kit = 50
    kits = max(1, files // per_kit)
    written = 0
    clean = []
    for k in range(kits):
        base = os.path.join(work, "kits", "kit-%03d" % k)
        steps = 3
        write(os.path.join(base, "lamatic.config.ts"), CONFIG % {"n": k, "steps": "\n".join(
            "    { id: \"flow-%d\", type: \"mandatory\" as const, envKey: \"FLOW_%d_ID\" }," % (s, s) for s in range(steps))})
        write(os.path.join(base, ".env.example"), "".join("FLOW_%d_ID=YOUR_FLOW_ID\n" % s for s in range(steps)))
        for s in range(steps):
            write(os.path.join(base, "flows", "flow-%d.ts" % s), FLOW % {"id": "flow-%d" % s})
        write(os.path.join(base, "apps", "lib", "lamatic.ts"), CLIENT)
        written += steps + 2
        for a in range(6):
            path = os.path.join(base, "apps", "actions", "action%d.ts" % a)
            write(path, action(a, steps, mistake=(a == 0)))
            if a != 0:
                clean.append(path)
        written += 6
        for n in range(per_kit - (steps + 2) - 6):
            path = os.path.join(base, "apps", "components", "Widget%d.tsx" % n)
            write(path, NOISE % {"n": n})
            clean.append(path)
            written += 1
        # Dependencies: never read.
        write(os.path.join(base, "apps", "node_modules", "lamatic", "index.js"), "module.exports = { query: `query {`, executeFlow() {} };\n")
    return work, written, kits, clean


def check():
    files = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    work, written, kits, clean = make_repository(files)
    times = []
    report = None
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([BINARY, "check", "--format", "json", "--offline"], cwd=work, capture_output=True)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit("flowql check could not run (exit %d): %s" % (done.returncode, done.stderr.decode()))
        report = json.loads(done.stdout)
    times.sort()
    clean_set = {os.path.relpath(p, work) for p in clean}
    false = [(f["path"], d["code"]) for f in report["files"] for d in f["diagnostics"] if f["path"] in clean_set]
    codes = {}
    for f in report["files"]:
        for d in f["diagnostics"]:
            codes[d["code"]] = codes.get(d["code"], 0) + 1
    calls = report["summary"]["flowCalls"]
    print("%d files in %d kits (%d checked), %d cores; median of %d runs" % (written, kits, report["summary"]["files"], os.cpu_count(), runs))
    print("wall time: median %.3f s (min %.3f, max %.3f)" % (times[len(times) // 2], times[0], times[-1]))
    print("diagnostics on files without a mistake: %d %s" % (len(false), false[:5]))
    print("diagnostics by code: %s" % codes)
    print("flow calls: found %d, resolved %d (%.0f%%), checked %d" % (
        calls["found"], calls["resolved"], 100.0 * calls["resolved"] / max(1, calls["found"]), calls["checked"]))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed_edits(proc, uri, line, character, edits, check=None):
    """Alternately inserts and deletes one character at (line, character): the milliseconds
    from each didChange to the diagnostics of its version; `check(i, message)` sees each."""
    latencies = []
    for i in range(edits):
        version = i + 2
        at = {"line": line, "character": character}
        edit = {"range": {"start": at, "end": at}, "text": "x"} if i % 2 == 0 else \
               {"range": {"start": at, "end": {"line": line, "character": character + 1}}, "text": ""}
        start = time.perf_counter()
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [edit]}})
        got = wait_for(proc, diagnostics_of(version))
        latencies.append((time.perf_counter() - start) * 1000)
        if check:
            check(i, got)
    return latencies


def edit():
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    work, _, _, _ = make_repository(50)
    base = os.path.join(work, "kits", "kit-000")
    # 1,500 lines: 20 SDK calls among ordinary code.
    lines = ["\"use server\";", "import { getLamaticClient } from \"../lib/lamatic\";", "const client = getLamaticClient();", ""]
    calls = 0
    n = 0
    while len(lines) < 1500:
        if calls < 20 and n % 3 == 0:
            lines.append("export async function call%d(input: string) {" % calls)
            lines.append("  return client.executeFlow(process.env.FLOW_%d_ID!, { topic: input, count: %d, tags: [] });" % (calls % 3, calls))
            lines.append("}")
            calls += 1
        else:
            lines.extend([
                "export function helper%d(items: number[]): number {" % n,
                "  const total = items.reduce((sum, item) => sum + item * %d, 0);" % n,
                "  if (total > 100) { return total - 1; }",
                "  return total;",
                "}",
            ])
        lines.append("")
        n += 1
    text = "\n".join(lines) + "\n"
    path = os.path.join(base, "apps", "actions", "big.ts")
    write(path, text)
    uri = "file://" + path
    target = next(i for i, l in enumerate(lines) if "helper1(" in l) + 1
    proc = start_server(BINARY)
    is_diag = diagnostics_of
    start = time.perf_counter()
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "typescript", "version": 1, "text": text}}})
    opened = wait_for(proc, is_diag(1))
    open_ms = (time.perf_counter() - start) * 1000
    latencies = timed_edits(proc, uri, target, 10, edits)
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    wait_for(proc, lambda m: m.get("id") == 2)
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=10)
    print("document: %d lines, %d SDK calls; %d diagnostics on open" % (len(lines), calls, len(opened["params"]["diagnostics"])))
    print("didOpen -> diagnostics: %.1f ms" % open_ms)
    print("didChange -> diagnostics over %d edits: p50 %.2f ms, p99 %.2f ms, max %.2f ms" % (
        edits, percentile(latencies, 50), percentile(latencies, 99), max(latencies)))


def config():
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    work, _, _, _ = make_repository(50)
    base = os.path.join(work, "kits", "kit-000")
    # A step no code calls, while code reads a near name: the configuration's own diagnostic.
    path = os.path.join(base, "lamatic.config.ts")
    with open(path) as f:
        text = f.read().replace("  ],", "    { id: \"extra\", type: \"optional\" as const, envKey: \"EXTRA_FLOW_ID\" },\n  ],")
    write(path, text)
    write(os.path.join(base, "flows", "extra.ts"), FLOW % {"id": "extra"})
    with open(os.path.join(base, ".env.example"), "a") as f:
        f.write("EXTRA_FLOW_ID=YOUR_FLOW_ID\n")
    write(os.path.join(base, "apps", "actions", "extra.ts"),
          "export const extra = () => client.executeFlow(process.env.EXTRA_FLOWID!, { topic: \"x\", count: 1, tags: [] });\n")
    uri = "file://" + path
    lines = text.split("\n")
    target = next(i for i, l in enumerate(lines) if "name:" in l)
    proc = start_server(BINARY)
    start = time.perf_counter()
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "typescript", "version": 1, "text": text}}})
    opened = wait_for(proc, diagnostics_of(1))
    open_ms = (time.perf_counter() - start) * 1000
    codes = [d["code"] for d in opened["params"]["diagnostics"]]
    if codes != ["FLOW_STEP_MISMATCH"]:
        raise SystemExit("expected the step's FLOW_STEP_MISMATCH on open, got %s" % codes)
    def same_codes(i, got):
        if [d["code"] for d in got["params"]["diagnostics"]] != codes:
            raise SystemExit("edit %d lost the diagnostic: %s" % (i, got["params"]["diagnostics"]))
    latencies = timed_edits(proc, uri, target, 9, edits, same_codes)
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    wait_for(proc, lambda m: m.get("id") == 2)
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=10)
    print("lamatic.config.ts of a kit of 50 files; %s on open" % codes)
    print("didOpen -> diagnostics: %.1f ms" % open_ms)
    print("didChange -> diagnostics over %d edits: p50 %.2f ms, p99 %.2f ms, max %.2f ms" % (
        edits, percentile(latencies, 50), percentile(latencies, 99), max(latencies)))


def fields():
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    work, _, _, _ = make_repository(50)
    path = os.path.join(work, "kits", "kit-000", "flows", "flow-0.ts")
    with open(path) as f:
        text = f.read()
    uri = "file://" + path
    lines = text.split("\n")
    line = next(i for i, l in enumerate(lines) if "advance_schema" in l)
    character = lines[line].index('topic\\"') + 2
    position = {"line": line, "character": character}
    proc = start_server(BINARY)
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "typescript", "version": 1, "text": text}}})
    wait_for(proc, diagnostics_of(1))
    ids = iter(range(100, 100000))

    def timed(method, params):
        latencies, result = [], None
        for _ in range(requests):
            n = next(ids)
            start = time.perf_counter()
            send(proc, {"jsonrpc": "2.0", "id": n, "method": method, "params": params})
            answer = wait_for(proc, lambda m, n=n: m.get("id") == n)
            latencies.append((time.perf_counter() - start) * 1000)
            if "error" in answer:
                raise SystemExit("%s failed: %s" % (method, answer["error"]))
            result = answer["result"]
        return latencies, result

    where = {"textDocument": {"uri": uri}, "position": position}
    refs, found = timed("textDocument/references", dict(where, context={"includeDeclaration": True}))
    renames, edit = timed("textDocument/rename", dict(where, newName="subject"))
    edits = sum(len(v) for v in edit["changes"].values())
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    wait_for(proc, lambda m: m.get("id") == 2)
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=10)
    print("flows/flow-0.ts of a kit of 50 files, the field `topic`")
    print("references: %d places; first %.1f ms, then p50 %.2f ms, p99 %.2f ms over %d" % (
        len(found), refs[0], percentile(refs[1:], 50), percentile(refs[1:], 99), requests - 1))
    print("rename: %d edits in %d files; first %.1f ms, then p50 %.2f ms, p99 %.2f ms over %d" % (
        edits, len(edit["changes"]), renames[0], percentile(renames[1:], 50), percentile(renames[1:], 99), requests - 1))


if __name__ == "__main__":
    {"check": check, "edit": edit, "config": config, "fields": fields}[MODE]()
