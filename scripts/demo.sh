#!/usr/bin/env bash
# Bootstrap .venv, then run the demo: `tool-platform demo "$@"`.
# The working directory is left as it is, so relative paths in the arguments keep working.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bash "$ROOT/scripts/bootstrap.sh"
exec "$ROOT/.venv/bin/tool-platform" demo "$@"
