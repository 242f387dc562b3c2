// Finding the flowql binary: the `flowql.path` setting, then the binary shipped inside a
// per-platform .vsix (`bin/flowql`), then `PATH`. Free of the `vscode` module, so Node tests
// run it as the extension does.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type Source = "setting" | "extension" | "PATH";

export interface Found {
  path: string;
  source: Source;
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

/** Where the server binary is, or why it was not found. */
export function findServer(
  setting: string | undefined,
  extensionDir: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): Found | NotFound {
  const configured = setting?.trim();
  if (configured) {
    const file = expandHome(configured);
    if (isExecutableFile(file, platform)) {
      return { path: file, source: "setting" };
    }
    return {
      message: `flowql.path is set to ${configured}, which is not an executable file. ${INSTALL_HINT}`,
    };
  }
  const shipped = path.join(extensionDir, "bin", executableName(platform));
  if (isExecutableFile(shipped, platform) || makeExecutable(shipped, platform)) {
    return { path: shipped, source: "extension" };
  }
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter((d) => d.length > 0);
  for (const dir of dirs) {
    const candidate = path.join(dir, executableName(platform));
    if (isExecutableFile(candidate, platform)) {
      return { path: candidate, source: "PATH" };
    }
  }
  return {
    message:
      "The flowql language server was not found (not in flowql.path, not shipped with this " +
      `extension, not on PATH). ${INSTALL_HINT}`,
  };
}
