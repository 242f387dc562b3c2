//! flowql installed the way JS and Python developers install tools, each into a fresh project
//! with a payload mistake that `flowql check` must report, then pass once fixed: the npm
//! packages (packaging/npm/pack.mjs, installed from their tarballs with the registry out of
//! reach), the PyPI wheel (built by maturin from pyproject.toml, installed into a fresh virtual
//! environment) and the pre-commit hook (.pre-commit-hooks.yaml, run by pre-commit from PyPI in
//! a temporary git repository). Needs npm, and maturin and pre-commit in target/py-tools, which
//! `scripts/setup-tests.sh` installs.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use support::tools::{available, repository_root, require, run_ok};

/// The one mistake of the app: `rounds` is an int in the flow's input schema.
const MISTAKE: &str = r#"rounds: "3""#;
const FIXED: &str = "rounds: 3";

/// A Next.js-style app calling one flow of its kit through the SDK: `app/api/debate/route.ts`,
/// the flow in `flows/`, its step in `lamatic.config.ts`. No flowql configuration.
fn write_app(dir: &Path) {
    let kit = repository_root().join("examples/kits/debate-coach");
    std::fs::create_dir_all(dir.join("flows")).unwrap();
    std::fs::create_dir_all(dir.join("app/api/debate")).unwrap();
    std::fs::copy(
        kit.join("flows/debate-setup.ts"),
        dir.join("flows/debate-setup.ts"),
    )
    .unwrap();
    let files = [
        (
            "package.json",
            r#"{ "name": "debate-app", "private": true, "scripts": { "check:flows": "flowql check" } }"#,
        ),
        (
            "lamatic.config.ts",
            r#"export default {
  name: "Debate",
  type: "kit" as const,
  steps: [{ id: "debate-setup", type: "mandatory" as const, envKey: "DEBATE_SETUP_FLOW_ID" }],
};
"#,
        ),
        (
            "app/api/debate/route.ts",
            r#"import { Lamatic } from "lamatic";

const client = new Lamatic({
  endpoint: process.env.LAMATIC_API_URL!,
  projectId: process.env.LAMATIC_PROJECT_ID!,
  apiKey: process.env.LAMATIC_API_KEY!,
});

export async function POST(request: Request) {
  const { topic } = await request.json();
  const answer = await client.executeFlow(process.env.DEBATE_SETUP_FLOW_ID!, { topic, rounds: "3" });
  return Response.json(answer);
}
"#,
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn fix_app(dir: &Path) {
    let route = dir.join("app/api/debate/route.ts");
    let text = std::fs::read_to_string(&route).unwrap();
    assert!(text.contains(MISTAKE));
    std::fs::write(&route, text.replace(MISTAKE, FIXED)).unwrap();
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("packaging")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `flowql check` as a user runs it (through `run`): it finds the mistake at its place and
/// fails; once the app is fixed it passes.
fn fails_then_passes(app: &Path, mut run: impl FnMut() -> Output, how: &str) {
    let failed = run();
    let report = text(&failed);
    assert_eq!(failed.status.code(), Some(1), "{how}:\n{report}");
    assert!(
        report.contains("PAYLOAD_TYPE_MISMATCH") && report.contains("app/api/debate/route.ts:11"),
        "{how} did not report the payload mistake:\n{report}"
    );
    fix_app(app);
    let passed = run();
    assert!(
        passed.status.success(),
        "{how} failed on the fixed app:\n{}",
        text(&passed)
    );
}

#[test]
fn npm_packages_install_from_their_tarballs_and_npx_flowql_checks_the_app() {
    if !available("npm", "Node.js 18+ with npm, from Debian's nodejs and npm") {
        return;
    }
    let root = repository_root();
    let packages = fresh_dir("npm-packages");
    let printed = run_ok(
        Command::new("node")
            .arg(root.join("packaging/npm/pack.mjs"))
            .arg("--out")
            .arg(&packages)
            .arg(format!("linux-x64={}", env!("CARGO_BIN_EXE_flowql"))),
        "pack.mjs",
    );
    let tarballs: Vec<String> = serde_json::from_slice(&printed.stdout).unwrap();
    assert_eq!(tarballs.len(), 2, "{tarballs:?}");
    assert!(
        tarballs[0].ends_with("flowql-0.1.0.tgz")
            && tarballs[1].ends_with("flowql-linux-x64-0.1.0.tgz")
    );

    let app = fresh_dir("npm-app");
    write_app(&app);
    // As from the registry, but with the registry out of reach: the tarballs are all there is.
    run_ok(
        Command::new("npm")
            .args([
                "install",
                "-D",
                "--no-audit",
                "--no-fund",
                "--fetch-retries=0",
            ])
            .args(["--registry", "http://127.0.0.1:9/"])
            .args(&tarballs)
            .current_dir(&app),
        "npm install of the tarballs",
    );
    let launcher: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(app.join("node_modules/flowql/package.json")).unwrap(),
    )
    .unwrap();
    let optional = launcher["optionalDependencies"].as_object().unwrap();
    for target in [
        "linux-x64",
        "linux-arm64",
        "darwin-x64",
        "darwin-arm64",
        "win32-x64",
    ] {
        assert_eq!(optional[&format!("@flowql/{target}")], "0.1.0");
    }
    assert!(app
        .join("node_modules/@flowql/linux-x64/bin/flowql")
        .is_file());
    fails_then_passes(
        &app,
        || {
            Command::new("npx")
                .args(["--no-install", "flowql", "check", "--offline"])
                .current_dir(&app)
                .output()
                .unwrap()
        },
        "npx flowql check",
    );
    // The package script a project would add runs it too, and the launcher passes arguments.
    let version = run_ok(
        Command::new("npx")
            .args(["--no-install", "flowql", "--version"])
            .current_dir(&app),
        "npx flowql --version",
    );
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("flowql 0.1.0"));
    run_ok(
        Command::new("npm")
            .args(["run", "--silent", "check:flows", "--", "--offline"])
            .current_dir(&app),
        "npm run check:flows",
    );
}

/// The virtual environment of the Python tools, made by scripts/setup-tests.sh.
fn py_tool(name: &str) -> Option<PathBuf> {
    let tool = repository_root().join("target/py-tools/bin").join(name);
    require(
        tool.is_file(),
        &format!("{name} is not in target/py-tools: run scripts/setup-tests.sh"),
    )
    .then_some(tool)
}

/// The wheel maturin builds from pyproject.toml (the dev profile, as the tests build), built
/// once for the tests that need it: two cargo builds of one crate at a time trip over each other.
fn build_wheel(maturin: &Path) -> PathBuf {
    static WHEEL: OnceLock<PathBuf> = OnceLock::new();
    WHEEL.get_or_init(|| build_wheel_now(maturin)).clone()
}

fn build_wheel_now(maturin: &Path) -> PathBuf {
    let out = fresh_dir("wheel");
    run_ok(
        Command::new(maturin)
            .args(["build", "--quiet", "--out"])
            .arg(&out)
            .current_dir(repository_root()),
        "maturin build",
    );
    let wheels: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "whl"))
        .collect();
    assert_eq!(wheels.len(), 1, "{wheels:?}");
    wheels.into_iter().next().unwrap()
}

