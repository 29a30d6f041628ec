"""``ToolVersions``: each stored tool version read once per process, then shared.

Stored versions never change (a new definition is a new version) and were checked in
full when they were written, so a toolset load need not read and check them again:
the first load of a ``(tool id, version, fingerprint)`` reads its columns as every
read does (:func:`read_stored_tool`), and every later load, in any session of the
process, gets the same :class:`ToolDefinition`, with its compiled validators.

Today's limits are part of the key: a process that runs with other limits reads every
version again, so a version that breaks them still comes back as an
:class:`UnreadableTool` (the check for rules that changed since the version was
written). The rules themselves are code, fixed for the life of the process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from adapters.storage_common.tool_rows import read_stored_tool
from domain.schema.limits import SchemaLimits
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool

DEFAULT_MAX_VERSIONS = 4096
"""How many tool versions one process keeps read at most (least recently used go first)."""


class StoredVersion(NamedTuple):
    """What identifies a stored tool version.

    A tuple: hashed and compared in C, once per binding on every load.

    Attributes:
        tool_id: The tool's stored id (a name can be deleted and defined again).
        version: The version number.
        fingerprint: The stored content's fingerprint.
    """

    tool_id: str
    version: int
    fingerprint: str


_Key = tuple[StoredVersion, SchemaLimits]


class ToolVersions:
    """A bounded, thread-safe cache of read tool versions, shared by every session.

    Args:
        max_versions: How many versions to keep; the least recently used is dropped.
    """

    def __init__(self, max_versions: int = DEFAULT_MAX_VERSIONS) -> None:
        if max_versions < 1:
            raise ValueError("max_versions must be at least 1")
        self._max = max_versions
        self._read: OrderedDict[_Key, ToolDefinition | UnreadableTool] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._read)

    def known(
        self, version: StoredVersion, limits: SchemaLimits
    ) -> ToolDefinition | UnreadableTool | None:
        """The tool version ``version`` if this process has read it, else None.

        So a load can leave out the columns of every version already read, and fetch
        only the others (then read each with :meth:`read`).
        """
        key = (version, limits)
        with self._lock:
            found = self._read.get(key)
            if found is not None:
                self._read.move_to_end(key)
            return found

    def read(
        self,
        version: StoredVersion,
        limits: SchemaLimits,
        document: Callable[[], Mapping[str, Any]],
    ) -> ToolDefinition | UnreadableTool:
        """The tool version ``version``, read from ``document()`` the first time only.

        Args:
            version: Which stored version it is.
            limits: The schema limits in force.
            document: Gives the version's stored document (called on a miss only, so
                a load that finds every version here decodes none of them).

        Returns:
            The shared definition, or why today's limits or rules refuse it.
        """
        found = self.known(version, limits)
        if found is not None:
            return found
        tool = read_stored_tool(document(), limits)
        with self._lock:
            self._read[(version, limits)] = tool
            while len(self._read) > self._max:
                self._read.popitem(last=False)
        return tool
