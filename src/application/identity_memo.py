"""``IdentityMemo``: what was computed for particular objects, found again by identity.

Stored tool versions are read once per process and shared (the storage adapters'
``ToolVersions``), so the same objects come back on every load: what is derived from
them alone (a function's load-time verdict, its offered schema) is computed once and
found again by the objects' identity, without hashing or comparing their content.
An equal object that is not the same one is computed again, so nothing stale is ever
returned. A value that also depends on small plain data (a binding's config) adds it as
a hashable ``key``, compared by equality.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

DEFAULT_MEMO_SIZE = 8192
"""Entries kept by default (the least recently used go first)."""

V = TypeVar("V")


class IdentityMemo(Generic[V]):
    """A bounded, thread-safe memo keyed by the identity of a few objects.

    Each entry holds its objects, so their ids cannot be reused while it is kept.

    Args:
        size: How many entries to keep.
    """

    def __init__(self, size: int = DEFAULT_MEMO_SIZE) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self._size = size
        self._entries: OrderedDict[tuple[Hashable, ...], tuple[tuple[object, ...], V]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_make(
        self, owners: tuple[object, ...], make: Callable[[], V], *, key: Hashable = None
    ) -> V:
        """The value kept for exactly these objects and an equal ``key``, else ``make()``, kept."""
        entry = (*map(id, owners), key)
        with self._lock:
            found = self._entries.get(entry)
            if found is not None:
                self._entries.move_to_end(entry)
                return found[1]
        value = make()
        with self._lock:
            self._entries[entry] = (owners, value)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value
