"""The fingerprint of a code tool's source: whether installed code still matches its sync.

It imports no LiveKit, so checking a stored code tool costs no LiveKit import.
"""

from __future__ import annotations

import hashlib
import inspect
import marshal
from typing import Any


def code_fingerprint(tool: Any) -> str:
    """Fingerprint the source of a code tool's function (its bytecode if no source)."""
    function = inspect.unwrap(tool)
    try:
        material = inspect.getsource(function).encode()
    except (OSError, TypeError):
        material = marshal.dumps(function.__code__)
    return "sha256:" + hashlib.sha256(material).hexdigest()