/// A fresh virtual environment with the wheel installed, no index consulted; its bin folder.
fn venv_with_wheel(wheel: &Path, name: &str) -> PathBuf {
    let venv = fresh_dir(name);
    run_ok(
        Command::new("python3").arg("-m").arg("venv").arg(&venv),
        "python3 -m venv",
    );
    run_ok(
        Command::new(venv.join("bin/pip"))
            .args([
                "install",
                "--quiet",
                "--no-index",
                "--disable-pip-version-check",
            ])
            .arg(wheel),
        "pip install of the wheel",
    );
    venv.join("bin")
}

#[test]
fn the_wheel_puts_flowql_on_the_path_of_a_fresh_virtual_environment() {
    let Some(maturin) = py_tool("maturin") else {
        return;
    };
    let wheel = build_wheel(&maturin);
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("flowql-0.1.0-py3-none-") && name.contains("x86_64"),
        "{name}"
    );
    let bin = venv_with_wheel(&wheel, "wheel-venv");
    assert!(bin.join("flowql").is_file());
    let app = fresh_dir("wheel-app");
    write_app(&app);
    // As after `source .venv/bin/activate`: the venv's bin folder first on PATH.
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    fails_then_passes(
        &app,
        || {
            Command::new("flowql")
                .args(["check", "--offline"])
                .env("PATH", &path)
                .current_dir(&app)
                .output()
                .unwrap()
        },
        "flowql check from the wheel",
    );
}

