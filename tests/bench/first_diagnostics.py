#!/usr/bin/env python3
"""Time from start to first diagnostics: a fresh `flowql lsp` process, initialize, didOpen,
first publishDiagnostics. Two cases: a project whose endpoint schema (GitHub's public schema,
1.2 MB SDL) is in the disk cache, and a project with no cache (the bundled schema stands in
while the fetch would run; `offline: true` keeps the network out of the measurement).

Usage: python3 tests/bench/first_diagnostics.py [path/to/flowql] [runs]
"""
import json, os, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_wire import receive, send, wait_for  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/flowql")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
ENDPOINT = "https://acme-app.example.test/graphql"






def cache_file_name(endpoint, project_id):
    """The name flowql gives a cache file (server/src/platform/cache.rs: entry_path)."""
    host = "".join(c if (c.isascii() and c.isalnum()) or c in ".-" else "_"
                   for c in endpoint.replace("https://", "", 1).replace("http://", "", 1))[:60]
    h = 0xcbf29ce484222325
    for byte in ("%s\n%s" % (endpoint, project_id or "")).encode():
        h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "schema-%s-%016x.json" % (host, h)


def project(with_cache):
    work = tempfile.mkdtemp(prefix="flowql-first-")
    cache = os.path.join(work, "cache")
    with open(os.path.join(work, ".graphqlrc.yml"), "w") as f:
        f.write("documents: '*.graphql'\nextensions:\n  flowql:\n    endpoint: %s\n    cacheDir: %s\n    offline: true\n" % (ENDPOINT, cache))
    if with_cache:
        sdl = open(os.path.join(ROOT, "tests/fixtures/github/schema.graphql")).read()
        os.makedirs(cache)
        name = cache_file_name(ENDPOINT, None)
        entry = {"version": 1, "endpoint": ENDPOINT, "projectId": None, "fetchedAt": int(time.time()), "etag": None, "sdl": sdl}
        with open(os.path.join(cache, name), "w") as f:
            json.dump(entry, f)
    return work


def first_diagnostics(work, text):
    start = time.perf_counter()
    proc = subprocess.Popen([BINARY, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    while receive(proc).get("id") != 1:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "file://" + os.path.join(work, "op.graphql")
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "graphql", "version": 1, "text": text}}})
    while True:
        m = receive(proc)
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
            elapsed = (time.perf_counter() - start) * 1000
            codes = [d["code"] for d in m["params"]["diagnostics"]]
            break
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=10)
    return elapsed, codes


def main():
    text = "query Viewer { viewer { login name } }\n"
    for label, cached in [("cached GitHub schema", True), ("no cache (bundled schema)", False)]:
        work = project(cached)
        times = []
        for _ in range(RUNS):
            elapsed, codes = first_diagnostics(work, text)
            times.append(elapsed)
        times.sort()
        print("%-28s median %.1f ms, min %.1f ms, max %.1f ms over %d process starts; codes %s" % (
            label, times[len(times) // 2], times[0], times[-1], RUNS, codes))


if __name__ == "__main__":
    main()
