// Finding the flowql binary: the `flowql.path` setting, then the binary shipped inside a
// per-platform .vsix (`bin/flowql`), then the workspace's node_modules (the npm package), then
// `PATH`, then `~/.cargo/bin`. Free of the `vscode` module, so Node tests run it as the
// extension does.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type Source = "setting" | "extension" | "workspace" | "PATH" | "cargo";

export interface Found {
  path: string;
  source: Source;
  /** Said in the output when the lookup passed over something (a remote window's stale path). */
  note?: string;
}

export interface NotFound {
  /** One message: what was tried and how to install flowql. */
  message: string;
}

export const INSTALL_HINT =
  "Install it with `cargo install --locked --git https://github.com/flowql/flowql flowql`, " +
  "or set `flowql.path` to the binary.";

function executableName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "flowql.exe" : "flowql";
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** A binary unpacked from a .vsix may have lost its executable bit: give it back. */
function makeExecutable(file: string, platform: NodeJS.Platform): boolean {
  if (platform === "win32" || !fs.existsSync(file)) {
    return false;
  }
  try {
    fs.chmodSync(file, 0o755);
  } catch {
    return false;
  }
  return isExecutableFile(file, platform);
}

function expandHome(file: string): string {
  return file === "~" || file.startsWith("~/") ? path.join(os.homedir(), file.slice(1)) : file;
}

/** What the lookup reads: the setting's value, where things are, and what window this is. */
export interface Lookup {
  /** The effective `flowql.path` (in a remote window, from the Remote or workspace settings). */
  setting: string | undefined;
  extensionDir: string;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  /** The open folders: `npm i -D flowql` puts the binary in their node_modules. */
  workspaceFolders?: string[];
  /** The home directory of the machine the extension runs on (`cargo install` puts it there). */
  home?: string;
  /** `vscode.env.remoteName`: set in a remote window (code-server, SSH, WSL, containers). */
  remoteName?: string;
}

/** The npm package of the platform's binary (see packaging/npm): `@flowql/linux-x64`. */
export function npmPlatformPackage(platform: NodeJS.Platform, arch: string): string {
  return `@flowql/${platform}-${arch}`;
}

/** Where `npm i -D flowql` leaves a binary in a folder: the platform package's own binary
 * first (no Node launcher between the editor and the server), then `node_modules/.bin`. */
function inNodeModules(folder: string, platform: NodeJS.Platform, arch: string): string[] {
  const name = executableName(platform);
  return [
    path.join(folder, "node_modules", ...npmPlatformPackage(platform, arch).split("/"), "bin", name),
    path.join(folder, "node_modules", ".bin", platform === "win32" ? "flowql.cmd" : name),
  ];
}

/** The message for a window with no flowql anywhere, naming the settings file that applies. */
function notFound(lookup: Lookup, configured: string | undefined): NotFound {
  const setting = configured ? `flowql.path (${configured}) is not an executable file here, and the` : "The";
  const where = lookup.remoteName
    ? ` This is a remote window (${lookup.remoteName}): set flowql.path in the Remote settings ` +
      "(Preferences: Open Remote Settings) or the workspace settings, to a binary on the remote machine; " +
      "a path in your User settings names one on your own machine, not here."
    : "";
  return {
    message:
      `${setting} flowql language server was not found (not shipped with this extension, ` +
      `not in the workspace's node_modules, not on PATH, not in ~/.cargo/bin).${where} ${INSTALL_HINT}`,
  };
}

/** Where the server binary is, or why it was not found: the setting, the binary shipped in a
 * per-platform package, the workspace's node_modules, PATH, then ~/.cargo/bin. */
export function findServer(lookup: Lookup): Found | NotFound {
  const platform = lookup.platform ?? process.platform;
  const arch = lookup.arch ?? process.arch;
  const configured = lookup.setting?.trim();
  let skipped: string | undefined;
  if (configured) {
    const file = expandHome(configured);
    if (isExecutableFile(file, platform)) {
      return { path: file, source: "setting" };
    }
    if (!lookup.remoteName) {
      return {
        message: `flowql.path is set to ${configured}, which is not an executable file. ${INSTALL_HINT}`,
      };
    }
    // A remote window sees the User settings of the user's own machine: a path valid there
    // is often not one here. Look further rather than fail, and say so.
    skipped = `flowql.path (${configured}) is not an executable file on this remote machine (${lookup.remoteName}); looked further.`;
  }
  const found = elsewhere(lookup, platform, arch);
  if (found) {
    return skipped ? { ...found, note: skipped } : found;
  }
  return notFound(lookup, configured);
}

/** The places looked at when no setting names the binary, in order. */
function elsewhere(lookup: Lookup, platform: NodeJS.Platform, arch: string): Found | undefined {
  const name = executableName(platform);
  const shipped = path.join(lookup.extensionDir, "bin", name);
  if (isExecutableFile(shipped, platform) || makeExecutable(shipped, platform)) {
    return { path: shipped, source: "extension" };
  }
  for (const folder of lookup.workspaceFolders ?? []) {
    const local = inNodeModules(folder, platform, arch).find((file) => isExecutableFile(file, platform));
    if (local) {
      return { path: local, source: "workspace" };
    }
  }
  const env = lookup.env;
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter((d) => d.length > 0);
  const onPath = dirs.map((dir) => path.join(dir, name)).find((file) => isExecutableFile(file, platform));
  if (onPath) {
    return { path: onPath, source: "PATH" };
  }
  const cargo = lookup.home ? path.join(lookup.home, ".cargo", "bin", name) : undefined;
  if (cargo && isExecutableFile(cargo, platform)) {
    return { path: cargo, source: "cargo" };
  }
  return undefined;
}
