#!/usr/bin/env python3
"""`flowql check` over many operation files against GitHub's public schema: files per second
with 1 job and with one per core, and the scaling between them. Standard library only.

Usage: python3 tests/bench/check_corpus.py [path/to/flowql] [files] [runs] [graphql|js]
With `js`, each operation is a `gql` template in a JavaScript file among a little code.
"""
import os, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/flowql")
FILES = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
KIND = sys.argv[4] if len(sys.argv) > 4 else "graphql"


def main():
    work = tempfile.mkdtemp(prefix="flowql-check-corpus-")
    with open(os.path.join(work, ".graphqlrc.yml"), "w") as f:
        f.write("schema: %s\ndocuments: 'ops/**/*.%s'\n" % (os.path.join(ROOT, "tests/fixtures/github/schema.graphql"), KIND))
    base = open(os.path.join(ROOT, "tests/fixtures/diagnostics/github.graphql")).read()
    lines = 0
    for i in range(FILES):
        folder = os.path.join(work, "ops", "%02d" % (i % 50))
        os.makedirs(folder, exist_ok=True)
        text = base.replace("query Repo", "query Repo%d" % i).replace("query Search", "query Search%d" % i)
        if KIND == "js":
            text = ("import { gql } from '@apollo/client';\n\nexport const total = [1, 2, 3].reduce((a, b) => a + b, %d);\n\n"
                    "export const OPERATIONS = gql`\n%s`;\n\nexport function load(client) {\n  return client.query({ query: OPERATIONS });\n}\n") % (i, text)
        lines += text.count("\n")
        with open(os.path.join(folder, "op%d.%s" % (i, KIND)), "w") as f:
            f.write(text)
    cores = os.cpu_count()
    print("%d %s files, %d lines in all, GitHub schema; %d cores; median of %d runs" % (FILES, KIND, lines, cores, RUNS))
    medians = {}
    for jobs in sorted({1, cores}):
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            done = subprocess.run([BINARY, "check", "--jobs", str(jobs), "--format", "json"], cwd=work,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
            if done.returncode not in (0, 1):
                raise SystemExit("flowql check could not run (exit %d)" % done.returncode)
        times.sort()
        medians[jobs] = times[len(times) // 2]
        print("| %d job%s | %.2f s | %.0f files/s |" % (jobs, "" if jobs == 1 else "s", medians[jobs], FILES / medians[jobs]))
    if cores > 1:
        print("scaling from 1 to %d jobs: %.2fx" % (cores, medians[1] / medians[cores]))


if __name__ == "__main__":
    main()
