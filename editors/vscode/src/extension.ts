// The VS Code extension: starts `flowql lsp` over stdio with vscode-languageclient, passes the
// `flowql.*` settings, shows where the schema comes from in a language status item, and offers
// the commands refresh, restart, show output and explain; runs flows from their "Run" lens and
// explains saved answers (see run.ts), each report in a read-only document.
import { execFile } from "node:child_process";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  ClientCapabilities,
  ExecuteCommandRequest,
  FeatureState,
  LanguageClient,
  LanguageClientOptions,
  Location,
  Position,
  ServerOptions,
  StaticFeature,
} from "vscode-languageclient/node";
import { findServer, Found, Lookup } from "./binary";
import { looksLikeAnswer, payloadProblem, reportName, RunResult } from "./run";
import { documentSelector, EXPERIMENTAL_CAPABILITIES, initializationOptions } from "./settings";
import { Status, statusView } from "./status";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let statusItem: vscode.LanguageStatusItem | undefined;
const statuses = new Map<string, Status>();
let jsonGlobsInUse: string[] = [];

/** Asks the server for `flowql/status` notifications (an experimental client capability). */
class StatusFeature implements StaticFeature {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    capabilities.experimental = { ...(capabilities.experimental as object | undefined), ...EXPERIMENTAL_CAPABILITIES };
  }
  initialize(): void {}
  getState(): FeatureState {
    return { kind: "static" };
  }
  clear(): void {}
}

/** Where to look for flowql in this window. */
function lookup(context: vscode.ExtensionContext): Lookup {
  return {
    setting: setting("path") as string | undefined,
    extensionDir: context.extensionPath,
    env: process.env,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath),
    home: os.homedir(),
    remoteName: vscode.env.remoteName,
  };
}

function setting(key: string): unknown {
  return vscode.workspace.getConfiguration("flowql").get(key);
}

/** The JSON files the configurations of the open folders check, from `flowql status --json`. */
async function jsonGlobs(server: Found): Promise<string[]> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const globs = await Promise.all(
    folders.map(
      (folder) =>
        new Promise<string[]>((resolve) => {
          execFile(server.path, ["status", "--json", folder.uri.fsPath], { timeout: 5000 }, (error, stdout) => {
            if (error) {
              output.appendLine(`flowql status failed in ${folder.uri.fsPath}: ${error.message}`);
              resolve([]);
              return;
            }
            try {
              resolve((JSON.parse(stdout) as Status).jsonGlobs);
            } catch {
              resolve([]);
            }
          });
        }),
    ),
  );
  return [...new Set(globs.flat())].sort();
}

function showStatus(editor: vscode.TextEditor | undefined): void {
  if (!statusItem || !editor) {
    return;
  }
  const status = statuses.get(editor.document.uri.toString());
  if (!status) {
    void requestStatus(editor.document.uri);
    return;
  }
  const view = statusView(status);
  statusItem.text = view.text;
  statusItem.detail = view.detail;
  statusItem.severity =
    view.level === "error"
      ? vscode.LanguageStatusSeverity.Error
      : view.level === "warning"
        ? vscode.LanguageStatusSeverity.Warning
        : vscode.LanguageStatusSeverity.Information;
}

