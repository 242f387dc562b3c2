// The end-to-end test of the extension in real VS Code (code-server 4.139, VS Code 1.139), run
// by tests/editor_vscode_real.rs. Two windows, each a fresh code-server with its own folders:
//
// 1. the per-platform .vsix (flowql inside it) on a copy of examples/: squiggles, Problems rows
//    with their codes, a hover with the HTTP status and the fix, a quick fix applied and saved,
//    the language status, and a payload diagnostic inside a TypeScript SDK call; then, in a
//    kit whose .env points at the fake platform (FLOWQL_RUN_KIT), a flow run from its "Run"
//    lens, the report in a read-only document, a run whose payload is typed in, and Go to
//    Definition from a payload key into the flow's schema, and a saved answer explained;
// 2. the universal .vsix (no binary inside) with `flowql.path` in the User settings, which a
//    remote window does not apply to a machine-overridable setting: the extension must still
//    find flowql (here: the workspace's node_modules/.bin, where `npm i -D flowql` puts it)
//    and, once that is gone too, say which settings file to edit.
//
// Usage: node run.mjs  (environment: FLOWQL_VSIX_PLATFORM, FLOWQL_VSIX_UNIVERSAL, FLOWQL_BIN,
// FLOWQL_EXAMPLES, FLOWQL_RUN_KIT, FLOWQL_E2E_OUT, CHROMIUM). Prints one `ok <check>` line per check passed
// and exits with 1 at the first failure, after a screenshot of the window.
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as codeServer from "./code_server.mjs";
import { openBrowser, Workbench } from "./workbench.mjs";

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`run.mjs: ${name} is not set`);
    process.exit(2);
  }
  return value;
};
const out = env("FLOWQL_E2E_OUT");
const chromiumPath = env("CHROMIUM");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function ok(check, detail) {
  console.log(`ok ${check}: ${detail.replace(/\s+/g, " ").slice(0, 300)}`);
}

function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const QUIET_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "git.openRepositoryInParentFolders": "never",
  // The built-in TypeScript server would compete with flowql for two cores; its own
  // diagnostics are not what this test reads.
  "typescript.validate.enable": false,
  "typescript.tsserver.experimental.enableProjectDiagnostics": false,
};

