#!/usr/bin/env node
// The `flowql` command of the npm package: runs the prebuilt binary of the platform package
// npm installed beside it (`@flowql/<platform>-<arch>`, an optional dependency whose `os` and
// `cpu` match this machine), passing the arguments, standard streams and exit code through.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const PLATFORMS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"];

function binaryPath() {
  const target = `${process.platform}-${process.arch}`;
  const exe = process.platform === "win32" ? "flowql.exe" : "flowql";
  if (process.env.FLOWQL_BINARY) {
    return process.env.FLOWQL_BINARY;
  }
  try {
    return path.join(path.dirname(require.resolve(`@flowql/${target}/package.json`)), "bin", exe);
  } catch {
    const known = PLATFORMS.includes(target)
      ? `its package @flowql/${target} is not installed: it is an optional dependency, so an install ` +
        "with --no-optional, --omit=optional or from a lock file made on another platform leaves it out; " +
        "install again without those"
      : `there is no prebuilt binary for ${target} (there are: ${PLATFORMS.join(", ")}); ` +
        "build it with `cargo install --locked --git https://github.com/flowql/flowql flowql`";
    console.error(`flowql: no binary for this platform: ${known}.`);
    process.exit(127);
  }
}

const result = spawnSync(binaryPath(), process.argv.slice(2), { stdio: "inherit", windowsHide: true });
if (result.error) {
  console.error(`flowql: cannot run ${result.error.path ?? "the binary"}: ${result.error.message}`);
  process.exit(127);
}
if (result.signal) {
  process.kill(process.pid, result.signal);
}
process.exit(result.status ?? 1);
