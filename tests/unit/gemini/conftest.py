"""Fixtures of the Gemini compatibility tests: one adapter for the whole session.

The first check imports LiveKit's Google plugin (seconds); every later one is fast.
"""

from __future__ import annotations

import pytest

from adapters.gemini import GeminiConverterCheck


@pytest.fixture(scope="session")
def gemini() -> GeminiConverterCheck:
    """The Gemini realtime compatibility adapter, shared (verdicts are cached by content)."""
    return GeminiConverterCheck()
