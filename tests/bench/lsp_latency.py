#!/usr/bin/env python3
"""Measures flowql's language server over stdio: didOpen -> diagnostics (cold, GitHub's public
schema read from a file), didChange -> diagnostics over N alternating edits (p50/p99), and peak
resident memory. Standard library only.

Usage: python3 tests/bench/lsp_latency.py [path/to/flowql] [edits]
(The comparison with graphql-lsp: tests/bench/side-by-side.sh.)
"""
import json, os, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_wire import diagnostics_of, send, start_server, wait_for  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/flowql")
EDITS = int(sys.argv[2]) if len(sys.argv) > 2 else 200








def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    work = tempfile.mkdtemp(prefix="flowql-bench-")
    schema = os.path.join(ROOT, "tests/fixtures/github/schema.graphql")
    with open(os.path.join(work, ".graphqlrc.yml"), "w") as f:
        f.write("schema: %s\n" % schema)
    document = open(os.path.join(ROOT, "tests/fixtures/diagnostics/github.graphql")).read()
    # Repeat the operations (renamed) to get a document of realistic length.
    parts = [document.replace("query Repo", "query Repo%d" % i).replace("query Search", "query Search%d" % i) for i in range(5)]
    text = "\n".join(parts)
    uri = "file://" + os.path.join(work, "ops.graphql")

    proc = start_server(BINARY)

    is_diag = diagnostics_of
    start = time.perf_counter()
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "graphql", "version": 1, "text": text}}})
    wait_for(proc, is_diag(1))
    open_ms = (time.perf_counter() - start) * 1000

    latencies = []
    line = text.split("\n").index("    name") if "    name" in text.split("\n") else 4
    for i in range(EDITS):
        version = i + 2
        edit = {"range": {"start": {"line": line, "character": 8}, "end": {"line": line, "character": 8}}, "text": "x"} if i % 2 == 0 else \
               {"range": {"start": {"line": line, "character": 8}, "end": {"line": line, "character": 9}}, "text": ""}
        start = time.perf_counter()
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [edit]}})
        wait_for(proc, is_diag(version))
        latencies.append((time.perf_counter() - start) * 1000)

    with open("/proc/%d/status" % proc.pid) as f:
        peak_kb = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    wait_for(proc, lambda m: m.get("id") == 2)
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=10)

    print("document: %d lines, schema: %s (%.1f MB)" % (text.count("\n") + 1, os.path.relpath(schema, ROOT), os.path.getsize(schema) / 1e6))
    print("didOpen -> diagnostics (cold): %.1f ms" % open_ms)
    print("didChange -> diagnostics over %d edits: p50 %.2f ms, p99 %.2f ms, max %.2f ms" % (
        EDITS, percentile(latencies, 50), percentile(latencies, 99), max(latencies)))
    print("peak resident memory: %.1f MB" % (peak_kb / 1024))
    print("exit code: %d" % proc.returncode)


if __name__ == "__main__":
    main()