#[test]
fn the_pre_commit_hook_fails_on_a_payload_mistake_and_passes_once_fixed() {
    let (Some(pre_commit), Some(maturin)) = (py_tool("pre-commit"), py_tool("maturin")) else {
        return;
    };
    if !available("git", "Debian's git") {
        return;
    }
    let root = repository_root();
    run_ok(
        Command::new(&pre_commit)
            .arg("validate-manifest")
            .arg(root.join(".pre-commit-hooks.yaml")),
        "pre-commit validate-manifest",
    );
    // flowql as `pip install flowql` leaves it, on PATH for the `flowql-system` hook.
    let bin = venv_with_wheel(&build_wheel(&maturin), "pre-commit-venv");
    let app = fresh_dir("pre-commit-app");
    write_app(&app);
    let git = |args: &[&str]| {
        run_ok(
            Command::new("git")
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
                .args(args)
                .current_dir(&app),
            &format!("git {}", args.join(" ")),
        )
    };
    git(&["init", "--quiet"]);
    git(&["add", "-A"]);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let home = fresh_dir("pre-commit-home");
    let mut staged = || {
        git(&["add", "-A"]);
        // `try-repo` runs a hook of a repository as a project's configuration would name it.
        Command::new(&pre_commit)
            .arg("try-repo")
            .arg(&root)
            .arg("flowql-system")
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", &home)
            .env("PRE_COMMIT_COLOR", "never")
            .current_dir(&app)
            .output()
            .unwrap()
    };
    fails_then_passes(&app, &mut staged, "pre-commit try-repo flowql-system");
}

/// The quoted names of a JavaScript array literal that starts after `marker`.
fn js_list(file: &str, marker: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repository_root().join(file)).unwrap();
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {file}"))
        + marker.len();
    let list = &text[start..start + text[start..].find(']').unwrap()];
    list.split(',')
        .map(|item| item.trim().trim_matches('"').to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

#[test]
fn the_release_workflow_builds_every_platform_the_packages_know() {
    let workflow: serde_yaml_ng::Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(repository_root().join(".github/workflows/release.yml")).unwrap(),
    )
    .unwrap();
    let mut built: Vec<String> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|row| row["target"].as_str().unwrap().to_string())
        .collect();
    built.sort();
    let mut packed = js_list("packaging/npm/pack.mjs", "export const TARGETS = [");
    packed.sort();
    let mut launched = js_list("packaging/npm/flowql/bin/flowql.js", "const PLATFORMS = [");
    launched.sort();
    assert_eq!(built.len(), 5, "{built:?}");
    assert_eq!(built, packed, "the workflow and pack.mjs disagree");
    assert_eq!(
        built, launched,
        "the workflow and the npm launcher disagree"
    );
    // Each is a target vsce knows (`vsce package --target`), so the .vsix per platform exists.
    for target in &built {
        assert!(
            [
                "linux-x64",
                "linux-arm64",
                "darwin-x64",
                "darwin-arm64",
                "win32-x64",
                "alpine-x64"
            ]
            .contains(&target.as_str()),
            "{target}"
        );
    }
}
