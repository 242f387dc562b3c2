// The language server driven the way the extension drives it, through vscode-languageclient's
// own protocol package (vscode-jsonrpc) over stdio, with the initialization options, experimental
// capabilities and document selector the extension computes (src/settings.ts).
//
// VS Code itself cannot be installed on the CI machines (no display, no download of its
// binaries), so this stops one step short of it: everything the extension sends and receives is
// exercised here; only VS Code's rendering of it is not.
import assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { minimatch } from "minimatch";
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import manifest from "../package.json";
import { documentSelector, EXPERIMENTAL_CAPABILITIES, initializationOptions, settingsSection } from "../src/settings";
import type { Status } from "../src/status";
import { flowqlBinary, repositoryRoot } from "./support";

const fixture = path.join(repositoryRoot, "tests", "fixtures", "editors");
const operationFile = path.join(fixture, "run.graphql");
const payloadFile = path.join(fixture, "payloads", "short.json");
const uri = (file: string): string => `file://${file}`;

type Properties = Record<string, { default: unknown }>;

/** VS Code's configuration as the extension reads it: the user's value, else the default. */
function vscodeSettings(user: Record<string, unknown>): (key: string) => unknown {
  const properties = manifest.contributes.configuration.properties as Properties;
  return (key) => (key in user ? user[key] : properties[`flowql.${key}`]?.default);
}

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code: string;
  severity: number;
  message: string;
  codeDescription?: { href: string };
  data?: unknown;
}

let server: ChildProcess;
let connection: MessageConnection;
let stderr = "";
const published = new Map<string, Diagnostic[][]>();
const statuses: { uri: string; status: Status }[] = [];

function waitFor<T>(what: string, probe: () => T | undefined, ms = 10000): Promise<T> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const value = probe();
      if (value !== undefined) {
        resolve(value);
      } else if (Date.now() - start > ms) {
        reject(new Error(`timed out waiting for ${what}; server stderr:\n${stderr}`));
      } else {
        setTimeout(tick, 10);
      }
    };
    tick();
  });
}

const settings = vscodeSettings({ strict: false, docsBaseUrl: "https://docs.example.test/errors" });

before(() => {
  server = spawn(flowqlBinary(), ["lsp"], { cwd: fixture, env: { ...process.env, FLOWQL_LOG: "warn" } });
  server.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  // Requests from the server (file watcher registration, progress tokens): accepted.
  connection.onRequest(() => null);
  connection.onNotification("textDocument/publishDiagnostics", (params: { uri: string; diagnostics: Diagnostic[] }) => {
    published.set(params.uri, [...(published.get(params.uri) ?? []), params.diagnostics]);
  });
  connection.onNotification("flowql/status", (params: { uri: string; status: Status }) => statuses.push(params));
  connection.listen();
});

after(async () => {
  await connection.sendRequest("shutdown");
  const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
  await connection.sendNotification("exit");
  assert.equal(await exited, 0, "flowql exits with 0 after shutdown and exit");
  connection.dispose();
});

test("initialize with the extension's options and capabilities", async () => {
  const result = await connection.sendRequest<{
    capabilities: { executeCommandProvider: { commands: string[] }; hoverProvider: boolean };
    serverInfo: { name: string };
  }>("initialize", {
    processId: process.pid,
    rootUri: uri(fixture),
    workspaceFolders: [{ uri: uri(fixture), name: "editors" }],
    initializationOptions: initializationOptions(settings),
    capabilities: {
      general: { positionEncodings: ["utf-16"] },
      window: { workDoneProgress: true },
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
      textDocument: {
        publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        hover: { contentFormat: ["markdown", "plaintext"] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix"] } }, dataSupport: true },
      },
      experimental: EXPERIMENTAL_CAPABILITIES,
    },
  });
  assert.equal(result.serverInfo.name, "flowql");
  assert.ok(result.capabilities.hoverProvider);
  assert.deepEqual(result.capabilities.executeCommandProvider.commands.sort(), ["flowql.explain", "flowql.explainResponse", "flowql.refreshSchemas", "flowql.runFlow"]);
  await connection.sendNotification("initialized", {});
  // What `synchronize.configurationSection: "flowql"` sends after a settings change.
  await connection.sendNotification("workspace/didChangeConfiguration", { settings: { flowql: settingsSection(settings) } });
});

test("the settings the extension sends are all understood by the server", () => {
  assert.doesNotMatch(stderr, /editor settings/, "no setting was reported unknown or mistyped");
  const options = initializationOptions(settings);
  assert.deepEqual((options.flowql.trace as { server: string }).server, "off");
  assert.equal(options.flowql.docsBaseUrl, "https://docs.example.test/errors");
});

test("a GraphQL mistake and a payload mistake become diagnostics where they are", async () => {
  await connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri: uri(operationFile), languageId: "graphql", version: 1, text: fs.readFileSync(operationFile, "utf8") },
  });
  const diagnostics = await waitFor("diagnostics of run.graphql", () => published.get(uri(operationFile))?.at(-1));
  const seen = diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]);
  assert.deepEqual(seen, [
    ["PAYLOAD_MISSING_FIELD", 3, 60, 68],
    ["PAYLOAD_UNKNOWN_FIELD", 3, 89, 95],
    ["UNKNOWN_FIELD", 6, 4, 9],
  ]);
  assert.match(diagnostics[1].message, /did you mean `bullets`/);
  assert.equal(diagnostics[2].codeDescription?.href, "https://docs.example.test/errors#UNKNOWN_FIELD");
});

