// How the extension finds flowql: the setting, then the binary shipped in the extension, then
// PATH; and the one message it shows when there is none.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { findServer, INSTALL_HINT } from "../src/binary";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "flowql-binary-"));
}

function executable(dir: string, name = "flowql"): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, "#!/bin/sh\n");
  fs.chmodSync(file, 0o755);
  return file;
}

test("the setting wins over the shipped binary and PATH", () => {
  const root = tempDir();
  const configured = executable(path.join(root, "custom"));
  executable(path.join(root, "ext", "bin"));
  const onPath = path.join(root, "path");
  executable(onPath);
  assert.deepEqual(findServer(configured, path.join(root, "ext"), { PATH: onPath }, "linux"), {
    path: configured,
    source: "setting",
  });
});

test("a setting that names no executable is an error, not a silent fallback", () => {
  const root = tempDir();
  executable(path.join(root, "ext", "bin"));
  const missing = path.join(root, "nowhere", "flowql");
  const found = findServer(missing, path.join(root, "ext"), {}, "linux");
  assert.ok("message" in found);
  assert.match(found.message, /flowql\.path is set to .*nowhere/);
  const notExecutable = path.join(root, "plain");
  fs.writeFileSync(notExecutable, "");
  assert.ok("message" in findServer(notExecutable, path.join(root, "ext"), {}, "linux"));
});

test("the binary shipped in a per-platform package comes next, then PATH", () => {
  const root = tempDir();
  const shipped = executable(path.join(root, "ext", "bin"));
  const onPath = path.join(root, "path");
  const pathBinary = executable(onPath);
  assert.deepEqual(findServer("", path.join(root, "ext"), { PATH: onPath }, "linux"), { path: shipped, source: "extension" });
  assert.deepEqual(findServer(undefined, path.join(root, "other"), { PATH: `/nonexistent${path.delimiter}${onPath}` }, "linux"), {
    path: pathBinary,
    source: "PATH",
  });
});

test("a shipped binary that lost its executable bit when unpacked gets it back", () => {
  const root = tempDir();
  const shipped = executable(path.join(root, "ext", "bin"));
  fs.chmodSync(shipped, 0o644);
  assert.deepEqual(findServer(undefined, path.join(root, "ext"), {}, "linux"), { path: shipped, source: "extension" });
  assert.equal(fs.statSync(shipped).mode & 0o111, 0o111);
});

test("on Windows the binary is flowql.exe", () => {
  const root = tempDir();
  const shipped = executable(path.join(root, "ext", "bin"), "flowql.exe");
  assert.deepEqual(findServer(undefined, path.join(root, "ext"), {}, "win32"), { path: shipped, source: "extension" });
});

test("with no binary anywhere, one message says how to install it", () => {
  const root = tempDir();
  const found = findServer(undefined, path.join(root, "ext"), { PATH: path.join(root, "empty") }, "linux");
  assert.ok("message" in found);
  assert.ok(found.message.endsWith(INSTALL_HINT));
  assert.match(found.message, /cargo install/);
});
