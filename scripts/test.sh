#!/usr/bin/env bash
# The project's test command: bootstrap .venv, then run every check in order and stop at
# the first failure:
#   ruff check, ruff format --check, mypy (strict, config in pyproject.toml),
#   lint-imports (import-linter contracts in pyproject.toml), pytest.
# Arguments are passed to pytest, e.g. `bash scripts/test.sh -k schema -x`.
# Works from any working directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
started=$SECONDS

bash scripts/bootstrap.sh

BIN="$ROOT/.venv/bin"
STEPS_TOTAL=5
step_number=0
passed=()

# Run one step under a banner; on failure print a banner and exit with the step's code.
step() {
    local name="$1"
    shift
    step_number=$((step_number + 1))
    local step_started=$SECONDS
    printf '\n==> [%d/%d] %s: %s\n' "$step_number" "$STEPS_TOTAL" "$name" "$*"
    local rc=0
    "$@" || rc=$?
    if ((rc != 0)); then
        printf '\n!!! [%d/%d] %s FAILED (exit %d)\n' "$step_number" "$STEPS_TOTAL" "$name" "$rc" >&2
        printf 'test.sh: FAILED at %s (exit %d) after %ds; passed before it: %s\n' \
            "$name" "$rc" "$((SECONDS - started))" "${passed[*]:-none}" >&2
        exit "$rc"
    fi
    passed+=("$name")
    printf '<== %s ok (%ds)\n' "$name" "$((SECONDS - step_started))"
}

step "ruff-check" "$BIN/ruff" check src tests scripts benchmarks
step "ruff-format" "$BIN/ruff" format --check src tests scripts benchmarks
step "mypy" "$BIN/mypy"
step "lint-imports" "$BIN/lint-imports"
# pytest exits 5 when it collected no test. That exit code is propagated on purpose, so a
# run that tests nothing fails instead of passing silently: do not map 5 to 0.
step "pytest" "$BIN/pytest" "$@"

printf '\ntest.sh: all %d steps passed (%s) in %ds\n' "$STEPS_TOTAL" "${passed[*]}" "$((SECONDS - started))"