async function requestStatus(uri: vscode.Uri): Promise<void> {
  if (!client?.isRunning()) {
    return;
  }
  try {
    const status = await client.sendRequest<Status>("flowql/status", { uri: uri.toString() });
    statuses.set(uri.toString(), status);
    if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) {
      showStatus(vscode.window.activeTextEditor);
    }
  } catch (error) {
    output.appendLine(`flowql/status failed: ${String(error)}`);
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const found = findServer(lookup(context));
  if (!("path" in found)) {
    output.appendLine(found.message);
    // In a remote window the setting that applies lives in the Remote settings.
    const open = vscode.env.remoteName ? "Open Remote Settings" : "Open Settings";
    const choice = await vscode.window.showErrorMessage(found.message, open);
    if (choice === "Open Remote Settings") {
      await vscode.commands.executeCommand("workbench.action.openRemoteSettings");
    } else if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "flowql.path");
    }
    return;
  }
  if (found.note) {
    output.appendLine(found.note);
  }
  output.appendLine(`flowql: ${found.path} (from ${found.source})`);
  jsonGlobsInUse = await jsonGlobs(found);
  const selector = documentSelector(jsonGlobsInUse);
  const serverOptions: ServerOptions = {
    command: found.path,
    args: ["lsp"],
    options: { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, env: process.env },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    initializationOptions: initializationOptions(setting),
    synchronize: { configurationSection: "flowql" },
    outputChannel: output,
  };
  client = new LanguageClient("flowql", "flowql", serverOptions, clientOptions);
  client.registerFeature(new StatusFeature());
  context.subscriptions.push(
    client.onNotification("flowql/status", (params: { uri: string; status: Status }) => {
      statuses.set(params.uri, params.status);
      if (vscode.window.activeTextEditor?.document.uri.toString() === params.uri) {
        showStatus(vscode.window.activeTextEditor);
      }
    }),
  );
  statusItem?.dispose();
  statusItem = vscode.languages.createLanguageStatusItem("flowql.schema", selector);
  statusItem.name = "flowql schema";
  statusItem.text = "flowql: starting";
  statusItem.command = { title: "Refresh", command: "flowql.refresh" };
  await client.start();
  showStatus(vscode.window.activeTextEditor);
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  statuses.clear();
  if (client) {
    const old = client;
    client = undefined;
    await old.stop().catch((error: unknown) => output.appendLine(`stopping flowql: ${String(error)}`));
  }
  await startClient(context);
}

interface CodeSummary {
  code: string;
  title: string;
  status: string;
}

async function explain(code?: string): Promise<void> {
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage("flowql is not running; see its output.");
    return;
  }
  let wanted = code;
  if (!wanted) {
    const list: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
      command: "flowql.explain",
      arguments: [],
    });
    const picked = await vscode.window.showQuickPick(
      (list as CodeSummary[]).map((c) => ({ label: c.code, description: c.status, detail: c.title })),
      { placeHolder: "Error code to explain", matchOnDetail: true },
    );
    wanted = picked?.label;
  }
  if (!wanted) {
    return;
  }
  const markdown: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
    command: "flowql.explain",
    arguments: [wanted],
  });
  const doc = await vscode.workspace.openTextDocument({ language: "markdown", content: String(markdown) });
  await vscode.commands.executeCommand("markdown.showPreview", doc.uri);
}

/** The reports of runs and explained answers, by the URI of their read-only document. */
const REPORT_SCHEME = "flowql-report";
const reports = new Map<string, string>();
let reportCount = 0;

