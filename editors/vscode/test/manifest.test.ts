// The packaged .vsix (made by `npm run package`): what it contains, and that its manifest is
// the one in the repository with its settings, commands and activation events.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import * as yauzl from "yauzl";
import manifest from "../package.json";

const vsix = path.resolve(__dirname, "..", "..", "dist", "flowql.vsix");

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) {
        reject(error);
        return;
      }
      const entries = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) {
            reject(streamError);
            return;
          }
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

test("the package holds the bundle, the manifest, the docs and the icon, and nothing else", async () => {
  assert.ok(fs.existsSync(vsix), `${vsix} is missing: run \`npm run package\``);
  const entries = await readZip(vsix);
  const names = [...entries.keys()].sort();
  assert.deepEqual(names, [
    "[Content_Types].xml",
    "extension.vsixmanifest",
    "extension/LICENSE.txt",
    "extension/changelog.md",
    "extension/dist/extension.js",
    "extension/images/icon.png",
    "extension/package.json",
    "extension/readme.md",
  ]);
  const bundle = entries.get("extension/dist/extension.js")!.toString("utf8");
  // vscode-languageclient is inside the bundle: the only module left to load is `vscode`.
  assert.doesNotMatch(bundle, /require\(["']vscode-languageclient/);
  assert.match(bundle, /require\(["']vscode["']\)/);
  const icon = entries.get("extension/images/icon.png")!;
  assert.deepEqual([...icon.subarray(1, 4)], [...Buffer.from("PNG")]);
});

test("the packaged manifest declares what the extension needs", async () => {
  const entries = await readZip(vsix);
  const packaged = JSON.parse(entries.get("extension/package.json")!.toString("utf8")) as typeof manifest;
  assert.deepEqual(packaged.contributes, manifest.contributes);
  assert.equal(packaged.main, "./dist/extension.js");
  assert.ok(packaged.activationEvents.includes("onLanguage:graphql"));
  assert.ok(packaged.activationEvents.some((e) => e.startsWith("workspaceContains:") && e.includes(".graphqlrc")));
  // Projects of the platform's layout have no graphql-config file.
  assert.ok(packaged.activationEvents.some((e) => e.startsWith("workspaceContains:") && e.includes("lamatic.config")));
  const commands = packaged.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(commands, ["flowql.explainAnswer", "flowql.explainCode", "flowql.refresh", "flowql.restartServer", "flowql.showOutput"]);
  const settings = Object.keys(packaged.contributes.configuration.properties);
  for (const wanted of ["flowql.path", "flowql.endpoint", "flowql.projectId", "flowql.apiKeyEnv", "flowql.offline", "flowql.strict", "flowql.trace.server"]) {
    assert.ok(settings.includes(wanted), `${wanted} in ${settings.join(", ")}`);
  }
  const vsixManifest = entries.get("extension.vsixmanifest")!.toString("utf8");
  assert.match(vsixManifest, /<Identity [^>]*Id="flowql"[^>]*Publisher="flowql"/);
  assert.match(vsixManifest, /Microsoft\.VisualStudio\.Code\.Engine" Value="\^1\.82\.0"/);
});
