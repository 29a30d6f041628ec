"""Callables imported on their first call: the container names adapters it may never build.

A command resolves a handful of the container's providers; each adapter module (and what
it imports: SQLAlchemy, httpx, the MCP SDK, Supabase, OpenTelemetry) loads only when a
provider that needs it first builds something (docs/performance.md, CLI start-up).
"""

from __future__ import annotations

import importlib
from typing import Any


class Imported:
    """``module.attribute``, imported when first called, then called with what it is given.

    Args:
        module: The module that defines it.
        attribute: A class or function in that module.
    """

    def __init__(self, module: str, attribute: str) -> None:
        self.module = module
        self.attribute = attribute

    def target(self) -> Any:
        """Import the module (once: Python keeps it) and return the attribute."""
        return getattr(importlib.import_module(self.module), self.attribute)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Build (or call) the target with the arguments given."""
        return self.target()(*args, **kwargs)

    def __repr__(self) -> str:
        """Where the target lives, as ``module.attribute``."""
        return f"Imported({self.module}.{self.attribute})"