async function showReport(title: string, markdown: string): Promise<void> {
  reportCount += 1;
  const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${reportName(title, reportCount)}` });
  reports.set(uri.toString(), markdown);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

async function serverCommand(command: string, args: unknown[]): Promise<RunResult | undefined> {
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage("flowql is not running; see its output.");
    return undefined;
  }
  try {
    return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as RunResult;
  } catch (error) {
    void vscode.window.showErrorMessage(`flowql: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** The "Run" lens: the server runs the call (progress and Cancel are its own); a payload is
 * asked for when the call does not write one out. */
async function runFlow(uri: string, position: Position, extra: Record<string, unknown> = {}): Promise<void> {
  const result = await serverCommand("flowql.runFlow", [{ uri, position, ...extra }]);
  if (!result) {
    return;
  }
  if (result.kind === "needsPayload") {
    const text = await vscode.window.showInputBox({
      title: `Payload for ${result.title}`,
      prompt: `${result.reason}. Type the payload as JSON.`,
      value: "{}",
      ignoreFocusOut: true,
      validateInput: payloadProblem,
    });
    if (text !== undefined) {
      await runFlow(uri, position, { ...extra, payload: JSON.parse(text) as unknown });
    }
    return;
  }
  if (result.kind === "notSent" && result.canForce) {
    const choice = await vscode.window.showWarningMessage(
      `flowql did not send ${result.title}: the flow's input schema rejects the payload.`,
      "Show why",
      "Send anyway",
    );
    if (choice === "Send anyway") {
      await runFlow(uri, position, { ...extra, anyway: true });
      return;
    }
    if (choice !== "Show why") {
      return;
    }
  }
  await showReport(result.title, result.markdown);
}

/** Explains a saved answer: the file of the lens, or the active editor's text (a JSON body or
 * `curl -i` output) from the palette. */
async function explainAnswer(uri?: string): Promise<void> {
  // The text as the editor has it (unsaved changes too); the server reads a file otherwise.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) ?? vscode.window.activeTextEditor?.document;
  const args = open ? [{ text: open.getText() }] : uri ? [uri] : undefined;
  if (!args) {
    void vscode.window.showInformationMessage("Open a saved answer of the endpoint (a JSON body or curl -i output) first.");
    return;
  }
  const result = await serverCommand("flowql.explainResponse", args);
  if (result?.kind === "report") {
    await showReport(result.title, result.markdown);
  }
}

/** Peeks the locations a code lens names (arguments as the server sends them). */
async function showLocations(uri: string, position: Position, locations: Location[]): Promise<void> {
  if (!client) {
    return;
  }
  const convert = client.protocol2CodeConverter;
  await vscode.commands.executeCommand(
    "editor.action.showReferences",
    vscode.Uri.parse(uri),
    convert.asPosition(position),
    locations.map((l) => convert.asLocation(l)),
  );
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("flowql");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("flowql.refresh", async () => {
      if (client?.isRunning()) {
        await client.sendRequest(ExecuteCommandRequest.type, { command: "flowql.refreshSchemas", arguments: [] });
      }
    }),
    vscode.commands.registerCommand("flowql.restartServer", () => restart(context)),
    vscode.commands.registerCommand("flowql.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("flowql.explainCode", (code?: string) => explain(code)),
    // The code lenses' command: the flow a call runs, or the calls of a flow file, peeked.
    vscode.commands.registerCommand("flowql.showLocations", showLocations),
    vscode.commands.registerCommand("flowql.run", runFlow),
    vscode.commands.registerCommand("flowql.explainAnswer", explainAnswer),
    // JSON files are not all handed to the server: the lens over a saved answer is ours.
    vscode.languages.registerCodeLensProvider(
      { language: "json" },
      {
        provideCodeLenses: (doc) =>
          looksLikeAnswer(doc.getText())
            ? [
                new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
                  title: "Explain this answer",
                  command: "flowql.explainAnswer",
                  arguments: [doc.uri.toString()],
                }),
              ]
            : [],
      },
    ),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, {
      provideTextDocumentContent: (uri) => reports.get(uri.toString()) ?? "",
    }),
    vscode.window.onDidChangeActiveTextEditor(showStatus),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("flowql.path")) {
        await restart(context);
      }
    }),
  );
  // A new or changed configuration may add payload files: hand them to the server too.
  const watcher = vscode.workspace.createFileSystemWatcher("**/{.graphqlrc*,graphql.config.*}");
  const configChanged = async (): Promise<void> => {
    const found = findServer(lookup(context));
    if ("path" in found && (await jsonGlobs(found)).join("\n") !== jsonGlobsInUse.join("\n")) {
      await restart(context);
    }
  };
  context.subscriptions.push(
    watcher,
    watcher.onDidCreate(configChanged),
    watcher.onDidChange(configChanged),
    watcher.onDidDelete(configChanged),
  );
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  statusItem?.dispose();
  await client?.stop();
}
