"""Commands listed by name and help, their module imported only when one of them runs.

A group's ``--help`` lists its lazy commands from :class:`LazyCommand` entries without
importing them, and running one imports that command's module alone: ``tools list``
never loads what ``call``, ``worker`` or ``tools lint`` need (docs/performance.md, CLI
start-up).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class LazyCommand:
    """A command (or group) of a group, imported when it runs.

    Attributes:
        module: The module that defines it.
        attribute: A ``typer.Typer`` (a group) or a function (one command) in it.
        help: Its one-line help, as the group's ``--help`` lists it (a test checks that
            it is the command's own).
        context_settings: Click context settings of a one-command function.
    """

    module: str
    attribute: str
    help: str
    context_settings: dict[str, Any] = field(default_factory=dict)

    def load(self, name: str) -> Any:
        """Import the command and build its click command."""
        target = getattr(importlib.import_module(self.module), self.attribute)
        holder = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        if isinstance(target, typer.Typer):
            holder.add_typer(target, name=name)
        else:
            holder.command(name, context_settings=self.context_settings)(target)
        holder.command("-")(_placeholder)  # two entries: typer then builds a group
        return typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]


class LazyGroup(TyperGroup):
    """A group whose :attr:`lazy` commands are imported on first use, not to list them.

    Its own commands (defined with ``@app.command()``) come first, then the lazy ones.
    """

    lazy: ClassVar[Mapping[str, LazyCommand]] = {}
    _listing = False
    _loaded: dict[str, Any]

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands defined here, then the lazy ones."""
        return [*super().list_commands(ctx), *self.lazy]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command; while the group's help is written, a stand-in carrying its help."""
        lazy = self.lazy.get(cmd_name)
        if lazy is None:
            return super().get_command(ctx, cmd_name)
        if self._listing:
            return TyperCommand(cmd_name, help=lazy.help, short_help=lazy.help)
        loaded = self.__dict__.setdefault("_loaded", {})
        if cmd_name not in loaded:
            loaded[cmd_name] = lazy.load(cmd_name)
        return loaded[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Write the group's help without importing a single lazy command."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _placeholder() -> None:
    """Never run: makes the holder of one command a group, as the root is."""
