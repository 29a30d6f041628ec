"""Throw malformed and oversized input at ``tool-platform`` and count what goes wrong.

Usage: ``.venv/bin/python scripts/cli_malformed_inputs.py [--only TEXT] [--show]`` from the
repository root. Each case runs the real command line in a subprocess (under a memory
cap and a timeout) on its own copy of a seeded SQLite database, then checks that the
command printed one ``error:`` line on stderr, exited with 1 (2 for usage errors), showed
no traceback, and left the database exactly as it was. The last line gives the counts;
the exit code is 1 when any case failed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CLI = str(Path(sys.executable).with_name("tool-platform"))
DATABASE = "tool_platform.db"
KEY_FILE = "tool_platform.key"
MEMORY_CAP = 3 * 1024**3
"""Address space each command may use: enough for the CLI, not for reading /dev/zero."""
TIMEOUT_SECONDS = 120.0
MIB = 1024 * 1024
HUGE_INTEGER = "9" * 5000
"""More digits than Python converts to text (4,300 by default)."""


@dataclass(frozen=True)
class Case:
    """One malformed input: the arguments, stdin, files in the working directory, exit code.

    Attributes:
        args: The command line after ``tool-platform``.
        stdin: Bytes for standard input, or a path to redirect it from.
        files: Files written into the working directory first (name -> bytes).
        exit_code: The exit code wanted: 1 (refused) or 2 (usage error).
    """

    args: tuple[str | bytes, ...]
    stdin: bytes | Path = b""
    files: dict[str, bytes] = field(default_factory=dict)
    exit_code: int = 1


@dataclass(frozen=True)
class Outcome:
    """How one case went."""

    name: str
    exit_code: int | None
    traceback: bool
    one_line: bool
    changed: bool
    seconds: float
    said: str

    def failures(self, wanted: int) -> list[str]:
        """What went wrong, in words; empty when the case was handled well."""
        found = []
        if self.exit_code is None:
            found.append("timed out")
        elif self.exit_code != wanted:
            found.append(f"exit {self.exit_code}, wanted {wanted}")
        if self.traceback:
            found.append("traceback")
        if not self.one_line and wanted == 1:
            found.append("not one error line")
        if self.changed:
            found.append("changed the database")
        return found


def tool_document(
    name: str = "weather", description: str = "Current weather."
) -> dict[str, object]:
    """A valid ``http`` tool document with one function and one secret."""
    return {
        "name": name,
        "description": "Weather for tests.",
        "kind": "http",
        "secret_names": ["api_key"],
        "tool_functions_schema": {
            "functions": [
                {
                    "name": "get_forecast",
                    "description": description,
                    "parameters": {
                        "type": "object",
                        "properties": {"city": {"type": "string"}},
                        "required": ["city"],
                    },
                }
            ]
        },
        "run": {
            "requests": {
                "get_forecast": {
                    "url": "https://api.example.com/forecast",
                    "headers": {"X-Key": "{secrets.api_key}"},
                }
            }
        },
    }


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


def cases() -> dict[str, Case]:
    """Every malformed input, by name."""
    bind = ("agents", "bind", "back-office", "weather")
    set_secret = ("agents", "secrets", "set", "front-desk", "weather", "api_key")
    huge_document = tool_document("big", "x" * (5 * MIB))
    garbage = bytes(range(256)) * 64
    return {
        "huge integer in a JSON tool document": Case(
            ("tools", "define", "doc.json"),
            files={"doc.json": b'{"name": "x", "n": ' + HUGE_INTEGER.encode() + b"}"},
        ),
        "huge integer in a YAML tool document": Case(
            ("tools", "define", "doc.yaml"),
            files={"doc.yaml": b"name: x\nn: " + HUGE_INTEGER.encode() + b"\n"},
        ),
        "huge integer in --config": Case(
            (*bind, "--config", '{"units": ' + HUGE_INTEGER + "}", "--secret", "api_key=v"),
        ),
        "huge integer in a secrets file": Case(
            (*bind, "--secrets-file", "-"), stdin=b"api_key: " + HUGE_INTEGER.encode() + b"\n"
        ),
        "binary secrets file on stdin": Case((*bind, "--secrets-file", "-"), stdin=garbage),
        "binary secret on stdin": Case((*set_secret, "--from-file", "-"), stdin=garbage),
        "binary tool document on stdin": Case(("tools", "define", "-"), stdin=garbage),
        "lone surrogate in a secret": Case(
            (*bind, "--secrets-file", "-"), stdin=b'{"api_key": "\\ud800"}'
        ),
        "binary .env file": Case(("tools", "list"), files={".env": garbage}),
        "30-digit tool version": Case(
            ("tools", "show", "weather", "--version", "9" * 30), exit_code=2
        ),
        "YAML hexadecimal integer past the digit limit": Case(
            ("tools", "define", "doc.yaml"), files={"doc.yaml": b"name: x\nn: 0x" + b"f" * 4000}
        ),
        "secret argument that is not UTF-8": Case((*bind, "--secret", b"api_key=\xff\xfe")),
        "document nested 100,000 deep": Case(
            ("tools", "define", "-"),
            stdin=b'{"name": "x", "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        ),
        "tool document that never ends": Case(("tools", "define", "/dev/zero")),
        "stdin that never ends": Case(("tools", "define", "-"), stdin=Path("/dev/zero")),
        "secret file that never ends": Case((*set_secret, "--from-file", "/dev/zero")),
        "garbage key file": Case(("agents", "toolset", "front-desk"), files={KEY_FILE: garbage}),
        "tool document over 4 MiB": Case(
            ("tools", "define", "big.json"), files={"big.json": _json(huge_document)}
        ),
        "function description over 8,192 characters": Case(
            ("tools", "define", "-"), stdin=_json(tool_document("wordy", "x" * 8193))
        ),
        "parameter description over 2,048 characters": Case(
            ("tools", "define", "-"),
            stdin=_json(
                {
                    **tool_document("wordy"),
                    "tool_functions_schema": {
                        "functions": [
                            {
                                "name": "get_forecast",
                                "description": "Forecast.",
                                "parameters": {
                                    "type": "object",
                                    "properties": {
                                        "city": {"type": "string", "description": "x" * 2049}
                                    },
                                    "required": ["city"],
                                },
                            }
                        ]
                    },
                }
            ),
        ),
        "secret over 64 KiB": Case((*set_secret, "--from-file", "-"), stdin=b"s" * (65 * 1024)),
        "secrets file over 64 KiB per secret": Case(
            (*bind, "--secrets-file", "-"), stdin=_json({"api_key": "s" * (65 * 1024)})
        ),
        "stdin over 32 MiB": Case(("tools", "define", "-"), stdin=b" " * (33 * MIB)),
        "agent name that is a path": Case(("agents", "create", "../../etc/passwd")),
        "agent name with a newline": Case(("agents", "create", "front\ndesk")),
        "agent name with a terminal escape": Case(("agents", "create", "\x1b[31mred")),
        "agent renamed with a control character": Case(
            ("agents", "update", "front-desk", "--name", "front\x07desk")
        ),
        "agent name over 100 characters": Case(("agents", "create", "a" * 101)),
        "tool version below 1": Case(("tools", "show", "weather", "--version", "0"), exit_code=2),
        "temperature that is not a number": Case(
            ("agents", "create", "x", "--temperature", "warm"), exit_code=2
        ),
    }


def seed(directory: Path, env: dict[str, str]) -> None:
    """Migrate a database in ``directory``; define ``weather``; create and bind two agents."""
    (directory / "weather.json").write_bytes(_json(tool_document()))
    for args in (
        ("db", "upgrade"),
        ("tools", "define", "weather.json"),
        ("agents", "create", "front-desk"),
        ("agents", "create", "back-office"),
        ("agents", "bind", "front-desk", "weather", "--secret", "api_key=seeded"),
    ):
        subprocess.run([CLI, *args], cwd=directory, env=env, check=True, capture_output=True)
    (directory / "weather.json").unlink()


def dump(directory: Path) -> list[str]:
    """Every row of the database, as SQL."""
    connection = sqlite3.connect(directory / DATABASE)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_case(name: str, case: Case, seeded: Path, work: Path) -> Outcome:
    """Run one case on a fresh copy of the seeded directory."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(seeded, work)
    for file_name, content in case.files.items():
        (work / file_name).write_bytes(content)
    env = environment(work)
    before = dump(work)
    started = time.perf_counter()
    stdin_file = case.stdin.open("rb") if isinstance(case.stdin, Path) else None
    try:
        completed = subprocess.run(
            [CLI, *case.args],
            cwd=work,
            env=env,
            input=case.stdin if isinstance(case.stdin, bytes) else None,
            stdin=stdin_file,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            preexec_fn=_cap_memory,
            check=False,
        )
        exit_code: int | None = completed.returncode
        stdout, stderr = completed.stdout, completed.stderr
    except subprocess.TimeoutExpired as expired:
        exit_code, stdout, stderr = None, expired.stdout or b"", expired.stderr or b""
    finally:
        if stdin_file:
            stdin_file.close()
    seconds = time.perf_counter() - started
    error_lines = stderr.decode("utf-8", "replace").splitlines()
    return Outcome(
        name=name,
        exit_code=exit_code,
        traceback=b"Traceback" in stdout + stderr,
        one_line=len(error_lines) == 1 and error_lines[0].startswith("error: "),
        changed=dump(work) != before,
        seconds=seconds,
        said=error_lines[-1] if error_lines else "",
    )


