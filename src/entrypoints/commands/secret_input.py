"""Taking secret values from the operator without putting them in shell history.

The recommended ways are a bare ``--secret NAME`` (asks for the value without echo) and
``--secrets-file -`` (reads them from standard input). ``NAME=VALUE`` works too, but the
value then sits in the shell history and the process list. No message here ever
includes a value.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from entrypoints.commands.documents import parse_object
from entrypoints.commands.output import CliError
from entrypoints.commands.reading import read_text

SECRETS_FILE = "secrets file"

SecretOption = Annotated[
    list[str] | None,
    typer.Option(
        "--secret",
        help="NAME asks for the value without echo (recommended); NAME=VALUE puts it "
        "in shell history. Repeatable.",
    ),
]
SecretsFileOption = Annotated[
    str | None,
    typer.Option(help="A JSON or YAML object of secret name -> value; - reads stdin."),
]


def stdin_is_interactive() -> bool:
    """Tell whether standard input is a terminal someone can type a secret into."""
    return sys.stdin.isatty()


def collect_secrets(options: Sequence[str], secrets_file: str | None) -> dict[str, str]:
    """Gather a binding's secrets from ``--secret`` options and a secrets file.

    Args:
        options: ``NAME=VALUE`` pairs, and bare ``NAME`` s whose values are asked for.
        secrets_file: A JSON or YAML object of name -> value (``-`` = stdin), or None.

    Returns:
        Secret name -> value.

    Raises:
        CliError: On a name given twice, a non-string value, or a bare name when
            standard input is not a terminal. (``BindingService`` refuses empty and
            oversized values, whoever calls it.)
    """
    given: list[tuple[str, str | None]] = []
    for option in options:
        name, separator, value = option.partition("=")
        given.append((name.strip(), value if separator else None))
    asked = [name for name, value in given if value is None]
    if asked and not stdin_is_interactive():
        raise CliError(
            f"--secret {asked[0]} asks for the value, but standard input is not a terminal; "
            "use --secrets-file - (or FILE) instead"
        )
    secrets: dict[str, str] = {}
    if secrets_file is not None:
        for name, value in read_secrets_file(secrets_file).items():
            _add(secrets, name, value)
    for name, maybe in given:
        _add(secrets, name, prompt_secret(name) if maybe is None else maybe)
    return secrets


def read_secrets_file(path: str) -> dict[str, str]:
    """Read a JSON or YAML object of secret name -> string value (``-`` = stdin).

    Raises:
        CliError: When it cannot be read, is not such an object, or a value is not a string.
    """
    data = parse_object(read_text(path, SECRETS_FILE), path, SECRETS_FILE)
    for name, value in data.items():
        if not isinstance(value, str):
            raise CliError(f"the value of secret {name!r} in the {SECRETS_FILE} must be a string")
    return data


def single_secret(name: str, value: str | None, from_file: str | None) -> str:
    """Take one secret's value from ``--value``, a file (``-`` = stdin) or a prompt.

    A value read from a file loses one trailing line break (``echo token > file``).

    Raises:
        CliError: When a prompt is needed but stdin is not a terminal.
    """
    if from_file is not None:
        value = read_text(from_file, "secret file").removesuffix("\n").removesuffix("\r")
    elif value is None:
        if not stdin_is_interactive():
            raise CliError(
                f"secret {name!r} needs a value, but standard input is not a terminal; "
                "use --from-file - (or FILE) instead"
            )
        return prompt_secret(name)
    return value


def prompt_secret(name: str) -> str:
    """Ask for a secret's value on the terminal, without echo (the prompt goes to stderr)."""
    value: str = typer.prompt(f"Value of secret {name}", hide_input=True, err=True)
    return value


def _add(secrets: dict[str, str], name: str, value: str) -> None:
    if not name:
        raise CliError("--secret needs a name: NAME=VALUE, or NAME alone to be asked for it")
    if name in secrets:
        raise CliError(f"secret {name!r} is given more than once")
    secrets[name] = value
