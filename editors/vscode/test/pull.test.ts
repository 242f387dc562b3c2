// The server as VS Code itself would meet it: vscode-languageclient 9 declares pull diagnostics
// (its DiagnosticFeature fills `textDocument.diagnostic` with dynamicRegistration true and
// relatedDocumentSupport false, and `workspace.diagnostics.refreshSupport`), so the extension's
// diagnostics come from `textDocument/diagnostic`, not from publications. VS Code cannot run
// here; its client's messages are sent through vscode-jsonrpc as in server.test.ts.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import manifest from "../package.json";
import { EXPERIMENTAL_CAPABILITIES, initializationOptions } from "../src/settings";
import { flowqlBinary, repositoryRoot } from "./support";

const fixture = path.join(repositoryRoot, "tests", "fixtures", "editors");
const file = path.join(fixture, "run.graphql");
const uri = `file://${file}`;

interface Report {
  kind: string;
  resultId?: string;
  items: { code: string; range: { start: { line: number; character: number } } }[];
}

test("a pulling client gets the diagnostics on request, and a refresh when schemas change", async () => {
  const server = spawn(flowqlBinary(), ["lsp"], { cwd: fixture });
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const asked: string[] = [];
  let pushed = 0;
  connection.onRequest((method: string) => {
    asked.push(method);
    return null;
  });
  connection.onNotification("textDocument/publishDiagnostics", (params: { uri: string }) => {
    if (params.uri === uri) {
      pushed += 1;
    }
  });
  connection.listen();
  const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown }>;
  await connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: `file://${fixture}`,
    initializationOptions: initializationOptions((key) => properties[`flowql.${key}`]?.default),
    capabilities: {
      general: { positionEncodings: ["utf-16"] },
      textDocument: { diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false }, publishDiagnostics: {} },
      workspace: { diagnostics: { refreshSupport: true } },
      experimental: EXPERIMENTAL_CAPABILITIES,
    },
  });
  await connection.sendNotification("initialized", {});
  await connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "graphql", version: 1, text: fs.readFileSync(file, "utf8") },
  });
  const report = await connection.sendRequest<Report>("textDocument/diagnostic", { textDocument: { uri } });
  assert.equal(report.kind, "full");
  assert.equal(report.resultId, "1");
  assert.deepEqual(
    report.items.map((d) => [d.code, d.range.start.line, d.range.start.character]),
    [
      ["PAYLOAD_MISSING_FIELD", 3, 60],
      ["PAYLOAD_UNKNOWN_FIELD", 3, 89],
      ["UNKNOWN_FIELD", 6, 4],
    ],
  );
  await connection.sendRequest("workspace/executeCommand", { command: "flowql.refreshSchemas", arguments: [] });
  const deadline = Date.now() + 5000;
  while (!asked.includes("workspace/diagnostic/refresh") && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(asked.includes("workspace/diagnostic/refresh"), `requests from the server: ${asked.join(", ")}`);
  assert.equal(pushed, 0, "nothing pushed to a pulling client for its document");
  await connection.sendRequest("shutdown");
  const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
  await connection.sendNotification("exit");
  assert.equal(await exited, 0);
  connection.dispose();
});
