#!/usr/bin/env bash
# One command for the side-by-side benchmark: installs graphql-lsp and GitHub's schema from the
# npm registry (npm ci, from this folder's lock file), cleans the schema of its duplicate fields,
# builds flowql in release mode, and drives both servers with the same client and edits.
# Usage: bash tests/bench/side-by-side.sh [edits] [runs]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
schema="$(mktemp --suffix=.graphql)"
node "$here/clean-schema.mjs" > "$schema"
(cd "$root" && cargo build --release --quiet)
python3 "$here/side_by_side.py" --flowql "$root/target/release/flowql" \
  --graphql-lsp "$here/node_modules/.bin/graphql-lsp" --schema "$schema" \
  --edits "${1:-200}" --runs "${2:-3}"
