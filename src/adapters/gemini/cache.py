"""A bounded cache keyed by a function's content, shared by the Gemini check and offering."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from application.identity_memo import IdentityMemo
from domain.json_types import JsonObject
from domain.schema.function_schema import FunctionSchema

DEFAULT_CACHE_SIZE = 4096
"""Entries kept; every toolset load asks about every function it offers."""

T = TypeVar("T")


def content_key(canonical: JsonObject) -> bytes:
    """The SHA-256 of a function's canonical JSON."""
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode(errors="surrogatepass")).digest()


class ContentCache(Generic[T]):
    """What was computed for each function content, the oldest evicted first; thread-safe.

    Args:
        size: How many entries to keep.
    """

    def __init__(self, size: int = DEFAULT_CACHE_SIZE) -> None:
        self._entries: dict[bytes, T] = {}
        self._keys: IdentityMemo[bytes] = IdentityMemo(size)
        self._size = size
        self._lock = threading.Lock()

    def get_or_make(self, function: FunctionSchema, make: Callable[[], T]) -> tuple[T, bool]:
        """The value kept for ``function``'s content, else ``make()`` kept; and if it was made."""
        # Stored functions are shared objects: hash each one's content once.
        key = self._keys.get_or_make((function,), lambda: content_key(function.to_dict()))
        with self._lock:
            if key in self._entries:
                return self._entries[key], False
        value = make()
        with self._lock:
            if len(self._entries) >= self._size:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = value
        return value, True
