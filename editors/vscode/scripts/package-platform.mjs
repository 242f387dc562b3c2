// Packages a per-platform .vsix that ships the flowql binary:
//   node scripts/package-platform.mjs <vsce target, e.g. linux-x64> <path to the flowql binary> [out.vsix]
// The binary is copied to bin/flowql (bin/flowql.exe for win32 targets), packaged, and removed.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, rmSync } from "node:fs";

const [target, binary, out = `dist/flowql-${target}.vsix`] = process.argv.slice(2);
if (!target || !binary) {
  console.error("usage: node scripts/package-platform.mjs <target> <flowql binary> [out.vsix]");
  process.exit(2);
}
const name = target.startsWith("win32") ? "bin/flowql.exe" : "bin/flowql";
mkdirSync("bin", { recursive: true });
copyFileSync(binary, name);
chmodSync(name, 0o755);
try {
  execFileSync("npx", ["vsce", "package", "--no-dependencies", "--target", target, "--out", out], {
    stdio: "inherit",
  });
} finally {
  rmSync("bin", { recursive: true, force: true });
}