test("hover explains a payload field and a diagnostic", async () => {
  const onKey = await connection.sendRequest<{ contents: { value: string } }>("textDocument/hover", {
    textDocument: { uri: uri(operationFile) },
    position: { line: 3, character: 62 },
  });
  assert.match(onKey.contents.value, /audience/);
  const onField = await connection.sendRequest<{ contents: { value: string } }>("textDocument/hover", {
    textDocument: { uri: uri(operationFile) },
    position: { line: 6, character: 6 },
  });
  assert.match(onField.contents.value, /UNKNOWN_FIELD/);
});

interface Edit {
  range: Diagnostic["range"];
  newText: string;
}

/** Applies text edits to ASCII text (UTF-16 columns are byte columns there). */
function applyEdits(text: string, edits: Edit[]): string {
  const lines = text.split("\n");
  const offset = (p: { line: number; character: number }): number =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

test("the quick fix renames the mistyped payload key", async () => {
  const diagnostics = published.get(uri(operationFile))!.at(-1)!;
  const unknown = diagnostics.find((d) => d.code === "PAYLOAD_UNKNOWN_FIELD")!;
  const actions = await connection.sendRequest<
    { title: string; kind: string; edit: { changes: Record<string, Edit[]> } }[]
  >("textDocument/codeAction", {
    textDocument: { uri: uri(operationFile) },
    range: unknown.range,
    context: { diagnostics: [unknown], only: ["quickfix"] },
  });
  const rename = actions.find((a) => a.title.includes("bullets"));
  assert.ok(rename, `a rename among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(rename.kind, "quickfix");
  const fixed = applyEdits(fs.readFileSync(operationFile, "utf8"), rename.edit.changes[uri(operationFile)]);
  assert.equal(
    fixed.split("\n")[3],
    '    payload: { url: "https://example.com/a", maxWords: 120, audience: { level: "expert", bullets: true } }',
  );
  await connection.sendNotification("textDocument/didChange", {
    textDocument: { uri: uri(operationFile), version: 2 },
    contentChanges: [{ text: fixed }],
  });
  const after = await waitFor("diagnostics after the fix", () => {
    const all = published.get(uri(operationFile))!;
    return all.length >= 2 ? all.at(-1) : undefined;
  });
  assert.deepEqual(
    after.map((d) => d.code),
    ["UNKNOWN_FIELD"],
  );
});

test("the status item learns where the schema comes from", async () => {
  const sent = await waitFor("a flowql/status notification", () => statuses.find((s) => s.uri === uri(operationFile)));
  assert.equal(sent.status.schema.kind, "bundled");
  assert.equal(sent.status.config, path.join(fixture, ".graphqlrc.yml"));
  assert.equal(sent.status.flows.count, 1);
  const asked = await connection.sendRequest<Status>("flowql/status", { uri: uri(operationFile) });
  assert.equal(asked.schema.summary, "bundled");
});

test("payload files found by `flowql status --json` are handed over and checked", async () => {
  // What the extension runs to build its document selector.
  const status = JSON.parse(execFileSync(flowqlBinary(), ["status", "--json", fixture], { encoding: "utf8" })) as Status;
  const selector = documentSelector(status.jsonGlobs);
  const matching = selector.filter((f) => f.language === "json" && f.pattern && minimatch(payloadFile, f.pattern));
  assert.ok(matching.length > 0, `payloads/short.json matches ${JSON.stringify(status.jsonGlobs)}`);
  await connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri: uri(payloadFile), languageId: "json", version: 1, text: fs.readFileSync(payloadFile, "utf8") },
  });
  const diagnostics = await waitFor("diagnostics of short.json", () => published.get(uri(payloadFile))?.at(-1));
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
    [["PAYLOAD_TYPE_MISMATCH", 2, 14]],
  );
});

test("GraphQL inside JavaScript is handed over and checked at its place in the file", async () => {
  const selector = documentSelector([]);
  for (const language of ["javascript", "typescript", "typescriptreact", "python"]) {
    assert.ok(selector.some((f) => f.language === language), `${language} in the selector`);
  }
  const codeFile = path.join(fixture, "app.js");
  await connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri: uri(codeFile), languageId: "javascript", version: 1, text: fs.readFileSync(codeFile, "utf8") },
  });
  const diagnostics = await waitFor("diagnostics of app.js", () => published.get(uri(codeFile))?.at(-1));
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
    [["UNKNOWN_FIELD", 3, 64]],
  );
});

test("the explain command answers one code and the list", async () => {
  const markdown = await connection.sendRequest<string>("workspace/executeCommand", {
    command: "flowql.explain",
    arguments: ["PAYLOAD_TYPE_MISMATCH"],
  });
  assert.match(markdown, /^# `PAYLOAD_TYPE_MISMATCH`/);
  const list = await connection.sendRequest<{ code: string }[]>("workspace/executeCommand", {
    command: "flowql.explain",
    arguments: [],
  });
  assert.ok(list.some((c) => c.code === "UNAUTHORIZED"));
});
