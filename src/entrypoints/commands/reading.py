"""Reading a file, or standard input, as UTF-8 text: incrementally and up to a size limit.

A file that never ends (``/dev/zero``) or a huge pipe stops being read one byte past
``TOOL_PLATFORM_MAX_INPUT_BYTES``; bytes that are not UTF-8 are refused. Messages name
the file, never its content: it may hold secrets.
"""

from __future__ import annotations

import sys
from typing import BinaryIO

from entrypoints.commands.output import CliError
from entrypoints.container import Container

STDIN = "-"
"""The file name that means standard input."""

_CHUNK_BYTES = 64 * 1024


def read_text(path: str, what: str) -> str:
    """Return the text of a file, or of standard input when ``path`` is ``-``.

    Args:
        path: A file name, or ``-``.
        what: What the file holds, for error messages (``tool document``).

    Raises:
        CliError: When the file cannot be read, is larger than the input limit, or is
            not UTF-8 text.
    """
    limit = Container().settings().max_input_bytes
    where = source_name(path)
    try:
        if path == STDIN:
            data = _read_at_most(sys.stdin.buffer, limit)
        else:
            with open(path, "rb") as file:
                data = _read_at_most(file, limit)
    except OSError as error:
        raise CliError(f"cannot read the {what} {where}: {error.strerror or error}") from None
    if data is None:
        raise CliError(
            f"the {what} in {where} is larger than {limit} bytes "
            "(TOOL_PLATFORM_MAX_INPUT_BYTES sets the limit)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CliError(
            f"cannot read the {what} {where}: it is not UTF-8 text (byte {error.start})"
        ) from None


def source_name(path: str) -> str:
    """How messages name where input came from: the file name, or ``standard input``."""
    return "standard input" if path == STDIN else path


def _read_at_most(stream: BinaryIO, limit: int) -> bytes | None:
    """Read ``stream`` to its end; None as soon as it holds more than ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(min(_CHUNK_BYTES, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return None
    return b"".join(chunks)
