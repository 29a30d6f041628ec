"""The content fingerprint that decides whether a tool changed."""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel

from domain.json_types import JsonObject

NOT_CONTENT = frozenset({"version", "fingerprint", "id", "created_at", "updated_at"})
"""Document fields that are bookkeeping, not content."""


def content_fingerprint(document: JsonObject, run: BaseModel) -> str:
    """Hash every content field of a tool document as sorted-key JSON.

    The run spec is hashed as written without the fields that hold their defaults, so
    adding an optional field with a default to a run spec leaves every stored tool's
    fingerprint as it was (and a document that spells a default out means the same as
    one that leaves it out).

    Args:
        document: A tool document in canonical form (its ``run`` is replaced by ``run``).
        run: The tool's run spec.

    Returns:
        ``sha256:`` and the hex digest; equal content gives an equal fingerprint.
    """
    content = {key: value for key, value in document.items() if key not in NOT_CONTENT}
    content["run"] = run.model_dump(mode="json", exclude_defaults=True, by_alias=True)
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()