/** The file's text once it contains `wanted`, or as it is after 10 s. */
async function fileSettles(file, wanted) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = readFileSync(file, "utf8");
    if (text.includes(wanted) || Date.now() > deadline) {
      return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function withWindow(name, vsix, settings, workspace, body) {
  const instance = codeServer.layout(path.join(out, name));
  codeServer.installExtension(instance, vsix);
  codeServer.writeUserSettings(instance, { ...QUIET_SETTINGS, ...settings });
  const server = await codeServer.start(instance);
  const browser = await openBrowser(chromiumPath, path.join(instance.dirs.root, "chromium"));
  const page = browser.pages()[0] ?? (await browser.newPage());
  const bench = new Workbench(page, path.join(out, "screenshots", name));
  try {
    await bench.open(server.url, workspace);
    await body(bench);
  } catch (error) {
    await bench.screenshot("failure").catch(() => {});
    writeFileSync(path.join(out, `${name}-code-server.log`), server.log());
    throw error;
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
}

/** A copy of examples/ the test may edit (the quick fix saves a file). */
function copyExamples(to) {
  rmSync(to, { recursive: true, force: true });
  cpSync(env("FLOWQL_EXAMPLES"), to, { recursive: true });
  return to;
}

async function bundled() {
  const workspace = copyExamples(path.join(out, "workspace-bundled"));
  cpSync(env("FLOWQL_RUN_KIT"), path.join(workspace, "kits", "runnable"), { recursive: true });
  await withWindow("bundled", env("FLOWQL_VSIX_PLATFORM"), {}, workspace, async (bench) => {
    await bench.openFile("operations/mistakes.graphql");
    const errors = await bench.squiggles("error", 3);
    const warnings = await bench.squiggles("warning", 1);
    ok("squiggles", `${errors} error and ${warnings} warning squiggles in mistakes.graphql`);
    const started = await bench.output("flowql: Show output", /\(from extension\)/);
    ok("bundled binary", started.match(/flowql: \S+ \(from extension\)/)?.[0] ?? started);
    await bench.screenshot("mistakes-squiggles");

    const rows = await bench.problems(/QUERY_FIELD_IN_MUTATION/);
    const flowqlRows = rows.filter((row) => /flowql/.test(row));
    for (const code of ["QUERY_FIELD_IN_MUTATION", "VARIABLE_TYPE_MISMATCH", "UNKNOWN_FIELD", "STREAM_AS_QUERY"]) {
      expect(flowqlRows.some((row) => row.includes(code)), `no Problems row with ${code}:\n${rows.join("\n")}`);
    }
    ok("problems", `${flowqlRows.length} flowql rows, among them: ${flowqlRows.slice(0, 3).join(" | ")}`);
    await bench.screenshot("problems-panel");

    // `mutation RunAsMutation` ... `executeWorkflow` on line 5: the diagnostic's hover.
    const hover = await bench.hoverAt(5, 6, /HTTP 400/);
    expect(/query/.test(hover), `the hover does not give the fix:\n${hover}`);
    ok("hover", hover);
    await bench.screenshot("hover-http-status");
    await bench.page.keyboard.press("Escape");

    const status = await bench.languageStatus(/flowql: schema/);
    ok("language status", status);
    await bench.screenshot("language-status");
    await bench.page.keyboard.press("Escape");

    const titles = await bench.quickFix(17, 5, "Change `checkStatuz` to `checkStatus`");
    await bench.editorShows("checkStatus(requestId");
    await bench.save();
    const saved = await fileSettles(path.join(workspace, "operations", "mistakes.graphql"), "checkStatus(requestId");
    expect(saved.includes("  checkStatus(requestId") && !saved.includes("checkStatuz"), `the fix was not saved:\n${saved}`);
    ok("quick fix", `offered ${titles.join(" | ")}; applied and saved`);
    await bench.page.waitForTimeout(1500);
    await bench.screenshot("quick-fix-applied");

    await bench.openFile("kits/debate-coach/apps/actions/debate.ts");
    await bench.squiggles("error", 1);
    const tsRows = await bench.problems(/PAYLOAD_TYPE_MISMATCH.*rounds|rounds.*PAYLOAD_TYPE_MISMATCH/);
    const payloadRows = tsRows.filter((row) => /debate|PAYLOAD_/.test(row));
    for (const code of ["PAYLOAD_TYPE_MISMATCH", "PAYLOAD_CONSTRAINT", "PAYLOAD_MISSING_FIELD"]) {
      expect(tsRows.some((row) => row.includes(code)), `no Problems row with ${code} for debate.ts:\n${tsRows.join("\n")}`);
    }
    // The inlay hint after the flow id: the name of the flow it runs, in the line's text.
    await bench.editorShows('requireFlowId("debate-setup")Debate setup');
    ok("inlay hint", 'requireFlowId("debate-setup") is followed by "Debate setup"');
    const tsHover = await bench.hoverAt(12, 78, /HTTP 400/);
    ok("typescript sdk call", `${payloadRows.length} payload rows; hover: ${tsHover}`);
    await bench.screenshot("typescript-sdk-call");
    await bench.page.keyboard.press("Escape");

    // The lens opens the flow's trigger in its flow file.
    const lens = await bench.codeLens(/Debate setup · 3 inputs · realtime/, /debate-setup\.ts.*Locations \(1\)/);
    ok("code lens", `${lens.title} opened ${lens.peek}`);
    await bench.screenshot("code-lens-peek");
    await bench.page.keyboard.press("Escape");

    // Run a flow from its lens: the fake platform answers; the report opens read-only.
    await bench.openFile("kits/runnable/app/route.ts");
    await bench.clickLens("Run", 0);
    const report = await bench.activeEditorShows("Finished");
    expect(report.includes("A short summary."), `the report does not hold the result:\n${report}`);
    await bench.page.keyboard.type("x");
    await bench.page.waitForTimeout(500);
    const after = await bench.activeEditorShows("Finished");
    expect(!after.startsWith("x"), `the report could be edited:\n${after}`);
    ok("run lens", report.slice(0, 200));
    await bench.screenshot("run-report");

    // A call whose payload is only known at run time: a payload is asked for, then sent.
    await bench.openFile("kits/runnable/app/route.ts");
    await bench.clickLens("Run", 2);
    const prompt = await bench.answerInput('{"url": "https://typed.example", "maxWords": 2}', /Type the payload as JSON/);
    const typed = await bench.activeEditorShows("typed.example");
    ok("payload asked", `${prompt.slice(0, 120)} -> ${typed.slice(0, 120)}`);
    await bench.screenshot("run-typed-payload");

    // Go to Definition on a payload key opens the flow's schema, at the field (the reports
    // are closed first: the editor group they opened in would take the keyboard).
    await bench.command("View: Close All Editors");
    await bench.openFile("kits/runnable/app/route.ts");
    const line5 = readFileSync(path.join(workspace, "kits", "runnable", "app", "route.ts"), "utf8").split("\n")[4];
    await bench.goto(5, line5.indexOf("maxWords") + 2);
    await bench.command("Go to Definition");
    // TypeScript's own server answers too (the key itself), so VS Code may peek both.
    await bench.someText(".peekview-widget .monaco-list-row, .tabs-container .tab.active", /summarize\.ts/, 30_000);
    const shown = await bench.page.locator(".peekview-widget .monaco-list-row, .tabs-container .tab.active").allTextContents();
    ok("field definition", `route.ts:5 maxWords -> ${shown.filter((t) => /summarize/.test(t)).join(" | ")}`);
    await bench.screenshot("field-definition");
    await bench.page.keyboard.press("Escape");

    // A saved answer of the endpoint: its lens explains it with the catalog.
    writeFileSync(
      path.join(workspace, "kits", "runnable", "answer.json"),
      '{"data": {"executeWorkflow": null}, "errors": [{"message": "Workflow 123 not found", "extensions": {"code": "NOT_FOUND"}}]}\n',
    );
    await bench.command("View: Close All Editors");
    await bench.openFile("kits/runnable/answer.json");
    await bench.clickLens("Explain this answer");
    const explained = await bench.activeEditorShows("FLOW_NOT_FOUND");
    ok("answer explained", explained.slice(0, 160));
    await bench.screenshot("answer-explained");
  });
}

async function remote() {
  const workspace = copyExamples(path.join(out, "workspace-remote"));
  // `npm i -D flowql` puts a launcher in node_modules/.bin; a link to the binary stands in.
  const bin = path.join(workspace, "node_modules", ".bin");
  mkdirSync(bin, { recursive: true });
  symlinkSync(env("FLOWQL_BIN"), path.join(bin, "flowql"));
  // A path valid on the user's own machine, set in the User settings, as users do.
  const settings = { "flowql.path": "/nonexistent/local/machine/flowql" };
  await withWindow("remote", env("FLOWQL_VSIX_UNIVERSAL"), settings, workspace, async (bench) => {
    await bench.openFile("operations/mistakes.graphql");
    await bench.squiggles("error", 3);
    const started = await bench.output("flowql: Show output", /\(from workspace\)/);
    ok("remote window", started.match(/flowql: \S+ \(from workspace\)/)?.[0] ?? started);
    await bench.screenshot("remote-found-in-node-modules");
  });
  rmSync(path.join(workspace, "node_modules"), { recursive: true, force: true });
  await withWindow("remote-missing", env("FLOWQL_VSIX_UNIVERSAL"), settings, workspace, async (bench) => {
    await bench.openFile("operations/mistakes.graphql");
    const notes = await bench.notifications(/remote window .*Remote settings/);
    ok("remote window without flowql", notes.join(" | "));
    await bench.screenshot("remote-missing-message");
  });
}

// A stuck step fails the run instead of hanging the test.
setTimeout(() => {
  console.error("FAILED: the run took more than 10 minutes");
  process.exit(1);
}, 600_000).unref();

try {
  await bundled();
  await remote();
  console.log("all checks passed");
} catch (error) {
  console.error(`FAILED: ${error.stack ?? error}`);
  process.exit(1);
}
