"""The content fingerprint that decides whether a tool changed."""

from __future__ import annotations

import hashlib
import json

from domain.json_types import JsonObject

NOT_CONTENT = frozenset({"version", "fingerprint", "id", "created_at", "updated_at"})
"""Document fields that are bookkeeping, not content."""


def content_fingerprint(document: JsonObject) -> str:
    """Hash every content field of a tool document as sorted-key JSON.

    Args:
        document: A tool document in canonical form.

    Returns:
        ``sha256:`` and the hex digest; equal content gives an equal fingerprint.
    """
    content = {key: value for key, value in document.items() if key not in NOT_CONTENT}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()
