// How the extension finds flowql: the setting, then the binary shipped in the extension, then
// the workspace's node_modules, PATH and ~/.cargo/bin; and the one message it shows when there
// is none, which in a remote window names the settings that apply there.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { findServer, INSTALL_HINT, npmPlatformPackage } from "../src/binary";

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
  assert.deepEqual(findServer({ setting: configured, extensionDir: path.join(root, "ext"), env: { PATH: onPath }, platform: "linux" }), {
    path: configured,
    source: "setting",
  });
});

test("a setting that names no executable is an error, not a silent fallback", () => {
  const root = tempDir();
  executable(path.join(root, "ext", "bin"));
  const missing = path.join(root, "nowhere", "flowql");
  const found = findServer({ setting: missing, extensionDir: path.join(root, "ext"), env: {}, platform: "linux" });
  assert.ok("message" in found);
  assert.match(found.message, /flowql\.path is set to .*nowhere/);
  const notExecutable = path.join(root, "plain");
  fs.writeFileSync(notExecutable, "");
  assert.ok("message" in findServer({ setting: notExecutable, extensionDir: path.join(root, "ext"), env: {}, platform: "linux" }));
});

test("the binary shipped in a per-platform package comes next, then PATH", () => {
  const root = tempDir();
  const shipped = executable(path.join(root, "ext", "bin"));
  const onPath = path.join(root, "path");
  const pathBinary = executable(onPath);
  assert.deepEqual(findServer({ setting: "", extensionDir: path.join(root, "ext"), env: { PATH: onPath }, platform: "linux" }), { path: shipped, source: "extension" });
  assert.deepEqual(findServer({ setting: undefined, extensionDir: path.join(root, "other"), env: { PATH: `/nonexistent${path.delimiter}${onPath}` }, platform: "linux" }), {
    path: pathBinary,
    source: "PATH",
  });
});

test("a shipped binary that lost its executable bit when unpacked gets it back", () => {
  const root = tempDir();
  const shipped = executable(path.join(root, "ext", "bin"));
  fs.chmodSync(shipped, 0o644);
  assert.deepEqual(findServer({ setting: undefined, extensionDir: path.join(root, "ext"), env: {}, platform: "linux" }), { path: shipped, source: "extension" });
  assert.equal(fs.statSync(shipped).mode & 0o111, 0o111);
});

test("on Windows the binary is flowql.exe", () => {
  const root = tempDir();
  const shipped = executable(path.join(root, "ext", "bin"), "flowql.exe");
  assert.deepEqual(findServer({ setting: undefined, extensionDir: path.join(root, "ext"), env: {}, platform: "win32" }), { path: shipped, source: "extension" });
});

test("with no binary anywhere, one message says how to install it", () => {
  const root = tempDir();
  const found = findServer({ setting: undefined, extensionDir: path.join(root, "ext"), env: { PATH: path.join(root, "empty") }, platform: "linux" });
  assert.ok("message" in found);
  assert.ok(found.message.endsWith(INSTALL_HINT));
  assert.match(found.message, /cargo install/);
});

test("an npm install in the workspace comes after the shipped binary and before PATH", () => {
  const root = tempDir();
  const folder = path.join(root, "app");
  const onPath = path.join(root, "path");
  executable(onPath);
  const launcher = executable(path.join(folder, "node_modules", ".bin"));
  const base = { extensionDir: path.join(root, "ext"), env: { PATH: onPath }, platform: "linux" as const, arch: "x64" };
  assert.deepEqual(findServer({ ...base, setting: "", workspaceFolders: [path.join(root, "other"), folder] }), {
    path: launcher,
    source: "workspace",
  });
  // The platform package's own binary is preferred to the Node launcher in .bin.
  const native = executable(path.join(folder, "node_modules", "@flowql", "linux-x64", "bin"));
  assert.equal(npmPlatformPackage("linux", "x64"), "@flowql/linux-x64");
  assert.deepEqual(findServer({ ...base, setting: undefined, workspaceFolders: [folder] }), { path: native, source: "workspace" });
  const shipped = executable(path.join(root, "ext", "bin"));
  assert.deepEqual(findServer({ ...base, setting: undefined, workspaceFolders: [folder] }), { path: shipped, source: "extension" });
});

test("cargo's bin folder is the last place looked, for a PATH that lacks it", () => {
  const root = tempDir();
  const cargo = executable(path.join(root, "home", ".cargo", "bin"));
  const base = { setting: undefined, extensionDir: path.join(root, "ext"), platform: "linux" as const };
  assert.deepEqual(findServer({ ...base, env: {}, home: path.join(root, "home") }), { path: cargo, source: "cargo" });
  const onPath = executable(path.join(root, "path"));
  assert.deepEqual(findServer({ ...base, env: { PATH: path.dirname(onPath) }, home: path.join(root, "home") }), {
    path: onPath,
    source: "PATH",
  });
});

test("in a remote window the message names the Remote settings, not the User settings", () => {
  const root = tempDir();
  const base = { setting: undefined, extensionDir: path.join(root, "ext"), env: {}, platform: "linux" as const };
  const local = findServer(base);
  assert.ok("message" in local);
  assert.doesNotMatch(local.message, /Remote settings/);
  const remote = findServer({ ...base, remoteName: "ssh-remote" });
  assert.ok("message" in remote);
  assert.match(remote.message, /remote window \(ssh-remote\).*Remote settings.*your own machine, not here/);
  assert.ok(remote.message.endsWith(INSTALL_HINT));
});

test("in a remote window a path from the user's own machine does not hide the shipped binary", () => {
  const root = tempDir();
  const shipped = executable(path.join(root, "ext", "bin"));
  const stale = "/Users/someone/.cargo/bin/flowql";
  const base = { setting: stale, extensionDir: path.join(root, "ext"), env: {}, platform: "linux" as const };
  // Locally a wrong path is an error, as the setting asks for that binary and no other...
  assert.ok("message" in findServer(base));
  // ...but in a remote window it is passed over, and the output says so.
  const found = findServer({ ...base, remoteName: "ssh-remote" });
  assert.ok("path" in found);
  assert.equal(found.path, shipped);
  assert.match(found.note ?? "", /not an executable file on this remote machine \(ssh-remote\)/);
  fs.rmSync(shipped);
  const missing = findServer({ ...base, remoteName: "ssh-remote" });
  assert.ok("message" in missing);
  assert.match(missing.message, new RegExp(`^flowql.path \\(${stale}\\) is not an executable file here`));
});
