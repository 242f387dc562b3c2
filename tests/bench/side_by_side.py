#!/usr/bin/env python3
"""flowql and graphql-lsp side by side: the same client, workspace, schema and edits.

Both servers get GitHub's public schema (cleaned of its duplicate fields, which graphql-lsp
rejects) from a graphql-config file, and a ~140-line operation document. Each run: initialize,
didOpen -> first diagnostics for the document (cold: the schema is read and built then), N
alternating one-character edits each timed from didChange to the diagnostics that follow it,
and the server's peak resident memory (VmHWM of the server process and its children).
Standard library only. Run it through tests/bench/side-by-side.sh, which installs graphql-lsp.

Usage: python3 tests/bench/side_by_side.py --flowql BIN --graphql-lsp BIN --schema FILE [--edits N] [--runs R]
"""
import argparse, os, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_wire import receive, send  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def document_text(lines_wanted):
    base = open(os.path.join(ROOT, "tests/fixtures/diagnostics/github.graphql")).read().rstrip("\n")
    parts, i = [], 0
    while sum(p.count("\n") + 1 for p in parts) < lines_wanted:
        parts.append(base.replace("query Repo", "query Repo%d" % i).replace("query Search", "query Search%d" % i))
        i += 1
    return "\n".join(parts) + "\n"


def peak_rss_kb(pid):
    """VmHWM of a process and its descendants (graphql-lsp may run workers)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for line in open("/proc/%d/status" % p):
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
            children = open("/proc/%d/task/%d/children" % (p, p)).read().split()
            todo.extend(int(c) for c in children)
        except OSError:
            pass
    return total


class Session:
    def __init__(self, command, cwd):
        self.proc = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 1

    def answer_requests(self, message):
        """Answers what the server asks of the client; returns True if it was such a request."""
        if "id" in message and "method" in message:
            result = None
            if message["method"] == "workspace/configuration":
                result = [{} for _ in message["params"].get("items", [])]
            send(self.proc, {"jsonrpc": "2.0", "id": message["id"], "result": result})
            return True
        return False

    def wait(self, predicate):
        while True:
            message = receive(self.proc)
            if self.answer_requests(message):
                continue
            if predicate(message):
                return message

    def request(self, method, params):
        i = self.next_id
        self.next_id += 1
        send(self.proc, {"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == i and "method" not in m)

    def notify(self, method, params):
        send(self.proc, {"jsonrpc": "2.0", "method": method, "params": params})

    def close(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(name, command, work, text, edits):
    uri = "file://" + os.path.join(work, "ops.graphql")
    session = Session(command, work)
    session.request("initialize", {
        "processId": os.getpid(), "rootUri": "file://" + work, "rootPath": work,
        "workspaceFolders": [{"uri": "file://" + work, "name": "bench"}],
        "capabilities": {"workspace": {"configuration": True}, "textDocument": {"publishDiagnostics": {}}},
    })
    session.notify("initialized", {})
    is_diag = lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
    start = time.perf_counter()
    session.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "graphql", "version": 1, "text": text}})
    first = session.wait(is_diag)
    open_ms = (time.perf_counter() - start) * 1000
    found = len(first["params"]["diagnostics"])

    lines = text.split("\n")
    line = next(i for i, l in enumerate(lines) if l.strip() == "name")
    column = len(lines[line]) - len(lines[line].lstrip()) + 4
    latencies = []
    for i in range(edits):
        version = i + 2
        position = {"line": line, "character": column}
        if i % 2 == 0:
            change = {"range": {"start": position, "end": position}, "text": "x"}
        else:
            change = {"range": {"start": position, "end": {"line": line, "character": column + 1}}, "text": ""}
        start = time.perf_counter()
        session.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        # flowql says which version a publication is for; graphql-lsp does not: the first
        # publication after the edit counts.
        session.wait(lambda m: is_diag(m) and m["params"].get("version") in (None, version))
        latencies.append((time.perf_counter() - start) * 1000)
    rss = peak_rss_kb(session.proc.pid)
    session.close()
    return {"name": name, "open": open_ms, "p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
            "rss": rss / 1024, "diagnostics": found}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--flowql", required=True)
    parser.add_argument("--graphql-lsp", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lines", type=int, default=140)
    args = parser.parse_args()
    args.flowql = os.path.abspath(args.flowql)
    args.graphql_lsp = os.path.abspath(args.graphql_lsp)

    work = tempfile.mkdtemp(prefix="flowql-side-by-side-")
    with open(os.path.join(work, "schema.graphql"), "w") as f:
        f.write(open(args.schema).read())
    with open(os.path.join(work, ".graphqlrc.yml"), "w") as f:
        f.write("schema: schema.graphql\ndocuments: '*.graphql'\n")
    text = document_text(args.lines)
    with open(os.path.join(work, "ops.graphql"), "w") as f:
        f.write(text)
    print("workspace %s: schema %d bytes, document %d lines, %d edits, %d runs" % (
        work, os.path.getsize(args.schema), text.count("\n"), args.edits, args.runs))

    servers = [("flowql", [args.flowql, "lsp"]), ("graphql-lsp", [args.graphql_lsp, "server", "-m", "stream"])]
    results = {name: [] for name, _ in servers}
    for run in range(args.runs):
        for name, command in servers:
            results[name].append(measure(name, command, work, text, args.edits))

    print("\n| server | run | didOpen -> diagnostics | didChange p50 | didChange p99 | peak RSS | diagnostics on open |")
    print("|---|---|---|---|---|---|---|")
    for name, _ in servers:
        for i, r in enumerate(results[name]):
            print("| %s | %d | %.1f ms | %.2f ms | %.2f ms | %.1f MB | %d |" % (name, i + 1, r["open"], r["p50"], r["p99"], r["rss"], r["diagnostics"]))
    med = lambda name, key: sorted(r[key] for r in results[name])[len(results[name]) // 2]
    print("\n| ratio (graphql-lsp / flowql, medians of the runs) | value | target |")
    print("|---|---|---|")
    print("| didOpen -> diagnostics | %.1fx | >= 15x |" % (med("graphql-lsp", "open") / med("flowql", "open")))
    print("| didChange p50 | %.1fx | >= 5x |" % (med("graphql-lsp", "p50") / med("flowql", "p50")))
    print("| flowql didChange p99 | %.2f ms | < 5 ms |" % med("flowql", "p99"))
    print("| peak RSS | %.1fx | >= 4x |" % (med("graphql-lsp", "rss") / med("flowql", "rss")))


if __name__ == "__main__":
    main()
