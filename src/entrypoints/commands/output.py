"""What commands print: JSON or aligned text on stdout, one line per error on stderr.

Every command runs its work inside :func:`reported_errors`: an expected failure (bad
input, a refused change, something not found, a storage or settings problem) prints
``error: <one line>`` on stderr and exits with code 1, without a traceback. Usage errors
are click's and exit with code 2. No message printed here ever holds a secret value:
domain errors never carry one, and the messages built from other errors below take only
their type, position or reason, never the input they were given.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError

from adapters.secrets.aes_gcm import InvalidKeyRing
from adapters.telemetry.exporter_choice import TracingMisconfigured
from domain.errors import DomainError, ProblemsError
from entrypoints.settings import SettingsUnreadable

EXIT_REFUSED = 1
"""Exit code of a command that was refused, invalid, or about something that is not there."""

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print JSON (the shape is documented in docs/cli.md).")
]
"""The ``--json`` option every read command takes."""

_SETTINGS_PREFIX = "TOOL_PLATFORM_"


class CliError(Exception):
    """Input the command line refuses before (or instead of) calling a use case.

    The message is printed as is: it must be one line and hold no secret value.
    """


_EXPECTED = (
    CliError,
    DomainError,
    InvalidKeyRing,
    TracingMisconfigured,
    ValidationError,
    OSError,
    SettingsUnreadable,
    UnicodeDecodeError,
)
"""What :func:`reported_errors` reports in one line; anything else is a bug (traceback)."""


def say(text: str = "") -> None:
    """Print a line of human output on stdout."""
    typer.echo(text)


def note(text: str) -> None:
    """Tell the operator something beside the result, on stderr (stdout stays parseable)."""
    typer.echo(f"note: {text}", err=True)


def emit_json(value: Any) -> None:
    """Print a JSON value on stdout, indented, keys in the order given."""
    typer.echo(pretty_json(value))


def pretty_json(value: Any) -> str:
    """A JSON value, indented by two spaces, keys in the order given."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def compact_json(value: Any) -> str:
    """A JSON value on one line (for config in human output)."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def printable(text: str, keep: str = "") -> str:
    r"""``text`` with every control character written as an escape (``\n``, ``\x1b``).

    Stored text (a name from before the naming rules) then cannot move the cursor,
    recolour the terminal or forge extra lines. Characters in ``keep`` stay as they are.
    """
    return "".join(
        c if c.isprintable() or c in keep else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], indent: str = "") -> str:
    """Render rows as left-aligned columns under upper-case headers (cells made printable)."""
    lines = [list(headers), *([printable(cell) for cell in row] for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(headers))]
    return "\n".join(
        indent
        + "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def fields(pairs: Iterable[tuple[str, str]], indent: str = "") -> str:
    """Render ``label value`` pairs with the values aligned (line breaks kept, indented)."""
    pairs = list(pairs)
    width = max((len(label) for label, _ in pairs), default=0)
    lines = []
    for label, value in pairs:
        continuation = "\n" + indent + " " * (width + 2)
        shown = printable(value, keep="\n").replace("\n", continuation)
        lines.append(f"{indent}{label.ljust(width)}  {shown}")
    return "\n".join(lines)


def fail(message: str) -> NoReturn:
    """Print ``error: message`` on stderr and exit with code 1."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_REFUSED)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn every expected failure inside the block into one line on stderr and exit 1."""
    try:
        yield
    except _EXPECTED as error:
        fail(describe(error))


def describe(error: Exception) -> str:
    """One line saying what went wrong, holding no input value (a secret, a password)."""
    if isinstance(error, ValidationError):
        return settings_problem(error)
    if isinstance(error, OSError):
        return f"{type(error).__name__}: {_flatten(error.strerror or str(error))}"
    if isinstance(error, UnicodeDecodeError):  # a file read by an adapter (the key file)
        return f"a file this command reads is not UTF-8 text (byte {error.start})"
    return one_line(error)


def one_line(error: Exception) -> str:
    """The message of an error on one line (located problems joined by ``;``)."""
    if isinstance(error, ProblemsError):
        return f"{error.summary}: " + "; ".join(str(problem) for problem in error.problems)
    return _flatten(str(error))


def settings_problem(error: ValidationError) -> str:
    """Name the settings that are wrong and why, never the values they hold."""
    problems = []
    for problem in error.errors(include_input=False, include_url=False):
        name = ".".join(str(part) for part in problem["loc"])
        problems.append(f"{_SETTINGS_PREFIX}{name.upper()}: {problem['msg']}")
    return "invalid settings: " + "; ".join(problems)


def _flatten(text: str) -> str:
    return "; ".join(line.strip() for line in text.strip().splitlines() if line.strip())
