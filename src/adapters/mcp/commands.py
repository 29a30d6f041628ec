"""The operator's stdio MCP command lines (``TOOL_PLATFORM_MCP_STDIO_COMMANDS``).

A tool document never gives a command line: it names an entry of this table. Each
entry is a whole command line, a non-empty list of strings; its executable is an
absolute path, or a bare name resolved on ``PATH`` when the setting is read.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping

from domain.tools.stdio_env import STDIO_COMMAND_NAME

StdioCommands = Mapping[str, tuple[str, ...]]
"""Command name -> its whole command line, the executable resolved."""


def parse_stdio_commands(raw: object) -> dict[str, tuple[str, ...]]:
    """Read the setting's value (JSON text or an object) into resolved command lines.

    Raises:
        ValueError: Naming the entry that is malformed or whose executable is not found.
    """
    if isinstance(raw, str):
        if not raw.strip():
            return {}
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ValueError(
                f"is not JSON ({error.msg} at character {error.pos}); it must be an object "
                'of name -> command line, e.g. {"time": ["/usr/bin/python3", "-m", '
                '"mcp_server_time"]}'
            ) from None
    if not isinstance(raw, Mapping):
        # pydantic turns a ValueError (not a TypeError) into the setting's error
        raise ValueError(  # noqa: TRY004
            "must be a JSON object of name -> command line (a list of strings)"
        )
    return {str(name): _resolved(str(name), line) for name, line in raw.items()}


def _resolved(name: str, line: object) -> tuple[str, ...]:
    if not STDIO_COMMAND_NAME.fullmatch(name):
        raise ValueError(f"entry {name!r}: a name is letters, digits, _ . - (64 at most)")
    if (
        not isinstance(line, (list, tuple))
        or not line
        or not all(isinstance(part, str) and part and "\x00" not in part for part in line)
    ):
        raise ValueError(
            f"entry {name!r}: must be a non-empty list of non-empty strings "
            "(the executable, then its arguments)"
        )
    executable, *arguments = line
    return (_executable(name, executable), *arguments)


def _executable(name: str, executable: str) -> str:
    if os.sep not in executable:
        found = shutil.which(executable)
        if found is None:
            raise ValueError(f"entry {name!r}: {executable!r} is not found on PATH")
        return found
    if not os.path.isabs(executable):
        raise ValueError(
            f"entry {name!r}: {executable!r} must be an absolute path or a bare name on PATH"
        )
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        raise ValueError(f"entry {name!r}: {executable!r} is not an executable file")
    return executable
