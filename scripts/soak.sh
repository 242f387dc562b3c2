#!/usr/bin/env bash
# The long run of the randomized editing session (tests/lsp_random.rs): several seeds of
# 12,000 steps each against the built server, with its memory figures. Usage:
#   bash scripts/soak.sh [seeds] [steps] [max growth MB]     (defaults: 11,12,13 12000 30)
# A failure prints the seed and the step, and the command that runs that session again.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-11,12,13}
steps=${2:-12000}
growth=${3:-30}
FLOWQL_RANDOM_SEEDS=$seeds FLOWQL_RANDOM_STEPS=$steps FLOWQL_RANDOM_MAX_GROWTH_MB=$growth \
  cargo test --quiet --test lsp_random -- --nocapture 2>&1 | grep -E '^(random session|seed|thread|test result)|panicked|failed'
