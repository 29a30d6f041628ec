"""What changed between two versions of a tool document, change by change."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.json_types import JsonPath, JsonValue, render_path

NOT_COMPARED = frozenset({"version", "fingerprint"})
"""Top-level fields that differ between any two versions and say nothing of the content."""


class ChangeKind(StrEnum):
    """How one place of the document changed."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class DocumentChange:
    """One change, located by its JSON path (``tool_functions_schema.functions[0].name``).

    Attributes:
        path: Where, as a dotted path with ``[i]`` for array indexes.
        kind: Added, removed or changed.
        before: The old value (None when added).
        after: The new value (None when removed).
    """

    path: str
    kind: ChangeKind
    before: JsonValue
    after: JsonValue


def diff_documents(old: JsonValue, new: JsonValue) -> list[DocumentChange]:
    """Every change from ``old`` to ``new``, in document order (version and fingerprint aside)."""
    changes: list[DocumentChange] = []
    if isinstance(old, dict) and isinstance(new, dict):
        old = {k: v for k, v in old.items() if k not in NOT_COMPARED}
        new = {k: v for k, v in new.items() if k not in NOT_COMPARED}
    _walk(old, new, (), changes)
    return changes


def _walk(old: JsonValue, new: JsonValue, path: JsonPath, out: list[DocumentChange]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if key not in new:
                out.append(
                    DocumentChange(render_path((*path, key)), ChangeKind.REMOVED, old[key], None)
                )
            elif key not in old:
                out.append(
                    DocumentChange(render_path((*path, key)), ChangeKind.ADDED, None, new[key])
                )
            else:
                _walk(old[key], new[key], (*path, key), out)
        return
    if isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            where = (*path, index)
            if index >= len(new):
                out.append(DocumentChange(render_path(where), ChangeKind.REMOVED, old[index], None))
            elif index >= len(old):
                out.append(DocumentChange(render_path(where), ChangeKind.ADDED, None, new[index]))
            else:
                _walk(old[index], new[index], where, out)
        return
    if old != new or type(old) is not type(new):
        out.append(DocumentChange(render_path(path), ChangeKind.CHANGED, old, new))
