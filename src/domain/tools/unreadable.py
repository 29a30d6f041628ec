"""``UnreadableTool``: a stored tool that today's settings or rules refuse to read."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import StoredToolUnreadable


@dataclass(frozen=True)
class UnreadableTool:
    """A stored tool version that no longer passes the checks it passed when defined.

    Its bindings are left out of toolsets with :attr:`reason`, and listings show it as
    needing attention; defining the tool again (within today's rules) repairs it.

    Attributes:
        name: The tool's name.
        version: The stored version.
        reason: Why it cannot be read, on one line.
    """

    name: str
    version: int
    reason: str

    @property
    def message(self) -> str:
        """What is wrong and what to do, on one line."""
        return (
            f"tool {self.name!r} (version {self.version}) as stored breaks today's rules: "
            f"{self.reason}; define it again"
        )

    def error(self) -> StoredToolUnreadable:
        """The error a read that needs the tool itself raises."""
        return StoredToolUnreadable(self.message, self.name, self.version)
