// Makes the npm packages of a release: the `flowql` launcher and one `@flowql/<target>` package
// per platform binary given (the pattern of esbuild, Biome and oxlint: npm installs only the
// optional dependency whose `os` and `cpu` match the machine).
//
//   node packaging/npm/pack.mjs --out DIR [--version 0.1.0] linux-x64=path/to/flowql ...
//
// Targets: linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64. The launcher always
// lists all five, so packages made on different machines fit together. Prints the tarballs.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const TARGETS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"];

function fail(message) {
  console.error(`pack.mjs: ${message}`);
  process.exit(2);
}

function cargoVersion() {
  const manifest = readFileSync(path.join(here, "..", "..", "server", "Cargo.toml"), "utf8");
  const version = /^version\s*=\s*"([^"]+)"/m.exec(manifest)?.[1];
  return version ?? fail("no version in server/Cargo.toml");
}

function parseArgs(argv) {
  const args = { out: undefined, version: undefined, binaries: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--out" || arg === "--version") {
      args[arg.slice(2)] = argv[++i] ?? fail(`${arg} needs a value`);
    } else if (arg.includes("=")) {
      const [target, binary] = arg.split("=", 2);
      if (!TARGETS.includes(target)) {
        fail(`unknown target ${target} (known: ${TARGETS.join(", ")})`);
      }
      args.binaries.set(target, path.resolve(binary));
    } else {
      fail(`unexpected argument ${arg}`);
    }
  }
  if (!args.out) {
    fail("usage: node packaging/npm/pack.mjs --out DIR [--version V] TARGET=BINARY ...");
  }
  return args;
}

const launcher = JSON.parse(readFileSync(path.join(here, "flowql", "package.json"), "utf8"));

function npmPack(dir, out) {
  const printed = execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: dir, encoding: "utf8" });
  return path.join(out, JSON.parse(printed)[0].filename);
}

function platformPackage(target, binary, version, stage, out) {
  const [os, cpu] = target.split("-");
  const dir = path.join(stage, target);
  const exe = os === "win32" ? "flowql.exe" : "flowql";
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  copyFileSync(binary, path.join(dir, "bin", exe));
  chmodSync(path.join(dir, "bin", exe), 0o755);
  const manifest = {
    name: `@flowql/${target}`,
    version,
    description: `The flowql binary for ${target}; installed by the \`flowql\` package.`,
    license: launcher.license,
    repository: launcher.repository,
    os: [os],
    cpu: [cpu],
    files: [`bin/${exe}`, "README.md"],
    preferUnplugged: true,
  };
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(dir, "README.md"), `The \`flowql\` binary for ${target}. Install \`flowql\`, not this package.\n`);
  return npmPack(dir, out);
}

function launcherPackage(version, stage, out) {
  const dir = path.join(stage, "flowql");
  cpSync(path.join(here, "flowql"), dir, { recursive: true });
  const manifest = {
    ...launcher,
    version,
    optionalDependencies: Object.fromEntries(TARGETS.map((target) => [`@flowql/${target}`, version])),
  };
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return npmPack(dir, out);
}

const args = parseArgs(process.argv.slice(2));
const version = args.version ?? cargoVersion();
const out = path.resolve(args.out);
const stage = path.join(out, "stage");
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const tarballs = [launcherPackage(version, stage, out)];
for (const [target, binary] of args.binaries) {
  tarballs.push(platformPackage(target, binary, version, stage, out));
}
rmSync(stage, { recursive: true, force: true });
console.log(JSON.stringify(tarballs, null, 2));
