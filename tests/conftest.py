"""Shared fixtures for the whole test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus import require_corpus


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The external tool-definition corpus (``../shared/corpus``, or ``$TOOL_PLATFORM_CORPUS_DIR``).

    When it is missing the test fails under ``CI=true`` and is skipped otherwise.
    """
    return require_corpus()