def environment(directory: Path) -> dict[str, str]:
    """The CLI's environment: SQLite and key file in ``directory``, nothing else set."""
    keep = {key: value for key, value in os.environ.items() if not key.startswith("TOOL_PLATFORM")}
    return {
        **keep,
        "TOOL_PLATFORM_STORAGE": "sqlalchemy",
        "TOOL_PLATFORM_DATABASE_URL": f"sqlite+aiosqlite:///{directory / DATABASE}",
        "TOOL_PLATFORM_SECRET_KEY_FILE": str(directory / KEY_FILE),
    }


def main(argv: list[str] | None = None) -> int:
    """Run every case (or those whose name holds ``--only``); print one line each and totals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose name holds this text")
    parser.add_argument("--show", action="store_true", help="print each case's last stderr line")
    options = parser.parse_args(argv)
    selected = {name: case for name, case in cases().items() if options.only in name}
    failed: list[tuple[str, list[str]]] = []
    tracebacks = 0
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        seeded = root / "seeded"
        seeded.mkdir()
        seed(seeded, environment(seeded))
        width = max(map(len, selected), default=0)
        for name, case in selected.items():
            outcome = run_case(name, case, seeded, root / "work")
            problems = outcome.failures(case.exit_code)
            tracebacks += outcome.traceback
            verdict = "ok" if not problems else "FAIL: " + ", ".join(problems)
            print(f"{name.ljust(width)}  {outcome.seconds:6.2f}s  {verdict}", flush=True)
            if options.show:
                print(f"    {outcome.said[:160]}")
            if problems:
                failed.append((name, problems))
    print(
        f"cases: {len(selected)}  handled: {len(selected) - len(failed)}  "
        f"failed: {len(failed)}  tracebacks: {tracebacks}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
