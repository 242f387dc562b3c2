// Writes the server's settings table (`flowql settings --format vscode`) into package.json's
// `contributes.configuration.properties`. The Rust test `the_vscode_manifest_offers_these_settings`
// fails until this has run after the table changed.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const root = new URL("../../../", import.meta.url).pathname;
const properties = JSON.parse(
  execFileSync("cargo", ["run", "-q", "--", "settings", "--format", "vscode"], { cwd: root, encoding: "utf8" }),
);
const manifestPath = new URL("../package.json", import.meta.url);
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
manifest.contributes.configuration.properties = properties;
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
