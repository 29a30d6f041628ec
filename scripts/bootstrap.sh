#!/usr/bin/env bash
# Create the project's virtual environment (.venv) and install the project into it
# (`pip install -e '.[dev]'`), but only when needed.
#
# The install is recorded in .venv/.installed as a hash of pyproject.toml and the
# interpreter version; it is redone when either changes. Quiet on success; on failure
# it prints the installer's output and exits non-zero.
#
# Environment:
#   PYTHON   interpreter used to create .venv (default: python3); must be >= 3.11.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.installed"
LOG="$VENV/.bootstrap.log"
PYTHON="${PYTHON:-python3}"
MIN_VERSION_CHECK='import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'

die() {
    printf '\nbootstrap: ERROR: %s\n\n' "$*" >&2
    exit 1
}

# Serialise concurrent bootstraps of the same checkout (e.g. demo.sh and test.sh at once).
if command -v flock >/dev/null 2>&1; then
    lock_file="${TMPDIR:-/tmp}/tool-platform-bootstrap-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1).lock"
    exec 9>"$lock_file"
    flock 9
fi

venv_python_ok() {
    [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c "$MIN_VERSION_CHECK" >/dev/null 2>&1
}

if [[ -d "$VENV" ]] && ! venv_python_ok; then
    echo "bootstrap: $VENV is broken or older than Python 3.11; recreating it." >&2
    rm -rf "$VENV"
fi

if [[ ! -d "$VENV" ]]; then
    command -v "$PYTHON" >/dev/null 2>&1 \
        || die "'$PYTHON' not found. Install Python >= 3.11 or set PYTHON=/path/to/python3.11."
    if ! "$PYTHON" -c "$MIN_VERSION_CHECK" >/dev/null 2>&1; then
        found="$("$PYTHON" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo unknown)"
        die "Python >= 3.11 is required, but '$PYTHON' is $found ($(command -v "$PYTHON")). Set PYTHON=/path/to/python3.11."
    fi
    if ! venv_out="$("$PYTHON" -m venv "$VENV" 2>&1)"; then
        rm -rf "$VENV"
        printf '%s\n' "$venv_out" >&2
        die "'$PYTHON -m venv' failed (on Debian/Ubuntu system Pythons: apt-get install python3-venv)."
    fi
fi

wanted="$(
    {
        cat "$ROOT/pyproject.toml"
        "$VENV/bin/python" -c 'import sys; print(sys.version)'
    } | sha256sum | cut -d' ' -f1
)"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$wanted" && -x "$VENV/bin/tool-platform" ]]; then
    exit 0
fi

rm -f "$STAMP"
if ! (
    cd "$ROOT"
    export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_PROGRESS_BAR=off
    "$VENV/bin/python" -m pip install -e '.[dev]'
) >"$LOG" 2>&1; then
    {
        echo "==================== bootstrap: pip install -e '.[dev]' FAILED ===================="
        cat "$LOG"
        echo "==================================================================================="
    } >&2
    die "could not install the project into $VENV (log: $LOG)."
fi

printf '%s\n' "$wanted" >"$STAMP.tmp"
mv "$STAMP.tmp" "$STAMP"
