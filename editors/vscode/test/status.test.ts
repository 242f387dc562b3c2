// The status item's text for each schema source and for a failed fetch.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Status, statusView } from "../src/status";

function status(schema: Partial<Status["schema"]>, problem: string | null = null): Status {
  return {
    version: "0.1.0",
    config: "/p/.graphqlrc.yml",
    project: "default",
    schema: { kind: "bundled", summary: "bundled", detail: "the bundled platform schema", endpoint: null, ageSeconds: null, lastError: null, ...schema },
    flows: { count: 2, lastError: null },
    problem,
    jsonGlobs: [],
  };
}

test("each source is named in the status text", () => {
  assert.equal(statusView(status({})).text, "flowql: schema bundled");
  const cached = statusView(status({ kind: "cache", summary: "cached 3 h ago", detail: "the schema of https://x.test/graphql (fetched 3 h ago)" }));
  assert.equal(cached.text, "flowql: schema cached 3 h ago");
  assert.match(cached.detail, /fetched 3 h ago/);
  assert.equal(cached.level, "ok");
});

test("a failed fetch is a warning that says what to do", () => {
  const view = statusView(
    status({
      kind: "cache",
      summary: "cached 2 days ago",
      lastError: { code: "UNAUTHORIZED", status: "401 Unauthorized", message: "the API key was refused", fix: "Create a new key." },
    }),
  );
  assert.equal(view.text, "flowql: schema cached 2 days ago, fetch failed");
  assert.equal(view.level, "warning");
  assert.match(view.detail, /UNAUTHORIZED, 401 Unauthorized\): the API key was refused\. Create a new key\./);
});

test("a configuration that cannot be used is an error", () => {
  const view = statusView(status({}, "the configuration is not valid YAML"));
  assert.equal(view.level, "error");
  assert.match(view.detail, /Problem: the configuration is not valid YAML/);
});
